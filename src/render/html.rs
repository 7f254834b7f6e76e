//! The HTML renderer: the checked [`Site`] to pages through Tera templates, with
//! citations, shortcodes and highlighted code substituted into the Markdown events.

use crate::check::cite::ResolvedCite;
use crate::check::markdown::code_lang;
use crate::check::site::{Page, Shortcode, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::load::dataset::Dataset;
use crate::load::decisions::Decision;
use crate::render::highlight::code_block;
use crate::shapes::flowchart::Style;
use crate::shapes::tables;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use tera::Tera;

/// The built-in templates, used for any template a site's `templates/` does not provide.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("builtin/templates/base.html")),
    (
        "article.html",
        include_str!("builtin/templates/article.html"),
    ),
    ("index.html", include_str!("builtin/templates/index.html")),
    ("tags.html", include_str!("builtin/templates/tags.html")),
    ("tag.html", include_str!("builtin/templates/tag.html")),
    ("404.html", include_str!("builtin/templates/404.html")),
];

/// The built-in stylesheet, written as `/style.css` unless `assets/style.css` replaces it.
pub const BUILTIN_CSS: &str = include_str!("builtin/style.css");

/// One file of the output: its path below the output folder and its bytes.
#[derive(Clone, Debug)]
pub struct OutputFile {
    /// Relative path with `/` separators, e.g. `slug/index.html`.
    pub path: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// Compiled templates: the site's own over the built-in set.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Loads `templates/*.html` of the site over the built-ins; errors carry the template's line.
    pub fn load(root: &Path) -> Result<Templates, Diagnostics> {
        let mut sources: Vec<(String, String)> = BUILTIN
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let mut diags = Diagnostics::new();
        for (name, text) in crate::load::templates::html_templates(root, &mut diags) {
            sources.retain(|(n, _)| *n != name);
            sources.push((name, text));
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default escaper also escapes `/`, which mangles every URL in attributes.
        tera.set_escape_fn(escape_html);
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        {
            diags.push(template_error(&e, &sources));
        }
        if diags.is_empty() {
            Ok(Templates { tera })
        } else {
            Err(diags)
        }
    }

    fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_error(&e, &[]))
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A Tera error as one diagnostic, with the whole cause chain in the message.
fn template_error(e: &tera::Error, sources: &[(String, String)]) -> Diagnostic {
    let mut msg = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    // Tera names the template in quotes; point at the file when it is the site's own.
    let file = sources
        .iter()
        .map(|(n, _)| n)
        .find(|n| msg.contains(&format!("'{n}'")))
        .map_or_else(|| "templates".to_string(), |n| format!("templates/{n}"));
    let (line, col) = tera_position(&msg).unwrap_or((1, 1));
    Diagnostic::error(
        "template",
        Span::new(file, line, col),
        msg.replace('\n', " "),
    )
}

/// Tera's parse errors say ` --> LINE:COL`.
fn tera_position(msg: &str) -> Option<(usize, usize)> {
    let at = msg.find("--> ")? + 4;
    let rest = &msg[at..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    author: &'a str,
    language: &'a str,
}

#[derive(Serialize)]
struct TagRef {
    name: String,
    url: String,
}

/// A tag for the templates: its name, slug, URL and the summaries of its pages.
#[derive(Serialize)]
struct TagCtx<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    pages: Vec<&'a PageCtx>,
}

#[derive(Serialize)]
struct TocEntry {
    level: u8,
    id: String,
    text: String,
}

#[derive(Serialize)]
struct SourceRef {
    key: String,
    title: String,
    url: Option<String>,
    publisher: Option<String>,
    date: Option<String>,
}

#[derive(Serialize)]
struct PageCtx {
    title: String,
    description: String,
    slug: String,
    date: String,
    date_human: String,
    updated: Option<String>,
    updated_human: Option<String>,
    tags: Vec<TagRef>,
    url: String,
    permalink: String,
    toc: Vec<TocEntry>,
    content: String,
    sources: Vec<SourceRef>,
}

fn base_ctx(site: &Site, path: &str, description: &str) -> tera::Context {
    let mut ctx = tera::Context::new();
    let c = &site.config;
    ctx.insert(
        "site",
        &SiteCtx {
            title: &c.title,
            description: &c.description,
            base_url: &c.base_url,
            author: &c.author,
            language: &c.language,
        },
    );
    ctx.insert("root", site.base_path());
    ctx.insert("permalink", &site.permalink(path));
    ctx.insert("meta_description", description);
    ctx
}

fn tag_refs(site: &Site, tags: &[String]) -> Vec<TagRef> {
    tags.iter()
        .map(|t| TagRef {
            name: t.clone(),
            url: site.url(&format!("/tags/{}/", crate::load::content::slugify(t))),
        })
        .collect()
}

/// The summary of a page for lists (index, tag pages).
fn page_summary(site: &Site, p: &Page) -> PageCtx {
    let f = &p.article.front;
    PageCtx {
        title: f.title.clone(),
        description: f.description.clone(),
        slug: p.article.slug.clone(),
        date: f.date.to_string(),
        date_human: f.date.human(),
        updated: f.updated.map(|d| d.to_string()),
        updated_human: f.updated.map(|d| d.human()),
        tags: tag_refs(site, &f.tags),
        url: site.url(&p.article.url_path),
        permalink: site.permalink(&p.article.url_path),
        toc: Vec::new(),
        content: String::new(),
        sources: Vec::new(),
    }
}

/// Every output file but the article pages: index, tags, 404, stylesheets, sitemap, feed,
/// robots.txt. They depend on the pages' front matter only, so `sitegen serve` re-renders
/// them alone when an article's front matter changed.
pub fn render_extras(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files = Vec::with_capacity(16);
    let mut diags = Diagnostics::new();
    match render_lists(site, templates) {
        Ok(more) => files.extend(more),
        Err(d) => diags.extend(d),
    }
    files.push(OutputFile {
        path: "style.css".into(),
        bytes: BUILTIN_CSS.as_bytes().to_vec(),
    });
    files.push(OutputFile {
        path: "syntax.css".into(),
        bytes: crate::render::highlight::theme_css().into_bytes(),
    });
    files.push(OutputFile {
        path: "sitemap.xml".into(),
        bytes: sitemap(site).into_bytes(),
    });
    files.push(OutputFile {
        path: "atom.xml".into(),
        bytes: atom(site).into_bytes(),
    });
    files.push(OutputFile {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            site.permalink("/sitemap.xml")
        )
        .into_bytes(),
    });
    if diags.is_empty() {
        Ok(files)
    } else {
        Err(diags)
    }
}

