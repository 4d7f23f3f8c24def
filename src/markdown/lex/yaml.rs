//! YAML: mapping keys (plain or quoted, before a `:` indicator) as `Key`;
//! scalars as tree-sitter-yaml's core schema reads them: `null`, `~` and
//! the booleans as `ConstantBuiltin`, integers and floats (`0x`, `0o`,
//! `.inf`, `.nan`) as `Number`, every other plain scalar, the quoted ones
//! (with their escapes as `Escape`) and the text of block scalars (`|`,
//! `>`) as `String`; `#` comments; anchors and aliases as `Label`, tags as
//! `Type`, directives (`%YAML`) as `Attribute`; the `- `, `? `, `: `, `|`
//! and `>` indicators, flow brackets and commas, and the `---` and `...`
//! document markers as `Punctuation`. Spaces and line breaks stay plain.

use super::toolkit::{char_escape_len, hex_escape_len, line_len, Kind, Lexer, QuoteEnd};

pub(super) fn lex(l: &mut Lexer) {
    let mut yaml = Yaml {
        flow: 0,
        line_start: 0,
        fresh_line: true,
        indent: 0,
        node_col: None,
        block: None,
        explicit_key: false,
        ends: [
            QuoteEnd::new(b'"', true, false),
            QuoteEnd::new(b'\'', false, true),
        ],
    };
    l.eat("\u{feff}");
    yaml.line_start = l.pos();
    l.each(|l| yaml.step(l));
}

/// What the lexer knows at the cursor.
struct Yaml {
    /// How many flow collections (`[`, `{`) are open.
    flow: usize,
    /// Where the current line starts.
    line_start: usize,
    /// Whether the cursor is at the start of a line not yet looked at.
    fresh_line: bool,
    /// The spaces that indent the current line.
    indent: usize,
    /// The column of the last key or `-`/`?` indicator on the current line:
    /// the indentation a block scalar after it must exceed.
    node_col: Option<usize>,
    /// Inside a block scalar: its lines are those indented more than this
    /// (-1 when any indentation will do).
    block: Option<isize>,
    /// After a `?` indicator: the next scalar on the line is a key.
    explicit_key: bool,
    /// Where the quoted scalars in `"` and in `'` end.
    ends: [QuoteEnd; 2],
}

impl Yaml {
    fn step(&mut self, l: &mut Lexer) {
        if self.fresh_line {
            self.fresh_line = false;
            if self.begin_line(l) {
                return;
            }
        }
        let start = l.pos();
        let b = l.peek();
        match b {
            b' ' | b'\t' | b'\r' => {
                l.eat_while(|c| matches!(c, ' ' | '\t' | '\r'));
            }
            b'\n' => {
                l.bump();
                self.fresh_line = true;
            }
            b'#' if start == self.line_start || matches!(l.prev(), b' ' | b'\t') => {
                l.line_comment();
            }
            b'"' | b'\'' => self.quoted(l),
            b'[' | b'{' => {
                self.flow += 1;
                self.explicit_key = false;
                l.bump_as(Kind::Punctuation);
            }
            b']' | b'}' => {
                self.flow = self.flow.saturating_sub(1);
                l.bump_as(Kind::Punctuation);
            }
            b',' if self.flow > 0 => l.bump_as(Kind::Punctuation),
            b'-' | b'?' | b':' if self.separates(l.peek_at(1)) => {
                if b != b':' {
                    self.node_col = Some(start - self.line_start);
                }
                self.explicit_key = b == b'?';
                l.bump_as(Kind::Punctuation);
            }
            b'&' | b'*' if !self.separates(l.peek_at(1)) => {
                l.bump();
                l.eat_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'));
                l.push(Kind::Label, start);
            }
            b'!' => self.tag(l),
            b'|' | b'>' if self.flow == 0 && self.block_header(l) => {}
            _ => self.plain(l),
        }
    }

