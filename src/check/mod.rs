//! One pass over each page, giving the one checked [`Site`]: every citation evaluated
//! and compared with its literal ([`cite`]), every shortcode resolved against the dataset
//! ([`shortcodes`]), every link and anchor checked, each page's Markdown read once
//! ([`markdown`]), no unsafe URL or unsanitized raw HTML ([`safety`]), no two sources writing one output ([`collisions`]); [`places`] answers
//! where a figure is printed.
//!
//! Takes a site root (through `load`); hands on the [`Site`] model (see [`site`]) with
//! every problem found, to the renderers, `serve` and every command alike. Nothing here
//! renders or writes.

pub mod cite;
pub mod collisions;
pub mod markdown;
pub mod places;
pub mod safety;
pub mod shortcodes;
pub mod site;

use crate::check::markdown::Doc;
use crate::check::site::{Page, Shortcode, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::figures::units::UnitRegistry;
use crate::load::config::Config;
use crate::load::content::{self, Article};
use crate::load::dataset::Dataset;
use crate::shapes::flowchart::{self, Style};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What a run includes.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Include articles with `draft: true`.
    pub drafts: bool,
}

/// Loads and checks the site at `root`. The model is None only when nothing could be built
/// (a broken sitegen.toml); otherwise it comes back with every problem found.
pub fn check_site(root: &Path, opts: CheckOptions) -> (Option<Site>, Diagnostics) {
    check_site_with(root, opts, &HashMap::new())
}

/// [`check_site`] with some articles' text given instead of read from disk (`texts`, by
/// path relative to the root, e.g. `content/a.md`): what `sitegen fix --dry-run` would
/// leave, checked by the same checks. An article not on disk is not added.
pub fn check_site_with(
    root: &Path,
    opts: CheckOptions,
    texts: &HashMap<String, String>,
) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let (units, unit_diags) = config.unit_registry();
    for d in unit_diags {
        diags.push(d);
    }
    let max = config.limits.max_file_bytes;
    let (dataset, articles) = rayon::join(
        || {
            let mut d = Diagnostics::new();
            (Dataset::load(root, &units, max, &mut d), d)
        },
        || {
            let mut d = Diagnostics::new();
            (content::load_articles(root, max, &mut d), d)
        },
    );
    let (dataset, d1) = dataset;
    let (articles, d2) = articles;
    diags.extend(d1);
    diags.extend(d2);
    let articles: Vec<Article> = articles
        .into_iter()
        .filter_map(|a| match texts.get(&a.path) {
            None => Some(a),
            Some(t) => {
                match content::parse_article(&a.path, &content::dir_of(&a.path), t.clone()) {
                    Ok(given) => Some(given),
                    Err(d) => {
                        diags.extend(d);
                        None
                    }
                }
            }
        })
        .filter(|a| opts.drafts || !a.front.draft)
        .collect();
    check_templates(root, &mut diags);
    let site = build_site(root, config, units, dataset, articles, &mut diags);
    (Some(site), diags)
}

/// A site template that extends another but defines no block renders the parent
/// unchanged (an article page with no article): `warning[template]` at its `extends`.
/// A template that cannot be read is reported when the templates are compiled.
fn check_templates(root: &Path, diags: &mut Diagnostics) {
    let mut scratch = Diagnostics::new();
    for (name, text) in crate::load::templates::html_templates(root, &mut scratch) {
        if let Some(d) = blockless_child(&name, &text) {
            diags.push(d);
        }
    }
}

/// The warning for a template that extends another and defines no block, if it does.
fn blockless_child(name: &str, text: &str) -> Option<Diagnostic> {
    let tag = |t: &str, word: &str| {
        t.match_indices("{%")
            .find(|(i, _)| {
                let rest = t[i + 2..].trim_start_matches(['-', ' ', '\t', '\n', '\r']);
                rest.starts_with(word) && rest[word.len()..].starts_with(char::is_whitespace)
            })
            .map(|(i, _)| i)
    };
    let at = tag(text, "extends")?;
    if tag(text, "block").is_some() {
        return None;
    }
    let rel = format!("templates/{name}");
    Some(Diagnostic::warning(
        "template",
        Span::at_offset(rel.as_str(), text, at),
        format!(
            "{rel} extends another template but defines no block, so it renders that template unchanged; put its content in a block, e.g. {{% block content %}}…{{% endblock content %}}"
        ),
    ))
}

