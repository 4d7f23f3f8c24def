//! Code highlighting with syntect, at build time, into CSS classes (`hl-…`)
//! plus a generated stylesheet for the configured light and dark themes.
//! A language syntect does not know gives escaped plain code, never an error.

use std::fmt::Write;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::markdown::cache::HighlightCache;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Blocks past these sizes are left plain: syntect's cost grows with line
/// length, and a generated or pasted blob is not worth seconds of build.
const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;
const MAX_HIGHLIGHT_LINE: usize = 4 * 1024;

pub struct Highlighter {
    syntaxes: SyntaxSet,
    cache: Option<HighlightCache>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            cache: None,
        }
    }

    /// A highlighter that remembers highlighted blocks in `cache`.
    pub fn with_cache(cache: HighlightCache) -> Self {
        Highlighter {
            cache: Some(cache),
            ..Self::new()
        }
    }

    /// Saves the cache, if there is one. A failure only costs speed next time.
    pub fn save_cache(&self) -> std::io::Result<()> {
        match &self.cache {
            Some(cache) => cache.save(),
            None => Ok(()),
        }
    }

    /// The language named by a fence's info string: its first word, so
    /// `rust,ignore`, `toml,name=x` and `{.python}` work.
    pub fn language(info: &str) -> &str {
        let info = info.trim().trim_start_matches('{').trim_start_matches('.');
        let end = info
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}' | '=' | ':'))
            .unwrap_or(info.len());
        &info[..end]
    }

    fn find(&self, language: &str) -> Option<&SyntaxReference> {
        let token = match language.to_ascii_lowercase().as_str() {
            "" | "text" | "plain" | "txt" | "plaintext" => return None,
            "shell" | "console" | "zsh" | "sh" | "shell-session" => "bash".to_string(),
            "golang" => "go".to_string(),
            "jsonc" | "json5" => "json".to_string(),
            "py3" => "python".to_string(),
            other => other.to_string(),
        };
        self.syntaxes.find_syntax_by_token(&token)
    }

    /// `<pre><code>` for a fenced block, highlighted when the language is known.
    pub fn block(&self, info: &str, code: &str) -> String {
        self.block_with(info, code, true)
    }

    /// The same block without highlighting.
    pub fn plain_block(info: &str, code: &str) -> String {
        Highlighter {
            syntaxes: SyntaxSet::new(),
            cache: None,
        }
        .block_with(info, code, false)
    }

    fn block_with(&self, info: &str, code: &str, highlight: bool) -> String {
        let language = Self::language(info);
        let mut out = String::with_capacity(code.len() * 3 + 64);
        out.push_str("<pre class=\"code\"");
        if !language.is_empty() {
            out.push_str(" data-lang=\"");
            escape_into(&mut out, language);
            out.push('"');
        }
        out.push_str("><code");
        if !language.is_empty() {
            out.push_str(" class=\"language-");
            escape_into(&mut out, language);
            out.push('"');
        }
        out.push('>');
        let highlighted = self
            .find(language)
            .filter(|_| highlight)
            .filter(|_| code.len() <= MAX_HIGHLIGHT_BYTES)
            .filter(|_| code.lines().all(|l| l.len() <= MAX_HIGHLIGHT_LINE))
            .and_then(|syntax| match &self.cache {
                Some(cache) => cache.get_or_make(HighlightCache::key(&syntax.name, code), || {
                    self.highlight(syntax, code)
                }),
                None => self.highlight(syntax, code).map(Arc::from),
            });
        match highlighted {
            Some(html) => out.push_str(&html),
            None => escape_into(&mut out, code),
        }
        out.push_str("</code></pre>\n");
        out
    }

    fn highlight(&self, syntax: &SyntaxReference, code: &str) -> Option<String> {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
}

fn escape_into(out: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(out), text);
}

/// The names of the themes a site can choose.
pub fn theme_names() -> Vec<String> {
    ThemeSet::load_defaults().themes.into_keys().collect()
}

/// The stylesheet for the light theme, and the dark one under
/// `prefers-color-scheme: dark` when configured.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, Diagnostic> {
    let themes = ThemeSet::load_defaults();
    let lookup = |name: &str| {
        themes.themes.get(name).ok_or_else(|| {
            let names: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
            Diagnostic::new(
                crate::config::CONFIG_FILE,
                format!("unknown highlight theme `{name}`"),
            )
            .hint(format!("choose one of: {}", names.join(", ")))
        })
    };
    let css = |name: &str| -> Result<String, Diagnostic> {
        css_for_theme_with_class_style(lookup(name)?, CLASS_STYLE).map_err(|e| {
            Diagnostic::new(
                crate::config::CONFIG_FILE,
                format!("highlight theme `{name}`: {e}"),
            )
        })
    };
    let mut out = String::from("/* Generated by blog from the configured highlight themes. */\n");
    if dark.is_empty() {
        out.push_str(&css(light)?);
    } else {
        // Each theme only in its own mode: a rule one theme has and the other
        // lacks must not leak dark-on-dark colours across.
        let _ = write!(
            out,
            "@media not all and (prefers-color-scheme: dark) {{\n{}}}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
            css(light)?,
            css(dark)?
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_name_the_language() {
        assert_eq!(Highlighter::language("rust,ignore"), "rust");
        assert_eq!(Highlighter::language("toml,name=x"), "toml");
        assert_eq!(Highlighter::language("{.python}"), "python");
        assert_eq!(Highlighter::language("rust="), "rust");
        assert_eq!(Highlighter::language("c++"), "c++");
        assert_eq!(Highlighter::language(""), "");
    }

    #[test]
    fn known_languages_get_classes_and_unknown_stay_plain() {
        let h = Highlighter::new();
        let rust = h.block("rust", "fn main() { let x = 1; }\n");
        assert!(rust.contains("class=\"language-rust\""));
        assert!(rust.contains("hl-"), "{rust}");
        let unknown = h.block("mermaid", "graph <TD>\n");
        assert!(unknown.contains("graph &lt;TD&gt;"), "{unknown}");
        assert!(!unknown.contains("hl-"));
        assert!(h.block("c++", "int x;\n").contains("hl-"));
    }

    #[test]
    fn stylesheet_has_dark_mode_and_rejects_unknown_themes() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark").expect("themes exist");
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(".hl-"));
        let err = stylesheet("Nope", "").expect_err("unknown theme");
        assert!(err.hint.unwrap_or_default().contains("InspiredGitHub"));
    }
}
