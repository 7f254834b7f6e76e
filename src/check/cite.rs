//! Citations: a `cite:` link's expression evaluated over the dataset, its text checked
//! against the result (SPEC §5), and prose figures that are not cited found.

use crate::check::markdown::{Citation, Doc};
use crate::check::site::Site;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::figures::expr::{self, EvalError};
use crate::figures::literal::{self, Agreement, LiteralError};
use crate::figures::units::{format_quantity, Quantity};
use crate::load::dataset::Figure;
use crate::load::date::Date;

/// CPU time spent checking citations, shortcodes and prose figures (all threads, nanoseconds), for the
/// `SITEGEN_TIMINGS=1` report that measures what the checks add to a build.
pub static CHECK_NANOS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A checked citation, ready for every renderer.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedCite {
    /// The expression as written after `cite:`.
    pub expr: String,
    /// What the reader sees: the author's text, or the formatted figure when the text was empty.
    pub display: String,
    /// The expression's value, formatted for its unit.
    pub value: String,
    /// The dataset keys the expression reads.
    pub keys: Vec<String>,
    /// Their source references, in order, without repeats (derived figures have none).
    pub sources: Vec<String>,
    /// Who each figure is from ([`Figure::attribution`]) with its link, without repeats.
    pub credits: Vec<crate::load::dataset::Credit>,
    /// The latest as-of date among the keys.
    pub as_of: Option<Date>,
    /// Each key with its formatted value, for tooltips and notes.
    pub terms: Vec<(String, String)>,
}

impl ResolvedCite {
    /// A one-line description: key = value, source, as-of date.
    pub fn tooltip(&self, _ds: &crate::load::dataset::Dataset) -> String {
        let mut t = if self.terms.len() == 1 {
            format!("{} = {}", self.terms[0].0, self.terms[0].1)
        } else {
            let parts: Vec<String> = self
                .terms
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            format!(
                "{} = {} ({})",
                self.expr.trim(),
                self.value,
                parts.join("; ")
            )
        };
        let names: Vec<String> = self.credits.iter().map(|c| c.text.clone()).collect();
        if !names.is_empty() {
            t.push_str(" · source: ");
            t.push_str(&names.join("; "));
        }
        if let Some(d) = self.as_of {
            t.push_str(&format!(" · as of {d}"));
        }
        t
    }
}

/// A figure's value and definition place, for messages.
fn described(f: &Figure) -> String {
    format!(
        "{} = {} ({})",
        f.key,
        format_quantity(&f.quantity()),
        f.span
    )
}

