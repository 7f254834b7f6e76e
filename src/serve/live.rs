//! What the open browser sees of the dev server: the served snapshot, the live-reload script
//! injected into served HTML (never into `sitegen build` output), the event stream's hub, and
//! the diagnostics shown in the error overlay.

use crate::diagnostics::{Diagnostic, Diagnostics, Level};
use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};

/// The files served: the last good build, kept in memory.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Bumped on every publish; pages carry the version they were served with.
    pub version: u64,
    /// Output path (`spark/index.html`) → bytes.
    pub files: HashMap<String, Arc<[u8]>>,
    /// The path prefix of `base_url` (`""` or `/guide`), under which the site is mounted.
    pub base_path: String,
}

/// State shared by the HTTP threads and the rebuild loop.
#[derive(Default)]
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    status: Mutex<Arc<str>>,
    clients: Mutex<Vec<Sender<Arc<str>>>>,
}

impl Shared {
    /// A new state serving `snapshot`, with `status` as the current status event.
    pub fn new(snapshot: Snapshot, status: String) -> Shared {
        Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            status: Mutex::new(Arc::from(status)),
            clients: Mutex::new(Vec::new()),
        }
    }

    /// The snapshot being served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        // A poisoned lock only means a thread panicked while holding it; the Arc inside is whole.
        match self.snapshot.read() {
            Ok(g) => Arc::clone(&g),
            Err(p) => Arc::clone(&p.into_inner()),
        }
    }

    /// Replaces the snapshot being served.
    pub fn publish(&self, snap: Snapshot) {
        let snap = Arc::new(snap);
        match self.snapshot.write() {
            Ok(mut g) => *g = snap,
            Err(p) => *p.into_inner() = snap,
        }
    }

    /// The current status event (JSON), for `/__sitegen/status` and new event streams.
    pub fn status_json(&self) -> Arc<str> {
        match self.status.lock() {
            Ok(g) => Arc::clone(&g),
            Err(p) => Arc::clone(&p.into_inner()),
        }
    }

    /// Sets the status and sends it to every open page.
    pub fn set_status(&self, json: String) {
        let json: Arc<str> = Arc::from(json);
        match self.status.lock() {
            Ok(mut g) => *g = Arc::clone(&json),
            Err(p) => *p.into_inner() = Arc::clone(&json),
        }
        self.broadcast(json);
    }

    /// Sends one event (JSON) to every open page; closed ones are dropped.
    pub fn broadcast(&self, msg: Arc<str>) {
        let mut clients = match self.clients.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        clients.retain(|tx| tx.send(Arc::clone(&msg)).is_ok());
    }

    /// Registers an event stream: its receiver and the status to send first.
    pub fn subscribe(&self) -> (Receiver<Arc<str>>, Arc<str>) {
        let (tx, rx) = channel();
        // Take the status under the clients lock so that no event falls between the two.
        let mut clients = match self.clients.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let status = self.status_json();
        clients.push(tx);
        (rx, status)
    }
}

/// One Server-Sent Events frame carrying a JSON message (JSON has no raw newlines).
pub fn sse_frame(json: &str) -> String {
    format!("data: {json}\n\n")
}

/// The status event: whether the last rebuild passed, and every problem it had, each with
/// its §7 line and the source line it points at.
pub fn status_event(root: &Path, version: u64, failed: bool, diags: &Diagnostics) -> String {
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

/// A served HTML page with the live-reload script added; `missing` marks the 404 page, which
/// reloads on any change (the page asked for may now exist).
pub fn inject(html: &[u8], version: u64, missing: bool) -> Vec<u8> {
    let tag = format!(
        "<script id=\"sitegen-live\" data-version=\"{version}\" data-missing=\"{}\">\n{SCRIPT}</script>\n",
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
            String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>", 7, false)).unwrap();
        let script = out
            .find("<script id=\"sitegen-live\" data-version=\"7\"")
            .unwrap();
        assert!(script > out.find("<p>x</p>").unwrap());
        assert!(script < out.find("</BODY>").unwrap());
        let bare = String::from_utf8(inject(b"<p>no body", 1, true)).unwrap();
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
        let v: serde_json::Value = serde_json::from_str(&status_event(&dir, 3, true, &ds)).unwrap();
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
}
