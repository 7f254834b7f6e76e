//! Loading articles: `content/**.md` found with walkdir, front matter parsed and validated.

use crate::diagnostics::{rel_path, Diagnostic, Diagnostics, Span};
use crate::load::date::Date;
use serde::Deserialize;
use std::path::Path;

/// Front matter exactly as written; unknown keys are refused by serde.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: Option<String>,
    description: Option<String>,
    date: Option<serde_yaml::Value>,
    updated: Option<serde_yaml::Value>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    draft: bool,
    slug: Option<String>,
    #[serde(default)]
    pdf: bool,
    headline: Option<String>,
}

/// The checked front matter of an article.
#[derive(Clone, Debug)]
pub struct FrontMatter {
    /// The article's title.
    pub title: String,
    /// The meta description; empty when not given.
    pub description: String,
    /// Publication date.
    pub date: Date,
    /// Date of the last substantial update.
    pub updated: Option<Date>,
    /// Tags, as written.
    pub tags: Vec<String>,
    /// Drafts build only with `--drafts`.
    pub draft: bool,
    /// Whether a gated PDF is made of this article.
    pub pdf: bool,
    /// A citation expression whose value leads the article's social card.
    pub headline: Option<String>,
}

/// One article as loaded: its text, front matter, and where it is published.
#[derive(Clone, Debug)]
pub struct Article {
    /// Path relative to the site root, e.g. `content/guide.md`.
    pub path: String,
    /// The whole file's text.
    pub source: String,
    /// Byte offset where the Markdown body starts (after the front matter).
    pub body_start: usize,
    /// The checked front matter.
    pub front: FrontMatter,
    /// The last segment of its URL.
    pub slug: String,
    /// Its published path, e.g. `/guides/should-you-buy/`.
    pub url_path: String,
}

impl Article {
    /// The Markdown body (everything after the front matter).
    pub fn body(&self) -> &str {
        &self.source[self.body_start..]
    }
}

/// Turns a title or file name into a URL slug: lowercase ASCII letters, digits and `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Reads every `content/**.md` under `root`; problems are collected, never fatal to the others.
pub fn load_articles(root: &Path, max_bytes: u64, diags: &mut Diagnostics) -> Vec<Article> {
    let mut articles = Vec::new();
    for (_, r) in read_articles(root, max_bytes) {
        match r {
            Ok(a) => articles.push(a),
            Err(d) => diags.extend(d),
        }
    }
    check_unique_urls(&articles, diags);
    articles
}

/// Every `content/**.md` under `root`, read and parsed, each result with the path it
/// belongs to, in walk order (the dev server keeps the problems per file).
pub fn read_articles(
    root: &Path,
    max_bytes: u64,
) -> Vec<(String, Result<Article, Vec<Diagnostic>>)> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let found = crate::load::walk::site_files(
        root,
        "content",
        "content",
        &|rel| rel.ends_with(".md"),
        &mut problems,
    );
    for d in problems {
        out.push((d.span.path.clone(), Err(vec![d])));
    }
    let paths: Vec<std::path::PathBuf> = found.into_iter().map(|f| f.path).collect();
    // Read and parse in parallel (front matter is YAML); the order stays the walk's order.
    use rayon::prelude::*;
    let read: Vec<(String, Result<Article, Vec<Diagnostic>>)> = paths
        .par_iter()
        .map(|path| {
            let rel = rel_path(root, path);
            let r = read_text(path, &rel, max_bytes)
                .map_err(|d| vec![d])
                .and_then(|text| parse_article(&rel, &dir_of(&rel), text));
            (rel, r)
        })
        .collect();
    out.extend(read);
    out
}

/// Whether the article at `rel` (a `content/**.md` path) reads and parses. One that does
/// not has its own error; a link to it is not reported again as broken.
pub fn article_loads(root: &Path, rel: &str, max_bytes: u64) -> bool {
    read_text(&root.join(rel), rel, max_bytes)
        .map_err(|d| vec![d])
        .and_then(|text| parse_article(rel, &dir_of(rel), text))
        .is_ok()
}

