//! TOML: keys (bare, quoted, dotted) before `=` as `Key`; table headers
//! (`[table]`, `[[array.of.tables]]`) with their names as `Type`, as
//! nvim-treesitter's TOML query has them (Pygments colours them as
//! keywords, Chroma not at all); basic and literal strings, single- and
//! multi-line, as `String` with the escapes of basic ones as `Escape`;
//! integers and floats (`1_000`, `0x1F`, `+1.5e3`, `inf`, `nan`) and dates
//! and times (`1979-05-27T07:32:00Z`, `07:32:00`) as `Number`; `true` and
//! `false` as `ConstantBuiltin`; `#` comments; `=` as `Operator`; brackets,
//! braces, commas and the dots of keys as `Punctuation`. Anything TOML has
//! no use for stays plain.

use super::toolkit::{char_escape_len, hex_escape_len, Kind, Lexer};

pub(super) fn lex(l: &mut Lexer) {
    let mut toml = Toml {
        depth: 0,
        tables: 0,
        key: true,
        fresh_line: true,
    };
    l.each(|l| toml.step(l));
}

/// What the lexer knows at the cursor.
struct Toml {
    /// How many arrays and inline tables of a value are open.
    depth: usize,
    /// Which of the innermost 64 of them are inline tables: bit `i` for the
    /// one at depth `i + 1`.
    tables: u64,
    /// Whether a key comes next: at the start of a line, and after `{` or
    /// `,` in an inline table.
    key: bool,
    /// Whether the cursor is at the start of a line not yet looked at.
    fresh_line: bool,
}

impl Toml {
    fn step(&mut self, l: &mut Lexer) {
        if std::mem::take(&mut self.fresh_line) && self.depth > 0 && key_line(l.rest()) {
            // A key where a value was expected: an array or inline table
            // left open is taken as closed.
            self.depth = 0;
            self.key = true;
        }
        let start = l.pos();
        match l.peek() {
            b' ' | b'\t' | b'\r' => {
                l.eat_while(|c| matches!(c, ' ' | '\t' | '\r'));
            }
            b'\n' => {
                l.bump();
                self.fresh_line = true;
                if self.depth == 0 {
                    self.key = true;
                }
            }
            b'#' => l.line_comment(),
            b'[' if self.key && self.depth == 0 => header(l),
            b'=' => {
                l.bump();
                l.push(Kind::Operator, start);
                self.key = false;
            }
            b'[' | b'{' => {
                let table = l.peek() == b'{';
                if self.depth < 64 {
                    self.tables &= !(1 << self.depth);
                    self.tables |= u64::from(table) << self.depth;
                }
                self.depth += 1;
                self.key = table;
                l.bump_as(Kind::Punctuation);
            }
            b']' | b'}' => {
                self.depth = self.depth.saturating_sub(1);
                self.key = false;
                l.bump_as(Kind::Punctuation);
            }
            b',' => {
                self.key = self.in_table();
                l.bump_as(Kind::Punctuation);
            }
            b'.' if self.key => l.bump_as(Kind::Punctuation),
            b'"' | b'\'' if self.key => quoted_key(l, Kind::Key),
            b'"' | b'\'' => string(l),
            _ if self.key => {
                l.eat_ident(b"-");
                l.push(Kind::Key, start);
            }
            _ => value(l),
        }
    }

    /// Whether the innermost open bracket is an inline table's.
    fn in_table(&self) -> bool {
        match self.depth {
            0 => false,
            d if d <= 64 => self.tables & (1 << (d - 1)) != 0,
            _ => false,
        }
    }
}

/// A table header, from its `[` or `[[` to its `]` or `]]` on the line.
fn header(l: &mut Lexer) {
    let start = l.pos();
    if !l.eat("[[") {
        l.eat("[");
    }
    l.push(Kind::Punctuation, start);
    loop {
        let at = l.pos();
        match l.peek() {
            b' ' | b'\t' => {
                l.eat_while(|c| c == ' ' || c == '\t');
            }
            b'.' => l.bump_as(Kind::Punctuation),
            b'"' | b'\'' => quoted_key(l, Kind::Type),
            b']' => {
                if !l.eat("]]") {
                    l.eat("]");
                }
                l.push(Kind::Punctuation, at);
                return;
            }
            _ => {
                l.eat_ident(b"-");
                l.push(Kind::Type, at);
            }
        }
        if l.pos() == at {
            return;
        }
    }
}

