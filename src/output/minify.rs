//! `minify = true` (or `blog build --minify`): the pages, stylesheets and
//! scripts a build publishes, without the bytes a browser does not need.
//!
//! HTML goes through html-minifier, which works on the token stream (no
//! DOM), collapses runs of whitespace to one space or line feed (never to
//! nothing, so the space between two inline elements stays), drops
//! comments, and leaves the content of `<pre>`, `<textarea>`, `<code>`,
//! `<svg>` and `<math>` byte for byte as written: a post's code blocks and
//! formulas are exactly what the markdown gave. Stylesheets, in their own
//! files and in `<style>`, lose comments and whitespace (the `minifier`
//! crate, rustdoc's). Scripts are parsed and printed again by oxc's
//! minifier: a minifier that does not parse JavaScript changes what it
//! means (a line break that ends a statement, a `/` that starts a regular
//! expression), so one that does is the only kind used. Inline scripts in
//! a page are left as written: they are the theme's few lines, and JSON-LD.
//!
//! What fails to minify (a script with a syntax error, a page a template
//! left with an unclosed tag) is published as written, with a warning: a
//! minifier never stops a build nor changes what a page does.
//!
//! `blog serve` does not minify, so the pages it serves read as the
//! templates wrote them and a saved stylesheet swaps in place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::theme::StaticFile;

/// Why a file cannot be minified, and where when the minifier says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure { at: None, message }
    }
}

/// A page, minified; the reason when it cannot be.
pub fn html(text: &str) -> Result<String, String> {
    let mut minifier = html_minifier::HTMLMinifier::new();
    // Inline code keeps its spaces (`white-space: pre` in a theme shows them).
    minifier.set_minify_code(false);
    // html-minifier's own script minifier does not parse JavaScript.
    minifier.set_minify_js(false);
    minifier.digest(text).map_err(|e| e.to_string())?;
    let bytes = minifier.into_html().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A stylesheet, minified.
pub fn css(text: &str) -> Result<String, String> {
    minifier::css::minify(text)
        .map(|m| m.to_string())
        .map_err(|e| e.to_string())
}

/// A script, parsed and printed again without whitespace, comments or
/// long local names; the first syntax error, at its line and column, when
/// it does not parse. A classic script's top-level names are the page's
/// globals, so they are kept; a module's (`module`: `.mjs`, or a `.js`
/// that parses only as one, with `import`/`export`) are its own.
pub fn js(text: &str, module: bool) -> Result<String, Failure> {
    // The minifier is young: a panic in it is a file published as written.
    std::panic::catch_unwind(|| script(text, module))
        .unwrap_or_else(|_| Err(String::from("the minifier failed on this script").into()))
}

fn script(text: &str, module: bool) -> Result<String, Failure> {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions, CommentOptions};
    use oxc_minifier::{CompressOptions, Minifier, MinifierOptions};
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    let allocator = Allocator::default();
    let source_type = if module {
        SourceType::mjs()
    } else {
        // A classic script, whose top-level names are globals.
        SourceType::cjs()
    };
    let parsed = Parser::new(&allocator, text, source_type).parse();
    if !module && parsed.module_record.has_module_syntax {
        return script(text, true);
    }
    if let Some(error) = parsed.errors.first() {
        let at = error
            .labels
            .as_ref()
            .and_then(|labels| labels.first())
            .map(|label| crate::diagnostics::line_col(text, label.offset()));
        return Err(Failure {
            at,
            message: error.message.to_string(),
        });
    }
    if parsed.panicked {
        return Err(String::from("the script does not parse").into());
    }
    let mut program = parsed.program;
    let options = MinifierOptions {
        mangle: Some(oxc_mangler::MangleOptions::default()),
        compress: Some(CompressOptions::smallest()),
    };
    let minified = Minifier::new(options).minify(&allocator, &mut program);
    let printed = Codegen::new()
        .with_options(CodegenOptions {
            minify: true,
            comments: CommentOptions::disabled(),
            ..CodegenOptions::default()
        })
        .with_scoping(minified.scoping)
        .build(&program);
    Ok(printed.code)
}

/// The kind of minifier a file under static/ takes, by its name; none for
/// other files and for those named as minified already (`app.min.js`).
fn kind(rel: &str) -> Option<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() || stem.ends_with(".min") || stem.ends_with("-min") {
        return None;
    }
    match ext {
        "css" => Some("css"),
        "js" | "cjs" => Some("js"),
        "mjs" => Some("mjs"),
        _ => None,
    }
}