/// Evaluates and checks one citation; every problem it has is returned.
pub fn resolve(
    site: &Site,
    path: &str,
    text: &str,
    c: &Citation,
) -> Result<ResolvedCite, Vec<Diagnostic>> {
    let ds = &site.dataset;
    let expr_at = |off: usize| {
        let base = c.expr_offset.unwrap_or(c.range.start);
        Span::at_offset(path, text, base + off)
    };
    let parsed = expr::parse(&c.expr).map_err(|e| {
        vec![Diagnostic::error(
            "cite-expr",
            expr_at(e.offset),
            format!("in `cite:{}`: {}", c.expr, e.message),
        )]
    })?;
    let keys = expr::keys(&parsed);
    let mut problems = Vec::new();
    let mut unloaded = false;
    for (key, span) in &keys {
        if ds.figures.contains_key(key) {
            continue;
        }
        // Its file did not parse: that error is the one cause, reported already.
        if ds.did_not_load("key", key) {
            unloaded = true;
            continue;
        }
        let mut d = Diagnostic::error(
            "unknown-key",
            expr_at(span.start),
            format!("`{key}` is no figure of the dataset"),
        );
        if ds.entries.contains_key(key) {
            let children: Vec<&str> = ds
                .figures
                .keys()
                .filter(|k| {
                    k.strip_prefix(key.as_str())
                        .is_some_and(|r| r.starts_with('.') && !r[1..].contains('.'))
                })
                .map(String::as_str)
                .take(6)
                .collect();
            d.message = format!("`{key}` is an entry, not a figure; cite one of its figures");
            if !children.is_empty() {
                d = d.with_note(format!("its figures: {}", children.join(", ")));
            }
        } else if let Some(s) = ds.did_you_mean(key) {
            d = d.with_note(s);
            if let Some(best) = ds.nearest_keys(key).first() {
                d = d.with_suggestion(*best);
            }
        }
        problems.push(d);
    }
    if !problems.is_empty() || unloaded {
        return Err(problems);
    }
    let figures: Vec<&Figure> = keys.iter().filter_map(|(k, _)| ds.figures.get(k)).collect();
    let mut lookup = |k: &str| ds.figures.get(k).map(Figure::quantity);
    let value: Quantity = expr::eval(&parsed, &mut lookup).map_err(|e| {
        let (code, msg) = match e {
            EvalError::UnknownKey { path, .. } => (
                "unknown-key",
                format!("`{path}` is no figure of the dataset"),
            ),
            EvalError::Unit(m) => ("unit-mismatch", format!("in `cite:{}`: {m}", c.expr)),
            EvalError::DivByZero => (
                "cite-expr",
                format!("in `cite:{}`: division by zero", c.expr),
            ),
        };
        vec![Diagnostic::error(code, expr_at(0), msg)]
    })?;
    let formatted = format_quantity(&value);
    if let Some(msg) = unprintable(&value, &formatted) {
        return Err(vec![Diagnostic::error(
            "cite-expr",
            expr_at(0),
            format!("in `cite:{}`: {msg}", c.expr),
        )]);
    }
    let display = if c.text.trim().is_empty() {
        formatted.clone()
    } else {
        check_text(site, path, text, c, &value, &figures)?;
        c.text.clone()
    };
    let mut sources: Vec<String> = Vec::new();
    let mut credits = Vec::new();
    for f in &figures {
        if let Some(s) = &f.source {
            if !sources.contains(s) {
                sources.push(s.clone());
            }
        }
        let credit = f.credit(ds);
        if !credits.contains(&credit) {
            credits.push(credit);
        }
    }
    let mut unique_keys: Vec<String> = Vec::new();
    for f in &figures {
        if !unique_keys.contains(&f.key) {
            unique_keys.push(f.key.clone());
        }
    }
    Ok(ResolvedCite {
        expr: c.expr.clone(),
        display,
        value: formatted,
        terms: unique_keys
            .iter()
            .filter_map(|k| ds.figures.get(k))
            .map(|f| (f.key.clone(), format_quantity(&f.quantity())))
            .collect(),
        keys: unique_keys,
        sources,
        credits,
        as_of: figures.iter().filter_map(|f| f.as_of).max(),
    })
}

/// Why a value cannot be printed truthfully, if it cannot: not finite (`inf GB/s`), or
/// not zero but shown as zero (1e-320 GB/s as `0 GB/s`).
fn unprintable(value: &Quantity, formatted: &str) -> Option<String> {
    let (lo, hi) = value.value.bounds();
    if !lo.is_finite() || !hi.is_finite() {
        return Some(format!(
            "the value is not a finite number ({formatted}); check the expression's operands"
        ));
    }
    let shows_zero = !formatted.bytes().any(|b| (b'1'..=b'9').contains(&b));
    if (lo != 0.0 || hi != 0.0) && shows_zero {
        return Some(format!(
            "the value {lo:e} is not zero but would print as \"{formatted}\"; cite it in a smaller unit or rework the expression"
        ));
    }
    None
}

