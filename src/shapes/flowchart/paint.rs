//! The boxes style, painting a measured layout onto the grid.

use super::*;

pub(super) fn paint_all(layout: &Layout) -> Grid {
    let mut grid = Grid::new(layout.width, layout.height);
    paint(layout, &mut grid, 0, 0);
    grid
}

pub(super) fn paint(layout: &Layout, grid: &mut Grid, top: usize, left: usize) {
    match &layout.shape {
        Shape::Framed { lines, frame } => {
            paint_frame(grid, (top, left), lines, layout.width, *frame);
        }
        Shape::Branching { arrangement, kids } => {
            paint_branching(grid, (top, left), arrangement, kids);
        }
        Shape::Outlined {
            question,
            box_width,
            outline,
        } => {
            paint_frame(grid, (top, left), question, *box_width, Frame::Square);
            let below = top + question.len() + 2;
            // The outline's first guide hangs from a `┬` near the box's left corner.
            grid.join(below - 1, left + 2, DOWN);
            for (i, line) in outline.iter().enumerate() {
                grid.put_outline(below + i, left + 2, line);
            }
        }
    }
}

pub(super) fn paint_frame(
    grid: &mut Grid,
    at: (usize, usize),
    lines: &[String],
    width: usize,
    frame: Frame,
) {
    let (top, left) = at;
    let (right, bottom) = (left + width - 1, top + lines.len() + 1);
    grid.boxes.push(ChartBox {
        top,
        left,
        bottom,
        right,
        rounded: frame == Frame::Rounded,
    });
    grid.hline(top, left, right);
    grid.hline(bottom, left, right);
    grid.vline(left, top, bottom);
    grid.vline(right, top, bottom);
    if frame == Frame::Rounded {
        // Corners are plain glyphs: connectors never meet a box at its corners.
        for (row, col, corner) in [
            (top, left, "╭"),
            (top, right, "╮"),
            (bottom, left, "╰"),
            (bottom, right, "╯"),
        ] {
            grid.set(row, col, Cell::Glyph(corner.to_string()));
        }
    }
    for (i, line) in lines.iter().enumerate() {
        grid.put(top + 1 + i, left + 2, line);
    }
}

pub(super) fn paint_branching(
    grid: &mut Grid,
    at: (usize, usize),
    a: &Arrangement,
    kids: &[Rc<Layout>],
) {
    let (top, left) = at;
    let question = &a.texts.questions[a.question];
    paint_frame(
        grid,
        (top, left + a.box_left),
        question,
        a.box_width,
        Frame::Square,
    );
    let mid = left + a.mid;
    let mut row = top + question.len() + 1;
    grid.join(row, mid, DOWN);
    if a.bus {
        grid.join(row + 1, mid, UP | DOWN);
        row += 2;
        let first = a.branches.first().map_or(a.mid, |b| b.connector);
        let last = a.branches.last().map_or(a.mid, |b| b.connector);
        grid.hline(row, left + first.min(a.mid), left + last.max(a.mid));
        grid.join(row, mid, UP);
        for branch in &a.branches {
            grid.join(row, left + branch.connector, DOWN);
        }
    }
    let kids_top = top + a.kids_top;
    for ((branch, kid), labels) in a.branches.iter().zip(kids).zip(&a.texts.labels) {
        let col = left + branch.connector;
        // Label lines sit on the connector; the rows under them carry it on down.
        for r in row + 1..kids_top {
            match labels.get(r - row - 1) {
                Some((offset, text)) => grid.put(r, col.saturating_add_signed(*offset), text),
                None => grid.join(r, col, UP | DOWN),
            }
        }
        paint(kid, grid, kids_top, left + branch.x);
        grid.join(kids_top, col, UP);
    }
}
