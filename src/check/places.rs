//! Where figures are printed: every place that cites a key (prose, table cells, the
//! disputes list), so a data change's reach is known before it is made.

use crate::check::site::{Shortcode, Site};
use crate::diagnostics::Span;
use crate::figures::units::format_quantity;
use crate::load::dataset::Figure;

/// One place that prints a dataset figure.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// Where in which article.
    pub span: Span,
    /// The key printed there.
    pub key: String,
    /// What is printed: the literal, an inserted value, or a table cell.
    pub what: String,
    /// Why the place does not agree with the dataset (`error[drift]: …`), when it does not.
    pub problem: Option<String>,
}

/// Whether `key` is `prefix` itself or lies below it.
fn under(key: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || key == prefix
        || (key.starts_with(prefix) && key[prefix.len()..].starts_with('.'))
}

/// Every place in the site that prints a figure at or below `prefix`, by file and line.
pub fn places(site: &Site, prefix: &str) -> Vec<Place> {
    let ds = &site.dataset;
    let mut out = Vec::new();
    for page in &site.pages {
        let a = &page.article;
        for (start, c) in &page.cites {
            for key in c.keys.iter().filter(|k| under(k, prefix)) {
                let what = if c.display == c.value && c.keys.len() == 1 {
                    format!("\"{}\"", c.display)
                } else {
                    format!("\"{}\" (cite:{})", c.display, c.expr.trim())
                };
                out.push(Place {
                    span: Span::at_offset(&a.path, &a.source, *start),
                    key: key.clone(),
                    what,
                    problem: None,
                });
            }
        }
        // Citations that did not check out print a figure too: exactly what a data
        // change's author needs to see, marked with why.
        for c in page.doc.citations.iter() {
            if page.cites.contains_key(&c.range.start) {
                continue;
            }
            let Ok(parsed) = crate::figures::expr::parse(&c.expr) else {
                continue;
            };
            let keys: Vec<String> = crate::figures::expr::keys(&parsed)
                .into_iter()
                .map(|(k, _)| k)
                .filter(|k| under(k, prefix) && ds.figures.contains_key(k))
                .collect();
            if keys.is_empty() {
                continue;
            }
            let problem = match crate::check::cite::resolve(site, &a.path, &a.source, c) {
                Err(ds) => ds.first().map(|d| {
                    let fix = d
                        .suggestion
                        .as_ref()
                        .map(|s| format!(" (write \"{s}\")"))
                        .unwrap_or_default();
                    format!("{}[{}]{fix}", d.level.as_str(), d.code)
                }),
                Ok(_) => None,
            };
            let mut seen = Vec::new();
            for key in keys {
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key.clone());
                out.push(Place {
                    span: Span::at_offset(&a.path, &a.source, c.range.start),
                    key,
                    what: format!("\"{}\" (cite:{})", c.text, c.expr.trim()),
                    problem: problem.clone(),
                });
            }
        }
        for (start, sc) in &page.shortcodes {
            let span = Span::at_offset(&a.path, &a.source, *start);
            match sc {
                Shortcode::Table(id) => {
                    let Some(def) = ds.tables.get(id) else {
                        continue;
                    };
                    for row in &def.rows {
                        for col in &def.columns {
                            let key = format!("{row}.{}", col.field);
                            if let Some(f) = ds.figures.get(&key).filter(|_| under(&key, prefix)) {
                                out.push(Place {
                                    span: span.clone(),
                                    key: key.clone(),
                                    what: format!(
                                        "table \"{id}\" cell {} × {} = {}",
                                        row.rsplit('.').next().unwrap_or(row),
                                        col.label,
                                        format_quantity(&f.quantity())
                                    ),
                                    problem: None,
                                });
                            }
                        }
                    }
                }
                Shortcode::Disputes => {
                    for f in ds.figures.values() {
                        if !f.disputed_by.is_empty() && under(&f.key, prefix) {
                            out.push(Place {
                                span: span.clone(),
                                key: f.key.clone(),
                                what: format!("disputes list = {}", format_quantity(&f.quantity())),
                                problem: None,
                            });
                        }
                    }
                }
                Shortcode::Chart(chart) => {
                    for r in chart.readings() {
                        for key in r.keys.iter().filter(|k| under(k, prefix)) {
                            out.push(Place {
                                span: span.clone(),
                                key: key.clone(),
                                what: format!(
                                    "chart \"{}\" mark {} = {}",
                                    chart.id, r.expr, r.text
                                ),
                                problem: None,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// Dataset figures that no article prints (in prose, a table it shows, or the disputes list).
pub fn unused(site: &Site) -> Vec<&Figure> {
    let used: std::collections::HashSet<String> =
        places(site, "").into_iter().map(|p| p.key).collect();
    site.dataset
        .figures
        .values()
        .filter(|f| !used.contains(&f.key))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::under;

    #[test]
    fn prefixes_match_whole_segments() {
        assert!(under("devices.dgx_spark.memory", "devices.dgx_spark"));
        assert!(under("devices.dgx_spark", "devices.dgx_spark"));
        assert!(!under("devices.dgx_spark_oem.memory", "devices.dgx_spark"));
        assert!(under("devices.x", ""));
    }
}
