//! Charts drawn from the dataset: a definition of `data/charts.yaml` built into a
//! renderer-neutral [`Chart`] (every mark a dataset figure or a citation expression,
//! converted into its axis's one unit), then written once as SVG ([`svg`]) for both the
//! page and the PDF.
//!
//! Takes the `Dataset` and a `ChartDef`; hands on a `Chart` (labels, values, sources,
//! conditions) or every `error[chart]` found, each at its YAML line.

pub mod svg;
#[cfg(test)]
mod tests;

use crate::diagnostics::{Diagnostic, Span};
use crate::figures::expr;
use crate::figures::units::{format_quantity, Quantity, Unit, UnitKind};
use crate::load::charts::{ChartDef, ChartKind};
use crate::load::dataset::{Best, Dataset, Figure, Flag};
use crate::shapes::evidence;

/// One value drawn on an axis, with what a reader needs to trust it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// Lowest value, in the axis unit (equal to `hi` for a single value).
    pub lo: f64,
    /// Highest value, in the axis unit.
    pub hi: f64,
    /// The value as printed (`52.77`, `€4,800–5,200`): the axis carries the unit.
    pub text: String,
    /// The expression as written (a key, or `a / b`).
    pub expr: String,
    /// The dataset keys it reads.
    pub keys: Vec<String>,
    /// Their source references, in order, without repeats.
    pub sources: Vec<String>,
    /// The first source's URL: where the mark links.
    pub url: Option<String>,
    /// The figure's flag, for a mark that is one figure.
    pub flag: Option<Flag>,
    /// The value and who reported it (never a dataset key), for tooltips.
    pub tooltip: String,
    /// Conditions of its figures that not every mark of the chart shares.
    pub conditions: Vec<(String, String)>,
}

impl Reading {
    /// The middle of the value: where a bar ends and a point sits.
    pub fn mid(&self) -> f64 {
        (self.lo + self.hi) / 2.0
    }
}

/// A bar: its label and reading (None when the row has no such figure), its series.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Printed beside the bar.
    pub label: String,
    /// The value, or None: "no figure".
    pub reading: Option<Reading>,
    /// Index into the chart's series (its colour).
    pub series: usize,
    /// The best bar of its group by the chart's `best` rule.
    pub best: bool,
}

/// A group of bars under one label (a model, say); ungrouped charts have one group without a label.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The group's label.
    pub label: Option<String>,
    /// Its bars, in order.
    pub bars: Vec<Bar>,
}

/// A labelled point of a scatter.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Printed beside the point.
    pub label: String,
    /// The x reading.
    pub x: Reading,
    /// The y reading.
    pub y: Reading,
}

/// An axis: its title and the one unit every value on it is in.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The axis title.
    pub label: String,
    /// The unit values are converted into.
    pub unit: Unit,
}

impl Axis {
    /// The title with its unit: `Generation speed (tok/s)`.
    pub fn title(&self) -> String {
        match self.unit.name.as_str() {
            "" => self.label.clone(),
            u => format!("{} ({u})", self.label),
        }
    }
}

/// What is drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// Horizontal bars along one value axis.
    Bars {
        /// The value axis.
        axis: Axis,
        /// Series names (one per colour); a single unnamed series when ungrouped.
        series: Vec<String>,
        /// The groups.
        groups: Vec<Group>,
    },
    /// Points, x against y.
    Scatter {
        /// The horizontal axis.
        x: Axis,
        /// The vertical axis.
        y: Axis,
        /// The points.
        points: Vec<Point>,
    },
}

/// A chart ready to draw, the same for the page and the PDF.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The chart's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The author's note.
    pub note: Option<String>,
    /// Conditions every figure of the chart shares (`runtime: ollama`).
    pub conditions: Vec<(String, String)>,
    /// The marks.
    pub body: Body,
    /// Source references of the marks, in first-use order.
    pub sources: Vec<String>,
    /// Whether a best rule marks bars (for the legend line).
    pub best: Option<Best>,
}

