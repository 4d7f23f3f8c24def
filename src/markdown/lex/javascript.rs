//! JavaScript, JSX included: keywords, `this` and `super`, the literals
//! (`true`, `null`, `undefined`, `NaN`), strings with their escapes,
//! template literals with each `${ }` lexed as JavaScript, regular
//! expressions (told from division by the token before the `/`), numbers,
//! comments and a `#!` line, function names where defined, assigned or
//! called, properties after `.`, object keys, labels, CapitalCase names as
//! types and SCREAMING_CASE ones as constants, a few globals (`console`,
//! `require`), operators, punctuation, and JSX tags with their attributes.
//! Plain: other identifiers (locals, parameters), JSX text, decorators, and
//! TypeScript's annotations (they lex as names and punctuation).

use super::toolkit::{char_escape_len, Kind, Lexer};

/// How deeply template literals, `${ }` and JSX elements may nest in each
/// other; the code after a deeper one is left plain.
const MAX_DEPTH: usize = 64;

/// How far past a name the lexer looks for the function assigned to it
/// (`= (a, b) =>`).
const LOOK: usize = 256;

pub(super) fn lex(l: &mut Lexer) {
    if l.pos() == 0 {
        l.eat("\u{feff}");
        if l.starts_with("#!") {
            l.line_comment();
        }
    }
    let mut state = State {
        stack: [Frame::Template; MAX_DEPTH],
        len: 0,
        prev: Prev::Statement,
        no_regex_before: 0,
    };
    l.each(|l| state.step(l));
}

/// What the previous significant token makes of the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// An operator, `(`, `[`, `:` or a keyword: an expression begins (a `/`
    /// starts a regex, a `<` a JSX element).
    Operator,
    /// `{` or `,`: an expression or an object's key (`name:`) begins.
    Open,
    /// The start, `;` or `}`: a statement begins (`name:` is a label).
    Statement,
    /// A name, a literal, `)` or `]`: a `/` divides.
    Value,
    /// `.` or `?.`: a property's name comes next.
    Dot,
    /// `function` or `function*`: the function's name comes next.
    Function,
    /// `class` or `extends`: a class's name comes next.
    Class,
    /// `new`: a constructor comes next.
    New,
}

impl Prev {
    /// Whether an expression may begin here.
    fn expression(self) -> bool {
        matches!(self, Prev::Operator | Prev::Open | Prev::Statement)
    }
}

/// What the code is nested in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// The text of a template literal.
    Template,
    /// Code in a `${ }` or a JSX `{ }`, with the `{` opened in it and not
    /// yet closed.
    Code(u32),
    /// A JSX element: how many elements of its tree are open, and where in
    /// them the cursor is.
    Jsx(u32, Jsx),
}

/// Where in a JSX element the cursor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Jsx {
    /// In an opening tag, after its name: attributes.
    Open,
    /// In a closing tag.
    Close,
    /// Between tags: text, `{ }` and elements.
    Children,
}

struct State {
    /// The frames, innermost last; none at the top level.
    stack: [Frame; MAX_DEPTH],
    len: usize,
    prev: Prev,
    /// A `/` before this offset is not taken for a regex: a scan for one
    /// from an earlier `/` found no end before it.
    no_regex_before: usize,
}

impl State {
    fn top(&self) -> Option<Frame> {
        self.len.checked_sub(1).map(|i| self.stack[i])
    }

    fn set_top(&mut self, frame: Frame) {
        if let Some(i) = self.len.checked_sub(1) {
            self.stack[i] = frame;
        }
    }

    /// Enters `frame`; when that is too deep, leaves the rest of the code
    /// plain.
    fn enter(&mut self, l: &mut Lexer, frame: Frame) {
        if self.len == MAX_DEPTH {
            l.eat_while(|_| true);
        } else {
            self.stack[self.len] = frame;
            self.len += 1;
        }
    }

    fn leave(&mut self) {
        self.len = self.len.saturating_sub(1);
    }

    /// Lexes one token of what the innermost frame holds.
    fn step(&mut self, l: &mut Lexer) {
        match self.top() {
            Some(Frame::Template) => self.template(l),
            Some(Frame::Jsx(open, at)) => self.jsx(l, open, at),
            _ => self.code(l),
        }
    }

