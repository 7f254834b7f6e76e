//! The painted grid as geometry: boxes, straight lines and text at cell positions, so a
//! renderer can draw the chart with strokes instead of printing box-drawing glyphs.
//!
//! Coordinates are cells of the text drawing: `row` counts lines from the top, `col`
//! display columns from the left. Lines run through the middle of the cells, so their
//! ends are given in half-cells: the centre of cell (row, col) is (2·row+1, 2·col+1)
//! and its edges are at even half-cells.

use super::*;

/// A flowchart drawing as geometry, cell for cell the chart of [`Drawing::text`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chart {
    /// Width of the drawing, in columns.
    pub columns: usize,
    /// Height of the drawing, in rows.
    pub rows: usize,
    /// The boxes of questions and outcomes.
    pub boxes: Vec<ChartBox>,
    /// Connectors, buses and outline guides: horizontal or vertical, never along a box.
    pub lines: Vec<Segment>,
    /// Text: box lines, branch labels and outline items, each one run of words.
    pub texts: Vec<ChartText>,
}

/// A box, by the cells its border runs through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartBox {
    /// Row of the top border.
    pub top: usize,
    /// Column of the left border.
    pub left: usize,
    /// Row of the bottom border.
    pub bottom: usize,
    /// Column of the right border.
    pub right: usize,
    /// Rounded corners: an outcome; square ones are a question.
    pub rounded: bool,
}

/// A straight line between two points in half-cells, `(y, x)`; `from` is above or left of `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// The top or left end, `(y, x)` in half-cells.
    pub from: (usize, usize),
    /// The bottom or right end, `(y, x)` in half-cells.
    pub to: (usize, usize),
}

/// A run of text starting at a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartText {
    /// Its row.
    pub row: usize,
    /// The column of its first character.
    pub col: usize,
    /// The text, without leading or trailing spaces and without runs of spaces.
    pub text: String,
    /// Its display width, in columns.
    pub columns: usize,
}

impl Chart {
    /// The geometry of a painted grid `columns` wide.
    pub(super) fn of(grid: &Grid, columns: usize) -> Chart {
        let rows = grid.rows.len();
        let span = 2 * columns.max(grid.rows.iter().map(Vec::len).max().unwrap_or(0));
        // Half-cell pieces of line: horizontal ones per row, vertical ones per column.
        let mut across = vec![vec![false; span]; rows];
        let mut down = vec![vec![false; 2 * rows]; span / 2];
        // The pieces along box borders, which the boxes themselves draw.
        let (mut border_across, mut border_down) = (across.clone(), down.clone());
        for b in &grid.boxes {
            for row in [b.top, b.bottom] {
                let pieces = border_across.get_mut(row).map(Vec::as_mut_slice);
                let pieces = pieces.unwrap_or_default();
                for piece in 2 * b.left + 1..(2 * b.right + 1).min(pieces.len()) {
                    pieces[piece] = true;
                }
            }
            for col in [b.left, b.right] {
                let pieces = border_down.get_mut(col).map(Vec::as_mut_slice);
                let pieces = pieces.unwrap_or_default();
                for piece in 2 * b.top + 1..(2 * b.bottom + 1).min(pieces.len()) {
                    pieces[piece] = true;
                }
            }
        }
        for (r, cells) in grid.rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                let Cell::Lines(mask) = cell else { continue };
                for (bit, horizontal, piece) in [
                    (LEFT, true, 2 * c),
                    (RIGHT, true, 2 * c + 1),
                    (UP, false, 2 * r),
                    (DOWN, false, 2 * r + 1),
                ] {
                    if mask & bit == 0 {
                        continue;
                    }
                    let (pieces, border) = match horizontal {
                        true => (&mut across[r], &border_across[r]),
                        false => (&mut down[c], &border_down[c]),
                    };
                    pieces[piece] = !border[piece];
                }
            }
        }
        let mut lines = Vec::new();
        for (r, pieces) in across.iter().enumerate() {
            for (a, b) in runs(pieces) {
                lines.push(Segment {
                    from: (2 * r + 1, a),
                    to: (2 * r + 1, b),
                });
            }
        }
        for (c, pieces) in down.iter().enumerate() {
            for (a, b) in runs(pieces) {
                lines.push(Segment {
                    from: (a, 2 * c + 1),
                    to: (b, 2 * c + 1),
                });
            }
        }
        lines.sort_by_key(|s| (s.from, s.to));
        Chart {
            columns,
            rows,
            boxes: grid.boxes.clone(),
            lines,
            texts: texts(grid),
        }
    }
}

/// The runs of consecutive set pieces, as `[start, end)` in half-cells.
fn runs(pieces: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &set) in pieces.iter().chain([&false]).enumerate() {
        match (set, start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push((a, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Whether cell (r, c) lies on a box's border: a rounded corner there is drawn by the box.
fn is_border_cell(boxes: &[ChartBox], r: usize, c: usize) -> bool {
    boxes.iter().any(|b| {
        let rows = b.top..=b.bottom;
        let cols = b.left..=b.right;
        ((r == b.top || r == b.bottom) && cols.contains(&c))
            || ((c == b.left || c == b.right) && rows.contains(&r))
    })
}

/// The text of the grid: runs of text cells, split where two or more spaces stand
/// between words, so each run can be set as one line of words.
fn texts(grid: &Grid) -> Vec<ChartText> {
    let mut out = Vec::new();
    for (r, cells) in grid.rows.iter().enumerate() {
        // The column and text of the run being gathered.
        let mut run: Option<(usize, String)> = None;
        for (c, cell) in cells.iter().enumerate() {
            let glyph = match cell {
                Cell::Glyph(g) if !is_border_cell(&grid.boxes, r, c) => Some(g.as_str()),
                Cell::Tail => Some(""),
                _ => None,
            };
            match glyph {
                Some(g) => run.get_or_insert_with(|| (c, String::new())).1.push_str(g),
                None => flush(&mut out, r, run.take()),
            }
        }
        flush(&mut out, r, run.take());
    }
    out
}

/// Adds a run's words to `out`, one text per group of words set a single space apart.
fn flush(out: &mut Vec<ChartText>, row: usize, run: Option<(usize, String)>) {
    let Some((start, text)) = run else { return };
    let mut col = start;
    let mut piece: Option<(usize, String)> = None;
    let mut spaces = 0;
    for cluster in clusters(&text) {
        if cluster == " " {
            spaces += 1;
            col += 1;
            continue;
        }
        if spaces >= 2 {
            push(out, row, piece.take());
        }
        match &mut piece {
            Some((_, words)) if spaces == 1 => {
                words.push(' ');
                words.push_str(&cluster);
            }
            Some((_, words)) => words.push_str(&cluster),
            None => piece = Some((col, cluster.clone())),
        }
        spaces = 0;
        col += str_width(&cluster);
    }
    push(out, row, piece);
}

fn push(out: &mut Vec<ChartText>, row: usize, piece: Option<(usize, String)>) {
    if let Some((col, text)) = piece {
        let columns = str_width(&text);
        out.push(ChartText {
            row,
            col,
            text,
            columns,
        });
    }
}