    /// Looks at a new line: the text of a block scalar, a document marker
    /// or a directive. Whether it moved the cursor.
    fn begin_line(&mut self, l: &mut Lexer) -> bool {
        self.line_start = l.pos();
        self.node_col = None;
        self.explicit_key = false;
        let bytes = l.rest().as_bytes();
        self.indent = bytes.iter().take_while(|b| **b == b' ').count();
        let marker = (bytes.starts_with(b"---") || bytes.starts_with(b"..."))
            && matches!(bytes.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        if let Some(parent) = self.block {
            let blank = matches!(
                bytes[self.indent..]
                    .iter()
                    .find(|b| !matches!(b, b' ' | b'\t')),
                None | Some(b'\r' | b'\n')
            );
            if blank {
                return false;
            }
            if !marker && self.indent as isize > parent {
                l.advance(self.indent);
                let start = l.pos();
                l.eat_line();
                l.push(Kind::String, start);
                return true;
            }
            self.block = None;
        }
        if marker {
            l.advance(3);
            l.push(Kind::Punctuation, self.line_start);
            self.flow = 0;
            return true;
        }
        if bytes.first() == Some(&b'%') {
            l.advance(before_comment(bytes));
            l.push(Kind::Attribute, self.line_start);
            return true;
        }
        false
    }

    /// Whether byte `b` after an indicator (`-`, `?`, `:`) makes it one: a
    /// space, a line break, the end, or in a flow collection a flow
    /// indicator.
    fn separates(&self, b: u8) -> bool {
        matches!(b, 0 | b' ' | b'\t' | b'\r' | b'\n')
            || (self.flow > 0 && matches!(b, b',' | b'[' | b']' | b'{' | b'}'))
    }

    /// A quoted scalar, which may span lines: a `Key` when a `:` follows it
    /// on its line, else a `String` with its escapes (`\n`, `\x41`, `\u00e9`
    /// in double quotes, `''` in single ones).
    fn quoted(&mut self, l: &mut Lexer) {
        let start = l.pos();
        let bytes = l.rest().as_bytes();
        let quote = bytes[0];
        let slot = usize::from(quote == b'\'');
        let close = self.ends[slot].find(bytes, start);
        // Unterminated, it ends with its line.
        let len = close.unwrap_or_else(|| line_len(bytes));
        let text = &bytes[..len];
        let colon = bytes[len..].iter().find(|b| !matches!(b, b' ' | b'\t')) == Some(&b':');
        let explicit = std::mem::take(&mut self.explicit_key);
        if (colon || explicit) && !text.contains(&b'\n') {
            l.advance(len);
            l.push(Kind::Key, start);
            self.node_col = Some(start - self.line_start);
            // The `:` is an indicator even with no space after it: `"a":1`.
            l.eat_while(|c| c == ' ' || c == '\t');
            let at = l.pos();
            l.eat_byte(b':');
            l.push(Kind::Punctuation, at);
            return;
        }
        let body_end = start + len - usize::from(close.is_some());
        l.bump();
        if quote == b'"' {
            l.quoted_to(start, body_end, Kind::String, b'\\', escape_len);
        } else {
            // `''` is a quote.
            l.quoted_to(start, body_end, Kind::String, b'\'', |rest| {
                if rest.starts_with("''") {
                    2
                } else {
                    0
                }
            });
        }
        if close.is_some() {
            l.bump_as(Kind::String);
        }
        if let Some(nl) = text.iter().rposition(|b| *b == b'\n') {
            self.line_start = start + nl + 1;
            self.node_col = None;
        }
    }

    /// A tag (`!`, `!!str`, `!custom`, `!<tag:yaml.org,2002:str>`).
    fn tag(&mut self, l: &mut Lexer) {
        let start = l.pos();
        l.bump();
        if l.eat_byte(b'<') {
            l.eat_while(|c| c != '>' && c != '\n');
            l.eat_byte(b'>');
        } else {
            let flow = self.flow > 0;
            l.eat_while(|c| {
                !(c.is_whitespace() || flow && matches!(c, ',' | '[' | ']' | '{' | '}'))
            });
        }
        l.push(Kind::Type, start);
    }

    /// The header of a block scalar (`|`, `>-`, `|+2`) when the cursor is on
    /// one: its indicators as `Punctuation`, and the lines after it, which
    /// `begin_line` takes as its text. Whether it was one.
    fn block_header(&mut self, l: &mut Lexer) -> bool {
        let bytes = l.rest().as_bytes();
        let len = 1 + bytes[1..]
            .iter()
            .take_while(|b| matches!(b, b'-' | b'+' | b'0'..=b'9'))
            .count();
        if !matches!(bytes.get(len), None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
            return false;
        }
        let start = l.pos();
        l.advance(len);
        l.push(Kind::Punctuation, start);
        let parent = match self.node_col {
            Some(col) => col as isize,
            None => self.indent as isize - 1,
        };
        self.block = Some(parent);
        true
    }

    /// A plain scalar, to a `: ` (then it is a key), a ` #`, the end of the
    /// line, or in a flow collection a flow indicator; its trailing spaces
    /// are left out.
    fn plain(&mut self, l: &mut Lexer) {
        let start = l.pos();
        let bytes = l.rest().as_bytes();
        let mut end = 0;
        let mut key = false;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' | b'\n' => break,
                b' ' | b'\t' => {
                    i += 1;
                    continue;
                }
                b'#' if i > 0 && matches!(bytes[i - 1], b' ' | b'\t') => break,
                b':' if i > 0 && self.separates(bytes.get(i + 1).copied().unwrap_or(0)) => {
                    key = true;
                    break;
                }
                b',' | b'[' | b']' | b'{' | b'}' if i > 0 && self.flow > 0 => break,
                _ => {}
            }
            i += 1;
            end = i;
        }
        l.advance(end);
        let kind = if std::mem::take(&mut self.explicit_key) {
            Kind::Key
        } else if key {
            if self.flow == 0 {
                self.node_col = Some(start - self.line_start);
            }
            Kind::Key
        } else {
            scalar_kind(&l.src()[start..l.pos()])
        };
        l.push(kind, start);
    }
}

