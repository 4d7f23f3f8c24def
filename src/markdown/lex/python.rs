//! Python: keywords (`match`, `case` and `type` only where they open a
//! statement), `True`/`None`, `self`/`cls`, strings with any prefix and their
//! escapes (none in raw strings), f-string fields with the expression inside
//! lexed as Python, numbers, comments, operators and punctuation. Names are
//! coloured by their place: after `def` and before `(` as functions (the
//! language's own as builtins), after `class`, in annotations and in
//! CapitalCase as types, in SCREAMING_CASE as constants, after a `.` as
//! properties; decorators as functions. Other names are left plain.

use super::toolkit::{
    char_escape_len, hex_escape_len, is_screaming, octal_escape_len, Kind, Lexer,
};

/// How deep f-strings nest in each other's fields; a `{` deeper than this
/// is left as string text.
const MAX_NEST: u8 = 16;

pub(super) fn lex(l: &mut Lexer) {
    let mut py = Py::new(0);
    l.each(|l| py.step(l));
}

/// What the previous significant token was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Nothing yet in this statement.
    Start,
    /// A name, literal or closing bracket: a `.` after it reaches an attribute.
    Value,
    Other,
}

/// What the next token is expected to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Any,
    /// The name after `def`.
    DefName,
    /// The name after `class`.
    ClassName,
    /// The `(` of the parameter list after a `def`'s name.
    Params,
}

/// The state of a lexer over Python code (the whole block, or the
/// expression in an f-string's field).
struct Py {
    /// How many f-string fields this lexer is inside.
    nest: u8,
    /// Open brackets.
    depth: u32,
    last: Last,
    /// At the start of a statement (soft keywords and decorators are only
    /// recognised there).
    stmt_start: bool,
    /// The statement so far is only names and dots, so a `:` at depth 0
    /// starts a variable's annotation.
    names_only: bool,
    /// The previous token was a `.` after a value.
    attr: bool,
    next: Next,
    /// The depth inside the parameter list of the `def` being lexed.
    params: Option<u32>,
    /// In an annotation begun at this depth: names are types.
    annot: Option<u32>,
    /// `lambda`s whose `:` is still to come (that `:` starts no annotation).
    lambdas: u32,
}

impl Py {
    fn new(nest: u8) -> Self {
        Py {
            nest,
            depth: 0,
            last: Last::Start,
            stmt_start: true,
            names_only: true,
            attr: false,
            next: Next::Any,
            params: None,
            annot: None,
            lambdas: 0,
        }
    }

