//! A parsed page as the page cache stores it (`markdown::stored` has the
//! layout): everything `parse_page` made of the file but its HTML, which is
//! the rendered markdown's entry in the same cache, named by its key, so
//! the cache holds each post's HTML once. A rebuild reads an unchanged post
//! back without reading its front matter or rendering its markdown.

use jiff::civil::DateTime;
use jiff::tz::Offset;

use crate::content::date::Date;
use crate::content::front_matter::FrontMatter;
use crate::content::page::{Page, SourceLink};
use crate::diagnostics::{Diagnostic, Severity};
use crate::markdown::cache::Key;
use crate::markdown::stored::{In, Out, Stored};

/// A page without its HTML and bundle files, and the key of its rendered
/// markdown.
pub struct StoredPage {
    pub page: Page,
    pub rendered: Key,
}

impl Stored for Date {
    fn put(&self, out: &mut Out) {
        let dt = self.datetime;
        out.put(&dt.year());
        out.put(&dt.month());
        out.put(&dt.day());
        out.put(&dt.hour());
        out.put(&dt.minute());
        out.put(&dt.second());
        out.put(&dt.subsec_nanosecond());
        out.put(&self.offset.map(|o| o.seconds()));
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        let datetime = DateTime::new(
            input.take()?,
            input.take()?,
            input.take()?,
            input.take()?,
            input.take()?,
            input.take()?,
            input.take()?,
        )
        .ok()?;
        let offset = match input.take::<Option<i32>>()? {
            Some(seconds) => Some(Offset::from_seconds(seconds).ok()?),
            None => None,
        };
        Some(Date::new(datetime, offset))
    }
}

impl Stored for Severity {
    fn put(&self, out: &mut Out) {
        out.put(&matches!(self, Severity::Warning));
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        Some(match input.take::<bool>()? {
            true => Severity::Warning,
            false => Severity::Error,
        })
    }
}

impl Stored for Diagnostic {
    fn put(&self, out: &mut Out) {
        let Diagnostic {
            path,
            line,
            column,
            message,
            hint,
            severity,
        } = self;
        out.put(path);
        out.put(line);
        out.put(column);
        out.put(message);
        out.put(hint);
        out.put(severity);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        Some(Diagnostic {
            path: input.take()?,
            line: input.take()?,
            column: input.take()?,
            message: input.take()?,
            hint: input.take()?,
            severity: input.take()?,
        })
    }
}

impl Stored for SourceLink {
    fn put(&self, out: &mut Out) {
        let SourceLink {
            url,
            line,
            column,
            image,
        } = self;
        out.put(url);
        out.put(line);
        out.put(column);
        out.put(image);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        Some(SourceLink {
            url: input.take()?,
            line: input.take()?,
            column: input.take()?,
            image: input.take()?,
        })
    }
}

/// The front matter's key for `template`, one of a few fixed names.
const TEMPLATE_KEYS: [&str; 3] = ["", "template", "layout"];

impl Stored for FrontMatter {
    fn put(&self, out: &mut Out) {
        let FrontMatter {
            title,
            date,
            publish_date,
            expiry_date,
            updated,
            draft,
            search_excluded,
            description,
            slug,
            aliases,
            template,
            template_key,
            weight,
            taxonomies,
            extra,
            other,
            sort_by,
            paginate,
            series,
            series_order,
        } = self;
        out.put(title);
        out.put(date);
        out.put(publish_date);
        out.put(expiry_date);
        out.put(updated);
        out.put(draft);
        out.put(search_excluded);
        out.put(description);
        out.put(slug);
        out.put(aliases);
        out.put(template);
        match TEMPLATE_KEYS.iter().position(|k| k == template_key) {
            Some(i) => out.put(&(i as u8)),
            None => out.refuse(),
        }
        out.put(weight);
        out.put(taxonomies);
        out.put(extra);
        out.put(other);
        out.put(sort_by);
        out.put(paginate);
        out.put(series);
        out.put(series_order);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        Some(FrontMatter {
            title: input.take()?,
            date: input.take()?,
            publish_date: input.take()?,
            expiry_date: input.take()?,
            updated: input.take()?,
            draft: input.take()?,
            search_excluded: input.take()?,
            description: input.take()?,
            slug: input.take()?,
            aliases: input.take()?,
            template: input.take()?,
            template_key: TEMPLATE_KEYS.get(usize::from(input.take::<u8>()?))?,
            weight: input.take()?,
            taxonomies: input.take()?,
            extra: input.take()?,
            other: input.take()?,
            sort_by: input.take()?,
            paginate: input.take()?,
            series: input.take()?,
            series_order: input.take()?,
        })
    }
}

