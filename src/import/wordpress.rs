//! A WordPress export (WXR, the XML file of Tools → Export), as `blog
//! import` brings it over: the channel's title, link, description and
//! language into config.toml; each published or unpublished post and page
//! into a markdown file with front matter in `blog`'s keys, its HTML body
//! converted to markdown (`wordpress/body.rs`); the URL WordPress gave it
//! (its `<link>`) as its old URL; and `?p=ID` / `?page_id=ID` as Netlify
//! query redirects in static/_redirects. Attachments are read only to find
//! featured images and gallery pictures.
//!
//! The export is streamed: one item at a time is held as text.

mod body;

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

use super::front_matter::Native;
use super::{ContentFile, Note, Plan};
use crate::diagnostics::Diagnostic;

/// One `<item>` of the export, as written.
#[derive(Debug, Default)]
struct Item {
    /// Byte offset of its `<item>`, for the report's line numbers.
    offset: u64,
    title: String,
    link: String,
    id: String,
    date: String,
    date_gmt: String,
    name: String,
    status: String,
    kind: String,
    creator: String,
    content: String,
    excerpt: String,
    attachment_url: String,
    /// (domain, nicename, name)
    terms: Vec<(String, String, String)>,
    meta: Vec<(String, String)>,
}

#[derive(Debug, Default)]
struct Channel {
    title: String,
    link: String,
    description: String,
    language: String,
}

pub fn plan(export: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let (channel, items) = read_export(export).map_err(|d| vec![d])?;
    let shown = PathBuf::from(export.file_name().unwrap_or_default());
    let mut plan = Plan::default();

    let link = channel.link.trim_end_matches('/').to_string();
    let origin = origin_of(&link);
    let mut config = toml::Table::new();
    if !channel.title.is_empty() {
        config.insert("title".into(), channel.title.clone().into());
    }
    if !channel.description.is_empty() {
        config.insert("description".into(), channel.description.clone().into());
    }
    if link.starts_with("http") {
        config.insert("base_url".into(), link.clone().into());
    } else {
        plan.notes.push(Note::new(
            &shown,
            "the channel has no absolute <link>: set `base_url` in config.toml to the address the site is published at",
        ));
    }
    if !channel.language.is_empty() {
        config.insert("language".into(), channel.language.clone().into());
    }
    // The path WordPress lived under (`/blog`), which `blog` gives every URL
    // through base_url.
    let prefix = link.strip_prefix(&origin).unwrap_or("").to_string();

    let attachments: HashMap<&str, &Item> = items
        .iter()
        .filter(|i| i.kind == "attachment" && !i.attachment_url.is_empty())
        .map(|i| (i.id.as_str(), i))
        .collect();
    let mut lines = LineFinder::default();
    let mut pending_notes: Vec<(u64, String)> = Vec::new();
    let mut post_paths: Vec<String> = Vec::new();
    let mut unpublished = 0;
    let mut taken = std::collections::HashSet::new();
    let mut item_places = Vec::new();
    for item in &items {
        let is_page = match item.kind.as_str() {
            "post" => false,
            "page" => true,
            _ => continue,
        };
        let draft = item.status != "publish";
        if draft {
            unpublished += 1;
        }
        let slug = item_slug(item);
        let folder = if is_page { "" } else { "posts/" };
        // Two items of one slug (on other dates, or a post and a draft):
        // the later one is `-2`, its slug kept for its URL.
        let mut keep_slug = None;
        let (dest, renamed) = super::free_place(&mut taken, folder, &slug);
        if renamed {
            pending_notes.push((
                item.offset,
                format!(
                    "item {} “{}”: is written as content/{}: another item has its slug",
                    item.id,
                    item.title,
                    dest.display()
                ),
            ));
            keep_slug = Some(slug.clone());
        }
        let mut old_path = (!draft)
            .then(|| url_path(&item.link, &origin, &prefix))
            .flatten();
        if old_path.as_deref().is_some_and(|p| !safe_path(p)) {
            pending_notes.push((
                item.offset,
                format!(
                    "item {} “{}”: its address {} cannot be a page's place (it has `..`, a NUL or a backslash): not kept",
                    item.id, item.title, item.link
                ),
            ));
            old_path = None;
        }
        if let (false, Some(path)) = (is_page, &old_path) {
            post_paths.push(path.clone());
        }
        let mut old_queries = Vec::new();
        if !draft && !item.id.is_empty() {
            let key = if is_page { "page_id" } else { "p" };
            old_queries.push(format!("/ {key}={}", item.id));
        }
        let converted = body::convert(&item.content, &attachments);
        for message in converted.notes {
            pending_notes.push((
                item.offset,
                format!("item {} “{}”: {message}", item.id, item.title),
            ));
        }
        let mut front_matter = native(item, draft, &attachments);
        front_matter.slug = keep_slug;
        let text = super::front_matter::render(&front_matter, &converted.markdown);
        item_places.push((
            dest.clone(),
            item.offset,
            format!("item {} “{}”", item.id, item.title),
        ));
        plan.content.push(ContentFile {
            source: export.to_path_buf(),
            view: dest.clone(),
            dest,
            old_url: old_path,
            defaults: BTreeMap::new(),
            text: Some(text),
            old_queries,
        });
    }
    let mut offsets: Vec<u64> = pending_notes.iter().map(|(o, _)| *o).collect();
    offsets.extend(item_places.iter().map(|(_, o, _)| *o));
    lines.find(export, &offsets);
    for (view, offset, label) in item_places {
        let line = lines.get(offset);
        plan.places.insert(view, super::Place { line, label });
    }
    for (offset, message) in pending_notes {
        plan.notes.push(Note {
            path: shown.clone(),
            line: lines.get(offset),
            message,
        });
    }
    if unpublished > 0 {
        plan.notes.push(Note::new(
            &shown,
            format!(
                "{} not published in WordPress (draft, pending, private or scheduled) {} written with `draft = true`",
                crate::diagnostics::count(unpublished, "item"),
                if unpublished == 1 { "is" } else { "are" }
            ),
        ));
    }
    if let Some(pattern) = permalink_of(&post_paths) {
        let mut permalinks = toml::Table::new();
        permalinks.insert("posts".into(), pattern.into());
        config.insert("permalinks".into(), toml::Value::Table(permalinks));
    }
    plan.config = config;
    Ok(plan)
}