    /// Lexes one token (or a run of spaces) at the cursor.
    fn step(&mut self, l: &mut Lexer) {
        let start = l.pos();
        let b = l.peek();
        match b {
            b'\n' => {
                l.bump();
                if self.depth == 0 {
                    self.new_statement();
                }
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => {
                l.eat_while(|c| matches!(c, ' ' | '\t' | '\r' | '\x0c'));
            }
            b'#' => l.line_comment(),
            b'\\' => {
                // A line continuation: the statement goes on.
                l.bump();
                if !l.eat("\r\n") {
                    l.eat_byte(b'\n');
                }
            }
            b'"' | b'\'' => self.string(l, start, false, false),
            b'0'..=b'9' => self.number(l, start),
            b'.' if l.peek_at(1).is_ascii_digit() => self.number(l, start),
            b'.' => {
                if l.eat("...") {
                    l.push(Kind::Punctuation, start);
                    self.seen(Last::Value, false);
                } else {
                    l.bump();
                    l.push(Kind::Punctuation, start);
                    let attr = self.last == Last::Value;
                    self.seen(Last::Other, true);
                    self.attr = attr;
                }
            }
            b'@' if self.stmt_start => self.decorator(l, start),
            b'(' | b'[' | b'{' => {
                let params = b == b'(' && self.next == Next::Params;
                l.bump();
                l.push(Kind::Punctuation, start);
                self.depth += 1;
                if params {
                    self.params = Some(self.depth);
                }
                self.seen(Last::Other, false);
            }
            b')' | b']' | b'}' => {
                self.end_annotation();
                if self.params == Some(self.depth) {
                    self.params = None;
                }
                self.depth = self.depth.saturating_sub(1);
                l.bump();
                l.push(Kind::Punctuation, start);
                self.seen(Last::Value, false);
            }
            b',' => {
                self.end_annotation();
                l.bump();
                l.push(Kind::Punctuation, start);
                self.seen(Last::Other, false);
            }
            b';' => {
                l.bump();
                l.push(Kind::Punctuation, start);
                if self.depth == 0 {
                    self.new_statement();
                } else {
                    self.seen(Last::Other, false);
                }
            }
            b':' if l.peek_at(1) != b'=' => {
                l.bump();
                l.push(Kind::Punctuation, start);
                let after_name = self.last == Last::Value;
                if self.annot == Some(self.depth) {
                    self.annot = None;
                } else if self.lambdas > 0 {
                    self.lambdas -= 1;
                } else if after_name
                    && ((self.depth == 0 && self.names_only) || self.params == Some(self.depth))
                {
                    // `x: int = 0`, `def f(x: int)`: the annotation follows.
                    self.seen(Last::Other, false);
                    self.annot = Some(self.depth);
                    return;
                }
                self.seen(Last::Other, false);
            }
            _ if l.at_ident_start() => self.word(l, start),
            _ => self.operator(l, start),
        }
    }

    /// Resets what a statement's start resets.
    fn new_statement(&mut self) {
        self.stmt_start = true;
        self.names_only = true;
        self.last = Last::Start;
        self.attr = false;
        self.next = Next::Any;
        self.params = None;
        self.annot = None;
        self.lambdas = 0;
    }

    /// Records a significant token: what it was, and whether it is a name or
    /// a dot (which keep a statement a candidate for an annotation).
    fn seen(&mut self, last: Last, name: bool) {
        self.last = last;
        self.stmt_start = false;
        self.names_only &= name;
        self.attr = false;
        self.next = Next::Any;
    }

    /// Ends the annotation begun at the current depth (at a `,`, `=`, `:` or
    /// closing bracket there).
    fn end_annotation(&mut self) {
        if self.annot == Some(self.depth) {
            self.annot = None;
        }
    }

    fn number(&mut self, l: &mut Lexer, start: usize) {
        l.eat_number();
        l.push(Kind::Number, start);
        self.seen(Last::Value, false);
    }

    /// `@name.attr` at a statement's start.
    fn decorator(&mut self, l: &mut Lexer, start: usize) {
        l.bump();
        loop {
            if l.eat_ident(&[]).is_empty() {
                break;
            }
            if l.peek() == b'.' && (l.peek_at(1).is_ascii_alphabetic() || l.peek_at(1) == b'_') {
                l.bump();
            } else {
                break;
            }
        }
        l.push(Kind::Function, start);
        self.seen(Last::Value, false);
    }

    fn operator(&mut self, l: &mut Lexer, start: usize) {
        let (b, b1, b2) = (l.peek(), l.peek_at(1), l.peek_at(2));
        let len = match (b, b1, b2) {
            (b'*', b'*', b'=') | (b'/', b'/', b'=') | (b'>', b'>', b'=') | (b'<', b'<', b'=') => 3,
            (b'-', b'>', _)
            | (b':', b'=', _)
            | (b'*', b'*', _)
            | (b'/', b'/', _)
            | (b'<', b'<', _)
            | (b'>', b'>', _)
            | (b'<', b'>', _) => 2,
            (
                b'=' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^'
                | b'@',
                b'=',
                _,
            ) => 2,
            (
                b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'~' | b'<' | b'>' | b'='
                | b'@' | b'!',
                _,
                _,
            ) => 1,
            _ => return,
        };
        l.advance(len);
        l.push(Kind::Operator, start);
        if len == 1 && b == b'=' {
            self.end_annotation();
        }
        self.seen(Last::Other, false);
        if b == b'-' && b1 == b'>' {
            self.annot = Some(self.depth);
        }
    }

    /// A name, or a string's prefix.
    fn word(&mut self, l: &mut Lexer, start: usize) {
        let w = l.eat_ident(&[]);
        if matches!(l.peek(), b'"' | b'\'') {
            if let Some((raw, fmt)) = prefix(w) {
                self.string(l, start, raw, fmt);
                return;
            }
        }
        let kind = self.classify(l, w);
        l.push(kind, start);
    }

    /// The kind of the name `w` just passed, updating the state.
    fn classify(&mut self, l: &Lexer, w: &str) -> Kind {
        let (attr, next, stmt_start) = (self.attr, self.next, self.stmt_start);
        self.seen(Last::Value, true);
        if attr {
            return if self.annot.is_some() {
                Kind::Type
            } else if let Some(kind) = by_case(w) {
                kind
            } else if called(l) {
                Kind::Function
            } else {
                Kind::Property
            };
        }
        match next {
            Next::DefName => {
                self.next = Next::Params;
                return Kind::Function;
            }
            Next::ClassName => return Kind::Type,
            _ => {}
        }
        match w {
            "as" | "assert" | "async" | "await" | "break" | "class" | "continue" | "def"
            | "del" | "elif" | "else" | "except" | "finally" | "for" | "from" | "global" | "if"
            | "import" | "lambda" | "nonlocal" | "pass" | "raise" | "return" | "try" | "while"
            | "with" | "yield" => {
                self.last = Last::Other;
                self.names_only = false;
                self.annot = None;
                match w {
                    "def" => self.next = Next::DefName,
                    "class" => self.next = Next::ClassName,
                    "lambda" => self.lambdas += 1,
                    _ => {}
                }
                return Kind::Keyword;
            }
            "match" | "case" | "type" if stmt_start && soft_keyword(l, w) => {
                self.last = Last::Other;
                self.names_only = false;
                return Kind::Keyword;
            }
            "and" | "or" | "not" | "in" | "is" => {
                self.last = Last::Other;
                self.names_only = false;
                return Kind::Operator;
            }
            "True" | "False" | "None" | "Ellipsis" | "NotImplemented" | "__debug__" => {
                self.names_only = false;
                return Kind::ConstantBuiltin;
            }
            "self" | "cls" => return Kind::VariableBuiltin,
            _ => {}
        }
        if self.annot.is_some() {
            return Kind::Type;
        }
        if let Some(kind) = by_case(w) {
            return kind;
        }
        if called(l) {
            return call_kind(w);
        }
        Kind::Plain
    }

    /// A string opened at the cursor, its prefix (if any) from `start`.
    fn string(&mut self, l: &mut Lexer, start: usize, raw: bool, fmt: bool) {
        let q = l.peek();
        let triple = l.peek_at(1) == q && l.peek_at(2) == q;
        let close = match (q, triple) {
            (b'"', true) => "\"\"\"",
            (b'"', false) => "\"",
            (_, true) => "'''",
            _ => "'",
        };
        l.advance(close.len());
        let mut from = start;
        loop {
            if l.at_end() || l.eat(close) {
                break;
            }
            let b = l.peek();
            match b {
                b'\n' if !triple => break,
                b'\\' if raw => {
                    // Not an escape, but the backslash still keeps a quote
                    // after it in the string.
                    l.bump();
                    l.bump();
                }
                b'\\' => {
                    l.push(Kind::String, from);
                    l.escape(escape_len(l.rest()));
                    from = l.pos();
                }
                b'{' | b'}' if fmt && l.peek_at(1) == b => {
                    l.push(Kind::String, from);
                    l.escape(2);
                    from = l.pos();
                }
                b'{' if fmt && self.nest < MAX_NEST => {
                    l.push(Kind::String, from);
                    let at = l.pos();
                    l.bump();
                    l.push(Kind::Interpolation, at);
                    field(l, self.nest + 1, q, triple);
                    from = l.pos();
                }
                _ => l.bump(),
            }
        }
        l.push(Kind::String, from);
        self.seen(Last::Value, false);
    }
}

/// The rest of an f-string's field after its `{`: the expression lexed as
/// Python, then a `!r` conversion and a format spec as string text, to the
/// closing `}`. `q` is the string's quote; a field in a one-line string ends
/// at the line's end.
fn field(l: &mut Lexer, nest: u8, q: u8, triple: bool) {
    let mut inner = Py::new(nest);
    inner.stmt_start = false;
    loop {
        if l.at_end() {
            return;
        }
        let b = l.peek();
        if b == b'\n' && !triple {
            return;
        }
        if inner.depth == 0 {
            match b {
                b'}' => {
                    let at = l.pos();
                    l.bump();
                    l.push(Kind::Interpolation, at);
                    return;
                }
                b'!' if l.peek_at(1) != b'=' => {
                    let at = l.pos();
                    l.bump();
                    l.eat_ident(&[]);
                    l.push(Kind::String, at);
                    continue;
                }
                b':' => return spec(l, nest, q, triple),
                _ => {}
            }
        }
        let before = l.pos();
        inner.step(l);
        if l.pos() == before {
            l.bump();
        }
    }
}

/// A field's format spec from its `:` to the closing `}`, as string text;
/// a `{` in it opens a nested field.
fn spec(l: &mut Lexer, nest: u8, q: u8, triple: bool) {
    let mut from = l.pos();
    l.bump();
    loop {
        if l.at_end() {
            break;
        }
        let b = l.peek();
        if (b == b'\n' && !triple) || b == q {
            break;
        }
        if b == b'}' || (b == b'{' && nest < MAX_NEST) {
            l.push(Kind::String, from);
            let at = l.pos();
            l.bump();
            l.push(Kind::Interpolation, at);
            if b == b'}' {
                return;
            }
            field(l, nest + 1, q, triple);
            from = l.pos();
            continue;
        }
        l.bump();
    }
    l.push(Kind::String, from);
}

/// The length of the escape at the start of `rest`, on its backslash:
/// `\n`, `\x41`, `\u00e9`, `\U0001F600`, `\N{DASH}`, `\101`, a line
/// continuation.
fn escape_len(rest: &str) -> usize {
    let b = rest.as_bytes();
    match b.get(1) {
        Some(b'x') => hex_escape_len(rest, 2),
        Some(b'u') => hex_escape_len(rest, 4),
        Some(b'U') => hex_escape_len(rest, 8),
        Some(b'N') if b.get(2) == Some(&b'{') => {
            let name = b[3..]
                .iter()
                .take_while(|c| !matches!(c, b'}' | b'\n' | b'"' | b'\''))
                .count();
            3 + name + usize::from(b.get(3 + name) == Some(&b'}'))
        }
        Some(b'0'..=b'7') => octal_escape_len(rest),
        Some(b'\r') if b.get(2) == Some(&b'\n') => 3,
        _ => char_escape_len(rest),
    }
}

/// Whether a string's prefix is `w`: (raw, formatted) when it is.
fn prefix(w: &str) -> Option<(bool, bool)> {
    if w.len() > 2 {
        return None;
    }
    let (mut raw, mut fmt, mut other) = (false, false, 0);
    for b in w.bytes() {
        match b.to_ascii_lowercase() {
            b'r' if !raw => raw = true,
            b'f' | b't' if !fmt && other == 0 => fmt = true,
            b'b' | b'u' if !fmt && other == 0 => other += 1,
            _ => return None,
        }
    }
    // `u` takes no other letter.
    if w.eq_ignore_ascii_case("ur") || w.eq_ignore_ascii_case("ru") {
        return None;
    }
    Some((raw, fmt))
}

/// `MAX_LEN` is a constant and `HttpError` a type (leading `_`s aside).
fn by_case(w: &str) -> Option<Kind> {
    let name = w.trim_start_matches('_');
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        None
    } else if is_screaming(name) {
        Some(Kind::Constant)
    } else {
        Some(Kind::Type)
    }
}