impl Stored for StoredPage {
    fn put(&self, out: &mut Out) {
        let Page {
            source,
            section,
            // The bundle's files are listed by the walk, not the parse.
            assets: _,
            meta,
            title,
            slug,
            date,
            path,
            // The rendered markdown's entry holds it.
            content: _,
            summary,
            has_more,
            diagrams,
            toc,
            toc_placed,
            word_count,
            reading_time,
            code_classes,
            source_hash,
            links,
            warnings,
            file_links,
            ids,
            front_matter_text,
            front_matter_line,
        } = &self.page;
        out.put(&self.rendered);
        out.put(source);
        out.put(section);
        out.put(meta);
        out.put(title);
        out.put(slug);
        out.put(date);
        out.put(path);
        out.put(summary);
        out.put(has_more);
        out.put(diagrams);
        out.put(toc);
        out.put(toc_placed);
        out.put(word_count);
        out.put(reading_time);
        out.put(code_classes);
        out.put(source_hash);
        out.put(links);
        out.put(warnings);
        out.put(file_links);
        out.put(ids);
        out.put(front_matter_text);
        out.put(front_matter_line);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        let rendered = input.take()?;
        let page = Page {
            source: input.take()?,
            section: input.take()?,
            assets: Vec::new(),
            meta: input.take()?,
            title: input.take()?,
            slug: input.take()?,
            date: input.take()?,
            path: input.take()?,
            content: std::sync::Arc::from(""),
            summary: input.take()?,
            has_more: input.take()?,
            diagrams: input.take()?,
            toc: input.take()?,
            toc_placed: input.take()?,
            word_count: input.take()?,
            reading_time: input.take()?,
            code_classes: input.take()?,
            source_hash: input.take()?,
            links: input.take()?,
            warnings: input.take()?,
            file_links: input.take()?,
            ids: input.take()?,
            front_matter_text: input.take()?,
            front_matter_line: input.take()?,
        };
        Some(StoredPage { page, rendered })
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::config::Config;
    use crate::markdown::{stored, Highlighter};

    fn parsed(path: &str, text: &str) -> Page {
        crate::content::page::parse_page(
            PathBuf::from(path),
            "posts".into(),
            vec![PathBuf::from("posts/a/photo.jpg")],
            text,
            &Config::default(),
            &Highlighter::new(),
            None,
        )
        .expect("parses")
    }

    #[test]
    fn a_parsed_page_reads_back_as_it_was_but_its_html_and_files() {
        let page = parsed(
            "content/posts/a/index.md",
            "---\ntitle: \"Quotes \\\" and é\"\ndate: 2024-03-01T09:30:00+02:00\n\
             updated: 2024-03-02\nexpiryDate: 2030-01-01 10:00:00\ndraft: false\n\
             tags: [rust, \"C++\"]\naliases: [/old/]\nlayout: wide\nweight: -3\n\
             series: Learning\nextra:\n  n: 1.5\n  list: [1, null, {a: b}]\n\
             custom: yes\n---\n\
             # Heading\n\nSee [the docs](../b/) and ![a photo](photo.jpg).\n\n\
             {% raw %}liquid{% endraw %}\n\n<!-- more -->\n\n## Second {#two}\n\nMore.[^1]\n\n\
             [^1]: A note.\n",
        );
        assert!(page.date.is_some_and(|d| d.offset.is_some()));
        assert!(page.meta.expiry_date.is_some_and(|d| d.offset.is_none()));
        assert_eq!(page.meta.template_key, "layout");
        assert!(!page.links.is_empty() && !page.toc.is_empty());
        let entry = StoredPage {
            page: page.clone(),
            rendered: 42,
        };
        let bytes = stored::write(&entry).expect("storable");
        let back: StoredPage = stored::read(&bytes).expect("reads back");
        assert_eq!(back.rendered, 42);
        let expected = Page {
            assets: Vec::new(),
            content: Arc::from(""),
            ..page
        };
        assert_eq!(format!("{:?}", back.page), format!("{expected:?}"));
        // Cut anywhere, it does not read.
        for cut in (0..bytes.len()).step_by(7) {
            assert!(
                stored::read::<StoredPage>(&bytes[..cut]).is_none(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_page_with_warnings_keeps_them() {
        let page = parsed(
            "content/posts/jekyll.md",
            "---\ntitle: T\nlayout: post\n---\n{% include note.html %}\n\nText.\n",
        );
        assert!(!page.warnings.is_empty());
        let entry = StoredPage {
            page: page.clone(),
            rendered: 1,
        };
        let back: StoredPage =
            stored::read(&stored::write(&entry).expect("storable")).expect("reads back");
        assert_eq!(back.page.warnings, page.warnings);
        assert_eq!(back.page.meta.template_key, page.meta.template_key);
    }
}