/// Renders one article page to `slug/index.html`.
pub fn render_page(site: &Site, templates: &Templates, p: &Page) -> Result<OutputFile, Diagnostic> {
    let f = &p.article.front;
    let mut ctx = base_ctx(site, &p.article.url_path, &f.description);
    let (content, source_keys) = render_body(site, p);
    let mut page = page_summary(site, p);
    page.content = content;
    page.toc = p
        .doc
        .headings
        .iter()
        .filter(|h| (2..=3).contains(&h.level))
        .map(|h| TocEntry {
            level: h.level,
            id: h.id.clone(),
            text: h.text.clone(),
        })
        .collect();
    page.sources = source_keys
        .iter()
        .map(|k| source_ref(&site.dataset, k))
        .collect();
    ctx.insert("page", &page);
    if f.pdf {
        ctx.insert("gate", &site.config.gate.as_ref().map(|g| {
            serde_json::json!({"action": g.action, "email_field": g.email_field, "button": g.button, "pitch": g.pitch})
        }));
    }
    let html = templates
        .render("article.html", &ctx)
        .map_err(|d| Diagnostic {
            span: Span::file(&p.article.path),
            ..d
        })?;
    Ok(OutputFile {
        path: format!("{}index.html", p.article.url_path.trim_start_matches('/')),
        bytes: html.into_bytes(),
    })
}

fn source_ref(ds: &Dataset, key: &str) -> SourceRef {
    match ds.source(key) {
        Some(s) => SourceRef {
            key: key.to_string(),
            title: s.title.clone(),
            url: Some(s.url.clone()),
            publisher: s.publisher.clone(),
            date: s.date.map(|d| d.to_string()),
        },
        None => SourceRef {
            key: crate::load::content::slugify(key),
            title: key.to_string(),
            url: crate::load::dataset::is_url(key).then(|| key.to_string()),
            publisher: None,
            date: None,
        },
    }
}

