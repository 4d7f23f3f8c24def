//! Link previews: the image a page is shared with (`preview_image`: its
//! front matter's `image`, else the first image of its body), and, with
//! `[social_cards] enabled = true`, a generated 1200×630 PNG card for each
//! page that has neither. A card is a tera template's SVG
//! (`social_card.svg`, the site's over the theme's) drawn by resvg with the
//! two DejaVu Sans faces built into the binary and no system fonts, so the
//! same site gives the same bytes on every machine. The title is wrapped
//! here, with the bold face's advance widths, because SVG text does not
//! wrap. Cards are kept in the site's cache folder under the SHA-256 of
//! their SVG text and the fonts, each file holding the digest of its PNG,
//! so a truncated or damaged entry is drawn again, never published.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use resvg::usvg;
use serde::Serialize;

use crate::config::Config;
use crate::content::{Date, Page};
use crate::diagnostics::Diagnostic;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// A card's file name, in the page's folder.
pub const FILE_NAME: &str = "social.png";
/// The built-in template, used when neither the site nor its theme has one.
pub const TEMPLATE: &str = include_str!("../../themes/default/templates/social_card.svg");
pub const TEMPLATE_NAME: &str = "social_card.svg";
/// The family both faces belong to; a template names it (or `sans-serif`).
pub const FONT_FAMILY: &str = "DejaVu Sans";
static REGULAR: &[u8] = include_bytes!("../../themes/default/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../themes/default/fonts/DejaVuSans-Bold.ttf");
/// Changes whenever the same SVG could be drawn differently.
const CACHE_VERSION: &str = concat!(
    "blog social card 1 ",
    env!("CARGO_PKG_VERSION"),
    " resvg 0.49\n"
);
const CACHE_DIR: &str = "social-cards";

/// The title's box in the built-in template: left edge, width, and the
/// vertical band its lines are centred in.
const TITLE_X: f32 = 80.0;
const TITLE_WIDTH: f32 = 1040.0;
const TITLE_TOP: f32 = 150.0;
const TITLE_BOTTOM: f32 = 500.0;
/// Font sizes tried in turn until the title fits on `MAX_LINES` lines; at
/// the last, what does not fit is cut with an ellipsis.
const TITLE_SIZES: [f32; 4] = [76.0, 64.0, 54.0, 46.0];
const MAX_LINES: usize = 3;
const LINE_HEIGHT: f32 = 1.2;

/// The image a page is shared with, as an absolute URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewImage {
    pub url: String,
    /// Known for a generated card only.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
    /// The generated card, not an image of the author's.
    pub generated: bool,
}

/// The front matter's `image` (top level or under `extra`), as written.
fn front_matter_image(page: &Page) -> Option<&str> {
    page.meta
        .other
        .get("image")
        .or_else(|| page.meta.extra.get("image"))
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The first image of the page's body (markdown or `<img src>`), as written;
/// inline `data:` images are no use to a link preview.
pub fn first_body_image(page: &Page) -> Option<&str> {
    page.links
        .iter()
        .filter(|l| l.image)
        .map(|l| l.url.trim())
        .find(|u| !u.is_empty() && !u.starts_with("data:"))
}

/// `url` as a browser on the page would resolve it: absolute URLs as they
/// are, `/x` under the site's base URL, and `x` or `../x` against the
/// page's own URL (a bundle's photo).
pub fn absolute_url(config: &Config, page_path: &str, url: &str) -> String {
    if url.contains("://") {
        return url.to_string();
    }
    if let Some(rest) = url.strip_prefix("//") {
        let scheme = config.base_url.split("://").next().unwrap_or("https");
        return format!("{scheme}://{rest}");
    }
    if url.starts_with('/') {
        return config.permalink(url);
    }
    match crate::links::join_relative(page_path, url) {
        Some(path) => config.permalink(&path),
        None => url.to_string(),
    }
}

/// The author's image for `page`: the front matter's, else the body's first.
pub fn authored_image(config: &Config, page: &Page) -> Option<PreviewImage> {
    let url = front_matter_image(page).or_else(|| first_body_image(page))?;
    let alt = page
        .meta
        .other
        .get("image_alt")
        .or_else(|| page.meta.extra.get("image_alt"))
        .and_then(|v| v.as_str())
        .unwrap_or(&page.title)
        .to_string();
    Some(PreviewImage {
        url: absolute_url(config, &page.path, url),
        width: None,
        height: None,
        alt,
        generated: false,
    })
}

/// Whether the build draws a card for `page`: cards are on and the page has
/// no image of its own.
pub fn wants_card(config: &Config, page: &Page) -> bool {
    config.social_cards.enabled
        && front_matter_image(page).is_none()
        && first_body_image(page).is_none()
}

/// A card's URL path for a page at `page_path`: `social.png` in the page's
/// folder (`/posts/a/social.png`), or beside a file-like URL
/// (`/about.html` → `/about.html.social.png`).
pub fn card_path(page_path: &str) -> String {
    if page_path.ends_with('/') {
        format!("{page_path}{FILE_NAME}")
    } else {
        format!("{page_path}.{FILE_NAME}")
    }
}

/// The image `page` is previewed with: its own, else its card (when drawn).
pub fn preview_image(config: &Config, page: &Page) -> Option<PreviewImage> {
    authored_image(config, page).or_else(|| {
        wants_card(config, page).then(|| PreviewImage {
            url: config.permalink(&card_path(&page.path)),
            width: Some(WIDTH),
            height: Some(HEIGHT),
            alt: page.title.clone(),
            generated: true,
        })
    })
}

/// One line of the wrapped title and its baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleLine {
    pub text: String,
    pub y: f32,
}

