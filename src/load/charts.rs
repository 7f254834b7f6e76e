//! `data/charts.yaml`: chart definitions read with the place of every row, series, bar
//! and point, so that a chart whose figure is missing or of the wrong dimension is
//! reported at its own YAML line. What the figures are is checked in `shapes::charts`.

use crate::diagnostics::Span;
use crate::figures::expr;
use crate::figures::units::Unit;
use crate::load::dataset::{checked_key, Best, FileCtx};
use crate::load::yaml::Node;
use std::collections::BTreeMap;

/// What a chart draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Horizontal bars, optionally grouped: one group per row, one bar per series.
    Bar,
    /// Labelled points, x against y.
    Scatter,
}

/// An axis: its label, its unit (figures are converted into it) and, for a scatter
/// drawn from rows, the field read below each row.
#[derive(Clone, Debug)]
pub struct AxisDef {
    /// The axis title.
    pub label: String,
    /// The unit as written (`tok/s`); None takes the first figure's unit.
    pub unit_name: Option<String>,
    /// The resolved unit.
    pub unit: Option<Unit>,
    /// The field below each row (scatter only).
    pub field: Option<String>,
    /// Where the axis is defined.
    pub span: Span,
}

/// A series of a bar chart: a field below each row, drawn as one bar per row.
#[derive(Clone, Debug)]
pub struct SeriesDef {
    /// The dotted field below each row (`spark.eval_tps`).
    pub field: String,
    /// The label printed beside its bars.
    pub label: String,
    /// Where the series is defined.
    pub span: Span,
}

/// One mark written out: a label and one citation expression per axis.
#[derive(Clone, Debug)]
pub struct MarkDef {
    /// The printed label.
    pub label: String,
    /// The expressions: one for a bar, x then y for a point.
    pub exprs: Vec<String>,
    /// Where the mark is defined.
    pub span: Span,
}

/// A chart of `data/charts.yaml`.
#[derive(Clone, Debug)]
pub struct ChartDef {
    /// Its id.
    pub id: String,
    /// Bar or scatter.
    pub kind: ChartKind,
    /// The title: the SVG's `<title>`, the caption.
    pub title: String,
    /// A note printed under the chart.
    pub note: Option<String>,
    /// Which end is best: marks the best bar of each group.
    pub best: Option<Best>,
    /// The value axis of a bar chart, or the x axis of a scatter.
    pub x: AxisDef,
    /// The y axis of a scatter.
    pub y: Option<AxisDef>,
    /// Dataset entries, each with its place: bar groups, or scatter points.
    pub rows: Vec<(String, Span)>,
    /// Series of a bar chart drawn from rows.
    pub series: Vec<SeriesDef>,
    /// Marks written out as expressions (`bars:` or `points:`).
    pub marks: Vec<MarkDef>,
    /// Where the chart is defined.
    pub span: Span,
}

const CHART_KEYS: &[&str] = &[
    "kind", "title", "note", "best", "axis", "x", "y", "rows", "series", "bars", "points",
];

/// Reads every chart of `data/charts.yaml`; problems go to `cx` as `error[chart]`.
pub(crate) fn read(node: &Node, cx: &mut FileCtx) -> BTreeMap<String, ChartDef> {
    let mut out = BTreeMap::new();
    for (k, v) in node.as_map().unwrap_or(&[]) {
        let Some(id) = checked_key(k, cx) else {
            continue;
        };
        if let Some(def) = read_chart(&id, k, v, cx) {
            out.insert(id, def);
        }
    }
    out
}

fn read_chart(id: &str, key: &Node, v: &Node, cx: &mut FileCtx) -> Option<ChartDef> {
    let what = format!("chart `{id}`");
    if v.as_map().is_none() {
        cx.err(
            v,
            format!("{what} must be a mapping with kind, title and its figures"),
        );
        return None;
    }
    cx.only_keys(v, CHART_KEYS, &what);
    let kind = match v.get("kind").map(|n| (n, n.as_str())) {
        None | Some((_, Some("bar"))) => ChartKind::Bar,
        Some((_, Some("scatter"))) => ChartKind::Scatter,
        Some((n, _)) => {
            cx.err(n, format!("`kind` of {what} must be bar or scatter"));
            return None;
        }
    };
    let title = cx.string(v, "title", &what)?;
    let note = cx.opt_string(v, "note", &what);
    let best = match v.get("best").map(|b| (b, b.as_str())) {
        None => None,
        Some((_, Some("max"))) => Some(Best::Max),
        Some((_, Some("min"))) => Some(Best::Min),
        Some((b, _)) => {
            cx.err(b, "`best` must be max or min");
            None
        }
    };
    let rows = read_rows(v.get("rows"), &what, cx);
    // A chart's own problems point at its id.
    let span = cx.span(key);
    let (x, y, series, marks) = match kind {
        ChartKind::Bar => {
            for key in ["x", "y", "points"] {
                if let Some(n) = v.get(key) {
                    cx.err(
                        n,
                        format!("`{key}` is for scatter charts; a bar chart has `axis`, `rows` + `series`, or `bars`"),
                    );
                }
            }
            let x = match v.get("axis") {
                Some(a) => read_axis(a, "axis", &what, false, cx)?,
                None => {
                    cx.err(
                        v,
                        format!("{what} needs an `axis: {{ label: …, unit: … }}`"),
                    );
                    return None;
                }
            };
            let series = match v.get("series") {
                None => Vec::new(),
                Some(s) => read_series(s, &what, cx),
            };
            if !rows.is_empty() && series.is_empty() {
                cx.err(
                    v,
                    format!("{what} has rows but no `series` to read below them"),
                );
            }
            if rows.is_empty() && !series.is_empty() {
                cx.err(
                    v,
                    format!("{what} has series but no `rows` to read them from"),
                );
            }
            let marks = read_marks(v.get("bars"), &["value"], &what, cx);
            (x, None, series, marks)
        }
        ChartKind::Scatter => {
            for key in ["axis", "series", "bars"] {
                if let Some(n) = v.get(key) {
                    cx.err(
                        n,
                        format!("`{key}` is for bar charts; a scatter has `x`, `y`, `rows` and `points`"),
                    );
                }
            }
            let (Some(xn), Some(yn)) = (v.get("x"), v.get("y")) else {
                cx.err(
                    v,
                    format!("{what} needs both axes: `x:` and `y:` {{ label, unit, field }}"),
                );
                return None;
            };
            let x = read_axis(xn, "x", &what, true, cx)?;
            let y = read_axis(yn, "y", &what, true, cx)?;
            if !rows.is_empty() {
                for (a, node) in [(&x, xn), (&y, yn)] {
                    if a.field.is_none() {
                        cx.err(
                            node,
                            format!("{what} draws rows, so each axis needs the `field` it reads below a row"),
                        );
                    }
                }
            }
            if let Some(b) = v.get("best") {
                cx.err(
                    b,
                    "`best` marks the best bar of each group; a scatter has no bars",
                );
            }
            let marks = read_marks(v.get("points"), &["x", "y"], &what, cx);
            (x, Some(y), Vec::new(), marks)
        }
    };
    Some(ChartDef {
        id: id.to_string(),
        kind,
        title,
        note,
        best,
        x,
        y,
        rows,
        series,
        marks,
        span,
    })
}

