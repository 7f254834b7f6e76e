//! Quality gates with the real tools, on every page of the guide and of the fixtures:
//! the Nu HTML checker (vnu) fails on any error; axe-core in Debian's chromium, driven by
//! puppeteer-core at 390 and 1280 px, light and dark, fails on any violation of WCAG 2.1
//! A/AA or of axe's best practices, and on any page wider than its viewport.
//!
//! The tools come from `scripts/quality-deps` (CI runs it); a missing tool fails the test
//! with that command. One browser, pages in sequence: the run time is printed.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const INSTALL: &str = "install the quality tools: scripts/quality-deps";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails with the install command unless every tool of the gates is in place.
fn require_tools() {
    let root = repo();
    for file in [
        "node_modules/vnu-jar/build/dist/vnu.jar",
        "node_modules/axe-core/axe.min.js",
        "node_modules/puppeteer-core/package.json",
    ] {
        assert!(root.join(file).is_file(), "{file} is missing; {INSTALL}");
    }
    for (tool, arg) in [("java", "-version"), ("node", "--version")] {
        let ok = Command::new(tool)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "`{tool}` does not run; {INSTALL}");
    }
    assert!(
        Path::new(&chromium()).is_file(),
        "{} is missing; {INSTALL}",
        chromium()
    );
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Builds a site into a fresh folder; returns the folder.
fn build(root: &Path, name: &str) -> PathBuf {
    let out = temp_dir(&format!("quality-{name}"));
    let run = sitegen(root, &["build", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{name} builds: {}", run.stderr);
    out
}

/// Every HTML page of a built site, as paths below it (`/`, `/slug/`, `/404.html`).
fn pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_string_lossy();
            let rel = format!("/{}", rel.replace('\\', "/"));
            rel.strip_suffix("index.html")
                .map_or(rel.clone(), str::to_string)
        })
        .collect();
    pages.sort();
    pages
}

/// The Nu HTML checker's errors on every page, as `file: line: message` lines.
fn vnu_errors(out: &Path) -> Vec<String> {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(!files.is_empty());
    let o = Command::new("java")
        .arg("-jar")
        .arg(repo().join("node_modules/vnu-jar/build/dist/vnu.jar"))
        .args(["--errors-only", "--format", "json"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("vnu does not run ({e}); {INSTALL}"));
    // vnu writes its JSON report on stderr.
    let report: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu's report is not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    report["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            format!(
                "{}:{}: {}",
                m["url"].as_str().unwrap_or(""),
                m["lastLine"],
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// axe-core's violations and the page widths, as readable lines (empty when all is well).
fn axe_problems(out: &Path, pages: &[String]) -> (Vec<String>, usize) {
    let o = Command::new("node")
        .arg(repo().join("tests/quality/axe.mjs"))
        .arg(out)
        .args(pages)
        .env("CHROMIUM", chromium())
        .output()
        .unwrap_or_else(|e| panic!("node does not run ({e}); {INSTALL}"));
    assert!(
        o.status.success(),
        "tests/quality/axe.mjs failed ({INSTALL} if a module is missing):\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("axe.mjs prints JSON");
    let results = report["results"].as_array().expect("results");
    let mut problems = Vec::new();
    for r in results {
        let at = format!(
            "{} at {} px, {}",
            r["page"].as_str().unwrap_or(""),
            r["width"],
            r["scheme"].as_str().unwrap_or("")
        );
        let (width, scroll) = (
            r["width"].as_u64().unwrap(),
            r["scrollWidth"].as_u64().unwrap(),
        );
        if scroll > width {
            problems.push(format!("{at}: the page is {scroll} px wide"));
        }
        for v in r["violations"].as_array().into_iter().flatten() {
            for n in v["nodes"].as_array().into_iter().flatten() {
                problems.push(format!(
                    "{at}: {} ({}): {}",
                    v["id"].as_str().unwrap_or(""),
                    v["help"].as_str().unwrap_or(""),
                    n["target"].as_str().unwrap_or("")
                ));
            }
        }
    }
    (problems, results.len())
}

#[test]
fn every_page_of_the_guide_and_the_fixtures_passes_vnu_and_axe_at_both_widths_and_schemes() {
    require_tools();
    let started = Instant::now();
    let mut sites = vec![("guide".to_string(), build(&repo(), "guide"))];
    for name in ["basic", "github"] {
        let root = fixture(name);
        sites.push((name.to_string(), build(&root, name)));
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, out) in &sites {
        let pages = pages(out);
        assert!(pages.len() > 2, "{name} has pages: {pages:?}");
        for e in vnu_errors(out) {
            failures.push(format!("{name}: vnu: {e}"));
        }
        let (problems, runs) = axe_problems(out, &pages);
        assert_eq!(runs, pages.len() * 4, "every page at 2 widths × 2 schemes");
        checked += runs;
        failures.extend(problems.into_iter().map(|p| format!("{name}: {p}")));
    }
    eprintln!(
        "quality gates: {checked} page views checked in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
