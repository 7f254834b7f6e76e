//! Citation expressions: what follows `cite:` in a link destination (SPEC §5).
//!
//! Grammar, usual precedence, left-associative:
//!
//! ```text
//! expr    := term (('+' | '-') term)*
//! term    := unary (('*' | '/') unary)*
//! unary   := '-' unary | primary
//! primary := NUMBER | KEY | '(' expr ')'
//! KEY     := SEG ('.' SEG)*      SEG := [a-z0-9_-]+
//! NUMBER  := [0-9]+ ('.' [0-9]+)? (('e' | 'E') ('+' | '-')? [0-9]+)?
//! ```
//!
//! `-` is both a key character and minus. The rule: inside a key path, a `-`
//! with a key character (`[a-z0-9_]`) on both sides belongs to the key
//! (`decisions.buy-spark`); anywhere else it is an operator. So write binary
//! minus with spaces around it after a key (`a.x - b.y`); `a.x-b.y` is one
//! key. After a number (`2-1`) or `)` a `-` is always an operator, which also
//! means a key path cannot start with digits followed by `-`.

use crate::figures::units::{Quantity, UnitError};
use std::fmt;
use std::ops::Range;

/// Deepest nesting of parentheses and unary minus: keeps recursion bounded.
const MAX_NESTING: usize = 64;
/// Most binary operators in one expression: keeps the tree shallow enough
/// for recursive evaluation and drop.
const MAX_OPERATORS: usize = 256;

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A parsed citation expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number: a bare, dimensionless count.
    Num(f64),
    /// A dataset key path, with its byte range in the source.
    Key {
        /// The dotted path: `devices.dgx_spark.memory_bandwidth`.
        path: String,
        /// Byte range of the path in the expression source.
        span: Range<usize>,
    },
    /// Unary minus.
    Neg(Box<Expr>),
    /// A binary operation.
    Bin {
        /// The operator.
        op: Op,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
}

/// A syntax error, at a byte offset into the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// Byte offset of the problem in the expression source.
    pub offset: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExprError {}

/// Why an expression could not be evaluated.
#[derive(Clone, Debug, PartialEq)]
pub enum EvalError {
    /// A key path the dataset does not hold.
    UnknownKey {
        /// The key path.
        path: String,
        /// Its byte range in the expression source.
        span: Range<usize>,
    },
    /// Units that do not combine ("cannot add GB to GB/s").
    Unit(String),
    /// Division by zero or by a range containing zero.
    DivByZero,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::UnknownKey { path, .. } => write!(f, "unknown key `{path}`"),
            EvalError::Unit(msg) => f.write_str(msg),
            EvalError::DivByZero => f.write_str("division by zero"),
        }
    }
}

impl std::error::Error for EvalError {}

/// One lexical token.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Key(String),
    Op(Op),
    Open,
    Close,
}

/// A token with its byte range.
#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    span: Range<usize>,
}

/// Key characters other than `-` and `.`.
fn is_key_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
}

/// The character at byte `i`.
fn char_at(src: &str, i: usize) -> Option<char> {
    src.get(i..)?.chars().next()
}

/// The error for something that cannot start a token.
fn unexpected_char(c: char, at: usize) -> ExprError {
    let hint = if c.is_uppercase() {
        " (key paths are lowercase)"
    } else {
        ""
    };
    ExprError {
        offset: at,
        message: format!("unexpected character `{c}`{hint}"),
    }
}

/// Splits the source into tokens.
fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = char_at(src, i) {
        let start = i;
        let tok = match c {
            _ if c.is_whitespace() => {
                i += c.len_utf8();
                continue;
            }
            '+' => Tok::Op(Op::Add),
            '-' => Tok::Op(Op::Sub),
            '*' => Tok::Op(Op::Mul),
            '/' => Tok::Op(Op::Div),
            '(' => Tok::Open,
            ')' => Tok::Close,
            _ if is_key_char(c) => {
                let (tok, end) = lex_word(src, i)?;
                i = end;
                out.push(Token {
                    tok,
                    span: start..end,
                });
                continue;
            }
            _ => return Err(unexpected_char(c, i)),
        };
        i += 1;
        out.push(Token {
            tok,
            span: start..i,
        });
    }
    Ok(out)
}

