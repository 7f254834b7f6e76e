//! `sitegen serve` end to end: the binary on a copy of a fixture site, spoken to over plain
//! HTTP/1.1 on `TcpStream`s, with bounded timeouts; the child is killed when a test ends.

mod common;
mod serve_support;
use common::*;
use serve_support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

/// An open `/__sitegen/events` stream.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(b"GET /__sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .unwrap();
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if line.to_ascii_lowercase().starts_with("content-type:") {
                assert!(line.contains("text/event-stream"), "{line}");
            }
        }
        Events { reader }
    }

    /// The next `data:` message that `want` accepts, within 10 s.
    fn until(&mut self, want: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut line = String::new();
        loop {
            assert!(Instant::now() < deadline, "no such event");
            line.clear();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("the event stream stays open");
            assert!(n > 0, "the event stream closed");
            if let Some(json) = line.strip_prefix("data: ") {
                let v: serde_json::Value = serde_json::from_str(json.trim_end()).unwrap();
                if want(&v) {
                    return v;
                }
            }
        }
    }
}

fn status(server: &Server) -> serde_json::Value {
    let (code, body) = server.get("/__sitegen/status");
    assert_eq!(code, 200);
    serde_json::from_str(&body).unwrap()
}

#[test]
fn serve_rebuilds_on_save_and_reports_errors() {
    let site = fixture("basic");
    let server = Server::start(&site, &[]);
    let (code, page) = server.get("/spark/");
    assert_eq!(code, 200);
    assert!(page.contains("The Spark reads memory"));
    assert!(
        page.contains("<script id=\"sitegen-live\""),
        "live-reload script injected"
    );
    assert!(page.find("sitegen-live").unwrap() < page.rfind("</body>").unwrap());
    let mut events = Events::open(server.port);
    let first = events.until(|v| v["type"] == "status");
    assert_eq!(first["ok"], true);

    // An article edit shows in the served page, and the page is told to reload.
    edit(
        &site,
        "content/spark.md",
        "## Compared",
        "## Compared side by side",
    );
    wait_for("the edited page", 10, || {
        server.get("/spark/").1.contains("Compared side by side")
    });
    let reload = events.until(|v| v["type"] == "reload");
    assert_eq!(reload["pages"], serde_json::json!(["/spark/"]));

    // A drifting figure: the server still answers with the last good page, and says why.
    edit(&site, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
    let broken = events.until(|v| v["type"] == "status" && v["ok"] == false);
    let d = &broken["diagnostics"][0];
    let line = d["text"].as_str().unwrap();
    assert!(
        line.starts_with("error[drift]: content/spark.md:9:28: \"275 GB/s\" disagrees with devices.dgx_spark.memory_bandwidth"),
        "{line}"
    );
    let snippet = d["snippet"].as_str().unwrap();
    assert!(
        snippet.starts_with("9 | The Spark reads memory at [275 GB/s]"),
        "{snippet}"
    );
    assert!(snippet.ends_with('^'), "{snippet}");
    assert_eq!(status(&server)["ok"], false);
    let (code, page) = server.get("/spark/");
    assert_eq!(code, 200, "still serving");
    assert!(
        page.contains("Compared side by side") && !page.contains("275 GB/s"),
        "the last good page"
    );
    wait_for("the error in the terminal", 10, || {
        server
            .stderr()
            .contains("error[drift]: content/spark.md:9:28:")
    });
    assert!(server.stderr().contains("still serving the last good site"));

    // Fixed: the error goes, the next change shows.
    let text = read(&site, "content/spark.md")
        .replace("[275 GB/s]", "[273 GB/s]")
        .replace("side by side", "head to head");
    write(&site, "content/spark.md", &text);
    wait_for("the fixed page", 10, || {
        server.get("/spark/").1.contains("Compared head to head")
    });
    events.until(|v| v["type"] == "status" && v["ok"] == true);
    assert_eq!(status(&server)["errors"], 0);

    // Nothing was ever written into the site's folder.
    assert!(!site.join("public").exists(), "serve never writes public/");
}

#[test]
fn serve_follows_front_matter_data_templates_and_assets() {
    let site = fixture("basic");
    let server = Server::start(&site, &[]);
    let mut events = Events::open(server.port);
    events.until(|v| v["type"] == "status");

    // Front matter: the index lists the new title.
    edit(
        &site,
        "content/guides/other.md",
        "title: Another article",
        "title: Renamed article",
    );
    wait_for("the index", 10, || {
        server.get("/").1.contains("Renamed article")
    });
    assert!(server.get("/atom.xml").1.contains("Renamed article"));

    // Data: the empty-text citation shows the new figure.
    assert!(server.get("/spark/").1.contains("$3,999"));
    edit(
        &site,
        "data/devices.yaml",
        "launch_price: { value: 3999, unit: USD, source: nvidia-spec",
        "launch_price: { value: 4099, unit: USD, source: nvidia-spec",
    );
    wait_for("the data edit", 10, || {
        server.get("/spark/").1.contains("$4,099")
    });

    // A template of the site's own.
    write(&site, "templates/404.html", "{% extends \"base.html\" %}{% block content %}<p>Nothing here, friend.</p>{% endblock content %}");
    wait_for("the template edit", 10, || {
        server
            .get("/no/such/page/")
            .1
            .contains("Nothing here, friend.")
    });

    // A stylesheet: swapped, not reloaded.
    events.until(|v| v["type"] == "status");
    write(&site, "assets/extra.css", "body { color: rgb(1, 2, 3) }\n");
    let ev =
        events.until(|v| v["type"] == "reload" && v["css"] == serde_json::json!(["/extra.css"]));
    assert_eq!(ev["pages"], serde_json::json!([]));
    assert_eq!(ev["all"], false);
    assert_eq!(server.get("/extra.css").1, "body { color: rgb(1, 2, 3) }\n");

    // Bad YAML in front matter: reported with its line, fixed again.
    edit(
        &site,
        "content/guides/other.md",
        "date: 2026-04-01",
        "date: [2026",
    );
    let broken = events.until(|v| v["type"] == "status" && v["ok"] == false);
    assert!(broken["diagnostics"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("error[front-matter]: content/guides/other.md:"));
    edit(
        &site,
        "content/guides/other.md",
        "date: [2026",
        "date: 2026-04-01",
    );
    events.until(|v| v["type"] == "status" && v["ok"] == true);
}

#[test]
fn serve_answers_only_files_of_the_site() {
    let site = fixture("basic");
    // Symlinks out of the site, inside assets/: never served (nor copied by `build`).
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.join("sitegen.toml"), site.join("assets/config.txt"))
            .unwrap();
        std::os::unix::fs::symlink("/etc", site.join("assets/etc")).unwrap();
    }
    let server = Server::start(&site, &[]);
    for path in [
        "/../sitegen.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/sitegen.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%2e%2e%2fsitegen.toml",
        "/..%2fsitegen.toml",
        "/spark/../../sitegen.toml",
        "/..\\sitegen.toml",
        "/%5c..%5csitegen.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/content/spark.md",
        "/sitegen.toml",
        "/config.txt",
        "/etc/hostname",
        "/a%00b",
        "/spark%00/",
        "/%ff%fe/",
        "/%c0%ae%c0%ae/sitegen.toml",
        "/%zz",
        "/%",
        "http://127.0.0.1/../sitegen.toml",
    ] {
        let (code, body) = server.get(path);
        assert_eq!(code, 404, "{path}");
        assert!(
            !body.contains("base_url") && !body.contains("root:"),
            "{path} leaked a file"
        );
    }
    // The 404 page is the site's own, with status 404.
    let (code, body) = server.get("/no/such/page/");
    assert_eq!(code, 404);
    assert!(body.contains("<!DOCTYPE html>") && body.contains("sitegen-live"));

    // Folders get index.html; a folder without its slash is redirected to it.
    assert_eq!(server.get("/").0, 200);
    assert_eq!(server.get("/guides/other/").0, 200);
    assert_eq!(server.get("/guides/other/index.html").0, 200);
    let (code, head, _) =
        server.request("GET /spark?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(code, 301);
    assert!(head.contains("Location: /spark/?x=1"), "{head}");

    // Content types.
    for (path, ctype) in [
        ("/spark/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/atom.xml", "application/atom+xml"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain"),
    ] {
        let (code, head, _) = server.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(code, 200, "{path}");
        assert!(
            head.contains(&format!("Content-Type: {ctype}")),
            "{path}: {head}"
        );
    }
    // Only HTML gets the script.
    assert!(!server.get("/style.css").1.contains("sitegen-live"));
    assert!(!server.get("/atom.xml").1.contains("sitegen-live"));

    // HEAD: headers, no body. Other methods: 405.
    let (code, head, body) =
        server.request("HEAD /spark/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(code, 200);
    assert!(head.contains("Content-Length: ") && body.is_empty());
    let (code, _, _) = server.request(
        "POST /spark/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi",
    );
    assert_eq!(code, 405);

    // Garbage never takes the server down.
    for raw in [
        "\x00\x01\x02garbage\r\n\r\n".to_string(),
        "GET\r\n\r\n".to_string(),
        "GET / HTTP/7.0\r\n\r\n".to_string(),
        "GET /spark/ HTTP/1.1\r\nno colon here\r\n\r\n".to_string(),
        format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(20_000)),
        format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "b".repeat(100_000)),
        format!("GET / HTTP/1.1\r\n{}\r\n", "X-Many: 1\r\n".repeat(5_000)),
    ] {
        let (code, _, _) = server.request(&raw);
        assert!(
            code == 400 || code == 431,
            "{:?}: {code}",
            &raw[..raw.len().min(30)]
        );
    }
    let (code, _, _) = raw_request(server.port, b"GET /\xff\xfe HTTP/1.1\r\n\r\n");
    assert_eq!(code, 400);
    // A client that says nothing and goes away.
    drop(TcpStream::connect(("127.0.0.1", server.port)).unwrap());
    assert_eq!(server.get("/spark/").0, 200, "still serving");

    // Keep-alive: two requests on one connection.
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut all = String::new();
    s.read_to_string(&mut all).unwrap();
    assert_eq!(all.matches("HTTP/1.1 200 OK").count(), 2, "{all}");
    assert!(!server.stderr().contains("panicked"));
}

#[test]
fn serve_listens_on_loopback_only_by_default() {
    let site = fixture("basic");
    let server = Server::start(&site, &[]);
    assert!(server
        .stderr()
        .contains(&format!("serving http://127.0.0.1:{}/", server.port)));
    assert_eq!(server.get("/").0, 200);
    // 127.0.0.2 is loopback too, but not the address bound: a server on 0.0.0.0 would answer.
    let other = SocketAddr::from((Ipv4Addr::new(127, 0, 0, 2), server.port));
    assert!(
        TcpStream::connect_timeout(&other, Duration::from_secs(2)).is_err(),
        "answered on 127.0.0.2: not bound to 127.0.0.1 only"
    );
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = fixture("basic");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let run = sitegen(&site, &["serve", "--port", &port.to_string()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: port {port} on 127.0.0.1 is in use; try --port {}",
            port + 1
        )),
        "{}",
        run.stderr
    );
    let run = sitegen(&site, &["serve", "--port", "0", "--bind", "not-an-address"]);
    assert_eq!(run.code, 2);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly() {
    let site = fixture("basic");
    let mut server = Server::start(&site, &[]);
    assert_eq!(server.get("/").0, 200);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_site_that_does_not_build_yet_shows_why_then_serves() {
    let site = fixture("basic");
    edit(&site, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
    let server = Server::start(&site, &[]);
    assert!(server
        .stderr()
        .contains("error[drift]: content/spark.md:9:28:"));
    let (code, body) = server.get("/spark/");
    assert_eq!(code, 503);
    assert!(body.contains("does not build yet") && body.contains("sitegen-live"));
    let s = status(&server);
    assert_eq!(s["ok"], false);
    assert!(s["diagnostics"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("error[drift]"));
    edit(&site, "content/spark.md", "[275 GB/s]", "[273 GB/s]");
    wait_for("the site to build", 10, || server.get("/spark/").0 == 200);
    assert_eq!(status(&server)["ok"], true);
}

#[test]
fn build_output_never_has_the_live_reload_script() {
    let site = fixture("basic");
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (path, bytes) in snapshot(&site.join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("sitegen-live"),
            "{path} has the live-reload script"
        );
    }
}

#[test]
fn drafts_are_served_only_with_the_flag() {
    let site = fixture("basic");
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/draft/").0, 404);
    drop(server);
    let server = Server::start(&site, &["--drafts"]);
    let (code, body) = server.get("/draft/");
    assert_eq!(code, 200);
    assert!(body.contains("Unfinished"));
}

#[test]
fn only_the_authors_preview_shows_dataset_keys_in_tooltips() {
    let site = fixture("basic");
    let server = Server::start(&site, &[]);
    let (code, body) = server.get("/spark/");
    assert_eq!(code, 200);
    assert!(
        body.contains("<code class=\"tip-key\">devices.dgx_spark.memory_bandwidth</code>"),
        "{body}"
    );
    drop(server);
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    let built = read(&site, "public/spark/index.html");
    assert!(built.contains("class=\"cite-tip\""));
    assert!(!built.contains("tip-key") && !built.contains("devices.dgx_spark"));
}

/// The status code of the answer to `raw`, read from its first line only (an event stream
/// never ends), or 0 when none came.
fn status_line(ip: &str, port: u16, raw: &str) -> u16 {
    let mut s = TcpStream::connect((ip, port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut line = String::new();
    let _ = BufReader::new(s).read_line(&mut line);
    line.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn serve_answers_only_requests_for_this_machine() {
    let site = fixture("basic");
    // With drafts: what another site must never read.
    let server = Server::start(&site, &["--drafts"]);
    let port = server.port;
    // DNS rebinding: a page of evil.com whose name now points at 127.0.0.1.
    for host in [
        "evil.com".to_string(),
        format!("evil.com:{port}"),
        format!("localhost.evil.com:{port}"),
        format!("127.0.0.1.evil.com:{port}"),
        "127.0.0.2".to_string(),
        format!("0.0.0.0:{port}"),
        format!("[::2]:{port}"),
        "10.0.0.1".to_string(),
    ] {
        for path in [
            "/",
            "/spark/",
            "/draft/",
            "/style.css",
            "/__sitegen/status",
            "/__sitegen/events",
            "/no/such/page/",
            "/spark",
        ] {
            let (code, _, body) = server.request(&format!(
                "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ));
            assert!(code == 421 || code == 403, "{host} {path}: {code}");
            assert!(
                !body.contains("sitegen-live")
                    && !body.contains("diagnostics")
                    && !body.contains("Spark"),
                "{host} {path} answered: {body}"
            );
        }
        // Held open, the event stream would send the status: refused at once.
        let code = status_line(
            "127.0.0.1",
            port,
            &format!("GET /__sitegen/events HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        );
        assert!(code == 421 || code == 403, "{host} events: {code}");
    }
    // An absolute-form target names its host too.
    let (code, _, _) = server.request(
        "GET http://evil.com/__sitegen/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert!(code == 421 || code == 403, "absolute form: {code}");
    // No Host, two of them, or one that is not a host: 400 (RFC 9112 §3.2).
    for head in [
        "",
        "Host: 127.0.0.1\r\nHost: evil.com\r\n",
        "Host: \r\n",
        "Host: localhost:http\r\n",
        "Host: [::1\r\n",
        "Host: user@localhost\r\n",
    ] {
        let (code, _, body) = server.request(&format!(
            "GET /__sitegen/status HTTP/1.1\r\n{head}Connection: close\r\n\r\n"
        ));
        assert_eq!(code, 400, "{head:?}");
        assert!(!body.contains("diagnostics"), "{head:?}");
    }
    // The author's own names for this machine, with any port or none.
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        "LOCALHOST:1".to_string(),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        "127.0.0.1:8080".to_string(),
        "[::1]".to_string(),
        format!("[::1]:{port}"),
    ] {
        for path in ["/", "/spark/", "/__sitegen/status"] {
            let (code, _, body) = server.request(&format!(
                "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ));
            assert_eq!(code, 200, "{host} {path}");
            assert!(!body.is_empty(), "{host} {path}");
        }
        let code = status_line(
            "127.0.0.1",
            port,
            &format!("GET /__sitegen/events HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        );
        assert_eq!(code, 200, "{host} events");
    }
    assert!(!server.stderr().contains("panicked"));
}

/// Bound to another loopback address, that address is the author's too (only Linux routes
/// all of 127.0.0.0/8 to the loopback interface without configuration).
#[cfg(target_os = "linux")]
#[test]
fn serve_answers_requests_for_the_address_it_is_bound_to() {
    let site = fixture("basic");
    let server = Server::start(&site, &["--bind", "127.0.0.2"]);
    assert_eq!(server.ip, "127.0.0.2");
    let port = server.port;
    for host in [
        "127.0.0.2".to_string(),
        format!("127.0.0.2:{port}"),
        "127.0.0.2:1".to_string(),
        "localhost".to_string(),
        format!("127.0.0.1:{port}"),
    ] {
        for path in ["/", "/__sitegen/status"] {
            let (code, _, _) = server.request(&format!(
                "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ));
            assert_eq!(code, 200, "{host} {path}");
        }
        let code = status_line(
            "127.0.0.2",
            port,
            &format!("GET /__sitegen/events HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        );
        assert_eq!(code, 200, "{host} events");
    }
    for host in ["127.0.0.3", "evil.com:80"] {
        let (code, _, _) = server.request(&format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert!(code == 421 || code == 403, "{host}: {code}");
    }
}

#[test]
fn folder_redirects_never_leave_the_server() {
    let site = fixture("basic");
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/tags/").0, 200);
    // `//tags/` would be protocol-relative: the browser would go to the host `tags`.
    for (target, want) in [
        ("/tags", "/tags/"),
        ("//tags", "/tags/"),
        ("///tags", "/tags/"),
        ("//tags?x=1", "/tags/?x=1"),
        ("//tags/dgx-spark", "/tags/dgx-spark/"),
        ("/./tags", ""),
        ("/%2Ftags", "/tags/"),
        ("//spark", "/spark/"),
    ] {
        let (code, head, _) = server.request(&format!(
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ));
        let location = head
            .lines()
            .find_map(|l| l.strip_prefix("Location: "))
            .unwrap_or("");
        if want.is_empty() {
            assert_eq!(code, 404, "{target}: {head}");
        } else {
            assert_eq!((code, location), (301, want), "{target}: {head}");
        }
        assert!(
            !location.starts_with("//") && !location.starts_with("/\\"),
            "{target}: {location}"
        );
    }
}

/// Loopback only, bounded: 1,000 idle connections and 300 open event streams held, then
/// `GET /` timed on a new connection (median of 7, so that one descheduling on a busy
/// machine does not decide it).
#[test]
fn serve_answers_at_once_with_many_connections_held() {
    const IDLE: usize = 1_000;
    const STREAMS: usize = 300;
    let started = Instant::now();
    #[cfg(unix)]
    {
        let fds = raise_fd_limit(4_096);
        assert!(
            fds >= 2_048,
            "this test holds {} connections; the limit on open files is {fds} (ulimit -n)",
            IDLE + STREAMS
        );
    }
    let site = fixture("basic");
    let server = Server::start(&site, &[]);
    let mut idle = Vec::with_capacity(IDLE);
    for i in 0..IDLE {
        let s = TcpStream::connect(("127.0.0.1", server.port))
            .unwrap_or_else(|e| panic!("idle connection {i}: {e}"));
        idle.push(s);
    }
    let mut streams = Vec::with_capacity(STREAMS);
    for _ in 0..STREAMS {
        let mut e = Events::open(server.port);
        e.until(|v| v["type"] == "status");
        streams.push(e);
    }
    let held = started.elapsed();
    let mut times = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let (code, body) = server.get("/");
        times.push(t.elapsed());
        assert_eq!(code, 200);
        assert!(body.contains("sitegen-live"));
    }
    times.sort();
    let median = times[times.len() / 2];
    eprintln!(
        "{IDLE} idle connections and {STREAMS} event streams held after {} ms; GET / in {:?} (median), {:?} (max)",
        held.as_millis(),
        median,
        times[times.len() - 1]
    );
    assert!(
        median < Duration::from_millis(100),
        "GET / took {median:?} (median of {times:?})"
    );
    // All still held: no idle connection was closed, and every stream gets the next save.
    for (i, s) in idle.iter().enumerate() {
        s.set_nonblocking(true).unwrap();
        match s.peek(&mut [0u8; 1]) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("idle connection {i} was closed or answered: {other:?}"),
        }
    }
    edit(
        &site,
        "content/spark.md",
        "## Compared",
        "## Compared side by side",
    );
    for e in &mut streams {
        let ev = e.until(|v| v["type"] == "reload");
        assert_eq!(ev["pages"], serde_json::json!(["/spark/"]));
    }
    assert!(started.elapsed() < Duration::from_secs(60), "over 60 s");
}

/// GET `path` as bytes (a card is no text): status and body, read to the end.
fn get_bytes(server: &Server, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect((server.ip.as_str(), server.port)).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole head");
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    assert!(!head.contains("transfer-encoding: chunked"), "{head}");
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap();
    (status, buf[end + 4..].to_vec())
}

#[test]
fn a_title_edit_redraws_the_served_card_as_build_draws_it() {
    let site = fixture("basic");
    // A title no cache holds (the disk cache outlives test runs): serve must draw it.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let title = format!("The Spark, renamed {} {now}", std::process::id());
    let server = Server::start(&site, &[]);
    let (code, before) = get_bytes(&server, "/spark/card.png");
    assert_eq!(code, 200);
    assert!(before.starts_with(b"\x89PNG\r\n\x1a\n"));
    edit(
        &site,
        "content/spark.md",
        "title: The Spark in numbers",
        &format!("title: {title}"),
    );
    // The page first, then its card (drawn in the background).
    wait_for("the page", 10, || server.get("/spark/").1.contains(&title));
    let mut served = Vec::new();
    wait_for("the new card", 30, || {
        let (code, bytes) = get_bytes(&server, "/spark/card.png");
        served = bytes;
        code == 200 && served != before
    });
    assert!(served.starts_with(b"\x89PNG\r\n\x1a\n"));
    // `sitegen build` of the edited site, with a cache of its own, draws the same card.
    let out = temp_dir("card-build");
    let run = sitegen_env(
        &site,
        &["build", "--out", out.join("public").to_str().unwrap()],
        &[("SITEGEN_CACHE_DIR", out.join("cache").to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read(out.join("public/spark/card.png")).unwrap(),
        served,
        "the served card is the one build draws"
    );
    // And it is not the card of the old title.
    assert_ne!(served, before);
}
