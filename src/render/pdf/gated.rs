//! The gated PDF: each `pdf: true` article of the checked [`Site`] rendered to Typst
//! (citations as footnotes, shortcodes as Typst blocks), compiled in-process, and
//! written to `gated/`, never under `public/`.

use crate::check::site::{Page, Shortcode, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::load::dataset::Credit;
use crate::render::pdf::markup::unbreakable;
use crate::render::pdf::{self, escape_str, escape_text, DocMeta, Embeds, PdfDiagnostic};
use crate::shapes::{charts, evidence, tables};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

/// The Typst template of a site: `templates/pdf.typ`, else the built-in one.
pub fn template(root: &Path) -> Result<String, Diagnostic> {
    Ok(crate::load::templates::pdf_template(root)?
        .unwrap_or_else(|| pdf::DEFAULT_TEMPLATE.to_string()))
}

/// What one article's special constructs become in Typst, from the checked model.
struct PageEmbeds<'a> {
    site: &'a Site,
    page: &'a Page,
    /// Images read from `assets/`, by their virtual path.
    files: BTreeMap<String, Vec<u8>>,
    /// The text of each note written so far: a citation whose note says the same thing
    /// refers to that note's number instead of printing it again.
    notes: Vec<String>,
}

/// A link to a source: its title linked to its URL when it has one.
fn source_link(site: &Site, source: &str) -> String {
    let title = escape_text(&site.dataset.source_title(source));
    match site.dataset.source_url(source) {
        Some(url) => format!("#link(\"{}\")[{title}]", escape_str(&url)),
        None => title,
    }
}

/// A figure's attribution, linked to its source's URL when it has one.
fn credit_link(c: &Credit) -> String {
    let text = escape_text(&c.text);
    match &c.url {
        Some(url) => format!("#link(\"{}\")[{text}]", escape_str(url)),
        None => text,
    }
}

impl Embeds for PageEmbeds<'_> {
    fn citation(&mut self, _dest: &str, range: Range<usize>) -> Option<String> {
        let c = self.page.cites.get(&range.start)?;
        let note = if c.terms.len() == 1 {
            format!(
                "{}{}",
                figure_note(self.site, &c.terms[0].0),
                escape_text(".")
            )
        } else {
            let parts: Vec<String> = c
                .terms
                .iter()
                .map(|(key, value)| {
                    let who = figure_note(self.site, key);
                    format!(
                        "{} {}{who}{}",
                        unbreakable(value),
                        escape_text("("),
                        escape_text(")")
                    )
                })
                .collect();
            format!(
                "{} {}{}",
                escape_text("Worked out from"),
                parts.join(&escape_text("; ")),
                escape_text(".")
            )
        };
        let display = unbreakable(&c.display);
        match self.notes.iter().position(|n| *n == note) {
            Some(i) => Some(format!("{display}#footnote(<note-{}>)", i + 1)),
            None => {
                self.notes.push(note.clone());
                Some(format!(
                    "{display}#footnote[{note}]<note-{}>",
                    self.notes.len()
                ))
            }
        }
    }

    fn link_url(&mut self, _dest: &str, range: Range<usize>) -> Option<String> {
        self.page
            .links
            .get(&range.start)
            .map(|href| self.site.permalink(href))
    }

    fn shortcode(&mut self, range: Range<usize>) -> Option<String> {
        let sc = self.page.shortcodes.get(&range.start)?;
        if let Shortcode::Chart(chart) = sc {
            // The page's SVG, handed to Typst as a virtual file.
            let path = format!("charts/{}.svg", chart.id);
            self.files
                .entry(path.clone())
                .or_insert_with(|| charts::svg::render(chart).into_bytes());
            return Some(chart_typst(self.site, chart, &path));
        }
        Some(shortcode_typst(self.site, sc))
    }

    fn is_figure(&self, range: Range<usize>) -> bool {
        matches!(
            self.page.shortcodes.get(&range.start),
            Some(
                Shortcode::Chart(_)
                    | Shortcode::Flowchart { .. }
                    | Shortcode::Table(_)
                    | Shortcode::Receipt { .. }
            )
        )
    }

    fn image(&mut self, dest: &str) -> Result<String, String> {
        let rel = dest.trim_start_matches('/');
        if rel.contains("..") || dest.contains("://") {
            return Err(format!("image `{dest}` must be a file of assets/"));
        }
        let virtual_path = format!("assets/{rel}");
        if !self.files.contains_key(&virtual_path) {
            let bytes = std::fs::read(self.site.root.join("assets").join(rel))
                .map_err(|e| format!("image `{dest}` is not in assets/ ({e})"))?;
            self.files.insert(virtual_path.clone(), bytes);
        }
        Ok(virtual_path)
    }
}

