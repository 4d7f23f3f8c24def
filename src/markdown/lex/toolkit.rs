//! What every lexer here shares: the kinds of token a theme colours, and a
//! cursor over the code that hands each token to the highlighter in order.
//! Standard library only.
//!
//! A lexer moves the cursor over the code and calls `push(kind, from)` for
//! each token it recognises (the text from `from` to the cursor). The text
//! between tokens is emitted as `Kind::Plain` by the cursor itself, so a
//! lexer names only what it colours, and every byte of the code is emitted
//! exactly once, in order, whatever the input: `each` advances by at least
//! one character per step, and positions only move forward on character
//! boundaries.

/// The kinds of token, each with the capture name `highlight.rs` gives a
/// theme scope (the names tree-sitter's highlight queries use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Text no theme colours: identifiers, spaces.
    Plain,
    Comment,
    /// `fn`, `if`, `return`, `SELECT`; at-rules in CSS.
    Keyword,
    /// `+`, `=>`, `&&`; word operators (`and`, `in`) may be `Keyword`.
    Operator,
    /// Brackets, commas, semicolons.
    Punctuation,
    String,
    /// `\n` inside a string.
    Escape,
    /// A regular expression literal; a special string (a symbol, a
    /// here-document marker).
    Regex,
    Number,
    /// A name that is a constant by convention (`MAX_LEN`, an enum case).
    Constant,
    /// `true`, `false`, `null`, `None`, `nil`.
    ConstantBuiltin,
    /// A function's name where it is defined or called.
    Function,
    /// `print`, `len`: functions of the language itself.
    FunctionBuiltin,
    /// `println!`, `#define`d names, decorators.
    Macro,
    /// A type's name (`String`, `MyStruct`).
    Type,
    /// `int`, `u32`, `bool`: types of the language itself.
    TypeBuiltin,
    /// A field or property (`x.len`, `obj.name`); a CSS property.
    Property,
    /// An HTML tag name, a CSS element selector.
    Tag,
    /// An HTML attribute name, a CSS class or id selector, a Rust attribute.
    Attribute,
    /// A variable where the language marks it (`$HOME` in shell).
    Variable,
    /// `self`, `this`, `super`.
    VariableBuiltin,
    /// A loop label, a goto label.
    Label,
    /// A module or namespace name (`std` in `std::io`, an import).
    Module,
    /// A key in JSON or YAML.
    Key,
    /// The `${` and `}` around an interpolation inside a string.
    Interpolation,
}

impl Kind {
    /// The capture name `highlight.rs` maps to a theme scope; `""` for none.
    pub fn capture(self) -> &'static str {
        match self {
            Kind::Plain => "",
            Kind::Comment => "comment",
            Kind::Keyword => "keyword",
            Kind::Operator => "operator",
            Kind::Punctuation => "punctuation",
            Kind::String => "string",
            Kind::Escape => "escape",
            Kind::Regex => "string.special",
            Kind::Number => "number",
            Kind::Constant => "constant",
            Kind::ConstantBuiltin => "constant.builtin",
            Kind::Function => "function",
            Kind::FunctionBuiltin => "function.builtin",
            Kind::Macro => "function.macro",
            Kind::Type => "type",
            Kind::TypeBuiltin => "type.builtin",
            Kind::Property => "property",
            Kind::Tag => "tag",
            Kind::Attribute => "attribute",
            Kind::Variable => "variable",
            Kind::VariableBuiltin => "variable.builtin",
            Kind::Label => "label",
            Kind::Module => "module",
            Kind::Key => "string.special.key",
            Kind::Interpolation => "punctuation.special",
        }
    }
}

/// A cursor over `src` that emits tokens through `emit`.
pub struct Lexer<'a, 'e> {
    src: &'a str,
    /// Where the cursor is (a byte offset on a character boundary).
    pos: usize,
    /// How far the text has been handed on (pending included).
    done: usize,
    /// The token not yet emitted, merged with the next one of its kind.
    pending: Option<(Kind, usize)>,
    emit: &'e mut dyn FnMut(Kind, &str),
}

impl<'a, 'e> Lexer<'a, 'e> {
    pub fn new(src: &'a str, emit: &'e mut dyn FnMut(Kind, &str)) -> Self {
        Lexer {
            src,
            pos: 0,
            done: 0,
            pending: None,
            emit,
        }
    }

