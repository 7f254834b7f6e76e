//! `sitegen build` and `check` end to end: the binary on small fixture sites.

mod common;
use common::*;

#[test]
fn builds_every_output_of_a_site() {
    let site = fixture("basic");
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for f in [
        "index.html",
        "spark/index.html",
        "guides/other/index.html",
        "tags/index.html",
        "tags/numbers/index.html",
        "tags/dgx-spark/index.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "404.html",
        "style.css",
        "syntax.css",
        "extra.css",
    ] {
        assert!(site.join("public").join(f).is_file(), "missing public/{f}");
    }
    // Drafts stay out unless asked for.
    assert!(!site.join("public/draft/index.html").exists());
    let index = read(&site, "public/index.html");
    let newer = index.find("The Spark in numbers").unwrap();
    let older = index.find("Another article").unwrap();
    assert!(newer < older, "index lists newest first");
    let page = read(&site, "public/spark/index.html");
    assert!(page.contains("<link rel=\"canonical\" href=\"https://guide.example.org/spark/\">"));
    assert!(page.contains("property=\"og:title\" content=\"The Spark in numbers\""));
    assert!(page.contains("name=\"description\" content=\"Bandwidth, price and one benchmark"));
    // Code is highlighted with classes, not inline styles.
    assert!(page.contains("class=\"hl-"), "highlighted code");
    assert!(!page.contains("style=\"color"), "no inline styles");
    assert!(read(&site, "public/syntax.css").contains("prefers-color-scheme: dark"));
    // Internal .md links are rewritten to published URLs.
    assert!(
        page.contains("href=\"/guides/other/#a-heading\""),
        "rewritten link"
    );
    let sitemap = read(&site, "public/sitemap.xml");
    assert!(sitemap.contains("https://guide.example.org/spark/"));
    assert!(read(&site, "public/atom.xml").contains("<title>The Spark in numbers</title>"));
    assert!(
        read(&site, "public/robots.txt").contains("Sitemap: https://guide.example.org/sitemap.xml")
    );
}

#[test]
fn drafts_build_with_the_flag() {
    let site = fixture("basic");
    let run = sitegen(&site, &["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.join("public/draft/index.html").is_file());
}

#[test]
fn out_and_root_flags_are_honoured() {
    let site = fixture("basic");
    let elsewhere = temp_dir("elsewhere");
    let out = elsewhere.join("site");
    let run = sitegen(
        &elsewhere,
        &[
            "build",
            "--root",
            site.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("spark/index.html").is_file());
    assert!(!site.join("public").exists());
}

#[test]
fn a_long_github_article_keeps_every_anchor() {
    let site = fixture("github");
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&site, "public/field-notes/index.html");
    let mut checked = 0;
    for part in html.split("href=\"#").skip(1) {
        let id = &part[..part.find('"').unwrap()];
        if id.starts_with("cite-") || id == "sources-title" {
            continue;
        }
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "anchor #{id} resolves"
        );
        checked += 1;
    }
    assert!(checked >= 12, "checked {checked} anchors");
    for id in [
        "test-1-small-moe--ministral-3-8b",
        "setup-1",
        "setup-2",
        "results--caveats",
        "appendix-a1--snake_case-names",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    // GFM: tables with alignment, task lists, footnotes, strikethrough.
    assert!(html.contains("<table>") && html.contains("text-align"));
    assert!(html.contains("type=\"checkbox\""));
    assert!(html.contains("footnote-definition"));
    assert!(html.contains("<del>strikethrough</del>"));
    assert!(
        html.contains("&lt;escaped&gt;"),
        "unknown language is plain escaped text"
    );
}

#[test]
fn a_broken_link_fails_and_leaves_the_previous_output_byte_identical() {
    let site = fixture("basic");
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    let before = snapshot(&site.join("public"));
    edit(
        &site,
        "content/guides/other.md",
        "(../spark.md)",
        "(../spark.md#no-such-heading)",
    );
    write(
        &site,
        "content/extra.md",
        "---\ntitle: Extra\ndate: 2026-01-01\n---\n\nSee [gone](missing.md).\n",
    );
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert!(
        d.iter()
            .any(|l| l.starts_with("error[broken-link]: content/guides/other.md:9:9: ")),
        "{}",
        run.stderr
    );
    assert!(
        d.iter()
            .any(|l| l.starts_with("error[broken-link]: content/extra.md:6:5: ")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("2 errors, 0 warnings"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&site.join("public")), before, "public/ untouched");
    let leftovers: Vec<_> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn check_writes_nothing() {
    let site = fixture("basic");
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join("public").exists());
}

#[test]
fn bad_articles_get_their_own_codes_and_no_panic() {
    let site = fixture("basic");
    std::fs::write(
        site.join("content/binary.md"),
        [0u8, 159, 146, 150, 255, 0, 1],
    )
    .unwrap();
    write(&site, "content/empty.md", "");
    write(
        &site,
        "content/unclosed.md",
        "---\ntitle: x\ndate: 2026-01-01\n",
    );
    write(
        &site,
        "content/unknown.md",
        "---\ntitle: x\ndate: 2026-01-01\nauthor: me\n---\n",
    );
    write(&site, "content/nodate.md", "---\ntitle: x\n---\n");
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    let has = |prefix: &str| d.iter().any(|l| l.starts_with(prefix));
    assert!(
        has("error[encoding]: content/binary.md:1:"),
        "{}",
        run.stderr
    );
    assert!(
        has("error[front-matter]: content/empty.md:1:1: "),
        "{}",
        run.stderr
    );
    assert!(
        has("error[front-matter]: content/unclosed.md:1:1: front matter is not closed"),
        "{}",
        run.stderr
    );
    assert!(
        has("error[front-matter]: content/unknown.md:4:1: unknown key `author`"),
        "{}",
        run.stderr
    );
    assert!(
        has("error[front-matter]: content/nodate.md:1:1: missing required key `date`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("5 errors"), "{}", run.stderr);
    assert!(!site.join("public").exists(), "nothing written");
}

#[test]
fn a_broken_template_is_a_template_error() {
    let site = fixture("basic");
    write(
        &site,
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ page.title }\n{% endblock content %}\n",
    );
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.diagnostics()
            .iter()
            .any(|l| l.starts_with("error[template]: templates/article.html:")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let site = fixture("basic");
    write(&site, "templates/404.html", "{% extends \"base.html\" %}{% block content %}<p>Custom lost page</p>{% endblock content %}");
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    assert!(read(&site, "public/404.html").contains("Custom lost page"));
}

#[test]
fn usage_errors_exit_2() {
    let site = fixture("basic");
    assert_eq!(sitegen(&site, &["build", "--no-such-flag"]).code, 2);
    let help = sitegen(&site, &["build", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--strict"));
}
