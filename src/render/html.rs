//! The HTML renderer: the checked [`Site`] to pages through Tera templates, with
//! citations, shortcodes and highlighted code substituted into the Markdown events.

use crate::check::cite::ResolvedCite;
use crate::check::markdown::code_lang;
use crate::check::site::{Page, Shortcode, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::load::dataset::Dataset;
use crate::load::decisions::Decision;
use crate::render::highlight::code_block;
use crate::shapes::charts;
use crate::shapes::flowchart::Style;
use crate::shapes::tables;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
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
    ("thanks.html", include_str!("builtin/templates/thanks.html")),
];

/// The built-in templates as (file name, text): what `sitegen init --templates` writes.
pub fn builtin_templates() -> &'static [(&'static str, &'static str)] {
    BUILTIN
}

/// The built-in stylesheet, written as `/style.css` unless `assets/style.css` replaces it.
pub const BUILTIN_CSS: &str = include_str!("builtin/style.css");

/// The built-in script of citation tooltips, written as `/cite.js`: Escape closes a tip,
/// a first tap opens one, an open tip stays inside the screen.
pub const BUILTIN_CITE_JS: &str = include_str!("builtin/cite.js");

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
    /// Whether pages are rendered for the author (`serve`): tooltips then show dataset keys.
    author_view: bool,
    /// Each template's name and text, to place errors Tera reports without a line.
    sources: Vec<(String, String)>,
    /// Whether code blocks are highlighted (off only for `check`, whose output is dropped).
    highlight: bool,
    /// The list templates whose loop over the pages is rendered from kept entries
    /// ([`SPLICED`]): the built-in ones, unless a template reads `__tera_context`.
    spliced: Vec<&'static str>,
    /// The templates that are the built-in ones (same text), none when a template reads
    /// `__tera_context`: what they read of the context is known.
    builtin: Vec<&'static str>,
}

/// The built-in list templates whose loop over the pages can be rendered one page at a
/// time: (template, the loop's opening tag). Its body reads only the loop's `p`, so the
/// loop's output is the concatenation of the body rendered for each page alone; `sitegen
/// serve` keeps each page's rendering and renders the list again from them
/// ([`crate::render::lists`]). The loop ends at the first `{% endfor %}` followed by
/// `</ul>`.
pub(crate) const SPLICED: &[(&str, &str)] = &[
    ("index.html", "{% for p in pages %}"),
    ("tag.html", "{% for p in tag.pages %}"),
];

/// The end of a [`SPLICED`] loop.
const SPLICED_END: &str = "{% endfor %}\n</ul>";

/// The variable that holds a spliced loop's output in the spliced template.
pub(crate) const SPLICED_VAR: &str = "__sitegen_entries";

/// A spliced list template's names: (the template with its loop replaced by
/// [`SPLICED_VAR`], the loop's body alone).
fn spliced_names(name: &str) -> (String, String) {
    (
        format!("__sitegen_list_{name}"),
        format!("__sitegen_entry_{name}"),
    )
}

