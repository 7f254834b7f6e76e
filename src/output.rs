//! Atomic publishing: the whole site is written to a fresh folder beside the output and
//! swapped in only when every file was written, so a failed build never leaves a
//! half-written `public/`.

use crate::html::OutputFile;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Copies `assets/**` into the file list (an asset replaces a generated file of the same path).
pub fn collect_assets(root: &Path, files: &mut Vec<OutputFile>) -> std::io::Result<()> {
    let assets = root.join("assets");
    if !assets.is_dir() {
        return Ok(());
    }
    for e in walkdir::WalkDir::new(&assets).sort_by_file_name() {
        let e = e.map_err(std::io::Error::other)?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = crate::diagnostics::rel_path(&assets, e.path());
        let bytes = std::fs::read(e.path())?;
        files.retain(|f| f.path != rel);
        files.push(OutputFile { path: rel, bytes });
    }
    Ok(())
}

/// A sibling path of `out` with a suffix, e.g. `public.tmp-1234`.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{suffix}-{}", std::process::id()))
}

/// Writes `files` into a temporary folder beside `out`, then swaps it in for `out`.
pub fn publish(out: &Path, files: &[OutputFile]) -> std::io::Result<()> {
    if let Some(parent) = out.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)?;
        }
    }
    let tmp = sibling(out, "tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    let written = write_all(&tmp, files);
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    swap_in(&tmp, out)
}

fn write_all(dir: &Path, files: &[OutputFile]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for f in files {
        let path = dir.join(&f.path);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        w.write_all(&f.bytes)?;
        w.flush()?;
    }
    Ok(())
}

/// Replaces `out` by `tmp`: two renames, the old tree removed afterwards.
fn swap_in(tmp: &Path, out: &Path) -> std::io::Result<()> {
    if out.exists() {
        let old = sibling(out, "old");
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old)?;
        if let Err(e) = std::fs::rename(tmp, out) {
            // Put the previous site back rather than leave nothing.
            let _ = std::fs::rename(&old, out);
            return Err(e);
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(tmp, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_replaces_the_whole_folder() {
        let dir = std::env::temp_dir().join(format!("sitegen-out-{}", std::process::id()));
        let out = dir.join("public");
        let f = |p: &str, b: &str| OutputFile {
            path: p.into(),
            bytes: b.as_bytes().to_vec(),
        };
        publish(&out, &[f("a/index.html", "one"), f("stale.txt", "x")]).unwrap();
        publish(&out, &[f("a/index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("stale.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders are left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
