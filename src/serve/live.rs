//! What the open browser sees of the dev server: the served snapshot, the live-reload script
//! injected into served HTML (never into `sitegen build` output), the event stream's hub, and
//! the diagnostics shown in the error overlay.

use crate::diagnostics::{Diagnostic, Diagnostics, Level};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// Output path (`spark/index.html`) → bytes. Hashed with FxHash rather than SipHash: the
/// keys are the site's own output paths, and every save looks up each of them.
pub type Files = HashMap<String, Arc<[u8]>, rustc_hash::FxBuildHasher>;

/// A set of output paths, hashed with FxHash as [`Files`] is.
pub type Paths = HashSet<String, rustc_hash::FxBuildHasher>;

/// The files served: the last good build, kept in memory.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Bumped on every publish; pages carry the version they were served with.
    pub version: u64,
    /// Output path (`spark/index.html`) → bytes, shared with the engine until it changes.
    pub files: Arc<Files>,
    /// The path prefix of `base_url` (`""` or `/guide`), under which the site is mounted.
    pub base_path: String,
}

/// How many reload events are kept for pages that connect after them.
const KEPT: usize = 64;

/// Where a page's event stream picks up: the run and the version the page was served with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Since {
    /// The run id of the server process that served the page.
    pub run: u64,
    /// The snapshot version the page was served with.
    pub version: u64,
}

/// Files of the snapshot that a change made stale and that are being rendered again, most
/// asked-for first: a request for one waits for its new bytes rather than get the old ones.
#[derive(Debug, Default)]
struct Stale {
    /// Output paths whose bytes in the snapshot are older than the site.
    paths: Paths,
    /// New bytes of some of them, rendered since the snapshot was published.
    fresh: Files,
    /// Stale paths requests wait for, oldest first, not yet handed to the renderer.
    wanted: Vec<String>,
}

/// What the server has for an output path now.
#[derive(Debug)]
pub enum Lookup {
    /// The file as it is now (None: the site has no such file).
    Ready(Option<Arc<[u8]>>),
    /// It is being rendered again: wait for [`Shared::renders`] and ask again.
    Stale,
}

/// State shared by the HTTP threads and the rebuild loop.
pub struct Shared {
    /// This server process's id, so that a page served by an earlier process knows it is stale
    /// even when the version numbers (which start again at 1) agree.
    run: u64,
    snapshot: RwLock<Arc<Snapshot>>,
    status: Mutex<Arc<str>>,
    /// One channel per open event stream; sending never blocks the rebuild loop.
    clients: Mutex<Vec<UnboundedSender<Arc<str>>>>,
    /// The last [`KEPT`] reload events with their versions, oldest first.
    kept: Mutex<VecDeque<(u64, Arc<str>)>>,
    /// Files being rendered again; the snapshot is replaced under this lock too.
    stale: Mutex<Stale>,
    /// Bumped whenever a stale file was rendered or a snapshot published.
    renders: tokio::sync::watch::Sender<u64>,
}

/// A lock's guard even after a thread panicked while holding it: the data are whole Arcs.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A run id for this process, from the clock and the pid; under 2^53 so that the page's
/// JavaScript reads it exactly.
pub fn new_run() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    (nanos ^ u64::from(std::process::id()).rotate_left(32)) & ((1 << 53) - 1)
}

impl Shared {
    /// A new state for server process `run` serving `snapshot`, with `status` as the current
    /// status event.
    pub fn new(run: u64, snapshot: Snapshot, status: String) -> Shared {
        Shared {
            run,
            snapshot: RwLock::new(Arc::new(snapshot)),
            status: Mutex::new(Arc::from(status)),
            clients: Mutex::new(Vec::new()),
            kept: Mutex::new(VecDeque::with_capacity(KEPT)),
            stale: Mutex::new(Stale::default()),
            renders: tokio::sync::watch::channel(0).0,
        }
    }

    /// This server process's run id, for served pages and status events.
    pub fn run(&self) -> u64 {
        self.run
    }

