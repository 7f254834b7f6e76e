//! The commands behind the CLI: each runs load → check → render → write and reports.

use crate::check::{check_site, CheckOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::html::{self, Templates};
use crate::output;
use crate::site::Site;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a command ended, as the process exit code.
pub type ExitCode = i32;

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `LEVEL[CODE]: PATH:LINE:COL: message` lines on stderr.
    #[default]
    Human,
    /// One JSON object per diagnostic on stdout (JSON Lines), for editors and scripts.
    Json,
}

/// Where and how a run's problems are reported.
#[derive(Clone, Debug, Default)]
pub struct Reporter {
    /// Human lines or JSON objects.
    pub format: Format,
    /// Also print GitHub Actions workflow commands (when `GITHUB_ACTIONS=true`).
    pub github: bool,
    /// The site root as given, prefixed to paths in annotations so GitHub finds the files.
    pub root: PathBuf,
}

impl Reporter {
    /// A reporter in `format`, with annotations when running under GitHub Actions.
    pub fn new(format: Format, root: &Path) -> Self {
        Reporter {
            format,
            github: std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"),
            root: root.to_path_buf(),
        }
    }

    /// A path as GitHub sees it: relative to the repository root (the working directory).
    fn repo_path(&self, path: &str) -> String {
        let joined = self.root.join(path);
        let s = joined.to_string_lossy().replace('\\', "/");
        s.strip_prefix("./").unwrap_or(&s).to_string()
    }

    /// Prints every problem (sorted) and, in human form, the count line.
    pub fn report(&self, diags: &Diagnostics) {
        use std::io::Write;
        let sorted = diags.sorted();
        let mut out = std::io::stdout().lock();
        let mut err = std::io::stderr().lock();
        for d in &sorted {
            match self.format {
                Format::Human => {
                    let _ = writeln!(err, "{d}");
                }
                Format::Json => {
                    let _ = writeln!(out, "{}", d.to_json());
                }
            }
            if self.github {
                let _ = writeln!(out, "{}", d.to_github(&self.repo_path(&d.span.path)));
            }
        }
        if !sorted.is_empty() {
            let _ = writeln!(err, "{}", diags.summary());
        }
    }
}

/// Prints every problem (sorted) and the count line to stderr, in human form.
pub fn report(diags: &Diagnostics) {
    Reporter::default().report(diags);
}

