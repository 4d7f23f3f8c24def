//! The user-facing error type. A `Diagnostic` names the file, the line and
//! column where that is known, what is wrong, and a one-line hint on what to do.
//! A build collects many of them and prints them together, so the author fixes
//! every mistake in one pass instead of one per run. Most are errors; some
//! (a broken link, a missing template with a fallback) are warnings, which
//! are printed the same way and never fail a build.

use std::fmt;
use std::path::{Path, PathBuf};

/// Whether a diagnostic stops the build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    #[default]
    Error,
    /// Printed, counted, and built anyway: the site is published as it is.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file at fault, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line and column, when the error points into the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    pub severity: Severity,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            severity: Severity::Error,
        }
    }

    /// The same diagnostic as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// A warning, or an error when `strict` (`--strict`, `strict = true`).
    pub fn warning_unless(self, strict: bool) -> Self {
        if strict {
            self
        } else {
            self.warning()
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Shifts the position by `lines`, for errors found in an excerpt (front
    /// matter) that starts below the first line of its file.
    pub fn offset_lines(mut self, lines: usize) -> Self {
        if let Some(line) = self.line.as_mut() {
            *line += lines;
        }
        self
    }

    /// Order used when printing: by file, then position, then message.
    fn sort_key(&self) -> (&Path, usize, usize, &str) {
        (
            &self.path,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}:{}", self.column.unwrap_or(1))?;
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {severity}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics into a stable order and drops exact repeats, so output is
/// deterministic whatever order the parallel stages found them in.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// Converts a byte offset into a 1-based (line, column) pair, counting columns
/// in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Line and column of many offsets into one text, each in O(log lines).
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offsets where lines start; built on first use.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            starts: Vec::new(),
        }
    }

    /// 1-based line and column (in characters) of `offset`, as `line_col`.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        if self.starts.is_empty() {
            self.starts.push(0);
            // memchr's iterator: `match_indices` set up a search per line,
            // 1.4% of a cold build's instructions for the links' places.
            let newlines = memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1);
            self.starts.extend(newlines);
        }
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// `3 warnings`, `1 warning`.
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The error a build returns: every diagnostic it found, the warnings
/// among them, so the author sees everything at once.
#[derive(Debug)]
pub struct BuildFailed(pub Vec<Diagnostic>);

impl BuildFailed {
    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
}

impl fmt::Display for BuildFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let errors = self.errors();
        write!(f, "build failed: {}", count(errors, "error"))?;
        match self.0.len() - errors {
            0 => Ok(()),
            warnings => write!(f, " and {}", count(warnings, "warning")),
        }
    }
}

impl std::error::Error for BuildFailed {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "ab\nçd\n\nlast";
        let mut index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(offset),
                line_col(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 100), (3, 2));
    }

    #[test]
    fn display_includes_position_and_hint() {
        let d = Diagnostic::new("content/a.md", "bad date")
            .at(3, 7)
            .hint("write 2024-01-31");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error: bad date\n  hint: write 2024-01-31"
        );
        let w = Diagnostic::new("content/a.md", "broken link")
            .at(2, 1)
            .warning();
        assert_eq!(w.to_string(), "content/a.md:2:1: warning: broken link");
        assert!(!w.is_error() && Diagnostic::new("a", "b").warning_unless(true).is_error());
    }

    #[test]
    fn a_failed_build_counts_errors_and_warnings_apart() {
        let failed = BuildFailed(vec![
            Diagnostic::new("a.md", "bad"),
            Diagnostic::new("b.md", "link").warning(),
            Diagnostic::new("c.md", "link").warning(),
        ]);
        assert!(failed
            .to_string()
            .ends_with("build failed: 1 error and 2 warnings"));
    }
}
