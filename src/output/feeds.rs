//! RSS 2.0 and Atom feeds of the newest published posts, with absolute URLs
//! (relative links inside post bodies are made absolute too) and escaped
//! content. Drafts and future posts are never included.

use std::io::Cursor;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::config::Config;
use crate::content::PageId;
use crate::site::Site;

type XmlResult = std::io::Result<()>;

/// Rewrites root-relative `href="/…"` and `src="/…"` to absolute URLs, since
/// feed readers do not know the site's address.
pub fn absolutize(html: &str, base_url: &str) -> String {
    html.replace("href=\"/", &format!("href=\"{base_url}/"))
        .replace("src=\"/", &format!("src=\"{base_url}/"))
}

fn body(site: &Site, config: &Config, id: PageId) -> String {
    let page = &site.pages[id];
    let html = if config.feed.full_content || page.summary.is_empty() {
        &page.content
    } else {
        &page.summary
    };
    absolutize(html, &config.base_url)
}

fn writer() -> Writer<Cursor<Vec<u8>>> {
    Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2)
}

fn finish(writer: Writer<Cursor<Vec<u8>>>) -> Vec<u8> {
    let mut bytes = writer.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}

/// The items of both feeds: dated published pages from the home list.
pub fn feed_items(site: &Site, published: &[bool], limit: usize) -> Vec<PageId> {
    site.home
        .iter()
        .copied()
        .filter(|&id| published[id] && site.pages[id].date.is_some())
        .take(limit)
        .collect()
}

pub fn rss(site: &Site, config: &Config, items: &[PageId]) -> std::io::Result<Vec<u8>> {
    let mut w = writer();
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let self_url = config.permalink("/rss.xml");
    w.create_element("rss")
        .with_attribute(("version", "2.0"))
        .with_attribute(("xmlns:atom", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xmlns:dc", "http://purl.org/dc/elements/1.1/"))
        .write_inner_content(|w| -> XmlResult {
            w.create_element("channel")
                .write_inner_content(|w| -> XmlResult {
                    text(w, "title", &config.title)?;
                    text(w, "link", &config.permalink("/"))?;
                    let description = if config.description.is_empty() {
                        &config.title
                    } else {
                        &config.description
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

pub fn atom(site: &Site, config: &Config, items: &[PageId]) -> std::io::Result<Vec<u8>> {
    let mut w = writer();
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let home = config.permalink("/");
    let self_url = config.permalink("/atom.xml");
    let author = if config.author.is_empty() {
        &config.title
    } else {
        &config.author
    };
    w.create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xml:lang", config.language.as_str()))
        .write_inner_content(|w| -> XmlResult {
            text(w, "title", &config.title)?;
            if !config.description.is_empty() {
                text(w, "subtitle", &config.description)?;
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

fn latest(site: &Site, id: PageId) -> Option<crate::content::Date> {
    let page = &site.pages[id];
    page.meta.updated.or(page.date)
}

fn text<W: std::io::Write>(w: &mut Writer<W>, name: &str, value: &str) -> XmlResult {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}
