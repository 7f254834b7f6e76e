//! Code highlighting with syntect: CSS classes in the HTML, the theme's CSS written once.
//!
//! syntect's syntax set takes tens of milliseconds to load, so it is loaded lazily, once
//! per process, and only when a page actually has a code block.

use crate::render::html::push_escaped_html;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle};
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;

/// The class prefix of every highlighting span, so it never clashes with the site's CSS.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Common names authors write after ``` that syntect knows by another token.
fn token_for(lang: &str) -> &str {
    match lang {
        "shell" | "console" | "zsh" | "sh" => "bash",
        "yml" => "yaml",
        "py" => "python",
        "js" => "javascript",
        "rs" => "rust",
        "dockerfile" => "Dockerfile",
        other => other,
    }
}

/// Highlights `code` as `lang` into classed HTML spans; unknown or no language gives escaped text.
pub fn highlight_spans(code: &str, lang: Option<&str>) -> String {
    let mut out = String::with_capacity(code.len() * 4);
    push_highlighted(&mut out, code, lang);
    out
}

/// Appends [`highlight_spans`]`(code, lang)` to `out`.
fn push_highlighted(out: &mut String, code: &str, lang: Option<&str>) {
    let start = out.len();
    let syntax = lang.and_then(|lang| {
        let set = syntaxes();
        let token = token_for(lang);
        set.find_syntax_by_token(token)
            .or_else(|| set.find_syntax_by_token(&token.to_ascii_lowercase()))
    });
    let done = match syntax {
        Some(syntax) => CLASSES.with_borrow_mut(|classes| {
            classed_spans(out, code, syntax, syntaxes(), classes).is_ok()
        }),
        None => false,
    };
    if !done {
        out.truncate(start);
        push_escaped_html(out, code);
    }
}

thread_local! {
    /// Each scope's `class` attribute value (`hl-source hl-rust`), made once per thread
    /// (syntect builds it again, under a global lock, for every span it opens).
    static CLASSES: RefCell<FxHashMap<Scope, Box<str>>> = RefCell::new(FxHashMap::default());
}

/// The classed HTML of `code` as syntect's `ClassedHTMLGenerator` writes it with
/// [`STYLE`], byte for byte (its `line_tokens_to_classed_spans`: an inner span left empty
/// is dropped, the spans still open at the end are closed), appended to `out`.
fn classed_spans(
    out: &mut String,
    code: &str,
    syntax: &SyntaxReference,
    set: &SyntaxSet,
    classes: &mut FxHashMap<Scope, Box<str>>,
) -> Result<(), syntect::Error> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut open: isize = 0;
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, set)?;
        let mut cur = 0;
        let mut span_empty = false;
        let mut span_start = 0;
        for &(i, ref op) in &ops {
            if i > cur {
                span_empty = false;
                push_escaped_html(out, &line[cur..i]);
                cur = i;
            }
            stack.apply_with_hook(op, |basic, _| match basic {
                BasicScopeStackOp::Push(scope) => {
                    span_start = out.len();
                    span_empty = true;
                    out.push_str("<span class=\"");
                    out.push_str(classes.entry(scope).or_insert_with(|| class_of(scope)));
                    out.push_str("\">");
                    open += 1;
                }
                BasicScopeStackOp::Pop => {
                    if span_empty {
                        out.truncate(span_start);
                    } else {
                        out.push_str("</span>");
                    }
                    open -= 1;
                    span_empty = false;
                }
            })?;
        }
        push_escaped_html(out, &line[cur..]);
    }
    for _ in 0..open {
        out.push_str("</span>");
    }
    Ok(())
}

/// A scope's class list with [`STYLE`]: each atom prefixed, separated by spaces.
fn class_of(scope: Scope) -> Box<str> {
    let ClassStyle::SpacedPrefixed { prefix } = STYLE else {
        return scope.build_string().replace('.', " ").into();
    };
    let name = scope.build_string();
    let mut s = String::with_capacity(name.len() + 8 * prefix.len());
    for (i, atom) in name.split('.').enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(prefix);
        s.push_str(atom);
    }
    s.into()
}

/// A whole `<pre><code>` block for a fenced code block.
pub fn code_block(code: &str, lang: Option<&str>) -> String {
    let mut out = String::with_capacity(code.len() * 4 + 96);
    out.push_str("<pre class=\"code\" tabindex=\"0\"");
    if let Some(l) = lang {
        out.push_str(" data-lang=\"");
        push_escaped_html(&mut out, l);
        out.push('"');
    }
    out.push_str("><code");
    if let Some(l) = lang {
        out.push_str(" class=\"language-");
        push_escaped_html(&mut out, l);
        out.push('"');
    }
    out.push('>');
    push_highlighted(&mut out, code, lang);
    out.push_str("</code></pre>\n");
    out
}