/// What a card template sees as `card` (beside `page` and `config`).
#[derive(Debug, Serialize)]
pub struct CardContext {
    pub width: u32,
    pub height: u32,
    pub site_title: String,
    /// The base URL without its scheme (`example.com`).
    pub site_host: String,
    pub title: String,
    /// The title wrapped to at most three lines in a 1040 px box at `x`,
    /// centred between y = 150 and y = 500, cut with `…` when it is longer.
    pub title_lines: Vec<TitleLine>,
    pub title_size: f32,
    pub x: f32,
    pub date: Option<Date>,
    pub author: String,
    pub font_family: &'static str,
}

/// Characters XML 1.0 does not allow, even escaped, dropped from text that
/// goes into an SVG.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}

pub fn card_context(config: &Config, page: &Page) -> CardContext {
    let title = xml_text(&page.title);
    let (lines, size) = wrap_title(&title);
    let step = size * LINE_HEIGHT;
    let block = step * (lines.len().max(1) - 1) as f32 + size;
    // The first baseline: the block centred, cap height about 0.73 em.
    let top = TITLE_TOP + ((TITLE_BOTTOM - TITLE_TOP) - block) / 2.0 + size * 0.8;
    CardContext {
        width: WIDTH,
        height: HEIGHT,
        site_title: xml_text(&config.title),
        site_host: config
            .base_url
            .split_once("://")
            .map_or(config.base_url.as_str(), |(_, host)| host)
            .trim_end_matches('/')
            .to_string(),
        title,
        title_lines: lines
            .into_iter()
            .enumerate()
            .map(|(i, text)| TitleLine {
                text,
                y: (top + step * i as f32).round(),
            })
            .collect(),
        title_size: size,
        x: TITLE_X,
        date: page.date,
        author: xml_text(&config.author),
        font_family: FONT_FAMILY,
    }
}

/// Advance widths of the bold face at one size.
struct Measure<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    metrics: skrifa::metrics::GlyphMetrics<'a>,
}

impl Measure<'_> {
    fn width(&self, text: &str) -> f32 {
        text.chars()
            .map(|c| {
                let glyph = self.charmap.map(c).unwrap_or_default();
                self.metrics.advance_width(glyph).unwrap_or_default()
            })
            .sum()
    }
}

fn measure(size: f32) -> Option<Measure<'static>> {
    use skrifa::MetadataProvider;
    let font = skrifa::FontRef::new(BOLD).ok()?;
    Some(Measure {
        charmap: font.charmap(),
        metrics: font.glyph_metrics(
            skrifa::instance::Size::new(size),
            skrifa::instance::LocationRef::default(),
        ),
    })
}

