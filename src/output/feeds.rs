//! RSS 2.0, Atom and JSON Feed 1.1 feeds of the newest published posts, with absolute URLs
//! (relative links inside post bodies are made absolute too) and escaped
//! content: the site's (`/rss.xml`, `/atom.xml`), each section's whose
//! `_index.md` says `feed: true` (`/notes/rss.xml`), and each term's where
//! its taxonomy has `feed = true` (`/tags/rust/rss.xml`). Drafts and future
//! posts are never included.

use std::io::Cursor;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::config::Config;
use crate::content::PageId;
use crate::site::{Section, Site, Term};

type XmlResult = std::io::Result<()>;

/// Rewrites root-relative `href="/…"` and `src="/…"` to absolute URLs, since
/// feed readers do not know the site's address. A root-relative path is
/// taken from the host's root, as a browser on the page takes it, so with
/// a base URL of `https://example.org/babysteps` the link
/// `/babysteps/a/` becomes `https://example.org/babysteps/a/`;
/// protocol-relative `//host/…` is left alone.
pub fn absolutize(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = ["href=\"/", "src=\"/"]
        .iter()
        .filter_map(|attr| rest.find(attr).map(|i| i + attr.len() - 1))
        .min()
    {
        out.push_str(&rest[..i]);
        if !rest[i..].starts_with("//") {
            out.push_str(origin);
        }
        rest = &rest[i..];
        out.push('/');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

fn body(site: &Site, config: &Config, id: PageId) -> String {
    let page = &site.pages[id];
    let html = if config.feed.full_content || page.summary.is_empty() {
        // Relative links and images resolve against the page, which a feed
        // reader does not know (the summary already has them absolute).
        crate::file_links::absolute_links(
            &page.content,
            &page.links,
            &page.source,
            &page.path,
            config,
        )
    } else {
        std::borrow::Cow::Borrowed(&*page.summary)
    };
    absolutize(&html, config.origin())
}

fn writer() -> Writer<Cursor<Vec<u8>>> {
    Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2)
}

fn finish(writer: Writer<Cursor<Vec<u8>>>) -> Vec<u8> {
    let mut bytes = writer.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}

/// What a feed follows: the whole site, or one term.
pub struct Channel {
    pub title: String,
    pub description: String,
    /// The site path of the page it follows (`/`, `/tags/rust/`); its feeds
    /// sit in that folder.
    pub path: String,
}

impl Channel {
    pub fn site(config: &Config) -> Channel {
        Channel {
            title: config.title.clone(),
            description: config.description.clone(),
            path: "/".into(),
        }
    }

    /// The feed of a section, like the posts under `notes/`.
    pub fn section(config: &Config, section: &Section) -> Channel {
        Channel {
            title: format!("{} · {}", config.title, section.title),
            description: section.description.clone().unwrap_or_default(),
            path: section.url.clone(),
        }
    }

    /// The feed of a term, like the posts tagged `rust`.
    pub fn term(config: &Config, taxonomy: &str, term: &Term) -> Channel {
        Channel {
            title: format!("{} · {}", config.title, term.name),
            description: format!("Posts under {taxonomy} “{}” on {}", term.name, config.title),
            path: term.url.clone(),
        }
    }
}

/// The items of the site's feeds: dated published pages from the home list.
pub fn feed_items(site: &Site, published: &[bool], limit: usize) -> Vec<PageId> {
    newest(&site.home, site, published, limit)
}

/// The items of a term's feeds: its dated published pages.
pub fn term_items(term: &Term, site: &Site, published: &[bool], limit: usize) -> Vec<PageId> {
    newest(&term.pages, site, published, limit)
}

fn newest(list: &[PageId], site: &Site, published: &[bool], limit: usize) -> Vec<PageId> {
    list.iter()
        .copied()
        .filter(|&id| published[id] && site.pages[id].date.is_some())
        .take(limit)
        .collect()
}

/// The items of a section's feeds: its dated published pages, newest
/// first whatever order the section lists them in.
pub fn section_items(
    section: &Section,
    site: &Site,
    published: &[bool],
    limit: usize,
) -> Vec<PageId> {
    let mut pages = section.pages.clone();
    pages.sort_by(|&a, &b| {
        let date = |id: PageId| site.pages[id].date.map(|d| d.timestamp());
        date(b).cmp(&date(a))
    });
    newest(&pages, site, published, limit)
}

/// Every feed of a section with `feed: true` whose URL path `wanted`
/// accepts: output path and contents.
pub fn section_feeds(
    site: &Site,
    config: &Config,
    published: &[bool],
    wanted: impl Fn(&str) -> bool,
) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for section in site.sections.iter().filter(|s| s.feed && wanted(&s.url)) {
        let items = section_items(section, site, published, config.feed.limit);
        let channel = Channel::section(config, section);
        channel_feeds(site, config, &channel, &items, &mut files)?;
    }
    Ok(files)
}

