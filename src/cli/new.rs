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
    if let Some(d) = dir {
        if let Err(msg) = inside_content(root, d) {
            return fail(msg);
        }
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

/// Checks that `--dir` names a folder below content/: relative, without `..`, and not
/// leading out through a symbolic link.
fn inside_content(root: &Path, dir: &str) -> Result<(), String> {
    use std::path::Component;
    let refuse = || {
        format!("--dir {dir:?} must name a folder inside content/ (relative, without `..`), e.g. `--dir guides`")
    };
    let p = Path::new(dir.trim_matches('/'));
    if dir.starts_with('/')
        || dir.contains('\\')
        || !p.components().all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(refuse());
    }
    let content = root.join("content");
    let Ok(content_abs) = std::fs::canonicalize(&content) else {
        return Ok(()); // no content/ yet: nothing on the way can be a link
    };
    // The deepest folder on the way that exists must still be inside content/.
    let mut existing = content.join(p);
    while !existing.exists() {
        if !existing.pop() {
            break;
        }
    }
    match std::fs::canonicalize(&existing) {
        Ok(abs) if abs.starts_with(&content_abs) => Ok(()),
        _ => Err(format!(
            "--dir {dir:?} leads outside content/ through a symbolic link; choose a folder inside content/"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_must_stay_below_content() {
        let root = std::env::temp_dir().join(format!("sitegen-new-{}", std::process::id()));
        std::fs::create_dir_all(root.join("content/guides")).unwrap();
        assert!(inside_content(&root, "guides").is_ok());
        assert!(inside_content(&root, "guides/new/deeper").is_ok());
        for bad in ["../x", "../../x", "/tmp", "a/../../x", "./a", "a\\..\\b"] {
            assert!(inside_content(&root, bad).is_err(), "{bad}");
        }
        std::fs::remove_dir_all(&root).unwrap();
    }
}
