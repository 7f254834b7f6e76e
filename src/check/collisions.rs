//! Two sources that would write one output file: two articles, an article and a page
//! sitegen generates (the index, tags/, 404, the feed…), an article and an asset; and two
//! tag spellings that make one tag URL. Each is an error naming both sources, never a
//! silent winner.

use crate::check::site::Page;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::load::content::slugify;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The files sitegen generates besides the articles and tag pages, by output path.
pub const GENERATED: &[&str] = &[
    "index.html",
    "tags/index.html",
    "404.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
    "style.css",
    "syntax.css",
];

/// The output file of an article at `url_path`, e.g. `guides/x/index.html`.
fn page_file(url_path: &str) -> String {
    format!("{}index.html", url_path.trim_start_matches('/'))
}

/// Reports every collision between articles, generated pages, tag pages and `assets/**`
/// (walked here, its unreadable or special entries reported too). Pages are taken in
/// load order (by path), whatever order they come in, so `serve` reports what `build` does.
pub fn check_collisions(root: &Path, pages: &[Page], diags: &mut Diagnostics) {
    let mut walk_problems = Vec::new();
    let assets = crate::load::walk::asset_files(root, &mut walk_problems);
    diags.extend(walk_problems);
    let mut pages: Vec<&Page> = pages.iter().collect();
    pages.sort_by(|a, b| a.article.path.cmp(&b.article.path));
    check_tags(&pages, diags);
    // Output path → what generates it.
    let mut generated: HashMap<String, String> = GENERATED
        .iter()
        .map(|g| (g.to_string(), format!("the generated /{g}")))
        .collect();
    for p in &pages {
        for t in &p.article.front.tags {
            let slug = slugify(t);
            generated
                .entry(format!("tags/{slug}/index.html"))
                .or_insert_with(|| format!("the generated tag page of `{t}`"));
        }
    }
    let mut by_page: HashMap<String, &Page> = HashMap::new();
    for &p in &pages {
        let file = page_file(&p.article.url_path);
        if let Some(what) = generated.get(&file) {
            diags.push(Diagnostic::error(
                "collision",
                Span::file(&p.article.path),
                format!(
                    "publishes at {} like {what}: one would silently replace the other; give it another `slug:`",
                    p.article.url_path
                ),
            ));
        }
        by_page.insert(file, p);
    }
    for a in &assets {
        let out = a.rel.strip_prefix("assets/").unwrap_or(&a.rel);
        if let Some(p) = by_page.get(out) {
            diags.push(Diagnostic::error(
                "collision",
                Span::file(&a.rel),
                format!(
                    "writes /{out}, the page of {} ({}): one would silently replace the other; move the asset or give the article another `slug:`",
                    p.article.path, p.article.url_path
                ),
            ));
        }
    }
}

/// Tags whose spellings differ but make one URL (`a/b`, `A B`, `a-b`), tags that make no
/// URL at all, and a tag given twice in one article.
fn check_tags(pages: &[&Page], diags: &mut Diagnostics) {
    // Tag slug → first spelling and the article that wrote it.
    let mut first: BTreeMap<String, (String, String)> = BTreeMap::new();
    for p in pages {
        let a = &p.article;
        let at = |t: &str| {
            let offset = a.source[..a.body_start].find(t).unwrap_or(0);
            Span::at_offset(&a.path, &a.source, offset)
        };
        let mut own: HashMap<String, &str> = HashMap::new();
        for t in &a.front.tags {
            let slug = slugify(t);
            if slug.is_empty() {
                diags.push(Diagnostic::error(
                    "tag",
                    at(t),
                    format!("tag `{t}` makes no URL (no letter or digit)"),
                ));
                continue;
            }
            if let Some(prev) = own.insert(slug.clone(), t) {
                diags.push(Diagnostic::error(
                    "tag",
                    at(t),
                    format!("tags `{prev}` and `{t}` both make /tags/{slug}/; keep one"),
                ));
                continue;
            }
            match first.get(&slug) {
                Some((spelling, path)) if spelling != t => diags.push(Diagnostic::error(
                    "tag",
                    at(t),
                    format!(
                        "tag `{t}` makes the URL /tags/{slug}/ of tag `{spelling}` ({path}); spell them alike"
                    ),
                )),
                Some(_) => {}
                None => {
                    first.insert(slug, (t.clone(), a.path.clone()));
                }
            }
        }
    }
}
