//! The dev server's build state, kept between rebuilds: the checked [`Site`], the rendered
//! files, and every problem filed under what it came from. A change re-reads, re-checks and
//! re-renders only what depends on it; anything unclear falls back to a full rebuild.
//!
//! The full rebuild runs the same stages as [`crate::check::check_site`] and
//! [`crate::publish::publish_site`], in the same order; the test `full_rebuild_matches_build`
//! compares the kept files with what `sitegen build` writes.

use crate::check;
use crate::check::site::{Page, Site};
use crate::diagnostics::{rel_path, Diagnostic, Diagnostics, Span};
use crate::figures::units::UnitRegistry;
use crate::load::config::Config;
use crate::load::content::{self, Article};
use crate::load::dataset::Dataset;
use crate::render::html::{self, OutputFile, Templates};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// More articles than this changed at once (a `git checkout`) are rebuilt in full, in parallel.
const MAX_INCREMENTAL_ARTICLES: usize = 64;

/// What changed on disk, sorted by what depends on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Rebuild everything (sitegen.toml, a folder created or removed, lost events).
    pub full: bool,
    /// Articles (`content/…md`) written, created or removed.
    pub articles: BTreeSet<String>,
    /// Something under `data/`.
    pub data: bool,
    /// Something under `templates/`.
    pub templates: bool,
    /// Files under `assets/`, relative to it (`images/a.png`).
    pub assets: BTreeSet<String>,
    /// Paths under `content/` that went and were not articles: a folder of articles (their
    /// URLs changed: rebuild in full) or an editor's temp file (nothing to do).
    pub gone: BTreeSet<String>,
}

impl Changes {
    /// Whether nothing relevant changed.
    pub fn is_empty(&self) -> bool {
        !self.full
            && self.articles.is_empty()
            && !self.data
            && !self.templates
            && self.assets.is_empty()
            && self.gone.is_empty()
    }

    /// A few words for the terminal: what was saved.
    pub fn describe(&self) -> String {
        if self.full {
            return "everything".into();
        }
        let mut parts: Vec<String> = self.articles.iter().take(3).cloned().collect();
        if self.articles.len() > 3 {
            parts.push(format!("{} more articles", self.articles.len() - 3));
        }
        if self.data {
            parts.push("data/".into());
        }
        if self.templates {
            parts.push("templates/".into());
        }
        parts.extend(self.assets.iter().take(3).map(|a| format!("assets/{a}")));
        if self.assets.len() > 3 {
            parts.push(format!("{} more assets", self.assets.len() - 3));
        }
        parts.join(", ")
    }
}

/// How much one rebuild did, for the terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Whether it was a full rebuild.
    pub full: bool,
    /// Articles checked again.
    pub checked: usize,
    /// Article pages rendered again.
    pub rendered: usize,
}

/// The kept state.
pub struct Engine {
    root: PathBuf,
    drafts: bool,
    /// The checked model of the last rebuild that got past sitegen.toml.
    site: Option<Site>,
    /// Articles loaded but not built (drafts without `--drafts`), by path.
    hidden: BTreeMap<String, Article>,
    /// sitegen.toml cannot be read: nothing else is checked until it can.
    fatal: Option<Diagnostic>,
    /// `[units]` aliases that do not work.
    config_diags: Vec<Diagnostic>,
    /// The dataset's problems (loading, table shapes).
    data_diags: Vec<Diagnostic>,
    /// Each article's own problems (reading, front matter, citations, shortcodes), by path.
    article_diags: BTreeMap<String, Vec<Diagnostic>>,
    /// Articles publishing at the same URL.
    url_diags: Vec<Diagnostic>,
    /// Each page's links and anchors, and `pdf` without a gate, by article path.
    link_diags: BTreeMap<String, Vec<Diagnostic>>,
    /// What links may point at, as of the last change of a URL, heading, tag or asset.
    link_index: Option<check::LinkIndex>,
    templates: Option<Templates>,
    template_diags: Vec<Diagnostic>,
    /// Rendering errors of pages, by article path.
    render_diags: BTreeMap<String, Diagnostic>,
    extras_diags: Vec<Diagnostic>,
    asset_diags: Vec<Diagnostic>,
    /// Rendered article pages: article path → (output path, bytes).
    page_files: HashMap<String, (String, Arc<[u8]>)>,
    /// Every other generated file (index, tags, feeds…), by output path.
    extras: HashMap<String, Arc<[u8]>>,
    /// `assets/**`, by output path; they replace generated files of the same path.
    assets: BTreeMap<String, Arc<[u8]>>,
    /// Check only, render nothing (the language server): the diagnostics are `check`'s.
    check_only: bool,
    /// Articles' unsaved text in an editor, by path: read instead of the file on disk.
    unsaved: HashMap<String, String>,
}

