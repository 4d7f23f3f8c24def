//! SQL, in the common dialects (PostgreSQL, MySQL, SQLite): keywords in any
//! case as `Keyword`, built-in types as `TypeBuiltin`, `NULL`, `TRUE` and
//! `FALSE` as `ConstantBuiltin`; strings (`'...'` with `''`, `E'...'` with
//! its escapes as `Escape`, `$$...$$` and `$tag$...$tag$` bodies) as
//! `String`; numbers; `--`, `#` and `/* */` comments; `$1`, `:name`, `?` and
//! `@var` parameters as `Variable`; operators and punctuation. As
//! tree-sitter-sequel's query has them, a name before `(` or after
//! `FUNCTION` is a `Function`; the table named after `FROM`, `JOIN`, `INTO`,
//! `UPDATE`, `TABLE` or `REFERENCES` and the qualifier before a `.` are
//! `Type`s; the name after a `.` is a `Property`, and an alias (after `AS`,
//! or after a table's name) a `Variable`. Other names (bare columns, quoted
//! identifiers elsewhere) stay plain.

use super::toolkit::{char_escape_len, line_len, Kind, Lexer, QuoteEnd};

pub(super) fn lex(l: &mut Lexer) {
    let mut sql = Sql {
        next: Next::Any,
        alias: false,
        after_dot: false,
        ends: [
            QuoteEnd::new(b'\'', false, true),
            QuoteEnd::new(b'\'', true, true),
        ],
    };
    l.each(|l| sql.step(l));
}

/// What the keyword before it makes of the next name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Any,
    /// After `FROM`, `JOIN`, `UPDATE`: a table's (a name before `(` is a
    /// function's).
    Read,
    /// After `INTO`, `TABLE`, `REFERENCES`: a table's, even before the `(`
    /// of its columns.
    Write,
    /// After `FUNCTION`, `PROCEDURE`: a function's, even a keyword.
    Routine,
}

/// What the tokens before the cursor make of the next name.
struct Sql {
    next: Next,
    /// The next bare name is an alias.
    alias: bool,
    /// The last token was a `.`.
    after_dot: bool,
    /// Where the strings without and with backslash escapes end.
    ends: [QuoteEnd; 2],
}

impl Sql {
    fn step(&mut self, l: &mut Lexer) {
        let start = l.pos();
        let b = l.peek();
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                l.eat_while(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
                return;
            }
            b'-' if l.peek_at(1) == b'-' => return l.line_comment(),
            // MySQL's comments; `#>` and the like are PostgreSQL operators.
            b'#' if matches!(l.peek_at(1), 0 | b' ' | b'\t' | b'\r' | b'\n') => {
                return l.line_comment();
            }
            b'/' if l.peek_at(1) == b'*' => return l.block_comment("/*", "*/"),
            _ => {}
        }
        let after_dot = std::mem::take(&mut self.after_dot);
        match b {
            b'\'' => {
                self.string(l, start, false);
                self.forget();
            }
            b'"' | b'`' => {
                quoted_name(l, b);
                let kind = self.name_kind(l, after_dot);
                l.push(kind, start);
            }
            b'$' => {
                self.dollar(l);
                self.forget();
            }
            b'0'..=b'9' => {
                l.eat_number();
                l.push(Kind::Number, start);
                self.forget();
            }
            b'.' if l.peek_at(1).is_ascii_digit() => {
                l.eat_number();
                l.push(Kind::Number, start);
                self.forget();
            }
            b'.' => {
                l.bump();
                l.push(Kind::Punctuation, start);
                self.after_dot = true;
            }
            b'(' | b')' | b',' | b';' | b'[' | b']' => {
                l.bump();
                l.push(Kind::Punctuation, start);
                self.forget();
            }
            b':' => {
                l.bump();
                let kind = if l.eat_byte(b':') || l.eat_byte(b'=') {
                    Kind::Operator
                } else if ident_start(l.peek()) {
                    l.eat_ident(&[]);
                    Kind::Variable
                } else {
                    Kind::Operator
                };
                l.push(kind, start);
                self.forget();
            }
            b'?' => {
                l.bump();
                l.push(Kind::Variable, start);
                self.forget();
            }
            b'@' if l.peek_at(1) == b'@' || ident_start(l.peek_at(1)) => {
                l.bump();
                l.eat_byte(b'@');
                l.eat_ident(b"$");
                l.push(Kind::Variable, start);
                self.forget();
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'=' | b'!' | b'|' | b'&' | b'^'
            | b'~' | b'#' | b'@' => {
                l.bump();
                while is_operator(l.peek()) && !l.starts_with("--") && !l.starts_with("/*") {
                    l.bump();
                }
                l.push(Kind::Operator, start);
                self.forget();
            }
            _ if l.at_ident_start() => self.word(l, after_dot),
            _ => {}
        }
    }

