//! The generated files that are no article page: the lists (the index, the tags page, one
//! page per tag), the 404 and thank-you pages, the sitemap, the feed, robots.txt and the
//! built-in stylesheets and script. Each renders on its own, from page summaries kept as
//! template values ([`Summaries`]): `build` renders them all once; `sitegen serve` keeps
//! the summaries between edits, re-summarises only the pages an edit changed and renders
//! again only the files that list them.

use crate::check::site::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::html::{self, OutputFile, Templates, THANKS_PATH};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// Every published page's summary as the list templates see it (`pages[i]` on the index,
/// `tag.pages[i]` on the tags and tag pages), in the site's page order, newest first.
pub struct Summaries {
    /// The index's template context, whose `pages` holds every summary: kept whole so that
    /// rendering the index copies nothing. When the index is spliced it also holds the
    /// loop's output ([`html::SPLICED_VAR`]).
    index: tera::Context,
    /// Article paths in page order, as `pages` holds them.
    order: Vec<String>,
    /// Article path → position in `order`.
    pos: FxHashMap<String, usize>,
    /// Each page's entry in the index's loop, in page order, when the index is spliced.
    index_entries: Option<Vec<String>>,
    /// Each page's entry in a tag page's loop, in page order, when tag pages are spliced.
    tag_entries: Option<Vec<String>>,
    /// Every tag, sorted by slug: slug, name (as first written), its pages' positions in
    /// `order`; made when a tag list first needs it after a change.
    tags: OnceLock<Vec<(String, String, Vec<usize>)>>,
}

impl Summaries {
    /// Summarises every page of the site, and renders each page's entries in the lists
    /// `templates` splices.
    pub fn new(site: &Site, templates: Option<&Templates>) -> Summaries {
        let values: Vec<Value> = site
            .pages
            .par_iter()
            .map(|p| html::summary_value(site, p))
            .collect();
        let order: Vec<String> = site.pages.iter().map(|p| p.article.path.clone()).collect();
        let mut s = Summaries {
            index: tera::Context::new(),
            pos: FxHashMap::default(),
            order,
            index_entries: None,
            tag_entries: None,
            tags: OnceLock::new(),
        };
        let n = values.len();
        s.index_pages(site, templates, values, vec![None; n], vec![None; n], true);
        s
    }

    /// Puts the summaries into a fresh index context (the site's settings may have changed),
    /// with the entries of the spliced lists (those missing rendered now). `reordered`:
    /// `order` changed since the last call, so `pos` is made again.
    fn index_pages(
        &mut self,
        site: &Site,
        templates: Option<&Templates>,
        values: Vec<Value>,
        index_entries: Vec<Option<String>>,
        tag_entries: Vec<Option<String>>,
        reordered: bool,
    ) {
        if reordered {
            self.pos = self
                .order
                .iter()
                .enumerate()
                .map(|(i, p)| (p.clone(), i))
                .collect();
        }
        self.tags = OnceLock::new();
        // The index's joined entries stay as they are when no entry changed or moved.
        let joined = match self.index.remove(html::SPLICED_VAR) {
            Some(Value::String(j)) if !reordered && index_entries.iter().all(Option::is_some) => {
                Some(j)
            }
            _ => None,
        };
        let entries = |name: &str, kept: Vec<Option<String>>| {
            let t = templates.filter(|t| t.splices(name))?;
            kept.into_par_iter()
                .zip(values.par_iter())
                .map(|(e, v)| e.map_or_else(|| t.render_entry(name, v).ok(), Some))
                .collect::<Option<Vec<String>>>()
        };
        // An entry that does not render leaves its list to the full template, which says why.
        self.index_entries = entries("index.html", index_entries);
        self.tag_entries = entries("tag.html", tag_entries);
        let mut ctx = html::base_ctx(site, "/", &site.config.description);
        if let Some(e) = &self.index_entries {
            let joined = joined.unwrap_or_else(|| e.concat());
            put(&mut ctx, html::SPLICED_VAR, Value::String(joined));
        }
        put(&mut ctx, "pages", Value::Array(values));
        self.index = ctx;
    }

