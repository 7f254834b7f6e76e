//! A canvas of cells where lines stay direction masks until painted, so every meeting of lines becomes the right glyph.

use super::*;

pub(super) const UP: u8 = 1;
pub(super) const DOWN: u8 = 2;
pub(super) const LEFT: u8 = 4;
pub(super) const RIGHT: u8 = 8;

#[derive(Clone, Debug)]
pub(super) enum Cell {
    Empty,
    /// Light lines leaving the cell in the directions of the mask.
    Lines(u8),
    /// Text or a fixed glyph such as a rounded corner.
    Glyph(String),
    /// The right half of a wide character drawn in the cell before.
    Tail,
}

pub(super) struct Grid {
    pub(super) rows: Vec<Vec<Cell>>,
    /// The frames painted, in painting order: a renderer that draws lines draws them whole.
    pub(super) boxes: Vec<ChartBox>,
}

impl Grid {
    pub(super) fn new(width: usize, height: usize) -> Self {
        Grid {
            rows: vec![vec![Cell::Empty; width]; height],
            boxes: Vec::new(),
        }
    }

    /// Writes a cell; positions outside the grid are ignored rather than panicking.
    pub(super) fn set(&mut self, row: usize, col: usize, cell: Cell) {
        if let Some(slot) = self.rows.get_mut(row).and_then(|r| r.get_mut(col)) {
            *slot = cell;
        }
    }

    /// Adds line directions to a cell, so crossing lines merge into one junction glyph.
    pub(super) fn join(&mut self, row: usize, col: usize, mask: u8) {
        if let Some(slot) = self.rows.get_mut(row).and_then(|r| r.get_mut(col)) {
            *slot = match slot {
                Cell::Lines(old) => Cell::Lines(*old | mask),
                _ => Cell::Lines(mask),
            };
        }
    }

    /// A horizontal line from column `from` to column `to`, both ends included.
    pub(super) fn hline(&mut self, row: usize, from: usize, to: usize) {
        for col in from..to {
            self.join(row, col, RIGHT);
            self.join(row, col + 1, LEFT);
        }
    }

    /// A vertical line from row `from` to row `to`, both ends included.
    pub(super) fn vline(&mut self, col: usize, from: usize, to: usize) {
        for row in from..to {
            self.join(row, col, DOWN);
            self.join(row + 1, col, UP);
        }
    }

    /// Writes text from a column on; wide characters take two cells.
    pub(super) fn put(&mut self, row: usize, col: usize, text: &str) {
        let mut col = col;
        for cluster in clusters(text) {
            let width = str_width(&cluster);
            if width == 0 {
                self.attach(row, col, &cluster);
                continue;
            }
            self.set(row, col, Cell::Glyph(cluster));
            for k in 1..width {
                self.set(row, col + k, Cell::Tail);
            }
            col += width;
        }
    }

    /// Writes an outline line: its guides as lines (which print as the same glyphs),
    /// then its text.
    pub(super) fn put_outline(&mut self, row: usize, col: usize, line: &OutlineLine) {
        let (guides, text) = line.line.split_at(line.guides);
        let mut at = col;
        for c in guides.chars() {
            match guide_mask(c) {
                Some(mask) => self.set(row, at, Cell::Lines(mask)),
                None => self.put(row, at, &c.to_string()),
            }
            at += char_width(c);
        }
        self.put(row, at, text);
    }

    /// Hangs zero-width marks on the cell before `col`, so they take no column.
    pub(super) fn attach(&mut self, row: usize, col: usize, marks: &str) {
        let Some(cells) = self.rows.get_mut(row) else {
            return;
        };
        let Some(at) = (0..col.min(cells.len()))
            .rev()
            .find(|&c| !matches!(cells[c], Cell::Tail))
        else {
            return;
        };
        let base = match &cells[at] {
            Cell::Empty => " ".to_string(),
            Cell::Lines(mask) => line_glyph(*mask).to_string(),
            Cell::Glyph(text) => text.clone(),
            Cell::Tail => String::new(),
        };
        cells[at] = Cell::Glyph(base + marks);
    }

    pub(super) fn lines(&self) -> Vec<String> {
        self.rows.iter().map(|row| row_text(row)).collect()
    }
}

pub(super) fn row_text(row: &[Cell]) -> String {
    let mut text = String::new();
    for cell in row {
        match cell {
            Cell::Empty => text.push(' '),
            Cell::Lines(mask) => text.push(line_glyph(*mask)),
            Cell::Glyph(glyph) => text.push_str(glyph),
            Cell::Tail => {}
        }
    }
    text.trim_end().to_string()
}

/// The arms of an outline guide glyph, the inverse of [`line_glyph`]; None for a space.
pub(super) fn guide_mask(c: char) -> Option<u8> {
    match c {
        '│' => Some(UP | DOWN),
        '─' => Some(LEFT | RIGHT),
        '├' => Some(UP | DOWN | RIGHT),
        '└' => Some(UP | RIGHT),
        _ => None,
    }
}

/// The light box-drawing glyph whose arms point in the directions of `mask`.
pub(super) fn line_glyph(mask: u8) -> char {
    let arm = |bit: u8| mask & bit != 0;
    match (arm(UP), arm(DOWN), arm(LEFT), arm(RIGHT)) {
        (true, true, true, true) => '┼',
        (true, true, false, true) => '├',
        (true, true, true, false) => '┤',
        (false, true, true, true) => '┬',
        (true, false, true, true) => '┴',
        (false, true, false, true) => '┌',
        (false, true, true, false) => '┐',
        (true, false, false, true) => '└',
        (true, false, true, false) => '┘',
        (_, _, false, false) => '│',
        (false, false, _, _) => '─',
    }
}
