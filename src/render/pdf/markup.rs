//! Markdown events → Typst markup, with a source map back to the Markdown.
//!
//! Every construct is written in Typst's function-call form (`#strong[..];`,
//! `#list([..], [..]);`) rather than its markup shorthands, so that nothing
//! depends on line starts or indentation, and every piece of text goes
//! through [`escape_text`], so no author text can ever become Typst syntax.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Tag, TagEnd};

use crate::shapes::flowchart::Chart;

/// Escapes text so Typst prints it literally in markup mode.
///
/// Every ASCII character with a meaning in Typst markup (markup syntax,
/// shorthands such as `--` or `...`, smart quotes, comments, automatic
/// links, the `;` that ends an embedded expression) is backslash-escaped;
/// line breaks become spaces (so text can never start a line or a
/// paragraph) and other control characters are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for c in s.chars() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '@' | '<' | '>' | '[' | ']' | '=' | '+' | '-' | '~'
            | '/' | '`' | '\'' | '"' | '.' | ':' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                out.push(' ')
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A figure as Typst markup that never breaks across lines: a short text with a digit
/// (`273 GB/s`, `€629–689`) goes in a box, so the number stays with its unit and a range
/// stays whole, with no invisible characters in the PDF's text. Anything else (prose,
/// long text) is only escaped.
pub fn unbreakable(s: &str) -> String {
    if !s.chars().any(|c| c.is_ascii_digit()) || s.chars().count() > 32 {
        return escape_text(s);
    }
    format!("#box[{}];", escape_text(s))
}

/// Escapes a string for a Typst string literal "…".
pub fn escape_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Typst markup drawing a flowchart with strokes: its boxes as rectangles, its
/// connectors, buses and outline guides as lines, its text set in DejaVu Sans Mono at
/// the cells the text drawing puts it in.
///
/// A cell is as wide as one column of DejaVu Sans Mono at the size where 100 columns
/// (or the chart's width, if wider) fill the text width, and twice as high. The chart
/// is cut into bands between the rows no box spans, so it breaks across pages where
/// the text drawing would, never through a box; a line crossing a cut is drawn in
/// each band with square caps, which overlap, so no seam shows at any resolution.
pub fn flowchart(chart: &Chart) -> String {
    if chart.rows == 0 || chart.columns == 0 {
        return String::new();
    }
    let mut out = format!(
        "#block(width: 100%, above: 1em, below: 1em)[#layout(size => {{\n\
         let cw = size.width / {}\n\
         let ch = 2 * cw\n\
         let st = (paint: black, thickness: 0.12 * cw, cap: \"square\", join: \"miter\")\n\
         set text(font: \"DejaVu Sans Mono\", size: cw / 0.602, top-edge: \"ascender\", \
         bottom-edge: \"descender\", hyphenate: false, ligatures: false, fallback: true)\n\
         set par(leading: 0pt, spacing: 0pt, justify: false, first-line-indent: 0pt)\n\
         let at(x, y, body) = place(top + left, dx: x * cw, dy: y * ch, body)\n\
         let words(x, y, body) = place(top + left, dx: x * cw, dy: y * ch + (ch - 1.164em) / 2, body)\n",
        // 1233/2048 = 0.602 em per column; half a column of slack for rounding.
        chart.columns.max(100) as f64 + 0.5
    );
    let half = |n: usize| n as f64 / 2.0;
    // Whole on one page when it fits one; else cut between rows, as text would be.
    out.push_str(&format!(
        "block(width: 100%, above: 0pt, below: 0pt, breakable: {} * ch > size.height, {{\n",
        chart.rows
    ));
    for (r0, r1) in bands(chart) {
        out.push_str(&format!(
            "block(width: 100%, height: {} * ch, above: 0pt, below: 0pt, breakable: false, {{\n",
            r1 - r0
        ));
        for b in chart.boxes.iter().filter(|b| (r0..r1).contains(&b.top)) {
            out.push_str(&format!(
                "at({}, {}, rect(width: {} * cw, height: {} * ch, stroke: st{}))\n",
                b.left as f64 + 0.5,
                (b.top - r0) as f64 + 0.5,
                b.right - b.left,
                b.bottom - b.top,
                if b.rounded { ", radius: cw" } else { "" }
            ));
        }
        let (top, bottom) = (2 * r0, 2 * r1);
        for s in &chart.lines {
            // Clip to the band; a horizontal line lies in one row's middle.
            let (y0, y1) = (s.from.0.max(top), s.to.0.min(bottom));
            let horizontal = s.from.0 == s.to.0;
            if !(top..bottom).contains(&y0) || (!horizontal && y1 <= y0) {
                continue;
            }
            // A connector ending on a label stops short of it, so it never touches the letters.
            let (mut start, mut end) = (half(y0 - top), half(y1 - top));
            if !horizontal {
                let col = s.from.1 / 2;
                if s.from.0 == y0 && y0 % 2 == 0 && y0 > 0 && text_at(chart, y0 / 2 - 1, col) {
                    start += LABEL_GAP;
                }
                if s.to.0 == y1 && y1 % 2 == 0 && text_at(chart, y1 / 2, col) {
                    end -= LABEL_GAP;
                }
            }
            out.push_str(&format!(
                "at({}, {start}, line(end: ({} * cw, {} * ch), stroke: st))\n",
                half(s.from.1),
                half(s.to.1 - s.from.1),
                end - start
            ));
        }
        for t in chart.texts.iter().filter(|t| (r0..r1).contains(&t.row)) {
            out.push_str(&format!(
                "words({}, {}, [{}])\n",
                t.col,
                t.row - r0,
                escape_text(&t.text)
            ));
        }
        out.push_str("})\n");
    }
    out.push_str("})\n");
    out.push_str("})];\n\n");
    out
}