/// Checks loaded articles against the dataset and each other, producing the model.
pub fn build_site(
    root: &Path,
    config: Config,
    units: UnitRegistry,
    dataset: Dataset,
    articles: Vec<Article>,
    diags: &mut Diagnostics,
) -> Site {
    let mut site = Site::new(root.to_path_buf(), config, units, dataset);
    check_dataset_shapes(&site, diags);
    let checked: Vec<(Page, Diagnostics)> = articles
        .into_par_iter()
        .map(|a| check_page(&site, a))
        .collect();
    let mut pages = Vec::with_capacity(checked.len());
    for (p, d) in checked {
        diags.extend(d);
        pages.push(p);
    }
    check_across_pages(root, &site.config, &mut pages, diags);
    collisions::check_collisions(root, &pages, diags);
    sort_pages(&mut pages);
    site.pages = pages;
    site
}

/// The checks that span articles: internal links and anchors (rewritten into each page's
/// `links`) and `pdf: true` against the gate.
pub fn check_across_pages(
    root: &Path,
    config: &Config,
    pages: &mut [Page],
    diags: &mut Diagnostics,
) {
    let index = LinkIndex::new(root, pages);
    check_across_pages_of(config, &index, pages, &|_| true, diags);
}

/// [`check_across_pages`] for the pages `only` accepts, against an index the caller keeps:
/// `sitegen serve`, after an edit that changed no URL, heading or tag, re-checks only the
/// edited article's links against the index of the previous build.
pub fn check_across_pages_of(
    config: &Config,
    index: &LinkIndex,
    pages: &mut [Page],
    only: &dyn Fn(&Page) -> bool,
    diags: &mut Diagnostics,
) {
    // Pages are checked in parallel; `only` is asked first, on this thread.
    let wanted: Vec<bool> = pages.iter().map(only).collect();
    let found: Vec<Diagnostics> = pages
        .par_iter_mut()
        .zip(wanted)
        .filter(|(_, w)| *w)
        .map(|(p, _)| {
            let mut diags = Diagnostics::new();
            // A re-run must not keep rewrites of links that no longer resolve.
            p.links.clear();
            check_links(index, p, &mut diags);
            if p.article.front.pdf && config.gate.is_none() {
                diags.push(Diagnostic::error(
                    "front-matter",
                    Span::file(&p.article.path),
                    "`pdf: true` needs a [gate] section in sitegen.toml (the form readers fill in to get the PDF)",
                ));
            }
            diags
        })
        .collect();
    for d in found {
        diags.extend(d);
    }
}

/// Orders pages newest first (by `updated`, else `date`), then by path.
pub fn sort_pages(pages: &mut [Page]) {
    pages.sort_by(|a, b| {
        let da = a.article.front.updated.unwrap_or(a.article.front.date);
        let db = b.article.front.updated.unwrap_or(b.article.front.date);
        db.cmp(&da)
            .then(b.article.front.date.cmp(&a.article.front.date))
            .then(a.article.path.cmp(&b.article.path))
    });
}

