//! Compile-level tests: the fixture document, determinism, embedded fonts,
//! error mapping, and the text round-trip property. Tests that read PDFs
//! need poppler-utils (`pdftotext`, `pdffonts`) and fail, saying how to install it, without it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use proptest::prelude::*;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::*;
use crate::shapes::flowchart::{Chart, ChartBox, ChartText};

/// The fixture with every CommonMark and GFM construct.
const EVERYTHING: &str = include_str!("testdata/everything.md");

/// The flowchart the fixture's shortcode stands for, drawn as sitegen draws it.
fn fixture_chart() -> crate::shapes::flowchart::Drawing {
    use crate::load::decisions::{Answer, Decision};
    let answer = |label: &str, next| Answer {
        label: label.to_string(),
        next,
    };
    let question = |text: &str, answers| Decision::Question {
        text: text.to_string(),
        answers,
    };
    let outcome = |text: &str| Decision::Outcome(text.to_string());
    let tree = question(
        "Running MoE ≥ 80B models on your own premises?",
        vec![
            answer(
                "YES",
                question(
                    "Do customers pay you for it?",
                    vec![
                        answer("YES", outcome("Buy it")),
                        answer("NO", outcome("Rent first")),
                    ],
                ),
            ),
            answer("NO", outcome("Rent from the cloud, then measure.")),
        ],
    );
    crate::shapes::flowchart::draw(&tree, crate::shapes::flowchart::Style::Boxes, 100)
}

/// Runs a poppler tool on a PDF, failing with the command that installs it when it is
/// missing: the flowchart tests never pass by skipping.
fn poppler_required(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let path = temp_path("chart.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(tool).arg(&path).args(args).output();
    let _ = std::fs::remove_file(&path);
    match output {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into(),
        Ok(out) => panic!("{tool} failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => panic!(
            "{tool} cannot run ({e}): install poppler-utils (`sudo apt-get install -y \
             poppler-utils`, or run scripts/test, which does)"
        ),
    }
}

/// A template that only shows the body: one wide page, no hyphenation, so
/// extracted text lines up with the input.
const PLAIN_TEMPLATE: &str = "#let guide(title: none, description: none, author: none, \
    date: none, site-title: none, body) = { set page(width: 60cm, height: auto, margin: 1cm); \
    set text(hyphenate: false); set par(justify: false); body }";

/// The parser options sitegen uses.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A small SVG standing in for an image of the site's assets.
const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#1f4e79"/><circle cx="20" cy="20" r="12" fill="#ffffff"/></svg>"##;

/// Embeds like sitegen's: `assets/` images, a flowchart shortcode, citations.
#[derive(Default)]
struct TestEmbeds {
    /// Shortcode markup to return instead of a flowchart, if set.
    shortcode_markup: Option<String>,
}

impl Embeds for TestEmbeds {
    fn citation(&mut self, dest: &str, _range: Range<usize>) -> Option<String> {
        let key = dest.strip_prefix("cite:")?;
        Some(format!(
            "{}#footnote[{}];",
            escape_text("273 GB/s"),
            escape_text(&format!("{key}: 273 GB/s, NVIDIA spec, as of 2026-03-01"))
        ))
    }

    fn shortcode(&mut self, _range: Range<usize>) -> Option<String> {
        None.or(self.shortcode_markup.clone())
    }

    fn image(&mut self, dest: &str) -> Result<String, String> {
        match dest {
            "assets/diagram.svg" => Ok(dest.to_string()),
            "assets/not-registered.svg" => Ok(dest.to_string()),
            _ => Err(format!("image {dest} not found in assets/")),
        }
    }
}

/// Embeds whose shortcode check looks at the Markdown text, as sitegen's does.
struct SourceEmbeds<'s> {
    source: &'s str,
    inner: TestEmbeds,
}

impl Embeds for SourceEmbeds<'_> {
    fn citation(&mut self, dest: &str, range: Range<usize>) -> Option<String> {
        self.inner.citation(dest, range)
    }

    fn shortcode(&mut self, range: Range<usize>) -> Option<String> {
        let text = self.source.get(range)?.trim();
        if text.starts_with("{{ flowchart") {
            return Some(flowchart(&fixture_chart().chart));
        }
        if text.starts_with("{{") {
            return self.inner.shortcode_markup.clone();
        }
        None
    }

    fn is_figure(&self, range: Range<usize>) -> bool {
        self.source
            .get(range)
            .is_some_and(|t| t.trim().starts_with("{{ flowchart"))
    }

    fn image(&mut self, dest: &str) -> Result<String, String> {
        self.inner.image(dest)
    }
}

