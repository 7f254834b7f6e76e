//! Tests of the flowchart layouts, with golden drawings in `golden/`.

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
            include_str!(concat!("golden/", $name, ".txt")),
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
    assert_eq!(
        redraw(&drawing.chart),
        drawing.text,
        "the geometry is not the drawing: {:#?}",
        drawing.chart
    );
}

/// The geometry printed back as box-drawing text: boxes, lines and texts placed on a
/// grid. Equal to the drawing's text when the geometry holds every stroke and word.
fn redraw(chart: &Chart) -> String {
    let mut grid = Grid::new(chart.columns, chart.rows);
    for b in &chart.boxes {
        grid.hline(b.top, b.left, b.right);
        grid.hline(b.bottom, b.left, b.right);
        grid.vline(b.left, b.top, b.bottom);
        grid.vline(b.right, b.top, b.bottom);
    }
    for s in &chart.lines {
        // Each half-cell piece is one arm of the cell it lies in.
        let horizontal = s.from.0 == s.to.0;
        assert!(horizontal || s.from.1 == s.to.1, "slanted: {s:?}");
        assert!(s.from < s.to, "empty or reversed: {s:?}");
        for piece in if horizontal {
            s.from.1..s.to.1
        } else {
            s.from.0..s.to.0
        } {
            let (row, col, arm) = match (horizontal, piece % 2) {
                (true, 0) => (s.from.0 / 2, piece / 2, LEFT),
                (true, _) => (s.from.0 / 2, piece / 2, RIGHT),
                (false, 0) => (piece / 2, s.from.1 / 2, UP),
                (false, _) => (piece / 2, s.from.1 / 2, DOWN),
            };
            grid.join(row, col, arm);
        }
    }
    for b in chart.boxes.iter().filter(|b| b.rounded) {
        for (row, col, corner) in [
            (b.top, b.left, "╭"),
            (b.top, b.right, "╮"),
            (b.bottom, b.left, "╰"),
            (b.bottom, b.right, "╯"),
        ] {
            grid.set(row, col, Cell::Glyph(corner.to_string()));
        }
    }
    for t in &chart.texts {
        assert_eq!(t.columns, str_width(&t.text), "{t:?}");
        assert!(!t.text.starts_with(' ') && !t.text.ends_with(' ') && !t.text.contains("  "));
        grid.put(t.row, t.col, &t.text);
    }
    grid.lines().join("\n")
}

#[test]
fn chart_geometry_draws_boxes_whole_and_lines_between_them() {
    let drawing = draw(&spec_example(), Style::Boxes, 100);
    let chart = &drawing.chart;
    let lines: Vec<&str> = drawing.text.lines().collect();
    assert_eq!((chart.columns, chart.rows), (drawing.width, lines.len()));
    // Two questions in square boxes, three outcomes in rounded ones.
    let rounded = chart.boxes.iter().filter(|b| b.rounded).count();
    assert_eq!((chart.boxes.len(), rounded), (5, 3), "{chart:#?}");
    // The root's box spans its border glyphs in the text.
    let root = chart.boxes[0];
    assert_eq!(lines[root.top].chars().nth(root.left), Some('┌'));
    assert_eq!(lines[root.bottom].chars().nth(root.right), Some('┘'));
    // No line runs along a box border: the boxes draw those.
    for s in &chart.lines {
        for b in &chart.boxes {
            let on_row = |y: usize| s.from.0 == y && s.to.0 == y;
            assert!(
                !(on_row(2 * b.top + 1) || on_row(2 * b.bottom + 1))
                    || s.to.1 <= 2 * b.left + 1
                    || s.from.1 > 2 * b.right,
                "{s:?} along {b:?}"
            );
        }
    }
    // The connector leaves the root's bottom border from its middle, going down.
    let down = (chart.lines.iter())
        .find(|s| s.from.0 == 2 * root.bottom + 1)
        .expect("a connector from the root");
    assert_eq!(down.from.1, down.to.1, "vertical");
    let texts: Vec<&str> = chart.texts.iter().map(|t| t.text.as_str()).collect();
    for word in [
        "Are you running MoE models",
        "YES",
        "NO",
        "Rent from the cloud.",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(word)),
            "{word:?} in {texts:?}"
        );
    }
}

#[test]
fn chart_outline_guides_are_lines_not_text() {
    for style in [Style::Tree, Style::Boxes] {
        // 40 columns: the boxes style falls back to an outline under the root.
        let drawing = draw(&spec_depth4(), style, 40);
        assert!(
            style == Style::Tree || drawing.fell_back,
            "{}",
            drawing.text
        );
        for t in &drawing.chart.texts {
            assert!(
                !t.text
                    .contains(['│', '─', '├', '└', '┌', '┐', '┘', '┬', '┴', '┼']),
                "a guide printed as text: {t:?}\n{}",
                drawing.text
            );
        }
        assert!(!drawing.chart.lines.is_empty());
    }
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