    /// Lexes one token of code.
    fn code(&mut self, l: &mut Lexer) {
        let start = l.pos();
        let (kind, prev) = match l.peek() {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                l.eat_while(|c| c.is_ascii_whitespace());
                return;
            }
            b'/' if l.peek_at(1) == b'/' => return l.line_comment(),
            b'/' if l.peek_at(1) == b'*' => return l.block_comment("/*", "*/"),
            b'/' => self.slash(l),
            q @ (b'"' | b'\'') => {
                l.string_with(q, false, escape_len);
                self.prev = Prev::Value;
                return;
            }
            b'`' => {
                l.bump();
                l.push(Kind::String, start);
                self.enter(l, Frame::Template);
                return;
            }
            b'0'..=b'9' => {
                l.eat_number();
                (Kind::Number, Prev::Value)
            }
            b'.' if l.peek_at(1).is_ascii_digit() => {
                l.eat_number();
                (Kind::Number, Prev::Value)
            }
            b'.' if l.starts_with("...") => {
                l.eat("...");
                (Kind::Punctuation, Prev::Operator)
            }
            b'.' => {
                l.bump();
                (Kind::Punctuation, Prev::Dot)
            }
            b'?' if l.peek_at(1) == b'.' && !l.peek_at(2).is_ascii_digit() => {
                l.eat("?.");
                (Kind::Punctuation, Prev::Dot)
            }
            b'<' if self.prev.expression()
                && (l.peek_at(1).is_ascii_alphabetic() || l.peek_at(1) == b'>') =>
            {
                self.jsx_element(l);
                return;
            }
            b'{' => {
                l.bump();
                if let Some(Frame::Code(open)) = self.top() {
                    self.set_top(Frame::Code(open.saturating_add(1)));
                }
                (Kind::Punctuation, Prev::Open)
            }
            b'}' => {
                l.bump();
                match self.top() {
                    Some(Frame::Code(0)) => {
                        self.leave();
                        let kind = match self.top() {
                            Some(Frame::Template) => Kind::Interpolation,
                            _ => Kind::Punctuation,
                        };
                        l.push(kind, start);
                        return;
                    }
                    Some(Frame::Code(open)) => self.set_top(Frame::Code(open - 1)),
                    _ => {}
                }
                (Kind::Punctuation, Prev::Statement)
            }
            b'(' | b'[' | b':' => {
                l.bump();
                (Kind::Punctuation, Prev::Operator)
            }
            b')' | b']' => {
                l.bump();
                (Kind::Punctuation, Prev::Value)
            }
            b',' => {
                l.bump();
                (Kind::Punctuation, Prev::Open)
            }
            b';' => {
                l.bump();
                (Kind::Punctuation, Prev::Statement)
            }
            b'=' | b'+' | b'-' | b'*' | b'%' | b'<' | b'>' | b'!' | b'&' | b'|' | b'^' | b'~'
            | b'?' => {
                let op = l.eat_while(|c| "=+-*%<>!&|^~?".contains(c));
                let prev = if op == "*" && self.prev == Prev::Function {
                    Prev::Function
                } else if op.ends_with("++") || op.ends_with("--") {
                    Prev::Value
                } else {
                    Prev::Operator
                };
                (Kind::Operator, prev)
            }
            b'#' if is_ident_start(l.rest().get(1..).unwrap_or("")) => {
                l.bump();
                l.eat_ident(b"$");
                self.name(l, start);
                return;
            }
            _ if is_ident_start(l.rest()) => {
                l.eat_ident(b"$");
                self.name(l, start);
                return;
            }
            _ => return,
        };
        l.push(kind, start);
        self.prev = prev;
    }

    /// Lexes a `/` that does not open a comment: a regex where an
    /// expression begins, else division.
    fn slash(&mut self, l: &mut Lexer) -> (Kind, Prev) {
        if self.prev.expression() && l.pos() >= self.no_regex_before {
            match regex_len(l.rest().as_bytes()) {
                Ok(len) => {
                    l.advance(len);
                    return (Kind::Regex, Prev::Value);
                }
                Err(len) => self.no_regex_before = l.pos() + len,
            }
        }
        l.bump();
        l.eat_byte(b'=');
        (Kind::Operator, Prev::Operator)
    }

    /// Colours the name (or `#private` name) from `start` to the cursor.
    fn name(&mut self, l: &mut Lexer, start: usize) {
        let word = &l.src()[start..l.pos()];
        let prev = self.prev;
        self.prev = Prev::Value;
        let next = l.peek_past_spaces();
        let called = next == b'(' || l.peek() == b'`';
        let colon = next == b':' && !l.rest().trim_start().starts_with("::");
        let kind = match prev {
            Prev::Dot if called || function_follows(l.rest(), b'=') => Kind::Function,
            Prev::Dot => Kind::Property,
            Prev::Function => Kind::Function,
            Prev::Open if colon && word != "default" => {
                if function_follows(l.rest(), b':') {
                    Kind::Function
                } else {
                    Kind::Property
                }
            }
            _ => match self.word(word, next) {
                Some(kind) => kind,
                None if prev == Prev::New => Kind::Type,
                None if prev == Prev::Statement && colon => Kind::Label,
                None if called || function_follows(l.rest(), b'=') => Kind::Function,
                None if prev == Prev::Class => Kind::Type,
                None => case_kind(word),
            },
        };
        l.push(kind, start);
    }

    /// The kind of a keyword, literal or global `word` (followed by the
    /// byte `next`), setting what it makes of the next token; `None` for
    /// other names.
    fn word(&mut self, word: &str, next: u8) -> Option<Kind> {
        let kind = match word {
            "this" | "super" => Kind::VariableBuiltin,
            "true" | "false" | "null" | "undefined" | "NaN" | "Infinity" => Kind::ConstantBuiltin,
            "arguments" | "console" | "document" | "globalThis" | "module" | "window" => {
                Kind::VariableBuiltin
            }
            "require" => Kind::FunctionBuiltin,
            "function" => {
                self.prev = Prev::Function;
                Kind::Keyword
            }
            "class" | "extends" => {
                self.prev = Prev::Class;
                Kind::Keyword
            }
            "new" => {
                self.prev = Prev::New;
                Kind::Keyword
            }
            "await" | "break" | "case" | "catch" | "const" | "continue" | "debugger"
            | "default" | "delete" | "do" | "else" | "export" | "finally" | "for" | "if"
            | "import" | "in" | "instanceof" | "let" | "return" | "switch" | "throw" | "try"
            | "typeof" | "var" | "void" | "while" | "with" | "yield" => {
                self.prev = Prev::Operator;
                Kind::Keyword
            }
            // Keywords only in some places; elsewhere names (`let from = 0`,
            // `{ get, set }`, `map.get(k)` is taken care of by the `.`).
            "as" | "async" | "from" | "get" | "of" | "set" | "static" => match next {
                b'(' if word != "async" => return None,
                b'=' | b',' | b';' | b')' | b']' | b'}' | b'.' | b':' => return None,
                _ => {
                    self.prev = Prev::Operator;
                    Kind::Keyword
                }
            },
            _ => return None,
        };
        Some(kind)
    }

    /// Lexes template text up to the next escape, `${` or closing `` ` ``.
    fn template(&mut self, l: &mut Lexer) {
        let start = l.pos();
        l.eat_while(|c| c != '`' && c != '\\' && c != '$');
        l.push(Kind::String, start);
        let at = l.pos();
        match l.peek() {
            b'`' => {
                l.bump();
                l.push(Kind::String, at);
                self.leave();
                self.prev = Prev::Value;
            }
            b'\\' => l.escape(escape_len(l.rest())),
            b'$' if l.eat("${") => {
                l.push(Kind::Interpolation, at);
                self.prev = Prev::Operator;
                self.enter(l, Frame::Code(0));
            }
            b'$' => {
                l.bump();
                l.push(Kind::String, at);
            }
            _ => {}
        }
    }

    /// Lexes the `<` or `<>` that opens a JSX element, and its tag's name.
    fn jsx_element(&mut self, l: &mut Lexer) {
        let start = l.pos();
        if l.eat("<>") {
            l.push(Kind::Punctuation, start);
            self.enter(l, Frame::Jsx(1, Jsx::Children));
        } else {
            l.bump();
            l.push(Kind::Punctuation, start);
            jsx_name(l);
            self.enter(l, Frame::Jsx(0, Jsx::Open));
        }
    }

    /// Lexes one token in a JSX element with `open` elements open.
    fn jsx(&mut self, l: &mut Lexer, open: u32, at: Jsx) {
        let start = l.pos();
        if at == Jsx::Children {
            match l.peek() {
                b'{' => {
                    l.bump();
                    l.push(Kind::Punctuation, start);
                    self.prev = Prev::Operator;
                    self.enter(l, Frame::Code(0));
                }
                b'<' if l.eat("</") => {
                    l.push(Kind::Punctuation, start);
                    jsx_name(l);
                    self.set_top(Frame::Jsx(open, Jsx::Close));
                }
                b'<' if l.eat("<>") => {
                    l.push(Kind::Punctuation, start);
                    self.set_top(Frame::Jsx(open.saturating_add(1), Jsx::Children));
                }
                b'<' if l.peek_at(1).is_ascii_alphabetic() => {
                    l.bump();
                    l.push(Kind::Punctuation, start);
                    jsx_name(l);
                    self.set_top(Frame::Jsx(open, Jsx::Open));
                }
                _ => {
                    l.eat_while(|c| c != '<' && c != '{');
                }
            }
            return;
        }
        match l.peek() {
            b' ' | b'\t' | b'\n' | b'\r' => {
                l.eat_while(|c| c.is_ascii_whitespace());
            }
            b'/' if l.peek_at(1) == b'>' => {
                l.eat("/>");
                l.push(Kind::Punctuation, start);
                self.close_element(open);
            }
            b'>' => {
                l.bump();
                l.push(Kind::Punctuation, start);
                match at {
                    Jsx::Open => self.set_top(Frame::Jsx(open.saturating_add(1), Jsx::Children)),
                    _ => self.close_element(open.saturating_sub(1)),
                }
            }
            b'/' if l.peek_at(1) == b'/' => l.line_comment(),
            b'/' if l.peek_at(1) == b'*' => l.block_comment("/*", "*/"),
            b'{' => {
                l.bump();
                l.push(Kind::Punctuation, start);
                self.prev = Prev::Operator;
                self.enter(l, Frame::Code(0));
            }
            q @ (b'"' | b'\'') => l.string(q, false, true),
            b'=' => {
                l.bump();
                l.push(Kind::Operator, start);
            }
            _ if at == Jsx::Close => jsx_name(l),
            _ => {
                if !l.eat_ident(b"$-:.").is_empty() {
                    l.push(Kind::Attribute, start);
                }
            }
        }
    }

    /// Ends a JSX element, leaving `open` elements of its tree open.
    fn close_element(&mut self, open: u32) {
        if open == 0 {
            self.leave();
            self.prev = Prev::Value;
        } else {
            self.set_top(Frame::Jsx(open, Jsx::Children));
        }
    }
}

