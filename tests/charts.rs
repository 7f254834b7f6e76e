//! Charts end to end: `{{ chart(id=…) }}` in a fixture site, in the built page and the
//! gated PDF, and its errors as the author sees them.

mod common;
use common::*;
use std::process::Command;

const CHARTS: &str = "\
bw:
  kind: bar
  title: Bandwidth of three machines
  axis: { label: Memory bandwidth, unit: GB/s }
  best: max
  rows: [devices.dgx_spark, devices.mac_studio_m3_ultra, devices.rtx_4090]
  series:
    - { field: memory_bandwidth, label: Bandwidth }
price:
  kind: scatter
  title: Launch price against bandwidth
  x: { label: Memory bandwidth, unit: GB/s, field: memory_bandwidth }
  y: { label: Launch price, unit: USD, field: launch_price }
  rows: [devices.dgx_spark, devices.mac_studio_m3_ultra]
";

/// The basic fixture with data/charts.yaml and the two charts in spark.md.
fn site_with_charts() -> std::path::PathBuf {
    let site = fixture("basic");
    std::fs::write(site.join("data/charts.yaml"), CHARTS).unwrap();
    let path = site.join("content/spark.md");
    let md = std::fs::read_to_string(&path).unwrap().replace(
        "{{ table(id=\"bandwidth\") }}\n",
        "{{ table(id=\"bandwidth\") }}\n\n{{ chart(id=\"bw\") }}\n\n{{ chart(id=\"price\") }}\n",
    );
    std::fs::write(&path, md).unwrap();
    site
}

#[test]
fn a_chart_is_one_svg_in_the_page_with_its_values_links_and_data_table() {
    let site = site_with_charts();
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&site, "public/spark/index.html");
    let start = html
        .find("<figure class=\"chart\" id=\"chart-bw\">")
        .expect("chart figure");
    let fig = &html[start..start + html[start..].find("</figure>").unwrap()];
    assert!(
        fig.contains("<figcaption class=\"chart-title\">Bandwidth of three machines</figcaption>")
    );
    assert!(fig.contains(
        "role=\"group\" aria-labelledby=\"chart-bw-title\" aria-describedby=\"chart-bw-desc\""
    ));
    assert!(
        fig.contains("Bar chart, Memory bandwidth (GB/s). DGX Spark 273, Mac Studio M3 Ultra 819 (best), RTX 4090 1,008 (best)."),
        "{fig}"
    );
    // Each bar links to its source, the data table too, and a sources line follows.
    assert!(fig.contains("<a href=\"https://www.nvidia.com/en-us/products/workstations/dgx-spark/\" class=\"chart-mark\"><title>DGX Spark: 273 GB/s · NVIDIA, “DGX Spark specifications”, 13 October 2025</title>"), "{fig}");
    assert!(fig.contains("<details class=\"chart-data\">"));
    assert!(fig.contains(">1,008</a>"), "{fig}");
    // Readers see who reported a figure, never its dataset key.
    assert!(!fig.contains("devices."), "{fig}");
    assert!(fig.contains("<p class=\"table-sources\">Sources: <a href=\"https://www.nvidia.com/en-us/products/workstations/dgx-spark/\">DGX Spark specifications</a>"));
    // The flag of a figure is marked, not coloured alone.
    assert!(fig.contains("819 ★"), "{fig}");
    assert!(html.contains("<figure class=\"chart\" id=\"chart-price\">"));
    assert!(html.contains("Scatter chart, Launch price (USD) against Memory bandwidth (GB/s). DGX Spark: Memory bandwidth 273, Launch price $3,999 (warning)"));
    // The stylesheet restyles the chart for dark mode.
    let css = read(&site, "public/style.css");
    assert!(css.contains(".chart-svg .series-0 { fill: var(--chart-0); }"));
    // `sitegen cites` knows where the chart prints a figure.
    let run = sitegen(&site, &["cites", "devices.rtx_4090.memory_bandwidth"]);
    assert!(run.stdout.contains("chart \"bw\""), "{}", run.stdout);
}

#[test]
fn the_same_chart_is_in_the_pdf_captioned_with_its_title() {
    let site = site_with_charts();
    let run = sitegen(&site, &["pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = site.join("gated/spark.pdf");
    assert!(pdf.is_file());
    let out = Command::new("pdftotext").arg(&pdf).arg("-").output();
    let text = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => panic!("pdftotext (poppler-utils) is needed to read the PDF back"),
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Bandwidth of three machines"), "{flat}");
    assert!(flat.contains("Launch price against bandwidth"));
    // The SVG's labels are real text in the PDF, set in the PDF's fonts.
    for label in [
        "Memory bandwidth (GB/s)",
        "Launch price (USD)",
        "1,008",
        "RTX 4090",
    ] {
        assert!(flat.contains(label), "{label} in {flat}");
    }
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("LibertinusSerif"), "{fonts}");
    assert!(
        !fonts.contains("DejaVuSans-") && !fonts.contains("Arial"),
        "{fonts}"
    );
}

#[test]
fn chart_errors_name_their_place() {
    let site = site_with_charts();
    let md = site.join("content/spark.md");
    let text = std::fs::read_to_string(&md)
        .unwrap()
        .replace("chart(id=\"bw\")", "chart(id=\"bww\")");
    std::fs::write(&md, text).unwrap();
    let yaml = CHARTS
        .replace("field: launch_price", "field: memory")
        .replace(
            "label: Bandwidth }",
            "label: Bandwidth }\n    - { field: memory_bandwith, label: Typo }",
        );
    std::fs::write(site.join("data/charts.yaml"), yaml).unwrap();
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    let line = |prefix: &str| d.iter().any(|l| l.starts_with(prefix));
    assert!(
        line("error[chart]: content/spark.md:18:1: no chart `bww` in data/charts.yaml"),
        "{d:?}"
    );
    assert!(run.stderr.contains("did you mean `bw`?"), "{}", run.stderr);
    assert!(line("error[chart]: data/charts.yaml:9:7: series `memory_bandwith` of chart `bw` is no figure"), "{d:?}");
    assert!(
        run.stderr
            .contains("did you mean `devices.dgx_spark.memory_bandwidth`"),
        "{}",
        run.stderr
    );
    assert!(
        d.iter()
            .any(|l| l.starts_with("error[chart]: data/charts.yaml:")
                && l.contains("`devices.dgx_spark.memory` is in GB, but the y axis is in USD")),
        "{d:?}"
    );
    // One line per cause, never a panic.
    assert!(!run.stderr.contains("panicked"));
}