/// Wraps `title` at spaces (and inside a word too long for a line) to fit
/// `TITLE_WIDTH`, at the largest size that fits on `MAX_LINES` lines; at
/// the smallest, the last line ends with `…`.
pub fn wrap_title(title: &str) -> (Vec<String>, f32) {
    // Three lines never hold 600 characters (the narrowest glyph is a
    // third of an em); what is beyond would only make wrapping slow.
    let title: String = title.chars().take(600).collect();
    let words: Vec<&str> = title.split_whitespace().collect();
    for (i, &size) in TITLE_SIZES.iter().enumerate() {
        let Some(m) = measure(size) else {
            return (vec![title], size);
        };
        let lines = wrap(&words, &m);
        let last = i + 1 == TITLE_SIZES.len();
        if lines.len() <= MAX_LINES {
            return (lines, size);
        }
        if last {
            let mut kept: Vec<String> = lines[..MAX_LINES].to_vec();
            // No line holds 200 characters at this size; a longer rest
            // would only make the cutting slow.
            let rest: String = lines[MAX_LINES - 1..].join(" ").chars().take(200).collect();
            kept[MAX_LINES - 1] = ellipsise(&rest, &m);
            return (kept, size);
        }
    }
    (Vec::new(), TITLE_SIZES[0])
}

fn wrap(words: &[&str], m: &Measure) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if m.width(&candidate) <= TITLE_WIDTH {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than a line (a URL, text without spaces) is broken
        // between characters.
        for c in word.chars() {
            let mut next = line.clone();
            next.push(c);
            if m.width(&next) > TITLE_WIDTH && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                next = c.to_string();
            }
            line = next;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The longest start of `text` that fits with `…` after it: whole words
/// when at least half the line is left so, else cut inside a word.
fn ellipsise(text: &str, m: &Measure) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    for n in (1..words.len()).rev() {
        let with = format!(
            "{}…",
            words[..n]
                .join(" ")
                .trim_end_matches([',', ';', ':', '.', ' '])
        );
        if m.width(&with) <= TITLE_WIDTH {
            if m.width(&with) >= TITLE_WIDTH / 2.0 {
                return with;
            }
            break;
        }
    }
    let mut cut: Vec<char> = text.chars().collect();
    loop {
        let s: String = cut.iter().collect::<String>().trim_end().to_string();
        let with = format!("{s}…");
        if m.width(&with) <= TITLE_WIDTH || cut.is_empty() {
            return with;
        }
        cut.pop();
    }
}

/// Draws SVG text with the built-in fonts only.
pub struct Painter {
    options: usvg::Options<'static>,
    /// SHA-256 of the version and the font bytes: part of every cache key.
    fonts_digest: [u8; 32],
}

impl Default for Painter {
    fn default() -> Self {
        Painter::new()
    }
}

impl Painter {
    pub fn new() -> Painter {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        db.set_cursive_family(FONT_FAMILY);
        db.set_fantasy_family(FONT_FAMILY);
        let options = usvg::Options {
            font_family: FONT_FAMILY.into(),
            fontdb: Arc::new(db),
            resources_dir: None,
            // Inline images only: a card never reads a file or the network.
            image_href_resolver: usvg::ImageHrefResolver {
                resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
                resolve_string: Box::new(|_, _| None),
            },
            ..usvg::Options::default()
        };
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(CACHE_VERSION.as_bytes());
        ctx.update(REGULAR);
        ctx.update(BOLD);
        let mut fonts_digest = [0; 32];
        fonts_digest.copy_from_slice(ctx.finish().as_ref());
        Painter {
            options,
            fonts_digest,
        }
    }

    /// The cache key of a card drawn from `svg`.
    pub fn key(&self, svg: &str) -> [u8; 32] {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(&self.fonts_digest);
        ctx.update(svg.as_bytes());
        let mut key = [0; 32];
        key.copy_from_slice(ctx.finish().as_ref());
        key
    }