impl Engine {
    /// Builds the site at `root` in full.
    pub fn new(root: &Path, drafts: bool) -> Engine {
        Engine::with_mode(root, drafts, false)
    }

    /// Checks the site at `root` in full and keeps it checked, rendering nothing: the
    /// language server's engine, whose problems are those of `sitegen check`.
    pub fn checking(root: &Path, drafts: bool) -> Engine {
        Engine::with_mode(root, drafts, true)
    }

    fn with_mode(root: &Path, drafts: bool, check_only: bool) -> Engine {
        let mut e = Engine {
            root: root.to_path_buf(),
            drafts,
            site: None,
            hidden: BTreeMap::new(),
            fatal: None,
            config_diags: Vec::new(),
            data_diags: Vec::new(),
            article_diags: BTreeMap::new(),
            url_diags: Vec::new(),
            link_diags: BTreeMap::new(),
            link_index: None,
            templates: None,
            template_diags: Vec::new(),
            render_diags: BTreeMap::new(),
            extras_diags: Vec::new(),
            asset_diags: Vec::new(),
            page_files: HashMap::new(),
            extras: HashMap::new(),
            assets: BTreeMap::new(),
            check_only,
            unsaved: HashMap::new(),
        };
        e.full();
        e
    }

    /// Sets (Some) or forgets (None) the unsaved text of an article or a data file at `path`
    /// (relative to the root: `content/a.md`, `data/devices.yaml`); the next
    /// [`Engine::apply`] naming it (the article, or `data`) checks that text.
    pub fn set_unsaved(&mut self, path: &str, text: Option<String>) {
        match text {
            Some(t) => self.unsaved.insert(path.to_string(), t),
            None => self.unsaved.remove(path),
        };
    }