/// The files the fixture's images need.
fn files() -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([("assets/diagram.svg".to_string(), SVG.as_bytes().to_vec())])
}

/// Metadata for the test documents.
fn meta() -> DocMeta {
    DocMeta {
        title: "Everything \"in\" one #guide: $5 & more".into(),
        description: Some("Every CommonMark construct, with Typst's special characters.".into()),
        author: "Ada Writer".into(),
        date: (2026, 5, 4),
        site_title: "Sovereign Grid".into(),
    }
}

/// Renders Markdown with sitegen's options and the source-aware embeds.
fn render_md(md: &str, inner: TestEmbeds) -> Markup {
    let mut embeds = SourceEmbeds { source: md, inner };
    render(
        Parser::new_ext(md, options()).into_offset_iter(),
        &mut embeds,
    )
}

/// Compiles Markdown with the default template.
fn compile_md(md: &str) -> Result<(Vec<u8>, Vec<PdfDiagnostic>), Vec<PdfDiagnostic>> {
    let body = render_md(md, TestEmbeds::default());
    compile(DEFAULT_TEMPLATE, &meta(), &body, &files())
}

/// A unique temporary path for a test artefact.
fn temp_path(name: &str) -> std::path::PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("sitegen-pdf-{}-{n}-{name}", std::process::id()))
}

/// The PDF's text, as pdftotext extracts it.
fn pdf_text(pdf: &[u8]) -> String {
    poppler_required("pdftotext", &["-enc", "UTF-8", "-"], pdf)
}

/// Collapses every run of whitespace (including no-break spaces) into one space.
fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes all whitespace: pdftotext guesses spaces from glyph positions, so
/// a line broken after `/` gains one and a space after a fallback-font
/// glyph (`≈ 4`) can go missing.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

/// Whether `passage` occurs in the extracted text, with whitespace
/// normalised, then ignored, then also allowing for a hyphenated line end.
fn found(passage: &str, text: &str) -> bool {
    normalize(text).contains(&normalize(passage))
        || squeeze(text).contains(&squeeze(passage))
        || squeeze(&text.replace("-\n", "")).contains(&squeeze(passage))
}

/// The passages of a Markdown document a reader must find in its PDF: each
/// text run, code span and code line, except image alt text (not printed)
/// and shortcode lines (replaced by what they stand for).
fn passages(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut in_image, mut in_code) = (0, false);
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image -= 1,
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if in_code => out.extend(t.lines().map(str::to_string)),
            Event::Text(t) | Event::Code(t) if in_image == 0 && !t.starts_with("{{") => {
                out.push(t.to_string())
            }
            _ => {}
        }
    }
    out.retain(|p| !normalize(p).is_empty());
    out
}

#[test]
fn everything_compiles_and_every_passage_is_printed() {
    preload();
    let started = Instant::now();
    let result = compile_md(EVERYTHING);
    eprintln!(
        "everything.md compiled in {} ms",
        started.elapsed().as_millis()
    );
    let (pdf, warnings) = result.unwrap_or_else(|e| panic!("compile failed: {e:#?}"));
    assert!(warnings.is_empty(), "warnings: {warnings:#?}");
    let out = temp_path("everything.pdf");
    std::fs::write(&out, &pdf).unwrap();
    eprintln!("wrote {}", out.display());
    let text = pdf_text(&pdf);
    let missing: Vec<String> = passages(EVERYTHING)
        .into_iter()
        .filter(|p| !found(p, &text))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the PDF: {missing:#?}\n---\n{text}"
    );
    for extra in [
        "Text inside an HTML block & its entities.",
        "HTML text keeps its words,",
        "hides comments.",
        "273 GB/s",
        "devices.dgx_spark.memory_bandwidth: 273 GB/s, NVIDIA spec, as of 2026-03-01",
        "Figure caption with #hash and $dollar",
        "Contents",
        "Sovereign Grid",
        "May 4, 2026",
        "Ada Writer",
        "☐",
        "☒",
    ] {
        assert!(found(extra, &text), "{extra:?} not in the PDF:\n{text}");
    }
    for piece in &fixture_chart().chart.texts {
        assert!(
            found(&piece.text, &text),
            "flowchart text {:?} not in the PDF:\n{text}",
            piece.text
        );
    }
    assert!(
        !text.contains("<!--") && !text.contains("<div"),
        "HTML tags printed"
    );
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let first = compile_md(EVERYTHING).expect("compiles").0;
    let second = compile_md(EVERYTHING).expect("compiles").0;
    assert!(first == second, "two compiles differ");
}