/// The length of the escape at the start of `rest`, in double quotes:
/// `\x41`, `\u00e9`, `\U0001F600`, or a backslash and the character after
/// it.
fn escape_len(rest: &str) -> usize {
    match rest.as_bytes().get(1) {
        Some(b'x') => hex_escape_len(rest, 2),
        Some(b'u') => hex_escape_len(rest, 4),
        Some(b'U') => hex_escape_len(rest, 8),
        _ => char_escape_len(rest),
    }
}

/// The kind of a plain scalar that is not a key, by the core schema.
fn scalar_kind(text: &str) -> Kind {
    match text {
        "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => {
            Kind::ConstantBuiltin
        }
        _ if is_number(text.as_bytes()) => Kind::Number,
        _ => Kind::String,
    }
}

/// Whether `s` is an integer or a float of the core schema: `-12`, `0o17`,
/// `0x1F`, `1.5e3`, `.5`, `-.inf`, `.NaN`.
fn is_number(s: &[u8]) -> bool {
    let digits = |s: &[u8], ok: fn(&u8) -> bool| !s.is_empty() && s.iter().all(ok);
    if let Some(hex) = s.strip_prefix(b"0x") {
        return digits(hex, u8::is_ascii_hexdigit);
    }
    if let Some(octal) = s.strip_prefix(b"0o") {
        return digits(octal, |b| matches!(b, b'0'..=b'7'));
    }
    if matches!(s, b".nan" | b".NaN" | b".NAN") {
        return true;
    }
    let s = s.strip_prefix(b"-").or(s.strip_prefix(b"+")).unwrap_or(s);
    if matches!(s, b".inf" | b".Inf" | b".INF") {
        return true;
    }
    let (mantissa, exponent) = match s.iter().position(|b| matches!(b, b'e' | b'E')) {
        Some(e) => (&s[..e], Some(&s[e + 1..])),
        None => (s, None),
    };
    let (whole, fraction) = match mantissa.iter().position(|b| *b == b'.') {
        Some(dot) => (&mantissa[..dot], Some(&mantissa[dot + 1..])),
        None => (mantissa, None),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let mantissa_ok = match fraction {
        // `1.`, `1.5` and `.5`, not `.`
        Some(f) => all_digits(whole) && all_digits(f) && !(whole.is_empty() && f.is_empty()),
        None => digits(whole, u8::is_ascii_digit),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(b"-").or(e.strip_prefix(b"+")).unwrap_or(e);
        digits(e, u8::is_ascii_digit)
    });
    mantissa_ok && exponent_ok
}