    /// The checked model, when sitegen.toml could be read at least once.
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// Every problem the site has now.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut d = Diagnostics::new();
        if let Some(f) = &self.fatal {
            d.push(f.clone());
            return d;
        }
        d.extend(self.config_diags.iter().cloned());
        d.extend(self.data_diags.iter().cloned());
        d.extend(self.article_diags.values().flatten().cloned());
        d.extend(self.url_diags.iter().cloned());
        d.extend(self.link_diags.values().flatten().cloned());
        d.extend(self.template_diags.iter().cloned());
        d.extend(self.render_diags.values().cloned());
        d.extend(self.extras_diags.iter().cloned());
        d.extend(self.asset_diags.iter().cloned());
        d
    }

    /// The site's files as `sitegen build` would write them: pages, then other generated
    /// files, then assets over both.
    pub fn files(&self) -> HashMap<String, Arc<[u8]>> {
        let mut m =
            HashMap::with_capacity(self.page_files.len() + self.extras.len() + self.assets.len());
        for (out, bytes) in self.page_files.values() {
            m.insert(out.clone(), Arc::clone(bytes));
        }
        for (out, bytes) in &self.extras {
            m.insert(out.clone(), Arc::clone(bytes));
        }
        for (out, bytes) in &self.assets {
            m.insert(out.clone(), Arc::clone(bytes));
        }
        m
    }

    /// Applies one batch of changes; returns how much was redone.
    pub fn apply(&mut self, ch: &Changes) -> Work {
        if ch.full
            || self.fatal.is_some()
            || self.site.is_none()
            || ch.articles.len() > MAX_INCREMENTAL_ARTICLES
            || ch.gone.iter().any(|g| self.holds_articles(g))
        {
            return self.full();
        }
        let mut work = Work::default();
        let mut render: HashSet<String> = HashSet::new();
        let mut extras = false;
        let mut cross = false;
        // Pages whose links are checked again; None: all of them.
        let mut scope: Option<HashSet<String>> = Some(HashSet::new());
        let mut recheck: BTreeSet<String> = BTreeSet::new();
        if ch.data {
            recheck = self.reload_data();
            cross |= !recheck.is_empty();
        }
        for path in &ch.articles {
            let (lists, shape) = self.reload_article(path, &mut render);
            extras |= lists;
            if shape {
                // A URL, an anchor or a tag page came or went: any page may link to it.
                scope = None;
            } else if let Some(s) = scope.as_mut() {
                s.insert(path.clone());
            }
            work.checked += 1;
            cross = true;
        }
        // Articles the dataset change touches, and not re-read above.
        let recheck: Vec<String> = recheck
            .into_iter()
            .filter(|p| !ch.articles.contains(p))
            .collect();
        work.checked += recheck.len();
        self.recheck(&recheck);
        if let Some(s) = scope.as_mut() {
            s.extend(recheck.iter().cloned());
        }
        render.extend(recheck);
        if !ch.assets.is_empty() && self.reload_assets(&ch.assets) {
            // Links to assets are checked against the files there.
            cross = true;
            scope = None;
        }
        if cross {
            render.extend(self.cross(scope.as_ref()));
        }
        let mut all = false;
        if ch.templates {
            self.load_templates();
            all = true;
            extras = true;
        }
        if all {
            work.rendered = self.render_pages(None);
        } else {
            work.rendered = self.render_pages(Some(&render));
        }
        if extras {
            self.render_extras();
        }
        work
    }

    /// Whether an article was loaded from below the folder `dir`.
    fn holds_articles(&self, dir: &str) -> bool {
        let prefix = format!("{dir}/");
        let pages = self
            .site
            .iter()
            .flat_map(|s| s.pages.iter().map(|p| &p.article.path));
        pages
            .chain(self.hidden.keys())
            .chain(self.article_diags.keys())
            .any(|p| p.starts_with(&prefix))
    }

    /// Everything from scratch, as `sitegen build` does it.
    fn full(&mut self) -> Work {
        let root = self.root.clone();
        let config = match Config::load(&root) {
            Ok(c) => c,
            Err(d) => {
                self.fatal = Some(d);
                return Work {
                    full: true,
                    ..Work::default()
                };
            }
        };
        self.fatal = None;
        self.config_diags.clear();
        let units = self.units(&config);
        let max = config.limits.max_file_bytes;
        let ((dataset, data_diags), loaded) = rayon::join(
            || {
                let mut d = Diagnostics::new();
                (
                    Dataset::load_with(&root, &units, max, &self.unsaved, &mut d),
                    d,
                )
            },
            || content::read_articles(&root, max),
        );
        let mut loaded = loaded;
        for (path, r) in loaded.iter_mut() {
            if let Some(text) = self.unsaved.get(path.as_str()) {
                *r = content::parse_article(path, &content::dir_of(path), text.clone());
            }
        }
        // Unsaved articles not on disk yet.
        for (path, text) in &self.unsaved {
            if path.starts_with("content/")
                && path.ends_with(".md")
                && !loaded.iter().any(|(p, _)| p == path)
            {
                let r = content::parse_article(path, &content::dir_of(path), text.clone());
                loaded.push((path.clone(), r));
            }
        }
        self.data_diags = data_diags.into_iter().collect();
        self.article_diags.clear();
        self.hidden.clear();
        let mut to_check = Vec::new();
        for (path, r) in loaded {
            match r {
                Ok(a) if a.front.draft && !self.drafts => {
                    self.hidden.insert(path, a);
                }
                Ok(a) => to_check.push(a),
                Err(d) => {
                    self.article_diags.entry(path).or_default().extend(d);
                }
            }
        }
        let mut site = Site::new(root.clone(), config, units, dataset);
        let mut shapes = Diagnostics::new();
        check::check_dataset_shapes(&site, &mut shapes);
        self.data_diags.extend(shapes);
        let checked: Vec<(Page, Diagnostics)> = to_check
            .into_par_iter()
            .map(|a| check::check_page(&site, a))
            .collect();
        let checked_n = checked.len();
        for (p, d) in checked {
            self.article_diags
                .entry(p.article.path.clone())
                .or_default()
                .extend(d);
            site.pages.push(p);
        }
        self.site = Some(site);
        self.cross(None);
        self.load_templates();
        self.page_files.clear();
        self.render_diags.clear();
        let rendered = self.render_pages(None);
        self.render_extras();
        self.collect_assets();
        Work {
            full: true,
            checked: checked_n,
            rendered,
        }
    }

    /// The unit registry with the site's aliases, as `check_site` makes it.
    fn units(&mut self, config: &Config) -> UnitRegistry {
        let (units, diags) = config.unit_registry();
        self.config_diags.extend(diags);
        units
    }

    /// Re-reads one article; returns whether the lists (index, tags, feeds) need rendering,
    /// and whether a page, its URL, one of its anchors or one of its tags came or went (other
    /// pages' links may point there).
    fn reload_article(&mut self, path: &str, render: &mut HashSet<String>) -> (bool, bool) {
        let Some(site) = self.site.as_mut() else {
            return (false, true);
        };
        let abs = self.root.join(path);
        // As `load_articles`: regular files only (a symlink is not followed).
        let is_file = std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file());
        let loaded = match self.unsaved.get(path) {
            Some(text) => Some(content::parse_article(
                path,
                &content::dir_of(path),
                text.clone(),
            )),
            None => is_file.then(|| {
                content::read_text(&abs, path, site.config.limits.max_file_bytes)
                    .map_err(|d| vec![d])
                    .and_then(|text| content::parse_article(path, &content::dir_of(path), text))
            }),
        };
        let old = site
            .pages
            .iter()
            .position(|p| p.article.path == path)
            .map(|i| site.pages.remove(i));
        let was_hidden = self.hidden.remove(path).is_some();
        self.article_diags.remove(path);
        self.render_diags.remove(path);
        let old_front = old.as_ref().map(|p| front_key(&p.article));
        let had_page = old.is_some();
        match loaded {
            Some(Ok(a)) if a.front.draft && !self.drafts => {
                self.hidden.insert(path.to_string(), a);
                self.page_files.remove(path);
                self.page_files.remove(&format!("{path}#card"));
                (had_page, had_page)
            }
            Some(Ok(a)) => {
                let lists = old_front.as_ref() != Some(&front_key(&a));
                let (page, d) = check::check_page(site, a);
                let shape = old.as_ref().is_none_or(|o| anchors(o) != anchors(&page));
                self.article_diags
                    .insert(path.to_string(), d.into_iter().collect());
                site.pages.push(page);
                render.insert(path.to_string());
                (lists, shape)
            }
            Some(Err(d)) => {
                self.article_diags.insert(path.to_string(), d);
                self.page_files.remove(path);
                self.page_files.remove(&format!("{path}#card"));
                (had_page, had_page)
            }
            None => {
                self.page_files.remove(path);
                self.page_files.remove(&format!("{path}#card"));
                (had_page || was_hidden, had_page)
            }
        }
    }

    /// Checks the given articles again from their kept text (after a dataset change).
    fn recheck(&mut self, paths: &[String]) {
        let Some(site) = self.site.as_mut() else {
            return;
        };
        let wanted: HashSet<&str> = paths.iter().map(String::as_str).collect();
        let articles: Vec<Article> = site
            .pages
            .iter()
            .filter(|p| wanted.contains(p.article.path.as_str()))
            .map(|p| p.article.clone())
            .collect();
        let site_ref: &Site = site;
        let checked: Vec<(Page, Diagnostics)> = articles
            .into_par_iter()
            .map(|a| check::check_page(site_ref, a))
            .collect();
        let mut by_path: HashMap<String, Page> = HashMap::new();
        for (p, d) in checked {
            self.article_diags
                .insert(p.article.path.clone(), d.into_iter().collect());
            by_path.insert(p.article.path.clone(), p);
        }
        for slot in &mut site.pages {
            if let Some(p) = by_path.remove(&slot.article.path) {
                *slot = p;
            }
        }
    }

    /// Reloads `data/`; returns the articles whose check may have changed with it.
    fn reload_data(&mut self) -> BTreeSet<String> {
        let Some(site) = self.site.as_mut() else {
            return BTreeSet::new();
        };
        let mut d = Diagnostics::new();
        let dataset = Dataset::load_with(
            &self.root,
            &site.units,
            site.config.limits.max_file_bytes,
            &self.unsaved,
            &mut d,
        );
        let old = std::mem::replace(&mut site.dataset, dataset);
        let names: Vec<String> = site
            .dataset
            .known_names()
            .into_iter()
            .map(str::to_string)
            .collect();
        let names_changed = names != site.known_names;
        site.known_names = names;
        check::check_dataset_shapes(site, &mut d);
        self.data_diags = d.into_iter().collect();
        let new = &site.dataset;
        // The dataset's types do not compare; their Debug text holds every field, spans included
        // (a figure that moved to another line changes the messages that name its place).
        let changed_figures = changed_keys(&old.figures, &new.figures);
        let sources_changed = debug_differs(&old.sources, &new.sources);
        let rest_changed = debug_differs(&old.entries, &new.entries)
            || debug_differs(&old.tables, &new.tables)
            || debug_differs(&old.charts, &new.charts)
            || debug_differs(&old.receipts, &new.receipts)
            || debug_differs(&old.decisions, &new.decisions);
        if changed_figures.is_empty() && !sources_changed && !names_changed && !rest_changed {
            return BTreeSet::new();
        }
        site.pages
            .iter()
            .filter(|p| {
                let path = &p.article.path;
                // Names mask numbers in prose, sources appear in every tooltip.
                names_changed
                    || sources_changed
                    || p.cited_keys().any(|k| changed_figures.contains(k))
                    // Tables, trees, receipts and the disputes list read the dataset whole.
                    || !p.shortcodes.is_empty()
                    // A page with problems may cite a key that now exists, or have an uncited
                    // number (each one is a warning) that now agrees with another figure.
                    || self.article_diags.get(path).is_some_and(|d| !d.is_empty())
            })
            .map(|p| p.article.path.clone())
            .collect()
    }

    /// Re-runs the checks across articles, links for the pages in `scope` (all when None);
    /// returns the pages whose rewritten links changed. With a scope no URL, heading, tag or
    /// asset came or went: the same-URL check and the link index of the last run still hold.
    fn cross(&mut self, scope: Option<&HashSet<String>>) -> Vec<String> {
        let Some(site) = self.site.as_mut() else {
            return Vec::new();
        };
        if scope.is_none() || self.link_index.is_none() {
            let mut d = Diagnostics::new();
            // Same URLs are found in load order, drafts included, as `load_articles` does.
            let mut all: Vec<&Article> = site
                .pages
                .iter()
                .map(|p| &p.article)
                .chain(self.hidden.values())
                .collect();
            all.sort_by(|a, b| a.path.split('/').cmp(b.path.split('/')));
            content::check_unique_urls(all, &mut d);
            self.url_diags = d.into_iter().collect();
            self.link_index = Some(check::LinkIndex::new(&self.root, &site.pages));
        }
        let Some(index) = self.link_index.as_ref() else {
            return Vec::new();
        };
        let in_scope = |p: &Page| scope.is_none_or(|s| s.contains(&p.article.path));
        let before: HashMap<String, HashMap<usize, String>> = site
            .pages
            .iter()
            .filter(|p| in_scope(p))
            .map(|p| (p.article.path.clone(), p.links.clone()))
            .collect();
        let mut d = Diagnostics::new();
        check::check_across_pages_of(&site.config, index, &mut site.pages, &in_scope, &mut d);
        check::sort_pages(&mut site.pages);
        match scope {
            None => self.link_diags.clear(),
            Some(s) => {
                for path in s {
                    self.link_diags.remove(path);
                }
            }
        }
        // Every problem found here is placed in the page it was found in.
        for diag in d {
            self.link_diags
                .entry(diag.span.path.clone())
                .or_default()
                .push(diag);
        }
        site.pages
            .iter()
            .filter(|p| in_scope(p) && before.get(&p.article.path) != Some(&p.links))
            .map(|p| p.article.path.clone())
            .collect()
    }

    fn load_templates(&mut self) {
        if self.check_only {
            return;
        }
        // The author's preview: the same renderer, with dataset keys in the tooltips.
        match Templates::load(&self.root).map(Templates::for_author) {
            Ok(t) => {
                self.templates = Some(t);
                self.template_diags.clear();
            }
            Err(d) => {
                self.templates = None;
                self.template_diags = d.into_iter().collect();
            }
        }
    }

    /// Renders the given pages (all when None); returns how many. Without templates nothing
    /// renders: the template errors fail the site, and fixing them renders every page.
    fn render_pages(&mut self, only: Option<&HashSet<String>>) -> usize {
        if self.check_only {
            return 0;
        }
        let (Some(site), Some(templates)) = (self.site.as_ref(), self.templates.as_ref()) else {
            return 0;
        };
        let results: Vec<(String, Result<OutputFile, Diagnostic>)> = site
            .pages
            .par_iter()
            .filter(|p| only.is_none_or(|s| s.contains(&p.article.path)))
            .flat_map_iter(|p| {
                // The page and its social card (drawn once, then from the cards' cache).
                [
                    (
                        p.article.path.clone(),
                        html::render_page(site, templates, p),
                    ),
                    (
                        format!("{}#card", p.article.path),
                        crate::render::cards::render_card(site, p),
                    ),
                ]
            })
            .collect();
        let n = results.len() / 2;
        for (path, r) in results {
            match r {
                Ok(f) => {
                    self.render_diags.remove(&path);
                    self.page_files.insert(path, (f.path, Arc::from(f.bytes)));
                }
                Err(d) => {
                    self.render_diags.insert(path, d);
                }
            }
        }
        n
    }

    fn render_extras(&mut self) {
        if self.check_only {
            return;
        }
        let (Some(site), Some(templates)) = (self.site.as_ref(), self.templates.as_ref()) else {
            return;
        };
        match html::render_extras(site, templates) {
            Ok(files) => {
                self.extras = files
                    .into_iter()
                    .map(|f| (f.path, Arc::from(f.bytes)))
                    .collect();
                self.extras_diags.clear();
            }
            Err(d) => self.extras_diags = d.into_iter().collect(),
        }
    }

    /// Reads every asset, as `sitegen build` copies them.
    fn collect_assets(&mut self) {
        if self.check_only {
            return;
        }
        let mut files = Vec::new();
        match crate::publish::collect_assets(&self.root, &mut files) {
            Ok(()) => {
                self.assets = files
                    .into_iter()
                    .map(|f| (f.path, Arc::from(f.bytes)))
                    .collect();
                self.asset_diags.clear();
            }
            Err(e) => {
                self.asset_diags = vec![Diagnostic::error(
                    "io",
                    Span::file("assets"),
                    format!("cannot read assets: {e}"),
                )];
            }
        }
    }

    /// Re-reads changed assets; returns whether the set of asset paths changed.
    fn reload_assets(&mut self, changed: &BTreeSet<String>) -> bool {
        if self.check_only {
            // Nothing is read: links to assets are checked against the folder itself.
            return true;
        }
        let before: Vec<String> = self.assets.keys().cloned().collect();
        let dir = self.root.join("assets");
        let simple = self.asset_diags.is_empty()
            && changed.iter().all(|rel| {
                let p = dir.join(rel);
                match std::fs::symlink_metadata(&p) {
                    Ok(m) if m.is_file() => true,
                    // Gone, and no file of the same name inside a folder that went: just drop it.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => !self
                        .assets
                        .keys()
                        .any(|k| k.starts_with(&format!("{rel}/"))),
                    _ => false,
                }
            });
        if simple {
            for rel in changed {
                let p = dir.join(rel);
                if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
                    match std::fs::read(&p) {
                        Ok(bytes) => {
                            self.assets.insert(rel_path(&dir, &p), Arc::from(bytes));
                        }
                        Err(_) => {
                            self.collect_assets();
                            break;
                        }
                    }
                } else {
                    self.assets.remove(rel);
                }
            }
        } else {
            self.collect_assets();
        }
        !self.assets.keys().eq(before.iter())
    }
}

