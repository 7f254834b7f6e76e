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
use live::{Files, Shared, Snapshot};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
            let mut r = Rebuilds {
                root: loop_root,
                shared: loop_shared,
                reporter,
                last: diags.sorted().iter().map(|d| d.to_string()).collect(),
                run: None,
            };
            let mut pending_full = false;
            loop {
                // While work is left, a save is picked up between rounds of it.
                let batch = if engine.pending() > 0 {
                    watcher.poll_batch()
                } else {
                    watcher.next_batch().map(Some).ok_or(watch::Stopped)
                };
                let Ok(batch) = batch else { break };
                let step = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    if let Some(mut ch) = batch {
                        // After a bug made a rebuild panic, the kept state may be half-updated: start over.
                        ch.full |= std::mem::take(&mut pending_full);
                        r.begin(&mut engine, &ch);
                    }
                    if engine.pending() > 0 {
                        let shared = &r.shared;
                        let t = Instant::now();
                        let first = !engine.in_round();
                        engine.work(
                            Some(ROUND),
                            &|| shared.take_wanted(),
                            &|out, bytes| shared.rendered(out, bytes),
                        );
                        if first && timings() {
                            eprintln!("timings: first round of left work {:.1} ms", ms(t.elapsed()));
                        }
                        if engine.pending() == 0 {
                            r.end(&mut engine);
                        }
                    }
                }));
                if step.is_err() {
                    eprintln!("error: sitegen hit a bug while rebuilding (above); the next save rebuilds everything");
                    pending_full = true;
                    r.run = None;
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

/// How long one round of left work runs before the watcher is asked for new saves.
const ROUND: Duration = Duration::from_millis(25);

/// More changed pages than this reload every open page rather than each be named.
const MAX_NAMED_PAGES: usize = 256;

/// The rebuild loop's state between saves.
struct Rebuilds {
    root: PathBuf,
    shared: Arc<Shared>,
    reporter: cli::Reporter,
    /// The problems last printed, one line each.
    last: Vec<String>,
    /// The rebuild whose work is not done yet.
    run: Option<Run>,
}

/// A rebuild whose left work is being done, page by page, the requested ones first.
struct Run {
    start: Instant,
    /// What was saved, for the terminal.
    what: String,
    /// How much the first step did, for the terminal.
    how: String,
    /// The site served before it, served again if it fails.
    last_good: Arc<Snapshot>,
    /// Whether a snapshot with stale files was published (the pages were told to reload).
    published: bool,
}

impl Rebuilds {
    /// Applies a batch of changes: checks and renders what is quick, then either publishes
    /// the site at once, or publishes it with the files still to render marked stale (a
    /// request for one waits for it) and tells the pages to reload.
    fn begin(&mut self, engine: &mut Engine, ch: &Changes) {
        let start = Instant::now();
        let work = engine.begin(ch);
        if !work.full
            && ch.articles.is_empty()
            && !ch.data
            && !ch.templates
            && ch.assets.is_empty()
            && self.run.is_none()
        {
            // Only an editor's temp file came and went.
            return;
        }
        let what = ch.describe();
        let how = if work.full {
            "full rebuild".to_string()
        } else {
            format!("{} checked, {} rendered", work.checked, work.rendered)
        };
        let run = self.run.get_or_insert_with(|| Run {
            start,
            what: String::new(),
            how: String::new(),
            last_good: self.shared.snapshot(),
            published: false,
        });
        if run.what.is_empty() {
            run.what = what;
            run.how = how;
        } else {
            // Saves during background work: each input named once.
            for part in what.split(", ") {
                if !run.what.split(", ").any(|w| w == part) {
                    run.what = format!("{}, {part}", run.what);
                }
            }
        }
        if engine.pending() == 0 {
            self.end(engine);
            return;
        }
        if engine.diagnostics().failed(false) {
            // It fails already: nothing new is served; the problems show once all is done.
            return;
        }
        let checked = start.elapsed();
        let base = site_base(engine);
        let files = engine.files();
        let stale = engine.pending_outputs();
        let collected = start.elapsed();
        let old = self.shared.snapshot();
        let mut d = self
            .shared
            .with_served(|old, fresh| diff(old, fresh, &files, &base, &|p| engine.is_card(p)));
        // Past MAX_NAMED_PAGES every page reloads: more stale pages than that need no names.
        let stale_pages = stale.iter().filter(|p| p.ends_with(".html"));
        let mut many = stale_pages.clone().count() > MAX_NAMED_PAGES;
        if !many {
            d.pages.extend(stale_pages.map(|p| page_url(&base, p)));
            d.pages.sort();
            d.pages.dedup();
            many = d.pages.len() > MAX_NAMED_PAGES;
        }
        let all = d.other || base != old.base_path || old.version == 0 || many;
        let version = old.version + 1;
        self.shared.publish_stale(
            Snapshot {
                version,
                files,
                base_path: base,
            },
            stale,
        );
        let pages = if all { Vec::new() } else { d.pages };
        self.shared
            .send_reload(version, live::reload_event(version, &pages, &d.css, all));
        run.published = true;
        if timings() {
            eprintln!(
                "timings: begin {:.1} ms (check and render now {:.1}, collect files {:.1}, diff and publish {:.1})",
                ms(start.elapsed()),
                ms(checked),
                ms(collected - checked),
                ms(start.elapsed() - collected)
            );
        }
        eprintln!(
            "rebuilding {} ({}, {} ms): {} more files, rendered as they are asked for",
            run.what,
            run.how,
            start.elapsed().as_millis(),
            engine.pending()
        );
    }

    /// Once no work is left: reports the problems, publishes the site if it builds (or the
    /// last good one again if pages of this rebuild were served), tells the pages.
    fn end(&mut self, engine: &mut Engine) {
        let Some(run) = self.run.take() else {
            return;
        };
        let diags = engine.diagnostics();
        let failed = diags.failed(false);
        let lines: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        // Errors every time (that is what the author is fixing); warnings when they changed.
        if failed || lines != self.last {
            self.reporter.report(&diags);
        }
        self.last = lines;
        let shared = &self.shared;
        let old = shared.snapshot();
        let mut version = old.version;
        let ms = run.start.elapsed().as_millis();
        if failed {
            if run.published {
                // Pages of the failed rebuild were served: back to the last good site.
                version += 1;
                shared.publish(Snapshot {
                    version,
                    files: run.last_good.files.clone(),
                    base_path: run.last_good.base_path.clone(),
                });
                shared.send_reload(version, live::reload_event(version, &[], &[], true));
            }
            eprintln!(
                "rebuild of {} failed ({}, {ms} ms); still serving the last good site",
                run.what, run.how
            );
        } else {
            let base = site_base(engine);
            let files = engine.files();
            let d = shared
                .with_served(|old, fresh| diff(old, fresh, &files, &base, &|p| engine.is_card(p)));
            let all = d.other || base != old.base_path || old.version == 0;
            if all || !d.pages.is_empty() || !d.css.is_empty() {
                version += 1;
                shared.publish(Snapshot {
                    version,
                    files,
                    base_path: base,
                });
                let all = all || d.pages.len() > MAX_NAMED_PAGES;
                let pages = if all { Vec::new() } else { d.pages };
                shared.send_reload(version, live::reload_event(version, &pages, &d.css, all));
            } else {
                // What was served while the work went on is the site: the same version.
                shared.publish(Snapshot {
                    version,
                    files,
                    base_path: base,
                });
            }
            eprintln!("rebuilt {} ({}) in {ms} ms", run.what, run.how);
        }
        // After the reload event: a page that just reloaded must not see a newer version here.
        shared.set_status(live::status_event(
            &self.root,
            shared.run(),
            version,
            failed,
            &diags,
        ));
    }
}

/// Whether `SITEGEN_TIMINGS` asks for the time each step of a rebuild took.
fn timings() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SITEGEN_TIMINGS").is_some())
}

