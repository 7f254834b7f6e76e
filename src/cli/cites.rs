//! `sitegen cites`.

use super::{ExitCode, Format, Reporter};
use crate::check::{check_site, CheckOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use std::path::Path;

/// `sitegen cites KEY_OR_PREFIX`: every place that prints a figure at or below the key,
/// agreeing or not (a place that does not agree is marked with why);
/// with `unused`, the figures no article prints.
pub fn cites(root: &Path, prefix: Option<&str>, unused: bool, rep: &Reporter) -> ExitCode {
    let (site, diags) = check_site(root, CheckOptions { drafts: true });
    let Some(site) = site else {
        rep.report(&diags);
        return 1;
    };
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if unused {
        let figures = crate::check::places::unused(&site);
        for f in &figures {
            let _ = writeln!(out, "{}: {} is cited nowhere", f.span, f.key);
        }
        eprintln!(
            "{} of {} figures are cited nowhere",
            figures.len(),
            site.dataset.figures.len()
        );
        return 0;
    }
    let prefix = prefix.unwrap_or("");
    let known = site
        .dataset
        .figures
        .keys()
        .any(|k| k == prefix || k.starts_with(&format!("{prefix}.")));
    if !known {
        let mut d = Diagnostics::new();
        let mut diag = Diagnostic::error(
            "unknown-key",
            Span::file("data"),
            format!("no figure of the dataset is `{prefix}` or below it"),
        );
        if let Some(s) = site.dataset.did_you_mean(prefix) {
            diag = diag.with_note(s);
        }
        d.push(diag);
        rep.report(&d);
        return 1;
    }
    let places = crate::check::places::places(&site, prefix);
    for p in &places {
        let _ = match rep.format {
            Format::Human => match &p.problem {
                None => writeln!(out, "{}: {}: {}", p.span, p.key, p.what),
                Some(why) => writeln!(
                    out,
                    "{}: {}: {} DOES NOT AGREE: {why}",
                    p.span, p.key, p.what
                ),
            },
            Format::Json => writeln!(
                out,
                "{}",
                serde_json::json!({"path": p.span.path, "line": p.span.line, "col": p.span.col, "key": p.key, "what": p.what, "agrees": p.problem.is_none(), "problem": p.problem})
            ),
        };
    }
    let bad = places.iter().filter(|p| p.problem.is_some()).count();
    if bad > 0 {
        eprintln!(
            "{} places print {prefix}, {bad} of them not agreeing with the dataset",
            places.len()
        );
    } else {
        eprintln!("{} places print {prefix}", places.len());
    }
    0
}