/// The stylesheets and scripts of static/, minified in parallel; every
/// other file, and one that fails to minify (with a warning naming it),
/// as it was.
pub fn static_files(
    root: &Path,
    files: BTreeMap<String, StaticFile>,
) -> (BTreeMap<String, StaticFile>, Vec<Diagnostic>) {
    let results: Vec<(String, StaticFile, Option<Diagnostic>)> = files
        .into_par_iter()
        .map(|(rel, file)| {
            let Some(kind) = kind(&rel) else {
                return (rel, file, None);
            };
            let (source, bytes): (PathBuf, std::borrow::Cow<[u8]>) = match &file {
                StaticFile::Disk(path) => match std::fs::read(path) {
                    Ok(bytes) => (path.clone(), bytes.into()),
                    // Copying it reports the error with the others.
                    Err(_) => return (rel, file, None),
                },
                StaticFile::Embedded(bytes) => (
                    PathBuf::from(format!("<built-in theme>/static/{rel}")),
                    (*bytes).into(),
                ),
                StaticFile::Compiled { source, css } => (source.clone(), css.as_slice().into()),
            };
            let shown = source.strip_prefix(root).unwrap_or(&source).to_path_buf();
            let Ok(text) = std::str::from_utf8(&bytes) else {
                let d = Diagnostic::new(&shown, "published as written: it is not UTF-8 text")
                    .warning()
                    .hint("save the file as UTF-8 to have it minified");
                return (rel, file, Some(d));
            };
            let module = kind == "mjs";
            let minified = match kind {
                "css" => css(text).map_err(Failure::from),
                _ => js(text, module),
            };
            match minified {
                Ok(out) => {
                    let file = StaticFile::Compiled {
                        source,
                        css: out.into_bytes(),
                    };
                    (rel, file, None)
                }
                Err(e) => {
                    let mut d = Diagnostic::new(
                        &shown,
                        format!("published as written: it cannot be minified: {}", e.message),
                    )
                    .warning()
                    .hint("fix the syntax error, or name the file .min.js/.min.css to publish it as it is");
                    if let Some((line, col)) = e.at {
                        d = d.at(line, col);
                    }
                    (rel, file, Some(d))
                }
            }
        })
        .collect();
    let mut files = BTreeMap::new();
    let mut warnings = Vec::new();
    for (rel, file, warning) in results {
        files.insert(rel, file);
        warnings.extend(warning);
    }
    (files, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_and_math_are_kept_byte_for_byte() {
        let page = "<p>one   two</p>\n\n<pre><code>  a\n\n   b  </code></pre>\n<math><mi>x</mi> <mo>+</mo></math> <b>x</b> <i>y</i>";
        let out = html(page).expect("minifies");
        assert!(
            out.contains("<pre><code>  a\n\n   b  </code></pre>"),
            "{out}"
        );
        assert!(out.contains("<math><mi>x</mi> <mo>+</mo></math>"), "{out}");
        assert!(out.contains("<b>x</b> <i>y</i>"), "{out}");
        assert!(out.contains("<p>one two</p>"), "{out}");
    }

    #[test]
    fn scripts_keep_their_meaning() {
        let out = js("let y = a\n++b\nlet x = f(1)\n;(function(){ return 1 })()\nconst re = /a\\/ b/g // note\n", false).expect("minifies");
        assert!(out.contains("++b") || out.contains("++ b"), "{out}");
        assert!(!out.contains("a++"), "{out}");
        assert!(out.contains("/a\\/ b/g"), "{out}");
        assert!(!out.contains("note"), "{out}");
    }

    #[test]
    fn a_classic_script_keeps_its_globals_and_a_module_its_exports() {
        let out = js(
            "function helper(a) { return a * 2 }\nconst unused = 5;\n",
            false,
        )
        .expect("minifies");
        assert!(
            out.contains("function helper(") && out.contains("unused=5"),
            "{out}"
        );
        let out = js(
            "import { x } from './x.js';\nexport function double(a) { return x * a }\n",
            false,
        )
        .expect("minifies");
        assert!(out.contains("export function double("), "{out}");
    }

    #[test]
    fn a_script_that_does_not_parse_says_where() {
        let e = js("let a = 1;\nlet = = 2;\n", false).expect_err("fails");
        assert_eq!(e.at.map(|(line, _)| line), Some(2), "{e:?}");
    }

    #[test]
    fn minified_names_are_left_alone() {
        assert_eq!(kind("js/app.min.js"), None);
        assert_eq!(kind("css/site-min.css"), None);
        assert_eq!(kind("style.css"), Some("css"));
        assert_eq!(kind("a/b.mjs"), Some("mjs"));
        assert_eq!(kind("img.png"), None);
        assert_eq!(kind(".js"), None);
    }
}
