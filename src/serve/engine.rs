//! The dev server's build state, kept between rebuilds: the checked [`Site`], the rendered
//! files, and every problem filed under what it came from. A change re-reads, re-checks and
//! re-renders only what depends on it; anything unclear falls back to a full rebuild.
//!
//! The full rebuild runs the same stages as [`crate::check::check_site`] and
//! [`crate::publish::publish_site`], in the same order; the test `full_rebuild_matches_build`
//! compares the kept files with what `sitegen build` writes.

use super::live::{Files, Paths};
use crate::check;
use crate::check::site::{Page, Site};
use crate::diagnostics::{rel_path, Diagnostic, Diagnostics, Span};
use crate::figures::units::UnitRegistry;
use crate::load::config::Config;
use crate::load::content::{self, Article};
use crate::load::dataset::Dataset;
use crate::render::html::{self, OutputFile, Templates};
use crate::render::lists::{self, Summaries};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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
    /// Pages, cards and lists left for [`Engine::work`].
    pub pending: usize,
}

/// Pages a change touches that are checked and rendered at once by [`Engine::begin`]; when
/// a change touches more (a template, a figure many pages cite), they are left for
/// [`Engine::work`], which serves the requested ones first.
const AT_ONCE: usize = 8;

/// What a change left to do.
#[derive(Clone, Debug, Default)]
struct Todo {
    /// Articles to check again against the dataset, from their kept parse (then rendered).
    recheck: BTreeSet<String>,
    /// Article pages to render.
    pages: BTreeSet<String>,
    /// Social cards to draw, by article path.
    cards: BTreeSet<String>,
    /// Other generated files to render (lists, feeds), by output path.
    extras: BTreeSet<String>,
}

impl Todo {
    fn is_empty(&self) -> bool {
        self.recheck.is_empty()
            && self.pages.is_empty()
            && self.cards.is_empty()
            && self.extras.is_empty()
    }

    fn len(&self) -> usize {
        // Pages to render and to check again, each once: the smaller set looked up in the
        // larger (a save that stales every page has one of them empty).
        let (small, large) = if self.pages.len() <= self.recheck.len() {
            (&self.pages, &self.recheck)
        } else {
            (&self.recheck, &self.pages)
        };
        let pages = large.len() + small.iter().filter(|p| !large.contains(*p)).count();
        pages + self.cards.len() + self.extras.len()
    }
}

/// One unit of left work.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Item {
    /// An article: checked again when it is in `recheck`, then its page rendered.
    Page(String),
    /// An article's social card.
    Card(String),
    /// A generated file by output path.
    Extra(String),
}

/// A rendered file as it is kept and served (output path, shared bytes), or its error.
type Kept = Result<(String, Arc<[u8]>), Diagnostic>;

/// What one item gave, applied to the engine once its round is over.
enum Outcome {
    Page(Box<PageDone>),
    Card { path: String, file: Kept },
    Extra { out: String, file: Option<Kept> },
}

/// What an article's item gave: its new check, page and card.
struct PageDone {
    path: String,
    checked: Option<(Page, Vec<Diagnostic>)>,
    file: Option<Kept>,
    card: Option<Kept>,
}

/// The left work of one change, made at its first round of [`Engine::work`] and kept for
/// the next ones (the site's pages keep their places until the next change).
struct Round {
    /// The items in the order they are done (items done since are skipped).
    items: VecDeque<Item>,
    /// Article path → its place in the site's pages.
    index: FxHashMap<String, usize>,
    /// A page's output folder (`slug/`, `` for the root) → its place in the site's pages.
    urls: FxHashMap<String, usize>,
}

/// A hash map with FxHash: its keys are the site's own paths.
type FxHashMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// A hash set with FxHash: its keys are the site's own paths and keys.
type FxHashSet<K> = HashSet<K, rustc_hash::FxBuildHasher>;