/// Checks the site; returns the model when the check passed (warnings allowed unless strict).
pub fn checked(
    root: &Path,
    drafts: bool,
    strict: bool,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let (site, mut diags) = check_site(root, CheckOptions { drafts });
    if strict {
        diags.make_strict();
    }
    match site {
        Some(site) if !diags.failed(strict) => Ok((site, diags)),
        _ => Err(diags),
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

/// Renders the checked site and publishes it atomically into `out` (what `sitegen build`
/// writes after its checks); returns how many files were written.
pub fn publish_site(site: &Site, out: &Path) -> Result<usize, WriteError> {
    let templates = Templates::load(&site.root).map_err(WriteError::Diags)?;
    output::publish_with(out, |tmp| write_site(site, &templates, tmp))
}

/// `sitegen check`: every check, nothing written.
pub fn check(root: &Path, drafts: bool, strict: bool, rep: &Reporter) -> ExitCode {
    match checked(root, drafts, strict) {
        Ok((site, diags)) => {
            rep.report(&diags);
            eprintln!(
                "checked {} articles, {} citations, {} dataset figures: ok",
                site.pages.len(),
                site.pages.iter().map(|p| p.cites.len()).sum::<usize>(),
                site.dataset.figures.len()
            );
            0
        }
        Err(diags) => {
            rep.report(&diags);
            1
        }
    }
}

/// `sitegen build`: check, render, then publish atomically into `out`.
pub fn build(
    root: &Path,
    out: Option<PathBuf>,
    drafts: bool,
    strict: bool,
    rep: &Reporter,
) -> ExitCode {
    let start = Instant::now();
    let out = out.unwrap_or_else(|| root.join("public"));
    let failed = |diags: &Diagnostics| {
        rep.report(diags);
        eprintln!("build failed; {} left as it was", out.display());
        1
    };
    let (site, diags) = match checked(root, drafts, strict) {
        Ok(x) => x,
        Err(diags) => return failed(&diags),
    };
    rep.report(&diags);
    let files = match publish_site(&site, &out) {
        Ok(n) => n,
        Err(WriteError::Diags(d)) => return failed(&d),
        Err(WriteError::Io(e)) => {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::error(
                "io",
                Span::file(out.display().to_string()),
                format!("cannot write the site: {e}"),
            ));
            rep.report(&d);
            return 1;
        }
    };
    if std::env::var_os("SITEGEN_TIMINGS").is_some() {
        let nanos = crate::cite::CHECK_NANOS.load(std::sync::atomic::Ordering::Relaxed);
        eprintln!(
            "timings: checking citations, shortcodes and prose figures took {:.1} ms of CPU time ({} citations)",
            nanos as f64 / 1e6,
            site.pages.iter().map(|p| p.cites.len()).sum::<usize>()
        );
    }
    eprintln!(
        "built {} articles ({} files) into {} in {} ms",
        site.pages.len(),
        files,
        out.display(),
        start.elapsed().as_millis()
    );
    // The process ends here: freeing the model page by page would only cost time.
    std::mem::forget(site);
    0
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

/// Renders the checked site straight into `dir`: each page is
/// written by the thread that rendered it, so the site is never held in memory whole, and
/// the index, tag pages and feeds render alongside. Returns how many files were written.
fn write_site(site: &Site, templates: &Templates, dir: &Path) -> Result<usize, WriteError> {
    use rayon::prelude::*;
    let (pages, extras) = rayon::join(
        || {
            site.pages
                .par_iter()
                .map(|p| match html::render_page(site, templates, p) {
                    Ok(f) => output::write_file(dir, &f).map(|()| None),
                    Err(d) => Ok(Some(d)),
                })
                .collect::<std::io::Result<Vec<Option<Diagnostic>>>>()
        },
        || html::render_extras(site, templates),
    );
    let mut diags = Diagnostics::new();
    diags.extend(pages?.into_iter().flatten());
    let mut files = extras.unwrap_or_else(|d| {
        diags.extend(d);
        Vec::new()
    });
    if !diags.is_empty() {
        return Err(WriteError::Diags(diags));
    }
    // Assets last: one replaces a generated file of the same path, as in `render`.
    output::collect_assets(&site.root, &mut files)
        .map_err(|e| WriteError::Diags(assets_error(e)))?;
    files
        .par_iter()
        .try_for_each(|f| output::write_file(dir, f))?;
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

/// `sitegen cites KEY_OR_PREFIX`: every place that prints a figure at or below the key;
/// with `unused`, the figures no article prints.
pub fn cites(root: &Path, prefix: Option<&str>, unused: bool, rep: &Reporter) -> ExitCode {
    let (site, diags) = check_site(root, CheckOptions { drafts: true });
    let Some(site) = site else {
        rep.report(&diags);
        return 1;
    };
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if unused {
        let figures = crate::cites::unused(&site);
        for f in &figures {
            let _ = writeln!(out, "{}: {} is cited nowhere", f.span, f.key);
        }
        eprintln!(
            "{} of {} figures are cited nowhere",
            figures.len(),
            site.dataset.figures.len()
        );
        return 0;
    }
    let prefix = prefix.unwrap_or("");
    let known = site
        .dataset
        .figures
        .keys()
        .any(|k| k == prefix || k.starts_with(&format!("{prefix}.")));
    if !known {
        let mut d = Diagnostics::new();
        let mut diag = Diagnostic::error(
            "unknown-key",
            Span::file("data"),
            format!("no figure of the dataset is `{prefix}` or below it"),
        );
        if let Some(s) = site.dataset.did_you_mean(prefix) {
            diag = diag.with_note(s);
        }
        d.push(diag);
        rep.report(&d);
        return 1;
    }
    let places = crate::cites::places(&site, prefix);
    for p in &places {
        let _ = match rep.format {
            Format::Human => writeln!(out, "{}: {}: {}", p.span, p.key, p.what),
            Format::Json => writeln!(
                out,
                "{}",
                serde_json::json!({"path": p.span.path, "line": p.span.line, "col": p.span.col, "key": p.key, "what": p.what})
            ),
        };
    }
    eprintln!("{} places print {prefix}", places.len());
    0
}

/// `sitegen new "Title"`: a new draft article with valid front matter, never overwriting.
pub fn new_article(root: &Path, title: &str, dir: Option<&str>) -> ExitCode {
    let slug = crate::content::slugify(title);
    let fail = |msg: String| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("new", Span::file("content"), msg));
        report(&d);
        1
    };
    if slug.is_empty() {
        return fail(format!(
            "cannot make a slug from the title {title:?}; use letters or digits"
        ));
    }
    let rel_dir = match dir {
        Some(d) => format!("content/{}", d.trim_matches('/')),
        None => "content".to_string(),
    };
    let rel = format!("{rel_dir}/{slug}.md");
    let path = root.join(&rel);
    // Another file may already publish at this slug through its `slug:` key.
    let mut diags = Diagnostics::new();
    let existing = crate::content::load_articles(root, u64::MAX, &mut diags);
    let url = if dir.is_some() {
        format!("/{}/{slug}/", dir.unwrap_or("").trim_matches('/'))
    } else {
        format!("/{slug}/")
    };
    if let Some(a) = existing.iter().find(|a| a.url_path == url) {
        return fail(format!(
            "{} already publishes at {url}; choose another title",
            a.path
        ));
    }
    let yaml_title = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into());
    let text = format!(
        "---\ntitle: {yaml_title}\ndescription: \"\"\ndate: {}\ntags: []\ndraft: true\n---\n\nWrite here. Cite every figure from the dataset, e.g. `[](cite:devices.NAME.FIELD)`.\n",
        crate::date::Date::today()
    );
    if let Some(parent) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(parent) {
            return fail(format!("cannot create {}: {e}", parent.display()));
        }
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            use std::io::Write;
            if let Err(e) = f.write_all(text.as_bytes()) {
                return fail(format!("cannot write {rel}: {e}"));
            }
            println!("{rel}");
            eprintln!("created {rel} (a draft: `sitegen serve --drafts` shows it)");
            0
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => fail(format!(
            "{rel} already exists; sitegen new never overwrites"
        )),
        Err(e) => fail(format!("cannot create {rel}: {e}")),
    }
}

