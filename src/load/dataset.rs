//! The shared dataset: every `data/**.yaml` loaded into figures, entries, sources, receipts,
//! tables and decision trees, each checked with its YAML file's own line and column.

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::figures::units::{Quantity, Unit, UnitRegistry, Value};
use crate::load::date::Date;
use crate::load::decisions::{Answer, Decision, DecisionTree};
use crate::load::yaml::{self, Node};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// How a figure is marked in tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// The best of its kind.
    Best,
    /// A caveat the reader should see.
    Warn,
    /// A deal-breaker.
    Fatal,
}

impl Flag {
    /// The word used in YAML, CSS classes and marks.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Best => "best",
            Flag::Warn => "warn",
            Flag::Fatal => "fatal",
        }
    }
}

/// A number with its provenance: the unit of everything sitegen checks.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Its full dotted key, e.g. `devices.dgx_spark.memory_bandwidth`.
    pub key: String,
    /// The value or range, in `unit`.
    pub value: Value,
    /// The unit as written, None for a bare count.
    pub unit_name: Option<String>,
    /// The resolved unit (a dimensionless count when `unit_name` is None).
    pub unit: Unit,
    /// The publication the figure was read in: a key of `data/sources.yaml`, or a URL.
    /// None for a derived figure, whose provenance is its inputs.
    pub source: Option<String>,
    /// The original that source quotes for the figure (a key of `data/sources.yaml`),
    /// e.g. a vendor's specification page a review repeats.
    pub quoted_from: Option<String>,
    /// Where `quoted_from` is written, for messages.
    pub quoted_from_span: Option<Span>,
    /// For a figure the guide computed: the expression over other figures it was computed
    /// from (`devices.dgx_spark.memory_bandwidth / bench.llama_3_3_70b.file_size`).
    pub derived: Option<String>,
    /// When the figure was true.
    pub as_of: Option<Date>,
    /// Why the figure is what it is.
    pub note: Option<String>,
    /// What makes two measurements comparable (runtime, quantization, context…).
    pub conditions: Vec<(String, String)>,
    /// Keys of figures that disagree with this one.
    pub disputed_by: Vec<String>,
    /// A mark shown in tables.
    pub flag: Option<Flag>,
    /// Where the figure is defined.
    pub span: Span,
}

impl Figure {
    /// The figure as a quantity for arithmetic and formatting.
    pub fn quantity(&self) -> Quantity {
        Quantity {
            value: self.value,
            unit: self.unit.clone(),
        }
    }

    /// Who the figure is from, in the words readers see in sources lines and chart
    /// titles: the source's title; "NVIDIA's figure, as reported by StarryHope" when the
    /// source quotes an original; "computed by this guide: EXPR" for a derived figure.
    pub fn attribution(&self, ds: &Dataset) -> String {
        if self.quoted_from.is_some() {
            self.attribution_naming(ds, &|s| ds.source_name(s))
        } else {
            self.attribution_naming(ds, &|s| ds.source_title(s))
        }
    }

    /// The one wording of provenance, with the source read named by `name` (tooltips and
    /// PDF notes name it by publisher and title); an original is named by its publisher.
    pub fn attribution_naming(&self, ds: &Dataset, name: &dyn Fn(&str) -> String) -> String {
        if let Some(expr) = &self.derived {
            return format!("computed by this guide: {}", expr.trim());
        }
        let source = self.source.as_deref().unwrap_or_default();
        match &self.quoted_from {
            Some(original) => format!(
                "{} figure, as reported by {}",
                possessive(&ds.source_name(original)),
                name(source)
            ),
            None => name(source),
        }
    }

    /// The URL a reader follows to check the figure: its source's (never the quoted
    /// original's, which nobody here read); None for a derived figure.
    pub fn source_url(&self, ds: &Dataset) -> Option<String> {
        ds.source_url(self.source.as_deref()?)
    }

    /// Its attribution and the link to follow, together.
    pub fn credit(&self, ds: &Dataset) -> Credit {
        Credit {
            text: self.attribution(ds),
            url: self.source_url(ds),
        }
    }
}

/// Who a figure is from, as readers see it ([`Figure::attribution`]), and where to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credit {
    /// The attribution text.
    pub text: String,
    /// The source's URL, None for a derived figure.
    pub url: Option<String>,
}

/// Half a unit of the last decimal `v` is written with: 0.05 for 2.3, 0.5 for 9398.
fn half_last_digit(v: f64) -> f64 {
    let text = format!("{v}");
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    0.5 * 10f64.powi(-(decimals as i32)) * (1.0 + 1e-9)
}

/// `NVIDIA` → `NVIDIA's`, `Phoronix` → `Phoronix's`, `The Register` → `The Register's`.
fn possessive(name: &str) -> String {
    if name.ends_with('s') && !name.ends_with("ss") {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// A mapping of the dataset that is not a figure: a device, a model, a benchmark group.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    /// Its full dotted key.
    pub key: String,
    /// Its display name, if given.
    pub name: Option<String>,
    /// Other names it is known by.
    pub aliases: Vec<String>,
    /// Other plain-text fields (vendor, kind…).
    pub text: BTreeMap<String, String>,
    /// Where it is defined.
    pub span: Span,
}

/// A source a figure cites: `data/sources.yaml`.
#[derive(Clone, Debug)]
pub struct Source {
    /// Its key.
    pub key: String,
    /// The title of the page or video.
    pub title: String,
    /// Where to read it.
    pub url: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published.
    pub date: Option<Date>,
}

/// An operational fix a source reports: `data/receipts.yaml`.
#[derive(Clone, Debug)]
pub struct Receipt {
    /// Its key.
    pub id: String,
    /// A one-line title.
    pub title: String,
    /// What the operator sees.
    pub symptom: String,
    /// What fixes it.
    pub fix: String,
    /// The command to run, if any.
    pub command: Option<String>,
    /// When its source reported the fix (`reported`, formerly `verified`).
    pub reported: Date,
    /// A source key or URL.
    pub source: String,
    /// Where it is defined.
    pub span: Span,
}

/// Which end of a column is best.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Best {
    /// The largest value is best.
    Max,
    /// The smallest value is best.
    Min,
}

