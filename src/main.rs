//! The `sitegen` command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// mimalloc: a build makes millions of small strings on two threads at once; glibc's malloc
/// cost 8% more CPU time (10,000 articles: 10.5 s against 9.65 s of user time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (`mi_option_purge_delay` in mimalloc 3's `mimalloc.h`;
/// libmimalloc-sys names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc never to hand freed memory back to the kernel (`MIMALLOC_PURGE_DELAY=-1`),
/// for a `build`, which ends soon after its peak: purged pages were zeroed again by the
/// kernel when reused (10,000 articles: ~3,000 to 8,000 page faults against ~1,500, and
/// 0.3 to 1 s less system time). On Linux it also turns transparent huge pages off for
/// the process, as `MIMALLOC_ALLOW_THP=0` does: mimalloc asks for them, and the kernel
/// zeroes a huge page whole, 2 MiB at a fault, most of it never used. The long-running
/// `serve` keeps the defaults.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores a value in mimalloc's option table.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; a kernel without it
    // returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// A static-site generator for a buyer's guide: every figure cited from one dataset.
#[derive(Parser)]
#[command(name = "sitegen", version, about)]
struct Cli {
    /// How problems are printed: `human` lines on stderr, or `json` objects on stdout.
    #[arg(long, global = true, value_enum, default_value = "human")]
    format: sitegen::cli::Format,
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
        /// Replace an --out folder that holds files sitegen did not write (never the site itself).
        #[arg(long)]
        force: bool,
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
    /// Apply every fix `check` suggests, in place: drifting literals rewritten to agree
    /// (keeping the author's unit and precision), citations wrapped in `<…>`.
    ///
    /// Prints a unified diff on stdout and what is left on stderr. Never touches code,
    /// raw HTML or front matter; refuses a file that changed on disk while it ran. Exit 0
    /// when every fix was applied and no error is left, 1 otherwise.
    Fix {
        /// The site root (default: the current directory).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print the diff, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Also wrap an uncited figure in a citation when exactly one dataset figure agrees.
        #[arg(long)]
        uncited: bool,
        /// Include articles with `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Run every check, then compile the gated PDF of each `pdf: true` article (or the slugs named).
    ///
    /// Typst runs in-process and offline with the fonts built into sitegen; the same inputs
    /// give the same bytes. PDFs go to gated/, never into public/.
    Pdf {
        /// The site root (default: the current directory).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the PDFs (default: ROOT/gated).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only these articles, by slug (default: every article with `pdf: true`).
        slugs: Vec<String>,
        /// Also write each article's Typst project (main.typ, template.typ, body.typ) to OUT/SLUG.typst/.
        #[arg(long)]
        emit_typst: bool,
        /// Write into an --out folder that holds files sitegen did not write (never the site itself).
        #[arg(long)]
        force: bool,
    },
    /// List every place that prints a figure at or below a dataset key.
    Cites {
        /// A figure key or a prefix of keys, e.g. `devices.dgx_spark`.
        key: Option<String>,
        /// List the dataset figures that no article prints instead.
        #[arg(long, conflicts_with = "key")]
        unused: bool,
        /// The site root (default: the current directory).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a starter site (sitegen.toml, an article, a dataset with a table, a decision
    /// tree and a receipt) that checks strictly and builds; never overwrites.
    Init {
        /// The folder to create the site in (default: the current directory).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also write the built-in templates, templates/pdf.typ and assets/style.css to edit.
        #[arg(long)]
        templates: bool,
    },
    /// Create a new draft article from a title; never overwrites.
    New {
        /// The article's title; the file name and slug are made from it.
        title: String,
        /// A folder below content/ to put it in.
        #[arg(long)]
        dir: Option<String>,
        /// The site root (default: the current directory).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Run the language server on stdin/stdout for an editor: diagnostics as you type,
    /// completion of citation keys and shortcodes, hover, definition, references.
    ///
    /// The site is the editor's workspace folder (or the nearest folder above it holding
    /// sitegen.toml). See the README for VS Code, Neovim and Helix.
    Lsp,
    /// Build into memory, serve on loopback, rebuild on every save and reload the open browser.
    ///
    /// Watches content/, data/, templates/, assets/ and sitegen.toml. A save that does not
    /// build keeps the last good site served and shows its problems over every open page and
    /// here. Ctrl-C stops it (exit 0); a port in use is exit 2.
    Serve {
        /// The site root (default: the current directory).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; anything but loopback exposes the preview to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port to listen on (0: any free port, printed at start).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include articles with `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() {
    let cli = Cli::parse();
    let rep = |root: &std::path::Path| sitegen::cli::Reporter::new(cli.format, root);
    let code = match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            strict,
            force,
        } => {
            keep_freed_memory();
            sitegen::cli::build(&root, out, drafts, strict, force, &rep(&root))
        }
        Command::Check {
            root,
            drafts,
            strict,
        } => sitegen::cli::check(&root, drafts, strict, &rep(&root)),
        Command::Fix {
            root,
            dry_run,
            uncited,
            drafts,
        } => {
            if cli.format == sitegen::cli::Format::Json {
                eprintln!("error: `fix` prints a diff on stdout; --format json is for check, build and the other commands");
                2
            } else {
                // Annotations would go to stdout, into the diff.
                let rep = sitegen::cli::Reporter {
                    github: false,
                    ..rep(&root)
                };
                let opts = sitegen::cli::FixOptions {
                    drafts,
                    dry_run,
                    uncited,
                };
                sitegen::cli::fix(&root, opts, &rep)
            }
        }
        Command::Pdf {
            root,
            out,
            slugs,
            emit_typst,
            force,
        } => sitegen::cli::pdf(&root, out, &slugs, emit_typst, force, &rep(&root)),
        Command::Cites { key, unused, root } => {
            if key.is_none() && !unused {
                eprintln!("error: give a key (e.g. `sitegen cites devices.dgx_spark`) or --unused");
                2
            } else {
                sitegen::cli::cites(&root, key.as_deref(), unused, &rep(&root))
            }
        }
        Command::Init { dir, templates } => sitegen::cli::init(&dir, templates),
        Command::New { title, dir, root } => {
            sitegen::cli::new_article(&root, &title, dir.as_deref())
        }
        Command::Lsp => sitegen::cli::lsp(),
        Command::Serve {
            root,
            bind,
            port,
            open,
            drafts,
        } => sitegen::serve::run(&sitegen::serve::Options {
            reporter: rep(&root),
            root,
            bind,
            port,
            open,
            drafts,
        }),
    };
    std::process::exit(code);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // mimalloc 3's default purge delay (1,000 ms), which no neighbouring option has.
        // SAFETY: mi_option_get only reads mimalloc's option table.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            1000
        );
        keep_freed_memory();
        // SAFETY: as above.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            -1
        );
        // SAFETY: PR_GET_THP_DISABLE only reads the process's flag.
        #[cfg(target_os = "linux")]
        assert_eq!(
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
            1
        );
    }
}