#[test]
fn every_font_is_embedded_and_metadata_is_set() {
    let pdf = compile_md(EVERYTHING).expect("compiles").0;
    let fonts = poppler_required("pdffonts", &[], &pdf).replace('-', "");
    // pdffonts prints two header lines, then one line per font whose
    // "emb" column is yes or no.
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(
        rows.len() >= 3,
        "expected serif, mono and more fonts:\n{fonts}"
    );
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols.get(cols.len().saturating_sub(5)).copied();
        assert_eq!(emb, Some("yes"), "font not embedded: {row}");
    }
    for family in ["Libertinus", "DejaVuSansMono"] {
        assert!(fonts.contains(family), "{family} missing:\n{fonts}");
    }
    let info = poppler_required("pdfinfo", &[], &pdf);
    assert!(
        info.contains("Everything \"in\" one #guide: $5 & more"),
        "{info}"
    );
    assert!(info.contains("Ada Writer"), "{info}");
    assert!(info.contains("2026"), "{info}");
}

#[test]
fn missing_image_is_an_error_at_its_markdown_range() {
    let md = "Intro.\n\n![alt text](assets/missing.png)\n";
    let body = render_md(md, TestEmbeds::default());
    let start = md.find("![").unwrap();
    assert_eq!(body.errors.len(), 1);
    assert_eq!(body.errors[0].0, start..md.len() - 1);
    let errors = compile(DEFAULT_TEMPLATE, &meta(), &body, &files()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].is_error);
    assert!(errors[0].message.contains("assets/missing.png"));
    assert_eq!(errors[0].md_range, Some(start..md.len() - 1));
}

#[test]
fn typst_error_in_an_image_maps_to_the_markdown() {
    // The caller vouches for a path the world does not have: Typst's own
    // "file not found" must point at the image in the Markdown.
    let md = "# Title\n\nSome text.\n\n![x](assets/not-registered.svg)\n";
    let errors = compile_md(md).unwrap_err();
    let start = md.find("![").unwrap();
    let error = errors.iter().find(|e| e.is_error).expect("an error");
    assert_eq!(error.md_range, Some(start..md.len() - 1), "{errors:#?}");
}

#[test]
fn typst_error_in_shortcode_markup_maps_to_its_paragraph() {
    let md = "Before.\n\n{{ broken() }}\n\nAfter.\n";
    let embeds = TestEmbeds {
        shortcode_markup: Some("#no-such-function(1);".into()),
    };
    let body = render_md(md, embeds);
    let errors = compile(DEFAULT_TEMPLATE, &meta(), &body, &files()).unwrap_err();
    let start = md.find("{{").unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.contains("no-such-function"),
        "{errors:#?}"
    );
    assert_eq!(
        errors[0].md_range,
        Some(start..start + "{{ broken() }}".len() + 1)
    );
}

#[test]
fn template_errors_name_the_template_line() {
    let template = format!("{DEFAULT_TEMPLATE}\n#let broken = (\n");
    let body = render_md("Text.\n", TestEmbeds::default());
    let errors = compile(&template, &meta(), &body, &files()).unwrap_err();
    assert!(
        errors
            .iter()
            .all(|e| e.message.starts_with("templates/pdf.typ:")),
        "{errors:#?}"
    );
    assert!(errors.iter().all(|e| e.md_range.is_none()));
}

#[test]
fn invalid_date_is_an_error_not_a_panic() {
    let body = render_md("Text.\n", TestEmbeds::default());
    let meta = DocMeta {
        date: (2026, 13, 40),
        ..meta()
    };
    let errors = compile(DEFAULT_TEMPLATE, &meta, &body, &files()).unwrap_err();
    assert!(errors[0].message.contains("invalid date"));
}

