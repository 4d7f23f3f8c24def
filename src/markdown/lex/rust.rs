//! Rust: keywords, strings of every form (raw with any number of `#`, byte,
//! C) with their escapes, char and byte literals, lifetimes and loop labels,
//! line, doc and nested block comments, numbers with their suffixes,
//! attributes, macro calls, function names where defined and called
//! (turbofish too), primitive and CapitalCase types, SCREAMING_CASE
//! constants, `self`, `true`/`false`, modules before `::`, fields after `.`,
//! operators and punctuation. Other identifiers (locals, parameters, the
//! last segment of a `use` path) stay plain.

use super::toolkit::{char_escape_len, hex_escape_len, is_screaming, Kind, Lexer};

/// What the previous token makes of the identifier after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    Other,
    /// `fn`: the name of a function.
    Fn,
    /// `macro_rules!`: the name of a macro.
    MacroRules,
    /// `.`: a field, a method or a tuple index.
    Dot,
}

pub(super) fn lex(l: &mut Lexer) {
    let mut after = After::Other;
    l.each(|l| match l.peek() {
        b' ' | b'\t' | b'\r' | b'\n' => {
            l.eat_while(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
        }
        b'/' if l.peek_at(1) == b'/' => l.line_comment(),
        b'/' if l.peek_at(1) == b'*' => block_comment(l),
        _ => after = token(l, after),
    });
}

/// Lexes one token that is not a space or a comment; what it makes of the
/// next identifier.
fn token(l: &mut Lexer, after: After) -> After {
    let start = l.pos();
    match l.peek() {
        b'"' => quoted(l, start, b'"', true),
        b'\'' => quote(l, start),
        b'#' if l.peek_at(1) == b'[' || (l.peek_at(1) == b'!' && l.peek_at(2) == b'[') => {
            attribute(l, start)
        }
        b'0'..=b'9' => {
            if after == After::Dot {
                // A tuple index: `t.0.1` is two indexes, not a float.
                l.eat_while(|c| c.is_ascii_digit());
            } else {
                l.eat_number();
            }
            l.push(Kind::Number, start);
            return After::Other;
        }
        b'.' => {
            if l.eat("..=") || l.eat("...") || l.eat("..") {
                l.push(Kind::Operator, start);
            } else {
                l.advance(1);
                l.push(Kind::Punctuation, start);
                return After::Dot;
            }
        }
        b':' => {
            if !l.eat("::") {
                l.advance(1);
            }
            l.push(Kind::Punctuation, start);
        }
        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b';' => {
            l.advance(1);
            l.push(Kind::Punctuation, start);
        }
        b'+' | b'-' | b'*' | b'/' | b'%' | b'=' | b'!' | b'<' | b'>' | b'&' | b'|' | b'^'
        | b'?' | b'@' | b'~' => {
            l.advance(1);
            l.push(Kind::Operator, start);
        }
        _ if l.at_ident_start() => return word(l, start, after),
        // `$x` in macros, `#` outside attributes, a BOM: plain.
        _ => l.bump(),
    }
    After::Other
}

/// Lexes an identifier, a keyword, or a literal opened by a prefix (`b'x'`,
/// `b".."`, `r#".."#`, `c".."`).
fn word(l: &mut Lexer, start: usize, after: After) -> After {
    if prefixed_literal(l, start) {
        return After::Other;
    }
    // A raw identifier (`r#type`) is never a keyword.
    let raw = l.peek() == b'r'
        && l.peek_at(1) == b'#'
        && (l.peek_at(2).is_ascii_alphabetic() || l.peek_at(2) == b'_');
    if raw {
        l.advance(2);
    }
    let w = l.eat_ident(&[]);
    let next = l.peek();
    let call = next == b'(' || l.starts_with("::<");
    let kind = if after == After::Dot {
        match w {
            "await" if !raw => Kind::Keyword,
            _ if call => Kind::Function,
            _ => Kind::Property,
        }
    } else if after == After::Fn {
        Kind::Function
    } else if after == After::MacroRules {
        Kind::Macro
    } else if !raw && is_keyword(l, w) {
        l.push(Kind::Keyword, start);
        return if w == "fn" { After::Fn } else { After::Other };
    } else if next == b'!' && l.peek_at(1) != b'=' {
        l.advance(1);
        if w == "macro_rules" {
            l.push(Kind::Keyword, start);
            return After::MacroRules;
        }
        Kind::Macro
    } else {
        match w {
            "self" => Kind::VariableBuiltin,
            "Self" => Kind::Type,
            "true" | "false" => Kind::ConstantBuiltin,
            "bool" | "char" | "str" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8"
            | "u16" | "u32" | "u64" | "u128" | "usize" | "f16" | "f32" | "f64" | "f128" => {
                Kind::TypeBuiltin
            }
            _ if w.len() > 1 && is_screaming(w) => Kind::Constant,
            _ if w.starts_with(|c: char| c.is_ascii_uppercase()) => Kind::Type,
            _ if call => Kind::Function,
            _ if l.starts_with("::") => Kind::Module,
            _ => Kind::Plain,
        }
    };
    l.push(kind, start);
    After::Other
}

/// Whether `w`, just passed, is a keyword; `union` and `default` are only
/// before another word (`union U`, `default fn`), else they are names.
fn is_keyword(l: &Lexer, w: &str) -> bool {
    match w {
        "as" | "async" | "await" | "break" | "const" | "continue" | "crate" | "dyn" | "else"
        | "enum" | "extern" | "fn" | "for" | "if" | "impl" | "in" | "let" | "loop" | "match"
        | "mod" | "move" | "mut" | "pub" | "ref" | "return" | "static" | "struct" | "super"
        | "trait" | "type" | "unsafe" | "use" | "where" | "while" | "yield" => true,
        "union" | "default" => {
            let next = l.peek_past_spaces();
            next.is_ascii_alphabetic() || next == b'_'
        }
        _ => false,
    }
}

/// Lexes a literal whose prefix is at the cursor: a byte char (`b'x'`), a
/// byte or C string (`b".."`, `c".."`), a raw string (`r".."`, `br#".."#`,
/// `cr##".."##`). Whether there was one (else the cursor has not moved).
fn prefixed_literal(l: &mut Lexer, start: usize) -> bool {
    let b = l.peek();
    if b == b'b' && l.peek_at(1) == b'\'' {
        l.advance(1);
        quoted(l, start, b'\'', false);
        return true;
    }
    let letter = usize::from(b == b'b' || b == b'c');
    if letter == 1 && l.peek_at(1) == b'"' {
        l.advance(1);
        quoted(l, start, b'"', true);
        return true;
    }
    if l.peek_at(letter) != b'r' {
        return false;
    }
    let mut hashes = 0;
    while l.peek_at(letter + 1 + hashes) == b'#' {
        hashes += 1;
    }
    if l.peek_at(letter + 1 + hashes) != b'"' {
        return false;
    }
    l.advance(letter + 2 + hashes);
    // Closed by a `"` followed by as many `#` as opened it.
    while l.eat_through("\"") {
        let mut closing = 0;
        while closing < hashes && l.peek_at(closing) == b'#' {
            closing += 1;
        }
        if closing == hashes {
            l.advance(hashes);
            break;
        }
    }
    l.push(Kind::String, start);
    true
}

/// Lexes what a `'` opens: a char literal (`'x'`, `'\n'`, `'\u{1F600}'`),
/// a lifetime or label (`'a`, `'outer`), or a lone quote (plain).
fn quote(l: &mut Lexer, start: usize) {
    let mut chars = l.rest()[1..].chars();
    match chars.next() {
        Some('\\') => quoted(l, start, b'\'', false),
        Some(c) if c != '\n' && chars.next() == Some('\'') => quoted(l, start, b'\'', false),
        Some(c) if c == '_' || c.is_alphabetic() => {
            l.advance(1);
            l.eat_ident(&[]);
            l.push(Kind::Label, start);
        }
        _ => l.advance(1),
    }
}

/// Lexes a string or char literal from `start` (its prefix) whose opening
/// `quote` is at the cursor, through the closing one, escapes apart; ends
/// at the end of the line unless `multiline`.
fn quoted(l: &mut Lexer, start: usize, quote: u8, multiline: bool) {
    l.push(Kind::String, start);
    l.string_with(quote, multiline, escape_len);
}

/// The length of the escape at the start of `rest`: `\n`, `\x7F`,
/// `\u{1F600}`, or a backslash ending the line.
fn escape_len(rest: &str) -> usize {
    let b = rest.as_bytes();
    match b.get(1) {
        Some(b'x') => hex_escape_len(rest, 2),
        Some(b'u') if b.get(2) == Some(&b'{') => {
            let digits = b[3..]
                .iter()
                .take_while(|c| c.is_ascii_hexdigit() || **c == b'_')
                .count();
            3 + digits + usize::from(b.get(3 + digits) == Some(&b'}'))
        }
        Some(b'\r') if b.get(2) == Some(&b'\n') => 3,
        _ => char_escape_len(rest),
    }
}

/// Lexes a block comment at the cursor (`/*`), nested ones included, to
/// its end or the end of the code.
fn block_comment(l: &mut Lexer) {
    let start = l.pos();
    let bytes = l.rest().as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (b'/', Some(b'*')) => {
                depth += 1;
                i += 2;
            }
            (b'*', Some(b'/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    break;
                }
            }
            _ => i += 1,
        }
    }
    l.advance(i);
    l.push(Kind::Comment, start);
}