    /// `svg` drawn to a 1200×630 PNG (scaled to fit, whatever its own size).
    /// An SVG that does not parse is an error with its line and column.
    pub fn paint(&self, svg: &str) -> Result<Vec<u8>, PaintError> {
        let tree = usvg::Tree::from_str(svg, &self.options).map_err(|e| match e {
            usvg::Error::ParsingFailed(xml) => {
                let pos = xml.pos();
                PaintError {
                    message: xml.to_string(),
                    position: Some((pos.row as usize, pos.col as usize)),
                }
            }
            other => PaintError {
                message: other.to_string(),
                position: None,
            },
        })?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or(PaintError {
            message: "cannot allocate the image".into(),
            position: None,
        })?;
        let size = tree.size();
        let transform = resvg::tiny_skia::Transform::from_scale(
            WIDTH as f32 / size.width(),
            HEIGHT as f32 / size.height(),
        );
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        pixmap.encode_png().map_err(|e| PaintError {
            message: e.to_string(),
            position: None,
        })
    }
}

#[derive(Debug)]
pub struct PaintError {
    pub message: String,
    /// Line and column in the SVG text, 1-based.
    pub position: Option<(usize, usize)>,
}

/// Drawn cards kept between builds, one file per card: the SHA-256 of the
/// PNG, then the PNG.
pub struct CardCache {
    dir: Option<PathBuf>,
    used: std::sync::Mutex<std::collections::HashSet<String>>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl CardCache {
    /// Cards under `cache_dir` (the site's cache folder); `None` keeps none.
    pub fn new(cache_dir: Option<&Path>) -> CardCache {
        CardCache {
            dir: cache_dir.map(|d| d.join(CACHE_DIR)),
            used: Default::default(),
        }
    }

    fn file(&self, key: &[u8; 32]) -> Option<PathBuf> {
        let name = format!("{}.png", hex(key));
        if let Ok(mut used) = self.used.lock() {
            used.insert(name.clone());
        }
        Some(self.dir.as_ref()?.join(name))
    }

    /// The cached PNG for `key`, when its file is whole.
    pub fn get(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.file(key)?).ok()?;
        let (digest, png) = bytes.split_at_checked(32)?;
        (ring::digest::digest(&ring::digest::SHA256, png).as_ref() == digest).then(|| png.to_vec())
    }