    fn take_values(&mut self) -> Vec<Value> {
        match self.index.remove("pages") {
            Some(Value::Array(v)) => v,
            _ => Vec::new(),
        }
    }

    /// Summarises again the pages `changed` names, drops the pages the site no longer
    /// has, adds new ones and follows the site's page order; the site-wide part of the
    /// context (settings, favicon) is made again too, and the entries of changed pages in
    /// the lists `templates` splices. Returns whether any summary changed or moved.
    pub fn update(
        &mut self,
        site: &Site,
        templates: Option<&Templates>,
        changed: &dyn Fn(&str) -> bool,
    ) -> bool {
        let mut old: Vec<Option<Value>> = self.take_values().into_iter().map(Some).collect();
        let slots = |e: Option<Vec<String>>| -> Vec<Option<String>> {
            e.map(|v| v.into_iter().map(Some).collect())
                .unwrap_or_default()
        };
        let mut old_index = slots(self.index_entries.take());
        let mut old_tag = slots(self.tag_entries.take());
        let reordered = site.pages.len() != self.order.len()
            || site
                .pages
                .iter()
                .zip(&self.order)
                .any(|(p, o)| p.article.path != *o);
        let mut moved = reordered;
        let n = site.pages.len();
        let mut values = Vec::with_capacity(n);
        let mut index_entries = Vec::with_capacity(n);
        let mut tag_entries = Vec::with_capacity(n);
        for (i, p) in site.pages.iter().enumerate() {
            let path = &p.article.path;
            let j = if reordered {
                self.pos.get(path).copied()
            } else {
                Some(i)
            };
            let kept = j.and_then(|j| old.get_mut(j)).and_then(Option::take);
            let take =
                |e: &mut Vec<Option<String>>| j.and_then(|j| e.get_mut(j)).and_then(Option::take);
            let (v, ie, te) = match kept {
                Some(v) if !changed(path) => (v, take(&mut old_index), take(&mut old_tag)),
                kept => {
                    let v = html::summary_value(site, p);
                    moved |= kept.as_ref() != Some(&v);
                    (v, None, None)
                }
            };
            values.push(v);
            index_entries.push(ie);
            tag_entries.push(te);
        }
        if reordered {
            self.order = site.pages.iter().map(|p| p.article.path.clone()).collect();
        }
        self.index_pages(
            site,
            templates,
            values,
            index_entries,
            tag_entries,
            reordered,
        );
        moved
    }

    /// The summaries in page order.
    fn values(&self) -> &[Value] {
        match self.index.get("pages") {
            Some(Value::Array(v)) => v,
            _ => &[],
        }
    }

    /// The summary of the page at `path` (`content/a.md`).
    pub fn get(&self, path: &str) -> Option<&Value> {
        self.values().get(*self.pos.get(path)?)
    }

    /// Every tag of the site, sorted by slug: its slug, its name (as first written) and its
    /// pages' positions in page order.
    fn tags(&self, site: &Site) -> &[(String, String, Vec<usize>)] {
        self.tags.get_or_init(|| {
            site.tags()
                .into_iter()
                .map(|(slug, name, pages)| {
                    let at = pages
                        .iter()
                        .filter_map(|p| self.pos.get(&p.article.path).copied())
                        .collect();
                    (slug, name, at)
                })
                .collect()
        })
    }

    /// A tag as `tags.html` and `tag.html` see it: name, slug, URL, how many pages carry
    /// it and, when `pages` (a template may read them), their summaries, copied.
    fn tag_value(
        &self,
        site: &Site,
        (slug, name, at): (&str, &str, &[usize]),
        pages: bool,
    ) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), Value::from(name));
        m.insert("slug".into(), Value::from(slug));
        m.insert(
            "url".into(),
            Value::from(site.url(&format!("/tags/{slug}/"))),
        );
        m.insert("count".into(), Value::from(at.len()));
        if pages {
            let values = self.values();
            let pages = at
                .iter()
                .filter_map(|&i| values.get(i).cloned())
                .collect::<Vec<_>>();
            m.insert("pages".into(), Value::Array(pages));
        }
        Value::Object(m)
    }
}

