//! A small HTTP/1.1 server for the preview: GET and HEAD of the built site from memory, plus
//! the live-reload endpoints under `/__sitegen/`.
//!
//! It is written on `std::net` rather than on a server crate because the preview needs hard
//! bounds that the small synchronous crates do not offer (tiny_http reads a header line of
//! any length into memory and buffers chunked bodies, which stalls Server-Sent Events), and
//! an async stack (hyper, tokio) is far more than a loopback preview needs. The scope is
//! narrow: one thread per connection (capped), request heads of at most 16 KiB read within
//! a deadline, no request bodies, and only files of the built site ever answered.

use super::live::{self, Shared, Since};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest request head (request line and headers) read; larger gets 431.
const MAX_HEAD: usize = 16 * 1024;
/// Connections served at once; more get 503 (an open page holds two: its events and a fetch).
const MAX_CONNECTIONS: usize = 256;
/// How long a client may take to send one request head.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How long an idle keep-alive connection is kept.
const IDLE: Duration = Duration::from_secs(5);
/// How often an idle event stream gets a comment line, so that closed pages are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Served for every page until the site has built once; the script adds the problems.
const NOT_BUILT: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>sitegen: not built yet</title></head>\n<body>\n<p>sitegen: the site does not build yet. Fix the problems shown here and in the terminal; this page reloads once it builds.</p>\n</body>\n</html>\n";

/// Accepts connections for ever, one thread each.
pub fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let _ = write_simple(
                &mut stream,
                503,
                "Service Unavailable",
                "too many connections\n",
                false,
                true,
            );
            continue;
        }
        open.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(&shared);
        let open2 = Arc::clone(&open);
        let spawned = std::thread::Builder::new()
            .name("sitegen-http".into())
            .spawn(move || {
                handle(stream, &shared);
                open2.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// One parsed request head.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target as sent (origin-form or absolute-form).
    pub target: String,
    /// Whether the connection may serve another request after this one.
    pub keep_alive: bool,
    /// Whether the request announced a body (never read: the connection is closed after it).
    pub has_body: bool,
}

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
pub enum HeadError {
    /// The client closed the connection (or went idle) between requests.
    Closed,
    /// The head is not HTTP.
    Bad,
    /// The head is over [`MAX_HEAD`].
    TooLarge,
}

fn handle(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(8 * 1024, read_half);
    let mut out = stream;
    let mut first = true;
    loop {
        let timeout = if first { HEAD_DEADLINE } else { IDLE };
        first = false;
        let req = match read_head(&mut reader, timeout) {
            Ok(r) => r,
            Err(HeadError::Closed) => return,
            Err(HeadError::Bad) => {
                let _ = write_simple(&mut out, 400, "Bad Request", "bad request\n", false, true);
                close_gently(&out, &mut reader);
                return;
            }
            Err(HeadError::TooLarge) => {
                let _ = write_simple(
                    &mut out,
                    431,
                    "Request Header Fields Too Large",
                    "request head too large\n",
                    false,
                    true,
                );
                close_gently(&out, &mut reader);
                return;
            }
        };
        let keep = req.keep_alive && !req.has_body;
        match respond(&mut out, &req, keep, shared) {
            Ok(true) if keep => continue,
            _ => {
                if req.has_body {
                    close_gently(&out, &mut reader);
                }
                return;
            }
        }
    }
}

/// Closes after an answer sent before the whole request was read: stop writing, then read
/// and drop what the client is still sending for a moment. Closing with unread input would
/// reset the connection, and the client could lose the answer (RFC 9112 §9.6).
fn close_gently(out: &TcpStream, reader: &mut BufReader<TcpStream>) {
    let _ = out.shutdown(std::net::Shutdown::Write);
    let start = Instant::now();
    let mut dropped = 0usize;
    let _ = reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(200)));
    let mut buf = [0u8; 8192];
    while dropped < 4 * 1024 * 1024 && start.elapsed() < Duration::from_secs(1) {
        match io::Read::read(reader, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => dropped += n,
        }
    }
}