/// Makes a rendered file's shared bytes once, hands them to `done` and keeps them.
fn share(r: Result<OutputFile, Diagnostic>, done: &(dyn Fn(&str, &Arc<[u8]>) + Sync)) -> Kept {
    r.map(|f| {
        let bytes: Arc<[u8]> = Arc::from(f.bytes);
        done(&f.path, &bytes);
        (f.path, bytes)
    })
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
    /// Outputs two sources would write, and tag spellings that share a URL, as `build`
    /// finds them ([`check::collisions::check_collisions`]).
    collision_diags: Vec<Diagnostic>,
    /// Each page's links and anchors, and `pdf` without a gate, by article path.
    link_diags: BTreeMap<String, Vec<Diagnostic>>,
    /// What links may point at, as of the last change of a URL, heading, tag or asset.
    link_index: Option<check::LinkIndex>,
    /// The tag pages the site has (slugs), as of the link index.
    tag_set: BTreeSet<String>,
    templates: Option<Templates>,
    template_diags: Vec<Diagnostic>,
    /// Rendering errors of pages, by article path.
    render_diags: BTreeMap<String, Diagnostic>,
    /// Rendering errors of the other generated files, by output path.
    extras_diags: BTreeMap<String, Diagnostic>,
    asset_diags: Vec<Diagnostic>,
    /// Rendered article pages: article path → (output path, bytes).
    page_files: HashMap<String, (String, Arc<[u8]>)>,
    /// Every other generated file (index, tags, feeds…), by output path.
    extras: HashMap<String, Arc<[u8]>>,
    /// The page summaries the lists show, kept between edits.
    summaries: Option<Summaries>,
    /// `assets/**`, by output path; they replace generated files of the same path.
    assets: BTreeMap<String, Arc<[u8]>>,
    /// The served files as [`Engine::files`] made them last, until a page, list or asset
    /// changes: a save that leaves every page to the background publishes them at once.
    served: std::sync::OnceLock<Arc<Files>>,
    /// Check only, render nothing (the language server): the diagnostics are `check`'s.
    check_only: bool,
    /// Articles' unsaved text in an editor, by path: read instead of the file on disk.
    unsaved: HashMap<String, String>,
    /// What the last change left to do.
    todo: Todo,
    /// The left work in the order it is done, made once per change.
    order: Option<Round>,
    /// Pages [`Engine::begin`] renders at once ([`AT_ONCE`]; tests set 0 to leave all).
    at_once: usize,
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
            collision_diags: Vec::new(),
            link_diags: BTreeMap::new(),
            link_index: None,
            tag_set: BTreeSet::new(),
            templates: None,
            template_diags: Vec::new(),
            render_diags: BTreeMap::new(),
            extras_diags: BTreeMap::new(),
            asset_diags: Vec::new(),
            page_files: HashMap::new(),
            extras: HashMap::new(),
            summaries: None,
            assets: BTreeMap::new(),
            served: std::sync::OnceLock::new(),
            check_only,
            unsaved: HashMap::new(),
            todo: Todo::default(),
            at_once: AT_ONCE,
            order: None,
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

    /// Every problem the site has now (complete once [`Engine::pending`] is 0).
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
        d.extend(self.collision_diags.iter().cloned());
        d.extend(self.link_diags.values().flatten().cloned());
        d.extend(self.template_diags.iter().cloned());
        d.extend(self.render_diags.values().cloned());
        d.extend(self.extras_diags.values().cloned());
        d.extend(self.asset_diags.iter().cloned());
        d
    }

    /// The site's files as `sitegen build` would write them: pages, then other generated
    /// files, then assets over both. While work is pending, files it will render again
    /// still hold their previous bytes.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(self.served.get_or_init(|| Arc::new(self.collect_files())))
    }

    /// The files of [`Engine::files`], collected from the pages, lists and assets.
    fn collect_files(&self) -> Files {
        let mut m = Files::with_capacity_and_hasher(
            self.page_files.len() + self.extras.len() + self.assets.len(),
            Default::default(),
        );
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

    /// Whether the output path is a social card (`slug/card.png`, not an asset): an image
    /// no page shows.
    pub fn is_card(&self, out: &str) -> bool {
        out.ends_with("/card.png") && !self.assets.contains_key(out)
    }

    /// Whether the left work of the last change has begun (its order is made).
    pub fn in_round(&self) -> bool {
        self.order.is_some()
    }

    /// How many pages, cards and lists the last change left to render (or check).
    pub fn pending(&self) -> usize {
        self.todo.len()
    }

    /// The output paths the left work will write (an asset of the same path excepted: it
    /// replaces the generated file).
    pub fn pending_outputs(&self) -> Paths {
        let mut out = Paths::with_capacity_and_hasher(self.todo.len(), Default::default());
        if self.check_only {
            return out;
        }
        if let Some(site) = &self.site {
            let todo = &self.todo;
            let (pages, cards) = (todo.pages.is_empty(), todo.cards.is_empty());
            let recheck = todo.recheck.is_empty();
            if !(pages && cards && recheck) {
                // On every thread: a save that stales every page looks each one up.
                let found: Vec<String> = site
                    .pages
                    .par_iter()
                    .flat_map_iter(|p| {
                        let path = &p.article.path;
                        let page = (!pages && todo.pages.contains(path))
                            || (!recheck && todo.recheck.contains(path));
                        let card = !cards && todo.cards.contains(path);
                        let page = page.then(|| page_output(p));
                        let card = card.then(|| crate::render::cards::card_path(p));
                        page.into_iter().chain(card)
                    })
                    .collect();
                out.extend(found);
            }
        }
        out.extend(self.todo.extras.iter().cloned());
        if !self.assets.is_empty() {
            out.retain(|o| !self.assets.contains_key(o));
        }
        out
    }

    /// Applies one batch of changes and does all the work it makes; returns how much.
    pub fn apply(&mut self, ch: &Changes) -> Work {
        let mut work = self.begin(ch);
        work.rendered += self.finish();
        work.pending = 0;
        work
    }

    /// Applies one batch of changes: re-reads and checks what changed, renders the few
    /// pages it touches, and leaves larger work (every page after a template edit, every
    /// page citing a figure that changed, the lists, redrawn cards) for [`Engine::work`].
    pub fn begin(&mut self, ch: &Changes) -> Work {
        if ch.full
            || self.fatal.is_some()
            || self.site.is_none()
            || ch.articles.len() > MAX_INCREMENTAL_ARTICLES
            || ch.gone.iter().any(|g| self.holds_articles(g))
        {
            return self.full();
        }
        self.order = None;
        let mut work = Work::default();
        let mut render: HashSet<String> = HashSet::new();
        let mut cross = false;
        // Pages whose links are checked again; None: all of them.
        let mut scope: Option<HashSet<String>> = Some(HashSet::new());
        // Articles whose summary in the lists may have changed, with their tag slugs before
        // and after.
        let mut listed: HashSet<String> = HashSet::new();
        let mut touched_tags: BTreeSet<String> = BTreeSet::new();
        let mut tags_moved = false;
        let mut respelled = false;
        if ch.data {
            let mut recheck = self.reload_data();
            if !ch.articles.is_empty() {
                recheck.retain(|p| !ch.articles.contains(p));
            }
            // Merged whole: one by one, 10,000 inserts cost more than the rest of the save.
            self.todo.recheck.append(&mut recheck);
        }
        for path in &ch.articles {
            let r = self.reload_article(path, &mut render);
            if r.lists {
                listed.insert(path.clone());
                tags_moved |= r.tags_moved;
                respelled |= r.respelled;
                touched_tags.extend(r.tags);
            }
            if r.shape {
                // A URL or an anchor came or went: any page may link to it.
                scope = None;
            } else if let Some(s) = scope.as_mut() {
                s.insert(path.clone());
            }
            if r.card {
                self.todo.cards.insert(path.clone());
            }
            self.todo.recheck.remove(path);
            work.checked += 1;
            cross = true;
        }
        if tags_moved && self.site_tags() != self.tag_set {
            // A tag page came or went: links to it resolve differently.
            scope = None;
        }
        let mut everything = ch.templates;
        if !ch.assets.is_empty() {
            if self.reload_assets(&ch.assets) {
                // Links to assets are checked against the files there.
                cross = true;
                scope = None;
            }
            // Every page's head names the favicon, which the site looked up once.
            if let Some(site) = self.site.as_mut() {
                let favicon = crate::load::walk::favicon(&self.root);
                everything |= site.favicon != favicon;
                site.favicon = favicon;
            }
        }
        if cross {
            render.extend(self.cross(scope.as_ref()));
            // A URL, an asset or a tag's spelling changed: outputs and tag URLs may
            // collide anew, or no longer.
            if scope.is_none() || respelled {
                self.collisions();
            }
        }
        if ch.templates {
            self.load_templates();
        }
        if let (Some(site), Some(s)) = (self.site.as_ref(), self.summaries.as_mut()) {
            if everything || !listed.is_empty() {
                s.update(site, self.templates.as_ref(), &|p| listed.contains(p));
            }
        }
        if everything {
            self.todo_everything();
        } else if !listed.is_empty() {
            self.todo_lists(&touched_tags);
        }
        // A page that waits for its check against the new dataset is rendered after it.
        render.retain(|p| !self.todo.recheck.contains(p));
        if render.len() <= self.at_once && !everything {
            for p in &render {
                self.todo.pages.remove(p);
            }
            work.rendered = self.render_now(&render);
        } else {
            self.todo.pages.extend(render);
        }
        // A few pages to check again against the dataset: at once, too.
        if self.todo.recheck.len() <= self.at_once
            && self.todo.pages.len() <= self.at_once
            && self.todo.extras.is_empty()
            && self.todo.cards.is_empty()
        {
            work.checked += self.todo.recheck.len();
            work.rendered += self.finish();
        }
        work.pending = self.todo.len();
        work
    }

    /// Every page and generated file to render again (templates or the favicon changed).
    fn todo_everything(&mut self) {
        if self.check_only {
            return;
        }
        if let Some(site) = &self.site {
            let mut all: BTreeSet<String> =
                site.pages.iter().map(|p| p.article.path.clone()).collect();
            // Merged whole (built sorted at once), not inserted one by one.
            self.todo.pages.append(&mut all);
            self.todo.extras.extend(lists::outputs(site));
        }
        // Generated files the site no longer makes go.
        self.todo.extras.extend(self.extras.keys().cloned());
    }

    /// The lists an edit of articles' summaries touches: the index, the tags page, the
    /// feeds and the pages of the tags the articles had or have.
    fn todo_lists(&mut self, tags: &BTreeSet<String>) {
        if self.check_only {
            return;
        }
        for out in ["index.html", "tags/index.html", "atom.xml", "sitemap.xml"] {
            self.todo.extras.insert(out.to_string());
        }
        for t in tags {
            self.todo.extras.insert(lists::tag_output(t));
        }
    }

    /// Slugs of every tag the site's pages carry.
    fn site_tags(&self) -> BTreeSet<String> {
        self.site
            .iter()
            .flat_map(|s| s.pages.iter())
            .flat_map(|p| p.article.front.tags.iter().map(|t| content::slugify(t)))
            .collect()
    }

    /// Does all the left work; returns how many pages it rendered.
    pub fn finish(&mut self) -> usize {
        let mut n = 0;
        while !self.todo.is_empty() {
            let before = self.todo.len();
            n += self.work(None, &Vec::new, &|_, _| {});
            if self.todo.len() >= before {
                // Nothing could be done (no site): drop it rather than loop.
                self.todo = Todo::default();
            }
        }
        n
    }

    /// Does left work for about `budget` (all of it when None), on every thread: first the
    /// outputs `wanted` names (output paths a reader is waiting for, asked before each
    /// item), then the rest in page order; each file is handed to `done` (output path,
    /// bytes) as soon as it is rendered. Returns how many pages it rendered.
    pub fn work(
        &mut self,
        budget: Option<std::time::Duration>,
        wanted: &(dyn Fn() -> Vec<String> + Sync),
        done: &(dyn Fn(&str, &Arc<[u8]>) + Sync),
    ) -> usize {
        let deadline = budget.map(|b| std::time::Instant::now() + b);
        let Some(site) = self.site.as_ref() else {
            self.todo = Todo::default();
            return 0;
        };
        let round = match self.order.take() {
            Some(r) => r,
            None => {
                let round = new_round(site, &self.todo);
                // Pages no longer published: nothing to do but forget them.
                let todo = &mut self.todo;
                for t in [&mut todo.pages, &mut todo.recheck, &mut todo.cards] {
                    t.retain(|p| round.index.contains_key(p));
                }
                round
            }
        };
        let templates = if self.check_only {
            None
        } else {
            self.templates.as_ref()
        };
        let todo = &self.todo;
        let Round { items, index, urls } = round;
        let queue = Mutex::new(Queue {
            items,
            urgent: VecDeque::new(),
            taken: HashSet::new(),
        });
        let outcomes: Mutex<Vec<Outcome>> = Mutex::new(Vec::new());
        let summaries = self.summaries.as_ref();
        let next = || -> Option<Item> {
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                return None;
            }
            let asked = wanted();
            let mut q = queue.lock().unwrap_or_else(|p| p.into_inner());
            for out in asked {
                if let Some(item) = item_for_output(site, todo, &urls, &out) {
                    q.urgent.push_back(item);
                }
            }
            q.next(todo)
        };
        let worker = || {
            while let Some(item) = next() {
                let outcome = match item {
                    Item::Page(path) => {
                        let Some(&i) = index.get(path.as_str()) else {
                            continue;
                        };
                        page_outcome(site, templates, todo, &site.pages[i], done)
                    }
                    Item::Card(path) => {
                        let Some(&i) = index.get(path.as_str()) else {
                            continue;
                        };
                        let file = share(
                            crate::render::cards::render_card(site, &site.pages[i]),
                            done,
                        );
                        Outcome::Card { path, file }
                    }
                    Item::Extra(out) => {
                        let file = match (templates, summaries) {
                            (Some(t), Some(s)) => lists::render(site, t, s, &out),
                            _ => None,
                        };
                        let file = file.map(|r| share(r, done));
                        Outcome::Extra { out, file }
                    }
                };
                outcomes
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(outcome);
            }
        };
        let threads = rayon::current_num_threads().max(1);
        rayon::scope(|s| {
            for _ in 1..threads {
                s.spawn(|_| worker());
            }
            worker();
        });
        let outcomes = outcomes.into_inner().unwrap_or_else(|p| p.into_inner());
        let items = queue.into_inner().unwrap_or_else(|p| p.into_inner()).items;
        let rendered = self.apply_outcomes(outcomes, &index);
        self.order = (!self.todo.is_empty()).then_some(Round { items, index, urls });
        rendered
    }

    /// Files what a round of work gave; returns how many pages were rendered.
    fn apply_outcomes(
        &mut self,
        outcomes: Vec<Outcome>,
        index: &FxHashMap<String, usize>,
    ) -> usize {
        let mut rendered = 0;
        let mut checked: Vec<(usize, Page)> = Vec::new();
        for o in outcomes {
            match o {
                Outcome::Page(done) => {
                    let PageDone {
                        path,
                        checked: c,
                        file,
                        card,
                    } = *done;
                    self.todo.pages.remove(&path);
                    self.todo.recheck.remove(&path);
                    if let Some((page, diags)) = c {
                        self.article_diags.insert(path.clone(), diags);
                        if let Some(&i) = index.get(&path) {
                            checked.push((i, page));
                        }
                    }
                    if let Some(card) = card {
                        self.todo.cards.remove(&path);
                        self.file_page(format!("{path}#card"), card);
                    }
                    if let Some(file) = file {
                        rendered += 1;
                        self.file_page(path, file);
                    }
                }
                Outcome::Card { path, file } => {
                    self.todo.cards.remove(&path);
                    self.file_page(format!("{path}#card"), file);
                }
                Outcome::Extra { out, file } => {
                    self.todo.extras.remove(&out);
                    match file {
                        Some(Ok((_, bytes))) => {
                            self.extras_diags.remove(&out);
                            self.served = Default::default();
                            self.extras.insert(out, bytes);
                        }
                        Some(Err(d)) => {
                            self.extras_diags.insert(out, d);
                        }
                        None => {
                            self.extras_diags.remove(&out);
                            self.served = Default::default();
                            self.extras.remove(&out);
                        }
                    }
                }
            }
        }
        if let Some(site) = self.site.as_mut() {
            let mut old = Vec::with_capacity(checked.len());
            for (i, p) in checked {
                // The round's places hold until the next change; checked all the same.
                if let Some(slot) = site.pages.get_mut(i) {
                    if slot.article.path == p.article.path {
                        old.push(std::mem::replace(slot, p));
                    }
                }
            }
            // Freeing the pages' parses is a quarter of this thread's time in a save that
            // re-checks every page: on the pool, beside the next round, not before it.
            if !old.is_empty() {
                rayon::spawn(move || drop(old));
            }
        }
        rendered
    }

    /// Keeps a rendered page or card (key: article path, `#card` added for a card), or its
    /// error (the last good bytes stay, as a build that fails writes nothing).
    fn file_page(&mut self, key: String, r: Kept) {
        match r {
            Ok(f) => {
                self.render_diags.remove(&key);
                self.served = Default::default();
                self.page_files.insert(key, f);
            }
            Err(d) => {
                self.render_diags.insert(key, d);
            }
        }
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
        self.todo = Todo::default();
        self.order = None;
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
        self.collisions();
        self.load_templates();
        self.served = Default::default();
        self.page_files.clear();
        self.render_diags.clear();
        self.extras.clear();
        self.extras_diags.clear();
        self.collect_assets();
        self.summaries = match (&self.site, self.check_only) {
            (Some(site), false) => Some(Summaries::new(site, self.templates.as_ref())),
            _ => None,
        };
        if !self.check_only {
            self.todo_everything();
            if let Some(site) = &self.site {
                self.todo
                    .cards
                    .extend(site.pages.iter().map(|p| p.article.path.clone()));
            }
        }
        let rendered = self.finish();
        Work {
            full: true,
            checked: checked_n,
            rendered,
            pending: 0,
        }
    }

    /// The unit registry with the site's aliases, as `check_site` makes it.
    fn units(&mut self, config: &Config) -> UnitRegistry {
        let (units, diags) = config.unit_registry();
        self.config_diags.extend(diags);
        units
    }

    /// Re-reads one article, checks it and marks its page for rendering.
    fn reload_article(&mut self, path: &str, render: &mut HashSet<String>) -> Reloaded {
        let Some(site) = self.site.as_mut() else {
            return Reloaded {
                shape: true,
                ..Reloaded::default()
            };
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
        self.render_diags.remove(&format!("{path}#card"));
        let old_front = old.as_ref().map(|p| front_key(&p.article));
        let had_page = old.is_some();
        let mut tags = old.as_ref().map(tag_slugs).unwrap_or_default();
        let gone = |e: &mut Engine, was_listed: bool| {
            e.served = Default::default();
            e.page_files.remove(path);
            e.page_files.remove(&format!("{path}#card"));
            e.todo.pages.remove(path);
            e.todo.cards.remove(path);
            Reloaded {
                lists: was_listed,
                shape: had_page,
                card: false,
                tags: Vec::new(),
                tags_moved: was_listed,
                respelled: was_listed,
            }
        };
        match loaded {
            Some(Ok(a)) if a.front.draft && !self.drafts => {
                self.hidden.insert(path.to_string(), a);
                Reloaded {
                    tags,
                    ..gone(self, had_page)
                }
            }
            Some(Ok(a)) => {
                let lists = old_front.as_ref() != Some(&front_key(&a));
                let (page, d) = check::check_page(site, a);
                let shape = old.as_ref().is_none_or(|o| anchors(o) != anchors(&page));
                let card = old.as_ref().is_none_or(|o| {
                    o.article.front.title != page.article.front.title || o.headline != page.headline
                }) || !self.page_files.contains_key(&format!("{path}#card"));
                let new_tags = tag_slugs(&page);
                let tags_moved = tags != new_tags;
                let respelled = old
                    .as_ref()
                    .is_none_or(|o| o.article.front.tags != page.article.front.tags);
                tags.extend(new_tags);
                self.article_diags
                    .insert(path.to_string(), d.into_iter().collect());
                site.pages.push(page);
                render.insert(path.to_string());
                Reloaded {
                    lists,
                    shape,
                    card: card && !self.check_only,
                    tags,
                    tags_moved,
                    respelled,
                }
            }
            Some(Err(d)) => {
                self.article_diags.insert(path.to_string(), d);
                Reloaded {
                    tags,
                    ..gone(self, had_page)
                }
            }
            None => Reloaded {
                tags,
                ..gone(self, had_page || was_hidden)
            },
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
        let with_problems: FxHashSet<&str> = self
            .article_diags
            .iter()
            .filter(|(_, d)| !d.is_empty())
            .map(|(p, _)| p.as_str())
            .collect();
        // A save changes a figure or two: comparing with each is cheaper than hashing every
        // cited key of every page (10,000 pages cite 60,000 keys in the bench's corpus).
        let few: Vec<&str> = changed_figures.iter().map(String::as_str).collect();
        let is_changed = |k: &str| {
            if few.len() <= 4 {
                few.contains(&k)
            } else {
                changed_figures.contains(k)
            }
        };
        // On every thread: the scan walks every page's citations.
        let mut paths: Vec<String> = site
            .pages
            .par_iter()
            .filter(|p| {
                let path = p.article.path.as_str();
                // Names mask numbers in prose, sources appear in every tooltip.
                names_changed
                    || sources_changed
                    // Tables, trees, receipts and the disputes list read the dataset whole.
                    || !p.shortcodes.is_empty()
                    // A page with problems may cite a key that now exists, or have an uncited
                    // number (each one is a warning) that now agrees with another figure.
                    || (!with_problems.is_empty() && with_problems.contains(path))
                    || p.cited_keys().any(is_changed)
            })
            .map(|p| p.article.path.clone())
            .collect();
        paths.par_sort_unstable();
        // Sorted: the set is built in one pass.
        paths.into_iter().collect()
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
            // Same URLs are found in load order (by path, as the walk sorts), drafts
            // included, as `load_articles` does.
            let mut all: Vec<&Article> = site
                .pages
                .iter()
                .map(|p| &p.article)
                .chain(self.hidden.values())
                .collect();
            all.sort_by(|a, b| a.path.cmp(&b.path));
            content::check_unique_urls(all, &mut d);
            self.url_diags = d.into_iter().collect();
            self.link_index = Some(check::LinkIndex::new(&self.root, &site.pages));
            self.tag_set = site
                .pages
                .iter()
                .flat_map(|p| p.article.front.tags.iter().map(|t| content::slugify(t)))
                .collect();
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

    /// Finds the outputs two sources would write and the tag spellings sharing a URL,
    /// over the whole site (a few milliseconds at 10,000 articles).
    fn collisions(&mut self) {
        let mut d = Diagnostics::new();
        if let Some(site) = &self.site {
            check::collisions::check_collisions(&self.root, &site.pages, &mut d);
        }
        self.collision_diags = d.into_iter().collect();
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

    /// Renders the given pages now (not their cards); returns how many. Without templates
    /// nothing renders: the template errors fail the site, and fixing them renders every page.
    fn render_now(&mut self, only: &HashSet<String>) -> usize {
        if self.check_only || only.is_empty() {
            return 0;
        }
        let (Some(site), Some(templates)) = (self.site.as_ref(), self.templates.as_ref()) else {
            return 0;
        };
        let results: Vec<(String, Result<OutputFile, Diagnostic>)> = site
            .pages
            .par_iter()
            .filter(|p| only.contains(&p.article.path))
            .map(|p| {
                (
                    p.article.path.clone(),
                    html::render_page(site, templates, p),
                )
            })
            .collect();
        let n = results.len();
        for (path, r) in results {
            self.file_page(path, r.map(|f| (f.path, Arc::from(f.bytes))));
        }
        n
    }

    /// Reads every asset, as `sitegen build` copies them.
    fn collect_assets(&mut self) {
        if self.check_only {
            return;
        }
        let mut files = Vec::new();
        match crate::publish::collect_assets(&self.root, &mut files) {
            Ok(()) => {
                self.served = Default::default();
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
                            self.served = Default::default();
                            self.assets.insert(rel_path(&dir, &p), Arc::from(bytes));
                        }
                        Err(_) => {
                            self.collect_assets();
                            break;
                        }
                    }
                } else {
                    self.served = Default::default();
                    self.assets.remove(rel);
                }
            }
        } else {
            self.collect_assets();
        }
        !self.assets.keys().eq(before.iter())
    }
}

