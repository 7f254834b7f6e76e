//! Tables, flowcharts and receipts drawn from the dataset, checked in the built HTML.

mod common;
use common::*;
use std::path::Path;

/// The cells of the table with `id` in a built page: rows of (header or cell HTML).
fn table_rows(html: &str, id: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<table class=\"data-table\" id=\"table-{id}\">"))
        .expect("table");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("</t")
                .filter_map(|c| c.rfind("<t").map(|i| c[i..].to_string()))
                .filter(|c| c.starts_with("<th ") || c.starts_with("<td ") || c.starts_with("<th>"))
                .collect()
        })
        .collect()
}

#[test]
fn a_table_has_the_dataset_cells_best_marks_and_flags() {
    let site = fixture("basic");
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    let html = read(&site, "public/spark/index.html");
    assert!(html.contains(
        "<caption id=\"table-bandwidth-caption\">Memory bandwidth against launch price</caption>"
    ));
    let rows = table_rows(&html, "bandwidth");
    assert_eq!(rows.len(), 4, "header and three rows");
    let header = &rows[0];
    assert!(
        header[1].contains("Bandwidth <span class=\"unit\">(GB/s)</span>"),
        "{header:?}"
    );
    assert!(header[2].contains("Launch price <span class=\"unit\">(USD)</span>"));
    assert!(header.iter().all(|h| h.starts_with("<th scope=\"col\"")));
    let text = |cell: &str| {
        let mut out = String::new();
        let mut in_tag = false;
        for ch in cell.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    };
    // DGX Spark: 273 GB/s, $3,999 (flag warn, and the cheapest: best), 128 GB (most memory: best).
    assert!(rows[1][0].starts_with("<th scope=\"row\">DGX Spark"));
    assert!(text(&rows[1][1]).starts_with("273"));
    assert!(
        !rows[1][1].contains("best"),
        "273 is not the highest bandwidth"
    );
    assert!(
        rows[1][2].contains("class=\"num best flag-warn\""),
        "{}",
        rows[1][2]
    );
    assert!(text(&rows[1][2]).contains("$3,999") && text(&rows[1][2]).contains("(warning)"));
    assert!(rows[1][3].contains("best"));
    // Mac Studio: the flag from the data, and a missing figure as a dash.
    assert!(rows[2][1].contains("flag-best") && text(&rows[2][1]).contains("(best)"));
    assert_eq!(text(&rows[2][3]), "—");
    // RTX 4090: the best bandwidth by the column rule, thousands separated.
    assert!(rows[3][1].contains("class=\"num best\""));
    assert!(text(&rows[3][1]).starts_with("1,008"));
    assert_eq!(text(&rows[3][2]), "—");
    // Each cell links to its source, with a tooltip that says who reported it and when.
    assert!(rows[1][1].contains("<a class=\"cite\" href=\"https://www.nvidia.com/en-us/products/workstations/dgx-spark/\" aria-describedby=\"tip-"), "{}", rows[1][1]);
    assert!(
        rows[1][1].contains(
            "<span class=\"tip-line\">NVIDIA, “DGX Spark specifications”, 13 October 2025</span>"
        ),
        "{}",
        rows[1][1]
    );
    assert!(
        !html.contains("devices.dgx_spark"),
        "no dataset keys for readers"
    );
    assert!(html.contains("<p class=\"table-sources\">Sources: "));
}

#[test]
fn a_flowchart_keeps_every_word_fits_its_width_and_has_a_text_alternative() {
    let site = fixture("basic");
    edit(
        &site,
        "sitegen.toml",
        "[receipts]",
        "[flowchart]\nmax_width = 60\n\n[receipts]",
    );
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&site, "public/spark/index.html");
    let start =
        html.find("<pre aria-hidden=\"true\">").unwrap() + "<pre aria-hidden=\"true\">".len();
    let drawing = &html[start..start + html[start..].find("</pre>").unwrap()];
    for line in drawing.lines() {
        assert!(line.chars().count() <= 60, "{line}");
    }
    let units = sitegen::figures::units::UnitRegistry::new();
    let mut diags = sitegen::diagnostics::Diagnostics::new();
    let ds = sitegen::load::dataset::Dataset::load(&site, &units, 1 << 22, &mut diags);
    let mut words = Vec::new();
    let mut stack = vec![&ds.decisions["buy"].root];
    while let Some(node) = stack.pop() {
        match node {
            sitegen::load::decisions::Decision::Question { text, answers } => {
                words.extend(text.split_whitespace().map(str::to_string));
                for a in answers {
                    words.extend(a.label.split_whitespace().map(str::to_string));
                    stack.push(&a.next);
                }
            }
            sitegen::load::decisions::Decision::Outcome(o) => {
                words.extend(o.split_whitespace().map(str::to_string))
            }
        }
    }
    assert!(words.len() > 30);
    let flat = drawing.split_whitespace().collect::<Vec<_>>().join(" ");
    for w in &words {
        assert!(
            flat.contains(w.as_str()),
            "word {w:?} is in the drawing:\n{drawing}"
        );
    }
    assert!(drawing.contains('┌') && drawing.contains('┴') && drawing.contains('╭'));
    // Screen readers and phones get the same tree as nested lists.
    assert!(html.contains("<div class=\"tree-list\"><p>"));
    assert!(html
        .contains("<div class=\"flowchart-drawing\" role=\"region\" tabindex=\"0\" aria-label="));
    assert!(html.contains("<li><em>YES</em> → <p>Do customers pay for on-premises inference?</p>"));
}

