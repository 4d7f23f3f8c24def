//! C: keywords, preprocessor directives (`#include` and its `<header>`,
//! the name a `#define` defines, lines continued by `\`), builtin types
//! and the `_t` ones of the standard headers, `NULL`/`true`/`false`,
//! strings and char literals with their prefixes and escapes, numbers,
//! comments, function names where declared and called, macro calls and
//! SCREAMING_CASE constants, members after `.` and `->`, goto labels, and a
//! type's name where a declaration shows it (`struct s`, `Node *n`,
//! `my_t x`, CapitalCase). Other identifiers stay plain.

use super::toolkit::{
    char_escape_len, hex_escape_len, is_screaming, octal_escape_len, Kind, Lexer,
};

/// What the previous token makes of the identifier after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    Other,
    /// `#include`: a `<header>` is a string.
    Include,
    /// `#define`, `#undef`: the macro's name.
    Define,
    /// `struct`, `union`, `enum`: a type's name.
    Tag,
    /// `goto`: a label.
    Goto,
    /// `.`, `->`: a member.
    Member,
}

/// Where the lexer is, line-wise.
struct State {
    /// Only whitespace (and comments) since the line began.
    line_start: bool,
    /// On a preprocessor line (continued lines included).
    directive: bool,
    after: After,
}

pub(super) fn lex(l: &mut Lexer) {
    let mut s = State {
        line_start: true,
        directive: false,
        after: After::Other,
    };
    l.each(|l| {
        match l.peek() {
            b'\n' => {
                // A newline ends the line (and a directive, and what a
                // token said of the next) unless a `\` continues it.
                if !continued(l) {
                    s.line_start = true;
                    s.directive = false;
                    s.after = After::Other;
                }
                l.bump();
            }
            b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' => {
                l.eat_while(|c| matches!(c, ' ' | '\t' | '\r' | '\x0b' | '\x0c'));
            }
            b'/' if l.peek_at(1) == b'/' => l.line_comment(),
            b'/' if l.peek_at(1) == b'*' => l.block_comment("/*", "*/"),
            b'#' if s.line_start => {
                directive(l, &mut s);
                s.line_start = false;
            }
            _ => {
                token(l, &mut s);
                s.line_start = false;
            }
        }
    });
}

/// Whether the newline at the cursor follows a `\` (and so continues the
/// line).
fn continued(l: &Lexer) -> bool {
    let before = &l.src().as_bytes()[..l.pos()];
    let before = before.strip_suffix(b"\r").unwrap_or(before);
    before.ends_with(b"\\")
}

/// Lexes a directive's `#` and name at the cursor (`#include`, `# if`).
fn directive(l: &mut Lexer, s: &mut State) {
    let start = l.pos();
    l.advance(1);
    l.eat_while(|c| c == ' ' || c == '\t');
    let name = l.eat_ident(&[]);
    l.push(Kind::Keyword, start);
    s.directive = true;
    s.after = match name {
        "include" | "include_next" | "import" | "embed" => After::Include,
        "define" | "undef" => After::Define,
        _ => After::Other,
    };
}

/// Lexes one token that is not a space, a comment or a directive's name.
fn token(l: &mut Lexer, s: &mut State) {
    let start = l.pos();
    let after = s.after;
    s.after = After::Other;
    match l.peek() {
        b'"' => quoted(l, start, b'"'),
        b'\'' => quoted(l, start, b'\''),
        b'<' if after == After::Include => {
            l.eat_while(|c| c != '>' && c != '\n');
            l.eat_byte(b'>');
            l.push(Kind::String, start);
        }
        b'0'..=b'9' => number(l, start),
        b'.' if l.peek_at(1).is_ascii_digit() => number(l, start),
        b'.' => {
            if !l.eat("...") {
                l.advance(1);
                s.after = After::Member;
            }
            l.push(Kind::Punctuation, start);
        }
        b'-' if l.peek_at(1) == b'>' => {
            l.advance(2);
            l.push(Kind::Operator, start);
            s.after = After::Member;
        }
        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b';' | b':' => {
            l.advance(1);
            l.push(Kind::Punctuation, start);
        }
        b'+' | b'-' | b'*' | b'/' | b'%' | b'=' | b'!' | b'<' | b'>' | b'&' | b'|' | b'^'
        | b'~' | b'?' | b'#' => {
            l.advance(1);
            l.push(Kind::Operator, start);
        }
        _ if l.at_ident_start() => word(l, s, start, after),
        // A stray `\`, `@`, `$`, a BOM: plain.
        _ => l.bump(),
    }
}