    /// A name or a keyword.
    fn word(&mut self, l: &mut Lexer, after_dot: bool) {
        let start = l.pos();
        let w = l.eat_ident(b"$");
        if l.peek() == b'\'' && matches!(w, "E" | "e" | "N" | "n" | "B" | "b" | "X" | "x") {
            // A prefixed string: `E'\n'` has escapes, `N'...'`, `B'01'`,
            // `X'1F'` do not.
            self.string(l, start, w.eq_ignore_ascii_case("e"));
            self.forget();
            return;
        }
        let upper = upper(w).filter(|_| !after_dot);
        let kind = match upper.and_then(|u| Some((keyword_kind(&u)?, u))) {
            Some((_, upper))
                if self.next == Next::Routine
                    && !matches!(&upper[..w.len()], b"IF" | b"NOT" | b"EXISTS") =>
            {
                self.forget();
                Kind::Function
            }
            Some((kind, upper)) => {
                let word = &upper[..w.len()];
                self.keyword(word);
                if l.peek() == b'('
                    && matches!(word, b"CAST" | b"IF" | b"LEFT" | b"REPLACE" | b"RIGHT")
                {
                    Kind::Function
                } else {
                    kind
                }
            }
            // The one keyword too long for `upper`.
            None if !after_dot && w.eq_ignore_ascii_case("CURRENT_TIMESTAMP") => Kind::Keyword,
            None => self.name_kind(l, after_dot),
        };
        l.push(kind, start);
    }

    /// What a keyword (in upper case) makes of the names after it.
    fn keyword(&mut self, word: &[u8]) {
        self.alias = word == b"AS";
        self.next = match word {
            b"FROM" | b"JOIN" | b"UPDATE" => Next::Read,
            b"INTO" | b"TABLE" | b"REFERENCES" => Next::Write,
            b"FUNCTION" | b"PROCEDURE" => Next::Routine,
            // `TABLE IF NOT EXISTS t`, `FROM ONLY t`
            b"IF" | b"NOT" | b"EXISTS" | b"ONLY" => self.next,
            _ => Next::Any,
        };
    }

    /// The kind of the name just passed, by its place (the byte after it is
    /// at the cursor).
    fn name_kind(&mut self, l: &Lexer, after_dot: bool) -> Kind {
        let call = l.peek() == b'(';
        let dotted = l.peek() == b'.';
        let alias = std::mem::take(&mut self.alias);
        match self.next {
            // A schema: `FROM public.users`.
            _ if dotted && self.next != Next::Any => Kind::Plain,
            Next::Routine => {
                self.next = Next::Any;
                Kind::Function
            }
            Next::Read if call => {
                self.next = Next::Any;
                Kind::Function
            }
            Next::Read | Next::Write => {
                self.next = Next::Any;
                self.alias = true;
                Kind::Type
            }
            Next::Any if call => Kind::Function,
            Next::Any if after_dot => Kind::Property,
            Next::Any if dotted => Kind::Type,
            Next::Any if alias => Kind::Variable,
            Next::Any => Kind::Plain,
        }
    }

    /// After a token that ends any table name or alias.
    fn forget(&mut self) {
        self.next = Next::Any;
        self.alias = false;
    }

    /// A string from the quote at the cursor (its prefix starting at
    /// `start`) to its closing quote, over lines; one that is never closed
    /// ends with its line. `''` is a quote inside it; with `escapes`, so is
    /// `\'`, and each backslash escape is an `Escape`.
    fn string(&mut self, l: &mut Lexer, start: usize, escapes: bool) {
        let open = l.pos();
        let bytes = l.rest().as_bytes();
        let close = self.ends[usize::from(escapes)].find(bytes, open);
        let end = open + close.unwrap_or_else(|| line_len(bytes));
        l.bump();
        let escape_len: fn(&str) -> usize = if escapes { char_escape_len } else { |_| 0 };
        l.quoted_to(start, end, Kind::String, b'\\', escape_len);
    }