/// The feeds `[feed]` asks for (RSS, Atom or both) of one channel, in the
/// folder of its page (`rss.xml` at the root for the site's).
pub fn channel_feeds(
    site: &Site,
    config: &Config,
    channel: &Channel,
    items: &[PageId],
    files: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    let folder = channel.path.trim_start_matches('/');
    // Side by side: the site's feeds carry whole posts, and the plan they
    // are part of otherwise keeps one core busy while the other waits.
    let ((rss, atom), json) = rayon::join(
        || {
            rayon::join(
                || config.feed.rss.then(|| rss(site, config, channel, items)),
                || config.feed.atom.then(|| atom(site, config, channel, items)),
            )
        },
        || {
            config
                .feed
                .json
                .then(|| json_feed(site, config, channel, items))
        },
    );
    if let Some(rss) = rss {
        files.push((format!("{folder}rss.xml"), rss?));
    }
    if let Some(atom) = atom {
        files.push((format!("{folder}atom.xml"), atom?));
    }
    if let Some(json) = json {
        files.push((format!("{folder}feed.json"), json));
    }
    Ok(())
}

/// Every feed of a term whose taxonomy has `feed = true`: output path and
/// contents, as `[feed]` asks for (RSS, Atom or both).
pub fn term_feeds(
    site: &Site,
    config: &Config,
    published: &[bool],
    wanted: impl Fn(&str) -> bool,
) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for (taxonomy, settings) in site.taxonomies.iter().zip(&config.taxonomies) {
        if !settings.feed {
            continue;
        }
        for term in &taxonomy.terms {
            if !wanted(&term.url) {
                continue;
            }
            let channel = Channel::term(config, &taxonomy.name, term);
            let items = term_items(term, site, published, config.feed.limit);
            channel_feeds(site, config, &channel, &items, &mut files)?;
        }
    }
    Ok(files)
}

