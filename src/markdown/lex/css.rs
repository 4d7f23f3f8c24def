//! CSS: comments; at-rules (`@media`, `@keyframes`), `!important` and a
//! keyframe's `from`/`to` as keywords; in selectors, element names and `&`
//! as tags, `.class`, `#id`, pseudo-classes and attribute names as
//! attributes, combinators as operators; property names as properties and
//! custom properties (`--x`) as variables; in values, numbers with their
//! units as types (`10` `px`), hex colours as special strings, strings,
//! function names, the unquoted address in `url(…)` as a string; media
//! features as properties and `and`/`not`/`only` as operators. Blocks nest
//! (`@media`, CSS nesting): a statement in a block is a nested rule when a
//! `{` comes before the `;` or `}` that would end it as a declaration.
//! Plain: keyword values (`auto`, `solid`, colour names) and the names of
//! keyframes, as in tree-sitter-css's highlight query.

use super::toolkit::{char_escape_len, Kind, Lexer};

/// How many nested blocks have their kind remembered; deeper ones are taken
/// for declaration blocks.
const MAX_DEPTH: usize = 64;

pub(super) fn lex(l: &mut Lexer) {
    let mut state = State {
        blocks: [Block::Rules; MAX_DEPTH],
        depth: 0,
        mode: Mode::Start,
        parens: 0,
        ahead_end: 0,
        ahead_rule: false,
    };
    l.each(|l| state.step(l));
}

/// What a `{ }` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    /// Rules: the top level, `@media` at the top level.
    Rules,
    /// Declarations, and the rules nested among them.
    Declarations,
    /// The keyframes of `@keyframes`.
    Keyframes,
}

/// Where in a statement the cursor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Before a statement.
    Start,
    /// In a rule's selectors.
    Selector,
    /// In a declaration, before its `:`.
    Property,
    /// In a declaration's value.
    Value,
    /// In an at-rule's prelude; the block its `{` opens.
    Prelude(Block),
}

struct State {
    /// The kinds of the open blocks, innermost last (the first
    /// `MAX_DEPTH`).
    blocks: [Block; MAX_DEPTH],
    depth: usize,
    mode: Mode,
    /// How many `(` are open in the current value or prelude.
    parens: u32,
    /// Where the last look ahead for the end of a statement stopped, and
    /// whether it found a rule; a statement starting before that reuses it.
    ahead_end: usize,
    ahead_rule: bool,
}

impl State {
    /// What the innermost open block holds.
    fn block(&self) -> Block {
        match self.depth {
            0 => Block::Rules,
            d if d <= MAX_DEPTH => self.blocks[d - 1],
            _ => Block::Declarations,
        }
    }

    /// Lexes the `{` at the cursor, opening a block of `block`.
    fn open(&mut self, l: &mut Lexer, block: Block) {
        l.bump_as(Kind::Punctuation);
        if self.depth < MAX_DEPTH {
            self.blocks[self.depth] = block;
        }
        self.depth += 1;
        self.mode = Mode::Start;
        self.parens = 0;
    }

    /// Lexes the `}` at the cursor, closing the innermost block.
    fn close(&mut self, l: &mut Lexer) {
        l.bump_as(Kind::Punctuation);
        self.depth = self.depth.saturating_sub(1);
        self.mode = Mode::Start;
        self.parens = 0;
    }

    /// Lexes the `;` at the cursor, ending a statement.
    fn end(&mut self, l: &mut Lexer) {
        l.bump_as(Kind::Punctuation);
        self.mode = Mode::Start;
        self.parens = 0;
    }

    /// Lexes spaces, a comment, or one token of the current statement.
    fn step(&mut self, l: &mut Lexer) {
        if l.peek().is_ascii_whitespace() {
            l.eat_while(|c| c.is_ascii_whitespace());
            return;
        }
        if l.starts_with("/*") {
            l.block_comment("/*", "*/");
            return;
        }
        if self.mode == Mode::Start {
            self.begin(l);
        }
        match self.mode {
            Mode::Start => {}
            Mode::Selector => self.selector(l),
            Mode::Property => self.property(l),
            Mode::Value | Mode::Prelude(_) => self.value(l),
        }
    }

