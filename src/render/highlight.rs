//! Code highlighting with syntect: CSS classes in the HTML, the theme's CSS written once.
//!
//! syntect's syntax set takes tens of milliseconds to load, so it is loaded lazily, once
//! per process, and only when a page actually has a code block.

use crate::render::html::escape_html;

use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
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
    let Some(lang) = lang else {
        return escape_html(code);
    };
    let set = syntaxes();
    let token = token_for(lang);
    let syntax = set
        .find_syntax_by_token(token)
        .or_else(|| set.find_syntax_by_token(&token.to_ascii_lowercase()));
    let Some(syntax) = syntax else {
        return escape_html(code);
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return escape_html(code);
        }
    }
    gen.finalize()
}

/// A whole `<pre><code>` block for a fenced code block.
pub fn code_block(code: &str, lang: Option<&str>) -> String {
    let class = lang
        .map(|l| format!(" class=\"language-{}\"", escape_html(l)))
        .unwrap_or_default();
    let label = lang
        .map(|l| format!(" data-lang=\"{}\"", escape_html(l)))
        .unwrap_or_default();
    format!(
        "<pre class=\"code\"{label}><code{class}>{}</code></pre>\n",
        highlight_spans(code, lang)
    )
}

/// The stylesheet for the highlighting classes: a light theme, and a dark one under
/// `prefers-color-scheme: dark`.
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
    format!("/* Code highlighting: light */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = highlight_spans("echo hi\n", Some("bash"));
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    #[test]
    fn unknown_language_is_plain_escaped_text() {
        assert_eq!(highlight_spans("a<b\n", Some("nosuchlang")), "a&lt;b\n");
        assert_eq!(highlight_spans("a<b\n", None), "a&lt;b\n");
    }

    #[test]
    fn theme_css_has_both_schemes() {
        let css = theme_css();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