impl Chart {
    /// Every reading, in drawing order (for descriptions, data tables and places).
    pub fn readings(&self) -> Vec<&Reading> {
        match &self.body {
            Body::Bars { groups, .. } => groups
                .iter()
                .flat_map(|g| g.bars.iter().filter_map(|b| b.reading.as_ref()))
                .collect(),
            Body::Scatter { points, .. } => points.iter().flat_map(|p| [&p.x, &p.y]).collect(),
        }
    }

    /// What the marks beside values mean, for those the chart uses.
    pub fn legend(&self) -> Vec<&'static str> {
        let readings = self.readings();
        let mut legend = Vec::new();
        if self.best.is_some() {
            legend.push("▲ best in its group");
        }
        for (f, text) in [
            (Flag::Best, "★ best"),
            (Flag::Warn, "⚠ warning"),
            (Flag::Fatal, "✖ deal-breaker"),
        ] {
            if readings.iter().any(|r| r.flag == Some(f)) {
                legend.push(text);
            }
        }
        legend
    }

    /// The shared conditions as one line: `runtime: ollama, batch: 1`.
    pub fn conditions_text(&self) -> String {
        join_conditions(&self.conditions)
    }
}

/// `k: v` pairs joined with commas.
pub fn join_conditions(c: &[(String, String)]) -> String {
    c.iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The mark a flag adds to a value, and its word.
pub fn flag_mark(f: Flag) -> (&'static str, &'static str) {
    match f {
        Flag::Best => ("★", "best"),
        Flag::Warn => ("⚠", "warning"),
        Flag::Fatal => ("✖", "deal-breaker"),
    }
}

fn chart_error(span: &Span, msg: String) -> Diagnostic {
    Diagnostic::error("chart", span.clone(), msg)
}

/// A value evaluated but not yet placed on its axis.
struct Raw {
    q: Quantity,
    expr: String,
    keys: Vec<String>,
    span: Span,
}

/// Evaluates one expression; unknown keys and unit errors are reported at `span`.
fn evaluate(ds: &Dataset, src: &str, span: &Span, what: &str) -> Result<Raw, Diagnostic> {
    let parsed = expr::parse(src).map_err(|e| chart_error(span, format!("in `{src}`: {e}")))?;
    let keys: Vec<String> = expr::keys(&parsed).into_iter().map(|(k, _)| k).collect();
    for k in &keys {
        if !ds.figures.contains_key(k) {
            let mut d = chart_error(span, format!("{what}: `{k}` is no figure of the dataset"));
            if let Some(s) = ds.did_you_mean(k) {
                d = d.with_note(s);
            }
            return Err(d);
        }
    }
    let mut lookup = |k: &str| ds.figures.get(k).map(Figure::quantity);
    let q = expr::eval(&parsed, &mut lookup)
        .map_err(|e| chart_error(span, format!("{what}: in `{src}`: {e}")))?;
    Ok(Raw {
        q,
        expr: src.to_string(),
        keys,
        span: span.clone(),
    })
}

/// Puts raw values on one axis: the axis unit is the chart's, else the first value's;
/// a value of another dimension is an error at its own line.
struct AxisBuilder<'a> {
    label: String,
    unit: Option<Unit>,
    /// Where the unit came from, for messages.
    unit_from: String,
    name: &'a str,
}

impl AxisBuilder<'_> {
    fn place(&mut self, ds: &Dataset, raw: &Raw) -> Result<Reading, Diagnostic> {
        let unit = match &self.unit {
            Some(u) => u.clone(),
            None => {
                self.unit = Some(raw.q.unit.clone());
                self.unit_from = format!("from `{}`, its first value", raw.expr);
                raw.q.unit.clone()
            }
        };
        let Some(q) = raw.q.to_unit(&unit) else {
            return Err(chart_error(
                &raw.span,
                format!(
                    "`{}` is in {}, but the {} axis is in {} ({}): one axis, one dimension",
                    raw.expr,
                    raw.q.unit.label(),
                    self.name,
                    unit.label(),
                    self.unit_from
                ),
            )
            .with_note("draw it on another chart, or give the axis the unit it belongs to"));
        };
        Ok(reading(ds, raw, &q))
    }

    fn finish(self) -> Axis {
        Axis {
            label: self.label,
            unit: self.unit.unwrap_or_else(Unit::bare),
        }
    }
}

