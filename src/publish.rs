//! Atomic publishing: the whole site is written to a fresh folder beside the output and
//! swapped in only when every file was written, so a failed build never leaves a
//! half-written `public/`. On Linux the swap is one `renameat2(RENAME_EXCHANGE)`, so there
//! is no moment without an output folder; temporaries left by killed builds are removed by
//! the next one. [`guard_output`] refuses output folders whose replacement would destroy
//! the author's files.

use crate::check::site::Site;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::render::cards;
use crate::render::html::{self, OutputFile, Templates};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Copies `assets/**` into the file list (an asset replaces a generated file of the same
/// path, such as style.css). Special files and links out of the site are not taken (the
/// check reported them).
pub fn collect_assets(root: &Path, files: &mut Vec<OutputFile>) -> std::io::Result<()> {
    let mut reported = Vec::new();
    for a in crate::load::walk::asset_files(root, &mut reported) {
        let rel = a.rel.strip_prefix("assets/").unwrap_or(&a.rel).to_string();
        let bytes = std::fs::read(&a.path)?;
        files.retain(|f| f.path != rel);
        files.push(OutputFile { path: rel, bytes });
    }
    Ok(())
}

/// The file sitegen leaves in every output folder it writes (`public/`, `gated/`), so that
/// a later run knows the folder is its own to replace.
pub const MARKER: &str = ".sitegen-output";

/// What [`MARKER`] holds: a line saying what it is for.
const MARKER_TEXT: &str =
    "This folder is written by sitegen and replaced whole on each run; do not keep files here.\n";

/// Why sitegen refuses to write into an output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The output would replace the site itself or one of its source folders (no override).
    Protected(String),
    /// A non-empty folder sitegen did not write (`--force` overrides).
    Foreign(String),
}

/// Checks that writing the output to `out` cannot destroy the site at `root`: `out` may
/// not be the root or hold it, nor lie inside content/, data/, templates/, assets/ or .git/
/// (nor be sitegen.toml), and must be missing, empty, or marked by a previous run with
/// [`MARKER`], unless `force`.
pub fn guard_output(root: &Path, out: &Path, force: bool) -> Result<(), Refusal> {
    let root_abs = absolute(root);
    let out_abs = absolute(out);
    if root_abs.starts_with(&out_abs) {
        return Err(Refusal::Protected(format!(
            "--out {} is the site root or holds it: replacing it would delete the site; choose a folder of its own, e.g. public/",
            out.display()
        )));
    }
    for src in [
        "content",
        "data",
        "templates",
        "assets",
        ".git",
        "sitegen.toml",
    ] {
        if out_abs.starts_with(root_abs.join(src)) {
            return Err(Refusal::Protected(format!(
                "--out {} lies inside the site's {src}: replacing it would delete the author's files; choose a folder of its own, e.g. public/",
                out.display()
            )));
        }
    }
    let foreign = match std::fs::symlink_metadata(out) {
        Err(_) => false,
        Ok(m) if m.is_dir() => {
            let mut entries = std::fs::read_dir(out).map_err(|e| {
                Refusal::Protected(format!("cannot read --out {}: {e}", out.display()))
            })?;
            entries.next().is_some() && !out.join(MARKER).is_file()
        }
        Ok(_) => true,
    };
    if foreign && !force {
        return Err(Refusal::Foreign(format!(
            "--out {} already holds files sitegen did not write (no {MARKER} in it): they would be deleted; empty it, choose another folder, or pass --force to replace it",
            out.display()
        )));
    }
    Ok(())
}

/// `p` made absolute with symbolic links resolved, also when it does not exist yet: the
/// longest existing ancestor is canonicalized and the rest appended (`..` resolved).
fn absolute(p: &Path) -> PathBuf {
    use std::path::Component;
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = p.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(existing) {
            let mut out = c;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(n) => out.push(n),
                    _ => {}
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return p.clone(),
        }
    }
}