/// Reads one request head within `deadline`, refusing heads over [`MAX_HEAD`].
pub fn read_head(
    reader: &mut BufReader<TcpStream>,
    deadline: Duration,
) -> Result<Request, HeadError> {
    let start = Instant::now();
    let mut head: Vec<u8> = Vec::new();
    loop {
        let left = deadline.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Err(if head.is_empty() {
                HeadError::Closed
            } else {
                HeadError::Bad
            });
        }
        let _ = reader.get_ref().set_read_timeout(Some(left));
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => {
                return Err(if head.is_empty() {
                    HeadError::Closed
                } else {
                    HeadError::Bad
                })
            }
        };
        if buf.is_empty() {
            return Err(if head.is_empty() {
                HeadError::Closed
            } else {
                HeadError::Bad
            });
        }
        // Take bytes up to the end of the head only: what follows belongs to the next request.
        let before = head.len();
        let mut used = buf.len();
        head.extend_from_slice(buf);
        if let Some(end) = head_end(&head, before.saturating_sub(3)) {
            used = end - before;
            head.truncate(end);
            reader.consume(used);
            if head.len() > MAX_HEAD {
                return Err(HeadError::TooLarge);
            }
            return parse_head(&head);
        }
        reader.consume(used);
        if head.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

/// The index just past the blank line ending a head (`\r\n\r\n` or a bare `\n\n`), searching from `from`.
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < buf.len() {
        if buf[i] == b'\n' {
            if buf[i + 1..].starts_with(b"\n") {
                return Some(i + 2);
            }
            if buf[i + 1..].starts_with(b"\r\n") {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

/// Parses a request head (request line and headers, blank line included or not).
pub fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    let text = std::str::from_utf8(head).map_err(|_| HeadError::Bad)?;
    // Leading blank lines before a request line are allowed (RFC 9112 §2.2).
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .skip_while(|l| l.is_empty());
    let request_line = lines.next().ok_or(HeadError::Bad)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Bad);
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(HeadError::Bad);
    }
    if target.is_empty() || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(HeadError::Bad);
    }
    let mut keep_alive = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(HeadError::Bad),
    };
    let mut has_body = false;
    for line in lines {
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or(HeadError::Bad)?;
        if name.is_empty() || name.bytes().any(|b| !b.is_ascii_graphic()) {
            return Err(HeadError::Bad);
        }
        let value = value.trim();
        if name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    keep_alive = false;
                } else if token.eq_ignore_ascii_case("keep-alive") {
                    keep_alive = true;
                }
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            has_body |= value != "0";
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            has_body = true;
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
        has_body,
    })
}

/// What a request target asks for, once decoded and checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site: the key in the file map (e.g. `spark/index.html`) and whether the
    /// path named a folder (ended in `/`).
    File(String),
    /// A live-reload endpoint under `/__sitegen/` (its name).
    Internal(String),
    /// Redirect to this location.
    Redirect(String),
    /// Nothing the site has: `..`, NUL, bad UTF-8, outside the base path.
    NotFound,
}

/// Decodes `%XX` escapes; None when an escape is malformed.
pub fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let hi = b.get(i + 1).copied().and_then(hex)?;
            let lo = b.get(i + 2).copied().and_then(hex)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Maps a request target to what to answer, under the site's base path (`""` or `/guide`).