/// The printed value: the number, the unit left to the axis (money keeps its sign).
fn value_text(q: &Quantity) -> String {
    match q.unit.kind() {
        UnitKind::Other => format_quantity(&Quantity::new(q.value, Unit::bare())),
        _ => format_quantity(q),
    }
}

fn reading(ds: &Dataset, raw: &Raw, q: &Quantity) -> Reading {
    let (lo, hi) = q.value.bounds();
    let figures: Vec<&Figure> = raw.keys.iter().filter_map(|k| ds.figures.get(k)).collect();
    let mut sources: Vec<String> = Vec::new();
    // A derived figure has no source of its own; the sources of its inputs are listed.
    for s in figures.iter().filter_map(|f| f.source.as_ref()) {
        if !sources.contains(s) {
            sources.push(s.clone());
        }
    }
    let single = figures.len() == 1 && raw.expr.trim() == figures[0].key;
    // For readers: the value and who reported it, never the dataset's keys.
    let tooltip = if single {
        format!(
            "{} · {}",
            format_quantity(&figures[0].quantity()),
            evidence::source_line(ds, figures[0]).attribution()
        )
    } else {
        let terms: Vec<String> = figures
            .iter()
            .map(|f| {
                format!(
                    "{} ({})",
                    format_quantity(&f.quantity()),
                    evidence::source_line(ds, f).attribution()
                )
            })
            .collect();
        format!(
            "{} · worked out by this guide from {}",
            format_quantity(q),
            terms.join("; ")
        )
    };
    let mut conditions: Vec<(String, String)> = Vec::new();
    for f in &figures {
        for c in &f.conditions {
            if !conditions.contains(c) {
                conditions.push(c.clone());
            }
        }
    }
    Reading {
        lo,
        hi,
        text: value_text(q),
        expr: raw.expr.clone(),
        keys: raw.keys.clone(),
        url: sources.first().and_then(|s| ds.source_url(s)),
        sources,
        flag: if single { figures[0].flag } else { None },
        tooltip,
        conditions,
    }
}

/// The label of a row: its entry's name, else the last segment of its key.
fn row_label(ds: &Dataset, row: &str) -> String {
    ds.entries
        .get(row)
        .and_then(|e| e.name.clone())
        .unwrap_or_else(|| row.rsplit('.').next().unwrap_or(row).to_string())
}

/// A "no such entry" error at a row, with the nearest entry.
fn unknown_row(ds: &Dataset, row: &str, span: &Span, id: &str) -> Diagnostic {
    let mut d = chart_error(
        span,
        format!("chart `{id}` has row `{row}`, which is no entry of the dataset"),
    );
    if let Some(near) = crate::load::dataset::nearest(row, ds.entries.keys().map(String::as_str)) {
        d = d.with_note(format!("did you mean `{near}`?"));
    }
    d
}