fn render_lists(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut out = Vec::new();
    let mut diags = Diagnostics::new();
    let summaries: Vec<PageCtx> = site.pages.iter().map(|p| page_summary(site, p)).collect();
    let mut push = |path: &str, r: Result<String, Diagnostic>| match r {
        Ok(html) => out.push(OutputFile {
            path: path.to_string(),
            bytes: html.into_bytes(),
        }),
        Err(d) => diags.push(d),
    };
    let mut ctx = base_ctx(site, "/", &site.config.description);
    ctx.insert("pages", &summaries);
    push("index.html", templates.render("index.html", &ctx));
    let tags = site.tags();
    // Each tag lists the summaries made above, by reference: no page is summarised twice.
    let by_path: std::collections::HashMap<&str, &PageCtx> = site
        .pages
        .iter()
        .zip(&summaries)
        .map(|(p, s)| (p.article.path.as_str(), s))
        .collect();
    let tag_list: Vec<TagCtx> = tags
        .iter()
        .map(|(slug, name, pages)| TagCtx {
            name,
            slug,
            url: site.url(&format!("/tags/{slug}/")),
            pages: pages
                .iter()
                .filter_map(|p| by_path.get(p.article.path.as_str()).copied())
                .collect(),
        })
        .collect();
    let mut ctx = base_ctx(site, "/tags/", &format!("Topics of {}", site.config.title));
    ctx.insert("tags", &tag_list);
    push("tags/index.html", templates.render("tags.html", &ctx));
    let tag_pages: Vec<(String, Result<String, Diagnostic>)> = tag_list
        .par_iter()
        .map(|tag| {
            let path = format!("/tags/{}/", tag.slug);
            let mut ctx = base_ctx(site, &path, &format!("Articles about {}", tag.name));
            ctx.insert("tag", tag);
            (
                format!("tags/{}/index.html", tag.slug),
                templates.render("tag.html", &ctx),
            )
        })
        .collect();
    for (path, r) in tag_pages {
        push(&path, r);
    }
    let ctx = base_ctx(site, "/404.html", "Page not found");
    push("404.html", templates.render("404.html", &ctx));
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// XML-escapes text for the sitemap and feed.
fn xml(s: &str) -> String {
    escape_html(s)
}

fn sitemap(site: &Site) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    s.push_str(&format!(
        "  <url><loc>{}</loc></url>\n",
        xml(&site.permalink("/"))
    ));
    for p in &site.pages {
        let f = &p.article.front;
        s.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            xml(&site.permalink(&p.article.url_path)),
            f.updated.unwrap_or(f.date)
        ));
    }
    for (slug, _, _) in site.tags() {
        s.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml(&site.permalink(&format!("/tags/{slug}/")))
        ));
    }
    s.push_str("</urlset>\n");
    s
}

fn atom(site: &Site) -> String {
    let updated = site
        .pages
        .iter()
        .map(|p| p.article.front.updated.unwrap_or(p.article.front.date))
        .max();
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{}</title>\n  <link href=\"{}\" rel=\"self\"/>\n  <link href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n",
        xml(&site.config.title),
        xml(&site.permalink("/atom.xml")),
        xml(&site.permalink("/")),
        xml(&site.permalink("/")),
        updated.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339())
    );
    if !site.config.author.is_empty() {
        s.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml(&site.config.author)
        ));
    }
    for p in &site.pages {
        let f = &p.article.front;
        let link = site.permalink(&p.article.url_path);
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml(&f.title),
            xml(&link),
            xml(&link),
            f.date.rfc3339(),
            f.updated.unwrap_or(f.date).rfc3339(),
            xml(&f.description)
        ));
    }
    s.push_str("</feed>\n");
    s
}