/// The length of the escape at the start of `rest`, on its backslash:
/// `\u{1F600}`, `\u00e9`, `\x41`, a line continuation, or one character.
fn escape_len(rest: &str) -> usize {
    let s = rest.as_bytes();
    let hex = |from: usize, most: usize| {
        let tail = s.get(from..).unwrap_or_default();
        tail.iter()
            .take(most)
            .take_while(|b| b.is_ascii_hexdigit())
            .count()
    };
    match s.get(1) {
        Some(b'u') if s.get(2) == Some(&b'{') => {
            let n = hex(3, 8);
            if s.get(3 + n) == Some(&b'}') {
                4 + n
            } else {
                2
            }
        }
        Some(b'u') if hex(2, 4) == 4 => 6,
        Some(b'x') if hex(2, 2) == 2 => 4,
        Some(b'\r') if s.get(2) == Some(&b'\n') => 3,
        _ => char_escape_len(rest),
    }
}

/// Lexes a JSX tag's name: a tag when lower-case (`div`), a type when a
/// component (`Button`, `ui.Card`).
fn jsx_name(l: &mut Lexer) {
    let start = l.pos();
    let name = l.eat_ident(b"$-:.");
    if let Some(first) = name.bytes().next() {
        let kind = if first.is_ascii_lowercase() && !name.contains('.') {
            Kind::Tag
        } else {
            Kind::Type
        };
        l.push(kind, start);
    }
}

