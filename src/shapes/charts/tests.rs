//! Chart tests: models built from a small dataset on disk, golden SVGs in `golden/`
//! (`CHARTS_BLESS=1` rewrites them), and every `error[chart]` at its YAML line.

use super::*;
use crate::diagnostics::Diagnostics;
use crate::figures::units::UnitRegistry;
use crate::load::dataset::Dataset;
use std::sync::atomic::{AtomicUsize, Ordering};

static N: AtomicUsize = AtomicUsize::new(0);

const SOURCES: &str = "\
spec: { title: Spec sheet, url: https://example.org/spec }
video: { title: Bench video, url: https://example.org/video }
";

const DEVICES: &str = "\
spark:
  name: DGX Spark
  memory_bandwidth: { value: 273, unit: GB/s, source: spec, as_of: 2025-10-15 }
  memory: { value: 128, unit: GB, source: spec }
  price: { min: 4800, max: 5200, unit: EUR, source: spec }
mac:
  name: Mac Studio
  memory_bandwidth: { value: 0.819, unit: TB/s, source: spec, flag: best }
  price: { value: 4500, unit: EUR, source: spec }
";

const BENCH: &str = "\
small:
  name: Small MoE
  spark:
    eval_tps: { value: 34.97, unit: tok/s, source: video, conditions: { runtime: ollama, batch: 1 } }
  desktop:
    eval_tps: { value: 147.07, unit: tok/s, source: video, flag: best, conditions: { runtime: ollama, batch: 1 } }
large:
  name: Large dense
  spark:
    eval_tps: { value: 4.46, unit: tok/s, source: video, conditions: { runtime: ollama, batch: 1 } }
  desktop:
    eval_tps: { value: 1.29, unit: tok/s, source: video, flag: fatal, conditions: { runtime: ollama, batch: 1, context: 32K } }
";

/// Loads a dataset whose data/charts.yaml is `charts`.
fn load(charts: &str) -> (Dataset, Diagnostics) {
    let dir = std::env::temp_dir().join(format!(
        "sitegen-charts-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for (name, text) in [
        ("sources.yaml", SOURCES),
        ("devices.yaml", DEVICES),
        ("bench.yaml", BENCH),
        ("charts.yaml", charts),
    ] {
        std::fs::write(data.join(name), text).unwrap();
    }
    let mut diags = Diagnostics::new();
    let ds = Dataset::load(&dir, &UnitRegistry::new(), 1 << 20, &mut diags);
    let _ = std::fs::remove_dir_all(&dir);
    (ds, diags)
}

/// Builds the one chart `id`, failing on any problem.
fn chart(charts: &str, id: &str) -> Chart {
    let (ds, diags) = load(charts);
    assert!(diags.is_empty(), "{:?}", diags);
    build(&ds, &ds.charts[id]).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Every problem of a charts.yaml, loading and building, as `code path:line:col message`.
fn problems(charts: &str) -> Vec<String> {
    let (ds, diags) = load(charts);
    let mut out: Vec<Diagnostic> = diags.into_iter().collect();
    for def in ds.charts.values() {
        if let Err(e) = build(&ds, def) {
            out.extend(e);
        }
    }
    out.iter()
        .map(|d| {
            let notes: Vec<&str> = d.notes.iter().map(String::as_str).collect();
            format!(
                "{}[{}] {}: {} {}",
                d.level.as_str(),
                d.code,
                d.span,
                d.message,
                notes.join(" ")
            )
        })
        .collect()
}

/// Compares an SVG with `golden/NAME.svg`.
fn golden(name: &str, svg: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/shapes/charts/golden")
        .join(format!("{name}.svg"));
    if std::env::var_os("CHARTS_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, svg).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with CHARTS_BLESS=1 once",
            path.display()
        )
    });
    assert_eq!(
        svg, expected,
        "{name}.svg differs (CHARTS_BLESS=1 rewrites it)"
    );
}

const GROUPED: &str = "\
eval:
  kind: bar
  title: Generation by machine
  axis: { label: Generation speed, unit: tok/s }
  best: max
  rows: [bench.small, bench.large]
  series:
    - { field: spark.eval_tps, label: DGX Spark }
    - { field: desktop.eval_tps, label: Desktop }
";

#[test]
fn grouped_bars_carry_the_dataset_values_best_marks_and_shared_conditions() {
    let c = chart(GROUPED, "eval");
    let Body::Bars {
        axis,
        series,
        groups,
    } = &c.body
    else {
        panic!("bars")
    };
    assert_eq!(axis.title(), "Generation speed (tok/s)");
    assert_eq!(series, &["DGX Spark", "Desktop"]);
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].label.as_deref(), Some("Small MoE"));
    let texts: Vec<(&str, &str, bool)> = groups
        .iter()
        .flat_map(|g| g.bars.iter())
        .map(|b| {
            (
                b.label.as_str(),
                b.reading.as_ref().unwrap().text.as_str(),
                b.best,
            )
        })
        .collect();
    assert_eq!(
        texts,
        [
            ("DGX Spark", "34.97", false),
            ("Desktop", "147.07", true),
            ("DGX Spark", "4.46", true),
            ("Desktop", "1.29", false)
        ]
    );
    let fatal = groups[1].bars[1].reading.as_ref().unwrap();
    assert_eq!(fatal.flag, Some(Flag::Fatal));
    assert_eq!(fatal.url.as_deref(), Some("https://example.org/video"));
    // runtime and batch hold for every bar; the 32K context only for one.
    assert_eq!(c.conditions_text(), "runtime: ollama, batch: 1");
    assert_eq!(fatal.conditions, [("context".into(), "32K".into())]);
    assert_eq!(c.sources, ["video"]);
    let svg = svg::render(&c);
    assert!(
        svg.contains("role=\"group\" aria-labelledby=\"chart-eval-title\""),
        "{svg}"
    );
    assert!(svg.contains("<title id=\"chart-eval-title\">Generation by machine</title>"));
    assert!(
        svg.contains("Small MoE: DGX Spark 34.97, Desktop 147.07 (best) (best)"),
        "{svg}"
    );
    assert!(svg.contains("<a href=\"https://example.org/video\" class=\"chart-mark\">"));
    golden("bar_grouped", &svg);
}

