//! `blog import … --media`: the images the imported posts show, downloaded
//! into the new site beside each post. A step over the `Plan` a reader made,
//! run before the site is written, for every content file whose text the
//! reader wrote (an export's posts): it takes the plan and returns it with
//! each post that got an image made a page bundle (`posts/slug.md` →
//! `posts/slug/index.md`, the images beside it) and the image's links
//! rewritten to the file's name there.
//!
//! Images are found in a post's markdown (`![alt](url "title")`), in HTML
//! left in it (`<img src>`), in `{{ figure(src="…") }}` calls and in the
//! front matter's `image` (top level or under `[extra]`), never inside code.
//! Only http and https URLs are fetched (a URL from the site's root is read
//! on its `base_url`); each distinct URL once, by `jobs` threads at most.
//! A failure never fails the import: the post keeps the remote link and the
//! report says why. Without `--media`, `note_remote` only says which posts'
//! images still point at the old host.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pulldown_cmark::{Event, Options as MdOptions, Parser, Tag};

use super::fetch::{Failure, Fetcher};
use super::{Note, Plan};

/// How images are downloaded; `download` is `--media`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub download: bool,
    /// Requests at once.
    pub jobs: usize,
    /// For each whole request.
    pub timeout: Duration,
    /// Bytes, per file.
    pub max_size: u64,
    /// Draw a progress line (on a terminal).
    pub progress: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            download: false,
            jobs: 8,
            timeout: Duration::from_secs(30),
            max_size: 20_000_000,
            progress: false,
        }
    }
}

/// Distinct URLs downloaded, and those that failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub fetched: usize,
    pub failed: usize,
}

/// One image link in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    /// The URL as written, to be replaced.
    span: Range<usize>,
    /// What it points at.
    url: String,
}

/// What a URL as written is, to the downloader.
#[derive(Debug, PartialEq, Eq)]
enum Address {
    /// An absolute http(s) URL to fetch.
    Web(String),
    /// Another scheme (`file:`, `ftp:`, `data:`): never fetched.
    Refused(String),
    /// A link inside the site (`photo.jpg`, `#x`): not the downloader's.
    Local,
}

/// `https://example.com` of a base URL, when it is an http(s) one.
fn origin(base_url: &str) -> Option<&str> {
    let (scheme, rest) = base_url.split_once("://")?;
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return None;
    }
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    (host_len > 0).then(|| &base_url[..scheme.len() + 3 + host_len])
}

/// `url` as written in a post whose old address was `page` (absolute),
/// on a site at `base_url`.
fn address(url: &str, base_url: Option<&str>, page: Option<&str>) -> Address {
    let url = url.trim();
    if let Some(rest) = url.strip_prefix("//") {
        let scheme = base_url
            .and_then(|b| b.split_once("://"))
            .map_or("https", |(s, _)| s);
        return Address::Web(format!("{scheme}://{rest}"));
    }
    let scheme_len = url
        .find(':')
        .filter(|&i| {
            i > 0
                && url[..i].starts_with(|c: char| c.is_ascii_alphabetic())
                && url[..i]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        })
        .filter(|&i| !url[..i].contains(['/', '?', '#']));
    match scheme_len {
        Some(i) => match url[..i].to_ascii_lowercase().as_str() {
            "http" | "https" if url[i + 1..].starts_with("//") => Address::Web(url.to_string()),
            _ => Address::Refused(url.to_string()),
        },
        None if url.starts_with('/') => match base_url.and_then(origin) {
            Some(origin) => Address::Web(format!("{origin}{url}")),
            None => Address::Local,
        },
        None if url.is_empty() || url.starts_with(['#', '?']) => Address::Local,
        // `photo.jpg`, `../img/a.png`: beside the post on the old site.
        None => match page.filter(|p| origin(p).is_some()) {
            Some(page) => Address::Web(join(page, url)),
            None => Address::Local,
        },
    }
}

