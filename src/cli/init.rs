//! `sitegen init`: a starter site that checks strictly and builds, optionally with the
//! built-in templates, stylesheet and PDF template written out to be edited.

use super::{report, ExitCode};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use std::path::Path;

/// The starter site: (path below the site root, text). `{TODAY}` becomes today's date,
/// so that the receipt is fresh and the article is dated the day the site was made.
const STARTER: &[(&str, &str)] = &[
    ("sitegen.toml", include_str!("starter/sitegen.toml")),
    (".gitignore", include_str!("starter/gitignore")),
    ("content/welcome.md", include_str!("starter/welcome.md")),
    ("data/stations.yaml", include_str!("starter/stations.yaml")),
    ("data/loads.yaml", include_str!("starter/loads.yaml")),
    ("data/sources.yaml", include_str!("starter/sources.yaml")),
    ("data/receipts.yaml", include_str!("starter/receipts.yaml")),
    ("data/tables.yaml", include_str!("starter/tables.yaml")),
    (
        "data/decisions/choose.yaml",
        include_str!("starter/choose.yaml"),
    ),
];

/// Every file `init` writes, with its text; `templates` adds the built-in templates,
/// `templates/pdf.typ` and `assets/style.css`.
pub fn starter_files(today: &str, templates: bool) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = STARTER
        .iter()
        .map(|(p, t)| (p.to_string(), t.replace("{TODAY}", today)))
        .collect();
    if templates {
        for (name, text) in crate::render::html::builtin_templates() {
            files.push((format!("templates/{name}"), text.to_string()));
        }
        files.push((
            "templates/pdf.typ".into(),
            crate::render::pdf::DEFAULT_TEMPLATE.into(),
        ));
        files.push((
            "assets/style.css".into(),
            crate::render::html::BUILTIN_CSS.into(),
        ));
    }
    files
}

/// `sitegen init [DIR] [--templates]`: writes the starter site into DIR (made if
/// missing); refuses, writing nothing, when any of its files exists already.
pub fn init(dir: &Path, templates: bool) -> ExitCode {
    let fail = |path: &str, msg: String| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("init", Span::file(path), msg));
        report(&d);
        1
    };
    let today = crate::load::date::Date::today().to_string();
    let files = starter_files(&today, templates);
    let existing: Vec<&str> = files
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| dir.join(p).exists())
        .collect();
    if let Some(first) = existing.first() {
        return fail(
            first,
            format!(
                "{} already holds {}; sitegen init never overwrites (choose an empty folder)",
                dir.display(),
                existing.join(", ")
            ),
        );
    }
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                return fail(rel, format!("cannot create {}: {e}", parent.display()));
            }
        }
        if let Err(e) = std::fs::write(&path, text) {
            return fail(rel, format!("cannot write {}: {e}", path.display()));
        }
        println!("{rel}");
    }
    eprintln!(
        "created a site in {} ({} files): `sitegen check --strict` checks it, `sitegen serve` previews it",
        dir.display(),
        files.len()
    );
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_is_dated_today_and_templates_are_added() {
        let plain = starter_files("2030-02-03", false);
        assert!(plain.iter().all(|(_, t)| !t.contains("{TODAY}")));
        let receipts = &plain
            .iter()
            .find(|(p, _)| p == "data/receipts.yaml")
            .unwrap()
            .1;
        assert!(receipts.contains("reported: 2030-02-03"));
        let full = starter_files("2030-02-03", true);
        let names: Vec<&str> = full.iter().map(|(p, _)| p.as_str()).collect();
        for t in [
            "templates/base.html",
            "templates/article.html",
            "templates/404.html",
            "templates/pdf.typ",
            "assets/style.css",
        ] {
            assert!(names.contains(&t), "{t}");
        }
        // Every built-in HTML template, pdf.typ and the stylesheet.
        assert_eq!(
            full.len(),
            plain.len() + crate::render::html::builtin_templates().len() + 2
        );
    }
}
