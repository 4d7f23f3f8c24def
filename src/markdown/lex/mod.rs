//! Highlighting by hand-written lexers for the languages bloggers use most
//! (Rust, Python, JavaScript, shell, Go, C, HTML, CSS, JSON, YAML, SQL,
//! TOML): one pass over the code's bytes per block, with no grammar to load
//! and no parse tree, many times cheaper than a parser or syntect's regular
//! expressions (BENCHMARKS.md, "Highlighting"). Each token kind is given the
//! TextMate scope the syntect themes colour (`Kind::Keyword` →
//! `keyword.control`), so a token's class and the generated stylesheet are
//! made exactly as for syntect's tokens in `highlight.rs`. Every other
//! language is left to syntect.

mod toolkit;

mod bash;
mod c;
mod css;
mod go;
mod html;
mod javascript;
mod json;
mod python;
mod rust;
mod sql;
mod toml;
mod yaml;

use std::sync::OnceLock;

use syntect::parsing::Scope;

pub use toolkit::Kind;
use toolkit::Lexer;

/// A language the lexers highlight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Rust,
    Python,
    JavaScript,
    Bash,
    Go,
    C,
    Html,
    Css,
    Json,
    Yaml,
    Sql,
    Toml,
}

pub const LANGS: [Lang; 12] = [
    Lang::Rust,
    Lang::Python,
    Lang::JavaScript,
    Lang::Bash,
    Lang::Go,
    Lang::C,
    Lang::Html,
    Lang::Css,
    Lang::Json,
    Lang::Yaml,
    Lang::Sql,
    Lang::Toml,
];

/// How many kinds of token there are (`Kind as usize` is below it).
pub const KINDS: usize = Kind::Interpolation as usize + 1;

impl Lang {
    /// The language for a fence's lower-cased language token, after the
    /// aliases `highlight.rs` resolves (`sh` → `bash`); the names and file
    /// extensions syntect knows the same languages by.
    pub fn find(token: &str) -> Option<Lang> {
        Some(match token {
            "rust" | "rs" => Lang::Rust,
            "python" | "py" | "python3" => Lang::Python,
            "javascript" | "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
            "bash" => Lang::Bash,
            "go" => Lang::Go,
            "c" | "h" => Lang::C,
            "html" | "htm" | "xhtml" => Lang::Html,
            "css" => Lang::Css,
            "json" => Lang::Json,
            "yaml" | "yml" => Lang::Yaml,
            "sql" => Lang::Sql,
            "toml" => Lang::Toml,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::Bash => "bash",
            Lang::Go => "go",
            Lang::C => "c",
            Lang::Html => "html",
            Lang::Css => "css",
            Lang::Json => "json",
            Lang::Yaml => "yaml",
            Lang::Sql => "sql",
            Lang::Toml => "toml",
        }
    }

    /// The base scope, as syntect's syntax for the language has it.
    fn scope(self) -> &'static str {
        match self {
            Lang::Rust => "source.rust",
            Lang::Python => "source.python",
            Lang::JavaScript => "source.js",
            Lang::Bash => "source.shell.bash",
            Lang::Go => "source.go",
            Lang::C => "source.c",
            Lang::Html => "text.html.basic",
            Lang::Css => "source.css",
            Lang::Json => "source.json",
            Lang::Yaml => "source.yaml",
            Lang::Sql => "source.sql",
            Lang::Toml => "source.toml",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// For each kind, the scopes over its tokens in this language: the
    /// language's, then the kind's (none for plain text). Made once.
    pub fn scopes(self) -> &'static [Vec<Scope>; KINDS] {
        static TABLES: OnceLock<Vec<[Vec<Scope>; KINDS]>> = OnceLock::new();
        &TABLES.get_or_init(|| {
            LANGS
                .iter()
                .map(|lang| {
                    let base = Scope::new(lang.scope()).ok();
                    std::array::from_fn(|k| {
                        let kind = KIND_LIST[k];
                        let scope = match scope_name(*lang, kind.capture()) {
                            "" => None,
                            name => Scope::new(name).ok(),
                        };
                        base.into_iter().chain(scope).collect()
                    })
                })
                .collect()
        })[self.index()]
    }
}

/// Every kind, in the order of its `as usize`.
const KIND_LIST: [Kind; KINDS] = [
    Kind::Plain,
    Kind::Comment,
    Kind::Keyword,
    Kind::Operator,
    Kind::Punctuation,
    Kind::String,
    Kind::Escape,
    Kind::Regex,
    Kind::Number,
    Kind::Constant,
    Kind::ConstantBuiltin,
    Kind::Function,
    Kind::FunctionBuiltin,
    Kind::Macro,
    Kind::Type,
    Kind::TypeBuiltin,
    Kind::Property,
    Kind::Tag,
    Kind::Attribute,
    Kind::Variable,
    Kind::VariableBuiltin,
    Kind::Label,
    Kind::Module,
    Kind::Key,
    Kind::Interpolation,
];

/// The capture names the kinds use, each with the TextMate scope the
/// syntect themes colour for it.
const NAMES: &[(&str, &str)] = &[
    ("attribute", "entity.other.attribute-name"),
    ("comment", "comment.line"),
    ("constant", "constant.other"),
    ("constant.builtin", "constant.language"),
    ("escape", "constant.character.escape"),
    ("function", "entity.name.function"),
    ("function.builtin", "support.function"),
    ("function.macro", "support.macro"),
    ("keyword", "keyword.control"),
    ("label", "entity.name.label"),
    ("module", "entity.name.namespace"),
    ("number", "constant.numeric"),
    ("operator", "keyword.operator"),
    ("property", "variable.other.member"),
    ("punctuation", "punctuation"),
    ("punctuation.special", "punctuation.section.embedded"),
    ("string", "string.quoted"),
    ("string.special", "string.regexp"),
    ("string.special.key", "entity.name.tag"),
    ("tag", "entity.name.tag"),
    ("type", "entity.name.type"),
    ("type.builtin", "storage.type"),
    ("variable", "variable.other"),
    ("variable.builtin", "variable.language"),
];

/// The scope for capture `name` in `lang`: properties and at-rules in CSS
/// and SQL's keywords are coloured as syntect colours them there.
fn scope_name(lang: Lang, name: &str) -> &'static str {
    match (lang, name) {
        (Lang::Css, "property") => "support.type.property-name",
        (Lang::Css, "keyword") => "keyword.control.at-rule",
        // SQL's keywords (SELECT, FROM, WHERE), as syntect's SQL has them.
        (Lang::Sql, "keyword") => "keyword.other.DML",
        _ => NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, scope)| scope),
    }
}

