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
        self.pos += line_len(self.rest().as_bytes());
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

    /// `eat_number`, then the signed exponent of a hexadecimal float
    /// (`0x1p-3`), where `eat_number` stops at the sign: the sign, and the
    /// letters and digits after it (and `_` with `separators`).
    pub fn eat_number_hex_float(&mut self, separators: bool) -> &'a str {
        let start = self.pos;
        let n = self.eat_number();
        let hex = n.len() > 2 && n.as_bytes()[1].eq_ignore_ascii_case(&b'x');
        if hex
            && n.ends_with(['p', 'P'])
            && matches!(self.peek(), b'+' | b'-')
            && self.peek_at(1).is_ascii_digit()
        {
            self.pos += 1;
            self.eat_while(|c| c.is_ascii_alphanumeric() || (separators && c == '_'));
        }
        &self.src[start..self.pos]
    }

    /// Whether an identifier starts at the cursor: an ASCII letter, `_`, or
    /// a letter that is not ASCII.
    pub fn at_ident_start(&self) -> bool {
        let b = self.peek();
        b.is_ascii_alphabetic()
            || b == b'_'
            || (b >= 0x80 && self.peek_char().is_some_and(char::is_alphabetic))
    }

    /// Moves past one character and emits it as a token of `kind`.
    pub fn bump_as(&mut self, kind: Kind) {
        let start = self.pos;
        self.bump();
        self.push(kind, start);
    }

    /// Emits the rest of the line from the cursor as a comment.
    pub fn line_comment(&mut self) {
        let start = self.pos;
        self.eat_line();
        self.push(Kind::Comment, start);
    }

    /// Emits a comment from the cursor, on its `open`, through `close` (or
    /// to the end of the code).
    pub fn block_comment(&mut self, open: &str, close: &str) {
        let start = self.pos;
        self.eat(open);
        self.eat_through(close);
        self.push(Kind::Comment, start);
    }

    /// Moves past the escape of `len` bytes at the cursor (at least one
    /// character, to the end at most) and emits it as `Kind::Escape`.
    pub fn escape(&mut self, len: usize) {
        let start = self.pos;
        self.skip(len);
        self.push(Kind::Escape, start);
    }

    /// Moves past the next `len` bytes (to the end at most), and on to the
    /// end of a character cut there; past one character at least.
    fn skip(&mut self, len: usize) {
        let mut end = (self.pos + len.max(1)).min(self.src.len());
        while !self.src.is_char_boundary(end) {
            end += 1;
        }
        self.pos = end;
    }

    /// Moves past a string opened at the cursor by `quote` (an ASCII byte)
    /// and closed by the same byte, emitting it as `Kind::String` and each
    /// backslash escape in it as `Kind::Escape`, as long as `escape_len`
    /// says (given the code from the backslash on; 0: the backslash is
    /// text). Stops at the end of the line when `multiline` is not set (an
    /// unterminated string ends there). Does nothing when the cursor is not
    /// on `quote`.
    pub fn string_with(&mut self, quote: u8, multiline: bool, escape_len: impl Fn(&str) -> usize) {
        debug_assert!(quote.is_ascii() && quote != b'\\');
        let start = self.pos;
        if !self.eat_byte(quote) {
            return;
        }
        let mut from = start;
        loop {
            let rest = self.rest().as_bytes();
            let stop = rest
                .iter()
                .position(|b| *b == quote || *b == b'\\' || (*b == b'\n' && !multiline));
            let Some(i) = stop else {
                self.pos = self.src.len();
                break;
            };
            self.pos += i;
            match rest[i] {
                b'\\' => match escape_len(self.rest()) {
                    0 => self.pos += 1,
                    len => {
                        self.push(Kind::String, from);
                        self.escape(len);
                        from = self.pos;
                    }
                },
                b'\n' if !multiline => break,
                _ => {
                    self.pos += 1;
                    break;
                }
            }
        }
        self.push(Kind::String, from);
    }

    /// `string_with` for the escapes of a backslash and one character
    /// (when `escapes` is set; else a backslash is text).
    pub fn string(&mut self, quote: u8, escapes: bool, multiline: bool) {
        self.string_with(quote, multiline, |rest| {
            if escapes {
                char_escape_len(rest)
            } else {
                0
            }
        });
    }

    /// Emits the text from `from` (at or before the cursor: where a quoted
    /// string opens) to `end` (where it was found to end) as `kind`, and
    /// each escape in it after the cursor as `Kind::Escape`: one starts at a
    /// byte `esc` (ASCII) and is as long as `escape_len` says (given the
    /// code from there on; 0: the byte is text), to `end` at most.
    pub fn quoted_to(
        &mut self,
        from: usize,
        end: usize,
        kind: Kind,
        esc: u8,
        escape_len: impl Fn(&str) -> usize,
    ) {
        let mut end = end.clamp(self.pos, self.src.len());
        while !self.src.is_char_boundary(end) {
            end += 1;
        }
        let mut from = from;
        while self.pos < end {
            let rest = &self.src.as_bytes()[self.pos..end];
            let Some(i) = rest.iter().position(|b| *b == esc) else {
                self.pos = end;
                break;
            };
            self.pos += i;
            match escape_len(self.rest()).min(end - self.pos) {
                0 => self.pos += 1,
                len => {
                    self.push(kind, from);
                    self.escape(len);
                    from = self.pos;
                }
            }
        }
        self.push(kind, from);
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

/// The length of the first line of `bytes`, without its line break (`\n`
/// or `\r\n`).
pub fn line_len(bytes: &[u8]) -> usize {
    let len = bytes
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(bytes.len());
    if len > 0 && bytes[len - 1] == b'\r' {
        len - 1
    } else {
        len
    }
}

/// The length of the escape at the start of `rest`, on its backslash: the
/// backslash and the character after it (the backslash alone at the end).
pub fn char_escape_len(rest: &str) -> usize {
    let next = rest.get(1..).and_then(|after| after.chars().next());
    1 + next.map_or(0, char::len_utf8)
}

/// The length of the escape at the start of `rest`, on its backslash: the
/// backslash, the letter after it and up to `max` hexadecimal digits
/// (`\x41`, `\u00e9`).
pub fn hex_escape_len(rest: &str, max: usize) -> usize {
    let digits = rest.as_bytes().iter().skip(2).take(max);
    2 + digits.take_while(|b| b.is_ascii_hexdigit()).count()
}

/// The length of the escape at the start of `rest`, on its backslash: the
/// backslash and up to three octal digits (`\033`, `\0`).
pub fn octal_escape_len(rest: &str) -> usize {
    let digits = rest.as_bytes().iter().skip(1).take(3);
    1 + digits.take_while(|b| matches!(b, b'0'..=b'7')).count()
}

/// Whether `w` is in SCREAMING_CASE: a capital first, then capitals,
/// digits and `_` (`EOF`, `MAX_LEN`, `N`).
pub fn is_screaming(w: &str) -> bool {
    let b = w.as_bytes();
    b.first().is_some_and(u8::is_ascii_uppercase)
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
}

/// Where quoted text that may span lines ends: a closing `quote` that is
/// not escaped by a backslash (with `backslash`) nor doubled (with
/// `doubled`, `''` is a quote inside). It remembers where a search found
/// no end, so that the quotes after that are not searched past again.
#[derive(Debug, Clone, Copy)]
pub struct QuoteEnd {
    quote: u8,
    backslash: bool,
    doubled: bool,
    /// The offset of a quote from which a search found no end.
    no_end_from: usize,
}

impl QuoteEnd {
    pub const fn new(quote: u8, backslash: bool, doubled: bool) -> Self {
        QuoteEnd {
            quote,
            backslash,
            doubled,
            no_end_from: usize::MAX,
        }
    }

    /// The length of the text opened by the quote at offset `at` of the
    /// code, `rest` being the code from there on, through its closing
    /// quote; `None` when it has none.
    pub fn find(&mut self, rest: &[u8], at: usize) -> Option<usize> {
        if at > self.no_end_from {
            // Every quote after `no_end_from` is escaped or doubled, as the
            // search from there read them: a search from here reads what
            // follows this run of quotes as that one did, and so can only
            // end in the run.
            let run = rest.iter().take_while(|b| **b == self.quote).count();
            return self.search(&rest[..run]);
        }
        let end = self.search(rest);
        if end.is_none() {
            self.no_end_from = at;
        }
        end
    }

    fn search(&self, bytes: &[u8]) -> Option<usize> {
        let mut i = 1;
        while let Some(&b) = bytes.get(i) {
            if b == b'\\' && self.backslash {
                i += 2;
            } else if b != self.quote {
                i += 1;
            } else if self.doubled && bytes.get(i + 1) == Some(&self.quote) {
                i += 2;
            } else {
                return Some(i + 1);
            }
        }
        None
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

/// Asserts that the first token that is each text is of its kind.
#[cfg(test)]
pub fn assert_kinds(tokens: &[(Kind, String)], expected: &[(&str, Kind)]) {
    for (text, kind) in expected {
        assert_eq!(kind_of(tokens, text), Some(*kind), "{text:?} in {tokens:?}");
    }
}

/// The kind of the first token that is `text`, or (plain text merging with
/// the spaces around it) that is `text` once trimmed.
#[cfg(test)]
pub fn kind_of_trimmed(tokens: &[(Kind, String)], text: &str) -> Option<Kind> {
    kind_of(tokens, text).or_else(|| {
        tokens
            .iter()
            .find(|(_, t)| t.trim() == text)
            .map(|(k, _)| *k)
    })
}

/// The kinds of every token whose text is `text`.
#[cfg(test)]
pub fn kinds(tokens: &[(Kind, String)], text: &str) -> Vec<Kind> {
    tokens
        .iter()
        .filter(|(_, t)| t == text)
        .map(|(k, _)| *k)
        .collect()
}

/// Whether `word` is in plain text (plain text merges with the spaces
/// around it).
#[cfg(test)]
pub fn plain(tokens: &[(Kind, String)], word: &str) -> bool {
    tokens
        .iter()
        .any(|(k, t)| *k == Kind::Plain && t.split_whitespace().any(|w| w == word))
}

/// Whether `word` is in plain text, and no token of another kind is it.
#[cfg(test)]
pub fn only_plain(tokens: &[(Kind, String)], word: &str) -> bool {
    tokens.iter().all(|(k, t)| *k == Kind::Plain || t != word) && plain(tokens, word)
}

/// Runs `lex` over every prefix of `code` that ends on a character
/// boundary (each keeping every byte, in order), then over `code`; the
/// tokens of `code`.
#[cfg(test)]
pub fn every_prefix(code: &str, lex: fn(&mut Lexer)) -> Vec<(Kind, String)> {
    for (i, _) in code.char_indices() {
        tokens(&code[..i], lex);
    }
    tokens(code, lex)
}

/// Runs `lex` over each of `codes` (each keeping every byte, in order).
#[cfg(test)]
pub fn each_lexes(codes: &[&str], lex: fn(&mut Lexer)) {
    for code in codes {
        tokens(code, lex);
    }
}

/// Runs `lex` over 20,000 repeats of each of `units`: a lexer that scans
/// again from each repeat takes far too long.
#[cfg(test)]
pub fn long_runs_lex(units: &[&str], lex: fn(&mut Lexer)) {
    for unit in units {
        tokens(&unit.repeat(20_000), lex);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_between_tokens_is_plain_and_same_kinds_merge() {
        let toks = tokens("ab cd \"e\\n\"", |l| {
            l.each(|l| match l.peek() {
                b'"' => l.string(b'"', true, false),
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
    fn strings_with_escapes_of_their_own_length() {
        // `\x` and two digits, else a backslash and one character; `\q` is
        // text.
        let escape_len = |rest: &str| match rest.as_bytes().get(1) {
            Some(b'x') => hex_escape_len(rest, 2),
            Some(b'q') => 0,
            _ => char_escape_len(rest),
        };
        let code = "'a\\x41b\\q\\é\\\n' x 'open\nrest";
        let toks = tokens(code, |l| {
            l.each(|l| {
                if l.peek() == b'\'' {
                    l.string_with(b'\'', false, escape_len);
                }
            })
        });
        assert_eq!(
            toks[..6],
            [
                (Kind::String, "'a".into()),
                (Kind::Escape, "\\x41".into()),
                (Kind::String, "b\\q".into()),
                (Kind::Escape, "\\é\\\n".into()),
                (Kind::String, "'".into()),
                (Kind::Plain, " x ".into()),
            ]
        );
        assert_eq!(kind_of(&toks, "'open"), Some(Kind::String));
        assert_eq!(toks.last(), Some(&(Kind::Plain, "\nrest".into())));
        // An escape that says it is longer than the code ends with it.
        tokens("'\\é", |l| l.string_with(b'\'', true, |_| 99));
    }

    #[test]
    fn quoted_text_to_a_known_end() {
        let code = "'it''s' + 'x''";
        let toks = tokens(code, |l| {
            l.bump();
            l.quoted_to(0, 6, Kind::String, b'\'', |rest| {
                if rest.starts_with("''") {
                    2
                } else {
                    0
                }
            });
            l.bump_as(Kind::String);
            l.advance(4);
            // The doubled quote at the end would pass `end`: it is cut there.
            let at = l.pos();
            l.quoted_to(at, code.len() - 1, Kind::String, b'\'', |_| 2);
        });
        assert_kinds(
            &toks,
            &[
                ("'it", Kind::String),
                ("''", Kind::Escape),
                ("s'", Kind::String),
                ("x", Kind::String),
            ],
        );
        assert_eq!(toks.last(), Some(&(Kind::Plain, "'".into())));
    }

    #[test]
    fn quote_ends_over_lines_and_after_one_not_found() {
        let code = b"'a\n''b' 'c''d";
        let mut end = QuoteEnd::new(b'\'', false, true);
        assert_eq!(end.find(code, 0), Some(7));
        assert_eq!(end.find(&code[8..], 8), None);
        // Past that, only a run of quotes can close: `''` does, `'''` not.
        let code = b"'open ''x'' ''''y";
        let mut end = QuoteEnd::new(b'\'', false, true);
        assert_eq!(end.find(code, 0), None);
        assert_eq!(end.find(&code[6..], 6), Some(2));
        assert_eq!(end.find(&code[12..], 12), Some(4));
        assert_eq!(end.find(&code[13..], 13), None);
        let mut end = QuoteEnd::new(b'"', true, false);
        assert_eq!(end.find(br#""a\"b" x"#, 0), Some(6));
        assert_eq!(end.find(br#""a\""#, 0), None);
        assert_eq!(end.find(br#""""#, 9), Some(2));
    }

    #[test]
    fn escape_lengths_and_lines() {
        assert_eq!(char_escape_len("\\n..."), 2);
        assert_eq!(char_escape_len("\\é."), 3);
        assert_eq!(char_escape_len("\\"), 1);
        assert_eq!(hex_escape_len("\\x41z", 2), 4);
        assert_eq!(hex_escape_len("\\u00e9ab", 4), 6);
        assert_eq!(hex_escape_len("\\uz", 4), 2);
        assert_eq!(hex_escape_len("\\x", 2), 2);
        assert_eq!(octal_escape_len("\\0339"), 4);
        assert_eq!(octal_escape_len("\\08"), 2);
        assert_eq!(line_len(b"ab\r\ncd"), 2);
        assert_eq!(line_len(b"ab\ncd"), 2);
        assert_eq!(line_len(b"ab"), 2);
        assert_eq!(line_len(b"a\r"), 1);
        assert!(is_screaming("MAX_LEN2") && is_screaming("N"));
        assert!(!is_screaming("Max") && !is_screaming("_MAX") && !is_screaming(""));
    }

    #[test]
    fn hex_floats_and_identifiers() {
        for (code, separators, number) in [
            ("0x1p-3;", false, "0x1p-3"),
            ("0x1P+3_0i", true, "0x1P+3_0i"),
            ("0x1p-3_0", false, "0x1p-3"),
            ("0x1e-3", true, "0x1e"),
            ("1e-3", false, "1e-3"),
        ] {
            let mut emit = |_: Kind, _: &str| {};
            let mut l = Lexer::new(code, &mut emit);
            assert_eq!(l.eat_number_hex_float(separators), number, "{code}");
        }
        for (code, start) in [
            ("a", true),
            ("_", true),
            ("é", true),
            ("1", false),
            ("🚀", false),
        ] {
            let mut emit = |_: Kind, _: &str| {};
            let l = Lexer::new(code, &mut emit);
            assert_eq!(l.at_ident_start(), start, "{code}");
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
            l.each(|l| l.string(b'"', true, false));
        });
        assert_eq!(toks[0], (Kind::Tag, "<x>".into()));
        assert_eq!(toks[1], (Kind::String, "é🚀".into()));
    }
}
