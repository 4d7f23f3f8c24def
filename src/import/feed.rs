//! An RSS 2.0 or Atom feed file, as `blog import --from feed` brings it
//! over: the channel's (feed's) title, link, description (subtitle) and
//! language into config.toml; each `<item>` (`<entry>`) into a markdown
//! file under posts/ with front matter in `blog`'s keys, its HTML body
//! (`content:encoded` else `description`; Atom's `content` else `summary`)
//! converted as WordPress's is; and the path of its link as its old URL
//! when the link is on the channel's host.
//!
//! A feed holds only the posts it lists (usually the newest), which the
//! report says. The feed is streamed: one item at a time is held as text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};

use super::front_matter::Native;
use super::wordpress::{
    html_to_markdown, permalink_of, plain, push_reference, safe_path, url_path, LineFinder,
};
use super::{ContentFile, Note, Plan};
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rss,
    Atom,
}

/// One `<item>` or `<entry>`, as written.
#[derive(Debug, Default)]
struct Entry {
    /// Byte offset of its start tag, for the report's line numbers.
    offset: u64,
    title: String,
    link: String,
    /// Atom's first `<link>` of another `rel`, when there is no alternate.
    other_link: String,
    published: String,
    updated: String,
    tags: Vec<String>,
    content: String,
    /// Atom's `type` of `content`: `html`, `xhtml` or `text`.
    content_type: String,
    summary: String,
    summary_type: String,
    author: String,
    guid: String,
}

#[derive(Debug, Default)]
struct Channel {
    title: String,
    link: String,
    other_link: String,
    description: String,
    language: String,
    author: String,
}

pub fn plan(feed: &Path) -> Result<Plan, Vec<Diagnostic>> {
    plan_of(feed, Path::new(feed.file_name().unwrap_or_default()))
}