/// How far, in rows, a connector stops short of a label above or below it.
const LABEL_GAP: f64 = 0.15;

/// Whether a text of the chart covers cell (row, col).
fn text_at(chart: &Chart, row: usize, col: usize) -> bool {
    (chart.texts.iter()).any(|t| t.row == row && (t.col..t.col + t.columns).contains(&col))
}

/// The chart's rows cut into bands `[start, end)` at every row boundary no box spans.
fn bands(chart: &Chart) -> Vec<(usize, usize)> {
    let inside = |cut: usize| (chart.boxes.iter()).any(|b| b.top < cut && cut <= b.bottom);
    let mut out = Vec::new();
    let mut start = 0;
    for cut in 1..=chart.rows {
        if cut == chart.rows || !inside(cut) {
            out.push((start, cut));
            start = cut;
        }
    }
    out
}

/// What the article's special constructs become in Typst; implemented by the caller (citations, shortcodes, images).
pub trait Embeds {
    /// Typst markup replacing the link at `range` (Markdown byte range) when it is a citation (`cite:` destination), e.g. the figure text plus `#footnote[...]`; None renders it as an ordinary link.
    fn citation(&mut self, dest: &str, range: Range<usize>) -> Option<String>;
    /// Typst markup replacing the paragraph at `range` when that paragraph is a shortcode line; None renders the paragraph normally.
    fn shortcode(&mut self, range: Range<usize>) -> Option<String>;
    /// Whether the paragraph at `range` is a shortcode drawn as a figure (a chart, a
    /// flowchart, a table, a receipt), so a short lead-in before it stays on its page.
    fn is_figure(&self, _range: Range<usize>) -> bool {
        false
    }
    /// The virtual path (registered with the world's files) for an image destination, or an error message when it cannot be found.
    fn image(&mut self, dest: &str) -> Result<String, String>;
    /// The absolute URL of a relative link at `range` (another article of the site, at its
    /// published address); None prints the link's text alone.
    fn link_url(&mut self, _dest: &str, _range: Range<usize>) -> Option<String> {
        None
    }
}

/// Generated Typst markup plus the map from its byte ranges back to Markdown byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Markup {
    /// The Typst markup (the virtual file `body.typ`).
    pub text: String,
    /// Ranges of `text` → byte ranges of the Markdown source, in `text` order.
    pub map: Vec<(Range<usize>, Range<usize>)>,
    /// Problems found while rendering (e.g. a missing image): Markdown range, message.
    pub errors: Vec<(Range<usize>, String)>,
    /// A paragraph is over [`MAX_PARAGRAPH_PIECES`]: Typst must not be run on it.
    pub refused: bool,
}

impl Markup {
    /// The Markdown byte range that produced the markup at byte `pos` of `text`.
    pub fn md_range(&self, pos: usize) -> Option<Range<usize>> {
        // Pieces are pushed in order, so their starts are sorted; take the
        // last piece starting at or before `pos` (the innermost construct).
        let idx = self.map.partition_point(|(t, _)| t.start <= pos);
        let (_, md) = self.map.get(idx.checked_sub(1)?)?;
        Some(md.clone())
    }
}

/// Renders one article's Markdown events (each with its source range, as from pulldown_cmark::Parser::into_offset_iter) to Typst.
pub fn render<'a>(
    events: impl IntoIterator<Item = (Event<'a>, Range<usize>)>,
    embeds: &mut dyn Embeds,
) -> Markup {
    let events: Vec<(Event<'a>, Range<usize>)> = events.into_iter().collect();
    let mut writer = Writer::new(&events, embeds);
    let mut i = 0;
    while i < events.len() {
        i = writer.node(i);
    }
    let mut markup = writer.markup;
    refuse_huge_paragraphs(&mut markup);
    markup
}

/// The most escaped characters and Typst calls one paragraph of the PDF may hold. Typst
/// lays a paragraph out in time that grows with the square of its pieces (finding each
/// glyph's source span is a linear search), so 100,000 `[a](` in one paragraph took
/// minutes; real paragraphs hold a few dozen.
pub const MAX_PARAGRAPH_PIECES: usize = 10_000;

/// Adds an error (and marks the markup refused) for every paragraph, that is every run of
/// markup between blank lines, with more than [`MAX_PARAGRAPH_PIECES`] escapes and calls.
fn refuse_huge_paragraphs(markup: &mut Markup) {
    let mut start = 0;
    let mut found = Vec::new();
    for chunk in markup.text.split("\n\n") {
        let pieces = chunk.bytes().filter(|b| matches!(b, b'\\' | b'#')).count();
        if pieces > MAX_PARAGRAPH_PIECES {
            let md = markup.md_range(start).unwrap_or(0..0);
            found.push((
                md.start..md.start,
                format!(
                    "this paragraph holds {pieces} escaped characters and Typst calls; the PDF allows at most {MAX_PARAGRAPH_PIECES} in one paragraph (Typst lays such a paragraph out in quadratic time): split it into paragraphs"
                ),
            ));
        }
        start += chunk.len() + 2;
    }
    markup.refused |= !found.is_empty();
    markup.errors.extend(found);
}

/// Where a footnote definition is and whether it has been printed yet.
#[derive(Clone, Copy)]
enum Note {
    /// Not referenced yet: the index of its `Start` event.
    Pending(usize),
    /// Being rendered now (a reference inside itself must not recurse).
    Rendering,
    /// Printed with the label `sitegen footnote N` (a space, so no heading
    /// slug can take it).
    Done(usize),
}

/// Where raw HTML scanning stands between two HTML events.
#[derive(Default)]
enum Html {
    /// In text between tags.
    #[default]
    Text,
    /// Inside `<…`, with the tag text so far.
    Tag(String),
    /// Inside `<!-- … -->`, with the number of `-` just seen.
    Comment(u8),
}

/// How deeply constructs may nest before only their text is kept.
const MAX_DEPTH: usize = 20;

/// The rendering state for one document.
struct Writer<'e, 'a> {
    events: &'e [(Event<'a>, Range<usize>)],
    /// For each `Start` event, the index of its matching `End`.
    ends: Vec<usize>,
    /// Footnote definitions by lower-cased label.
    notes: HashMap<String, Note>,
    /// The label of each heading, by the index of its `Start` event.
    heading_labels: HashMap<usize, String>,
    /// Every heading label, for resolving `#anchor` links.
    anchors: HashSet<String>,
    /// Levels to subtract so the article's top headings are level 1.
    level_shift: usize,
    /// The column count of the table being rendered (GFM tables never nest).
    columns: usize,
    /// Footnotes printed so far, numbering their labels.
    note_count: usize,
    /// How many constructs enclose the current event.
    depth: usize,
    /// Rendering the text of a construct nested too deeply.
    flat: bool,
    /// Inside `<script>` or `<style>`, whose text is code, not prose.
    html_skip: bool,
    embeds: &'e mut dyn Embeds,
    html: Html,
    markup: Markup,
}