/// The code panel's background in the light scheme: `--panel` of the built-in style.css.
pub const LIGHT_PANEL: (u8, u8, u8) = (0xf3, 0xf1, 0xea);
/// The code panel's background in the dark scheme: `--panel` of the built-in style.css.
pub const DARK_PANEL: (u8, u8, u8) = (0x1f, 0x21, 0x27);
/// The contrast every syntax colour keeps against its panel (WCAG AA for text is 4.5:1;
/// a little margin absorbs rounding to whole hex digits).
pub const MIN_CONTRAST: f64 = 4.6;

/// The stylesheet for the highlighting classes: a light theme, and a dark one under
/// `prefers-color-scheme: dark`, each only in its own scheme (so no light colour leaks
/// into dark mode), every colour raised to [`MIN_CONTRAST`] against the code panel.
pub fn theme_css() -> String {
    let themes = ThemeSet::load_defaults();
    let light = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
        .unwrap_or_default();
    let dark = themes
        .themes
        .get("base16-ocean.dark")
        .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
        .unwrap_or_default();
    format!(
        "/* Code highlighting: light */\n@media not all and (prefers-color-scheme: dark) {{\n{}\n}}\n/* Code highlighting: dark */\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        readable(&light, LIGHT_PANEL),
        readable(&dark, DARK_PANEL)
    )
}