    /// The whole code (offsets are into it).
    pub fn src(&self) -> &'a str {
        self.src
    }

    /// Where the cursor is.
    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    /// The code from the cursor on.
    pub fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    /// The byte at the cursor, 0 at the end.
    pub fn peek(&self) -> u8 {
        self.peek_at(0)
    }

    /// The byte `n` bytes after the cursor, 0 past the end.
    pub fn peek_at(&self, n: usize) -> u8 {
        self.src.as_bytes().get(self.pos + n).copied().unwrap_or(0)
    }

    /// The character at the cursor.
    pub fn peek_char(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// The byte before the cursor, 0 at the start.
    pub fn prev(&self) -> u8 {
        if self.pos == 0 {
            0
        } else {
            self.src.as_bytes()[self.pos - 1]
        }
    }

    /// The first byte after the cursor that is not a space or tab (0 at the
    /// end); newlines count as bytes.
    pub fn peek_past_spaces(&self) -> u8 {
        self.rest()
            .bytes()
            .find(|b| *b != b' ' && *b != b'\t')
            .unwrap_or(0)
    }

    /// The first byte after the cursor that is not whitespace (0 at the end).
    pub fn peek_past_whitespace(&self) -> u8 {
        self.rest()
            .bytes()
            .find(|b| !b.is_ascii_whitespace())
            .unwrap_or(0)
    }

    pub fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    /// `starts_with`, ASCII case ignored.
    pub fn starts_with_ignore_case(&self, s: &str) -> bool {
        let rest = self.rest().as_bytes();
        rest.len() >= s.len() && rest[..s.len()].eq_ignore_ascii_case(s.as_bytes())
    }

    /// Moves past one character (nothing at the end).
    pub fn bump(&mut self) {
        if let Some(c) = self.peek_char() {
            self.pos += c.len_utf8();
        }
    }

    /// Moves past the next `n` bytes (to the end at most); nothing when
    /// that would end inside a character.
    pub fn advance(&mut self, n: usize) {
        let end = (self.pos + n).min(self.src.len());
        if self.src.is_char_boundary(end) {
            self.pos = end;
        }
    }

    /// Moves past `s` when the code at the cursor starts with it.
    pub fn eat(&mut self, s: &str) -> bool {
        let found = self.starts_with(s);
        if found {
            self.pos += s.len();
        }
        found
    }

    /// Moves past `s` in any ASCII case when the code starts with it.
    pub fn eat_ignore_case(&mut self, s: &str) -> bool {
        let found = self.starts_with_ignore_case(s);
        if found {
            self.pos += s.len();
        }
        found
    }

    /// Moves past one byte when it is `b` (an ASCII byte).
    pub fn eat_byte(&mut self, b: u8) -> bool {
        debug_assert!(b.is_ascii());
        let found = self.peek() == b && !self.at_end();
        if found {
            self.pos += 1;
        }
        found
    }

    /// Moves past the characters for which `pred` holds; the text passed.
    pub fn eat_while(&mut self, mut pred: impl FnMut(char) -> bool) -> &'a str {
        let start = self.pos;
        let rest = self.rest();
        let len = rest.find(|c: char| !pred(c)).unwrap_or(rest.len());
        self.pos += len;
        &self.src[start..self.pos]
    }

    /// Moves to the next occurrence of `s` (or the end), not past it;
    /// whether it was found.
    pub fn eat_until(&mut self, s: &str) -> bool {
        match self.rest().find(s) {
            Some(at) => {
                self.pos += at;
                true
            }
            None => {
                self.pos = self.src.len();
                false
            }
        }
    }

    /// Moves past the next occurrence of `s` (or to the end); whether it
    /// was found.
    pub fn eat_through(&mut self, s: &str) -> bool {
        let found = self.eat_until(s);
        if found {
            self.pos += s.len();
        }
        found
    }

    /// Moves to the end of the line, before its `\n` (or `\r\n`).
    pub fn eat_line(&mut self) {
        let rest = self.rest();
        let mut len = rest.find('\n').unwrap_or(rest.len());
        if len > 0 && rest.as_bytes()[len - 1] == b'\r' {
            len -= 1;
        }
        self.pos += len;
    }

    /// Moves past an identifier: ASCII letters, digits, `_`, the bytes in
    /// `extra`, and any non-ASCII letter or digit; the text passed.
    pub fn eat_ident(&mut self, extra: &[u8]) -> &'a str {
        self.eat_while(|c| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric() || c == '_' || extra.contains(&(c as u8))
            } else {
                c.is_alphanumeric()
            }
        })
    }

    /// Moves past a number in the C family's forms: `0x1F`, `0b101`,
    /// `0o17`, `1_000`, `3.14`, `1e-9`, `.5`, and a suffix of letters and
    /// digits (`u32`, `f`, `n`, `L`); the text passed (empty when the
    /// cursor is not on a digit, or on `.` followed by one).
    pub fn eat_number(&mut self) -> &'a str {
        let start = self.pos;
        let b = self.peek();
        if !(b.is_ascii_digit() || (b == b'.' && self.peek_at(1).is_ascii_digit())) {
            return "";
        }
        if b == b'0' && matches!(self.peek_at(1), b'x' | b'X' | b'b' | b'B' | b'o' | b'O') {
            self.pos += 2;
            self.eat_while(|c| c.is_ascii_hexdigit() || c == '_');
        } else {
            self.eat_while(|c| c.is_ascii_digit() || c == '_');
            if self.peek() == b'.' && self.peek_at(1).is_ascii_digit() {
                self.pos += 1;
                self.eat_while(|c| c.is_ascii_digit() || c == '_');
            } else if self.peek() == b'.'
                && !matches!(self.peek_at(1), b'.')
                && !self.peek_at(1).is_ascii_alphabetic()
                && self.pos > start
            {
                // `1.` is a float; `1..2` is a range and `1.max(2)` a call.
                self.pos += 1;
            }
            if matches!(self.peek(), b'e' | b'E')
                && (self.peek_at(1).is_ascii_digit()
                    || (matches!(self.peek_at(1), b'+' | b'-') && self.peek_at(2).is_ascii_digit()))
            {
                self.pos += 2;
                self.eat_while(|c| c.is_ascii_digit() || c == '_');
            }
        }
        self.eat_while(|c| c.is_ascii_alphanumeric() || c == '_');
        &self.src[start..self.pos]
    }

    /// Moves past a string opened at the cursor by `quote` and closed by
    /// the same text, emitting it as `Kind::String` and each backslash
    /// escape in it as `Kind::Escape` when `escapes` is set. Stops at the
    /// end of the line when `multiline` is not set (an unterminated string
    /// ends there). Does nothing when the cursor is not on `quote`.
    pub fn string(&mut self, quote: &str, escapes: bool, multiline: bool) {
        let start = self.pos;
        if !self.eat(quote) {
            return;
        }
        let mut from = start;
        loop {
            if self.at_end() {
                break;
            }
            if self.starts_with(quote) {
                self.pos += quote.len();
                break;
            }
            let b = self.peek();
            if b == b'\n' && !multiline {
                break;
            }
            if escapes && b == b'\\' {
                self.push(Kind::String, from);
                let at = self.pos;
                self.pos += 1;
                self.bump();
                self.push(Kind::Escape, at);
                from = self.pos;
                continue;
            }
            self.bump();
        }
        self.push(Kind::String, from);
    }

    /// Emits the text from `from` to the cursor as a token of `kind` (the
    /// text before `from` not yet emitted goes as `Kind::Plain`). A `from`
    /// before what was already emitted is taken as the end of that.
    pub fn push(&mut self, kind: Kind, from: usize) {
        let from = from.clamp(self.done, self.pos);
        if from > self.done {
            self.queue(Kind::Plain, self.done);
            self.done = from;
        }
        if self.pos > from {
            self.queue(kind, from);
            self.done = self.pos;
        }
    }

    /// Queues the text from `from` to `self.done`..the cursor as `kind`,
    /// merging it with the pending token when that is of the same kind.
    fn queue(&mut self, kind: Kind, from: usize) {
        match self.pending {
            Some((k, _)) if k == kind => {}
            Some((k, start)) => {
                (self.emit)(k, &self.src[start..from]);
                self.pending = Some((kind, from));
            }
            None => self.pending = Some((kind, from)),
        }
    }

    /// Emits what is pending up to what has been pushed.
    fn flush(&mut self) {
        if let Some((k, start)) = self.pending.take() {
            if self.done > start {
                (self.emit)(k, &self.src[start..self.done]);
            }
        }
    }

    /// Calls `step` until the end of the code; a step that does not move
    /// the cursor is followed by a move past one character, so a lexer
    /// always ends.
    pub fn each(&mut self, mut step: impl FnMut(&mut Self)) {
        while !self.at_end() {
            let before = self.pos;
            step(self);
            if self.pos == before {
                self.bump();
            }
        }
    }

    /// Lexes the code from the cursor to `end` with another lexer `sub`
    /// (a `<script>` in HTML), then moves the cursor to `end`.
    pub fn embed(&mut self, end: usize, sub: impl FnOnce(&mut Lexer<'a, '_>)) {
        let end = end.clamp(self.pos, self.src.len());
        if !self.src.is_char_boundary(end) {
            return;
        }
        self.push(Kind::Plain, self.pos);
        self.flush();
        let mut inner = Lexer {
            src: &self.src[..end],
            pos: self.pos,
            done: self.pos,
            pending: None,
            emit: &mut *self.emit,
        };
        sub(&mut inner);
        inner.finish();
        self.pos = end;
        self.done = end;
    }

    /// Emits the rest of the code as `Kind::Plain`, and what is pending.
    pub fn finish(mut self) {
        self.pos = self.src.len();
        self.push(Kind::Plain, self.done);
        self.flush();
    }
}