/// A number, or a key path, starting at `i`.
fn lex_word(src: &str, i: usize) -> Result<(Tok, usize), ExprError> {
    if let Some((v, end)) = lex_number(src, i) {
        // A number ends where no key character follows (`2`, `2-1`, `2)`);
        // otherwise the word is a key path that starts with digits (`4090ti`).
        let next = char_at(src, end);
        if !next.is_some_and(|c| is_key_char(c) || c == '.') {
            if !v.is_finite() {
                return Err(ExprError {
                    offset: i,
                    message: format!(
                        "number `{}` is too large",
                        src.get(i..end).unwrap_or_default()
                    ),
                });
            }
            return Ok((Tok::Num(v), end));
        }
    }
    let end = key_end(src, i);
    // `devices.Spark`, `prix.café`: point at the character, not at a segment.
    if let Some(c) = char_at(src, end).filter(|c| c.is_alphanumeric()) {
        return Err(unexpected_char(c, end));
    }
    let path = src.get(i..end).unwrap_or_default();
    if let Some(bad) = path.split('.').position(str::is_empty) {
        let offset = i + path
            .split('.')
            .take(bad)
            .map(|s| s.len() + 1)
            .sum::<usize>();
        return Err(ExprError {
            offset,
            message: format!("empty segment in key path `{path}`"),
        });
    }
    Ok((Tok::Key(path.to_string()), end))
}

/// The end of a key path: key characters, dots, and hyphens between key characters.
fn key_end(src: &str, i: usize) -> usize {
    let bytes = src.as_bytes();
    let key = |j: usize| bytes.get(j).is_some_and(|&b| is_key_char(b as char));
    let mut j = i;
    while let Some(&b) = bytes.get(j) {
        let joins = b == b'-' && j > i && key(j - 1) && key(j + 1);
        if is_key_char(b as char) || b == b'.' || joins {
            j += 1;
        } else {
            break;
        }
    }
    j
}

/// A number at `i`: digits, optional decimals, optional exponent.
fn lex_number(src: &str, i: usize) -> Option<(f64, usize)> {
    let digits = |from: usize| {
        src.as_bytes()
            .get(from..)
            .map_or(0, |b| b.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    let int = digits(i);
    if int == 0 {
        return None;
    }
    let mut end = i + int;
    if src.as_bytes().get(end) == Some(&b'.') && digits(end + 1) > 0 {
        end += 1 + digits(end + 1);
    }
    if matches!(src.as_bytes().get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(src.as_bytes().get(end + 1), Some(b'+' | b'-')));
        let exp = digits(end + 1 + sign);
        if exp > 0 {
            end += 1 + sign + exp;
        }
    }
    let v: f64 = src.get(i..end)?.parse().ok()?;
    Some((v, end))
}

/// Recursive-descent parser over tokens.
struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
    operators: usize,
}

