//! Go: keywords, builtin types, builtin functions where called, `nil`,
//! `true`, `false`, `iota`, interpreted strings and runes with their
//! escapes, raw strings, numbers in all their bases (imaginary too),
//! comments, function names where declared and called, fields after `.`,
//! operators and punctuation. A type's name is coloured where the text
//! shows its place cheaply: after `type`, after another name (`x Foo`,
//! `w http.ResponseWriter`), after `)` in a signature, `]` (`[]T`,
//! `map[K]V`), `chan`, `*`, `...` and `.(`, and before a composite
//! literal's `{`. Other identifiers (variables, packages) stay plain.

use super::toolkit::{char_escape_len, hex_escape_len, octal_escape_len, Kind, Lexer};

/// The previous token, as far as it tells what the next identifier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    Other,
    /// A plain identifier: a name being declared, or a package.
    Name,
    /// `func`: the name of a function.
    Func,
    /// `type`: a type being declared.
    TypeKeyword,
    /// `map`: its `[` opens the key's type.
    Map,
    /// `.`: a field or method (or a package's type, in a type's place).
    Dot,
    /// `chan`, and `<-` after it: the element's type.
    Chan,
    /// `)`: a result's type follows on the line (`func f() T`).
    Close,
    /// `(` after `)` and a space: a list of results (`func f() (T, error)`).
    Results,
    /// A token after which a name is a type (`]`, `.(`, `map[`).
    TypePlace,
    /// `*` or `...`: a pointer or variadic type if a type follows.
    Star,
    /// A number or a string: a `*` after it multiplies.
    Operand,
}

/// How surely the next identifier is a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Not a type's place.
    Value,
    /// A type's place only if capitalised (after `*`, which may be a
    /// dereference).
    MaybeType,
    /// A type's place.
    Type,
}

struct State {
    prev: Prev,
    /// How surely the identifier after a `*` is a type.
    star: Place,
    /// Whether a qualified name (`http.` in `w http.Request`) is in a type's
    /// place, so the name after its `.` is the type.
    qualified: Place,
    /// Spaces (not a newline) since the previous token.
    spaced: bool,
}

pub(super) fn lex(l: &mut Lexer) {
    let mut s = State {
        prev: Prev::Other,
        star: Place::Value,
        qualified: Place::Value,
        spaced: false,
    };
    l.each(|l| {
        match l.peek() {
            b' ' | b'\t' | b'\r' => {
                l.eat_while(|c| matches!(c, ' ' | '\t' | '\r'));
                s.spaced = true;
            }
            b'\n' => {
                // A name's place is read from the tokens before it on its
                // line, so a newline forgets them.
                l.eat_while(|c| c.is_ascii_whitespace());
                s.prev = Prev::Other;
            }
            b'/' if l.peek_at(1) == b'/' => l.line_comment(),
            b'/' if l.peek_at(1) == b'*' => l.block_comment("/*", "*/"),
            _ => {
                let prev = token(l, &mut s);
                s.prev = prev;
                s.spaced = false;
            }
        }
    });
}

/// Lexes one token that is not a space or a comment; what it makes of the
/// next identifier.
fn token(l: &mut Lexer, s: &mut State) -> Prev {
    let start = l.pos();
    let b = l.peek();
    match b {
        b'"' | b'\'' => return quoted(l, start, b),
        b'`' => {
            l.advance(1);
            l.eat_through("`");
            l.push(Kind::String, start);
            return Prev::Operand;
        }
        b'0'..=b'9' => return number(l, start),
        b'.' if l.peek_at(1).is_ascii_digit() => return number(l, start),
        _ if l.at_ident_start() => return word(l, s, start),
        _ => {}
    }
    let (kind, prev) = if l.eat("...") {
        s.star = Place::Type;
        (Kind::Operator, Prev::Star)
    } else if l.eat(".(") {
        (Kind::Punctuation, Prev::TypePlace)
    } else if l.eat("<-") {
        // `chan<- T`: still the element's type.
        let chan = s.prev == Prev::Chan;
        (Kind::Operator, if chan { Prev::Chan } else { Prev::Other })
    } else if l.eat(":=") {
        (Kind::Operator, Prev::Other)
    } else {
        l.advance(1);
        match b {
            b'.' => {
                if s.prev != Prev::Name {
                    s.qualified = Place::Value;
                }
                (Kind::Punctuation, Prev::Dot)
            }
            b'*' => (Kind::Operator, star(l, s)),
            b'[' if s.prev == Prev::Map => (Kind::Punctuation, Prev::TypePlace),
            b']' => (Kind::Punctuation, Prev::TypePlace),
            b')' => (Kind::Punctuation, Prev::Close),
            b'(' if s.prev == Prev::Close && s.spaced => (Kind::Punctuation, Prev::Results),
            b'(' | b'[' | b'{' | b'}' | b',' | b';' | b':' => (Kind::Punctuation, Prev::Other),
            b'+' | b'-' | b'/' | b'%' | b'=' | b'!' | b'<' | b'>' | b'&' | b'|' | b'^' | b'~' => {
                (Kind::Operator, Prev::Other)
            }
            // A BOM, `@`, `$`, `#`, `?`, a stray `\`: plain (the cursor
            // has not moved past a character that is not ASCII).
            _ => (Kind::Plain, Prev::Other),
        }
    };
    l.push(kind, start);
    prev
}