/// The note of one figure, as Typst markup: who reported it (linked to the source), when,
/// and under what conditions; worded by [`evidence::source_line`], never a dataset key.
fn figure_note(site: &Site, key: &str) -> String {
    let Some(f) = site.dataset.figures.get(key) else {
        return String::new();
    };
    let line = evidence::source_line(&site.dataset, f);
    let who = match &line.url {
        Some(url) => format!("#link(\"{}\")[{}]", escape_str(url), escape_text(&line.who)),
        None => escape_text(&line.who),
    };
    let mut note = who;
    if let Some(when) = &line.when {
        note.push_str(&escape_text(", "));
        note.push_str(&unbreakable(when));
    }
    if let Some(cond) = line.conditions_text() {
        note.push_str(&escape_text(&format!("; {cond}")));
    }
    note
}

/// Every source the page cites (in the text, tables, receipts, the disputes list), each
/// once, in the order a reader meets them.
fn page_sources(site: &Site, page: &Page) -> Vec<String> {
    let ds = &site.dataset;
    let mut places: Vec<(usize, Vec<String>)> = page
        .cites
        .iter()
        .map(|(at, c)| (*at, c.sources.clone()))
        .collect();
    for (at, sc) in &page.shortcodes {
        let sources = match sc {
            Shortcode::Table(id) => ds
                .tables
                .get(id)
                .map(|def| tables::build(ds, def).source_keys())
                .unwrap_or_default(),
            Shortcode::Receipt { id, .. } => ds
                .receipts
                .get(id)
                .map(|r| vec![r.source.clone()])
                .unwrap_or_default(),
            Shortcode::Disputes => tables::disputes(ds)
                .iter()
                .flat_map(|g| &g.figures)
                .filter_map(|f| ds.figures.get(&f.key).and_then(|fig| fig.source.clone()))
                .collect(),
            Shortcode::Chart(chart) => chart.sources.clone(),
            Shortcode::Flowchart { .. } => Vec::new(),
        };
        places.push((*at, sources));
    }
    places.sort_by_key(|(at, _)| *at);
    let mut out: Vec<String> = Vec::new();
    for s in places.into_iter().flat_map(|(_, s)| s) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The closing "Sources" section: each source once, with its publisher, title, date and
/// address printed in full (a printed page cannot be clicked).
fn sources_typst(site: &Site, sources: &[String]) -> String {
    if sources.is_empty() {
        return String::new();
    }
    let ds = &site.dataset;
    let mut out = String::from("\n\n= Sources\n\n#set par(justify: false)\n\n");
    for s in sources {
        let Some(known) = ds.source(s) else {
            // A bare URL is its own name.
            out.push_str(&format!(
                "+ #link(\"{}\")[{}]\n",
                escape_str(s),
                escape_text(s)
            ));
            continue;
        };
        let mut item = escape_text(&evidence::source_name(ds, s));
        if let Some(d) = known.date {
            item.push_str(&escape_text(", "));
            item.push_str(&unbreakable(&d.human()));
        }
        item.push_str(&escape_text("."));
        if let Some(url) = ds.source_url(s) {
            item.push_str(&format!(
                " #link(\"{}\")[#text(size: 0.85em)[{}]]",
                escape_str(&url),
                escape_text(&url)
            ));
        }
        out.push_str(&format!("+ {item}\n"));
    }
    out
}

/// A shortcode as Typst markup.
fn shortcode_typst(site: &Site, sc: &Shortcode) -> String {
    let ds = &site.dataset;
    match sc {
        Shortcode::Table(id) => match ds.tables.get(id) {
            Some(def) => table_typst(&tables::build(ds, def)),
            None => String::new(),
        },
        Shortcode::Flowchart { drawing, .. } => pdf::markup::flowchart(&drawing.chart),
        Shortcode::Receipt { id, stale } => match ds.receipts.get(id) {
            Some(r) => {
                let command = r
                    .command
                    .as_deref()
                    .map(|c| {
                        format!(
                            "#raw(\"{}\", lang: \"bash\", block: true);",
                            escape_str(c.trim_end())
                        )
                    })
                    .unwrap_or_default();
                let stale = if *stale {
                    " #strong[(stale: check it again)]"
                } else {
                    ""
                };
                format!(
                    "#block(width: 100%, breakable: false, inset: 8pt, fill: luma(245), stroke: (left: 3pt + rgb(\"#1d7a3a\")))[#strong[Receipt\\: {}] \\\n#strong[Symptom\\:] {} \\\n#strong[Fix\\:] {}\n{command}\n#text(size: 9pt)[Reported by {}, {}{stale}\\.]];\n\n",
                    escape_text(&r.title),
                    escape_text(&r.symptom),
                    escape_text(&r.fix),
                    match site.dataset.source(&r.source).and_then(|s| s.publisher.as_deref()) {
                        Some(p) => format!("{} in {}", escape_text(p), source_link(site, &r.source)),
                        None => source_link(site, &r.source),
                    },
                    escape_text(&r.reported.human())
                )
            }
            None => String::new(),
        },
        Shortcode::Disputes => disputes_typst(site),
        // Charts need a file: PageEmbeds::shortcode handles them.
        Shortcode::Chart(_) => String::new(),
    }
}

/// A chart as a Typst figure: the page's SVG at the text width, captioned with the
/// chart's title, then its conditions, note and sources in small type.
fn chart_typst(site: &Site, c: &charts::Chart, path: &str) -> String {
    let mut notes = Vec::new();
    if !c.conditions.is_empty() {
        notes.push(escape_text(&format!(
            "All figures: {}.",
            c.conditions_text()
        )));
    }
    if let Some(n) = &c.note {
        notes.push(escape_text(n));
    }
    let legend = c.legend();
    if !legend.is_empty() {
        notes.push(escape_text(&format!("{}.", legend.join(" · "))));
    }
    let sources: Vec<String> = c.sources.iter().map(|s| source_link(site, s)).collect();
    if !sources.is_empty() {
        notes.push(format!(
            "{}{}{}",
            escape_text("Sources: "),
            sources.join(&escape_text("; ")),
            escape_text(".")
        ));
    }
    format!(
        "#figure(image(\"{}\", width: 100%, alt: \"{}\"), caption: [{}]);\n#text(size: 8pt)[{}];\n\n",
        escape_str(path),
        escape_str(&charts::svg::description(c)),
        escape_text(&c.title),
        notes.join(" ")
    )
}

/// A data table as a Typst figure, with the best cells marked and a sources line.
fn table_typst(m: &tables::TableModel) -> String {
    let cols = m.headers.len() + 1;
    let align: Vec<&str> = std::iter::once("left")
        .chain(std::iter::repeat_n("right", m.headers.len()))
        .collect();
    let mut cells = vec![format!("[#strong[{}]]", escape_text(&m.row_header))];
    for h in &m.headers {
        let unit = h
            .unit
            .as_ref()
            .map(|u| format!(" ({})", escape_text(u)))
            .unwrap_or_default();
        cells.push(format!("[#strong[{}]{unit}]", escape_text(&h.label)));
    }
    let header = format!("table.header({})", cells.join(", "));
    let mut body = Vec::new();
    for (label, row) in &m.rows {
        body.push(format!("[{}]", escape_text(label)));
        for c in row {
            let mut t = unbreakable(&c.text);
            if c.best {
                t = format!("#strong[{t}] ▲");
            }
            if let Some(f) = c.flag {
                t.push_str(&format!(" #super[{}]", f.as_str()));
            }
            body.push(format!("[{t}]"));
        }
    }
    let sources: Vec<String> = m.sources.iter().map(credit_link).collect();
    format!(
        "#{{ set par(justify: false); figure(kind: table, caption: [{}], table(columns: {cols}, align: ({}), stroke: (x, y) => if y <= 1 {{ (bottom: 0.6pt) }} else {{ (bottom: 0.3pt + luma(200)) }}, {header}, {})) }}\n#text(size: 8pt)[▲ best in column\\. Sources\\: {}\\.];\n\n",
        escape_text(&m.caption),
        align.join(", "),
        body.join(", "),
        sources.join(&escape_text("; "))
    )
}

/// The disputes list: one table per group of figures that disagree.
fn disputes_typst(site: &Site) -> String {
    let groups = tables::disputes(&site.dataset);
    if groups.is_empty() {
        return "No figure in the dataset is disputed.\n\n".into();
    }
    let mut out = String::new();
    for g in groups {
        let mut cells = vec![
            "table.header([*Figure*], [*Value*], [*Source*], [*Conditions and note*])".to_string(),
        ];
        for f in &g.figures {
            let source = match &f.url {
                Some(u) => format!("#link(\"{}\")[{}]", escape_str(u), escape_text(&f.source)),
                None => escape_text(&f.source),
            };
            let as_of = f
                .as_of
                .as_ref()
                .map(|d| escape_text(&format!(", as of {d}")))
                .unwrap_or_default();
            cells.push(format!(
                "[{}], [{}], [{source}{as_of}], [{} {}]",
                escape_text(&f.label),
                escape_text(&f.value),
                escape_text(&f.conditions),
                escape_text(&f.note)
            ));
        }
        out.push_str(&format!(
            "#{{ set par(justify: false); block(breakable: false, table(columns: (1.3fr, auto, 1fr, 2fr), {})) }}\n\n",
            cells.join(", ")
        ));
    }
    out
}

/// One compiled PDF.
pub struct Compiled {
    /// The article's slug (the file is `SLUG.pdf`).
    pub slug: String,
    /// The PDF's bytes.
    pub bytes: Vec<u8>,
}

/// A Typst problem as a sitegen diagnostic, placed in the article or the template.
fn diagnostic(page: &Page, d: &PdfDiagnostic) -> Diagnostic {
    let a = &page.article;
    let (span, message) = match &d.md_range {
        Some(r) => (
            Span::at_offset(&a.path, &a.source, r.start),
            d.message.clone(),
        ),
        None => {
            template_place(&d.message).unwrap_or_else(|| (Span::file(&a.path), d.message.clone()))
        }
    };
    let mut diag = if d.is_error {
        Diagnostic::error("pdf", span, message)
    } else {
        Diagnostic::warning("pdf", span, message)
    };
    for h in &d.hints {
        diag = diag.with_note(h.clone());
    }
    diag
}

/// `templates/pdf.typ:LINE:COL: message` split into a span and the message.
fn template_place(message: &str) -> Option<(Span, String)> {
    let rest = message.strip_prefix("templates/pdf.typ:")?;
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let col = parts.next()?.parse().ok()?;
    Some((
        Span::new("templates/pdf.typ", line, col),
        parts.next()?.trim().to_string(),
    ))
}

/// One article rendered to Typst: the body markup, the document's metadata, its images.
struct Rendered {
    markup: pdf::Markup,
    meta: DocMeta,
    files: BTreeMap<String, Vec<u8>>,
}

fn render(site: &Site, page: &Page) -> Rendered {
    let mut embeds = PageEmbeds {
        site,
        page,
        files: BTreeMap::new(),
        notes: Vec::new(),
    };
    let events = crate::check::markdown::events(&page.article, &page.doc);
    let mut markup = pdf::markup::render(events, &mut embeds);
    markup
        .text
        .push_str(&sources_typst(site, &page_sources(site, page)));
    let f = &page.article.front;
    let date = f.updated.unwrap_or(f.date);
    let meta = DocMeta {
        title: f.title.clone(),
        description: (!f.description.is_empty()).then(|| f.description.clone()),
        author: site.config.author.clone(),
        date: (date.year, date.month, date.day),
        site_title: site.config.title.clone(),
    };
    Rendered {
        markup,
        meta,
        files: embeds.files,
    }
}

/// The Typst project of one article as files (`main.typ`, `template.typ`, `body.typ`,
/// images), for `sitegen pdf --emit-typst` and for comparing with `typst compile`.
pub fn typst_project(site: &Site, page: &Page, template: &str) -> Vec<(String, Vec<u8>)> {
    let r = render(site, page);
    let mut files = vec![
        (
            "main.typ".to_string(),
            pdf::main_source(&r.meta).into_bytes(),
        ),
        (
            pdf::world::TEMPLATE_PATH.to_string(),
            template.as_bytes().to_vec(),
        ),
        (
            pdf::world::BODY_PATH.to_string(),
            r.markup.text.into_bytes(),
        ),
    ];
    files.extend(r.files);
    files
}

/// Renders and compiles one article's PDF; Typst's warnings come back as diagnostics too.
pub fn compile_page(site: &Site, page: &Page, template: &str) -> (Option<Compiled>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let r = render(site, page);
    match pdf::compile(template, &r.meta, &r.markup, &r.files) {
        Ok((bytes, warnings)) => {
            diags.extend(warnings.iter().map(|w| diagnostic(page, w)));
            (
                Some(Compiled {
                    slug: page.article.slug.clone(),
                    bytes,
                }),
                diags,
            )
        }
        Err(errors) => {
            diags.extend(errors.iter().map(|e| diagnostic(page, e)));
            (None, diags)
        }
    }
}
