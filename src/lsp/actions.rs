//! Code actions, kept apart from the rest: the quick fix each diagnostic of the check
//! already carries (`Diagnostic::suggestion` with the end of its text: a drifting literal's
//! replacement, an uncited figure wrapped in its one agreeing citation). The fixes
//! themselves are the check's (check/cite.rs); `sitegen fix` applies the same ones.

use super::server::to_lsp;
use super::text::{self, Encoding};
use crate::diagnostics::Diagnostic;
use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;

/// The quick fixes of the problems of one open document (`text` at `uri`) whose range
/// meets `range`. Only machine-applicable ones: a suggestion and a known end.
pub fn quick_fixes(
    problems: &[&Diagnostic],
    uri: &Uri,
    text: &str,
    range: Range,
    enc: Encoding,
) -> Vec<CodeAction> {
    let (want_start, want_end) = (
        text::offset_of(text, range.start, enc),
        text::offset_of(text, range.end, enc),
    );
    let mut out = Vec::new();
    for d in problems {
        let (Some(fix), Some((l, c))) = (&d.suggestion, d.end) else {
            continue;
        };
        let start = text::offset_of_line_col(text, d.span.line, d.span.col);
        let end = text::offset_of_line_col(text, l, c).max(start);
        // The two ranges meet (a cursor at either end counts).
        if start > want_end || end < want_start {
            continue;
        }
        let edit = TextEdit::new(text::range_of(text, start, end, enc), fix.clone());
        out.push(CodeAction {
            title: format!("Write \"{fix}\" ({})", d.code),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![to_lsp(d, text, enc)]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Span;
    use lsp_types::Position;
    use std::str::FromStr;

    #[test]
    fn offers_the_suggestion_over_the_literal() {
        let text = "Bandwidth [275 GB/s](cite:x) and more.\n";
        let d = Diagnostic::error("drift", Span::new("content/a.md", 1, 12), "disagrees")
            .with_end(1, 20)
            .with_suggestion("273 GB/s");
        let no_end = Diagnostic::error("unknown-key", Span::new("content/a.md", 1, 28), "no")
            .with_suggestion("y");
        let uri = Uri::from_str("file:///site/content/a.md").unwrap();
        let at = |c: u32| Range::new(Position::new(0, c), Position::new(0, c));
        let got = quick_fixes(&[&d, &no_end], &uri, text, at(14), Encoding::Utf16);
        assert_eq!(got.len(), 1);
        let edits = &got[0].edit.as_ref().unwrap().changes.as_ref().unwrap()[&uri];
        assert_eq!(edits[0].new_text, "273 GB/s");
        assert_eq!(
            edits[0].range,
            Range::new(Position::new(0, 11), Position::new(0, 19))
        );
        // Elsewhere on the line: nothing.
        assert!(quick_fixes(&[&d], &uri, text, at(30), Encoding::Utf16).is_empty());
    }
}
