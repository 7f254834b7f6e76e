//! `sitegen fix`: applies in place the fixes `check` already suggests (a drifting
//! literal rewritten to agree, a citation wrapped in `<…>`, and with `--uncited` an
//! uncited figure wrapped in its one agreeing citation), prints them as a unified diff,
//! then checks again to say what is left.
//!
//! The fixes are the check's own diagnostics that carry both a `suggestion` and the
//! `bytes` it replaces; nothing here finds problems of its own.

use super::{ExitCode, Reporter};
use crate::check::site::{Page, Site};
use crate::check::{check_site_with, CheckOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use pulldown_cmark::{Event, Tag};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::ops::Range;
use std::path::Path;

/// What a `sitegen fix` run does.
#[derive(Clone, Copy, Debug, Default)]
pub struct FixOptions {
    /// Include articles with `draft: true`.
    pub drafts: bool,
    /// Print the diff, write nothing.
    pub dry_run: bool,
    /// Also wrap uncited figures that exactly one dataset figure agrees with.
    pub uncited: bool,
}

/// One replacement in an article: the bytes `start..end` become `text`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edit {
    /// First byte replaced.
    pub start: usize,
    /// End of the bytes replaced (exclusive).
    pub end: usize,
    /// The replacement.
    pub text: String,
    /// The code of the diagnostic it fixes, e.g. `drift`.
    pub code: &'static str,
    /// Where that diagnostic is.
    pub span: Span,
}

/// An article's fixes: the text the check read and the text with every fix applied.
#[derive(Clone, Debug)]
pub struct FileFix {
    /// Path relative to the site root, e.g. `content/a.md`.
    pub path: String,
    /// The file's text as the check read it.
    pub original: String,
    /// The text with every edit applied.
    pub fixed: String,
    /// The edits applied, in file order.
    pub edits: Vec<Edit>,
}

impl FileFix {
    /// The change as a unified diff with `a/PATH` and `b/PATH` headers (3 lines of context).
    pub fn diff(&self) -> String {
        similar::TextDiff::from_lines(&self.original, &self.fixed)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", self.path), &format!("b/{}", self.path))
            .to_string()
    }
}

/// Every fix of a checked site, by article, and the suggestions that cannot be applied.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Articles that change, in path order.
    pub files: Vec<FileFix>,
    /// `error[fix]` for each suggestion left out, at its diagnostic's place.
    pub skipped: Diagnostics,
}

/// Whether `sitegen fix` applies `d`: a suggestion with its byte range; uncited figures
/// only when asked.
fn applies(d: &Diagnostic, uncited: bool) -> bool {
    d.suggestion.is_some() && d.bytes.is_some() && (d.code != "uncited" || uncited)
}

/// The fixes of the problems `diags` that `check` found in `site`, with `uncited`
/// figures wrapped or not. Reads nothing from disk: the texts are those the check read.
pub fn plan_fixes(site: &Site, diags: &Diagnostics, uncited: bool) -> Plan {
    let pages: HashMap<&str, &Page> = site
        .pages
        .iter()
        .map(|p| (p.article.path.as_str(), p))
        .collect();
    let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for d in diags.sorted() {
        if applies(&d, uncited) {
            by_file.entry(d.span.path.clone()).or_default().push(d);
        }
    }
    let mut plan = Plan::default();
    for (path, ds) in by_file {
        let Some(page) = pages.get(path.as_str()) else {
            for d in &ds {
                plan.skipped
                    .push(not_applied(d, "it is in no article this run checked"));
            }
            continue;
        };
        let protected = protected_ranges(page);
        let mut edits = Vec::new();
        for d in &ds {
            let (Some((start, end)), Some(text)) = (d.bytes, d.suggestion.clone()) else {
                continue;
            };
            match fits(page, &protected, start, end) {
                Ok(()) => edits.push(Edit {
                    start,
                    end,
                    text,
                    code: d.code,
                    span: d.span.clone(),
                }),
                Err(why) => plan.skipped.push(not_applied(d, why)),
            }
        }
        edits.sort();
        edits.dedup_by(|b, a| (a.start, a.end, &a.text) == (b.start, b.end, &b.text));
        // Of two fixes over the same text the first is applied; the next run sees the rest.
        let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
        for e in edits {
            match kept.last() {
                Some(last) if e.start < last.end || e.start == last.start => {
                    let d = Diagnostic::error(
                        "fix",
                        e.span.clone(),
                        format!(
                            "the fix of this {} (\"{}\") overlaps another fix and was not applied; run `sitegen fix` again",
                            e.code, e.text
                        ),
                    );
                    plan.skipped.push(d);
                }
                _ => kept.push(e),
            }
        }
        let original = page.article.source.clone();
        let mut fixed = original.clone();
        for e in kept.iter().rev() {
            fixed.replace_range(e.start..e.end, &e.text);
        }
        if fixed != original {
            plan.files.push(FileFix {
                path,
                original,
                fixed,
                edits: kept,
            });
        }
    }
    plan
}

/// `error[fix]`: the suggestion of `d` is not applied, and why.
fn not_applied(d: &Diagnostic, why: &str) -> Diagnostic {
    Diagnostic::error(
        "fix",
        d.span.clone(),
        format!(
            "the fix of this {} (\"{}\") was not applied: {why}",
            d.code,
            d.suggestion.as_deref().unwrap_or("")
        ),
    )
}

