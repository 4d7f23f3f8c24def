//! A fence's info string, read as the generators that wrote it read it: the
//! language is the first word (`rust,ignore`, `toml,name=x` in rustdoc's
//! and mdBook's form, `python title="x.py"`) or the first class in braces
//! (`{.python .numberLines}` in Pandoc's and kramdown's); the attributes
//! after it (`{linenos=table hl_lines=[2,"4-5"]}` in Hugo's form,
//! `,linenos,hl_lines=1 3-5` in Zola's) ask for line numbers and
//! highlighted lines. Anything else in them is ignored. Takes the info
//! string; returns a `Fence`, and `lines` adds the line markup to a block's
//! HTML.

use std::fmt::Write;

/// What a fence's info string asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fence<'a> {
    /// As written (the class names keep its case); empty for none.
    pub language: &'a str,
    /// Number the lines (`linenos`, Pandoc's `.numberLines`).
    pub linenos: bool,
    /// The first line's number (`linenostart`, Pandoc's `startFrom`).
    pub linenostart: usize,
    /// Lines to highlight, 1-based from the block's first line, as
    /// inclusive ranges (`hl_lines`).
    pub hl_lines: Vec<(usize, usize)>,
}

impl Fence<'_> {
    /// Whether the block needs line markup at all.
    pub fn annotated(&self) -> bool {
        self.linenos || !self.hl_lines.is_empty()
    }

    fn highlighted(&self, line: usize) -> bool {
        self.hl_lines.iter().any(|&(a, b)| a <= line && line <= b)
    }
}

/// Reads a fence's info string.
pub fn parse(info: &str) -> Fence<'_> {
    let info = info.trim();
    let mut fence = Fence {
        linenostart: 1,
        ..Fence::default()
    };
    let attributes = if let Some(inner) = info.strip_prefix('{') {
        // Pandoc's and kramdown's `{.python #id .numberLines}`, or
        // R Markdown's `{r, echo=FALSE}`: the first class, else the first
        // bare word.
        let inner = inner.split('}').next().unwrap_or("");
        let words = || inner.split(|c: char| c.is_whitespace() || c == ',');
        fence.language = words()
            .find_map(|w| w.strip_prefix('.'))
            .or_else(|| {
                words()
                    .next()
                    .filter(|w| !w.is_empty() && !w.contains(['=', '#', '"', '\'']))
            })
            .unwrap_or("");
        inner
    } else {
        let word = info.trim_start_matches('.');
        let end = word
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}' | '=' | ':'))
            .unwrap_or(word.len());
        fence.language = &word[..end];
        &word[end..]
    };
    // Zola writes `hl_lines=1 3-5` with spaces between the numbers and
    // commas between options; in braces, spaces separate options too.
    let spaces_separate = info.contains('{');
    for (key, value) in options(attributes, spaces_separate) {
        match key.to_ascii_lowercase().as_str() {
            "linenos" => fence.linenos = !value.is_some_and(|v| v.eq_ignore_ascii_case("false")),
            ".numberlines" | ".number-lines" => fence.linenos = true,
            "linenostart" | "startfrom" => {
                if let Some(n) = value.and_then(|v| v.trim_matches(['"', '\'']).parse().ok()) {
                    fence.linenostart = n;
                }
            }
            "hl_lines" => fence.hl_lines = value.map(line_ranges).unwrap_or_default(),
            _ => {}
        }
    }
    fence
}

/// `key` or `key=value` options; a value may be quoted or a `[list]`.
fn options(text: &str, spaces_separate: bool) -> Vec<(&str, Option<&str>)> {
    let is_separator = |c: char| c == ',' || c == '{' || c == '}' || c.is_whitespace();
    let mut found = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(is_separator);
        if rest.is_empty() {
            return found;
        }
        let key_end = rest
            .find(|c: char| is_separator(c) || c == '=')
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = &rest[key_end..];
        let Some(after) = rest.trim_start().strip_prefix('=') else {
            found.push((key, None));
            continue;
        };
        let after = after.trim_start();
        let value_end = match after.chars().next() {
            Some(q @ ('"' | '\'')) => after[1..].find(q).map_or(after.len(), |i| i + 2),
            Some('[') => after.find(']').map_or(after.len(), |i| i + 1),
            _ if spaces_separate => after.find(is_separator).unwrap_or(after.len()),
            _ => after.find([',', '}']).unwrap_or(after.len()),
        };
        found.push((key, Some(after[..value_end].trim())));
        rest = &after[value_end..];
    }
}

/// `1 3-5 9`, `[2,"4-5"]`, `"2-3"`: numbers and inclusive ranges.
fn line_ranges(value: &str) -> Vec<(usize, usize)> {
    value
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .filter_map(|part| match part.split_once('-') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => part.parse().ok().map(|n| (n, n)),
        })
        .filter(|&(a, b)| a <= b)
        .collect()
}