/// Only the decoded path's plain segments are ever used as a map key, so nothing outside the
/// built site can be named: `.`/`..` segments, backslashes and NUL make it NotFound.
pub fn resolve(target: &str, base: &str) -> Target {
    // Absolute-form (`http://host/path`) carries the path after the authority.
    let target = match target.find("://") {
        Some(i) if !target[..i].contains('/') => {
            let rest = &target[i + 3..];
            match rest.find('/') {
                Some(j) => &rest[j..],
                None => "/",
            }
        }
        _ => target,
    };
    if !target.starts_with('/') {
        return Target::NotFound;
    }
    let (path, query) = match target.find(['?', '#']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    let Some(bytes) = percent_decode(path) else {
        return Target::NotFound;
    };
    let Ok(decoded) = String::from_utf8(bytes) else {
        return Target::NotFound;
    };
    if decoded.contains(['\0', '\\']) {
        return Target::NotFound;
    }
    if let Some(name) = decoded.strip_prefix("/__sitegen/") {
        return Target::Internal(name.to_string());
    }
    let rest = if base.is_empty() {
        decoded.as_str()
    } else if decoded == base {
        return Target::Redirect(format!("{base}/{query}"));
    } else if let Some(r) = decoded.strip_prefix(base).filter(|r| r.starts_with('/')) {
        r
    } else if decoded == "/" {
        return Target::Redirect(format!("{base}/"));
    } else {
        return Target::NotFound;
    };
    let mut segments = Vec::new();
    for seg in rest.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Target::NotFound,
            s => segments.push(s),
        }
    }
    let key = segments.join("/");
    if rest.ends_with('/') || key.is_empty() {
        if key.is_empty() {
            Target::File("index.html".into())
        } else {
            Target::File(format!("{key}/index.html"))
        }
    } else {
        Target::File(key)
    }
}

/// The Content-Type of a file by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => {
            if path.ends_with("atom.xml") {
                "application/atom+xml; charset=utf-8"
            } else {
                "application/xml; charset=utf-8"
            }
        }
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Answers one request; Ok(true) when the connection can serve another.
fn respond(out: &mut TcpStream, req: &Request, keep: bool, shared: &Shared) -> io::Result<bool> {
    let head_only = req.method == "HEAD";
    if req.method != "GET" && !head_only {
        write_simple(
            out,
            405,
            "Method Not Allowed",
            "only GET and HEAD\n",
            head_only,
            !keep,
        )?;
        return Ok(keep);
    }
    let snap = shared.snapshot();
    match resolve(&req.target, &snap.base_path) {
        Target::Internal(name) => match name.as_str() {
            "events" if !head_only => {
                event_stream(out, shared, since(&req.target))?;
                Ok(false)
            }
            "status" => {
                let body = shared.status_json();
                write_response(
                    out,
                    200,
                    "OK",
                    "application/json",
                    body.as_bytes(),
                    head_only,
                    !keep,
                )?;
                Ok(keep)
            }
            _ => {
                write_simple(out, 404, "Not Found", "not found\n", head_only, !keep)?;
                Ok(keep)
            }
        },
        Target::Redirect(loc) => {
            write_redirect(out, &loc, head_only, !keep)?;
            Ok(keep)
        }
        Target::File(_) | Target::NotFound if snap.version == 0 => {
            // Nothing has built yet: a page that shows why, and reloads once it builds.
            let page = live::inject(NOT_BUILT.as_bytes(), shared.run(), 0, true);
            write_response(
                out,
                503,
                "Service Unavailable",
                "text/html; charset=utf-8",
                &page,
                head_only,
                !keep,
            )?;
            Ok(keep)
        }
        Target::File(key) => {
            if let Some(bytes) = snap.files.get(&key) {
                let ctype = content_type(&key);
                if ctype.starts_with("text/html") {
                    let page = live::inject(bytes, shared.run(), snap.version, false);
                    write_response(out, 200, "OK", ctype, &page, head_only, !keep)?;
                } else {
                    write_response(out, 200, "OK", ctype, bytes, head_only, !keep)?;
                }
                return Ok(keep);
            }
            // `/slug` of a folder with an index: redirect so that relative links resolve.
            let folder = format!("{key}/index.html");
            if !key.ends_with("index.html") && snap.files.contains_key(&folder) {
                let path = req.target.split(['?', '#']).next().unwrap_or("/");
                let path = match path.find("://") {
                    Some(i) => path[i + 3..].find('/').map_or("/", |j| &path[i + 3 + j..]),
                    None => path,
                };
                let query = &req.target[req.target.find('?').unwrap_or(req.target.len())..];
                write_redirect(out, &format!("{path}/{query}"), head_only, !keep)?;
                return Ok(keep);
            }
            not_found(out, shared.run(), &snap, head_only, !keep)?;
            Ok(keep)
        }
        Target::NotFound => {
            not_found(out, shared.run(), &snap, head_only, !keep)?;
            Ok(keep)
        }
    }
}

