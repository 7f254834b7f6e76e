//! What a reader is told about one figure, in words: who reported it and when, under which
//! conditions, and the note that explains it. The HTML tooltips, the table cells and the
//! PDF's notes all take it from [`source_line`], so the wording lives in one place.

use crate::load::dataset::{Dataset, Figure};

/// A figure's attribution, in parts a renderer can lay out (a tooltip's lines, a PDF note).
#[derive(Clone, Debug, PartialEq)]
pub struct SourceLine {
    /// Who reported the figure: the source's publisher and title (`NVIDIA, “DGX Spark”`).
    pub who: String,
    /// The source reference the figure cites (a key of `data/sources.yaml` or a URL).
    pub source: String,
    /// Where to read the source, when known.
    pub url: Option<String>,
    /// When the figure was true or reported, as readers write dates (`14 October 2025`).
    pub when: Option<String>,
    /// The conditions that decide whether two figures compare (`runtime: Ollama`), in order.
    pub conditions: Vec<String>,
    /// Why the figure is what it is.
    pub note: Option<String>,
}

impl SourceLine {
    /// The attribution as one sentence: `NVIDIA, “DGX Spark”, 14 October 2025`.
    pub fn attribution(&self) -> String {
        match &self.when {
            Some(w) => format!("{}, {w}", self.who),
            None => self.who.clone(),
        }
    }

    /// The conditions as one clause (`runtime: Ollama; quantization: Q4`), None without any.
    pub fn conditions_text(&self) -> Option<String> {
        (!self.conditions.is_empty()).then(|| self.conditions.join("; "))
    }
}

/// A source reference named for readers: `publisher, “title”`, or the title or URL alone.
pub fn source_name(ds: &Dataset, source: &str) -> String {
    match ds.source(source) {
        Some(s) => match &s.publisher {
            Some(p) if !p.trim().is_empty() => format!("{p}, “{}”", s.title),
            _ => format!("“{}”", s.title),
        },
        None => source.to_string(),
    }
}

/// The one place that words a figure's attribution for readers: who reported it (the
/// source's publisher and title, and the original it quotes, or "computed by this guide"),
/// the figure's date (its as-of date, else the source's), its conditions and note.
pub fn source_line(ds: &Dataset, f: &Figure) -> SourceLine {
    let source = f.source.clone().unwrap_or_default();
    let when = f
        .as_of
        .or_else(|| ds.source(&source).and_then(|s| s.date))
        .map(|d| d.human());
    let who = f.attribution_naming(ds, &|s| source_name(ds, s));
    SourceLine {
        who,
        url: f.source_url(ds),
        source,
        when,
        conditions: f
            .conditions
            .iter()
            .map(|(k, v)| format!("{}: {v}", k.replace('_', " ")))
            .collect(),
        note: f
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::dataset::Source;
    use crate::load::date::Date;

    fn dataset_with_source(publisher: Option<&str>) -> Dataset {
        let mut ds = Dataset::default();
        ds.sources.insert(
            "nv".into(),
            Source {
                key: "nv".into(),
                title: "DGX Spark".into(),
                url: "https://example.org/spark".into(),
                publisher: publisher.map(str::to_string),
                date: Date::parse("2025-10-14"),
            },
        );
        ds
    }

    #[test]
    fn names_publisher_and_title_and_falls_back_to_the_reference() {
        let ds = dataset_with_source(Some("NVIDIA"));
        assert_eq!(source_name(&ds, "nv"), "NVIDIA, “DGX Spark”");
        assert_eq!(source_name(&dataset_with_source(None), "nv"), "“DGX Spark”");
        assert_eq!(
            source_name(&ds, "https://example.org/x"),
            "https://example.org/x"
        );
    }

    #[test]
    fn source_line_has_date_conditions_and_note_but_no_key() {
        let ds = dataset_with_source(Some("NVIDIA"));
        let f = Figure {
            key: "devices.dgx_spark.memory_bandwidth".into(),
            value: crate::figures::units::Value::Single(273.0),
            unit_name: None,
            unit: crate::figures::units::Unit::bare(),
            source: Some("nv".into()),
            quoted_from: None,
            quoted_from_span: None,
            derived: None,
            as_of: None,
            note: Some(" Spec sheet. ".into()),
            conditions: vec![("context_length".into(), "4k".into())],
            disputed_by: Vec::new(),
            flag: None,
            span: crate::diagnostics::Span::file("data/devices.yaml"),
        };
        let line = source_line(&ds, &f);
        assert_eq!(line.attribution(), "NVIDIA, “DGX Spark”, 14 October 2025");
        assert_eq!(
            line.conditions_text().as_deref(),
            Some("context length: 4k")
        );
        assert_eq!(line.note.as_deref(), Some("Spec sheet."));
        assert!(!format!("{line:?}").contains("memory_bandwidth"));
    }

    #[test]
    fn a_quoted_figure_names_the_original_and_who_reported_it() {
        let mut ds = dataset_with_source(Some("StarryHope"));
        ds.sources.insert(
            "orig".into(),
            Source {
                key: "orig".into(),
                title: "Spec sheet".into(),
                url: "https://example.org/orig".into(),
                publisher: Some("NVIDIA".into()),
                date: None,
            },
        );
        let f = Figure {
            key: "a.b".into(),
            value: crate::figures::units::Value::Single(1.0),
            unit_name: None,
            unit: crate::figures::units::Unit::bare(),
            source: Some("nv".into()),
            quoted_from: Some("orig".into()),
            quoted_from_span: None,
            derived: None,
            as_of: None,
            note: None,
            conditions: Vec::new(),
            disputed_by: Vec::new(),
            flag: None,
            span: crate::diagnostics::Span::file("data/a.yaml"),
        };
        let line = source_line(&ds, &f);
        assert_eq!(
            line.who,
            "NVIDIA's figure, as reported by StarryHope, “DGX Spark”"
        );
        assert_eq!(line.url.as_deref(), Some("https://example.org/spark"));
    }
}
