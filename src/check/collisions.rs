//! Two sources that would write one output file: an article and a page sitegen generates
//! (the index, the tags page, a tag's page: the generated files named `index.html`, as an
//! article's page is), an article and an asset; and two tag spellings that make one tag
//! URL. Two articles at one URL are found when they are loaded. Each is an error naming
//! both sources, never a silent winner.

use crate::check::site::Page;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::load::content::slugify;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

/// Reports every collision between articles, generated pages, tag pages and `assets/**`
/// (walked here, its unreadable or special entries reported too). Pages are taken in
/// load order (by path), whatever order they come in, so `serve` reports what `build` does.
/// Nothing is allocated per page or tag but a tag that is not written as its slug: `serve`
/// runs this after each edit of a URL, a tag or an asset.
pub fn check_collisions(root: &Path, pages: &[Page], diags: &mut Diagnostics) {
    let mut walk_problems = Vec::new();
    let assets = crate::load::walk::asset_files(root, &mut walk_problems);
    diags.extend(walk_problems);
    let mut pages: Vec<&Page> = pages.iter().collect();
    pages.sort_by(|a, b| a.article.path.cmp(&b.article.path));
    // Tag slug → its first spelling (which names the tag page) and the article using it.
    let tags = check_tags(&pages, diags);
    // A page's output is its URL (no leading slash) + `index.html`: of the generated files,
    // only the index, the tags page and the tag pages are named so.
    for &p in &pages {
        let url = p.article.url_path.trim_start_matches('/');
        let what = match url {
            "" => Some("the generated /index.html".to_string()),
            "tags/" => Some("the generated /tags/index.html".to_string()),
            _ => url
                .strip_prefix("tags/")
                .and_then(|rest| rest.strip_suffix('/'))
                .and_then(|slug| tags.get(slug))
                .map(|(t, _)| format!("the generated tag page of `{t}`")),
        };
        if let Some(what) = what {
            diags.push(Diagnostic::error(
                "collision",
                Span::file(&p.article.path),
                format!(
                    "publishes at {} like {what}: one would silently replace the other; give it another `slug:`",
                    p.article.url_path
                ),
            ));
        }
    }
    // Assets named like a page's output: the page's URL they stand for → the last page
    // (in load order) publishing there.
    let mut over: HashMap<&str, Option<&Page>> = assets
        .iter()
        .filter_map(|a| {
            a.rel
                .strip_prefix("assets/")
                .unwrap_or(&a.rel)
                .strip_suffix("index.html")
        })
        .map(|url| (url, None))
        .collect();
    if !over.is_empty() {
        for &p in &pages {
            if let Some(slot) = over.get_mut(p.article.url_path.trim_start_matches('/')) {
                *slot = Some(p);
            }
        }
    }
    for a in &assets {
        let out = a.rel.strip_prefix("assets/").unwrap_or(&a.rel);
        let page = out
            .strip_suffix("index.html")
            .and_then(|url| over.get(url).copied().flatten());
        if let Some(p) = page {
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

/// A tag's slug ([`slugify`]), borrowed when the tag is written as its slug already.
fn slug_of(tag: &str) -> Cow<'_, str> {
    let plain = !tag.is_empty()
        && !tag.starts_with('-')
        && !tag.ends_with('-')
        && !tag.contains("--")
        && tag
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plain {
        Cow::Borrowed(tag)
    } else {
        Cow::Owned(slugify(tag))
    }
}

/// Tags whose spellings differ but make one URL (`a/b`, `A B`, `a-b`), tags that make no
/// URL at all, and a tag given twice in one article.
fn check_tags<'a>(
    pages: &[&'a Page],
    diags: &mut Diagnostics,
) -> HashMap<Cow<'a, str>, (&'a str, &'a str)> {
    // Tag slug → first spelling and the article that wrote it.
    let mut first: HashMap<Cow<'a, str>, (&'a str, &'a str)> = HashMap::new();
    // One article's tags so far: slug, spelling (a handful: a list beats a map).
    let mut own: Vec<(Cow<'a, str>, &'a str)> = Vec::new();
    for p in pages {
        let a = &p.article;
        let at = |t: &str| {
            let offset = a.source[..a.body_start].find(t).unwrap_or(0);
            Span::at_offset(&a.path, &a.source, offset)
        };
        own.clear();
        for t in &a.front.tags {
            let slug = slug_of(t);
            if slug.is_empty() {
                diags.push(Diagnostic::error(
                    "tag",
                    at(t),
                    format!("tag `{t}` makes no URL (no letter or digit)"),
                ));
                continue;
            }
            if let Some((_, prev)) = own.iter().find(|(s, _)| *s == slug) {
                diags.push(Diagnostic::error(
                    "tag",
                    at(t),
                    format!("tags `{prev}` and `{t}` both make /tags/{slug}/; keep one"),
                ));
                continue;
            }
            own.push((slug.clone(), t));
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
                    first.insert(slug, (t.as_str(), a.path.as_str()));
                }
            }
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Borrowing a tag that is its own slug never changes the slug.
        #[test]
        fn slug_of_is_slugify(tag in "[a-zA-Z0-9 _/.-]{0,12}|\\PC{0,6}") {
            prop_assert_eq!(slug_of(&tag).into_owned(), slugify(&tag));
        }
    }

    #[test]
    fn slug_of_borrows_only_a_slug() {
        assert!(matches!(slug_of("dgx-spark"), Cow::Borrowed(_)));
        for t in ["DGX Spark", "-a", "a-", "a--b", "é", ""] {
            assert!(matches!(slug_of(t), Cow::Owned(_)), "{t}");
        }
    }
}