/// What the `*` just passed makes of the name after it. Spaced after, it
/// multiplies (`a * b`, `x *= 2`); spaced only before, after a name or
/// `)`, it starts a pointer type (`p *T`, `func f() *T`); after a type's
/// place it is one (`[]*T`); elsewhere it may be a dereference (`(*p)`).
fn star(l: &Lexer, s: &mut State) -> Prev {
    if matches!(l.peek(), b' ' | b'\t' | b'\r' | b'\n' | b'=') {
        return Prev::Other;
    }
    s.star = match s.prev {
        Prev::Name | Prev::Close if s.spaced => Place::Type,
        Prev::TypePlace | Prev::Chan | Prev::Star => Place::Type,
        Prev::Name | Prev::Close | Prev::Operand => Place::Value,
        _ => Place::MaybeType,
    };
    Prev::Star
}

/// Lexes an identifier or keyword at the cursor; what it makes of the
/// next identifier.
fn word(l: &mut Lexer, s: &mut State, start: usize) -> Prev {
    let w = l.eat_ident(&[]);
    let next = l.peek();
    let capital = w.starts_with(|c: char| c.is_ascii_uppercase());
    // How surely this name is in a type's place.
    let place = match s.prev {
        Prev::TypeKeyword | Prev::TypePlace | Prev::Chan | Prev::Close => Place::Type,
        Prev::Name if s.spaced => Place::Type,
        Prev::Star => s.star,
        Prev::Results => Place::MaybeType,
        Prev::Dot => s.qualified,
        _ => Place::Value,
    };
    if next == b'.' {
        s.qualified = place;
    }
    let is_type = match place {
        Place::Type => true,
        Place::MaybeType => capital,
        Place::Value => false,
    };
    let kind = if s.prev == Prev::Dot {
        if next == b'(' {
            Kind::Function
        } else if is_type || (capital && next == b'{') {
            Kind::Type
        } else {
            Kind::Property
        }
    } else if is_keyword(w) {
        l.push(Kind::Keyword, start);
        return match w {
            "func" => Prev::Func,
            "type" => Prev::TypeKeyword,
            "map" => Prev::Map,
            "chan" => Prev::Chan,
            _ => Prev::Other,
        };
    } else if is_builtin_type(w) {
        Kind::TypeBuiltin
    } else if matches!(w, "nil" | "true" | "false" | "iota") {
        Kind::ConstantBuiltin
    } else if s.prev == Prev::Func {
        Kind::Function
    } else if s.prev == Prev::TypeKeyword {
        Kind::Type
    } else if next == b'(' {
        if is_builtin_function(w) {
            Kind::FunctionBuiltin
        } else {
            Kind::Function
        }
    } else if next == b'.' && place != Place::Value {
        // A package before its type: `http` in `w http.Request`.
        Kind::Plain
    } else if is_type || (capital && next == b'{') {
        Kind::Type
    } else {
        Kind::Plain
    };
    l.push(kind, start);
    match kind {
        Kind::Plain if w != "_" => Prev::Name,
        _ => Prev::Other,
    }
}