const EXPRESSIONS: &str = "\
ratio:
  kind: bar
  title: Bandwidth, converted and divided
  axis: { label: Memory bandwidth, unit: GB/s }
  bars:
    - { label: DGX Spark, value: devices.spark.memory_bandwidth }
    - { label: Mac Studio, value: devices.mac.memory_bandwidth }
    - { label: Mac less Spark, value: devices.mac.memory_bandwidth - devices.spark.memory_bandwidth }
";

#[test]
fn bars_of_expressions_are_converted_into_the_axis_unit() {
    let c = chart(EXPRESSIONS, "ratio");
    let r: Vec<&Reading> = c.readings();
    // 0.819 TB/s drawn on a GB/s axis.
    assert_eq!(r[1].text, "819");
    assert_eq!(r[1].lo, 819.0);
    assert_eq!(r[1].flag, Some(Flag::Best));
    assert_eq!(r[2].text, "546");
    assert_eq!(r[2].keys.len(), 2);
    assert!(
        r[2].tooltip.contains("worked out by this guide from"),
        "{}",
        r[2].tooltip
    );
    assert!(
        c.readings().iter().all(|r| !r.tooltip.contains("devices.")),
        "no dataset key reaches a reader's tooltip"
    );
    assert_eq!(r[2].flag, None, "an expression is not the figure's flag");
    golden("bar_expressions", &svg::render(&c));
}

const SCATTER: &str = "\
price:
  kind: scatter
  title: Price against bandwidth
  x: { label: Memory bandwidth, unit: GB/s, field: memory_bandwidth }
  y: { label: Price, unit: EUR, field: price }
  rows: [devices.spark, devices.mac]
  points:
    - { label: Half a Spark, x: devices.spark.memory_bandwidth / 2, y: devices.spark.price / 2 }
";

#[test]
fn a_scatter_has_labelled_points_with_ranges() {
    let c = chart(SCATTER, "price");
    let Body::Scatter { x, y, points } = &c.body else {
        panic!("scatter")
    };
    assert_eq!(
        (x.title().as_str(), y.title().as_str()),
        ("Memory bandwidth (GB/s)", "Price (EUR)")
    );
    assert_eq!(points.len(), 3);
    assert_eq!(points[0].label, "DGX Spark");
    assert_eq!((points[0].y.lo, points[0].y.hi), (4800.0, 5200.0));
    assert_eq!(points[0].y.text, "€4,800–5,200");
    assert_eq!(points[2].x.text, "136.5");
    let svg = svg::render(&c);
    assert!(
        svg.contains("DGX Spark: Memory bandwidth 273, Price €4,800–5,200"),
        "{svg}"
    );
    golden("scatter", &svg);
}

#[test]
fn a_missing_figure_in_a_group_is_drawn_as_no_figure() {
    let yaml = GROUPED.replace("bench.large]", "bench.large, devices.spark]");
    let c = chart(&yaml, "eval");
    let Body::Bars { groups, .. } = &c.body else {
        panic!()
    };
    assert!(groups[2].bars.iter().all(|b| b.reading.is_none()));
    assert!(svg::render(&c).contains(">no figure</text>"));
    assert!(svg::description(&c).contains("DGX Spark: DGX Spark no figure, Desktop no figure"));
}