/// Adds `value` to a template context under `key`, moved rather than serialised again.
fn put(ctx: &mut tera::Context, key: &str, value: Value) {
    let mut m = Map::new();
    m.insert(key.into(), value);
    // A JSON object always converts.
    if let Ok(more) = tera::Context::from_value(Value::Object(m)) {
        ctx.extend(more);
    }
}

/// The output path of a tag's page.
pub fn tag_output(slug: &str) -> String {
    format!("tags/{slug}/index.html")
}

/// Every file [`render`] makes for the site, by output path: the index, the tags page,
/// each tag's page, 404.html, the thank-you page (with a `[gate]`), the stylesheets and
/// script, the sitemap, the feed and robots.txt.
pub fn outputs(site: &Site) -> Vec<String> {
    let mut out = vec!["index.html".to_string(), "tags/index.html".to_string()];
    out.extend(
        site.tags()
            .into_iter()
            .map(|(slug, _, _)| tag_output(&slug)),
    );
    out.push("404.html".into());
    if site.config.gate.is_some() {
        out.push(format!("{}index.html", THANKS_PATH.trim_start_matches('/')));
    }
    out.extend(
        [
            "style.css",
            "cite.js",
            "syntax.css",
            "sitemap.xml",
            "atom.xml",
            "robots.txt",
        ]
        .map(String::from),
    );
    out
}

/// Renders the generated file at `path`, one of [`outputs`]; None when the site makes no
/// such file (a tag no page has any more).
pub fn render(
    site: &Site,
    templates: &Templates,
    summaries: &Summaries,
    path: &str,
) -> Option<Result<OutputFile, Diagnostic>> {
    let file = |bytes: Vec<u8>| {
        Some(Ok(OutputFile {
            path: path.to_string(),
            bytes,
        }))
    };
    let page = |r: Result<String, Diagnostic>| {
        Some(r.map(|html| OutputFile {
            path: path.to_string(),
            bytes: html.into_bytes(),
        }))
    };
    match path {
        "index.html" if templates.splices("index.html") && summaries.index_entries.is_some() => {
            page(templates.render_spliced("index.html", &summaries.index))
        }
        "index.html" => page(templates.render("index.html", &summaries.index)),
        "tags/index.html" => {
            // The built-in tags page reads each tag's count, not its pages: 10,000 pages
            // of three tags each would be 30,000 summaries copied for nothing.
            let pages = !(templates.is_builtin("tags.html") && templates.is_builtin("base.html"));
            let list: Vec<Value> = summaries
                .tags(site)
                .iter()
                .map(|(slug, name, at)| summaries.tag_value(site, (slug, name, at), pages))
                .collect();
            let mut ctx =
                html::base_ctx(site, "/tags/", &format!("Topics of {}", site.config.title));
            put(&mut ctx, "tags", Value::Array(list));
            page(templates.render("tags.html", &ctx))
        }
        "404.html" => {
            let ctx = html::base_ctx(site, "/404.html", "Page not found");
            page(templates.render("404.html", &ctx))
        }
        "style.css" => file(html::BUILTIN_CSS.as_bytes().to_vec()),
        "cite.js" => file(html::BUILTIN_CITE_JS.as_bytes().to_vec()),
        "syntax.css" => file(crate::render::highlight::theme_css().into_bytes()),
        "sitemap.xml" => file(html::sitemap(site).into_bytes()),
        "atom.xml" => file(html::atom(site).into_bytes()),
        "robots.txt" => file(
            format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                site.permalink("/sitemap.xml")
            )
            .into_bytes(),
        ),
        _ => {
            if let Some(g) = &site.config.gate {
                if path == format!("{}index.html", THANKS_PATH.trim_start_matches('/')) {
                    let mut ctx = html::base_ctx(site, THANKS_PATH, "Your PDF is on its way");
                    ctx.insert("gate", &html::gate_ctx(site, g));
                    return page(templates.render("thanks.html", &ctx));
                }
            }
            let slug = path.strip_prefix("tags/")?.strip_suffix("/index.html")?;
            let (slug, name, at) = summaries.tags(site).iter().find(|(s, _, _)| s == slug)?;
            let entries = summaries
                .tag_entries
                .as_ref()
                .filter(|_| templates.splices("tag.html"));
            // A spliced tag page under the built-in base reads its pages only as the
            // entries kept for them.
            let pages = entries.is_none() || !templates.is_builtin("base.html");
            let tag = summaries.tag_value(site, (slug, name, at), pages);
            let url = format!("/tags/{slug}/");
            let mut ctx = html::base_ctx(site, &url, &format!("Articles about {name}"));
            put(&mut ctx, "tag", tag);
            match entries {
                Some(e) => {
                    let joined: String = at
                        .iter()
                        .filter_map(|&i| e.get(i))
                        .map(String::as_str)
                        .collect();
                    ctx.insert(html::SPLICED_VAR, &joined);
                    page(templates.render_spliced("tag.html", &ctx))
                }
                _ => page(templates.render("tag.html", &ctx)),
            }
        }
    }
}

