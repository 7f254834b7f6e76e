//! Problems found in a run, as values: collected from every stage, then reported together.
//!
//! Every problem prints as one line, `LEVEL[CODE]: PATH:LINE:COL: message`, then its
//! optional context lines, and a run ends with a count line (`2 errors, 1 warning`).

use std::fmt;
use std::path::Path;

/// How serious a problem is: errors fail the run, warnings fail it only with `--strict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Fails the run.
    Error,
    /// Reported; fails the run under `--strict`.
    Warning,
}

impl Level {
    /// The word printed before the code.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// A place in a file of the site: path relative to the site root, 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
}

impl Span {
    /// A span at a line and column of a file.
    pub fn new(path: impl Into<String>, line: usize, col: usize) -> Self {
        Span {
            path: path.into(),
            line: line.max(1),
            col: col.max(1),
        }
    }

    /// A span at the start of a file, for problems with a whole file.
    pub fn file(path: impl Into<String>) -> Self {
        Span::new(path, 1, 1)
    }

    /// The span of byte `offset` in `text`, a file at `path`.
    pub fn at_offset(path: impl Into<String>, text: &str, offset: usize) -> Self {
        let (line, col) = line_col(text, offset);
        Span::new(path, line, col)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.col)
    }
}

/// The 1-based line and character column of byte `offset` in `text` (clamped to the text).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// One problem: level, code, place, message, and optional context lines.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Place first so that sorting groups problems by file and line.
    pub span: Span,
    /// Error or warning.
    pub level: Level,
    /// The stable code in brackets, e.g. `drift`.
    pub code: &'static str,
    /// The one-line message.
    pub message: String,
    /// Context lines printed under the message.
    pub notes: Vec<String>,
    /// Where the offending text ends (1-based line and column, exclusive), when known.
    pub end: Option<(usize, usize)>,
    /// The replacement text that would fix it, when there is one.
    pub suggestion: Option<String>,
    /// Byte offsets (start, end) in the file of the text `suggestion` replaces, when known.
    pub bytes: Option<(usize, usize)>,
}

impl Diagnostic {
    /// An error with a code, a place and a message.
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            level: Level::Error,
            code,
            message: message.into(),
            notes: Vec::new(),
            end: None,
            suggestion: None,
            bytes: None,
        }
    }

    /// A warning with a code, a place and a message.
    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// The same problem with the end of its offending text.
    pub fn with_end(mut self, line: usize, col: usize) -> Self {
        self.end = Some((line, col));
        self
    }

    /// The same problem with the byte range (start, end) of its offending text in the file.
    pub fn with_bytes(mut self, start: usize, end: usize) -> Self {
        self.bytes = Some((start, end));
        self
    }

    /// The same problem with the text that would fix it.
    pub fn with_suggestion(mut self, s: impl Into<String>) -> Self {
        self.suggestion = Some(s.into());
        self
    }

    /// The problem as one JSON object (level, code, path, line, col, end, bytes, message,
    /// suggestion): replacing the file's `bytes` by `suggestion` applies the fix.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "level": self.level.as_str(),
            "code": self.code,
            "path": self.span.path,
            "line": self.span.line,
            "col": self.span.col,
            "end": self.end.map(|(l, c)| serde_json::json!({"line": l, "col": c})),
            "message": self.message,
            "notes": self.notes,
            "suggestion": self.suggestion,
            "bytes": self.bytes.map(|(s, e)| serde_json::json!({"start": s, "end": e})),
        })
    }

    /// The problem as a GitHub Actions workflow command, with `path` as GitHub should show it.
    pub fn to_github(&self, path: &str) -> String {
        let kind = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let mut props = format!(
            "file={},line={},col={}",
            gh_property(path),
            self.span.line,
            self.span.col
        );
        if let Some((l, c)) = self.end {
            props.push_str(&format!(",endLine={l},endColumn={c}"));
        }
        props.push_str(&format!(",title={}", gh_property(self.code)));
        let mut message = self.message.clone();
        for n in &self.notes {
            message.push('\n');
            message.push_str(n);
        }
        format!("::{kind} {props}::{}", gh_data(&message))
    }

    /// The same problem with a context line added.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}: {}",
            self.level.as_str(),
            self.code,
            self.span,
            self.message
        )?;
        for note in &self.notes {
            write!(f, "\n  = {note}")?;
        }
        Ok(())
    }
}

/// All problems of a run, in the order found; sorted before printing.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds every problem of another collection.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// The number of errors.
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.level == Level::Error)
            .count()
    }

    /// The number of warnings.
    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    /// Whether the run failed: any error, or any warning under `strict`.
    pub fn failed(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && self.warnings() > 0)
    }

    /// Turns every warning into an error (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            d.level = Level::Error;
        }
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems sorted by file, line, column, with exact duplicates removed.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort();
        v.dedup();
        v
    }

    /// The problems in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The closing count line, e.g. `2 errors, 1 warning`.
    pub fn summary(&self) -> String {
        let sorted = self.sorted();
        let errors = sorted.iter().filter(|d| d.level == Level::Error).count();
        let warnings = sorted.len() - errors;
        format!(
            "{} {}, {} {}",
            errors,
            if errors == 1 { "error" } else { "errors" },
            warnings,
            if warnings == 1 { "warning" } else { "warnings" }
        )
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Escapes a workflow command's message as GitHub's toolkit does.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value as GitHub's toolkit does.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A site-relative path with `/` separators, for spans and messages.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\n€€x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 9), (2, 3));
        // An offset inside a character is moved back to its start.
        assert_eq!(line_col(text, 4), (2, 1));
        assert_eq!(line_col(text, 999), (2, 4));
    }

    #[test]
    fn prints_the_contract_line_and_count() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error(
            "drift",
            Span::new("content/a.md", 4, 7),
            "\"275 GB/s\" disagrees",
        ));
        ds.push(Diagnostic::warning(
            "uncited",
            Span::new("content/a.md", 2, 1),
            "x",
        ));
        let lines: Vec<String> = ds.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(lines[0], "warning[uncited]: content/a.md:2:1: x");
        assert_eq!(
            lines[1],
            "error[drift]: content/a.md:4:7: \"275 GB/s\" disagrees"
        );
        assert_eq!(ds.summary(), "1 error, 1 warning");
    }

    #[test]
    fn github_and_json_forms_carry_every_field() {
        let d = Diagnostic::error("drift", Span::new("content/a.md", 4, 7), "50% off, a: b")
            .with_end(4, 15)
            .with_suggestion("273 GB/s")
            .with_bytes(40, 48);
        assert_eq!(
            d.to_github("site/content/a.md"),
            "::error file=site/content/a.md,line=4,col=7,endLine=4,endColumn=15,title=drift::50%25 off, a: b"
        );
        let j = d.to_json();
        assert_eq!(j["code"], "drift");
        assert_eq!(j["end"]["col"], 15);
        assert_eq!(j["suggestion"], "273 GB/s");
        assert_eq!(j["bytes"]["start"], 40);
        assert_eq!(j["bytes"]["end"], 48);
    }
}