#[test]
fn a_series_that_is_no_figure_is_an_error_at_its_line_with_a_suggestion() {
    let p = problems(&GROUPED.replace("desktop.eval_tps", "desktop.eval_tpz"));
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("error[chart] data/charts.yaml:9:7: series `desktop.eval_tpz` of chart `eval` is no figure"),
        "{p:?}"
    );
    assert!(
        p[0].contains("did you mean `bench.small.desktop.eval_tps`"),
        "{p:?}"
    );
}

#[test]
fn two_dimensions_on_one_axis_is_an_error_at_the_mark() {
    let yaml = EXPRESSIONS.replace(
        "    - { label: Mac Studio, value: devices.mac.memory_bandwidth }",
        "    - { label: Memory, value: devices.spark.memory }",
    );
    let p = problems(&yaml);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("error[chart] data/charts.yaml:7:7: `devices.spark.memory` is in GB, but the value axis is in GB/s"),
        "{p:?}"
    );
    assert!(p[0].contains("one axis, one dimension"));
    // Without a unit the first mark sets it, and the message says so.
    let p = problems(&yaml.replace(", unit: GB/s }", " }"));
    assert!(
        p[0].contains("from `devices.spark.memory_bandwidth`, its first value"),
        "{p:?}"
    );
}

#[test]
fn an_empty_chart_is_an_error_at_its_line() {
    let p = problems("nothing:\n  kind: bar\n  title: Nothing\n  axis: { label: X }\n");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("error[chart] data/charts.yaml:1:1: chart `nothing` is empty"),
        "{p:?}"
    );
}

#[test]
fn unknown_rows_units_keys_and_syntax_are_errors_at_their_lines() {
    let p = problems(&GROUPED.replace("bench.large]", "bench.larg]"));
    assert!(
        p.iter().any(|l| l
            .starts_with("error[chart] data/charts.yaml:6:23: chart `eval` has row `bench.larg`")
            && l.contains("did you mean `bench.large`")),
        "{p:?}"
    );
    let p = problems(&GROUPED.replace("unit: tok/s", "unit: toks"));
    assert!(
        p.iter()
            .any(|l| l.starts_with("error[chart] data/charts.yaml:4:42: unknown unit `toks`")),
        "{p:?}"
    );
    let p = problems(&EXPRESSIONS.replace(
        "value: devices.spark.memory_bandwidth }",
        "value: devices.spark.memory_bandwith }",
    ));
    assert!(
        p.iter()
            .any(|l| l.starts_with("error[chart] data/charts.yaml:6:7:")
                && l.contains("`devices.spark.memory_bandwith` is no figure")),
        "{p:?}"
    );
    let p = problems(&EXPRESSIONS.replace(
        "value: devices.spark.memory_bandwidth }",
        "value: devices.spark.memory_bandwidth / }",
    ));
    assert!(
        p.iter()
            .any(|l| l.starts_with("error[chart] data/charts.yaml:6:")
                && l.contains("in `devices.spark.memory_bandwidth /`")),
        "{p:?}"
    );
    let p = problems(&SCATTER.replace("devices.mac]", "devices.mac, bench.small]"));
    assert!(
        p.iter()
            .any(|l| l
                .contains("row `bench.small` of chart `price` has no figure `memory_bandwidth`")),
        "{p:?}"
    );
    let p = problems("x:\n  kind: pie\n  title: P\n");
    assert!(
        p[0].starts_with(
            "error[chart] data/charts.yaml:2:9: `kind` of chart `x` must be bar or scatter"
        ),
        "{p:?}"
    );
}

#[test]
fn ticks_are_round_numbers_covering_the_values() {
    assert_eq!(
        svg::ticks(0.0, 147.07, 5),
        (vec![0.0, 50.0, 100.0, 150.0], 0)
    );
    assert_eq!(svg::ticks(0.0, 1792.0, 5).0.last(), Some(&2000.0));
    assert_eq!(svg::ticks(0.0, 0.3, 5), (vec![0.0, 0.1, 0.2, 0.3], 1));
}

#[test]
fn text_is_escaped_in_the_svg() {
    let c = chart(
        &GROUPED.replace("label: Desktop }", "label: \"A & <B>\" }"),
        "eval",
    );
    let svg = svg::render(&c);
    assert!(svg.contains(">A &amp; &lt;B&gt;</text>"));
    assert!(!svg.contains("<B>"));
}