/// A duration in milliseconds.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The path prefix of the site's base URL.
fn site_base(engine: &Engine) -> String {
    engine
        .site()
        .map(|s| s.base_path().to_string())
        .unwrap_or_default()
}

/// The URL path the browser shows for an HTML output path (`/guide/spark/`).
fn page_url(base: &str, path: &str) -> String {
    let url = path.strip_suffix("index.html").unwrap_or(path);
    format!("{base}/{url}")
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

/// What changed between the files served (`old`, with `fresh` over it) and a build's;
/// `is_card` tells the social cards, images no page shows.
fn diff(
    old: &Files,
    fresh: &Files,
    new: &Files,
    base: &str,
    is_card: &dyn Fn(&str) -> bool,
) -> Diff {
    let mut d = Diff::default();
    if std::ptr::eq(old, new) && fresh.is_empty() {
        // The map served is the build's (a save that left every page to the background).
        return d;
    }
    let mut note = |path: &str| {
        if path.ends_with(".html") {
            d.pages.push(page_url(base, path));
        } else if path.ends_with(".css") {
            d.css.push(format!("{base}/{path}"));
        } else if !(path.ends_with(".xml") || path.ends_with(".txt") || is_card(path)) {
            // Feeds, the sitemap, robots.txt and social cards are not shown by any page.
            d.other = true;
        }
    };
    for (path, bytes) in new {
        let same = fresh
            .get(path)
            .or_else(|| old.get(path))
            .is_some_and(|o| Arc::ptr_eq(o, bytes) || o[..] == bytes[..]);
        if !same {
            note(path);
        }
    }
    for path in old.keys().chain(fresh.keys()) {
        if !new.contains_key(path) {
            note(path);
        }
    }
    d.pages.sort();
    d.pages.dedup();
    d.css.sort();
    d.css.dedup();
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
        let old: Files = [
            ("index.html".to_string(), a.clone()),
            ("x/index.html".to_string(), a.clone()),
            ("x/card.png".to_string(), a.clone()),
            ("style.css".to_string(), a.clone()),
            ("atom.xml".to_string(), a.clone()),
        ]
        .into_iter()
        .collect();
        let new: Files = [
            ("index.html".to_string(), a.clone()),
            ("x/index.html".to_string(), b.clone()),
            ("x/card.png".to_string(), b.clone()),
            ("style.css".to_string(), b.clone()),
            ("atom.xml".to_string(), b.clone()),
        ]
        .into_iter()
        .collect();
        let none = Files::default();
        let cards = |p: &str| p == "x/card.png";
        assert_eq!(diff(&old, &none, &old, "/guide", &cards), Diff::default());
        let fresh_x: Files = [("x/index.html".to_string(), b.clone())]
            .into_iter()
            .collect();
        // The same map, but a stale page rendered since differs from it.
        assert_eq!(
            diff(&old, &fresh_x, &old, "/guide", &cards).pages,
            ["/guide/x/"]
        );
        let d = diff(&old, &none, &new, "/guide", &cards);
        assert_eq!(d.pages, ["/guide/x/"]);
        assert_eq!(d.css, ["/guide/style.css"]);
        assert!(!d.other, "a social card is shown by no page");
        assert!(diff(&old, &none, &new, "/guide", &|_| false).other);
        let with_image: Files = [("a.png".to_string(), a.clone())].into_iter().collect();
        assert!(diff(&old, &none, &with_image, "", &cards).other);
        // A stale page rendered since is compared as served.
        let fresh: Files = [("x/index.html".to_string(), b.clone())]
            .into_iter()
            .collect();
        assert!(diff(&old, &fresh, &new, "/guide", &cards).pages.is_empty());
    }
}