/// The built-in list templates of `sources` that are still the built-in ones, as the two
/// templates [`spliced_names`] names; none when a template reads the whole context.
fn spliced_templates(sources: &[(String, String)]) -> Vec<(&'static str, String, String)> {
    if sources.iter().any(|(_, t)| t.contains("__tera_context")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (name, open) in SPLICED {
        let builtin = BUILTIN.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
        let ours = sources
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str());
        let (Some(text), true) = (builtin, builtin == ours) else {
            continue;
        };
        let Some(start) = text.find(open) else {
            continue;
        };
        let body_start = start + open.len();
        let Some(len) = text[body_start..].find(SPLICED_END) else {
            continue;
        };
        let body = &text[body_start..body_start + len];
        let rest = &text[body_start + len + "{% endfor %}".len()..];
        let list = format!("{}{{{{ {SPLICED_VAR} | safe }}}}{rest}", &text[..start]);
        out.push((*name, list, body.to_string()));
    }
    out
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
        let mut spliced = Vec::new();
        let builtin: Vec<&'static str> =
            if sources.iter().any(|(_, t)| t.contains("__tera_context")) {
                Vec::new()
            } else {
                BUILTIN
                    .iter()
                    .filter(|(n, t)| sources.iter().any(|(m, u)| m == n && u == t))
                    .map(|(n, _)| *n)
                    .collect()
            };
        if diags.is_empty() {
            let extra = spliced_templates(&sources);
            let mut with = tera.clone();
            let added = extra.iter().flat_map(|(name, list, body)| {
                let (l, b) = spliced_names(name);
                [(l, list.clone()), (b, body.clone())]
            });
            // They compile as the built-ins do; if they did not, the lists render in full.
            if !extra.is_empty() && with.add_raw_templates(added).is_ok() {
                tera = with;
                spliced = extra.iter().map(|(n, _, _)| *n).collect();
            }
        }
        if diags.is_empty() {
            Ok(Templates {
                tera,
                author_view: false,
                sources,
                highlight: true,
                spliced,
                builtin,
            })
        } else {
            Err(diags)
        }
    }

    /// The same templates rendering for the author's preview (`serve`): citation tooltips
    /// and the disputes list also show each figure's dataset key; `build` never does.
    pub fn for_author(mut self) -> Templates {
        self.author_view = true;
        self
    }

    /// The same templates rendering code blocks without syntax highlighting: for
    /// `sitegen check`, which renders every page only for the errors and drops the
    /// output. Highlighting cannot fail and is two thirds of a build's CPU time; a code
    /// block's HTML reaches the templates as part of `page.content` either way.
    pub fn without_highlighting(mut self) -> Templates {
        self.highlight = false;
        self
    }

    /// The same templates rendering every list in full (to compare with the spliced ones).
    #[cfg(test)]
    pub(crate) fn without_splicing(mut self) -> Templates {
        self.spliced.clear();
        self.builtin.clear();
        self
    }

    /// Whether the list template `name` ([`SPLICED`]) renders its loop from kept entries.
    pub(crate) fn splices(&self, name: &str) -> bool {
        self.spliced.contains(&name)
    }

    /// Whether the template `name` is the built-in one and no template reads the whole
    /// context: what it reads is known (the lists then leave out what it does not read).
    pub(crate) fn is_builtin(&self, name: &str) -> bool {
        self.builtin.contains(&name)
    }

    /// One page's entry in the loop of the spliced list template `name`, `p` its summary.
    pub(crate) fn render_entry(
        &self,
        name: &str,
        p: &serde_json::Value,
    ) -> Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        ctx.insert("p", p);
        self.render(&spliced_names(name).1, &ctx)
    }

    /// The spliced list template `name` with `ctx`, whose [`SPLICED_VAR`] holds the loop's
    /// output: the entries of its pages, joined.
    pub(crate) fn render_spliced(
        &self,
        name: &str,
        ctx: &tera::Context,
    ) -> Result<String, Diagnostic> {
        self.render(&spliced_names(name).0, ctx)
    }

    /// Renders the template `name` with `ctx`; an error is placed at the template's line.
    pub(crate) fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_error(&e, &self.sources))
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped_html(&mut out, text);
    out
}

/// Appends `text` to `out` with `& < > " '` escaped, as syntect's HTML does (code
/// blocks are written straight into the page's buffer).
pub fn push_escaped_html(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let esc = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(esc);
        last = i + 1;
    }
    out.push_str(&text[last..]);
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
    let named = sources
        .iter()
        .find(|(n, _)| msg.contains(&format!("'{n}'")));
    let mut file = named.map_or_else(
        || "templates".to_string(),
        |(n, _)| format!("templates/{n}"),
    );
    let mut place = tera_position(&msg);
    if place.is_none() {
        // Render errors carry no position: find what they quote (`page.titel`) in the
        // named template, else in another one (a block of a parent or an include).
        if let Some((n, line, col)) = quoted_place(&msg, named, sources) {
            file = format!("templates/{n}");
            place = Some((line, col));
        }
    }
    let (line, col) = place.unwrap_or((1, 1));
    Diagnostic::error(
        "template",
        Span::new(file, line, col),
        msg.replace('\n', " "),
    )
}

