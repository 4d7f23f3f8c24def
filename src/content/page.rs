//! `Page` and `SectionMeta`: one content file parsed and rendered, before the
//! site model places it. `parse_source` does the per-file work that can run
//! in parallel: front matter, title, date, slug and the markdown body.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::content::date::Date;
use crate::content::front_matter::{self, FrontMatter};
use crate::content::url::slugify;
use crate::diagnostics::Diagnostic;
use crate::dialect::{self, Dialect, Transformed};
use crate::markdown::{self, Highlighter, TocEntry};

/// Index of a page in `Site::pages`.
pub type PageId = usize;

#[derive(Debug, Clone)]
pub struct Page {
    /// Path of the source file relative to the site root (`content/posts/a.md`).
    pub source: PathBuf,
    /// Section path relative to content/, `""` for the root section.
    pub section: String,
    /// For a bundle (`dir/index.md`), the other files in `dir`, relative to
    /// content/.
    pub assets: Vec<PathBuf>,
    pub meta: FrontMatter,
    pub title: String,
    pub slug: String,
    pub date: Option<Date>,
    /// The URL path, like `/posts/a/`; set by the site model.
    pub path: String,
    /// Shared, so that keeping parsed pages across rebuilds costs no copies.
    pub content: Arc<str>,
    pub summary: Arc<str>,
    pub has_more: bool,
    /// A `mermaid` fence is on the page.
    pub diagrams: bool,
    pub toc: Vec<TocEntry>,
    /// The body places its table of contents itself (`<!-- toc -->`).
    pub toc_placed: bool,
    pub word_count: usize,
    pub reading_time: usize,
    /// Highlighting classes the page's code uses.
    pub code_classes: Vec<String>,
    /// A hash of the file's text and place: equal hashes mean an equal page
    /// (for one config), which `blog serve` uses to skip unchanged work.
    pub source_hash: u64,
    /// Links and images in the body, for the link checker.
    pub links: Vec<SourceLink>,
    /// What the file asks for that `blog` shows as written (a Liquid tag
    /// it does not run, say), as warnings at their place.
    pub warnings: Vec<Diagnostic>,
    /// Links to markdown files, as written, and the URLs the site model
    /// gave them (`crate::file_links`); empty until then.
    pub file_links: Vec<(String, String)>,
    /// Element ids the body defines (headings, footnotes, raw HTML).
    pub ids: Vec<String>,
    /// The front matter text, kept to point errors at a key's line.
    pub front_matter_text: String,
    pub front_matter_line: usize,
}

impl Page {
    /// The line of `key` in the file, for errors about a value found later.
    pub fn key_position(&self, key: &str) -> (usize, usize) {
        match crate::config::find_key_line(&self.front_matter_text, key) {
            Some(line) => (line + self.front_matter_line - 1, 1),
            None => (1, 1),
        }
    }

    pub fn is_bundle(&self) -> bool {
        self.source.file_name().is_some_and(|n| n == "index.md")
    }

    /// Where a file of this page's bundle is published, relative to the
    /// page's URL: its path inside the bundle folder, so `raw/team.jpg` is
    /// never put on top of the bundle's own `team.jpg`.
    pub fn asset_url_path(&self, asset: &Path) -> String {
        let folder = self
            .source
            .parent()
            .and_then(|p| p.strip_prefix(crate::content::load::CONTENT_DIR).ok());
        let inside = folder
            .and_then(|f| asset.strip_prefix(f).ok())
            .unwrap_or(asset);
        crate::content::load::rel_string(inside)
    }

    /// A file of this page's bundle's URL path, without the leading `/`:
    /// in the page's folder, where a browser resolves the bundle-relative
    /// `photo.jpg` of the page. A page with a file-like URL of its own
    /// (`path = "/archive/one.html"`) has its files in that URL's folder
    /// (`archive/photo.jpg`), not after its name.
    pub fn asset_output_path(&self, asset: &Path) -> String {
        let path = self.path.trim_start_matches('/');
        let folder = match path.rfind('/') {
            Some(i) => &path[..=i],
            None => "",
        };
        format!("{folder}{}", self.asset_url_path(asset))
    }
}

/// A link or image destination and where the source file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    pub url: String,
    pub line: usize,
    pub column: usize,
    pub image: bool,
}