/// A code block's inner HTML (escaped text, or highlighted text whose
/// spans never nest) with each line in `<span class="line">`, highlighted
/// lines also `hl`, and with line numbers a `<span class="ln">` first. A
/// span that runs over a line end is closed and opened again, so every
/// line is whole.
pub fn lines(fence: &Fence, html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 2);
    let mut open: Option<&str> = None;
    let mut number = 0;
    let body = html.strip_suffix('\n').unwrap_or(html);
    for line in body.split('\n') {
        number += 1;
        out.push_str(if fence.highlighted(number) {
            "<span class=\"line hl\">"
        } else {
            "<span class=\"line\">"
        });
        if fence.linenos {
            let _ = write!(
                out,
                "<span class=\"ln\" aria-hidden=\"true\">{}</span>",
                fence.linenostart.saturating_add(number - 1)
            );
        }
        if let Some(tag) = open {
            out.push_str(tag);
        }
        out.push_str(line);
        // Which span is open at the line's end.
        let mut rest = line;
        while let Some(i) = rest.find('<') {
            rest = &rest[i..];
            if rest.starts_with("</span>") {
                open = None;
                rest = &rest[7..];
            } else if let Some(end) = rest.find('>') {
                open = Some(&rest[..=end]);
                rest = &rest[end + 1..];
            } else {
                break;
            }
        }
        if open.is_some() {
            out.push_str("</span>");
        }
        out.push_str("</span>\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_the_first_word_or_class() {
        for (info, language) in [
            ("rust", "rust"),
            ("rust,ignore", "rust"),
            ("toml,name=x", "toml"),
            ("shell {hl_lines=[1]}", "shell"),
            (
                "go {linenos=table,hl_lines=[8,\"15-17\"],linenostart=199}",
                "go",
            ),
            ("{.python}", "python"),
            ("{.python .numberLines}", "python"),
            ("{ .python }", "python"),
            (
                "{#snippet .haskell .numberLines startFrom=\"100\"}",
                "haskell",
            ),
            ("{r, echo=FALSE}", "r"),
            ("{linenos=true}", ""),
            (".html", "html"),
            ("python title=\"x.py\"", "python"),
            ("rust=", "rust"),
            ("c++", "c++"),
            ("Rust", "Rust"),
            ("", ""),
            ("{", ""),
        ] {
            assert_eq!(parse(info).language, language, "{info}");
        }
    }

    #[test]
    fn line_options_in_hugo_zola_and_pandoc_form() {
        let hugo = parse("go {linenos=table,hl_lines=[8,\"15-17\"],linenostart=199}");
        assert!(hugo.linenos);
        assert_eq!(hugo.linenostart, 199);
        assert_eq!(hugo.hl_lines, vec![(8, 8), (15, 17)]);
        let spaced = parse("go {linenos=inline hl_lines=[3,\"6-8\"] style=emacs}");
        assert!(spaced.linenos);
        assert_eq!(spaced.hl_lines, vec![(3, 3), (6, 8)]);
        let quoted = parse("js {file=\"hello.js\" hl_lines=\"2-3\"}");
        assert!(!quoted.linenos);
        assert_eq!(quoted.hl_lines, vec![(2, 3)]);
        let zola = parse("rust,linenos,hl_lines=1 3-5 9,linenostart=20");
        assert_eq!(zola.language, "rust");
        assert!(zola.linenos);
        assert_eq!(zola.linenostart, 20);
        assert_eq!(zola.hl_lines, vec![(1, 1), (3, 5), (9, 9)]);
        let pandoc = parse("{.haskell .numberLines startFrom=\"100\"}");
        assert!(pandoc.linenos);
        assert_eq!(pandoc.linenostart, 100);
        assert!(!parse("go {linenos=false}").annotated());
        assert!(!parse("rust,ignore").annotated());
        assert!(!parse("python title=\"x.py\"").annotated());
        assert_eq!(parse("x {hl_lines=[5-2, \"a\"]}").hl_lines, vec![]);
    }

    #[test]
    fn lines_are_wrapped_whole_with_spans_reopened() {
        let fence = Fence {
            language: "x",
            linenos: true,
            linenostart: 9,
            hl_lines: vec![(2, 2)],
        };
        assert_eq!(
            lines(&fence, "a<span class=\"c\">/* one\ntwo */</span> b\n"),
            "<span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">9</span>a<span class=\"c\">/* one</span></span>\n\
             <span class=\"line hl\"><span class=\"ln\" aria-hidden=\"true\">10</span><span class=\"c\">two */</span> b</span>\n"
        );
        let plain = Fence {
            hl_lines: vec![(1, 1)],
            ..parse("")
        };
        assert_eq!(
            lines(&plain, "x &lt; y\nz"),
            "<span class=\"line hl\">x &lt; y</span>\n<span class=\"line\">z</span>\n"
        );
    }
}