fn not_found(
    out: &mut TcpStream,
    run: u64,
    snap: &live::Snapshot,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    match snap.files.get("404.html") {
        Some(page) => {
            let page = live::inject(page, run, snap.version, true);
            write_response(
                out,
                404,
                "Not Found",
                "text/html; charset=utf-8",
                &page,
                head_only,
                close,
            )
        }
        None => write_simple(out, 404, "Not Found", "not found\n", head_only, close),
    }
}

fn write_redirect(
    out: &mut TcpStream,
    location: &str,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nCache-Control: no-store\r\nConnection: {}\r\n\r\n",
        if close { "close" } else { "keep-alive" }
    );
    let _ = head_only;
    out.write_all(head.as_bytes())?;
    out.flush()
}

fn write_simple(
    out: &mut TcpStream,
    code: u16,
    reason: &str,
    body: &str,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    write_response(
        out,
        code,
        reason,
        "text/plain; charset=utf-8",
        body.as_bytes(),
        head_only,
        close,
    )
}

fn write_response(
    out: &mut TcpStream,
    code: u16,
    reason: &str,
    ctype: &str,
    body: &[u8],
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    // A preview must never be cached: the next save changes every file.
    let head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n\r\n",
        body.len(),
        if close { "close" } else { "keep-alive" }
    );
    let mut buf = Vec::with_capacity(head.len() + if head_only { 0 } else { body.len() });
    buf.extend_from_slice(head.as_bytes());
    if !head_only {
        buf.extend_from_slice(body);
    }
    out.write_all(&buf)?;
    out.flush()
}

/// The run and version an events request says its page was served with
/// (`/__sitegen/events?run=R&v=V`); None when either is missing or not a number, which only
/// means that nothing missed is sent again.
pub fn since(target: &str) -> Option<Since> {
    let query = target.split('#').next()?.split_once('?')?.1;
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))?
            .parse()
            .ok()
    };
    Some(Since {
        run: param("run")?,
        version: param("v")?,
    })
}