/// A relative `url` read from the absolute `page`'s folder, `..` and `.`
/// resolved (never above the host).
fn join(page: &str, url: &str) -> String {
    let page = page.split(['?', '#']).next().unwrap_or(page);
    let host_end = origin(page).map_or(0, str::len);
    let (host, path) = page.split_at(host_end);
    let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    let (rel, rest) = match url.find(['?', '#']) {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    for part in rel.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("{host}/{}{rest}", parts.join("/"))
}

/// The post's old address, absolute, when the reader knows it.
fn page_url(base: Option<&str>, old_url: Option<&str>) -> Option<String> {
    Some(format!("{}{}", base?.trim_end_matches('/'), old_url?))
}

/// Every image link in `text` (front matter and body), in order.
fn find_images(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let Ok(split) = crate::content::front_matter::split(text) else {
        return found;
    };
    let at = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
    // Front matter: `image = "…"` (or '…'), at the top or under [extra].
    if split.format == Some(crate::content::front_matter::Format::Toml) {
        let start = at(split.front_matter);
        let mut section = "";
        let mut offset = start;
        for line in split.front_matter.split_inclusive('\n') {
            let trimmed = line.trim();
            if trimmed.starts_with('[') {
                section = trimmed;
            } else if section.is_empty() || section == "[extra]" {
                if let Some(value) = trimmed
                    .strip_prefix("image")
                    .map(str::trim_start)
                    .and_then(|v| v.strip_prefix('='))
                    .map(str::trim)
                {
                    let quote = value.chars().next();
                    let inner = value
                        .strip_prefix(['"', '\''])
                        .and_then(|v| v.strip_suffix(['"', '\'']));
                    if let (Some(inner), Some('"' | '\'')) = (inner, quote) {
                        // A URL needs no escapes; one with them is left alone.
                        if !inner.contains(['\\', '"', '\'']) {
                            let from = offset + line.find(inner).unwrap_or(0);
                            found.push(Found {
                                span: from..from + inner.len(),
                                url: inner.to_string(),
                            });
                        }
                    }
                }
            }
            offset += line.len();
        }
    }
    let body_start = at(split.body);
    let body = split.body;
    // Code (blocks and spans), which the HTML and call scans below skip.
    let mut code: Vec<Range<usize>> = Vec::new();
    // Markdown images, and links to an image file (the full size of a
    // picture shown smaller), whose destination is the last `](` of it.
    let mut options = MdOptions::empty();
    options.insert(MdOptions::ENABLE_TABLES);
    options.insert(MdOptions::ENABLE_FOOTNOTES);
    options.insert(MdOptions::ENABLE_STRIKETHROUGH);
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let (dest_url, is_link) = match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => {
                code.push(range);
                continue;
            }
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Link { dest_url, .. }) if names_an_image(&dest_url) => {
                (dest_url, true)
            }
            _ => continue,
        };
        if dest_url.is_empty() {
            continue;
        }
        let written = &body[range.clone()];
        // The destination after the `](` whose text starts with it.
        let mut starts: Vec<usize> = written.match_indices("](").map(|(i, _)| i + 2).collect();
        if is_link {
            // `[![a](small.jpg)](large.jpg)`: the link's is the last.
            starts.reverse();
        }
        for dest_at in starts {
            let rest = &written[dest_at..];
            let lead = rest.len() - rest.trim_start().len();
            let rest = rest.trim_start();
            let (lead, rest) = match rest.strip_prefix('<') {
                Some(r) => (lead + 1, r),
                None => (lead, rest),
            };
            if rest.starts_with(&*dest_url) {
                let s = body_start + range.start + dest_at + lead;
                found.push(Found {
                    span: s..s + dest_url.len(),
                    url: dest_url.to_string(),
                });
                break;
            }
        }
    }
    let in_code = |i: usize| code.iter().any(|r| r.contains(&i));
    // `<img … src="…">` and `{{ figure(… src="…") }}`.
    let lower = body.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img") {
        let tag_at = from + i;
        from = tag_at + 4;
        if in_code(tag_at) {
            continue;
        }
        let end = lower[tag_at..].find('>').map_or(body.len(), |e| tag_at + e);
        if let Some((span, url)) = attribute_value(body, &lower, tag_at..end, "src") {
            let url = html_escape::decode_html_entities(&url).into_owned();
            if url.contains('&') || !body[span.clone()].contains('&') {
                found.push(Found {
                    span: body_start + span.start..body_start + span.end,
                    url,
                });
            }
        }
    }
    let mut from = 0;
    while let Some(i) = body[from..].find("{{") {
        let call_at = from + i;
        from = call_at + 2;
        let after = body[call_at + 2..].trim_start();
        if !after.starts_with("figure(") || in_code(call_at) {
            continue;
        }
        let end = body[call_at..]
            .find("}}")
            .map_or(body.len(), |e| call_at + e);
        if let Some((span, url)) = attribute_value(body, body, call_at..end, "src") {
            // Written by `shortcode_call`, which escapes `\` and `"`.
            if !url.contains('\\') {
                found.push(Found {
                    span: body_start + span.start..body_start + span.end,
                    url,
                });
            }
        }
    }
    found.sort_by_key(|f| f.span.start);
    found.dedup_by_key(|f| f.span.start);
    found
}