/// The feed in the file `feed`, named `shown` in notes and as each post's
/// source (its file name, or the URL it was fetched from).
pub fn plan_of(feed: &Path, shown: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let (kind, channel, entries) = read_feed(feed).map_err(|d| vec![d])?;
    let shown = shown.to_path_buf();
    let source = if super::is_url(&shown) {
        shown.clone()
    } else {
        feed.to_path_buf()
    };
    let mut plan = Plan::default();

    let link = if channel.link.is_empty() {
        &channel.other_link
    } else {
        &channel.link
    };
    let link = link.trim();
    // `https://example.com/blog`, without a query, fragment or slash.
    let base = link
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_string();
    let host = host_of(&base);
    let mut config = toml::Table::new();
    if !channel.title.trim().is_empty() {
        config.insert("title".into(), channel.title.trim().into());
    }
    let description = plain(&channel.description);
    if !description.is_empty() {
        config.insert("description".into(), description.into());
    }
    if host.is_some() {
        config.insert("base_url".into(), base.clone().into());
    } else {
        plan.notes.push(Note::new(
            &shown,
            "the feed has no absolute link to its site: set `base_url` in config.toml to the address the site is published at",
        ));
    }
    if !channel.language.trim().is_empty() {
        config.insert("language".into(), channel.language.trim().into());
    }
    // The path the site lived under (`/blog`), which `blog` gives every URL
    // through base_url.
    let prefix = path_of(&base).to_string();

    let mut lines = LineFinder::default();
    let mut pending: Vec<(u64, String)> = Vec::new();
    let mut post_paths = Vec::new();
    let mut elsewhere: Vec<String> = Vec::new();
    let mut entry_places = Vec::new();
    for (n, entry) in entries.iter().enumerate() {
        let title = plain(&entry.title);
        let link = if entry.link.is_empty() {
            entry.other_link.trim()
        } else {
            entry.link.trim()
        };
        let slug = entry_slug(link, &title, n + 1);
        let dest = PathBuf::from(format!("posts/{slug}.md"));
        let own = match host_of(link) {
            Some(h) => Some(h) == host,
            // A link from the root (`/2024/post/`) is the site's own.
            None => link.starts_with('/') && !link.starts_with("//"),
        };
        let mut old_url = None;
        if own {
            old_url = url_path(path_and_query(link), "", &prefix);
            if old_url.as_deref().is_some_and(|p| !safe_path(p)) {
                pending.push((
                    entry.offset,
                    format!(
                        "entry “{title}”: its address {link} cannot be a page's place (it has `..`, a NUL or a backslash): not kept"
                    ),
                ));
                old_url = None;
            }
        } else if let Some(h) = host_of(link) {
            if !elsewhere.iter().any(|e| e == h) {
                elsewhere.push(h.to_string());
            }
        }
        if let Some(path) = &old_url {
            post_paths.push(path.clone());
        }

        let (html, html_type) = if entry.content.trim().is_empty() {
            (&entry.summary, &entry.summary_type)
        } else {
            (&entry.content, &entry.content_type)
        };
        let (body, messages) = if kind == Kind::Atom && html_type == "text" {
            (text_to_markdown(html), Vec::new())
        } else {
            html_to_markdown(html)
        };
        for message in messages {
            pending.push((entry.offset, format!("entry “{title}”: {message}")));
        }
        let mut native = Native {
            title: Some(title.clone()).filter(|t| !t.is_empty()),
            date: date_of(&entry.published).or_else(|| date_of(&entry.updated)),
            updated: date_of(&entry.updated),
            ..Native::default()
        };
        let mut tags: Vec<String> = Vec::new();
        for tag in &entry.tags {
            let tag = plain(tag);
            if !tag.is_empty() && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if !tags.is_empty() {
            native.taxonomies.insert("tags".into(), tags);
        }
        let author = if entry.author.trim().is_empty() {
            channel.author.trim()
        } else {
            entry.author.trim()
        };
        if !author.is_empty() {
            native.extra.insert("author".into(), author.into());
        }
        if !entry.guid.trim().is_empty() {
            native.extra.insert("guid".into(), entry.guid.trim().into());
        }
        let text = super::front_matter::render(&native, &body);
        entry_places.push((dest.clone(), entry.offset, format!("entry “{title}”")));
        plan.content.push(ContentFile {
            source: source.clone(),
            view: dest.clone(),
            dest,
            old_url,
            defaults: BTreeMap::new(),
            text: Some(text),
            old_queries: Vec::new(),
        });
    }
    let mut offsets: Vec<u64> = pending.iter().map(|(o, _)| *o).collect();
    offsets.extend(entry_places.iter().map(|(_, o, _)| *o));
    lines.find(feed, &offsets);
    for (view, offset, label) in entry_places {
        let line = lines.get(offset);
        plan.places.insert(view, super::Place { line, label });
    }
    for (offset, message) in pending {
        plan.notes.push(Note {
            path: shown.clone(),
            line: lines.get(offset),
            message,
        });
    }
    if !elsewhere.is_empty() {
        let site = host.map_or_else(|| "no site".to_string(), |h| format!("the site {h}"));
        plan.notes.push(Note::new(
            &shown,
            format!(
                "posts lived at {}, not at {site} of the feed: their old URLs are not kept",
                elsewhere.join(", ")
            ),
        ));
    }
    let n = plan.content.len();
    plan.notes.push(Note::new(
        &shown,
        format!(
            "a feed usually holds only the newest posts: {} {} imported",
            if n == 1 {
                "1 entry".to_string()
            } else {
                format!("{n} entries")
            },
            if n == 1 { "was" } else { "were" }
        ),
    ));
    // Only when every post's old URL follows one pattern; else each old
    // URL the new permalinks do not give becomes an alias.
    if post_paths.len() == n {
        if let Some(pattern) = permalink_of(&post_paths) {
            let mut permalinks = toml::Table::new();
            permalinks.insert("posts".into(), pattern.into());
            config.insert("permalinks".into(), toml::Value::Table(permalinks));
        }
    }
    plan.config = config;
    Ok(plan)
}

/// `example.com` of `https://Example.com:443/blog`, lowercased; `None`
/// for a link without a scheme and host.
fn host_of(link: &str) -> Option<&str> {
    let (scheme, rest) = link.split_once("://")?;
    if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// `/blog/post/?a` of `https://example.com/blog/post/?a`.
fn path_and_query(link: &str) -> &str {
    match link.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => link,
    }
}

/// The path of a link, without its query or fragment.
fn path_of(link: &str) -> &str {
    path_and_query(link).split(['?', '#']).next().unwrap_or("")
}

/// The file name: the link's last path segment (without `.html`), else the
/// title, made plain ASCII and safe as one path component.
fn entry_slug(link: &str, title: &str, n: usize) -> String {
    let path = if host_of(link).is_some() || link.starts_with('/') {
        path_of(link)
    } else {
        ""
    };
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let last = last
        .strip_suffix(".html")
        .or_else(|| last.strip_suffix(".htm"))
        .unwrap_or(last);
    let last = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    let slug = crate::content::url::slugify(&deunicode::deunicode(&last));
    if !slug.is_empty() && slug != "index" {
        return slug;
    }
    let slug = crate::content::url::slugify(&deunicode::deunicode(title));
    if slug.is_empty() {
        format!("entry-{n}")
    } else {
        slug
    }
}

/// An RFC 2822 or RFC 3339 date as a TOML datetime.
fn date_of(text: &str) -> Option<toml::Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let date = crate::content::date::Date::parse(text).ok()?;
    date.to_rfc3339()
        .parse::<toml::value::Datetime>()
        .ok()
        .map(toml::Value::Datetime)
}

