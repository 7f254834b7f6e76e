//! What the language server answers, read from the one checked [`Site`] the engine keeps:
//! completion of citation keys and shortcodes, hover, go-to-definition and references.
//! Places come from [`crate::check::places`], verdicts from the engine's diagnostics.

use super::text::{self, Encoding};
use super::yaml_keys;
use crate::check::markdown::Citation;
use crate::check::places;
use crate::check::site::{Page, Site};
use crate::diagnostics::{Diagnostic, Span};
use crate::figures::units::format_quantity;
use crate::load::dataset::{Dataset, Figure};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Location, MarkupContent,
    MarkupKind, Range, TextEdit, Uri,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

/// What a request is answered from.
pub struct Ctx<'a> {
    /// The checked site.
    pub site: &'a Site,
    /// The site root, for file URIs.
    pub root: &'a Path,
    /// How the client counts columns.
    pub enc: Encoding,
    /// The text of a site file (the editor's buffer when it is open, else the disk's).
    pub text_of: &'a dyn Fn(&str) -> Option<String>,
    /// Every problem the site has now.
    pub diags: &'a [Diagnostic],
}

/// The `file://` URI of a site-relative path.
pub fn uri_of(root: &Path, rel: &str) -> Option<Uri> {
    let url = url::Url::from_file_path(root.join(rel)).ok()?;
    Uri::from_str(url.as_str()).ok()
}

impl Ctx<'_> {
    /// The LSP location of a 1-based line and column in a site file, `len` characters long.
    fn location(&self, path: &str, line: usize, col: usize, len: usize) -> Option<Location> {
        let text = (self.text_of)(path).unwrap_or_default();
        let start = text::offset_of_line_col(&text, line, col);
        let end = text[start..]
            .char_indices()
            .nth(len)
            .map_or(text.len(), |(i, _)| start + i);
        Some(Location::new(
            uri_of(self.root, path)?,
            text::range_of(&text, start, end, self.enc),
        ))
    }

    /// Where a figure or entry key is written in its YAML file.
    pub fn definition_of_key(&self, key: &str) -> Option<Location> {
        let ds = &self.site.dataset;
        let span = ds
            .figures
            .get(key)
            .map(|f| &f.span)
            .or_else(|| ds.entries.get(key).map(|e| &e.span))?;
        let text = (self.text_of)(&span.path).unwrap_or_default();
        let found = yaml_keys::key_places(&span.path, &text)
            .into_iter()
            .find(|p| p.key == key);
        match found {
            Some(p) => self.location(&span.path, p.line, p.col, p.len),
            None => self.location(&span.path, span.line, span.col, 0),
        }
    }

    fn span_location(&self, span: &Span) -> Option<Location> {
        self.location(&span.path, span.line, span.col, 0)
    }
}

/// The checked page of an article, when its front matter let it be checked.
fn page<'a>(site: &'a Site, rel: &str) -> Option<&'a Page> {
    site.pages.iter().find(|p| p.article.path == rel)
}

