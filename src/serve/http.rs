//! The preview's HTTP server: GET and HEAD of the built site from memory, plus the
//! live-reload endpoints under `/__sitegen/`, answered only to requests addressed to this
//! machine.
//!
//! HTTP/1.1 itself (parsing, keep-alive, pipelining, chunked event streams, the size and time
//! limits on request heads) is hyper's, on a single-threaded tokio runtime of its own thread:
//! each connection is a task, so idle connections and open event streams cost a little
//! memory, never a thread, and never keep a new request waiting. What is decided here:
//!
//! - whom to answer: a request whose `Host` is not `localhost`, `127.0.0.1`, `[::1]` or the
//!   address the server listens on (any port) gets 421, so that a web page on another origin
//!   cannot read the preview through DNS rebinding;
//! - what to answer: a path maps to a file of the snapshot and to nothing else (no `..`, no
//!   file of the site root), a folder without its slash is redirected, never to a
//!   protocol-relative `//host/…` location;
//! - the event stream: [`Shared`]'s channel for the page, bridged into an SSE body.

use super::live::{self, Shared, Since};
use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// The largest request head (request line and headers) read; larger gets 431.
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send a request head, and how long an idle keep-alive
/// connection is kept.
const HEAD_DEADLINE: Duration = Duration::from_secs(30);
/// How often an idle event stream gets a comment line, so that closed pages are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Connections served at once, at most; more wait in the listen queue. The limit on open
/// files (raised to its hard limit at start) lowers it.
const MAX_CONNECTIONS: usize = 10_000;
/// How long a request for a file being rendered again waits before it gets the old bytes.
const STALE_WAIT: Duration = Duration::from_secs(30);
/// File descriptors kept free for the watcher, the site's files and the terminal.
const SPARE_FDS: usize = 128;

/// Served for every page until the site has built once; the script adds the problems.
const NOT_BUILT: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>sitegen: not built yet</title></head>\n<body>\n<p>sitegen: the site does not build yet. Fix the problems shown here and in the terminal; this page reloads once it builds.</p>\n</body>\n</html>\n";

/// The answer to a request for another host.
const MISDIRECTED: &str = "sitegen serve answers only requests for localhost, 127.0.0.1, [::1] or the address it listens on\n";

/// A listener with the runtime that serves it, made before the terminal says "serving", so
/// that a failure to start is reported at once.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    max_connections: usize,
}

impl Server {
    /// Takes over a bound listener; raises the limit on open files so that many idle
    /// connections fit.
    pub fn new(listener: std::net::TcpListener, shared: Arc<Shared>) -> io::Result<Server> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        listener.set_nonblocking(true)?;
        let listener = {
            let _in_runtime = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let fds = raise_fd_limit().unwrap_or(1024);
        let max_connections = fds.saturating_sub(SPARE_FDS).clamp(16, MAX_CONNECTIONS);
        Ok(Server {
            runtime,
            listener,
            shared,
            max_connections,
        })
    }

    /// Serves for ever (until the process ends).
    pub fn run(self) {
        let Server {
            runtime,
            listener,
            shared,
            max_connections,
        } = self;
        runtime.block_on(accept_loop(listener, shared, max_connections));
    }
}

/// Accepts connections, one task each, at most `max` at once.
async fn accept_loop(listener: tokio::net::TcpListener, shared: Arc<Shared>, max: usize) {
    let bound = listener
        .local_addr()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |a| a.ip());
    let slots = Arc::new(tokio::sync::Semaphore::new(max));
    let mut warned = false;
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, most likely: wait for some to close.
                if !warned {
                    eprintln!("warning: cannot accept a connection ({e}); retrying");
                    warned = true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let hosts = Hosts {
            bound,
            local: stream.local_addr().ok().map(|a| a.ip()),
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(answer(&req, &shared, &hosts).await) }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEAD_DEADLINE)
                .max_buf_size(MAX_HEAD)
                .title_case_headers(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            // A client that goes away or sends garbage only ends its own connection.
            let _ = conn.await;
            drop(slot);
        });
    }
}

/// Raises the soft limit on open files to the hard one (at most 65,536); the limit then.
#[cfg(unix)]
fn raise_fd_limit() -> Option<usize> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct they are given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return None;
        }
        let want = lim.rlim_max.min(65_536);
        if lim.rlim_cur < want {
            let raised = libc::rlimit {
                rlim_cur: want,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim.rlim_cur = want;
            }
        }
    }
    Some(usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX))
}

#[cfg(not(unix))]
fn raise_fd_limit() -> Option<usize> {
    None
}