/// A URL whose path ends in an image's extension (`a.JPG?w=2`).
fn names_an_image(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or("");
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
            && ext != "img"
    })
}

/// The quoted value of `name=` inside `within` (a tag or a call):
/// its range in `text` and the value.
fn attribute_value(
    text: &str,
    lower: &str,
    within: Range<usize>,
    name: &str,
) -> Option<(Range<usize>, String)> {
    let part = &lower[within.clone()];
    let mut from = 0;
    while let Some(i) = part[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = part[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_whitespace() || c == '(' || c == ',');
        let rest = part[at + name.len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let value_at = within.start + (part.len() - rest.len()) + 1;
        let len = text[value_at..within.end].find(quote)?;
        return Some((
            value_at..value_at + len,
            text[value_at..value_at + len].to_string(),
        ));
    }
    None
}

/// The image's kind from its first bytes: its file extension.
fn sniff(head: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("gif")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("webp")
    } else if head.len() >= 12
        && &head[4..8] == b"ftyp"
        && matches!(&head[8..12], b"avif" | b"avis")
    {
        Some("avif")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some("tiff")
    } else if starts(b"BM") {
        Some("bmp")
    } else if starts(&[0, 0, 1, 0]) {
        Some("ico")
    } else {
        let text = String::from_utf8_lossy(head).to_ascii_lowercase();
        let text = text.trim_start_matches('\u{feff}').trim_start();
        let svg = text.starts_with("<svg")
            || (text.starts_with("<?xml") && text.contains("<svg"))
            || (text.starts_with("<!doctype svg") && text.contains("<svg"));
        svg.then_some("svg")
    }
}

/// The extension of an image media type (`image/jpeg` → `jpg`).
fn extension_of(content_type: &str) -> Option<&'static str> {
    Some(match content_type.strip_prefix("image/")? {
        "png" | "apng" => "png",
        "jpeg" | "jpg" | "pjpeg" => "jpg",
        "gif" => "gif",
        "webp" => "webp",
        "avif" => "avif",
        "svg+xml" => "svg",
        "bmp" | "x-ms-bmp" => "bmp",
        "x-icon" | "vnd.microsoft.icon" => "ico",
        "tiff" => "tiff",
        _ => "img",
    })
}

const IMAGE_EXTENSIONS: [&str; 12] = [
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp", "ico", "tif", "tiff", "img",
];

/// A safe file name in a bundle for `url`: its last path segment
/// (percent-decoded, plain ASCII, only letters, digits, `.`, `-`, `_`),
/// ending in an image extension (`ext` when it has none).
fn file_name(url: &str, ext: &str) -> String {
    let after_host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let path = after_host.split(['?', '#']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    let ascii = deunicode::deunicode(&decoded);
    let mut name = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        };
        if c == '-' && name.ends_with('-') {
            continue;
        }
        name.push(c);
    }
    let name = name
        .trim_start_matches(['.', '-'])
        .trim_end_matches(['.', '-']);
    let (stem, own_ext) = match name.rsplit_once('.') {
        Some((stem, e)) if IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()) => {
            (stem, e.to_ascii_lowercase())
        }
        _ => (name, ext.to_string()),
    };
    let stem: String = stem.trim_end_matches(['.', '-']).chars().take(80).collect();
    let stem = if stem.is_empty() {
        "image".to_string()
    } else {
        stem
    };
    format!("{stem}.{own_ext}")
}

/// `name.png`, else `name-2.png`, `name-3.png`, … not in `taken` (by
/// lowercase, for file systems that ignore case).
fn unique_in(taken: &mut BTreeSet<String>, name: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut candidate = name.to_string();
    let mut n = 2;
    while !taken.insert(candidate.to_ascii_lowercase()) {
        candidate = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    candidate
}

/// A downloaded image: its file in the downloads folder and extension.
struct Downloaded {
    file: PathBuf,
    ext: &'static str,
}

/// Fetches `url` into `file`, as an image.
fn download(fetcher: &Fetcher, url: &str, file: &Path, limit: u64) -> Result<&'static str, String> {
    let fetched = fetcher.get(url, limit, file).map_err(|f| f.to_string())?;
    let mut head = [0u8; 512];
    let n = std::fs::File::open(file)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .map_err(|e| format!("cannot read the download: {e}"))?;
    let sniffed = sniff(&head[..n]);
    let typed = fetched.content_type.as_deref().and_then(extension_of);
    match (typed, sniffed) {
        (Some(_), Some(ext)) | (None, Some(ext)) => Ok(ext),
        (Some(ext), None) => Ok(ext),
        (None, None) => {
            let _ = std::fs::remove_file(file);
            let sent = fetched
                .content_type
                .filter(|t| !t.is_empty())
                .map_or(String::new(), |t| format!(" (the server sent {t})"));
            Err(format!("not an image{sent}"))
        }
    }
}

