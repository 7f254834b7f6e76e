//! Figure literals in text: parsing the figure an author wrote in a citation
//! link (`273 GB/s`, `€4,800-5,200`, `~$4k`, `2.7x`), finding uncited figures
//! in prose, and checking a literal against the dataset (SPEC §5).
//!
//! Rules chosen where the SPEC is silent, all documented on the items below:
//! - a number must start a word: `H100`, `M3`, `x86`, `GPT-4`, `1.2.3` hold none;
//! - a number glued to letters that are not a unit is no figure (`3rd`, `4090Ti`),
//!   nor is a decade (`1990s`, `2020s`);
//! - `x`, `×`, `%` and the parameters `B` must be glued to the number
//!   (`2.7x`, `17%`, `120B`) so that "3 x 4" or "plan B" hold no unit;
//! - a trailing `B` is billions of parameters unless a currency precedes the
//!   number (`$1.2B`) or a unit follows (`1.5B tokens`), where it is a scale;
//! - in a range, the first number takes the second's scale when it has none
//!   (`$4–5k` is 4k to 5k);
//! - a literal with no unit is read in the dataset figure's own unit.

use crate::figures::units::{
    convert, format_number_with, format_quantity, Currency, Quantity, Unit, UnitKind, UnitRegistry,
    Value,
};
use std::fmt;
use std::ops::Range;

/// One number of a literal, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    /// The digits as written, without sign or scale: `4,800`, `0.27`.
    pub text: String,
    /// The number as written, without its scale (`4.0` for `$4.0k`), signed.
    pub value: f64,
    /// The number as an exact integer: `value * 10^decimals` (`None` when it
    /// does not fit in an i128: such a literal never agrees).
    pub mantissa: Option<i128>,
    /// Digits written after the decimal point.
    pub decimals: usize,
    /// Multiplier of the scale letter (`k` 1e3, `M` 1e6, `B` 1e9), else 1.
    pub scale: f64,
    /// The scale letter as written.
    pub scale_suffix: Option<char>,
}

impl Num {
    /// The number the literal means: value times scale.
    pub fn full_value(&self) -> f64 {
        self.value * self.scale
    }

    /// The same number with its sign flipped.
    fn negated(mut self) -> Num {
        self.value = -self.value;
        self.mantissa = self.mantissa.map(|m| -m);
        self
    }
}

/// The number or numbers of a literal.
#[derive(Debug, Clone, PartialEq)]
pub enum LitValue {
    /// One number.
    Single(Num),
    /// A range `A-B`, `A–B` or `A to B`.
    Range(Num, Num),
}

/// A figure literal found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    /// Marked approximate with `~` or `≈`.
    pub approx: bool,
    /// The number or range.
    pub value: LitValue,
    /// The unit (currency signs and codes give money units); `None` for a bare number.
    pub unit: Option<Unit>,
    /// The unit as written (`t/s`, `€`, `$/hour`).
    pub unit_text: Option<String>,
    /// Byte range of the literal in the text it was found in.
    pub span: Range<usize>,
    /// The literal's text.
    pub text: String,
    /// The approximation marker as written, with its space (`~`, `≈ `), else empty.
    pub approx_text: String,
    /// What stands between the marker and the first digit: `$`, `USD `, or nothing.
    pub lead: String,
    /// What stands between the two numbers of a range: `-`, ` to `, `–€`.
    pub mid: String,
    /// What follows the last number: ` GB/s`, `x`, `/h`, ` EUR`.
    pub tail: String,
    /// Whether numbers of four digits or more are written with `,` separators.
    pub commas: bool,
}

impl Literal {
    /// The first number, and the second of a range.
    pub fn nums(&self) -> (&Num, Option<&Num>) {
        match &self.value {
            LitValue::Single(n) => (n, None),
            LitValue::Range(a, b) => (a, Some(b)),
        }
    }
}

/// Why a citation's text does not hold exactly one figure.
#[derive(Debug, Clone, PartialEq)]
pub enum LiteralError {
    /// No figure at all ("a third").
    NoFigure,
    /// Two or more figures; their texts.
    Several(Vec<String>),
}

