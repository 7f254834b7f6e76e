//! Where each dotted dataset key is written in a YAML file of `data/`, read with the
//! dataset's own YAML reader ([`crate::load::yaml`]): for go-to-definition and for knowing
//! which key the cursor is on. Nothing here checks the dataset; `load` does.

use crate::load::yaml::{self, Node};

/// One mapping key of a data file with its full dotted key and its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPlace {
    /// The full dotted key, e.g. `devices.dgx_spark.memory_bandwidth`.
    pub key: String,
    /// 1-based line of the key.
    pub line: usize,
    /// 1-based character column where the key starts.
    pub col: usize,
    /// The key's length in characters.
    pub len: usize,
}

/// The namespace of a data file's keys (`data/devices.yaml` → `devices`), None for the
/// files that hold no figures (sources, receipts, tables, decision trees) or another path.
pub fn namespace(rel: &str) -> Option<String> {
    let inner = rel.strip_prefix("data/")?;
    let stem = inner
        .strip_suffix(".yaml")
        .or_else(|| inner.strip_suffix(".yml"))?;
    if ["sources", "receipts", "tables"].contains(&stem) || stem.starts_with("decisions/") {
        return None;
    }
    Some(stem.replace('/', "."))
}

/// Every mapping key of a namespace file, in file order; empty when the text does not parse.
pub fn key_places(rel: &str, text: &str) -> Vec<KeyPlace> {
    let (Some(ns), Ok(root)) = (namespace(rel), yaml::parse(text)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(&ns, &root, &mut out);
    out
}

fn walk(prefix: &str, node: &Node, out: &mut Vec<KeyPlace>) {
    for (k, v) in node.as_map().unwrap_or(&[]) {
        let Some(name) = k.as_str() else {
            continue;
        };
        let key = format!("{prefix}.{name}");
        out.push(KeyPlace {
            key: key.clone(),
            line: k.line,
            col: k.col,
            len: name.chars().count(),
        });
        walk(&key, v, out);
    }
}

/// The key written at or before a 1-based line and column: the last key on that line that
/// starts at or before the column (on `memory: { value: 128 }`, the cursor on `128` is on
/// `…memory.value`); None when no key is on the line.
pub fn key_at(places: &[KeyPlace], line: usize, col: usize) -> Option<&KeyPlace> {
    places
        .iter()
        .filter(|p| p.line == line && p.col <= col)
        .max_by_key(|p| p.col)
        .or_else(|| {
            // The cursor before the first key of the line (its indentation).
            places
                .iter()
                .filter(|p| p.line == line)
                .min_by_key(|p| p.col)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "dgx_spark:\n  name: DGX Spark\n  memory: { value: 128, unit: GB }\n  memory_bandwidth:\n    value: 273\n";

    #[test]
    fn names_namespaces_as_the_loader_does() {
        assert_eq!(namespace("data/devices.yaml").as_deref(), Some("devices"));
        assert_eq!(namespace("data/bench/x.yml").as_deref(), Some("bench.x"));
        assert_eq!(namespace("data/sources.yaml"), None);
        assert_eq!(namespace("data/decisions/buy.yaml"), None);
        assert_eq!(namespace("content/a.md"), None);
    }

    #[test]
    fn finds_keys_with_their_places() {
        let p = key_places("data/devices.yaml", TEXT);
        let bw = p
            .iter()
            .find(|k| k.key == "devices.dgx_spark.memory_bandwidth")
            .unwrap();
        assert_eq!((bw.line, bw.col, bw.len), (4, 3, 16));
        assert_eq!(
            key_at(&p, 3, 20).map(|k| k.key.as_str()),
            Some("devices.dgx_spark.memory.value")
        );
        assert_eq!(
            key_at(&p, 3, 1).map(|k| k.key.as_str()),
            Some("devices.dgx_spark.memory")
        );
        assert_eq!(key_at(&p, 9, 1), None);
        assert!(key_places("data/devices.yaml", "a: [").is_empty());
    }
}
