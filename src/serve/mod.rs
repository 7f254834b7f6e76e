//! `sitegen serve`: the live preview an author keeps open while writing.
//!
//! It builds the site into memory, serves it over HTTP on loopback, watches the inputs and,
//! on every save, rebuilds what depends on the change, then tells the open pages over
//! Server-Sent Events to reload (keeping their scroll position) or to swap a stylesheet. A
//! save that does not build leaves the last good site served and puts its problems in an
//! overlay on every open page, and in the terminal.
//!
//! - [`engine`]: the kept state and the incremental rebuilds.
//! - [`watch`]: file events into batches of changes.
//! - [`http`]: the HTTP server (hyper on tokio) and whom it answers.
//! - [`live`]: the served snapshot, the injected script and the events it listens to.

pub mod engine;
pub mod http;
pub mod live;
pub mod watch;

use crate::cli::{self, ExitCode};
use engine::{Changes, Engine};
use live::{Shared, Snapshot};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The options of `sitegen serve`.
#[derive(Clone, Debug)]
pub struct Options {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on (loopback by default).
    pub bind: IpAddr,
    /// The port; 0 picks a free one (the terminal says which).
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Include articles with `draft: true`.
    pub drafts: bool,
    /// How problems are printed in the terminal (`--format`).
    pub reporter: cli::Reporter,
}

/// Runs the dev server until Ctrl-C (exit 0). A port in use or a root that is not a folder
/// is exit 2, as a usage error is: the fix is on the command line.
pub fn run(opts: &Options) -> ExitCode {
    let root = match opts.root.canonicalize() {
        Ok(r) if r.is_dir() => r,
        _ => {
            eprintln!(
                "error: the site root {} is not a folder",
                opts.root.display()
            );
            return 2;
        }
    };
    let listener = match TcpListener::bind(SocketAddr::new(opts.bind, opts.port)) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "error: port {} on {} is in use; try --port {}",
                opts.port,
                opts.bind,
                opts.port.checked_add(1).unwrap_or(1111)
            );
            return 2;
        }
        Err(e) => {
            eprintln!(
                "error: cannot listen on {}: {e}",
                SocketAddr::new(opts.bind, opts.port)
            );
            return 2;
        }
    };
    let addr = listener
        .local_addr()
        .unwrap_or(SocketAddr::new(opts.bind, opts.port));
    // Watch before the first build, so that a save during it is not lost.
    let mut watcher = match watch::Watcher::new(&root) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot watch {}: {e}", root.display());
            return 1;
        }
    };
    let start = Instant::now();
    let mut engine = Engine::new(&root, opts.drafts);
    let diags = engine.diagnostics();
    let failed = diags.failed(false);
    opts.reporter.report(&diags);
    let base = engine
        .site()
        .map(|s| s.base_path().to_string())
        .unwrap_or_default();
    let version = u64::from(!failed);
    let snapshot = Snapshot {
        version,
        files: if failed {
            Default::default()
        } else {
            engine.files()
        },
        base_path: base.clone(),
    };
    let run = live::new_run();
    let status = live::status_event(&root, run, version, failed, &diags);
    let shared = Arc::new(Shared::new(run, snapshot, status));
    let url = format!("http://{addr}{base}/");
    if failed {
        eprintln!(
            "the site does not build yet; the browser shows why, and the site once it builds"
        );
    } else if let Some(site) = engine.site() {
        eprintln!(
            "built {} articles in {} ms",
            site.pages.len(),
            start.elapsed().as_millis()
        );
    }
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines can reach this preview",
            addr.ip()
        );
    }
    let server = match http::Server::new(listener, Arc::clone(&shared)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot start the HTTP server: {e}");
            return 1;
        }
    };
    if let Err(e) = std::thread::Builder::new()
        .name("sitegen-http".into())
        .spawn(move || server.run())
    {
        eprintln!("error: cannot start the HTTP server: {e}");
        return 1;
    }
    eprintln!("serving {url} (Ctrl-C to stop)");
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    }) {
        eprintln!("warning: cannot catch Ctrl-C ({e}); stop the server with a signal");
    }
    let loop_shared = Arc::clone(&shared);
    let loop_root = root.clone();
    let reporter = opts.reporter.clone();
    let _ = std::thread::Builder::new()
        .name("sitegen-rebuild".into())
        .spawn(move || {
            let mut last: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
            let mut pending_full = false;
            while let Some(mut ch) = watcher.next_batch() {
                // After a bug made a rebuild panic, the kept state may be half-updated: start over.
                ch.full |= std::mem::take(&mut pending_full);
                let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    rebuild(&loop_root, &mut engine, &ch, &loop_shared, &reporter, &mut last)
                }));
                if run.is_err() {
                    eprintln!("error: sitegen hit a bug while rebuilding (above); the next save rebuilds everything");
                    pending_full = true;
                }
            }
            eprintln!("warning: the file watcher stopped; saves are no longer picked up");
        });
    if opts.open {
        open_browser(&url);
    }
    // Every other thread only reads the files or serves the snapshot: nothing to flush.
    let _ = stop_rx.recv();
    eprintln!("stopped");
    0
}

