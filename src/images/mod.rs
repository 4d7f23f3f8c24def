//! Responsive images: every local image a page shows (a markdown image, a
//! `figure`, an `<img>` written in the post) is found through the page's
//! links once the output plan knows which file each URL is; each distinct
//! file is read and, when it is a JPEG, PNG or WebP, resized to the
//! configured widths (never above its own) in its format and in WebP, in
//! parallel and through the cache of `process`. The pages' `<img>` tags
//! then get their width and height, lazy loading after the first, and a
//! `srcset` inside a `<picture>` (`html`). The original file is published
//! at its URL as before. Missing and unreadable images are warnings at the
//! reference's line and column; the build goes on.
//!
//! `template` is the `resize_image` function for templates.

pub mod html;
pub mod process;
pub mod template;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::page::{Page, SourceLink};
use crate::diagnostics::Diagnostic;
pub use process::{Data, Kind, Made, Processed, Processor};

/// What a local image reference leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// No file of the site has that URL.
    Missing,
    /// A file blog does not size (an unknown format, a file it could not
    /// read as the image its name says): left as written.
    AsIs,
    /// A GIF or SVG, or an image whose copies could not be published:
    /// width and height only.
    Sized { width: u32, height: u32 },
    /// Width and height, and the copies: output path and file.
    Responsive {
        width: u32,
        height: u32,
        copies: Vec<(String, Made)>,
    },
}

/// Where an output path's bytes come from, as the build's plan says.
pub enum Source {
    /// A file of the site (content/, static/, the theme's folder).
    File(PathBuf),
    /// Something else (the built-in theme, a generated file).
    Other,
}

/// Every local image of the site's pages, by output path
/// (`posts/a/photo.jpg`), with what was made of it.
#[derive(Debug, Default, Clone)]
pub struct Published {
    pub entries: HashMap<String, Entry>,
    /// How the markup is written (`[images] sizes`, on/off).
    pub sizes: String,
    pub responsive: bool,
}

/// Images counted for `blog build --verbose` and the tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImageCounts {
    /// Distinct local image files the pages show.
    pub images: usize,
    /// Images decoded this build (none when every one was cached).
    pub decoded: usize,
    /// Files encoded this build.
    pub encoded: usize,
}

