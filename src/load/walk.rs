//! Walking a folder of the site so that nothing is skipped silently: every file comes back
//! with its site-relative path, and everything not taken comes back as a diagnostic naming
//! it: an unreadable folder, a special file (FIFO, socket, device), a name that is not
//! UTF-8 (errors), a symbolic link that leads out of the site root (a warning).

use crate::diagnostics::{Diagnostic, Span};
use std::path::{Path, PathBuf};

/// One regular file found: where it is on disk and its path from the site root.
#[derive(Clone, Debug)]
pub struct Found {
    /// The path to open (through any symbolic link that stays inside the site).
    pub path: PathBuf,
    /// The path relative to the site root, with `/` separators, e.g. `content/a.md`.
    pub rel: String,
}

/// Every regular file under `root/folder` whose name `want` accepts, sorted by path, with
/// a diagnostic (code `code`) for each entry that cannot be taken. A missing folder is
/// no file and no problem. Symbolic links are followed while they stay inside `root`.
pub fn site_files(
    root: &Path,
    folder: &str,
    code: &'static str,
    want: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    walk(root, folder, root, "the site root", code, want, diags)
}

/// [`site_files`] for `assets/`, whose files are published as they are: a symbolic link
/// is followed only while it stays inside `assets/` (a link to sitegen.toml or a draft
/// would publish it).
pub fn asset_files(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Found> {
    let assets = root.join("assets");
    walk(
        root,
        "assets",
        &assets,
        "assets/",
        "assets",
        &|_| true,
        diags,
    )
}

/// The favicon files `assets/` may hold, by preference, with their MIME types.
pub const FAVICONS: &[(&str, &str)] = &[
    ("favicon.svg", "image/svg+xml"),
    ("favicon.png", "image/png"),
    ("favicon.ico", "image/x-icon"),
];

/// The favicon `root/assets/` holds (the first of [`FAVICONS`] that is a file): its file
/// name and MIME type, for every page's head. Looked up once per site, not per page.
pub fn favicon(root: &Path) -> Option<(&'static str, &'static str)> {
    let assets = root.join("assets");
    FAVICONS
        .iter()
        .copied()
        .find(|(name, _)| assets.join(name).is_file())
}

/// Walks `root/folder`, following links that stay inside `boundary` (named `bound_name`).
fn walk(
    root: &Path,
    folder: &str,
    boundary: &Path,
    bound_name: &'static str,
    code: &'static str,
    want: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    let dir = root.join(folder);
    if std::fs::symlink_metadata(&dir).is_err() {
        return Vec::new();
    }
    let root_abs = std::fs::canonicalize(boundary).unwrap_or_else(|_| boundary.to_path_buf());
    let mut w = Walker {
        root_abs,
        bound_name,
        code,
        want,
        open: Vec::new(),
        files: Vec::new(),
        diags,
    };
    w.entry(&dir, folder.to_string());
    w.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    w.files
}

/// The state of one walk.
struct Walker<'a> {
    /// Links are followed while their target lies below this folder.
    root_abs: PathBuf,
    /// How the messages call `root_abs`.
    bound_name: &'static str,
    code: &'static str,
    want: &'a dyn Fn(&str) -> bool,
    /// The folders being walked (this one and its ancestors), by canonical path: a link
    /// back to one of them would loop.
    open: Vec<PathBuf>,
    files: Vec<Found>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Walker<'_> {
    fn error(&mut self, rel: &str, msg: String) {
        self.diags
            .push(Diagnostic::error(self.code, Span::file(rel), msg));
    }

    /// Takes the entry at `path` (site path `rel`): a file, a folder or a link.
    fn entry(&mut self, path: &Path, rel: String) {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            // Removed since its folder was listed (an editor's save): nothing to take.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => return self.error(&rel, format!("cannot read: {e}")),
        };
        let meta = if meta.file_type().is_symlink() {
            let target = match std::fs::canonicalize(path) {
                Ok(t) => t,
                Err(e) => {
                    return self.error(&rel, format!("symbolic link that leads nowhere: {e}"))
                }
            };
            if !target.starts_with(&self.root_abs) {
                self.diags.push(Diagnostic::warning(
                    self.code,
                    Span::file(&rel),
                    format!(
                        "symbolic link to {}, outside {}: not followed, so skipped",
                        target.display(),
                        self.bound_name
                    ),
                ));
                return;
            }
            match std::fs::metadata(path) {
                Ok(m) => m,
                Err(e) => return self.error(&rel, format!("cannot read: {e}")),
            }
        } else {
            meta
        };
        let t = meta.file_type();
        if t.is_dir() {
            self.folder(path, &rel);
        } else if t.is_file() {
            if (self.want)(&rel) {
                self.files.push(Found {
                    path: path.to_path_buf(),
                    rel,
                });
            }
        } else {
            self.error(
                &rel,
                format!(
                    "is a {}, not a regular file or folder; remove it or move it out of the site",
                    special_kind(&meta)
                ),
            );
        }
    }

    /// Walks the entries of a folder.
    fn folder(&mut self, path: &Path, rel: &str) {
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.open.contains(&abs) {
            return self.error(
                rel,
                "symbolic link to a folder that holds it (a loop); remove the link".to_string(),
            );
        }
        let rd = match std::fs::read_dir(path) {
            Ok(rd) => rd,
            Err(e) => return self.error(rel, format!("cannot read folder: {e}")),
        };
        self.open.push(abs);
        let mut entries = Vec::new();
        for e in rd {
            match e {
                Ok(e) => entries.push(e),
                Err(e) => self.error(rel, format!("cannot read folder: {e}")),
            }
        }
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            match name.to_str() {
                Some(n) => self.entry(&e.path(), format!("{rel}/{n}")),
                None => {
                    let shown = format!("{rel}/{}", escape_name(&name));
                    self.error(
                        &shown,
                        "file name is not valid UTF-8; rename it".to_string(),
                    );
                }
            }
        }
        self.open.pop();
    }
}