impl Parser<'_> {
    /// The current token.
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    /// How the current token reads in a message.
    fn found(&self) -> String {
        match self.peek() {
            Some(t) => format!("found `{}`", self.src.get(t.span.clone()).unwrap_or("?")),
            None => "found the end of the expression".to_string(),
        }
    }

    /// Offset of the current token (the end when there is none).
    fn offset(&self) -> usize {
        self.peek().map_or(self.src.len(), |t| t.span.start)
    }

    /// An error at the current token.
    fn error(&self, message: String) -> ExprError {
        ExprError {
            offset: self.offset(),
            message,
        }
    }

    /// The current token if it is one of `ops`, consumed.
    fn eat_op(&mut self, ops: [Op; 2]) -> Result<Option<Op>, ExprError> {
        let Some(Tok::Op(op)) = self.peek().map(|t| &t.tok) else {
            return Ok(None);
        };
        let op = *op;
        if !ops.contains(&op) {
            return Ok(None);
        }
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return Err(self.error(format!(
                "expression too long: more than {MAX_OPERATORS} operators"
            )));
        }
        self.pos += 1;
        Ok(Some(op))
    }

    /// `expr := term (('+' | '-') term)*`
    fn expr(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.term()?;
        while let Some(op) = self.eat_op([Op::Add, Op::Sub])? {
            let rhs = self.term()?;
            lhs = bin(op, lhs, rhs);
        }
        Ok(lhs)
    }

    /// `term := unary (('*' | '/') unary)*`
    fn term(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.eat_op([Op::Mul, Op::Div])? {
            let rhs = self.unary()?;
            lhs = bin(op, lhs, rhs);
        }
        Ok(lhs)
    }

    /// Enters one level of nesting, refusing to recurse without bound.
    fn nest(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error(format!(
                "expression nested too deeply (more than {MAX_NESTING} levels)"
            )));
        }
        Ok(())
    }

    /// `unary := '-' unary | primary`
    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.peek().map(|t| &t.tok) == Some(&Tok::Op(Op::Sub)) {
            self.pos += 1;
            self.nest()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Neg(Box::new(inner)));
        }
        self.primary()
    }

    /// `primary := NUMBER | KEY | '(' expr ')'`
    fn primary(&mut self) -> Result<Expr, ExprError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error(format!("expected a key path or number, {}", self.found())));
        };
        match token.tok {
            Tok::Num(v) => {
                self.pos += 1;
                Ok(Expr::Num(v))
            }
            Tok::Key(path) => {
                self.pos += 1;
                Ok(Expr::Key {
                    path,
                    span: token.span,
                })
            }
            Tok::Open => self.parenthesized(token.span.start),
            Tok::Close | Tok::Op(_) => {
                Err(self.error(format!("expected a key path or number, {}", self.found())))
            }
        }
    }

    /// `'(' expr ')'`, the `(` being at `open`.
    fn parenthesized(&mut self, open: usize) -> Result<Expr, ExprError> {
        self.pos += 1;
        self.nest()?;
        let inner = self.expr()?;
        self.depth -= 1;
        match self.peek().map(|t| &t.tok) {
            Some(Tok::Close) => {
                self.pos += 1;
                Ok(inner)
            }
            None => Err(ExprError {
                offset: open,
                message: "unclosed parenthesis".to_string(),
            }),
            Some(_) => Err(self.error(format!("expected an operator or `)`, {}", self.found()))),
        }
    }
}

/// A binary node.
fn bin(op: Op, lhs: Expr, rhs: Expr) -> Expr {
    Expr::Bin {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
    }
}

/// Parses a citation expression (the text after `cite:`).
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let toks = lex(src)?;
    if toks.is_empty() {
        return Err(ExprError {
            offset: 0,
            message: "empty expression: expected a key path".to_string(),
        });
    }
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
        operators: 0,
    };
    let expr = p.expr()?;
    match p.peek().map(|t| &t.tok) {
        None => Ok(expr),
        Some(Tok::Close) => Err(p.error("unexpected `)`".to_string())),
        Some(_) => Err(p.error(format!("expected an operator, {}", p.found()))),
    }
}

/// The key paths of an expression with their byte ranges, left to right.
pub fn keys(expr: &Expr) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    collect_keys(expr, &mut out);
    out
}

/// Appends the keys of `expr` to `out`.
fn collect_keys(expr: &Expr, out: &mut Vec<(String, Range<usize>)>) {
    match expr {
        Expr::Num(_) => {}
        Expr::Key { path, span } => out.push((path.clone(), span.clone())),
        Expr::Neg(inner) => collect_keys(inner, out),
        Expr::Bin { lhs, rhs, .. } => {
            collect_keys(lhs, out);
            collect_keys(rhs, out);
        }
    }
}

