//! An article's Markdown: one pass collects what the checks need (headings with GitHub ids,
//! links, citations, shortcodes, prose text); [`events`] gives the renderers the event
//! stream, parsed again from the kept source with the same ids.

use crate::load::content::Article;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// The Markdown extensions sitegen enables (CommonMark + GFM tables, footnotes, strikethrough, task lists).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading with its GitHub-style id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its plain text.
    pub text: String,
    /// Its anchor id, unique in the article.
    pub id: String,
    /// Byte range in the article file.
    pub range: Range<usize>,
}

/// A link or image destination found in the article.
#[derive(Clone, Debug)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// Byte range of the link in the article file.
    pub range: Range<usize>,
    /// Whether it is an image.
    pub image: bool,
}

/// A citation: a link whose destination starts with `cite:`.
#[derive(Clone, Debug)]
pub struct Citation {
    /// The expression after `cite:`.
    pub expr: String,
    /// The link text as plain text (empty: insert the figure).
    pub text: String,
    /// Byte offset in the file where `text` starts, when the text is written verbatim there.
    pub text_offset: Option<usize>,
    /// Byte offset in the file of the expression, when it can be found verbatim.
    pub expr_offset: Option<usize>,
    /// Byte range of the whole link in the file.
    pub range: Range<usize>,
}

/// A shortcode call: a paragraph that is one `{{ name(args) }}` line.
#[derive(Clone, Debug)]
pub struct ShortcodeCall {
    /// The paragraph's source text, trimmed.
    pub source: String,
    /// Byte range of the paragraph in the file.
    pub range: Range<usize>,
}

/// A run of prose text (not code, not a citation) with its place, for the uncited check.
#[derive(Clone, Debug)]
pub struct ProseText {
    /// The text as parsed.
    pub text: String,
    /// Byte offset in the file when the text stands there verbatim.
    pub offset: Option<usize>,
    /// Byte range of the event in the file.
    pub range: Range<usize>,
}

/// What the checks need of an article's Markdown, with byte ranges in the whole file.
#[derive(Clone, Debug, Default)]
pub struct Doc {
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links and images, citations excluded.
    pub links: Vec<Link>,
    /// Citations.
    pub citations: Vec<Citation>,
    /// Shortcode paragraphs.
    pub shortcodes: Vec<ShortcodeCall>,
    /// Prose text runs that hold an ASCII digit (the only ones the uncited check reads).
    pub prose: Vec<ProseText>,
    /// Footnote definitions' labels, for checking references.
    pub footnotes: Vec<String>,
    /// `](cite:` written outside code that CommonMark did not read as a link
    /// (`[2x](cite:a / b)`: a destination ends at a space): byte ranges of the whole
    /// would-be link (or from its `[` to the end of its line) in the file.
    pub malformed: Vec<Range<usize>>,
    /// Raw HTML written in the article (blocks and inline tags), with byte ranges.
    pub raw_html: Vec<(String, Range<usize>)>,
}

/// GitHub's heading slug: lowercase, drop punctuation but `-` and `_`, spaces become `-`.
pub fn github_slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Whether a paragraph's text is a shortcode call line.
pub fn looks_like_shortcode(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("{{") && t.ends_with("}}") && !t.contains('\n')
}

/// The events of an article's body for a renderer, with byte ranges of the whole file and
/// the ids of `doc` (made by [`parse`] from the same text) set on the headings.
///
/// Events are parsed again here rather than kept in the [`Doc`]: at 10,000 articles the
/// kept events took most of a gigabyte, and parsing is a few percent of rendering a page.
pub fn events<'a>(article: &'a Article, doc: &'a Doc) -> Vec<(Event<'a>, Range<usize>)> {
    let start = article.body_start.min(article.source.len());
    let body = &article.source[start..];
    let mut ids = doc.headings.iter().map(|h| h.id.as_str());
    let mut out = Vec::with_capacity(body.len() / 8);
    for (mut ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Event::Start(Tag::Heading { id, .. }) = &mut ev {
            if let Some(made) = ids.next() {
                *id = Some(CowStr::from(made));
            }
        }
        out.push((ev, range.start + start..range.end + start));
    }
    out
}

/// Parses an article's body into a [`Doc`]; ranges are byte ranges of the whole file.
pub fn parse(article: &Article) -> Doc {
    parse_body(&article.source, article.body_start)
}

