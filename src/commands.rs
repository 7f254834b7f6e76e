//! The commands behind the CLI: each runs load → check → render → write and reports.

use crate::check::{check_site, CheckOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::html::{self, Templates};
use crate::output;
use crate::site::Site;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a command ended, as the process exit code.
pub type ExitCode = i32;

/// Prints every problem (sorted) and the count line to stderr.
pub fn report(diags: &Diagnostics) {
    let mut err = std::io::stderr().lock();
    use std::io::Write;
    for d in diags.sorted() {
        let _ = writeln!(err, "{d}");
    }
    if !diags.is_empty() {
        let _ = writeln!(err, "{}", diags.summary());
    }
}

/// Checks the site; returns the model when the check passed (warnings allowed unless strict).
pub fn checked(root: &Path, drafts: bool, strict: bool) -> Result<(Site, Diagnostics), Diagnostics> {
    let (site, mut diags) = check_site(root, CheckOptions { drafts });
    if strict {
        diags.make_strict();
    }
    match site {
        Some(site) if !diags.failed(strict) => Ok((site, diags)),
        _ => Err(diags),
    }
}

/// Renders the checked site to files, assets included.
pub fn render(site: &Site) -> Result<Vec<html::OutputFile>, Diagnostics> {
    let templates = Templates::load(&site.root)?;
    let mut files = html::render_site(site, &templates)?;
    output::collect_assets(&site.root, &mut files).map_err(|e| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("io", Span::file("assets"), format!("cannot read assets: {e}")));
        d
    })?;
    Ok(files)
}

/// `sitegen check`: every check, nothing written.
pub fn check(root: &Path, drafts: bool, strict: bool) -> ExitCode {
    match checked(root, drafts, strict) {
        Ok((site, diags)) => {
            report(&diags);
            eprintln!(
                "checked {} articles, {} citations, {} dataset figures: ok",
                site.pages.len(),
                site.pages.iter().map(|p| p.cites.len()).sum::<usize>(),
                site.dataset.figures.len()
            );
            0
        }
        Err(diags) => {
            report(&diags);
            1
        }
    }
}

/// `sitegen build`: check, render, then publish atomically into `out`.
pub fn build(root: &Path, out: Option<PathBuf>, drafts: bool, strict: bool) -> ExitCode {
    let start = Instant::now();
    let out = out.unwrap_or_else(|| root.join("public"));
    let (site, diags) = match checked(root, drafts, strict) {
        Ok(x) => x,
        Err(diags) => {
            report(&diags);
            eprintln!("build failed; {} left as it was", out.display());
            return 1;
        }
    };
    report(&diags);
    let files = match render(&site) {
        Ok(f) => f,
        Err(d) => {
            report(&d);
            eprintln!("build failed; {} left as it was", out.display());
            return 1;
        }
    };
    if let Err(e) = output::publish(&out, &files) {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error(
            "io",
            Span::file(out.display().to_string()),
            format!("cannot write the site: {e}"),
        ));
        report(&d);
        return 1;
    }
    eprintln!(
        "built {} articles ({} files) into {} in {} ms",
        site.pages.len(),
        files.len(),
        out.display(),
        start.elapsed().as_millis()
    );
    0
}
