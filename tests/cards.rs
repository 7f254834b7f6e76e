//! Social cards end to end: a PNG per article, its tags in the head, `headline` checked.

mod common;
use common::*;

#[test]
fn each_article_has_a_card_and_its_head_names_it() {
    let site = fixture("basic");
    let md = site.join("content/spark.md");
    let text = std::fs::read_to_string(&md).unwrap().replacen(
        "pdf: true\n",
        "pdf: true\nheadline: devices.dgx_spark.memory_bandwidth\n",
        1,
    );
    std::fs::write(&md, text).unwrap();
    let run = sitegen_env(
        &site,
        &["build"],
        &[("SITEGEN_CACHE_DIR", site.join("cache").to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let png = std::fs::read(site.join("public/spark/card.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    assert_eq!((be(16), be(20)), (1200, 630));
    assert!(site.join("public/guides/other/card.png").is_file());
    let html = read(&site, "public/spark/index.html");
    assert!(
        html.contains("<meta property=\"og:image\" content=\"https://"),
        "{html}"
    );
    assert!(html.contains("/spark/card.png\">"));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(
        html.contains("<meta property=\"og:image:alt\" content=\"")
            && html.contains(": The Spark in numbers. DGX Spark, memory bandwidth: 273 GB/s\">"),
        "{html}"
    );
    // The index has no card of its own.
    assert!(!read(&site, "public/index.html").contains("og:image"));
    // The second build draws nothing: every card comes from the cache.
    let run = sitegen_env(
        &site,
        &["build"],
        &[
            ("SITEGEN_CACHE_DIR", site.join("cache").to_str().unwrap()),
            ("SITEGEN_TIMINGS", "1"),
        ],
    );
    assert!(
        run.stderr.contains("timings: 0 social cards drawn"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(site.join("public/spark/card.png")).unwrap(),
        png
    );
}

#[test]
fn a_headline_that_is_no_figure_is_an_error_at_its_key() {
    let site = fixture("basic");
    let md = site.join("content/spark.md");
    let text = std::fs::read_to_string(&md).unwrap().replacen(
        "pdf: true\n",
        "pdf: true\nheadline: devices.dgx_spark.memory_bandwith\n",
        1,
    );
    std::fs::write(&md, text).unwrap();
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert!(
        d.iter().any(|l| l.starts_with("error[front-matter]: content/spark.md:7:1: `headline` names `devices.dgx_spark.memory_bandwith`")),
        "{d:?}"
    );
    assert!(run
        .stderr
        .contains("did you mean `devices.dgx_spark.memory_bandwidth`"));
}