    /// At a `$`: a dollar-quoted string (`$$...$$`, `$body$...$body$`), a
    /// positional parameter (`$1`), or a lone `$`.
    fn dollar(&mut self, l: &mut Lexer) {
        let start = l.pos();
        let bytes = l.rest().as_bytes();
        if bytes.get(1).is_some_and(u8::is_ascii_digit) {
            l.bump();
            l.eat_while(|c| c.is_ascii_digit());
            l.push(Kind::Variable, start);
            return;
        }
        let name = bytes[1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        if bytes.get(1 + name) != Some(&b'$') {
            l.bump();
            return;
        }
        let tag = &l.rest()[..name + 2];
        l.eat(tag);
        l.eat_through(tag);
        l.push(Kind::String, start);
    }
}

/// A quoted identifier (`"name"`, `` `name` ``) from the quote at the cursor
/// to its closing quote (a doubled one is inside it) or the end of its line.
fn quoted_name(l: &mut Lexer, quote: u8) {
    let bytes = l.rest().as_bytes();
    let mut i = 1;
    let len = loop {
        match bytes.get(i) {
            Some(b) if *b == quote && bytes.get(i + 1) == Some(&quote) => i += 2,
            Some(b) if *b == quote => break i + 1,
            Some(b'\n') | None => break line_len(bytes),
            Some(_) => i += 1,
        }
    };
    l.advance(len);
}

fn ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_operator(b: u8) -> bool {
    matches!(
        b,
        b'+' | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'<'
            | b'>'
            | b'='
            | b'!'
            | b'|'
            | b'&'
            | b'^'
            | b'~'
            | b'#'
            | b'@'
    )
}

/// `w` in upper case and padded with zeros, when it is ASCII and fits:
/// as a number (`u128::from_be_bytes`), it sorts as the words do.
fn upper(w: &str) -> Option<[u8; 16]> {
    let mut buf = [0u8; 16];
    for (o, b) in buf.get_mut(..w.len())?.iter_mut().zip(w.bytes()) {
        *o = b.to_ascii_uppercase();
    }
    Some(buf)
}

/// The kind of a word (from `upper`) that is a literal, a keyword or a type.
fn keyword_kind(upper: &[u8; 16]) -> Option<Kind> {
    let word = u128::from_be_bytes(*upper);
    if KEYWORD_KEYS.binary_search(&word).is_ok() {
        Some(Kind::Keyword)
    } else if TYPE_KEYS.binary_search(&word).is_ok() {
        Some(Kind::TypeBuiltin)
    } else if CONSTANT_KEYS.binary_search(&word).is_ok() {
        Some(Kind::ConstantBuiltin)
    } else {
        None
    }
}

/// The words of `list` as `upper` gives them, as numbers.
const fn keys<const N: usize>(list: &[&str]) -> [u128; N] {
    let mut keys = [0; N];
    let mut i = 0;
    while i < N {
        let word = list[i].as_bytes();
        let mut buf = [0u8; 16];
        let mut j = 0;
        while j < word.len() {
            buf[j] = word[j];
            j += 1;
        }
        keys[i] = u128::from_be_bytes(buf);
        i += 1;
    }
    keys
}

const CONSTANTS: &[&str] = &["FALSE", "NULL", "TRUE"];
const CONSTANT_KEYS: [u128; CONSTANTS.len()] = keys(CONSTANTS);
const KEYWORD_KEYS: [u128; KEYWORDS.len()] = keys(KEYWORDS);
const TYPE_KEYS: [u128; TYPES.len()] = keys(TYPES);

/// The keywords, in upper case, sorted (for a binary search) and of 16
/// bytes at most (for `upper`).
#[rustfmt::skip]
const KEYWORDS: &[&str] = &[
    "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "ANY", "AS", "ASC",
    "AUTOINCREMENT", "AUTO_INCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CALL",
    "CASCADE", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN", "COMMIT", "CONCURRENTLY",
    "CONFLICT", "CONSTRAINT", "COPY", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE",
    "CURRENT_TIME", "DATABASE", "DECLARE", "DEFAULT", "DEFERRABLE",
    "DEFERRED", "DEFINER", "DELETE", "DESC", "DESCRIBE", "DISTINCT", "DO", "DROP", "EACH",
    "ELSE", "ELSIF", "END", "ENGINE", "ESCAPE", "EXCEPT", "EXCEPTION", "EXCLUDE", "EXECUTE",
    "EXISTS", "EXPLAIN", "EXTENSION", "FETCH", "FILTER", "FIRST", "FOLLOWING", "FOR",
    "FOREIGN", "FROM", "FULL", "FUNCTION", "GENERATED", "GRANT", "GROUP", "HAVING", "IF",
    "ILIKE", "IMMUTABLE", "IN", "INDEX", "INHERITS", "INITIALLY", "INNER", "INSERT",
    "INSTEAD", "INTERSECT", "INTO", "INVOKER", "IS", "ISNULL", "JOIN", "KEY", "LANGUAGE",
    "LAST", "LATERAL", "LEFT", "LIKE", "LIMIT", "LOCK", "LOOP", "MATERIALIZED", "MERGE",
    "NATURAL", "NEXT", "NO", "NOT", "NOTHING", "NOTNULL", "NULLS", "OF", "OFFSET", "ON",
    "ONLY", "OR", "ORDER", "OUTER", "OVER", "PARTITION", "PERFORM", "PRECEDING",
    "PRECISION", "PRIMARY", "PROCEDURE", "RAISE", "RANGE", "RECURSIVE", "REFERENCES",
    "RENAME", "REPLACE", "RESTRICT", "RETURN", "RETURNING", "RETURNS", "REVOKE", "RIGHT",
    "ROLLBACK", "ROW", "ROWS", "SAVEPOINT", "SCHEMA", "SECURITY", "SELECT", "SEQUENCE",
    "SET", "SETOF", "SHOW", "SIMILAR", "SOME", "STABLE", "STRICT", "TABLE", "TEMP",
    "TEMPORARY", "THEN", "TIES", "TO", "TRANSACTION", "TRIGGER", "TRUNCATE", "UNBOUNDED",
    "UNION", "UNIQUE", "UNLOGGED", "UNSIGNED", "UPDATE", "USE", "USING", "VACUUM", "VALUES",
    "VIEW", "VOLATILE", "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT", "ZONE",
];

/// The built-in types, likewise.
#[rustfmt::skip]
const TYPES: &[&str] = &[
    "BIGINT", "BIGSERIAL", "BINARY", "BIT", "BLOB", "BOOL", "BOOLEAN", "BYTEA", "CHAR",
    "CHARACTER", "CIDR", "DATE", "DATETIME", "DECIMAL", "DOUBLE", "ENUM", "FLOAT", "FLOAT4",
    "FLOAT8", "GEOGRAPHY", "GEOMETRY", "INET", "INT", "INT2", "INT4", "INT8", "INTEGER",
    "INTERVAL", "JSON", "JSONB", "LONGBLOB", "LONGTEXT", "MEDIUMBLOB", "MEDIUMINT",
    "MEDIUMTEXT", "MONEY", "NCHAR", "NUMERIC", "NVARCHAR", "REAL", "SERIAL", "SMALLINT",
    "SMALLSERIAL", "TEXT", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMETZ", "TINYINT",
    "TINYTEXT", "UUID", "VARBINARY", "VARCHAR", "VARYING", "XML",
];

#[cfg(test)]
mod tests {
    use super::super::toolkit::{
        assert_kinds, each_lexes, every_prefix, kind_of, long_runs_lex, tokens, Kind,
    };
    use super::{lex, CONSTANTS, KEYWORDS, TYPES};