/// HTML of another source (Ghost's) as markdown, the way a post's is,
/// with what was kept as written.
pub(super) fn html_to_markdown(html: &str) -> (String, Vec<String>) {
    let converted = body::convert(html, &HashMap::new());
    (converted.markdown, converted.notes)
}

/// The item's front matter in blog's keys.
fn native(item: &Item, draft: bool, attachments: &HashMap<&str, &Item>) -> Native {
    let mut native = Native {
        title: Some(html_escape::decode_html_entities(item.title.trim()).into_owned())
            .filter(|t| !t.is_empty()),
        date: item_date(item),
        draft,
        description: Some(plain(&item.excerpt)).filter(|e| !e.is_empty()),
        ..Native::default()
    };
    for (domain, taxonomy) in [("post_tag", "tags"), ("category", "categories")] {
        let terms: Vec<String> = item
            .terms
            .iter()
            .filter(|(d, _, _)| d == domain)
            .map(|(_, _, name)| plain(name))
            .collect();
        if !terms.is_empty() {
            native.taxonomies.insert(taxonomy.into(), terms);
        }
    }
    if !item.creator.is_empty() {
        native
            .extra
            .insert("author".into(), item.creator.clone().into());
    }
    for (key, value) in &item.meta {
        if key == "_thumbnail_id" {
            if let Some(image) = attachments.get(value.as_str()) {
                native
                    .extra
                    .insert("image".into(), image.attachment_url.clone().into());
            }
        } else if !key.starts_with('_') && !key.is_empty() {
            native.extra.insert(key.clone(), value.clone().into());
        }
    }
    if !item.id.is_empty() {
        native
            .extra
            .insert("wordpress_id".into(), item.id.clone().into());
    }
    native
}

/// HTML as plain text: without tags, entities decoded.
pub(in crate::import) fn plain(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    html_escape::decode_html_entities(text.trim()).into_owned()
}

/// A character or entity reference in XML text (`&#233;`, `&amp;`),
/// pushed as its character; XML defines only five entities by name.
pub(in crate::import) fn push_reference(
    text: &mut String,
    e: &quick_xml::events::BytesRef,
) -> Result<(), String> {
    if let Ok(Some(c)) = e.resolve_char_ref() {
        text.push(c);
        return Ok(());
    }
    match e.xml10_content().as_ref() {
        "amp" => text.push('&'),
        "lt" => text.push('<'),
        "gt" => text.push('>'),
        "quot" => text.push('"'),
        "apos" => text.push('\''),
        other => {
            return Err(format!(
                "is not valid XML: the entity &{other}; is not defined"
            ))
        }
    }
    Ok(())
}