/// Checks a table's rows and fields against the dataset once, whatever cites it.
pub fn check_dataset_shapes(site: &Site, diags: &mut Diagnostics) {
    let ds = &site.dataset;
    for c in ds.charts.values() {
        if let Err(errors) = crate::shapes::charts::build(ds, c) {
            diags.extend(errors);
        }
    }
    for t in ds.tables.values() {
        for row in &t.rows {
            if !ds.entries.contains_key(row) && !ds.did_not_load("key", row) {
                let mut d = Diagnostic::error(
                    "dataset",
                    t.span.clone(),
                    format!(
                        "table `{}` has row `{row}`, which is no entry of the dataset",
                        t.id
                    ),
                );
                let keys = ds.entries.keys().map(String::as_str);
                if let Some(near) = crate::load::dataset::nearest(row, keys) {
                    d = d.with_note(format!("did you mean `{near}`?"));
                }
                diags.push(d);
            }
        }
        // A table without a row that loaded has said so once above (no rows, or each
        // row unknown): its columns are not each reported again as naming no field.
        let loaded = |r: &String| ds.entries.contains_key(r) || ds.did_not_load("key", r);
        if !t.rows.iter().any(loaded) {
            continue;
        }
        for c in &t.columns {
            let any = t.rows.iter().any(|r| {
                ds.figures.contains_key(&format!("{r}.{}", c.field)) || ds.did_not_load("key", r)
            });
            if !any {
                let mut d = Diagnostic::error(
                    "dataset",
                    c.span.clone(),
                    format!(
                        "column `{}` of table `{}` names a field no row has",
                        c.field, t.id
                    ),
                );
                let fields: std::collections::BTreeSet<&str> = t
                    .rows
                    .iter()
                    .flat_map(|r| {
                        let prefix = format!("{r}.");
                        ds.figures
                            .keys()
                            .filter_map(move |k| k.strip_prefix(&prefix).map(|_| k.as_str()))
                            .map(move |k| &k[r.len() + 1..])
                    })
                    .collect();
                if let Some(near) = crate::load::dataset::nearest(&c.field, fields.iter().copied())
                {
                    d = d
                        .with_note(format!("did you mean `{near}`?"))
                        .with_suggestion(near);
                }
                diags.push(d);
            }
        }
    }
}

/// Parses and checks one article: citations, shortcodes, uncited figures.
pub fn check_page(site: &Site, article: Article) -> (Page, Diagnostics) {
    let doc: Doc = markdown::parse(&article);
    check_parsed(site, article, doc, HashMap::new())
}

/// Checks a page again against the site's dataset from its kept parse, as [`check_page`]
/// would check its article, without reading the Markdown again: `sitegen serve` after a
/// change of `data/`. The rewritten links are kept (they depend on other pages, not on the
/// dataset; [`check_across_pages_of`] made them).
pub fn recheck_page(site: &Site, page: Page) -> (Page, Diagnostics) {
    check_parsed(site, page.article, page.doc, page.links)
}

/// Everything [`check_page`] checks once the Markdown is parsed.
fn check_parsed(
    site: &Site,
    article: Article,
    doc: Doc,
    links: HashMap<usize, String>,
) -> (Page, Diagnostics) {
    let mut diags = Diagnostics::new();
    let path = article.path.clone();
    let text = &article.source;
    let started = std::time::Instant::now();
    let mut cites = HashMap::new();
    for c in &doc.citations {
        match cite::resolve(site, &path, text, c) {
            Ok(r) => {
                cites.insert(c.range.start, r);
            }
            Err(ds) => diags.extend(ds),
        }
    }
    for r in &doc.malformed {
        diags.push(malformed_citation(&path, text, r.clone()));
    }
    let mut shortcodes = HashMap::new();
    for call in &doc.shortcodes {
        if let Some(sc) = check_shortcode(site, &path, text, call, &mut diags) {
            shortcodes.insert(call.range.start, sc);
        }
    }
    cite::check_uncited(site, &path, text, &doc, &mut diags);
    let headline = article
        .front
        .headline
        .as_deref()
        .and_then(|src| check_headline(site, &path, text, src, &mut diags));
    safety::check_markdown(&path, text, &doc, site.config.markdown.raw_html, &mut diags);
    cite::CHECK_NANOS.fetch_add(
        started.elapsed().as_nanos() as u64,
        std::sync::atomic::Ordering::Relaxed,
    );
    let page = Page {
        article,
        doc,
        cites,
        shortcodes,
        links,
        headline,
    };
    (page, diags)
}

