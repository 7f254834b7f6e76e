//! Citations and the dataset end to end: drifts, bad citations and bad data fail with
//! the code, path, line and column an author needs.

mod common;
use common::*;

fn check(site: &std::path::Path) -> Run {
    sitegen(site, &["check"])
}

#[test]
fn a_site_whose_citations_agree_checks_clean() {
    let site = fixture("basic");
    let run = sitegen(&site, &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
}

#[test]
fn nudging_a_literal_past_its_rounding_is_drift_on_its_line_and_column() {
    let site = fixture("basic");
    edit(&site, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
    for cmd in ["check", "build"] {
        let run = sitegen(&site, &[cmd]);
        assert_eq!(run.code, 1, "{cmd}");
        let d = run.diagnostics();
        assert_eq!(
            d,
            vec!["error[drift]: content/spark.md:9:28: \"275 GB/s\" disagrees with devices.dgx_spark.memory_bandwidth = 273 GB/s (data/devices.yaml:5:21); write \"273 GB/s\""],
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("1 error, 0 warnings"));
    }
    assert!(
        !site.join("public").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn three_drifts_give_three_lines_and_three_errors() {
    let site = fixture("basic");
    edit(&site, "content/spark.md", "[273 GB/s]", "[0.28 TB/s]");
    edit(&site, "content/spark.md", "[2.7x]", "[2.8x]");
    edit(
        &site,
        "content/spark.md",
        "[€4,800–5,200]",
        "[€4,800–5,300]",
    );
    let run = check(&site);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert_eq!(d.len(), 3, "{}", run.stderr);
    assert!(
        d[0].starts_with("error[drift]: content/spark.md:9:28: \"0.28 TB/s\""),
        "{}",
        d[0]
    );
    assert!(d[0].ends_with("write \"0.27 TB/s\""), "{}", d[0]);
    assert!(
        d[1].starts_with("error[drift]: content/spark.md:11:24: \"2.8x\""),
        "{}",
        d[1]
    );
    assert!(d[1].ends_with("write \"2.7x\""), "{}", d[1]);
    assert!(d[2].starts_with("error[drift]: content/spark.md:12:65: \"€4,800–5,300\" disagrees with devices.dgx_spark.street_price_eu = €4,800–5,200 (data/devices.yaml:7:20)"), "{}", d[2]);
    assert!(d[2].ends_with("write \"€4,800–5,200\""), "{}", d[2]);
    assert!(run.stderr.contains("3 errors, 0 warnings"));
}

#[test]
fn agreeing_forms_of_one_figure_all_pass() {
    let site = fixture("basic");
    write(
        &site,
        "content/forms.md",
        "---\ntitle: Forms\ndate: 2026-01-01\n---\n\n\
         [0.27 TB/s](cite:devices.dgx_spark.memory_bandwidth),\n\
         [~280 GB/s](cite:devices.dgx_spark.memory_bandwidth),\n\
         [$4k](cite:devices.dgx_spark.launch_price),\n\
         [USD 3,999](cite:devices.dgx_spark.launch_price),\n\
         [4,800 to 5,200 EUR](cite:devices.dgx_spark.street_price_eu),\n\
         [33%](<cite:devices.dgx_spark.memory_bandwidth / devices.mac_studio_m3_ultra.memory_bandwidth>),\n\
         [546 GB/s](<cite:devices.dgx_spark.memory_bandwidth * 2>),\n\
         [about 128 GB of memory](cite:devices.dgx_spark.memory).\n",
    );
    let run = sitegen(&site, &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn every_citation_problem_has_its_code_and_place() {
    let site = fixture("basic");
    write(
        &site,
        "content/bad.md",
        "---\ntitle: Bad\ndate: 2026-01-01\n---\n\n\
         Unknown [273 GB/s](cite:devices.dgx_spark.memory_bandwith).\n\
         Entry [273 GB/s](cite:devices.dgx_spark).\n\
         Words [a third](<cite:devices.dgx_spark.memory_bandwidth / devices.mac_studio_m3_ultra.memory_bandwidth>).\n\
         Two [273 GB/s or 275 GB/s](cite:devices.dgx_spark.memory_bandwidth).\n\
         Expr [1x](<cite:devices.dgx_spark.memory_bandwidth / (devices.rtx_4090.memory>).\n\
         Units [273 GB](cite:devices.dgx_spark.memory_bandwidth).\n\
         Add [3 GB](<cite:devices.dgx_spark.memory + devices.dgx_spark.memory_bandwidth>).\n",
    );
    let run = check(&site);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    let find = |prefix: &str| {
        d.iter()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?} in\n{}", run.stderr))
            .to_string()
    };
    let unknown = find("error[unknown-key]: content/bad.md:6:25: ");
    assert!(
        unknown.contains("devices.dgx_spark.memory_bandwith"),
        "{unknown}"
    );
    assert!(
        run.stderr
            .contains("did you mean `devices.dgx_spark.memory_bandwidth`"),
        "{}",
        run.stderr
    );
    assert!(find("error[unknown-key]: content/bad.md:7:23: ").contains("is an entry"));
    assert!(find("error[cite-text]: content/bad.md:8:7: ").contains("holds no figure"));
    assert!(find("error[cite-text]: content/bad.md:9:5: ").contains("2 figures"));
    find("error[cite-expr]: content/bad.md:10:");
    assert!(find("error[unit-mismatch]: content/bad.md:11:8: ").contains("GB/s"));
    assert!(find("error[unit-mismatch]: content/bad.md:12:").contains("GB"));
    assert!(run.stderr.contains("7 errors"), "{}", run.stderr);
}

#[test]
fn uncited_figures_warn_and_strict_makes_them_errors() {
    let site = fixture("basic");
    write(
        &site,
        "content/loose.md",
        "---\ntitle: Loose\ndate: 2026-01-01\n---\n\n\
         The DGX Spark moves 273 GB/s; the RTX 4090 has 24 GB and runs GPT-OSS 120B slowly at 52.77 t/s.\n\n\
         A made-up 999 W figure.\n\n\
         `300 GB/s` in code is fine.\n",
    );
    let run = check(&site);
    assert_eq!(run.code, 0, "warnings alone pass: {}", run.stderr);
    let d = run.diagnostics();
    assert!(d.contains(&"warning[uncited]: content/loose.md:6:21: \"273 GB/s\" is not cited; it agrees with devices.dgx_spark.memory_bandwidth"), "{}", run.stderr);
    assert!(
        d.iter()
            .any(|l| l.starts_with("warning[uncited]: content/loose.md:6:")
                && l.contains("\"24 GB\"")
                && l.contains("devices.rtx_4090.memory")),
        "{}",
        run.stderr
    );
    assert!(d.iter().any(|l| l.contains("\"52.77 t/s\"") && l.contains("bench.gpt_oss_120b.spark.eval_tps")), "{}", run.stderr);
    assert!(
        d.iter()
            .any(|l| l.starts_with("warning[uncited]: content/loose.md:8:11: \"999 W\"")),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("120B"),
        "a model name is not a figure: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("300 GB/s"), "code is not prose");
    assert_eq!(d.len(), 4, "{}", run.stderr);
    let strict = sitegen(&site, &["check", "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stderr.contains("error[uncited]"),
        "{}",
        strict.stderr
    );
}

#[test]
fn a_stale_receipt_warns_where_it_is_cited() {
    let site = fixture("basic");
    edit(
        &site,
        "sitegen.toml",
        "max_age_days = 36500",
        "max_age_days = 30",
    );
    let run = check(&site);
    assert_eq!(run.code, 0);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(d[0].starts_with("warning[stale-receipt]: content/spark.md:22:1: receipt `drop-caches` was reported 2026-04-20"), "{}", d[0]);
    assert_eq!(sitegen(&site, &["build", "--strict"]).code, 1);
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    assert!(read(&site, "public/spark/index.html").contains("receipt stale"));
}

#[test]
fn dataset_errors_point_into_the_yaml_file() {
    let site = fixture("basic");
    edit(
        &site,
        "data/devices.yaml",
        "memory: { value: 128, unit: GB, source: nvidia-spec }",
        "memory: { unit: GB, source: nvidia-spec }",
    );
    edit(
        &site,
        "data/devices.yaml",
        "unit: GB/s, source: https://www.apple.com/mac-studio/specs/",
        "unit: GB/sek, source: https://www.apple.com/mac-studio/specs/",
    );
    edit(
        &site,
        "data/devices.yaml",
        "launch_price: { value: 3999, unit: USD, source: https://www.apple.com/mac-studio/ }",
        "launch_price: { value: 3999, unit: USD, source: apple-store }",
    );
    edit(
        &site,
        "data/bench.yaml",
        "source: bench-video, conditions: { runtime: llama.cpp, quantization: MXFP4 } }\n  desktop",
        "source: bench-video, disputed_by: [bench.nope.eval_tps] }\n  desktop",
    );
    write(&site, "data/broken.yaml", "a: [1, 2\nb: 3\n");
    let run = check(&site);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    let has = |prefix: &str, word: &str| {
        assert!(
            d.iter().any(|l| l.starts_with(prefix) && l.contains(word)),
            "no {prefix:?} with {word:?} in\n{}",
            run.stderr
        )
    };
    has("error[dataset]: data/devices.yaml:4:11: ", "has no value");
    has(
        "error[dataset]: data/devices.yaml:10:",
        "unknown unit `GB/sek`",
    );
    has(
        "error[dataset]: data/devices.yaml:11:17: ",
        "source `apple-store`",
    );
    has(
        "error[dataset]: data/bench.yaml:4:15: ",
        "bench.nope.eval_tps",
    );
    has("error[yaml]: data/broken.yaml:", "");
}

#[test]
fn shortcode_problems_name_what_exists() {
    let site = fixture("basic");
    write(
        &site,
        "content/sc.md",
        "---\ntitle: Sc\ndate: 2026-01-01\n---\n\n{{ table(id=\"nope\") }}\n\n{{ chart(id=\"x\") }}\n\n{{ flowchart(id=\"buy\", style=\"spiral\") }}\n\n{{ receipt(id=\"x\", extra=1) }}\n\n{{ table(id=) }}\n\n```\n{{ table(id=\"literal\") }}\n```\n",
    );
    let run = check(&site);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert!(
        d.iter().any(
            |l| l.starts_with("error[shortcode]: content/sc.md:6:1: no table `nope`")
                && l.contains("\"bandwidth\"")
        ),
        "{}",
        run.stderr
    );
    assert!(
        d.iter().any(|l| l.starts_with(
            "error[chart]: content/sc.md:8:1: no chart `x` in data/charts.yaml; none are defined"
        )),
        "{}",
        run.stderr
    );
    assert!(
        d.iter().any(
            |l| l.starts_with("error[shortcode]: content/sc.md:10:1: flowchart style `spiral`")
        ),
        "{}",
        run.stderr
    );
    assert!(d.iter().any(|l| l.starts_with("error[shortcode]: content/sc.md:12:1: ") && l.contains("extra")), "{}", run.stderr);
    assert!(
        d.iter()
            .any(|l| l.starts_with("error[shortcode]: content/sc.md:14:")),
        "{}",
        run.stderr
    );
    assert_eq!(
        d.len(),
        5,
        "the shortcode in a code block stays literal: {}",
        run.stderr
    );
}

#[test]
fn cited_figures_link_to_their_source_with_a_tooltip_and_a_sources_list() {
    let site = fixture("basic");
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    let page = read(&site, "public/spark/index.html");
    assert!(page.contains("<span class=\"cite-wrap\"><a class=\"cite\" href=\"https://www.nvidia.com/en-us/products/workstations/dgx-spark/\" aria-describedby=\"tip-1\">"));
    // The tooltip is beside the link, not in its name, and says who reported it and when.
    assert!(page.contains("</a><span class=\"cite-tip\" role=\"tooltip\" id=\"tip-1\"><span class=\"tip-value\">273 GB/s</span><span class=\"tip-line\">NVIDIA, “DGX Spark specifications”, 13 October 2025</span>"), "{page}");
    // Readers never see dataset keys (only `serve`, the author's preview, shows them).
    assert!(!page.contains("devices.dgx_spark"), "{page}");
    // Empty text inserts the figure, formatted for its unit.
    assert!(page.contains(">$3,999</a><span class=\"cite-tip\""));
    assert!(page.contains("<h2 id=\"sources-title\">Sources</h2>"));
}