/// Marks `dir` as written by sitegen (see [`MARKER`]).
pub fn mark(dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join(MARKER), MARKER_TEXT)
}

/// Removes the temporaries (`.NAME.tmp-PID`, `.NAME.old-PID`, `.FILE.tmp-PID`) in `dir`
/// whose name starts with `prefix` and whose process no longer runs: what a killed build
/// leaves behind. Returns how many were removed.
pub fn remove_dead_temporaries(dir: &Path, prefix: &str) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with(prefix) {
            continue;
        }
        let Some((head, pid)) = name.rsplit_once('-') else {
            continue;
        };
        if !(head.ends_with(".tmp") || head.ends_with(".old")) {
            continue;
        }
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || process_runs(pid) {
            continue;
        }
        let gone = match e.file_type() {
            Ok(t) if t.is_dir() => {
                remove_tree(&e.path());
                !e.path().exists()
            }
            _ => std::fs::remove_file(e.path()).is_ok(),
        };
        removed += usize::from(gone);
    }
    removed
}

/// Whether a process with this id runs (on Unix, `kill(pid, 0)`; elsewhere assumed so).
fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// A sibling path of `out` with a suffix, e.g. `public.tmp-1234`.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{suffix}-{}", std::process::id()))
}

/// Lets `fill` write the site into a fresh temporary folder beside `out` (with
/// [`write_file`], from as many threads as it likes), then swaps that folder in for `out`.
/// When `fill` fails, the temporary folder is removed and `out` is left as it was.
pub fn publish_with<T, E: From<std::io::Error>>(
    out: &Path,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, E> {
    if let Some(parent) = out.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)?;
        }
    }
    if let (Some(parent), Some(name)) = (out.parent(), out.file_name()) {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        remove_dead_temporaries(parent, &format!(".{}.", name.to_string_lossy()));
    }
    let tmp = sibling(out, "tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    match fill(&tmp) {
        Ok(v) => {
            swap_in(&tmp, out)?;
            Ok(v)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

/// Writes one output file below `dir`, creating its folders. Safe to call from many threads.
/// A file already there (a card an asset replaces) is unlinked first, never truncated: it
/// may be a link to the cards' disk cache.
pub fn write_file(dir: &Path, f: &OutputFile) -> std::io::Result<()> {
    let path = dir.join(&f.path);
    let new = || {
        in_new_folder(&path, || {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
        })
    };
    let mut file = match new() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(&path)?;
            new()?
        }
        other => other?,
    };
    file.write_all(&f.bytes)
}

/// Runs `make`, which creates `path`; when that fails for want of a folder, creates
/// `path`'s folders and runs it again. Most files go into a folder that already exists
/// (an article's page after its card), where asking for the folders first would cost a
/// failed mkdir and a stat each.
fn in_new_folder<T>(path: &Path, make: impl Fn() -> std::io::Result<T>) -> std::io::Result<T> {
    match make() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p)?;
            }
            make()
        }
        other => other,
    }
}

/// Puts an article's social card at `path` below `dir`: a hard link to the cards' disk
/// cache (no bytes copied; the cache never changes a file in place, so the linked file
/// never changes), or a copy where a link cannot be made (another file system); a card
/// just drawn is written like any file and then linked into the cache
/// ([`cards::keep`]).
fn write_card(dir: &Path, path: &str, png: cards::Png) -> std::io::Result<()> {
    let target = dir.join(path);
    match png {
        cards::Png::Cached(file) => {
            let link = || in_new_folder(&target, || std::fs::hard_link(&file, &target));
            match link() {
                // Another output took the path (two articles at one URL, an error): replace
                // the name, never the file behind it, which may be another cached card.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    std::fs::remove_file(&target)?;
                    link()
                }
                other => other,
            }
            // No link across file systems: a copy, into a new file like any output.
            .or_else(|_| {
                let bytes = std::fs::read(&file)?;
                write_file(
                    dir,
                    &OutputFile {
                        path: path.to_string(),
                        bytes,
                    },
                )
            })
        }
        cards::Png::Drawn(bytes, cache) => {
            write_file(
                dir,
                &OutputFile {
                    path: path.to_string(),
                    bytes,
                },
            )?;
            cards::keep(&target, &cache);
            Ok(())
        }
    }
}