impl<'e, 'a> Writer<'e, 'a> {
    fn new(events: &'e [(Event<'a>, Range<usize>)], embeds: &'e mut dyn Embeds) -> Self {
        let ends = match_ends(events);
        let mut writer = Writer {
            events,
            ends,
            notes: HashMap::new(),
            heading_labels: HashMap::new(),
            anchors: HashSet::new(),
            level_shift: 0,
            columns: 0,
            note_count: 0,
            depth: 0,
            flat: false,
            html_skip: false,
            embeds,
            html: Html::Text,
            markup: Markup::default(),
        };
        writer.scan();
        writer
    }

    /// Collects footnote definitions and heading labels up front, since
    /// references and `#anchor` links may come before what they point to.
    fn scan(&mut self) {
        let mut slugs = Slugs::default();
        let mut top_level = usize::MAX;
        for (i, (event, _)) in self.events.iter().enumerate() {
            match event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    self.notes
                        .entry(label.to_lowercase())
                        .or_insert(Note::Pending(i));
                }
                Event::Start(Tag::Heading { id, level, .. }) => {
                    top_level = top_level.min(*level as usize);
                    let label = match id {
                        Some(id) => slugs.claim(id.to_string()),
                        None => slugs.claim(github_slug(&self.plain_text(i))),
                    };
                    if let Some(label) = label {
                        self.anchors.insert(label.clone());
                        self.heading_labels.insert(i, label);
                    }
                }
                _ => {}
            }
        }
        self.level_shift = top_level.saturating_sub(1).min(5);
    }

    /// Appends generated markup that came from Markdown bytes `md`.
    fn emit(&mut self, s: &str, md: &Range<usize>) {
        if s.is_empty() {
            return;
        }
        let start = self.markup.text.len();
        self.markup.text.push_str(s);
        let end = self.markup.text.len();
        self.markup.map.push((start..end, md.clone()));
    }

    /// Index of the `End` matching the `Start` at `i` (or `i` itself).
    fn end_of(&self, i: usize) -> usize {
        self.ends.get(i).copied().unwrap_or(i)
    }

    /// Renders the events between the `Start` at `i` and its `End`.
    fn children(&mut self, i: usize) {
        let end = self.end_of(i);
        let mut j = i + 1;
        while j < end {
            j = self.node(j);
        }
    }

    /// Renders `open`, the children of `i`, then `close`.
    fn wrap(&mut self, i: usize, open: &str, close: &str) {
        let range = self.events[i].1.clone();
        self.emit(open, &range);
        self.children(i);
        self.emit(close, &range);
    }

    /// The text of the events inside the `Start` at `i`, without markup.
    fn plain_text(&self, i: usize) -> String {
        let end = self.end_of(i).min(self.events.len());
        let mut text = String::new();
        for (event, _) in self.events.get(i + 1..end).unwrap_or(&[]) {
            match event {
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
        }
        text
    }

    /// Renders the event at `i` (with its children) and returns the index
    /// of the next event to render.
    fn node(&mut self, i: usize) -> usize {
        let events = self.events;
        let range = events[i].1.clone();
        match &events[i].0 {
            Event::Start(tag) => return self.start(i, tag),
            Event::End(_) => {}
            Event::Text(t) => self.emit(&escape_text(t), &range),
            Event::Code(t) => self.emit(&format!("#raw(\"{}\");", escape_str(t)), &range),
            Event::InlineMath(t) => self.emit(&escape_text(&format!("${t}$")), &range),
            Event::DisplayMath(t) => self.emit(&escape_text(&format!("$${t}$$")), &range),
            Event::Html(t) | Event::InlineHtml(t) => self.html(t, &range),
            Event::FootnoteReference(label) => self.footnote(label, &range),
            Event::SoftBreak => self.emit("\n", &range),
            Event::HardBreak => self.emit("\\\n", &range),
            Event::Rule => self.emit("#line(length: 100%);\n\n", &range),
            Event::TaskListMarker(done) => self.emit(if *done { "☒ " } else { "☐ " }, &range),
        }
        i + 1
    }

    /// Renders a `Start` event and its children; returns the next index.
    ///
    /// Beyond [`MAX_DEPTH`] nested constructs only their text is kept
    /// (Typst stops at 72 nested layouts, and recursion here must stay
    /// shallow); list items and table parts go with their list or table.
    fn start(&mut self, i: usize, tag: &'e Tag<'a>) -> usize {
        let part = matches!(
            tag,
            Tag::Item | Tag::TableHead | Tag::TableRow | Tag::TableCell
        );
        if self.flat || (self.depth >= MAX_DEPTH && !part) {
            self.flatten(i, tag);
        } else {
            self.depth += 1;
            self.construct(i, tag);
            self.depth -= 1;
        }
        self.end_of(i) + 1
    }

    /// Renders only the text inside a construct, words kept apart; a loop
    /// rather than recursion, however deep the nesting goes.
    fn flatten(&mut self, i: usize, tag: &Tag) {
        if matches!(tag, Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_)) {
            return;
        }
        let events = self.events;
        let was_flat = std::mem::replace(&mut self.flat, true);
        let end = self.end_of(i).min(events.len());
        let mut j = i + 1;
        while j < end {
            let range = events[j].1.clone();
            match &events[j].0 {
                Event::Start(Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_)) => {
                    j = self.end_of(j);
                }
                // A block's text is kept apart from the text before it (a nested list
                // item right after its parent's text has no `End` in between).
                Event::Start(tag) if !is_inline(&tag.to_end()) => self.emit(" ", &range),
                Event::Start(_) => {}
                Event::End(tag) if is_inline(tag) => {}
                Event::End(_) => self.emit(" ", &range),
                _ => {
                    self.node(j);
                }
            }
            j += 1;
        }
        self.flat = was_flat;
        self.emit(" ", &events[i].1.clone());
    }

    /// Renders the construct a `Start` event opens, with its children.
    fn construct(&mut self, i: usize, tag: &'e Tag<'a>) {
        match tag {
            Tag::Paragraph => self.paragraph(i),
            Tag::Heading { level, .. } => self.heading(i, *level as usize),
            Tag::BlockQuote(_) => self.wrap(i, "#quote(block: true)[", "];\n\n"),
            Tag::CodeBlock(kind) => self.code_block(i, kind),
            Tag::HtmlBlock => self.wrap(i, "", "\n\n"),
            Tag::List(start) => self.list(i, *start),
            Tag::Item => self.wrap(i, "[", "],\n"),
            Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_) => {}
            Tag::DefinitionList => self.wrap(i, "", "\n\n"),
            Tag::DefinitionListTitle => self.wrap(i, "#strong[", "];\n\n"),
            Tag::DefinitionListDefinition => self.wrap(i, "#pad(left: 1.5em)[", "];\n\n"),
            Tag::Table(aligns) => self.table(i, aligns),
            Tag::TableHead => self.table_row(i, "table.header(", "),\n"),
            Tag::TableRow => self.table_row(i, "", "\n"),
            Tag::TableCell => self.wrap(i, "[", "], "),
            Tag::Emphasis => self.wrap(i, "#emph[", "];"),
            Tag::Strong => self.wrap(i, "#strong[", "];"),
            Tag::Strikethrough => self.wrap(i, "#strike[", "];"),
            Tag::Superscript => self.wrap(i, "#super[", "];"),
            Tag::Subscript => self.wrap(i, "#sub[", "];"),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self.link(i, *link_type, dest_url),
            Tag::Image {
                dest_url, title, ..
            } => self.image(i, dest_url, title, false),
        }
    }

    /// A paragraph: a shortcode's markup, a lone image as a figure, or text.
    fn paragraph(&mut self, i: usize) {
        let range = self.events[i].1.clone();
        if let Some(markup) = self.embeds.shortcode(range.clone()) {
            self.emit(&markup, &range);
            self.emit("\n\n", &range);
            return;
        }
        let events = self.events;
        let first = i + 1;
        let lone = self.end_of(first) + 1 == self.end_of(i);
        if let (
            true,
            Some((
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }),
                _,
            )),
        ) = (lone, events.get(first))
        {
            self.image(first, dest_url, title, true);
            self.emit("\n\n", &range);
            return;
        }
        if self.leads_into_figure(i) {
            // Sticky: the lead-in moves to the next page with the figure, and the
            // heading before it too (headings stick to what follows).
            self.wrap(
                i,
                "#context block(sticky: true, above: par.spacing, below: par.spacing)[",
                "];\n\n",
            );
            return;
        }
        self.wrap(i, "", "\n\n");
    }

    /// Whether the paragraph at `i` is a short lead-in ("Start at the top…") right
    /// before a figure: a chart kept whole must not leave it, and its heading, alone
    /// at the foot of the page before.
    fn leads_into_figure(&self, i: usize) -> bool {
        const LEAD_IN_MAX_BYTES: usize = 300;
        let range = &self.events[i].1;
        let next = self.end_of(i) + 1;
        range.len() <= LEAD_IN_MAX_BYTES
            && matches!(
                self.events.get(next),
                Some((Event::Start(Tag::Paragraph), r)) if self.embeds.is_figure(r.clone())
            )
    }

    /// A heading with its label, so `#anchor` links and the outline find it.
    ///
    /// Levels are shifted so the article's top level is 1: the article's
    /// title is on the cover, so its `##` sections are the PDF's chapters.
    fn heading(&mut self, i: usize, level: usize) {
        let range = self.events[i].1.clone();
        let level = level.saturating_sub(self.level_shift).max(1);
        self.emit(&format!("#heading(level: {level})["), &range);
        self.children(i);
        let close = match self.heading_labels.get(&i) {
            Some(label) => format!("]#label(\"{}\");\n\n", escape_str(label)),
            None => "];\n\n".to_string(),
        };
        self.emit(&close, &range);
    }

    /// A fenced or indented code block, highlighted by Typst's `raw`.
    fn code_block(&mut self, i: usize, kind: &CodeBlockKind) {
        let range = self.events[i].1.clone();
        let mut code = self.plain_text(i);
        if code.ends_with('\n') {
            code.pop();
        }
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info
                .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                .next()
                .unwrap_or("")
                .to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let lang = if lang.is_empty() {
            "none".to_string()
        } else {
            format!("\"{}\"", escape_str(&lang))
        };
        let markup = format!(
            "#raw(block: true, lang: {lang}, \"{}\");\n\n",
            escape_str(&code)
        );
        self.emit(&markup, &range);
    }

    /// A bullet list, or a numbered list keeping its start number.
    fn list(&mut self, i: usize, start: Option<u64>) {
        let open = match start {
            Some(n) => format!("#enum(start: {n},\n"),
            None => "#list(\n".to_string(),
        };
        self.wrap(i, &open, ");\n\n");
    }

    /// A GFM table: column alignments, a header row, body rows.
    fn table(&mut self, i: usize, aligns: &[Alignment]) {
        let columns = aligns.len().max(1);
        let align: String = aligns
            .iter()
            .map(|a| match a {
                Alignment::None => "auto, ",
                Alignment::Left => "left, ",
                Alignment::Center => "center, ",
                Alignment::Right => "right, ",
            })
            .collect();
        let align = if align.is_empty() { "auto, " } else { &align };
        self.columns = aligns.len();
        let open = format!("#table(columns: {columns}, align: ({align}),\n");
        self.wrap(i, &open, ");\n\n");
    }

    /// One table row, padded with empty cells to the table's column count.
    fn table_row(&mut self, i: usize, open: &str, close: &str) {
        let range = self.events[i].1.clone();
        self.emit(open, &range);
        self.children(i);
        let missing = self.columns.saturating_sub(self.direct_cells(i));
        self.emit(&"[], ".repeat(missing), &range);
        self.emit(close, &range);
    }

    /// The number of cells directly inside the row at `i`.
    fn direct_cells(&self, i: usize) -> usize {
        let (mut j, end, mut n) = (i + 1, self.end_of(i), 0);
        while j < end {
            if matches!(self.events[j].0, Event::Start(Tag::TableCell)) {
                n += 1;
            }
            j = if matches!(self.events[j].0, Event::Start(_)) {
                self.end_of(j) + 1
            } else {
                j + 1
            };
        }
        n
    }

    /// A link: a citation, an internal anchor, an external URL, another article at the
    /// absolute URL the caller gives, or (a relative link it does not know) just its text.
    fn link(&mut self, i: usize, link_type: LinkType, dest: &str) {
        let range = self.events[i].1.clone();
        if dest.starts_with("cite:") {
            if let Some(markup) = self.embeds.citation(dest, range.clone()) {
                self.emit(&markup, &range);
                return;
            }
        }
        let target = if let Some(anchor) = dest.strip_prefix('#') {
            self.anchors
                .contains(anchor)
                .then(|| format!("label(\"{}\")", escape_str(anchor)))
        } else if link_type == LinkType::Email && !dest.contains(':') {
            Some(format!("\"mailto:{}\"", escape_str(dest)))
        } else if has_scheme(dest) {
            Some(format!("\"{}\"", escape_str(dest)))
        } else {
            self.embeds
                .link_url(dest, range.clone())
                .map(|url| format!("\"{}\"", escape_str(&url)))
        };
        let empty = self.end_of(i) == i + 1;
        match target {
            Some(target) if empty => self.emit(&format!("#link({target});"), &range),
            Some(target) => self.wrap(i, &format!("#link({target})["), "];"),
            None => self.children(i),
        }
    }

    /// An image from the caller's files; a missing one is recorded as an
    /// error and replaced by its alt text, so the rest still compiles.
    fn image(&mut self, i: usize, dest: &str, title: &str, alone: bool) {
        let range = self.events[i].1.clone();
        let alt = self.plain_text(i);
        let path = match self.embeds.image(dest) {
            Ok(path) => path,
            Err(message) => {
                self.markup.errors.push((range.clone(), message));
                self.emit(&escape_text(&alt), &range);
                return;
            }
        };
        let image = format!(
            "image(\"{}\", alt: \"{}\")",
            escape_str(&path),
            escape_str(&alt)
        );
        let markup = match (alone, title.is_empty()) {
            (true, true) => format!("#figure({image});"),
            (true, false) => format!("#figure({image}, caption: [{}]);", escape_text(title)),
            (false, _) => format!("#box({image});"),
        };
        self.emit(&markup, &range);
    }

    /// A footnote reference: the definition's content the first time, the
    /// same note again (by label) afterwards.
    fn footnote(&mut self, label: &str, range: &Range<usize>) {
        let key = label.to_lowercase();
        match self.notes.get(&key).copied() {
            // A chain of notes inside notes nests like any other construct.
            Some(Note::Pending(_)) if self.depth >= MAX_DEPTH => {
                self.emit(&escape_text(&format!("[^{label}]")), range)
            }
            Some(Note::Pending(def)) => {
                self.note_count += 1;
                let n = self.note_count;
                self.notes.insert(key.clone(), Note::Rendering);
                self.emit("#footnote[", range);
                self.depth += 1;
                self.children(def);
                self.depth -= 1;
                self.emit(&format!("]#label(\"sitegen footnote {n}\");"), range);
                self.notes.insert(key, Note::Done(n));
            }
            Some(Note::Done(n)) => self.emit(
                &format!("#footnote(label(\"sitegen footnote {n}\"));"),
                range,
            ),
            Some(Note::Rendering) | None => self.emit(&escape_text(&format!("[^{label}]")), range),
        }
    }

    /// Raw HTML: its text and `<br>` line breaks, never its tags or comments.
    fn html(&mut self, html: &str, range: &Range<usize>) {
        let mut text = String::new();
        let mut chars = html.chars().peekable();
        while let Some(c) = chars.next() {
            match std::mem::take(&mut self.html) {
                Html::Text if c == '<' && chars.peek().is_some_and(|n| starts_tag(*n)) => {
                    self.html = Html::Tag(String::new());
                }
                Html::Text if self.html_skip => {}
                Html::Text => text.push(c),
                Html::Tag(tag) if c == '>' => match tag_name(&tag).as_str() {
                    "br" if !self.html_skip => {
                        text.push('\n');
                        self.flush_html(&mut text, range, true);
                    }
                    "script" | "style" => self.html_skip = !tag.starts_with('/'),
                    _ => {}
                },
                Html::Tag(mut tag) => {
                    tag.push(c);
                    self.html = if tag == "!--" {
                        Html::Comment(0)
                    } else {
                        Html::Tag(tag)
                    };
                }
                Html::Comment(dashes) => {
                    self.html = match c {
                        '>' if dashes >= 2 => Html::Text,
                        '-' => Html::Comment(dashes.saturating_add(1)),
                        _ => Html::Comment(0),
                    };
                }
            }
        }
        self.flush_html(&mut text, range, false);
    }

    /// Writes collected HTML text (entities decoded), then a line break if asked.
    fn flush_html(&mut self, text: &mut String, range: &Range<usize>, linebreak: bool) {
        let decoded = decode_entities(text.trim_end_matches('\n'));
        self.emit(&escape_text(&decoded), range);
        if linebreak {
            self.emit("\\\n", range);
        }
        text.clear();
    }
}