    /// Starts a statement: lexes a `}`, a `;` or an at-keyword, or decides
    /// whether a rule or a declaration begins.
    fn begin(&mut self, l: &mut Lexer) {
        let start = l.pos();
        match l.peek() {
            b'}' => self.close(l),
            b';' => self.end(l),
            b'@' => {
                l.bump();
                let len = name_len(l.rest());
                let name = &l.rest()[..len];
                l.advance(len);
                l.push(Kind::Keyword, start);
                self.mode = Mode::Prelude(self.at_block(name));
            }
            _ if self.block() == Block::Keyframes || self.rule_ahead(l) => {
                self.mode = Mode::Selector;
            }
            _ => self.mode = Mode::Property,
        }
    }

    /// The block the at-rule `name` opens, if it has one.
    fn at_block(&self, name: &str) -> Block {
        // `-webkit-keyframes` is `keyframes`.
        let base = match name.strip_prefix('-') {
            Some(rest) => rest.find('-').map_or(name, |i| &rest[i + 1..]),
            None => name,
        };
        let is = |s: &str| base.eq_ignore_ascii_case(s);
        if is("keyframes") {
            Block::Keyframes
        } else if is("media")
            || is("supports")
            || is("container")
            || is("layer")
            || is("document")
            || is("scope")
            || is("starting-style")
        {
            // Conditional groups hold what the block around them holds.
            match self.block() {
                Block::Declarations => Block::Declarations,
                _ => Block::Rules,
            }
        } else {
            Block::Declarations
        }
    }

    /// Whether the statement at the cursor is a rule: a `{` comes before
    /// the `;` (outside brackets) or `}` that would end a declaration. At
    /// the end of the code, a statement in a declaration block or with a
    /// `: ` in it is a declaration.
    fn rule_ahead(&mut self, l: &Lexer) -> bool {
        if l.pos() < self.ahead_end {
            return self.ahead_rule;
        }
        let s = l.rest().as_bytes();
        let mut i = 0;
        let mut parens = 0u32;
        let mut colon_space = false;
        let rule = loop {
            let Some(&b) = s.get(i) else {
                break self.block() == Block::Rules && !colon_space;
            };
            match b {
                b'{' => break true,
                b'}' => break false,
                b';' if parens == 0 => break false,
                b'(' => parens = parens.saturating_add(1),
                b')' => parens = parens.saturating_sub(1),
                b':' if matches!(s.get(i + 1), Some(b' ' | b'\t' | b'\n' | b'\r')) => {
                    colon_space = true;
                }
                b'"' | b'\'' => {
                    i = string_end(s, i);
                    continue;
                }
                b'/' if s.get(i + 1) == Some(&b'*') => {
                    i = comment_end(s, i);
                    continue;
                }
                _ => {}
            }
            i += 1;
        };
        self.ahead_end = l.pos() + i;
        self.ahead_rule = rule;
        rule
    }