/// The parts of an article the lists, tags and feeds show: its front matter and URL.
fn front_key(a: &Article) -> (String, String) {
    (
        a.source[..a.body_start.min(a.source.len())].to_string(),
        a.url_path.clone(),
    )
}

/// What other pages' links can point at: a page's URL, its heading ids and its tags' pages.
fn anchors(p: &Page) -> (&str, Vec<&str>, Vec<String>) {
    let mut ids: Vec<&str> = p.doc.headings.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    let mut tags: Vec<String> = p
        .article
        .front
        .tags
        .iter()
        .map(|t| content::slugify(t))
        .collect();
    tags.sort_unstable();
    (&p.article.url_path, ids, tags)
}

/// Keys whose entry differs (or exists on one side only).
fn changed_keys<V: std::fmt::Debug>(
    a: &BTreeMap<String, V>,
    b: &BTreeMap<String, V>,
) -> HashSet<String> {
    let mut out = HashSet::new();
    for (k, v) in a {
        match b.get(k) {
            Some(w) if format!("{v:?}") == format!("{w:?}") => {}
            _ => {
                out.insert(k.clone());
            }
        }
    }
    for k in b.keys() {
        if !a.contains_key(k) {
            out.insert(k.clone());
        }
    }
    out
}

fn debug_differs<V: std::fmt::Debug>(a: &V, b: &V) -> bool {
    format!("{a:?}") != format!("{b:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    fn copy(name: &str, tag: &str) -> PathBuf {
        let src = fixture(name);
        let dst = std::env::temp_dir().join(format!("sitegen-engine-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dst);
        for e in walkdir::WalkDir::new(&src) {
            let e = e.unwrap();
            let to = dst.join(e.path().strip_prefix(&src).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
        dst
    }

    /// What `sitegen build` makes of the site, rendered for the author as `serve` renders
    /// it (dataset keys in the tooltips): its problems and the files it writes.
    fn build(root: &Path) -> (Vec<String>, BTreeMap<String, Vec<u8>>) {
        let (site, diags) = check::check_site(root, check::CheckOptions { drafts: false });
        let mut lines: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        let mut files = BTreeMap::new();
        if let Some(site) = site {
            let out = std::env::temp_dir().join(format!(
                "sitegen-engine-build-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let published = crate::render::html::Templates::load(root)
                .map_err(crate::publish::WriteError::Diags)
                .and_then(|t| crate::publish::publish_rendered_with(&site, &t.for_author(), &out));
            match published {
                Ok(_) => {
                    for e in walkdir::WalkDir::new(&out) {
                        let e = e.unwrap();
                        if e.file_type().is_file() {
                            let bytes = std::fs::read(e.path()).unwrap();
                            files.insert(rel_path(&out, e.path()), bytes);
                        }
                    }
                }
                Err(crate::publish::WriteError::Diags(d)) => {
                    lines.extend(d.sorted().iter().map(|d| d.to_string()))
                }
                Err(crate::publish::WriteError::Io(e)) => panic!("cannot write {out:?}: {e}"),
            }
            let _ = std::fs::remove_dir_all(&out);
        }
        lines.sort();
        (lines, files)
    }

    fn engine_state(e: &Engine) -> (Vec<String>, BTreeMap<String, Vec<u8>>) {
        let mut lines: Vec<String> = e
            .diagnostics()
            .sorted()
            .iter()
            .map(|d| d.to_string())
            .collect();
        lines.sort();
        let files = e
            .files()
            .into_iter()
            .map(|(k, v)| (k, v.to_vec()))
            .collect();
        (lines, files)
    }

    fn edit(root: &Path, rel: &str, from: &str, to: &str) {
        let p = root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }

    fn articles(paths: &[&str]) -> Changes {
        Changes {
            articles: paths.iter().map(|s| s.to_string()).collect(),
            ..Changes::default()
        }
    }

    #[test]
    fn full_rebuild_matches_build() {
        for name in ["basic", "github"] {
            let root = fixture(name);
            let e = Engine::new(&root, false);
            let (lines, files) = build(&root);
            let (elines, efiles) = engine_state(&e);
            assert_eq!(elines, lines, "{name}: same problems");
            if lines.iter().all(|l| !l.starts_with("error")) {
                assert_eq!(
                    efiles.keys().collect::<Vec<_>>(),
                    files.keys().collect::<Vec<_>>(),
                    "{name}"
                );
                assert!(efiles == files, "{name}: same bytes");
            }
        }
    }

    /// After each edit, the kept state equals a fresh build of the edited site.
    #[test]
    fn incremental_rebuilds_match_a_fresh_build() {
        let root = copy("basic", "incr");
        let mut e = Engine::new(&root, false);
        let same = |e: &Engine, what: &str| {
            let (lines, files) = build(&root);
            let (elines, efiles) = engine_state(e);
            assert_eq!(elines, lines, "{what}: same problems");
            if lines.iter().all(|l| !l.starts_with("error")) {
                assert!(efiles == files, "{what}: same files");
            }
        };
        // A body edit: one page.
        edit(
            &root,
            "content/spark.md",
            "## Compared",
            "## Compared side by side",
        );
        let w = e.apply(&articles(&["content/spark.md"]));
        assert_eq!((w.full, w.checked, w.rendered), (false, 1, 1));
        same(&e, "body edit");
        // The anchor another article links to went away: its link breaks.
        edit(
            &root,
            "content/guides/other.md",
            "## A heading",
            "## Another heading",
        );
        e.apply(&articles(&["content/guides/other.md"]));
        same(&e, "anchor removed");
        assert!(e
            .diagnostics()
            .sorted()
            .iter()
            .any(|d| d.code == "broken-link"));
        edit(
            &root,
            "content/guides/other.md",
            "## Another heading",
            "## A heading",
        );
        e.apply(&articles(&["content/guides/other.md"]));
        same(&e, "anchor back");
        // Drift, then fixed.
        edit(&root, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
        e.apply(&articles(&["content/spark.md"]));
        same(&e, "drift");
        assert!(e.diagnostics().sorted().iter().any(|d| d.code == "drift"));
        edit(&root, "content/spark.md", "[275 GB/s]", "[273 GB/s]");
        e.apply(&articles(&["content/spark.md"]));
        same(&e, "drift fixed");
        // A link to a tag page no article has yet: broken until another article takes the tag.
        edit(
            &root,
            "content/spark.md",
            "for more.",
            "for more, and [fresh ones](/tags/fresh/).",
        );
        e.apply(&articles(&["content/spark.md"]));
        same(&e, "link to a missing tag page");
        assert!(e
            .diagnostics()
            .sorted()
            .iter()
            .any(|d| d.code == "broken-link" && d.message.contains("/tags/fresh/")));
        // Front matter: title and tags reach the index, the tag pages and the feed.
        edit(
            &root,
            "content/guides/other.md",
            "title: Another article",
            "title: Renamed article",
        );
        edit(
            &root,
            "content/guides/other.md",
            "tags: [numbers]",
            "tags: [numbers, fresh]",
        );
        e.apply(&articles(&["content/guides/other.md"]));
        same(&e, "front matter");
        // Bad YAML, then fixed.
        edit(
            &root,
            "content/guides/other.md",
            "date: 2026-04-01",
            "date: [2026",
        );
        e.apply(&articles(&["content/guides/other.md"]));
        same(&e, "bad yaml");
        edit(
            &root,
            "content/guides/other.md",
            "date: [2026",
            "date: 2026-04-01",
        );
        e.apply(&articles(&["content/guides/other.md"]));
        same(&e, "yaml fixed");
        // A new article, a removed one, a draft published.
        std::fs::write(
            root.join("content/new.md"),
            "---\ntitle: New\ndate: 2026-07-01\ntags: [numbers]\n---\nSee [x](spark.md).\n",
        )
        .unwrap();
        e.apply(&articles(&["content/new.md"]));
        same(&e, "added");
        std::fs::remove_file(root.join("content/new.md")).unwrap();
        e.apply(&articles(&["content/new.md"]));
        same(&e, "removed");
        edit(&root, "content/draft.md", "draft: true", "draft: false");
        e.apply(&articles(&["content/draft.md"]));
        same(&e, "draft published");
        // Same URL twice.
        std::fs::write(
            root.join("content/twin.md"),
            "---\ntitle: Twin\ndate: 2026-01-01\nslug: spark\n---\nx\n",
        )
        .unwrap();
        e.apply(&articles(&["content/twin.md"]));
        same(&e, "same url");
        std::fs::remove_file(root.join("content/twin.md")).unwrap();
        e.apply(&articles(&["content/twin.md"]));
        same(&e, "same url gone");
        // An editor's temp file went: nothing to do. A folder of articles moved: in full.
        let w = e.apply(&Changes {
            gone: ["content/4913".to_string()].into(),
            ..Changes::default()
        });
        assert_eq!(w, Work::default());
        std::fs::rename(root.join("content/guides"), root.join("content/moved")).unwrap();
        let w = e.apply(&Changes {
            gone: ["content/guides".to_string()].into(),
            ..Changes::default()
        });
        assert!(w.full);
        same(&e, "folder moved");
        std::fs::rename(root.join("content/moved"), root.join("content/guides")).unwrap();
        e.apply(&Changes {
            full: true,
            ..Changes::default()
        });
        same(&e, "folder back");
        // A data edit: the figure changes, the citing page drifts; then the text follows.
        edit(&root, "data/devices.yaml", "value: 273", "value: 275");
        let w = e.apply(&Changes {
            data: true,
            ..Changes::default()
        });
        assert!(!w.full && w.checked >= 1);
        same(&e, "data changed");
        edit(&root, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
        e.apply(&articles(&["content/spark.md"]));
        same(&e, "text follows data");
        // Bad YAML in the dataset.
        edit(&root, "data/devices.yaml", "dgx_spark:", "dgx_spark: [");
        e.apply(&Changes {
            data: true,
            ..Changes::default()
        });
        same(&e, "data yaml broken");
        edit(&root, "data/devices.yaml", "dgx_spark: [", "dgx_spark:");
        e.apply(&Changes {
            data: true,
            ..Changes::default()
        });
        same(&e, "data yaml fixed");
        // Templates: one broken, then a working one of the site's own.
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(
            root.join("templates/404.html"),
            "{% extends \"base.html\" %}{% block content %}{{ oops(}}{% endblock content %}",
        )
        .unwrap();
        e.apply(&Changes {
            templates: true,
            ..Changes::default()
        });
        same(&e, "template broken");
        std::fs::write(
            root.join("templates/404.html"),
            "{% extends \"base.html\" %}{% block content %}<p>Lost.</p>{% endblock content %}",
        )
        .unwrap();
        e.apply(&Changes {
            templates: true,
            ..Changes::default()
        });
        same(&e, "template fixed");
        // Assets: changed, added (over a generated file), removed.
        std::fs::write(root.join("assets/extra.css"), "body { color: red }").unwrap();
        std::fs::write(root.join("assets/style.css"), "body { color: blue }").unwrap();
        e.apply(&Changes {
            assets: ["extra.css".to_string(), "style.css".to_string()].into(),
            ..Changes::default()
        });
        same(&e, "assets");
        std::fs::remove_file(root.join("assets/style.css")).unwrap();
        e.apply(&Changes {
            assets: ["style.css".to_string()].into(),
            ..Changes::default()
        });
        same(&e, "asset removed");
        // sitegen.toml broken: only its error, the rest kept for when it is fixed.
        let toml = std::fs::read_to_string(root.join("sitegen.toml")).unwrap();
        std::fs::write(root.join("sitegen.toml"), "title = [").unwrap();
        e.apply(&Changes {
            full: true,
            ..Changes::default()
        });
        same(&e, "config broken");
        std::fs::write(root.join("sitegen.toml"), toml).unwrap();
        e.apply(&Changes {
            full: true,
            ..Changes::default()
        });
        same(&e, "config fixed");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