/// The kind a name's case gives it: SCREAMING_CASE a constant, CapitalCase
/// a type (a constructor), else plain.
fn case_kind(word: &str) -> Kind {
    let b = word.as_bytes();
    if b.len() > 1
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
    {
        Kind::Constant
    } else if b.first().is_some_and(u8::is_ascii_uppercase) {
        Kind::Type
    } else {
        Kind::Plain
    }
}

/// Whether `s` starts with a character that begins a name.
fn is_ident_start(s: &str) -> bool {
    match s.chars().next() {
        Some(c) if c.is_ascii() => c.is_ascii_alphabetic() || c == '_' || c == '$',
        Some(c) => c.is_alphabetic(),
        None => false,
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Whether `rest` (just after a name) goes on with `sep` (`=` or `:`) and a
/// function: `function`, `async`, `(a, b) =>` or `a =>`. Looks at most
/// `LOOK` bytes past the `sep`.
fn function_follows(rest: &str, sep: u8) -> bool {
    let rest = rest.as_bytes();
    let mut i = skip_spaces(rest, 0);
    if rest.get(i) != Some(&sep) {
        return false;
    }
    i += 1;
    if sep == b'=' && matches!(rest.get(i), Some(b'=' | b'>')) {
        return false;
    }
    i = skip_spaces(rest, i);
    let tail = &rest[i.min(rest.len())..];
    let tail = &tail[..tail.len().min(LOOK)];
    if starts_with_word(tail, b"function") || starts_with_word(tail, b"async") {
        return true;
    }
    match tail.first() {
        Some(b'(') => {
            let mut depth = 0u32;
            for (j, b) in tail.iter().enumerate() {
                match b {
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            return arrow_at(tail, j + 1);
                        }
                    }
                    _ => {}
                }
            }
            false
        }
        Some(b) if is_ident_byte(*b) => {
            let end = tail.iter().position(|b| !is_ident_byte(*b));
            end.is_some_and(|j| arrow_at(tail, j))
        }
        _ => false,
    }
}

