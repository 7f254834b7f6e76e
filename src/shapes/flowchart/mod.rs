//! Flowchart layout engine: draws a decision tree as a top-down flowchart of boxes
//! (`Style::Boxes`) or as an indented outline (`Style::Tree`), in Unicode box-drawing
//! characters, never wider than a given number of display columns.
//!
//! Boxes are laid out in two passes. The measuring pass works bottom-up: every subtree
//! becomes a block that knows which columns it occupies in each of its rows and the
//! column where its incoming connector attaches; siblings are packed left to right as
//! close as those rows allow with a gap between them, and their question box is
//! centred over the bus that joins them. The painting pass draws lines as direction
//! masks on a grid and only turns them into glyphs at the end, so every meeting of
//! lines becomes the right `┬ ┴ ┼ ┌ ┐` by construction. A drawing that is too wide is
//! first wrapped narrower; below the narrowest wrap, the subtrees that still do not
//! fit are drawn as outlines under their question box, as low in the tree as they
//! can be.

use crate::load::decisions::{Answer, Decision};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

mod boxes;
mod chart;
mod fit;
mod grid;
mod outline;
mod paint;
#[cfg(test)]
mod tests;
mod text;

use boxes::*;
pub use chart::{Chart, ChartBox, ChartText, Segment};
use fit::*;
use grid::*;
use outline::*;
use paint::*;
use text::*;

/// How the tree is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A top-down flowchart: question boxes, rounded outcome boxes, labelled connectors.
    Boxes,
    /// An indented outline with `├──` guides.
    Tree,
}

/// A drawing and whether part of it had to fall back to tree style to fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawing {
    /// The drawing: lines joined by `\n`, each right-trimmed, no trailing newline.
    pub text: String,
    /// True when some or all of a `Style::Boxes` drawing was drawn as an outline to fit.
    pub fell_back: bool,
    /// The display width of the widest line, in columns.
    pub width: usize,
    /// The same drawing as geometry (boxes, lines, text at cell positions), for
    /// renderers that draw lines rather than print box-drawing glyphs: the PDF.
    pub chart: Chart,
}

/// Draws the tree in `style`, never wider than `max_width` columns.
///
/// The width holds for any `max_width` of 4 or more; below that even an outline's
/// guides and one character are too wide, and the drawing is as narrow as it can be.
pub fn draw(root: &Decision, style: Style, max_width: usize) -> Drawing {
    match style {
        Style::Tree => finish(tree_grid(&tree_lines(root, max_width)), false),
        Style::Boxes => draw_boxes(root, max_width),
    }
}

/// The wrap width boxes start at: wide enough for a short sentence per line.
const START_WRAP: usize = 28;
/// The narrowest wrap boxes are tried at before parts of the tree become outlines.
const FLOOR_WRAP: usize = 10;
/// Blank columns between sibling subtrees.
const GAP: usize = 2;
/// The columns an outline drawn under a box keeps for the text of its deepest items.
const OUTLINE_TEXT: usize = 16;
/// How many questions the fallback search may try to narrow; bounds the time on huge trees.
const FIT_EFFORT: usize = 20_000;

fn draw_boxes(root: &Decision, max_width: usize) -> Drawing {
    let narrowest = natural(root, FLOOR_WRAP);
    if narrowest.width <= max_width {
        let layout = widest_wrap(narrowest, |wrap| {
            let layout = natural(root, wrap);
            (layout.width <= max_width).then_some(layout)
        });
        return finish(paint_all(&layout), false);
    }
    let mut fitter = Fitter::default();
    let fitted = fitter.fit_tree(root, FLOOR_WRAP, max_width);
    if fitted.width > max_width {
        return finish(last_resort(root, max_width), true);
    }
    // Wider boxes read better: take the widest wrap that keeps as much in boxes.
    let boxes = fitted.boxes;
    let layout = widest_wrap(fitted, |wrap| {
        let layout = fitter.fit_tree(root, wrap, max_width);
        (layout.width <= max_width && layout.boxes >= boxes).then_some(layout)
    });
    // The fitter packs subtrees at their own wraps, so it may fit every box after all.
    let fell_back = layout.fell_back;
    finish(paint_all(&layout), fell_back)
}

/// The drawing when no box but the root's can fit: the root's box over an outline
/// as narrow as needed, or with no room even for that box, the tree as an outline.
fn last_resort(root: &Decision, max_width: usize) -> Grid {
    if let Decision::Question { text, answers } = root {
        let wrap = max_width.saturating_sub(4).clamp(FLOOR_WRAP, START_WRAP);
        let question = wrap_box(text, wrap);
        let lines = outline(answers, max_width.saturating_sub(2));
        let layout = outlined(&question, Rc::new(lines));
        if layout.width <= max_width && !answers.is_empty() {
            return paint_all(&layout);
        }
    }
    tree_grid(&tree_lines(root, max_width))
}

/// The layout at the widest wrap that `attempt` accepts, given the one at the
/// narrowest wrap. Narrower wraps make narrower drawings, so bisection finds it in
/// a few attempts.
fn widest_wrap(
    narrowest: Rc<Layout>,
    mut attempt: impl FnMut(usize) -> Option<Rc<Layout>>,
) -> Rc<Layout> {
    if let Some(layout) = attempt(START_WRAP) {
        return layout;
    }
    let (mut fits, mut too_wide, mut best) = (FLOOR_WRAP, START_WRAP, narrowest);
    while too_wide - fits > 1 {
        let wrap = (fits + too_wide) / 2;
        match attempt(wrap) {
            Some(layout) => (fits, best) = (wrap, layout),
            None => too_wide = wrap,
        }
    }
    best
}

fn finish(grid: Grid, fell_back: bool) -> Drawing {
    let lines = grid.lines();
    let lines: Vec<&str> = lines.iter().map(|line| line.trim_end()).collect();
    let width = lines.iter().map(|line| str_width(line)).max().unwrap_or(0);
    Drawing {
        text: lines.join("\n"),
        fell_back,
        width,
        chart: Chart::of(&grid, width),
    }
}