/// One column of a data table.
#[derive(Clone, Debug)]
pub struct Column {
    /// The path below each row's entry, e.g. `memory_bandwidth`.
    pub field: String,
    /// The header text.
    pub label: String,
    /// Which cell to mark as best.
    pub best: Option<Best>,
    /// Where the column is defined in data/tables.yaml.
    pub span: Span,
}

/// A table defined in `data/tables.yaml`.
#[derive(Clone, Debug)]
pub struct TableDef {
    /// Its key.
    pub id: String,
    /// The caption.
    pub caption: String,
    /// Entry keys, one row each.
    pub rows: Vec<String>,
    /// The entry field that labels a row; None uses the entry's key.
    pub row_label: Option<String>,
    /// The columns.
    pub columns: Vec<Column>,
    /// Where it is defined.
    pub span: Span,
}

/// Everything in `data/`, checked.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Figures by full key.
    pub figures: BTreeMap<String, Figure>,
    /// Entries by full key.
    pub entries: BTreeMap<String, Entry>,
    /// Sources by key.
    pub sources: BTreeMap<String, Source>,
    /// Receipts by id.
    pub receipts: BTreeMap<String, Receipt>,
    /// Tables by id.
    pub tables: BTreeMap<String, TableDef>,
    /// Charts by id (`data/charts.yaml`).
    pub charts: BTreeMap<String, crate::load::charts::ChartDef>,
    /// Decision trees by id.
    pub decisions: BTreeMap<String, DecisionTree>,
    /// What exists but did not load, its own error already reported: `file:NS` for a
    /// data file that did not parse (`file:devices`, `file:decisions.buy`), `source:KEY`
    /// and `receipt:ID` for an entry missing a field. Nothing is reported again about them.
    pub not_loaded: std::collections::BTreeSet<String>,
}

/// Whether a dataset key segment is valid: `[a-z0-9_-]+`.
pub fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Collects problems of one file while it is read.
pub(crate) struct FileCtx<'a> {
    pub(crate) path: String,
    pub(crate) units: &'a UnitRegistry,
    pub(crate) diags: Diagnostics,
    /// The code of this file's errors: `dataset`, or `chart` for data/charts.yaml.
    pub(crate) code: &'static str,
}

