//! The floor for code highlighting: how many code lines per second syntect parses on the
//! corpus's code blocks, the way `sitegen build` highlights them against syntect's own
//! fastest path.
//!
//! ```text
//! python3 bench/gen.py 10000 /tmp/corpus
//! cargo run --release --example highlight_floor -- /tmp/corpus/sitegen/content [THREADS]
//! ```
//!
//! Reads every fenced code block of the Markdown files under the folder given, then times,
//! one after the other, on one thread and on THREADS threads (default: every core):
//!
//! - `parse only`: syntect's `ParseState::parse_line` over every line, nothing else: the
//!   floor with syntect (its regex engine and parser);
//! - `parse + scopes`: the same, plus a `ScopeStack` applying every operation, what any
//!   renderer of those tokens must do;
//! - `ClassedHTMLGenerator`: syntect's own HTML with CSS classes;
//! - `sitegen`: `sitegen::render::highlight::code_block`, what the build runs.
//!
//! A bench, not a test: nothing here runs in CI.

use std::path::Path;
use std::time::Instant;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The fenced code blocks of a Markdown text, as (language, code).
fn blocks(text: &str, out: &mut Vec<(String, String)>) {
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        let Some(lang) = l.strip_prefix("```") else {
            continue;
        };
        let lang = lang.trim().to_string();
        let mut code = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            code.push_str(l);
            code.push('\n');
        }
        out.push((lang, code));
    }
}

/// Every code block of the `.md` files below `dir`.
fn corpus(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    blocks(&t, &mut out);
                }
            }
        }
    }
    out
}

/// One way of highlighting a block; returns a number that depends on the work (so the
/// optimiser keeps it).
type Way = fn(&SyntaxSet, &str, &str) -> usize;

fn parse_only(set: &SyntaxSet, lang: &str, code: &str) -> usize {
    let Some(syntax) = set.find_syntax_by_token(lang) else {
        return 0;
    };
    let mut state = ParseState::new(syntax);
    let mut n = 0;
    for line in LinesWithEndings::from(code) {
        n += state.parse_line(line, set).map_or(0, |ops| ops.len());
    }
    n
}

fn parse_and_scopes(set: &SyntaxSet, lang: &str, code: &str) -> usize {
    let Some(syntax) = set.find_syntax_by_token(lang) else {
        return 0;
    };
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut n = 0;
    for line in LinesWithEndings::from(code) {
        if let Ok(ops) = state.parse_line(line, set) {
            for (_, op) in &ops {
                let _ = stack.apply(op);
            }
            n += stack.len();
        }
    }
    n
}

fn classed(set: &SyntaxSet, lang: &str, code: &str) -> usize {
    let Some(syntax) = set.find_syntax_by_token(lang) else {
        return 0;
    };
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, style);
    for line in LinesWithEndings::from(code) {
        let _ = gen.parse_html_for_line_which_includes_newline(line);
    }
    gen.finalize().len()
}

fn ours(_set: &SyntaxSet, lang: &str, code: &str) -> usize {
    sitegen::render::highlight::code_block(code, Some(lang)).len()
}

/// The CPU time this thread has used, in seconds (the machine may be shared: CPU time,
/// not wall time, is what compares).
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// Runs `way` over every block on `threads` threads (block i on thread i % threads);
/// returns the wall seconds and the CPU seconds of all threads.
fn run(set: &SyntaxSet, blocks: &[(String, String)], way: Way, threads: usize) -> (f64, f64) {
    let start = Instant::now();
    let (total, cpu) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let c0 = thread_cpu();
                    let n = blocks
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|(lang, code)| way(set, lang, code))
                        .sum::<usize>();
                    (n, thread_cpu() - c0)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or((0, 0.0)))
            .fold((0, 0.0), |(n, c), (m, d)| (n + m, c + d))
    });
    let secs = start.elapsed().as_secs_f64();
    assert!(total > 0, "nothing was highlighted");
    (secs, cpu)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: highlight_floor CONTENT_DIR [THREADS]");
        std::process::exit(2);
    };
    let threads: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1)
    });
    let blocks = corpus(Path::new(&dir));
    let lines: usize = blocks.iter().map(|(_, c)| c.lines().count()).sum();
    println!(
        "{} code blocks, {lines} lines, from {dir}; {threads} threads",
        blocks.len()
    );
    let set = SyntaxSet::load_defaults_newlines();
    // Warm up: syntect compiles each regex on first use; sitegen loads its own set.
    run(&set, &blocks[..blocks.len().min(200)], parse_only, 1);
    run(&set, &blocks[..blocks.len().min(200)], ours, 1);
    let ways: [(&str, Way); 4] = [
        ("parse only", parse_only),
        ("parse + scopes", parse_and_scopes),
        ("ClassedHTMLGenerator", classed),
        ("sitegen code_block", ours),
    ];
    println!(
        "| way | 1 thread: CPU | lines per CPU-second | {threads} threads: wall | CPU | lines per CPU-second |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, way) in ways {
        let (_, one) = run(&set, &blocks, way, 1);
        let (wall, cpu) = run(&set, &blocks, way, threads);
        println!(
            "| {name} | {one:.2} s | {:.0} | {wall:.2} s | {cpu:.2} s | {:.0} |",
            lines as f64 / one,
            lines as f64 / cpu
        );
    }
}