/// `post_date` with the offset `post_date_gmt` implies, else as written.
fn item_date(item: &Item) -> Option<toml::Value> {
    let parse = |s: &str| {
        let s = s.trim();
        if s.is_empty() || s.starts_with("0000") {
            return None;
        }
        jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", s).ok()
    };
    let local = parse(&item.date);
    let gmt = parse(&item.date_gmt);
    let text = match (local, gmt) {
        (Some(local), Some(gmt)) => {
            let seconds = local.duration_since(gmt).as_secs();
            let sign = if seconds < 0 { '-' } else { '+' };
            let minutes = seconds.abs() / 60;
            format!(
                "{}{sign}{:02}:{:02}",
                local.strftime("%Y-%m-%dT%H:%M:%S"),
                minutes / 60,
                minutes % 60
            )
        }
        (Some(one), None) | (None, Some(one)) => one.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
        (None, None) => return None,
    };
    text.parse::<toml::value::Datetime>()
        .ok()
        .map(toml::Value::Datetime)
}

/// The file name: WordPress's slug (percent-decoded), else the title's,
/// made plain ASCII and safe as one path component.
fn item_slug(item: &Item) -> String {
    let name = percent_encoding::percent_decode_str(&item.name).decode_utf8_lossy();
    let from = if name.trim().is_empty() {
        item.title.as_str()
    } else {
        &name
    };
    let slug = crate::content::url::slugify(&deunicode::deunicode(from));
    if slug.is_empty() {
        format!("item-{}", crate::content::url::slugify(&item.id))
    } else {
        slug
    }
}

/// `https://example.com` of `https://example.com/blog`.
pub(super) fn origin_of(link: &str) -> String {
    let Some((scheme, rest)) = link.split_once("://") else {
        return String::new();
    };
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

/// The path of a permalink under the site's prefix (`/2019/03/hello/`), or
/// `None` for a query link (`/?p=12`) or one elsewhere.
pub(super) fn url_path(link: &str, origin: &str, prefix: &str) -> Option<String> {
    let link = link.trim();
    let path = if link.starts_with('/') {
        link
    } else {
        link.strip_prefix(origin)?
    };
    let path = path.strip_prefix(prefix).unwrap_or(path);
    if path.contains('?') || path.contains('#') || path.is_empty() || path == "/" {
        return None;
    }
    // A server answers the decoded path (`/2019/04/你好/`).
    Some(
        percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// A path that is a file's place under public/: no `.`/`..` parts, no
/// NUL or backslash.
pub(super) fn safe_path(path: &str) -> bool {
    !path.contains(['\0', '\\']) && path.split('/').all(|part| part != "." && part != "..")
}

/// The posts' pattern when every post's URL follows one.
pub(super) fn permalink_of(paths: &[String]) -> Option<&'static str> {
    let shape = |p: &str| -> Option<&'static str> {
        let parts: Vec<&str> = p.trim_matches('/').split('/').collect();
        let number = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !p.ends_with('/') {
            return None;
        }
        match parts.as_slice() {
            [y, m, d, _] if number(y, 4) && number(m, 2) && number(d, 2) => {
                Some("/:year/:month/:day/:slug/")
            }
            [y, m, _] if number(y, 4) && number(m, 2) => Some("/:year/:month/:slug/"),
            [_] => Some("/:slug/"),
            _ => None,
        }
    };
    let first = shape(paths.first()?)?;
    paths
        .iter()
        .all(|p| shape(p) == Some(first))
        .then_some(first)
}

/// Reads the channel and its items, streaming.
fn read_export(export: &Path) -> Result<(Channel, Vec<Item>), Diagnostic> {
    let file = std::fs::File::open(export)
        .map_err(|e| Diagnostic::new(export, format!("cannot read: {e}")))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = true;
    let mut channel = Channel::default();
    let mut items = Vec::new();
    let mut item: Option<Item> = None;
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut term: Option<(String, String)> = None;
    let mut meta_key = String::new();
    let mut buf = Vec::new();
    let fail = |offset: u64, message: String| {
        let (line, column) = line_col_of(export, offset);
        Diagnostic::new(export, message).at(line, column).hint(
            "the export is not well-formed XML; export it again from WordPress (Tools → Export)",
        )
    };
    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                let offset = reader.error_position();
                return Err(fail(offset, format!("is not valid XML: {e}")));
            }
        };
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().to_owned();
                if name == "item" && stack.last().is_some_and(|p| p == "channel") {
                    item = Some(Item {
                        offset: at,
                        ..Item::default()
                    });
                }
                if name == "category" && item.is_some() {
                    let attr = |key: &str| {
                        e.try_get_attribute(key)
                            .ok()
                            .flatten()
                            .and_then(|a| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .ok()
                                    .map(|v| v.into_owned())
                            })
                            .unwrap_or_default()
                    };
                    term = Some((attr("domain"), attr("nicename")));
                }
                stack.push(name);
                text.clear();
            }
            Event::Text(e) => text.push_str(&e.xml10_content()),
            Event::CData(e) => text.push_str(&e.xml10_content()),
            Event::GeneralRef(e) => {
                push_reference(&mut text, &e).map_err(|why| fail(at, why))?;
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut text);
                match (parent, item.as_mut()) {
                    ("channel", _) if name == "item" => {
                        if let Some(done) = item.take() {
                            items.push(done);
                        }
                    }
                    ("item", Some(it)) => match name.as_str() {
                        "title" => it.title = value,
                        "link" => it.link = value,
                        "wp:post_id" => it.id = value.trim().to_string(),
                        "wp:post_date" => it.date = value,
                        "wp:post_date_gmt" => it.date_gmt = value,
                        "wp:post_name" => it.name = value.trim().to_string(),
                        "wp:status" => it.status = value.trim().to_string(),
                        "wp:post_type" => it.kind = value.trim().to_string(),
                        "dc:creator" => it.creator = value,
                        "content:encoded" => it.content = value,
                        "excerpt:encoded" => it.excerpt = value,
                        "wp:attachment_url" => it.attachment_url = value.trim().to_string(),
                        "category" => {
                            if let Some((domain, nicename)) = term.take() {
                                it.terms.push((domain, nicename, value));
                            }
                        }
                        _ => {}
                    },
                    ("wp:postmeta", Some(it)) => match name.as_str() {
                        "wp:meta_key" => meta_key = value,
                        "wp:meta_value" => it.meta.push((std::mem::take(&mut meta_key), value)),
                        _ => {}
                    },
                    ("channel", None) => match name.as_str() {
                        "title" => channel.title = value,
                        "link" => channel.link = value.trim().to_string(),
                        "description" => channel.description = value,
                        "language" => channel.language = value.trim().to_string(),
                        _ => {}
                    },
                    _ => {}
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    let offset = reader.buffer_position();
                    return Err(fail(
                        offset,
                        format!("ends before <{open}> is closed: the export is cut short"),
                    ));
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    if !stack.is_empty() || (items.is_empty() && channel.link.is_empty()) {
        return Err(
            Diagnostic::new(export, "is not a WordPress export: it has no <channel>")
                .hint("give the .xml file of WordPress's Tools → Export"),
        );
    }
    Ok((channel, items))
}

