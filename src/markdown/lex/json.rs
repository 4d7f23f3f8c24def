//! JSON, with the comments of JSONC and the looser forms of JSON5: object
//! keys (a string or a bare name followed by `:`) as `Key`, other strings
//! (double- or single-quoted) as `String` with their escapes as `Escape`,
//! numbers (with JSON5's `+`, hex, `Infinity` and `NaN`), `true`, `false`
//! and `null`, brackets, commas and colons as `Punctuation`, and `//` and
//! `/* */` comments. Bare names that are neither keys nor literals, and
//! anything JSON has no use for, stay plain.

use super::toolkit::{char_escape_len, hex_escape_len, Kind, Lexer};

pub(super) fn lex(l: &mut Lexer) {
    l.each(|l| match l.peek() {
        b' ' | b'\t' | b'\r' | b'\n' => {
            l.eat_while(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
        }
        b'"' | b'\'' => string(l),
        b'/' if l.peek_at(1) == b'/' => l.line_comment(),
        b'/' if l.peek_at(1) == b'*' => l.block_comment("/*", "*/"),
        b'{' | b'}' | b'[' | b']' | b',' | b':' => l.bump_as(Kind::Punctuation),
        b'-' | b'+' | b'.' | b'0'..=b'9' => number(l),
        b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' | 0x80.. => word(l),
        _ => {}
    });
}

/// A string from the quote at the cursor to its closing quote or the end of
/// its line: a `Key` when a `:` follows it, else a `String`.
fn string(l: &mut Lexer) {
    let bytes = l.rest().as_bytes();
    let quote = bytes[0];
    let mut i = 1;
    let mut closed = false;
    while i < bytes.len() {
        match bytes[i] {
            // An escape; a backslash before a line break continues the
            // string on the next line (JSON5).
            b'\\' => i += 2,
            b'\n' => break,
            b if b == quote => {
                i += 1;
                closed = true;
                break;
            }
            _ => i += 1,
        }
    }
    let mut len = i.min(bytes.len());
    if !closed && len > 1 && bytes[len - 1] == b'\r' {
        len -= 1;
    }
    let kind = if colon_follows(&bytes[len..]) {
        Kind::Key
    } else {
        Kind::String
    };
    let start = l.pos();
    l.bump();
    l.quoted_to(start, start + len, kind, b'\\', escape_len);
}

/// The length of the escape at the start of `rest`: `\u` and up to four hex
/// digits, or a backslash and the character after it.
fn escape_len(rest: &str) -> usize {
    if rest.as_bytes().get(1) == Some(&b'u') {
        hex_escape_len(rest, 4)
    } else {
        char_escape_len(rest)
    }
}

/// A number, with an optional sign; `Infinity` and `NaN` too (JSON5).
fn number(l: &mut Lexer) {
    let start = l.pos();
    if matches!(l.peek(), b'-' | b'+') {
        l.bump();
    }
    let named = l.eat("Infinity") || l.eat("NaN");
    if named || !l.eat_number().is_empty() {
        l.push(Kind::Number, start);
    }
}

/// A bare name: a `Key` before a `:` (JSON5), a literal, or plain text.
fn word(l: &mut Lexer) {
    let start = l.pos();
    let w = l.eat_ident(b"$");
    let kind = if colon_follows(l.rest().as_bytes()) {
        Kind::Key
    } else {
        match w {
            "true" | "false" | "null" => Kind::ConstantBuiltin,
            "Infinity" | "NaN" => Kind::Number,
            _ => Kind::Plain,
        }
    };
    l.push(kind, start);
}

/// Whether the first byte of `after` that is not whitespace is a `:`. It
/// looks only past whitespace, which the lexer then steps over, so the
/// look-ahead costs nothing more than one pass.
fn colon_follows(after: &[u8]) -> bool {
    after.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{each_lexes, every_prefix, kind_of, long_runs_lex, tokens, Kind};
    use super::lex;

    #[test]
    fn keys_values_and_literals() {
        let t = tokens(
            "{\"name\": \"a-b\", \"n\" : -1.5e3, \"ok\": true, \"x\": null, \"no\": false, \
             \"list\": [1, 2]}",
            lex,
        );
        assert_eq!(kind_of(&t, "\"name\""), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\"n\""), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\"a-b\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "-1.5e3"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "true"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "null"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "false"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "{"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, ":"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "]}"), Some(Kind::Punctuation));
    }

    #[test]
    fn escapes_in_strings_and_keys() {
        let t = tokens("{\"a\\\"b\": \"x\\n\\u00e9y\\\\\"}", lex);
        assert_eq!(kind_of(&t, "\"a"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\\\""), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "b\""), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\"x"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\n\\u00e9"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "y"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\\\"), Some(Kind::Escape));
    }

    #[test]
    fn a_key_may_have_its_colon_on_the_next_line() {
        let t = tokens("[\"v\",\n \"k\"\n  : 1]", lex);
        assert_eq!(kind_of(&t, "\"v\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "\"k\""), Some(Kind::Key));
    }

    #[test]
    fn comments_of_jsonc() {
        let t = tokens("{\n  // one\n  \"a\": 1, /* two\n */ \"b\": 2\n}", lex);
        assert_eq!(kind_of(&t, "// one"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "/* two\n */"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "\"b\""), Some(Kind::Key));
    }

    #[test]
    fn the_looser_forms_of_json5() {
        let t = tokens(
            "{unquoted: 'single \\' q', $id: +0x1F, n: -Infinity, m: NaN, f: .5, g: 5., other}",
            lex,
        );
        assert_eq!(kind_of(&t, "unquoted"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "$id"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "'single "), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\'"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, " q'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "+0x1F"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "-Infinity"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "NaN"), Some(Kind::Number));
        assert_eq!(kind_of(&t, ".5"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "5."), Some(Kind::Number));
        assert!(t.contains(&(Kind::Plain, " other".into())));
    }

    #[test]
    fn an_unterminated_string_ends_at_its_line() {
        let t = tokens("{\"a\": \"open\r\n\"b\": 2}", lex);
        assert_eq!(kind_of(&t, "\"open"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\"b\""), Some(Kind::Key));
        assert_eq!(kind_of(&t, "2"), Some(Kind::Number));
    }

    const SAMPLE: &str = "\u{feff}{\n  // ünïcødé 🚀\n  \"名前\": \"é\\u00e9\\\"🚀\",\r\n  \
        /* block */ 'k': [1, -2.5e-3, +Infinity, NaN, 0x1F, true, false, null],\n  \
        bare: {\"nested\" : \"x\\\ny\"},\n  \"tail\": \"\\\\\"\n}\n";

    #[test]
    fn every_prefix_of_a_sample_lexes() {
        let t = every_prefix(SAMPLE, lex);
        assert_eq!(kind_of(&t, "\"名前\""), Some(Kind::Key));
        assert_eq!(kind_of(&t, "'k'"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "bare"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\"nested\""), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\\\n"), Some(Kind::Escape));
    }

    #[test]
    fn broken_code_keeps_every_byte() {
        each_lexes(
            &[
                "",
                "\"",
                "'",
                "\"\\",
                "\\",
                "\"\\u",
                "\"\\u12",
                "\"a\":",
                "/",
                "/*",
                "/*/",
                "-",
                "+",
                "-I",
                ".",
                "1e",
                "0x",
                "{{{{",
                "]]]]",
                "\u{0}",
                "\"\u{0}\"",
                "\"é\\é\"",
                "\"🚀\\",
                "\"a\\\r\n",
                "é:é",
                "🚀: 1",
                "\u{feff}",
                "\r\n\t",
            ],
            lex,
        );
        let t = tokens("\"open", lex);
        assert_eq!(kind_of(&t, "\"open"), Some(Kind::String));
    }

    #[test]
    fn long_runs_lex_in_one_pass() {
        long_runs_lex(
            &[
                "\"", "\"\\", "/*", "'a'", "a", " ", "\"a\" ", "-", "{\"a\":",
            ],
            lex,
        );
    }
}