/// Lexes an identifier or keyword at the cursor, or a string or char
/// literal opened by a prefix (`L"..."`, `u8"..."`, `U'x'`).
fn word(l: &mut Lexer, s: &mut State, start: usize, after: After) {
    let prefix = if l.starts_with("u8") {
        2
    } else {
        usize::from(matches!(l.peek(), b'L' | b'u' | b'U'))
    };
    if prefix > 0 && matches!(l.peek_at(prefix), b'"' | b'\'') {
        let quote = l.peek_at(prefix);
        l.advance(prefix);
        quoted(l, start, quote);
        return;
    }
    let line_start = s.line_start;
    let w = l.eat_ident(&[]);
    let kind = match after {
        After::Member if l.peek_past_spaces() == b'(' => Kind::Function,
        After::Member => Kind::Property,
        After::Define => Kind::Macro,
        After::Goto => Kind::Label,
        _ if is_keyword(w) || (s.directive && w == "defined") => {
            s.after = match w {
                "struct" | "union" | "enum" => After::Tag,
                "goto" => After::Goto,
                _ => After::Other,
            };
            Kind::Keyword
        }
        _ if is_builtin_type(w) => Kind::TypeBuiltin,
        _ if matches!(w, "NULL" | "true" | "false" | "nullptr") => Kind::ConstantBuiltin,
        _ if after == After::Tag => Kind::Type,
        _ if l.peek_past_spaces() == b'(' => {
            if is_screaming(w) {
                Kind::Macro
            } else {
                Kind::Function
            }
        }
        _ if is_screaming(w) => Kind::Constant,
        _ if line_start && l.peek() == b':' && l.peek_at(1) != b':' => Kind::Label,
        _ if w.ends_with("_t") || w.starts_with(|c: char| c.is_ascii_uppercase()) => Kind::Type,
        _ if !s.directive && declares(l) => Kind::Type,
        _ => Kind::Plain,
    };
    l.push(kind, start);
}

fn is_keyword(w: &str) -> bool {
    matches!(
        w,
        "auto"
            | "break"
            | "case"
            | "const"
            | "continue"
            | "default"
            | "do"
            | "else"
            | "enum"
            | "extern"
            | "for"
            | "goto"
            | "if"
            | "inline"
            | "register"
            | "restrict"
            | "return"
            | "sizeof"
            | "static"
            | "struct"
            | "switch"
            | "typedef"
            | "union"
            | "volatile"
            | "while"
            | "_Alignas"
            | "_Alignof"
            | "_Atomic"
            | "_Generic"
            | "_Noreturn"
            | "_Static_assert"
            | "_Thread_local"
            | "alignas"
            | "alignof"
            | "constexpr"
            | "static_assert"
            | "thread_local"
            | "typeof"
            | "typeof_unqual"
            | "asm"
            | "__asm__"
            | "__attribute__"
            | "__extension__"
            | "__inline"
            | "__inline__"
            | "__restrict"
            | "__restrict__"
            | "__typeof__"
            | "__volatile__"
    )
}

/// The language's types and the standard headers' common ones; every
/// `intN_t`, `uint_leastN_t` and such.
fn is_builtin_type(w: &str) -> bool {
    matches!(
        w,
        "bool"
            | "char"
            | "double"
            | "float"
            | "int"
            | "long"
            | "short"
            | "signed"
            | "unsigned"
            | "void"
            | "_Bool"
            | "_Complex"
            | "_Imaginary"
            | "char8_t"
            | "char16_t"
            | "char32_t"
            | "wchar_t"
            | "size_t"
            | "ssize_t"
            | "ptrdiff_t"
            | "max_align_t"
            | "nullptr_t"
            | "off_t"
            | "time_t"
            | "clock_t"
            | "va_list"
            | "FILE"
    ) || ((w.starts_with("int") || w.starts_with("uint")) && w.ends_with("_t"))
}