/// What re-reading one article changed.
#[derive(Debug, Default)]
struct Reloaded {
    /// Its summary in the lists (front matter, URL) changed, or it came or went.
    lists: bool,
    /// A page, its URL or one of its anchors came or went: other pages' links may point there.
    shape: bool,
    /// Its card shows another title or figure.
    card: bool,
    /// The slugs of its tags, before and after.
    tags: Vec<String>,
    /// Its tags changed (or it came or went).
    tags_moved: bool,
    /// Its tags as written changed (a slug may stay and its spelling not).
    respelled: bool,
}

/// The items of one round of work: those a reader waits for first, then the rest in order.
struct Queue {
    items: VecDeque<Item>,
    urgent: VecDeque<Item>,
    /// Items started in this round.
    taken: HashSet<Item>,
}

impl Queue {
    /// The next item `todo` still has, the urgent ones first.
    fn next(&mut self, todo: &Todo) -> Option<Item> {
        while let Some(i) = self.urgent.pop_front().or_else(|| self.items.pop_front()) {
            let left = match &i {
                Item::Page(p) => todo.pages.contains(p) || todo.recheck.contains(p),
                Item::Card(p) => todo.cards.contains(p),
                Item::Extra(o) => todo.extras.contains(o),
            };
            if left && self.taken.insert(i.clone()) {
                return Some(i);
            }
        }
        None
    }
}