/// Atom's `type="text"`: its paragraphs as they are, markdown's own
/// characters escaped.
fn text_to_markdown(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.trim().split("\n\n") {
        let lines: Vec<&str> = paragraph.lines().map(str::trim).collect();
        let paragraph = lines.join("\n");
        if paragraph.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        for c in paragraph.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '{' | '}'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('\n');
    }
    out
}

/// The name without its namespace prefix (`atom:link` is `link`).
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn attr(e: &BytesStart, key: &str) -> String {
    e.try_get_attribute(key)
        .ok()
        .flatten()
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
        .unwrap_or_default()
}

/// Reads the feed's channel and entries, streaming.
fn read_feed(feed: &Path) -> Result<(Kind, Channel, Vec<Entry>), Diagnostic> {
    let file = std::fs::File::open(feed)
        .map_err(|e| Diagnostic::new(feed, format!("cannot read: {e}")))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = true;
    let mut kind = None;
    let mut has_channel = false;
    let mut channel = Channel::default();
    let mut entries = Vec::new();
    let mut entry: Option<Entry> = None;
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    // Inside Atom's `type="xhtml"` content: the depth of its element, and
    // the markup within, written out again as HTML.
    let mut xhtml: Option<usize> = None;
    let mut buf = Vec::new();
    let fail = |offset: u64, message: String| {
        let (line, column) = super::wordpress::line_col_of(feed, offset);
        Diagnostic::new(feed, message)
            .at(line, column)
            .hint("the feed is not well-formed XML; download it again")
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
        if let Some(depth) = xhtml {
            match &event {
                Event::Start(e) => {
                    if stack.len() > depth + 1 || local(e.name().into_inner()) != "div" {
                        text.push('<');
                        text.push_str(&e[..]);
                        text.push('>');
                    }
                    stack.push(e.name().into_inner().to_string());
                    buf.clear();
                    continue;
                }
                Event::Empty(e) => {
                    text.push('<');
                    text.push_str(&e[..]);
                    text.push_str("/>");
                    buf.clear();
                    continue;
                }
                Event::End(e) if stack.len() > depth + 1 => {
                    stack.pop();
                    if stack.len() > depth + 1 || local(e.name().into_inner()) != "div" {
                        text.push_str("</");
                        text.push_str(e.name().into_inner());
                        text.push('>');
                    }
                    buf.clear();
                    continue;
                }
                Event::Text(e) => {
                    text.push_str(&e[..]);
                    buf.clear();
                    continue;
                }
                Event::CData(e) => {
                    text.push_str(&html_escape::encode_text(&e.xml10_content()));
                    buf.clear();
                    continue;
                }
                Event::GeneralRef(e) => {
                    text.push('&');
                    text.push_str(&e[..]);
                    text.push(';');
                    buf.clear();
                    continue;
                }
                Event::End(_) => xhtml = None,
                _ => {}
            }
        }
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name().into_inner().to_string();
                if stack.is_empty() && kind.is_none() {
                    let line_col = super::wordpress::line_col_of(feed, at);
                    channel.language = attr(e, "xml:lang");
                    kind = match local(&name) {
                        "rss" => Some(Kind::Rss),
                        "feed" => Some(Kind::Atom),
                        _ => {
                            return Err(Diagnostic::new(
                                feed,
                                format!("is not an RSS or Atom feed: its root element is <{name}>, not <rss> or <feed>"),
                            )
                            .at(line_col.0, line_col.1)
                            .hint("give a feed's .xml file (RSS 2.0 or Atom)"))
                        }
                    };
                }
                let parent = stack
                    .last()
                    .map(|p| local(p).to_string())
                    .unwrap_or_default();
                if kind == Some(Kind::Rss) && name == "channel" && parent == "rss" {
                    has_channel = true;
                }
                match kind {
                    Some(Kind::Rss) if name == "item" && parent == "channel" => {
                        entry = Some(Entry {
                            offset: at,
                            ..Entry::default()
                        });
                    }
                    Some(Kind::Atom) if local(&name) == "entry" && parent == "feed" => {
                        entry = Some(Entry {
                            offset: at,
                            ..Entry::default()
                        });
                    }
                    Some(Kind::Atom) if local(&name) == "link" => {
                        let rel = attr(e, "rel");
                        let href = attr(e, "href").trim().to_string();
                        let links = match (parent.as_str(), entry.as_mut()) {
                            ("entry", Some(it)) => Some((&mut it.link, &mut it.other_link)),
                            ("feed", None) => Some((&mut channel.link, &mut channel.other_link)),
                            _ => None,
                        };
                        if let Some((link, other)) = links {
                            if (rel.is_empty() || rel == "alternate") && link.is_empty() {
                                *link = href;
                            } else if other.is_empty() {
                                *other = href;
                            }
                        }
                    }
                    Some(Kind::Atom) if local(&name) == "category" => {
                        if let ("entry", Some(it)) = (parent.as_str(), entry.as_mut()) {
                            let term = attr(e, "term");
                            let label = attr(e, "label");
                            let tag = if term.trim().is_empty() { label } else { term };
                            it.tags.push(tag);
                        }
                    }
                    Some(Kind::Atom)
                        if matches!(local(&name), "content" | "summary")
                            && parent == "entry"
                            && !empty =>
                    {
                        let kind_of = attr(e, "type");
                        if let Some(it) = entry.as_mut() {
                            if local(&name) == "content" {
                                it.content_type = kind_of.clone();
                            } else {
                                it.summary_type = kind_of.clone();
                            }
                        }
                        if kind_of == "xhtml" {
                            xhtml = Some(stack.len());
                        }
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                    text.clear();
                }
            }
            Event::Text(e) => text.push_str(&e.xml10_content()),
            Event::CData(e) => text.push_str(&e.xml10_content()),
            Event::GeneralRef(e) => {
                push_reference(&mut text, &e).map_err(|why| fail(at, why))?;
            }
            Event::End(_) => {
                let full = stack.pop().unwrap_or_default();
                let name = local(&full);
                let parent = stack.last().map(|p| local(p)).unwrap_or("");
                let value = std::mem::take(&mut text);
                match (kind, parent, entry.as_mut()) {
                    (Some(Kind::Rss), "channel", _) if full == "item" => {
                        entries.extend(entry.take());
                    }
                    (Some(Kind::Atom), "feed", _) if name == "entry" => {
                        entries.extend(entry.take());
                    }
                    (Some(Kind::Rss), "item", Some(it)) => match full.as_str() {
                        "title" => it.title = value,
                        "link" => it.link = value,
                        "pubDate" => it.published = value,
                        "category" => it.tags.push(value),
                        "content:encoded" => it.content = value,
                        "description" => it.summary = value,
                        "dc:creator" => it.author = value,
                        "author" if it.author.is_empty() => it.author = value,
                        "guid" => it.guid = value,
                        _ => {}
                    },
                    (Some(Kind::Rss), "channel", None) => match full.as_str() {
                        "title" => channel.title = value,
                        "link" => channel.link = value,
                        "description" => channel.description = value,
                        "language" => channel.language = value,
                        _ => {}
                    },
                    (Some(Kind::Atom), "entry", Some(it)) => match name {
                        "title" => it.title = value,
                        "published" => it.published = value,
                        "updated" => it.updated = value,
                        "content" => it.content = value,
                        "summary" => it.summary = value,
                        "id" => it.guid = value,
                        _ => {}
                    },
                    (Some(Kind::Atom), "author", Some(it))
                        if name == "name"
                            && stack.len() >= 2
                            && local(&stack[stack.len() - 2]) == "entry" =>
                    {
                        it.author = value;
                    }
                    (Some(Kind::Atom), "author", None) if name == "name" => {
                        channel.author = value;
                    }
                    (Some(Kind::Atom), "feed", None) => match name {
                        "title" => channel.title = value,
                        "subtitle" => channel.description = value,
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
                        format!("ends before <{open}> is closed: the feed is cut short"),
                    ));
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    let Some(kind) = kind else {
        return Err(
            Diagnostic::new(feed, "is not an RSS or Atom feed: it has no root element")
                .at(1, 1)
                .hint("give a feed's .xml file (RSS 2.0 or Atom)"),
        );
    };
    if kind == Kind::Rss && !has_channel {
        return Err(
            Diagnostic::new(feed, "is not an RSS feed: its <rss> has no <channel>")
                .hint("give a feed's .xml file (RSS 2.0 or Atom)"),
        );
    }
    Ok((kind, channel, entries))
}