/// Replaces `out` by `tmp`, the old tree removed afterwards: on Linux one atomic exchange
/// of the two names, so `out` always exists; elsewhere (or on a file system without
/// exchange) two renames.
fn swap_in(tmp: &Path, out: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(out).is_ok() {
        if exchange(tmp, out)? {
            // `tmp` now names the previous site.
            remove_tree(tmp);
            return Ok(());
        }
        let old = sibling(out, "old");
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old)?;
        if let Err(e) = std::fs::rename(tmp, out) {
            // Put the previous site back rather than leave nothing.
            let _ = std::fs::rename(&old, out);
            return Err(e);
        }
        remove_tree(&old);
    } else {
        std::fs::rename(tmp, out)?;
    }
    Ok(())
}

/// Swaps the names `a` and `b` atomically with `renameat2(RENAME_EXCHANGE)`; false when
/// the system or file system cannot (the caller then renames twice).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes()).map_err(|e| std::io::Error::other(e.to_string()))
    };
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths relative to the working directory.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

/// No atomic exchange outside Linux: the caller renames twice.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Removes a folder and everything in it, its top-level entries in parallel: unlinking a
/// previous site of thousands of pages is kernel CPU time. Symbolic links are not followed.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if std::fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
        let _ = std::fs::remove_file(dir);
        return;
    }
    if let Ok(rd) = std::fs::read_dir(dir) {
        let entries: Vec<std::fs::DirEntry> = rd.filter_map(Result::ok).collect();
        entries.par_iter().for_each(|e| {
            let _ = match e.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(e.path()),
                _ => std::fs::remove_file(e.path()),
            };
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Renders the checked site and publishes it atomically into `out` (the site's files,
/// what `sitegen serve` holds too); returns how many files were written.
pub fn publish_site(site: &Site, out: &Path) -> Result<usize, WriteError> {
    let templates = Templates::load(&site.root).map_err(WriteError::Diags)?;
    publish_rendered_with(site, &templates, out)
}

/// [`publish_site`] with templates already loaded (e.g. the author's view of `serve`,
/// to compare a preview with what it would publish).
pub fn publish_rendered_with(
    site: &Site,
    templates: &Templates,
    out: &Path,
) -> Result<usize, WriteError> {
    publish_with(out, |tmp| write_site(site, templates, tmp))
}

/// [`publish_site`] with the [`MARKER`] in the folder swapped in, so that the output is
/// known as sitegen's from its first moment (what `sitegen build` writes).
pub fn publish_site_marked(site: &Site, out: &Path) -> Result<usize, WriteError> {
    let templates = Templates::load(&site.root).map_err(WriteError::Diags)?;
    publish_with(out, |tmp| {
        mark(tmp)?;
        write_site(site, &templates, tmp)
    })
}

/// Why writing the site into its temporary folder stopped.
#[derive(Debug)]
pub enum WriteError {
    /// Templates or pages that do not render, or unreadable assets.
    Diags(Diagnostics),
    /// The output folder cannot be written.
    Io(std::io::Error),
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// The problem of an `assets/` folder that cannot be read.
fn assets_error(e: std::io::Error) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.push(Diagnostic::error(
        "io",
        Span::file("assets"),
        format!("cannot read assets: {e}"),
    ));
    d
}

/// Renders the checked site straight into `dir` (see [`render_site`]). Returns how many
/// files were written.
fn write_site(site: &Site, templates: &Templates, dir: &Path) -> Result<usize, WriteError> {
    render_site(site, templates, Some(dir))
}

/// Renders every page and extra of the checked site without writing anything: what
/// `sitegen check` runs, so that whatever would fail `build` (a template error, an
/// unreadable asset) fails the check too. Code blocks are not highlighted: that cannot
/// fail, and is most of the cost; nor are social cards drawn (their Typst source is
/// plain text the check has already read). Returns how many files `build` would write.
pub fn render_in_memory(site: &Site) -> Result<usize, Diagnostics> {
    let templates = Templates::load(&site.root)?.without_highlighting();
    render_site(site, &templates, None).map_err(|e| match e {
        WriteError::Diags(d) => d,
        WriteError::Io(e) => assets_error(e),
    })
}

/// Renders the checked site and writes each output file below `out` (what `build` does;
/// with no `out`, as `check` runs it, nothing is written and no card drawn): each page is
/// written on the thread that rendered it, so the site is never held in memory whole, and
/// the index, tag pages and feeds render alongside; each article's social card is linked
/// or copied from the cards' disk cache (see [`cards::draw_to_disk`]). A template error
/// met by many pages is reported once, at the template.
/// Returns how many files were handed on (an asset replacing a page counts once).
pub fn render_site(
    site: &Site,
    templates: &Templates,
    out: Option<&Path>,
) -> Result<usize, WriteError> {
    use rayon::prelude::*;
    let sink = |f: &OutputFile| match out {
        Some(dir) => write_file(dir, f),
        None => Ok(()),
    };
    let (pages, extras) = rayon::join(
        || {
            site.pages
                .par_iter()
                .map(|p| {
                    let card = match out {
                        Some(dir) => match cards::render_card_to_disk(site, p) {
                            Ok((path, png)) => write_card(dir, &path, png).map(|()| None),
                            Err(d) => Ok(Some(d)),
                        }?,
                        None => None,
                    };
                    match html::render_page(site, templates, p) {
                        Ok(f) => sink(&f).map(|()| card),
                        Err(d) => Ok(Some(d)),
                    }
                })
                .collect::<std::io::Result<Vec<Option<Diagnostic>>>>()
        },
        || html::render_extras(site, templates),
    );
    let mut found: Vec<Diagnostic> = pages?.into_iter().flatten().collect();
    let files = extras.unwrap_or_else(|d| {
        found.extend(d);
        Vec::new()
    });
    if !found.is_empty() {
        return Err(WriteError::Diags(once_per_cause(found)));
    }
    let mut files = files;
    // Assets last: one replaces a generated file of the same path, as in `render`.
    collect_assets(&site.root, &mut files).map_err(|e| WriteError::Diags(assets_error(e)))?;
    files.par_iter().try_for_each(sink)?;
    let paths: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let replaced = site
        .pages
        .iter()
        .filter(|p| {
            paths.contains(
                format!("{}index.html", p.article.url_path.trim_start_matches('/')).as_str(),
            )
        })
        .count();
    Ok(site.pages.len() - replaced + files.len())
}

/// One diagnostic per place and message: a template error that every page meets is
/// reported once, its note naming the first page and how many others.
fn once_per_cause(found: Vec<Diagnostic>) -> Diagnostics {
    let mut groups: Vec<(Diagnostic, usize)> = Vec::new();
    for d in found {
        let same = groups
            .iter_mut()
            .find(|(g, _)| g.span == d.span && g.code == d.code && g.message == d.message);
        match same {
            Some((g, n)) => {
                *n += 1;
                if d.notes < g.notes {
                    g.notes = d.notes;
                }
            }
            None => groups.push((d, 0)),
        }
    }
    let mut diags = Diagnostics::new();
    for (mut d, others) in groups {
        if others > 0 {
            if let Some(n) = d.notes.last_mut() {
                n.push_str(&format!(
                    " and {others} other {}",
                    if others == 1 { "page" } else { "pages" }
                ));
            }
        }
        diags.push(d);
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn publish(out: &Path, files: &[OutputFile]) -> std::io::Result<()> {
        publish_with(out, |tmp| files.iter().try_for_each(|f| write_file(tmp, f)))
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let dir = std::env::temp_dir().join(format!("sitegen-xchg-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::create_dir_all(dir.join("b")).unwrap();
        std::fs::write(dir.join("a/which"), "a").unwrap();
        std::fs::write(dir.join("b/which"), "b").unwrap();
        assert!(exchange(&dir.join("a"), &dir.join("b")).unwrap());
        assert_eq!(std::fs::read_to_string(dir.join("a/which")).unwrap(), "b");
        assert_eq!(std::fs::read_to_string(dir.join("b/which")).unwrap(), "a");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Two cards published at one path (two articles at one URL: `build` reports the error,
    /// the dev server's tests publish anyway) replace the name, never the cached file
    /// behind it: a copy through the name once wrote one article's card into another's
    /// cache entry.
    #[test]
    fn a_card_over_another_leaves_the_cache_alone() {
        let dir = std::env::temp_dir().join(format!("sitegen-card-over-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (cache, out) = (dir.join("cache"), dir.join("out"));
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(cache.join("a.png"), "card a").unwrap();
        std::fs::write(cache.join("b.png"), "card b").unwrap();
        let cached = |name: &str| cards::Png::Cached(cache.join(name));
        write_card(&out, "x/card.png", cached("a.png")).unwrap();
        write_card(&out, "x/card.png", cached("b.png")).unwrap();
        let read = |p: PathBuf| std::fs::read_to_string(p).unwrap();
        assert_eq!(read(out.join("x/card.png")), "card b");
        assert_eq!(read(cache.join("a.png")), "card a", "a's cache entry kept");
        // A card just drawn, linked into the cache, then a cached one over it.
        let drawn = cards::Png::Drawn(b"card d".to_vec(), cache.join("d.png"));
        write_card(&out, "y/card.png", drawn).unwrap();
        assert_linked(&out.join("y/card.png"), &cache.join("d.png"));
        write_card(&out, "y/card.png", cached("a.png")).unwrap();
        assert_eq!(read(out.join("y/card.png")), "card a");
        assert_eq!(read(cache.join("d.png")), "card d", "d's cache entry kept");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Fails unless the two paths are one file (a hard link, not a copy).
    fn assert_linked(a: &Path, b: &Path) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
            assert_eq!(
                ino(a),
                ino(b),
                "{} and {} are not one file",
                a.display(),
                b.display()
            );
        }
    }

    #[test]
    fn a_card_is_linked_from_the_cache_and_a_file_over_it_leaves_the_cache_alone() {
        let dir = std::env::temp_dir().join(format!("sitegen-card-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("cache")).unwrap();
        let cached = dir.join("cache/abc.png");
        std::fs::write(&cached, b"\x89PNG cached").unwrap();
        let out = dir.join("out");
        write_card(&out, "a/card.png", cards::Png::Cached(cached.clone())).unwrap();
        assert_eq!(
            std::fs::read(out.join("a/card.png")).unwrap(),
            b"\x89PNG cached"
        );
        assert_linked(&cached, &out.join("a/card.png"));
        // An asset at the card's path replaces the card, not the cache's file.
        let asset = OutputFile {
            path: "a/card.png".into(),
            bytes: b"asset".to_vec(),
        };
        write_file(&out, &asset).unwrap();
        assert_eq!(std::fs::read(out.join("a/card.png")).unwrap(), b"asset");
        assert_eq!(std::fs::read(&cached).unwrap(), b"\x89PNG cached");
        // A card just drawn is written from its bytes, then linked into the cache.
        write_card(
            &out,
            "b/card.png",
            cards::Png::Drawn(b"\x89PNG b".to_vec(), dir.join("cache/new/b.png")),
        )
        .unwrap();
        assert_eq!(std::fs::read(out.join("b/card.png")).unwrap(), b"\x89PNG b");
        assert_eq!(
            std::fs::read(dir.join("cache/new/b.png")).unwrap(),
            b"\x89PNG b"
        );
        assert_linked(&out.join("b/card.png"), &dir.join("cache/new/b.png"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

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
