//! Highlighting with tree-sitter for the languages bloggers use most (Rust,
//! Python, JavaScript, shell, Go, C, HTML, CSS, JSON, YAML, SQL): a grammar
//! parses the whole block and its highlight query names each token, several
//! times faster than syntect's regular expressions (BENCHMARKS.md,
//! "Highlighting"). Each capture name is given the TextMate scope that the
//! syntect themes colour (`keyword` → `keyword.control`), so a token's class
//! and the generated stylesheet are made exactly as for syntect's tokens in
//! `highlight.rs`. Every other language is left to syntect.
//! Takes a language and code; gives each run of text with its scopes.

use std::cell::RefCell;
use std::sync::OnceLock;

use syntect::parsing::Scope;
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent};

/// A language tree-sitter highlights here.
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
}

const LANGS: [Lang; 11] = [
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
];

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
            _ => return None,
        })
    }

    /// The name injections ask for (`<script>` in HTML asks for `javascript`).
    fn by_injection(name: &str) -> Option<Lang> {
        Lang::find(&name.to_ascii_lowercase())
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
        }
    }

    fn index(self) -> usize {
        LANGS.iter().position(|l| *l == self).unwrap_or(0)
    }

    /// The grammar and its queries: (language, highlights, injections, locals).
    fn grammar(
        self,
    ) -> (
        tree_sitter::Language,
        &'static str,
        &'static str,
        &'static str,
    ) {
        match self {
            Lang::Rust => (
                tree_sitter_rust::LANGUAGE.into(),
                tree_sitter_rust::HIGHLIGHTS_QUERY,
                tree_sitter_rust::INJECTIONS_QUERY,
                "",
            ),
            Lang::Python => (
                tree_sitter_python::LANGUAGE.into(),
                tree_sitter_python::HIGHLIGHTS_QUERY,
                "",
                "",
            ),
            Lang::JavaScript => (
                tree_sitter_javascript::LANGUAGE.into(),
                tree_sitter_javascript::HIGHLIGHT_QUERY,
                tree_sitter_javascript::INJECTIONS_QUERY,
                tree_sitter_javascript::LOCALS_QUERY,
            ),
            Lang::Bash => (
                tree_sitter_bash::LANGUAGE.into(),
                tree_sitter_bash::HIGHLIGHT_QUERY,
                "",
                "",
            ),
            Lang::Go => (
                tree_sitter_go::LANGUAGE.into(),
                tree_sitter_go::HIGHLIGHTS_QUERY,
                "",
                "",
            ),
            Lang::C => (
                tree_sitter_c::LANGUAGE.into(),
                tree_sitter_c::HIGHLIGHT_QUERY,
                "",
                "",
            ),
            Lang::Html => (
                tree_sitter_html::LANGUAGE.into(),
                tree_sitter_html::HIGHLIGHTS_QUERY,
                tree_sitter_html::INJECTIONS_QUERY,
                "",
            ),
            Lang::Css => (
                tree_sitter_css::LANGUAGE.into(),
                tree_sitter_css::HIGHLIGHTS_QUERY,
                "",
                "",
            ),
            Lang::Json => (
                tree_sitter_json::LANGUAGE.into(),
                tree_sitter_json::HIGHLIGHTS_QUERY,
                "",
                "",
            ),
            Lang::Yaml => (
                tree_sitter_yaml::LANGUAGE.into(),
                tree_sitter_yaml::HIGHLIGHTS_QUERY,
                "",
                "",
            ),
            Lang::Sql => (
                tree_sitter_sequel::LANGUAGE.into(),
                include_str!("queries/sql-highlights.scm"),
                "",
                "",
            ),
        }
    }
}

/// The capture names recognised, each with the TextMate scope the syntect
/// themes colour for it. A capture takes the longest name here whose parts
/// it has (`function.method` → `function`); one with none is plain text.
const NAMES: &[(&str, &str)] = &[
    ("attribute", "entity.other.attribute-name"),
    ("boolean", "constant.language"),
    ("comment", "comment.line"),
    ("conditional", "keyword.control"),
    ("constant", "constant.other"),
    ("constant.builtin", "constant.language"),
    ("constructor", "entity.name.type"),
    ("embedded", "meta.embedded"),
    ("escape", "constant.character.escape"),
    ("field", "variable.other.member"),
    ("float", "constant.numeric"),
    ("function", "entity.name.function"),
    ("function.builtin", "support.function"),
    ("function.macro", "support.macro"),
    ("keyword", "keyword.control"),
    ("keyword.operator", "keyword.operator"),
    ("label", "entity.name.label"),
    ("module", "entity.name.namespace"),
    ("namespace", "entity.name.namespace"),
    ("number", "constant.numeric"),
    ("operator", "keyword.operator"),
    ("parameter", "variable.parameter"),
    ("property", "variable.other.member"),
    ("punctuation", "punctuation"),
    ("punctuation.special", "punctuation.section.embedded"),
    ("storageclass", "storage.modifier"),
    ("string", "string.quoted"),
    ("string.special", "string.regexp"),
    ("string.special.key", "entity.name.tag"),
    ("tag", "entity.name.tag"),
    ("type", "entity.name.type"),
    ("type.builtin", "storage.type"),
    ("type.qualifier", "storage.modifier"),
    ("variable", "variable.other"),
    ("variable.builtin", "variable.language"),
    ("variable.parameter", "variable.parameter"),
];