/// The output path of an article's page (`slug/index.html`).
fn page_output(p: &Page) -> String {
    format!("{}index.html", p.article.url_path.trim_start_matches('/'))
}

/// The slugs of a page's tags.
fn tag_slugs(p: &Page) -> Vec<String> {
    p.article
        .front
        .tags
        .iter()
        .map(|t| content::slugify(t))
        .collect()
}

/// The left work of a new change, in the order it is done: lists first (few, and what a
/// reader opens; HTML first), then pages in page order, then cards; with the pages' places.
fn new_round(site: &Site, todo: &Todo) -> Round {
    let n = site.pages.len();
    let mut index = FxHashMap::with_capacity_and_hasher(n, Default::default());
    let mut urls = FxHashMap::with_capacity_and_hasher(n, Default::default());
    // Pages a reader may open (the index, the tag pages) before the feeds and the sitemap,
    // which take as long and no page shows.
    let (html, other): (Vec<&String>, Vec<&String>) =
        todo.extras.iter().partition(|o| o.ends_with(".html"));
    let mut items: VecDeque<Item> = html
        .into_iter()
        .chain(other)
        .cloned()
        .map(Item::Extra)
        .collect();
    // The places and the pages to do on two threads: both walk every page at 10,000.
    let (_, pages) = rayon::join(
        || {
            for (i, p) in site.pages.iter().enumerate() {
                index.insert(p.article.path.clone(), i);
                // Two pages at one URL (an error): the first in page order, as `build` has it.
                urls.entry(p.article.url_path.trim_start_matches('/').to_string())
                    .or_insert(i);
            }
        },
        || -> Vec<Item> {
            site.pages
                .iter()
                .map(|p| &p.article.path)
                .filter(|path| todo.pages.contains(*path) || todo.recheck.contains(*path))
                .map(|path| Item::Page(path.clone()))
                .collect()
        },
    );
    items.extend(pages);
    items.extend(todo.cards.iter().cloned().map(Item::Card));
    Round { items, index, urls }
}