/// Evaluates an expression; `lookup` gives the quantity of a key path.
/// Numbers are bare counts. Stops at the first error, left to right.
pub fn eval(
    expr: &Expr,
    lookup: &mut dyn FnMut(&str) -> Option<Quantity>,
) -> Result<Quantity, EvalError> {
    match expr {
        Expr::Num(v) => Ok(Quantity::bare(*v)),
        Expr::Key { path, span } => lookup(path).ok_or_else(|| EvalError::UnknownKey {
            path: path.clone(),
            span: span.clone(),
        }),
        Expr::Neg(inner) => Ok(eval(inner, lookup)?.negated()),
        Expr::Bin { op, lhs, rhs } => {
            let l = eval(lhs, lookup)?;
            let r = eval(rhs, lookup)?;
            let result = match op {
                Op::Add => l.add(&r),
                Op::Sub => l.sub(&r),
                Op::Mul => l.mul(&r),
                Op::Div => l.div(&r),
            };
            result.map_err(|e| match e {
                UnitError::Mismatch(msg) => EvalError::Unit(msg),
                UnitError::DivByZero => EvalError::DivByZero,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::units::{format_quantity, Unit, UnitRegistry, Value};
    use proptest::prelude::*;

    fn key(path: &str, span: Range<usize>) -> Expr {
        Expr::Key {
            path: path.to_string(),
            span,
        }
    }

    fn err(src: &str) -> ExprError {
        parse(src).expect_err(src)
    }

    /// A small dataset for evaluation tests.
    fn lookup(path: &str) -> Option<Quantity> {
        let reg = UnitRegistry::new();
        let (v, unit) = match path {
            "devices.dgx_spark.memory_bandwidth" => (Value::Single(273.0), "GB/s"),
            "devices.mac.memory_bandwidth" => (Value::Single(819.0), "GB/s"),
            "devices.dgx_spark.memory" => (Value::Single(128.0), "GB"),
            "bench.spark.eval_tps" => (Value::Single(52.77), "tok/s"),
            "bench.desktop.eval_tps" => (Value::Single(19.70), "t/s"),
            "prices.spark" => (Value::Range(4800.0, 5200.0), "EUR"),
            "prices.cloud" => (Value::Single(0.4), "€/h"),
            "prices.launch" => (Value::Single(3999.0), "USD"),
            "zero" => (Value::Single(0.0), "h"),
            _ => return None,
        };
        Some(Quantity::new(v, reg.get(unit)?))
    }

    fn run(src: &str) -> Result<Quantity, EvalError> {
        let e = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        eval(&e, &mut lookup)
    }

    fn shown(src: &str) -> String {
        format_quantity(&run(src).unwrap_or_else(|e| panic!("{src}: {e}")))
    }

    #[test]
    fn keys_with_hyphens_and_minus() {
        assert_eq!(
            parse("decisions.buy-spark").unwrap(),
            key("decisions.buy-spark", 0..19)
        );
        assert_eq!(
            parse("a - b").unwrap(),
            bin(Op::Sub, key("a", 0..1), key("b", 4..5))
        );
        assert_eq!(
            parse("a -b").unwrap(),
            bin(Op::Sub, key("a", 0..1), key("b", 3..4))
        );
        assert_eq!(
            parse("2-1").unwrap(),
            bin(Op::Sub, Expr::Num(2.0), Expr::Num(1.0))
        );
        assert_eq!(
            parse("(a)-b").unwrap(),
            bin(Op::Sub, key("a", 1..2), key("b", 4..5))
        );
        assert_eq!(parse("rtx_4090-ti").unwrap(), key("rtx_4090-ti", 0..11));
        assert_eq!(parse("4090ti.x").unwrap(), key("4090ti.x", 0..8));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse("0.5").unwrap(), Expr::Num(0.5));
        assert_eq!(parse("1e3").unwrap(), Expr::Num(1000.0));
        assert_eq!(parse("1e-3").unwrap(), Expr::Num(0.001));
        assert_eq!(parse("-2").unwrap(), Expr::Neg(Box::new(Expr::Num(2.0))));
        assert!(err("1e999").message.contains("too large"));
    }

    #[test]
    fn precedence_and_associativity() {
        let e = parse("a + b * c").unwrap();
        assert_eq!(
            e,
            bin(
                Op::Add,
                key("a", 0..1),
                bin(Op::Mul, key("b", 4..5), key("c", 8..9))
            )
        );
        let e = parse("a / b / c").unwrap();
        assert_eq!(
            e,
            bin(
                Op::Div,
                bin(Op::Div, key("a", 0..1), key("b", 4..5)),
                key("c", 8..9)
            )
        );
        let e = parse("(a + b) * c").unwrap();
        assert!(matches!(e, Expr::Bin { op: Op::Mul, .. }));
        let q = run("10 - 4 - 3").unwrap();
        assert_eq!(q.value, Value::Single(3.0));
        let q = run("2 * -3 + 1").unwrap();
        assert_eq!(q.value, Value::Single(-5.0));
    }

    #[test]
    fn syntax_errors() {
        let e = err("");
        assert_eq!(e.offset, 0);
        assert!(e.message.contains("empty expression"));
        assert!(err("   ").message.contains("empty"));
        let e = err("(a + b");
        assert_eq!((e.offset, e.message.as_str()), (0, "unclosed parenthesis"));
        let e = err("a + b)");
        assert_eq!((e.offset, e.message.as_str()), (5, "unexpected `)`"));
        let e = err("a + ");
        assert_eq!(e.offset, 4);
        assert!(
            e.message.starts_with("expected a key path or number"),
            "{}",
            e.message
        );
        let e = err("a * / b");
        assert_eq!(e.message, "expected a key path or number, found `/`");
        assert_eq!(err("a b").message, "expected an operator, found `b`");
        assert_eq!(
            err("()").message,
            "expected a key path or number, found `)`"
        );
        let e = err("devices.Spark");
        assert_eq!(e.offset, 8);
        assert!(e.message.contains("lowercase"));
        let e = err("a..b");
        assert_eq!(e.offset, 2);
        assert!(e.message.contains("empty segment"));
        assert!(err("a.").message.contains("empty segment"));
        assert!(err(".5").message.contains("unexpected character `.`"));
        assert!(err("a % b").message.contains("unexpected character `%`"));
    }

    #[test]
    fn limits_keep_recursion_bounded() {
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(err(&deep).message.contains("nested too deeply"));
        assert!(err(&format!("{}a", "-".repeat(100)))
            .message
            .contains("nested too deeply"));
        let long = vec!["a"; 300].join(" + ");
        assert!(err(&long).message.contains("too long"));
        let fine = vec!["a"; 200].join(" + ");
        assert_eq!(keys(&parse(&fine).unwrap()).len(), 200);
    }

    #[test]
    fn keys_are_listed_in_order() {
        let e = parse("<x>".trim_matches(['<', '>'])).unwrap();
        assert_eq!(keys(&e), vec![("x".to_string(), 0..1)]);
        let e = parse("a.b / (c.d - 2) * a.b").unwrap();
        let names: Vec<String> = keys(&e).into_iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["a.b", "c.d", "a.b"]);
        assert_eq!(keys(&e)[1].1, 7..10);
    }

    #[test]
    fn spec_expressions_evaluate() {
        assert_eq!(
            shown("devices.dgx_spark.memory_bandwidth / devices.mac.memory_bandwidth"),
            "0.33x"
        );
        assert_eq!(
            shown("bench.spark.eval_tps / bench.desktop.eval_tps"),
            "2.7x"
        );
        assert_eq!(shown("devices.dgx_spark.memory_bandwidth"), "273 GB/s");
        assert_eq!(shown("prices.launch"), "$3,999");
        assert_eq!(shown("prices.spark"), "€4,800–5,200");
        assert_eq!(shown("prices.spark / 12000"), "€0.40–0.43");
        let hours = run("prices.launch / prices.launch * 3").unwrap();
        assert_eq!(hours.unit, Unit::ratio());
    }

    #[test]
    fn money_divided_by_hourly_money_is_hours() {
        let q = run("prices.spark / prices.cloud").unwrap();
        assert_eq!(q.unit.name, "h");
        assert_eq!(format_quantity(&q), "12,000–13,000 h");
    }

    #[test]
    fn evaluation_errors() {
        let e = run("devices.dgx_spark.memory_bandwidth + devices.dgx_spark.memory").unwrap_err();
        assert_eq!(e, EvalError::Unit("cannot add GB to GB/s".into()));
        let e = run("prices.launch - prices.spark").unwrap_err();
        assert_eq!(e, EvalError::Unit("cannot subtract EUR from USD".into()));
        let e = run("2 * nope.x + nope.y").unwrap_err();
        assert_eq!(
            e,
            EvalError::UnknownKey {
                path: "nope.x".into(),
                span: 4..10
            }
        );
        assert_eq!(
            run("prices.launch / zero").unwrap_err(),
            EvalError::DivByZero
        );
        assert_eq!(run("1 / (2 - 2)").unwrap_err(), EvalError::DivByZero);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = parse(&s);
        }

        #[test]
        fn expression_like_text_never_panics(s in "[a-z0-9_. ()+*/eE-]{0,60}") {
            match parse(&s) {
                Ok(e) => {
                    for (path, span) in keys(&e) {
                        prop_assert_eq!(s.get(span), Some(path.as_str()));
                    }
                    let _ = eval(&e, &mut |_| Some(Quantity::bare(1.0)));
                    let _ = eval(&e, &mut lookup);
                }
                Err(e) => prop_assert!(e.offset <= s.len()),
            }
        }
    }
}
