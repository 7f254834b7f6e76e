//! The gated PDF: an article's Markdown rendered to Typst markup
//! ([`markup`]) and compiled in-process by Typst ([`world`]) with a
//! restylable template, offline, fonts embedded, byte-for-byte reproducible.
//!
//! The compiled document is three virtual files:
//!
//! - `main.typ`, generated: sets the PDF metadata, then
//!   `#import "template.typ": guide`, `#show: guide.with(..)`, `#include "body.typ"`;
//! - `template.typ`: the site's `templates/pdf.typ` or [`DEFAULT_TEMPLATE`];
//! - `body.typ`: the article as rendered by [`markup::render`], whose source
//!   map turns Typst's spans back into Markdown byte ranges.

pub mod gated;
pub mod markup;
pub mod world;

use std::collections::BTreeMap;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::syntax::DiagSpan;
use typst::WorldExt;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

pub use markup::{escape_str, escape_text, flowchart, render, Embeds, Markup};
pub use world::{preload, SiteWorld};

/// The built-in template, used when a site has no templates/pdf.typ.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../../templates/pdf.typ");

/// How diagnostics name the template file (the author edits this path).
const TEMPLATE_NAME: &str = "templates/pdf.typ";

/// Document metadata for the cover and the PDF info.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMeta {
    /// The article's title.
    pub title: String,
    /// The article's one-paragraph summary, if any.
    pub description: Option<String>,
    /// The author (the site's, from sitegen.toml); empty for none.
    pub author: String,
    /// The article's date (its `updated` date when it has one): year, month, day.
    pub date: (i32, u8, u8),
    /// The site's title, shown on the cover.
    pub site_title: String,
}

/// One problem Typst reported, placed in the Markdown source when it came from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfDiagnostic {
    /// An error (no PDF) or a warning.
    pub is_error: bool,
    /// What went wrong; prefixed with `templates/pdf.typ:LINE:COL:` when it lies in the template.
    pub message: String,
    /// The Markdown byte range the problem comes from, when it comes from the article.
    pub md_range: Option<Range<usize>>,
    /// Typst's hints, and for template problems the call trace.
    pub hints: Vec<String>,
}

impl PdfDiagnostic {
    /// An error with a message and no location.
    fn error(message: impl Into<String>) -> Self {
        PdfDiagnostic {
            is_error: true,
            message: message.into(),
            md_range: None,
            hints: Vec::new(),
        }
    }
}

