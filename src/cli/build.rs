//! `sitegen build`.

use super::{checked, ExitCode, Reporter};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::publish::{publish_site_marked, WriteError};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `sitegen build`: check, render, then publish atomically into `out` (refused, exit 2,
/// when that would replace the site or files sitegen did not write, unless `force`).
pub fn build(
    root: &Path,
    out: Option<PathBuf>,
    drafts: bool,
    strict: bool,
    force: bool,
    rep: &Reporter,
) -> ExitCode {
    let start = Instant::now();
    let out = out.unwrap_or_else(|| root.join("public"));
    if let Err(code) = super::guard_output(root, &out, force, rep) {
        return code;
    }
    let failed = |diags: &Diagnostics| {
        rep.report(diags);
        eprintln!("build failed; {} left as it was", out.display());
        1
    };
    let (site, diags) = match checked(root, drafts, strict) {
        Ok(x) => x,
        Err(diags) => return failed(&diags),
    };
    rep.report(&diags);
    let files = match publish_site_marked(&site, &out) {
        Ok(n) => n,
        Err(WriteError::Diags(d)) => return failed(&d),
        Err(WriteError::Io(e)) => {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::error(
                "io",
                Span::file(out.display().to_string()),
                format!("cannot write the site: {e}"),
            ));
            rep.report(&d);
            return 1;
        }
    };
    if std::env::var_os("SITEGEN_TIMINGS").is_some() {
        let nanos = crate::check::cite::CHECK_NANOS.load(std::sync::atomic::Ordering::Relaxed);
        eprintln!(
            "timings: checking citations, shortcodes and prose figures took {:.1} ms of CPU time ({} citations)",
            nanos as f64 / 1e6,
            site.pages.iter().map(|p| p.cites.len()).sum::<usize>()
        );
        let load = |a: &std::sync::atomic::AtomicU64| {
            a.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6
        };
        use crate::render::cards;
        eprintln!(
            "timings: {} social cards drawn (the rest from the cache) in {:.1} ms of CPU time: {:.1} ms typesetting, {:.1} ms rasterising, {:.1} ms PNG encoding; {:.1} ms storing them in the cache, {:.1} ms looking cards up",
            cards::DRAWN.load(std::sync::atomic::Ordering::Relaxed),
            load(&cards::DRAW_NANOS),
            load(&cards::TYPESET_NANOS),
            load(&cards::RASTER_NANOS),
            load(&cards::ENCODE_NANOS),
            load(&cards::STORE_NANOS),
            load(&cards::LOOKUP_NANOS)
        );
    }
    eprintln!(
        "built {} articles ({} files) into {} in {} ms",
        site.pages.len(),
        files,
        out.display(),
        start.elapsed().as_millis()
    );
    // The process ends here: freeing the model page by page would only cost time.
    std::mem::forget(site);
    0
}