/// The scope for capture `name` in `lang`: keys in the data languages and
/// properties in CSS are coloured as syntect colours them there.
fn scope_name(lang: Lang, name: &str) -> &'static str {
    match (lang, name) {
        (Lang::Yaml | Lang::Json, "property" | "string.special.key") => "entity.name.tag",
        (Lang::Css, "property") => "support.type.property-name",
        (Lang::Css, "tag") => "entity.name.tag",
        (Lang::Css, "attribute") => "entity.other.attribute-name",
        (Lang::Css, "keyword") => "keyword.control.at-rule",
        // SQL's keywords (SELECT, FROM, WHERE), as syntect's SQL has them.
        (Lang::Sql, "keyword") => "keyword.other.DML",
        _ => NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, scope)| scope),
    }
}

/// The grammars, each loaded (its queries compiled) when first used, and
/// shared by every thread.
pub struct Grammars {
    configs: [OnceLock<Option<Loaded>>; LANGS.len()],
}

struct Loaded {
    config: HighlightConfiguration,
    base: Scope,
    /// By index in `NAMES`.
    scopes: Vec<Option<Scope>>,
}

impl Default for Grammars {
    fn default() -> Self {
        Grammars {
            configs: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

thread_local! {
    /// A parser and query cursors, reused by every block a thread highlights.
    static HIGHLIGHTER: RefCell<tree_sitter_highlight::Highlighter> =
        RefCell::new(tree_sitter_highlight::Highlighter::new());
}

impl Grammars {
    fn get(&self, lang: Lang) -> Option<&Loaded> {
        self.configs[lang.index()]
            .get_or_init(|| {
                let (language, highlights, injections, locals) = lang.grammar();
                let mut config = HighlightConfiguration::new(
                    language,
                    lang.name(),
                    highlights,
                    injections,
                    locals,
                )
                .ok()?;
                let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                config.configure(&names);
                Some(Loaded {
                    config,
                    base: Scope::new(lang.scope()).ok()?,
                    scopes: NAMES
                        .iter()
                        .map(|(n, _)| Scope::new(scope_name(lang, n)).ok())
                        .collect(),
                })
            })
            .as_ref()
    }

    /// Calls `emit` with each run of `code` in order and the scopes over it
    /// (the language's first); `None` when the grammar fails, so the caller
    /// can fall back to syntect having emitted nothing it keeps.
    pub fn highlight(
        &self,
        lang: Lang,
        code: &str,
        mut emit: impl FnMut(&[Scope], &str),
    ) -> Option<()> {
        let loaded = self.get(lang)?;
        HIGHLIGHTER.with(|cell| {
            let mut highlighter = cell.try_borrow_mut().ok()?;
            // Injected languages (a `<script>` in HTML) take the outer
            // language's scopes: their tokens' capture names are the same.
            let mut stack: Vec<Scope> = vec![loaded.base];
            let events = highlighter
                .highlight(&loaded.config, code.as_bytes(), None, |name| {
                    Lang::by_injection(name)
                        .and_then(|l| self.get(l))
                        .map(|l| &l.config)
                })
                .ok()?;
            let mut pos = 0;
            for event in events {
                match event.ok()? {
                    HighlightEvent::Source { start, end } => {
                        if start != pos || end < start {
                            return None;
                        }
                        emit(&stack, code.get(start..end)?);
                        pos = end;
                    }
                    HighlightEvent::HighlightStart(h) => {
                        // A name without a scope keeps the stack balanced
                        // with its end.
                        stack.push(
                            loaded
                                .scopes
                                .get(h.0)
                                .copied()
                                .flatten()
                                .unwrap_or(loaded.base),
                        );
                    }
                    HighlightEvent::HighlightEnd => {
                        if stack.len() > 1 {
                            stack.pop();
                        }
                    }
                }
            }
            (pos == code.len()).then_some(())
        })
    }
}