/// Server-Sent Events: what the page missed and the current status at once, then every event
/// of later rebuilds, and a comment line when idle so that a closed page ends this thread.
fn event_stream(out: &mut TcpStream, shared: &Shared, since: Option<Since>) -> io::Result<()> {
    let (rx, first) = shared.subscribe(since);
    let _ = out.set_write_timeout(Some(Duration::from_secs(10)));
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\nretry: 500\n\n";
    let mut frames = head.to_string();
    for json in &first {
        frames.push_str(&live::sse_frame(json));
    }
    out.write_all(frames.as_bytes())?;
    out.flush()?;
    loop {
        match rx.recv_timeout(KEEP_ALIVE) {
            Ok(msg) => out.write_all(live::sse_frame(&msg).as_bytes())?,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                out.write_all(b": keep-alive\n\n")?
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
        out.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_files_and_folders() {
        assert_eq!(resolve("/", ""), Target::File("index.html".into()));
        assert_eq!(
            resolve("/spark/", ""),
            Target::File("spark/index.html".into())
        );
        assert_eq!(
            resolve("/spark/?x=1#y", ""),
            Target::File("spark/index.html".into())
        );
        assert_eq!(
            resolve("/style.css?v=3", ""),
            Target::File("style.css".into())
        );
        assert_eq!(resolve("/a%20b.png", ""), Target::File("a b.png".into()));
        assert_eq!(
            resolve("http://h:1/spark/", ""),
            Target::File("spark/index.html".into())
        );
        assert_eq!(
            resolve("/__sitegen/events", ""),
            Target::Internal("events".into())
        );
    }

    #[test]
    fn nothing_outside_the_site_is_named() {
        for t in [
            "/../sitegen.toml",
            "/%2e%2e/sitegen.toml",
            "/%2E%2E%2Fsitegen.toml",
            "/..%2fsitegen.toml",
            "/spark/../../x",
            "/./x",
            "/a%00b",
            "/%ff%fe",
            "/%zz",
            "/%",
            "/a%5c..%5cb",
            "*",
            "sitegen.toml",
        ] {
            assert_eq!(resolve(t, ""), Target::NotFound, "{t}");
        }
        // Doubled slashes collapse into a key of the map, never an absolute path.
        assert_eq!(
            resolve("//etc/passwd", ""),
            Target::File("etc/passwd".into())
        );
    }

    #[test]
    fn base_path_is_mounted() {
        assert_eq!(resolve("/", "/guide"), Target::Redirect("/guide/".into()));
        assert_eq!(
            resolve("/guide", "/guide"),
            Target::Redirect("/guide/".into())
        );
        assert_eq!(
            resolve("/guide/x/", "/guide"),
            Target::File("x/index.html".into())
        );
        assert_eq!(resolve("/guidex/", "/guide"), Target::NotFound);
        assert_eq!(resolve("/other/", "/guide"), Target::NotFound);
    }

    #[test]
    fn parses_heads_and_refuses_garbage() {
        let r = parse_head(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
        assert_eq!(r.target, "/x");
        assert!(r.keep_alive && !r.has_body);
        let r = parse_head(b"GET /x HTTP/1.0\r\n\r\n").unwrap();
        assert!(!r.keep_alive);
        let r = parse_head(b"POST /x HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\n")
            .unwrap();
        assert!(r.has_body && !r.keep_alive);
        for bad in [
            &b"\x00\x01\x02\r\n\r\n"[..],
            b"GET\r\n\r\n",
            b"GET /x HTTP/9\r\n\r\n",
            b"get /x HTTP/1.1\r\n\r\n",
            b"GET /x y HTTP/1.1\r\n\r\n",
            b"GET /\xff HTTP/1.1\r\n\r\n",
            b"GET /x HTTP/1.1\r\nno colon\r\n\r\n",
            b"",
        ] {
            assert!(parse_head(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn finds_the_end_of_a_head() {
        assert_eq!(head_end(b"a\r\n\r\nrest", 0), Some(5));
        assert_eq!(head_end(b"a\n\nrest", 0), Some(3));
        assert_eq!(head_end(b"a\r\n", 0), None);
    }

    #[test]
    fn events_say_where_the_page_picks_up() {
        let at = |run, version| Some(Since { run, version });
        assert_eq!(since("/__sitegen/events?run=42&v=7"), at(42, 7));
        assert_eq!(since("/__sitegen/events?v=7&x=1&run=42#f"), at(42, 7));
        assert_eq!(since("http://h:1/__sitegen/events?run=42&v=0"), at(42, 0));
        // Missing or garbage: no replay, never a panic or an error.
        for t in [
            "/__sitegen/events",
            "/__sitegen/events?",
            "/__sitegen/events?run=42",
            "/__sitegen/events?v=7",
            "/__sitegen/events?run=&v=",
            "/__sitegen/events?run=NaN&v=7",
            "/__sitegen/events?run=42&v=-1",
            "/__sitegen/events?run=42&v=1.5",
            "/__sitegen/events?run=42&v=99999999999999999999999",
            "/__sitegen/events?run=42&version=7",
            "/__sitegen/events?run=42&v=%37",
            "/__sitegen/events#?run=42&v=7",
            "/__sitegen/events?&&=&run&v",
        ] {
            assert_eq!(since(t), None, "{t}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}
