//! `sitegen new`.

use super::{report, ExitCode};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use std::path::Path;

/// `sitegen new "Title"`: a new draft article with valid front matter, never overwriting.
pub fn new_article(root: &Path, title: &str, dir: Option<&str>) -> ExitCode {
    let slug = crate::load::content::slugify(title);
    let fail = |msg: String| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("new", Span::file("content"), msg));
        report(&d);
        1
    };
    if slug.is_empty() {
        return fail(format!(
            "cannot make a slug from the title {title:?}; use letters or digits"
        ));
    }
    let rel_dir = match dir {
        Some(d) => format!("content/{}", d.trim_matches('/')),
        None => "content".to_string(),
    };
    let rel = format!("{rel_dir}/{slug}.md");
    let path = root.join(&rel);
    // Another file may already publish at this slug through its `slug:` key.
    let mut diags = Diagnostics::new();
    let existing = crate::load::content::load_articles(root, u64::MAX, &mut diags);
    let url = if dir.is_some() {
        format!("/{}/{slug}/", dir.unwrap_or("").trim_matches('/'))
    } else {
        format!("/{slug}/")
    };
    if let Some(a) = existing.iter().find(|a| a.url_path == url) {
        return fail(format!(
            "{} already publishes at {url}; choose another title",
            a.path
        ));
    }
    let yaml_title = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into());
    let text = format!(
        "---\ntitle: {yaml_title}\ndescription: \"\"\ndate: {}\ntags: []\ndraft: true\n---\n\nWrite here. Cite every figure from the dataset, e.g. `[](cite:devices.NAME.FIELD)`.\n",
        crate::load::date::Date::today()
    );
    if let Some(parent) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(parent) {
            return fail(format!("cannot create {}: {e}", parent.display()));
        }
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            use std::io::Write;
            if let Err(e) = f.write_all(text.as_bytes()) {
                return fail(format!("cannot write {rel}: {e}"));
            }
            println!("{rel}");
            eprintln!("created {rel} (a draft: `sitegen serve --drafts` shows it)");
            0
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => fail(format!(
            "{rel} already exists; sitegen new never overwrites"
        )),
        Err(e) => fail(format!("cannot create {rel}: {e}")),
    }
}