/// Places `links` found in `body`, a slice of the file's `text`, or in a
/// dialect's rewrite of it.
fn source_links(
    text: &str,
    body: &str,
    links: Vec<markdown::render::Link>,
    rewritten: Option<&Transformed>,
) -> Vec<SourceLink> {
    let start = (body.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let mut lines = crate::diagnostics::LineIndex::new(text);
    links
        .into_iter()
        .map(|l| {
            let offset = rewritten.map_or(l.offset, |t| t.original_offset(l.offset));
            let (line, column) = lines.line_col((start + offset).min(text.len()));
            SourceLink {
                url: l.url,
                line,
                column,
                image: l.image,
            }
        })
        .collect()
}

/// What the markdown renderer found wrong (a TeX error), as warnings at
/// their line and column in the file.
fn problems_as_warnings(
    source: &Path,
    text: &str,
    body: &str,
    problems: &[(usize, String)],
    rewritten: Option<&Transformed>,
) -> Vec<Diagnostic> {
    let start = (body.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let mut lines = crate::diagnostics::LineIndex::new(text);
    problems
        .iter()
        .map(|(offset, message)| {
            let offset = rewritten.map_or(*offset, |t| t.original_offset(*offset));
            let (line, column) = lines.line_col((start + offset).min(text.len()));
            Diagnostic::new(source, message.clone())
                .at(line, column)
                .hint("the formula is shown as written; fix the TeX, or write `\\$` for a dollar sign")
                .warning()
        })
        .collect()
}

/// A dialect's notes as warnings at their line and column in the file.
fn notes_as_warnings(source: &Path, text: &str, body: &str, t: &Transformed) -> Vec<Diagnostic> {
    let start = (body.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let mut lines = crate::diagnostics::LineIndex::new(text);
    t.notes
        .iter()
        .map(|note| {
            let (line, column) = lines.line_col((start + note.offset).min(text.len()));
            Diagnostic::new(source, note.message.clone())
                .at(line, column)
                .hint(note.hint.clone())
                .warning()
        })
        .collect()
}

/// What `_index.md` says about its section.
#[derive(Debug, Clone, Default)]
pub struct SectionMeta {
    pub source: Option<PathBuf>,
    pub meta: FrontMatter,
    pub content: String,
    /// Highlighting classes the section text's code uses.
    pub code_classes: Vec<String>,
    pub links: Vec<SourceLink>,
    pub ids: Vec<String>,
    /// `feed: true` (or Zola's `generate_feeds`): the section gets feeds of
    /// its own.
    pub feed: bool,
    /// The line of `template`, for a warning when it names no template.
    pub template_line: usize,
}

/// Reads text as UTF-8, without a BOM, with `\n` line ends.
pub fn normalize_text(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, col) = crate::diagnostics::line_col(
            &String::from_utf8_lossy(e.as_bytes()),
            e.utf8_error().valid_up_to(),
        );
        Diagnostic::new(path, "the file is not valid UTF-8")
            .at(line, col)
            .hint("save the file as UTF-8 in your editor")
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// Parses and renders one page. `source` is relative to the site root and
/// `section` relative to content/.
pub fn parse_page(
    source: PathBuf,
    section: String,
    assets: Vec<PathBuf>,
    text: &str,
    config: &Config,
    highlighter: &Highlighter,
    shortcodes: Option<&dyn dialect::Shortcodes>,
) -> Result<Page, Diagnostic> {
    parse_page_keyed(
        source,
        section,
        assets,
        text,
        config,
        highlighter,
        shortcodes,
    )
    .map(|(p, _)| p)
}

/// `parse_page` through the page cache, when the build has one: a file
/// whose text, place and settings are those of an earlier build is read
/// back (`content::stored`) instead of parsed. `settings` must name
/// everything else the parse reads: the config, the highlighter, the
/// shortcode templates and this build of blog.
#[allow(clippy::too_many_arguments)]
pub fn parse_page_cached(
    source: PathBuf,
    section: String,
    assets: Vec<PathBuf>,
    text: &str,
    config: &Config,
    highlighter: &Highlighter,
    shortcodes: Option<&dyn dialect::Shortcodes>,
    settings: &str,
) -> Result<Page, Diagnostic> {
    use crate::content::stored::StoredPage;
    use crate::markdown::stored;
    let Some((_, pages)) = highlighter.caches() else {
        return parse_page(
            source,
            section,
            assets,
            text,
            config,
            highlighter,
            shortcodes,
        );
    };
    let key = crate::markdown::cache::HighlightCache::key(
        &format!(
            "parsed\0{settings}\0{}\0{section}",
            source.to_string_lossy()
        ),
        text,
    );
    let found = pages
        .get(key)
        .and_then(|bytes| stored::read::<StoredPage>(&bytes))
        .filter(|s| s.page.source == source && s.page.section == section)
        .and_then(|s| {
            let html = markdown::render::stored_html(s.rendered, highlighter)?;
            Some(Page {
                assets: assets.clone(),
                content: html,
                ..s.page
            })
        });
    if let Some(page) = found {
        return Ok(page);
    }
    let (page, rendered) = parse_page_keyed(
        source,
        section,
        assets,
        text,
        config,
        highlighter,
        shortcodes,
    )?;
    if let Some(rendered) = rendered {
        let entry = StoredPage { page, rendered };
        if let Some(bytes) = stored::write(&entry) {
            pages.put(key, &bytes);
        }
        return Ok(entry.page);
    }
    Ok(page)
}

fn parse_page_keyed(
    source: PathBuf,
    section: String,
    assets: Vec<PathBuf>,
    text: &str,
    config: &Config,
    highlighter: &Highlighter,
    shortcodes: Option<&dyn dialect::Shortcodes>,
) -> Result<(Page, Option<crate::markdown::cache::Key>), Diagnostic> {
    let taxonomy_names: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
    let split = front_matter::split(text).map_err(|(line, message)| {
        Diagnostic::new(&source, message)
            .at(line, 1)
            .hint("add the closing line after the front matter: `---`, `+++`, or `}` for JSON")
    })?;
    let mut meta = match split.format {
        Some(format) => front_matter::parse(format, split.front_matter, &taxonomy_names)
            .map_err(|e| FrontMatter::error(&source, split.front_matter_line, e, format))?,
        None => FrontMatter::default(),
    };
    let dialect = Dialect::of(&source, split.body);
    if dialect == Dialect::Jekyll {
        dialect::jekyll::front_matter(&mut meta, &source);
        dialect::jekyll::dates_in_utc(&mut meta, config);
    }

    let stem = file_stem(&source);
    let name_date = Date::from_file_name(&stem);
    let name_slug = name_date
        .map_or(stem.as_str(), |(_, _, rest)| rest)
        .to_string();
    let date = meta.date.or(name_date.map(|(d, _, _)| d));
    let date = match &config.zone {
        Some(zone) => date.map(|d| d.in_zone(zone)),
        None => date,
    };
    if name_date.is_some_and(|(_, draft, _)| draft) {
        meta.draft = true;
    }

    let (heading, body) = match meta.title {
        Some(_) => (None, split.body),
        None => leading_title(split.body),
    };
    let title = meta
        .title
        .clone()
        .or(heading)
        .unwrap_or_else(|| name_slug.replace(['-', '_'], " "));
    let slug = match &meta.slug {
        Some(s) => slugify(s),
        None => slugify(&name_slug),
    };
    if slug.is_empty() {
        let (line, col) = match &meta.slug {
            Some(_) => (
                crate::config::find_key_line(split.front_matter, "slug")
                    .map_or(1, |l| l + split.front_matter_line - 1),
                1,
            ),
            None => (1, 1),
        };
        return Err(Diagnostic::new(
            &source,
            "this page's slug is empty after removing characters unsafe in URLs",
        )
        .at(line, col)
        .hint("set `slug:` in the front matter to a few letters or digits"));
    }

    // A page calling shortcodes is also what their templates make of it.
    let source_hash = match shortcodes {
        Some(templates) if dialect == Dialect::Zola => {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            text_hash(&source, text).hash(&mut h);
            templates.version().hash(&mut h);
            h.finish()
        }
        _ => text_hash(&source, text),
    };
    let date_for_url = date;
    // Another generator's constructs, rewritten to markdown first.
    let context = dialect::Context {
        config,
        meta: &meta,
        source: &source,
        shortcodes,
        native: false,
    };
    let rewritten = match dialect {
        Dialect::Jekyll => dialect::jekyll::transform(body, &context),
        Dialect::Hugo => dialect::hugo::transform(body, &context),
        Dialect::Zola => dialect::zola::transform(body, &context),
        Dialect::Native => None,
    };
    let mut warnings = rewritten
        .as_ref()
        .map(|t| notes_as_warnings(&source, text, body, t))
        .unwrap_or_default();
    let markdown_body = rewritten.as_ref().map_or(body, |t| t.body.as_str());
    let (rendered, rendered_key) =
        markdown::render::render_keyed(markdown_body, &config.markdown, highlighter);
    warnings.extend(problems_as_warnings(
        &source,
        text,
        body,
        &rendered.problems,
        rewritten.as_ref(),
    ));
    let words_per_minute = config.markdown.words_per_minute.max(1);
    let mut page = Page {
        source,
        section,
        assets,
        title,
        slug,
        date,
        path: String::new(),
        reading_time: rendered.word_count.div_ceil(words_per_minute).max(1),
        word_count: rendered.word_count,
        code_classes: rendered.code_classes,
        links: source_links(text, body, rendered.links, rewritten.as_ref()),
        warnings,
        file_links: Vec::new(),
        ids: rendered.ids,
        content: Arc::from(rendered.html),
        summary: Arc::from(rendered.summary),
        source_hash,
        has_more: rendered.has_more,
        diagrams: rendered.diagrams,
        toc: rendered.toc,
        toc_placed: rendered.toc_placed,
        front_matter_text: split.front_matter.to_string(),
        front_matter_line: split.front_matter_line,
        meta,
    };
    let _ = date_for_url;
    page.path = crate::site::page_url(&page, config).map_err(|e| {
        let (line, col) = page.key_position(e.key);
        Diagnostic::new(&page.source, e.message)
            .at(line, col)
            .hint(e.hint)
    })?;
    // The summary is shown on lists and in feeds, away from the page: its
    // relative links and images (a bundle's photo, a heading's anchor, a
    // footnote) must still lead where they do on the page.
    let mut summary = crate::file_links::absolute_links(
        &page.summary,
        &page.links,
        &page.source,
        &page.path,
        config,
    );
    // Anchors the renderer writes (footnotes, headings' `#` links).
    if summary.contains("href=\"#") {
        let to_page = format!("href=\"{}#", config.permalink(&page.path));
        summary = std::borrow::Cow::Owned(summary.replace("href=\"#", &to_page));
    }
    if let std::borrow::Cow::Owned(summary) = summary {
        page.summary = Arc::from(summary);
    }
    Ok((page, rendered_key))
}

/// Parses `_index.md`.
pub fn parse_section(
    source: PathBuf,
    text: &str,
    config: &Config,
    highlighter: &Highlighter,
) -> Result<SectionMeta, Diagnostic> {
    let split = front_matter::split(text).map_err(|(line, message)| {
        Diagnostic::new(&source, message)
            .at(line, 1)
            .hint("add the closing line after the front matter: `---`, `+++`, or `}` for JSON")
    })?;
    let meta = match split.format {
        Some(format) => front_matter::parse(format, split.front_matter, &[])
            .map_err(|e| FrontMatter::error(&source, split.front_matter_line, e, format))?,
        None => FrontMatter::default(),
    };
    if let Some(sort_by) = &meta.sort_by {
        if !crate::site::SORT_BY.contains(&sort_by.as_str()) {
            let line = crate::config::find_key_line(split.front_matter, "sort_by")
                .map_or(1, |l| l + split.front_matter_line - 1);
            return Err(
                Diagnostic::new(&source, format!("unknown sort_by `{sort_by}`"))
                    .at(line, 1)
                    .hint(format!("use one of: {}", crate::site::SORT_BY.join(", "))),
            );
        }
    }
    let template_line = crate::config::find_key_line(split.front_matter, "template")
        .map_or(1, |l| l + split.front_matter_line - 1);
    let mut feed = false;
    for key in ["feed", "generate_feeds"] {
        match meta.other.get(key) {
            None => {}
            Some(serde_json::Value::Bool(wanted)) => feed |= wanted,
            Some(_) => {
                let line = crate::config::find_key_line(split.front_matter, key)
                    .map_or(1, |l| l + split.front_matter_line - 1);
                return Err(
                    Diagnostic::new(&source, format!("`{key}` must be true or false"))
                        .at(line, 1)
                        .hint("write `feed: true` for feeds of this section's posts"),
                );
            }
        }
    }
    let rendered = if split.body.trim().is_empty() {
        markdown::Rendered::default()
    } else {
        markdown::render_cached(split.body, &config.markdown, highlighter)
    };
    Ok(SectionMeta {
        source: Some(source),
        feed,
        template_line,
        meta,
        content: rendered.html,
        code_classes: rendered.code_classes,
        links: source_links(text, split.body, rendered.links, None),
        ids: rendered.ids,
    })
}

/// Hashes a content file's path and text.
pub fn text_hash(source: &Path, text: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let source = source.as_os_str().as_encoded_bytes();
    h.update(&(source.len() as u64).to_le_bytes());
    h.update(source);
    h.update(text.as_bytes());
    h.digest()
}

fn file_stem(source: &Path) -> String {
    let is_bundle = source.file_name().is_some_and(|n| n == "index.md");
    let named = if is_bundle {
        source.parent()
    } else {
        Some(source)
    };
    named
        .and_then(|p| {
            if is_bundle {
                p.file_name()
            } else {
                p.file_stem()
            }
        })
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// When a page has no `title`, a first-line `# Heading` is its title; the
/// heading is then dropped from the body so the theme does not show it twice.
fn leading_title(body: &str) -> (Option<String>, &str) {
    let trimmed = body.trim_start_matches(['\n', ' ']);
    let first_line = trimmed.split('\n').next().unwrap_or("");
    match first_line.strip_prefix("# ") {
        Some(title) if !title.trim().is_empty() => {
            let title = title.trim().trim_end_matches('#').trim();
            (Some(title.to_string()), &trimmed[first_line.len()..])
        }
        _ => (None, body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Result<Page, Diagnostic> {
        parse_page(
            PathBuf::from(path),
            "posts".into(),
            vec![],
            text,
            &Config::default(),
            &Highlighter::new(),
            None,
        )
    }

    #[test]
    fn title_from_heading_then_file_name() {
        let p = page("content/posts/x.md", "# From Heading\n\nBody.\n").expect("ok");
        assert_eq!(p.title, "From Heading");
        assert!(!p.content.contains("From Heading"));
        let p = page("content/posts/my-file_name.md", "Body.\n").expect("ok");
        assert_eq!(p.title, "my file name");
    }

    #[test]
    fn date_and_slug_from_jekyll_file_name() {
        let p = page("content/posts/2021-05-06-hello-there.md", "Body.\n").expect("ok");
        assert_eq!(p.slug, "hello-there");
        assert_eq!(p.date.expect("date").to_rfc3339(), "2021-05-06T00:00:00Z");
    }

    #[test]
    fn a_draft_file_name_is_a_draft_with_its_date() {
        let p = page("content/posts/DRAFT-2021-03-01-name.md", "Body.\n").expect("ok");
        assert_eq!((p.slug.as_str(), p.meta.draft), ("name", true));
        assert_eq!(p.date.expect("date").to_rfc3339(), "2021-03-01T00:00:00Z");
    }

    #[test]
    fn bundle_files_keep_their_place_in_the_bundle() {
        let p = page("content/posts/post/index.md", "Body.\n").expect("ok");
        assert_eq!(
            p.asset_url_path(Path::new("posts/post/raw/team.jpg")),
            "raw/team.jpg"
        );
        assert_eq!(
            p.asset_url_path(Path::new("posts/post/team.jpg")),
            "team.jpg"
        );
        assert_eq!(
            p.asset_output_path(Path::new("posts/post/team.jpg")),
            "posts/post/team.jpg"
        );
    }

    #[test]
    fn a_bundle_with_a_file_like_url_has_its_files_in_that_urls_folder() {
        let p = page(
            "content/posts/one/index.md",
            "---\npath: /archive/one.html\n---\nBody.\n",
        )
        .expect("ok");
        assert_eq!(p.path, "/archive/one.html");
        assert_eq!(
            p.asset_output_path(Path::new("posts/one/ok.png")),
            "archive/ok.png"
        );
    }

    #[test]
    fn bundle_slug_is_the_folder() {
        let p = page(
            "content/posts/trip/index.md",
            "---\ntitle: Trip\n---\nBody\n",
        )
        .expect("ok");
        assert_eq!(p.slug, "trip");
        assert!(p.is_bundle());
    }

    #[test]
    fn errors_are_positioned_in_the_file() {
        let e =
            page("content/posts/x.md", "\n---\ntitle: a\ndate: soon\n---\n").expect_err("bad date");
        assert_eq!(
            (e.line, e.path.to_string_lossy().as_ref()),
            (Some(4), "content/posts/x.md")
        );
        let e = page("content/posts/x.md", "+++\ntitle = \n+++\n").expect_err("bad toml");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = normalize_text(
            b"\xef\xbb\xbf---\r\ntitle: Win\r\n---\r\nBody\r\n".to_vec(),
            Path::new("x.md"),
        )
        .expect("utf8");
        let p = page("content/posts/x.md", &text).expect("ok");
        assert_eq!(p.title, "Win");
        assert!(normalize_text(vec![0xff, 0xfe], Path::new("x.md")).is_err());
    }
}
