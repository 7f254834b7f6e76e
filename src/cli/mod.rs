//! The commands behind the CLI, one file each: each runs load → check → render →
//! publish through the lower stages and reports what it found ([`report`](mod@report)).
//!
//! Takes the parsed command line (from `main.rs`); hands on an exit code: 0 ok,
//! 1 content or data errors, 2 usage.

mod build;
mod check;
mod cites;
mod fix;
mod init;
mod lsp;
mod new;
mod pdf;
pub mod report;

pub use build::build;
pub use check::check;
pub use cites::cites;
pub use fix::{fix, plan_fixes, write_fixed, Edit, FileFix, FixOptions, Plan};
pub use init::{init, starter_files};
pub use lsp::lsp;
pub use new::new_article;
pub use pdf::pdf;
pub use report::{report, Format, Reporter};

use crate::check::site::Site;
use crate::check::{check_site, CheckOptions};
use crate::diagnostics::Diagnostics;
use std::path::Path;

/// How a command ended, as the process exit code.
pub type ExitCode = i32;

/// Refuses (exit 2, nothing touched) an output folder whose replacement would destroy the
/// author's files; see [`crate::publish::guard_output`].
fn guard_output(root: &Path, out: &Path, force: bool, rep: &Reporter) -> Result<(), ExitCode> {
    use crate::diagnostics::{Diagnostic, Span};
    crate::publish::guard_output(root, out, force).map_err(|r| {
        let msg = match r {
            crate::publish::Refusal::Protected(m) | crate::publish::Refusal::Foreign(m) => m,
        };
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error(
            "output",
            Span::file(out.display().to_string()),
            msg,
        ));
        rep.report(&d);
        2
    })
}

/// Checks the site; returns the model when the check passed (warnings allowed unless strict).
pub fn checked(
    root: &Path,
    drafts: bool,
    strict: bool,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let (site, mut diags) = check_site(root, CheckOptions { drafts });
    if strict {
        diags.make_strict();
    }
    match site {
        Some(site) if !diags.failed(strict) => Ok((site, diags)),
        _ => Err(diags),
    }
}