/// A theme's CSS with every `color` raised to [`MIN_CONTRAST`] against `panel`, and its
/// backgrounds dropped (the code panel's background is the one the colours are checked on).
fn readable(css: &str, panel: (u8, u8, u8)) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let t = line.trim_start();
        if t.starts_with("background-color:") {
            continue;
        }
        match t
            .strip_prefix("color:")
            .map(|v| v.trim().trim_end_matches(';').trim())
            .and_then(parse_hex)
        {
            Some(c) => {
                let (r, g, b) = with_contrast(c, panel, MIN_CONTRAST);
                out.push_str(&format!(" color: #{r:02x}{g:02x}{b:02x};"));
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// `#rrggbb` as its three channels.
fn parse_hex(v: &str) -> Option<(u8, u8, u8)> {
    let h = v.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some((c(0)?, c(2)?, c(4)?))
}

/// The WCAG relative luminance of a colour.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let ch = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `c` as it is when it already has `min` contrast against `bg`, else mixed towards black
/// (light background) or white (dark background) just until it does.
fn with_contrast(c: (u8, u8, u8), bg: (u8, u8, u8), min: f64) -> (u8, u8, u8) {
    let target: f64 = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mix = |v: u8, t: f64| (f64::from(v) + (target - f64::from(v)) * t).round() as u8;
    let mut t = 0.0;
    loop {
        let m = (mix(c.0, t), mix(c.1, t), mix(c.2, t));
        if contrast(m, bg) >= min || t >= 1.0 {
            return m;
        }
        t = (t + 0.02_f64).min(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = highlight_spans("echo hi\n", Some("bash"));
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    /// What syntect's own generator writes, the HTML `highlight_spans` must keep.
    fn syntect_html(code: &str, token: &str) -> String {
        let set = syntaxes();
        let syntax = set.find_syntax_by_token(token).unwrap();
        let mut gen = syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        gen.finalize()
    }

    #[test]
    fn same_html_as_syntects_generator() {
        let samples = [
            (
                "bash",
                "echo \"a & b\" > 'out.txt' # <note>\nfor f in *.md; do wc -l \"$f\"; done\n",
            ),
            (
                "rust",
                "fn main() {\n    let s = \"<&'>\"; // a \"quote\"\n    println!(\"{s}\");\n}\n",
            ),
            (
                "python",
                "def f(x):\n    \"\"\"Doc <b>\"\"\"\n    return x & 1 if x > 0 else 'n'\n",
            ),
            (
                "html",
                "<a href=\"x?a=1&b=2\">t</a>\n<script>if (a < b) {}</script>\n",
            ),
            ("yaml", "key: 'v' # c\nlist:\n  - \"a & b\"\n"),
            ("rust", "/* unclosed comment\nstill <open>\n"),
            ("rust", "let x = 1;"),
            ("bash", ""),
        ];
        for (lang, code) in samples {
            assert_eq!(
                highlight_spans(code, Some(lang)),
                syntect_html(code, lang),
                "{lang}: {code:?}"
            );
        }
    }

    /// Every sample in `tests/fixtures/highlight` highlights to its file in `expected/`, which
    /// upstream syntect wrote before the patches in `vendor/` (see `vendor/README.md`):
    /// the patches make parsing faster and must not change a class or a byte. The samples
    /// cover what those patches touch: heredocs and raw strings (regexes built from a
    /// match), languages embedded in others, long lines with many cached matches.
    /// `SITEGEN_BLESS=1` writes the expected files anew.
    #[test]
    fn highlighting_matches_upstream_syntect_on_every_sample() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/highlight");
        let bless = std::env::var_os("SITEGEN_BLESS").is_some();
        let mut samples = 0;
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for path in names {
            let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                continue;
            };
            samples += 1;
            let code = std::fs::read_to_string(&path).unwrap();
            let got = highlight_spans(&code, Some(ext));
            assert!(
                got.contains("<span class=\"hl-"),
                "{}: no syntax for `{ext}`",
                path.display()
            );
            let name = path.file_name().unwrap().to_str().unwrap();
            let expected_path = dir.join("expected").join(format!("{name}.html"));
            if bless {
                std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
                std::fs::write(&expected_path, &got).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            if got != expected {
                let line = got.lines().zip(expected.lines()).position(|(a, b)| a != b);
                panic!(
                    "{}: highlighting differs from upstream syntect's, first at output line {:?}",
                    path.display(),
                    line.map(|l| l + 1)
                );
            }
        }
        assert!(samples >= 20, "only {samples} samples in {}", dir.display());
    }

    #[test]
    fn code_block_wraps_and_labels_the_spans() {
        assert_eq!(
            code_block("a<b\n", Some("x\"y")),
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"x&quot;y\"><code class=\"language-x&quot;y\">a&lt;b\n</code></pre>\n"
        );
        assert_eq!(
            code_block("1 & 2\n", None),
            "<pre class=\"code\" tabindex=\"0\"><code>1 &amp; 2\n</code></pre>\n"
        );
        let rust = code_block("let a = 1;\n", Some("rs"));
        assert!(rust.ends_with(&format!(
            "{}</code></pre>\n",
            syntect_html("let a = 1;\n", "rust")
        )));
    }

    #[test]
    fn unknown_language_is_plain_escaped_text() {
        assert_eq!(highlight_spans("a<b\n", Some("nosuchlang")), "a&lt;b\n");
        assert_eq!(highlight_spans("a<b\n", None), "a&lt;b\n");
    }

    #[test]
    fn every_syntax_colour_reads_on_its_panel_in_both_schemes() {
        let css = theme_css();
        let (light, dark) = css.split_once("Code highlighting: dark").unwrap();
        let mut n = 0;
        for (part, panel) in [(light, LIGHT_PANEL), (dark, DARK_PANEL)] {
            assert!(!part.contains("background-color"), "{part}");
            for v in part.split("color:").skip(1) {
                let hex = v.trim_start().get(..7).unwrap();
                let c = parse_hex(hex).unwrap();
                assert!(contrast(c, panel) >= 4.5, "{hex} on {panel:?}");
                n += 1;
            }
        }
        assert!(n > 50, "{n} colours checked");
        // The command-line flags of the dark theme were #323232 on #1f2127 (1.25:1).
        assert!(contrast((0x32, 0x32, 0x32), DARK_PANEL) < 1.5);
    }

    #[test]
    fn the_panel_colours_are_those_of_the_stylesheet() {
        let css = crate::render::html::BUILTIN_CSS;
        assert!(css.contains("--panel: #f3f1ea;") && css.contains("--panel: #1f2127;"));
    }

    #[test]
    fn contrast_is_raised_only_when_needed() {
        assert_eq!(
            with_contrast((0, 0, 0), LIGHT_PANEL, MIN_CONTRAST),
            (0, 0, 0)
        );
        let grey = with_contrast((0x96, 0x98, 0x96), LIGHT_PANEL, MIN_CONTRAST);
        assert!(contrast(grey, LIGHT_PANEL) >= MIN_CONTRAST);
        assert!(contrast(grey, LIGHT_PANEL) < 5.5, "no darker than needed");
        assert!((contrast((255, 255, 255), (0, 0, 0)) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn theme_css_has_both_schemes() {
        let css = theme_css();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