/// Lexes an attribute at the cursor (`#[..]`, `#![..]`) as one token
/// through its closing bracket, strings in it apart. It also ends before a
/// `;`, `{` or `}`, so an unclosed one does not take the rest of the code.
fn attribute(l: &mut Lexer, start: usize) {
    l.advance(if l.peek_at(1) == b'!' { 3 } else { 2 });
    let mut depth = 1usize;
    let mut from = start;
    loop {
        l.eat_while(|c| !matches!(c, '[' | ']' | '"' | ';' | '{' | '}'));
        match l.peek() {
            b'[' => {
                depth += 1;
                l.advance(1);
            }
            b']' => {
                l.advance(1);
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'"' => {
                l.push(Kind::Attribute, from);
                let at = l.pos();
                quoted(l, at, b'"', true);
                from = l.pos();
            }
            _ => break,
        }
    }
    l.push(Kind::Attribute, from);
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{each_lexes, every_prefix, kind_of, long_runs_lex, tokens, Kind};
    use super::lex;

    #[test]
    fn the_benchmark_lines() {
        let code = "fn garden_river(input: &[u32]) -> u64 {\n    let \
                    code_v = input.iter().map(|x| *x as u64 * 42).sum::<u64>();\n    if \
                    code_v > 42 { return code_v - 42; }\n    code_v\n}";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "fn"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "garden_river"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "input"), Some(Kind::Plain));
        assert_eq!(kind_of(&t, "u32"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "->"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "let"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "iter"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "map"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "sum"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "as"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "42"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "return"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "();"), Some(Kind::Punctuation));
    }

    #[test]
    fn names_by_their_place() {
        let code = "use std::io::Read;\nimpl<T> Foo for Bar<T> where Self: Sized {\n\
                    const MAX_LEN: usize = 1;\n fn go(&self) { let v = self.items.len(); \
                    println!(\"{v}\"); Vec::<u8>::new(); mem::swap(a, b); p.0.1; x.await; \
                    r#type(); }\n}";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "std"), Some(Kind::Module));
        assert_eq!(kind_of(&t, "io"), Some(Kind::Module));
        assert_eq!(kind_of(&t, "Read"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "T"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "Self"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "where"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "MAX_LEN"), Some(Kind::Constant));
        assert_eq!(kind_of(&t, "usize"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "go"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "self"), Some(Kind::VariableBuiltin));
        assert_eq!(kind_of(&t, "items"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "len"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "println!"), Some(Kind::Macro));
        assert_eq!(kind_of(&t, "new"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "mem"), Some(Kind::Module));
        assert_eq!(kind_of(&t, "swap"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "0"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "1"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "await"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "r#type"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "a"), Some(Kind::Plain));
    }

    #[test]
    fn keywords_that_are_also_names() {
        let t = tokens("union U { a: u8 }\nlet union = 1; T::default();", lex);
        assert_eq!(t[0], (Kind::Keyword, "union".into()));
        assert_eq!(kind_of(&t, "default"), Some(Kind::Function));
        assert!(t.contains(&(Kind::Plain, " union ".into())), "{t:?}");
        let t = tokens("macro_rules! square { ($x:expr) => { $x * $x }; }", lex);
        assert_eq!(kind_of(&t, "macro_rules!"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "square"), Some(Kind::Macro));
        assert_eq!(kind_of(&t, "=>"), Some(Kind::Operator));
    }

    #[test]
    fn strings_and_their_escapes() {
        let code = concat!(
            r##"let s = ("a\n-\u{1F600}-\x7f", r"C:\x", "##,
            r###"r#"say "hi""#, b"\0", br##"a"#b"##, c"c");"###,
        );
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "\"a"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\n"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "\\u{1F600}"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "\\x7f"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "r\"C:\\x\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "r#\"say \"hi\"\"#"), Some(Kind::String));
        assert_eq!(kind_of(&t, "b\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\0"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "br##\"a\"#b\"##"), Some(Kind::String));
        assert_eq!(kind_of(&t, "c\"c\""), Some(Kind::String));
        let t = tokens("\"one\ntwo\" x", lex);
        assert_eq!(t[0], (Kind::String, "\"one\ntwo\"".into()));
    }

    #[test]
    fn chars_lifetimes_and_labels() {
        let code = "fn f<'a>(s: &'a str) -> char { 'outer: loop { break 'outer; } \
                    ['x', '\\n', '\\'', '\\u{1F600}', 'é', b'q', b'\\\\'] }";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "'a"), Some(Kind::Label));
        assert_eq!(kind_of(&t, "'outer"), Some(Kind::Label));
        assert_eq!(kind_of(&t, "'x'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\n"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "\\'"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "\\u{1F600}"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "'é'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "b'q'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "b'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "str"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "loop"), Some(Kind::Keyword));
    }

    #[test]
    fn comments_attributes_numbers_literals() {
        let code = "#![allow(dead_code)]\n/// Doc.\n#[derive(Debug, \"]\")]\n\
                    /* a /* nested */ still */ let x = 0xFF_u8 + 1_000 + 2.5e-3f64 + 7usize;\n\
                    let y = true && !false; // done";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "#![allow(dead_code)]"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "/// Doc."), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "#[derive(Debug, "), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "\"]\""), Some(Kind::String));
        assert_eq!(kind_of(&t, ")]"), Some(Kind::Attribute));
        assert_eq!(
            kind_of(&t, "/* a /* nested */ still */"),
            Some(Kind::Comment)
        );
        assert_eq!(kind_of(&t, "0xFF_u8"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "1_000"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "2.5e-3f64"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "7usize"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "true"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "false"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "&&"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "// done"), Some(Kind::Comment));
        let t = tokens("for i in 0..=9 {}", lex);
        assert_eq!(kind_of(&t, "..="), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "9"), Some(Kind::Number));
    }

    #[test]
    fn an_unclosed_attribute_ends_at_a_brace() {
        let t = tokens("#[derive(Debug\nstruct S { a: u8 }", lex);
        assert_eq!(t[0], (Kind::Attribute, "#[derive(Debug\nstruct S ".into()));
        assert_eq!(kind_of(&t, "u8"), Some(Kind::TypeBuiltin));
    }

    const SAMPLE: &str = "#![doc = \"x\"]\n//! Crate.\nuse std::{fmt, io::Write};\n\
        /* outer /* inner */ */\n#[derive(Debug)]\npub struct Wé<'a, T: ?Sized> { \
        name: &'a str, v: Vec<T> }\nimpl<'a> Wé<'a, u8> {\n    pub const MAX: u64 = \
        0x1F_u64;\n    fn 名前(&mut self) -> Option<char> {\n        let s = \
        \"tab\\t\\u{1F600} 🚀\";\n        let r = r##\"raw \"# str\"##;\n        let b = \
        (b'\\x7f', br\"\\\", c\"c\", '\\'', 'é', 1.5e3f32, 1..2);\n        'outer: loop \
        { break 'outer; }\n        self.name.len().max(3);\n        println!(\"{}\", \
        Self::MAX as usize);\n        x.0.1.await?;\n        None\n    }\n}\n";

    #[test]
    fn every_prefix_of_a_sample_lexes() {
        let t = every_prefix(SAMPLE, lex);
        assert_eq!(kind_of(&t, "名前"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "Wé"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "🚀"), None, "inside a string token");
    }

    #[test]
    fn broken_code_keeps_every_byte() {
        each_lexes(
            &[
                "",
                "\"",
                "'",
                "'\\",
                "b'",
                "r#",
                "r#\"",
                "r##\"a\"#",
                "br",
                "c\"\\",
                "/*",
                "/* /* */",
                "/*/",
                "#[",
                "#![x",
                "#[a = \"",
                "\\",
                "x.",
                "f::<",
                "'a",
                "'\\u{",
                "\"\\u{12",
                "\u{feff}fn é() {}",
                "\u{0}\r\n\t'\u{0}'",
                "let s = \"a\\\r\nb\";",
                "🚀'🚀'🚀\"🚀",
                "x!",
                "1e",
                "0x",
                "1.",
                "'''",
            ],
            lex,
        );
        let t = tokens("let s = \"open\nfn f() {}", lex);
        assert_eq!(t.last().map(|(k, _)| *k), Some(Kind::String));
    }

    #[test]
    fn long_runs_lex_in_one_pass() {
        long_runs_lex(
            &["/*", "r#", "'", "#[", "\"\\", "r#\"", "'a", "..", "b'"],
            lex,
        );
    }
}