    /// Lexes one token of a selector.
    fn selector(&mut self, l: &mut Lexer) {
        let start = l.pos();
        match l.peek() {
            b'{' => self.open(l, Block::Declarations),
            b'}' => self.close(l),
            b';' => self.end(l),
            b'.' | b'#' if is_name_start(&l.rest()[1..]) => {
                l.bump_as(Kind::Punctuation);
                name(l, Kind::Attribute);
            }
            b':' => {
                l.bump();
                l.eat_byte(b':');
                l.push(Kind::Punctuation, start);
                if is_name_start(l.rest()) {
                    name(l, Kind::Attribute);
                }
            }
            b'[' => attribute_selector(l),
            b'*' | b'>' | b'+' | b'~' => l.bump_as(Kind::Operator),
            b'&' => l.bump_as(Kind::Tag),
            b',' | b'(' | b')' => l.bump_as(Kind::Punctuation),
            q @ (b'"' | b'\'') => l.string_with(q, false, escape_len),
            b'0'..=b'9' => number(l),
            _ if is_name_start(l.rest()) => {
                let len = name_len(l.rest());
                let word = &l.rest()[..len];
                let keyframe = self.block() == Block::Keyframes
                    && (word.eq_ignore_ascii_case("from") || word.eq_ignore_ascii_case("to"));
                name(l, if keyframe { Kind::Keyword } else { Kind::Tag });
            }
            _ => {}
        }
    }

    /// Lexes one token of a declaration before its `:`.
    fn property(&mut self, l: &mut Lexer) {
        match l.peek() {
            b':' => {
                l.bump_as(Kind::Punctuation);
                self.mode = Mode::Value;
                self.parens = 0;
            }
            b';' => self.end(l),
            b'{' => self.open(l, Block::Declarations),
            b'}' => self.close(l),
            // The `*zoom` hack of old Internet Explorers.
            b'*' => l.bump_as(Kind::Operator),
            _ if l.starts_with("--") => name(l, Kind::Variable),
            _ if is_name_start(l.rest()) => name(l, Kind::Property),
            _ => {}
        }
    }

    /// Lexes one token of a declaration's value or an at-rule's prelude.
    fn value(&mut self, l: &mut Lexer) {
        let start = l.pos();
        let prelude = match self.mode {
            Mode::Prelude(block) => Some(block),
            _ => None,
        };
        match l.peek() {
            b';' if self.parens == 0 || prelude.is_some() => self.end(l),
            b'{' => self.open(l, prelude.unwrap_or(Block::Declarations)),
            b'}' => self.close(l),
            b'(' => {
                self.parens = self.parens.saturating_add(1);
                l.bump_as(Kind::Punctuation);
            }
            b')' => {
                self.parens = self.parens.saturating_sub(1);
                l.bump_as(Kind::Punctuation);
            }
            b',' | b':' | b';' => l.bump_as(Kind::Punctuation),
            q @ (b'"' | b'\'') => l.string_with(q, false, escape_len),
            b'#' => {
                l.bump();
                let hex = l.eat_while(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if (3..=8).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    l.push(Kind::Regex, start);
                }
            }
            b'!' => {
                l.bump();
                l.eat_while(|c| c == ' ' || c == '\t');
                if l.eat_ignore_case("important") {
                    l.push(Kind::Keyword, start);
                }
            }
            b'0'..=b'9' => number(l),
            b'.' if l.peek_at(1).is_ascii_digit() => number(l),
            b'+' | b'-'
                if l.peek_at(1).is_ascii_digit()
                    || (l.peek_at(1) == b'.' && l.peek_at(2).is_ascii_digit()) =>
            {
                number(l)
            }
            _ if l.starts_with("--") => name(l, Kind::Variable),
            _ if is_name_start(l.rest()) => self.word(l, prelude.is_some()),
            b'+' | b'-' | b'*' | b'/' | b'=' | b'<' | b'>' => {
                l.eat_while(|c| matches!(c, '+' | '-' | '*' | '/' | '=' | '<' | '>'));
                l.push(Kind::Operator, start);
            }
            _ => {}
        }
    }