#[test]
fn empty_article_and_empty_metadata_compile() {
    let body = render_md("", TestEmbeds::default());
    let meta = DocMeta {
        title: String::new(),
        description: None,
        author: String::new(),
        date: (2026, 1, 1),
        site_title: String::new(),
    };
    compile(DEFAULT_TEMPLATE, &meta, &body, &BTreeMap::new()).expect("compiles");
}

#[test]
fn deeply_nested_markdown_still_compiles() {
    let md = format!(
        "{}deep quote\n\n{}deep list\n\n{}deep emphasis{}\n",
        "> ".repeat(150),
        "- ".repeat(150),
        "*_".repeat(100),
        "_*".repeat(100)
    );
    let (pdf, _) = compile_md(&md).unwrap_or_else(|e| panic!("{e:#?}"));
    let text = pdf_text(&pdf);
    for passage in ["deep quote", "deep list", "deep emphasis"] {
        assert!(found(passage, &text), "{passage:?} missing");
    }
}

/// A document of one flowchart, compiled with the built-in template.
fn flowchart_pdf(chart: &Chart) -> Vec<u8> {
    let body = render(
        [
            (Event::Start(Tag::Paragraph), 0..1),
            (Event::End(TagEnd::Paragraph), 0..1),
        ],
        &mut TestEmbeds {
            shortcode_markup: Some(flowchart(chart)),
        },
    );
    compile(DEFAULT_TEMPLATE, &meta(), &body, &files())
        .expect("compiles")
        .0
}

#[test]
fn a_stroked_flowchart_reads_back_box_by_box_in_order() {
    let drawing = fixture_chart();
    let pdf = flowchart_pdf(&drawing.chart);
    // -layout keeps each row of the chart on one line, left to right.
    let text = poppler_required("pdftotext", &["-layout", "-enc", "UTF-8", "-"], &pdf);
    let glyphs = ['│', '─', '┌', '┐', '└', '┘', '┬', '┴', '╭', '╯'];
    assert!(!text.contains(glyphs), "box drawing printed:\n{text}");
    // Every row's texts, in reading order, with nothing lost, split or reordered.
    let mut texts = drawing.chart.texts.clone();
    texts.sort_by_key(|t| (t.row, t.col));
    let expected: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
    let flat = normalize(&text);
    assert!(
        flat.contains(&normalize(&expected.join(" "))),
        "not in order {expected:#?}:\n{text}"
    );
    // Each box's text is also whole in the plain extraction, line after line.
    let plain = normalize(&poppler_required(
        "pdftotext",
        &["-enc", "UTF-8", "-"],
        &pdf,
    ));
    for question in [
        "Running MoE ≥ 80B models on your own premises?",
        "Do customers pay you for it?",
        "Rent from the cloud, then measure.",
    ] {
        assert!(plain.contains(question), "{question:?} not whole:\n{plain}");
    }
}

#[test]
fn a_hundred_column_flowchart_fits_the_text_width() {
    let label = "Label at the start of a full-width box";
    let chart = Chart {
        columns: 100,
        rows: 3,
        boxes: vec![ChartBox {
            top: 0,
            left: 0,
            bottom: 2,
            right: 99,
            rounded: false,
        }],
        lines: Vec::new(),
        texts: vec![
            ChartText {
                row: 1,
                col: 2,
                text: label.into(),
                columns: label.len(),
            },
            ChartText {
                row: 1,
                col: 92,
                text: "RIGHTEND".into(),
                columns: 8,
            },
        ],
    };
    let pdf = flowchart_pdf(&chart);
    std::fs::write(temp_path("flowchart.pdf"), &pdf).unwrap();
    let text = poppler_required("pdftotext", &["-layout", "-enc", "UTF-8", "-"], &pdf);
    let row = format!("{label} RIGHTEND");
    assert!(
        text.lines().any(|l| normalize(l) == row),
        "{row:?} was wrapped:\n{text}"
    );
    // The last column ends inside A4's text width (595 pt less 2.2 cm margins).
    let boxes = poppler_required("pdftotext", &["-bbox", "-"], &pdf);
    let word = (boxes.lines())
        .find(|l| l.contains(">RIGHTEND<"))
        .unwrap_or_else(|| panic!("no RIGHTEND in\n{boxes}"));
    let x_max: f64 = word
        .split("xMax=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{word}"));
    let right_margin = 595.28 - 2.2 / 2.54 * 72.0;
    assert!(
        x_max <= right_margin,
        "{x_max} pt is past the text edge {right_margin} pt"
    );
    assert!(
        x_max > right_margin - 12.0,
        "{x_max} pt: the chart does not fill the width"
    );
}

