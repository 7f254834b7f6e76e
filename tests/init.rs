//! `sitegen init`: the starter site checks strictly and builds; `--templates` writes the
//! built-in templates out and the site stays the same byte for byte; nothing is overwritten.

mod common;
use common::*;

#[test]
fn the_starter_site_checks_strictly_and_builds() {
    let dir = temp_dir("init");
    let run = sitegen(&dir, &["init", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = dir.join("site");
    for f in [
        "sitegen.toml",
        "content/welcome.md",
        "data/tables.yaml",
        "data/decisions/choose.yaml",
        "data/receipts.yaml",
        ".gitignore",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    assert!(read(&site, "data/receipts.yaml").contains("reported: 2026-11-21"));
    let run = sitegen(&site, &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let run = sitegen(&site, &["build", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&site, "public/welcome/index.html");
    for part in [
        "1,024 Wh",
        "<table",
        "Charge it fully",
        "Do you need to run a cool box",
    ] {
        assert!(html.contains(part), "{part}");
    }
    // The starter's figures are checked: a drift fails.
    edit(&site, "data/stations.yaml", "value: 1024", "value: 1000");
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.diagnostics()
            .iter()
            .any(|l| l.starts_with("error[drift]: content/welcome.md:8:")),
        "{}",
        run.stderr
    );
}

#[test]
fn templates_are_written_out_and_change_nothing() {
    let dir = temp_dir("init-templates");
    assert_eq!(sitegen(&dir, &["init", "plain"]).code, 0);
    let run = sitegen(&dir, &["init", "edit", "--templates"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let edit_site = dir.join("edit");
    for f in [
        "base.html",
        "article.html",
        "index.html",
        "tags.html",
        "tag.html",
        "404.html",
        "pdf.typ",
    ] {
        assert!(edit_site.join("templates").join(f).is_file(), "{f}");
    }
    assert!(edit_site.join("assets/style.css").is_file());
    for site in ["plain", "edit"] {
        let run = sitegen(&dir.join(site), &["build", "--strict"]);
        assert_eq!(run.code, 0, "{site}: {}", run.stderr);
    }
    let plain = snapshot(&dir.join("plain/public"));
    let edited = snapshot(&dir.join("edit/public"));
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        edited.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &plain {
        assert!(edited[path] == *bytes, "{path} differs");
    }
    // An edit to a written-out template shows.
    edit(
        &edit_site,
        "templates/base.html",
        "Skip to content",
        "Skip to the guide",
    );
    assert_eq!(sitegen(&edit_site, &["build"]).code, 0);
    assert!(read(&edit_site, "public/index.html").contains("Skip to the guide"));
}

#[test]
fn init_never_overwrites() {
    let dir = temp_dir("init-exists");
    write(&dir, "sitegen.toml", "title = \"mine\"\n");
    let run = sitegen(&dir, &["init"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(d[0].starts_with("error[init]: sitegen.toml"), "{}", d[0]);
    assert!(d[0].contains("never overwrites"), "{}", d[0]);
    assert_eq!(read(&dir, "sitegen.toml"), "title = \"mine\"\n");
    assert!(!dir.join("content").exists(), "nothing else was written");
}

#[test]
fn a_template_that_extends_the_base_without_blocks_is_warned() {
    let dir = temp_dir("init-blockless");
    assert_eq!(sitegen(&dir, &["init"]).code, 0);
    write(
        &dir,
        "templates/article.html",
        "{% extends \"base.html\" %}\n<h1>{{ page.title }}</h1>\n",
    );
    let run = sitegen(&dir, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(d[0].starts_with("warning[template]: templates/article.html:1:1: templates/article.html extends another template but defines no block"), "{}", d[0]);
    assert_eq!(sitegen(&dir, &["build", "--strict"]).code, 1);
}