/// Every file of [`outputs`], rendered in parallel, in that order; every problem found.
pub fn render_all(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Diagnostics> {
    let summaries = Summaries::new(site, Some(templates));
    let results: Vec<Result<OutputFile, Diagnostic>> = outputs(site)
        .par_iter()
        .filter_map(|path| render(site, templates, &summaries, path))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    if diags.is_empty() {
        Ok(files)
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{self, CheckOptions};
    use std::path::Path;

    /// The guide in the repository root: seven articles, several tags.
    fn guide() -> (Site, Templates) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _) = check::check_site(root, CheckOptions { drafts: false });
        let templates = Templates::load(root).unwrap_or_else(|d| panic!("{d:?}"));
        (site.expect("the guide loads"), templates)
    }

    /// Every list of the site as the spliced templates render it from `summaries`, and as
    /// the full templates do from summaries made afresh: they must be the same bytes.
    fn assert_lists_match(site: &Site, templates: &Templates, summaries: &Summaries) {
        assert!(templates.splices("index.html") && templates.splices("tag.html"));
        assert!(summaries.index_entries.is_some() && summaries.tag_entries.is_some());
        let full = Templates::load(&site.root)
            .unwrap_or_else(|d| panic!("{d:?}"))
            .without_splicing();
        let fresh = Summaries::new(site, Some(&full));
        assert!(
            fresh.index_entries.is_none(),
            "nothing spliced without the templates"
        );
        let outs = outputs(site);
        assert!(outs.iter().filter(|o| o.starts_with("tags/")).count() >= 3);
        for out in outs {
            let a = render(site, templates, summaries, &out).map(|r| r.map(|f| f.bytes));
            let b = render(site, &full, &fresh, &out).map(|r| r.map(|f| f.bytes));
            let (Some(Ok(a)), Some(Ok(b))) = (a, b) else {
                panic!("{out} did not render");
            };
            assert!(a == b, "{out} differs from the full template's");
        }
    }

    #[test]
    fn spliced_lists_equal_the_full_templates() {
        let (site, templates) = guide();
        let s = Summaries::new(&site, Some(&templates));
        assert_lists_match(&site, &templates, &s);
    }

    #[test]
    fn spliced_lists_follow_edits_additions_and_removals() {
        let (mut site, templates) = guide();
        let mut s = Summaries::new(&site, Some(&templates));
        // A title with characters the templates escape, a new tag and a date that moves
        // the page to the top.
        let path = site.pages[3].article.path.clone();
        let top = site.pages[0].article.front.date;
        {
            let f = &mut site.pages[3].article.front;
            f.title = "A <new> title & \"quotes\"".into();
            f.tags.push("Brand New Tag".into());
            f.updated = Some(top);
            f.date = top;
        }
        check::sort_pages(&mut site.pages);
        assert!(s.update(&site, Some(&templates), &|p| p == path));
        assert_lists_match(&site, &templates, &s);
        assert!(outputs(&site).contains(&tag_output("brand-new-tag")));
        // A page goes, then comes back.
        let gone = site.pages.remove(1);
        let gone_path = gone.article.path.clone();
        assert!(s.update(&site, Some(&templates), &|p| p == gone_path));
        assert_lists_match(&site, &templates, &s);
        site.pages.push(gone);
        check::sort_pages(&mut site.pages);
        assert!(s.update(&site, Some(&templates), &|p| p == gone_path));
        assert_lists_match(&site, &templates, &s);
        // Nothing changed: the same lists.
        assert!(!s.update(&site, Some(&templates), &|_| false));
        assert_lists_match(&site, &templates, &s);
    }

    #[test]
    fn a_site_template_or_the_whole_context_renders_in_full() {
        let dir = std::env::temp_dir().join(format!("sitegen-lists-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("templates")).unwrap();
        let mine = "{% extends \"base.html\" %}{% block content %}{% for p in pages %}[{{ p.title }}]{% endfor %}{% endblock content %}";
        std::fs::write(dir.join("templates/index.html"), mine).unwrap();
        let t = Templates::load(&dir).unwrap_or_else(|d| panic!("{d:?}"));
        assert!(!t.splices("index.html") && t.splices("tag.html"));
        let base = html::builtin_templates()
            .iter()
            .find(|(n, _)| *n == "base.html")
            .map(|(_, t)| t.replace("</body>", "{{ __tera_context }}</body>"))
            .unwrap();
        std::fs::remove_file(dir.join("templates/index.html")).unwrap();
        std::fs::write(dir.join("templates/base.html"), base).unwrap();
        let t = Templates::load(&dir).unwrap_or_else(|d| panic!("{d:?}"));
        assert!(!t.splices("index.html") && !t.splices("tag.html"));
        assert!(!t.is_builtin("tags.html") && !t.is_builtin("base.html"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The built-in tags page reads each tag's count; a site's own base template that
    /// reads the tags' pages still gets them, on the tags page and on a tag's page.
    #[test]
    fn a_site_base_template_reading_a_tags_pages_gets_them() {
        let (site, builtin) = guide();
        assert!(builtin.is_builtin("tags.html") && builtin.is_builtin("base.html"));
        let dir = std::env::temp_dir().join(format!("sitegen-lists-base-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("templates")).unwrap();
        let base = html::builtin_templates()
            .iter()
            .find(|(n, _)| *n == "base.html")
            .map(|(_, t)| {
                t.replace(
                    "</body>",
                    "{% if tags %}{% for t in tags %}<i>{{ t.pages | length }}={{ t.count }}</i>{% endfor %}{% endif %}\
                     {% if tag %}<b>{{ tag.pages | length }}={{ tag.count }}</b>{% endif %}</body>",
                )
            })
            .unwrap();
        std::fs::write(dir.join("templates/base.html"), base).unwrap();
        let t = Templates::load(&dir).unwrap_or_else(|d| panic!("{d:?}"));
        assert!(t.splices("tag.html") && !t.is_builtin("base.html"));
        let s = Summaries::new(&site, Some(&t));
        let html = |out: &str| {
            let f = render(&site, &t, &s, out)
                .expect("a list")
                .unwrap_or_else(|d| panic!("{out}: {d:?}"));
            String::from_utf8(f.bytes).unwrap()
        };
        let tags = site.tags();
        assert!(tags.len() >= 3);
        let index = html("tags/index.html");
        for (slug, _, n) in &tags {
            let n = n.len();
            assert!(
                index.contains(&format!("<i>{n}={n}</i>")),
                "tags page, {slug}"
            );
            let page = html(&tag_output(slug));
            assert!(page.contains(&format!("<b>{n}={n}</b>")), "{slug}'s page");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