pub fn rss(
    site: &Site,
    config: &Config,
    channel: &Channel,
    items: &[PageId],
) -> std::io::Result<Vec<u8>> {
    let mut w = writer();
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let self_url = config.permalink(&format!("{}rss.xml", channel.path));
    w.create_element("rss")
        .with_attribute(("version", "2.0"))
        .with_attribute(("xmlns:atom", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xmlns:dc", "http://purl.org/dc/elements/1.1/"))
        .write_inner_content(|w| -> XmlResult {
            w.create_element("channel")
                .write_inner_content(|w| -> XmlResult {
                    text(w, "title", &channel.title)?;
                    text(w, "link", &config.permalink(&channel.path))?;
                    let description = if channel.description.is_empty() {
                        &channel.title
                    } else {
                        &channel.description
                    };
                    text(w, "description", description)?;
                    text(w, "language", &config.language)?;
                    text(w, "generator", "blog")?;
                    w.create_element("atom:link")
                        .with_attribute(("href", self_url.as_str()))
                        .with_attribute(("rel", "self"))
                        .with_attribute(("type", "application/rss+xml"))
                        .write_empty()?;
                    if let Some(date) = items.first().and_then(|&id| latest(site, id)) {
                        text(w, "lastBuildDate", &date.to_rfc2822())?;
                    }
                    for &id in items {
                        let page = &site.pages[id];
                        let link = config.permalink(&page.path);
                        w.create_element("item")
                            .write_inner_content(|w| -> XmlResult {
                                text(w, "title", &page.title)?;
                                text(w, "link", &link)?;
                                w.create_element("guid")
                                    .with_attribute(("isPermaLink", "true"))
                                    .write_text_content(BytesText::new(&link))?;
                                if let Some(date) = page.date {
                                    text(w, "pubDate", &date.to_rfc2822())?;
                                }
                                if !config.author.is_empty() {
                                    text(w, "dc:creator", &config.author)?;
                                }
                                for tag in page.meta.taxonomies.get("tags").into_iter().flatten() {
                                    text(w, "category", tag)?;
                                }
                                text(w, "description", &body(site, config, id))?;
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(finish(w))
}

pub fn atom(
    site: &Site,
    config: &Config,
    channel: &Channel,
    items: &[PageId],
) -> std::io::Result<Vec<u8>> {
    let mut w = writer();
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let home = config.permalink(&channel.path);
    let self_url = config.permalink(&format!("{}atom.xml", channel.path));
    let author = if config.author.is_empty() {
        &config.title
    } else {
        &config.author
    };
    w.create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xml:lang", config.language.as_str()))
        .write_inner_content(|w| -> XmlResult {
            text(w, "title", &channel.title)?;
            if !channel.description.is_empty() {
                text(w, "subtitle", &channel.description)?;
            }
            w.create_element("link")
                .with_attribute(("href", self_url.as_str()))
                .with_attribute(("rel", "self"))
                .write_empty()?;
            w.create_element("link")
                .with_attribute(("href", home.as_str()))
                .with_attribute(("rel", "alternate"))
                .write_empty()?;
            text(w, "id", &home)?;
            let updated = items.first().and_then(|&id| latest(site, id));
            text(
                w,
                "updated",
                &updated.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.to_rfc3339()),
            )?;
            w.create_element("author")
                .write_inner_content(|w| text(w, "name", author))?;
            text(w, "generator", "blog")?;
            for &id in items {
                let page = &site.pages[id];
                let link = config.permalink(&page.path);
                w.create_element("entry")
                    .write_inner_content(|w| -> XmlResult {
                        text(w, "title", &page.title)?;
                        w.create_element("link")
                            .with_attribute(("href", link.as_str()))
                            .with_attribute(("rel", "alternate"))
                            .write_empty()?;
                        text(w, "id", &link)?;
                        if let Some(date) = page.date {
                            text(w, "published", &date.to_rfc3339())?;
                        }
                        if let Some(date) = latest(site, id) {
                            text(w, "updated", &date.to_rfc3339())?;
                        }
                        for tag in page.meta.taxonomies.get("tags").into_iter().flatten() {
                            w.create_element("category")
                                .with_attribute(("term", tag.as_str()))
                                .write_empty()?;
                        }
                        let kind = if config.feed.full_content {
                            "content"
                        } else {
                            "summary"
                        };
                        w.create_element(kind)
                            .with_attribute(("type", "html"))
                            .write_text_content(BytesText::new(&body(site, config, id)))?;
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(finish(w))
}

/// JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>).
pub fn json_feed(site: &Site, config: &Config, channel: &Channel, items: &[PageId]) -> Vec<u8> {
    use serde_json::{json, Map, Value};
    let author = (!config.author.is_empty()).then(|| json!([{ "name": config.author }]));
    let entries: Vec<Value> = items
        .iter()
        .map(|&id| {
            let page = &site.pages[id];
            let link = config.permalink(&page.path);
            let mut item = Map::new();
            item.insert("id".into(), link.clone().into());
            item.insert("url".into(), link.into());
            item.insert("title".into(), page.title.clone().into());
            item.insert("content_html".into(), body(site, config, id).into());
            if let Some(description) = &page.meta.description {
                item.insert("summary".into(), description.clone().into());
            }
            if let Some(date) = page.date {
                item.insert("date_published".into(), date.to_rfc3339().into());
            }
            if let Some(date) = page.meta.updated {
                item.insert("date_modified".into(), date.to_rfc3339().into());
            }
            if let Some(image) = page
                .meta
                .extra
                .get("image")
                .and_then(Value::as_str)
                .filter(|i| !i.is_empty())
            {
                let image = if image.contains("://") {
                    image.to_string()
                } else if image.starts_with('/') {
                    config.permalink(image)
                } else {
                    format!("{}{image}", config.permalink(&page.path))
                };
                item.insert("image".into(), image.into());
            }
            let tags: Vec<&String> = page
                .meta
                .taxonomies
                .get("tags")
                .into_iter()
                .flatten()
                .collect();
            if !tags.is_empty() {
                item.insert("tags".into(), json!(tags));
            }
            Value::Object(item)
        })
        .collect();
    let mut feed = Map::new();
    feed.insert("version".into(), "https://jsonfeed.org/version/1.1".into());
    feed.insert("title".into(), channel.title.clone().into());
    feed.insert(
        "home_page_url".into(),
        config.permalink(&channel.path).into(),
    );
    feed.insert(
        "feed_url".into(),
        config
            .permalink(&format!("{}feed.json", channel.path))
            .into(),
    );
    if !channel.description.is_empty() {
        feed.insert("description".into(), channel.description.clone().into());
    }
    feed.insert("language".into(), config.language.clone().into());
    if let Some(author) = author {
        feed.insert("authors".into(), author);
    }
    feed.insert("items".into(), Value::Array(entries));
    let mut out = serde_json::to_vec_pretty(&Value::Object(feed)).unwrap_or_default();
    out.push(b'\n');
    out
}

fn latest(site: &Site, id: PageId) -> Option<crate::content::Date> {
    let page = &site.pages[id];
    page.meta.updated.or(page.date)
}

fn text<W: std::io::Write>(w: &mut Writer<W>, name: &str, value: &str) -> XmlResult {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::absolutize;

    #[test]
    fn root_relative_links_take_the_hosts_root() {
        assert_eq!(
            absolutize(
                r#"<a href="/babysteps/a/">a</a><img src="/b.png"><a href="//cdn.example/x">x</a><a href="c/">c</a>"#,
                "https://example.org"
            ),
            r#"<a href="https://example.org/babysteps/a/">a</a><img src="https://example.org/b.png"><a href="//cdn.example/x">x</a><a href="c/">c</a>"#
        );
    }
}
