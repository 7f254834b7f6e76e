//! `sitegen pdf`.

use super::{checked, ExitCode, Reporter};
use crate::diagnostics::{Diagnostic, Span};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `sitegen pdf`: every check, then the gated PDF of each `pdf: true` article (or the
/// slugs named) compiled with Typst and written to `gated/` (or `out`), never under `public/`
/// nor into the site's own folders or a folder of files sitegen did not write (unless `force`).
pub fn pdf(
    root: &Path,
    out: Option<PathBuf>,
    slugs: &[String],
    emit_typst: bool,
    force: bool,
    rep: &Reporter,
) -> ExitCode {
    let start = Instant::now();
    let out = out.unwrap_or_else(|| root.join("gated"));
    if let Err(code) = super::guard_output(root, &out, force, rep) {
        return code;
    }
    let (site, mut diags) = match checked(root, false, false) {
        Ok(x) => x,
        Err(diags) => {
            rep.report(&diags);
            return 1;
        }
    };
    if let Some(reason) = inside_public(root, &out) {
        diags.push(Diagnostic::error("pdf", Span::file("gated"), reason));
        rep.report(&diags);
        return 1;
    }
    let mut pages = Vec::new();
    for slug in slugs {
        match site.pages.iter().find(|p| &p.article.slug == slug) {
            Some(p) => pages.push(p),
            None => {
                let known: Vec<&str> = site.pages.iter().map(|p| p.article.slug.as_str()).collect();
                diags.push(Diagnostic::error(
                    "pdf",
                    Span::file("content"),
                    format!(
                        "no published article has the slug `{slug}`; slugs: {}",
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    if slugs.is_empty() {
        pages = site.pages.iter().filter(|p| p.article.front.pdf).collect();
    }
    let template = match crate::render::pdf::gated::template(root) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            String::new()
        }
    };
    if diags.errors() > 0 {
        rep.report(&diags);
        return 1;
    }
    crate::render::pdf::preload();
    let bar = progress_bar(pages.len());
    let results: Vec<_> = {
        use rayon::prelude::*;
        pages
            .par_iter()
            .map(|p| {
                let r = crate::render::pdf::gated::compile_page(&site, p, &template);
                if let Some(b) = &bar {
                    b.inc(1);
                    b.set_message(p.article.slug.clone());
                }
                r
            })
            .collect()
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut compiled = Vec::new();
    for (c, d) in results {
        diags.extend(d);
        compiled.extend(c);
    }
    if diags.errors() > 0 {
        rep.report(&diags);
        return 1;
    }
    if let Err(e) = std::fs::create_dir_all(&out).and_then(|()| crate::publish::mark(&out)) {
        diags.push(Diagnostic::error(
            "io",
            Span::file(out.display().to_string()),
            format!("cannot write {}: {e}", out.display()),
        ));
        rep.report(&diags);
        return 1;
    }
    crate::publish::remove_dead_temporaries(&out, ".");
    if emit_typst {
        for p in &pages {
            let dir = out.join(format!("{}.typst", p.article.slug));
            for (name, bytes) in crate::render::pdf::gated::typst_project(&site, p, &template) {
                let path = dir.join(&name);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|_| std::fs::write(&path, bytes));
                if let Err(e) = written {
                    diags.push(Diagnostic::error(
                        "io",
                        Span::file(out.display().to_string()),
                        format!("cannot write {}: {e}", path.display()),
                    ));
                }
            }
        }
    }
    for c in &compiled {
        if let Err(e) = write_atomically(&out, &format!("{}.pdf", c.slug), &c.bytes) {
            diags.push(Diagnostic::error(
                "io",
                Span::file(out.display().to_string()),
                format!("cannot write {}.pdf: {e}", c.slug),
            ));
        }
    }
    rep.report(&diags);
    if diags.errors() > 0 {
        return 1;
    }
    for c in &compiled {
        eprintln!(
            "wrote {} ({} KiB)",
            out.join(format!("{}.pdf", c.slug)).display(),
            c.bytes.len() / 1024
        );
    }
    eprintln!(
        "{} PDF(s) in {} ms",
        compiled.len(),
        start.elapsed().as_millis()
    );
    0
}

/// Why `out` may not hold PDFs: it lies inside the public site.
fn inside_public(root: &Path, out: &Path) -> Option<String> {
    let public = std::fs::canonicalize(root).ok()?.join("public");
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let out_abs = std::fs::canonicalize(parent).ok()?.join(out.file_name()?);
    out_abs.starts_with(&public).then(|| {
        format!(
            "the gated PDF may never be written into public/ ({}); choose another --out",
            out.display()
        )
    })
}

/// A progress bar on a terminal; None when stderr is not one (CI logs stay clean).
fn progress_bar(len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || len < 2 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} compiling PDFs {pos}/{len} {msg}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// Writes `name` into `dir` through a temporary file and a rename, so a reader never sees half a PDF.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(name))
}