/// Evaluates the front matter's `headline` expression; problems are `error[front-matter]`
/// at the key.
fn check_headline(
    site: &Site,
    path: &str,
    text: &str,
    src: &str,
    diags: &mut Diagnostics,
) -> Option<site::Headline> {
    let ds = &site.dataset;
    let at = text.find("\nheadline:").map_or(0, |i| i + 1);
    let err = |msg: String| Diagnostic::error("front-matter", Span::at_offset(path, text, at), msg);
    let parsed = match crate::figures::expr::parse(src) {
        Ok(e) => e,
        Err(e) => {
            diags.push(err(format!("in `headline: {src}`: {}", e.message)));
            return None;
        }
    };
    let keys = crate::figures::expr::keys(&parsed);
    for (k, _) in &keys {
        if !ds.figures.contains_key(k) {
            let mut d = err(format!(
                "`headline` names `{k}`, which is no figure of the dataset"
            ));
            if let Some(n) = ds.did_you_mean(k) {
                d = d.with_note(n);
            }
            diags.push(d);
            return None;
        }
    }
    let mut lookup = |k: &str| {
        ds.figures
            .get(k)
            .map(crate::load::dataset::Figure::quantity)
    };
    let q = match crate::figures::expr::eval(&parsed, &mut lookup) {
        Ok(q) => q,
        Err(e) => {
            diags.push(err(format!("in `headline: {src}`: {e}")));
            return None;
        }
    };
    let label = match keys.as_slice() {
        [(k, _)] if k == src.trim() => {
            let (entry, field) = k.rsplit_once('.').unwrap_or(("", k));
            let name = ds
                .entries
                .get(entry)
                .and_then(|e| e.name.clone())
                .unwrap_or_else(|| entry.to_string());
            format!("{name}, {}", field.replace('_', " "))
        }
        _ => src.trim().to_string(),
    };
    Some(site::Headline {
        label,
        value: crate::figures::units::format_quantity(&q),
    })
}

/// `error[cite-syntax]` for a `](cite:` CommonMark did not read as a link, with the link
/// wrapped in `<…>` as the suggestion when the whole link was found.
fn malformed_citation(path: &str, text: &str, r: std::ops::Range<usize>) -> Diagnostic {
    let written = &text[r.clone()];
    let mut d = Diagnostic::error(
        "cite-syntax",
        Span::at_offset(path, text, r.start),
        format!(
            "`{written}` is not a citation: CommonMark ends a link destination at a space, so it would be published as raw text; wrap the expression in `<…>`"
        ),
    );
    if let Some((label, expr)) = written
        .split_once("](cite:")
        .and_then(|(l, e)| Some((l, e.strip_suffix(')')?)))
    {
        let fix = format!("{label}](<cite:{}>)", expr.trim());
        let (l, c) = crate::diagnostics::line_col(text, r.end);
        d.message.push_str(&format!(": write \"{fix}\""));
        d = d
            .with_suggestion(fix)
            .with_end(l, c)
            .with_bytes(r.start, r.end);
    }
    d
}

fn shortcode_error(path: &str, text: &str, offset: usize, msg: String) -> Diagnostic {
    Diagnostic::error("shortcode", Span::at_offset(path, text, offset), msg)
}

/// The message for a shortcode id that no data file defines, listing the ids that exist;
/// None when the id's file did not load (that file's own error is the one cause).
/// `kind` is (the dataset's name for it, the word readers see, where it is defined).
fn unknown_id<V>(
    ds: &Dataset,
    kind: (&str, &str, &str),
    id: &str,
    defined: &std::collections::BTreeMap<String, V>,
) -> Option<String> {
    let (loaded_as, what, file) = kind;
    (!ds.did_not_load(loaded_as, id))
        .then(|| format!("no {what} `{id}` in {file}; {}", ids(defined)))
}

/// The ids of a map, listed for "ids that exist" messages.
fn ids<V>(m: &std::collections::BTreeMap<String, V>) -> String {
    if m.is_empty() {
        return "none are defined".into();
    }
    let v: Vec<String> = m.keys().map(|k| format!("\"{k}\"")).collect();
    format!("ids that exist: {}", v.join(", "))
}

