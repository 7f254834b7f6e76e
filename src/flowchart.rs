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

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// A node of a decision tree: a question with answers, or an outcome (leaf).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// A question whose answers lead further down the tree.
    Question {
        /// The question, one paragraph; it is wrapped when drawn.
        text: String,
        /// The answers, drawn left to right (boxes) or top to bottom (tree).
        answers: Vec<Answer>,
    },
    /// A leaf of the tree: what the reader should do.
    Outcome(String),
}

/// One answer of a question: its label on the branch and where it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The label written on the branch, such as `YES` or `NO`; may be empty.
    pub label: String,
    /// The node this answer leads to.
    pub next: Decision,
}

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
}

/// Draws the tree in `style`, never wider than `max_width` columns.
///
/// The width holds for any `max_width` of 4 or more; below that even an outline's
/// guides and one character are too wide, and the drawing is as narrow as it can be.
pub fn draw(root: &Decision, style: Style, max_width: usize) -> Drawing {
    match style {
        Style::Tree => finish(tree_lines(root, max_width), false),
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
fn last_resort(root: &Decision, max_width: usize) -> Vec<String> {
    if let Decision::Question { text, answers } = root {
        let wrap = max_width.saturating_sub(4).clamp(FLOOR_WRAP, START_WRAP);
        let question = wrap_box(text, wrap);
        let lines = outline(answers, max_width.saturating_sub(2));
        let layout = outlined(&question, Rc::new(lines));
        if layout.width <= max_width && !answers.is_empty() {
            return paint_all(&layout);
        }
    }
    tree_lines(root, max_width)
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

fn finish(lines: Vec<String>, fell_back: bool) -> Drawing {
    let lines: Vec<&str> = lines.iter().map(|line| line.trim_end()).collect();
    let width = lines.iter().map(|line| str_width(line)).max().unwrap_or(0);
    Drawing {
        text: lines.join("\n"),
        fell_back,
        width,
    }
}

// ---------------------------------------------------------------------------
// Text: display widths and word wrapping.
// ---------------------------------------------------------------------------

/// Display columns of one character: 0 for controls and combining marks, 2 for wide ones.
fn char_width(c: char) -> usize {
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

fn is_zero_width(cp: u32) -> bool {
    matches!(cp,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200B..=0x200F
        | 0x2060..=0x2064 | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F
        | 0xFEFF | 0xE0100..=0xE01EF)
}

fn is_wide(cp: u32) -> bool {
    matches!(cp,
        0x1100..=0x115F | 0x2329..=0x232A | 0x2E80..=0x303E | 0x3041..=0x33FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xA960..=0xA97F
        | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F680..=0x1F6FF
        | 0x1F900..=0x1F9FF | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD)
}

fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// The words of a text; control characters count as spaces so they never reach a drawing.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .map(String::from)
        .collect()
}

/// Splits text into clusters that are never cut: a visible character with the
/// zero-width marks around it, so a break can not strand an accent.
fn clusters(text: &str) -> Vec<String> {
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
fn wrap_text(text: &str, width: usize) -> Vec<String> {
    wrap_tokens(&words(text), width)
}

/// Wraps the text of a box or label: at `wrap`, or wider to keep a long word whole
/// (up to the widest wrap; a word wider than that is cut anyway).
fn wrap_box(text: &str, wrap: usize) -> Vec<String> {
    let tokens = words(text);
    let longest = tokens.iter().map(|t| str_width(t)).max().unwrap_or(0);
    wrap_tokens(&tokens, wrap.max(longest.min(START_WRAP)))
}

/// Greedy wrap of unbreakable tokens; a token wider than the line is cut into pieces.
fn wrap_tokens(tokens: &[String], width: usize) -> Vec<String> {
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
fn break_token(token: &str, width: usize) -> Vec<String> {
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

// ---------------------------------------------------------------------------
// Grid: a canvas of cells where lines are direction masks until painted.
// ---------------------------------------------------------------------------

const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;

#[derive(Clone, Debug)]
enum Cell {
    Empty,
    /// Light lines leaving the cell in the directions of the mask.
    Lines(u8),
    /// Text or a fixed glyph such as a rounded corner.
    Glyph(String),
    /// The right half of a wide character drawn in the cell before.
    Tail,
}

struct Grid {
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    fn new(width: usize, height: usize) -> Self {
        Grid {
            rows: vec![vec![Cell::Empty; width]; height],
        }
    }

    /// Writes a cell; positions outside the grid are ignored rather than panicking.
    fn set(&mut self, row: usize, col: usize, cell: Cell) {
        if let Some(slot) = self.rows.get_mut(row).and_then(|r| r.get_mut(col)) {
            *slot = cell;
        }
    }

    /// Adds line directions to a cell, so crossing lines merge into one junction glyph.
    fn join(&mut self, row: usize, col: usize, mask: u8) {
        if let Some(slot) = self.rows.get_mut(row).and_then(|r| r.get_mut(col)) {
            *slot = match slot {
                Cell::Lines(old) => Cell::Lines(*old | mask),
                _ => Cell::Lines(mask),
            };
        }
    }

    /// A horizontal line from column `from` to column `to`, both ends included.
    fn hline(&mut self, row: usize, from: usize, to: usize) {
        for col in from..to {
            self.join(row, col, RIGHT);
            self.join(row, col + 1, LEFT);
        }
    }

    /// A vertical line from row `from` to row `to`, both ends included.
    fn vline(&mut self, col: usize, from: usize, to: usize) {
        for row in from..to {
            self.join(row, col, DOWN);
            self.join(row + 1, col, UP);
        }
    }

    /// Writes text from a column on; wide characters take two cells.
    fn put(&mut self, row: usize, col: usize, text: &str) {
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

    /// Hangs zero-width marks on the cell before `col`, so they take no column.
    fn attach(&mut self, row: usize, col: usize, marks: &str) {
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

    fn lines(&self) -> Vec<String> {
        self.rows.iter().map(|row| row_text(row)).collect()
    }
}

fn row_text(row: &[Cell]) -> String {
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

/// The light box-drawing glyph whose arms point in the directions of `mask`.
fn line_glyph(mask: u8) -> char {
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

// ---------------------------------------------------------------------------
// Boxes style: measuring.
// ---------------------------------------------------------------------------

/// The outline of a box: square for questions, rounded for outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    Square,
    Rounded,
}

/// The columns a subtree occupies in each of its rows, `[start, end)`; `None` for a
/// row with nothing in it. Siblings are packed by these, not by their bounding boxes,
/// so a short outcome can tuck in beside the top of a deep neighbour.
type Profile = Vec<Option<(usize, usize)>>;

/// A subtree measured and arranged, ready to be painted at any position.
#[derive(Debug)]
struct Layout {
    width: usize,
    height: usize,
    /// Column of the top border where the connector from the parent arrives.
    entry: usize,
    /// Whether some part of the subtree is drawn as an outline.
    fell_back: bool,
    /// How many nodes are drawn as boxes: what falling back gives up.
    boxes: usize,
    profile: Profile,
    shape: Shape,
}

#[derive(Debug)]
enum Shape {
    /// A box alone: an outcome, or a question without answers.
    Framed { lines: Vec<String>, frame: Frame },
    /// A question box above the branches of its answers.
    Branching {
        arrangement: Arrangement,
        kids: Vec<Rc<Layout>>,
    },
    /// A question box with its answers drawn as an outline beneath it.
    Outlined {
        question: Vec<String>,
        box_width: usize,
        outline: Rc<Vec<String>>,
    },
}

/// The wrapped text of a question and of its answers' labels, which stay the same
/// however its children are narrowed, so they are wrapped once.
#[derive(Debug)]
struct Texts {
    /// The question wrapped at the widest wrap, then narrower ones, down to the
    /// drawing's wrap, which comes last: a box over a wide row of children can take
    /// a wider wrap than the rest of the tree without widening the drawing.
    questions: Vec<Vec<String>>,
    /// Per answer, its label lines with where each starts relative to the connector.
    labels: Vec<Vec<(isize, String)>>,
}

impl Texts {
    fn new(text: &str, answers: &[Answer], wrap: usize) -> Rc<Self> {
        let wider = (wrap + 1..=START_WRAP).rev().step_by(4);
        Rc::new(Texts {
            questions: wider.chain([wrap]).map(|w| wrap_box(text, w)).collect(),
            labels: (answers.iter())
                .map(|a| label_lines(&a.label, wrap))
                .collect(),
        })
    }

    /// The question at the drawing's wrap: the narrowest box it gets.
    fn question(&self) -> &[String] {
        self.questions.last().map_or(&[], Vec::as_slice)
    }
}

/// Where a question box, its bus, labels and children go, relative to the subtree.
#[derive(Debug)]
struct Arrangement {
    width: usize,
    /// The column of the box's outgoing connector, centred over the children.
    mid: usize,
    texts: Rc<Texts>,
    /// Which of the question's wrappings the box shows.
    question: usize,
    box_left: usize,
    box_width: usize,
    /// Whether a horizontal bus spreads the connector to several children.
    bus: bool,
    /// The row where the children's boxes start.
    kids_top: usize,
    branches: Vec<BranchSpot>,
    profile: Profile,
}

#[derive(Debug)]
struct BranchSpot {
    /// Left column of the child's rectangle.
    x: usize,
    /// Column of the connector coming down to the child.
    connector: usize,
}

/// The width a box needs around text lines: a border and a space on each side.
fn frame_width(lines: &[String]) -> usize {
    lines.iter().map(|line| str_width(line)).max().unwrap_or(0) + 4
}

fn framed(lines: Vec<String>, frame: Frame) -> Layout {
    let width = frame_width(&lines);
    let height = lines.len() + 2;
    Layout {
        width,
        height,
        entry: width / 2,
        fell_back: false,
        boxes: 1,
        profile: vec![Some((0, width)); height],
        shape: Shape::Framed { lines, frame },
    }
}

/// Lays out the whole subtree as boxes at one wrap width, however wide it gets.
fn natural(node: &Decision, wrap: usize) -> Rc<Layout> {
    Rc::new(match node {
        Decision::Question { text, answers } if !answers.is_empty() => {
            let kids = answers.iter().map(|a| natural(&a.next, wrap)).collect();
            branching(Texts::new(text, answers, wrap), kids)
        }
        Decision::Question { text, .. } => framed(wrap_box(text, wrap), Frame::Square),
        Decision::Outcome(text) => framed(wrap_box(text, wrap), Frame::Rounded),
    })
}

fn branching(texts: Rc<Texts>, kids: Vec<Rc<Layout>>) -> Layout {
    let arrangement = arrange(texts, &kids);
    Layout {
        width: arrangement.width,
        height: arrangement.profile.len(),
        entry: arrangement.mid,
        fell_back: kids.iter().any(|kid| kid.fell_back),
        boxes: 1 + kids.iter().map(|kid| kid.boxes).sum::<usize>(),
        profile: arrangement.profile.clone(),
        shape: Shape::Branching { arrangement, kids },
    }
}

fn label_lines(label: &str, wrap: usize) -> Vec<(isize, String)> {
    if words(label).is_empty() {
        return Vec::new();
    }
    (wrap_box(label, wrap).into_iter())
        .map(|line| (label_offset(&line), line))
        .collect()
}

/// Where a label line starts relative to its connector: centred on it, but moved so a
/// visible character (never a space) sits on the connector and the line reads as
/// passing through the label.
fn label_offset(line: &str) -> isize {
    let centred = -((str_width(line) / 2) as isize);
    let mut best: Option<isize> = None;
    let mut col = 0isize;
    for cluster in clusters(line) {
        let width = str_width(&cluster) as isize;
        if !cluster.trim().is_empty() {
            for k in 0..width {
                let offset = -(col + k);
                if best.is_none_or(|b| (offset - centred).abs() < (b - centred).abs()) {
                    best = Some(offset);
                }
            }
        }
        col += width;
    }
    best.unwrap_or(centred)
}

/// One branch's occupied columns per row, relative to its connector: its label lines,
/// the connector running on below them, then the child.
fn branch_profile(
    kid: &Layout,
    labels: &[(isize, String)],
    label_rows: usize,
) -> Vec<Option<(isize, isize)>> {
    let entry = kid.entry as isize;
    let connector = (0..=label_rows).map(|r| match labels.get(r) {
        Some((offset, line)) => Some((*offset, offset + str_width(line) as isize)),
        None => Some((0, 1)),
    });
    let child = (kid.profile.iter())
        .map(|span| span.map(|(a, b)| (a as isize - entry, b as isize - entry)));
    connector.chain(child).collect()
}

/// Places the children left to right, each as far left as their profiles allow, and
/// centres the question box over their connectors.
fn arrange(texts: Rc<Texts>, kids: &[Rc<Layout>]) -> Arrangement {
    let label_rows = texts.labels.iter().map(Vec::len).max().unwrap_or(0);
    let mut row = Packed::default();
    let connectors: Vec<usize> = (kids.iter().zip(&texts.labels))
        .map(|(kid, labels)| row.place(&branch_profile(kid, labels, label_rows)))
        .collect();
    let first = connectors.first().copied().unwrap_or(0);
    let last = connectors.last().copied().unwrap_or(0);
    let centre = snap((first + last) / 2, &connectors);
    let right = row
        .spans
        .iter()
        .flatten()
        .map(|&(_, end)| end)
        .max()
        .unwrap_or(0);
    let question = widest_box(&texts.questions, centre, right);
    let box_width = frame_width(&texts.questions[question]);
    let half = box_width / 2;
    // A box wider than its children pushes them right so it does not leave the canvas.
    let shift = half.saturating_sub(centre);
    let mid = centre + shift;
    let bus = kids.len() > 1;
    let box_rows = texts.questions[question].len() + 2;
    let mut profile: Profile = vec![Some((mid - half, mid - half + box_width)); box_rows];
    if bus {
        profile.push(Some((mid, mid + 1)));
        profile.push(Some((first + shift, last + shift + 1)));
    }
    profile.extend(
        row.spans
            .iter()
            .map(|span| span.map(|(a, b)| (a + shift, b + shift))),
    );
    let branches = (connectors.iter().zip(kids))
        .map(|(&connector, kid)| BranchSpot {
            x: (connector + shift).saturating_sub(kid.entry),
            connector: connector + shift,
        })
        .collect();
    Arrangement {
        width: profile
            .iter()
            .flatten()
            .map(|&(_, end)| end)
            .max()
            .unwrap_or(0),
        mid,
        question,
        box_left: mid - half,
        box_width,
        bus,
        kids_top: profile.len() - row.spans.len() + label_rows + 1,
        branches,
        profile,
        texts,
    }
}

/// Moves the box's connector onto a middle child's connector a few columns away, so
/// the bus shows one `┼` rather than a `┴─┬` pair side by side. The outer children
/// are left alone: a bus running out to one side only would no longer look centred.
fn snap(centre: usize, connectors: &[usize]) -> usize {
    let inner = connectors.get(1..connectors.len().saturating_sub(1));
    let near = |c: &&usize| c.abs_diff(centre) <= 4;
    inner
        .and_then(|inner| inner.iter().find(near))
        .copied()
        .unwrap_or(centre)
}

/// Which wrapping of the question to show: the widest whose box, centred on `centre`,
/// stays within the children's columns `0..right`; else the narrowest.
fn widest_box(questions: &[Vec<String>], centre: usize, right: usize) -> usize {
    let within = |lines: &Vec<String>| {
        let width = frame_width(lines);
        width / 2 <= centre && centre - width / 2 + width <= right
    };
    let narrowest = questions.len().saturating_sub(1);
    questions.iter().position(within).unwrap_or(narrowest)
}

/// The branches placed so far: what each row of them occupies.
#[derive(Default)]
struct Packed {
    spans: Vec<Option<(usize, usize)>>,
}

impl Packed {
    /// Places a branch at the leftmost connector column where it stays `GAP` columns
    /// clear of the branches before it in every row; returns that column.
    fn place(&mut self, branch: &[Option<(isize, isize)>]) -> usize {
        let mut connector = 0isize;
        for (r, span) in branch.iter().enumerate() {
            let Some((lo, _)) = span else { continue };
            let clear = match self.spans.get(r).copied().flatten() {
                Some((_, end)) => end as isize + GAP as isize,
                None => 0,
            };
            connector = connector.max(clear - lo);
        }
        if self.spans.len() < branch.len() {
            self.spans.resize(branch.len(), None);
        }
        for (slot, span) in self.spans.iter_mut().zip(branch) {
            if let Some((lo, hi)) = span {
                let (lo, hi) = ((connector + lo) as usize, (connector + hi) as usize);
                *slot = Some(slot.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
            }
        }
        connector as usize
    }
}

// ---------------------------------------------------------------------------
// Boxes style: fitting a budget by drawing the widest subtrees as outlines.
// ---------------------------------------------------------------------------

/// Narrows a tree to a width budget, turning subtrees into outlines only where needed.
#[derive(Default)]
struct Fitter {
    /// Fitted subtrees by node address, then budget: the search asks for the same ones
    /// again and again, and this keeps it from growing exponentially with depth.
    cache: HashMap<usize, BTreeMap<usize, Rc<Layout>>>,
    /// Outline lines by node address and width, for the same reason; they do not
    /// depend on the wrap, so they are kept from one wrap to the next.
    outlines: HashMap<(usize, usize), Rc<Vec<String>>>,
    /// Per node address, the range of useful widths of its outline.
    floors: HashMap<usize, OutlineRange>,
    /// How many more questions may be searched; bounds the time on huge trees.
    effort: usize,
}

impl Fitter {
    /// The tree at one wrap, narrowed to `max_width` by drawing subtrees as outlines.
    fn fit_tree(&mut self, root: &Decision, wrap: usize, max_width: usize) -> Rc<Layout> {
        self.cache.clear();
        self.effort = FIT_EFFORT;
        self.fit(root, &natural(root, wrap), max_width)
    }

    /// Lays out a subtree within `budget` columns, keeping it as boxes if it fits and
    /// otherwise narrowing its children, so outlines appear as deep as possible.
    fn fit(&mut self, node: &Decision, natural: &Rc<Layout>, budget: usize) -> Rc<Layout> {
        let (Decision::Question { answers, .. }, Shape::Branching { arrangement, kids }) =
            (node, &natural.shape)
        else {
            return Rc::clone(natural);
        };
        if natural.width <= budget {
            return Rc::clone(natural);
        }
        let key = node as *const Decision as usize;
        if let Some(hit) = self.cached(key, budget) {
            return hit;
        }
        let texts = &arrangement.texts;
        let layout = match self.squeeze(texts, answers, kids, budget) {
            Some(layout) => layout,
            None => self.outlined(key, texts, answers, budget),
        };
        let entries = self.cache.entry(key).or_default();
        entries.insert(budget, Rc::clone(&layout));
        layout
    }

    /// A layout fitted before that serves this budget too: the one for the nearest
    /// larger budget, if it came out narrow enough. It is what this budget would get
    /// as well, give or take, and it answers most of the search's questions at once.
    fn cached(&self, key: usize, budget: usize) -> Option<Rc<Layout>> {
        let entries = self.cache.get(&key)?;
        let (_, layout) = entries.range(budget..).next()?;
        (layout.width <= budget).then(|| Rc::clone(layout))
    }

    /// Finds the widest cap on the children's widths at which the question fits the
    /// budget: a common cap narrows the widest children first and keeps siblings even.
    fn squeeze(
        &mut self,
        texts: &Rc<Texts>,
        answers: &[Answer],
        naturals: &[Rc<Layout>],
        budget: usize,
    ) -> Option<Rc<Layout>> {
        // Nothing narrower than the question's own box can hold it and its children.
        if self.effort == 0 || budget < frame_width(texts.question()) {
            return None;
        }
        self.effort -= 1;
        let mut best = self.capped(texts, answers, naturals, budget, 0)?;
        let (mut fits, mut too_wide) = (0, naturals.iter().map(|n| n.width).max().unwrap_or(0));
        while too_wide - fits > 1 {
            let cap = (fits + too_wide) / 2;
            match self.capped(texts, answers, naturals, budget, cap) {
                Some(layout) => (best, fits) = (layout, cap),
                None => too_wide = cap,
            }
        }
        Some(best)
    }

    /// The question with every child fitted to `cap` columns, if that fits the budget.
    fn capped(
        &mut self,
        texts: &Rc<Texts>,
        answers: &[Answer],
        naturals: &[Rc<Layout>],
        budget: usize,
        cap: usize,
    ) -> Option<Rc<Layout>> {
        let kids = (answers.iter().zip(naturals))
            .map(|(answer, natural)| self.fit(&answer.next, natural, cap))
            .collect();
        let layout = branching(Rc::clone(texts), kids);
        (layout.width <= budget).then(|| Rc::new(layout))
    }

    /// The question drawn as a box over an outline of its answers, as wide as the
    /// budget allows; outlines of the same width are made once.
    fn outlined(
        &mut self,
        key: usize,
        texts: &Texts,
        answers: &[Answer],
        budget: usize,
    ) -> Rc<Layout> {
        let range = *self
            .floors
            .entry(key)
            .or_insert_with(|| OutlineRange::of(answers));
        let width = range.width(budget.max(frame_width(texts.question())).saturating_sub(2));
        let entry = self.outlines.entry((key, width));
        let lines = entry.or_insert_with(|| Rc::new(range.shape(width).lines(answers)));
        Rc::new(outlined(texts.question(), Rc::clone(lines)))
    }
}

/// The widths worth drawing the outline of some answers at.
#[derive(Clone, Copy)]
struct OutlineRange {
    depth: usize,
    longest: usize,
    /// The narrowest width worth drawing: it cuts no word the wrap would keep whole
    /// and leaves the deepest items room to read; narrower, an outline higher up
    /// reads better.
    floor: usize,
    /// The width past which the outline no longer changes.
    ceiling: usize,
}

impl OutlineRange {
    fn of(answers: &[Answer]) -> Self {
        let (depth, longest) = (outline_depth(answers), longest_token(answers));
        let unwrapped = Outline::new(depth, longest, usize::MAX / 2).lines(answers);
        let ceiling = unwrapped
            .iter()
            .map(|line| str_width(line))
            .max()
            .unwrap_or(0);
        let floor = (2 * depth + longest).max(4 * depth + OUTLINE_TEXT);
        OutlineRange {
            depth,
            longest,
            floor,
            ceiling: ceiling.max(floor),
        }
    }

    /// The width to draw at for `room` columns: a few widths stand for all the
    /// others, so that the search draws few outlines.
    fn width(&self, room: usize) -> usize {
        let width = room.clamp(self.floor, self.ceiling);
        width - (width - self.floor) % 4
    }

    fn shape(&self, width: usize) -> Outline {
        Outline::new(self.depth, self.longest, width)
    }
}

/// A question box with its answers drawn as an outline hanging from its bottom border.
fn outlined(question: &[String], outline: Rc<Vec<String>>) -> Layout {
    let box_width = frame_width(question);
    let mut profile = vec![Some((0, box_width)); question.len() + 2];
    profile.extend(outline.iter().map(|line| Some((2, 2 + str_width(line)))));
    Layout {
        width: profile
            .iter()
            .flatten()
            .map(|&(_, end)| end)
            .max()
            .unwrap_or(0),
        height: profile.len(),
        entry: box_width / 2,
        fell_back: true,
        boxes: 1,
        profile,
        shape: Shape::Outlined {
            question: question.to_vec(),
            box_width,
            outline,
        },
    }
}

// ---------------------------------------------------------------------------
// Boxes style: painting.
// ---------------------------------------------------------------------------

fn paint_all(layout: &Layout) -> Vec<String> {
    let mut grid = Grid::new(layout.width, layout.height);
    paint(layout, &mut grid, 0, 0);
    grid.lines()
}

fn paint(layout: &Layout, grid: &mut Grid, top: usize, left: usize) {
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
                grid.put(below + i, left + 2, line);
            }
        }
    }
}

fn paint_frame(grid: &mut Grid, at: (usize, usize), lines: &[String], width: usize, frame: Frame) {
    let (top, left) = at;
    let (right, bottom) = (left + width - 1, top + lines.len() + 1);
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

fn paint_branching(grid: &mut Grid, at: (usize, usize), a: &Arrangement, kids: &[Rc<Layout>]) {
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

// ---------------------------------------------------------------------------
// Tree style: the outline.
// ---------------------------------------------------------------------------

fn tree_lines(root: &Decision, max_width: usize) -> Vec<String> {
    let (text, answers): (&str, &[Answer]) = match root {
        Decision::Question { text, answers } => (text, answers),
        Decision::Outcome(text) => (text, &[]),
    };
    let mut lines = wrap_text(text, max_width);
    lines.extend(outline(answers, max_width));
    lines
}

/// The answers as outline items, `LABEL → text`, each level indented under its parent.
fn outline(answers: &[Answer], max_width: usize) -> Vec<String> {
    Outline::new(outline_depth(answers), longest_token(answers), max_width).lines(answers)
}

/// How outline items are indented: columns per level, and the width they must keep to.
struct Outline {
    unit: usize,
    max_width: usize,
}

/// What goes before the first line of an item and before its wrapped continuations.
struct Prefix {
    first: String,
    rest: String,
}

impl Outline {
    fn new(depth: usize, longest: usize, max_width: usize) -> Self {
        Outline {
            unit: guide_unit(depth, longest, max_width),
            max_width,
        }
    }

    fn lines(&self, answers: &[Answer]) -> Vec<String> {
        let mut lines = Vec::new();
        self.items(answers, &mut Vec::new(), &mut lines);
        lines
    }

    /// Writes the items of one level; `guides` says, for each open ancestor level,
    /// whether a later sibling still needs its `│` guide to run down.
    fn items(&self, answers: &[Answer], guides: &mut Vec<bool>, lines: &mut Vec<String>) {
        for (i, answer) in answers.iter().enumerate() {
            let last = i + 1 == answers.len();
            let prefix = self.prefix(guides, last);
            let room = self.max_width.saturating_sub(str_width(&prefix.first));
            for (k, line) in wrap_tokens(&item_tokens(answer), room).iter().enumerate() {
                let lead = if k == 0 { &prefix.first } else { &prefix.rest };
                lines.push(format!("{lead}{line}").trim_end().to_string());
            }
            if let Decision::Question { answers: sub, .. } = &answer.next {
                guides.push(!last);
                self.items(sub, guides, lines);
                guides.pop();
            }
        }
    }

    fn prefix(&self, guides: &[bool], last: bool) -> Prefix {
        let pad = " ".repeat(self.unit - 1);
        let mut lead: String = (guides.iter())
            .map(|&open| format!("{}{pad}", if open { '│' } else { ' ' }))
            .collect();
        // Too deep for the width: drop the outermost guides so text keeps two columns.
        let cap = self.max_width.saturating_sub(2 + self.unit);
        let lead_width = lead.chars().count();
        if lead_width > cap {
            lead = lead.chars().skip(lead_width - cap).collect();
        }
        let stem = if last { '└' } else { '├' };
        let arm = "─".repeat(self.unit - 2);
        let guide = if last { ' ' } else { '│' };
        Prefix {
            first: format!("{lead}{stem}{arm} "),
            rest: format!("{lead}{guide}{pad}"),
        }
    }
}

/// Columns per outline level: the roomy four of `├── ` unless the deepest items
/// would then be left too little width for their longest word.
fn guide_unit(depth: usize, longest: usize, max_width: usize) -> usize {
    let text = longest.max(8);
    [4, 3]
        .into_iter()
        .find(|unit| depth * unit + text <= max_width)
        .unwrap_or(2)
}

/// The unbreakable tokens of one item: the label, an arrow glued to its last word so
/// that it never starts a line, then the words of the node's text.
fn item_tokens(answer: &Answer) -> Vec<String> {
    let mut tokens = words(&answer.label);
    let text = words(node_text(&answer.next));
    if let (Some(last), false) = (tokens.last_mut(), text.is_empty()) {
        last.push_str(" →");
    }
    tokens.extend(text);
    tokens
}

fn node_text(node: &Decision) -> &str {
    match node {
        Decision::Question { text, .. } | Decision::Outcome(text) => text,
    }
}

/// Levels of answers below a question: 1 when all its answers end in outcomes.
fn outline_depth(answers: &[Answer]) -> usize {
    (answers.iter())
        .map(|answer| 1 + outline_depth(sub_answers(&answer.next)))
        .max()
        .unwrap_or(0)
}

/// The widest token of any outline item below a question, among those narrower than
/// the widest wrap: wider ones are cut anyway, so no width is spent keeping them whole.
fn longest_token(answers: &[Answer]) -> usize {
    (answers.iter())
        .map(|answer| {
            let widths = item_tokens(answer).into_iter().map(|t| str_width(&t));
            let own = widths.filter(|&w| w <= START_WRAP).max();
            own.unwrap_or(0)
                .max(longest_token(sub_answers(&answer.next)))
        })
        .max()
        .unwrap_or(0)
}

fn sub_answers(node: &Decision) -> &[Answer] {
    match node {
        Decision::Question { answers, .. } => answers,
        Decision::Outcome(_) => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn q(text: &str, answers: Vec<(&str, Decision)>) -> Decision {
        Decision::Question {
            text: text.to_string(),
            answers: (answers.into_iter())
                .map(|(label, next)| Answer {
                    label: label.to_string(),
                    next,
                })
                .collect(),
        }
    }

    fn o(text: &str) -> Decision {
        Decision::Outcome(text.to_string())
    }

    /// The example of SPEC.md section 6.
    fn spec_example() -> Decision {
        q(
            "Are you running MoE models of 80B parameters or more?",
            vec![
                (
                    "YES",
                    q(
                        "Do customers pay you for on-premises inference?",
                        vec![
                            ("YES", o("Buy a Spark (profile 2).")),
                            ("NO", o("Rent first and measure.")),
                        ],
                    ),
                ),
                ("NO", o("Rent from the cloud.")),
            ],
        )
    }

    /// The SPEC.md example extended to four levels of questions.
    fn spec_depth4() -> Decision {
        let cluster = q(
            "Can you link two Sparks over their 200 Gb/s ports?",
            vec![
                ("YES", o("Buy two Sparks and cluster them (profile 3).")),
                ("NO", o("Rent a multi-GPU server instead.")),
            ],
        );
        let memory = q(
            "Does one model need more than 128 GB of memory?",
            vec![("YES", cluster), ("NO", o("Buy a Spark (profile 2)."))],
        );
        q(
            "Are you running MoE models of 80B parameters or more?",
            vec![
                (
                    "YES",
                    q(
                        "Do customers pay you for on-premises inference?",
                        vec![("YES", memory), ("NO", o("Rent first and measure."))],
                    ),
                ),
                ("NO", o("Rent from the cloud.")),
            ],
        )
    }

    /// An earlier wording of the guide's buy-or-not tree: questions four deep, outcomes at depth five.
    fn buy_spark() -> Decision {
        let hobby = q(
            "Is this a well-funded hobby with a three-year horizon?",
            vec![
                ("YES", o("Buy a Spark, and enjoy the maintenance.")),
                ("NO", o("Skip the Spark. Rent, or use a Mac.")),
            ],
        );
        let career = q(
            "Are you investing in the NVIDIA stack for career or research?",
            vec![
                ("YES", o("Buy a Spark. You are the career investor.")),
                ("NO", hobby),
            ],
        );
        let hours = q(
            "Will you use it for fifteen hundred GPU-hours a year or more?",
            vec![
                (
                    "YES",
                    o("Build a used dual-3090 box for dense and diffusion."),
                ),
                (
                    "NO",
                    o("Rent on RunPod or Vast.ai. The cloud is cheaper here."),
                ),
            ],
        );
        q(
            "Will you run MoE models of eighty billion parameters or more?",
            vec![
                (
                    "YES",
                    q(
                        "Do customers pay you to keep inference on their premises?",
                        vec![
                            (
                                "YES",
                                o("Buy a Spark. You are the sovereign-AI consultant."),
                            ),
                            ("NO", career),
                        ],
                    ),
                ),
                (
                    "NO",
                    q(
                        "Does a dense job need more memory than two used 3090s hold?",
                        vec![
                            (
                                "YES",
                                o("A Spark may fit, but price a Mac Studio M3 Ultra first."),
                            ),
                            ("NO", hours),
                        ],
                    ),
                ),
            ],
        )
    }

    /// An earlier wording of the guide's choose-alternative tree: labels other than YES and NO.
    fn choose_alternative() -> Decision {
        let dense = q(
            "Can you live with single-digit tokens per second?",
            vec![
                (
                    "YES",
                    o("Mac Studio M3 Ultra, the widest unified-memory bus here."),
                ),
                (
                    "NO",
                    o("Multi-3090 rig, or rent data-centre GPUs by the hour."),
                ),
            ],
        );
        let hours = q(
            "Will it run fifteen hundred hours a year or more?",
            vec![
                ("YES", o("DGX Spark, or an OEM GB10 box to save money.")),
                ("NO", o("Rent cloud GPUs for six months and measure.")),
            ],
        );
        let pc = q(
            "Must the box double as a general-purpose PC?",
            vec![
                ("YES", o("Strix Halo mini-PC on Windows or Linux.")),
                ("NO", o("Mac Studio. Silent, and fastest at decode here.")),
            ],
        );
        let moe = q(
            "Do you need CUDA for training, fine-tuning or vLLM?",
            vec![("YES", hours), ("NO", pc)],
        );
        q(
            "Does your main model fit on a single consumer GPU?",
            vec![
                (
                    "YES",
                    o("Keep or buy a desktop GPU. Nothing here is faster."),
                ),
                (
                    "NO",
                    q(
                        "Is it a dense model that reads every weight per token?",
                        vec![("Dense", dense), ("MoE", moe)],
                    ),
                ),
            ],
        )
    }

    /// A question with one answer that leads on to a question with two.
    fn one_answer() -> Decision {
        q(
            "Have you measured your workload?",
            vec![(
                "NOT YET",
                q(
                    "Can you rent the hardware for a week?",
                    vec![
                        ("YES", o("Rent it and measure.")),
                        ("NO", o("Ask a friend who owns one.")),
                    ],
                ),
            )],
        )
    }

    fn three_answers() -> Decision {
        q(
            "How much memory does your largest model need?",
            vec![
                ("Under 24 GB", o("Any recent desktop GPU will do.")),
                ("24 to 128 GB", o("A Spark or a Mac Studio.")),
                ("Over 128 GB", o("Rent a multi-GPU server.")),
            ],
        )
    }

    /// The wide tree: six answers, each ending in an outcome of about sixty characters.
    fn six_answers() -> Decision {
        q(
            "Which workload matters most to you?",
            vec![
                (
                    "Chat",
                    o("Any box with fast memory; decode speed is what you feel."),
                ),
                (
                    "Code",
                    o("Long contexts need memory; prefill speed matters too."),
                ),
                (
                    "Images",
                    o("Diffusion wants raw compute; a desktop GPU wins here."),
                ),
                (
                    "Video",
                    o("Video models need both memory and compute; rent first."),
                ),
                (
                    "Training",
                    o("Fine-tuning wants CUDA; a Spark or cloud GPUs serve."),
                ),
                (
                    "Agents",
                    o("Many short calls; latency beats size, keep it local."),
                ),
            ],
        )
    }

    fn long_labels() -> Decision {
        q(
            "How will the machine be used day to day?",
            vec![
                (
                    "As a shared server for a small team of developers",
                    o("Buy a Spark and put it on the network."),
                ),
                (
                    "On one desk, by one person, mostly for experiments",
                    q(
                        "Is it quiet enough?",
                        vec![("YES", o("Keep it.")), ("NO", o("Move it."))],
                    ),
                ),
                ("Rarely", o("Rent.")),
            ],
        )
    }

    /// Draws a tree and compares the drawing with `golden/NAME.txt`; returns the drawing.
    macro_rules! golden {
        ($name:literal, $tree:expr, $style:expr, $width:expr) => {
            check_golden(
                $name,
                &$tree,
                ($style, $width),
                include_str!(concat!("flowchart/golden/", $name, ".txt")),
            )
        };
    }

    /// Compares a drawing with its golden file; `FLOWCHART_BLESS=1` rewrites the file
    /// instead, to be looked at before it is committed.
    fn check_golden(name: &str, tree: &Decision, how: (Style, usize), expected: &str) -> Drawing {
        let drawing = draw(tree, how.0, how.1);
        let actual = format!("{}\n", drawing.text);
        if std::env::var_os("FLOWCHART_BLESS").is_some() {
            let dir = std::path::Path::new(file!()).with_extension("");
            std::fs::write(dir.join("golden").join(format!("{name}.txt")), &actual).unwrap();
            return drawing;
        }
        assert_eq!(actual, expected, "golden {name} differs");
        assert!(drawing.width <= how.1);
        // Narrower than this, long words may rightly be cut.
        if how.1 >= 30 {
            assert_words_present(tree, &drawing);
        }
        assert_sound(&drawing, how.0);
        drawing
    }

    /// What every drawing must satisfy: its width is right and its lines all join.
    fn assert_sound(drawing: &Drawing, style: Style) {
        let measured = drawing.text.lines().map(str_width).max().unwrap_or(0);
        assert_eq!(drawing.width, measured, "{}", drawing.text);
        let pure_boxes = style == Style::Boxes && !drawing.fell_back;
        let faults = connector_faults(&drawing.text, pure_boxes);
        assert!(faults.is_empty(), "{faults:?}\n{}", drawing.text);
    }

    #[test]
    fn golden_spec_example() {
        let spec = spec_example();
        golden!("spec_boxes", spec, Style::Boxes, 100);
        golden!("spec_tree", spec, Style::Tree, 100);
        golden!("spec_boxes_60", spec, Style::Boxes, 60);
        golden!("spec_tree_30", spec, Style::Tree, 30);
    }

    #[test]
    fn golden_spec_depth4() {
        let boxes = golden!("spec_depth4_boxes", spec_depth4(), Style::Boxes, 100);
        assert!(!boxes.fell_back);
        golden!("spec_depth4_tree", spec_depth4(), Style::Tree, 80);
    }

    #[test]
    fn golden_depth5() {
        golden!("depth5_boxes", buy_spark(), Style::Boxes, 100);
        golden!("depth5_tree", buy_spark(), Style::Tree, 100);
    }

    /// The guide's buy-or-not tree (data/decisions/buy-spark.yaml, 2026-11): at one wrap
    /// for all boxes it is too wide for 100 columns, but packed subtree by subtree it fits.
    fn guide_buy_spark() -> Decision {
        let hobby = q(
            "Is it a hobby with four thousand euros or more to spend and a horizon of three years or more?",
            vec![
                ("YES", o("A Spark works. Budget time for upkeep.")),
                ("NO", o("Do not buy a Spark. Rent, or use a Mac.")),
            ],
        );
        let career = q(
            "Are you investing in the NVIDIA software stack for your career or research?",
            vec![
                (
                    "YES",
                    o("Buy a Spark. The stack is what you are paying to learn."),
                ),
                ("NO", hobby),
            ],
        );
        let clients = q(
            "Do clients pay you to keep their inference on your premises?",
            vec![
                (
                    "YES",
                    o("Buy a Spark. You are the sovereign-AI consultant."),
                ),
                ("NO", career),
            ],
        );
        let hours = q(
            "Will the workload use fifteen hundred GPU-hours a year or more?",
            vec![
                (
                    "YES",
                    o("A used dual-3090 build, for diffusion or dense models."),
                ),
                (
                    "NO",
                    o("Rent on RunPod or Vast.ai. The cloud is cheaper at this duty cycle."),
                ),
            ],
        );
        let dense = q(
            "Does a specific dense workload need unified memory because it will not fit in 48 GB?",
            vec![
                (
                    "YES",
                    o("A Spark may fit, but weigh a Mac Studio M3 Ultra first."),
                ),
                ("NO", hours),
            ],
        );
        q(
            "Do you run MoE language models of eighty billion parameters or more, or plan to within eighteen months?",
            vec![("YES", clients), ("NO", dense)],
        )
    }

    #[test]
    fn a_tree_the_fitter_fits_whole_is_not_reported_as_fallen_back() {
        let tree = guide_buy_spark();
        assert!(
            natural(&tree, FLOOR_WRAP).width > 100,
            "not the case under test"
        );
        let drawing = draw(&tree, Style::Boxes, 100);
        assert!(drawing.width <= 100);
        assert!(!drawing.fell_back, "{}", drawing.text);
        assert!(!drawing.text.contains("├──"), "{}", drawing.text);
        assert_words_present(&tree, &drawing);
        assert_sound(&drawing, Style::Boxes);
    }

    #[test]
    fn golden_fallback() {
        let drawing = golden!("depth5_boxes_60", buy_spark(), Style::Boxes, 60);
        assert!(drawing.fell_back);
    }

    #[test]
    fn golden_fallback_only_where_needed() {
        let whole = golden!(
            "alternative_boxes_100",
            choose_alternative(),
            Style::Boxes,
            100
        );
        assert!(!whole.fell_back);
        let part = golden!(
            "alternative_boxes_80",
            choose_alternative(),
            Style::Boxes,
            80
        );
        assert!(part.fell_back);
        let root_only = golden!("depth5_boxes_30", buy_spark(), Style::Boxes, 30);
        assert!(root_only.fell_back);
    }

    #[test]
    fn golden_one_answer() {
        golden!("one_answer_boxes", one_answer(), Style::Boxes, 100);
        golden!("one_answer_tree", one_answer(), Style::Tree, 100);
    }

    #[test]
    fn golden_three_answers() {
        golden!("three_answers_boxes", three_answers(), Style::Boxes, 80);
        golden!("three_answers_tree", three_answers(), Style::Tree, 60);
    }

    #[test]
    fn golden_six_answers() {
        let drawing = golden!("six_answers_boxes", six_answers(), Style::Boxes, 100);
        assert!(!drawing.fell_back);
        golden!("six_answers_tree", six_answers(), Style::Tree, 100);
    }

    #[test]
    fn golden_long_labels() {
        golden!("long_labels_boxes", long_labels(), Style::Boxes, 80);
        golden!("long_labels_tree", long_labels(), Style::Tree, 48);
    }

    #[test]
    fn golden_narrowest() {
        let drawing = golden!("spec_boxes_10", spec_example(), Style::Boxes, 10);
        assert!(drawing.fell_back);
    }

    #[test]
    fn golden_zero_answers() {
        let lonely = q("Is anyone there?", vec![]);
        golden!("zero_answers_boxes", lonely, Style::Boxes, 100);
    }

    #[test]
    fn wide_tree_fits_100_columns_as_boxes() {
        let drawing = draw(&six_answers(), Style::Boxes, 100);
        assert!(drawing.width <= 100, "{}", drawing.text);
        assert!(!drawing.fell_back);
        assert_words_present(&six_answers(), &drawing);
        assert_sound(&drawing, Style::Boxes);
    }

    #[test]
    fn spec_depth4_draws_whole_in_both_styles() {
        let tree = spec_depth4();
        for style in [Style::Boxes, Style::Tree] {
            let drawing = draw(&tree, style, 100);
            assert!(drawing.width <= 100);
            assert!(!drawing.fell_back);
            assert_words_present(&tree, &drawing);
            assert_sound(&drawing, style);
        }
    }

    #[test]
    fn random_trees_fit_keep_every_word_and_join() {
        let mut rng = Rng(0x5eed_f10c_4a27);
        for n in 0..200 {
            let tree = random_tree(&mut rng, n % 6, &mut 30);
            for max_width in [40, 60, 80, 100] {
                for style in [Style::Boxes, Style::Tree] {
                    let drawing = draw(&tree, style, max_width);
                    let context = format!("tree {n}, {style:?}, width {max_width}");
                    assert!(drawing.width <= max_width, "{context}\n{}", drawing.text);
                    assert!(style == Style::Boxes || !drawing.fell_back, "{context}");
                    assert_words_present(&tree, &drawing);
                    assert_sound(&drawing, style);
                }
            }
        }
    }

    #[test]
    fn narrow_widths_never_panic_and_stay_narrow() {
        let mut rng = Rng(7);
        let mut trees: Vec<Decision> = (0..40)
            .map(|n| random_tree(&mut rng, n % 7, &mut 40))
            .collect();
        trees.extend([spec_depth4(), buy_spark(), six_answers(), long_labels()]);
        for tree in &trees {
            for max_width in [0, 1, 2, 3, 4, 5, 8, 10, 11, 13, 16, 20, 25, 32, 39] {
                for style in [Style::Boxes, Style::Tree] {
                    let drawing = draw(tree, style, max_width);
                    if max_width >= 4 {
                        assert!(drawing.width <= max_width, "{max_width}\n{}", drawing.text);
                    }
                }
            }
        }
    }

    #[test]
    fn degenerate_trees_draw() {
        let cases = [
            o(""),
            q("", vec![]),
            q("", vec![("", o(""))]),
            q("   ", vec![("", o("")), ("", q("", vec![]))]),
            q("Why?", vec![("\t\u{7}", o("Because.\n"))]),
        ];
        for tree in &cases {
            for style in [Style::Boxes, Style::Tree] {
                for max_width in [0, 1, 2, 4, 5, 10, 40, 100] {
                    let drawing = draw(tree, style, max_width);
                    assert!(drawing.width <= max_width.max(3));
                    if max_width >= 10 {
                        assert_sound(&drawing, style);
                    }
                }
            }
        }
        let empty = draw(&o(""), Style::Boxes, 100);
        assert_eq!(empty.text, "╭──╮\n│  │\n╰──╯");
    }

    #[test]
    fn deep_and_bushy_trees_draw() {
        let mut deep = o("Bottom of the well.");
        for level in 0..40 {
            deep = q(
                &format!("Level {level}?"),
                vec![("YES", deep), ("NO", o("Stop."))],
            );
        }
        let mut bushy = o("Leaf.");
        for _ in 0..4 {
            let answers = (0..6).map(|i| (["A", "B", "C", "D", "E", "F"][i], bushy.clone()));
            bushy = q("Which way now?", answers.collect());
        }
        for tree in [deep, bushy] {
            for style in [Style::Boxes, Style::Tree] {
                let drawing = draw(&tree, style, 100);
                assert!(drawing.width <= 100);
                assert_words_present(&tree, &drawing);
            }
        }
    }

    #[test]
    fn a_word_too_long_for_the_space_is_cut_but_kept() {
        let word = "Supercalifragilisticexpialidocious-and-then-some-more";
        for style in [Style::Boxes, Style::Tree] {
            let drawing = draw(&o(word), style, 20);
            assert!(drawing.width <= 20, "{}", drawing.text);
            let glued: String = drawing
                .text
                .chars()
                .filter(|c| !c.is_whitespace() && !is_line(*c))
                .collect();
            assert_eq!(glued, word, "{}", drawing.text);
        }
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let tree = q(
            "日本語のモデルを使いますか?",
            vec![
                ("はい", o("スパークを買う。")),
                ("いいえ", o("クラウドを借りる。")),
            ],
        );
        for style in [Style::Boxes, Style::Tree] {
            for max_width in [20, 40, 100] {
                let drawing = draw(&tree, style, max_width);
                assert!(drawing.width <= max_width, "{}", drawing.text);
                assert_sound(&drawing, style);
            }
        }
        assert_eq!(str_width("日本a"), 5);
        assert_eq!(str_width("e\u{301}"), 1);
    }

    #[test]
    fn drawing_is_deterministic() {
        let tree = buy_spark();
        assert_eq!(draw(&tree, Style::Boxes, 60), draw(&tree, Style::Boxes, 60));
    }

    #[test]
    fn wrap_keeps_words_and_cuts_only_long_ones() {
        assert_eq!(wrap_text("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap_text("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap_text("", 5), [""]);
        assert_eq!(wrap_text("x", 0), ["x"]);
    }

    #[test]
    fn junctions_pick_the_glyph_of_their_arms() {
        assert_eq!(line_glyph(UP | DOWN | LEFT | RIGHT), '┼');
        assert_eq!(line_glyph(DOWN | LEFT | RIGHT), '┬');
        assert_eq!(line_glyph(UP | LEFT | RIGHT), '┴');
        assert_eq!(line_glyph(DOWN | RIGHT), '┌');
        assert_eq!(line_glyph(LEFT | RIGHT), '─');
        assert_eq!(line_glyph(UP | DOWN), '│');
    }

    #[test]
    fn checker_catches_a_dangling_line() {
        assert!(!connector_faults("┌┴┐\n│ │\n└─┘", true).is_empty());
        assert!(!connector_faults("┌─┐\n│ │\n└┬┘", true).is_empty());
        assert!(!connector_faults("┌─┐\n│  \n└─┘", true).is_empty());
        assert!(connector_faults("┌─┐\n│ │\n└┬┘\nYES\n ╵", true).len() == 1);
        assert!(connector_faults("┌─┐\n│ │\n└┬┘\nYES\n ├─ a\n └─ b", false).is_empty());
    }

    // --- Checks -----------------------------------------------------------

    /// Every word of every question, label and outcome.
    fn tree_words(node: &Decision, out: &mut Vec<String>) {
        out.extend(words(node_text(node)));
        for answer in sub_answers(node) {
            out.extend(words(&answer.label));
            tree_words(&answer.next, out);
        }
    }

    fn is_line(c: char) -> bool {
        matches!(c, '\u{2500}'..='\u{257F}')
    }

    /// Checks each word of the tree appears whole in the drawing, as often as in the tree.
    fn assert_words_present(tree: &Decision, drawing: &Drawing) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let tokens = drawing
            .text
            .split(|c: char| c.is_whitespace() || is_line(c) || c == '→');
        for token in tokens.filter(|t| !t.is_empty()) {
            *seen.entry(token.to_string()).or_default() += 1;
        }
        let mut wanted = Vec::new();
        tree_words(tree, &mut wanted);
        for word in wanted {
            let left = seen.entry(word.clone()).or_default();
            assert!(*left > 0, "word {word:?} missing from\n{}", drawing.text);
            *left -= 1;
        }
    }

    /// The drawing as a grid of display columns; a wide character fills both of its.
    fn columns(text: &str) -> Vec<Vec<char>> {
        (text.lines())
            .map(|line| {
                let mut cells = Vec::new();
                for c in line.chars() {
                    cells.extend(std::iter::repeat_n(c, char_width(c)));
                }
                cells
            })
            .collect()
    }

    const UP_ARMS: &str = "│┴┼├┤└┘╰╯";
    const DOWN_ARMS: &str = "│┬┼├┤┌┐╭╮";
    const LEFT_ARMS: &str = "─┐┘┤┬┴┼╮╯";
    const RIGHT_ARMS: &str = "─┌└├┬┴┼╭╰";
    /// Glyphs whose upward arm must meet something; `└ ├` may hang from text in outlines.
    const NEEDS_UP: &str = "│┴┼┤┘╰╯";

    /// Lists the line ends that meet nothing. Vertically, a line may pass through a
    /// label written on it: text between two line ends is skipped. Horizontal checks
    /// are only for pure box drawings, where every `─` runs between two glyphs.
    fn connector_faults(text: &str, horizontal: bool) -> Vec<String> {
        let grid = columns(text);
        let at = |r: isize, c: usize| -> char {
            (usize::try_from(r).ok())
                .and_then(|r| grid.get(r))
                .and_then(|row| row.get(c))
                .copied()
                .unwrap_or(' ')
        };
        let reaches = |r: usize, c: usize, step: isize, arms: &str| -> bool {
            let mut r = r as isize + step;
            while !at(r, c).is_whitespace() && !is_line(at(r, c)) {
                r += step;
            }
            arms.contains(at(r, c))
        };
        let mut faults = Vec::new();
        for (r, row) in grid.iter().enumerate() {
            for (c, &glyph) in row.iter().enumerate() {
                if !is_line(glyph) {
                    continue;
                }
                let mut fail = |what: &str| faults.push(format!("{glyph} at {r}:{c} {what}"));
                if NEEDS_UP.contains(glyph) && !reaches(r, c, -1, DOWN_ARMS) {
                    fail("meets nothing above");
                }
                if DOWN_ARMS.contains(glyph) && !reaches(r, c, 1, UP_ARMS) {
                    fail("meets nothing below");
                }
                if horizontal
                    && RIGHT_ARMS.contains(glyph)
                    && !LEFT_ARMS.contains(at(r as isize, c + 1))
                {
                    fail("meets nothing on the right");
                }
                if horizontal
                    && LEFT_ARMS.contains(glyph)
                    && (c == 0 || !RIGHT_ARMS.contains(row[c - 1]))
                {
                    fail("meets nothing on the left");
                }
            }
        }
        faults
    }

    // --- Random trees -----------------------------------------------------

    /// A small xorshift generator, so the random trees are the same on every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn random_word(rng: &mut Rng) -> String {
        let len = 1 + rng.below(10);
        let mut word: String = (0..len)
            .map(|_| (b'a' + rng.below(26) as u8) as char)
            .collect();
        if rng.below(8) == 0 {
            word.pop();
            word.push(['?', '.', ',', ')'][rng.below(4)]);
        }
        word
    }

    fn random_text(rng: &mut Rng, min: usize, max: usize) -> String {
        let count = min + rng.below(max - min + 1);
        let words: Vec<String> = (0..count).map(|_| random_word(rng)).collect();
        words.join(" ")
    }

    fn random_label(rng: &mut Rng) -> String {
        match rng.below(6) {
            0 => String::new(),
            1 | 2 => ["YES", "NO", "MAYBE", "Dense", "MoE"][rng.below(5)].to_string(),
            _ => random_text(rng, 1, 6),
        }
    }

    /// A random tree at most `depth` questions deep, with at most about `nodes` nodes.
    fn random_tree(rng: &mut Rng, depth: usize, nodes: &mut usize) -> Decision {
        if depth == 0 || *nodes == 0 || rng.below(4) == 0 {
            return Decision::Outcome(random_text(rng, 0, 12));
        }
        let count = [0, 1, 2, 2, 2, 3, 3, 4, 6][rng.below(9)];
        *nodes = nodes.saturating_sub(count);
        Decision::Question {
            text: random_text(rng, 0, 16),
            answers: (0..count)
                .map(|_| Answer {
                    label: random_label(rng),
                    next: random_tree(rng, depth - 1, nodes),
                })
                .collect(),
        }
    }
}