/// Where the first thing a Tera message quotes in backticks (a variable, a filter, a
/// test) stands inside `{{ }}` or `{% %}` of a template: the named one first, then the others.
fn quoted_place<'a>(
    msg: &str,
    named: Option<&'a (String, String)>,
    sources: &'a [(String, String)],
) -> Option<(&'a str, usize, usize)> {
    let quoted = msg.split('`').nth(1).filter(|q| !q.is_empty())?;
    let order = named
        .into_iter()
        .chain(sources.iter().filter(|s| Some(*s) != named));
    for (name, text) in order {
        let mut from = 0;
        while let Some(i) = text[from..].find(quoted) {
            let at = from + i;
            from = at + quoted.len();
            let before = &text[..at];
            let open = before.rfind("{{").max(before.rfind("{%"));
            let close = before.rfind("}}").max(before.rfind("%}"));
            let in_tag = match (open, close) {
                (Some(o), Some(c)) => o > c,
                (Some(_), None) => true,
                _ => false,
            };
            let word_end = !text[from..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
            if in_tag && word_end {
                let (line, col) = crate::diagnostics::line_col(text, at);
                return Some((name.as_str(), line, col));
            }
        }
    }
    None
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
    /// The social card's absolute URL (article pages only).
    card: Option<String>,
    /// The card's alt text.
    card_alt: String,
}

/// The context every template gets: the site's settings, the page's path and description.
pub(crate) fn base_ctx(site: &Site, path: &str, description: &str) -> tera::Context {
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
    if let Some((name, mime)) = site.favicon {
        ctx.insert(
            "favicon",
            &serde_json::json!({"url": format!("{}/{name}", site.base_path()), "type": mime}),
        );
    }
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
        card: None,
        card_alt: String::new(),
    }
}

/// A page's summary as the list templates see it (`pages[i]`, `tag.pages[i]`).
pub(crate) fn summary_value(site: &Site, p: &Page) -> serde_json::Value {
    // Strings, numbers and lists of them: serialising cannot fail.
    serde_json::to_value(page_summary(site, p)).unwrap_or_default()
}

