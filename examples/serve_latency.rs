//! How long a save takes to show in `sitegen serve`, on a generated site of 2,000 articles.
//!
//! ```text
//! cargo build --release && cargo run --release --example serve_latency [-- ARTICLES EDITS]
//! ```
//!
//! Generates the site in a temporary folder (each article about 1,000 words with headings, a
//! code block, a link and five citations of the dataset of `tests/fixtures/basic/data`),
//! starts `target/release/sitegen serve` on it, then saves EDITS articles one at a time and
//! times each save until the served page (fetched over HTTP, as the browser does after its
//! reload event) shows the change. Prints every time, the median and the maximum. A bench,
//! not a test: nothing here runs in CI.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WORDS: &[&str] = &[
    "memory",
    "bandwidth",
    "model",
    "token",
    "throughput",
    "cluster",
    "node",
    "desktop",
    "workstation",
    "unified",
    "latency",
    "context",
    "window",
    "quantization",
    "runtime",
    "kernel",
    "driver",
    "cache",
    "batch",
    "prompt",
    "decode",
    "prefill",
    "scheduler",
    "thermal",
    "envelope",
    "power",
    "budget",
    "cooling",
    "chassis",
    "firmware",
    "storage",
    "network",
    "fabric",
    "switch",
    "cable",
    "rack",
    "cloud",
    "rental",
    "price",
    "buyer",
    "owner",
    "review",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "with",
    "on",
    "as",
    "it",
    "when",
    "while",
    "because",
    "which",
    "every",
    "most",
    "some",
    "fast",
    "slow",
    "large",
    "small",
    "quiet",
    "loud",
    "cheap",
    "dear",
    "measured",
    "reported",
    "claimed",
    "tested",
    "runs",
];

/// A small deterministic generator, so that every run measures the same site.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
    fn sentence(&mut self, n: usize) -> String {
        let mut s: Vec<&str> = (0..n).map(|_| self.word()).collect();
        let first = s[0].to_string();
        let mut cap = first[..1].to_uppercase();
        cap.push_str(&first[1..]);
        s[0] = Box::leak(cap.into_boxed_str());
        format!("{}.", s.join(" "))
    }
}

/// The five citations each article carries, all agreeing with the dataset.
const CITES: &[&str] = &[
    "The Spark reads memory at [273 GB/s](cite:devices.dgx_spark.memory_bandwidth).",
    "It launched at [](cite:devices.dgx_spark.launch_price).",
    "It decodes at [52.77 tok/s](cite:bench.gpt_oss_120b.spark.eval_tps) in the benchmark.",
    "European shops ask [€4,800–5,200](cite:devices.dgx_spark.street_price_eu) for it.",
    "That is [2.7x](<cite:bench.gpt_oss_120b.spark.eval_tps / bench.gpt_oss_120b.desktop.eval_tps>) the desktop.",
];

fn article(i: usize, n: usize, rng: &mut Rng) -> String {
    let day = 1 + i % 28;
    let month = 1 + (i / 28) % 12;
    let year = 2020 + (i / 336) % 7;
    let tags: Vec<String> = (0..3)
        .map(|k| format!("topic-{}", (i + k * 7) % 20))
        .collect();
    let mut s = format!(
        "---\ntitle: Article {i} on {} and {}\ndescription: {}\ndate: {year}-{month:02}-{day:02}\ntags: [{}]\n---\n\n",
        rng.word(),
        rng.word(),
        rng.sentence(12),
        tags.join(", ")
    );
    s.push_str("Revision marker alpha of this article.\n\n");
    for sec in 0..4 {
        if sec == 0 {
            // The anchor the next article links to.
            s.push_str("## Part one\n\n");
        } else {
            let part = ["one", "two", "three", "four"][sec];
            s.push_str(&format!(
                "## {} part {part}\n\n",
                rng.sentence(3).trim_end_matches('.')
            ));
        }
        for _ in 0..3 {
            let mut para: Vec<String> = (0..6)
                .map(|_| {
                    let len = 10 + rng.below(6);
                    rng.sentence(len)
                })
                .collect();
            if sec < 2 {
                para.push(CITES[(sec * 3 + para.len()) % CITES.len()].to_string());
            }
            s.push_str(&para.join(" "));
            s.push_str("\n\n");
        }
        if sec == 1 {
            s.push_str("```bash\nnvidia-smi --query-gpu=memory.used --format=csv\nsudo sysctl vm.drop_caches=3\nllama-server -m model.gguf -c 8192 --port 8080\n```\n\n");
        }
        if sec == 2 {
            for c in CITES.iter().skip(2) {
                s.push_str(c);
                s.push(' ');
            }
            s.push_str("\n\n");
            s.push_str(&format!(
                "See [the previous article](art-{:05}.md#{}) too.\n\n",
                (i + n - 1) % n,
                "part-one"
            ));
        }
    }
    s
}