/// Calls `emit` with each token of `code` in order: every byte once.
pub fn lex(lang: Lang, code: &str, emit: &mut dyn FnMut(Kind, &str)) {
    let mut l = Lexer::new(code, emit);
    match lang {
        Lang::Rust => rust::lex(&mut l),
        Lang::Python => python::lex(&mut l),
        Lang::JavaScript => javascript::lex(&mut l),
        Lang::Bash => bash::lex(&mut l),
        Lang::Go => go::lex(&mut l),
        Lang::C => c::lex(&mut l),
        Lang::Html => html::lex(&mut l),
        Lang::Css => css::lex(&mut l),
        Lang::Json => json::lex(&mut l),
        Lang::Yaml => yaml::lex(&mut l),
        Lang::Sql => sql::lex(&mut l),
        Lang::Toml => toml::lex(&mut l),
    }
    l.finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_in_order_and_has_a_scope() {
        for (i, kind) in KIND_LIST.iter().enumerate() {
            assert_eq!(*kind as usize, i, "{kind:?}");
        }
        for lang in LANGS {
            let scopes = lang.scopes();
            assert_eq!(scopes[Kind::Plain as usize].len(), 1, "{lang:?}");
            for kind in &KIND_LIST[1..] {
                assert_eq!(scopes[*kind as usize].len(), 2, "{lang:?} {kind:?}");
            }
        }
        assert_eq!(
            Lang::Css.scopes()[Kind::Property as usize][1],
            Scope::new("support.type.property-name").expect("a scope")
        );
    }

    /// Code no lexer expects: each still gives back every byte, in order.
    #[test]
    fn odd_code_keeps_every_byte_in_every_language() {
        let odd = [
            "",
            "\"",
            "'",
            "`",
            "\\",
            "/*",
            "<!--",
            "${",
            "$(",
            "<<EOF\n",
            "r#\"",
            "\"\"\"",
            "\u{feff}x = «ünïcødé» 🚀 \u{0}\r\n\ttab\r\n",
            "fn (((\n\"unterminated\n",
            "}}}} ]] )) <<< >>> {{{{ [[[[ ((((",
            "é'é\"é`é/é#é-é",
        ];
        for lang in LANGS {
            for code in odd {
                let mut out = String::new();
                lex(lang, code, &mut |_, text| out.push_str(text));
                assert_eq!(out, code, "{lang:?}");
            }
        }
    }
}