    /// Keeps `png` for `key`; the cache only saves time, so failures are
    /// ignored.
    pub fn put(&self, key: &[u8; 32], png: &[u8]) {
        let Some(path) = self.file(key) else {
            return;
        };
        let write = || -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let tmp = path.with_extension(format!(
                "tmp{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let digest = ring::digest::digest(&ring::digest::SHA256, png);
            std::fs::write(&tmp, [digest.as_ref(), png].concat())?;
            std::fs::rename(&tmp, &path)
        };
        let _ = write();
    }

    /// Removes the cards this build did not use, so the folder never
    /// outgrows the site.
    pub fn prune(&self) {
        let (Some(dir), Ok(used)) = (&self.dir, self.used.lock()) else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !used.contains(name.to_string_lossy().as_ref()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// How many cards a build drew and how many it took from the cache.
#[derive(Default)]
pub struct Counts {
    pub drawn: AtomicUsize,
    pub cached: AtomicUsize,
}

/// A card's PNG for the SVG `svg` rendered from `template` (the file named
/// in errors): from the cache when it holds it whole, else drawn and kept.
pub fn png_for(
    svg: &str,
    template: &Path,
    painter: &Painter,
    cache: &CardCache,
    counts: &Counts,
) -> Result<Vec<u8>, Diagnostic> {
    let key = painter.key(svg);
    if let Some(png) = cache.get(&key) {
        counts.cached.fetch_add(1, Ordering::Relaxed);
        return Ok(png);
    }
    let png = painter.paint(svg).map_err(|e| {
        let mut d = Diagnostic::new(
            template,
            match e.position {
                Some((line, col)) => format!(
                    "the social card SVG this template renders is not valid (at line {line}, column {col} of the rendered SVG): {}",
                    e.message
                ),
                None => format!("the social card SVG this template renders cannot be drawn: {}", e.message),
            },
        )
        .hint("the template must render one well-formed <svg> element with a width and height (or a viewBox); text goes through {{ }}, which escapes it");
        if let Some((line, col)) = e.position {
            d = d.at(line, col);
        }
        d
    })?;
    counts.drawn.fetch_add(1, Ordering::Relaxed);
    cache.put(&key, &png);
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config {
            base_url: "https://example.com".into(),
            ..Config::default()
        }
    }

    #[test]
    fn relative_images_resolve_against_the_page() {
        let c = config();
        assert_eq!(
            absolute_url(&c, "/posts/a/", "photo.jpg"),
            "https://example.com/posts/a/photo.jpg"
        );
        assert_eq!(
            absolute_url(&c, "/posts/a/", "./img/p.png?x=1"),
            "https://example.com/posts/a/img/p.png?x=1"
        );
        assert_eq!(
            absolute_url(&c, "/posts/a/", "../b/p.png"),
            "https://example.com/posts/b/p.png"
        );
        assert_eq!(
            absolute_url(&c, "/about.html", "me.jpg"),
            "https://example.com/me.jpg"
        );
        assert_eq!(
            absolute_url(&c, "/posts/a/", "/images/x.png"),
            "https://example.com/images/x.png"
        );
        assert_eq!(
            absolute_url(&c, "/posts/a/", "https://cdn.example.org/x.png"),
            "https://cdn.example.org/x.png"
        );
        assert_eq!(
            absolute_url(&c, "/posts/a/", "//cdn.example.org/x.png"),
            "https://cdn.example.org/x.png"
        );
    }

    #[test]
    fn titles_wrap_shrink_and_are_cut_within_the_box() {
        let (lines, size) = wrap_title("Short");
        assert_eq!((lines, size), (vec!["Short".to_string()], TITLE_SIZES[0]));
        let long = "A remarkably long title about static site generators that keeps going and going well past any reasonable length for a headline";
        let (lines, size) = wrap_title(long);
        assert_eq!(lines.len(), MAX_LINES);
        assert_eq!(size, *TITLE_SIZES.last().expect("sizes"));
        assert!(lines[MAX_LINES - 1].ends_with('…'), "{lines:?}");
        let m = measure(size).expect("font");
        for line in &lines {
            assert!(m.width(line) <= TITLE_WIDTH, "{line} overflows");
        }
        let (lines, _) = wrap_title(&"word ".repeat(20_000));
        assert_eq!(lines.len(), MAX_LINES);
        let unbroken = "x".repeat(200);
        let (lines, size) = wrap_title(&unbroken);
        let m = measure(size).expect("font");
        assert!(lines.len() <= MAX_LINES);
        assert!(lines.iter().all(|l| m.width(l) <= TITLE_WIDTH));
        // A title that needs two lines at the largest size keeps it.
        let (lines, size) = wrap_title("Seven habits of highly effective people");
        assert_eq!(size, TITLE_SIZES[0]);
        assert_eq!(lines.len(), 2, "{lines:?}");
    }

    #[test]
    fn control_characters_never_reach_the_svg() {
        assert_eq!(xml_text("a\u{1}b\u{FFFF}\tc"), "ab c");
    }

    #[test]
    fn a_damaged_cache_entry_is_drawn_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = CardCache::new(Some(dir.path()));
        let key = [7u8; 32];
        cache.put(&key, b"png bytes");
        assert_eq!(cache.get(&key).as_deref(), Some(&b"png bytes"[..]));
        let file = cache.file(&key).expect("file");
        let bytes = std::fs::read(&file).expect("read");
        std::fs::write(&file, &bytes[..bytes.len() - 2]).expect("truncate");
        assert_eq!(cache.get(&key), None);
        std::fs::write(&file, b"short").expect("write");
        assert_eq!(cache.get(&key), None);
    }

    #[test]
    fn broken_svg_reports_its_position() {
        let painter = Painter::new();
        let e = painter
            .paint("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n<text>a</txet></svg>")
            .expect_err("broken");
        assert_eq!(e.position.map(|p| p.0), Some(2), "{e:?}");
        let png = painter
            .paint("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><text x=\"1\" y=\"8\">😀 שלום</text></svg>")
            .expect("missing glyphs and RTL text draw");
        assert!(png.starts_with(b"\x89PNG"));
    }
}