/// Runs `lex` over `code`; the tokens, merged where adjacent ones are of the
/// same kind (for the lexers' tests).
#[cfg(test)]
pub fn tokens(code: &str, lex: impl FnOnce(&mut Lexer)) -> Vec<(Kind, String)> {
    let mut out: Vec<(Kind, String)> = Vec::new();
    let mut emit = |k: Kind, t: &str| out.push((k, t.to_string()));
    let mut l = Lexer::new(code, &mut emit);
    lex(&mut l);
    l.finish();
    let joined: String = out.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(joined, code, "every byte once, in order");
    out
}

/// The kind of the token whose text is `text` in `tokens` (the first).
#[cfg(test)]
pub fn kind_of(tokens: &[(Kind, String)], text: &str) -> Option<Kind> {
    tokens.iter().find(|(_, t)| t == text).map(|(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_between_tokens_is_plain_and_same_kinds_merge() {
        let toks = tokens("ab cd \"e\\n\"", |l| {
            l.each(|l| match l.peek() {
                b'"' => l.string("\"", true, false),
                b'a'..=b'z' => {
                    let at = l.pos();
                    l.eat_ident(&[]);
                    l.push(Kind::Keyword, at);
                }
                _ => {}
            })
        });
        assert_eq!(
            toks,
            vec![
                (Kind::Keyword, "ab".into()),
                (Kind::Plain, " ".into()),
                (Kind::Keyword, "cd".into()),
                (Kind::Plain, " ".into()),
                (Kind::String, "\"e".into()),
                (Kind::Escape, "\\n".into()),
                (Kind::String, "\"".into()),
            ]
        );
    }

    #[test]
    fn numbers_in_their_forms() {
        for (code, number) in [
            ("0x1F;", "0x1F"),
            ("1_000u32 ", "1_000u32"),
            ("3.14)", "3.14"),
            ("1e-9,", "1e-9"),
            (".5]", ".5"),
            ("1..2", "1"),
            ("1.max(2)", "1"),
            ("2.", "2."),
        ] {
            let mut got = String::new();
            let mut emit = |_: Kind, _: &str| {};
            let mut l = Lexer::new(code, &mut emit);
            got.push_str(l.eat_number());
            assert_eq!(got, number, "{code}");
        }
    }

    #[test]
    fn an_embedded_lexer_emits_in_place_and_odd_input_is_kept() {
        let code = "<x>é🚀\"\\";
        let toks = tokens(code, |l| {
            l.eat("<x>");
            l.push(Kind::Tag, 0);
            let end = l.src().len() - 2;
            l.embed(end, |inner| {
                inner.each(|inner| {
                    let at = inner.pos();
                    inner.bump();
                    inner.push(Kind::String, at);
                })
            });
            l.each(|l| l.string("\"", true, false));
        });
        assert_eq!(toks[0], (Kind::Tag, "<x>".into()));
        assert_eq!(toks[1], (Kind::String, "é🚀".into()));
    }
}