    /// Lexes a name in a value or prelude: a function's name before `(`, a
    /// media feature before `:`, `and`/`not`/`only`/`or` in a prelude.
    fn word(&mut self, l: &mut Lexer, prelude: bool) {
        let start = l.pos();
        let len = name_len(l.rest());
        let word = &l.rest()[..len];
        l.advance(len);
        if l.peek() == b'(' {
            l.push(Kind::Function, start);
            if word.eq_ignore_ascii_case("url") && url(l) {
                return;
            }
            self.parens = self.parens.saturating_add(1);
            l.bump_as(Kind::Punctuation);
        } else if prelude && self.parens > 0 && l.peek_past_spaces() == b':' {
            l.push(Kind::Property, start);
        } else if prelude
            && ["and", "not", "only", "or"]
                .iter()
                .any(|w| word.eq_ignore_ascii_case(w))
        {
            l.push(Kind::Operator, start);
        }
    }
}

/// Lexes the `(` after `url` when an unquoted address follows, the address
/// as a string and the `)`; whether it did (a quoted address is left to
/// the value's tokens).
fn url(l: &mut Lexer) -> bool {
    let rest = l.rest()[1..].trim_start_matches([' ', '\t']);
    if rest.starts_with(['"', '\'']) {
        return false;
    }
    l.bump_as(Kind::Punctuation);
    let start = l.pos();
    l.eat_while(|c| c != ')' && c != '\n');
    l.push(Kind::String, start);
    if l.peek() == b')' {
        l.bump_as(Kind::Punctuation);
    }
    true
}

/// Lexes an attribute selector from its `[` to its `]` (or the end of the
/// line): the attribute's name, the operator, the value as a string.
fn attribute_selector(l: &mut Lexer) {
    l.bump_as(Kind::Punctuation);
    let mut named = false;
    loop {
        let start = l.pos();
        match l.peek() {
            _ if l.at_end() => return,
            b']' => {
                l.bump_as(Kind::Punctuation);
                return;
            }
            b'{' | b'}' | b';' | b'\n' => return,
            b' ' | b'\t' | b'\r' => l.bump(),
            q @ (b'"' | b'\'') => l.string_with(q, false, escape_len),
            b'=' | b'~' | b'|' | b'^' | b'$' | b'*' => {
                l.eat_while(|c| matches!(c, '=' | '~' | '|' | '^' | '$' | '*'));
                l.push(Kind::Operator, start);
            }
            _ if is_name_start(l.rest()) => {
                name(l, if named { Kind::String } else { Kind::Attribute });
                named = true;
            }
            _ => l.bump(),
        }
    }
}

/// Lexes a number with its unit (`10px`, `-1.5em`, `50%`, `1e3`); the unit
/// is a type.
fn number(l: &mut Lexer) {
    let start = l.pos();
    if !l.eat_byte(b'+') {
        l.eat_byte(b'-');
    }
    l.eat_while(|c| c.is_ascii_digit());
    if l.peek() == b'.' && l.peek_at(1).is_ascii_digit() {
        l.bump();
        l.eat_while(|c| c.is_ascii_digit());
    }
    if matches!(l.peek(), b'e' | b'E')
        && (l.peek_at(1).is_ascii_digit()
            || (matches!(l.peek_at(1), b'+' | b'-') && l.peek_at(2).is_ascii_digit()))
    {
        l.bump();
        l.bump();
        l.eat_while(|c| c.is_ascii_digit());
    }
    l.push(Kind::Number, start);
    let unit = l.pos();
    l.eat_while(|c| c.is_ascii_alphabetic() || c == '%');
    l.push(Kind::Type, unit);
}

/// The length of the escape at the start of `rest`, in a string: a
/// backslash and up to six hex digits, or the line break or character
/// after it.
fn escape_len(rest: &str) -> usize {
    let b = rest.as_bytes();
    let hex = b
        .iter()
        .skip(1)
        .take(6)
        .take_while(|b| b.is_ascii_hexdigit());
    match hex.count() {
        0 if b.get(1..3) == Some(b"\r\n") => 3,
        0 => char_escape_len(rest),
        n => 1 + n,
    }
}

/// Lexes a name (with its backslash escapes) as `kind`.
fn name(l: &mut Lexer, kind: Kind) {
    let start = l.pos();
    l.advance(name_len(l.rest()));
    l.push(kind, start);
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii()
}

