//! `sitegen check`.

use super::{checked, ExitCode, Reporter};
use std::path::Path;

/// `sitegen check`: every check, nothing written.
pub fn check(root: &Path, drafts: bool, strict: bool, rep: &Reporter) -> ExitCode {
    match checked(root, drafts, strict) {
        Ok((site, diags)) => {
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