fn starts_with_word(s: &[u8], word: &[u8]) -> bool {
    s.starts_with(word) && !s.get(word.len()).copied().is_some_and(is_ident_byte)
}

/// Whether `=>` follows offset `i` of `s`, after spaces.
fn arrow_at(s: &[u8], i: usize) -> bool {
    let i = skip_spaces(s, i);
    s.get(i..).is_some_and(|s| s.starts_with(b"=>"))
}

fn skip_spaces(s: &[u8], mut i: usize) -> usize {
    while matches!(s.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// The length of the regex literal (flags included) at the start of
/// `rest`, on its `/`; or, when the line ends before the closing `/`, how
/// far the scan went.
fn regex_len(rest: &[u8]) -> Result<usize, usize> {
    let mut class = false;
    let mut i = 1;
    while let Some(&b) = rest.get(i) {
        match b {
            b'\\' if matches!(rest.get(i + 1), Some(b'\n' | b'\r') | None) => return Err(i),
            b'\\' => i += 1,
            b'\n' | b'\r' => return Err(i),
            b'[' => class = true,
            b']' => class = false,
            b'/' if !class => {
                i += 1;
                while rest.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
                return Ok(i);
            }
            _ => {}
        }
        i += 1;
    }
    Err(i)
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{each_lexes, every_prefix, kind_of, plain, tokens, Kind};
    use super::lex;

    #[test]
    fn keywords_literals_and_builtins() {
        let t = tokens(
            "const x = typeof y; if (this.a) return null; let u = undefined, n = NaN;",
            lex,
        );
        assert_eq!(kind_of(&t, "const"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "typeof"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "return"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "this"), Some(Kind::VariableBuiltin));
        assert_eq!(kind_of(&t, "null"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "undefined"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "NaN"), Some(Kind::ConstantBuiltin));
        assert!(plain(&t, "x"));
        assert_eq!(kind_of(&t, "="), Some(Kind::Operator));
        assert_eq!(kind_of(&t, ";"), Some(Kind::Punctuation));
        let t = tokens("const fs = require('fs');\nconsole.log(super.x);", lex);
        assert_eq!(kind_of(&t, "require"), Some(Kind::FunctionBuiltin));
        assert_eq!(kind_of(&t, "console"), Some(Kind::VariableBuiltin));
        assert_eq!(kind_of(&t, "super"), Some(Kind::VariableBuiltin));
    }

    #[test]
    fn contextual_keywords_are_names_elsewhere() {
        let t = tokens(
            "import { a as b } from \"m\";\nfor (const v of vs) {}\nclass K { static get size() {} }\nlet from = 1;",
            lex,
        );
        assert_eq!(kind_of(&t, "as"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "from"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "of"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "static"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "get"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "size"), Some(Kind::Function));
        assert!(plain(&t, "from"));
        let t = tokens("m.get(k); const { get, set } = m; async () => 1;", lex);
        assert_eq!(kind_of(&t, "get"), Some(Kind::Function));
        assert!(plain(&t, "set"));
        assert_eq!(kind_of(&t, "async"), Some(Kind::Keyword));
    }

    #[test]
    fn functions_properties_types_and_constants() {
        let t = tokens(
            "function grow(n) {}\nconst area = (w, h) => w * h;\nlet f = function () {};\nobj.run = async () => {};\nobj.len;\nemit(x);\nitems.map(fn);\nnew Map();\nconst MAX_LEN = Point.ORIGIN;\nhtml`<b>`;",
            lex,
        );
        assert_eq!(kind_of(&t, "grow"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "area"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "f"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "run"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "len"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "emit"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "map"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "Map"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "MAX_LEN"), Some(Kind::Constant));
        assert_eq!(kind_of(&t, "Point"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "ORIGIN"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "html"), Some(Kind::Function));
        let t = tokens(
            "class Tree extends Base { #size = 0; grow() { this.#size++; } }",
            lex,
        );
        assert_eq!(kind_of(&t, "class"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "Tree"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "extends"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "Base"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "grow"), Some(Kind::Function));
        assert!(plain(&t, "#size"));
        assert_eq!(kind_of(&t, "#size"), Some(Kind::Property));
        let t = tokens("class C extends mixin(Base) {}", lex);
        assert_eq!(kind_of(&t, "C"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "mixin"), Some(Kind::Function));
    }

    #[test]
    fn keys_and_labels() {
        let t = tokens(
            "const o = { name: 1, class: 'c', handler: function () {}, default: 2 };\nouter: for (;;) { break outer; }\nx = a ? b : c;\nswitch (k) { case 1: break; default: }",
            lex,
        );
        assert_eq!(kind_of(&t, "name"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "class"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "handler"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "default"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "outer"), Some(Kind::Label));
        assert!(plain(&t, "b"));
        assert_eq!(kind_of(&t, "case"), Some(Kind::Keyword));
    }

    #[test]
    fn strings_escapes_and_templates() {
        let t = tokens(
            "let s = 'it\\'s' + \"a\\n\";\nlet t = `sum: ${a + f(`in ${b}`)} \\u{1F600} $x`;",
            lex,
        );
        assert_eq!(kind_of(&t, "'it"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\'"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "\\n"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "`sum: "), Some(Kind::String));
        assert_eq!(kind_of(&t, "${"), Some(Kind::Interpolation));
        assert_eq!(kind_of(&t, "f"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "`in "), Some(Kind::String));
        assert!(plain(&t, "b"));
        assert_eq!(kind_of(&t, "}"), Some(Kind::Interpolation));
        assert_eq!(kind_of(&t, "\\u{1F600}"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, " $x`"), Some(Kind::String));
        let t = tokens("'\\u00e9\\x41\\u{zz}' \"a\\\r\nb\"", lex);
        assert_eq!(kind_of(&t, "\\u00e9\\x41\\u"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "{zz}'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\\r\n"), Some(Kind::Escape));
        // Braces inside an interpolation do not end it.
        let t = tokens("`${ {a: 1}.a }done`", lex);
        assert_eq!(kind_of(&t, "a"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "done`"), Some(Kind::String));
    }

    #[test]
    fn regexes_and_division() {
        let t = tokens(
            "let r = /[/\\]]+\\/x/gi; let q = a / b / c; if (/^a/.test(s)) x = (n) / 2;",
            lex,
        );
        assert_eq!(kind_of(&t, "/[/\\]]+\\/x/gi"), Some(Kind::Regex));
        assert_eq!(kind_of(&t, "/^a/"), Some(Kind::Regex));
        assert_eq!(kind_of(&t, "/"), Some(Kind::Operator));
        assert!(!t
            .iter()
            .any(|(k, s)| *k == Kind::Regex && s.contains(" b ")));
        let t = tokens("return /a b/.exec(s)[0] / 2; i++ / 2; x = y /\nz / 3", lex);
        assert_eq!(kind_of(&t, "/a b/"), Some(Kind::Regex));
        assert_eq!(t.iter().filter(|(k, _)| *k == Kind::Regex).count(), 1);
    }

    #[test]
    fn numbers_comments_and_shebang() {
        let t = tokens(
            "#!/usr/bin/env node\n// line\n/* block */ x = 0xFF + 0b1010 + 0o17 + 1_000 + 1e3 + 10n + .5;",
            lex,
        );
        assert_eq!(kind_of(&t, "#!/usr/bin/env node"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "// line"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "/* block */"), Some(Kind::Comment));
        for n in ["0xFF", "0b1010", "0o17", "1_000", "1e3", "10n", ".5"] {
            assert_eq!(kind_of(&t, n), Some(Kind::Number), "{n}");
        }
        let t = tokens("a?.b; c ?? d; e?.5:1; [...xs]", lex);
        assert_eq!(kind_of(&t, "?."), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "b"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "??"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, ".5"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "[..."), Some(Kind::Punctuation));
    }

    #[test]
    fn jsx_tags_attributes_and_text() {
        let t = tokens(
            "return (\n  <div className=\"box\" onClick={() => go(1)}>\n    Don't {n > 1 ? <b>many</b> : <Icon.Star />}\n    <>x</>\n  </div>\n);\nconst k = a < b;",
            lex,
        );
        assert_eq!(kind_of(&t, "<"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "div"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "className"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "\"box\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "go"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "b"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "Icon.Star"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "/>}"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "<>"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "</>"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "</"), Some(Kind::Punctuation));
        assert!(t
            .iter()
            .any(|(k, s)| *k == Kind::Plain && s.contains("Don't")));
        // After the element, code again: `const` and a `<` that compares.
        assert_eq!(kind_of(&t, "const"), Some(Kind::Keyword));
        assert_eq!(
            t.iter().rfind(|(_, s)| s == "<").map(|(k, _)| *k),
            Some(Kind::Operator)
        );
        assert!(plain(&t, "k"));
    }

    #[test]
    fn benchmark_sample() {
        let code = "function garden(items) {\n  const river = items.filter((x) => x > 42);\n  console.log(`garden: ${river.length}`);\n  return river.map((x) => x * 2);\n}\n";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "function"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "garden"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "const"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "filter"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "=>"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "42"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "console"), Some(Kind::VariableBuiltin));
        assert_eq!(kind_of(&t, "log"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "`garden: "), Some(Kind::String));
        assert_eq!(kind_of(&t, "${"), Some(Kind::Interpolation));
        assert_eq!(kind_of(&t, "length"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "return"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "map"), Some(Kind::Function));
    }

    #[test]
    fn every_prefix_lexes() {
        let code = "\u{feff}#!/bin/node\n/* é */ import x, { y as z } from 'm\\'';\nconst ÿ = `a ${ `b ${c}` } \\` $`; // 🚀\nlabel: for (let i = 0x1F; i < 1e3; i++) { r = /[/]\\/é/g.test(s) ? a / b : {k: 1n}; }\nclass A extends B { #p = () => <div id=\"x\" {...p}>t {v} <br/></div>; get q() { return this.#p?.(); } }\r\n";
        every_prefix(code, lex);
    }

    #[test]
    fn broken_input_keeps_every_byte() {
        each_lexes(
            &[
                "'unterminated\nx",
                "\"tail\\",
                "`open ${ a + `deeper ${",
                "/unclosed regex\n/ still",
                "/* open comment",
                "x = <div attr=\"open",
                "<a>{<b>{<c>",
                "}}}} ))) ]]] `",
                "\u{0}\t\r\n",
                "é = 'ü' + \"🚀\" / 2",
                "\\",
                "#",
                "a.",
                "?.",
                "x = (a, b",
                "f = (((((",
            ],
            lex,
        );
        // Nesting past the limit leaves the rest plain, without recursion.
        let deep = "`${".repeat(500);
        tokens(&deep, lex);
        let deep = "x = <a>{".repeat(500);
        tokens(&deep, lex);
    }
}
