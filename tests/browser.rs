//! `sitegen serve` in a real browser: headless Chromium driven over the DevTools protocol
//! (a WebSocket, spoken with `tungstenite`). The page must reload by itself after a save,
//! keep its scroll position, swap a stylesheet without reloading (also when its event
//! stream connects after the save), and show the error overlay after a bad save. Skipped,
//! with a note, where Chromium is not installed.

mod common;
mod serve_support;
use common::*;
use serde_json::{json, Value};
use serve_support::{wait_for, Server};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// The Chromium binary: `$SITEGEN_CHROMIUM`, else the first of the usual names on PATH.
/// Missing, the test fails with the command that installs it: a skipped browser test
/// would let `cargo test` pass while proving nothing.
fn chromium() -> PathBuf {
    find_chromium().unwrap_or_else(|| {
        panic!(
            "no chromium on PATH (or set SITEGEN_CHROMIUM): the browser tests need it; install it with \
             `sudo apt-get install -y chromium chromium-driver` (or run scripts/test, which does)"
        )
    })
}

/// The first Chromium found: `$SITEGEN_CHROMIUM`, else the usual names on PATH.
fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SITEGEN_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// A headless Chromium and one page of it, attached over the DevTools protocol.
struct Browser {
    child: Child,
    profile: PathBuf,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    session: String,
    /// Events read while waiting for answers, oldest first, for [`Browser::event`].
    events: Vec<Value>,
}

impl Browser {
    fn launch(bin: &Path) -> Browser {
        let profile = temp_dir("chromium-profile");
        let mut child = Command::new(bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // Chromium prints `DevTools listening on ws://…` on stderr; read it in a thread, and
        // keep draining stderr afterwards so that Chromium never blocks on a full pipe.
        let (tx, rx) = std::sync::mpsc::channel();
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if let Some(i) = line.find("ws://") {
                    let _ = tx.send(line[i..].trim().to_string());
                }
            }
        });
        let url = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(u) => u,
            Err(_) => {
                let _ = child.kill();
                panic!("chromium printed no DevTools address");
            }
        };
        let hostport = url["ws://".len()..].split('/').next().unwrap().to_string();
        let stream = TcpStream::connect(&hostport).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let (ws, _) = tungstenite::client(url.as_str(), stream).expect("DevTools handshake");
        let mut b = Browser {
            child,
            profile,
            ws,
            next_id: 0,
            session: String::new(),
            events: Vec::new(),
        };
        let target = b.call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = b.call(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        // A short window, so that the article scrolls.
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 900, "height": 400, "deviceScaleFactor": 1, "mobile": false}),
        );
        b
    }

    /// Sends one command (to the page once attached) and waits for its answer; events are
    /// kept for [`Browser::event`], other answers skipped.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.try_call(method, params)
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    fn try_call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| e.to_string())?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if Instant::now() > deadline {
                return Err("no answer".into());
            }
            let Some(v) = self.read_json()? else { continue };
            if v["id"] == json!(id) {
                if let Some(err) = v.get("error") {
                    return Err(err.to_string());
                }
                return Ok(v["result"].clone());
            }
            if v.get("method").is_some() {
                self.events.push(v);
            }
        }
    }

    /// The first kept or coming event named `method`, taken out of the kept ones.
    fn event(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(i) = self.events.iter().position(|e| e["method"] == method) {
                return self.events.remove(i);
            }
            assert!(Instant::now() < deadline, "no {method} event");
            let read = self.read_json();
            if let Some(v) = read.unwrap_or_else(|e| panic!("{method}: {e}")) {
                if v.get("method").is_some() {
                    self.events.push(v);
                }
            }
        }
    }

    /// The next DevTools message as JSON; None for one that is not JSON text.
    fn read_json(&mut self) -> Result<Option<Value>, String> {
        let m = self.ws.read().map_err(|e| e.to_string())?;
        Ok(m.to_text().ok().and_then(|t| serde_json::from_str(t).ok()))
    }

    /// Evaluates JavaScript in the page; None while the page is between documents.
    fn eval(&mut self, js: &str) -> Option<Value> {
        let r = self
            .try_call(
                "Runtime.evaluate",
                json!({"expression": js, "returnByValue": true}),
            )
            .ok()?;
        if r.get("exceptionDetails").is_some() {
            return None;
        }
        Some(r["result"]["value"].clone())
    }

    fn eval_true(&mut self, js: &str) -> bool {
        self.eval(js) == Some(json!(true))
    }

    /// With `SITEGEN_SCREENSHOTS=DIR`, saves the page as DIR/NAME.png.b64 (base64 PNG), to look at.
    fn screenshot(&mut self, name: &str) {
        let Some(dir) = std::env::var_os("SITEGEN_SCREENSHOTS") else {
            return;
        };
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let path = Path::new(&dir).join(format!("{name}.png.b64"));
        std::fs::write(path, shot["data"].as_str().unwrap_or("")).unwrap();
    }

    fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        let url = url.to_string();
        wait_for("the page to load", 30, || {
            self.eval_true(&format!(
                "document.readyState === 'complete' && location.href === {}",
                json!(url)
            ))
        });
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Waits until the page's live-reload stream is open (the server subscribes it before the
/// stream's headers go out, so from then on no event is missed).
fn wait_for_stream(b: &mut Browser) {
    wait_for("the event stream", 10, || {
        b.eval_true("!!window.__sitegen && window.__sitegen.events.readyState === 1")
    });
}