/// The citation whose link holds byte `offset`.
fn citation_at(page: &Page, offset: usize) -> Option<&Citation> {
    page.doc
        .citations
        .iter()
        .find(|c| c.range.start <= offset && offset <= c.range.end)
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// The dotted key written around byte `offset` of `text`, with its byte range.
fn key_around(text: &str, offset: usize) -> Option<(String, std::ops::Range<usize>)> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_key_char(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_key_char(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    let key = text[start..end].trim_matches('.');
    (!key.is_empty()).then(|| (key.to_string(), start..end))
}

/// The key of the citation under the cursor: the one the cursor is on inside the
/// expression, else the expression's first figure.
fn cited_key_at(site: &Site, page: &Page, text: &str, offset: usize) -> Option<String> {
    let c = citation_at(page, offset)?;
    let ds = &site.dataset;
    if let Some(at) = c.expr_offset {
        if offset >= at && offset <= at + c.expr.len() {
            if let Some((k, _)) = key_around(text, offset) {
                if ds.figures.contains_key(&k) || ds.entries.contains_key(&k) {
                    return Some(k);
                }
            }
        }
    }
    let parsed = crate::figures::expr::parse(&c.expr).ok()?;
    crate::figures::expr::keys(&parsed)
        .into_iter()
        .map(|(k, _)| k)
        .find(|k| ds.figures.contains_key(k))
}

/// The figure or entry key of a data file under the cursor (1-based line and column).
fn yaml_key_at(site: &Site, rel: &str, text: &str, line: usize, col: usize) -> Option<String> {
    let places = yaml_keys::key_places(rel, text);
    let at = yaml_keys::key_at(&places, line, col)?;
    // `…memory.value` is the figure `…memory`: the longest prefix the dataset knows.
    let ds = &site.dataset;
    let mut key = at.key.as_str();
    loop {
        if ds.figures.contains_key(key) || ds.entries.contains_key(key) {
            return Some(key.to_string());
        }
        key = &key[..key.rfind('.')?];
    }
}

/// What the cursor is on, in an article or a data file.
fn key_at_cursor(ctx: &Ctx, rel: &str, text: &str, offset: usize) -> Option<String> {
    if rel.ends_with(".md") {
        let page = page(ctx.site, rel)?;
        cited_key_at(ctx.site, page, text, offset)
    } else {
        let (line, col) = crate::diagnostics::line_col(text, offset);
        yaml_key_at(ctx.site, rel, text, line, col)
    }
}

/// One line for a figure: value, unit and source.
pub fn figure_detail(f: &Figure, ds: &Dataset) -> String {
    format!("{} · {}", format_quantity(&f.quantity()), f.attribution(ds))
}

/// A figure in Markdown: value, unit, source, date, conditions, note.
fn figure_markdown(f: &Figure, ds: &Dataset) -> String {
    let mut s = format!("**`{}`** = {}\n", f.key, format_quantity(&f.quantity()));
    s.push_str(&format!(
        "- unit: {}\n",
        f.unit_name.as_deref().unwrap_or("none (a count)")
    ));
    match f.source_url(ds) {
        Some(url) => s.push_str(&format!("- source: {} <{url}>\n", f.attribution(ds))),
        None => s.push_str(&format!("- source: {}\n", f.attribution(ds))),
    }
    if let Some(d) = f.as_of {
        s.push_str(&format!("- as of: {d}\n"));
    }
    if !f.conditions.is_empty() {
        let c: Vec<String> = f
            .conditions
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        s.push_str(&format!("- conditions: {}\n", c.join(", ")));
    }
    if !f.disputed_by.is_empty() {
        s.push_str(&format!("- disputed by: {}\n", f.disputed_by.join(", ")));
    }
    if let Some(n) = &f.note {
        s.push_str(&format!("- note: {n}\n"));
    }
    s
}

fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }
}

/// Hover: on a citation, its figures and whether the text agrees; on a data key, the figure
/// and every place that prints it.
pub fn hover(ctx: &Ctx, rel: &str, text: &str, offset: usize) -> Option<(MarkupContent, Range)> {
    let ds = &ctx.site.dataset;
    if rel.ends_with(".md") {
        let page = page(ctx.site, rel)?;
        let c = citation_at(page, offset)?;
        let range = text::range_of(text, c.range.start, c.range.end, ctx.enc);
        let mut s = String::new();
        let parsed = crate::figures::expr::parse(&c.expr).ok();
        let keys: Vec<String> = parsed
            .as_ref()
            .map(|p| {
                crate::figures::expr::keys(p)
                    .into_iter()
                    .map(|(k, _)| k)
                    .collect()
            })
            .unwrap_or_default();
        let resolved = page.cites.get(&c.range.start);
        if keys.len() != 1 || keys[0] != c.expr.trim() {
            let value = resolved.map_or("?".to_string(), |r| r.value.clone());
            s.push_str(&format!("`cite:{}` = {value}\n\n", c.expr.trim()));
        }
        let mut seen = Vec::new();
        for k in &keys {
            if seen.contains(k) {
                continue;
            }
            seen.push(k.clone());
            match ds.figures.get(k) {
                Some(f) => s.push_str(&figure_markdown(f, ds)),
                None => s.push_str(&format!("**`{k}`**: no figure of the dataset\n")),
            }
            s.push('\n');
        }
        // The verdict: the check's own problems with this citation, or its agreement.
        let problems: Vec<&Diagnostic> = ctx
            .diags
            .iter()
            .filter(|d| d.span.path == rel)
            .filter(|d| {
                let at = text::offset_of_line_col(text, d.span.line, d.span.col);
                c.range.start <= at && at < c.range.end.max(c.range.start + 1)
            })
            .collect();
        if problems.is_empty() {
            match resolved {
                Some(r) if c.text.trim().is_empty() => s.push_str(&format!(
                    "**Verdict:** no text written; the guide prints {}\n",
                    r.value
                )),
                Some(r) => s.push_str(&format!(
                    "**Verdict:** \"{}\" agrees with {}\n",
                    r.display, r.value
                )),
                None => {}
            }
        } else {
            for d in problems {
                s.push_str(&format!(
                    "**Verdict:** {}[{}]: {}\n",
                    d.level.as_str(),
                    d.code,
                    d.message
                ));
            }
        }
        return Some((markdown(s), range));
    }
    let (line, col) = crate::diagnostics::line_col(text, offset);
    let key = yaml_key_at(ctx.site, rel, text, line, col)?;
    let places = yaml_keys::key_places(rel, text);
    let at = places.iter().find(|p| p.key == key)?;
    let start = text::offset_of_line_col(text, at.line, at.col);
    let end = text::offset_of_line_col(text, at.line, at.col + at.len);
    let mut s = match ds.figures.get(&key) {
        Some(f) => figure_markdown(f, ds),
        None => format!("**`{key}`**\n"),
    };
    let printed = places::places(ctx.site, &key);
    s.push('\n');
    if printed.is_empty() {
        s.push_str("Printed nowhere: no article cites it, and no table it is in is shown.\n");
    } else {
        s.push_str(&format!(
            "Printed in {} place{}:\n",
            printed.len(),
            if printed.len() == 1 { "" } else { "s" }
        ));
        const MAX: usize = 40;
        for p in printed.iter().take(MAX) {
            s.push_str(&format!("- {}: `{}` {}\n", p.span, p.key, p.what));
        }
        if printed.len() > MAX {
            s.push_str(&format!(
                "- … and {} more (`sitegen cites {key}`)\n",
                printed.len() - MAX
            ));
        }
    }
    Some((markdown(s), text::range_of(text, start, end, ctx.enc)))
}