fn is_keyword(w: &str) -> bool {
    matches!(
        w,
        "break"
            | "case"
            | "chan"
            | "const"
            | "continue"
            | "default"
            | "defer"
            | "else"
            | "fallthrough"
            | "for"
            | "func"
            | "go"
            | "goto"
            | "if"
            | "import"
            | "interface"
            | "map"
            | "package"
            | "range"
            | "return"
            | "select"
            | "struct"
            | "switch"
            | "type"
            | "var"
    )
}

fn is_builtin_type(w: &str) -> bool {
    matches!(
        w,
        "any"
            | "bool"
            | "byte"
            | "comparable"
            | "complex64"
            | "complex128"
            | "error"
            | "float32"
            | "float64"
            | "int"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "rune"
            | "string"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "uintptr"
    )
}

fn is_builtin_function(w: &str) -> bool {
    matches!(
        w,
        "append"
            | "cap"
            | "clear"
            | "close"
            | "complex"
            | "copy"
            | "delete"
            | "imag"
            | "len"
            | "make"
            | "max"
            | "min"
            | "new"
            | "panic"
            | "print"
            | "println"
            | "real"
            | "recover"
    )
}

/// Lexes a number at the cursor: `0x1F`, `0b101`, `0o17`, `1_000`, `1e9`,
/// `2.5i`, and a hexadecimal float's signed exponent (`0x1p-2`).
fn number(l: &mut Lexer, start: usize) -> Prev {
    l.eat_number_hex_float(true);
    l.push(Kind::Number, start);
    Prev::Operand
}

/// Lexes an interpreted string or a rune whose opening `quote` is at the
/// cursor, through the closing one, escapes apart; an unclosed one ends at
/// the end of its line.
fn quoted(l: &mut Lexer, start: usize, quote: u8) -> Prev {
    l.push(Kind::String, start);
    l.string_with(quote, false, escape_len);
    Prev::Operand
}