/// Whether `s` starts with a name: a letter, `_`, a non-ASCII character,
/// an escape, or `-` before one of those or another `-`.
fn is_name_start(s: &str) -> bool {
    let b = s.as_bytes();
    let first = |i: usize| match b.get(i) {
        Some(b'\\') => escape_at(b, i),
        Some(&c) => c.is_ascii_alphabetic() || c == b'_' || c >= 0x80,
        None => false,
    };
    if b.first() == Some(&b'-') {
        b.get(1) == Some(&b'-') || first(1)
    } else {
        first(0)
    }
}

/// Whether a backslash escape starts at offset `i` of `b`.
fn escape_at(b: &[u8], i: usize) -> bool {
    b.get(i) == Some(&b'\\') && !matches!(b.get(i + 1), None | Some(b'\n' | b'\r'))
}

/// The length of the name at the start of `s` (none when there is none):
/// name characters and backslash escapes (`sm\:flex`).
fn name_len(s: &str) -> usize {
    let mut len = 0;
    loop {
        let rest = &s[len..];
        len += rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
        match s[len..].chars().nth(1) {
            Some(c) if escape_at(s.as_bytes(), len) => len += 1 + c.len_utf8(),
            _ => return len,
        }
    }
}

/// Where the string opened at offset `i` of `s` ends: past its closing
/// quote, or at the end of its line.
fn string_end(s: &[u8], i: usize) -> usize {
    let quote = s[i];
    let mut j = i + 1;
    while let Some(&b) = s.get(j) {
        match b {
            b'\\' => j += 1,
            b'\n' => return j,
            _ if b == quote => return j + 1,
            _ => {}
        }
        j += 1;
    }
    s.len()
}