/// Go to definition: a citation's key to its YAML line; a shortcode's id to its definition.
pub fn definition(ctx: &Ctx, rel: &str, text: &str, offset: usize) -> Option<Location> {
    if !rel.ends_with(".md") {
        return None;
    }
    let page = page(ctx.site, rel)?;
    if let Some(key) = cited_key_at(ctx.site, page, text, offset) {
        return ctx.definition_of_key(&key);
    }
    // A shortcode call: `{{ table(id="x") }}` leads to table x.
    let call = page
        .doc
        .shortcodes
        .iter()
        .find(|s| s.range.start <= offset && offset <= s.range.end)?;
    let parsed = crate::check::shortcodes::parse(&call.source).ok()?;
    let id = parsed.str_arg("id")?;
    let ds = &ctx.site.dataset;
    let span = match parsed.name.as_str() {
        "table" => &ds.tables.get(id)?.span,
        "receipt" => &ds.receipts.get(id)?.span,
        "flowchart" => &ds.decisions.get(id)?.span,
        "chart" => &ds.charts.get(id)?.span,
        _ => return None,
    };
    ctx.span_location(span)
}

/// Find references: every place that prints the key under the cursor (a data key, or a
/// citation's key), and its definition when asked for.
pub fn references(
    ctx: &Ctx,
    rel: &str,
    text: &str,
    offset: usize,
    with_declaration: bool,
) -> Option<Vec<Location>> {
    let key = key_at_cursor(ctx, rel, text, offset)?;
    let mut out = Vec::new();
    if with_declaration {
        out.extend(ctx.definition_of_key(&key));
    }
    for p in places::places(ctx.site, &key) {
        let src = (ctx.text_of)(&p.span.path).unwrap_or_default();
        let start = text::offset_of_line_col(&src, p.span.line, p.span.col);
        // The whole citation link, or the shortcode paragraph, that starts there.
        let end = page(ctx.site, &p.span.path)
            .and_then(|pg| {
                pg.doc
                    .citations
                    .iter()
                    .map(|c| c.range.clone())
                    .chain(pg.doc.shortcodes.iter().map(|s| s.range.clone()))
                    .find(|r| r.start == start)
                    .map(|r| r.end)
            })
            .unwrap_or(start);
        if let Some(uri) = uri_of(ctx.root, &p.span.path) {
            let loc = Location::new(uri, text::range_of(&src, start, end, ctx.enc));
            if !out.contains(&loc) {
                out.push(loc);
            }
        }
    }
    Some(out)
}

