//! Positions in an editor's text: LSP positions (0-based line, column in UTF-16 code units
//! or UTF-8 bytes, as negotiated) to byte offsets and back, and edits applied to a buffer.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// How the client counts columns (`positionEncoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    Utf16,
    /// Bytes of UTF-8, when the client offers it.
    Utf8,
}

/// The byte offset where 0-based `line` starts, or None past the last line.
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 1).map(|(i, _)| i + 1)
}

/// The text of the line starting at byte `start`, without its line break.
fn line_at(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    let end = rest.find('\n').unwrap_or(rest.len());
    rest[..end].strip_suffix('\r').unwrap_or(&rest[..end])
}

/// The byte offset of a position, clamped to its line and to the text.
pub fn offset_of(text: &str, pos: Position, enc: Encoding) -> usize {
    let Some(start) = line_start(text, pos.line as usize) else {
        return text.len();
    };
    let line = line_at(text, start);
    let want = pos.character as usize;
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= want {
            return start + i;
        }
        units += match enc {
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf8 => c.len_utf8(),
        };
    }
    start + line.len()
}

/// The position of a byte offset (clamped to the text, moved back to a char boundary).
pub fn position_of(text: &str, offset: usize, enc: Encoding) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = match enc {
        Encoding::Utf16 => before[start..].chars().map(char::len_utf16).sum(),
        Encoding::Utf8 => offset - start,
    };
    Position::new(line as u32, character as u32)
}

/// The byte offset of a 1-based line and 1-based character column (a [`Span`]'s place).
///
/// [`Span`]: crate::diagnostics::Span
pub fn offset_of_line_col(text: &str, line: usize, col: usize) -> usize {
    let Some(start) = line_start(text, line.saturating_sub(1)) else {
        return text.len();
    };
    let l = line_at(text, start);
    l.char_indices()
        .nth(col.saturating_sub(1))
        .map_or(start + l.len(), |(i, _)| start + i)
}

/// The range of bytes `start..end` as an LSP range.
pub fn range_of(text: &str, start: usize, end: usize, enc: Encoding) -> Range {
    Range::new(position_of(text, start, enc), position_of(text, end, enc))
}

/// Applies one change of `textDocument/didChange` to the buffer (a whole new text when it
/// has no range).
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, enc: Encoding) {
    match change.range {
        None => *text = change.text,
        Some(r) => {
            let a = offset_of(text, r.start, enc);
            let b = offset_of(text, r.end, enc).max(a);
            text.replace_range(a..b, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_code_units() {
        let text = "a€𝄞b\nx";
        // € is one UTF-16 unit, 𝄞 two.
        assert_eq!(offset_of(text, Position::new(0, 2), Encoding::Utf16), 1 + 3);
        assert_eq!(
            offset_of(text, Position::new(0, 4), Encoding::Utf16),
            1 + 3 + 4
        );
        assert_eq!(position_of(text, 8, Encoding::Utf16), Position::new(0, 4));
        assert_eq!(position_of(text, 8, Encoding::Utf8), Position::new(0, 8));
        assert_eq!(
            offset_of(text, Position::new(1, 0), Encoding::Utf16),
            text.len() - 1
        );
        // Past the line's end: clamped to it; past the text: its end.
        assert_eq!(offset_of(text, Position::new(0, 99), Encoding::Utf16), 9);
        assert_eq!(
            offset_of(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn spans_map_to_offsets() {
        let text = "ab\n€€x";
        assert_eq!(offset_of_line_col(text, 2, 3), 3 + 6);
        assert_eq!(offset_of_line_col(text, 2, 99), text.len());
        assert_eq!(offset_of_line_col(text, 9, 1), text.len());
    }

    #[test]
    fn edits_apply_in_place() {
        let mut t = "The Spark: [273 GB/s](cite:x)\n".to_string();
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, 12), Position::new(0, 15))),
            range_length: None,
            text: "275".into(),
        };
        apply_change(&mut t, change, Encoding::Utf16);
        assert_eq!(t, "The Spark: [275 GB/s](cite:x)\n");
        apply_change(
            &mut t,
            TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            },
            Encoding::Utf16,
        );
        assert_eq!(t, "new");
    }
}