/// The addresses a request may name as its host, besides `localhost`, `127.0.0.1` and `[::1]`.
#[derive(Clone, Copy, Debug)]
pub struct Hosts {
    /// The address the server listens on (may be unspecified, `0.0.0.0`).
    pub bound: IpAddr,
    /// The address this connection reached (the interface's, when bound to `0.0.0.0`).
    pub local: Option<IpAddr>,
}

/// What a `Host` value (or an absolute URI's authority) names.
#[derive(Debug, PartialEq, Eq)]
pub enum HostIs {
    /// This machine, as the author reaches it.
    Allowed,
    /// Another host: a name other than `localhost`, or another address.
    Foreign,
    /// Not a host at all (empty, bad port, bad brackets).
    Malformed,
}

impl Hosts {
    /// Whether `authority` (`host[:port]`, the host maybe a bracketed IPv6 address) names
    /// this machine: `localhost` (any case), `127.0.0.1`, `[::1]`, the bound address or the
    /// connection's local one, with any port.
    pub fn check(&self, authority: &str) -> HostIs {
        let (host, port, bracketed) = match authority.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((h, p)) => (h, p, true),
                None => return HostIs::Malformed,
            },
            None => match authority.rsplit_once(':') {
                Some((h, _)) => (h, &authority[h.len()..], false),
                None => (authority, "", false),
            },
        };
        let port_ok = port.is_empty()
            || port
                .strip_prefix(':')
                .is_some_and(|d| d.len() <= 5 && d.bytes().all(|b| b.is_ascii_digit()));
        if !port_ok || host.is_empty() {
            return HostIs::Malformed;
        }
        let ip = if bracketed {
            match host.parse::<Ipv6Addr>() {
                Ok(ip) => IpAddr::V6(ip),
                Err(_) => return HostIs::Malformed,
            }
        } else if host.contains(':') {
            return HostIs::Malformed;
        } else if host.eq_ignore_ascii_case("localhost") {
            return HostIs::Allowed;
        } else if let Ok(ip) = host.parse::<Ipv4Addr>() {
            IpAddr::V4(ip)
        } else if host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=".contains(&b))
        {
            return HostIs::Foreign;
        } else {
            return HostIs::Malformed;
        };
        let ip = ip.to_canonical();
        let listed = [
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
            Some(self.bound.to_canonical()).filter(|b| !b.is_unspecified()),
            self.local.map(|l| l.to_canonical()),
        ];
        if listed.contains(&Some(ip)) {
            HostIs::Allowed
        } else {
            HostIs::Foreign
        }
    }
}

/// The body of an answer: whole bytes, or an event stream that ends when the page goes.
pub enum Body {
    /// A whole answer, taken once.
    Full(Option<Bytes>),
    /// Server-Sent Events.
    Events(Box<EventStream>),
}

/// An open `/__sitegen/events` stream: the first frames, then every event sent to the page,
/// and a comment line when idle so that a closed page is noticed.
pub struct EventStream {
    first: Option<Bytes>,
    rx: UnboundedReceiver<Arc<str>>,
    idle: tokio::time::Interval,
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(s) => {
                if let Some(first) = s.first.take() {
                    return Poll::Ready(Some(Ok(Frame::data(first))));
                }
                match s.rx.poll_recv(cx) {
                    Poll::Ready(Some(msg)) => {
                        s.idle.reset();
                        let frame = Bytes::from(live::sse_frame(&msg));
                        return Poll::Ready(Some(Ok(Frame::data(frame))));
                    }
                    // The server is going away.
                    Poll::Ready(None) => return Poll::Ready(None),
                    Poll::Pending => {}
                }
                match s.idle.poll_tick(cx) {
                    Poll::Ready(_) => Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
                        b": keep-alive\n\n",
                    ))))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Events(_) => SizeHint::default(),
        }
    }
}

/// What a request target asks for, once decoded and checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site: the key in the file map (e.g. `spark/index.html`).
    File(String),
    /// A live-reload endpoint under `/__sitegen/` (its name).
    Internal(String),
    /// Redirect to this location (always a path starting with exactly one `/`).
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