/// A quoted key or table name, on one line, as `kind` (with the escapes of
/// a basic one as `Escape`).
fn quoted_key(l: &mut Lexer, kind: Kind) {
    let quote = l.peek();
    let start = l.pos();
    let mut from = start;
    l.bump();
    loop {
        let b = l.peek();
        if l.at_end() || b == b'\n' || (b == b'\r' && l.peek_at(1) == b'\n') {
            break;
        }
        if b == quote {
            l.bump();
            break;
        }
        if b == b'\\' && quote == b'"' {
            l.push(kind, from);
            l.escape(escape_len(l.rest(), false));
            from = l.pos();
        } else {
            l.eat_while(|c| c != quote as char && c != '\\' && c != '\n' && c != '\r');
            if l.peek() == b'\r' || (l.peek() == b'\\' && quote == b'\'') {
                l.bump();
            }
        }
    }
    l.push(kind, from);
}

/// A string value: basic (`"`, `"""`) with escapes, or literal (`'`,
/// `'''`); the multi-line ones may end with up to two more quotes inside
/// them (`""""` closes with a `"` in the text).
fn string(l: &mut Lexer) {
    let start = l.pos();
    let quote = l.peek();
    let triple: &str = if quote == b'"' { "\"\"\"" } else { "'''" };
    if !l.starts_with(triple) {
        quoted_key(l, Kind::String);
        return;
    }
    l.eat(triple);
    let mut from = start;
    loop {
        if l.at_end() {
            break;
        }
        if l.eat(triple) {
            if l.eat_byte(quote) {
                l.eat_byte(quote);
            }
            break;
        }
        if quote == b'"' && l.peek() == b'\\' {
            l.push(Kind::String, from);
            l.escape(escape_len(l.rest(), true));
            from = l.pos();
        } else {
            l.bump();
            l.eat_while(|c| c != quote as char && c != '\\');
        }
    }
    l.push(Kind::String, from);
}

