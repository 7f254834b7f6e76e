//! Data tables and the disputes list, built from the dataset into renderer-neutral models,
//! so the HTML and the PDF print exactly the same cells.

use crate::figures::units::{convert, format_quantity, Quantity, Unit, UnitKind};
use crate::load::dataset::{Best, Credit, Dataset, Figure, Flag, TableDef};

/// One cell of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The formatted figure, `—` when the row has no such figure.
    pub text: String,
    /// The dataset key behind it.
    pub key: Option<String>,
    /// The figure's source reference (None for a derived figure).
    pub source: Option<String>,
    /// The figure's own flag.
    pub flag: Option<Flag>,
    /// Whether this is the column's best cell by the table's rule.
    pub best: bool,
    /// Tooltip text: key = value · source · as of.
    pub title: String,
}

/// A header cell: the column label and the unit all its cells share.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// The column label.
    pub label: String,
    /// The shared unit's name (`GB/s`), shown in the header; None when mixed or bare.
    pub unit: Option<String>,
}

/// A table ready to render.
#[derive(Clone, Debug, PartialEq)]
pub struct TableModel {
    /// The table's id.
    pub id: String,
    /// The caption.
    pub caption: String,
    /// The label of the first column.
    pub row_header: String,
    /// Column headers (after the row-label column).
    pub headers: Vec<Header>,
    /// Rows: label and cells.
    pub rows: Vec<(String, Vec<Cell>)>,
    /// Who the cells are from ([`Figure::attribution`]), in first-use order, for the
    /// sources line.
    pub sources: Vec<Credit>,
}

impl TableModel {
    /// The source references of its cells, in first-use order, without repeats.
    pub fn source_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for (_, cells) in &self.rows {
            for s in cells.iter().filter_map(|c| c.source.as_ref()) {
                if !keys.contains(s) {
                    keys.push(s.clone());
                }
            }
        }
        keys
    }
}

/// The label of a row: the entry's `row_label` field, its name, or its key.
fn row_label(ds: &Dataset, def: &TableDef, row: &str) -> String {
    let entry = ds.entries.get(row);
    let field = def.row_label.as_deref().unwrap_or("name");
    entry
        .and_then(|e| {
            if field == "name" {
                e.name.clone()
            } else {
                e.text.get(field).cloned()
            }
        })
        .unwrap_or_else(|| row.rsplit('.').next().unwrap_or(row).to_string())
}

/// A number comparable across a column: the value (midpoint of a range) in `unit`.
fn comparable(f: &Figure, unit: &Unit) -> Option<f64> {
    let (lo, hi) = f.value.bounds();
    convert((lo + hi) / 2.0, &f.unit, unit)
}

/// The tooltip text of a figure.
pub fn figure_title(ds: &Dataset, f: &Figure) -> String {
    let mut t = format!(
        "{} = {} · {}",
        f.key,
        format_quantity(&f.quantity()),
        f.attribution(ds)
    );
    if let Some(d) = f.as_of {
        t.push_str(&format!(" · as of {d}"));
    }
    t
}

/// Formats a figure for a cell; when the header carries the unit, only the number
/// (currencies keep their sign: `$3,999` reads better than `3,999`).
fn cell_text(f: &Figure, unit_in_header: bool) -> String {
    let q = f.quantity();
    if unit_in_header && q.unit.kind() == UnitKind::Other {
        return format_quantity(&Quantity::new(q.value, Unit::bare()));
    }
    format_quantity(&q)
}