/// The characters the round trip draws from: printable ASCII, common
/// Latin-1 and a few typographic symbols the embedded fonts all cover.
const CHARSET: &str = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`\
abcdefghijklmnopqrstuvwxyz{|}~àáâäçèéêëíîïñóôöúûüÿßÀÉÖÜæøåÆØÅ¡¿«»°±§©®·–—€£×≈→";

/// Strings over [`CHARSET`].
fn charset_text() -> impl Strategy<Value = String> {
    let chars: Vec<char> = CHARSET.chars().collect();
    proptest::collection::vec(proptest::sample::select(chars), 1..60)
        .prop_map(|cs| cs.into_iter().collect())
}

/// Markdown-looking strings: syntax fragments and words in any order.
fn markdownish() -> impl Strategy<Value = String> {
    let pieces = [
        "# ",
        "## ",
        "\n",
        "\n\n",
        "- ",
        "1. ",
        "3) ",
        "> ",
        "* ",
        "_",
        "**",
        "~~",
        "`",
        "```",
        "```rust\n",
        "    ",
        "[",
        "](",
        ")",
        "![",
        "](assets/diagram.svg)",
        "](x.png)",
        "<",
        ">",
        "<div>",
        "</div>",
        "<br>",
        "<!--",
        "-->",
        "|",
        "|---|",
        ":-:",
        "[^1]",
        "[^1]: ",
        "---",
        "- [ ] ",
        "- [x] ",
        "&amp;",
        "\\",
        "#",
        "$",
        "@",
        "=",
        "+",
        "/",
        "word",
        "two words",
        "{#id}",
        "https://example.com",
        "cite:x",
        "é€→",
    ];
    proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..40)
        .prop_map(|parts| parts.concat())
}

/// Events placing `text` in one of several Markdown contexts.
fn in_context<'a>(text: &'a str, context: usize) -> Vec<Event<'a>> {
    let t = || Event::Text(CowStr::Borrowed(text));
    let wrap = |open: Tag<'a>, inner: Vec<Event<'a>>| {
        let end = open.to_end();
        let mut v = vec![Event::Start(open)];
        v.extend(inner);
        v.push(Event::End(end));
        v
    };
    let para = |inner| wrap(Tag::Paragraph, inner);
    match context {
        0 => para(vec![t()]),
        1 => para(wrap(Tag::Strong, vec![t()])),
        2 => para(vec![Event::Code(CowStr::Borrowed(text))]),
        3 => wrap(
            Tag::CodeBlock(CodeBlockKind::Fenced("text".into())),
            vec![t()],
        ),
        4 => wrap(
            Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H2,
                id: None,
                classes: vec![],
                attrs: vec![],
            },
            vec![t()],
        ),
        5 => wrap(Tag::List(Some(7)), wrap(Tag::Item, vec![t()])),
        6 => wrap(
            Tag::Table(vec![pulldown_cmark::Alignment::Right]),
            wrap(Tag::TableHead, wrap(Tag::TableCell, vec![t()])),
        ),
        _ => wrap(Tag::BlockQuote(None), para(vec![t()])),
    }
}

proptest! {
    // Each case is a Typst compile plus a pdftotext run; with Typst's
    // caches warm that is a few tens of ms, so 256 cases take seconds.
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_markdown_compiles(source in markdownish()) {
        let body = render_md(&source, TestEmbeds::default());
        let result = compile(PLAIN_TEMPLATE, &meta(), &body, &files());
        // Only the renderer's own errors (images outside assets/) may fail it.
        if let Err(errors) = result {
            prop_assert!(
                errors.iter().all(|e| e.message.contains("not found in assets/")),
                "{:?}: {:#?}\nmarkup: {}", source, errors, body.text
            );
        }
    }

    #[test]
    fn arbitrary_text_prints_literally(text in charset_text(), context in 0usize..8) {
        let events = in_context(&text, context).into_iter().map(|e| (e, 0..0));
        let body = render(events, &mut TestEmbeds::default());
        let (pdf, _) = compile(PLAIN_TEMPLATE, &meta(), &body, &BTreeMap::new())
            .unwrap_or_else(|e| panic!("{text:?} in context {context}: {e:#?}\n{}", body.text));
        let out = pdf_text(&pdf);
        // pdftotext guesses spaces from glyph gaps: it reads "! !" as "!!".
        prop_assert!(
            found(&text, &out),
            "{:?} (context {}) came out as {:?}\nmarkup: {}", text, context, out, body.text
        );
    }
}