/// The shortcodes sitegen has, with what their `id` names.
const SHORTCODES: [(&str, &str); 5] = [
    ("table", "a table of data/tables.yaml: table(id=\"…\")"),
    ("chart", "a chart of data/charts.yaml: chart(id=\"…\")"),
    (
        "flowchart",
        "a decision tree of data/decisions/: flowchart(id=\"…\", style=\"boxes\")",
    ),
    (
        "receipt",
        "a receipt of data/receipts.yaml: receipt(id=\"…\")",
    ),
    ("disputes", "the list of every disputed figure: disputes()"),
];

/// Completion at byte `offset`: dataset keys after `cite:`, one segment at a time;
/// shortcode names after `{{`; their ids inside `id="…"`.
pub fn completion(ctx: &Ctx, text: &str, offset: usize) -> Vec<CompletionItem> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return Vec::new();
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    if let Some(items) = cite_completion(ctx, text, before, offset) {
        return items;
    }
    shortcode_completion(ctx, text, before, offset).unwrap_or_default()
}

fn edit(
    text: &str,
    start: usize,
    end: usize,
    enc: Encoding,
    new_text: String,
) -> CompletionTextEdit {
    CompletionTextEdit::Edit(TextEdit::new(
        text::range_of(text, start, end, enc),
        new_text,
    ))
}