/// The length of the first line of `bytes` before a comment (a `#` after a
/// space) and the spaces before it.
fn before_comment(bytes: &[u8]) -> usize {
    let line = &bytes[..line_len(bytes)];
    let mut end = line.len();
    for (i, b) in line.iter().enumerate() {
        if *b == b'#' && i > 0 && matches!(line[i - 1], b' ' | b'\t') {
            end = i;
            break;
        }
    }
    line[..end]
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(0, |last| last + 1)
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{
        assert_kinds, each_lexes, every_prefix, kind_of, long_runs_lex, tokens, Kind,
    };
    use super::lex;

    #[test]
    fn the_benchmark_lines() {
        let lines = [
            "garden:",
            "  river: 42",
            "  name: \"garden-river\"",
            "  enabled: true",
            "  tags: [garden, river]",
        ];
        let t = tokens(&lines.join("\n"), lex);
        assert_eq!(kind_of(&t, "garden"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "river"), Some(Kind::Key));
        assert_eq!(kind_of(&t, ":"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "42"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "\"garden-river\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "true"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "["), Some(Kind::Punctuation));
        assert!(t.contains(&(Kind::String, "garden".into())));
        assert!(t.contains(&(Kind::String, "river".into())));
        assert_eq!(kind_of(&t, "]"), Some(Kind::Punctuation));
    }

    #[test]
    fn keys_in_their_forms() {
        let t = tokens(
            "- name: x\n- \"quoted key\": 1\n  'single': 2\nkey with spaces : 3\n\
             url: http://a.b:80/c\n\
             {flow: 1, \"j\":2}\n",
            lex,
        );
        assert_eq!(kind_of(&t, "-"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "name"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\"quoted key\""), Some(Kind::Key));
        assert_eq!(kind_of(&t, "'single'"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "key with spaces"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "http://a.b:80/c"), Some(Kind::String));
        assert_eq!(kind_of(&t, "flow"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "\"j\""), Some(Kind::Key));
        assert_eq!(kind_of(&t, "2"), Some(Kind::Number));
    }

    #[test]
    fn scalars_by_the_core_schema() {
        let t = tokens(
            "a: [1, -2, 0x1F, 0o17, 1.5e3, .5, -.inf, .NaN, null, ~, True, FALSE, \
             yes, 1.2.3, 12:30]",
            lex,
        );
        for number in ["1", "-2", "0x1F", "0o17", "1.5e3", ".5", "-.inf", ".NaN"] {
            assert_eq!(kind_of(&t, number), Some(Kind::Number), "{number}");
        }
        for constant in ["null", "~", "True", "FALSE"] {
            assert_eq!(
                kind_of(&t, constant),
                Some(Kind::ConstantBuiltin),
                "{constant}"
            );
        }
        for string in ["yes", "1.2.3", "12:30"] {
            assert_eq!(kind_of(&t, string), Some(Kind::String), "{string}");
        }
    }

    #[test]
    fn comments_only_after_a_space() {
        let t = tokens("# top\na: b#c # note\nc: \"x\" #q\n", lex);
        assert_eq!(kind_of(&t, "# top"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "b#c"), Some(Kind::String));
        assert_eq!(kind_of(&t, "# note"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "#q"), Some(Kind::Comment));
    }

    #[test]
    fn quoted_scalars_their_escapes_and_lines() {
        let t = tokens(
            "a: \"x\\n\\x41\\u00e9y\"\nb: 'it''s'\nc: \"one\n  two\"\nd: 1\n",
            lex,
        );
        assert_eq!(kind_of(&t, "\"x"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\n\\x41\\u00e9"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "y\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "'it"), Some(Kind::String));
        assert_eq!(kind_of(&t, "''"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "s'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\"one\n  two\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "d"), Some(Kind::Key));
    }

    #[test]
    fn quotes_after_an_unclosed_scalar_still_close() {
        let t = tokens("a: 'open\nb: ['', x]\nc: '''' # q\n'': 1\n", lex);
        assert_kinds(
            &t,
            &[
                ("'open", Kind::String),
                ("''", Kind::String),
                (",", Kind::Punctuation),
                ("x", Kind::String),
                ("# q", Kind::Comment),
            ],
        );
        assert!(t.contains(&(Kind::Key, "''".into())), "{t:?}");
    }

    #[test]
    fn anchors_aliases_tags_directives_markers() {
        let t = tokens(
            "%YAML 1.2 # v\n---\nbase: &base !!map\n  x: !custom 1\nuse:\n  <<: *base\n...\n",
            lex,
        );
        assert_eq!(kind_of(&t, "%YAML 1.2"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "# v"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "---"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "&base"), Some(Kind::Label));
        assert_eq!(kind_of(&t, "!!map"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "!custom"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "<<"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "*base"), Some(Kind::Label));
        assert_eq!(kind_of(&t, "..."), Some(Kind::Punctuation));
    }

    #[test]
    fn an_explicit_key_after_a_question_mark() {
        let t = tokens("? complex key\n: value\n? \"q\"\n", lex);
        assert_eq!(kind_of(&t, "?"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "complex key"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "value"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\"q\""), Some(Kind::Key));
    }

    #[test]
    fn block_scalars_end_with_their_indentation() {
        let code =
            "run: |\n  echo \"a: b\" # not a comment\n\n  - not a list\nnext: >-2\n    folded\n\
                    list:\n  - |+\n    kept\n  - key: |\n      deep\n    other: 1\n";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "|"), Some(Kind::Punctuation));
        assert_eq!(
            kind_of(&t, "echo \"a: b\" # not a comment"),
            Some(Kind::String)
        );
        assert_eq!(kind_of(&t, "- not a list"), Some(Kind::String));
        assert_eq!(kind_of(&t, "next"), Some(Kind::Key));
        assert_eq!(kind_of(&t, ">-2"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "folded"), Some(Kind::String));
        assert_eq!(kind_of(&t, "|+"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "kept"), Some(Kind::String));
        assert_eq!(kind_of(&t, "deep"), Some(Kind::String));
        assert_eq!(kind_of(&t, "other"), Some(Kind::Key));
        // `>` inside a plain scalar is text.
        let t = tokens("a: b > c | d\n", lex);
        assert_eq!(kind_of(&t, "b > c | d"), Some(Kind::String));
    }

    #[test]
    fn a_top_level_block_scalar_takes_every_line() {
        let t = tokens("--- |\ntext\n  more\n---\nk: v\n", lex);
        assert_eq!(kind_of(&t, "text"), Some(Kind::String));
        assert_eq!(kind_of(&t, "more"), Some(Kind::String));
        assert_eq!(kind_of(&t, "k"), Some(Kind::Key));
    }

    const SAMPLE: &str =
        "\u{feff}%YAML 1.2\n--- # dóc 🚀\nkey: value\n名前: \"é\\u00e9\\\"🚀\"\r\n\
        'k''q': 'it''s'\nlist:\n  - &a !!str plain text # c\n  - ? [complex]\n    : v\n  \
        - ? cx\n  - *a\n  - {x: 1, \"y\": [.inf, ~]}\n\
        block: |-2\n    line 🚀\n\n    two\nfolded: >\n  a\nmulti: \"one\\\n  two\"\n\
        num: -1.5e3\n...\n";

    #[test]
    fn every_prefix_of_a_sample_lexes() {
        let t = every_prefix(SAMPLE, lex);
        assert_eq!(kind_of(&t, "名前"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "'k''q'"), Some(Kind::Key));
        assert_eq!(kind_of(&t, "line 🚀"), Some(Kind::String));
        assert_eq!(kind_of(&t, "-1.5e3"), Some(Kind::Number));
    }

    #[test]
    fn broken_code_keeps_every_byte() {
        each_lexes(
            &[
                "",
                "\"",
                "'",
                "\"\\",
                "'''",
                "\\",
                ":",
                "-",
                "?",
                "&",
                "*",
                "!",
                "!<",
                "|",
                ">",
                "|-9",
                "%",
                "---",
                "...",
                "#",
                "[",
                "]]]",
                "{{",
                "a:",
                "a: \"",
                "a: '",
                "\"\\x",
                "\"\\U0001",
                "\u{0}",
                "\u{feff}",
                "\u{feff}# c",
                "é: é",
                "🚀: 🚀",
                "a: |\n",
                "a: |\n  ",
                "\r\n\t",
                "\"a\\\r\nb\"",
                "- - - ",
                "? : ",
                "[a: b, {c",
                "key: \"é\\é\"",
            ],
            lex,
        );
        let t = tokens("a: \"open\nb: 1\n", lex);
        assert_eq!(kind_of(&t, "\"open"), Some(Kind::String));
        assert_eq!(kind_of(&t, "b"), Some(Kind::Key));
    }

    #[test]
    fn long_runs_lex_in_one_pass() {
        long_runs_lex(
            &[
                "\"", "'", "a: \"x\n", "'a' ", "[", "- ", "a: |\n", "&", "#", "\"\\",
            ],
            lex,
        );
    }
}