/// The length of the escape at the start of `rest`, on its backslash:
/// `\n`, `\uXXXX`, `\UXXXXXXXX`; in a multi-line string, a backslash that
/// ends a line, with the whitespace it trims.
fn escape_len(rest: &str, multiline: bool) -> usize {
    let b = rest.as_bytes();
    match b.get(1) {
        Some(b'u') => hex_escape_len(rest, 4),
        Some(b'U') => hex_escape_len(rest, 8),
        Some(b' ' | b'\t' | b'\r' | b'\n') if multiline => {
            let space = b[1..]
                .iter()
                .take_while(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'));
            1 + space.count()
        }
        Some(b'\r' | b'\n') => 1,
        _ => char_escape_len(rest),
    }
}

/// A value that is not a string or a bracket: a number, a date or a time,
/// `true`, `false`, `inf`, `nan`; anything else is plain.
fn value(l: &mut Lexer) {
    let start = l.pos();
    let b = l.peek();
    let signed = matches!(b, b'+' | b'-');
    let next = l.peek_at(usize::from(signed));
    if next.is_ascii_digit() {
        if signed {
            l.bump();
        }
        let text = eat_literal(l);
        // A date and a time may be apart: `1979-05-27 07:32:00`.
        let date = text.len() == 10 && text.as_bytes()[4] == b'-';
        if date && l.peek() == b' ' && l.peek_at(1).is_ascii_digit() && l.peek_at(3) == b':' {
            l.bump();
            eat_literal(l);
        }
        l.push(Kind::Number, start);
        return;
    }
    if signed {
        l.bump();
    }
    let word = l.eat_ident(&[]);
    let kind = match word {
        "inf" | "nan" => Kind::Number,
        "true" | "false" if !signed => Kind::ConstantBuiltin,
        _ => Kind::Plain,
    };
    l.push(kind, start);
}

/// Moves past the characters a number, a date or a time is made of.
fn eat_literal<'a>(l: &mut Lexer<'a, '_>) -> &'a str {
    l.eat_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-' | '+'))
}

/// Whether `line` starts with a bare or dotted key and its `=`.
fn key_line(line: &str) -> bool {
    let line = line.trim_start_matches([' ', '\t']);
    let key = line
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' ' | b'\t'))
        .count();
    key > 0 && line.as_bytes().get(key) == Some(&b'=') && line.as_bytes()[0] != b'.'
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{each_lexes, every_prefix, kind_of, long_runs_lex, tokens, Kind};
    use super::lex;

    #[test]
    fn the_benchmark_lines() {
        let lines = [
            "[garden]",
            "river = 42",
            "name = \"garden-river\"",
            "enabled = true",
            "tags = [\"garden\", \"river\"]",
        ];
        let t = tokens(&lines.join("\n"), lex);
        assert_eq!(kind_of(&t, "["), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "garden"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "river"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "="), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "42"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "name"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\"garden-river\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "true"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "tags"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\"garden\""), Some(Kind::String));
        assert_eq!(kind_of(&t, ","), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "]"), Some(Kind::Punctuation));
    }

    #[test]
    fn keys_and_headers_in_their_forms() {
        let t = tokens(
            "[[bin.targets]]\n[ \"quoted\" . 'lit' ] # c\nsite.\"a b\".c-d = 1\n'lit key' = 2\n\
             inline = { x = 1, y.z = \"s\", w = [1, { v = 2 }] }\n",
            lex,
        );
        assert_eq!(kind_of(&t, "[["), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "bin"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "targets"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "]]"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "\"quoted\""), Some(Kind::Type));
        assert_eq!(kind_of(&t, "'lit'"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "# c"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "site"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\"a b\""), Some(Kind::Key));
        assert_eq!(kind_of(&t, "c-d"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "'lit key'"), Some(Kind::Key));
        for key in ["x", "y", "z", "w", "v"] {
            assert_eq!(kind_of(&t, key), Some(Kind::Key), "{key}");
        }
        assert_eq!(kind_of(&t, "\"s\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "2"), Some(Kind::Number));
    }

    #[test]
    fn strings_and_their_escapes() {
        let t = tokens(
            "a = \"x\\n\\u00E9\\\"y\"\nb = 'C:\\path'\nc = \"\"\"\none \\\n  two\"\"\"\"\n\
             d = '''\nraw \\n '''\ne = 1\n",
            lex,
        );
        assert_eq!(kind_of(&t, "\"x"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\n\\u00E9\\\""), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "y\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "'C:\\path'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\"\"\"\none "), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\\n  "), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "two\"\"\"\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "'''\nraw \\n '''"), Some(Kind::String));
        assert_eq!(kind_of(&t, "e"), Some(Kind::Key));
    }

    #[test]
    fn numbers_dates_and_literals() {
        let t = tokens(
            "n = [1_000, 0x1F, 0o17, 0b101, +1.5e3, -2, inf, -nan, 3.14]\n\
             d = [1979-05-27T07:32:00Z, 1979-05-27 07:32:00.5-08:00, 07:32:00, 1979-05-27]\n\
             f = false\nx = bare\n",
            lex,
        );
        for number in [
            "1_000",
            "0x1F",
            "0o17",
            "0b101",
            "+1.5e3",
            "-2",
            "inf",
            "-nan",
            "3.14",
            "1979-05-27T07:32:00Z",
            "1979-05-27 07:32:00.5-08:00",
            "07:32:00",
            "1979-05-27",
        ] {
            assert_eq!(kind_of(&t, number), Some(Kind::Number), "{number}");
        }
        assert_eq!(kind_of(&t, "false"), Some(Kind::ConstantBuiltin));
        assert!(t.contains(&(Kind::Plain, " bare\n".into())));
    }

    #[test]
    fn arrays_over_lines_and_one_left_open() {
        let t = tokens("a = [\n  1,\n  \"two\",\n]\nb = [1,\nc = 3\n", lex);
        assert_eq!(kind_of(&t, "\"two\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "b"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "c"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "3"), Some(Kind::Number));
    }

    const SAMPLE: &str = "\u{feff}# ünïcødé 🚀\n[名前.\"é 🚀\"]\r\nkey = \"é\\u00e9\\\"🚀\"\n\
        'q' = 'lit 🚀'\nml = \"\"\"\nline \\\n  more 🚀 \"\"\"\nraw = '''\n🚀 '''\n\
        arr = [1, +2.5e-3, 0xFF, inf, true, 1979-05-27T07:32:00Z, { a.b = 1, c = [2] }]\n\
        [[t]]\nx = -nan # end\n";

    #[test]
    fn every_prefix_of_a_sample_lexes() {
        let t = every_prefix(SAMPLE, lex);
        assert_eq!(kind_of(&t, "名前"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "\"é 🚀\""), Some(Kind::Type));
        assert_eq!(kind_of(&t, "'q'"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "-nan"), Some(Kind::Number));
    }

    #[test]
    fn broken_code_keeps_every_byte() {
        each_lexes(
            &[
                "",
                "\"",
                "'",
                "\"\"\"",
                "'''",
                "\"\\",
                "\"\\u",
                "\"\"\"\\",
                "\"\"\"a\\ ",
                "[",
                "[[",
                "[a",
                "[\"a",
                "]]",
                "{",
                "}}}",
                "=",
                "a",
                "a =",
                "a = \"",
                "a = [",
                "+",
                "-",
                "1-",
                "\\",
                "\u{0}",
                "\u{feff}",
                "é = é",
                "🚀 = 🚀",
                "[🚀]",
                "a = '\r\n",
                "\r\n\t",
                "a.\"b",
                "a = {b",
                "x = 1979-05-27 ",
                "x = 1979-05-27 0",
            ],
            lex,
        );
        let t = tokens("a = \"open\nb = 1\n", lex);
        assert_eq!(kind_of(&t, "\"open"), Some(Kind::String));
        assert_eq!(kind_of(&t, "b"), Some(Kind::Key));
    }

    #[test]
    fn long_runs_lex_in_one_pass() {
        long_runs_lex(
            &[
                "\"", "'", "\"\"\"", "[", "{", "a = [\n", "[a", "\"\\", "a.", "#\n",
            ],
            lex,
        );
    }
}