/// Whether what follows the identifier just passed makes it a type in a
/// declaration: another name (`node_t n`, `Node n`), or a pointer to one
/// (`Node *n`, `Node* n`, not `a * b`).
fn declares(l: &Lexer) -> bool {
    let rest = l.rest().as_bytes();
    let spaces = rest
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    let rest = &rest[spaces..];
    let stars = rest.iter().take_while(|b| **b == b'*').count();
    let rest = &rest[stars..];
    let gap = rest
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    let named = rest
        .get(gap)
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    named && (stars == 0 && spaces > 0 || stars > 0 && (spaces == 0) != (gap == 0))
}

/// Lexes a number at the cursor: `0x1F`, `0755`, `10UL`, `1.5e-3f`, and a
/// hexadecimal float's signed exponent (`0x1p-3`).
fn number(l: &mut Lexer, start: usize) {
    l.eat_number_hex_float(false);
    l.push(Kind::Number, start);
}

/// Lexes a string or char literal from `start` (its prefix) whose opening
/// `quote` is at the cursor, through the closing one, escapes apart; an
/// unclosed one ends at the end of its line.
fn quoted(l: &mut Lexer, start: usize, quote: u8) {
    l.push(Kind::String, start);
    l.string_with(quote, false, escape_len);
}

/// The length of the escape at the start of `rest`: `\n`, `\x1b`, `\033`,
/// `\u00e9`, `\U0001F600`, or a backslash that continues the line.
fn escape_len(rest: &str) -> usize {
    let b = rest.as_bytes();
    match b.get(1) {
        Some(b'x') => hex_escape_len(rest, usize::MAX),
        Some(b'u') => hex_escape_len(rest, 4),
        Some(b'U') => hex_escape_len(rest, 8),
        Some(b'0'..=b'7') => octal_escape_len(rest),
        Some(b'\r') if b.get(2) == Some(&b'\n') => 3,
        _ => char_escape_len(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{each_lexes, every_prefix, kind_of, long_runs_lex, tokens, Kind};
    use super::lex;

    #[test]
    fn the_benchmark_lines() {
        let code = "static int river_code(const int *xs, size_t n) {\n    int data_v = 0;\n    \
                    for (size_t i = 0; i < n; i++) data_v += xs[i] * 42;\n    return data_v;\n}";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "static"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "int"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "river_code"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "const"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "size_t"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "for"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "++"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "42"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "return"), Some(Kind::Keyword));
        assert!(t.contains(&(Kind::Plain, " data_v ".into())), "{t:?}");
    }

    #[test]
    fn preprocessor_lines() {
        let code = "#include <stdio.h>\n#include \"local.h\"\n  #  define MAX(a, b) \\\n    \
                    ((a) > (b) ? (a) : (b))\n#define STR(x) \\\n  #x\n#if defined(FOO) && BAR\n\
                    #endif\nint a<b;";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "#include"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "<stdio.h>"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\"local.h\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "#  define"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "MAX"), Some(Kind::Macro));
        assert_eq!(kind_of(&t, "STR"), Some(Kind::Macro));
        assert_eq!(kind_of(&t, "#"), Some(Kind::Operator), "continued: #x");
        assert_eq!(kind_of(&t, "#if"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "defined"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "FOO"), Some(Kind::Constant));
        assert_eq!(kind_of(&t, "#endif"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "<"), Some(Kind::Operator));
        let t = tokens(
            "#define
foo(1);
#include
<a.h>",
            lex,
        );
        assert_eq!(kind_of(&t, "foo"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "<"), Some(Kind::Operator));
    }

    #[test]
    fn names_by_their_place() {
        let code = "typedef struct node { struct node *next; } Node;\nNode *head = NULL;\n\
                    my_t x; Node* y; uint_least8_t z; FILE *f;\nvoid f(void) {\n  \
                    s.len = p->cap + a * b;\n  p->run (x);\n  if (MIN(x, y) > LIMIT) goto done;\n\
                  done:\n  list_push(&l, true);\n}";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "typedef"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "node"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "Node"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "next"), Some(Kind::Plain));
        assert_eq!(kind_of(&t, "NULL"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "my_t"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "uint_least8_t"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "FILE"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "void"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "len"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "->"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "cap"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "run"), Some(Kind::Function));
        assert!(t.contains(&(Kind::Plain, " a ".into())), "a * b: {t:?}");
        assert_eq!(kind_of(&t, "MIN"), Some(Kind::Macro));
        assert_eq!(kind_of(&t, "LIMIT"), Some(Kind::Constant));
        assert_eq!(kind_of(&t, "goto"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "done"), Some(Kind::Label));
        assert_eq!(t.iter().filter(|(k, _)| *k == Kind::Label).count(), 2);
        assert_eq!(kind_of(&t, "list_push"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "true"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "&"), Some(Kind::Operator));
        let t = tokens("node_list *n; n = sizeof x; y = a * b;", lex);
        assert_eq!(kind_of(&t, "node_list"), Some(Kind::Type));
        assert!(t.contains(&(Kind::Plain, " x".into())), "{t:?}");
        assert!(t.contains(&(Kind::Plain, " a ".into())), "{t:?}");
    }

    #[test]
    fn strings_chars_numbers_comments() {
        let code = "char *s = \"a\\tb\\x1b[0m\\0331\\u00e9\" L\"w\" u8\"u\"; char c = '\\''; \
                    int d = U'x';\n/* block\n comment */ long n = 0x1Fu + 0755 + 10UL + 1.5e-3f + \
                    .5 + 0x1p-3; // line";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "\"a"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\t"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "\\x1b"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "\\033"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "1"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\u00e9"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "L\"w\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "u8\"u\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\'"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "U'x'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "/* block\n comment */"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "0x1Fu"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "0755"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "10UL"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "1.5e-3f"), Some(Kind::Number));
        assert_eq!(kind_of(&t, ".5"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "0x1p-3"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "// line"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, ";"), Some(Kind::Punctuation));
    }

    const SAMPLE: &str = "\u{feff}#include <stdlib.h>\n#define SQ(x) \\\r\n  ((x) * (x))\n\
        /* é 🚀 */\ntypedef struct pt { int x, y; } pt_t;\nstatic inline unsigned long \
        grösse(const pt_t *p, Node* n) {\n  char *s = u8\"tab\\t🚀\\x41\\101\";\n  \
        wchar_t c = L'\\n';\n  if (p->x > 0x1Fu && n.y != .5e3f) goto out;\n  \
        printf(\"%d\\n\", SQ(p->y));\nout:\n  return sizeof(struct pt) + (size_t)NULL;\n}\n";

    #[test]
    fn every_prefix_of_a_sample_lexes() {
        let t = every_prefix(SAMPLE, lex);
        assert_eq!(kind_of(&t, "grösse"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "SQ"), Some(Kind::Macro));
        assert_eq!(kind_of(&t, "out"), Some(Kind::Label));
    }

    #[test]
    fn broken_code_keeps_every_byte() {
        each_lexes(
            &[
                "",
                "\"",
                "'",
                "\\",
                "#",
                "#include <",
                "#include <a.h",
                "#define",
                "#define \\",
                "/*",
                "/* *",
                "\"\\",
                "'\\x",
                "\"\\u12",
                "L",
                "u8",
                "u8'",
                "0x",
                "0x1p",
                "0x1p-",
                "a->",
                "a.",
                "\u{feff}int é = 0;",
                "\u{0}\r\n\t'\u{0}'",
                "\"a\\\r\nb\"",
                "🚀'🚀'🚀\"🚀",
                "x:",
            ],
            lex,
        );
        let t = tokens("char *s = \"open\nint x;", lex);
        assert_eq!(kind_of(&t, "int"), Some(Kind::TypeBuiltin));
    }

    #[test]
    fn long_runs_lex_in_one_pass() {
        long_runs_lex(
            &["/*", "'", "\"\\", "#", "a ", "x *", "\\\n", "#include <"],
            lex,
        );
    }
}