fn generate(dir: &Path, n: usize) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/data");
    for e in walk(&data) {
        let to = dir.join("data").join(e.strip_prefix(&data).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&e, &to).unwrap();
    }
    std::fs::write(
        dir.join("sitegen.toml"),
        "title = \"Latency bench\"\nbase_url = \"https://bench.example.org\"\nauthor = \"Bench\"\n\n[receipts]\nmax_age_days = 36500\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("content")).unwrap();
    let mut rng = Rng(0x5eed_2026);
    for i in 0..n {
        std::fs::write(
            dir.join(format!("content/art-{i:05}.md")),
            article(i, n, &mut rng),
        )
        .unwrap();
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The server process, killed when dropped.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let edits: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    // target/release/examples/serve_latency → target/release/sitegen
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(Path::parent).unwrap().join("sitegen");
    assert!(
        bin.is_file(),
        "build the binary first: cargo build --release ({} missing)",
        bin.display()
    );
    let dir = std::env::temp_dir().join(format!("sitegen-latency-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let t = Instant::now();
    generate(&dir, n);
    eprintln!("generated {n} articles in {} ms", t.elapsed().as_millis());

    let t = Instant::now();
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let pipe = child.stderr.take().unwrap();
    // Killed however this ends, a failed assertion included.
    let _server = KillOnDrop(child);
    let sink = Arc::clone(&log);
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut l = sink.lock().unwrap();
            l.push_str(&line);
            l.push('\n');
        }
    });
    let port: u16 = loop {
        let text = log.lock().unwrap().clone();
        if let Some(i) = text.find("serving http://127.0.0.1:") {
            let rest = &text[i + 25..];
            break rest[..rest.find('/').unwrap()].parse().unwrap();
        }
        assert!(t.elapsed() < Duration::from_secs(300), "no server:\n{text}");
        std::thread::sleep(Duration::from_millis(10));
    };
    eprintln!(
        "first build and serving after {} ms",
        t.elapsed().as_millis()
    );

    let mut times = Vec::new();
    for e in 0..edits {
        let k = (e * 97 + 13) % n;
        let path = dir.join(format!("content/art-{k:05}.md"));
        let url = format!("/art-{k:05}/");
        let text = std::fs::read_to_string(&path).unwrap();
        let marker = format!(
            "Revision marker edit{}x{} of",
            ["a", "b", "c", "d"][e % 4],
            e
        );
        let marker = marker.replace(|c: char| c.is_ascii_digit(), "q");
        let marker = format!("{marker}{}", "z".repeat(e + 1));
        let new = text.replacen("Revision marker alpha of", &marker, 1);
        if !get(port, &url).contains("Revision marker alpha") {
            let text = log.lock().unwrap().clone();
            let head: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
            panic!("{url} is not served; the server said:\n{head}");
        }
        let start = Instant::now();
        std::fs::write(&path, new).unwrap();
        loop {
            if get(port, &url).contains(&marker) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{url} never showed the edit"
            );
            std::thread::sleep(Duration::from_micros(500));
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        println!("edit {:2}: {url} shown after {ms:.1} ms", e + 1);
        times.push(ms);
        // Apart, so that each save is its own rebuild.
        std::thread::sleep(Duration::from_millis(100));
    }
    // One front-matter edit: the title reaches the index (lists, tags and feeds re-rendered).
    let path = dir.join("content/art-00500.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = Instant::now();
    std::fs::write(
        &path,
        text.replacen("title: Article", "title: Retitled article", 1),
    )
    .unwrap();
    while !get(port, "/").contains("Retitled article") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the index never showed the new title"
        );
        std::thread::sleep(Duration::from_micros(500));
    }
    let front_ms = start.elapsed().as_secs_f64() * 1000.0;
    drop(_server);
    let _ = std::fs::remove_dir_all(&dir);
    times.sort_by(f64::total_cmp);
    let median = if times.len() % 2 == 0 {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    } else {
        times[times.len() / 2]
    };
    println!(
        "{n} articles, {edits} article edits: median {median:.1} ms, max {:.1} ms (save to served page)",
        times.last().copied().unwrap_or(0.0)
    );
    println!("a front-matter edit (new title) reached the index after {front_ms:.1} ms");
    let server_log = log.lock().unwrap().clone();
    let rebuilds: Vec<&str> = server_log
        .lines()
        .filter(|l| l.starts_with("rebuilt"))
        .collect();
    if let Some(last) = rebuilds.last() {
        println!("last rebuild as the server reports it: {last}");
    }
}