fn cite_completion(
    ctx: &Ctx,
    text: &str,
    before: &str,
    offset: usize,
) -> Option<Vec<CompletionItem>> {
    let at = before.rfind("cite:")?;
    let expr = &before[at + 5..];
    let angled = before[..at].ends_with('<');
    // The link is closed before the cursor: not in a citation any more.
    if (angled && expr.contains('>')) || (!angled && (expr.contains(')') || expr.contains(' '))) {
        return None;
    }
    let seg_len = expr
        .chars()
        .rev()
        .take_while(|c| is_key_char(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let partial = &expr[expr.len() - seg_len..];
    let (prefix, last) = match partial.rfind('.') {
        Some(i) => (&partial[..i], &partial[i + 1..]),
        None => ("", partial),
    };
    let replace_from = offset - last.len();
    let ds = &ctx.site.dataset;
    // Next segments below `prefix`: figures (leaves) and entries (go deeper).
    let mut next: BTreeMap<&str, Option<&Figure>> = BTreeMap::new();
    let below = |k: &str| -> Option<usize> {
        if prefix.is_empty() {
            Some(0)
        } else if k.len() > prefix.len() + 1
            && k.starts_with(prefix)
            && k.as_bytes()[prefix.len()] == b'.'
        {
            Some(prefix.len() + 1)
        } else {
            None
        }
    };
    for (k, f) in &ds.figures {
        if let Some(from) = below(k) {
            let rest = &k[from..];
            match rest.find('.') {
                None => {
                    next.insert(rest, Some(f));
                }
                Some(i) => {
                    next.entry(&rest[..i]).or_insert(None);
                }
            }
        }
    }
    let items = next
        .into_iter()
        .map(|(seg, fig)| {
            let full = if prefix.is_empty() {
                seg.to_string()
            } else {
                format!("{prefix}.{seg}")
            };
            let mut item = CompletionItem {
                label: seg.to_string(),
                filter_text: Some(seg.to_string()),
                text_edit: Some(edit(text, replace_from, offset, ctx.enc, seg.to_string())),
                ..CompletionItem::default()
            };
            match fig {
                Some(f) => {
                    item.kind = Some(CompletionItemKind::VALUE);
                    item.detail = Some(figure_detail(f, ds));
                    item.documentation = Some(Documentation::MarkupContent(markdown(
                        figure_markdown(f, ds),
                    )));
                }
                None => {
                    let n = ds
                        .figures
                        .keys()
                        .filter(|k| k.starts_with(&format!("{full}.")))
                        .count();
                    item.kind = Some(CompletionItemKind::MODULE);
                    let name = ds.entries.get(&full).and_then(|e| e.name.clone());
                    item.detail = Some(match name {
                        Some(n2) => format!("{n2} · {n} figures"),
                        None => format!("{n} figures"),
                    });
                    // Typing on: ask for the next segment right away.
                    item.insert_text = Some(format!("{seg}."));
                    item.text_edit =
                        Some(edit(text, replace_from, offset, ctx.enc, format!("{seg}.")));
                    item.command = Some(lsp_types::Command::new(
                        "next segment".into(),
                        "editor.action.triggerSuggest".into(),
                        None,
                    ));
                }
            }
            item
        })
        .collect();
    Some(items)
}

fn shortcode_completion(
    ctx: &Ctx,
    text: &str,
    before: &str,
    offset: usize,
) -> Option<Vec<CompletionItem>> {
    let t = before.trim_start();
    let inner = t.strip_prefix("{{")?.trim_start();
    let ds = &ctx.site.dataset;
    let ident_len = |s: &str| {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .count()
    };
    // Still typing the name.
    if ident_len(inner) == inner.len() {
        let from = offset - inner.len();
        return Some(
            SHORTCODES
                .iter()
                .map(|(name, what)| CompletionItem {
                    label: name.to_string(),
                    kind: Some(CompletionItemKind::FUNCTION),
                    detail: Some(what.to_string()),
                    filter_text: Some(name.to_string()),
                    text_edit: Some(edit(text, from, offset, ctx.enc, name.to_string())),
                    ..CompletionItem::default()
                })
                .collect(),
        );
    }
    let name = &inner[..ident_len(inner)];
    // Inside an open string argument: `id="par`.
    let open = inner.rfind('"')?;
    if inner[..open].matches('"').count() % 2 != 0 {
        return None;
    }
    let arg = inner[..open].trim_end().strip_suffix('=')?.trim_end();
    let arg_start = arg
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let arg = &arg[arg_start..];
    let typed = &inner[open + 1..];
    let from = offset - typed.len();
    let choices: Vec<(String, String)> = match (name, arg) {
        ("table", "id") => ds
            .tables
            .values()
            .map(|t| (t.id.clone(), t.caption.clone()))
            .collect(),
        ("receipt", "id") => ds
            .receipts
            .values()
            .map(|r| (r.id.clone(), r.title.clone()))
            .collect(),
        ("flowchart", "id") => ds
            .decisions
            .values()
            .map(|d| (d.id.clone(), format!("decision tree {}", d.span.path)))
            .collect(),
        ("chart", "id") => ds
            .charts
            .values()
            .map(|c| (c.id.clone(), c.title.clone()))
            .collect(),
        ("flowchart", "style") => vec![
            ("boxes".into(), "boxes and arrows".into()),
            ("tree".into(), "an indented tree".into()),
        ],
        _ => return None,
    };
    Some(
        choices
            .into_iter()
            .map(|(id, what)| CompletionItem {
                label: id.clone(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(what),
                filter_text: Some(id.clone()),
                text_edit: Some(edit(text, from, offset, ctx.enc, id)),
                ..CompletionItem::default()
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check_site, CheckOptions};

    fn fixture() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic")
    }

    fn with_ctx<R>(f: impl FnOnce(&Ctx) -> R) -> R {
        let root = fixture();
        let (site, diags) = check_site(&root, CheckOptions { drafts: true });
        let site = site.unwrap();
        let diags: Vec<Diagnostic> = diags.into_iter().collect();
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).ok();
        let ctx = Ctx {
            site: &site,
            root: &root,
            enc: Encoding::Utf16,
            text_of: &read,
            diags: &diags,
        };
        f(&ctx)
    }

    fn labels(items: &[CompletionItem]) -> Vec<&str> {
        items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn completes_keys_segment_by_segment() {
        with_ctx(|ctx| {
            let t = "See [x](cite:dev";
            assert!(labels(&completion(ctx, t, t.len())).contains(&"devices"));
            let t = "See [x](cite:devices.dgx_spark.mem";
            let items = completion(ctx, t, t.len());
            assert_eq!(
                labels(&items),
                [
                    "launch_price",
                    "memory",
                    "memory_bandwidth",
                    "street_price_eu"
                ]
            );
            let bw = &items[2];
            assert_eq!(
                bw.detail.as_deref().unwrap().split(" · ").next(),
                Some("273 GB/s")
            );
            // The edit replaces only the segment being typed.
            match &bw.text_edit {
                Some(CompletionTextEdit::Edit(e)) => {
                    assert_eq!(e.range.start.character as usize, t.len() - 3);
                    assert_eq!(e.new_text, "memory_bandwidth");
                }
                other => panic!("{other:?}"),
            }
            // Inside an angled expression, after an operator: the entries below `devices`
            // (the client filters them by what is typed, "r", which the edit replaces).
            let t = "[2x](<cite:devices.dgx_spark.memory_bandwidth / devices.r";
            let items = completion(ctx, t, t.len());
            assert_eq!(
                labels(&items),
                ["dgx_spark", "mac_studio_m3_ultra", "rtx_4090"]
            );
            assert_eq!(items[2].detail.as_deref(), Some("RTX 4090 · 2 figures"));
            match &items[2].text_edit {
                Some(CompletionTextEdit::Edit(e)) => {
                    assert_eq!(e.range.start.character as usize, t.len() - 1);
                    assert_eq!(e.new_text, "rtx_4090.");
                }
                other => panic!("{other:?}"),
            }
            // A closed link is no citation any more.
            let t = "[x](cite:devices.dgx_spark.memory) and ";
            assert!(completion(ctx, t, t.len()).is_empty());
        })
    }

    #[test]
    fn completes_shortcodes_and_ids() {
        with_ctx(|ctx| {
            let t = "{{ ta";
            assert_eq!(
                labels(&completion(ctx, t, t.len())),
                ["table", "chart", "flowchart", "receipt", "disputes"]
            );
            let t = "{{ table(id=\"";
            assert_eq!(labels(&completion(ctx, t, t.len())), ["bandwidth"]);
            let t = "{{ receipt(id=\"dr";
            assert_eq!(labels(&completion(ctx, t, t.len())), ["drop-caches"]);
            // Any text at all: never a panic (multibyte characters included).
            for t in ["{{ table(é=\"", "{{ é", "[x](cite:é.", "{{ table(id=\"€"] {
                let _ = completion(ctx, t, t.len());
            }
            let t = "{{ flowchart(id=\"buy\", style=\"";
            assert_eq!(labels(&completion(ctx, t, t.len())), ["boxes", "tree"]);
        })
    }

    #[test]
    fn completes_and_finds_chart_ids_in_the_guide() {
        // The basic fixture has no chart; the guide at the repository's root has several.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _) = check_site(root, CheckOptions { drafts: true });
        let site = site.unwrap();
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).ok();
        let ctx = Ctx {
            site: &site,
            root,
            enc: Encoding::Utf16,
            text_of: &read,
            diags: &[],
        };
        let t = "{{ chart(id=\"price";
        let items = completion(&ctx, t, t.len());
        assert!(labels(&items).contains(&"price-vs-bandwidth"), "{items:?}");
        let (rel, text) = site
            .pages
            .iter()
            .find_map(|p| {
                let text = read(&p.article.path)?;
                text.contains("{{ chart(")
                    .then(|| (p.article.path.clone(), text))
            })
            .expect("the guide shows a chart");
        let at = text.find("{{ chart(").unwrap() + 4;
        let def = definition(&ctx, &rel, &text, at).unwrap();
        assert!(def.uri.as_str().ends_with("/data/charts.yaml"), "{def:?}");
    }

    #[test]
    fn hover_definition_and_references() {
        with_ctx(|ctx| {
            let rel = "content/spark.md";
            let text = (ctx.text_of)(rel).unwrap();
            let at = text.find("[273 GB/s]").unwrap() + 2;
            let (h, _) = hover(ctx, rel, &text, at).unwrap();
            assert!(h.value.contains("= 273 GB/s"), "{}", h.value);
            assert!(h.value.contains("as of: 2025-10-13"), "{}", h.value);
            assert!(
                h.value.contains("**Verdict:** \"273 GB/s\" agrees"),
                "{}",
                h.value
            );
            let def = definition(ctx, rel, &text, at).unwrap();
            assert!(def.uri.as_str().ends_with("/data/devices.yaml"));
            // `  memory_bandwidth:` on line 5 (0-based 4), from column 2.
            assert_eq!(def.range.start, lsp_types::Position::new(4, 2));
            // References from the YAML key: the citation and the ratio that reads it.
            let yaml = (ctx.text_of)("data/devices.yaml").unwrap();
            let on_key = yaml.find("memory_bandwidth").unwrap() + 3;
            let refs = references(ctx, "data/devices.yaml", &yaml, on_key, false).unwrap();
            assert!(refs
                .iter()
                .all(|l| l.uri.as_str().ends_with("/content/spark.md")));
            assert!(refs.len() >= 2, "{refs:?}");
            let (h, _) = hover(ctx, "data/devices.yaml", &yaml, on_key).unwrap();
            assert!(h.value.contains("Printed in"), "{}", h.value);
            assert!(h.value.contains("content/spark.md:"), "{}", h.value);
            // A shortcode's id leads to its definition.
            let at = text.find("{{ table").unwrap() + 4;
            let def = definition(ctx, rel, &text, at).unwrap();
            assert!(def.uri.as_str().ends_with("/data/tables.yaml"));
        })
    }
}