    /// The snapshot being served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        // A poisoned lock only means a thread panicked while holding it; the Arc inside is whole.
        match self.snapshot.read() {
            Ok(g) => Arc::clone(&g),
            Err(p) => Arc::clone(&p.into_inner()),
        }
    }

    /// Replaces the snapshot being served; every file of it is current.
    pub fn publish(&self, snap: Snapshot) {
        self.publish_stale(snap, Paths::default());
    }

    /// Replaces the snapshot being served, whose files at `stale` (output paths) are being
    /// rendered again: requests for them wait for [`Shared::rendered`].
    pub fn publish_stale(&self, snap: Snapshot, stale: Paths) {
        let snap = Arc::new(snap);
        let mut st = lock(&self.stale);
        match self.snapshot.write() {
            Ok(mut g) => *g = snap,
            Err(p) => *p.into_inner() = snap,
        }
        st.wanted.retain(|p| stale.contains(p));
        st.fresh.clear();
        st.paths = stale;
        drop(st);
        self.renders.send_modify(|n| *n += 1);
    }

    /// The file at output path `key` as the site has it now, or Stale while it is being
    /// rendered again.
    pub fn lookup(&self, key: &str) -> Lookup {
        let st = lock(&self.stale);
        if let Some(bytes) = st.fresh.get(key) {
            return Lookup::Ready(Some(Arc::clone(bytes)));
        }
        if st.paths.contains(key) {
            return Lookup::Stale;
        }
        Lookup::Ready(self.snapshot().files.get(key).cloned())
    }

    /// Asks the renderer for the stale file at `key` before the others.
    pub fn want(&self, key: &str) {
        let mut st = lock(&self.stale);
        if st.paths.contains(key)
            && !st.fresh.contains_key(key)
            && !st.wanted.iter().any(|w| w == key)
        {
            st.wanted.push(key.to_string());
        }
    }

    /// The stale files requests wait for, oldest first (each handed out once).
    pub fn take_wanted(&self) -> Vec<String> {
        std::mem::take(&mut lock(&self.stale).wanted)
    }

    /// A stale file was rendered again: requests waiting for it get these bytes.
    pub fn rendered(&self, key: &str, bytes: &Arc<[u8]>) {
        let mut st = lock(&self.stale);
        if !st.paths.contains(key) {
            return;
        }
        st.fresh.insert(key.to_string(), Arc::clone(bytes));
        drop(st);
        self.renders.send_modify(|n| *n += 1);
    }

    /// How many stale files are not rendered yet.
    pub fn pending(&self) -> usize {
        let st = lock(&self.stale);
        st.paths.len().saturating_sub(st.fresh.len())
    }

    /// Calls `f` with the files served now: the snapshot's, and the stale ones rendered
    /// since (which replace theirs).
    pub fn with_served<R>(&self, f: impl FnOnce(&Files, &Files) -> R) -> R {
        let st = lock(&self.stale);
        let snap = self.snapshot();
        f(&snap.files, &st.fresh)
    }

    /// Notifications of rendered files and published snapshots, for requests that wait.
    pub fn renders(&self) -> tokio::sync::watch::Receiver<u64> {
        self.renders.subscribe()
    }

    /// The current status event (JSON), for new event streams.
    pub fn status_json(&self) -> Arc<str> {
        Arc::clone(&lock(&self.status))
    }

    /// The answer of `/__sitegen/status`: the status event with `pending`, how many files
    /// a change left to render (0 once every page is fresh and the status final).
    pub fn status_now(&self) -> String {
        let json = self.status_json();
        match serde_json::from_str::<serde_json::Value>(&json) {
            Ok(serde_json::Value::Object(mut m)) => {
                m.insert("pending".into(), self.pending().into());
                serde_json::Value::Object(m).to_string()
            }
            _ => json.to_string(),
        }
    }

    /// Sets the status and sends it to every open page.
    pub fn set_status(&self, json: String) {
        let json: Arc<str> = Arc::from(json);
        *lock(&self.status) = Arc::clone(&json);
        send_all(&mut lock(&self.clients), json);
    }

    /// Sends a rebuild's reload event (JSON) for snapshot `version`, one more than the last
    /// one's, to every open page and keeps it for pages that connect later.
    pub fn send_reload(&self, version: u64, json: String) {
        let json: Arc<str> = Arc::from(json);
        // Kept under the clients lock: a page subscribes either before (and is sent it) or
        // after (and finds it kept).
        let mut clients = lock(&self.clients);
        let mut kept = lock(&self.kept);
        if kept.len() == KEPT {
            kept.pop_front();
        }
        kept.push_back((version, Arc::clone(&json)));
        drop(kept);
        send_all(&mut clients, json);
    }

    /// Registers an event stream: its receiver and the events to send first. Those are the
    /// reload events a page served at `since` missed, when they are all still kept (so that
    /// it can swap a stylesheet instead of reloading), then the current status.
    pub fn subscribe(&self, since: Option<Since>) -> (UnboundedReceiver<Arc<str>>, Vec<Arc<str>>) {
        let (tx, rx) = unbounded_channel();
        // Under the clients lock, so that no event falls between these and the live ones.
        let mut clients = lock(&self.clients);
        let mut first = Vec::new();
        if let Some(since) = since.filter(|s| s.run == self.run) {
            let kept = lock(&self.kept);
            // Versions go up by one per event: the first kept one tells whether any is gone.
            if kept
                .front()
                .is_some_and(|(v, _)| *v <= since.version.saturating_add(1))
            {
                first.extend(
                    kept.iter()
                        .filter(|(v, _)| *v > since.version)
                        .map(|(_, json)| Arc::clone(json)),
                );
            }
        }
        first.push(self.status_json());
        clients.push(tx);
        (rx, first)
    }
}

