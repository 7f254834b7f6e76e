//! Text for the drawing: display widths of characters and word wrapping.

use super::*;

/// Display columns of one character: 0 for controls and combining marks, 2 for wide ones.
pub(super) fn char_width(c: char) -> usize {
    let cp = c as u32;
    if matches!(cp, 0x20..=0x7E) {
        1
    } else if c.is_control() || is_zero_width(cp) {
        0
    } else if is_wide(cp) {
        2
    } else {
        1
    }
}

pub(super) fn is_zero_width(cp: u32) -> bool {
    matches!(cp,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200B..=0x200F
        | 0x2060..=0x2064 | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F
        | 0xFEFF | 0xE0100..=0xE01EF)
}

pub(super) fn is_wide(cp: u32) -> bool {
    matches!(cp,
        0x1100..=0x115F | 0x2329..=0x232A | 0x2E80..=0x303E | 0x3041..=0x33FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xA960..=0xA97F
        | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F680..=0x1F6FF
        | 0x1F900..=0x1F9FF | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD)
}

pub(super) fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// The words of a text; control characters count as spaces so they never reach a drawing.
pub(super) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .map(String::from)
        .collect()
}

/// Splits text into clusters that are never cut: a visible character with the
/// zero-width marks around it, so a break can not strand an accent.
pub(super) fn clusters(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for c in text.chars() {
        if char_width(c) > 0 {
            let mut cluster = std::mem::take(&mut pending);
            cluster.push(c);
            out.push(cluster);
        } else if let (Some(last), true) = (out.last_mut(), pending.is_empty()) {
            last.push(c);
        } else {
            pending.push(c);
        }
    }
    if !pending.is_empty() {
        out.push(pending);
    }
    out
}

/// Wraps a paragraph to `width` columns; always returns at least one (maybe empty) line.
pub(super) fn wrap_text(text: &str, width: usize) -> Vec<String> {
    wrap_tokens(&words(text), width)
}

/// Wraps the text of a box or label: at `wrap`, or wider to keep a long word whole
/// (up to the widest wrap; a word wider than that is cut anyway).
pub(super) fn wrap_box(text: &str, wrap: usize) -> Vec<String> {
    let tokens = words(text);
    let longest = tokens.iter().map(|t| str_width(t)).max().unwrap_or(0);
    wrap_tokens(&tokens, wrap.max(longest.min(START_WRAP)))
}

/// Greedy wrap of unbreakable tokens; a token wider than the line is cut into pieces.
pub(super) fn wrap_tokens(tokens: &[String], width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let (mut line, mut used) = (String::new(), 0);
    for token in tokens {
        for piece in break_token(token, width) {
            let size = str_width(&piece);
            if line.is_empty() {
                (line, used) = (piece, size);
            } else if used + 1 + size <= width {
                line.push(' ');
                line.push_str(&piece);
                used += 1 + size;
            } else {
                lines.push(std::mem::replace(&mut line, piece));
                used = size;
            }
        }
    }
    lines.push(line);
    lines
}

/// Cuts a token into pieces of at most `width` columns (a lone wide character may be wider).
pub(super) fn break_token(token: &str, width: usize) -> Vec<String> {
    if str_width(token) <= width {
        return vec![token.to_string()];
    }
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for cluster in clusters(token) {
        if !piece.is_empty() && str_width(&piece) + str_width(&cluster) > width {
            pieces.push(std::mem::take(&mut piece));
        }
        piece.push_str(&cluster);
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}