impl FileCtx<'_> {
    pub(crate) fn span(&self, n: &Node) -> Span {
        Span::new(&self.path, n.line, n.col)
    }
    pub(crate) fn err(&mut self, n: &Node, msg: impl Into<String>) {
        let span = self.span(n);
        self.diags.push(Diagnostic::error(self.code, span, msg));
    }
    /// A required string field of a mapping.
    pub(crate) fn string(&mut self, map: &Node, key: &str, what: &str) -> Option<String> {
        match map.get(key) {
            Some(v) if v.as_str().is_some() && !v.is_null() => v.as_str().map(str::to_string),
            Some(v) => {
                self.err(v, format!("`{key}` of {what} must be text"));
                None
            }
            None => {
                self.err(map, format!("{what} has no `{key}`"));
                None
            }
        }
    }
    pub(crate) fn opt_string(&mut self, map: &Node, key: &str, what: &str) -> Option<String> {
        map.get(key)?;
        self.string(map, key, what)
    }
    fn date(&mut self, map: &Node, key: &str, what: &str) -> Option<Date> {
        let v = map.get(key)?;
        match v.as_str().and_then(Date::parse) {
            Some(d) => Some(d),
            None => {
                self.err(v, format!("`{key}` of {what} is not a date (YYYY-MM-DD)"));
                None
            }
        }
    }
    pub(crate) fn only_keys(&mut self, map: &Node, allowed: &[&str], what: &str) {
        for (k, _) in map.as_map().unwrap_or(&[]) {
            let name = k.as_str().unwrap_or("");
            if !allowed.contains(&name) {
                self.err(
                    k,
                    format!(
                        "unknown key `{name}` in {what}; allowed: {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }
}

impl Dataset {
    /// Loads and checks every YAML file under `root/data`.
    pub fn load(
        root: &Path,
        units: &UnitRegistry,
        max_bytes: u64,
        diags: &mut Diagnostics,
    ) -> Dataset {
        Dataset::load_with(root, units, max_bytes, &HashMap::new(), diags)
    }

    /// [`Dataset::load`], reading a file's text from `unsaved` (by path from the root,
    /// `data/devices.yaml`) when it is there: an editor's buffer, for the language server.
    pub fn load_with(
        root: &Path,
        units: &UnitRegistry,
        max_bytes: u64,
        unsaved: &HashMap<String, String>,
        diags: &mut Diagnostics,
    ) -> Dataset {
        let mut ds = Dataset::default();
        let mut problems = Vec::new();
        let files = crate::load::walk::site_files(
            root,
            "data",
            "data",
            &|rel| rel.ends_with(".yaml") || rel.ends_with(".yml"),
            &mut problems,
        );
        diags.extend(problems);
        for crate::load::walk::Found { path, rel } in files {
            let read = match unsaved.get(&rel) {
                Some(t) => Ok(t.clone()),
                None => crate::load::content::read_text(&path, &rel, max_bytes),
            };
            let text = match read {
                Ok(t) => t,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            let node = match yaml::parse(&text) {
                Ok(n) => n,
                Err(e) => {
                    let inner = rel.strip_prefix("data/").unwrap_or(&rel);
                    let ns = inner.trim_end_matches(".yaml").trim_end_matches(".yml");
                    ds.not_loaded
                        .insert(format!("file:{}", ns.replace('/', ".")));
                    diags.push(Diagnostic::error(
                        "yaml",
                        Span::new(&rel, e.line, e.col),
                        e.message,
                    ));
                    continue;
                }
            };
            let mut cx = FileCtx {
                path: rel.clone(),
                units,
                diags: Diagnostics::new(),
                code: if rel == "data/charts.yaml" {
                    "chart"
                } else {
                    "dataset"
                },
            };
            let inner = rel.strip_prefix("data/").unwrap_or(&rel);
            let stem = inner
                .trim_end_matches(".yaml")
                .trim_end_matches(".yml")
                .to_string();
            if node.as_map().is_none() {
                cx.err(&node, "a data file must be a mapping of keys");
            } else if stem == "sources" {
                ds.read_sources(&node, &mut cx);
            } else if stem == "receipts" {
                ds.read_receipts(&node, &mut cx);
            } else if stem == "tables" {
                ds.read_tables(&node, &mut cx);
            } else if stem == "charts" {
                ds.charts = crate::load::charts::read(&node, &mut cx);
            } else if let Some(id) = stem.strip_prefix("decisions/") {
                ds.read_decision(id, &node, &mut cx);
            } else {
                let ns = stem.replace('/', ".");
                if ns.split('.').all(valid_key) {
                    ds.read_entry(&ns, &node, &mut cx);
                } else {
                    cx.err(
                        &node,
                        format!("file name `{stem}` must be a key: a-z, 0-9, `_` and `-`"),
                    );
                }
            }
            diags.extend(cx.diags);
        }
        ds.check_references(diags);
        ds
    }

    fn read_sources(&mut self, node: &Node, cx: &mut FileCtx) {
        for (k, v) in node.as_map().unwrap_or(&[]) {
            let Some(key) = checked_key(k, cx) else {
                continue;
            };
            if v.as_map().is_none() {
                cx.err(
                    v,
                    format!("source `{key}` must be a mapping with title and url"),
                );
                self.not_loaded.insert(format!("source:{key}"));
                continue;
            }
            let what = format!("source `{key}`");
            cx.only_keys(v, &["title", "url", "publisher", "date"], &what);
            let title = cx.string(v, "title", &what);
            let url = cx.string(v, "url", &what);
            if let Some(u) = &url {
                if !is_url(u) {
                    if let Some(n) = v.get("url") {
                        cx.err(
                            n,
                            format!("url of {what} must start with https:// or http://"),
                        );
                    }
                }
            }
            let publisher = cx.opt_string(v, "publisher", &what);
            let date = cx.date(v, "date", &what);
            if title.is_none() || url.is_none() {
                self.not_loaded.insert(format!("source:{key}"));
            }
            if let (Some(title), Some(url)) = (title, url) {
                self.sources.insert(
                    key.clone(),
                    Source {
                        key,
                        title,
                        url,
                        publisher,
                        date,
                    },
                );
            }
        }
    }

    fn read_receipts(&mut self, node: &Node, cx: &mut FileCtx) {
        for (k, v) in node.as_map().unwrap_or(&[]) {
            let Some(id) = checked_key(k, cx) else {
                continue;
            };
            if v.as_map().is_none() {
                cx.err(v, format!("receipt `{id}` must be a mapping"));
                self.not_loaded.insert(format!("receipt:{id}"));
                continue;
            }
            let what = format!("receipt `{id}`");
            cx.only_keys(
                v,
                &[
                    "title", "symptom", "fix", "command", "reported", "verified", "source",
                ],
                &what,
            );
            let title = cx.string(v, "title", &what);
            let symptom = cx.string(v, "symptom", &what);
            let fix = cx.string(v, "fix", &what);
            let command = cx.opt_string(v, "command", &what);
            let source = cx.string(v, "source", &what);
            // `verified` is the old name of `reported`, still read.
            let reported = match (v.get("reported"), v.get("verified")) {
                (Some(_), Some(old)) => {
                    cx.err(old, format!("{what} has both `reported` and its old name `verified`; keep `reported`"));
                    None
                }
                (Some(_), None) => cx.date(v, "reported", &what),
                (None, Some(_)) => cx.date(v, "verified", &what),
                (None, None) => {
                    cx.err(
                        v,
                        format!(
                            "{what} has no `reported` date: when did its source report the fix?"
                        ),
                    );
                    None
                }
            };
            if let (Some(title), Some(symptom), Some(fix), Some(source), Some(reported)) =
                (title, symptom, fix, source, reported)
            {
                let span = cx.span(v);
                self.receipts.insert(
                    id.clone(),
                    Receipt {
                        id,
                        title,
                        symptom,
                        fix,
                        command,
                        reported,
                        source,
                        span,
                    },
                );
            } else {
                self.not_loaded.insert(format!("receipt:{id}"));
            }
        }
    }

    fn read_tables(&mut self, node: &Node, cx: &mut FileCtx) {
        for (k, v) in node.as_map().unwrap_or(&[]) {
            let Some(id) = checked_key(k, cx) else {
                continue;
            };
            let what = format!("table `{id}`");
            if v.as_map().is_none() {
                cx.err(
                    v,
                    format!("{what} must be a mapping with caption, rows and columns"),
                );
                continue;
            }
            cx.only_keys(v, &["caption", "rows", "row_label", "columns"], &what);
            let caption = cx.opt_string(v, "caption", &what).unwrap_or_default();
            let row_label = cx.opt_string(v, "row_label", &what);
            let rows = string_list(v.get("rows"), "rows", &what, cx);
            if rows.is_empty() {
                cx.err(v, format!("{what} has no rows"));
            }
            let mut columns = Vec::new();
            match v.get("columns").and_then(Node::as_seq) {
                Some(cols) if !cols.is_empty() => {
                    for c in cols {
                        if let Some(col) = read_column(c, &what, cx) {
                            columns.push(col);
                        }
                    }
                }
                _ => cx.err(v, format!("{what} needs a list of `columns`")),
            }
            let span = cx.span(v);
            self.tables.insert(
                id.clone(),
                TableDef {
                    id,
                    caption,
                    rows,
                    row_label,
                    columns,
                    span,
                },
            );
        }
    }

    fn read_decision(&mut self, id: &str, node: &Node, cx: &mut FileCtx) {
        if !valid_key(id) {
            cx.err(
                node,
                format!("decision file name `{id}` must be a key: a-z, 0-9, `_` and `-`"),
            );
            return;
        }
        if let Some(root) = read_decision_node(node, 1, cx) {
            let span = Span::file(&cx.path);
            self.decisions.insert(
                id.to_string(),
                DecisionTree {
                    id: id.to_string(),
                    root,
                    span,
                },
            );
        }
    }

    /// Reads a mapping of the namespace: an entry whose children are figures, text or entries.
    fn read_entry(&mut self, key: &str, node: &Node, cx: &mut FileCtx) {
        let mut entry = Entry {
            key: key.to_string(),
            span: cx.span(node),
            ..Entry::default()
        };
        for (k, v) in node.as_map().unwrap_or(&[]) {
            let Some(name) = checked_key(k, cx) else {
                continue;
            };
            let full = format!("{key}.{name}");
            match &v.kind {
                yaml::Kind::Map(_) if is_figure(v) => {
                    if let Some(f) = read_figure(&full, v, cx) {
                        self.figures.insert(full, f);
                    }
                }
                yaml::Kind::Map(_) => self.read_entry(&full, v, cx),
                yaml::Kind::Seq(items) if name == "aliases" => {
                    for it in items {
                        match it.as_str() {
                            Some(s) => entry.aliases.push(s.to_string()),
                            None => cx.err(it, "aliases are names: write them as text"),
                        }
                    }
                }
                yaml::Kind::Seq(_) => cx.err(
                    v,
                    format!("`{full}` is a list; only `aliases` may be a list in an entry"),
                ),
                yaml::Kind::Scalar { text, quoted } => {
                    if !quoted && v.as_f64().is_some() {
                        cx.err(
                            v,
                            format!(
                                "`{full}` is a bare number; a figure needs its provenance: write `{{ value: {text}, unit: …, source: … }}`"
                            ),
                        );
                    } else if name == "name" {
                        entry.name = Some(text.clone());
                    } else {
                        entry.text.insert(name, text.clone());
                    }
                }
            }
        }
        self.entries.insert(key.to_string(), entry);
    }

    /// Checks what can only be checked once every file is read: sources and disputes.
    fn check_references(&self, diags: &mut Diagnostics) {
        for f in self.figures.values() {
            if let Some(source) = &f.source {
                if !is_url(source)
                    && !self.sources.contains_key(source)
                    && !self.did_not_load("source", source)
                {
                    diags.push(self.unknown_source(source, f.span.clone(), &f.key));
                }
            }
            if let Some(original) = &f.quoted_from {
                if !self.sources.contains_key(original) && !self.did_not_load("source", original) {
                    let span = f.quoted_from_span.clone().unwrap_or_else(|| f.span.clone());
                    let mut d = Diagnostic::error(
                        "dataset",
                        span,
                        format!(
                            "{} is quoted_from `{original}`, which data/sources.yaml does not define",
                            f.key
                        ),
                    );
                    let keys: Vec<&str> = self.sources.keys().map(String::as_str).collect();
                    if let Some(near) = nearest(original, keys.iter().copied()) {
                        d = d.with_note(format!("did you mean `{near}`?"));
                    }
                    diags.push(d);
                }
            }
            if let Some(expr) = &f.derived {
                self.check_derived(f, expr, diags);
            }
            for other in &f.disputed_by {
                if !self.figures.contains_key(other) {
                    let mut d = Diagnostic::error(
                        "dataset",
                        f.span.clone(),
                        format!("{} is disputed_by `{other}`, which is no figure", f.key),
                    );
                    if let Some(s) = self.did_you_mean(other) {
                        d = d.with_note(s);
                    }
                    diags.push(d);
                }
            }
        }
        for r in self.receipts.values() {
            if !is_url(&r.source)
                && !self.sources.contains_key(&r.source)
                && !self.did_not_load("source", &r.source)
            {
                diags.push(self.unknown_source(&r.source, r.span.clone(), &r.id));
            }
        }
    }

    /// A derived figure's expression must parse, read only figures, and give the figure's
    /// value (when its unit converts into the figure's; within half a percent).
    fn check_derived(&self, f: &Figure, expr: &str, diags: &mut Diagnostics) {
        use crate::figures::expr;
        let err = |msg: String| Diagnostic::error("dataset", f.span.clone(), msg);
        let parsed = match expr::parse(expr) {
            Ok(p) => p,
            Err(e) => {
                diags.push(err(format!(
                    "{} is derived from `{expr}`, which is no expression: {}",
                    f.key, e.message
                )));
                return;
            }
        };
        let mut lookup = |k: &str| self.figures.get(k).map(Figure::quantity);
        match expr::eval(&parsed, &mut lookup) {
            Err(expr::EvalError::UnknownKey { path, .. }) => {
                let mut d = err(format!(
                    "{} is derived from `{path}`, which is no figure",
                    f.key
                ));
                if let Some(s) = self.did_you_mean(&path) {
                    d = d.with_note(s);
                }
                diags.push(d);
            }
            Err(expr::EvalError::Unit(m)) => diags.push(err(format!(
                "{} is derived from `{expr}`, whose units do not combine: {m}",
                f.key
            ))),
            Err(expr::EvalError::DivByZero) => diags.push(err(format!(
                "{} is derived from `{expr}`, which divides by zero",
                f.key
            ))),
            Ok(q) => {
                let Some(got) = q.to_unit(&f.unit) else {
                    return;
                };
                let (want_lo, want_hi) = f.value.bounds();
                let (got_lo, got_hi) = got.value.bounds();
                // Agreement to the decimals the figure is written with: 2.3 takes 2.297.
                let close = |want: f64, got: f64| (want - got).abs() <= half_last_digit(want);
                if !(close(want_lo, got_lo) && close(want_hi, got_hi)) {
                    diags.push(err(format!(
                        "{} = {} but `{expr}` gives {}",
                        f.key,
                        crate::figures::units::format_quantity(&f.quantity()),
                        crate::figures::units::format_quantity(&got)
                    )));
                }
            }
        }
    }

    fn unknown_source(&self, source: &str, span: Span, of: &str) -> Diagnostic {
        let mut d = Diagnostic::error(
            "dataset",
            span,
            format!("{of} cites source `{source}`, which data/sources.yaml does not define"),
        );
        let keys: Vec<&str> = self.sources.keys().map(String::as_str).collect();
        if let Some(near) = nearest(source, keys.iter().copied()) {
            d = d.with_note(format!("did you mean `{near}`?"));
        }
        d
    }

    /// Whether `id` of this kind (`key`, `source`, `receipt`, `table`, `decision`) exists
    /// but did not load, so that an error about it would repeat one already reported.
    pub fn did_not_load(&self, kind: &str, id: &str) -> bool {
        let file = |ns: &str| self.not_loaded.contains(&format!("file:{ns}"));
        match kind {
            "key" => self
                .not_loaded
                .iter()
                .filter_map(|n| n.strip_prefix("file:"))
                .any(|ns| id == ns || (id.starts_with(ns) && id[ns.len()..].starts_with('.'))),
            "source" => file("sources") || self.not_loaded.contains(&format!("source:{id}")),
            "receipt" => file("receipts") || self.not_loaded.contains(&format!("receipt:{id}")),
            "table" => file("tables"),
            "decision" => file(&format!("decisions.{id}")),
            _ => false,
        }
    }

    /// The figure keys nearest to `key` (at most three, best first).
    pub fn nearest_keys(&self, key: &str) -> Vec<&str> {
        let mut scored: Vec<(f64, &str)> = self
            .figures
            .keys()
            .map(|k| (strsim::normalized_levenshtein(key, k), k.as_str()))
            .filter(|(s, _)| *s > 0.6)
            .collect();
        // Keys under the same entry as the unknown one are likely too.
        if let Some((prefix, _)) = key.rsplit_once('.') {
            for k in self.figures.keys() {
                if k.starts_with(prefix) && !scored.iter().any(|(_, s)| s == k) {
                    scored.push((0.5, k));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(3).map(|(_, k)| k).collect()
    }

    /// A "did you mean" note naming the figure keys nearest to `key`.
    pub fn did_you_mean(&self, key: &str) -> Option<String> {
        let near = self.nearest_keys(key);
        if near.is_empty() {
            return None;
        }
        let names: Vec<String> = near.iter().map(|k| format!("`{k}`")).collect();
        Some(format!("did you mean {}?", names.join(" or ")))
    }

    /// The source a figure or receipt names, when it is a key of sources.yaml.
    pub fn source(&self, key_or_url: &str) -> Option<&Source> {
        self.sources.get(key_or_url)
    }

    /// The URL a source reference leads to (a key's url, or the URL itself).
    pub fn source_url(&self, key_or_url: &str) -> Option<String> {
        match self.sources.get(key_or_url) {
            Some(s) => Some(s.url.clone()),
            None if is_url(key_or_url) => Some(key_or_url.to_string()),
            None => None,
        }
    }

    /// Who published a source: its publisher, else its title (or the URL itself).
    pub fn source_name(&self, key_or_url: &str) -> String {
        match self.sources.get(key_or_url) {
            Some(s) => s.publisher.clone().unwrap_or_else(|| s.title.clone()),
            None => key_or_url.to_string(),
        }
    }

    /// A short human name for a source reference: its title, or the URL.
    pub fn source_title(&self, key_or_url: &str) -> String {
        self.sources
            .get(key_or_url)
            .map_or_else(|| key_or_url.to_string(), |s| s.title.clone())
    }

    /// Every name the dataset knows (entries' names and aliases), for the uncited check.
    pub fn known_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .entries
            .values()
            .flat_map(|e| e.name.iter().chain(e.aliases.iter()))
            .map(String::as_str)
            .collect();
        // Longest first, so "RTX 4090 D" wins over "RTX 4090".
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names.dedup();
        names
    }
}

/// The closest of `candidates` to `word`, when any is close.
pub fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::normalized_levenshtein(word, c), c))
        .filter(|(s, _)| *s > 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Whether a source reference is a URL rather than a key.
pub fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// A mapping is a figure when it has a value, a range, or the keys only figures have.
fn is_figure(v: &Node) -> bool {
    ["value", "min", "max", "unit", "source", "derived", "as_of"]
        .iter()
        .any(|k| v.get(k).is_some())
}

pub(crate) fn checked_key(k: &Node, cx: &mut FileCtx) -> Option<String> {
    let key = k.as_str().unwrap_or("");
    if valid_key(key) {
        Some(key.to_string())
    } else {
        cx.err(
            k,
            format!("key `{key}` may hold only a-z, 0-9, `_` and `-`"),
        );
        None
    }
}

const FIGURE_KEYS: &[&str] = &[
    "value",
    "min",
    "max",
    "unit",
    "source",
    "quoted_from",
    "derived",
    "as_of",
    "note",
    "conditions",
    "disputed_by",
    "flag",
];

fn read_figure(key: &str, v: &Node, cx: &mut FileCtx) -> Option<Figure> {
    let what = format!("figure `{key}`");
    cx.only_keys(v, FIGURE_KEYS, &what);
    let num = |cx: &mut FileCtx, name: &str| -> Option<f64> {
        let n = v.get(name)?;
        let x = n.as_f64();
        if x.is_none() {
            cx.err(n, format!("`{name}` of {what} must be a number"));
        }
        x
    };
    let value = match (v.get("value"), v.get("min"), v.get("max")) {
        (Some(_), None, None) => Value::Single(num(cx, "value")?),
        (None, Some(_), Some(_)) => {
            let (lo, hi) = (num(cx, "min"), num(cx, "max"));
            let (lo, hi) = (lo?, hi?);
            if lo > hi {
                cx.err(v, format!("{what} has min {lo} above max {hi}"));
                return None;
            }
            Value::Range(lo, hi)
        }
        (Some(_), _, _) => {
            cx.err(
                v,
                format!("{what} has both `value` and `min`/`max`; keep one"),
            );
            return None;
        }
        _ => {
            cx.err(
                v,
                format!("{what} has no value: give `value`, or `min` and `max`"),
            );
            return None;
        }
    };
    let unit_name = cx.opt_string(v, "unit", &what);
    let unit = match &unit_name {
        None => Unit::bare(),
        Some(u) => match cx.units.get(u) {
            Some(unit) => unit,
            None => {
                let n = v.get("unit").unwrap_or(v);
                let mut d = Diagnostic::error(
                    "dataset",
                    cx.span(n),
                    format!("{what} has unknown unit `{u}`"),
                );
                let mut known: Vec<(f64, &str)> = cx
                    .units
                    .canonical_units()
                    .into_iter()
                    .filter(|k| !k.name.is_empty())
                    .map(|k| (strsim::normalized_levenshtein(u, &k.name), k.name.as_str()))
                    .collect();
                // Best first; ties alphabetically, so the note is the same every run.
                known.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
                if let Some((_, near)) = known.first().filter(|(score, _)| *score > 0.5) {
                    d = d.with_note(format!(
                        "did you mean `{near}`? (sitegen.toml [units] may add aliases)"
                    ));
                }
                let names: Vec<&str> = known.iter().take(6).map(|(_, n)| *n).collect();
                d = d.with_note(format!("the nearest known units: {}", names.join(", ")));
                cx.diags.push(d);
                return None;
            }
        },
    };
    let derived = cx.opt_string(v, "derived", &what);
    let source = match (v.get("source"), &derived) {
        (Some(n), Some(_)) => {
            cx.err(
                n,
                format!("{what} is derived, so it has no `source`: its provenance is the figures it is computed from"),
            );
            return None;
        }
        (Some(_), None) => Some(cx.string(v, "source", &what)?),
        (None, Some(_)) => None,
        (None, None) => {
            cx.err(
                v,
                format!("{what} has no `source`: every figure says where it comes from (or, if computed, `derived` says from what)"),
            );
            return None;
        }
    };
    let quoted_from = cx.opt_string(v, "quoted_from", &what);
    let quoted_from_span = v.get("quoted_from").map(|n| cx.span(n));
    if let (Some(_), Some(n)) = (&derived, v.get("quoted_from")) {
        cx.err(
            n,
            format!(
                "{what} is derived; only a figure read in a source can be quoted_from an original"
            ),
        );
        return None;
    }
    let as_of = cx.date(v, "as_of", &what);
    let note = cx.opt_string(v, "note", &what);
    let mut conditions = Vec::new();
    if let Some(c) = v.get("conditions") {
        match &c.kind {
            yaml::Kind::Map(m) => {
                for (ck, cv) in m {
                    match (ck.as_str(), cv.as_str()) {
                        (Some(a), Some(b)) => conditions.push((a.to_string(), b.to_string())),
                        _ => cx.err(cv, "conditions are short texts or numbers"),
                    }
                }
            }
            yaml::Kind::Scalar { text, .. } => conditions.push(("conditions".into(), text.clone())),
            yaml::Kind::Seq(_) => cx.err(c, format!("`conditions` of {what} must be a mapping")),
        }
    }
    let disputed_by = string_list(v.get("disputed_by"), "disputed_by", &what, cx);
    let flag = match v.get("flag") {
        None => None,
        Some(n) => match n.as_str() {
            Some("best") => Some(Flag::Best),
            Some("warn") => Some(Flag::Warn),
            Some("fatal") => Some(Flag::Fatal),
            _ => {
                cx.err(n, format!("`flag` of {what} must be best, warn or fatal"));
                None
            }
        },
    };
    Some(Figure {
        key: key.to_string(),
        value,
        unit_name,
        unit,
        source,
        quoted_from,
        quoted_from_span,
        derived,
        as_of,
        note,
        conditions,
        disputed_by,
        flag,
        span: cx.span(v),
    })
}

pub(crate) fn string_list(
    n: Option<&Node>,
    name: &str,
    what: &str,
    cx: &mut FileCtx,
) -> Vec<String> {
    let Some(n) = n else { return Vec::new() };
    if let Some(s) = n.as_str() {
        return vec![s.to_string()];
    }
    let mut out = Vec::new();
    match n.as_seq() {
        Some(items) => {
            for it in items {
                match it.as_str() {
                    Some(s) => out.push(s.to_string()),
                    None => cx.err(it, format!("`{name}` of {what} lists keys as text")),
                }
            }
        }
        None => cx.err(n, format!("`{name}` of {what} must be a list")),
    }
    out
}

fn read_column(c: &Node, what: &str, cx: &mut FileCtx) -> Option<Column> {
    if c.as_map().is_none() {
        cx.err(
            c,
            format!("a column of {what} is a mapping: {{ field: …, label: … }}"),
        );
        return None;
    }
    cx.only_keys(
        c,
        &["field", "label", "best"],
        &format!("a column of {what}"),
    );
    let field = cx.string(c, "field", &format!("a column of {what}"))?;
    let label = cx
        .opt_string(c, "label", what)
        .unwrap_or_else(|| field.clone());
    let best = match c.get("best").map(|b| (b, b.as_str())) {
        None => None,
        Some((_, Some("max"))) => Some(Best::Max),
        Some((_, Some("min"))) => Some(Best::Min),
        Some((b, _)) => {
            cx.err(b, "`best` must be max or min");
            None
        }
    };
    Some(Column {
        field,
        label,
        best,
        span: cx.span(c.get("field").unwrap_or(c)),
    })
}

/// Reads a decision node: `question` + `answers`, or `outcome`.
fn read_decision_node(n: &Node, depth: usize, cx: &mut FileCtx) -> Option<Decision> {
    if depth > 32 {
        cx.err(n, "decision tree is deeper than 32 levels");
        return None;
    }
    if n.as_map().is_none() {
        cx.err(
            n,
            "a decision node is a mapping with `question` and `answers`",
        );
        return None;
    }
    if n.get("outcome").is_some() {
        return cx.string(n, "outcome", "an outcome").map(Decision::Outcome);
    }
    cx.only_keys(n, &["question", "answers"], "a decision node");
    let text = cx.string(n, "question", "a decision node")?;
    let mut answers = Vec::new();
    match n.get("answers").and_then(Node::as_seq) {
        Some(items) if !items.is_empty() => {
            for a in items {
                if a.as_map().is_none() {
                    cx.err(
                        a,
                        "an answer is a mapping: { label: …, next: … } or { label: …, outcome: … }",
                    );
                    continue;
                }
                cx.only_keys(a, &["label", "next", "outcome"], "an answer");
                let Some(label) = cx.string(a, "label", "an answer") else {
                    continue;
                };
                let next = match (a.get("next"), a.get("outcome")) {
                    (Some(next), None) => read_decision_node(next, depth + 1, cx),
                    (None, Some(o)) => match o.as_str() {
                        Some(s) => Some(Decision::Outcome(s.to_string())),
                        None => {
                            cx.err(o, "an outcome is text");
                            None
                        }
                    },
                    _ => {
                        cx.err(
                            a,
                            format!("answer `{label}` needs either `next` or `outcome`"),
                        );
                        None
                    }
                };
                if let Some(next) = next {
                    answers.push(Answer { label, next });
                }
            }
        }
        _ => cx.err(n, format!("question `{text}` has no `answers` list")),
    }
    Some(Decision::Question { text, answers })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads a dataset written into a fresh folder: `files` are (path under data/, text).
    fn load(name: &str, files: &[(&str, &str)]) -> (Dataset, Vec<String>) {
        let root =
            std::env::temp_dir().join(format!("sitegen-dataset-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in files {
            let p = root.join("data").join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let mut diags = Diagnostics::new();
        let ds = Dataset::load(&root, &UnitRegistry::new(), 1 << 20, &mut diags);
        let _ = std::fs::remove_dir_all(&root);
        let msgs = diags
            .iter()
            .map(|d| {
                format!(
                    "{}[{}]: {}: {}",
                    d.level.as_str(),
                    d.code,
                    d.span,
                    d.message
                )
            })
            .collect();
        (ds, msgs)
    }

    const SOURCES: &str = "starryhope:\n  title: The DGX Spark and the Reality of Local AI Hardware in 2026\n  url: https://www.starryhope.com/x\n  publisher: StarryHope\nnvidia:\n  title: DGX Spark product page\n  url: https://www.nvidia.com/x\n  publisher: NVIDIA\n";

    #[test]
    fn quoted_from_names_the_original_beside_the_source() {
        let (ds, msgs) = load(
            "quoted",
            &[
                ("sources.yaml", SOURCES),
                (
                    "devices.yaml",
                    "spark:\n  memory: { value: 128, unit: GB, source: starryhope, quoted_from: nvidia }\n  bandwidth: { value: 273, unit: GB/s, source: starryhope }\n",
                ),
            ],
        );
        assert!(msgs.is_empty(), "{msgs:?}");
        let memory = &ds.figures["devices.spark.memory"];
        assert_eq!(memory.source.as_deref(), Some("starryhope"));
        assert_eq!(memory.quoted_from.as_deref(), Some("nvidia"));
        assert_eq!(
            memory.attribution(&ds),
            "NVIDIA's figure, as reported by StarryHope"
        );
        assert_eq!(
            memory.source_url(&ds).as_deref(),
            Some("https://www.starryhope.com/x"),
            "the link leads to the text that was read, not to the original"
        );
        let bandwidth = &ds.figures["devices.spark.bandwidth"];
        assert_eq!(bandwidth.quoted_from, None);
        assert_eq!(
            bandwidth.attribution(&ds),
            "The DGX Spark and the Reality of Local AI Hardware in 2026"
        );
    }

    #[test]
    fn an_unknown_quoted_from_is_a_dataset_error_at_its_line() {
        let (ds, msgs) = load(
            "quoted-unknown",
            &[
                ("sources.yaml", SOURCES),
                (
                    "devices.yaml",
                    "spark:\n  memory:\n    value: 128\n    unit: GB\n    source: starryhope\n    quoted_from: nvidai\n",
                ),
            ],
        );
        assert_eq!(
            msgs,
            vec!["error[dataset]: data/devices.yaml:6:18: devices.spark.memory is quoted_from `nvidai`, which data/sources.yaml does not define".to_string()]
        );
        let d = {
            let mut diags = Diagnostics::new();
            ds.check_references(&mut diags);
            diags.into_iter().next().unwrap()
        };
        assert_eq!(d.notes, vec!["did you mean `nvidia`?".to_string()]);
    }

    #[test]
    fn quoted_from_must_be_text_and_a_derived_figure_has_neither_source_nor_quote() {
        let (_, msgs) = load(
            "quoted-bad",
            &[
                ("sources.yaml", SOURCES),
                (
                    "devices.yaml",
                    "spark:\n  a: { value: 1, source: starryhope, quoted_from: [nvidia] }\n  b: { value: 2, source: starryhope, derived: devices.spark.a * 2 }\n  c: { value: 2, derived: devices.spark.a * 2, quoted_from: nvidia }\n",
                ),
            ],
        );
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(
            msgs[0].contains("data/devices.yaml:2:")
                && msgs[0].contains("`quoted_from` of figure `devices.spark.a` must be text"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].contains("devices.spark.b` is derived, so it has no `source`"),
            "{msgs:?}"
        );
        assert!(
            msgs[2].contains(
                "devices.spark.c` is derived; only a figure read in a source can be quoted_from"
            ),
            "{msgs:?}"
        );
    }

    #[test]
    fn a_derived_figure_is_checked_against_its_inputs() {
        let (ds, msgs) = load(
            "derived",
            &[
                ("sources.yaml", SOURCES),
                (
                    "devices.yaml",
                    "spark:\n  memory: { value: 128, unit: GB, source: starryhope }\n  price: { value: 4699, unit: USD, source: starryhope }\ntwo:\n  memory: { value: 256, unit: GB, derived: 2 * devices.spark.memory }\n  price: { value: 9399, unit: USD, derived: 2 * devices.spark.price }\n  nope: { value: 1, unit: GB, derived: devices.spark.memroy / 2 }\n",
                ),
            ],
        );
        let two = &ds.figures["devices.two.memory"];
        assert_eq!(two.source, None);
        assert_eq!(
            two.attribution(&ds),
            "computed by this guide: 2 * devices.spark.memory"
        );
        assert_eq!(two.source_url(&ds), None);
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].contains(
                "devices.two.nope is derived from `devices.spark.memroy`, which is no figure"
            ),
            "{msgs:?}"
        );
        assert!(
            msgs[1]
                .contains("devices.two.price = $9,399 but `2 * devices.spark.price` gives $9,398"),
            "{msgs:?}"
        );
    }

    #[test]
    fn a_receipt_is_reported_and_still_reads_its_old_verified_date() {
        let receipt = |date_key: &str| {
            format!("flush:\n  title: Flush\n  symptom: OOM\n  fix: Flush\n  command: echo 3 > /proc/sys/vm/drop_caches\n  {date_key}: 2026-05-25\n  source: starryhope\n")
        };
        for key in ["reported", "verified"] {
            let (ds, msgs) = load(
                &format!("receipt-{key}"),
                &[("sources.yaml", SOURCES), ("receipts.yaml", &receipt(key))],
            );
            assert!(msgs.is_empty(), "{key}: {msgs:?}");
            assert_eq!(ds.receipts["flush"].reported.to_string(), "2026-05-25");
        }
        let (_, msgs) = load(
            "receipt-none",
            &[
                ("sources.yaml", SOURCES),
                (
                    "receipts.yaml",
                    "flush:\n  title: Flush\n  symptom: OOM\n  fix: Flush\n  source: starryhope\n",
                ),
            ],
        );
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(
            msgs[0].contains("receipt `flush` has no `reported` date"),
            "{msgs:?}"
        );
    }

    #[test]
    fn possessives_read_naturally() {
        assert_eq!(possessive("NVIDIA"), "NVIDIA's");
        assert_eq!(possessive("The Register"), "The Register's");
        assert_eq!(possessive("Phoronix"), "Phoronix's");
        assert_eq!(possessive("r/LocalLLaMA"), "r/LocalLLaMA's");
    }
}
