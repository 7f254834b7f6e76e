//! The checked model every renderer is handed: settings, dataset and pages with their
//! citations, shortcodes and links resolved. Built once by [`crate::check::check_site`].

use crate::check::cite::ResolvedCite;
use crate::check::markdown::Doc;
use crate::figures::units::UnitRegistry;
use crate::load::config::Config;
use crate::load::content::Article;
use crate::load::dataset::Dataset;
use crate::load::date::Date;
use crate::shapes::flowchart::{Drawing, Style};
use std::collections::HashMap;
use std::path::PathBuf;

/// A shortcode call, checked and ready to render.
#[derive(Clone, Debug)]
pub enum Shortcode {
    /// A data table by id.
    Table(String),
    /// A decision tree by id, already drawn.
    Flowchart {
        /// The tree's id.
        id: String,
        /// The style asked for.
        style: Style,
        /// The drawing, within `flowchart.max_width`.
        drawing: Drawing,
    },
    /// A receipt by id, and whether it is stale.
    Receipt {
        /// The receipt's id.
        id: String,
        /// Reported longer ago than `receipts.max_age_days`.
        stale: bool,
    },
    /// The list of every disputed figure.
    Disputes,
    /// A chart of `data/charts.yaml`, built from the dataset.
    Chart(std::sync::Arc<crate::shapes::charts::Chart>),
}

/// One article, checked.
#[derive(Clone, Debug)]
pub struct Page {
    /// The article as loaded.
    pub article: Article,
    /// Its parsed Markdown.
    pub doc: Doc,
    /// Citations by the byte offset where their link starts.
    pub cites: HashMap<usize, ResolvedCite>,
    /// Shortcodes by the byte offset where their paragraph starts.
    pub shortcodes: HashMap<usize, Shortcode>,
    /// Internal links rewritten to published URLs, by the link's start offset.
    pub links: HashMap<usize, String>,
    /// The headline figure the front matter names, for the social card.
    pub headline: Option<Headline>,
}

/// The headline figure of an article's social card, evaluated from the dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    /// What the figure is: the entry's name and the field, or the expression.
    pub label: String,
    /// The formatted value.
    pub value: String,
}

impl Page {
    /// Dataset keys this page cites (for `cites` and the dev server's dependency map),
    /// charts' marks included.
    pub fn cited_keys(&self) -> impl Iterator<Item = &str> {
        let charts = self.shortcodes.values().flat_map(|s| match s {
            Shortcode::Chart(c) => c
                .readings()
                .into_iter()
                .flat_map(|r| r.keys.iter().map(String::as_str))
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        });
        self.cites
            .values()
            .flat_map(|c| c.keys.iter().map(String::as_str))
            .chain(charts)
    }
}

/// The whole checked site.
#[derive(Clone, Debug)]
pub struct Site {
    /// The site root folder.
    pub root: PathBuf,
    /// Settings from sitegen.toml.
    pub config: Config,
    /// Units, with the site's aliases.
    pub units: UnitRegistry,
    /// The dataset.
    pub dataset: Dataset,
    /// Published articles, newest first.
    pub pages: Vec<Page>,
    /// The day the check ran (for stale receipts).
    pub today: Date,
    /// Names and aliases of dataset entries that hold digits, longest first: not figures in prose.
    pub known_names: Vec<String>,
    /// The favicon in `assets/` (file name, MIME type) every page's head names
    /// ([`crate::load::walk::favicon`]); `serve` looks it up again when an asset changes.
    pub favicon: Option<(&'static str, &'static str)>,
}

impl Site {
    /// A site with no pages yet: the settings and dataset, with the names the uncited
    /// check must skip worked out once.
    pub fn new(root: PathBuf, config: Config, units: UnitRegistry, dataset: Dataset) -> Site {
        let known_names = dataset
            .known_names()
            .into_iter()
            .map(str::to_string)
            .collect();
        let favicon = crate::load::walk::favicon(&root);
        Site {
            root,
            config,
            units,
            dataset,
            pages: Vec::new(),
            today: Date::today(),
            known_names,
            favicon,
        }
    }

    /// The path prefix of `base_url` (`/guide` for `https://x.org/guide`), for root-relative links.
    pub fn base_path(&self) -> &str {
        base_path(&self.config.base_url)
    }

    /// A root-relative URL for a site path such as `/slug/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path(), path)
    }

    /// An absolute URL for a site path, for canonical links, the sitemap and feed.
    pub fn permalink(&self, path: &str) -> String {
        let host_end = self
            .config
            .base_url
            .find("://")
            .and_then(|i| self.config.base_url[i + 3..].find('/').map(|j| i + 3 + j))
            .unwrap_or(self.config.base_url.len());
        format!("{}{}", &self.config.base_url[..host_end], self.url(path))
    }

    /// Every tag with the pages that carry it, tags sorted by slug.
    pub fn tags(&self) -> Vec<(String, String, Vec<&Page>)> {
        let mut map: std::collections::BTreeMap<String, (String, Vec<&Page>)> =
            std::collections::BTreeMap::new();
        for p in &self.pages {
            for t in &p.article.front.tags {
                let slug = crate::load::content::slugify(t);
                map.entry(slug)
                    .or_insert_with(|| (t.clone(), Vec::new()))
                    .1
                    .push(p);
            }
        }
        map.into_iter().map(|(s, (n, ps))| (s, n, ps)).collect()
    }
}

/// The path part of a base URL, without a trailing slash.
pub fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    match base_url[after_scheme..].find('/') {
        Some(j) => base_url[after_scheme + j..].trim_end_matches('/'),
        None => "",
    }
}