/// Line and column of a byte offset in the file, read again up to it.
pub(super) fn line_col_of(path: &Path, offset: u64) -> (usize, usize) {
    let mut finder = LineFinder::default();
    finder.find(path, &[offset]);
    finder.get(offset).unwrap_or((1, 1))
}

/// Lines and columns of byte offsets, found in one pass over the file.
#[derive(Default)]
pub(super) struct LineFinder(HashMap<u64, (usize, usize)>);

impl LineFinder {
    pub(super) fn find(&mut self, path: &Path, offsets: &[u64]) {
        let mut wanted: Vec<u64> = offsets.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return;
        }
        let Ok(file) = std::fs::File::open(path) else {
            return;
        };
        let mut reader = std::io::BufReader::new(file);
        let (mut line, mut line_start, mut pos) = (1usize, 0u64, 0u64);
        let mut next = 0;
        let mut chunk = Vec::new();
        loop {
            chunk.clear();
            let n = reader.read_until(b'\n', &mut chunk).unwrap_or(0);
            let end = pos + n as u64;
            // The end of a last line without a newline is on that line.
            let last_line = n > 0 && !chunk.ends_with(b"\n");
            while next < wanted.len()
                && (wanted[next] < end || n == 0 || (last_line && wanted[next] == end))
            {
                let at = wanted[next].saturating_sub(line_start) as usize;
                let before = &chunk[..at.min(chunk.len())];
                let column = String::from_utf8_lossy(before).chars().count() + 1;
                self.0.insert(wanted[next], (line, column));
                next += 1;
            }
            if n == 0 || next == wanted.len() {
                break;
            }
            pos = end;
            if chunk.ends_with(b"\n") {
                line += 1;
                line_start = pos;
            }
        }
    }

    pub(super) fn get(&self, offset: u64) -> Option<(usize, usize)> {
        self.0.get(&offset).copied()
    }
}