/// Every output file but the article pages: index, tags, 404, stylesheets, sitemap, feed,
/// robots.txt. They depend on the pages' front matter only, so `sitegen serve` re-renders
/// them alone when an article's front matter changed.
pub fn render_extras(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Diagnostics> {
    crate::render::lists::render_all(site, templates)
}

/// Renders one article page to `slug/index.html`.
pub fn render_page(site: &Site, templates: &Templates, p: &Page) -> Result<OutputFile, Diagnostic> {
    let f = &p.article.front;
    let mut ctx = base_ctx(site, &p.article.url_path, &f.description);
    let (content, source_keys) =
        render_body_with(site, p, templates.author_view, templates.highlight);
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
    page.card = Some(site.permalink(&format!("/{}", crate::render::cards::card_path(p))));
    page.card_alt = crate::render::cards::card_alt(site, p);
    ctx.insert("page", &page);
    if f.pdf {
        ctx.insert(
            "gate",
            &site.config.gate.as_ref().map(|g| gate_ctx(site, g)),
        );
    }
    // The error stays at the template's line; the page that met it is a note.
    let html = templates
        .render("article.html", &ctx)
        .map_err(|d| d.with_note(format!("while rendering {}", p.article.path)))?;
    Ok(OutputFile {
        path: format!("{}index.html", p.article.url_path.trim_start_matches('/')),
        bytes: html.into_bytes(),
    })
}

/// The `[gate]` settings for the templates, with the thank-you page's address.
pub(crate) fn gate_ctx(site: &Site, g: &crate::load::config::GateConfig) -> serde_json::Value {
    serde_json::json!({
        "action": g.action,
        "email_field": g.email_field,
        "button": g.button,
        "pitch": g.pitch,
        "privacy": g.privacy,
        "privacy_url": g.privacy_url,
        "honeypot": g.honeypot,
        "redirect_field": g.redirect_field,
        "thanks_url": site.permalink(THANKS_PATH),
    })
}

/// Where the thank-you page of the gate is published; the form service redirects to it.
pub const THANKS_PATH: &str = "/thanks/";

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

/// XML-escapes text for the sitemap and feed.
fn xml(s: &str) -> String {
    escape_html(s)
}

/// The sitemap: the index, every page with its last change, every tag page.
pub(crate) fn sitemap(site: &Site) -> String {
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

/// The Atom feed of every page.
pub(crate) fn atom(site: &Site) -> String {
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

/// What one page's body rendering carries along: the site, whether the author is reading
/// (`serve`), and a counter that keeps every tooltip's id unique on the page.
struct Body<'a> {
    site: &'a Site,
    author_view: bool,
    tips: usize,
}

impl Body<'_> {
    /// The next unique tooltip id of the page.
    fn next_tip(&mut self) -> String {
        self.tips += 1;
        format!("tip-{}", self.tips)
    }
}

/// Renders a page's Markdown to HTML; returns the HTML and the sources it cites, in order.
/// `author_view` adds dataset keys to the tooltips (the author's preview, `serve`).
pub fn render_body(site: &Site, p: &Page, author_view: bool) -> (String, Vec<String>) {
    render_body_with(site, p, author_view, true)
}

/// [`render_body`], with code blocks highlighted or only escaped.
fn render_body_with(
    site: &Site,
    p: &Page,
    author_view: bool,
    highlight: bool,
) -> (String, Vec<String>) {
    let mut body = Body {
        site,
        author_view,
        tips: 0,
    };
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
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("cite:") => {
                if let Some(c) = p.cites.get(&range.start) {
                    for s in &c.sources {
                        add_source(s, &mut sources);
                    }
                    out.push(ours(cite_html(&mut body, c), true));
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
                    let (html, srcs) = shortcode_html(&mut body, sc);
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
                let html = if highlight {
                    code_block(&code, lang.as_deref())
                } else {
                    format!("<pre><code>{}</code></pre>", escape_html(&code))
                };
                out.push(ours(html, false));
                i = end;
            }
            // A task-list box is named, so screen readers say what it marks.
            Event::TaskListMarker(done) => out.push(Event::InlineHtml(CowStr::from(format!(
                "<input type=\"checkbox\" disabled{} aria-label=\"{}\"> ",
                if *done { " checked" } else { "" },
                if *done { "Done" } else { "To do" }
            )))),
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

/// A cited figure as readers meet it: the text links to the source, and a tooltip beside
/// the link (not inside it, so the link's name is the figure alone) says who reported the
/// value, when, and under what conditions. `cite.js` lets Escape dismiss the tip, keeps it
/// open while hovered and opens it on a first tap; without script it shows on hover and focus.
fn cite_link(href: &str, text: &str, tip_id: &str, tip: &str) -> String {
    format!(
        "<span class=\"cite-wrap\"><a class=\"cite\" href=\"{}\" aria-describedby=\"{tip_id}\">{}</a><span class=\"cite-tip\" role=\"tooltip\" id=\"{tip_id}\">{tip}</span></span>",
        escape_html(href),
        escape_html(text),
    )
}

/// The tooltip lines of one figure: its source line (who, when), conditions and note; the
/// dataset key only in the author's view.
fn figure_tip_lines(ds: &Dataset, key: &str, author_view: bool) -> String {
    let Some(f) = ds.figures.get(key) else {
        return String::new();
    };
    let line = crate::shapes::evidence::source_line(ds, f);
    let mut h = format!(
        "<span class=\"tip-line\">{}</span>",
        escape_html(&line.attribution())
    );
    if let Some(c) = line.conditions_text() {
        h.push_str(&format!(
            "<span class=\"tip-line\">Conditions: {}</span>",
            escape_html(&c)
        ));
    }
    if let Some(n) = &line.note {
        h.push_str(&format!(
            "<span class=\"tip-line tip-note\">{}</span>",
            escape_html(n)
        ));
    }
    if author_view {
        h.push_str(&format!(
            "<span class=\"tip-line\"><code class=\"tip-key\">{}</code></span>",
            escape_html(key)
        ));
    }
    h
}

/// A citation in the text: the figure, linked to its source, with its evidence as a tooltip.
fn cite_html(body: &mut Body, c: &ResolvedCite) -> String {
    let ds = &body.site.dataset;
    let href = c
        .sources
        .first()
        .and_then(|s| ds.source_url(s))
        .unwrap_or_else(|| "#sources-title".to_string());
    let mut tip = String::new();
    if c.terms.len() == 1 {
        tip.push_str(&format!(
            "<span class=\"tip-value\">{}</span>",
            escape_html(&c.terms[0].1)
        ));
        tip.push_str(&figure_tip_lines(ds, &c.terms[0].0, body.author_view));
    } else {
        tip.push_str(&format!(
            "<span class=\"tip-value\">{}, worked out from:</span>",
            escape_html(&c.value)
        ));
        for (key, value) in &c.terms {
            tip.push_str(&format!(
                "<span class=\"tip-term\"><span class=\"tip-value\">{}</span>{}</span>",
                escape_html(value),
                figure_tip_lines(ds, key, body.author_view)
            ));
        }
        if body.author_view {
            tip.push_str(&format!(
                "<span class=\"tip-line\"><code class=\"tip-key\">{}</code></span>",
                escape_html(c.expr.trim())
            ));
        }
    }
    let id = body.next_tip();
    cite_link(&href, &c.display, &id, &tip)
}

/// A shortcode's HTML and the sources it cites.
fn shortcode_html(body: &mut Body, sc: &Shortcode) -> (String, Vec<String>) {
    let site = body.site;
    let ds = &site.dataset;
    match sc {
        Shortcode::Table(id) => match ds.tables.get(id) {
            Some(def) => {
                let model = tables::build(ds, def);
                (table_html(body, &model), model.source_keys())
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
            let id = escape_html(id);
            (
                format!(
                    "<figure class=\"flowchart flowchart-{kind}\" id=\"flowchart-{id}\" aria-labelledby=\"flowchart-{id}-caption\">\n\
                     <div class=\"flowchart-drawing\" role=\"region\" tabindex=\"0\" aria-label=\"Drawing of the decision tree (the same tree follows as a list)\"><pre aria-hidden=\"true\">{}</pre></div>\n\
                     <div class=\"tree-list\">{}</div>\n\
                     <figcaption id=\"flowchart-{id}-caption\">Decision tree: {}</figcaption>\n</figure>\n",
                    escape_html(&drawing.text),
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
                // "Reported by sovgrid.org in <title>": who reported the fix, and where.
                let src_link = match ds.source(&r.source).and_then(|s| s.publisher.as_deref()) {
                    Some(p) => format!("{} in {src_link}", escape_html(p)),
                    None => src_link,
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
                    format!(" <span class=\"stale-mark\">⚠ stale: reported over {} days ago; check it again</span>", site.config.receipts.max_age_days)
                } else {
                    String::new()
                };
                (
                    format!(
                        "<aside class=\"receipt{}\" id=\"receipt-{}\" aria-label=\"Receipt: {}\">\n<p class=\"receipt-title\"><strong>Receipt:</strong> {}</p>\n<dl><dt>Symptom</dt><dd>{}</dd><dt>Fix</dt><dd>{}</dd>{}</dl>\n<p class=\"reported\">Reported by {}, <time datetime=\"{}\">{}</time>{}</p>\n</aside>\n",
                        if *stale { " stale" } else { "" },
                        escape_html(id),
                        escape_html(&r.title),
                        escape_html(&r.title),
                        escape_html(&r.symptom),
                        escape_html(&r.fix),
                        command,
                        src_link,
                        r.reported,
                        r.reported.human(),
                        stale_mark
                    ),
                    vec![r.source.clone()],
                )
            }
            None => (String::new(), Vec::new()),
        },
        Shortcode::Disputes => disputes_html(ds, body.author_view),
        Shortcode::Chart(chart) => (chart_html(body.site, chart), chart.sources.clone()),
    }
}

/// A link to a source by its reference: its title, linked when it has a URL.
fn source_link_html(ds: &Dataset, s: &str) -> String {
    match ds.source_url(s) {
        Some(u) => format!(
            "<a href=\"{}\">{}</a>",
            escape_html(&u),
            escape_html(&ds.source_title(s))
        ),
        None => escape_html(s),
    }
}

/// A reading as a table cell linked to its source, with its flag and best marks.
fn reading_cell(r: &charts::Reading, best: bool) -> String {
    let mut marks = String::new();
    if let Some(f) = r.flag {
        let (sym, word) = charts::flag_mark(f);
        marks.push_str(&format!(" <span class=\"mark flag-{}\" title=\"{word}\"><span aria-hidden=\"true\">{sym}</span><span class=\"visually-hidden\"> ({word})</span></span>", f.as_str()));
    }
    if best {
        marks.push_str(" <span class=\"mark\" title=\"best in its group\"><span aria-hidden=\"true\">▲</span><span class=\"visually-hidden\"> (best in its group)</span></span>");
    }
    let value = match &r.url {
        Some(u) => format!(
            "<a class=\"cite\" href=\"{}\" title=\"{}\">{}</a>",
            escape_html(u),
            escape_html(&r.tooltip),
            escape_html(&r.text)
        ),
        None => escape_html(&r.text),
    };
    format!("<td class=\"num\">{value}{marks}</td>")
}

/// A chart: its SVG inline, its notes, its figures as a table (for screen readers and
/// for readers who want the numbers), and a sources line.
fn chart_html(site: &Site, c: &charts::Chart) -> String {
    let ds = &site.dataset;
    let id = escape_html(&c.id);
    let mut h = format!(
        "<figure class=\"chart\" id=\"chart-{id}\">\n<figcaption class=\"chart-title\">{}</figcaption>\n<div class=\"chart-scroll\">{}</div>\n",
        escape_html(&c.title),
        charts::svg::render(c)
    );
    let mut notes = Vec::new();
    if !c.conditions.is_empty() {
        notes.push(format!(
            "All figures: {}.",
            escape_html(&c.conditions_text())
        ));
    }
    if let Some(n) = &c.note {
        notes.push(escape_html(n));
    }
    let legend = c.legend();
    if !legend.is_empty() {
        notes.push(format!("{}.", legend.join(" · ")));
    }
    if !notes.is_empty() {
        h.push_str(&format!(
            "<p class=\"chart-notes\">{}</p>\n",
            notes.join(" ")
        ));
    }
    h.push_str("<details class=\"chart-data\"><summary>The figures as a table</summary>\n<div class=\"table-wrap\"><table>\n");
    let conditions = |r: &charts::Reading| escape_html(&charts::join_conditions(&r.conditions));
    match &c.body {
        charts::Body::Bars { axis, groups, .. } => {
            h.push_str(&format!(
                "<thead><tr><th scope=\"col\"></th><th scope=\"col\">{}</th><th scope=\"col\">Conditions</th></tr></thead><tbody>\n",
                escape_html(&axis.title())
            ));
            for g in groups {
                if let Some(l) = &g.label {
                    h.push_str(&format!(
                        "<tr class=\"chart-data-group\"><th scope=\"colgroup\" colspan=\"3\">{}</th></tr>\n",
                        escape_html(l)
                    ));
                }
                for b in &g.bars {
                    let (cell, cond) = match &b.reading {
                        Some(r) => (reading_cell(r, b.best), conditions(r)),
                        None => (
                            "<td class=\"num\">no figure</td>".to_string(),
                            String::new(),
                        ),
                    };
                    h.push_str(&format!(
                        "<tr><th scope=\"row\">{}</th>{cell}<td>{cond}</td></tr>\n",
                        escape_html(&b.label)
                    ));
                }
            }
        }
        charts::Body::Scatter { x, y, points } => {
            h.push_str(&format!(
                "<thead><tr><th scope=\"col\"></th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">Conditions</th></tr></thead><tbody>\n",
                escape_html(&x.title()),
                escape_html(&y.title())
            ));
            for p in points {
                let mut cond = charts::join_conditions(&p.x.conditions);
                let more = charts::join_conditions(&p.y.conditions);
                if !more.is_empty() && more != cond {
                    if !cond.is_empty() {
                        cond.push_str("; ");
                    }
                    cond.push_str(&more);
                }
                h.push_str(&format!(
                    "<tr><th scope=\"row\">{}</th>{}{}<td>{}</td></tr>\n",
                    escape_html(&p.label),
                    reading_cell(&p.x, false),
                    reading_cell(&p.y, false),
                    escape_html(&cond)
                ));
            }
        }
    }
    h.push_str("</tbody></table></div></details>\n");
    if !c.sources.is_empty() {
        let names: Vec<String> = c.sources.iter().map(|s| source_link_html(ds, s)).collect();
        h.push_str(&format!(
            "<p class=\"table-sources\">Sources: {}.</p>\n",
            names.join("; ")
        ));
    }
    h.push_str("</figure>\n");
    h
}

/// A data table: captioned, its header cells never empty, each figure a citation with its
/// evidence as a tooltip (reachable by keyboard and touch like those in the text).
fn table_html(body: &mut Body, m: &tables::TableModel) -> String {
    let ds = &body.site.dataset;
    // The row-label column of a table of named things has no label of its own: say so to
    // screen readers rather than leave an empty header cell.
    let row_header = if m.row_header.trim().is_empty() {
        "<span class=\"visually-hidden\">Name</span>".to_string()
    } else {
        escape_html(&m.row_header)
    };
    let mut h = format!(
        "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"table-{id}-caption\" tabindex=\"0\">\n<table class=\"data-table\" id=\"table-{id}\">\n<caption id=\"table-{id}-caption\">{}</caption>\n<thead><tr><th scope=\"col\">{row_header}</th>",
        escape_html(&m.caption),
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
                marks.push_str(&mark_html("▲", "best in column"));
            }
            if let Some(f) = c.flag {
                classes.push(format!("flag-{}", f.as_str()));
                let (sym, word) = match f {
                    crate::load::dataset::Flag::Best => ("★", "best"),
                    crate::load::dataset::Flag::Warn => ("⚠", "warning"),
                    crate::load::dataset::Flag::Fatal => ("✖", "deal-breaker"),
                };
                marks.push_str(&mark_html(sym, word));
            }
            let url = c.source.as_deref().and_then(|s| ds.source_url(s));
            let inner = match (url, c.key.as_deref()) {
                (Some(u), Some(key)) => {
                    let tip = format!(
                        "<span class=\"tip-value\">{}</span>{}",
                        escape_html(&c.text),
                        figure_tip_lines(ds, key, body.author_view)
                    );
                    let id = body.next_tip();
                    cite_link(&u, &c.text, &id, &tip)
                }
                _ => escape_html(&c.text),
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
            .map(|c| match &c.url {
                Some(u) => format!(
                    "<a href=\"{}\">{}</a>",
                    escape_html(u),
                    escape_html(&c.text)
                ),
                None => escape_html(&c.text),
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

/// A table mark (▲ best, ⚠ warning…): the symbol for the eye, its word for screen readers.
fn mark_html(symbol: &str, word: &str) -> String {
    format!(
        "<span class=\"mark\"><span aria-hidden=\"true\">{symbol}</span><span class=\"visually-hidden\"> ({word})</span></span>"
    )
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

/// The disputes list: one captioned table per group of figures that disagree; dataset keys
/// only in the author's view.
fn disputes_html(ds: &Dataset, author_view: bool) -> (String, Vec<String>) {
    let mut h = String::from("<section class=\"disputes\">\n");
    let mut sources = Vec::new();
    let groups = tables::disputes(ds);
    if groups.is_empty() {
        h.push_str("<p>No figure in the dataset is disputed.</p>\n");
    }
    for (n, g) in groups.iter().enumerate() {
        let n = n + 1;
        let subject = g.figures.first().map(|f| f.label.as_str()).unwrap_or("");
        h.push_str(&format!(
            "<div class=\"dispute table-wrap\" role=\"region\" aria-labelledby=\"dispute-{n}-caption\" tabindex=\"0\"><table><caption id=\"dispute-{n}-caption\">Dispute {n}: {} ({} figures that disagree)</caption><thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">Value</th><th scope=\"col\">Source</th><th scope=\"col\">Conditions</th><th scope=\"col\">Why it differs</th></tr></thead><tbody>\n",
            escape_html(subject),
            g.figures.len()
        ));
        for f in &g.figures {
            if let Some(fig) = ds.figures.get(&f.key) {
                if let Some(s) = &fig.source {
                    if !sources.contains(s) {
                        sources.push(s.clone());
                    }
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
            let key = if author_view {
                format!("<br><code>{}</code>", escape_html(&f.key))
            } else {
                String::new()
            };
            h.push_str(&format!(
                "<tr><th scope=\"row\">{}{key}</th><td class=\"num\">{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>\n",
                escape_html(&f.label),
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