/// The left work that writes the output path `out`, if any; `urls` maps each page's
/// output folder to its place in the site's pages.
fn item_for_output(
    site: &Site,
    todo: &Todo,
    urls: &FxHashMap<String, usize>,
    out: &str,
) -> Option<Item> {
    if todo.extras.contains(out) {
        return Some(Item::Extra(out.to_string()));
    }
    let (dir, card) = match out.strip_suffix("card.png") {
        Some(dir) => (dir, true),
        None => (out.strip_suffix("index.html")?, false),
    };
    let path = &site.pages.get(*urls.get(dir)?)?.article.path;
    if card {
        todo.cards.contains(path).then(|| Item::Card(path.clone()))
    } else {
        (todo.pages.contains(path) || todo.recheck.contains(path)).then(|| Item::Page(path.clone()))
    }
}

/// One article's left work: checked again against the dataset when `todo` says so, its
/// page rendered, and its card drawn again when its headline figure changed.
fn page_outcome(
    site: &Site,
    templates: Option<&Templates>,
    todo: &Todo,
    old: &Page,
    done: &(dyn Fn(&str, &Arc<[u8]>) + Sync),
) -> Outcome {
    let path = old.article.path.clone();
    let checked = todo.recheck.contains(&path).then(|| {
        let (p, d) = check::recheck_page(site, old.clone());
        (p, d.into_iter().collect::<Vec<_>>())
    });
    let page = checked.as_ref().map_or(old, |(p, _)| p);
    let file = templates.map(|t| share(html::render_page(site, t, page), done));
    let card = match (&checked, templates) {
        (Some((p, _)), Some(_)) if p.headline != old.headline => {
            Some(share(crate::render::cards::render_card(site, p), done))
        }
        _ => None,
    };
    Outcome::Page(Box::new(PageDone {
        path,
        checked,
        file,
        card,
    }))
}