/// The length of the escape at the start of `rest`: `\n`, `\x41`, `\101`,
/// `\u00e9`, `\U0001F600`; a backslash before a line break alone.
fn escape_len(rest: &str) -> usize {
    match rest.as_bytes().get(1) {
        Some(b'x') => hex_escape_len(rest, 2),
        Some(b'u') => hex_escape_len(rest, 4),
        Some(b'U') => hex_escape_len(rest, 8),
        Some(b'0'..=b'7') => octal_escape_len(rest),
        Some(b'\n') => 1,
        _ => char_escape_len(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{each_lexes, every_prefix, kind_of, long_runs_lex, tokens, Kind};
    use super::lex;

    #[test]
    fn the_benchmark_lines() {
        let code = "func cache_index(items []int) int {\n\tpage_v := 0\n\tfor _, x := range \
                    items { page_v += x * 42 }\n\treturn page_v\n}";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "func"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "cache_index"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "int"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, ":="), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "range"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "+="), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "*"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "42"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "return"), Some(Kind::Keyword));
        assert!(t.contains(&(Kind::Plain, " x ".into())), "{t:?}");
        assert!(t.contains(&(Kind::Plain, " items ".into())), "{t:?}");
    }

    #[test]
    fn functions_properties_and_builtins() {
        let code = "package main\nimport \"fmt\"\nfunc (s *Server) Serve(w http.ResponseWriter, \
                    r *http.Request) error {\n\tn := len(s.items) + cap(buf)\n\t\
                    fmt.Println(s.Name, r.URL.Path)\n\ts.mu.Lock()\n\tv := x.(*Conn)\n\t\
                    return nil\n}";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "package"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "\"fmt\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "Server"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "Serve"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "ResponseWriter"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "Request"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "error"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "len"), Some(Kind::FunctionBuiltin));
        assert_eq!(kind_of(&t, "cap"), Some(Kind::FunctionBuiltin));
        assert_eq!(kind_of(&t, "items"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "Println"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "Name"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "URL"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "Path"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "Lock"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "Conn"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "nil"), Some(Kind::ConstantBuiltin));
        assert!(t.contains(&(Kind::Plain, "\n\tfmt".into())), "{t:?}");
    }

    #[test]
    fn types_where_the_text_shows_them() {
        let code = "type Tree[K comparable, V any] struct {\n\tLeft *Tree[K, V]\n\t\
                    kids []node\n\tm map[string]Value\n\tch chan<- Msg\n}\n\
                    func f(args ...Opt) (Result, bool) {\n\tp := &Point{X: 1}\n\t\
                    y := *ptr * Scale\n\treturn Result{}, true\n}";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "type"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "Tree"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "comparable"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "any"), Some(Kind::TypeBuiltin));
        assert!(t.contains(&(Kind::Plain, "\n\tLeft ".into())), "{t:?}");
        assert_eq!(kind_of(&t, "node"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "string"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "Value"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "<-"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "Msg"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "Opt"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "Result"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "Point"), Some(Kind::Type));
        assert!(t.contains(&(Kind::Plain, "ptr ".into())), "{t:?}");
        assert!(t.contains(&(Kind::Plain, " Scale\n\t".into())), "{t:?}");
        assert_eq!(kind_of(&t, "true"), Some(Kind::ConstantBuiltin));
    }

    #[test]
    fn strings_runes_numbers_comments() {
        let code = "s := \"a\\tb\\x41\\101\\u00e9\\U0001F600\\\"\" + `raw \\n\nline`\n\
                    r := '\\'' + 'x' + '\\n'\n/* block\n*/ n := 0x1F + 0b1010 + 0o17 + 1_000 + \
                    1e9 + 2.5i + .5 + 0x1p-2 // line";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "\"a"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\t"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "b"), Some(Kind::String));
        assert_eq!(
            kind_of(&t, "\\x41\\101\\u00e9\\U0001F600\\\""),
            Some(Kind::Escape)
        );
        assert_eq!(kind_of(&t, "`raw \\n\nline`"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\'"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "'x'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "/* block\n*/"), Some(Kind::Comment));
        for n in [
            "0x1F", "0b1010", "0o17", "1_000", "1e9", "2.5i", ".5", "0x1p-2",
        ] {
            assert_eq!(kind_of(&t, n), Some(Kind::Number), "{n}");
        }
        assert_eq!(kind_of(&t, "// line"), Some(Kind::Comment));
        let t = tokens("x := \"\\101x\"", lex);
        assert_eq!(kind_of(&t, "\\101"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "x\""), Some(Kind::String));
    }

    const SAMPLE: &str = "\u{feff}package main\n\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n)\n\n\
        // Größe 🚀 is a type.\ntype Größe struct {\n\tName string `json:\"name\"`\n\t\
        next *Größe\n}\n\nfunc (g *Größe) Sum(xs ...int) (total int, err error) {\n\t\
        for i, x := range xs {\n\t\tif x&^1 != 0 { total += x << i }\n\t}\n\t\
        ch := make(chan []byte, 0x10)\n\tdefer close(ch)\n\tr := '\\u00e9' + 'é'\n\t\
        fmt.Printf(\"%d\\n🚀\", str.Count(\"a\", \"b\"), 1.5e-3i, r)\n\t\
        return total, nil\n}\n";

    #[test]
    fn every_prefix_of_a_sample_lexes() {
        let t = every_prefix(SAMPLE, lex);
        assert_eq!(kind_of(&t, "Größe"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "Sum"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "make"), Some(Kind::FunctionBuiltin));
        assert_eq!(kind_of(&t, "Count"), Some(Kind::Function));
    }

    #[test]
    fn broken_code_keeps_every_byte() {
        each_lexes(
            &[
                "",
                "\"",
                "'",
                "`",
                "`unterminated\nraw",
                "\\",
                "/*",
                "\"\\",
                "'\\x",
                "\"\\U0001",
                "\"\\\n\"",
                "0x",
                "0x1p",
                "0x1p-",
                "x.",
                "x.(",
                "...",
                "func",
                "type",
                "\u{feff}var é = 0",
                "\u{0}\r\n\t'\u{0}'",
                "🚀'🚀'🚀\"🚀`🚀",
            ],
            lex,
        );
        let t = tokens("s := \"open\nvar x int", lex);
        assert_eq!(kind_of(&t, "var"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "int"), Some(Kind::TypeBuiltin));
    }

    #[test]
    fn long_runs_lex_in_one_pass() {
        long_runs_lex(&["/*", "'", "\"\\", "`", "a ", "a.", "*", "x *", "[]"], lex);
    }
}
