//! The site's own templates, read from `templates/`: the Tera HTML templates that
//! replace built-in ones of the same name, and the Typst template of the gated PDF.

use crate::diagnostics::{Diagnostic, Diagnostics};
use std::path::Path;

/// The largest template file read.
const MAX_TEMPLATE_BYTES: u64 = 4 * 1024 * 1024;

/// `templates/*.html` of the site as (file name, text), sorted by name; a file that
/// cannot be read is a diagnostic, the others still come back.
pub fn html_templates(root: &Path, diags: &mut Diagnostics) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(root.join("templates")) else {
        return out;
    };
    let mut files: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    for p in files {
        if p.extension().is_some_and(|x| x == "html") {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rel = format!("templates/{name}");
            match crate::load::content::read_text(&p, &rel, MAX_TEMPLATE_BYTES) {
                Ok(text) => out.push((name, text)),
                Err(d) => diags.push(d),
            }
        }
    }
    out
}

/// The site's Typst template, `templates/pdf.typ`, or None when it has none.
pub fn pdf_template(root: &Path) -> Result<Option<String>, Diagnostic> {
    let path = root.join("templates/pdf.typ");
    if path.is_file() {
        crate::load::content::read_text(&path, "templates/pdf.typ", MAX_TEMPLATE_BYTES).map(Some)
    } else {
        Ok(None)
    }
}