/// The parts of an article the lists, tags and feeds show: its front matter and URL.
fn front_key(a: &Article) -> (String, String) {
    (
        a.source[..a.body_start.min(a.source.len())].to_string(),
        a.url_path.clone(),
    )
}

/// What other pages' links can point at: a page's URL and its heading ids (tag pages are
/// compared site-wide).
fn anchors(p: &Page) -> (&str, Vec<&str>) {
    let mut ids: Vec<&str> = p.doc.headings.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    (&p.article.url_path, ids)
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

    /// Fails naming the files the engine and the build disagree on (a flaky failure of
    /// these tests once said only "same files").
    fn assert_same_files(
        engine: &BTreeMap<String, Vec<u8>>,
        build: &BTreeMap<String, Vec<u8>>,
        what: &str,
    ) {
        if engine == build {
            return;
        }
        let differ: Vec<&String> = engine
            .keys()
            .chain(build.keys())
            .filter(|k| engine.get(*k) != build.get(*k))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let show = |m: &BTreeMap<String, Vec<u8>>, k: &str| match m.get(k) {
            Some(b) => String::from_utf8_lossy(&b[..b.len().min(2000)]).into_owned(),
            None => "(missing)".to_string(),
        };
        let first = differ[0];
        panic!(
            "{what}: the engine's files differ from the build's: {differ:?}\n--- engine {first}:\n{}\n--- build {first}:\n{}",
            show(engine, first),
            show(build, first)
        );
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
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
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
                assert_same_files(&efiles, &files, name);
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
                assert_same_files(&efiles, &files, what);
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
        // A tag spelled apart from the same tag elsewhere, then alike again.
        edit(
            &root,
            "content/guides/other.md",
            "tags: [numbers, fresh]",
            "tags: [Numbers, fresh]",
        );
        e.apply(&articles(&["content/guides/other.md"]));
        same(&e, "tag spelled apart");
        assert!(e.diagnostics().sorted().iter().any(|d| d.code == "tag"));
        edit(
            &root,
            "content/guides/other.md",
            "tags: [Numbers, fresh]",
            "tags: [numbers, fresh]",
        );
        e.apply(&articles(&["content/guides/other.md"]));
        same(&e, "tag spelled alike");
        // An article at the URL of a generated page.
        std::fs::write(
            root.join("content/twin.md"),
            "---\ntitle: Twin\ndate: 2026-01-01\nslug: tags\n---\nx\n",
        )
        .unwrap();
        e.apply(&articles(&["content/twin.md"]));
        same(&e, "article over the tags page");
        assert!(e
            .diagnostics()
            .sorted()
            .iter()
            .any(|d| d.code == "collision"));
        std::fs::remove_file(root.join("content/twin.md")).unwrap();
        e.apply(&articles(&["content/twin.md"]));
        same(&e, "article over the tags page gone");
        // An asset over an article's page.
        std::fs::create_dir_all(root.join("assets/spark")).unwrap();
        std::fs::write(root.join("assets/spark/index.html"), "<p>x</p>").unwrap();
        let asset = |rel: &str| Changes {
            assets: [rel.to_string()].into(),
            ..Changes::default()
        };
        e.apply(&asset("spark/index.html"));
        same(&e, "asset over a page");
        assert!(e
            .diagnostics()
            .sorted()
            .iter()
            .any(|d| d.code == "collision"));
        std::fs::remove_dir_all(root.join("assets/spark")).unwrap();
        e.apply(&asset("spark"));
        same(&e, "asset over a page gone");
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
        // A favicon added, a preferred one beside it, both removed: every page's head
        // follows (the site looks the favicon up once, so serve must look again).
        let icons = |e: &Engine, want: Option<&str>| {
            let (_, files) = engine_state(e);
            let pages: Vec<_> = files.iter().filter(|(k, _)| k.ends_with(".html")).collect();
            assert!(pages.len() > 3, "pages rendered");
            for (path, bytes) in pages {
                let html = String::from_utf8_lossy(bytes);
                match want {
                    Some(name) => assert!(
                        html.contains(&format!("/{name}\">")) && html.contains("rel=\"icon\""),
                        "{path} names {name}"
                    ),
                    None => assert!(!html.contains("rel=\"icon\""), "{path} names no favicon"),
                }
            }
        };
        icons(&e, None);
        std::fs::write(root.join("assets/favicon.png"), b"\x89PNG\r\n").unwrap();
        e.apply(&Changes {
            assets: ["favicon.png".to_string()].into(),
            ..Changes::default()
        });
        same(&e, "favicon added");
        icons(&e, Some("favicon.png"));
        std::fs::write(root.join("assets/favicon.svg"), "<svg/>").unwrap();
        e.apply(&Changes {
            assets: ["favicon.svg".to_string()].into(),
            ..Changes::default()
        });
        same(&e, "favicon preferred");
        icons(&e, Some("favicon.svg"));
        std::fs::remove_file(root.join("assets/favicon.svg")).unwrap();
        std::fs::remove_file(root.join("assets/favicon.png")).unwrap();
        e.apply(&Changes {
            assets: ["favicon.png".to_string(), "favicon.svg".to_string()].into(),
            ..Changes::default()
        });
        same(&e, "favicon removed");
        icons(&e, None);
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

    /// A template edit and a data edit left for the background: the file a reader asks
    /// for is rendered first, every file handed out while the work goes on is the one a
    /// build writes, and so is the whole site once it is done.
    #[test]
    fn background_work_matches_a_fresh_build() {
        let root = copy("basic", "background");
        let mut e = Engine::new(&root, false);
        e.at_once = 0;
        let check = |e: &mut Engine, what: &str, wanted: &str| {
            assert!(e.pending() > 0, "{what}: work left");
            assert!(
                e.pending_outputs().contains(wanted),
                "{what}: {wanted} stale"
            );
            let handed: Mutex<Vec<(String, Vec<u8>)>> = Mutex::new(Vec::new());
            let asked = std::sync::atomic::AtomicBool::new(false);
            let want = || {
                if asked.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    Vec::new()
                } else {
                    vec![wanted.to_string()]
                }
            };
            // One worker, so that the order files are handed out in is the order they were
            // taken from the queue (with more, a quick file taken second can be done first).
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap();
            one.install(|| {
                e.work(None, &want, &|out, bytes| {
                    handed
                        .lock()
                        .unwrap()
                        .push((out.to_string(), bytes.to_vec()));
                })
            });
            assert_eq!(e.pending(), 0, "{what}: all done");
            let handed = handed.into_inner().unwrap();
            assert_eq!(
                handed.first().map(|(o, _)| o.as_str()),
                Some(wanted),
                "{what}: {wanted} rendered first"
            );
            let (lines, files) = build(&root);
            let (elines, efiles) = engine_state(e);
            assert_eq!(elines, lines, "{what}: same problems");
            for (out, bytes) in &handed {
                assert!(files.get(out) == Some(bytes), "{what}: {out} as built");
            }
            assert_same_files(&efiles, &files, what);
        };
        // A template of the site's own: every page and list again.
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let base = html::builtin_templates()
            .iter()
            .find(|(n, _)| *n == "base.html")
            .unwrap()
            .1
            .replace("<body>", "<body class=\"edited\">");
        std::fs::write(root.join("templates/base.html"), &base).unwrap();
        let w = e.begin(&Changes {
            templates: true,
            ..Changes::default()
        });
        assert_eq!(w.pending, e.pending());
        check(&mut e, "template", "guides/other/index.html");
        // A source every citation names: every page checked again, from its kept parse.
        edit(&root, "data/sources.yaml", "title:", "title: Edited");
        e.begin(&Changes {
            data: true,
            ..Changes::default()
        });
        check(&mut e, "data", "spark/index.html");
        // A figure that drifts: the problem is the build's too.
        edit(&root, "data/devices.yaml", "value: 273", "value: 275");
        e.begin(&Changes {
            data: true,
            ..Changes::default()
        });
        check(&mut e, "drift", "spark/index.html");
        assert!(e.diagnostics().sorted().iter().any(|d| d.code == "drift"));
        // A title: the index and the card, left for later.
        edit(&root, "content/spark.md", "title: ", "title: Edited ");
        e.begin(&articles(&["content/spark.md"]));
        check(&mut e, "title", "index.html");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