    #[test]
    fn the_lists_are_sorted_for_the_search() {
        for list in [CONSTANTS, KEYWORDS, TYPES] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            assert!(list.iter().all(|w| w.len() <= 16), "{list:?}");
        }
        let t = tokens("select current_timestamp, current_timestampx", lex);
        assert_eq!(kind_of(&t, "current_timestamp"), Some(Kind::Keyword));
        assert!(t.contains(&(Kind::Plain, " current_timestampx".into())));
    }

    #[test]
    fn the_benchmark_lines() {
        let lines = [
            "SELECT garden.id, count(*) AS river",
            "FROM garden JOIN posts ON posts.garden_id = garden.id",
            "WHERE posts.score > 42",
            "GROUP BY garden.id",
            "ORDER BY river DESC;",
        ];
        let t = tokens(&lines.join("\n"), lex);
        for keyword in [
            "SELECT", "AS", "FROM", "JOIN", "ON", "WHERE", "GROUP", "BY", "DESC",
        ] {
            assert_eq!(kind_of(&t, keyword), Some(Kind::Keyword), "{keyword}");
        }
        assert_eq!(kind_of(&t, "garden"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "id"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "count"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "*"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "river"), Some(Kind::Variable));
        assert_eq!(kind_of(&t, "posts"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "garden_id"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "="), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "42"), Some(Kind::Number));
        assert_eq!(kind_of(&t, ";"), Some(Kind::Punctuation));
        assert!(
            t.contains(&(Kind::Plain, " river ".into())),
            "a bare column"
        );
    }

    #[test]
    fn a_query_with_a_call_a_string_and_a_comment() {
        let t = tokens("select id, count(*) from users where name = 'x' -- y", lex);
        assert_eq!(kind_of(&t, "select"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "from"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "where"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "count"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "users"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "'x'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "-- y"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, ","), Some(Kind::Punctuation));
    }

    #[test]
    fn definitions_types_and_literals() {
        let t = tokens(
            "CREATE TABLE IF NOT EXISTS users (\n  id SERIAL PRIMARY KEY,\n  name VARCHAR(255) \
             NOT NULL DEFAULT '',\n  ok boolean DEFAULT TRUE, org INT REFERENCES orgs(id)\n);\n\
             INSERT INTO users(name) VALUES ('it''s') ON CONFLICT DO NOTHING;",
            lex,
        );
        assert_eq!(kind_of(&t, "CREATE"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "EXISTS"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "users"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "SERIAL"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "VARCHAR"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "boolean"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "NULL"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "TRUE"), Some(Kind::ConstantBuiltin));
        assert_eq!(kind_of(&t, "''"), Some(Kind::String));
        assert_eq!(kind_of(&t, "orgs"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "'it''s'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "NOTHING"), Some(Kind::Keyword));
        // After `INTO`, the name before `(` is the table; after `FROM`, a
        // call is a function.
        let t = tokens(
            "INSERT INTO logs(a) SELECT x FROM generate_series(1, 3) g",
            lex,
        );
        assert_eq!(kind_of(&t, "logs"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "generate_series"), Some(Kind::Function));
        assert!(
            t.contains(&(Kind::Plain, " g".into())),
            "no alias without AS"
        );
    }

    #[test]
    fn names_by_their_place() {
        let t = tokens(
            "SELECT u.name, CAST(x AS int), left(s, 2) FROM public.users u WHERE u.key = 1",
            lex,
        );
        assert_eq!(kind_of(&t, "u"), Some(Kind::Type), "a qualifier");
        assert_eq!(kind_of(&t, "name"), Some(Kind::Property));
        assert_eq!(
            kind_of(&t, "key"),
            Some(Kind::Property),
            "a keyword after a dot"
        );
        assert_eq!(kind_of(&t, "CAST"), Some(Kind::Function));
        assert_eq!(kind_of(&t, "int"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "left"), Some(Kind::Function));
        assert!(t.contains(&(Kind::Plain, " public".into())), "a schema");
        assert_eq!(kind_of(&t, "users"), Some(Kind::Type));
        assert!(
            t.contains(&(Kind::Variable, "u".into())),
            "the table's alias"
        );
        let t = tokens(
            "CREATE FUNCTION add(a int) RETURNS int; DROP FUNCTION IF EXISTS public.go;",
            lex,
        );
        assert_eq!(
            kind_of(&t, "add"),
            Some(Kind::Function),
            "a keyword as a name"
        );
        assert_eq!(kind_of(&t, "go"), Some(Kind::Function));
        let t = tokens("ON CONFLICT (id) DO UPDATE SET n = 1", lex);
        assert!(
            t.contains(&(Kind::Plain, " n ".into())),
            "no table after SET"
        );
    }

    #[test]
    fn strings_in_their_forms() {
        let t = tokens(
            "SELECT E'a\\n\\'b', N'x', $$ body 'q' $$, $fn$ SELECT 1 $fn$, 'multi\nline'",
            lex,
        );
        assert_eq!(kind_of(&t, "E'a"), Some(Kind::String));
        assert_eq!(kind_of(&t, "\\n\\'"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "b'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "N'x'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "$$ body 'q' $$"), Some(Kind::String));
        assert_eq!(kind_of(&t, "$fn$ SELECT 1 $fn$"), Some(Kind::String));
        assert_eq!(kind_of(&t, "'multi\nline'"), Some(Kind::String));
        let t = tokens("SELECT 'a\\' AS b", lex);
        assert_eq!(kind_of(&t, "'a\\'"), Some(Kind::String), "no escapes");
        assert_eq!(kind_of(&t, "b"), Some(Kind::Variable));
    }

    #[test]
    fn parameters_operators_comments() {
        let t = tokens(
            "SELECT $1, :name, ?, @v, @@g, x::text, a || b, c <> d, j ->> 'k', e >= 1.5e3 # my\n\
             /* block\n */ -- line",
            lex,
        );
        for variable in ["$1", ":name", "?", "@v", "@@g"] {
            assert_eq!(kind_of(&t, variable), Some(Kind::Variable), "{variable}");
        }
        for operator in ["::", "||", "<>", "->>", ">="] {
            assert_eq!(kind_of(&t, operator), Some(Kind::Operator), "{operator}");
        }
        assert_eq!(kind_of(&t, "text"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "1.5e3"), Some(Kind::Number));
        assert_eq!(kind_of(&t, "# my"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "/* block\n */"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "-- line"), Some(Kind::Comment));
        let t = tokens("a-1--c", lex);
        assert_eq!(kind_of(&t, "-"), Some(Kind::Operator));
        assert_eq!(kind_of(&t, "--c"), Some(Kind::Comment));
    }

    #[test]
    fn quoted_identifiers() {
        let t = tokens("SELECT \"Col\"\"x\", `b` FROM \"my table\" t", lex);
        assert!(t.contains(&(Kind::Plain, " \"Col\"\"x\"".into())));
        assert!(t.contains(&(Kind::Plain, " `b` ".into())));
        assert_eq!(kind_of(&t, "\"my table\""), Some(Kind::Type));
        assert_eq!(kind_of(&t, "t"), Some(Kind::Variable));
    }

    #[test]
    fn quotes_after_an_unclosed_string_still_close() {
        let t = tokens("SELECT 'open\nSELECT '' AS x FROM t", lex);
        assert_kinds(
            &t,
            &[
                ("''", Kind::String),
                ("AS", Kind::Keyword),
                ("x", Kind::Variable),
            ],
        );
        let t = tokens("SELECT E'open\nSELECT E'' AS x, '''' AS y FROM t", lex);
        assert_kinds(
            &t,
            &[
                ("E''", Kind::String),
                ("x", Kind::Variable),
                ("''''", Kind::String),
                ("y", Kind::Variable),
            ],
        );
    }

    const SAMPLE: &str =
        "\u{feff}-- ünïcødé 🚀\nWITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t)\n\
        SELECT \"名前\", é.x, count(*) FILTER (WHERE a IS NOT NULL) OVER (PARTITION BY b)\r\n\
        FROM t JOIN s ON s.id = t.n /* 🚀 */ WHERE x ILIKE E'%\\\\🚀%' AND y = $tag$ é $tag$\n\
        AND z = $2 AND w::jsonb ? 'k' AND v = :p # c\nLIMIT 10 OFFSET 0.5;\n";

    #[test]
    fn every_prefix_of_a_sample_lexes() {
        let t = every_prefix(SAMPLE, lex);
        assert_eq!(kind_of(&t, "é"), Some(Kind::Type));
        assert_eq!(kind_of(&t, "RECURSIVE"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "jsonb"), Some(Kind::TypeBuiltin));
        assert_eq!(kind_of(&t, "$tag$ é $tag$"), Some(Kind::String));
    }

    #[test]
    fn broken_code_keeps_every_byte() {
        each_lexes(
            &[
                "",
                "'",
                "\"",
                "`",
                "E'",
                "E'\\",
                "e'\\'",
                "$",
                "$$",
                "$a",
                "$a$",
                "$a$ x $b$",
                "--",
                "/*",
                "/*/",
                "#",
                ":",
                "::",
                "@",
                "@@",
                "?",
                ".",
                "a.",
                ".5",
                "0x",
                "1e",
                "\\",
                "\u{0}",
                "\u{feff}",
                "🚀'🚀\"🚀`🚀",
                "é.é(",
                "'a\r\nb",
                "\"a\r\n",
                "X'",
                "\r\n\t",
            ],
            lex,
        );
        let t = tokens("SELECT 'open\nFROM t", lex);
        assert_eq!(kind_of(&t, "'open"), Some(Kind::String));
        assert_eq!(kind_of(&t, "FROM"), Some(Kind::Keyword));
    }

    #[test]
    fn long_runs_lex_in_one_pass() {
        long_runs_lex(
            &[
                "'", "E'\\", "\"", "$$", "$a$", "/*", "--\n", "a.", "'a' ", "x(",
            ],
            lex,
        );
    }
}
