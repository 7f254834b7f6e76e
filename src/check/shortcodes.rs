//! Shortcode calls, Zola's convention: `{{ name(arg="value", n=3) }}` alone on a line.
//! This module only parses a call; what each shortcode means is checked in `check`.

/// A value given to a shortcode argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `"text"`.
    Str(String),
    /// `3` or `2.5`.
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
}

/// A parsed call: its name and arguments in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The shortcode's name.
    pub name: String,
    /// Arguments as written.
    pub args: Vec<(String, Arg)>,
}

impl Call {
    /// The string argument `key`, if given as a string.
    pub fn str_arg(&self, key: &str) -> Option<&str> {
        self.args.iter().find_map(|(k, v)| match v {
            Arg::Str(s) if k == key => Some(s.as_str()),
            _ => None,
        })
    }
}

/// Parses `{{ name(args) }}`; the error says what is wrong and at which char offset.
pub fn parse(text: &str) -> Result<Call, (usize, String)> {
    let t = text.trim();
    let inner = t
        .strip_prefix("{{")
        .and_then(|s| s.strip_suffix("}}"))
        .ok_or((
            0,
            "a shortcode is written `{{ name(arg=\"value\") }}`".to_string(),
        ))?;
    let base = text.find("{{").map_or(0, |i| i + 2);
    let mut p = Cursor {
        s: inner,
        pos: 0,
        base,
    };
    p.ws();
    let name = p
        .ident()
        .ok_or_else(|| p.err("expected the shortcode's name"))?;
    p.ws();
    if !p.eat('(') {
        return Err(p.err(&format!("expected `(` after `{name}`: write `{name}()`")));
    }
    let mut args = Vec::new();
    loop {
        p.ws();
        if p.eat(')') {
            break;
        }
        let key = p
            .ident()
            .ok_or_else(|| p.err("expected an argument name or `)`"))?;
        p.ws();
        if !p.eat('=') {
            return Err(p.err(&format!("expected `=` after `{key}`")));
        }
        p.ws();
        let value = p.value()?;
        if args.iter().any(|(k, _)| *k == key) {
            return Err(p.err(&format!("argument `{key}` is given twice")));
        }
        args.push((key, value));
        p.ws();
        if p.eat(',') {
            continue;
        }
        p.ws();
        if p.eat(')') {
            break;
        }
        return Err(p.err("expected `,` or `)`"));
    }
    p.ws();
    if p.pos < p.s.len() {
        return Err(p.err("unexpected text after `)`"));
    }
    Ok(Call { name, args })
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
    base: usize,
}

impl Cursor<'_> {
    fn err(&self, msg: &str) -> (usize, String) {
        (self.base + self.pos, msg.to_string())
    }
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += self.peek().map_or(1, char::len_utf8);
        }
    }
    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.s[start..self.pos].to_string())
    }
    fn value(&mut self) -> Result<Arg, (usize, String)> {
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.pos += 1;
                let mut out = String::new();
                loop {
                    match self.peek() {
                        None => return Err(self.err("unclosed string")),
                        Some(c) if c == q => {
                            self.pos += 1;
                            return Ok(Arg::Str(out));
                        }
                        Some('\\') => {
                            self.pos += 1;
                            if let Some(c) = self.peek() {
                                out.push(c);
                                self.pos += c.len_utf8();
                            }
                        }
                        Some(c) => {
                            out.push(c);
                            self.pos += c.len_utf8();
                        }
                    }
                }
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let start = self.pos;
                self.pos += 1;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
                    self.pos += 1;
                }
                self.s[start..self.pos]
                    .parse()
                    .map(Arg::Num)
                    .map_err(|_| self.err("not a number"))
            }
            _ => match self.ident().as_deref() {
                Some("true") => Ok(Arg::Bool(true)),
                Some("false") => Ok(Arg::Bool(false)),
                _ => Err(self.err("expected a value: \"text\", a number, true or false")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls() {
        let c = parse("{{ flowchart(id=\"buy\", style='tree', n=3, x=true) }}").unwrap();
        assert_eq!(c.name, "flowchart");
        assert_eq!(c.str_arg("id"), Some("buy"));
        assert_eq!(c.str_arg("style"), Some("tree"));
        assert_eq!(c.args[2], ("n".into(), Arg::Num(3.0)));
        assert_eq!(parse("{{ disputes() }}").unwrap().args.len(), 0);
    }

    #[test]
    fn bad_calls_say_where() {
        assert!(parse("{{ table(id=) }}").is_err());
        assert!(parse("{{ table }}").is_err());
        assert!(parse("{{ table(id=\"x\" }}").is_err());
        let (at, msg) = parse("{{ table(id=\"x\") junk }}").unwrap_err();
        assert!(msg.contains("after"), "{msg}");
        assert!(at > 10);
    }
}
