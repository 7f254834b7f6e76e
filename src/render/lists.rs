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
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Every published page's summary as the list templates see it (`pages[i]` on the index,
/// `tag.pages[i]` on the tags and tag pages), in the site's page order, newest first.
pub struct Summaries {
    /// The index's template context, whose `pages` holds every summary: kept whole so that
    /// rendering the index copies nothing.
    index: tera::Context,
    /// Article paths in page order, as `pages` holds them.
    order: Vec<String>,
    /// Article path → position in `order`.
    pos: HashMap<String, usize>,
}

impl Summaries {
    /// Summarises every page of the site.
    pub fn new(site: &Site) -> Summaries {
        let values: Vec<Value> = site
            .pages
            .par_iter()
            .map(|p| html::summary_value(site, p))
            .collect();
        let order: Vec<String> = site.pages.iter().map(|p| p.article.path.clone()).collect();
        let mut s = Summaries {
            index: tera::Context::new(),
            pos: HashMap::new(),
            order,
        };
        s.index_pages(site, values);
        s
    }

    /// Puts the summaries into a fresh index context (the site's settings may have changed).
    fn index_pages(&mut self, site: &Site, values: Vec<Value>) {
        self.pos = self
            .order
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), i))
            .collect();
        let mut ctx = html::base_ctx(site, "/", &site.config.description);
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
    /// context (settings, favicon) is made again too. Returns whether any summary changed
    /// or moved.
    pub fn update(&mut self, site: &Site, changed: &dyn Fn(&str) -> bool) -> bool {
        let mut old: Vec<Option<Value>> = self.take_values().into_iter().map(Some).collect();
        let mut moved = site.pages.len() != self.order.len();
        let mut values = Vec::with_capacity(site.pages.len());
        let mut order = Vec::with_capacity(site.pages.len());
        for (i, p) in site.pages.iter().enumerate() {
            let path = &p.article.path;
            let kept = self
                .pos
                .get(path)
                .and_then(|&j| old.get_mut(j))
                .and_then(Option::take);
            let v = match kept {
                Some(v) if !changed(path) => v,
                kept => {
                    let v = html::summary_value(site, p);
                    moved |= kept.as_ref() != Some(&v);
                    v
                }
            };
            moved |= self.order.get(i) != Some(path);
            values.push(v);
            order.push(path.clone());
        }
        self.order = order;
        self.index_pages(site, values);
        moved
    }

    /// The summary of the page at `path` (`content/a.md`).
    pub fn get(&self, path: &str) -> Option<&Value> {
        let i = *self.pos.get(path)?;
        match self.index.get("pages") {
            Some(Value::Array(v)) => v.get(i),
            _ => None,
        }
    }

    /// A tag as `tags.html` and `tag.html` see it: name, slug, URL and its pages' summaries.
    fn tag_value(&self, site: &Site, slug: &str, name: &str, paths: &[&str]) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), Value::from(name));
        m.insert("slug".into(), Value::from(slug));
        m.insert(
            "url".into(),
            Value::from(site.url(&format!("/tags/{slug}/"))),
        );
        let pages = paths
            .iter()
            .filter_map(|p| self.get(p).cloned())
            .collect::<Vec<_>>();
        m.insert("pages".into(), Value::Array(pages));
        Value::Object(m)
    }
}

/// Every tag of the site, sorted by slug: its slug, its name (as first written) and its
/// pages' article paths in page order.
fn tags(site: &Site) -> Vec<(String, String, Vec<&str>)> {
    site.tags()
        .into_iter()
        .map(|(slug, name, pages)| {
            let paths = pages.iter().map(|p| p.article.path.as_str()).collect();
            (slug, name, paths)
        })
        .collect()
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
        "index.html" => page(templates.render("index.html", &summaries.index)),
        "tags/index.html" => {
            let list: Vec<Value> = tags(site)
                .iter()
                .map(|(slug, name, paths)| summaries.tag_value(site, slug, name, paths))
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
            let (slug, name, paths) = tags(site).into_iter().find(|(s, _, _)| s == slug)?;
            let tag = summaries.tag_value(site, &slug, &name, &paths);
            let url = format!("/tags/{slug}/");
            let mut ctx = html::base_ctx(site, &url, &format!("Articles about {name}"));
            put(&mut ctx, "tag", tag);
            page(templates.render("tag.html", &ctx))
        }
    }
}

/// Every file of [`outputs`], rendered in parallel, in that order; every problem found.
pub fn render_all(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Diagnostics> {
    let summaries = Summaries::new(site);
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
