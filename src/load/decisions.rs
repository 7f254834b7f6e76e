//! Decision trees as the dataset holds them (`data/decisions/ID.yaml`): questions whose
//! answers lead to further questions or to outcomes. `dataset` reads them; `shapes`
//! draws them.

use crate::diagnostics::Span;

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

/// A decision tree from `data/decisions/ID.yaml`.
#[derive(Clone, Debug)]
pub struct DecisionTree {
    /// The file stem.
    pub id: String,
    /// The root question.
    pub root: Decision,
    /// The file.
    pub span: Span,
}