/// A post's name in the report: its title and where it is written.
fn label(text: &str, dest: &Path) -> String {
    let title = crate::content::front_matter::split(text)
        .ok()
        .and_then(|s| s.front_matter.parse::<toml::Table>().ok())
        .and_then(|t| t.get("title").and_then(|v| v.as_str()).map(str::to_string));
    let place = format!("content/{}", super::slashed(dest));
    match title {
        Some(title) => format!("“{title}” ({place})"),
        None => place,
    }
}

fn base_url(plan: &Plan) -> Option<String> {
    plan.config
        .get("base_url")
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Without `--media`: one note on the posts whose images are still on
/// the web, with a count and the first few.
pub fn note_remote(plan: &mut Plan, src: &Path) {
    let base = base_url(plan);
    let mut posts: Vec<Option<String>> = Vec::new();
    let mut images = BTreeSet::new();
    let mut source = None;
    for file in &plan.content {
        let Some(text) = &file.text else { continue };
        let page = page_url(base.as_deref(), file.old_url.as_deref());
        let web: Vec<String> = find_images(text)
            .into_iter()
            .filter_map(
                |f| match address(&f.url, base.as_deref(), page.as_deref()) {
                    Address::Web(url) => Some(url),
                    _ => None,
                },
            )
            .collect();
        if web.is_empty() {
            continue;
        }
        source.get_or_insert_with(|| file.source.clone());
        // Only the first few are named.
        posts.push((posts.len() < 3).then(|| label(text, &file.dest)));
        images.extend(web);
    }
    let Some(source) = source else { return };
    let count = crate::diagnostics::count;
    let mut first: Vec<String> = posts.iter().take(3).flatten().cloned().collect();
    if posts.len() > 3 {
        first.push(format!("and {} more", posts.len() - 3));
    }
    plan.notes.push(Note::new(
        source.strip_prefix(src).unwrap_or(&source),
        format!(
            "{} of {} still point at the old host ({}): import again with --media to download them beside each post",
            count(images.len(), "image"),
            count(posts.len(), "post"),
            first.join(", ")
        ),
    ));
}

/// With `--media`: downloads every image of the plan's posts into
/// `downloads` (a scratch folder), then into each post's bundle under
/// `staging`/content, and rewrites the plan's texts and places.
pub fn download_all(
    plan: &mut Plan,
    src: &Path,
    settings: &Settings,
    downloads: &Path,
    staging: &Path,
) -> Result<Tally, crate::diagnostics::Diagnostic> {
    let io = |path: &Path, e: std::io::Error| {
        crate::diagnostics::Diagnostic::new(path, format!("cannot write: {e}"))
    };
    let base = base_url(plan);
    std::fs::create_dir_all(downloads).map_err(|e| io(downloads, e))?;
    // Every post's images, and each distinct URL once.
    let mut per_file: Vec<Vec<(Found, Address)>> = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for file in &plan.content {
        let found = match (&file.text, file.dest.file_name()) {
            (Some(_), Some(n)) if n == "_index.md" => Vec::new(),
            (Some(text), _) if super::is_markdown(&file.dest) => find_images(text),
            _ => Vec::new(),
        };
        let page = page_url(base.as_deref(), file.old_url.as_deref());
        let mut here = Vec::new();
        for f in found {
            let address = address(&f.url, base.as_deref(), page.as_deref());
            if let Address::Web(url) = &address {
                if !index_of.contains_key(url) {
                    index_of.insert(url.clone(), urls.len());
                    urls.push(url.clone());
                }
            }
            here.push((f, address));
        }
        per_file.push(here);
    }

    let fetcher = Fetcher::new(settings.timeout);
    let next = AtomicUsize::new(0);
    let progress = crate::progress::Progress::start(settings.progress, "Downloading images");
    progress.set_total(urls.len());
    let results: Vec<(usize, Result<Downloaded, String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..settings.jobs.clamp(1, 64).min(urls.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(url) = urls.get(i) else {
                            return done;
                        };
                        let file = downloads.join(i.to_string());
                        let result = download(&fetcher, url, &file, settings.max_size)
                            .map(|ext| Downloaded { file, ext });
                        done.push((i, result));
                        progress.tick();
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    drop(progress);
    let mut outcome: Vec<Option<Result<Downloaded, String>>> = urls.iter().map(|_| None).collect();
    for (i, result) in results {
        outcome[i] = Some(result);
    }
    let tally = Tally {
        fetched: outcome.iter().filter(|o| matches!(o, Some(Ok(_)))).count(),
        failed: outcome.iter().filter(|o| !matches!(o, Some(Ok(_)))).count(),
    };

    // Places taken by other content files, which a bundle must not cover.
    let dests: BTreeSet<PathBuf> = plan.content.iter().map(|f| f.dest.clone()).collect();
    let mut notes = Vec::new();
    let places = &plan.places;
    for (file, found) in plan.content.iter_mut().zip(per_file) {
        let Some(text) = file.text.as_mut() else {
            continue;
        };
        if found.is_empty() {
            continue;
        }
        let shown = file
            .source
            .strip_prefix(src)
            .unwrap_or(&file.source)
            .to_path_buf();
        let is_index = file.dest.file_name().is_some_and(|n| n == "index.md");
        let bundle = if is_index {
            file.dest
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        } else {
            file.dest.with_extension("")
        };
        let folder_taken = !is_index
            && dests
                .iter()
                .any(|d| d.starts_with(&bundle) && *d != file.dest);
        // A reader's place with `..` or a root (none of ours makes one)
        // is never a folder to write in.
        let folder_taken = folder_taken
            || !bundle
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        // Where the post is written: a bundle when an image came.
        let any_came = found.iter().any(|(_, a)| match a {
            Address::Web(url) => matches!(outcome[index_of[url]], Some(Ok(_))),
            _ => false,
        });
        let final_dest = if any_came && !folder_taken {
            bundle.join("index.md")
        } else {
            file.dest.clone()
        };
        // As the reader's notes name it, else by its title and place.
        let (line, name) = match places.get(&file.view) {
            Some(place) => (place.line, place.label.clone()),
            None => (None, label(text, &final_dest)),
        };
        let note = |message: String| Note {
            path: shown.clone(),
            line,
            message,
        };
        let mut taken = BTreeSet::new();
        let mut named: BTreeMap<usize, String> = BTreeMap::new();
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        for (f, address) in found {
            let url = match address {
                Address::Local => continue,
                Address::Refused(url) => {
                    notes.push(note(format!(
                            "{name}: its image {url} is not fetched: only http and https images are downloaded; the link is kept as written"
                        ),
                    ));
                    continue;
                }
                Address::Web(url) => url,
            };
            let i = index_of[&url];
            match &outcome[i] {
                Some(Ok(downloaded)) if !folder_taken => {
                    let local = match named.get(&i) {
                        Some(local) => local.clone(),
                        None => {
                            let local = unique_in(&mut taken, &file_name(&url, downloaded.ext));
                            let to = staging.join("content").join(&bundle).join(&local);
                            if let Some(parent) = to.parent() {
                                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
                            }
                            std::fs::copy(&downloaded.file, &to).map_err(|e| io(&to, e))?;
                            named.insert(i, local.clone());
                            local
                        }
                    };
                    edits.push((f.span, local));
                }
                failed => {
                    let why = match failed {
                        Some(Ok(_)) => format!(
                            "is not stored: the post cannot be a bundle at content/{}/ (other pages are there)",
                            super::slashed(&bundle)
                        ),
                        Some(Err(why)) => format!("was not downloaded ({why})"),
                        None => "was not downloaded".to_string(),
                    };
                    notes.push(note(format!(
                        "{name}: its image {url} {why}: it still points there"
                    )));
                    // A link from the old site's root would not answer in
                    // the new one: it names the old host.
                    if f.url != url {
                        edits.push((f.span, url));
                    }
                }
            }
        }
        if edits.is_empty() {
            continue;
        }
        for (span, local) in edits.into_iter().rev() {
            text.replace_range(span, &local);
        }
        file.dest = final_dest;
    }
    plan.notes.extend(notes);
    Ok(tally)
}

/// The size limit of a feed fetched from its URL.
pub const FEED_LIMIT: u64 = 50_000_000;

/// Fetches the feed at `url` into `file`.
pub fn fetch_feed(url: &str, timeout: Duration, file: &Path) -> Result<(), String> {
    Fetcher::new(timeout)
        .get(url, FEED_LIMIT, file)
        .map(drop)
        .map_err(|f: Failure| f.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_found_in_markdown_html_figures_and_front_matter_not_in_code() {
        let text = "+++\ntitle = \"T\"\n\n[extra]\nimage = \"https://x.org/feat.jpg\"\n+++\n\n![a [b]](https://x.org/a.png \"t\") and <img alt=x src='/b.gif'>\n\n{{ figure(src=\"https://x.org/c.png\", alt=\"C\") }}\n\n```\n![no](https://x.org/code.png)\n```\n\n`<img src=\"https://x.org/span.png\">`\n";
        let urls: Vec<String> = find_images(text).into_iter().map(|f| f.url).collect();
        assert_eq!(
            urls,
            [
                "https://x.org/feat.jpg",
                "https://x.org/a.png",
                "/b.gif",
                "https://x.org/c.png"
            ]
        );
        for f in find_images(text) {
            assert_eq!(&text[f.span], f.url);
        }
    }

    #[test]
    fn a_link_to_an_image_file_is_one_and_a_link_to_a_page_is_not() {
        let text = "[![small](https://x.org/a-300x200.jpg)](https://x.org/a.jpg) [![same](https://x.org/b.png)](https://x.org/b.png) [page](https://x.org/post/) [pdf](https://x.org/c.pdf)\n";
        let found = find_images(text);
        let urls: Vec<&str> = found.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://x.org/a-300x200.jpg",
                "https://x.org/a.jpg",
                "https://x.org/b.png",
                "https://x.org/b.png"
            ]
        );
        for f in &found {
            assert_eq!(&text[f.span.clone()], f.url);
        }
        // Two places, one for the picture and one for the link.
        assert_ne!(found[2].span, found[3].span);
    }

    #[test]
    fn only_http_and_https_are_fetched_and_root_links_use_the_base_url() {
        let base = Some("https://ex.com/blog");
        assert_eq!(
            address("/a.png", base, None),
            Address::Web("https://ex.com/a.png".into())
        );
        assert_eq!(
            address("//cdn.org/a.png", base, None),
            Address::Web("https://cdn.org/a.png".into())
        );
        for refused in [
            "file:///etc/passwd",
            "ftp://x/a.png",
            "data:image/png;base64,AA",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                address(refused, base, None),
                Address::Refused(refused.into())
            );
        }
        assert_eq!(address("a.png", base, None), Address::Local);
        assert_eq!(address("/a.png", None, None), Address::Local);
        // Beside the post on the old site.
        let page = Some("https://ex.com/blog/2024/03/pics/");
        assert_eq!(
            address("a.png?v=2", base, page),
            Address::Web("https://ex.com/blog/2024/03/pics/a.png?v=2".into())
        );
        assert_eq!(
            address("../../../../../up.png", base, page),
            Address::Web("https://ex.com/up.png".into())
        );
        assert_eq!(
            address("./img/b.png", base, Some("https://ex.com/old/post.html")),
            Address::Web("https://ex.com/old/img/b.png".into())
        );
        assert_eq!(address("#top", base, page), Address::Local);
    }

    #[test]
    fn file_names_stay_in_the_bundle() {
        assert_eq!(file_name("http://h/..%2F..%2Fx.png?a=1", "png"), "x.png");
        assert_eq!(
            file_name("http://h/p/photo-300x200.JPG", "jpg"),
            "photo-300x200.jpg"
        );
        assert_eq!(file_name("http://h/", "gif"), "image.gif");
        assert_eq!(file_name("http://h/index.md", "png"), "index.md.png");
        assert_eq!(
            file_name("http://h/caf%C3%A9%20au%20lait.webp", "webp"),
            "cafe-au-lait.webp"
        );
        assert_eq!(file_name("http://h/get.php?id=3", "jpg"), "get.php.jpg");
        assert_eq!(file_name("http://h/..", "png"), "image.png");
        let mut taken = BTreeSet::new();
        assert_eq!(unique_in(&mut taken, "a.png"), "a.png");
        assert_eq!(unique_in(&mut taken, "A.png"), "A-2.png");
    }

    #[test]
    fn magic_bytes_tell_an_image_from_a_page() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><svg"), Some("svg"));
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), None);
    }
}
