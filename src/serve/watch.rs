//! Watching the site's inputs with `notify` (inotify, FSEvents, ReadDirectoryChangesW) and
//! turning a burst of events into one batch of [`Changes`].
//!
//! The debounce is our own and short: a batch closes once the folders have been quiet for
//! [`QUIET`], so that an editor's save (write a temp file, rename it over, touch the folder)
//! is one rebuild, without the fixed tick of a debouncer crate adding to every save. Where
//! the platform reports closes (inotify's `IN_CLOSE_WRITE`), a batch closes at once when an
//! input file written in place is closed and no other file written in the batch is still
//! open: the save is complete, and waiting for quiet would only add [`QUIET`] to it. A later
//! event (a rename after all) is simply the next batch.

use super::engine::Changes;
use crate::diagnostics::rel_path;
use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

/// A batch closes after this long without a relevant event.
const QUIET: Duration = Duration::from_millis(8);
/// …or after this long in all, when events never stop (a long copy).
const LONGEST: Duration = Duration::from_millis(300);
/// The folders watched recursively.
const FOLDERS: [&str; 4] = ["content", "data", "templates", "assets"];

/// The watcher stopped: no change will be reported any more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped;

/// The watcher of one site root.
pub struct Watcher {
    root: PathBuf,
    inner: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    /// Which of [`FOLDERS`] have a recursive watch now.
    watched: [bool; 4],
}

impl Watcher {
    /// Watches `root` (for sitegen.toml and folders coming and going) and its input folders.
    pub fn new(root: &Path) -> notify::Result<Watcher> {
        let (tx, rx) = channel();
        let mut inner = notify::recommended_watcher(tx)?;
        inner.watch(root, RecursiveMode::NonRecursive)?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            inner,
            rx,
            watched: [false; 4],
        };
        w.rewatch(&[]);
        Ok(w)
    }

    /// (Re)starts the recursive watch of each input folder that exists; `reset` names folders
    /// that were created, removed or renamed, whose old watch is stale.
    fn rewatch(&mut self, reset: &[&str]) {
        for (i, name) in FOLDERS.iter().enumerate() {
            let dir = self.root.join(name);
            if reset.contains(name) && self.watched[i] {
                let _ = self.inner.unwatch(&dir);
                self.watched[i] = false;
            }
            if !self.watched[i] && dir.is_dir() {
                self.watched[i] = self.inner.watch(&dir, RecursiveMode::Recursive).is_ok();
            }
        }
    }

    /// Blocks until something relevant changed, then gathers the burst; None when the
    /// watcher stopped.
    pub fn next_batch(&mut self) -> Option<Changes> {
        self.batch(true).ok()?
    }

    /// The next batch if something relevant changed already, without waiting for one:
    /// Ok(None) when nothing did.
    pub fn poll_batch(&mut self) -> Result<Option<Changes>, Stopped> {
        self.batch(false)
    }

    fn batch(&mut self, block: bool) -> Result<Option<Changes>, Stopped> {
        let mut ch = Changes::default();
        let mut reset: Vec<&'static str> = Vec::new();
        // Files written in this batch and not closed yet.
        let mut open: HashSet<PathBuf> = HashSet::new();
        let mut saved = false;
        loop {
            let ev = if block {
                self.rx.recv().map_err(|_| Stopped)?
            } else {
                match self.rx.try_recv() {
                    Ok(ev) => ev,
                    Err(TryRecvError::Empty) => return Ok(None),
                    Err(TryRecvError::Disconnected) => return Err(Stopped),
                }
            };
            saved |= self.track(&ev, &mut open);
            self.classify(ev, &mut ch, &mut reset);
            if !ch.is_empty() {
                break;
            }
        }
        let start = Instant::now();
        while start.elapsed() < LONGEST {
            if saved && open.is_empty() {
                break;
            }
            match self.rx.recv_timeout(QUIET) {
                Ok(ev) => {
                    saved |= self.track(&ev, &mut open);
                    self.classify(ev, &mut ch, &mut reset);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if !reset.is_empty() {
            self.rewatch(&reset);
        }
        Ok(Some(ch))
    }

    /// Follows which files are open for writing: true when `ev` closes, after writing, a
    /// file that is an input by itself (not an editor's temp file, to be renamed over one).
    fn track(&self, ev: &notify::Result<notify::Event>, open: &mut HashSet<PathBuf>) -> bool {
        let Ok(ev) = ev else {
            return false;
        };
        match ev.kind {
            EventKind::Create(CreateKind::File | CreateKind::Any)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
                open.extend(ev.paths.iter().cloned());
                false
            }
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                let mut input = false;
                for p in &ev.paths {
                    open.remove(p);
                    let mut one = Changes::default();
                    classify_path(&self.root, p, &mut one, &mut Vec::new());
                    input |= !one.is_empty() && !one.full && one.gone.is_empty();
                }
                input
            }
            _ => false,
        }
    }

    fn classify(
        &self,
        ev: notify::Result<notify::Event>,
        ch: &mut Changes,
        reset: &mut Vec<&'static str>,
    ) {
        let ev = match ev {
            Ok(ev) => ev,
            // Lost or failed watching: rebuild everything rather than miss a change.
            Err(_) => {
                ch.full = true;
                return;
            }
        };
        if ev.need_rescan() {
            ch.full = true;
            return;
        }
        // Reads and opens change nothing; every other kind may.
        if matches!(ev.kind, EventKind::Access(_)) {
            return;
        }
        for p in &ev.paths {
            classify_path(&self.root, p, ch, reset);
        }
    }
}

