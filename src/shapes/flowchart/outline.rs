//! The tree style: a decision tree as an indented outline.

use super::*;

pub(super) fn tree_lines(root: &Decision, max_width: usize) -> Vec<OutlineLine> {
    let (text, answers): (&str, &[Answer]) = match root {
        Decision::Question { text, answers } => (text, answers),
        Decision::Outcome(text) => (text, &[]),
    };
    let mut lines: Vec<OutlineLine> = (wrap_text(text, max_width).into_iter())
        .map(|line| OutlineLine { line, guides: 0 })
        .collect();
    lines.extend(outline(answers, max_width));
    lines
}

/// The tree style painted on a grid, so its guides become lines like the boxes' borders.
pub(super) fn tree_grid(lines: &[OutlineLine]) -> Grid {
    let width = lines.iter().map(|l| str_width(&l.line)).max().unwrap_or(0);
    let mut grid = Grid::new(width, lines.len());
    for (row, line) in lines.iter().enumerate() {
        grid.put_outline(row, 0, line);
    }
    grid
}

/// One line of an outline: its text and how many of its leading bytes are guides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct OutlineLine {
    /// The whole line as printed, guides and item text, right-trimmed.
    pub(super) line: String,
    /// Bytes of `line` taken by the guides (`│`, `├──`, `└──` and the spaces between).
    pub(super) guides: usize,
}

/// The answers as outline items, `LABEL → text`, each level indented under its parent.
pub(super) fn outline(answers: &[Answer], max_width: usize) -> Vec<OutlineLine> {
    Outline::new(outline_depth(answers), longest_token(answers), max_width).lines(answers)
}

/// How outline items are indented: columns per level, and the width they must keep to.
pub(super) struct Outline {
    pub(super) unit: usize,
    pub(super) max_width: usize,
}

/// What goes before the first line of an item and before its wrapped continuations.
pub(super) struct Prefix {
    pub(super) first: String,
    pub(super) rest: String,
}

impl Outline {
    pub(super) fn new(depth: usize, longest: usize, max_width: usize) -> Self {
        Outline {
            unit: guide_unit(depth, longest, max_width),
            max_width,
        }
    }

    pub(super) fn lines(&self, answers: &[Answer]) -> Vec<OutlineLine> {
        let mut lines = Vec::new();
        self.items(answers, &mut Vec::new(), &mut lines);
        lines
    }

    /// Writes the items of one level; `guides` says, for each open ancestor level,
    /// whether a later sibling still needs its `│` guide to run down.
    pub(super) fn items(
        &self,
        answers: &[Answer],
        guides: &mut Vec<bool>,
        lines: &mut Vec<OutlineLine>,
    ) {
        for (i, answer) in answers.iter().enumerate() {
            let last = i + 1 == answers.len();
            let prefix = self.prefix(guides, last);
            let room = self.max_width.saturating_sub(str_width(&prefix.first));
            for (k, line) in wrap_tokens(&item_tokens(answer), room).iter().enumerate() {
                let lead = if k == 0 { &prefix.first } else { &prefix.rest };
                let line = format!("{lead}{line}").trim_end().to_string();
                let guides = lead.len().min(line.len());
                lines.push(OutlineLine { line, guides });
            }
            if let Decision::Question { answers: sub, .. } = &answer.next {
                guides.push(!last);
                self.items(sub, guides, lines);
                guides.pop();
            }
        }
    }

    pub(super) fn prefix(&self, guides: &[bool], last: bool) -> Prefix {
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
pub(super) fn guide_unit(depth: usize, longest: usize, max_width: usize) -> usize {
    let text = longest.max(8);
    [4, 3]
        .into_iter()
        .find(|unit| depth * unit + text <= max_width)
        .unwrap_or(2)
}

/// The unbreakable tokens of one item: the label, an arrow glued to its last word so
/// that it never starts a line, then the words of the node's text.
pub(super) fn item_tokens(answer: &Answer) -> Vec<String> {
    let mut tokens = words(&answer.label);
    let text = words(node_text(&answer.next));
    if let (Some(last), false) = (tokens.last_mut(), text.is_empty()) {
        last.push_str(" →");
    }
    tokens.extend(text);
    tokens
}

pub(super) fn node_text(node: &Decision) -> &str {
    match node {
        Decision::Question { text, .. } | Decision::Outcome(text) => text,
    }
}

/// Levels of answers below a question: 1 when all its answers end in outcomes.
pub(super) fn outline_depth(answers: &[Answer]) -> usize {
    (answers.iter())
        .map(|answer| 1 + outline_depth(sub_answers(&answer.next)))
        .max()
        .unwrap_or(0)
}

/// The widest token of any outline item below a question, among those narrower than
/// the widest wrap: wider ones are cut anyway, so no width is spent keeping them whole.
pub(super) fn longest_token(answers: &[Answer]) -> usize {
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

pub(super) fn sub_answers(node: &Decision) -> &[Answer] {
    match node {
        Decision::Question { answers, .. } => answers,
        Decision::Outcome(_) => &[],
    }
}