fn check_shortcode(
    site: &Site,
    path: &str,
    text: &str,
    call: &markdown::ShortcodeCall,
    diags: &mut Diagnostics,
) -> Option<Shortcode> {
    let at = call.range.start;
    let parsed = match shortcodes::parse(&call.source) {
        Ok(c) => c,
        Err((off, msg)) => {
            diags.push(shortcode_error(path, text, at + off, msg));
            return None;
        }
    };
    let ds = &site.dataset;
    let allowed: &[&str] = match parsed.name.as_str() {
        "table" | "receipt" | "chart" => &["id"],
        "flowchart" => &["id", "style"],
        "disputes" => &[],
        other => {
            diags.push(shortcode_error(
                path,
                text,
                at,
                format!("unknown shortcode `{other}`; sitegen has table, chart, flowchart, receipt and disputes"),
            ));
            return None;
        }
    };
    for (k, _) in &parsed.args {
        if !allowed.contains(&k.as_str()) {
            diags.push(shortcode_error(
                path,
                text,
                at,
                format!(
                    "`{}` takes no argument `{k}`; it takes: {}",
                    parsed.name,
                    if allowed.is_empty() {
                        "none".to_string()
                    } else {
                        allowed.join(", ")
                    }
                ),
            ));
            return None;
        }
    }
    let id = parsed.str_arg("id").map(str::to_string);
    let need_id = |diags: &mut Diagnostics| -> Option<String> {
        if id.is_none() {
            diags.push(shortcode_error(
                path,
                text,
                at,
                format!("`{}` needs an id: {}(id=\"…\")", parsed.name, parsed.name),
            ));
        }
        id.clone()
    };
    match parsed.name.as_str() {
        "table" => {
            let id = need_id(diags)?;
            if !ds.tables.contains_key(&id) {
                let msg = unknown_id(ds, ("table", "table", "data/tables.yaml"), &id, &ds.tables);
                diags.extend(msg.map(|m| shortcode_error(path, text, at, m)));
                return None;
            }
            Some(Shortcode::Table(id))
        }
        "chart" => {
            let id = need_id(diags)?;
            let Some(def) = ds.charts.get(&id) else {
                let mut d = Diagnostic::error(
                    "chart",
                    Span::at_offset(path, text, at),
                    format!("no chart `{id}` in data/charts.yaml; {}", ids(&ds.charts)),
                );
                let keys = ds.charts.keys().map(String::as_str);
                if let Some(near) = crate::load::dataset::nearest(&id, keys) {
                    d = d.with_note(format!("did you mean `{near}`?"));
                }
                diags.push(d);
                return None;
            };
            // A chart that does not build was reported at its YAML line already.
            let chart = crate::shapes::charts::build(ds, def).ok()?;
            Some(Shortcode::Chart(std::sync::Arc::new(chart)))
        }
        "receipt" => {
            let id = need_id(diags)?;
            let Some(r) = ds.receipts.get(&id) else {
                let kind = ("receipt", "receipt", "data/receipts.yaml");
                let msg = unknown_id(ds, kind, &id, &ds.receipts);
                diags.extend(msg.map(|m| shortcode_error(path, text, at, m)));
                return None;
            };
            let age = site.today.days_since_epoch() - r.reported.days_since_epoch();
            let stale = age > site.config.receipts.max_age_days;
            if stale {
                diags.push(Diagnostic::warning(
                    "stale-receipt",
                    Span::at_offset(path, text, at),
                    format!(
                        "receipt `{id}` was reported {} ({age} days ago), over receipts.max_age_days = {}; check it against a newer report and update `reported` ({})",
                        r.reported, site.config.receipts.max_age_days, r.span
                    ),
                ));
            }
            Some(Shortcode::Receipt { id, stale })
        }
        "flowchart" => {
            let id = need_id(diags)?;
            let style = match parsed.str_arg("style").unwrap_or("boxes") {
                "boxes" => Style::Boxes,
                "tree" => Style::Tree,
                other => {
                    diags.push(shortcode_error(
                        path,
                        text,
                        at,
                        format!("flowchart style `{other}` is unknown; use \"boxes\" or \"tree\""),
                    ));
                    return None;
                }
            };
            let Some(tree) = ds.decisions.get(&id) else {
                let kind = ("decision", "decision tree", "data/decisions/");
                let msg = unknown_id(ds, kind, &id, &ds.decisions);
                diags.extend(msg.map(|m| shortcode_error(path, text, at, m)));
                return None;
            };
            let max = site.config.flowchart.max_width;
            let drawing = flowchart::draw(&tree.root, style, max);
            if drawing.fell_back {
                diags.push(Diagnostic::warning(
                    "flowchart",
                    Span::at_offset(path, text, at),
                    format!(
                        "flowchart `{id}` does not fit {max} columns as boxes; part of it is drawn as a tree"
                    ),
                ));
            }
            Some(Shortcode::Flowchart { id, style, drawing })
        }
        _ => Some(Shortcode::Disputes),
    }
}