/// Whether a construct lives inside a line of text (no space around it
/// when only its text is kept).
fn is_inline(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// For each `Start` event, the index of its matching `End`; an unmatched
/// `Start` runs to the end of the stream.
fn match_ends(events: &[(Event, Range<usize>)]) -> Vec<usize> {
    let mut ends: Vec<usize> = (0..events.len()).collect();
    let mut stack = Vec::new();
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(_) => stack.push(i),
            Event::End(_) => {
                if let Some(start) = stack.pop() {
                    ends[start] = i;
                }
            }
            _ => {}
        }
    }
    for start in stack {
        ends[start] = events.len();
    }
    ends
}

/// Whether a link destination is absolute (`https:`, `mailto:`, …).
fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Whether the character after `<` makes it a tag rather than a less-than.
fn starts_tag(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?'
}

/// The lower-cased element name of a tag's text (`br/` → `br`).
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Decodes the HTML entities that commonly appear in raw HTML text.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| Some((entity(&rest[1..semi])?, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of one entity name (`amp`, `#39`, `#x2014`).
fn entity(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()?
    } else {
        return match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "mdash" => Some('—'),
            "ndash" => Some('–'),
            "hellip" => Some('…'),
            "copy" => Some('©'),
            _ => None,
        };
    };
    char::from_u32(code).filter(|c| *c != '\0')
}