/// Sends one event to every open page; closed ones are dropped.
fn send_all(clients: &mut Vec<UnboundedSender<Arc<str>>>, msg: Arc<str>) {
    clients.retain(|tx| tx.send(Arc::clone(&msg)).is_ok());
}

/// One Server-Sent Events frame carrying a JSON message (JSON has no raw newlines).
pub fn sse_frame(json: &str) -> String {
    format!("data: {json}\n\n")
}

/// The status event: whether the last rebuild passed, and every problem it had, each with
/// its §7 line and the source line it points at.
pub fn status_event(
    root: &Path,
    run: u64,
    version: u64,
    failed: bool,
    diags: &Diagnostics,
) -> String {
    /// More than this many problems are summed up, not listed (the page would be unreadable).
    const MAX_LISTED: usize = 200;
    let sorted = diags.sorted();
    let mut files: HashMap<String, Option<String>> = HashMap::new();
    let listed: Vec<serde_json::Value> = sorted
        .iter()
        .take(MAX_LISTED)
        .map(|d| {
            let text = files
                .entry(d.span.path.clone())
                .or_insert_with(|| read_source(root, &d.span.path));
            serde_json::json!({
                "level": d.level.as_str(),
                "code": d.code,
                "path": d.span.path,
                "line": d.span.line,
                "col": d.span.col,
                "text": d.to_string(),
                "snippet": text.as_deref().map(|t| snippet(t, d)).unwrap_or_default(),
            })
        })
        .collect();
    serde_json::json!({
        "type": "status",
        "run": run,
        "version": version,
        "ok": !failed,
        "errors": sorted.iter().filter(|d| d.level == Level::Error).count(),
        "warnings": sorted.iter().filter(|d| d.level == Level::Warning).count(),
        "summary": diags.summary(),
        "more": sorted.len().saturating_sub(MAX_LISTED),
        "diagnostics": listed,
    })
    .to_string()
}

/// The reload event: which served URLs changed, and which of them are stylesheets.
pub fn reload_event(version: u64, pages: &[String], css: &[String], all: bool) -> String {
    serde_json::json!({"type": "reload", "version": version, "pages": pages, "css": css, "all": all}).to_string()
}

/// A site file's text for snippets, when it is a readable text file of the site.
fn read_source(root: &Path, rel: &str) -> Option<String> {
    if rel.is_empty() || rel.split('/').any(|s| s == "..") {
        return None;
    }
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 16 * 1024 * 1024 {
        return None;
    }
    String::from_utf8(std::fs::read(path).ok()?).ok()
}

/// The line a diagnostic points at, numbered, with a caret under its column:
///
/// ```text
///   9 | The Spark reads memory at [275 GB/s](cite:…),
///     |                           ^
/// ```
pub fn snippet(text: &str, d: &Diagnostic) -> String {
    /// Longer lines are cut around the column.
    const WIDTH: usize = 160;
    let Some(line) = text.lines().nth(d.span.line.saturating_sub(1)) else {
        return String::new();
    };
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let col = d.span.col.saturating_sub(1).min(chars.len());
    let start = col
        .saturating_sub(WIDTH / 2)
        .min(chars.len().saturating_sub(WIDTH));
    let end = (start + WIDTH).min(chars.len());
    let shown: String = chars[start..end].iter().collect();
    let num = d.span.line.to_string();
    let pad = " ".repeat(num.len());
    let lead = if start > 0 { "…" } else { "" };
    format!(
        "{num} | {lead}{shown}{}\n{pad} | {}^",
        if end < chars.len() { "…" } else { "" },
        " ".repeat(col - start + lead.chars().count())
    )
}

/// The script injected before `</body>` of every served HTML page.
const SCRIPT: &str = include_str!("live.js");

