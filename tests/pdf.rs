//! `sitegen pdf` end to end: the gated PDF read back with poppler's tools.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// Runs a poppler tool on a PDF; fails, with the command that installs it, when
/// poppler-utils is missing (a test never passes by skipping).
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            vec!["-"]
        } else {
            vec![]
        })
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        Ok(o) => panic!("{tool} failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => panic!(
            "{tool} cannot run ({e}): the PDF tests need poppler-utils; install it with \
             `sudo apt-get install -y poppler-utils` (or run scripts/test, which does)"
        ),
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_lead_magnet_holds_headings_figures_tables_flowchart_and_receipt() {
    let site = fixture("basic");
    let run = sitegen(&site, &["pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = site.join("gated/spark.pdf");
    assert!(pdf.is_file());
    assert!(
        !site.join("gated/other.pdf").exists(),
        "only pdf: true articles"
    );
    let text = poppler("pdftotext", &["-layout"], &pdf);
    let flat = squash(&text);
    for needle in [
        "The Spark in numbers", // cover
        "Compared",             // a heading
        "Should you buy?",
        "273 GB/s", // a checked citation
        "$3,999",   // an inserted citation
        "€4,800–5,200",
        "NVIDIA, “DGX Spark specifications”, 13 October 2025.", // its note: who and when
        "Memory bandwidth against launch price",                // table caption
        "1,008",                                                // a table cell
        "Mac Studio M3 Ultra",
        "Rent from the cloud.", // the flowchart
        "Receipt: Flush the page cache before swapping models",
        "drop_caches",
    ] {
        assert!(
            flat.contains(needle),
            "{needle:?} not in the PDF text:\n{text}"
        );
    }
    // The flowchart is stroked: no box-drawing glyphs left to show seams.
    let glyphs = ['│', '─', '┌', '┐', '└', '┘', '┬', '┴', '╭', '╯'];
    assert!(!text.contains(glyphs), "box drawing printed:\n{text}");
    // Notes are for readers: no dataset keys; a note said once is referred to again.
    assert!(
        !text.contains("devices."),
        "no dataset keys in the PDF:\n{text}"
    );
    assert!(flat.contains("Worked out from"), "{text}");
    // Each source once, in a closing "Sources" section, with its address in full.
    let sources = &text[text.rfind("Sources").unwrap()..];
    assert_eq!(
        sources.matches("DGX Spark specifications").count(),
        1,
        "{sources}"
    );
    assert!(
        squash(sources)
            .replace("/ ", "/")
            .contains("https://www.nvidia.com/en-us/products/workstations/dgx-spark/"),
        "{sources}"
    );
    assert_eq!(
        sources
            .matches("https://www.apple.com/mac-studio/specs/")
            .count(),
        1,
        "a source that is a bare URL is printed once: {sources}"
    );
    // A figure with its unit, or a range, is never split across two lines.
    for line in text.lines() {
        let line = line.trim_end();
        assert!(
            !(line.ends_with('–') || line.ends_with("273") || line.ends_with("€4,800")),
            "a figure breaks at {line:?}"
        );
    }
    // A link to another article points at its published address (base_url).
    let bytes = std::fs::read(&pdf).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(
        raw.contains("https://guide.example.org/"),
        "no link to the published site"
    );
    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {row}");
    }
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(
        info.contains("Title:") && info.contains("The Spark in numbers"),
        "{info}"
    );
    assert!(
        info.contains("Author:") && info.contains("Fixture Author"),
        "{info}"
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let site = fixture("basic");
    assert_eq!(sitegen(&site, &["pdf"]).code, 0);
    let first = std::fs::read(site.join("gated/spark.pdf")).unwrap();
    std::fs::remove_dir_all(site.join("gated")).unwrap();
    assert_eq!(sitegen(&site, &["pdf", "spark"]).code, 0);
    let second = std::fs::read(site.join("gated/spark.pdf")).unwrap();
    assert!(first == second, "two runs differ");
}

#[test]
fn the_public_site_never_holds_or_links_the_pdf_and_shows_the_gate() {
    let site = fixture("basic");
    assert_eq!(sitegen(&site, &["pdf"]).code, 0);
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    for (path, bytes) in snapshot(&site.join("public")) {
        assert!(!path.ends_with(".pdf"), "{path}");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(".pdf"), "{path} mentions a PDF");
        assert!(!text.contains("gated/"), "{path} mentions gated/");
    }
    let page = read(&site, "public/spark/index.html");
    assert!(page.contains("<form method=\"post\" action=\"https://forms.example.org/subscribe\">"));
    assert!(page.contains("type=\"email\" name=\"email\""));
    // It says what happens to the address, traps bots in a field people never see, and
    // needs no script; the form service redirects to a generated thank-you page.
    assert!(
        page.contains("We use your address to send you the PDF."),
        "{page}"
    );
    assert!(page.contains("name=\"website\" tabindex=\"-1\" autocomplete=\"off\""));
    assert!(
        !page.contains("<form")
            || !page[page.find("<form").unwrap()..]
                .split("</form>")
                .next()
                .unwrap()
                .contains("<script")
    );
    let thanks = read(&site, "public/thanks/index.html");
    assert!(
        thanks.contains("<h1>Thank you</h1>") && thanks.contains("noindex"),
        "{thanks}"
    );
    assert!(
        !read(&site, "public/guides/other/index.html").contains("<form"),
        "only pdf: true articles"
    );
    // A privacy policy and a redirect field, when the site names them.
    edit(
        &site,
        "sitegen.toml",
        "[gate]",
        "[gate]\nprivacy_url = \"https://guide.example.org/privacy/\"\nredirect_field = \"_next\"",
    );
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    let page = read(&site, "public/spark/index.html");
    assert!(
        page.contains(
            "<a href=\"https://guide.example.org/privacy/\">How we handle your address</a>"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "<input type=\"hidden\" name=\"_next\" value=\"https://guide.example.org/thanks/\">"
        ),
        "{page}"
    );
    let out = site.join("public/gated");
    let run = sitegen(&site, &["pdf", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("never be written into public/"),
        "{}",
        run.stderr
    );
}

#[test]
fn pdf_true_without_a_gate_and_unknown_slugs_are_errors() {
    let site = fixture("basic");
    edit(
        &site,
        "sitegen.toml",
        "[gate]\naction = \"https://forms.example.org/subscribe\"",
        "",
    );
    let run = sitegen(&site, &["pdf"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error[front-matter]: content/spark.md:1:1: `pdf: true` needs a [gate] section"
        ),
        "{}",
        run.stderr
    );
    let site = fixture("basic");
    let run = sitegen(&site, &["pdf", "nope"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no published article has the slug `nope`"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_markdown_construct_and_special_character_comes_back_verbatim() {
    let site = fixture("basic");
    let body = "---\ntitle: \"Specials: # $ * _ @ < > \\\\ [ ] = + - ~ / `\"\ndate: 2026-02-02\npdf: true\n---\n\n\
= not a heading\n\n\\+ not a list either\n\n\
Text with # hash, $ dollar, * star, _ under_score, @ at, &lt;angle&gt;, \\\\ backslash, [brackets], = equals, + plus, - minus, ~ tilde, / slash and `code # $`.\n\n\
1984\\. A year, not a list.\n\n\
## Lists & quotes\n\n\
3. third\n4. fourth\n   - nested *emphasis* and **strong** and ~~struck~~\n\n\
- [x] done task\n- [ ] open task\n\n\
> quoted line\n> > nested quote\n\n\
| Left | Centre | Right |\n|:-----|:------:|------:|\n| a #1 | b $2 | c @3 |\n\n\
Footnote here.[^n]\n\n[^n]: The note # text.\n\n\
```rust\nfn main() { println!(\"# $ @ ~\"); }\n```\n\n\
<span>raw html text</span>\n\n---\n\nLast line.\n";
    write(&site, "content/specials.md", body);
    let run = sitegen(&site, &["pdf", "specials"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Layout mode keeps a hyphen that ends a line (the default mode joins the word).
    let text = poppler("pdftotext", &["-layout"], &site.join("gated/specials.pdf"));
    let flat = squash(&text);
    let bare: String = text.split_whitespace().collect();
    for needle in [
        "Specials: # $ * _ @ < > \\ [ ] = + - ~ / `",
        "= not a heading",
        "+ not a list either",
        "Text with # hash, $ dollar, * star, _ under_score, @ at, <angle>, \\ backslash, [brackets], = equals, + plus, - minus, ~ tilde, / slash and code # $.",
        "1984. A year, not a list.",
        "Lists & quotes",
        "third",
        "nested emphasis and strong and struck",
        "done task",
        "quoted line",
        "nested quote",
        "a #1", "b $2", "c @3",
        "The note # text.",
        "println!(\"# $ @ ~\");",
        "raw html text",
        "Last line.",
    ] {
        // Line breaks and justification move spaces, never characters.
        let bare_needle: String = needle.split_whitespace().collect();
        assert!(flat.contains(needle) || bare.contains(&bare_needle), "{needle:?} not in:\n{text}");
    }
}

#[test]
fn the_pdf_flowchart_is_stroked_and_reads_row_by_row_like_the_page() {
    let site = fixture("basic");
    let run = sitegen(&site, &["pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = site.join("gated/spark.pdf");
    // The chart the page draws, from the same tree at the same width.
    let units = sitegen::figures::units::UnitRegistry::new();
    let mut diags = sitegen::diagnostics::Diagnostics::new();
    let ds = sitegen::load::dataset::Dataset::load(&site, &units, 1 << 22, &mut diags);
    let tree = &ds.decisions["buy"].root;
    let style = sitegen::shapes::flowchart::Style::Boxes;
    let drawing = sitegen::shapes::flowchart::draw(tree, style, 100);
    let mut texts = drawing.chart.texts.clone();
    texts.sort_by_key(|t| (t.row, t.col));
    let rows: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
    // -layout sets each row of the chart on one line: all its text, in reading order.
    let layout = squash(&poppler("pdftotext", &["-layout"], &pdf));
    assert!(
        layout.contains(&squash(&rows.join(" "))),
        "the flowchart's text is not whole and in order: {rows:#?}\n{layout}"
    );
    // Each question and outcome reads whole in the plain extraction too.
    let plain = squash(&poppler("pdftotext", &[], &pdf));
    for node in [
        "Do you run MoE models of 80B parameters or more?",
        "Do customers pay for on-premises inference?",
        "Is your budget above the street price?",
        "Buy two Sparks and link them.",
        "Wait for the price to fall.",
        "Rent from the cloud.",
    ] {
        assert!(plain.contains(node), "{node:?} not whole:\n{plain}");
    }
}
