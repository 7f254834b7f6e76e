//! Markdown safety: links and images whose URL would run code in a reader's browser
//! (`javascript:`, `vbscript:`, `data:` but `data:image/…` images) are `error[unsafe-url]`;
//! raw HTML that the sanitizer (see `render::html::sanitize`) will strip is a
//! `warning[raw-html]` naming its line, unless `[markdown] raw_html = "trusted"`.

use crate::check::markdown::Doc;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::load::config::RawHtml;

/// Why a link or image URL is unsafe, or None when it is not.
pub fn unsafe_url(dest: &str, image: bool) -> Option<&'static str> {
    // Browsers ignore ASCII whitespace and control characters inside a scheme.
    let scheme: String = dest
        .chars()
        .take_while(|c| *c != ':')
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .flat_map(char::to_lowercase)
        .collect();
    if !dest.contains(':') {
        return None;
    }
    match scheme.as_str() {
        "javascript" => Some("a `javascript:` URL runs code in the reader's browser"),
        "vbscript" => Some("a `vbscript:` URL runs code in the reader's browser"),
        "data" => {
            let rest = dest[dest.find(':').map_or(0, |i| i + 1)..].trim_start();
            let is_image = rest.to_ascii_lowercase().starts_with("image/");
            if image && is_image {
                None
            } else {
                Some("a `data:` URL can carry a page of its own (only `data:image/…` images are allowed)")
            }
        }
        _ => None,
    }
}

/// Tags the sanitizer keeps (besides those Markdown itself produces).
pub const KEPT_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Reports unsafe link and image URLs, and raw HTML the sanitizer will change.
pub fn check_markdown(path: &str, text: &str, doc: &Doc, mode: RawHtml, diags: &mut Diagnostics) {
    for l in &doc.links {
        if let Some(why) = unsafe_url(&l.dest, l.image) {
            diags.push(Diagnostic::error(
                "unsafe-url",
                Span::at_offset(path, text, l.range.start),
                format!(
                    "{} `{}`: {why}; link to an https: page instead",
                    if l.image { "image" } else { "link" },
                    shorten(&l.dest)
                ),
            ));
        }
    }
    if mode == RawHtml::Trusted {
        return;
    }
    for (html, range) in &doc.raw_html {
        let dropped = dropped_by_sanitizer(html);
        if !dropped.is_empty() {
            diags.push(Diagnostic::warning(
                "raw-html",
                Span::at_offset(path, text, range.start),
                format!(
                    "raw HTML removed from the published page: {}; harmless markup (<details>, <sup>, <kbd>…) is kept; `[markdown] raw_html = \"trusted\"` in sitegen.toml publishes it as written",
                    dropped.join(", ")
                ),
            ));
        }
    }
}

/// What the sanitizer drops from one fragment of raw HTML: tags it does not keep,
/// `on…` event handlers, `style`, and unsafe URLs in attributes (as written, deduplicated).
pub fn dropped_by_sanitizer(html: &str) -> Vec<String> {
    let mut dropped: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !dropped.contains(&s) {
            dropped.push(s);
        }
    };
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if !KEPT_TAGS.contains(&name.as_str()) {
            if !closing {
                add(format!("<{name}>"));
            }
            continue;
        }
        for (attr, value) in attributes(&body[name.len()..]) {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") || attr == "style" || attr == "srcdoc" {
                add(format!("the {attr} attribute of <{name}>"));
            } else if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && unsafe_url(&value, name == "img" && attr == "src").is_some()
            {
                add(format!("the {attr} URL of <{name}>"));
            }
        }
    }
    dropped
}

/// The attributes of a tag's text after its name: (name, value unquoted).
fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        let name_len = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/' || c == '>')
            .unwrap_or(s.len());
        if name_len == 0 {
            return out;
        }
        let name = s[..name_len].to_string();
        s = s[name_len..].trim_start();
        let mut value = String::new();
        if let Some(v) = s.strip_prefix('=') {
            let v = v.trim_start();
            let (val, after) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &v[1..];
                    let close = inner.find(q).unwrap_or(inner.len());
                    (&inner[..close], &inner[(close + 1).min(inner.len())..])
                }
                _ => {
                    let close = v.find(char::is_whitespace).unwrap_or(v.len());
                    (&v[..close], &v[close..])
                }
            };
            value = decode_basic_entities(val);
            s = after;
        }
        out.push((name, value));
    }
}

/// Decodes the entities an attacker uses to hide a scheme (`&#106;avascript:`).
fn decode_basic_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let (digits, radix) = match after.strip_prefix(['x', 'X']) {
            Some(h) => (h, 16),
            None => (after, 10),
        };
        let n = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        match u32::from_str_radix(&digits[..n], radix)
            .ok()
            .and_then(char::from_u32)
        {
            Some(c) if n > 0 => {
                out.push(c);
                rest = digits[n..].strip_prefix(';').unwrap_or(&digits[n..]);
            }
            _ => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A URL cut to 60 characters for a message.
fn shorten(url: &str) -> String {
    if url.chars().count() > 60 {
        format!("{}…", url.chars().take(60).collect::<String>())
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_schemes_are_found_however_written() {
        assert!(unsafe_url("javascript:alert(1)", false).is_some());
        assert!(unsafe_url(" JaVa\tScript:alert(1)", false).is_some());
        assert!(unsafe_url("vbscript:x", false).is_some());
        assert!(unsafe_url("data:text/html,<script>", false).is_some());
        assert!(unsafe_url("data:image/png;base64,AAAA", false).is_some());
        assert!(unsafe_url("data:image/png;base64,AAAA", true).is_none());
        assert!(unsafe_url("https://example.com/javascript:", false).is_none());
        assert!(unsafe_url("/guides/x/", false).is_none());
        assert!(unsafe_url("cite:devices.x", false).is_none());
    }

    #[test]
    fn the_scanner_names_what_is_dropped() {
        assert!(
            dropped_by_sanitizer("<details><summary>x</summary><kbd>y</kbd></details>").is_empty()
        );
        assert_eq!(
            dropped_by_sanitizer("<script>alert(1)</script>"),
            ["<script>"]
        );
        assert_eq!(
            dropped_by_sanitizer("<iframe src=\"javascript:alert(1)\"></iframe>"),
            ["<iframe>"]
        );
        assert_eq!(
            dropped_by_sanitizer("<img src=x onerror='alert(1)'>"),
            ["the onerror attribute of <img>"]
        );
        assert_eq!(
            dropped_by_sanitizer("<a href=\"&#106;avascript:x\">"),
            ["the href URL of <a>"]
        );
    }
}
