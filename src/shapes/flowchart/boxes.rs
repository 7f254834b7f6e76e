//! The boxes style, measuring: each subtree becomes a block that knows which columns each of its rows occupies.

use super::*;

/// The outline of a box: square for questions, rounded for outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Frame {
    Square,
    Rounded,
}

/// The columns a subtree occupies in each of its rows, `[start, end)`; `None` for a
/// row with nothing in it. Siblings are packed by these, not by their bounding boxes,
/// so a short outcome can tuck in beside the top of a deep neighbour.
pub(super) type Profile = Vec<Option<(usize, usize)>>;

/// A subtree measured and arranged, ready to be painted at any position.
#[derive(Debug)]
pub(super) struct Layout {
    pub(super) width: usize,
    pub(super) height: usize,
    /// Column of the top border where the connector from the parent arrives.
    pub(super) entry: usize,
    /// Whether some part of the subtree is drawn as an outline.
    pub(super) fell_back: bool,
    /// How many nodes are drawn as boxes: what falling back gives up.
    pub(super) boxes: usize,
    pub(super) profile: Profile,
    pub(super) shape: Shape,
}

#[derive(Debug)]
pub(super) enum Shape {
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
        outline: Rc<Vec<OutlineLine>>,
    },
}

/// The wrapped text of a question and of its answers' labels, which stay the same
/// however its children are narrowed, so they are wrapped once.
#[derive(Debug)]
pub(super) struct Texts {
    /// The question wrapped at the widest wrap, then narrower ones, down to the
    /// drawing's wrap, which comes last: a box over a wide row of children can take
    /// a wider wrap than the rest of the tree without widening the drawing.
    pub(super) questions: Vec<Vec<String>>,
    /// Per answer, its label lines with where each starts relative to the connector.
    pub(super) labels: Vec<Vec<(isize, String)>>,
}

impl Texts {
    pub(super) fn new(text: &str, answers: &[Answer], wrap: usize) -> Rc<Self> {
        let wider = (wrap + 1..=START_WRAP).rev().step_by(4);
        Rc::new(Texts {
            questions: wider.chain([wrap]).map(|w| wrap_box(text, w)).collect(),
            labels: (answers.iter())
                .map(|a| label_lines(&a.label, wrap))
                .collect(),
        })
    }

    /// The question at the drawing's wrap: the narrowest box it gets.
    pub(super) fn question(&self) -> &[String] {
        self.questions.last().map_or(&[], Vec::as_slice)
    }
}

/// Where a question box, its bus, labels and children go, relative to the subtree.
#[derive(Debug)]
pub(super) struct Arrangement {
    pub(super) width: usize,
    /// The column of the box's outgoing connector, centred over the children.
    pub(super) mid: usize,
    pub(super) texts: Rc<Texts>,
    /// Which of the question's wrappings the box shows.
    pub(super) question: usize,
    pub(super) box_left: usize,
    pub(super) box_width: usize,
    /// Whether a horizontal bus spreads the connector to several children.
    pub(super) bus: bool,
    /// The row where the children's boxes start.
    pub(super) kids_top: usize,
    pub(super) branches: Vec<BranchSpot>,
    pub(super) profile: Profile,
}

#[derive(Debug)]
pub(super) struct BranchSpot {
    /// Left column of the child's rectangle.
    pub(super) x: usize,
    /// Column of the connector coming down to the child.
    pub(super) connector: usize,
}

/// The width a box needs around text lines: a border and a space on each side.
pub(super) fn frame_width(lines: &[String]) -> usize {
    lines.iter().map(|line| str_width(line)).max().unwrap_or(0) + 4
}

pub(super) fn framed(lines: Vec<String>, frame: Frame) -> Layout {
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
pub(super) fn natural(node: &Decision, wrap: usize) -> Rc<Layout> {
    Rc::new(match node {
        Decision::Question { text, answers } if !answers.is_empty() => {
            let kids = answers.iter().map(|a| natural(&a.next, wrap)).collect();
            branching(Texts::new(text, answers, wrap), kids)
        }
        Decision::Question { text, .. } => framed(wrap_box(text, wrap), Frame::Square),
        Decision::Outcome(text) => framed(wrap_box(text, wrap), Frame::Rounded),
    })
}

pub(super) fn branching(texts: Rc<Texts>, kids: Vec<Rc<Layout>>) -> Layout {
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

pub(super) fn label_lines(label: &str, wrap: usize) -> Vec<(isize, String)> {
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
pub(super) fn label_offset(line: &str) -> isize {
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
pub(super) fn branch_profile(
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
pub(super) fn arrange(texts: Rc<Texts>, kids: &[Rc<Layout>]) -> Arrangement {
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
pub(super) fn snap(centre: usize, connectors: &[usize]) -> usize {
    let inner = connectors.get(1..connectors.len().saturating_sub(1));
    let near = |c: &&usize| c.abs_diff(centre) <= 4;
    inner
        .and_then(|inner| inner.iter().find(near))
        .copied()
        .unwrap_or(centre)
}

/// Which wrapping of the question to show: the widest whose box, centred on `centre`,
/// stays within the children's columns `0..right`; else the narrowest.
pub(super) fn widest_box(questions: &[Vec<String>], centre: usize, right: usize) -> usize {
    let within = |lines: &Vec<String>| {
        let width = frame_width(lines);
        width / 2 <= centre && centre - width / 2 + width <= right
    };
    let narrowest = questions.len().saturating_sub(1);
    questions.iter().position(within).unwrap_or(narrowest)
}

/// The branches placed so far: what each row of them occupies.
#[derive(Default)]
pub(super) struct Packed {
    pub(super) spans: Vec<Option<(usize, usize)>>,
}

impl Packed {
    /// Places a branch at the leftmost connector column where it stays `GAP` columns
    /// clear of the branches before it in every row; returns that column.
    pub(super) fn place(&mut self, branch: &[Option<(isize, isize)>]) -> usize {
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
