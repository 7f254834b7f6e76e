//! The boxes style, fitting a width budget by drawing the widest subtrees as outlines under their question.

use super::*;

/// Narrows a tree to a width budget, turning subtrees into outlines only where needed.
#[derive(Default)]
pub(super) struct Fitter {
    /// Fitted subtrees by node address, then budget: the search asks for the same ones
    /// again and again, and this keeps it from growing exponentially with depth.
    pub(super) cache: HashMap<usize, BTreeMap<usize, Rc<Layout>>>,
    /// Outline lines by node address and width, for the same reason; they do not
    /// depend on the wrap, so they are kept from one wrap to the next.
    pub(super) outlines: HashMap<(usize, usize), Rc<Vec<OutlineLine>>>,
    /// Per node address, the range of useful widths of its outline.
    pub(super) floors: HashMap<usize, OutlineRange>,
    /// How many more questions may be searched; bounds the time on huge trees.
    pub(super) effort: usize,
}

impl Fitter {
    /// The tree at one wrap, narrowed to `max_width` by drawing subtrees as outlines.
    pub(super) fn fit_tree(
        &mut self,
        root: &Decision,
        wrap: usize,
        max_width: usize,
    ) -> Rc<Layout> {
        self.cache.clear();
        self.effort = FIT_EFFORT;
        self.fit(root, &natural(root, wrap), max_width)
    }

    /// Lays out a subtree within `budget` columns, keeping it as boxes if it fits and
    /// otherwise narrowing its children, so outlines appear as deep as possible.
    pub(super) fn fit(
        &mut self,
        node: &Decision,
        natural: &Rc<Layout>,
        budget: usize,
    ) -> Rc<Layout> {
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
    pub(super) fn cached(&self, key: usize, budget: usize) -> Option<Rc<Layout>> {
        let entries = self.cache.get(&key)?;
        let (_, layout) = entries.range(budget..).next()?;
        (layout.width <= budget).then(|| Rc::clone(layout))
    }

    /// Finds the widest cap on the children's widths at which the question fits the
    /// budget: a common cap narrows the widest children first and keeps siblings even.
    pub(super) fn squeeze(
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
    pub(super) fn capped(
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
    pub(super) fn outlined(
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
pub(super) struct OutlineRange {
    pub(super) depth: usize,
    pub(super) longest: usize,
    /// The narrowest width worth drawing: it cuts no word the wrap would keep whole
    /// and leaves the deepest items room to read; narrower, an outline higher up
    /// reads better.
    pub(super) floor: usize,
    /// The width past which the outline no longer changes.
    pub(super) ceiling: usize,
}

impl OutlineRange {
    pub(super) fn of(answers: &[Answer]) -> Self {
        let (depth, longest) = (outline_depth(answers), longest_token(answers));
        let unwrapped = Outline::new(depth, longest, usize::MAX / 2).lines(answers);
        let ceiling = unwrapped
            .iter()
            .map(|line| str_width(&line.line))
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
    pub(super) fn width(&self, room: usize) -> usize {
        let width = room.clamp(self.floor, self.ceiling);
        width - (width - self.floor) % 4
    }

    pub(super) fn shape(&self, width: usize) -> Outline {
        Outline::new(self.depth, self.longest, width)
    }
}

/// A question box with its answers drawn as an outline hanging from its bottom border.
pub(super) fn outlined(question: &[String], outline: Rc<Vec<OutlineLine>>) -> Layout {
    let box_width = frame_width(question);
    let mut profile = vec![Some((0, box_width)); question.len() + 2];
    profile.extend(
        outline
            .iter()
            .map(|line| Some((2, 2 + str_width(&line.line)))),
    );
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