/// GitHub's heading slug: lower-cased, spaces to `-`, punctuation dropped.
fn github_slug(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Heading labels handed out so far, for GitHub's `-1`, `-2` suffixes.
#[derive(Default)]
struct Slugs {
    seen: HashMap<String, usize>,
    used: HashSet<String>,
}

impl Slugs {
    /// A unique label for `slug`, or None when it is empty.
    fn claim(&mut self, slug: String) -> Option<String> {
        if slug.is_empty() {
            return None;
        }
        let count = self.seen.entry(slug.clone()).or_insert(0);
        let mut label = slug.clone();
        while self.used.contains(&label) {
            *count += 1;
            label = format!("{slug}-{count}");
        }
        self.used.insert(label.clone());
        Some(label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::decisions::{Answer, Decision};
    use crate::shapes::flowchart::{draw, Style};
    use pulldown_cmark::{Options, Parser};

    /// Embeds with no citations or shortcodes; images under `assets/` exist.
    struct Plain;

    impl Embeds for Plain {
        fn citation(&mut self, _dest: &str, _range: Range<usize>) -> Option<String> {
            None
        }
        fn shortcode(&mut self, _range: Range<usize>) -> Option<String> {
            None
        }
        fn image(&mut self, dest: &str) -> Result<String, String> {
            match dest.strip_prefix("assets/") {
                Some(_) => Ok(dest.to_string()),
                None => Err(format!("no image {dest}")),
            }
        }
    }

    /// Renders Markdown with sitegen's parser options.
    fn md(source: &str) -> Markup {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES;
        render(
            Parser::new_ext(source, options).into_offset_iter(),
            &mut Plain,
        )
    }

    #[test]
    fn escape_text_escapes_every_markup_character() {
        assert_eq!(
            escape_text("# $ * _ @ < > \\ [ ] = + - ~ / ` ' \" . : ;"),
            "\\# \\$ \\* \\_ \\@ \\< \\> \\\\ \\[ \\] \\= \\+ \\- \\~ \\/ \\` \\' \\\" \\. \\: \\;"
        );
        assert_eq!(escape_text("plain words, 42%!"), "plain words, 42%!");
        assert_eq!(escape_text("1. item"), "1\\. item");
        assert_eq!(escape_text("https://x.y"), "https\\:\\/\\/x\\.y");
    }

    #[test]
    fn escape_text_keeps_text_on_one_line() {
        assert_eq!(escape_text("a\nb\r\nc\td"), "a b  c d");
        assert_eq!(escape_text("a\u{0}b\u{7}c"), "abc");
        assert_eq!(escape_text("€ — é → ≈"), "€ — é → ≈");
    }

    #[test]
    fn escape_str_escapes_quotes_backslashes_and_controls() {
        assert_eq!(escape_str(r#"say "hi" \ bye"#), r#"say \"hi\" \\ bye"#);
        assert_eq!(escape_str("a\nb\tc\rd\u{1}"), "a\\nb\\tc\\rd\\u{1}");
        assert_eq!(escape_str("#$*_"), "#$*_");
    }

    #[test]
    fn constructs_use_function_calls() {
        let out = md("# T *e* **s** ~~x~~ `c`\n\n- a\n- b\n\n3. c\n\n> q\n\n---\n").text;
        for expected in [
            "#heading(level: 1)[T #emph[e]; #strong[s]; #strike[x]; #raw(\"c\");]#label(\"t-e-s-x-c\");",
            "#list(\n[a],\n[b],\n);",
            "#enum(start: 3,\n[c],\n);",
            "#quote(block: true)[q\n\n];",
            "#line(length: 100%);",
        ] {
            assert!(out.contains(expected), "{expected:?} not in {out}");
        }
    }

    #[test]
    fn the_top_heading_level_becomes_one() {
        let out = md("## Section\n\n### Sub\n\n#### Subsub\n").text;
        assert!(out.contains("#heading(level: 1)[Section]"), "{out}");
        assert!(out.contains("#heading(level: 2)[Sub]"), "{out}");
        assert!(out.contains("#heading(level: 3)[Subsub]"), "{out}");
    }

    #[test]
    fn tables_keep_alignment_and_header() {
        let out = md("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 |\n").text;
        assert!(
            out.contains("#table(columns: 3, align: (left, center, right, ),"),
            "{out}"
        );
        assert!(out.contains("table.header([a], [b], [c], ),"), "{out}");
        assert!(out.contains("[1], [2], [], "), "{out}");
    }

    #[test]
    fn code_blocks_carry_their_language() {
        let out = md("```rust {.x}\nfn main() {}\n```\n").text;
        assert!(
            out.contains("#raw(block: true, lang: \"rust\", \"fn main() {}\");"),
            "{out}"
        );
        let out = md("    indented \"x\"\n").text;
        assert!(
            out.contains("#raw(block: true, lang: none, \"indented \\\"x\\\"\");"),
            "{out}"
        );
    }

    #[test]
    fn footnotes_print_once_then_refer_back() {
        let out = md("a[^n] b[^n] c[^missing]\n\n[^n]: Note *text*.\n").text;
        assert_eq!(out.matches("Note #emph[text];").count(), 1, "{out}");
        assert!(
            out.contains("#footnote(label(\"sitegen footnote 1\"));"),
            "{out}"
        );
        assert!(out.contains("\\[^missing\\]"), "{out}");
    }

    #[test]
    fn a_footnote_referring_to_itself_does_not_recurse() {
        let out = md("a[^n]\n\n[^n]: loop[^n]\n").text;
        assert_eq!(out.matches("#footnote[").count(), 1, "{out}");
    }

    #[test]
    fn links_resolve_anchors_urls_and_drop_relative_targets() {
        let out = md("# Top Part\n\n[up](#top-part) [x](https://a.b/c) <me@x.org> [rel](other.md) [no](#nowhere) [](https://e.f)\n").text;
        assert!(out.contains("#link(label(\"top-part\"))[up];"), "{out}");
        assert!(out.contains("#link(\"https://a.b/c\")[x];"), "{out}");
        assert!(
            out.contains("#link(\"mailto:me@x.org\")[me\\@x\\.org];"),
            "{out}"
        );
        assert!(out.contains(" rel "), "{out}");
        assert!(out.contains(" no "), "{out}");
        assert!(out.contains("#link(\"https://e.f\");"), "{out}");
    }

    #[test]
    fn headings_get_github_slugs_deduplicated() {
        let out = md("## Test 1: Small MoE — Ministral-3 8B\n\n## A\n\n## A\n\n## B {#own}\n").text;
        assert!(
            out.contains("#label(\"test-1-small-moe--ministral-3-8b\")"),
            "{out}"
        );
        assert!(
            out.contains("#label(\"a\")") && out.contains("#label(\"a-1\")"),
            "{out}"
        );
        assert!(out.contains("#label(\"own\")"), "{out}");
    }

    #[test]
    fn images_become_figures_or_inline_boxes_and_missing_ones_errors() {
        let source =
            "![Alt](assets/a.png \"Cap\")\n\nx ![i](assets/b.png) y\n\n![gone](nope.png)\n";
        let out = md(source);
        assert!(
            out.text
                .contains("#figure(image(\"assets/a.png\", alt: \"Alt\"), caption: [Cap]);"),
            "{}",
            out.text
        );
        assert!(
            out.text
                .contains("#box(image(\"assets/b.png\", alt: \"i\"));"),
            "{}",
            out.text
        );
        let start = source.find("![gone]").unwrap();
        assert_eq!(
            out.errors,
            vec![(start..source.len() - 1, "no image nope.png".to_string())]
        );
        assert!(out.text.contains("gone"));
    }

    #[test]
    fn html_prints_text_not_tags_comments_or_scripts() {
        let out = md("<div>\nIn &amp; out<br/>next\n<!-- hidden -->\n<script>var x;</script>\n</div>\n\nA <b>bold</b> word.\n").text;
        assert!(out.contains("In & out\\\nnext"), "{out}");
        assert!(
            !out.contains("hidden") && !out.contains("var") && !out.contains("div"),
            "{out}"
        );
        assert!(out.contains("A bold word\\."), "{out}");
    }

    #[test]
    fn task_list_markers_are_boxes() {
        let out = md("- [ ] open\n- [x] done\n").text;
        assert!(
            out.contains("[☐ open]") && out.contains("[☒ done]"),
            "{out}"
        );
    }

    #[test]
    fn source_map_points_back_into_the_markdown() {
        let source = "Intro.\n\n## Head *x*\n\nBody text.\n";
        let out = md(source);
        let pos = out.text.find("Body").unwrap();
        let range = out.md_range(pos).unwrap();
        assert_eq!(&source[range], "Body text.");
        let pos = out.text.find("#emph").unwrap();
        assert_eq!(&source[out.md_range(pos).unwrap()], "*x*");
        assert_eq!(Markup::default().md_range(0), None);
    }

    #[test]
    fn deep_nesting_keeps_only_text_past_the_limit() {
        let source = format!("{}deep\n", "> ".repeat(200));
        let out = md(&source).text;
        assert_eq!(out.matches("#quote").count(), MAX_DEPTH, "{out}");
        assert!(out.contains("deep"));
        let source = format!("{}x\n", "- ".repeat(300));
        assert!(md(&source).text.contains('x'));
        // Far deeper than any recursion could survive on a test thread.
        let source = format!("{}bottom\n", "> ".repeat(50_000));
        assert!(md(&source).text.contains("bottom"));
        let source = format!("{}x{}", "*a ".repeat(20_000), " b*".repeat(20_000));
        assert!(md(&source).text.contains('x'));
        // Past the limit, nested items keep their words apart.
        let mut source = String::new();
        for depth in 0..30 {
            source.push_str(&format!("{}- item{depth}\n", "  ".repeat(depth)));
        }
        let out = md(&source).text;
        for depth in 0..30 {
            assert!(out.contains(&format!("item{depth}")), "{out}");
        }
        assert!(!out.contains("item20item21"), "{out}");
        assert!(
            out.contains("item28 item29") || out.contains("item28  item29"),
            "{out}"
        );
    }

    #[test]
    fn a_paragraph_of_too_many_pieces_is_refused_with_its_place() {
        let source = format!("Fine.\n\n{}\n", "[a](".repeat(100_000));
        let t = std::time::Instant::now();
        let out = md(&source);
        assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
        assert!(out.refused);
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert_eq!(out.errors[0].0.start, 7, "the paragraph's first byte");
        assert!(
            out.errors[0].1.contains("at most 10000"),
            "{}",
            out.errors[0].1
        );
        assert!(!md("Fine [a](.\n").refused);
    }

    #[test]
    fn figures_and_ranges_do_not_break() {
        assert_eq!(unbreakable("€629–689"), "#box[€629–689];");
        assert_eq!(unbreakable("273 GB/s"), "#box[273 GB\\/s];");
        assert_eq!(
            unbreakable("a long sentence without any figure"),
            escape_text("a long sentence without any figure")
        );
    }

    /// A two-answer tree drawn as sitegen draws it, within `width` columns.
    fn chart(style: Style, width: usize) -> crate::shapes::flowchart::Drawing {
        let outcome = |text: &str| Decision::Outcome(text.to_string());
        let answer = |label: &str, next| Answer {
            label: label.to_string(),
            next,
        };
        let tree = Decision::Question {
            text: "Running MoE ≥ 80B #models?".into(),
            answers: vec![
                answer("YES", outcome("Buy it")),
                answer("NO", outcome("Rent first")),
            ],
        };
        draw(&tree, style, width)
    }

    #[test]
    fn flowcharts_are_stroked_not_printed_in_box_drawing_glyphs() {
        for style in [Style::Boxes, Style::Tree] {
            let drawing = chart(style, 100);
            let out = flowchart(&drawing.chart);
            let glyphs = ['│', '─', '┌', '┐', '└', '┘', '├', '┬', '┴', '┼', '╭', '╯'];
            assert!(
                drawing.text.contains(glyphs) && !out.contains(glyphs),
                "a box-drawing glyph printed:\n{out}"
            );
            assert!(out.contains("line(end: ("), "{out}");
            assert!(out.contains("stroke: st"), "{out}");
            for text in [
                "Running MoE ≥ 80B \\#models?",
                "YES",
                "NO",
                "Buy it",
                "Rent first",
            ] {
                assert!(out.contains(text), "{text:?} in\n{out}");
            }
        }
        let boxes = flowchart(&chart(Style::Boxes, 100).chart);
        // One rectangle per box, the outcomes rounded.
        assert_eq!(boxes.matches("rect(").count(), 3, "{boxes}");
        assert_eq!(boxes.matches("radius: cw").count(), 2, "{boxes}");
        assert_eq!(flowchart(&Chart::default()), "");
    }

    #[test]
    fn a_flowchart_breaks_across_pages_only_between_boxes() {
        let drawing = chart(Style::Boxes, 100);
        let cuts = bands(&drawing.chart);
        assert_eq!(cuts.first().map(|b| b.0), Some(0));
        assert_eq!(cuts.last().map(|b| b.1), Some(drawing.chart.rows));
        for pair in cuts.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "bands are contiguous");
        }
        for b in &drawing.chart.boxes {
            assert!(
                cuts.iter().any(|&(a, z)| a <= b.top && b.bottom < z),
                "{b:?} cut by {cuts:?}"
            );
        }
        // The question box (3 rows) is one band; the rows below it are cut apart.
        assert!(cuts.contains(&(0, 3)), "{cuts:?}");
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a &amp; b &#35; &#x24; &bogus; &"),
            "a & b # $ &bogus; &"
        );
    }
}
