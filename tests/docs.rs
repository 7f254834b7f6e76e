//! The manual in docs/ is a sitegen site: it builds with --strict (its examples are real,
//! checked citations), names every diagnostic code sitegen emits, and neither it nor the
//! README points at files a user of the tool does not have.

mod common;
use common::*;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_manual_builds_strictly() {
    let site = temp_dir("docs");
    copy_dir(&repo().join("docs"), &site);
    let _ = std::fs::remove_dir_all(site.join("public"));
    let run = sitegen(&site, &["build", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let index = read(&site, "public/index.html");
    for chapter in [
        "Getting started",
        "The dataset",
        "Citing figures",
        "Units",
        "Templates",
        "Diagnostics",
    ] {
        assert!(index.contains(chapter), "the index lists {chapter}");
    }
}

/// Every code in a `Diagnostic::error("…"` or `Diagnostic::warning("…"` of the source.
fn emitted_codes() -> Vec<String> {
    let mut codes = Vec::new();
    for e in walkdir::WalkDir::new(repo().join("src")) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        for marker in ["Diagnostic::error(", "Diagnostic::warning("] {
            for (i, _) in text.match_indices(marker) {
                // `PdfDiagnostic::error("message")` is another type.
                if text[..i].ends_with(|c: char| c.is_alphanumeric()) {
                    continue;
                }
                let rest = text[i + marker.len()..].trim_start();
                if let Some(rest) = rest.strip_prefix('"') {
                    let code: String = rest.chars().take_while(|c| *c != '"').collect();
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
            }
        }
    }
    codes
}

#[test]
fn the_manual_names_every_diagnostic_code() {
    let manual = std::fs::read_to_string(repo().join("docs/content/diagnostics.md")).unwrap();
    let codes = emitted_codes();
    assert!(codes.len() >= 10, "found the codes: {codes:?}");
    for code in &codes {
        assert!(
            manual.contains(&format!("`{code}`")),
            "docs/content/diagnostics.md does not explain `{code}`"
        );
    }
}

#[test]
fn readme_and_manual_point_only_inside_the_repository() {
    let mut texts = vec![(
        "README.md".to_string(),
        std::fs::read_to_string(repo().join("README.md")).unwrap(),
    )];
    for e in walkdir::WalkDir::new(repo().join("docs/content")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            texts.push((
                e.path().display().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            ));
        }
    }
    for (name, text) in texts {
        for outside in ["../shared", "SPEC.md", "SPEC §", "src/builtin/templates"] {
            assert!(!text.contains(outside), "{name} refers to {outside}");
        }
    }
}
