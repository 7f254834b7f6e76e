//! The `sitegen` command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// A static-site generator for a buyer's guide: every figure cited from one dataset.
#[derive(Parser)]
#[command(name = "sitegen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check everything, then write the site; a failed build leaves the previous output untouched.
    Build {
        /// The site root (default: the current directory).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include articles with `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Turn every warning into an error.
        #[arg(long)]
        strict: bool,
    },
    /// Run every check of `build`, write nothing.
    Check {
        /// The site root (default: the current directory).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include articles with `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Turn every warning into an error.
        #[arg(long)]
        strict: bool,
    },
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            strict,
        } => sitegen::commands::build(&root, out, drafts, strict),
        Command::Check {
            root,
            drafts,
            strict,
        } => sitegen::commands::check(&root, drafts, strict),
    };
    std::process::exit(code);
}