/// Whether the name just passed is called (a `(` follows).
fn called(l: &Lexer) -> bool {
    l.peek_past_spaces() == b'('
}

/// Whether the soft keyword `w` at a statement's start opens a `match`,
/// `case` or `type` statement: the next token begins an expression or
/// pattern (`match x:`), not an assignment or call (`match = 1`,
/// `type(x)`); `(` counts only after a space.
fn soft_keyword(l: &Lexer, w: &str) -> bool {
    let spaced = matches!(l.peek(), b' ' | b'\t');
    let n = l.peek_past_spaces();
    let name = n.is_ascii_alphabetic() || n == b'_' || n >= 0x80;
    if w == "type" {
        return name && spaced;
    }
    name || n.is_ascii_digit()
        || matches!(n, b'"' | b'\'' | b'[' | b'{' | b'-' | b'~' | b'*')
        || (n == b'(' && spaced)
}

/// The kind of a called name: the language's own functions are builtins.
fn call_kind(w: &str) -> Kind {
    match w {
        "__import__" | "abs" | "aiter" | "all" | "anext" | "any" | "ascii" | "bin" | "bool"
        | "breakpoint" | "bytearray" | "bytes" | "callable" | "chr" | "classmethod" | "compile"
        | "complex" | "delattr" | "dict" | "dir" | "divmod" | "enumerate" | "eval" | "exec"
        | "filter" | "float" | "format" | "frozenset" | "getattr" | "globals" | "hasattr"
        | "hash" | "help" | "hex" | "id" | "input" | "int" | "isinstance" | "issubclass"
        | "iter" | "len" | "list" | "locals" | "map" | "max" | "memoryview" | "min" | "next"
        | "object" | "oct" | "open" | "ord" | "pow" | "print" | "property" | "range" | "repr"
        | "reversed" | "round" | "set" | "setattr" | "slice" | "sorted" | "staticmethod"
        | "str" | "sum" | "super" | "tuple" | "type" | "vars" | "zip" => Kind::FunctionBuiltin,
        _ => Kind::Function,
    }
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{
        assert_kinds, each_lexes, every_prefix, kind_of_trimmed, kinds, only_plain, tokens, Kind,
    };
    use super::lex;

    #[test]
    fn benchmark_sample() {
        let code = "def garden_river(items):\n    data_v = [x * 42 for x in items if x % 3]\n    if len(data_v) > 42:\n        return sum(data_v)\n    return data_v\n";
        let t = tokens(code, lex);
        assert_eq!(kind_of_trimmed(&t, "def"), Some(Kind::Keyword));
        assert_eq!(kind_of_trimmed(&t, "garden_river"), Some(Kind::Function));
        assert!(only_plain(&t, "items"), "items");
        assert_eq!(kind_of_trimmed(&t, "for"), Some(Kind::Keyword));
        assert_eq!(kind_of_trimmed(&t, "in"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "42"), Some(Kind::Number));
        assert_eq!(kind_of_trimmed(&t, "len"), Some(Kind::FunctionBuiltin));
        assert_eq!(kind_of_trimmed(&t, "sum"), Some(Kind::FunctionBuiltin));
        assert_eq!(kind_of_trimmed(&t, "return"), Some(Kind::Keyword));
        assert_eq!(kind_of_trimmed(&t, "*"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "["), Some(Kind::Punctuation));
        assert_eq!(kind_of_trimmed(&t, "):"), Some(Kind::Punctuation));
    }

    #[test]
    fn names_by_place_and_case() {
        let t = tokens(
            "class Tree(Base):\n    MAX_DEPTH = 3\n    def grow(self, n): return self.leaves.add(n)\n\nt = Tree()\ncls.count\nhelper(1)\nprint(True, None, False, Ellipsis)\n",
            lex,
        );
        assert_eq!(kind_of_trimmed(&t, "class"), Some(Kind::Keyword));
        assert_eq!(kind_of_trimmed(&t, "Tree"), Some(Kind::Type));
        assert_eq!(kind_of_trimmed(&t, "Base"), Some(Kind::Type));
        assert_eq!(kind_of_trimmed(&t, "MAX_DEPTH"), Some(Kind::Constant));
        assert_eq!(kind_of_trimmed(&t, "grow"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "self"), Some(Kind::VariableBuiltin));
        assert_eq!(kind_of_trimmed(&t, "cls"), Some(Kind::VariableBuiltin));
        assert_eq!(kind_of_trimmed(&t, "leaves"), Some(Kind::Property));
        assert_eq!(kind_of_trimmed(&t, "count"), Some(Kind::Property));
        assert_eq!(kind_of_trimmed(&t, "add"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "helper"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "print"), Some(Kind::FunctionBuiltin));
        for c in ["True", "None", "False", "Ellipsis"] {
            assert_eq!(kind_of_trimmed(&t, c), Some(Kind::ConstantBuiltin), "{c}");
        }
        assert!(only_plain(&t, "t"), "t");
        // A builtin's name not called, and a method named like a builtin.
        let t = tokens("x = list\ny = obj.print(1)\n", lex);
        assert!(only_plain(&t, "list"), "list");
        assert_eq!(kind_of_trimmed(&t, "print"), Some(Kind::Function));
    }

    #[test]
    fn annotations_are_types() {
        let t = tokens(
            "def f(a: int, b: str = \"x\") -> Optional[float]:\n    count: dict = {k: v}\n",
            lex,
        );
        assert_eq!(kind_of_trimmed(&t, "int"), Some(Kind::Type));
        assert_eq!(kind_of_trimmed(&t, "str"), Some(Kind::Type));
        assert_eq!(kind_of_trimmed(&t, "float"), Some(Kind::Type));
        assert_eq!(kind_of_trimmed(&t, "Optional"), Some(Kind::Type));
        assert_eq!(kind_of_trimmed(&t, "->"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "dict"), Some(Kind::Type));
        assert!(only_plain(&t, "b"), "b");
        assert!(only_plain(&t, "k"), "k");
        assert!(only_plain(&t, "v"), "v");
        // Not annotations: a slice, a lambda, a dict, a compound statement.
        let t = tokens("y = x[a:b]\nf = lambda q: q\nd = {m: n}\nif w: z\ndef g(key=lambda r: r, s: str): pass\n", lex);
        assert_eq!(kind_of_trimmed(&t, "str"), Some(Kind::Type));
        for name in ["b", "q", "n", "z", "r"] {
            let kinds = kinds(&t, name);
            assert!(kinds.iter().all(|k| *k == Kind::Plain), "{name}: {kinds:?}");
        }
    }

    #[test]
    fn soft_keywords_only_open_statements() {
        let t = tokens(
            "match command:\n    case [x, y]:\n        pass\n    case _:\n        pass\n",
            lex,
        );
        assert_eq!(kind_of_trimmed(&t, "match"), Some(Kind::Keyword));
        assert_eq!(kind_of_trimmed(&t, "case"), Some(Kind::Keyword));
        let t = tokens("type Pair = tuple[int, int]\n", lex);
        assert_eq!(kind_of_trimmed(&t, "type"), Some(Kind::Keyword));
        let t = tokens(
            "match = re.match(p, s)\ncase(1)\ntype(x)\nm.type = 2\n",
            lex,
        );
        assert_eq!(t[0], (Kind::Plain, "match ".into()));
        assert!(t.contains(&(Kind::Function, "match".into())));
        assert_eq!(kind_of_trimmed(&t, "case"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "type"), Some(Kind::FunctionBuiltin));
        assert!(t.contains(&(Kind::Property, "type".into())));
    }

    #[test]
    fn decorators_are_functions() {
        let t = tokens(
            "@app.route(\"/\")\n@staticmethod\ndef f(): pass\nx = a @ b\n",
            lex,
        );
        assert_eq!(kind_of_trimmed(&t, "@app.route"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "@staticmethod"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "@"), Some(Kind::Operator));
    }

    #[test]
    fn strings_prefixes_and_escapes() {
        let t = tokens(
            r#"a = "x\ty" + 'q\'' + b"\x00" + r"\d+\"" + Rb'\n' + u"\N{DASH}\u00e9""#,
            lex,
        );
        assert_eq!(kind_of_trimmed(&t, "\"x"), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "\\t"), Some(Kind::Escape));
        assert_eq!(kind_of_trimmed(&t, "\\'"), Some(Kind::Escape));
        assert_eq!(kind_of_trimmed(&t, "\\x00"), Some(Kind::Escape));
        assert_eq!(kind_of_trimmed(&t, "r\"\\d+\\\"\""), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "Rb'\\n'"), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "\\N{DASH}\\u00e9"), Some(Kind::Escape));
        let t = tokens(
            "doc = \"\"\"Line one\n'still' \"in\" it\n\"\"\"\nx = 1\n",
            lex,
        );
        assert_eq!(
            kind_of_trimmed(&t, "\"\"\"Line one\n'still' \"in\" it\n\"\"\""),
            Some(Kind::String)
        );
        assert_eq!(kind_of_trimmed(&t, "1"), Some(Kind::Number));
        // `bu` and `ur` are no prefixes: a name, then a string.
        let t = tokens("ur'x'", lex);
        assert!(only_plain(&t, "ur"), "ur");
    }

    #[test]
    fn a_backslash_continues_a_string_over_a_crlf() {
        let t = tokens("s = \"a\\\r\nb\" + 'c'\r\n", lex);
        assert_kinds(
            &t,
            &[
                ("\\\r\n", Kind::Escape),
                ("b\"", Kind::String),
                ("+", Kind::Operator),
                ("'c'", Kind::String),
            ],
        );
    }

    #[test]
    fn f_string_fields_are_python() {
        let t = tokens(
            r#"s = f"{{lit}} {name.upper()!r:>{width}} {len(xs) + 1:.2f}\n""#,
            lex,
        );
        assert_eq!(kind_of_trimmed(&t, "{{"), Some(Kind::Escape));
        assert_eq!(kind_of_trimmed(&t, "}}"), Some(Kind::Escape));
        assert_eq!(kind_of_trimmed(&t, "{"), Some(Kind::Interpolation));
        assert_eq!(kind_of_trimmed(&t, "upper"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "!r:>"), Some(Kind::String));
        assert!(only_plain(&t, "width"), "width");
        assert_eq!(kind_of_trimmed(&t, "len"), Some(Kind::FunctionBuiltin));
        assert_eq!(kind_of_trimmed(&t, "+"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, ":.2f"), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "\\n"), Some(Kind::Escape));
        // A nested f-string, and a raw one with a field.
        let t = tokens(r#"f'{f"{x}"}' + rf"\d{n}""#, lex);
        assert_eq!(
            t.iter().filter(|(k, _)| *k == Kind::Interpolation).count(),
            6
        );
        assert_eq!(kind_of_trimmed(&t, "rf\"\\d"), Some(Kind::String));
        assert!(only_plain(&t, "n"), "n");
    }

    #[test]
    fn numbers_comments_operators() {
        let t = tokens("n = 1_000 + 0xFF + 0o17 + 0b101 + 1e-3 + 2j + .5  # total\nx **= y // z\nif (m := 3) != 4: pass\n", lex);
        for n in [
            "1_000", "0xFF", "0o17", "0b101", "1e-3", "2j", ".5", "3", "4",
        ] {
            assert_eq!(kind_of_trimmed(&t, n), Some(Kind::Number), "{n}");
        }
        assert_eq!(kind_of_trimmed(&t, "# total"), Some(Kind::Comment));
        for op in ["**=", "//", ":=", "!=", "="] {
            assert_eq!(kind_of_trimmed(&t, op), Some(Kind::Operator), "{op}");
        }
        assert_eq!(kind_of_trimmed(&t, ":"), Some(Kind::Punctuation));
    }

    #[test]
    fn every_prefix_lexes() {
        let code = "\u{feff}#!/usr/bin/env python\n@dataclass(frozen=True)\nclass Café(Base):\n    \"\"\"Doc \\n 🚀\"\"\"\n    MAX: int = 0x1F\n    def go(self, *a: str, **k) -> None:\n        s = f'{self.x!r:>{w}} {{}} é' + rb\"\\x00\" + r'\\'\n        match s:\n            case [1, 2]: return a @ b ** 2\n        return [i for i in range(10) if i % 2]  # done ✓\n\r\n";
        every_prefix(code, lex);
    }

    #[test]
    fn broken_input_keeps_every_byte() {
        each_lexes(
            &[
                "\"",
                "'''",
                "f\"{",
                "f\"{x!",
                "f\"{x:",
                "f\"{x:{",
                "f'{'",
                "\"\\",
                "r\"\\",
                "b'\\x",
                "'\\N{",
                "x = \"unterminated\ny = 2",
                "@",
                "@.",
                "def",
                "def (",
                "class",
                ")))]]]}}}",
                "\\",
                "\0\0 \u{0}",
                "é = 'ü' # 🚀",
                "🚀(x)",
                "a\r\n\tb\r\n",
                "\u{feff}",
            ],
            lex,
        );
        // Deep nesting ends in plain text, not a stack overflow.
        let deep = "f'{".repeat(5000);
        tokens(&deep, lex);
        let t = tokens("x = \"open\ny = 2", lex);
        assert_eq!(kind_of_trimmed(&t, "\"open"), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "2"), Some(Kind::Number));
    }
}