/// Parses `source[body_start..]`, shifting every range by `body_start`.
pub fn parse_body(source: &str, body_start: usize) -> Doc {
    let body = &source[body_start..];
    let mut doc = Doc::default();
    let mut ids: HashMap<String, usize> = HashMap::new();
    // Open constructs whose content we are collecting.
    let mut heading: Option<(Option<String>, u8, String, Range<usize>)> = None;
    let mut cite: Option<(String, String, Range<usize>)> = None;
    let mut para: Option<usize> = None;
    let mut in_code = 0usize;
    let mut in_footnote_def = 0usize;
    // Where `](cite:` is rightly not a link: code, raw HTML, and the citations themselves.
    let mut covered: Vec<Range<usize>> = Vec::new();
    let may_be_malformed = body.contains("](cite:");
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        if may_be_malformed
            && matches!(
                ev,
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
                    | Event::Code(_)
                    | Event::Html(_)
                    | Event::InlineHtml(_)
            )
        {
            covered.push(range.clone());
        }
        match &ev {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let explicit = id.as_ref().map(|i| i.to_string());
                heading = Some((
                    explicit,
                    heading_level(*level),
                    String::new(),
                    range.clone(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((explicit, level, text, hrange)) = heading.take() {
                    let id = explicit.unwrap_or_else(|| unique_id(&github_slug(&text), &mut ids));
                    doc.headings.push(Heading {
                        level,
                        text: text.trim().to_string(),
                        id,
                        range: hrange,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("cite:") => {
                cite = Some((dest_url[5..].to_string(), String::new(), range.clone()));
            }
            Event::End(TagEnd::Link) if cite.is_some() => {
                if let Some((expr, text, crange)) = cite.take() {
                    doc.citations.push(citation(source, expr, text, crange));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => doc.links.push(Link {
                dest: dest_url.to_string(),
                range: range.clone(),
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => doc.links.push(Link {
                dest: dest_url.to_string(),
                range: range.clone(),
                image: true,
            }),
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                doc.raw_html.push((h.to_string(), range.clone()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                in_footnote_def += 1;
                doc.footnotes.push(label.to_string());
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                in_footnote_def = in_footnote_def.saturating_sub(1)
            }
            Event::Start(Tag::Paragraph) => para = Some(range.start),
            Event::End(TagEnd::Paragraph) => {
                if let Some(start) = para.take() {
                    let text = &source[start..range.end];
                    if looks_like_shortcode(text) && in_footnote_def == 0 {
                        doc.shortcodes.push(ShortcodeCall {
                            source: text.trim().to_string(),
                            range: start..range.end,
                        });
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text, _)) = heading.as_mut() {
                    text.push_str(t);
                }
                if let Some((_, text, _)) = cite.as_mut() {
                    text.push_str(t);
                } else if in_code == 0
                    && matches!(ev, Event::Text(_))
                    && t.bytes().any(|b| b.is_ascii_digit())
                {
                    let offset =
                        (source.get(range.clone()) == Some(t.as_ref())).then_some(range.start);
                    doc.prose.push(ProseText {
                        text: t.to_string(),
                        offset,
                        range: range.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    if may_be_malformed {
        covered.extend(doc.citations.iter().map(|c| c.range.clone()));
        doc.malformed = malformed_citations(source, body_start, &covered);
        // Its text is reported as the malformed citation, not again as an uncited figure.
        let bad = &doc.malformed;
        doc.prose.retain(|p| {
            !bad.iter()
                .any(|r| r.start < p.range.end && p.range.start < r.end)
        });
    }
    // A shortcode paragraph is not prose: drop its text from the uncited scan.
    let sc: Vec<Range<usize>> = doc.shortcodes.iter().map(|s| s.range.clone()).collect();
    doc.prose.retain(|p| {
        !sc.iter()
            .any(|r| r.start <= p.range.start && p.range.end <= r.end)
    });
    doc
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Makes `base` unique among the ids seen, exactly as github-slugger does: `x`, `x-1`, `x-2`.
fn unique_id(base: &str, seen: &mut HashMap<String, usize>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_string();
    while seen.contains_key(&id) {
        let n = seen.entry(base.to_string()).or_insert(0);
        *n += 1;
        id = format!("{base}-{n}");
    }
    seen.insert(id.clone(), 0);
    id
}

/// Every `](cite:` of the body outside `covered`, as the byte range of the would-be link:
/// from the `[` that opens it (on the same line) to the `)` that closes the expression
/// (parentheses balanced), or to the end of the line when there is none.
fn malformed_citations(
    source: &str,
    body_start: usize,
    covered: &[Range<usize>],
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = body_start;
    while let Some(i) = source[from..].find("](cite:") {
        let at = from + i;
        from = at + "](cite:".len();
        if covered.iter().any(|r| r.start <= at && at < r.end) {
            continue;
        }
        let line_start = source[..at].rfind('\n').map_or(0, |n| n + 1);
        let line_end = source[at..].find('\n').map_or(source.len(), |n| at + n);
        let start = source[line_start..at]
            .rfind('[')
            .map_or(at, |n| line_start + n);
        let mut depth = 0usize;
        let mut end = line_end;
        for (k, c) in source[at + 1..line_end].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = at + 1 + k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(start..end);
    }
    out
}

/// Places a citation's text and expression in the file, when they stand there verbatim.
fn citation(source: &str, expr: String, text: String, range: Range<usize>) -> Citation {
    let link = source.get(range.clone()).unwrap_or("");
    let text_offset =
        (link.starts_with('[') && link[1..].starts_with(&text)).then_some(range.start + 1);
    let expr_offset = link
        .rfind(&format!("cite:{expr}"))
        .map(|i| range.start + i + 5);
    Citation {
        expr,
        text,
        text_offset,
        expr_offset,
        range,
    }
}

/// Which language a fenced code block declares (the first word of its info string).
pub fn code_lang<'a>(kind: &'a CodeBlockKind<'a>) -> Option<&'a str> {
    match kind {
        CodeBlockKind::Fenced(info) => info.split_whitespace().next().filter(|s| !s.is_empty()),
        CodeBlockKind::Indented => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Doc {
        parse_body(body, 0)
    }

    #[test]
    fn citations_commonmark_did_not_read_are_found() {
        let body = "A [2x](cite:a / b) b [3x](<cite:a / b>) `[4x](cite:a / b)`\n\n```\n[5x](cite:a / b)\n```\n[6x](cite:(a + b) / c) end\n";
        let d = doc(body);
        let found: Vec<&str> = d.malformed.iter().map(|r| &body[r.clone()]).collect();
        assert_eq!(found, ["[2x](cite:a / b)", "[6x](cite:(a + b) / c)"]);
        assert_eq!(d.citations.len(), 1);
        assert!(doc("[2x](cite:a)").malformed.is_empty());
    }

    #[test]
    fn github_slug_rule() {
        assert_eq!(
            github_slug("Test 1: Small MoE — Ministral-3 8B"),
            "test-1-small-moe--ministral-3-8b"
        );
        assert_eq!(github_slug("What's `new`?"), "whats-new");
    }

    #[test]
    fn duplicate_headings_get_numbers() {
        let d = doc("# A\n\n## A\n\n### A\n\n# A-1\n");
        let ids: Vec<&str> = d.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "a-1", "a-2", "a-1-1"]);
    }

    #[test]
    fn finds_citations_with_places() {
        let src = "Speed [273 GB/s](cite:devices.x.bw) and [](<cite:a / b>).\n";
        let d = doc(src);
        assert_eq!(d.citations.len(), 2);
        assert_eq!(d.citations[0].expr, "devices.x.bw");
        assert_eq!(d.citations[0].text, "273 GB/s");
        assert_eq!(d.citations[0].text_offset, Some(7));
        assert_eq!(d.citations[1].expr, "a / b");
        assert_eq!(d.citations[1].text, "");
        // Citation text is not prose for the uncited check.
        assert!(d.prose.iter().all(|p| !p.text.contains("273")));
    }

    #[test]
    fn shortcodes_only_outside_code() {
        let d = doc("{{ table(id=\"x\") }}\n\n```\n{{ table(id=\"y\") }}\n```\n");
        assert_eq!(d.shortcodes.len(), 1);
        assert_eq!(d.shortcodes[0].source, "{{ table(id=\"x\") }}");
    }

    #[test]
    fn events_carry_the_ids_and_places_of_the_parse() {
        let source = "---\ntitle: T\ndate: 2026-01-01\n---\n# A\n\n## A\n\n### Own {#mine}\n\nText [x](y.md).\n";
        let article =
            crate::load::content::parse_article("content/t.md", "content", source.to_string())
                .unwrap();
        let doc = parse(&article);
        let evs = events(&article, &doc);
        let ids: Vec<String> = evs
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Start(Tag::Heading { id, .. }) => id.as_ref().map(|i| i.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, vec!["a", "a-1", "mine"]);
        // Ranges are in the whole file, as the kept links' are.
        let link = evs
            .iter()
            .find(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
            .unwrap();
        assert_eq!(link.1.start, doc.links[0].range.start);
        assert_eq!(&source[link.1.clone()], "[x](y.md)");
    }

    #[test]
    fn code_is_not_prose() {
        let d = doc("Run `echo 5 GB` now.\n\n```\n10 GB\n```\n");
        let all: String = d.prose.iter().map(|p| p.text.clone()).collect();
        assert!(!all.contains("5 GB") && !all.contains("10 GB"), "{all}");
    }
}