/// The output path (`posts/a/photo.jpg`) of an image written as `url` in
/// the page at `page_path`, or `None` for a remote or inline image.
pub fn output_path(url: &str, page_path: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if url.is_empty()
        || url.starts_with("//")
        || url.starts_with('#')
        || lower.starts_with("data:")
        || crate::links::has_scheme(url)
    {
        return None;
    }
    let path = match url.strip_prefix('/') {
        Some(_) => url.split(['?', '#']).next().unwrap_or(url).to_string(),
        None => crate::links::join_relative(page_path, url)?
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    let decoded = percent_encoding::percent_decode_str(&path)
        .decode_utf8_lossy()
        .into_owned();
    let trimmed = decoded.trim_start_matches('/');
    (!trimmed.is_empty() && !trimmed.ends_with('/')).then(|| trimmed.to_string())
}

/// The output path of the copy of `original` (`posts/a/photo.jpg`) at
/// `width` in `kind`: `posts/a/photo-480w.webp`.
pub fn copy_path(original: &str, width: u32, kind: Kind) -> String {
    let (dir, name) = match original.rfind('/') {
        Some(i) => original.split_at(i + 1),
        None => ("", original),
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{dir}{stem}-{width}w.{}", kind.ext())
}

/// The local image references of `page`: each link and its output path.
/// A root-relative URL carries the base URL's path (`/blog/img/a.png`
/// under `https://example.org/blog`); one without it leads off the site,
/// which the link checker reports, and is left alone here.
fn references<'p>(
    page: &'p Page,
    base_path: &'p str,
) -> impl Iterator<Item = (&'p SourceLink, String)> {
    page.links.iter().filter(|l| l.image).filter_map(move |l| {
        let url = l.url.trim();
        let url = match url.strip_prefix(base_path) {
            _ if base_path.is_empty() || !url.starts_with('/') => url,
            Some(rest) if rest.starts_with('/') => rest,
            _ => return None,
        };
        Some((l, output_path(url, &page.path)?))
    })
}

/// Finds, reads and processes every local image of `pages`; `source`
/// says where an output path's bytes come from (`None`: nothing of the
/// site has it). Returns what each became, and a warning at each
/// reference to an image that could not be read. A missing one is left to
/// the link checker (`blog check`), with the other broken links.
pub fn publish(
    pages: &[Arc<Page>],
    config: &Config,
    source: &dyn Fn(&str) -> Option<Source>,
    processor: &Processor,
) -> (Published, Vec<Diagnostic>) {
    let images = &config.images;
    let mut published = Published {
        entries: HashMap::new(),
        sizes: images.sizes.clone(),
        responsive: images.responsive,
    };
    if !images.responsive {
        return (published, Vec::new());
    }
    let mut files: HashMap<String, Option<PathBuf>> = HashMap::new();
    let base_path = config.base_path();
    for page in pages {
        for (_, path) in references(page, base_path) {
            files
                .entry(path.clone())
                .or_insert_with(|| match source(&path) {
                    Some(Source::File(file)) => Some(file),
                    Some(Source::Other) => None,
                    None => {
                        published.entries.insert(path.clone(), Entry::Missing);
                        None
                    }
                });
        }
    }
    let work: Vec<(&String, &PathBuf)> = files
        .iter()
        .filter_map(|(path, file)| Some((path, file.as_ref()?)))
        .collect();
    let results: Vec<(String, Result<Entry, String>)> = work
        .par_iter()
        .map(|(path, file)| ((*path).clone(), process_one(path, file, config, processor)))
        .collect();
    let mut failed: HashMap<String, String> = HashMap::new();
    for (path, result) in results {
        let entry = match result {
            Ok(entry) => entry,
            Err(message) => {
                failed.insert(path.clone(), message);
                Entry::AsIs
            }
        };
        published.entries.insert(path, entry);
    }
    for (path, file) in &files {
        if file.is_none() {
            published.entries.entry(path.clone()).or_insert(Entry::AsIs);
        }
    }
    let mut warnings = Vec::new();
    for page in pages {
        for (link, path) in references(page, base_path) {
            let Some(message) = failed.get(&path) else {
                continue;
            };
            let d = Diagnostic::new(
                &page.source,
                format!("image `{}` cannot be read: {message}", link.url),
            )
            .hint("export the file again or replace it; it is published as it is, without width, height or smaller copies")
            .warning();
            warnings.push(d.at(link.line, link.column));
        }
    }
    (published, warnings)
}

fn process_one(
    path: &str,
    file: &Path,
    config: &Config,
    processor: &Processor,
) -> Result<Entry, String> {
    let Some(kind) = Kind::from_path(file) else {
        return Ok(Entry::AsIs);
    };
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let processed = processor.responsive(&bytes, kind, &config.images)?;
    if processed.copies.is_empty() {
        return Ok(Entry::Sized {
            width: processed.width,
            height: processed.height,
        });
    }
    let copies = processed
        .copies
        .into_iter()
        .map(|made| (copy_path(path, made.width, made.kind), made))
        .collect();
    Ok(Entry::Responsive {
        width: processed.width,
        height: processed.height,
        copies,
    })
}

impl Published {
    /// Every copy to publish: its output path and file.
    pub fn outputs(&self) -> impl Iterator<Item = (&String, &Made)> {
        self.entries.values().flat_map(|entry| match entry {
            Entry::Responsive { copies, .. } => copies.iter().map(|(p, m)| (p, m)).collect(),
            _ => Vec::new(),
        })
    }

    /// Publishes `path`'s image with its width and height only (one of its
    /// copies' paths is taken by another file).
    pub fn without_copies(&mut self, path: &str) {
        if let Some(entry) = self.entries.get_mut(path) {
            if let Entry::Responsive { width, height, .. } = entry {
                *entry = Entry::Sized {
                    width: *width,
                    height: *height,
                };
            }
        }
    }

    /// The original whose copy is at `copy`, if any.
    pub fn original_of(&self, copy: &str) -> Option<String> {
        self.entries.iter().find_map(|(path, entry)| match entry {
            Entry::Responsive { copies, .. } if copies.iter().any(|(p, _)| p == copy) => {
                Some(path.clone())
            }
            _ => None,
        })
    }

    /// Writes `page`'s local images' tags for their files (the page is
    /// left as it is when it shows none); `false` when it shows one this
    /// set does not know (`blog serve` then rebuilds, which finds it).
    /// The page is changed in place: copied only when it is shared.
    pub fn apply(&self, page: &mut Arc<Page>, config: &Config) -> bool {
        if !self.responsive {
            return true;
        }
        let mut by_written: HashMap<String, &Entry> = HashMap::new();
        for (link, path) in references(page, config.base_path()) {
            let Some(entry) = self.entries.get(&path) else {
                return false;
            };
            let mut escaped = String::new();
            let _ = pulldown_cmark_escape::escape_href(&mut escaped, &link.url);
            by_written.insert(escaped, entry);
            by_written.insert(link.url.clone(), entry);
        }
        if by_written.is_empty() {
            return true;
        }
        let permalink = |path: &str| config.permalink(&format!("/{path}"));
        let content = html::rewrite(
            &page.content,
            &|src| by_written.get(src).copied(),
            &self.sizes,
            &permalink,
        );
        if *content == *page.content {
            return true;
        }
        // What the page shows of its images is part of what it is: a new
        // size re-renders it in `blog serve`.
        let source_hash = {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&page.source_hash.to_le_bytes());
            h.update(content.as_bytes());
            h.digest()
        };
        let page = Arc::make_mut(page);
        page.source_hash = source_hash;
        page.content = Arc::from(content);
        true
    }
}