fn read_rows(n: Option<&Node>, what: &str, cx: &mut FileCtx) -> Vec<(String, Span)> {
    let Some(n) = n else { return Vec::new() };
    let Some(items) = n.as_seq() else {
        cx.err(
            n,
            format!("`rows` of {what} must be a list of dataset entries"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for it in items {
        match it.as_str() {
            Some(s) if !it.is_null() => out.push((s.to_string(), cx.span(it))),
            _ => cx.err(it, format!("`rows` of {what} lists entry keys as text")),
        }
    }
    out
}

fn read_axis(n: &Node, name: &str, what: &str, field: bool, cx: &mut FileCtx) -> Option<AxisDef> {
    let where_ = format!("`{name}` of {what}");
    if n.as_map().is_none() {
        cx.err(n, format!("{where_} is a mapping: {{ label: …, unit: … }}"));
        return None;
    }
    let allowed: &[&str] = if field {
        &["label", "unit", "field"]
    } else {
        &["label", "unit"]
    };
    cx.only_keys(n, allowed, &where_);
    let label = cx.string(n, "label", &where_)?;
    let unit_name = cx.opt_string(n, "unit", &where_);
    let unit = match &unit_name {
        None => None,
        Some(u) => match cx.units.get(u) {
            Some(unit) => Some(unit),
            None => {
                if let Some(un) = n.get("unit") {
                    cx.err(un, format!("unknown unit `{u}` on {where_}"));
                }
                return None;
            }
        },
    };
    let field = if field {
        cx.opt_string(n, "field", &where_)
    } else {
        None
    };
    Some(AxisDef {
        label,
        unit_name,
        unit,
        field,
        span: cx.span(n),
    })
}

fn read_series(n: &Node, what: &str, cx: &mut FileCtx) -> Vec<SeriesDef> {
    let Some(items) = n.as_seq() else {
        cx.err(
            n,
            format!("`series` of {what} must be a list of {{ field, label }}"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for it in items {
        let where_ = format!("a series of {what}");
        if it.as_map().is_none() {
            cx.err(
                it,
                format!("{where_} is a mapping: {{ field: …, label: … }}"),
            );
            continue;
        }
        cx.only_keys(it, &["field", "label"], &where_);
        let Some(field) = cx.string(it, "field", &where_) else {
            continue;
        };
        let label = cx
            .opt_string(it, "label", &where_)
            .unwrap_or_else(|| field.clone());
        out.push(SeriesDef {
            field,
            label,
            span: cx.span(it),
        });
    }
    out
}

/// Reads `bars:` (`{ label, value }`) or `points:` (`{ label, x, y }`): each value a
/// citation expression, its syntax checked here.
fn read_marks(n: Option<&Node>, keys: &[&str], what: &str, cx: &mut FileCtx) -> Vec<MarkDef> {
    let Some(n) = n else { return Vec::new() };
    let Some(items) = n.as_seq() else {
        cx.err(n, format!("the marks of {what} must be a list"));
        return Vec::new();
    };
    let mut allowed = vec!["label"];
    allowed.extend_from_slice(keys);
    let mut out = Vec::new();
    for it in items {
        let where_ = format!("a mark of {what}");
        if it.as_map().is_none() {
            cx.err(
                it,
                format!(
                    "{where_} is a mapping: {{ {} }}",
                    allowed.join(": …, ") + ": …"
                ),
            );
            continue;
        }
        cx.only_keys(it, &allowed, &where_);
        let Some(label) = cx.string(it, "label", &where_) else {
            continue;
        };
        let mut exprs = Vec::new();
        for k in keys {
            let Some(src) = cx.string(it, k, &where_) else {
                continue;
            };
            if let Err(e) = expr::parse(&src) {
                let node = it.get(k).unwrap_or(it);
                cx.err(node, format!("in `{src}`: {}", e.message));
                continue;
            }
            exprs.push(src);
        }
        if exprs.len() == keys.len() {
            out.push(MarkDef {
                label,
                exprs,
                span: cx.span(it),
            });
        }
    }
    out
}
