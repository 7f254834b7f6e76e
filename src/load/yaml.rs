//! YAML read into a tree that keeps each node's line and column, so dataset errors point
//! into the YAML file itself (serde_yaml forgets positions once it has deserialized).

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// One YAML node with the 1-based line and column where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What the node holds.
    pub kind: Kind,
    /// 1-based line of the node's first character.
    pub line: usize,
    /// 1-based column of the node's first character.
    pub col: usize,
}

/// The shape of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A scalar as written; `quoted` tells `"273"` (a string) from `273` (a number).
    Scalar {
        /// The scalar's text.
        text: String,
        /// Whether it was quoted or a block scalar, hence surely a string.
        quoted: bool,
    },
    /// A sequence of nodes.
    Seq(Vec<Node>),
    /// A mapping, in file order, keys as nodes.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar's text, or None for collections.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The scalar as a number when it is an unquoted number.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Scalar {
                text,
                quoted: false,
            } => {
                let t = text.trim().replace('_', "");
                let n: f64 = t.parse().ok()?;
                n.is_finite().then_some(n)
            }
            _ => None,
        }
    }

    /// The mapping's entries, or None for other kinds.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The sequence's items, or None for other kinds.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Whether this is a null scalar (`~`, `null` or nothing).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, quoted: false } if text.is_empty() || text == "~" || text == "null")
    }
}

/// A YAML syntax error with its 1-based place.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// For a duplicate key: the key and the 1-based line and column of its first definition.
    pub duplicate: Option<(String, usize, usize)>,
}

/// Builds nodes from parser events with a stack of open collections.
#[derive(Default)]
struct Builder {
    stack: Vec<(Node, Option<Node>)>,
    docs: Vec<Node>,
    error: Option<YamlError>,
}

impl Builder {
    fn push_node(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some((parent, pending_key)) => match &mut parent.kind {
                Kind::Seq(items) => items.push(node),
                Kind::Map(entries) => match pending_key.take() {
                    None => {
                        // A repeated key would silently replace the first value.
                        let first = node
                            .as_str()
                            .and_then(|k| entries.iter().find(|(e, _)| e.as_str() == Some(k)));
                        if let (Some((first, _)), None) = (first, &self.error) {
                            self.error = Some(YamlError {
                                line: node.line,
                                col: node.col,
                                message: format!(
                                    "duplicate key `{}`: it is already defined at line {}, column {}; the second would silently replace the first",
                                    node.as_str().unwrap_or_default(),
                                    first.line,
                                    first.col
                                ),
                                duplicate: Some((
                                    node.as_str().unwrap_or_default().to_string(),
                                    first.line,
                                    first.col,
                                )),
                            });
                        }
                        *pending_key = Some(node)
                    }
                    Some(key) => entries.push((key, node)),
                },
                Kind::Scalar { .. } => {}
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let (line, col) = (mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(text, style, _, _) => {
                let quoted = style != TScalarStyle::Plain;
                self.push_node(Node {
                    kind: Kind::Scalar { text, quoted },
                    line,
                    col,
                });
            }
            Event::SequenceStart(..) => self.stack.push((
                Node {
                    kind: Kind::Seq(Vec::new()),
                    line,
                    col,
                },
                None,
            )),
            Event::MappingStart(..) => self.stack.push((
                Node {
                    kind: Kind::Map(Vec::new()),
                    line,
                    col,
                },
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, _)) = self.stack.pop() {
                    self.push_node(node);
                }
            }
            Event::Alias(_) if self.error.is_none() => {
                self.error = Some(YamlError {
                    line,
                    col,
                    message:
                        "YAML aliases (*name) are not supported in the dataset; repeat the value"
                            .into(),
                    duplicate: None,
                });
            }
            _ => {}
        }
    }
}

/// Parses one YAML document; an empty file is an empty mapping.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        let m = e.marker();
        return Err(YamlError {
            line: m.line(),
            col: m.col() + 1,
            message: e.info().to_string(),
            duplicate: None,
        });
    }
    if let Some(e) = builder.error {
        return Err(e);
    }
    Ok(builder.docs.into_iter().next().unwrap_or(Node {
        kind: Kind::Map(Vec::new()),
        line: 1,
        col: 1,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lines_and_columns() {
        let doc = parse("dgx:\n  bw: { value: 273, unit: GB/s }\n").unwrap();
        let bw = doc.get("dgx").unwrap().get("bw").unwrap();
        assert_eq!((bw.line, bw.col), (2, 7));
        let v = bw.get("value").unwrap();
        assert_eq!(v.as_f64(), Some(273.0));
        assert_eq!((v.line, v.col), (2, 16));
    }

    #[test]
    fn quoted_numbers_are_strings() {
        let doc = parse("a: \"273\"\n").unwrap();
        assert_eq!(doc.get("a").unwrap().as_f64(), None);
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.line >= 1, "{e:?}");
        assert!(!e.message.is_empty());
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second() {
        let e = parse(
            "a:
  speed: 1
  x: 2
  speed: 3
",
        )
        .unwrap_err();
        assert_eq!((e.line, e.col), (4, 3), "{e:?}");
        assert!(e.message.contains("duplicate key `speed`"), "{e:?}");
        assert!(e.message.contains("line 2, column 3"), "{e:?}");
        let e = parse(
            "x: { a: 1, a: 2 }
",
        )
        .unwrap_err();
        assert_eq!((e.line, e.col), (1, 12), "{e:?}");
        // The same key in two mappings is fine.
        assert!(parse(
            "a: { k: 1 }
b: { k: 2 }
"
        )
        .is_ok());
    }

    #[test]
    fn empty_file_is_an_empty_map() {
        assert_eq!(parse("").unwrap().as_map().map(|m| m.len()), Some(0));
    }
}
