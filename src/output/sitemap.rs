//! sitemap.xml (sitemaps.org 0.9) and robots.txt naming it. Only published
//! pages and the lists that show them; never drafts, future posts or 404.

use std::io::Cursor;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::config::Config;
use crate::content::Date;
use crate::site::{RenderJob, Site};

pub fn sitemap(
    site: &Site,
    config: &Config,
    jobs: &[RenderJob],
    published: &[bool],
) -> std::io::Result<Vec<u8>> {
    let mut entries: Vec<(String, Option<Date>)> = Vec::new();
    for &job in jobs {
        match job {
            RenderJob::Page(id) if published[id] => {
                let page = &site.pages[id];
                entries.push((page.path.clone(), page.meta.updated.or(page.date)));
            }
            RenderJob::Page(_) | RenderJob::NotFound | RenderJob::Search => {}
            RenderJob::Home { pager }
            | RenderJob::Section { pager, .. }
            | RenderJob::Term { pager, .. }
                if pager > 1 => {}
            other => entries.push((site.job_url(other), None)),
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|w| -> std::io::Result<()> {
            for (path, date) in &entries {
                w.create_element("url")
                    .write_inner_content(|w| -> std::io::Result<()> {
                        w.create_element("loc")
                            .write_text_content(BytesText::new(&config.permalink(path)))?;
                        if let Some(date) = date {
                            w.create_element("lastmod")
                                .write_text_content(BytesText::new(&date.to_rfc3339()))?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    let mut bytes = w.into_inner().into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.permalink("/sitemap.xml")
    )
}