/// Builds a table from its definition; every cell comes from the dataset.
pub fn build(ds: &Dataset, def: &TableDef) -> TableModel {
    let mut sources: Vec<Credit> = Vec::new();
    let mut headers = Vec::new();
    let mut columns: Vec<Vec<Cell>> = Vec::new();
    for col in &def.columns {
        let figs: Vec<Option<&Figure>> = def
            .rows
            .iter()
            .map(|r| ds.figures.get(&format!("{r}.{}", col.field)))
            .collect();
        let units: Vec<&Unit> = figs.iter().flatten().map(|f| &f.unit).collect();
        let shared = units
            .first()
            .filter(|u| units.iter().all(|v| v == *u))
            .filter(|u| u.kind() == UnitKind::Other || matches!(u.kind(), UnitKind::Money(_)))
            .map(|u| u.name.clone());
        let in_header = shared.is_some();
        let best_row = col.best.and_then(|rule| {
            let unit = units.first()?;
            let scored = figs
                .iter()
                .enumerate()
                .filter_map(|(i, f)| Some((i, comparable((*f)?, unit)?)));
            match rule {
                Best::Max => scored.max_by(|a, b| a.1.total_cmp(&b.1)),
                Best::Min => scored.min_by(|a, b| a.1.total_cmp(&b.1)),
            }
            .map(|(i, _)| i)
        });
        let cells = figs
            .iter()
            .enumerate()
            .map(|(i, f)| match f {
                Some(f) => {
                    let credit = f.credit(ds);
                    if !sources.contains(&credit) {
                        sources.push(credit);
                    }
                    Cell {
                        text: cell_text(f, in_header),
                        key: Some(f.key.clone()),
                        source: f.source.clone(),
                        flag: f.flag,
                        best: best_row == Some(i),
                        title: figure_title(ds, f),
                    }
                }
                None => Cell {
                    text: "—".into(),
                    key: None,
                    source: None,
                    flag: None,
                    best: false,
                    title: "no figure in the dataset".into(),
                },
            })
            .collect();
        headers.push(Header {
            label: col.label.clone(),
            unit: shared,
        });
        columns.push(cells);
    }
    let rows = def
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cells = columns.iter().map(|c| c[i].clone()).collect();
            (row_label(ds, def, r), cells)
        })
        .collect();
    TableModel {
        id: def.id.clone(),
        caption: def.caption.clone(),
        row_header: def
            .row_label
            .as_deref()
            .map(|f| if f == "name" { "" } else { f })
            .unwrap_or("")
            .to_string(),
        headers,
        rows,
        sources,
    }
}

/// One group of figures that disagree, for the disputes list.
#[derive(Clone, Debug, PartialEq)]
pub struct Dispute {
    /// The figures, each as (key, formatted value, source title, source URL, conditions, note).
    pub figures: Vec<DisputedFigure>,
}

/// One side of a dispute.
#[derive(Clone, Debug, PartialEq)]
pub struct DisputedFigure {
    /// The dataset key.
    pub key: String,
    /// A readable label: the entry's name and the field.
    pub label: String,
    /// The formatted value.
    pub value: String,
    /// The source's title.
    pub source: String,
    /// The source's URL, if known.
    pub url: Option<String>,
    /// Conditions, as `k: v` joined.
    pub conditions: String,
    /// The figure's note.
    pub note: String,
    /// As-of date.
    pub as_of: Option<String>,
}

/// Every disputed figure, grouped with the figures that dispute it (each group once).
pub fn disputes(ds: &Dataset) -> Vec<Dispute> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for f in ds.figures.values() {
        if f.disputed_by.is_empty() || seen.contains(&f.key) {
            continue;
        }
        // Gather the connected group.
        let mut group = vec![f.key.clone()];
        let mut i = 0;
        while i < group.len() {
            if let Some(g) = ds.figures.get(&group[i]) {
                for other in &g.disputed_by {
                    if ds.figures.contains_key(other) && !group.contains(other) {
                        group.push(other.clone());
                    }
                }
            }
            i += 1;
        }
        group.sort();
        let figures = group
            .iter()
            .filter_map(|k| ds.figures.get(k))
            .map(|g| disputed(ds, g))
            .collect();
        seen.extend(group);
        out.push(Dispute { figures });
    }
    out
}

fn disputed(ds: &Dataset, f: &Figure) -> DisputedFigure {
    let (entry_key, field) = f.key.rsplit_once('.').unwrap_or(("", &f.key));
    let name = ds
        .entries
        .get(entry_key)
        .and_then(|e| e.name.clone())
        .unwrap_or_else(|| entry_key.to_string());
    DisputedFigure {
        key: f.key.clone(),
        label: format!("{name}: {}", field.replace('_', " ")),
        value: format_quantity(&f.quantity()),
        source: f.attribution(ds),
        url: f.source_url(ds),
        conditions: f
            .conditions
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        note: f.note.clone().unwrap_or_default(),
        as_of: f.as_of.map(|d| d.to_string()),
    }
}
