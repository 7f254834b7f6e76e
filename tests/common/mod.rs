//! Helpers for the end-to-end tests: copy a fixture site somewhere fresh, run the binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The diagnostic lines (those starting with `error[` or `warning[`).
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
            .collect()
    }
}

/// Runs `sitegen ARGS` in `dir` with a fixed "today", outside GitHub Actions.
pub fn sitegen(dir: &Path, args: &[&str]) -> Run {
    sitegen_env(dir, args, &[])
}

/// Runs `sitegen ARGS` in `dir` with extra environment variables.
pub fn sitegen_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_sitegen"))
        .args(args)
        .current_dir(dir)
        .env("SITEGEN_TODAY", "2026-11-21")
        .env_remove("GITHUB_ACTIONS")
        .envs(env.iter().copied())
        .output()
        .expect("the sitegen binary runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "sitegen panicked:\n{}",
        run.stderr
    );
    run
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh empty folder for one test. Folders stay after the run, to look into when a
/// test fails; the first call removes those of earlier runs whose process has ended.
pub fn temp_dir(name: &str) -> PathBuf {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(sweep_ended_runs);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("sitegen-test-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Removes `sitegen-test-PID-*` folders left by test processes that are no longer running
/// (on Linux, where `/proc/PID` tells; elsewhere nothing is removed).
fn sweep_ended_runs() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix("sitegen-test-")) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().filter(|p| p.parse::<u32>().is_ok()) else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Copies `tests/fixtures/NAME` into a fresh folder and returns it.
pub fn fixture(name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dst = temp_dir(name);
    copy_dir(&src, &dst);
    dst
}

/// Copies a folder tree.
pub fn copy_dir(src: &Path, dst: &Path) {
    for e in walkdir::WalkDir::new(src) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(src).unwrap();
        let to = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, for byte-identical comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            m.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    m
}

/// Reads a file under the site.
pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Writes a file under the site, creating folders.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Replaces the first occurrence of `from` in a file.
pub fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let text = read(dir, rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    write(dir, rel, &text.replacen(from, to, 1));
}
