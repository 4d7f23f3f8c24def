//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz), kept here so that
//! `tests/fuzz_regressions.rs` replays every saved input on stable Rust.
//! Each takes any bytes, must never panic, and asserts the invariants the
//! rest of `blog` relies on.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::config::Config;
use crate::content::{front_matter, page, url};
use crate::links::{self, Target};
use crate::markdown::{self, Highlighter};

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::new)
}

/// A content file: text normalisation, front matter, the whole page parse.
pub fn content_file(data: &[u8]) {
    let source = PathBuf::from("content/posts/fuzz.md");
    let Ok(text) = page::normalize_text(data.to_vec(), &source) else {
        return;
    };
    if let Ok(split) = front_matter::split(&text) {
        if let Some(format) = split.format {
            let _ = front_matter::parse(format, split.front_matter, &["tags", "categories"]);
        }
    }
    if let Ok(page) = page::parse_page(
        source,
        "posts".into(),
        Vec::new(),
        &text,
        &Config::default(),
        highlighter(),
        None,
    ) {
        assert!(page.path.starts_with('/') && page.path.ends_with('/'));
        assert!(!page.slug.is_empty());
        for link in &page.links {
            assert!(link.line >= 1 && link.column >= 1);
        }
    }
}

/// Markdown alone, with the properties templates rely on.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let r = markdown::render(text, &Default::default(), highlighter());
    assert!(!r.html.contains('\0'), "the summary marker never leaks");
    assert!(r.summary.len() <= r.html.len() + 64);
    for link in &r.links {
        assert!(link.offset <= text.len() + 2 * text.matches('\0').count());
    }
}

/// Slugs, author-written paths and link resolution: nothing they return
/// may leave the output directory.
pub fn urls(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let slug = url::slugify(text);
    assert!(slug.len() <= 200);
    assert!(slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
    assert!(!slug.starts_with('-') && !slug.ends_with('-'));
    let term = url::term_slug(text);
    assert!(term.len() <= 200);
    assert!(term
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
    if let Ok(path) = url::check_author_path(text) {
        assert!(path.starts_with('/'));
        assert!(!path.contains('\\') && !path.contains('\0'));
        assert!(path.split('/').all(|p| p != ".." && p != "."));
    }
    let dir = url::normalize_dir_path(text);
    assert!(dir.starts_with('/') && dir.ends_with('/') && !dir.contains("//"));
    if let Target::Internal { path, .. } =
        links::resolve(text, "/posts/a/", &["https://example.org"])
    {
        assert!(path.starts_with('/'));
        assert!(path.split('/').all(|p| p != ".." && p != "."), "{path}");
    }
    // A link to a markdown file names a site path with no dot segments.
    if let Some((file, _)) = links::markdown_file(text, std::path::Path::new("content/posts/a.md"))
    {
        assert!(file.starts_with('/'), "{file}");
        assert!(file.split('/').all(|p| p != ".." && p != "."), "{file}");
    }
}