/// Builds a chart from its definition; every problem is an `error[chart]` at its YAML line.
pub fn build(ds: &Dataset, def: &ChartDef) -> Result<Chart, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for (row, span) in &def.rows {
        if !ds.entries.contains_key(row) {
            errors.push(unknown_row(ds, row, span, &def.id));
        }
    }
    let axis = |a: &crate::load::charts::AxisDef, name: &'static str| AxisBuilder {
        label: a.label.clone(),
        unit: a.unit.clone(),
        unit_from: format!("its `unit` at {}", a.span),
        name,
    };
    let body = match def.kind {
        ChartKind::Bar => {
            let mut ax = axis(&def.x, "value");
            let grouped = def.series.len() > 1;
            let series: Vec<String> = if grouped {
                def.series.iter().map(|s| s.label.clone()).collect()
            } else {
                vec![def
                    .series
                    .first()
                    .map(|s| s.label.clone())
                    .unwrap_or_default()]
            };
            let rows: Vec<&(String, Span)> = def
                .rows
                .iter()
                .filter(|(r, _)| ds.entries.contains_key(r))
                .collect();
            let mut groups = Vec::new();
            let mut flat = Vec::new();
            let mut usable = vec![true; def.series.len()];
            for (i, s) in def.series.iter().enumerate() {
                let any = rows
                    .iter()
                    .any(|(r, _)| ds.figures.contains_key(&format!("{r}.{}", s.field)));
                if !any && !rows.is_empty() {
                    usable[i] = false;
                    let key = format!("{}.{}", rows[0].0, s.field);
                    let mut d = chart_error(
                        &s.span,
                        format!(
                            "series `{}` of chart `{}` is no figure below any of its rows (`{key}` is none)",
                            s.field, def.id
                        ),
                    );
                    if let Some(n) = ds.did_you_mean(&key) {
                        d = d.with_note(n);
                    }
                    errors.push(d);
                }
            }
            for (row, row_span) in rows {
                let mut bars = Vec::new();
                for (i, s) in def.series.iter().enumerate() {
                    if !usable[i] {
                        continue;
                    }
                    let key = format!("{row}.{}", s.field);
                    let label = if grouped {
                        s.label.clone()
                    } else {
                        row_label(ds, row)
                    };
                    let reading = if ds.figures.contains_key(&key) {
                        let span = if grouped { &s.span } else { row_span };
                        match evaluate(ds, &key, span, &format!("chart `{}`", def.id))
                            .and_then(|raw| ax.place(ds, &raw))
                        {
                            Ok(r) => Some(r),
                            Err(d) => {
                                errors.push(d);
                                None
                            }
                        }
                    } else {
                        None
                    };
                    bars.push(Bar {
                        label,
                        reading,
                        series: if grouped { i } else { 0 },
                        best: false,
                    });
                }
                if grouped {
                    groups.push(Group {
                        label: Some(row_label(ds, row)),
                        bars,
                    });
                } else {
                    flat.extend(bars);
                }
            }
            for m in &def.marks {
                let what = format!("bar \"{}\" of chart `{}`", m.label, def.id);
                match evaluate(ds, &m.exprs[0], &m.span, &what).and_then(|raw| ax.place(ds, &raw)) {
                    Ok(r) => flat.push(Bar {
                        label: m.label.clone(),
                        reading: Some(r),
                        series: 0,
                        best: false,
                    }),
                    Err(d) => errors.push(d),
                }
            }
            if !flat.is_empty() {
                groups.push(Group {
                    label: None,
                    bars: flat,
                });
            }
            if let Some(rule) = def.best {
                for g in &mut groups {
                    mark_best(g, rule);
                }
            }
            Body::Bars {
                axis: ax.finish(),
                series,
                groups,
            }
        }
        ChartKind::Scatter => {
            let Some(ydef) = &def.y else {
                return Err(vec![chart_error(
                    &def.span,
                    "a scatter needs a y axis".into(),
                )]);
            };
            let mut ax = axis(&def.x, "x");
            let mut ay = axis(ydef, "y");
            let mut points = Vec::new();
            let mut pairs: Vec<(String, [(String, Span); 2])> = Vec::new();
            if let (Some(fx), Some(fy)) = (&def.x.field, &ydef.field) {
                for (row, span) in &def.rows {
                    if !ds.entries.contains_key(row) {
                        continue;
                    }
                    let mut missing = false;
                    for f in [fx, fy] {
                        let key = format!("{row}.{f}");
                        if !ds.figures.contains_key(&key) {
                            missing = true;
                            let mut d = chart_error(
                                span,
                                format!(
                                    "row `{row}` of chart `{}` has no figure `{f}`: a point needs both axes (`{key}`)",
                                    def.id
                                ),
                            );
                            if let Some(n) = ds.did_you_mean(&key) {
                                d = d.with_note(n);
                            }
                            errors.push(d);
                        }
                    }
                    if !missing {
                        pairs.push((
                            row_label(ds, row),
                            [
                                (format!("{row}.{fx}"), span.clone()),
                                (format!("{row}.{fy}"), span.clone()),
                            ],
                        ));
                    }
                }
            }
            for m in &def.marks {
                pairs.push((
                    m.label.clone(),
                    [
                        (m.exprs[0].clone(), m.span.clone()),
                        (m.exprs[1].clone(), m.span.clone()),
                    ],
                ));
            }
            for (label, [(ex, sx), (ey, sy)]) in pairs {
                let what = format!("point \"{label}\" of chart `{}`", def.id);
                let x = evaluate(ds, &ex, &sx, &what).and_then(|r| ax.place(ds, &r));
                let y = evaluate(ds, &ey, &sy, &what).and_then(|r| ay.place(ds, &r));
                match (x, y) {
                    (Ok(x), Ok(y)) => points.push(Point { label, x, y }),
                    (x, y) => errors.extend(x.err().into_iter().chain(y.err())),
                }
            }
            Body::Scatter {
                x: ax.finish(),
                y: ay.finish(),
                points,
            }
        }
    };
    let empty = match &body {
        Body::Bars { groups, .. } => groups
            .iter()
            .all(|g| g.bars.iter().all(|b| b.reading.is_none())),
        Body::Scatter { points, .. } => points.is_empty(),
    };
    if empty && errors.is_empty() {
        let how = match def.kind {
            ChartKind::Bar => "`rows` with `series`, or `bars: [{ label, value }]`",
            ChartKind::Scatter => {
                "`rows` (with a `field` on each axis), or `points: [{ label, x, y }]`"
            }
        };
        errors.push(chart_error(
            &def.span,
            format!(
                "chart `{}` is empty: it has no figure to draw; give it {how}",
                def.id
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut chart = Chart {
        id: def.id.clone(),
        title: def.title.clone(),
        note: def.note.clone(),
        conditions: Vec::new(),
        body,
        sources: Vec::new(),
        best: def.best,
    };
    share_conditions(&mut chart);
    let mut sources = Vec::new();
    for r in chart.readings() {
        for s in &r.sources {
            if !sources.contains(s) {
                sources.push(s.clone());
            }
        }
    }
    chart.sources = sources;
    Ok(chart)
}

/// Marks the best bar of a group: the largest or smallest middle value.
fn mark_best(g: &mut Group, rule: Best) {
    let scored = g
        .bars
        .iter()
        .enumerate()
        .filter_map(|(i, b)| Some((i, b.reading.as_ref()?.mid())));
    let best = match rule {
        Best::Max => scored.max_by(|a, b| a.1.total_cmp(&b.1)),
        Best::Min => scored.min_by(|a, b| a.1.total_cmp(&b.1)),
    };
    if let Some((i, _)) = best {
        // Only one bar is no comparison.
        if g.bars.iter().filter(|b| b.reading.is_some()).count() > 1 {
            g.bars[i].best = true;
        }
    }
}

/// Moves the conditions every reading shares to the chart; each reading keeps the rest.
fn share_conditions(chart: &mut Chart) {
    let all: Vec<&Reading> = chart.readings();
    let Some(first) = all.first() else { return };
    let shared: Vec<(String, String)> = first
        .conditions
        .iter()
        .filter(|c| all.iter().all(|r| r.conditions.contains(c)))
        .cloned()
        .collect();
    let strip = |r: &mut Reading| r.conditions.retain(|c| !shared.contains(c));
    match &mut chart.body {
        Body::Bars { groups, .. } => groups
            .iter_mut()
            .flat_map(|g| g.bars.iter_mut().filter_map(|b| b.reading.as_mut()))
            .for_each(strip),
        Body::Scatter { points, .. } => {
            for p in points {
                strip(&mut p.x);
                strip(&mut p.y);
            }
        }
    }
    chart.conditions = shared;
}