/// Compiles a document: `template` is the pdf.typ text, `body` the rendered Markup, `files` extra virtual files (images) by path. Returns the PDF bytes and warnings, or every diagnostic.
///
/// The body's own errors (`Markup::errors`, e.g. a missing image) are
/// returned as error diagnostics too, so a caller reports only what this
/// returns.
pub fn compile(
    template: &str,
    meta: &DocMeta,
    body: &Markup,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<(Vec<u8>, Vec<PdfDiagnostic>), Vec<PdfDiagnostic>> {
    let mut errors: Vec<PdfDiagnostic> = body
        .errors
        .iter()
        .map(|(range, message)| PdfDiagnostic {
            md_range: Some(range.clone()),
            ..PdfDiagnostic::error(message.clone())
        })
        .collect();
    let (y, m, d) = meta.date;
    let Some(date) = Datetime::from_ymd(y, m, d) else {
        errors.push(PdfDiagnostic::error(format!(
            "invalid date {y:04}-{m:02}-{d:02}"
        )));
        return Err(errors);
    };
    if body.refused {
        // A paragraph over the limit: Typst would take minutes on it.
        return Err(errors);
    }
    let main = main_source(meta);
    let Some(world) = SiteWorld::new(main, template.into(), body.text.clone(), files, date) else {
        errors.push(PdfDiagnostic::error("cannot set up the Typst sources"));
        return Err(errors);
    };
    // Typst is not expected to panic, but no input may take sitegen down.
    let result = catch_unwind(AssertUnwindSafe(|| typeset(&world, meta, date)))
        .unwrap_or_else(|_| Err((vec![], vec![panicked()])));
    // Keep memory bounded in long runs (`sitegen serve`) without dropping
    // the caches the next few documents can still use.
    typst::comemo::evict(10);
    let map = |d: &SourceDiagnostic| diagnostic(&world, body, d);
    match result {
        Ok((pdf, warnings)) if errors.is_empty() => Ok((pdf, warnings.iter().map(map).collect())),
        Ok(_) => Err(errors),
        Err((warnings, typst_errors)) => {
            errors.extend(typst_errors.iter().map(map));
            errors.extend(warnings.iter().map(map));
            Err(errors)
        }
    }
}

/// Diagnostics Typst returned with a failed run: warnings, errors.
type Failure = (Vec<SourceDiagnostic>, Vec<SourceDiagnostic>);

/// Lays out the document and exports it; returns the PDF and Typst's warnings.
fn typeset(
    world: &SiteWorld,
    meta: &DocMeta,
    date: Datetime,
) -> Result<(Vec<u8>, Vec<SourceDiagnostic>), Failure> {
    let warned = typst::compile::<PagedDocument>(world);
    let warnings: Vec<SourceDiagnostic> = warned.warnings.into_iter().collect();
    let document = match warned.output {
        Ok(document) => document,
        Err(errors) => return Err((warnings, errors.into_iter().collect())),
    };
    let options = PdfOptions {
        // A stable identifier and timestamp: same inputs, same bytes.
        ident: Smart::Custom(format!("sitegen:{}:{}", meta.site_title, meta.title)),
        timestamp: Some(Timestamp::new_utc(date)),
        ..PdfOptions::default()
    };
    match typst_pdf::pdf(&document, &options) {
        Ok(pdf) => Ok((pdf, warnings)),
        Err(errors) => Err((warnings, errors.into_iter().collect())),
    }
}

/// The diagnostic standing for a panic inside Typst.
fn panicked() -> SourceDiagnostic {
    SourceDiagnostic::error(
        typst::syntax::Span::detached(),
        "Typst failed unexpectedly while typesetting this document",
    )
}

/// The generated main file: document metadata, the template's `guide` show rule, the body.
pub fn main_source(meta: &DocMeta) -> String {
    let (y, m, d) = meta.date;
    let date = format!("datetime(year: {y}, month: {m}, day: {d})");
    let title = format!("\"{}\"", escape_str(&meta.title));
    let description = optional_str(meta.description.as_deref());
    let author = optional_str(Some(meta.author.as_str()));
    let pdf_author = match meta.author.trim() {
        "" => "()".to_string(),
        _ => author.clone(),
    };
    let site = format!("\"{}\"", escape_str(&meta.site_title));
    format!(
        "#set document(title: {title}, author: {pdf_author}, description: {description}, date: {date})\n\
         #import \"{template}\": guide\n\
         #show: guide.with(title: {title}, description: {description}, author: {author}, \
         date: {date}, site-title: {site})\n\
         #include \"{body}\"\n",
        template = world::TEMPLATE_PATH,
        body = world::BODY_PATH,
    )
}

/// A Typst string literal, or `none` for a missing or blank string.
fn optional_str(s: Option<&str>) -> String {
    match s.map(str::trim) {
        Some(s) if !s.is_empty() => format!("\"{}\"", escape_str(s)),
        _ => "none".to_string(),
    }
}

/// Translates one Typst diagnostic, placing it in the Markdown when its
/// span (or, failing that, a call on its trace) lies in the body.
fn diagnostic(world: &SiteWorld, body: &Markup, diag: &SourceDiagnostic) -> PdfDiagnostic {
    let spans: Vec<DiagSpan> = std::iter::once(diag.span)
        .chain(diag.trace.iter().map(|t| DiagSpan::from(t.span)))
        .collect();
    let md_range = spans.iter().find_map(|span| {
        (span.id() == Some(world.body_id()))
            .then(|| world.range(*span))
            .flatten()
            .and_then(|range| body.md_range(range.start))
    });
    let mut hints: Vec<String> = diag.hints.iter().map(|h| h.v.to_string()).collect();
    let mut message = diag.message.to_string();
    if md_range.is_none() {
        if let Some(place) = spans.iter().find_map(|s| template_place(world, *s)) {
            message = format!("{place}: {message}");
        }
        hints.extend(diag.trace.iter().map(|t| t.v.to_string()));
    }
    PdfDiagnostic {
        is_error: diag.severity == Severity::Error,
        message,
        md_range,
        hints,
    }
}

/// `templates/pdf.typ:LINE:COL` for a span inside the template.
fn template_place(world: &SiteWorld, span: DiagSpan) -> Option<String> {
    if span.id() != Some(world.template_id()) {
        return None;
    }
    let start = world.range(span)?.start;
    let source = typst::World::source(world, world.template_id()).ok()?;
    let (line, col) = source.lines().byte_to_line_column(start)?;
    Some(format!("{TEMPLATE_NAME}:{}:{}", line + 1, col + 1))
}

#[cfg(test)]
mod tests;