/// One rebuild: apply the changes, publish the files if the site builds, tell the pages.
fn rebuild(
    root: &Path,
    engine: &mut Engine,
    ch: &Changes,
    shared: &Shared,
    reporter: &cli::Reporter,
    last: &mut Vec<String>,
) {
    let start = Instant::now();
    let work = engine.apply(ch);
    if !work.full && ch.articles.is_empty() && !ch.data && !ch.templates && ch.assets.is_empty() {
        // Only an editor's temp file came and went.
        return;
    }
    let diags = engine.diagnostics();
    let failed = diags.failed(false);
    let lines: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    // Errors every time (that is what the author is fixing); warnings when they changed.
    if failed || lines != *last {
        reporter.report(&diags);
    }
    *last = lines;
    let old = shared.snapshot();
    let mut version = old.version;
    let what = ch.describe();
    let how = if work.full {
        "full rebuild".to_string()
    } else {
        format!("{} checked, {} rendered", work.checked, work.rendered)
    };
    if failed {
        eprintln!(
            "rebuild of {what} failed ({how}, {} ms); still serving the last good site",
            start.elapsed().as_millis()
        );
    } else {
        let base = engine
            .site()
            .map(|s| s.base_path().to_string())
            .unwrap_or_default();
        let files = engine.files();
        let diff = diff(&old, &files, &base);
        let all = diff.other || base != old.base_path || old.version == 0;
        if all || !diff.pages.is_empty() || !diff.css.is_empty() {
            version += 1;
            shared.publish(Snapshot {
                version,
                files,
                base_path: base,
            });
            shared.send_reload(
                version,
                live::reload_event(version, &diff.pages, &diff.css, all),
            );
        }
        eprintln!(
            "rebuilt {what} ({how}) in {} ms",
            start.elapsed().as_millis()
        );
    }
    // After the reload event: a page that just reloaded must not see a newer version here.
    shared.set_status(live::status_event(
        root,
        shared.run(),
        version,
        failed,
        &diags,
    ));
}

/// Which served URLs changed between two builds.
#[derive(Debug, Default, PartialEq, Eq)]
struct Diff {
    /// HTML pages, as the URL paths the browser shows (`/spark/`).
    pages: Vec<String>,
    /// Stylesheets, as URL paths.
    css: Vec<String>,
    /// Something any page may use (an image, a script, a font).
    other: bool,
}

fn diff(old: &Snapshot, new: &std::collections::HashMap<String, Arc<[u8]>>, base: &str) -> Diff {
    let mut d = Diff::default();
    let mut note = |path: &str| {
        if path.ends_with(".html") {
            let url = path.strip_suffix("index.html").unwrap_or(path);
            d.pages.push(format!("{base}/{url}"));
        } else if path.ends_with(".css") {
            d.css.push(format!("{base}/{path}"));
        } else if !(path.ends_with(".xml") || path.ends_with(".txt")) {
            // Feeds, the sitemap and robots.txt are not shown by any page.
            d.other = true;
        }
    };
    for (path, bytes) in new {
        let same = old
            .files
            .get(path)
            .is_some_and(|o| Arc::ptr_eq(o, bytes) || o[..] == bytes[..]);
        if !same {
            note(path);
        }
    }
    for path in old.files.keys() {
        if !new.contains_key(path) {
            note(path);
        }
    }
    d.pages.sort();
    d.css.sort();
    d
}

/// Opens the URL in the default browser; a failure is only a note.
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        // Reap it when it ends, so that no zombie is left.
        Ok(mut child) => {
            let _ = std::thread::Builder::new().spawn(move || child.wait());
        }
        Err(e) => eprintln!("note: cannot open a browser ({cmd}: {e}); open {url} yourself"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_changed_urls() {
        let a: Arc<[u8]> = Arc::from(&b"a"[..]);
        let b: Arc<[u8]> = Arc::from(&b"b"[..]);
        let old = Snapshot {
            version: 1,
            files: [
                ("index.html".to_string(), a.clone()),
                ("x/index.html".to_string(), a.clone()),
                ("style.css".to_string(), a.clone()),
                ("atom.xml".to_string(), a.clone()),
            ]
            .into(),
            base_path: String::new(),
        };
        let new = [
            ("index.html".to_string(), a.clone()),
            ("x/index.html".to_string(), b.clone()),
            ("style.css".to_string(), b.clone()),
            ("atom.xml".to_string(), b.clone()),
        ]
        .into();
        let d = diff(&old, &new, "/guide");
        assert_eq!(d.pages, ["/guide/x/"]);
        assert_eq!(d.css, ["/guide/style.css"]);
        assert!(!d.other);
        let with_image = [("a.png".to_string(), a)].into();
        assert!(diff(&old, &with_image, "").other);
    }
}