/// A served HTML page with the live-reload script added, carrying the server's `run` and the
/// snapshot `version`; `missing` marks the 404 page, which reloads on any change (the page
/// asked for may now exist).
pub fn inject(html: &[u8], run: u64, version: u64, missing: bool) -> Vec<u8> {
    let tag = format!(
        "<script id=\"sitegen-live\" data-run=\"{run}\" data-version=\"{version}\" data-missing=\"{}\">\n{SCRIPT}</script>\n",
        u8::from(missing)
    );
    let at = rfind_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The last ASCII-case-insensitive occurrence of `needle` in `hay`.
fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Span;

    #[test]
    fn injects_before_the_closing_body() {
        let out =
            String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>", 42, 7, false)).unwrap();
        let script = out
            .find("<script id=\"sitegen-live\" data-run=\"42\" data-version=\"7\"")
            .unwrap();
        assert!(script > out.find("<p>x</p>").unwrap());
        assert!(script < out.find("</BODY>").unwrap());
        let bare = String::from_utf8(inject(b"<p>no body", 42, 1, true)).unwrap();
        assert!(bare.starts_with("<p>no body<script"));
        assert!(bare.contains("data-missing=\"1\""));
    }

    #[test]
    fn snippets_point_at_the_column() {
        let d = Diagnostic::error("drift", Span::new("a.md", 2, 5), "x");
        assert_eq!(snippet("one\nabc def\n", &d), "2 | abc def\n  |     ^");
        // Past the end of the file: nothing, never a panic.
        let far = Diagnostic::error("drift", Span::new("a.md", 99, 500), "x");
        assert_eq!(snippet("one", &far), "");
        let wide = Diagnostic::error("drift", Span::new("a.md", 1, 400), "x");
        let s = snippet(&"é".repeat(600), &wide);
        assert!(s.contains('…') && s.ends_with('^'));
    }

    #[test]
    fn status_lists_lines_with_snippets() {
        let dir = std::env::temp_dir().join(format!("sitegen-live-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content")).unwrap();
        std::fs::write(dir.join("content/a.md"), "x\nat [275 GB/s](cite:k)\n").unwrap();
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error(
            "drift",
            Span::new("content/a.md", 2, 4),
            "\"275 GB/s\" disagrees",
        ));
        let v: serde_json::Value =
            serde_json::from_str(&status_event(&dir, 42, 3, true, &ds)).unwrap();
        assert_eq!(v["run"], 42);
        assert_eq!(v["ok"], false);
        assert_eq!(v["errors"], 1);
        let d = &v["diagnostics"][0];
        assert_eq!(
            d["text"],
            "error[drift]: content/a.md:2:4: \"275 GB/s\" disagrees"
        );
        assert!(d["snippet"]
            .as_str()
            .unwrap()
            .starts_with("2 | at [275 GB/s]"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A server at version 1 plus `reloads` rebuilds, each with its reload event kept.
    fn server(reloads: u64) -> Shared {
        let shared = Shared::new(42, Snapshot::default(), String::new());
        for v in 2..2 + reloads {
            shared.send_reload(v, format!("reload {v}"));
        }
        shared.set_status(format!("status {}", 1 + reloads));
        shared
    }

    /// The frames a new stream sends first, as text.
    fn first(shared: &Shared, since: Option<Since>) -> Vec<String> {
        let (_rx, first) = shared.subscribe(since);
        first.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn a_late_page_gets_what_it_missed_then_the_status() {
        let shared = server(3);
        let at = |version| Some(Since { run: 42, version });
        assert_eq!(first(&shared, at(2)), ["reload 3", "reload 4", "status 4"]);
        assert_eq!(
            first(&shared, at(1)),
            ["reload 2", "reload 3", "reload 4", "status 4"]
        );
        // Up to date (or ahead, served between a publish and its event): the status alone.
        assert_eq!(first(&shared, at(4)), ["status 4"]);
        assert_eq!(first(&shared, at(9)), ["status 4"]);
        // Live events follow the first frames, none lost or doubled.
        let (mut rx, _) = shared.subscribe(at(4));
        shared.send_reload(5, "reload 5".into());
        assert_eq!(&*rx.try_recv().unwrap(), "reload 5");
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn nothing_is_replayed_that_cannot_be_whole() {
        // Another server process: its versions say nothing about this one's.
        let shared = server(3);
        let other = Some(Since { run: 7, version: 2 });
        assert_eq!(first(&shared, other), ["status 4"]);
        assert_eq!(first(&shared, None), ["status 4"]);
        // The oldest events are gone: a page before them gets no partial replay.
        let shared = server(KEPT as u64 + 5);
        let at = |version| Some(Since { run: 42, version });
        assert_eq!(first(&shared, at(3)).len(), 1);
        let oldest = 2 + 5; // versions 2..=6 were dropped
        assert_eq!(first(&shared, at(oldest - 2)).len(), 1);
        let whole = first(&shared, at(oldest - 1));
        assert_eq!(whole.len(), KEPT + 1);
        assert_eq!(whole[0], format!("reload {oldest}"));
        assert_eq!(first(&shared, at(u64::MAX)).len(), 1);
    }
}