#[test]
fn a_flowchart_taller_than_a_page_breaks_between_rows_and_loses_nothing() {
    use crate::load::decisions::{Answer, Decision};
    let answers = (1..=120)
        .map(|n| Answer {
            label: format!("CASE{n}"),
            next: Decision::Outcome(format!("Outcome number {n}.")),
        })
        .collect();
    let tree = Decision::Question {
        text: "Which of the many cases is yours?".into(),
        answers,
    };
    let style = crate::shapes::flowchart::Style::Tree;
    let drawing = crate::shapes::flowchart::draw(&tree, style, 100);
    let pdf = flowchart_pdf(&drawing.chart);
    let text = poppler_required("pdftotext", &["-layout", "-enc", "UTF-8", "-"], &pdf);
    // Cover, contents, then the chart over more than one page.
    let chart_pages = text
        .split('\u{c}')
        .filter(|p| p.contains("Outcome number"))
        .count();
    assert!(chart_pages >= 2, "{chart_pages} page(s):\n{text}");
    let flat = normalize(&text);
    for n in 1..=120 {
        let item = format!("CASE{n} → Outcome number {n}.");
        assert!(flat.contains(&item), "{item:?} lost:\n{text}");
    }
}

#[test]
fn a_heading_and_its_lead_in_move_to_the_page_of_the_chart_they_introduce() {
    // More filler each time, so the heading falls at every height of the page,
    // the foot included, where the chart (kept whole) no longer fits below it.
    let filler = "Filler sentence about memory bandwidth and street prices. ".repeat(9);
    let mut stranded = Vec::new();
    for n in 0..14 {
        let mut md = String::new();
        for _ in 0..n {
            md.push_str(&format!("{filler}\n\n"));
        }
        md.push_str("## The chart\n\nStart at the top and answer honestly.\n\n");
        md.push_str("{{ flowchart(id=\"decision\") }}\n\nAfter the chart.\n");
        let (pdf, _) = compile_md(&md).expect("compiles");
        let text = poppler_required("pdftotext", &["-enc", "UTF-8", "-"], &pdf);
        // The last page that prints it: the heading is in the contents too.
        let page_of = |needle: &str| {
            let pages: Vec<&str> = text.split('\u{c}').collect();
            pages
                .iter()
                .rposition(|p| normalize(p).contains(needle))
                .unwrap_or_else(|| panic!("{needle:?} not printed with {n} fillers"))
        };
        let chart = page_of("Running MoE");
        if page_of("The chart") != chart || page_of("Start at the top") != chart {
            stranded.push(n);
        }
    }
    assert!(
        stranded.is_empty(),
        "heading or lead-in apart from the chart with {stranded:?} fillers"
    );
}

#[test]
fn only_a_short_paragraph_right_before_a_figure_is_kept_with_it() {
    let sticky = "#context block(sticky: true";
    let chart = "{{ flowchart(id=\"decision\") }}";
    let short = render_md(&format!("Lead-in.\n\n{chart}\n"), TestEmbeds::default());
    assert!(short.text.contains(sticky), "{}", short.text);
    let long = format!("{}\n\n{chart}\n", "A long paragraph. ".repeat(30));
    let long = render_md(&long, TestEmbeds::default());
    assert!(!long.text.contains(sticky), "{}", long.text);
    let apart = render_md(
        &format!("Lead-in.\n\nMore.\n\n{chart}\n"),
        TestEmbeds::default(),
    );
    assert_eq!(apart.text.matches(sticky).count(), 1, "{}", apart.text);
    let plain = render_md("Lead-in.\n\nNo chart here.\n", TestEmbeds::default());
    assert!(!plain.text.contains(sticky), "{}", plain.text);
}