/// A copy of the basic fixture served by `sitegen serve`, and a headless Chromium to look
/// at it; fails (with the install command) where Chromium is not installed.
fn serve_basic_in_chromium() -> (PathBuf, Server, Browser) {
    let bin = chromium();
    let site = fixture("basic");
    let server = Server::start(&site, &[]);
    let b = Browser::launch(&bin);
    (site, server, b)
}

#[test]
fn the_open_page_follows_every_save() {
    let (site, server, mut b) = serve_basic_in_chromium();
    let base = format!("http://127.0.0.1:{}", server.port);
    b.navigate(&format!("{base}/spark/"));
    assert!(b.eval_true("document.body.innerText.includes('The Spark reads memory')"));
    // The live-reload stream is open before the first save (a save before that is caught
    // by the version check, but this test wants the event path).
    wait_for_stream(&mut b);

    // A save reloads the page by itself, back at the same scroll position.
    b.eval("window.scrollTo(0, 300); window.__before = 1; true");
    let y = b.eval("window.scrollY").and_then(|v| v.as_f64()).unwrap();
    assert!(y > 100.0, "the page scrolls ({y})");
    edit(
        &site,
        "content/spark.md",
        "## Compared",
        "## Compared side by side",
    );
    wait_for("the page to reload with the edit", 15, || {
        b.eval_true("window.__before === undefined && document.body.innerText.includes('Compared side by side')")
    });
    wait_for("the scroll position to come back", 10, || {
        b.eval(&format!("Math.abs(window.scrollY - {y}) < 2")) == Some(json!(true))
    });

    // A bad save: an overlay with the problem and its source line; the page stays.
    b.eval("window.__broken = 1; true");
    edit(&site, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
    wait_for("the error overlay", 15, || {
        b.eval_true(
            "(document.getElementById('sitegen-overlay') || {innerText: ''}).innerText.includes('error[drift]: content/spark.md:9:28')",
        )
    });
    let overlay = b
        .eval("document.getElementById('sitegen-overlay').innerText")
        .unwrap();
    let overlay = overlay.as_str().unwrap();
    assert!(
        overlay.contains("9 | The Spark reads memory at [275 GB/s]"),
        "{overlay}"
    );
    assert!(overlay.contains("1 error, 0 warnings"), "{overlay}");
    assert!(
        b.eval_true("window.__broken === 1"),
        "no reload on a bad save"
    );
    b.screenshot("overlay");

    // A page opened while the site is broken shows the overlay too.
    b.navigate(&format!("{base}/guides/other/"));
    wait_for("the overlay on a fresh page", 15, || {
        b.eval_true("!!document.getElementById('sitegen-overlay')")
    });
    b.navigate(&format!("{base}/spark/"));
    wait_for("the overlay", 15, || {
        b.eval_true("!!document.getElementById('sitegen-overlay')")
    });

    // Fixed: the overlay goes, the page shows the next edit.
    let text = read(&site, "content/spark.md")
        .replace("[275 GB/s]", "[273 GB/s]")
        .replace("side by side", "head to head");
    write(&site, "content/spark.md", &text);
    wait_for("the fixed page", 15, || {
        b.eval_true(
            "!document.getElementById('sitegen-overlay') && document.body.innerText.includes('Compared head to head')",
        )
    });

    b.screenshot("fixed");

    // A stylesheet edit applies without a reload. The reloaded page listens first, so that
    // this is the live event's path (a page that connects late is the next test's).
    wait_for_stream(&mut b);
    b.eval("window.__css = 1; true");
    write(
        &site,
        "assets/style.css",
        "html { border-top: 7px solid rgb(1, 2, 3); }\n",
    );
    wait_for("the new stylesheet", 15, || {
        b.eval_true("getComputedStyle(document.documentElement).borderTopColor === 'rgb(1, 2, 3)'")
    });
    assert!(
        b.eval_true("window.__css === 1"),
        "a CSS edit does not reload the page"
    );
}

/// The server's current snapshot version, read over plain HTTP.
fn server_version(server: &Server) -> u64 {
    let (code, body) = server.get("/__sitegen/status");
    assert_eq!(code, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v["version"].as_u64().unwrap()
}

/// Opens `url` with its live-reload stream held back, saves, waits until the server has
/// rebuilt, marks the page, then lets the stream connect: the page connects late. Returns
/// the version the server is at.
fn save_before_the_stream_connects(
    b: &mut Browser,
    server: &Server,
    url: &str,
    save: impl FnOnce(),
) -> u64 {
    b.events.clear();
    b.navigate(url);
    // Paused, not blocked: a blocked request closes an EventSource for good.
    let paused = b.event("Fetch.requestPaused");
    let before = server_version(server);
    save();
    wait_for("the rebuild", 15, || server_version(server) > before);
    let now = server_version(server);
    assert!(
        b.eval_true("window.__sitegen.events.readyState === 0"),
        "the stream is still held back"
    );
    b.eval("window.__late = 1; true");
    b.call(
        "Fetch.continueRequest",
        json!({"requestId": paused["params"]["requestId"]}),
    );
    now
}

#[test]
fn a_page_that_connects_late_catches_up() {
    let (site, server, mut b) = serve_basic_in_chromium();
    let page = format!("http://127.0.0.1:{}/spark/", server.port);
    b.call(
        "Fetch.enable",
        json!({"patterns": [{"urlPattern": "*/__sitegen/events*", "requestStage": "Request"}]}),
    );

    // A stylesheet saved before the page listened: swapped in place, no reload.
    let version = save_before_the_stream_connects(&mut b, &server, &page, || {
        write(
            &site,
            "assets/style.css",
            "html { border-top: 7px solid rgb(1, 2, 3); }\n",
        )
    });
    wait_for("the new stylesheet, or a reload", 15, || {
        b.eval_true("window.__late === undefined || getComputedStyle(document.documentElement).borderTopColor === 'rgb(1, 2, 3)'")
    });
    // At least that version: a new file's creation and its write may land as two rebuilds.
    let swapped = format!("window.__late === 1 && window.__sitegen.version() >= {version}");
    assert!(
        b.eval_true(&swapped),
        "a stylesheet saved before the page listened is swapped, not reloaded"
    );
    // Still the same page once the stream is open: no reload was under way either.
    wait_for_stream(&mut b);
    assert!(b.eval_true(&swapped), "the page did not reload");

    // The page itself saved before it listened: it reloads.
    save_before_the_stream_connects(&mut b, &server, &page, || {
        edit(&site, "content/spark.md", "## Compared", "## Compared late")
    });
    wait_for("the page to reload with the edit", 15, || {
        b.eval_true(
            "window.__late === undefined && document.body.innerText.includes('Compared late')",
        )
    });
}