impl fmt::Display for LiteralError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiteralError::NoFigure => f.write_str("the citation text holds no figure"),
            LiteralError::Several(found) => {
                let quoted: Vec<String> = found.iter().map(|s| format!("\"{s}\"")).collect();
                write!(
                    f,
                    "the citation text holds {} figures ({}); cite one figure per link",
                    found.len(),
                    quoted.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for LiteralError {}

/// Parses the text of a citation link: it must hold exactly one figure
/// literal; words around it are fine ("about 273 GB/s per channel").
pub fn parse_literal(text: &str, reg: &UnitRegistry) -> Result<Literal, LiteralError> {
    let mut found = scan(text, reg);
    match found.len() {
        0 => Err(LiteralError::NoFigure),
        1 => Ok(found.remove(0)),
        _ => Err(LiteralError::Several(
            found.into_iter().map(|l| l.text).collect(),
        )),
    }
}

/// Every literal in prose that carries a unit or currency: what an uncited
/// figure looks like. Bare numbers (years, counts) are left out.
pub fn find_literals(text: &str, reg: &UnitRegistry) -> Vec<Literal> {
    scan(text, reg)
        .into_iter()
        .filter(|l| l.unit.is_some())
        .collect()
}

/// All literals, bare numbers included, left to right.
fn scan(text: &str, reg: &UnitRegistry) -> Vec<Literal> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(c) = char_at(text, pos) {
        match parse_at(text, pos, reg) {
            Some(lit) if lit.span.end > pos => {
                pos = lit.span.end;
                out.push(lit);
            }
            _ => pos += c.len_utf8(),
        }
    }
    out
}

/// Letters and digits glue words together; a figure must not be glued.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The character starting at byte `pos`, if `pos` is a boundary inside `text`.
fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

/// The character ending at byte `pos`.
fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

/// True when the character at `pos` exists and is a word character.
fn word_at(text: &str, pos: usize) -> bool {
    char_at(text, pos).is_some_and(is_word)
}

/// Skips spaces and tabs (not line breaks: a figure stays on one line).
fn skip_spaces(text: &str, mut pos: usize) -> usize {
    while let Some(c) = char_at(text, pos) {
        if !c.is_whitespace() || c == '\n' || c == '\r' {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

/// Whether a number may start at `pos`: not glued to a word (`H100`), nor a
/// continuation of one (`GPT-4`, `1.2.3`, `10:30`, `24/7`).
fn number_start_ok(text: &str, pos: usize) -> bool {
    match char_before(text, pos) {
        None => true,
        Some(c) if is_word(c) => false,
        Some(c) if matches!(c, '.' | ',' | '-' | '/' | ':' | '–') => {
            !char_before(text, pos - c.len_utf8()).is_some_and(is_word)
        }
        Some(_) => true,
    }
}

/// A currency written before the number.
struct Prefix {
    currency: Currency,
    unit: Unit,
    token: &'static str,
    end: usize,
}

/// Currency tokens that may stand before a number, longest first.
const PREFIX_TOKENS: [&str; 7] = ["US$", "USD", "EUR", "GBP", "$", "€", "£"];

/// A currency sign or code at `pos` (a code must not run into letters: `EURO`).
fn currency_prefix(text: &str, pos: usize, reg: &UnitRegistry) -> Option<Prefix> {
    let rest = text.get(pos..)?;
    let token = PREFIX_TOKENS.into_iter().find(|t| rest.starts_with(t))?;
    let end = pos + token.len();
    if token.chars().all(|c| c.is_ascii_alphabetic())
        && char_at(text, end).is_some_and(char::is_alphabetic)
    {
        return None;
    }
    let currency = Currency::from_token(if token == "US$" { "$" } else { token })?;
    let unit = reg.get(currency.code())?;
    Some(Prefix {
        currency,
        unit,
        token,
        end,
    })
}

/// One number of a literal with what follows it.
struct End {
    num: Num,
    /// Where the digits start.
    start: usize,
    /// After the digits and a scale letter.
    num_end: usize,
    /// The unit after the number, with its text.
    unit: Option<(Unit, String)>,
    /// After the unit (or `num_end`).
    end: usize,
}

/// Counts ASCII digits from `pos`.
fn digit_run(text: &str, pos: usize) -> usize {
    text.as_bytes()
        .get(pos..)
        .map_or(0, |b| b.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// Digits with optional `,` thousands groups and `.` decimals.
fn parse_number(text: &str, pos: usize) -> Option<(Num, usize)> {
    let bytes = text.as_bytes();
    let first = digit_run(text, pos);
    if first == 0 {
        return None;
    }
    let mut end = pos + first;
    let mut int = text.get(pos..end)?.to_string();
    // Thousands groups only after a lead of 1–3 digits, exactly 3 digits each.
    if first <= 3 {
        while bytes.get(end) == Some(&b',') && digit_run(text, end + 1) == 3 {
            int.push_str(text.get(end + 1..end + 4)?);
            end += 4;
        }
    }
    let mut frac = "";
    if bytes.get(end) == Some(&b'.') {
        let n = digit_run(text, end + 1);
        if n > 0 {
            frac = text.get(end + 1..end + 1 + n)?;
            end += 1 + n;
        }
    }
    // More digit groups (`1,2345`, `1.2.3`) make a version or code, not a figure.
    if matches!(bytes.get(end), Some(b'.' | b',')) && digit_run(text, end + 1) > 0 {
        return None;
    }
    let num = Num {
        text: text.get(pos..end)?.to_string(),
        value: format!("{int}.{frac}0").parse().ok()?,
        mantissa: format!("{int}{frac}").parse().ok(),
        decimals: frac.len(),
        scale: 1.0,
        scale_suffix: None,
    };
    Some((num, end))
}

/// A scale letter at `pos` that ends the word (`4k`, `$1.2B`), not the start
/// of a unit (`MB`).
fn scale_at(text: &str, pos: usize) -> Option<(char, f64)> {
    let c = char_at(text, pos)?;
    let scale = match c {
        'k' | 'K' => 1e3,
        'M' => 1e6,
        'B' => 1e9,
        _ => return None,
    };
    (!word_at(text, pos + 1)).then_some((c, scale))
}

/// Units that must touch the number: `2.7x`, `17%`, `120B`.
fn glued_only(unit: &Unit) -> bool {
    matches!(
        unit.kind(),
        UnitKind::Ratio | UnitKind::Percent | UnitKind::Params
    )
}

/// True when a unit name ending at `end` does not run into a word.
fn ends_word(text: &str, end: usize, name: &str) -> bool {
    !name.ends_with(is_word) || !word_at(text, end)
}

/// True when a unit name ending at `end` is the start of a longer, unknown
/// compound (`GB/day`, `W/GPU`): the number then has no unit we know.
fn continues_compound(text: &str, end: usize) -> bool {
    char_at(text, end) == Some('/') && word_at(text, end + 1)
}

/// The longest unit name at `pos`; `glued` says no space precedes it.
fn unit_at(
    text: &str,
    pos: usize,
    reg: &UnitRegistry,
    glued: bool,
) -> Option<(Unit, String, usize)> {
    let rest = text.get(pos..)?;
    reg.units_at(rest)
        .into_iter()
        .find(|m| {
            let end = pos + m.len;
            ends_word(text, end, &rest[..m.len])
                && !continues_compound(text, end)
                && (glued || !(glued_only(&m.unit) || m.glued_only))
        })
        .map(|m| (m.unit, rest[..m.len].to_string(), pos + m.len))
}

/// A per-time suffix after a currency-prefixed number (`€0.40/h`, `$2/hour`):
/// the registry's names that start with the currency sign decide.
fn money_suffix(
    text: &str,
    pos: usize,
    prefix: &Prefix,
    reg: &UnitRegistry,
) -> Option<(Unit, String, usize)> {
    let rest = text.get(pos..)?;
    if !rest.starts_with('/') {
        return None;
    }
    // A short window suffices: unit names are short, and the copy stays cheap.
    let window = rest
        .char_indices()
        .nth(16)
        .map_or(rest, |(i, _)| &rest[..i]);
    let sign = prefix.currency.sign();
    let probe = format!("{sign}{window}");
    let found = reg
        .units_at(&probe)
        .into_iter()
        .filter(|m| m.len > sign.len())
        .find(|m| {
            let end = pos + m.len - sign.len();
            ends_word(text, end, &probe[..m.len]) && !continues_compound(text, end)
        })
        .map(|m| {
            let end = pos + m.len - sign.len();
            (
                m.unit,
                text.get(pos..end).unwrap_or_default().to_string(),
                end,
            )
        });
    found
}

/// A decade or a plural of a round number (`1990s`, `2020s`, `100s`,
/// `1000s`) reads as a count, not as seconds: write `100 s` for seconds.
fn is_decade(num: &Num, unit_text: &str) -> bool {
    let t = &num.text;
    let all_digits = t.bytes().all(|b| b.is_ascii_digit());
    unit_text == "s" && all_digits && (t.ends_with("00") || (t.len() == 4 && t.ends_with('0')))
}

/// A number at `pos` with its scale and unit.
fn parse_end(text: &str, pos: usize, reg: &UnitRegistry, prefix: Option<&Prefix>) -> Option<End> {
    let (mut num, digits_end) = parse_number(text, pos)?;
    let scale = scale_at(text, digits_end);
    let after_scale = digits_end + usize::from(scale.is_some());
    let unit = match prefix {
        Some(p) => money_suffix(text, after_scale, p, reg),
        None => {
            let at = skip_spaces(text, after_scale);
            unit_at(text, at, reg, at == after_scale)
        }
    };
    let mut end = End {
        num: num.clone(),
        start: pos,
        num_end: after_scale,
        unit: None,
        end: after_scale,
    };
    match (scale, unit) {
        // A lone trailing B is the parameters unit: `120B`.
        (Some(('B', _)), None) if prefix.is_none() => {
            let params = reg.get("B")?;
            end.num_end = digits_end;
            end.unit = Some((params, "B".to_string()));
        }
        (scale, unit) => {
            if let Some((c, s)) = scale {
                num.scale = s;
                num.scale_suffix = Some(c);
                end.num = num;
            }
            if let Some((unit, name, unit_end)) = unit {
                if scale.is_none()
                    && unit_end == after_scale + name.len()
                    && is_decade(&end.num, &name)
                {
                    return None;
                }
                end.unit = Some((unit, name));
                end.end = unit_end;
            }
        }
    }
    // A number running into letters is part of a word (`3rd`, `4090Ti`, `5GHz`).
    (!word_at(text, end.end)).then_some(end)
}

/// A range separator after the first number: `-`, `–` or ` to `.
fn range_separator(text: &str, pos: usize) -> Option<usize> {
    let p = skip_spaces(text, pos);
    match char_at(text, p)? {
        c @ ('-' | '–') => Some(skip_spaces(text, p + c.len_utf8())),
        't' if p > pos && text.get(p..)?.starts_with("to") => {
            let q = skip_spaces(text, p + 2);
            (q > p + 2).then_some(q)
        }
        _ => None,
    }
}

/// The second number of a range starting after the first one, if any.
fn range_end(text: &str, a: &End, prefix: Option<&Prefix>, reg: &UnitRegistry) -> Option<End> {
    let mut pos = range_separator(text, a.end)?;
    // The second number may repeat the first one's currency, no other.
    if let Some(p) = prefix {
        if let Some(again) = currency_prefix(text, pos, reg) {
            if again.currency != p.currency {
                return None;
            }
            pos = skip_spaces(text, again.end);
        }
    } else if currency_prefix(text, pos, reg).is_some() {
        return None;
    }
    let b = parse_end(text, pos, reg, prefix)?;
    // A unit written after the first number must be repeated after the second.
    match (&a.unit, &b.unit) {
        (Some((ua, _)), Some((ub, _))) if ua == ub => Some(b),
        (Some(_), _) => None,
        (None, _) => Some(b),
    }
}

/// The literal starting exactly at `pos`, if one does.
fn parse_at(text: &str, start: usize, reg: &UnitRegistry) -> Option<Literal> {
    let first = char_at(text, start)?;
    let can_start = first.is_ascii_digit()
        || matches!(
            first,
            '~' | '≈' | '-' | '−' | '$' | '€' | '£' | 'U' | 'E' | 'G'
        );
    if !can_start || char_before(text, start).is_some_and(is_word) {
        return None;
    }
    let mut pos = start;
    let approx = matches!(first, '~' | '≈');
    if approx {
        pos = skip_spaces(text, pos + first.len_utf8());
    }
    let approx_text = text.get(start..pos)?.to_string();
    let negative = matches!(char_at(text, pos), Some('-' | '−'));
    if negative {
        pos += char_at(text, pos).map_or(1, char::len_utf8);
    }
    let lead_start = pos;
    let prefix = currency_prefix(text, pos, reg);
    if let Some(p) = &prefix {
        pos = skip_spaces(text, p.end);
    }
    if !char_at(text, pos).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    if pos == start && !number_start_ok(text, pos) {
        return None;
    }
    let lead = text.get(lead_start..pos)?.to_string();
    let mut a = parse_end(text, pos, reg, prefix.as_ref())?;
    if negative {
        a.num = a.num.negated();
    }
    let b = range_end(text, &a, prefix.as_ref(), reg);
    build(text, start, approx, approx_text, lead, a, b, prefix)
}

/// Assembles a literal from its parsed parts.
#[allow(clippy::too_many_arguments)]
fn build(
    text: &str,
    start: usize,
    approx: bool,
    approx_text: String,
    lead: String,
    mut a: End,
    b: Option<End>,
    prefix: Option<Prefix>,
) -> Option<Literal> {
    let last = b.as_ref().unwrap_or(&a);
    let end = last.end;
    let tail = text.get(last.num_end..end)?.to_string();
    let (unit, unit_text) = match (&prefix, &last.unit) {
        (_, Some((u, t))) => (Some(u.clone()), Some(t.clone())),
        (Some(p), None) => (Some(p.unit.clone()), Some(p.token.to_string())),
        (None, None) => (None, None),
    };
    let mid = match &b {
        Some(b) => text.get(a.num_end..b.start)?.to_string(),
        None => String::new(),
    };
    let value = match b {
        Some(b) => {
            // `$4–5k`: the first number takes the second's scale.
            if a.num.scale_suffix.is_none() {
                a.num.scale = b.num.scale;
            }
            LitValue::Range(a.num, b.num)
        }
        None => LitValue::Single(a.num),
    };
    let commas = uses_commas(&value);
    Some(Literal {
        approx,
        value,
        unit,
        unit_text,
        span: start..end,
        text: text.get(start..end)?.to_string(),
        approx_text,
        lead,
        mid,
        tail,
        commas,
    })
}

/// Thousands separators as the author wrote them: with commas if any number
/// has one, without if a long number has none, with commas when undecided.
fn uses_commas(value: &LitValue) -> bool {
    let nums: Vec<&Num> = match value {
        LitValue::Single(n) => vec![n],
        LitValue::Range(a, b) => vec![a, b],
    };
    if nums.iter().any(|n| n.text.contains(',')) {
        return true;
    }
    !nums.iter().any(|n| digit_run(&n.text, 0) >= 4)
}

/// The outcome of checking a literal against a dataset value.
#[derive(Debug, Clone, PartialEq)]
pub enum Agreement {
    /// The literal shows the dataset value.
    Agrees,
    /// Same dimension, different number: `error[drift]`.
    Drift,
    /// The literal's unit cannot express the dataset value: `error[unit-mismatch]`.
    UnitMismatch {
        /// The literal's unit.
        literal: String,
        /// The dataset value's unit.
        data: String,
    },
    /// A range cited as one number, or one number cited as a range; the message says which.
    Shape(String),
}

/// The dataset value in the literal's unit; a literal without a unit is read
/// in the dataset's own unit.
fn value_in_literal_unit(
    lit_unit: Option<&Unit>,
    v: f64,
    data_unit: Option<&Unit>,
) -> Result<f64, Agreement> {
    let data_unit = data_unit.cloned().unwrap_or_else(Unit::bare);
    match lit_unit {
        None => Ok(v),
        Some(lu) => convert(v, &data_unit, lu).ok_or_else(|| Agreement::UnitMismatch {
            literal: lu.label().to_string(),
            data: data_unit.label().to_string(),
        }),
    }
}

/// How far a literal may be from the value it cites (`[cite]` in sitegen.toml).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    /// The most, relative to the value, that rounding to the literal's decimals may
    /// move it (`cite.max_rounding`, 0.05 by default): "0.3 TB/s" for 273 GB/s is
    /// the value rounded, but moved by 9.9 %, so it does not agree.
    pub max_rounding: f64,
    /// How far, relative to the value, a literal marked `~`/`≈` may be
    /// (`cite.approx_tolerance`, 0.05 by default).
    pub approx: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            max_rounding: 0.05,
            approx: 0.05,
        }
    }
}

/// True when the literal's number is within `bound` of `v`, relative to `v` (a
/// literal of 0 is within any bound of 0 only). A hair of slack absorbs the
/// binary noise of unit conversions, so a bound of exactly 5 % holds at 5 %.
fn within(num: &Num, v: f64, bound: f64) -> bool {
    let written = num.full_value();
    v.is_finite() && written.is_finite() && (written - v).abs() <= bound * v.abs() * (1.0 + 1e-9)
}

/// True when `v` (in the literal's unit) rounds to the number as written and
/// that rounding moves it by at most `max_rounding`; a literal marked
/// approximate (`approx`) also agrees within the approximation tolerance.
fn number_agrees(num: &Num, v: f64, tol: Tolerance, approx: bool) -> bool {
    let rounded = crate::figures::units::round_scaled(v / num.scale, num.decimals);
    if rounded.is_some() && rounded == num.mantissa && within(num, v, tol.max_rounding) {
        return true;
    }
    approx && within(num, v, tol.approx)
}

/// SPEC §5 agreement of one literal number with one dataset value: convert
/// the value into the literal's unit, divide by the literal's scale, round to
/// the decimals the literal shows (half away from zero) and compare, and the
/// rounding must move the value by at most `tol.max_rounding` (relative); a
/// literal marked `approx` also agrees within `tol.approx` of the value.
/// `None` units mean a bare number.
pub fn agrees(
    lit_num: &Num,
    lit_unit: Option<&Unit>,
    data_value: f64,
    data_unit: Option<&Unit>,
    tol: Tolerance,
    approx: bool,
) -> Agreement {
    match value_in_literal_unit(lit_unit, data_value, data_unit) {
        Ok(v) if number_agrees(lit_num, v, tol, approx) => Agreement::Agrees,
        Ok(_) => Agreement::Drift,
        Err(mismatch) => mismatch,
    }
}

/// Checks a whole literal against a dataset quantity; the approximation
/// tolerance applies only to literals marked `~`/`≈`. A range literal agrees
/// when both ends agree with min and max; a single literal agrees with a range
/// only when min equals max.
pub fn check(lit: &Literal, data: &Quantity, tol: Tolerance) -> Agreement {
    let unit = lit.unit.as_ref();
    let (lo, hi) = data.value.bounds();
    let one = |n: &Num, v: f64| agrees(n, unit, v, Some(&data.unit), tol, lit.approx);
    let (a, b) = lit.nums();
    let first = one(a, lo);
    if matches!(first, Agreement::UnitMismatch { .. }) {
        return first;
    }
    match (b, data.value) {
        (None, Value::Single(_)) => first,
        (Some(b), Value::Range(..)) => both(first, one(b, hi)),
        (None, Value::Range(..)) if lo == hi => first,
        (None, Value::Range(..)) => Agreement::Shape(format!(
            "the dataset holds the range {}; cite it as a range",
            format_quantity(data)
        )),
        (Some(b), Value::Single(v)) => match both(first, one(b, v)) {
            Agreement::Agrees => Agreement::Agrees,
            _ => Agreement::Shape(format!(
                "the dataset holds the single value {}; cite it as one number",
                format_quantity(data)
            )),
        },
    }
}

/// Both ends of a range must agree.
fn both(a: Agreement, b: Agreement) -> Agreement {
    match (a, b) {
        (Agreement::Agrees, Agreement::Agrees) => Agreement::Agrees,
        (m @ Agreement::UnitMismatch { .. }, _) | (_, m @ Agreement::UnitMismatch { .. }) => m,
        _ => Agreement::Drift,
    }
}

/// The most decimals a suggestion adds to the author's: beyond that, the value
/// is written in its own unit.
const MAX_EXTRA_DECIMALS: usize = 12;

/// The replacement text for a literal that does not agree with `data`, written
/// like `lit` (its unit, scale, currency placement, range separator, marker).
/// First the value in the author's unit and decimals (`273 GB/s` for `275 GB/s`);
/// when that does not agree and the number as written agrees with the value in
/// another unit of the same dimension, that unit (`240 W` for `240 kW`);
/// otherwise the author's unit with the fewest more decimals that agree
/// (`0.27 TB/s` for `0.3 TB/s`). When the literal's unit cannot express the
/// value, the value in its own unit. Every suggestion is parsed back and
/// checked: what is suggested agrees (the value's own formatting is the last
/// resort).
pub fn suggest(lit: &Literal, data: &Quantity, tol: Tolerance, reg: &UnitRegistry) -> String {
    let agrees = |text: &str| {
        parse_literal(text, reg).is_ok_and(|l| check(&l, data, tol) == Agreement::Agrees)
    };
    let Some(unit) = &lit.unit else {
        return with_decimals(lit, data, &agrees);
    };
    let Some(target) = data.to_unit(unit) else {
        return format_quantity(data);
    };
    let same = written_like(lit, &target, 0);
    if agrees(&same) {
        return same;
    }
    if let Some(s) = in_other_unit(lit, unit, data, tol, reg, &agrees) {
        return s;
    }
    with_decimals(lit, &target, &agrees)
}

/// The literal's text with another unit of the value's dimension whose reading of
/// the number as written agrees (`17.9 kW` → `17.9 W`, `17x` → `17%`).
fn in_other_unit(
    lit: &Literal,
    unit: &Unit,
    data: &Quantity,
    tol: Tolerance,
    reg: &UnitRegistry,
    agrees: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let written = lit.unit_text.as_deref()?;
    if !lit.tail.ends_with(written) || lit.lead.contains(written) {
        return None;
    }
    reg.canonical_units()
        .into_iter()
        .filter(|u| u.name != unit.name && !u.name.is_empty() && u.dim == data.unit.dim)
        .filter(|u| {
            let mut other = lit.clone();
            other.unit = Some((*u).clone());
            check(&other, data, tol) == Agreement::Agrees
        })
        .map(|u| {
            let spaced = |t: &str| t.trim_end_matches(written).to_string();
            let mut tail = spaced(&lit.tail);
            // `17x` → `17%`, `240 kW` → `240 W`: glued units stay glued, spaced ones spaced.
            if tail.is_empty() && !glued_only(u) && !glued_only(unit) {
                tail.push(' ');
            }
            if glued_only(u) {
                tail = tail.trim_end().to_string();
            }
            let mid = lit.mid.replace(written, &u.name);
            let text = format!(
                "{}{}{}",
                &lit.text[..lit.text.len() - lit.tail.len()].replacen(&lit.mid, &mid, 1),
                tail,
                u.name
            );
            text
        })
        .find(|t| agrees(t))
}

/// The literal written with the fewest decimals, from the author's own, that agree
/// with `target` (the value in the literal's unit).
fn with_decimals(lit: &Literal, target: &Quantity, agrees: &dyn Fn(&str) -> bool) -> String {
    (0..=MAX_EXTRA_DECIMALS)
        .map(|extra| written_like(lit, target, extra))
        .find(|t| agrees(t))
        .unwrap_or_else(|| format_quantity(target))
}

/// `target` written like `lit`, with `extra` decimals more than the author wrote.
fn written_like(lit: &Literal, target: &Quantity, extra: usize) -> String {
    let (a, b) = lit.nums();
    let b = b.unwrap_or(a);
    let more = |n: &Num| Num {
        decimals: n.decimals + extra,
        ..n.clone()
    };
    let (a, b) = (more(a), more(b));
    let show = |v: f64, n: &Num| render(v, n, lit.commas);
    let sign = |v: f64| {
        if show(v, &a).starts_with('-') {
            "-"
        } else {
            ""
        }
    };
    let body = match target.value {
        Value::Single(v) => format!("{}{}{}", sign(v), lit.lead, show(v.abs(), &a)),
        Value::Range(lo, hi) => {
            let mid = if lit.mid.is_empty() { "–" } else { &lit.mid };
            format!(
                "{}{}{}{}{}",
                sign(lo),
                lit.lead,
                show(lo.abs(), &a),
                mid,
                show(hi, &b)
            )
        }
    };
    format!("{}{}{}", lit.approx_text, body, lit.tail)
}

/// `v` written with the scale and decimals of `n`: `render(3999, $4.0k)` is `4.0k`.
fn render(v: f64, n: &Num, commas: bool) -> String {
    let digits = format_number_with(v / n.scale, n.decimals, commas);
    match n.scale_suffix {
        Some(c) => format!("{digits}{c}"),
        None => digits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::units::format_quantity;
    use proptest::prelude::*;

    fn reg() -> UnitRegistry {
        UnitRegistry::new()
    }

    fn lit(text: &str) -> Literal {
        parse_literal(text, &reg()).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn q(v: f64, unit: &str) -> Quantity {
        Quantity::new(Value::Single(v), reg().get(unit).expect("unit"))
    }

    fn range(lo: f64, hi: f64, unit: &str) -> Quantity {
        Quantity::new(Value::Range(lo, hi), reg().get(unit).expect("unit"))
    }

    fn sug(l: &Literal, data: &Quantity) -> String {
        suggest(l, data, Tolerance::default(), &reg())
    }

    fn ok(text: &str, data: &Quantity) -> bool {
        check(&lit(text), data, Tolerance::default()) == Agreement::Agrees
    }

    #[test]
    fn spec_examples() {
        assert!(ok("273 GB/s", &q(273.0, "GB/s")));
        assert!(ok("0.27 TB/s", &q(273.0, "GB/s")));
        let ratio = q(52.77, "tok/s").div(&q(19.70, "tok/s")).unwrap();
        assert!(ok("2.7x", &ratio));
        assert!(ok("2.7×", &ratio));
        assert_eq!(
            check(&lit("275 GB/s"), &q(273.0, "GB/s"), Tolerance::default()),
            Agreement::Drift
        );
        assert!(ok("€4,800-5,200", &range(4800.0, 5200.0, "EUR")));
        assert!(ok("€4,800–5,200", &range(4800.0, 5200.0, "EUR")));
        assert!(ok("4,800 to 5,200 EUR", &range(4800.0, 5200.0, "EUR")));
        assert!(!ok("€4,800-5,300", &range(4800.0, 5200.0, "EUR")));
    }

    #[test]
    fn literal_parts() {
        let l = lit("about 273GB/s per channel");
        assert_eq!(l.text, "273GB/s");
        assert_eq!(l.unit.unwrap().name, "GB/s");
        let l = lit("$4.0k");
        let (n, _) = l.nums();
        assert_eq!((n.decimals, n.scale, n.mantissa), (1, 1e3, Some(40)));
        assert_eq!(l.unit.unwrap().name, "USD");
        let l = lit("≈ 280 GB/s");
        assert!(l.approx);
        assert_eq!(l.approx_text, "≈ ");
        let l = lit("57-62 tok/s");
        assert!(matches!(l.value, LitValue::Range(..)));
        assert_eq!(lit("57 t/s").unit, lit("57 tokens/s").unit);
        assert_eq!(lit("€0.40/h").unit.unwrap().name, "EUR/h");
        assert_eq!(lit("$2/hour").unit.unwrap().name, "USD/h");
        assert_eq!(lit("0.40 €/h").unit.unwrap().name, "EUR/h");
        assert_eq!(lit("USD 3,999").unit.unwrap().name, "USD");
        assert_eq!(lit("3,999 USD").unit.unwrap().name, "USD");
        assert_eq!(lit("-5%").nums().0.value, -5.0);
        assert_eq!(lit("0.33x").nums().0.decimals, 2);
        assert_eq!(lit("100 s").unit.unwrap().name, "s");
        assert_eq!(lit("273 GB/sec").unit.unwrap().name, "GB/s");
        assert_eq!(lit("273 GB/day").unit.unwrap().name, "GB/day");
        assert_eq!(lit("273 GB/fortnight").unit, None);
        assert_eq!(lit("9.5 m/Wh").unit.unwrap().name, "m/Wh");
        assert_eq!(lit("€0.30/kWh").unit.unwrap().name, "EUR/kWh");
        assert_eq!(lit("0.30 €/kWh").unit.unwrap().name, "EUR/kWh");
        assert_eq!(lit("25 km/h").unit.unwrap().name, "km/h");
        assert_eq!(lit("20 °C").unit.unwrap().name, "°C");
        assert_eq!(lit("32 dB(A)").unit.unwrap().name, "dB(A)");
        assert_eq!(lit("27in").unit.unwrap().name, "in");
        assert_eq!(lit("5GHz").unit.unwrap().name, "GHz");
        assert_eq!(lit("30s").unit.unwrap().name, "s");
        assert_eq!(lit("4,800 €").unit.unwrap().name, "EUR");
        assert_eq!(lit("4 GB to 8 GB").mid, " GB to ");
        assert_eq!(lit("€4,800–€5,200").mid, "–€");
        assert!(matches!(
            parse_literal("$4,800-€5,200", &reg()),
            Err(LiteralError::Several(_))
        ));
    }

    #[test]
    fn trailing_b_is_parameters_or_a_scale() {
        let l = lit("120B");
        assert_eq!(l.unit.as_ref().unwrap().name, "B");
        assert_eq!(l.nums().0.scale, 1.0);
        assert!(ok("120B", &q(120.0, "B")));
        let l = lit("$1.2B");
        assert_eq!(l.unit.as_ref().unwrap().name, "USD");
        assert_eq!(l.nums().0.scale, 1e9);
        let l = lit("1.5B tokens");
        assert_eq!(l.unit.as_ref().unwrap().name, "tokens");
        assert_eq!(l.nums().0.scale, 1e9);
        assert_eq!(lit("70-120B").unit.unwrap().name, "B");
    }

    #[test]
    fn scales_and_approximations() {
        assert!(ok("$4k", &q(3999.0, "USD")));
        assert!(ok("$4.0k", &q(3999.0, "USD")));
        assert!(!ok("$4.1k", &q(3999.0, "USD")));
        assert!(ok("$4–5k", &range(3999.0, 5000.0, "USD")));
        assert!(ok("~280 GB/s", &q(273.0, "GB/s")));
        assert!(!ok("280 GB/s", &q(273.0, "GB/s")));
        assert!(!ok("~300 GB/s", &q(273.0, "GB/s")));
        assert!(!ok("≈0.3 TB/s", &q(273.0, "GB/s")));
        assert!(ok("≈0.28 TB/s", &q(273.0, "GB/s")));
        assert!(ok("128k tokens", &q(128_000.0, "tokens")));
    }

    #[test]
    fn units_convert_for_agreement() {
        assert!(ok("128 GiB", &q(137.438953472, "GB")));
        assert!(ok("137 GB", &q(128.0, "GiB")));
        assert!(!ok("128 GB", &q(128.0, "GiB")));
        assert!(ok("100 Gb/s", &q(12.5, "GB/s")));
        assert!(ok("90 min", &q(1.5, "h")));
        assert!(ok("1.2 kW", &q(1200.0, "W")));
    }

    #[test]
    fn percent_and_ratio() {
        assert!(ok("17%", &q(0.17, "x")));
        assert!(ok("17%", &Quantity::bare(0.17)));
        assert!(ok("0.17x", &q(17.0, "%")));
        assert!(ok("2.7", &q(2.68, "x")));
        assert!(ok("17", &q(17.0, "%")));
    }

    #[test]
    fn currencies_and_dimensions_never_mix() {
        let got = check(&lit("$4,800"), &q(4800.0, "EUR"), Tolerance::default());
        assert_eq!(
            got,
            Agreement::UnitMismatch {
                literal: "USD".into(),
                data: "EUR".into()
            }
        );
        assert!(matches!(
            check(&lit("273 GB"), &q(273.0, "GB/s"), Tolerance::default()),
            Agreement::UnitMismatch { .. }
        ));
        assert!(matches!(
            check(
                &lit("273 GB/s"),
                &Quantity::bare(273.0),
                Tolerance::default()
            ),
            Agreement::UnitMismatch { .. }
        ));
    }

    #[test]
    fn ranges_and_single_values() {
        assert!(matches!(
            check(
                &lit("€5,000"),
                &range(4800.0, 5200.0, "EUR"),
                Tolerance::default()
            ),
            Agreement::Shape(_)
        ));
        assert!(ok("€5,000", &range(5000.0, 5000.0, "EUR")));
        assert!(matches!(
            check(
                &lit("€4,800-5,200"),
                &q(5000.0, "EUR"),
                Tolerance::default()
            ),
            Agreement::Shape(_)
        ));
    }

    #[test]
    fn rounding_is_decimal_half_away_from_zero() {
        assert!(ok("2.68", &Quantity::bare(2.675)));
        assert!(!ok("2.67", &Quantity::bare(2.675)));
        assert!(ok("-2.68", &Quantity::bare(-2.675)));
        assert!(ok("0.27 TB/s", &q(265.0, "GB/s")));
        assert!(ok("13", &Quantity::bare(12.5)));
    }

    #[test]
    fn suggestions_are_written_like_the_literal() {
        assert_eq!(sug(&lit("275 GB/s"), &q(273.0, "GB/s")), "273 GB/s");
        assert_eq!(sug(&lit("0.30 TB/s"), &q(273.0, "GB/s")), "0.27 TB/s");
        let ratio = q(52.77, "tok/s").div(&q(19.70, "tok/s")).unwrap();
        assert_eq!(sug(&lit("2.5x"), &ratio), "2.7x");
        assert_eq!(
            sug(&lit("€4,000-5,000"), &range(4800.0, 5200.0, "EUR")),
            "€4,800-5,200"
        );
        assert_eq!(
            sug(&lit("€5,000"), &range(4800.0, 5200.0, "EUR")),
            "€4,800–5,200"
        );
        assert_eq!(
            sug(&lit("4000 to 5000 EUR"), &range(4800.0, 5200.0, "EUR")),
            "4800 to 5200 EUR"
        );
        assert_eq!(sug(&lit("~$5.0k"), &q(3999.0, "USD")), "~$4.0k");
        assert_eq!(sug(&lit("57 t/s"), &q(52.77, "tok/s")), "53 t/s");
        assert_eq!(sug(&lit("$4,800"), &q(4800.0, "EUR")), "€4,800");
        assert_eq!(sug(&lit("-$5"), &q(-7.0, "USD")), "-$7");
        assert_eq!(sug(&lit("20%"), &q(0.17, "x")), "17%");
    }

    fn with(text: &str, data: &Quantity, tol: Tolerance) -> bool {
        check(&lit(text), data, tol) == Agreement::Agrees
    }

    #[test]
    fn rounding_may_move_the_value_by_at_most_max_rounding() {
        // The cases: each equals the value rounded to the literal's decimals.
        assert!(!ok("0 TB", &q(128.0, "GB")));
        assert!(!ok("0 TB/s", &q(273.0, "GB/s")));
        assert!(!ok("$0M", &q(3999.0, "USD")));
        assert!(!ok("0.3 TB/s", &q(273.0, "GB/s")));
        // Still agree: the rounding moves the value little.
        assert!(ok("$4k", &q(3999.0, "USD")));
        assert!(ok("0.27 TB/s", &q(273.0, "GB/s")));
        assert!(ok("0.3 TB/s", &q(300.0, "GB/s")));
        // A looser bound lets a coarser literal agree.
        let loose = Tolerance {
            max_rounding: 0.1,
            ..Tolerance::default()
        };
        assert!(with("0.3 TB/s", &q(273.0, "GB/s"), loose));
        let exact = Tolerance {
            max_rounding: 0.0,
            ..Tolerance::default()
        };
        assert!(with("273 GB/s", &q(273.0, "GB/s"), exact));
        assert!(!with("0.27 TB/s", &q(273.0, "GB/s"), exact));
    }

    #[test]
    fn the_bound_holds_at_exactly_five_percent() {
        // 1 is 5 % above 1/1.05, 9 is 5 % below 9/0.95: both agree, a hair more does not.
        assert!(ok("1", &Quantity::bare(1.0 / 1.05)));
        assert!(ok("9", &Quantity::bare(9.0 / 0.95)));
        assert!(!ok("1", &Quantity::bare(1.0 / 1.0501)));
        assert!(!ok("9", &Quantity::bare(9.0 / 0.9499)));
        assert!(ok("1 TB/s", &q(1000.0 / 1.05, "GB/s")));
        assert!(!ok("1 TB/s", &q(1000.0 / 1.0501, "GB/s")));
    }

    #[test]
    fn zero_agrees_only_with_zero() {
        assert!(ok("0", &Quantity::bare(0.0)));
        assert!(ok("0.0 GB/s", &q(0.0, "GB/s")));
        assert!(ok("$0", &q(0.0, "USD")));
        assert!(!ok("0", &Quantity::bare(0.4)));
        assert!(!ok("0", &Quantity::bare(1e-320)));
        assert!(!ok("0%", &q(0.004, "x")));
        assert!(!ok("0x", &q(0.04, "x")));
        assert!(!ok("~0 GB/s", &q(0.001, "GB/s")));
    }

    #[test]
    fn negative_values_follow_the_same_rule() {
        assert!(ok("-5%", &q(-0.048, "x")));
        assert!(!ok("-0.3", &Quantity::bare(-0.273)));
        assert!(ok("-0.27", &Quantity::bare(-0.273)));
        assert!(ok("-$4k", &q(-3999.0, "USD")));
        assert!(!ok("-$0k", &q(-399.0, "USD")));
    }

    #[test]
    fn both_ends_of_a_range_obey_the_bound() {
        assert!(ok("€4.8–5.2k", &range(4800.0, 5200.0, "EUR")));
        assert!(!ok("€0–5k", &range(100.0, 5000.0, "EUR")));
        assert!(ok("€0–5k", &range(0.0, 5000.0, "EUR")));
        assert!(!ok("0.3-0.5 TB/s", &range(273.0, 500.0, "GB/s")));
        assert!(ok("0.27-0.5 TB/s", &range(273.0, 500.0, "GB/s")));
        assert!(!ok("0.27-1 TB/s", &range(273.0, 540.0, "GB/s")));
    }

    #[test]
    fn ratios_and_percentages_obey_the_bound() {
        assert!(ok("2.7x", &q(2.68, "x")));
        assert!(!ok("3x", &q(2.68, "x")));
        assert!(ok("17%", &q(0.17, "x")));
        assert!(ok("20%", &q(0.195, "x")));
        assert!(!ok("2%", &q(0.015, "x")));
        assert!(ok("1.5%", &q(0.015, "x")));
        assert!(!ok("0.2x", &q(17.0, "%")));
        assert!(ok("0.17x", &q(17.0, "%")));
    }

    #[test]
    fn approximate_literals_agree_within_their_tolerance() {
        assert!(ok("~280 GB/s", &q(273.0, "GB/s")));
        assert!(!ok("~290 GB/s", &q(273.0, "GB/s")));
        let wide = Tolerance {
            approx: 0.1,
            ..Tolerance::default()
        };
        assert!(with("~0.3 TB/s", &q(273.0, "GB/s"), wide));
        assert!(!with("0.3 TB/s", &q(273.0, "GB/s"), wide));
    }

    #[test]
    fn suggestions_agree_and_keep_the_unit_or_fix_it() {
        let cases = [
            ("0.3 TB/s", q(273.0, "GB/s"), "0.27 TB/s"),
            ("0 TB/s", q(273.0, "GB/s"), "0.27 TB/s"),
            ("0 TB", q(128.0, "GB"), "0.13 TB"),
            ("$0M", q(3999.0, "USD"), "$0.004M"),
            ("240 kW", q(240.0, "W"), "240 W"),
            ("17.9 kW", q(17.9, "W"), "17.9 W"),
            ("240kW", q(240.0, "W"), "240 W"),
            ("17x", q(0.17, "x"), "17%"),
            ("275 GB/s", q(273.0, "GB/s"), "273 GB/s"),
            ("0%", q(0.004, "x"), "0.4%"),
            ("3x", q(2.68, "x"), "2.7x"),
            (
                "0.3-0.5 TB/s",
                range(273.0, 500.0, "GB/s"),
                "0.27-0.50 TB/s",
            ),
        ];
        for (text, data, want) in cases {
            let got = sug(&lit(text), &data);
            assert_eq!(got, want, "{text}");
            assert!(ok(&got, &data), "{text} → {got} must agree");
        }
    }

    #[test]
    fn formatting_matches_spec() {
        assert_eq!(format_quantity(&q(3999.0, "USD")), "$3,999");
    }

    #[test]
    fn citation_text_must_hold_one_figure() {
        assert_eq!(
            parse_literal("a third", &reg()),
            Err(LiteralError::NoFigure)
        );
        assert_eq!(parse_literal("", &reg()), Err(LiteralError::NoFigure));
        assert_eq!(
            parse_literal("2.7x at 273 GB/s", &reg()),
            Err(LiteralError::Several(vec![
                "2.7x".into(),
                "273 GB/s".into()
            ]))
        );
        assert!(parse_literal("GPT-4 on the H100 at 2x", &reg()).is_ok());
    }

    #[test]
    fn names_and_words_are_not_figures() {
        let text = "x86 H100 M3 4K GPT-4 3rd 4090Ti the 1990s 100s of them v1.2.3 24/7 plan B 3 x 4 3 exceptions in 2026, 1 in 4 buyers";
        assert!(
            find_literals(text, &reg()).is_empty(),
            "{:?}",
            find_literals(text, &reg())
        );
    }

    #[test]
    fn prose_figures_are_found() {
        let text = "It reads at 273 GB/s, costs $3,999 or €4,800-5,200, runs 57.2 t/s, 2.7x faster, 17% more; 120B params.";
        let found: Vec<String> = find_literals(text, &reg())
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(
            found,
            [
                "273 GB/s",
                "$3,999",
                "€4,800-5,200",
                "57.2 t/s",
                "2.7x",
                "17%",
                "120B params"
            ]
        );
        let l = &find_literals("at 273 GB/s", &reg())[0];
        assert_eq!(&"at 273 GB/s"[l.span.clone()], "273 GB/s");
    }

    #[test]
    fn huge_numbers_never_agree_and_never_panic() {
        let digits = "9".repeat(60);
        let l = lit(&format!("{digits} GB"));
        assert_eq!(l.nums().0.mantissa, None);
        assert_eq!(
            check(&l, &q(1.0, "GB"), Tolerance::default()),
            Agreement::Drift
        );
        let _ = sug(&l, &q(1e300, "GB"));
    }

    /// Units the round-trip property draws from.
    const UNITS: [&str; 12] = [
        "GB/s", "USD", "EUR", "€/h", "x", "%", "B", "tok/s", "TFLOPS", "GiB", "h", "",
    ];

    fn quantity_strategy() -> impl Strategy<Value = Quantity> {
        let value = prop_oneof![
            (-1_000_000_000i64..1_000_000_000, 0u32..4)
                .prop_map(|(m, d)| Value::Single(m as f64 / 10f64.powi(d as i32))),
            (0i64..1_000_000, 0i64..1_000_000, 0u32..3).prop_map(|(a, w, d)| {
                let k = 10f64.powi(d as i32);
                Value::Range(a as f64 / k, (a + w) as f64 / k)
            }),
        ];
        (value, 0..UNITS.len()).prop_map(|(value, i)| {
            let unit = if UNITS[i].is_empty() {
                Unit::bare()
            } else {
                UnitRegistry::new().get(UNITS[i]).expect("unit")
            };
            Quantity::new(value, unit)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn parse_literal_never_panics(s in any::<String>()) {
            let _ = parse_literal(&s, &reg());
        }

        #[test]
        fn figure_like_text_never_panics(s in "[0-9$€£~≈,. kKMBx×%GTiB/stoh:–—−_a-zA-Z€é日\\-]{0,40}") {
            let r = reg();
            if let Ok(l) = parse_literal(&s, &r) {
                prop_assert_eq!(&s[l.span.clone()], l.text.as_str());
                let _ = sug(&l, &q(273.0, "GB/s"));
                let _ = check(&l, &range(1.0, 2.0, "EUR"), Tolerance::default());
            }
            for l in find_literals(&s, &r) {
                prop_assert!(l.unit.is_some());
            }
        }

        #[test]
        fn find_literals_never_panics(s in any::<String>()) {
            for l in find_literals(&s, &reg()) {
                prop_assert!(s.get(l.span.clone()).is_some());
            }
        }

        #[test]
        fn enough_decimals_agree_and_past_the_bound_never(
            m in 1i64..1_000_000_000,
            exp in -8i32..4,
            negative in any::<bool>(),
            unit in 0..5usize,
            nudge in 0.0501f64..3.0,
            above in any::<bool>(),
            extra in 0usize..4,
        ) {
            let (suffix, name) = [(" GB/s", "GB/s"), ("x", "x"), ("%", "%"), (" tok/s", "tok/s"), ("", "")][unit];
            let sign = if negative { -1.0 } else { 1.0 };
            let v = sign * m as f64 * 10f64.powi(exp);
            let data = if name.is_empty() { Quantity::bare(v) } else { q(v, name) };
            // In the literal's unit (`%` shows a ratio's value times 100 when the data is `%`).
            // Enough decimals: half a unit of the last digit is at most 5 % of |v|.
            let enough = (10.0 / v.abs()).log10().ceil().max(0.0) as usize + extra;
            let text = format!("{}{suffix}", format_number_with(v, enough, false));
            let l = lit(&text);
            prop_assert_eq!(check(&l, &data, Tolerance::default()), Agreement::Agrees, "{}", text);
            // Nudged past the bound, written with as many decimals: never agrees.
            let w = if above { v * (1.0 + nudge) } else { v * (1.0 - nudge.min(0.9499)) };
            let d = enough + 3;
            let text = format!("{}{suffix}", format_number_with(w, d, false));
            let l = lit(&text);
            let written = l.nums().0.full_value();
            prop_assume!((written - v).abs() > 0.05 * v.abs() * (1.0 + 1e-6));
            prop_assert_ne!(check(&l, &data, Tolerance::default()), Agreement::Agrees, "{} for {}", text, v);
        }

        #[test]
        fn formatted_quantities_parse_back_and_agree(data in quantity_strategy()) {
            let text = format_quantity(&data);
            let l = parse_literal(&text, &reg()).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert_eq!(check(&l, &data, Tolerance::default()), Agreement::Agrees, "{}", text);
            prop_assert_eq!(sug(&l, &data), text);
        }
    }
}