/// Renders a page's Markdown to HTML; returns the HTML and the sources it cites, in order.
pub fn render_body(site: &Site, p: &Page) -> (String, Vec<String>) {
    let mut sources: Vec<String> = Vec::new();
    let add_source = |s: &str, sources: &mut Vec<String>| {
        if !sources.iter().any(|x| x == s) {
            sources.push(s.to_string());
        }
    };
    let events = crate::check::markdown::events(&p.article, &p.doc);
    let events = &events[..];
    // With raw HTML from the author, the page is sanitized whole; sitegen's own markup
    // (citations, shortcodes, highlighted code) waits outside as placeholders.
    let sanitize = site.config.markdown.raw_html == crate::load::config::RawHtml::Sanitize
        && !p.doc.raw_html.is_empty();
    let mut own: Vec<String> = Vec::new();
    let mut ours = |html: String, inline: bool| -> Event {
        let html = if sanitize {
            own.push(html);
            format!("{PLACEHOLDER_OPEN}{}{PLACEHOLDER_CLOSE}", own.len() - 1)
        } else {
            html
        };
        if inline {
            Event::InlineHtml(CowStr::from(html))
        } else {
            Event::Html(CowStr::from(html))
        }
    };
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    let mut cite_n = 0usize;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("cite:") => {
                if let Some(c) = p.cites.get(&range.start) {
                    cite_n += 1;
                    for s in &c.sources {
                        add_source(s, &mut sources);
                    }
                    out.push(ours(cite_html(site, c, cite_n), true));
                }
                i = skip_to(events, i, |e| matches!(e, Event::End(TagEnd::Link)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = match p.links.get(&range.start) {
                    Some(href) => CowStr::from(site.url(href)),
                    None => dest_url.clone(),
                };
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: dest,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Paragraph) if p.shortcodes.contains_key(&range.start) => {
                if let Some(sc) = p.shortcodes.get(&range.start) {
                    let (html, srcs) = shortcode_html(site, sc);
                    for s in srcs {
                        add_source(&s, &mut sources);
                    }
                    out.push(ours(html, false));
                }
                i = skip_to(events, i, |e| matches!(e, Event::End(TagEnd::Paragraph)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = code_lang(kind).map(str::to_string);
                let mut code = String::new();
                let end = skip_to(events, i, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
                for (e, _) in &events[i + 1..end.min(events.len())] {
                    if let Event::Text(t) = e {
                        code.push_str(t);
                    }
                }
                out.push(ours(code_block(&code, lang.as_deref()), false));
                i = end;
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    let mut html = String::with_capacity(p.article.source.len() * 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    if sanitize {
        html = restore_own(&sanitizer().clean(&html).to_string(), &own);
    }
    (html, sources)
}

/// Marks around the number of a piece of sitegen's own markup while a page is sanitized
/// (private-use characters, which the sanitizer keeps as text).
const PLACEHOLDER_OPEN: char = '\u{F8F0}';
/// See [`PLACEHOLDER_OPEN`].
const PLACEHOLDER_CLOSE: char = '\u{F8F1}';

/// Puts sitegen's own markup back in place of its placeholders.
fn restore_own(html: &str, own: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + own.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(i) = rest.find(PLACEHOLDER_OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + PLACEHOLDER_OPEN.len_utf8()..];
        let Some(j) = after.find(PLACEHOLDER_CLOSE) else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        match after[..j].parse::<usize>().ok().and_then(|n| own.get(n)) {
            Some(piece) => out.push_str(piece),
            None => out.push_str(
                &rest[i..i + PLACEHOLDER_OPEN.len_utf8() + j + PLACEHOLDER_CLOSE.len_utf8()],
            ),
        }
        rest = &after[j + PLACEHOLDER_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The HTML sanitizer (ammonia) for pages with raw HTML: keeps the tags of
/// [`crate::check::safety::KEPT_TAGS`] and what Markdown produces (ids, classes, table
/// alignment, task-list boxes), drops scripts, frames, event handlers, styles and unsafe
/// URLs; links keep their `rel` as written.
fn sanitizer() -> ammonia::Builder<'static> {
    use crate::check::safety::{unsafe_url, KEPT_TAGS};
    let mut b = ammonia::Builder::default();
    b.tags(KEPT_TAGS.iter().copied().collect())
        .add_generic_attributes(["id", "class", "title", "lang", "dir"])
        .add_tag_attributes("a", ["href", "hreflang", "title"])
        .add_tag_attributes("img", ["src", "alt", "title", "width", "height"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style", "colspan", "rowspan"])
        .add_tag_attributes("td", ["style", "colspan", "rowspan"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("details", ["open"])
        .add_url_schemes(["data"])
        .link_rel(None)
        .attribute_filter(|element, attribute, value| match attribute {
            // Markdown's table alignment, nothing else.
            "style" => matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            )
            .then(|| value.into()),
            "href" | "src"
                if unsafe_url(value, element == "img" && attribute == "src").is_some() =>
            {
                None
            }
            _ => Some(value.into()),
        });
    b
}

/// The index of the first event after `start` that `is_end` accepts (or the last index).
fn skip_to(
    events: &[(Event, std::ops::Range<usize>)],
    start: usize,
    is_end: impl Fn(&Event) -> bool,
) -> usize {
    let mut j = start + 1;
    while j < events.len() && !is_end(&events[j].0) {
        j += 1;
    }
    j.min(events.len().saturating_sub(1)).max(start)
}

/// A citation as a link to its source with an accessible tooltip.
fn cite_html(site: &Site, c: &ResolvedCite, n: usize) -> String {
    let href = c
        .sources
        .first()
        .and_then(|s| site.dataset.source_url(s))
        .unwrap_or_else(|| "#sources-title".to_string());
    let tip = c.tooltip(&site.dataset);
    format!(
        "<a class=\"cite\" href=\"{}\" data-key=\"{}\" data-value=\"{}\" aria-describedby=\"cite-tip-{n}\">{}<span class=\"cite-tip\" role=\"tooltip\" id=\"cite-tip-{n}\">{}</span></a>",
        escape_html(&href),
        escape_html(&c.keys.join(" ")),
        escape_html(&c.value),
        escape_html(&c.display),
        escape_html(&tip)
    )
}

/// A shortcode's HTML and the sources it cites.
fn shortcode_html(site: &Site, sc: &Shortcode) -> (String, Vec<String>) {
    let ds = &site.dataset;
    match sc {
        Shortcode::Table(id) => match ds.tables.get(id) {
            Some(def) => {
                let model = tables::build(ds, def);
                (table_html(site, &model), model.sources.clone())
            }
            None => (String::new(), Vec::new()),
        },
        Shortcode::Flowchart { id, style, drawing } => {
            let list = ds
                .decisions
                .get(id)
                .map(|t| decision_list(&t.root))
                .unwrap_or_default();
            let caption = ds
                .decisions
                .get(id)
                .map(|t| match &t.root {
                    Decision::Question { text, .. } => text.clone(),
                    Decision::Outcome(o) => o.clone(),
                })
                .unwrap_or_default();
            let kind = if *style == Style::Tree {
                "tree"
            } else {
                "boxes"
            };
            (
                format!(
                    "<figure class=\"flowchart flowchart-{kind}\" id=\"flowchart-{}\">\n<pre aria-hidden=\"true\">{}</pre>\n<div class=\"tree-list\" role=\"tree\" aria-label=\"{}\">{}</div>\n<figcaption>Decision tree: {}</figcaption>\n</figure>\n",
                    escape_html(id),
                    escape_html(&drawing.text),
                    escape_html(&caption),
                    list,
                    escape_html(&caption)
                ),
                Vec::new(),
            )
        }
        Shortcode::Receipt { id, stale } => match ds.receipts.get(id) {
            Some(r) => {
                let src_link = match ds.source_url(&r.source) {
                    Some(u) => format!(
                        "<a href=\"{}\">{}</a>",
                        escape_html(&u),
                        escape_html(&ds.source_title(&r.source))
                    ),
                    None => escape_html(&r.source),
                };
                let command = r
                    .command
                    .as_deref()
                    .map(|c| {
                        format!(
                            "<dt>Command</dt><dd>{}</dd>",
                            code_block(c.trim_end(), Some("bash"))
                        )
                    })
                    .unwrap_or_default();
                let stale_mark = if *stale {
                    format!(" <span class=\"stale-mark\">⚠ stale: verify again (older than {} days)</span>", site.config.receipts.max_age_days)
                } else {
                    String::new()
                };
                (
                    format!(
                        "<aside class=\"receipt{}\" id=\"receipt-{}\" aria-label=\"Receipt: {}\">\n<p class=\"receipt-title\"><strong>Receipt:</strong> {}</p>\n<dl><dt>Symptom</dt><dd>{}</dd><dt>Fix</dt><dd>{}</dd>{}</dl>\n<p class=\"verified\">Verified <time datetime=\"{}\">{}</time>{} · source: {}</p>\n</aside>\n",
                        if *stale { " stale" } else { "" },
                        escape_html(id),
                        escape_html(&r.title),
                        escape_html(&r.title),
                        escape_html(&r.symptom),
                        escape_html(&r.fix),
                        command,
                        r.verified,
                        r.verified.human(),
                        stale_mark,
                        src_link
                    ),
                    vec![r.source.clone()],
                )
            }
            None => (String::new(), Vec::new()),
        },
        Shortcode::Disputes => disputes_html(ds),
    }
}

fn table_html(site: &Site, m: &tables::TableModel) -> String {
    let ds = &site.dataset;
    let mut h = format!(
        "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"table-{id}-caption\" tabindex=\"0\">\n<table class=\"data-table\" id=\"table-{id}\">\n<caption id=\"table-{id}-caption\">{}</caption>\n<thead><tr><th scope=\"col\">{}</th>",
        escape_html(&m.caption),
        escape_html(&m.row_header),
        id = escape_html(&m.id)
    );
    for hd in &m.headers {
        match &hd.unit {
            Some(u) => h.push_str(&format!(
                "<th scope=\"col\">{} <span class=\"unit\">({})</span></th>",
                escape_html(&hd.label),
                escape_html(u)
            )),
            None => h.push_str(&format!(
                "<th scope=\"col\">{}</th>",
                escape_html(&hd.label)
            )),
        }
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (label, cells) in &m.rows {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            escape_html(label)
        ));
        for c in cells {
            let mut classes = vec!["num".to_string()];
            let mut marks = String::new();
            if c.best {
                classes.push("best".into());
                marks.push_str("<span class=\"mark\" aria-label=\"best in column\" title=\"best in column\">▲</span>");
            }
            if let Some(f) = c.flag {
                classes.push(format!("flag-{}", f.as_str()));
                let (sym, word) = match f {
                    crate::load::dataset::Flag::Best => ("★", "best"),
                    crate::load::dataset::Flag::Warn => ("⚠", "warning"),
                    crate::load::dataset::Flag::Fatal => ("✖", "deal-breaker"),
                };
                marks.push_str(&format!("<span class=\"mark\" title=\"{word}\"><span aria-hidden=\"true\">{sym}</span><span class=\"visually-hidden\"> ({word})</span></span>"));
            }
            let inner = match c.source.as_deref().and_then(|s| ds.source_url(s)) {
                Some(u) => format!(
                    "<a class=\"cite\" href=\"{}\" title=\"{}\" data-key=\"{}\">{}</a>",
                    escape_html(&u),
                    escape_html(&c.title),
                    escape_html(c.key.as_deref().unwrap_or("")),
                    escape_html(&c.text)
                ),
                None => escape_html(&c.text),
            };
            h.push_str(&format!(
                "<td class=\"{}\">{inner}{marks}</td>",
                classes.join(" ")
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    if !m.sources.is_empty() {
        let names: Vec<String> = m
            .sources
            .iter()
            .map(|s| match ds.source_url(s) {
                Some(u) => format!(
                    "<a href=\"{}\">{}</a>",
                    escape_html(&u),
                    escape_html(&ds.source_title(s))
                ),
                None => escape_html(s),
            })
            .collect();
        h.push_str(&format!(
            "<p class=\"table-sources\">Sources: {}.</p>\n",
            names.join("; ")
        ));
    }
    h.push_str("</div>\n");
    h
}

/// The decision tree as nested lists: the accessible alternative to the drawing.
fn decision_list(d: &Decision) -> String {
    match d {
        Decision::Outcome(o) => format!("<strong>{}</strong>", escape_html(o)),
        Decision::Question { text, answers } => {
            let mut s = format!("<p>{}</p><ul>", escape_html(text));
            for a in answers {
                s.push_str(&format!(
                    "<li><em>{}</em> → {}</li>",
                    escape_html(&a.label),
                    decision_list(&a.next)
                ));
            }
            s.push_str("</ul>");
            s
        }
    }
}

fn disputes_html(ds: &Dataset) -> (String, Vec<String>) {
    let mut h = String::from("<section class=\"disputes\">\n");
    let mut sources = Vec::new();
    let groups = tables::disputes(ds);
    if groups.is_empty() {
        h.push_str("<p>No figure in the dataset is disputed.</p>\n");
    }
    for g in groups {
        h.push_str("<div class=\"dispute table-wrap\"><table><thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">Value</th><th scope=\"col\">Source</th><th scope=\"col\">Conditions</th><th scope=\"col\">Why it differs</th></tr></thead><tbody>\n");
        for f in &g.figures {
            if let Some(fig) = ds.figures.get(&f.key) {
                if !sources.contains(&fig.source) {
                    sources.push(fig.source.clone());
                }
            }
            let src = match &f.url {
                Some(u) => format!(
                    "<a href=\"{}\">{}</a>",
                    escape_html(u),
                    escape_html(&f.source)
                ),
                None => escape_html(&f.source),
            };
            h.push_str(&format!(
                "<tr><th scope=\"row\">{}<br><code>{}</code></th><td class=\"num\">{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>\n",
                escape_html(&f.label),
                escape_html(&f.key),
                escape_html(&f.value),
                src,
                f.as_of.as_ref().map(|d| format!(", as of {d}")).unwrap_or_default(),
                escape_html(&f.conditions),
                escape_html(&f.note)
            ));
        }
        h.push_str("</tbody></table></div>\n");
    }
    h.push_str("</section>\n");
    (h, sources)
}