/// The largest article read again to tell whether it failed to load: larger ones did
/// (far above any `limits.max_file_bytes` an article needs).
const UNLOADED_PROBE_BYTES: u64 = 64 * 1024 * 1024;

/// What internal links may point at: pages with their heading ids, and other output files.
pub struct LinkIndex {
    /// Content path (`content/a.md`) → (URL path, heading ids).
    by_file: HashMap<String, (String, HashSet<String>)>,
    /// URL path (`/a/`) → content path.
    by_url: HashMap<String, String>,
    /// Other files the output has, as URL paths (`/style.css`).
    files: HashSet<String>,
    /// The site root, to tell a link to an article that failed to load (reported at
    /// that article, once) from a link to no article at all.
    root: std::path::PathBuf,
}

impl LinkIndex {
    /// Indexes the pages, the files every build writes and the files under `assets/`.
    pub fn new(root: &Path, pages: &[Page]) -> Self {
        let mut by_file = HashMap::new();
        let mut by_url = HashMap::new();
        for p in pages {
            let ids: HashSet<String> = p.doc.headings.iter().map(|h| h.id.clone()).collect();
            by_file.insert(p.article.path.clone(), (p.article.url_path.clone(), ids));
            by_url.insert(p.article.url_path.clone(), p.article.path.clone());
        }
        let mut files: HashSet<String> = [
            "/",
            "/tags/",
            "/feed.xml",
            "/atom.xml",
            "/sitemap.xml",
            "/robots.txt",
            "/404.html",
            "/style.css",
            "/syntax.css",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for p in pages {
            for t in &p.article.front.tags {
                files.insert(format!("/tags/{}/", content::slugify(t)));
            }
        }
        // Problems with assets are reported by `collisions`, which walks them too.
        let mut ignored = Vec::new();
        for a in crate::load::walk::asset_files(root, &mut ignored) {
            files.insert(format!(
                "/{}",
                a.rel.strip_prefix("assets/").unwrap_or(&a.rel)
            ));
        }
        LinkIndex {
            by_file,
            by_url,
            files,
            root: root.to_path_buf(),
        }
    }
}

/// Whether a destination leaves the site (a scheme such as `https:` or `mailto:`).
fn is_external(dest: &str) -> bool {
    let scheme_end = dest.find(':');
    let first_sep = dest.find(['/', '?', '#']);
    match (scheme_end, first_sep) {
        (Some(c), Some(s)) => c < s,
        (Some(_), None) => true,
        _ => dest.starts_with("//"),
    }
}

/// Joins a relative path onto a folder, resolving `.` and `..`; None when it climbs out.
fn join_path(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn check_links(index: &LinkIndex, page: &mut Page, diags: &mut Diagnostics) {
    let path = page.article.path.clone();
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let own_ids: HashSet<String> = page.doc.headings.iter().map(|h| h.id.clone()).collect();
    for link in &page.doc.links {
        let dest = link.dest.trim();
        if dest.is_empty() || is_external(dest) {
            continue;
        }
        let (target, anchor) = match dest.split_once('#') {
            Some((t, a)) => (t, Some(a)),
            None => (dest, None),
        };
        let target = target.split('?').next().unwrap_or("");
        // The line and column are counted only for a link that is broken.
        let broken = |msg: String| {
            let span = Span::at_offset(&path, &page.article.source, link.range.start);
            Diagnostic::error("broken-link", span, msg)
        };
        // Resolve to (ids of the target page, rewritten href) or report.
        let (ids, href): (Option<&HashSet<String>>, Option<String>) = if target.is_empty() {
            (Some(&own_ids), None)
        } else if target.ends_with(".md") {
            let file = if let Some(abs) = target.strip_prefix('/') {
                Some(abs.to_string())
            } else {
                join_path(&dir, target)
            };
            match file.as_ref().and_then(|f| index.by_file.get(f)) {
                Some((url, ids)) => (Some(ids), Some(url.clone())),
                // An article that exists but did not load has its own error: one root
                // cause, one error.
                None if file.as_ref().is_some_and(|f| {
                    f.starts_with("content/")
                        && index.root.join(f).is_file()
                        && !content::article_loads(&index.root, f, UNLOADED_PROBE_BYTES)
                }) =>
                {
                    continue;
                }
                None => {
                    diags.push(broken(format!(
                        "link to `{target}`: no published article at {}",
                        file.unwrap_or_else(|| target.to_string())
                    )));
                    continue;
                }
            }
        } else {
            let url = if target.starts_with('/') {
                target.to_string()
            } else {
                format!(
                    "/{}",
                    join_path(page.article.url_path.trim_matches('/'), target).unwrap_or_default()
                )
            };
            let with_slash = if url.ends_with('/') || url.contains('.') {
                url.clone()
            } else {
                format!("{url}/")
            };
            if let Some(file) = index.by_url.get(&with_slash) {
                (index.by_file.get(file).map(|(_, ids)| ids), None)
            } else if index.files.contains(&url) || index.files.contains(&with_slash) {
                (None, None)
            } else {
                diags.push(broken(format!(
                    "link to `{target}`: the site has no page or file at {url}"
                )));
                continue;
            }
        };
        if let (Some(a), Some(ids)) = (anchor, ids) {
            if !a.is_empty() && !ids.contains(a) {
                let mut d = broken(format!("link to `{dest}`: no heading has the id `#{a}`"));
                let names = ids.iter().map(String::as_str);
                if let Some(near) = crate::load::dataset::nearest(a, names) {
                    d = d.with_note(format!("did you mean `#{near}`?"));
                }
                diags.push(d);
                continue;
            }
        }
        if let Some(h) = href {
            let full = match anchor {
                Some(a) => format!("{h}#{a}"),
                None => h,
            };
            page.links.insert(link.range.start, full);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links_are_told_apart() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("other.md#a:b"));
        assert!(!is_external("/x/"));
    }

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join_path("content/a", "../b.md").as_deref(),
            Some("content/b.md")
        );
        assert_eq!(
            join_path("content", "./x/y.md").as_deref(),
            Some("content/x/y.md")
        );
        assert_eq!(join_path("", "../x.md"), None);
    }

    #[test]
    fn a_child_template_without_blocks_is_warned_at_its_extends() {
        let d = blockless_child(
            "article.html",
            "\n  {% extends \"base.html\" %}\n<p>{{ page.title }}</p>\n",
        )
        .expect("a warning");
        assert_eq!(
            (d.code, d.span.path.as_str(), d.span.line, d.span.col),
            ("template", "templates/article.html", 2, 3)
        );
        let ok = "{%- extends \"base.html\" -%}\n{% block content %}x{% endblock content %}";
        assert!(blockless_child("article.html", ok).is_none());
        assert!(blockless_child(
            "base.html",
            "<html>{% block content %}{% endblock %}</html>"
        )
        .is_none());
        assert!(blockless_child("x.html", "<p>{# extends nothing #}</p>").is_none());
    }
}