/// Where the comment opened at offset `i` of `s` ends: past its `*/`.
fn comment_end(s: &[u8], i: usize) -> usize {
    let mut j = i + 2;
    while j < s.len() {
        if s[j] == b'*' && s.get(j + 1) == Some(&b'/') {
            return j + 2;
        }
        j += 1;
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{
        assert_kinds, each_lexes, every_prefix, kind_of, plain, tokens, Kind,
    };
    use super::lex;

    #[test]
    fn selectors() {
        let t = tokens(
            "ul > li.item#main:hover::before, a[href^=\"http\"], input[type=text], * + p ~ em { }",
            lex,
        );
        assert_eq!(kind_of(&t, "ul"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, ">"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "li"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "."), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "item"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "main"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "hover"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "::"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "before"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "href"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "^="), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "\"http\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "type"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "text"), Some(Kind::String));
        assert_eq!(kind_of(&t, "*"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "+"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "~"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "{"), Some(Kind::Punctuation));
        let t = tokens(".sm\\:flex:not(.a, h1) { }", lex);
        assert_eq!(kind_of(&t, "sm\\:flex"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "not"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "h1"), Some(Kind::Tag));
    }

    #[test]
    fn declarations_and_values() {
        let t = tokens(
            "a {\n  margin: -1.5em 10px 50%;\n  color: #fff;\n  --gap: 4px;\n  width: calc(100% - var(--gap));\n  background: url(img/a.png) no-repeat, url(\"b.png\");\n  font: 12px/1.5 \"Open Sans\", sans-serif !important;\n  content: \"\\201C\";\n}",
            lex,
        );
        assert_eq!(kind_of(&t, "margin"), Some(Kind::Property));
        assert_eq!(kind_of(&t, ":"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "-1.5"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "em"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "10"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "%"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "#fff"), Some(Kind::Regex));
        assert_eq!(kind_of(&t, "--gap"), Some(Kind::Variable));
        assert_eq!(kind_of(&t, "calc"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "-"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "var"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "url"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "img/a.png"), Some(Kind::String));
        assert!(plain(&t, "no-repeat"));
        assert_eq!(kind_of(&t, "\"b.png\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "/"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "\"Open Sans\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "!important"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "\\201C"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "}"), Some(Kind::Punctuation));
    }

    #[test]
    fn a_backslash_continues_a_string_over_a_crlf() {
        let t = tokens("a { content: \"x\\\r\ny\"; color: red }", lex);
        assert_kinds(
            &t,
            &[
                ("\\\r\n", Kind::Escape),
                ("y\"", Kind::String),
                ("color", Kind::Property),
            ],
        );
    }

    #[test]
    fn at_rules_and_nesting() {
        let t = tokens(
            "@import url(a.css) screen;\n@media screen and (max-width: 600px) {\n  .nav a:hover { color: red; }\n}\n@keyframes spin { from { opacity: 0 } 50% { opacity: .5 } to { opacity: 1 } }\n@font-face { font-family: X; }\n.card {\n  padding: 0;\n  &:hover { color: blue; }\n  h2 { margin: 0 }\n  @media (min-width: 40em) { padding: 1em; }\n}",
            lex,
        );
        assert_eq!(kind_of(&t, "@import"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "a.css"), Some(Kind::String));
        assert_eq!(kind_of(&t, "@media"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "and"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "max-width"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "600"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "nav"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "a"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "hover"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "color"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "@keyframes"), Some(Kind::Keyword));
        assert!(plain(&t, "spin"));
        assert_eq!(kind_of(&t, "from"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "50"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "to"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "opacity"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "@font-face"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "font-family"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "&"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "h2"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "padding"), Some(Kind::Property));
        // The declaration inside the nested `@media` is a declaration.
        assert_eq!(
            t.iter().rfind(|(_, s)| s == "padding").map(|(k, _)| *k),
            Some(Kind::Property)
        );
    }

    #[test]
    fn declarations_without_a_rule_and_comments() {
        let t = tokens("/* note */\ncolor: red;\nmargin: 0", lex);
        assert_eq!(kind_of(&t, "/* note */"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "color"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "margin"), Some(Kind::Property));
        let t = tokens("a:hover", lex);
        assert_eq!(kind_of(&t, "a"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "hover"), Some(Kind::Attribute));
    }

    #[test]
    fn site_stylesheet() {
        let t = tokens(
            "body{max-width:40rem;margin:auto;font-family:sans-serif}\n",
            lex,
        );
        assert_eq!(kind_of(&t, "body"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "max-width"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "40"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "rem"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "margin"), Some(Kind::Property));
        assert!(plain(&t, "auto"));
        assert_eq!(kind_of(&t, "font-family"), Some(Kind::Property));
        assert!(plain(&t, "sans-serif"));
    }

    #[test]
    fn every_prefix_lexes() {
        let code = "\u{feff}@charset \"utf-8\";\n/* é */ :root { --ü: #0af; }\r\n@media (min-width: 1e3px) and (hover) {\n\ta.b\\:c[data-x~='🚀' i] > *::after { content: \"\\2014 é\\\"\"; margin: -.5em calc(1px + 2%) !important; background: url( x.png ); }\n}\n@-webkit-keyframes k { 0% { top: 0 } to { top: 1px } }\n.n { &.m { x: y } }";
        every_prefix(code, lex);
    }

    #[test]
    fn broken_input_keeps_every_byte() {
        each_lexes(
            &[
                "a { color: \"open",
                "a { b: url(open",
                "/* open",
                "}}}} a { {{{{",
                "[attr",
                "@",
                "@media (",
                "a { x: (((;;;; }",
                "\\",
                ".\\",
                "a\\",
                "--",
                "#",
                "!",
                "\u{0}\t\r\n",
                "é { ü: 🚀; }",
                "a { b: 'x\\",
            ],
            lex,
        );
        let deep = "a { ".repeat(200) + &"}".repeat(300);
        tokens(&deep, lex);
    }
}