/// A decoded path, escaped again for a `Location` header: `/` kept, bytes outside the
/// unreserved and sub-delimiter sets as `%XX`.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A redirect location that a browser reads as a path on this server: leading slashes and
/// backslashes collapse into one `/`, so that `//host/…` (protocol-relative) never leaves it.
pub fn same_origin(location: &str) -> String {
    format!("/{}", location.trim_start_matches(['/', '\\']))
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
        return Target::Redirect(same_origin(&format!("{base}/{query}")));
    } else if let Some(r) = decoded.strip_prefix(base).filter(|r| r.starts_with('/')) {
        r
    } else if decoded == "/" {
        return Target::Redirect(same_origin(&format!("{base}/")));
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

/// An answer with a whole body; never cached (the next save changes every file).
fn whole(code: StatusCode, ctype: &'static str, body: Bytes) -> Response<Body> {
    let mut resp = Response::new(Body::Full(Some(body)));
    *resp.status_mut() = code;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// A short plain-text answer.
fn text(code: StatusCode, body: &'static str) -> Response<Body> {
    whole(
        code,
        "text/plain; charset=utf-8",
        Bytes::from_static(body.as_bytes()),
    )
}

/// A permanent redirect to a path of this server.
fn redirect(location: &str) -> Response<Body> {
    let mut resp = whole(
        StatusCode::MOVED_PERMANENTLY,
        "text/plain; charset=utf-8",
        Bytes::new(),
    );
    // Every byte of a same-origin path built here is visible ASCII; refuse anything else.
    match HeaderValue::from_str(&same_origin(location)) {
        Ok(v) => {
            resp.headers_mut().insert(header::LOCATION, v);
            resp
        }
        Err(_) => text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// Checks the request's host: its `Host` header, and the authority of an absolute-form
/// target; None when the request may be answered, else the refusal.
fn refuse_host(req: &Request<Incoming>, hosts: &Hosts) -> Option<Response<Body>> {
    let mut values = req.headers().get_all(header::HOST).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        // None, or more than one (RFC 9112 §3.2).
        return Some(text(StatusCode::BAD_REQUEST, "one Host header, please\n"));
    };
    let Ok(value) = value.to_str() else {
        return Some(text(StatusCode::BAD_REQUEST, "bad Host header\n"));
    };
    let named = std::iter::once(value).chain(req.uri().authority().map(|a| a.as_str()));
    for authority in named {
        match hosts.check(authority) {
            HostIs::Allowed => {}
            HostIs::Foreign => return Some(text(StatusCode::MISDIRECTED_REQUEST, MISDIRECTED)),
            HostIs::Malformed => return Some(text(StatusCode::BAD_REQUEST, "bad Host header\n")),
        }
    }
    None
}

/// Answers one request.
async fn answer(req: &Request<Incoming>, shared: &Shared, hosts: &Hosts) -> Response<Body> {
    if let Some(refusal) = refuse_host(req, hosts) {
        return refusal;
    }
    let head_only = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head_only {
        let mut resp = text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return resp;
    }
    let target = req.uri().to_string();
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let snap = shared.snapshot();
    match resolve(&target, &snap.base_path) {
        Target::Internal(name) => match name.as_str() {
            "events" if !head_only => event_stream(shared, since(&target)),
            "status" => whole(
                StatusCode::OK,
                "application/json",
                Bytes::from(shared.status_now().into_bytes()),
            ),
            _ => text(StatusCode::NOT_FOUND, "not found\n"),
        },
        Target::Redirect(loc) => redirect(&loc),
        Target::File(_) | Target::NotFound if snap.version == 0 => {
            // Nothing has built yet: a page that shows why, and reloads once it builds.
            let page = live::inject(NOT_BUILT.as_bytes(), shared.run(), 0, true);
            whole(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/html; charset=utf-8",
                Bytes::from(page),
            )
        }
        Target::File(key) => {
            let file = current(shared, &key).await;
            // The version the page reloads from: the snapshot's when the file was looked up.
            let snap = shared.snapshot();
            if let Some(bytes) = &file {
                let ctype = content_type(&key);
                let body = if ctype.starts_with("text/html") {
                    Bytes::from(live::inject(bytes, shared.run(), snap.version, false))
                } else {
                    Bytes::from_owner(Arc::clone(bytes))
                };
                return whole(StatusCode::OK, ctype, body);
            }
            // `/slug` of a folder with an index: redirect so that relative links resolve.
            // The location is built from the checked key, never from the raw target, whose
            // doubled slashes would make it protocol-relative (`//tags/`).
            let folder = format!("{key}/index.html");
            if !key.ends_with("index.html") && snap.files.contains_key(&folder) {
                let path = percent_encode_path(&format!("{}/{key}/", snap.base_path));
                return redirect(&format!("{path}{query}"));
            }
            not_found(shared.run(), &snap)
        }
        Target::NotFound => not_found(shared.run(), &snap),
    }
}

/// The file at `key` as the site has it now: when a change left it to render, the request
/// asks for it first and waits until it is rendered (at most [`STALE_WAIT`], then the
/// previous bytes are served).
async fn current(shared: &Shared, key: &str) -> Option<Arc<[u8]>> {
    let mut renders = shared.renders();
    let deadline = tokio::time::Instant::now() + STALE_WAIT;
    loop {
        match shared.lookup(key) {
            live::Lookup::Ready(file) => return file,
            live::Lookup::Stale => shared.want(key),
        }
        match tokio::time::timeout_at(deadline, renders.changed()).await {
            Ok(Ok(())) => {}
            // Timed out, or the server is going away: what the snapshot has.
            _ => return shared.snapshot().files.get(key).cloned(),
        }
    }
}

/// The site's own 404 page (with the live-reload script), or a plain one.
fn not_found(run: u64, snap: &live::Snapshot) -> Response<Body> {
    match snap.files.get("404.html") {
        Some(page) => whole(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            Bytes::from(live::inject(page, run, snap.version, true)),
        ),
        None => text(StatusCode::NOT_FOUND, "not found\n"),
    }
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
/// of later rebuilds.
fn event_stream(shared: &Shared, since: Option<Since>) -> Response<Body> {
    let (rx, first) = shared.subscribe(since);
    let mut frames = String::from("retry: 500\n\n");
    for json in &first {
        frames.push_str(&live::sse_frame(json));
    }
    let start = tokio::time::Instant::now() + KEEP_ALIVE;
    let mut idle = tokio::time::interval_at(start, KEEP_ALIVE);
    idle.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut resp = Response::new(Body::Events(Box::new(EventStream {
        first: Some(Bytes::from(frames)),
        rx,
        idle,
    })));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    resp
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
        // A base path that would read as a host stays a path.
        assert_eq!(resolve("/", "//evil"), Target::Redirect("/evil/".into()));
    }

    #[test]
    fn redirects_stay_on_this_server() {
        for (loc, want) in [
            ("/tags/", "/tags/"),
            ("//tags/", "/tags/"),
            ("///evil.com/x", "/evil.com/x"),
            ("/\\evil.com", "/evil.com"),
            ("\\\\evil.com", "/evil.com"),
            ("", "/"),
        ] {
            assert_eq!(same_origin(loc), want, "{loc}");
        }
        assert_eq!(percent_encode_path("/a b/é/"), "/a%20b/%C3%A9/");
        assert_eq!(percent_encode_path("/x?y#z"), "/x%3Fy%23z");
    }

    #[test]
    fn hosts_of_this_machine_only() {
        let hosts = Hosts {
            bound: IpAddr::V4(Ipv4Addr::LOCALHOST),
            local: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        };
        for ok in [
            "localhost",
            "LocalHost:1111",
            "localhost:",
            "127.0.0.1",
            "127.0.0.1:80",
            "127.0.0.1:65535",
            "[::1]",
            "[::1]:1",
            "[::ffff:127.0.0.1]:9",
        ] {
            assert_eq!(hosts.check(ok), HostIs::Allowed, "{ok}");
        }
        for foreign in [
            "evil.com",
            "evil.com:1111",
            "localhost.evil.com",
            "127.0.0.1.evil.com",
            "127.0.0.2",
            "0.0.0.0",
            "[::2]:1111",
            "10.0.0.1",
            "xn--localhost",
        ] {
            assert_eq!(hosts.check(foreign), HostIs::Foreign, "{foreign}");
        }
        for bad in [
            "",
            ":80",
            "localhost:x",
            "localhost:123456",
            "[::1",
            "[::1]x",
            "[evil.com]",
            "::1",
            "a b",
            "a/b",
            "user@localhost",
        ] {
            assert_eq!(hosts.check(bad), HostIs::Malformed, "{bad}");
        }
        // Bound to another address, or to all: that address (as the connection reached it).
        let lan = Hosts {
            bound: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            local: Some(IpAddr::V4(Ipv4Addr::new(192, 168, 1, 5))),
        };
        assert_eq!(lan.check("192.168.1.5:1111"), HostIs::Allowed);
        assert_eq!(lan.check("0.0.0.0:1111"), HostIs::Foreign);
        assert_eq!(lan.check("192.168.1.6:1111"), HostIs::Foreign);
        let v6 = Hosts {
            bound: "fe80::1".parse().unwrap(),
            local: None,
        };
        assert_eq!(v6.check("[fe80::1]:1111"), HostIs::Allowed);
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
