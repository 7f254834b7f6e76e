//! Atomic publishing: the whole site is written to a fresh folder beside the output and
//! swapped in only when every file was written, so a failed build never leaves a
//! half-written `public/`.

use crate::check::site::Site;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::render::html::{self, OutputFile, Templates};
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
pub fn write_file(dir: &Path, f: &OutputFile) -> std::io::Result<()> {
    let path = dir.join(&f.path);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p)?;
    }
    std::fs::File::create(&path)?.write_all(&f.bytes)
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
        remove_tree(&old);
    } else {
        std::fs::rename(tmp, out)?;
    }
    Ok(())
}

/// Removes a folder and everything in it, its top-level entries in parallel: unlinking a
/// previous site of thousands of pages is kernel CPU time. Symbolic links are not followed.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
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

/// Renders the checked site and publishes it atomically into `out` (what `sitegen build`
/// writes after its checks); returns how many files were written.
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
    render_site(site, templates, true, &|f| write_file(dir, f))
}

/// Renders every page and extra of the checked site without writing anything: what
/// `sitegen check` runs, so that whatever would fail `build` (a template error, an
/// unreadable asset) fails the check too. Code blocks are not highlighted: that cannot
/// fail, and is most of the cost; nor are social cards drawn (their Typst source is
/// plain text the check has already read). Returns how many files `build` would write.
pub fn render_in_memory(site: &Site) -> Result<usize, Diagnostics> {
    let templates = Templates::load(&site.root)?.without_highlighting();
    render_site(site, &templates, false, &|_| Ok(())).map_err(|e| match e {
        WriteError::Diags(d) => d,
        WriteError::Io(e) => assets_error(e),
    })
}

/// Renders the checked site and hands each output file to `sink` (the writer of `build`,
/// or nothing for `check`): each page goes to the sink on the thread that rendered it, so
/// the site is never held in memory whole, and the index, tag pages and feeds render
/// alongside; with `cards`, each article's social card too. A template error met by
/// many pages is reported once, at the template.
/// Returns how many files were handed on (an asset replacing a page counts once).
pub fn render_site(
    site: &Site,
    templates: &Templates,
    cards: bool,
    sink: &(dyn Fn(&OutputFile) -> std::io::Result<()> + Sync),
) -> Result<usize, WriteError> {
    use rayon::prelude::*;
    let (pages, extras) = rayon::join(
        || {
            site.pages
                .par_iter()
                .map(|p| {
                    let card = if cards {
                        match crate::render::cards::render_card(site, p) {
                            Ok(f) => sink(&f).map(|()| None),
                            Err(d) => Ok(Some(d)),
                        }?
                    } else {
                        None
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
