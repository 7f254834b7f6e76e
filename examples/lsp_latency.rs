//! How long `sitegen lsp` takes from an edit to its diagnostics: didChange to
//! publishDiagnostics, as an editor sees it.
//!
//! ```text
//! cargo build --release && cargo run --release --example lsp_latency -- ROOT ARTICLE [EDITS]
//! ```
//!
//! Starts `target/release/sitegen lsp` with ROOT as the workspace folder, opens ARTICLE
//! (relative to ROOT, e.g. `content/buying.md`), then makes EDITS (default 20) edits one at
//! a time, each changing one digit of the article's first citation text (drift, then back:
//! every other edit is an error, every other one is clean), and times each until the
//! diagnostics of that version arrive. Prints every time, the median and the maximum.
//! A bench, not a test: nothing here runs in CI.

#[path = "../tests/lsp_support/mod.rs"]
mod lsp_support;

use lsp_support::{uri, Client};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: lsp_latency ROOT ARTICLE [EDITS]");
        std::process::exit(2);
    }
    let root = PathBuf::from(&args[0])
        .canonicalize()
        .expect("ROOT is a folder");
    let article = &args[1];
    let edits: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/sitegen");
    let text = std::fs::read_to_string(root.join(article)).expect("ARTICLE is readable");
    // The first digit inside a citation's text: `[273 GB/s](cite:…)`.
    let cite = text.find("](cite:").expect("the article cites a figure");
    let open = text[..cite].rfind('[').expect("a citation's text");
    let digit = open
        + text[open..cite]
            .find(|c: char| c.is_ascii_digit())
            .expect("a figure in the citation text");
    let line = text[..digit].matches('\n').count();
    let col = digit - text[..digit].rfind('\n').map_or(0, |i| i + 1);
    let original = &text[digit..digit + 1];
    let other = if original == "9" { "8" } else { "9" };

    let mut c = Client::start(&bin, &std::env::temp_dir());
    let started = Instant::now();
    c.initialize(&root);
    let doc = uri(&root.join(article));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let first = c.diagnostics(&doc, 1);
    eprintln!(
        "initialize + first check + didOpen: {} ms ({} diagnostics)",
        started.elapsed().as_millis(),
        first.len()
    );
    let mut times = Vec::new();
    for i in 0..edits {
        let version = i as i64 + 2;
        let new = if i % 2 == 0 { other } else { original };
        let t = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": doc, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}, "text": new}],
            }),
        );
        let d = c.diagnostics(&doc, version);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let drift = d.iter().any(|x| x["code"] == "drift");
        assert_eq!(drift, i % 2 == 0, "edit {i}: {d:?}");
        println!("edit {i:2}: {ms:6.2} ms ({} diagnostics)", d.len());
        times.push(ms);
        // Edits a person makes, not a flood: one every 50 ms.
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    times.sort_by(f64::total_cmp);
    let median = if times.len() % 2 == 1 {
        times[times.len() / 2]
    } else {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    };
    println!(
        "median {median:.2} ms, max {:.2} ms over {edits} edits",
        times.last().copied().unwrap_or(0.0)
    );
    assert_eq!(c.shutdown(), 0);
}