/// Reads a text file of the site, refusing ones too large or not UTF-8. The size is
/// checked from the file's metadata before reading, and no more than `max_bytes` (plus
/// one, to notice a file that grew) is ever read; only regular files are opened (a FIFO
/// would block).
pub fn read_text(path: &Path, rel: &str, max_bytes: u64) -> Result<String, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        Diagnostic::error("content", Span::file(rel), format!("cannot read: {e}"))
    };
    let too_big = |len: u64| {
        Diagnostic::error(
            "content",
            Span::file(rel),
            format!("file is {len} bytes, over limits.max_file_bytes = {max_bytes}"),
        )
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Diagnostic::error(
            "content",
            Span::file(rel),
            "not a regular file; remove it or move it out of the site",
        ));
    }
    if meta.len() > max_bytes {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max_bytes {
        return Err(Diagnostic::error(
            "content",
            Span::file(rel),
            format!("file grew past limits.max_file_bytes = {max_bytes} while being read"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.into_bytes()[..offset]).into_owned();
        Diagnostic::error(
            "encoding",
            Span::at_offset(rel, &text, offset),
            "file is not valid UTF-8 text (is it a binary file?)",
        )
    })
}

/// The folder of a `content/…` path below `content/`, e.g. `guides` for `content/guides/x.md`.
pub fn dir_of(rel: &str) -> String {
    let inner = rel.strip_prefix("content/").unwrap_or(rel);
    match inner.rfind('/') {
        Some(i) => inner[..i].to_string(),
        None => String::new(),
    }
}

/// Splits off and checks the front matter of one file's text.
pub fn parse_article(rel: &str, dir: &str, source: String) -> Result<Article, Vec<Diagnostic>> {
    let (yaml, yaml_start, body_start) = split_front_matter(&source).map_err(|(offset, msg)| {
        vec![Diagnostic::error(
            "front-matter",
            Span::at_offset(rel, &source, offset),
            msg,
        )]
    })?;
    // serde_yaml reports a repeated key at the first one and without the other's line.
    if let Err(e) = crate::load::yaml::parse(yaml) {
        if let Some((key, line, col)) = e.duplicate {
            let (top, _) = crate::diagnostics::line_col(&source, yaml_start);
            return Err(vec![Diagnostic::error(
                "yaml",
                Span::new(rel, top + e.line - 1, e.col),
                format!(
                    "duplicate key `{key}` in the front matter: it is already defined at line {}, column {col}; the second would silently replace the first",
                    top + line - 1
                ),
            )]);
        }
    }
    let raw: RawFrontMatter = if yaml.trim().is_empty() {
        serde_yaml::from_str("{}").map_err(|_| Vec::new())?
    } else {
        serde_yaml::from_str(yaml).map_err(|e| vec![yaml_error(rel, &source, yaml_start, &e)])?
    };
    let at_key = |key: &str| {
        let offset = find_key(yaml, key).map_or(0, |o| yaml_start + o);
        Span::at_offset(rel, &source, offset)
    };
    let mut problems = Vec::new();
    let title = raw.title.clone().unwrap_or_default();
    if title.trim().is_empty() {
        problems.push(Diagnostic::error(
            "front-matter",
            Span::at_offset(rel, &source, 0),
            "missing required key `title`",
        ));
    }
    let date = match &raw.date {
        None => {
            problems.push(Diagnostic::error(
                "front-matter",
                Span::at_offset(rel, &source, 0),
                "missing required key `date` (write `date: YYYY-MM-DD`)",
            ));
            None
        }
        Some(v) => parse_date_value(v, "date", at_key("date"), &mut problems),
    };
    let updated = raw
        .updated
        .as_ref()
        .and_then(|v| parse_date_value(v, "updated", at_key("updated"), &mut problems));
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let slug = match &raw.slug {
        Some(s) => {
            let clean = slugify(s);
            if clean != *s || clean.is_empty() {
                problems.push(Diagnostic::error(
                    "front-matter",
                    at_key("slug"),
                    format!(
                        "slug `{s}` may hold only a-z, 0-9 and `-`; write `slug: {}`",
                        if clean.is_empty() {
                            "my-article"
                        } else {
                            &clean
                        }
                    ),
                ));
            }
            clean
        }
        None => slugify(stem),
    };
    if slug.is_empty() {
        problems.push(Diagnostic::error(
            "front-matter",
            Span::file(rel),
            format!("cannot make a slug from the file name `{stem}`; add `slug:`"),
        ));
    }
    for tag in &raw.tags {
        if slugify(tag).is_empty() {
            problems.push(Diagnostic::error(
                "front-matter",
                at_key("tags"),
                format!("tag `{tag}` has no letter or digit"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let url_path = if dir.is_empty() {
        format!("/{slug}/")
    } else {
        let dir_slug: Vec<String> = dir.split('/').map(slugify).collect();
        format!("/{}/{slug}/", dir_slug.join("/"))
    };
    Ok(Article {
        path: rel.to_string(),
        body_start,
        front: FrontMatter {
            title,
            description: raw.description.unwrap_or_default(),
            date: date.unwrap_or(Date {
                year: 1970,
                month: 1,
                day: 1,
            }),
            updated,
            tags: raw.tags,
            draft: raw.draft,
            pdf: raw.pdf,
            headline: raw.headline,
        },
        slug,
        url_path,
        source,
    })
}

/// Finds the front matter: returns (yaml text, its byte offset, body offset), or an error offset and message.
fn split_front_matter(source: &str) -> Result<(&str, usize, usize), (usize, String)> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &source[bom..];
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Err((
            bom,
            "no front matter: an article starts with a `---` line, then `title:` and `date:`, then `---`"
                .into(),
        ));
    }
    let yaml_start = bom + first_line_end;
    let mut offset = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Ok((&source[yaml_start..offset], yaml_start, offset + line.len()));
        }
        offset += line.len();
    }
    Err((
        bom,
        "front matter is not closed: add a `---` line after it".into(),
    ))
}

/// Byte offset of `key:` at the start of a line in the front matter.
fn find_key(yaml: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

fn parse_date_value(
    v: &serde_yaml::Value,
    key: &str,
    span: Span,
    problems: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let text = match v {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default(),
    };
    let date = Date::parse(&text);
    if date.is_none() {
        problems.push(Diagnostic::error(
            "front-matter",
            span,
            format!("`{key}` is not a date: write `{key}: YYYY-MM-DD`"),
        ));
    }
    date
}

/// A serde_yaml error placed in the file (the front matter starts at `yaml_start`).
fn yaml_error(rel: &str, source: &str, yaml_start: usize, e: &serde_yaml::Error) -> Diagnostic {
    let offset = e.location().map_or(0, |l| l.index());
    let message = e.to_string();
    // serde_yaml appends " at line L column C"; our span says that already.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let message = message.replace("unknown field", "unknown key");
    Diagnostic::error(
        "front-matter",
        Span::at_offset(rel, source, yaml_start + offset),
        message,
    )
}

/// Reports articles that publish at the same URL (the later one in load order).
pub fn check_unique_urls<'a>(
    articles: impl IntoIterator<Item = &'a Article>,
    diags: &mut Diagnostics,
) {
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for a in articles {
        if let Some(other) = seen.insert(&a.url_path, &a.path) {
            diags.push(Diagnostic::error(
                "front-matter",
                Span::file(&a.path),
                format!(
                    "publishes at {} like {other}; give one of them another `slug:`",
                    a.url_path
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
        parse_article("content/a.md", "", text.to_string())
    }

    #[test]
    fn reads_front_matter_and_body() {
        let a = parse("---\ntitle: Hi\ndate: 2026-05-04\ntags: [a, b]\n---\n# Body\n").unwrap();
        assert_eq!(a.front.title, "Hi");
        assert_eq!(a.body(), "# Body\n");
        assert_eq!(a.url_path, "/a/");
        assert_eq!(a.front.tags, vec!["a", "b"]);
    }

    #[test]
    fn unknown_key_names_it_and_the_allowed_ones() {
        let e = parse("---\ntitle: Hi\ndate: 2026-05-04\nauthor: me\n---\n").unwrap_err();
        assert_eq!(e[0].code, "front-matter");
        assert_eq!(e[0].span.line, 4);
        assert!(e[0].message.contains("`author`"), "{}", e[0].message);
        assert!(e[0].message.contains("title"), "{}", e[0].message);
    }

    #[test]
    fn unclosed_or_missing_front_matter_is_an_error() {
        assert!(parse("---\ntitle: x\n").unwrap_err()[0]
            .message
            .contains("not closed"));
        assert!(parse("").unwrap_err()[0]
            .message
            .contains("no front matter"));
        assert!(parse("---\n---\n").unwrap_err()[0]
            .message
            .contains("title"));
    }

    #[test]
    fn bad_date_points_at_its_line() {
        let e = parse("---\ntitle: x\ndate: tomorrow\n---\n").unwrap_err();
        assert_eq!(e[0].span.line, 3);
    }

    #[test]
    fn slugify_keeps_words() {
        assert_eq!(
            slugify("Should You Buy a DGX Spark?"),
            "should-you-buy-a-dgx-spark"
        );
        assert_eq!(slugify("--"), "");
    }
}
