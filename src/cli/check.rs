//! `sitegen check`.

use super::{checked, ExitCode, Reporter};
use std::path::Path;

/// `sitegen check`: every check, and every page rendered in memory as `build` would, nothing written.
pub fn check(root: &Path, drafts: bool, strict: bool, rep: &Reporter) -> ExitCode {
    match checked(root, drafts, strict) {
        Ok((site, mut diags)) => {
            // `build` minus writing: every page and extra rendered, nothing kept.
            let started = std::time::Instant::now();
            if let Err(d) = crate::publish::render_in_memory(&site) {
                diags.extend(d);
                rep.report(&diags);
                return 1;
            }
            if std::env::var_os("SITEGEN_TIMINGS").is_some() {
                eprintln!(
                    "timings: rendering every page in memory took {} ms",
                    started.elapsed().as_millis()
                );
            }
            rep.report(&diags);
            eprintln!(
                "checked {} articles, {} citations, {} dataset figures: ok",
                site.pages.len(),
                site.pages.iter().map(|p| p.cites.len()).sum::<usize>(),
                site.dataset.figures.len()
            );
            0
        }
        Err(diags) => {
            rep.report(&diags);
            1
        }
    }
}