/// A file name with every byte that is not printable UTF-8 written as `\xNN`.
pub fn escape_name(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        name.as_bytes()
            .utf8_chunks()
            .fold(String::new(), |mut s, c| {
                for ch in c.valid().chars() {
                    if ch.is_control() {
                        s.push_str(&ch.escape_default().to_string());
                    } else {
                        s.push(ch);
                    }
                }
                for b in c.invalid() {
                    s.push_str(&format!("\\x{b:02X}"));
                }
                s
            })
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// What kind of special file `meta` describes, in words.
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "FIFO (named pipe)";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "device";
        }
    }
    let _ = meta;
    "special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn favicon_is_the_first_file_by_preference() {
        let root = std::env::temp_dir().join(format!("sitegen-favicon-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(favicon(&root), None, "no assets/ folder");
        std::fs::create_dir_all(root.join("assets/favicon.svg")).unwrap();
        assert_eq!(favicon(&root), None, "a folder is no favicon");
        std::fs::write(root.join("assets/favicon.ico"), "").unwrap();
        assert_eq!(favicon(&root), Some(("favicon.ico", "image/x-icon")));
        std::fs::write(root.join("assets/favicon.png"), "").unwrap();
        assert_eq!(favicon(&root), Some(("favicon.png", "image/png")));
        std::fs::remove_dir(root.join("assets/favicon.svg")).unwrap();
        std::fs::write(root.join("assets/favicon.svg"), "").unwrap();
        assert_eq!(favicon(&root), Some(("favicon.svg", "image/svg+xml")));
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn takes_files_and_names_what_it_does_not_take() {
        let root = std::env::temp_dir().join(format!("sitegen-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content/sub")).unwrap();
        std::fs::write(root.join("content/a.md"), "").unwrap();
        std::fs::write(root.join("content/sub/b.md"), "").unwrap();
        std::fs::write(root.join("content/c.txt"), "").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            std::os::unix::fs::symlink("sub", root.join("content/linked")).unwrap();
            std::os::unix::fs::symlink("/etc", root.join("content/etc")).unwrap();
            let bad = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
            std::fs::write(root.join("content").join(bad), "").unwrap();
        }
        let mut diags = Vec::new();
        let found = site_files(
            &root,
            "content",
            "content",
            &|r| r.ends_with(".md"),
            &mut diags,
        );
        let rels: Vec<&str> = found.iter().map(|f| f.rel.as_str()).collect();
        #[cfg(unix)]
        {
            assert_eq!(
                rels,
                ["content/a.md", "content/linked/b.md", "content/sub/b.md"]
            );
            let msgs: Vec<String> = diags
                .iter()
                .map(|d| format!("{} {}", d.span.path, d.message))
                .collect();
            assert_eq!(diags.len(), 2, "{msgs:?}");
            assert!(
                msgs.iter().any(|m| m.starts_with("content/caf\\xE9.md ")),
                "{msgs:?}"
            );
            assert!(
                msgs.iter()
                    .any(|m| m.starts_with("content/etc symbolic link")),
                "{msgs:?}"
            );
        }
        std::fs::remove_dir_all(&root).unwrap();
    }
}
