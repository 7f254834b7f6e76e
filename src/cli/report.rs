//! How a run's problems are printed: human lines on stderr, JSON Lines on stdout, and
//! GitHub Actions annotations when running there.

use crate::diagnostics::Diagnostics;
use std::path::{Path, PathBuf};

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `LEVEL[CODE]: PATH:LINE:COL: message` lines on stderr.
    #[default]
    Human,
    /// One JSON object per diagnostic on stdout (JSON Lines), for editors and scripts.
    Json,
}

/// Where and how a run's problems are reported.
#[derive(Clone, Debug, Default)]
pub struct Reporter {
    /// Human lines or JSON objects.
    pub format: Format,
    /// Also print GitHub Actions workflow commands (when `GITHUB_ACTIONS=true`).
    pub github: bool,
    /// The site root as given, prefixed to paths in annotations so GitHub finds the files.
    pub root: PathBuf,
}

impl Reporter {
    /// A reporter in `format`, with annotations when running under GitHub Actions.
    pub fn new(format: Format, root: &Path) -> Self {
        Reporter {
            format,
            github: std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"),
            root: root.to_path_buf(),
        }
    }

    /// A path as GitHub sees it: relative to the repository root (the working directory).
    fn repo_path(&self, path: &str) -> String {
        let joined = self.root.join(path);
        let s = joined.to_string_lossy().replace('\\', "/");
        s.strip_prefix("./").unwrap_or(&s).to_string()
    }

    /// Prints every problem (sorted) and, in human form, the count line.
    pub fn report(&self, diags: &Diagnostics) {
        use std::io::Write;
        let sorted = diags.sorted();
        let mut out = std::io::stdout().lock();
        let mut err = std::io::stderr().lock();
        for d in &sorted {
            match self.format {
                Format::Human => {
                    let _ = writeln!(err, "{d}");
                }
                Format::Json => {
                    let _ = writeln!(out, "{}", d.to_json());
                }
            }
            if self.github {
                let _ = writeln!(out, "{}", d.to_github(&self.repo_path(&d.span.path)));
            }
        }
        if !sorted.is_empty() {
            let _ = writeln!(err, "{}", diags.summary());
        }
    }
}

/// Prints every problem (sorted) and the count line to stderr, in human form.
pub fn report(diags: &Diagnostics) {
    Reporter::default().report(diags);
}
