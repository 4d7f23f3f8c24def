//! Heading ids: how a heading's text becomes its `id`, in the style of the
//! generator a site's links were written for (`[markdown] heading_ids`), and
//! the allocator that keeps every id on a page unique (`intro`, `intro-1`, …).
//! Takes the heading's plain text (and an explicit `{#id}` when there is
//! one); returns the id the HTML and the link checker both use.

use std::collections::HashMap;

use crate::config::HeadingIds;

/// The id `style` makes of a heading's text, before duplicates are
/// numbered. Never empty: each style has its own word for a heading
/// whose text leaves nothing.
pub fn heading_id(style: HeadingIds, text: &str) -> String {
    let (id, fallback) = match style {
        // Keeps output paths and URLs within what every filesystem takes.
        HeadingIds::Blog => (crate::content::url::slugify(text), "section"),
        HeadingIds::Zola => (zola(text), "section"),
        HeadingIds::Github => (github(text), "heading"),
        HeadingIds::Kramdown => (kramdown(text), "section"),
    };
    if id.is_empty() {
        fallback.to_string()
    } else {
        id
    }
}

/// Zola's `slugify.anchors = "on"`: the `slug` crate, which spells other
/// scripts in ASCII (`日本語` → `ri-ben-yu`).
fn zola(text: &str) -> String {
    slug::slugify(text)
}

/// GitHub's, as Hugo's goldmark renderer writes it by default
/// (`autoHeadingIDType = "github"`): lowercase; letters, digits and `_`
/// kept in any script; each space and `-` a `-`; the rest dropped.
fn github(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in unsmart(text).trim().chars() {
        match c {
            ' ' | '-' => id.push('-'),
            '_' => id.push('_'),
            c if c.is_alphabetic() || c.is_numeric() => id.extend(c.to_lowercase()),
            _ => {}
        }
    }
    id
}

/// kramdown's `auto_ids` (its converter's `basic_generate_id`): ASCII
/// only; everything before the first letter dropped, then everything but
/// letters, digits, spaces and `-`; spaces become `-`; lowercase.
fn kramdown(text: &str) -> String {
    let text = unsmart(text);
    let from_letter = text.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    from_letter
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' => Some('-'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The dashes smart punctuation made, as the author typed them: GitHub,
/// Hugo and kramdown make ids from the source, where `--` is two hyphens.
fn unsmart(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['\u{2013}', '\u{2014}']) {
        text.replace('\u{2014}', "---")
            .replace('\u{2013}', "--")
            .into()
    } else {
        text.into()
    }
}

/// Hands out heading ids, unique within one page: `intro`, `intro-1`, …
#[derive(Default)]
pub struct IdAllocator {
    used: HashMap<String, usize>,
}

impl IdAllocator {
    /// Marks an id raw HTML defines as taken, so no heading reuses it.
    pub fn reserve(&mut self, id: String) {
        self.used.insert(id, 0);
    }

    /// The id for a heading: its `{#id}` when it has one, else the id its
    /// text gives in `style`; numbered when already taken.
    pub fn allocate(&mut self, style: HeadingIds, explicit: Option<&str>, text: &str) -> String {
        let base = match explicit {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => heading_id(style, text),
        };
        let mut candidate = base.clone();
        while let Some(n) = self.used.get_mut(&candidate) {
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        self.used.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(style: HeadingIds, headings: &[&str]) -> Vec<String> {
        let mut ids = IdAllocator::default();
        headings
            .iter()
            .map(|h| ids.allocate(style, None, h))
            .collect()
    }

    const HEADINGS: [&str; 8] = [
        "Hello, World!",
        "C++ & Rust",
        "1. Intro",
        "日本語の見出し",
        "Über uns",
        "snake_case and kebab-case",
        "???",
        "Hello, World!",
    ];

    #[test]
    fn blog_ids_are_slugs() {
        assert_eq!(
            ids(HeadingIds::Blog, &HEADINGS),
            [
                "hello-world",
                "c-rust",
                "1-intro",
                "ri-ben-yu-nojian-chu-si",
                "uber-uns",
                "snake-case-and-kebab-case",
                "section",
                "hello-world-1",
            ]
        );
        let long = "word ".repeat(100);
        assert!(heading_id(HeadingIds::Blog, &long).len() <= 200);
    }

    #[test]
    fn github_ids_keep_letters_in_any_script() {
        // GitHub's and Hugo's: `C++ & Rust` keeps both spaces as hyphens.
        assert_eq!(
            ids(HeadingIds::Github, &HEADINGS),
            [
                "hello-world",
                "c--rust",
                "1-intro",
                "日本語の見出し",
                "über-uns",
                "snake_case-and-kebab-case",
                "heading",
                "hello-world-1",
            ]
        );
        assert_eq!(
            heading_id(HeadingIds::Github, "What\u{2019}s new?"),
            "whats-new"
        );
        // `--` as the author typed it, not the en dash smart punctuation made.
        assert_eq!(heading_id(HeadingIds::Github, "A \u{2013} B"), "a----b");
    }

    #[test]
    fn kramdown_ids_start_at_the_first_letter() {
        // kramdown's own examples: leading digits and punctuation go, and
        // a heading with no ASCII letter is a `section`.
        assert_eq!(
            ids(HeadingIds::Kramdown, &HEADINGS),
            [
                "hello-world",
                "c--rust",
                "intro",
                "section",
                "ber-uns",
                "snakecase-and-kebab-case",
                "section-1",
                "hello-world-1",
            ]
        );
        assert_eq!(
            heading_id(HeadingIds::Kramdown, "3.2 The header"),
            "the-header"
        );
    }

    #[test]
    fn zola_ids_are_its_slugs() {
        // Zola's documentation: `# Something exciting!` → `something-exciting`.
        assert_eq!(
            ids(
                HeadingIds::Zola,
                &["Something exciting!", "Example code", "Example code"]
            ),
            ["something-exciting", "example-code", "example-code-1"]
        );
        assert_eq!(
            ids(HeadingIds::Zola, &HEADINGS)[..4],
            [
                "hello-world",
                "c-rust",
                "1-intro",
                "ri-ben-yu-nojian-chu-si"
            ]
        );
    }

    #[test]
    fn explicit_and_reserved_ids_win() {
        let mut ids = IdAllocator::default();
        ids.reserve("box".into());
        assert_eq!(
            ids.allocate(HeadingIds::Github, Some("mine"), "Intro"),
            "mine"
        );
        assert_eq!(ids.allocate(HeadingIds::Github, None, "Box"), "box-1");
        assert_eq!(ids.allocate(HeadingIds::Github, None, "mine"), "mine-1");
    }
}