/// Files of `data/` that the dataset reads.
fn is_data_file(rel: &str) -> bool {
    rel.ends_with(".yaml") || rel.ends_with(".yml")
}

/// Sorts one changed path into `ch`; `reset` collects input folders that came or went.
pub fn classify_path(root: &Path, path: &Path, ch: &mut Changes, reset: &mut Vec<&'static str>) {
    let Ok(inner) = path.strip_prefix(root) else {
        return;
    };
    if inner.as_os_str().is_empty() {
        // The root itself: moved or removed.
        ch.full = true;
        return;
    }
    let rel = rel_path(root, path);
    if rel == crate::load::config::CONFIG_FILE {
        ch.full = true;
        return;
    }
    let (top, rest) = match rel.split_once('/') {
        Some((t, r)) => (t, r),
        None => (rel.as_str(), ""),
    };
    let Some(&folder) = FOLDERS.iter().find(|f| **f == top) else {
        // public/, gated/, .git and the like.
        return;
    };
    if rest.is_empty() {
        // The input folder itself was created, removed or renamed.
        ch.full = true;
        if !reset.contains(&folder) {
            reset.push(folder);
        }
        return;
    }
    let meta = std::fs::symlink_metadata(path).ok();
    let is_dir = meta.as_ref().is_some_and(|m| m.is_dir());
    // A path gone without an extension was most likely a folder (renamed or removed).
    let gone_folder = meta.is_none() && !rest.rsplit('/').next().unwrap_or("").contains('.');
    match folder {
        "content" => {
            if rel.ends_with(".md") && !is_dir {
                ch.articles.insert(rel);
            } else if is_dir {
                // A folder came: articles may have moved with it.
                ch.full = true;
            } else if gone_folder {
                // A folder went, or only an editor's temp file: the engine knows which.
                ch.gone.insert(rel);
            }
        }
        "data" => {
            if is_data_file(&rel) || is_dir || gone_folder {
                ch.data = true;
            }
        }
        "templates" => {
            if rel.ends_with(".html") || is_dir || gone_folder {
                ch.templates = true;
            }
        }
        _ => {
            // Folders included: the engine re-reads every asset when one is not a plain file.
            ch.assets.insert(rest.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sort(paths: &[&str]) -> Changes {
        let root = Path::new("/nonexistent-site");
        let mut ch = Changes::default();
        let mut reset = Vec::new();
        for p in paths {
            classify_path(root, &root.join(p), &mut ch, &mut reset);
        }
        ch
    }

    #[test]
    fn sorts_paths_by_what_depends_on_them() {
        let ch = sort(&[
            "content/a.md",
            "content/g/b.md",
            "content/.a.md.swp",
            "content/a.md~",
        ]);
        assert_eq!(
            ch.articles.iter().collect::<Vec<_>>(),
            ["content/a.md", "content/g/b.md"]
        );
        assert!(!ch.full && !ch.data);
        assert!(sort(&["data/devices.yaml"]).data);
        assert!(!sort(&["data/notes.txt"]).data);
        assert!(sort(&["templates/base.html"]).templates);
        assert_eq!(
            sort(&["assets/img/a.png"])
                .assets
                .iter()
                .collect::<Vec<_>>(),
            ["img/a.png"]
        );
        assert!(sort(&["sitegen.toml"]).full);
        assert!(sort(&["content"]).full);
        assert_eq!(
            sort(&["content/gone-or-temp"])
                .gone
                .iter()
                .collect::<Vec<_>>(),
            ["content/gone-or-temp"]
        );
        assert!(sort(&["public/index.html", ".git/index", "README.md"]).is_empty());
        assert!(sort(&["/elsewhere/x.md"]).is_empty());
    }
}