#[test]
fn the_tree_style_is_an_indented_outline() {
    let site = fixture("basic");
    edit(
        &site,
        "content/spark.md",
        "style=\"boxes\"",
        "style=\"tree\"",
    );
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    let html = read(&site, "public/spark/index.html");
    assert!(html.contains("Do you run MoE models of 80B parameters or more?\n├── YES → Do customers pay for on-premises inference?"), "{html}");
    assert!(html.contains("└── NO → Rent from the cloud."));
}

#[test]
fn a_receipt_is_a_callout_with_a_highlighted_command() {
    let site = fixture("basic");
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    let html = read(&site, "public/spark/index.html");
    let start = html
        .find("<aside class=\"receipt\" id=\"receipt-drop-caches\"")
        .expect("receipt callout");
    let aside = &html[start..start + html[start..].find("</aside>").unwrap()];
    assert!(aside.contains("Flush the page cache before swapping models"));
    assert!(aside.contains("<dt>Symptom</dt><dd>The second model loads slowly"));
    assert!(aside.contains("<dt>Fix</dt>"));
    assert!(aside.contains("class=\"hl-"), "the command is highlighted");
    assert!(aside.contains("<time datetime=\"2026-04-20\">20 April 2026</time>"));
    // Who reported the fix, and when: not a claim that anyone verified it.
    assert!(
        aside.contains(
            "Reported by Example Channel in <a href=\"https://www.youtube.com/watch?v=example\">"
        ),
        "{aside}"
    );
    assert!(!aside.contains("Verified"));
    assert!(aside.contains("href=\"https://www.youtube.com/watch?v=example\""));
    assert!(!aside.contains("stale"));
}

#[test]
fn the_real_guides_trees_render_in_both_styles_within_100_columns() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let units = sitegen::figures::units::UnitRegistry::new();
    let mut diags = sitegen::diagnostics::Diagnostics::new();
    let ds = sitegen::load::dataset::Dataset::load(repo, &units, 1 << 22, &mut diags);
    assert!(ds.decisions.len() >= 2, "the guide has decision trees");
    for (id, tree) in &ds.decisions {
        for style in [
            sitegen::shapes::flowchart::Style::Boxes,
            sitegen::shapes::flowchart::Style::Tree,
        ] {
            let d = sitegen::shapes::flowchart::draw(&tree.root, style, 100);
            assert!(d.width <= 100, "{id} {style:?} is {} wide", d.width);
            assert!(d.text.lines().all(|l| l.chars().count() <= 100));
            assert!(d.text.lines().count() > 3, "{id} {style:?}");
        }
    }
}

#[test]
fn a_quoted_figure_names_the_original_and_the_source_wherever_its_source_shows() {
    let site = fixture("basic");
    edit(
        &site,
        "data/devices.yaml",
        "memory_bandwidth: { value: 273, unit: GB/s, source: nvidia-spec, as_of: 2025-10-13 }",
        "memory_bandwidth: { value: 273, unit: GB/s, source: bench-video, quoted_from: nvidia-spec, as_of: 2025-10-13 }",
    );
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&site, "public/spark/index.html");
    let both = "NVIDIA&#39;s figure, as reported by Example Channel";
    // The citation's tooltip, the table cell's tooltip and the table's sources line.
    let tip = format!(
        "<span class=\"tip-line\">{both}, “Spark against a dual-GPU desktop”, 13 October 2025</span>"
    );
    assert!(html.matches(&tip).count() >= 2, "{html}");
    let sources = &html[html.find("<p class=\"table-sources\">").unwrap()..];
    let sources = &sources[..sources.find("</p>").unwrap()];
    assert!(
        sources.contains(&format!(
            "<a href=\"https://www.youtube.com/watch?v=example\">{both}</a>"
        )),
        "the link leads to the source read, not the quoted original: {sources}"
    );
}