/// `sitegen pdf`: every check, then the gated PDF of each `pdf: true` article (or the
/// slugs named) compiled with Typst and written to `gated/` (or `out`), never under `public/`.
pub fn pdf(
    root: &Path,
    out: Option<PathBuf>,
    slugs: &[String],
    emit_typst: bool,
    rep: &Reporter,
) -> ExitCode {
    let start = Instant::now();
    let out = out.unwrap_or_else(|| root.join("gated"));
    let (site, mut diags) = match checked(root, false, false) {
        Ok(x) => x,
        Err(diags) => {
            rep.report(&diags);
            return 1;
        }
    };
    if let Some(reason) = inside_public(root, &out) {
        diags.push(Diagnostic::error("pdf", Span::file("gated"), reason));
        rep.report(&diags);
        return 1;
    }
    let mut pages = Vec::new();
    for slug in slugs {
        match site.pages.iter().find(|p| &p.article.slug == slug) {
            Some(p) => pages.push(p),
            None => {
                let known: Vec<&str> = site.pages.iter().map(|p| p.article.slug.as_str()).collect();
                diags.push(Diagnostic::error(
                    "pdf",
                    Span::file("content"),
                    format!(
                        "no published article has the slug `{slug}`; slugs: {}",
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    if slugs.is_empty() {
        pages = site.pages.iter().filter(|p| p.article.front.pdf).collect();
    }
    let template = match crate::gated::template(root) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            String::new()
        }
    };
    if diags.errors() > 0 {
        rep.report(&diags);
        return 1;
    }
    crate::pdf::preload();
    let bar = progress_bar(pages.len());
    let results: Vec<_> = {
        use rayon::prelude::*;
        pages
            .par_iter()
            .map(|p| {
                let r = crate::gated::compile_page(&site, p, &template);
                if let Some(b) = &bar {
                    b.inc(1);
                    b.set_message(p.article.slug.clone());
                }
                r
            })
            .collect()
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut compiled = Vec::new();
    for (c, d) in results {
        diags.extend(d);
        compiled.extend(c);
    }
    if diags.errors() > 0 {
        rep.report(&diags);
        return 1;
    }
    if emit_typst {
        for p in &pages {
            let dir = out.join(format!("{}.typst", p.article.slug));
            for (name, bytes) in crate::gated::typst_project(&site, p, &template) {
                let path = dir.join(&name);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|_| std::fs::write(&path, bytes));
                if let Err(e) = written {
                    diags.push(Diagnostic::error(
                        "io",
                        Span::file(out.display().to_string()),
                        format!("cannot write {}: {e}", path.display()),
                    ));
                }
            }
        }
    }
    for c in &compiled {
        if let Err(e) = write_atomically(&out, &format!("{}.pdf", c.slug), &c.bytes) {
            diags.push(Diagnostic::error(
                "io",
                Span::file(out.display().to_string()),
                format!("cannot write {}.pdf: {e}", c.slug),
            ));
        }
    }
    rep.report(&diags);
    if diags.errors() > 0 {
        return 1;
    }
    for c in &compiled {
        eprintln!(
            "wrote {} ({} KiB)",
            out.join(format!("{}.pdf", c.slug)).display(),
            c.bytes.len() / 1024
        );
    }
    eprintln!(
        "{} PDF(s) in {} ms",
        compiled.len(),
        start.elapsed().as_millis()
    );
    0
}

/// Why `out` may not hold PDFs: it lies inside the public site.
fn inside_public(root: &Path, out: &Path) -> Option<String> {
    let public = std::fs::canonicalize(root).ok()?.join("public");
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let out_abs = std::fs::canonicalize(parent).ok()?.join(out.file_name()?);
    out_abs.starts_with(&public).then(|| {
        format!(
            "the gated PDF may never be written into public/ ({}); choose another --out",
            out.display()
        )
    })
}

/// A progress bar on a terminal; None when stderr is not one (CI logs stay clean).
fn progress_bar(len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || len < 2 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} compiling PDFs {pos}/{len} {msg}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// Writes `name` into `dir` through a temporary file and a rename, so a reader never sees half a PDF.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(name))
}