/// The byte ranges of an article's body that no fix may touch: code spans, code blocks
/// and raw HTML (the front matter is before the body, and refused apart).
fn protected_ranges(page: &Page) -> Vec<Range<usize>> {
    crate::check::markdown::events(&page.article, &page.doc)
        .into_iter()
        .filter(|(ev, _)| {
            matches!(
                ev,
                Event::Code(_)
                    | Event::Html(_)
                    | Event::InlineHtml(_)
                    | Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
            )
        })
        .map(|(_, r)| r)
        .collect()
}

/// Whether bytes `start..end` of the article may be replaced: inside the text the check
/// read, after the front matter, on character boundaries, outside code and raw HTML.
fn fits(
    page: &Page,
    protected: &[Range<usize>],
    start: usize,
    end: usize,
) -> Result<(), &'static str> {
    let text = &page.article.source;
    if start > end || end > text.len() {
        return Err("its byte range lies outside the file");
    }
    if start < page.article.body_start {
        return Err("its byte range lies in the front matter");
    }
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return Err("its byte range splits a character");
    }
    if protected
        .iter()
        .any(|r| r.start < end.max(start + 1) && start < r.end)
    {
        return Err("its byte range lies in code or raw HTML");
    }
    Ok(())
}

/// Writes `f.fixed` over the article at `root`/`f.path`, atomically (a temporary file in
/// the same folder, renamed over it; a symbolic link is followed and kept), and only if
/// the file still holds `f.original`: one that changed on disk since the check read it is
/// refused with `error[fix]` and left untouched.
pub fn write_fixed(root: &Path, f: &FileFix) -> Result<(), Diagnostic> {
    let fail = |what: String| Diagnostic::error("fix", Span::file(&f.path), what);
    let target = std::fs::canonicalize(root.join(&f.path))
        .map_err(|e| fail(format!("cannot read {}: {e}; not written", f.path)))?;
    let dir = target
        .parent()
        .ok_or_else(|| fail(format!("{} has no folder; not written", f.path)))?;
    let io = |e: std::io::Error| fail(format!("cannot write {}: {e}; left as it was", f.path));
    let permissions = std::fs::metadata(&target).map_err(io)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".sitegen-fix-")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(f.fixed.as_bytes()).map_err(io)?;
    tmp.as_file().set_permissions(permissions).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // Compared as late as possible: the only window left for an editor's save to be lost
    // is between this read and the rename (POSIX has no compare-and-rename).
    let now = std::fs::read(&target)
        .map_err(|e| fail(format!("cannot read {}: {e}; not written", f.path)))?;
    if now != f.original.as_bytes() {
        return Err(fail(format!(
            "{} changed on disk since `sitegen fix` read it; not written (run `sitegen fix` again)",
            f.path
        )));
    }
    tmp.persist(&target).map_err(|e| io(e.error))?;
    Ok(())
}

/// The problems the site has with `texts` in place of those articles' files: every check,
/// then every page rendered in memory, as `sitegen check` does.
fn problems_left(root: &Path, opts: CheckOptions, texts: &HashMap<String, String>) -> Diagnostics {
    let (site, mut diags) = check_site_with(root, opts, texts);
    if let Some(site) = site {
        if diags.errors() == 0 {
            if let Err(d) = crate::publish::render_in_memory(&site) {
                diags.extend(d);
            }
        }
    }
    diags
}

/// `sitegen fix`: applies every fix the check suggests (see the module), prints the diff
/// on stdout and what is left on stderr. 0 when every fix was applied and no error is
/// left, 1 otherwise.
pub fn fix(root: &Path, opts: FixOptions, rep: &Reporter) -> ExitCode {
    let check = CheckOptions {
        drafts: opts.drafts,
    };
    let (site, diags) = check_site_with(root, check, &HashMap::new());
    let Some(site) = site else {
        rep.report(&diags);
        return 1;
    };
    let plan = plan_fixes(&site, &diags, opts.uncited);
    drop(site);
    let mut problems = plan.skipped.clone();
    let mut out = std::io::stdout().lock();
    let (mut files, mut edits) = (0, 0);
    let left = if opts.dry_run {
        for f in &plan.files {
            let _ = out.write_all(f.diff().as_bytes());
            files += 1;
            edits += f.edits.len();
        }
        let texts = plan
            .files
            .iter()
            .map(|f| (f.path.clone(), f.fixed.clone()))
            .collect();
        problems_left(root, check, &texts)
    } else {
        for f in &plan.files {
            match write_fixed(root, f) {
                Ok(()) => {
                    let _ = out.write_all(f.diff().as_bytes());
                    files += 1;
                    edits += f.edits.len();
                }
                Err(d) => problems.push(d),
            }
        }
        problems_left(root, check, &HashMap::new())
    };
    let _ = out.flush();
    problems.extend(left);
    rep.report(&problems);
    let (verb, plural) = (
        if opts.dry_run { "would fix" } else { "fixed" },
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many }),
    );
    if plan.files.is_empty() {
        eprintln!("nothing to fix");
    } else {
        eprintln!(
            "{verb} {} in {}",
            plural(edits, "problem", "problems"),
            plural(files, "file", "files")
        );
    }
    if problems.errors() > 0 {
        1
    } else {
        0
    }
}