/// Checks a citation's text against its value: one literal, agreeing after rounding.
fn check_text(
    site: &Site,
    path: &str,
    text: &str,
    c: &Citation,
    value: &Quantity,
    figures: &[&Figure],
) -> Result<(), Vec<Diagnostic>> {
    // Places and wording are worked out only for a citation that fails: most agree, and
    // each place counts the lines from the top of the file.
    let link_span = || Span::at_offset(path, text, c.range.start);
    // Names such as "RTX 4090" around the figure are not figures themselves.
    let masked = mask_names(&c.text, &site.known_names);
    let lit = literal::parse_literal(&masked, &site.units).map_err(|e| {
        let msg = match e {
            LiteralError::NoFigure => format!(
                "citation text \"{}\" holds no figure; a citation carries a number: write \"{}\" or leave the text empty to insert it",
                c.text,
                format_quantity(value)
            ),
            LiteralError::Several(found) => format!(
                "citation text \"{}\" holds {} figures ({}); a citation carries exactly one",
                c.text,
                found.len(),
                found.join(", ")
            ),
        };
        vec![Diagnostic::error("cite-text", link_span(), msg)]
    })?;
    let tol = site.config.cite.tolerance();
    let agreement = literal::check(&lit, value, tol);
    if agreement == Agreement::Agrees {
        return Ok(());
    }
    let (lit_span, lit_end) = match c.text_offset {
        Some(o) => (
            Span::at_offset(path, text, o + lit.span.start),
            Some(crate::diagnostics::line_col(text, o + lit.span.end)),
        ),
        None => (link_span(), None),
    };
    let place = |d: Diagnostic, fix: String| {
        let d = d.with_suggestion(fix);
        match (lit_end, c.text_offset) {
            (Some((l, col)), Some(o)) => d
                .with_end(l, col)
                .with_bytes(o + lit.span.start, o + lit.span.end),
            _ => d,
        }
    };
    let what = if figures.len() == 1 && c.expr.trim() == figures[0].key {
        described(figures[0])
    } else {
        let parts: Vec<String> = figures.iter().map(|f| described(f)).collect();
        format!(
            "{} = {} ({})",
            c.expr.trim(),
            format_quantity(value),
            parts.join("; ")
        )
    };
    let suggestion = literal::suggest(&lit, value, tol, &site.units);
    let d = match agreement {
        Agreement::Agrees => return Ok(()),
        Agreement::Drift => Diagnostic::error(
            "drift",
            lit_span,
            format!(
                "\"{}\" disagrees with {what}; write \"{suggestion}\"",
                lit.text
            ),
        ),
        Agreement::UnitMismatch { literal: l, data } => Diagnostic::error(
            "unit-mismatch",
            lit_span,
            format!(
                "\"{}\" is in {l}, but {what} is in {data}; write \"{suggestion}\"",
                lit.text
            ),
        ),
        Agreement::Shape(msg) => Diagnostic::error(
            "drift",
            lit_span,
            format!(
                "\"{}\" does not match {what}: {msg}; write \"{suggestion}\"",
                lit.text
            ),
        ),
    };
    Err(vec![place(d, suggestion)])
}

/// Blanks out every name the dataset knows, keeping byte offsets, so "RTX 4090" is no figure.
fn mask_names(text: &str, names: &[String]) -> String {
    let mut masked = text.to_string();
    for name in names {
        if name.is_empty() || !name.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut from = 0;
        while let Some(i) = masked[from..].find(name.as_str()) {
            let start = from + i;
            let end = start + name.len();
            masked.replace_range(start..end, &" ".repeat(name.len()));
            from = end;
        }
    }
    masked
}

/// Warns about figures in prose that are not cited, naming the keys they agree with.
pub fn check_uncited(site: &Site, path: &str, text: &str, doc: &Doc, diags: &mut Diagnostics) {
    let tol = site.config.cite.tolerance();
    for run in &doc.prose {
        if !run.text.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let masked = mask_names(&run.text, &site.known_names);
        for lit in literal::find_literals(&masked, &site.units) {
            let offset = run.offset.map_or(run.range.start, |o| o + lit.span.start);
            let agreeing: Vec<&str> = site
                .dataset
                .figures
                .values()
                .filter(|f| literal::check(&lit, &f.quantity(), tol) == Agreement::Agrees)
                .map(|f| f.key.as_str())
                .take(4)
                .collect();
            let msg = if agreeing.is_empty() {
                format!(
                    "\"{}\" is not cited, and no dataset figure agrees with it; add it to data/ with its source and cite it",
                    lit.text
                )
            } else {
                format!(
                    "\"{}\" is not cited; it agrees with {}",
                    lit.text,
                    agreeing.join(", ")
                )
            };
            let mut d = Diagnostic::warning("uncited", Span::at_offset(path, text, offset), msg);
            // Wrapping a figure that is already a link's text (or an image's alt) would
            // nest one link in another: no fix is offered there.
            let in_link = doc
                .links
                .iter()
                .any(|l| l.range.start <= offset && offset < l.range.end);
            if let ([key], false) = (&agreeing[..], in_link) {
                d = d.with_suggestion(format!("[{}](cite:{key})", lit.text));
            }
            if run.offset.is_some() {
                let end = offset + lit.span.len();
                let (l, c) = crate::diagnostics::line_col(text, end);
                d = d.with_end(l, c);
                // Machine-applicable (`sitegen fix --uncited`) only where the file holds
                // exactly the literal's text.
                if d.suggestion.is_some() && text.get(offset..end) == Some(lit.text.as_str()) {
                    d = d.with_bytes(offset, end);
                }
            }
            diags.push(d);
        }
    }
}
