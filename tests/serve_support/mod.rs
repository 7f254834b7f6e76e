//! Helpers for the `sitegen serve` tests: the server as a child process, raw HTTP/1.1
//! requests on `TcpStream`s, polling with a deadline.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `sitegen serve`, killed on drop.
pub struct Server {
    pub child: Child,
    /// The address it listens on, as printed (`127.0.0.1`).
    pub ip: String,
    pub port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `sitegen serve --port 0` on `site` and waits for the address it prints.
    pub fn start(site: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sitegen"))
            .args(["serve", "--root"])
            .arg(site)
            .args(["--port", "0"])
            .args(extra)
            .env("SITEGEN_TODAY", "2026-11-21")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sitegen serve starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let mut server = Server {
            child,
            ip: String::new(),
            port: 0,
            stderr,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let err = server.stderr();
            if let Some(i) = err.find("serving http://") {
                let rest = &err[i + "serving http://".len()..];
                let addr = &rest[..rest.find('/').unwrap()];
                let (ip, port) = addr.rsplit_once(':').unwrap();
                server.ip = ip.to_string();
                server.port = port.parse().unwrap();
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("sitegen serve exited ({status}) before serving:\n{err}");
            }
            assert!(
                Instant::now() < deadline,
                "sitegen serve did not start:\n{err}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything it printed to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// GET `path`: status and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ));
        (status, body)
    }

    /// Sends raw bytes; returns status, head and body of the answer (0 when none came).
    pub fn request(&self, raw: &str) -> (u16, String, String) {
        raw_request_to(&self.ip, self.port, raw.as_bytes())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request on a fresh connection, read to its end (the server closes after `Connection: close`).
pub fn raw_request(port: u16, raw: &[u8]) -> (u16, String, String) {
    raw_request_to("127.0.0.1", port, raw)
}

/// One request to `ip` (`127.0.0.1`, `[::1]`) on a fresh connection, read to its end.
pub fn raw_request_to(ip: &str, port: u16, raw: &[u8]) -> (u16, String, String) {
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    let mut s = TcpStream::connect((ip, port)).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may answer and close before it has read a huge request: not an error here.
    let _ = s.write_all(raw);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Polls `f` every 20 ms until it holds, for at most `secs` seconds.
pub fn wait_for(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Raises this process's limit on open files to at least `want` (when the hard limit
/// allows), for tests that hold many connections; the limit then.
#[cfg(unix)]
pub fn raise_fd_limit(want: usize) -> usize {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct they are given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        if usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX) < want {
            let raised = libc::rlimit {
                rlim_cur: (want as libc::rlim_t).min(lim.rlim_max),
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim.rlim_cur = raised.rlim_cur;
            }
        }
    }
    usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX)
}
