//! Markdown to HTML with pulldown-cmark: CommonMark plus tables, footnotes,
//! strikethrough, task lists and smart punctuation, GitHub's alerts
//! (`> [!NOTE]`) as notes, `$…$`/`$$…$$` math as MathML (pulldown-latex),
//! `mermaid` fences noted for the theme's script; unique heading ids with
//! anchor links; footnotes gathered at the bottom (`footnotes.rs`); a table
//! of contents, also placed where a `<!-- toc -->` line stands; a summary
//! (the text before `<!-- more -->`, else the first paragraph); a word
//! count. Fenced code goes to the highlighter. Markdown text is never run
//! as a template.

use std::fmt::Write;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use crate::config::MarkdownConfig;
use crate::markdown::cache::Key;
use crate::markdown::footnotes::Footnotes;
use crate::markdown::highlight::Highlighter;
use crate::markdown::ids::IdAllocator;

/// Marks the summary's end inside the rendered HTML. NUL in the input is
/// replaced by U+FFFD first (as CommonMark asks), so this byte can only come
/// from us.
const SUMMARY_MARK: &str = "\0";

/// Where a `<!-- toc -->` line was, until the table of contents is known.
/// Holds no NUL, so the summary's mark is never mistaken for it.
const TOC_MARK: &str = "\u{1}blog-toc\u{1}";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub summary: String,
    /// True when the author marked the summary with `<!-- more -->`.
    pub has_more: bool,
    pub toc: Vec<TocEntry>,
    /// The author placed the table of contents with `<!-- toc -->`.
    pub toc_placed: bool,
    pub word_count: usize,
    /// Classes the highlighted code used, for the stylesheet.
    pub code_classes: Vec<String>,
    /// Every link and image destination, in order, for the link checker.
    pub links: Vec<Link>,
    /// Every element id the HTML defines: headings, footnotes, raw HTML.
    pub ids: Vec<String>,
    /// Whether a `mermaid` fence is on the page, for the theme's script.
    pub diagrams: bool,
    /// Mistakes in the text that still render (a TeX error): byte offset
    /// in the markdown, and what is wrong.
    pub problems: Vec<(usize, String)>,
    /// The highlight cache's keys of the page's code blocks.
    pub blocks: Vec<crate::markdown::cache::Key>,
}

/// A link or image destination as the author wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    /// Byte offset of the link in the markdown, for its line and column.
    pub offset: usize,
    pub image: bool,
}

/// `render`, through the highlighter's cache when the build has one: a
/// page whose markdown and settings are those of an earlier build is read
/// back rather than rendered (its code blocks' entries are kept too). The
/// key covers the markdown, the markdown settings, the highlighting engines
/// and themes, and this build of `blog`; an entry that does not read back
/// is rendered again.
pub fn render_cached(
    markdown: &str,
    config: &MarkdownConfig,
    highlighter: &Highlighter,
) -> Rendered {
    render_keyed(markdown, config, highlighter).0
}

/// `render_cached`, and the page cache's key of what it rendered, when the
/// build has a cache.
pub fn render_keyed(
    markdown: &str,
    config: &MarkdownConfig,
    highlighter: &Highlighter,
) -> (Rendered, Option<Key>) {
    let Some((_, pages)) = highlighter.caches() else {
        return (render(markdown, config, highlighter), None);
    };
    let settings = format!(
        "page\0{}\0{}\0{}",
        crate::output::rendered::binary_identity(),
        serde_json::to_string(config).unwrap_or_default(),
        highlighter.settings()
    );
    let key = crate::markdown::cache::HighlightCache::key(&settings, markdown);
    if let Some(rendered) = stored(key, highlighter) {
        return (rendered, Some(key));
    }
    let rendered = render(markdown, config, highlighter);
    let size = rendered.html.len() + rendered.summary.len() + 4096;
    if let Some(bytes) = super::stored::write_sized(&rendered, size) {
        pages.put(key, &bytes);
    }
    (rendered, Some(key))
}

/// The rendered markdown the page cache holds under `key`, with its code
/// blocks kept in the highlight cache for next time.
pub fn stored(key: Key, highlighter: &Highlighter) -> Option<Rendered> {
    let (blocks, pages) = highlighter.caches()?;
    let rendered: Rendered = super::stored::read(&pages.get(key)?)?;
    blocks.keep(&rendered.blocks);
    Some(rendered)
}

/// `stored`'s HTML alone, read without the rest of the entry.
pub fn stored_html(key: Key, highlighter: &Highlighter) -> Option<std::sync::Arc<str>> {
    let (blocks, pages) = highlighter.caches()?;
    let bytes = pages.get(key)?;
    let (html, keys) = super::stored::take_html(&mut super::stored::In::new(&bytes))?;
    blocks.keep(&keys);
    Some(html)
}

pub fn render(markdown: &str, config: &MarkdownConfig, highlighter: &Highlighter) -> Rendered {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if config.alerts {
        options |= Options::ENABLE_GFM;
    }
    if config.math {
        options |= Options::ENABLE_MATH;
    }
    let mut problems = Vec::new();
    let cleaned;
    let markdown = if markdown.contains('\0') {
        cleaned = markdown.replace('\0', "\u{FFFD}");
        cleaned.as_str()
    } else {
        markdown
    };
    let mut links = Vec::new();
    let mut ids = IdAllocator::default();
    let mut element_ids = Vec::new();
    let bottom_notes = config.bottom_footnotes;
    let (mut defined, mut referenced) = (Vec::new(), Vec::new());
    // Room for an event per 8 bytes of markdown, which inline-heavy prose
    // comes near (the generated posts, heavy on code, have one per 22): the
    // list is not copied as it grows.
    let mut events: Vec<Event> = Vec::with_capacity(markdown.len() / 8 + 16);
    let parsed = Parser::new_ext(markdown, options)
        .into_offset_iter()
        .map(|(event, range)| {
            match &event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => links.push(Link {
                    // `<someone@example.org>` is written as a mailto: link.
                    url: if *link_type == pulldown_cmark::LinkType::Email {
                        format!("mailto:{dest_url}")
                    } else {
                        dest_url.to_string()
                    },
                    offset: range.start,
                    image: false,
                }),
                Event::Start(Tag::Image { dest_url, .. }) => links.push(Link {
                    url: dest_url.to_string(),
                    offset: range.start,
                    image: true,
                }),
                Event::Start(Tag::FootnoteDefinition(label)) if bottom_notes => {
                    defined.push(label.to_string())
                }
                Event::FootnoteReference(label) if bottom_notes => {
                    referenced.push(label.to_string())
                }
                Event::Start(Tag::FootnoteDefinition(label)) => element_ids.push(label.to_string()),
                Event::Html(html) | Event::InlineHtml(html) => {
                    for (name, value, at) in html_attributes(html) {
                        match name {
                            "id" => {
                                // Taken, so that headings do not reuse it.
                                ids.reserve(value.clone());
                                element_ids.push(value);
                            }
                            _ => links.push(Link {
                                url: value,
                                offset: range.start + at,
                                image: name == "src",
                            }),
                        }
                    }
                }
                _ => {}
            }
            match event {
                Event::InlineMath(tex) => {
                    Event::InlineHtml(math(&tex, false, range.start, &mut problems).into())
                }
                Event::DisplayMath(tex) => {
                    Event::InlineHtml(math(&tex, true, range.start, &mut problems).into())
                }
                event => event,
            }
        });
    events.extend(parsed);
    let has_more = events.iter().any(is_more_marker);
    let mut diagrams = false;
    // Taken before the headings', so a heading never reuses a note's id.
    let mut notes = Footnotes::new(defined.iter().map(String::as_str), &referenced, &mut ids);
    let mut toc_placed = false;

    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut word_count = 0;
    let mut depth = 0usize;
    let mut summary_placed = false;
    let mut first_paragraph: Option<usize> = None;
    let mut summary = String::new();
    let mut code_classes = std::collections::BTreeSet::new();
    let mut blocks = Vec::new();
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let inner: Vec<Event> = iter
                    .by_ref()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .collect();
                let text = plain_text(&inner);
                word_count += count_words(&text);
                let id = ids.allocate(config.heading_ids, id.as_deref(), &text);
                let level_n = heading_number(level);
                let mut html = format!("<h{level_n} id=\"{}\"", escape(&id));
                if !classes.is_empty() {
                    let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
                    let _ = write!(html, " class=\"{}\"", escape(&joined.join(" ")));
                }
                for (name, value) in &attrs {
                    let _ = write!(
                        html,
                        " {}=\"{}\"",
                        escape(name),
                        escape(value.as_deref().unwrap_or(""))
                    );
                }
                html.push('>');
                // A note referred to in a heading is numbered as anywhere.
                let inner = inner.into_iter().map(|e| match e {
                    Event::FootnoteReference(label) if bottom_notes => {
                        Event::InlineHtml(notes.reference(&label).into())
                    }
                    e => e,
                });
                pulldown_cmark::html::push_html(&mut html, inner);
                if config.anchor_links {
                    let _ = write!(
                        html,
                        " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a>",
                        id = escape(&id)
                    );
                }
                let _ = writeln!(html, "</h{level_n}>");
                headings.push((level_n, id, text));
                out.push(Event::Html(html.into()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for e in iter.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.as_ref(),
                    CodeBlockKind::Indented => "",
                };
                diagrams |= crate::markdown::highlight::is_diagram_fence(info);
                let html = if config.highlight {
                    highlighter.block_keyed(info, &code, &mut code_classes, &mut blocks)
                } else {
                    Highlighter::plain_block(info, &code)
                };
                out.push(Event::Html(html.into()));
            }
            // A task list's box, named for screen readers (an input needs a
            // name; the item's text follows it).
            Event::TaskListMarker(done) => out.push(Event::InlineHtml(
                if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"To do\"> "
                }
                .into(),
            )),
            // GitHub's alerts: a note with its kind as a visible title.
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind);
                depth += 1;
                out.push(Event::Html(
                    format!(
                        "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                depth = depth.saturating_sub(1);
                out.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) if bottom_notes => {
                depth += 1;
                notes.open(&label, out.len());
            }
            Event::End(TagEnd::FootnoteDefinition) if bottom_notes => {
                depth = depth.saturating_sub(1);
                if let Some(at) = notes.open_at() {
                    let body = out.split_off(at.min(out.len()));
                    notes.close(body);
                }
            }
            Event::FootnoteReference(label) if bottom_notes => {
                out.push(Event::InlineHtml(notes.reference(&label).into()));
            }
            Event::Html(ref h) if config.toc_marker && is_toc_marker(h) => {
                toc_placed = true;
                out.push(Event::Html(TOC_MARK.into()));
            }
            Event::Start(Tag::HtmlBlock) => out.push(event),
            Event::End(TagEnd::HtmlBlock) => out.push(event),
            ref e if is_more_marker(e) => {
                if depth == 0 && !summary_placed {
                    summary_placed = true;
                    out.push(Event::Html(SUMMARY_MARK.into()));
                }
            }
            Event::Start(tag) => {
                if depth == 0 && first_paragraph.is_none() && matches!(tag, Tag::Paragraph) {
                    first_paragraph = Some(out.len());
                }
                depth += 1;
                out.push(Event::Start(tag));
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                out.push(Event::End(end));
                if !has_more && !summary_placed && depth == 0 && end == TagEnd::Paragraph {
                    // Without a marker, the summary is the first paragraph alone.
                    summary_placed = true;
                    if let Some(start) = first_paragraph {
                        pulldown_cmark::html::push_html(&mut summary, out[start..].iter().cloned());
                        summary.truncate(summary.trim_end().len());
                    }
                }
            }
            Event::Text(ref t) => {
                word_count += count_words(t);
                out.push(event);
            }
            other => out.push(other),
        }
    }

    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html.push_str(&notes.section());
    element_ids.extend(notes.ids());
    let (html, summary) = match html.split_once(SUMMARY_MARK) {
        Some((before, after)) => {
            element_ids.push("continue-reading".into());
            (
                format!("{before}<span id=\"continue-reading\"></span>\n{after}"),
                before.trim_end().to_string(),
            )
        }
        None => (html, summary),
    };
    element_ids.extend(headings.iter().map(|(_, id, _)| id.clone()));
    let toc = build_toc(headings);
    let (html, summary) = if toc_placed {
        // The summary is shown away from the page: no contents there.
        (
            html.replace(TOC_MARK, &toc_html(&toc)),
            summary.replace(TOC_MARK, ""),
        )
    } else {
        (html, summary)
    };
    // A list shows many summaries on one page: their ids would clash.
    let summary = without_ids(&summary);
    Rendered {
        html,
        summary,
        has_more,
        toc,
        toc_placed,
        word_count,
        code_classes: code_classes.into_iter().collect(),
        links,
        ids: element_ids,
        diagrams,
        problems,
        blocks,
    }
}

fn alert(kind: pulldown_cmark::BlockQuoteKind) -> (&'static str, &'static str) {
    use pulldown_cmark::BlockQuoteKind as K;
    match kind {
        K::Note => ("note", "Note"),
        K::Tip => ("tip", "Tip"),
        K::Important => ("important", "Important"),
        K::Warning => ("warning", "Warning"),
        K::Caution => ("caution", "Caution"),
    }
}

/// TeX as MathML Core, which browsers draw without a script. A mistake is
/// noted at `offset` and the TeX is shown as written, marked.
fn math(tex: &str, display: bool, offset: usize, problems: &mut Vec<(usize, String)>) -> String {
    use pulldown_latex::config::{DisplayMode, RenderConfig};
    let storage = pulldown_latex::Storage::new();
    let events: Vec<_> = pulldown_latex::Parser::new(tex, &storage).collect();
    let error = events
        .iter()
        .find_map(|e| e.as_ref().err().map(|e| e.to_string()));
    let mut out = String::new();
    let rendered = match error {
        Some(e) => Err(e),
        None => {
            let config = RenderConfig {
                display_mode: if display {
                    DisplayMode::Block
                } else {
                    DisplayMode::Inline
                },
                annotation: Some(tex),
                ..RenderConfig::default()
            };
            pulldown_latex::push_mathml(&mut out, events.into_iter(), config)
                .map_err(|e| e.to_string())
        }
    };
    match rendered {
        Ok(()) => out,
        Err(e) => {
            problems.push((
                offset,
                format!("TeX: {}", e.lines().next().unwrap_or(&e).trim()),
            ));
            let delimiter = if display { "$$" } else { "$" };
            format!(
                "<code class=\"math-error\">{delimiter}{}{delimiter}</code>",
                escape(tex)
            )
        }
    }
}

/// `html` without its `id` attributes.
pub(crate) fn without_ids(html: &str) -> String {
    let mut out = html.to_string();
    let ids: Vec<usize> = html_attributes(html)
        .into_iter()
        .filter(|(name, _, _)| *name == "id")
        .map(|(_, _, at)| at)
        .collect();
    // From the last, so earlier offsets stay right.
    for at in ids.into_iter().rev() {
        let after_name = html[at + 2..].trim_start();
        let Some(value) = after_name.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        let value_len = match value.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => value[1..]
                .find(q as char)
                .map_or(value.len(), |end| end + 2),
            _ => value
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(value.len()),
        };
        let end = html.len() - value.len() + value_len;
        // The space before the name goes too.
        out.replace_range(at - 1..end, "");
    }
    out
}

/// The `href`, `src` and `id` attributes of raw HTML, with their values
/// (`&amp;` decoded) and byte offsets. A small scanner, not a parser: it
/// looks for the names after whitespace inside tags.
pub(crate) fn html_attributes(html: &str) -> Vec<(&'static str, String, usize)> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        // `<` is ASCII, so `i` is a character boundary here.
        if b == b'<' && html[i..].starts_with("<!--") {
            i += html[i..].find("-->").map_or(bytes.len() - i, |end| end + 3);
            in_tag = false;
            continue;
        }
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'"' | b'\'' if in_tag => quote = Some(b),
            _ if in_tag && b.is_ascii_whitespace() => {
                let rest = &html[i + 1..];
                let name = ["href", "src", "id"].into_iter().find(|name| {
                    rest.len() > name.len()
                        && rest.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                        && rest[name.len()..].trim_start().starts_with('=')
                });
                if let Some(name) = name {
                    let after = rest[name.len()..].trim_start()[1..].trim_start();
                    let start = html.len() - after.len();
                    let (value, len) = match after.as_bytes().first() {
                        Some(&q @ (b'"' | b'\'')) => {
                            let inner = &after[1..];
                            let end = inner.find(q as char).unwrap_or(inner.len());
                            (&inner[..end], end + 2)
                        }
                        _ => {
                            let end = after
                                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                                .unwrap_or(after.len());
                            (&after[..end], end)
                        }
                    };
                    found.push((name, value.replace("&amp;", "&"), i + 1));
                    i = (start + len).min(bytes.len());
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

fn is_more_marker(event: &Event) -> bool {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => {
            let t = html.trim();
            t.strip_prefix("<!--")
                .and_then(|t| t.strip_suffix("-->"))
                .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
        }
        _ => false,
    }
}

/// A block that is only `<!-- toc -->` (any case, any spaces inside).
fn is_toc_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|t| t.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("toc"))
}

/// The table of contents as the nested list a `<!-- toc -->` line becomes.
fn toc_html(toc: &[TocEntry]) -> String {
    fn list(out: &mut String, entries: &[TocEntry]) {
        out.push_str("<ol>\n");
        for e in entries {
            let _ = write!(
                out,
                "<li><a href=\"#{}\">{}</a>",
                escape(&e.id),
                escape(&e.title)
            );
            if !e.children.is_empty() {
                out.push('\n');
                list(out, &e.children);
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    if toc.is_empty() {
        return String::new();
    }
    let mut out = String::from("<nav class=\"toc\" aria-label=\"Contents\">\n");
    list(&mut out, toc);
    out.push_str("</nav>\n");
    out
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Counts runs of non-whitespace; a hot path (4.8% of a cold build's
/// instructions before ASCII text was counted eight bytes at a time).
fn count_words(text: &str) -> usize {
    if text.is_ascii() {
        return count_ascii_words(text.as_bytes());
    }
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        let space = if c.is_ascii() {
            c.is_ascii_whitespace()
        } else {
            c.is_whitespace()
        };
        if !space && !in_word {
            count += 1;
        }
        in_word = !space;
    }
    count
}

/// Words in ASCII text, eight bytes at a time: a word starts at a byte that is
/// not whitespace (as `u8::is_ascii_whitespace`: space, tab, line feed, form
/// feed, carriage return) after one that is. Each byte's answer is computed in
/// its top bit, without branches; a page's text is counted in a few
/// instructions a byte where one at a time took about seventeen.
fn count_ascii_words(bytes: &[u8]) -> usize {
    debug_assert!(bytes.is_ascii(), "the sums below assume bytes below 0x80");
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // For bytes below 0x80 no sum here carries into the next byte.
    let at_least = |x: u64, k: u8| x.wrapping_add(u64::from(0x80 - k) * ONES) & HIGH;
    let equal = |x: u64, c: u8| {
        let t = x ^ (u64::from(c) * ONES);
        !(t.wrapping_add(0x7f * ONES) | t) & HIGH
    };
    let spaces = |x: u64| {
        let controls = at_least(x, 9) & !at_least(x, 14) & !equal(x, 0x0b);
        controls | equal(x, b' ')
    };
    let mut count = 0;
    // The top bit of the byte before the chunk: text starts after a space.
    let mut before = 0x80;
    let mut count_chunk = |x: u64| {
        let space = spaces(x);
        let after_space = (space << 8) | before;
        count += (!space & after_space & HIGH).count_ones() as usize;
        before = space >> 56;
    };
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        count_chunk(u64::from_le_bytes(word));
    }
    // The last bytes, padded with spaces, which start no word.
    let mut last = [b' '; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    count_chunk(u64::from_le_bytes(last));
    count
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(&mut out), text);
    out
}

/// Nests flat headings by level: an h3 after an h2 becomes its child.
fn build_toc(headings: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        match list.last_mut() {
            Some(last) if last.level < entry.level => insert(&mut last.children, entry),
            _ => list.push(entry),
        }
    }
    let mut toc = Vec::new();
    for (level, id, title) in headings {
        insert(
            &mut toc,
            TocEntry {
                level,
                id,
                title,
                children: Vec::new(),
            },
        );
    }
    toc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Rendered {
        render(text, &MarkdownConfig::default(), &Highlighter::new())
    }

    #[test]
    fn summaries_carry_no_ids() {
        assert_eq!(
            without_ids("<h2 id=\"intro\">Intro <a class=\"anchor\" href=\"#intro\">#</a></h2><div class=x id='1' data-id=\"k\">a</div><p id=bare>b</p><p title=\"id=x\">c</p>"),
            "<h2>Intro <a class=\"anchor\" href=\"#intro\">#</a></h2><div class=x data-id=\"k\">a</div><p>b</p><p title=\"id=x\">c</p>"
        );
        let r = md("## Intro\n\nHello [^1].\n\n[^1]: note\n\n<!-- more -->\n\nRest.\n");
        assert!(!r.summary.contains(" id="), "{}", r.summary);
        assert!(r.html.contains("id=\"intro\""), "the page keeps its ids");
    }

    #[test]
    fn extensions_are_on() {
        let r = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ and \"quoted\"\n\n- [x] done\n\nNote[^1]\n\n[^1]: The note.\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>gone</del>"));
        assert!(r.html.contains("\u{201c}quoted\u{201d}"), "{}", r.html);
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(
            r.html.contains("aria-label=\"Done\"") || r.html.contains("aria-label=\"To do\""),
            "a task's box has a name: {}",
            r.html
        );
        assert!(r.html.contains("<section class=\"footnotes\""));
    }

    #[test]
    fn footnotes_are_gathered_at_the_bottom_in_reference_order() {
        let r = md("# Notes\n\nFirst[^b], second[^a], again[^b].\n\n[^a]: Note A.\n\n[^b]: Note B.\n\n[^unused]: Never referenced.\n\nMissing[^none].\n\n## Fn B\n");
        let refs = "<sup><a href=\"#fn-b\" id=\"fnref-b\">1</a></sup>, second<sup><a href=\"#fn-a\" id=\"fnref-a\">2</a></sup>, again<sup><a href=\"#fn-b\" id=\"fnref-b-2\">1</a></sup>";
        assert!(r.html.contains(refs), "{}", r.html);
        let section = &r.html[r.html.find("<section").expect("section")..];
        assert!(
            section.find("id=\"fn-b\"") < section.find("id=\"fn-a\""),
            "{section}"
        );
        assert!(section.contains("<p>Note B. <a href=\"#fnref-b\" class=\"footnote-backref\" aria-label=\"Back to reference 1\">\u{21a9}</a> <a href=\"#fnref-b-2\" class=\"footnote-backref\" aria-label=\"Back to reference 1-2\">\u{21a9}<sup>2</sup></a></p>"), "{section}");
        assert!(
            !r.html.contains("Never referenced"),
            "unreferenced notes are dropped, as on GitHub"
        );
        assert!(r.html.contains("Missing[^none]."), "{}", r.html);
        assert!(
            r.html.find("<section") > r.html.find("Fn B"),
            "the notes come last"
        );
        // A heading never takes a note's id.
        assert!(r.html.contains("<h2 id=\"fn-b-1\">"), "{}", r.html);
        let mut ids = r.ids.clone();
        ids.sort();
        assert_eq!(
            ids,
            [
                "fn-a",
                "fn-b",
                "fn-b-1",
                "fnref-a",
                "fnref-b",
                "fnref-b-2",
                "notes"
            ]
        );
    }

    #[test]
    fn a_note_referred_to_in_a_heading_is_numbered_too() {
        let r = md("## Claim[^a]\n\nText[^a].\n\n[^a]: Source.\n");
        assert!(
            r.html
                .contains("Claim<sup><a href=\"#fn-a\" id=\"fnref-a\">1</a></sup>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"fnref-a-2\""), "{}", r.html);
        assert!(!r.html.contains("footnote-reference"), "{}", r.html);
    }

    #[test]
    fn footnotes_in_place_when_asked() {
        let config = MarkdownConfig {
            bottom_footnotes: false,
            ..MarkdownConfig::default()
        };
        let r = render("Hi[^n]\n\n[^n]: There.\n", &config, &Highlighter::new());
        assert!(r.html.contains("footnote-definition"), "{}", r.html);
        assert!(!r.html.contains("<section"));
        assert_eq!(r.ids, ["n"]);
    }

    #[test]
    fn summary_footnote_links_lead_to_the_notes() {
        let r = md("Intro[^1].\n\n<!-- more -->\n\nRest[^1].\n\n[^1]: The note.\n");
        assert!(
            r.summary.contains("<a href=\"#fn-1\">1</a>"),
            "{}",
            r.summary
        );
        assert!(r.html.contains("id=\"fn-1\""));
        assert!(!r.summary.contains("footnotes"), "{}", r.summary);
        let r = md("Only[^1] this.\n\n[^1]: Note.\n");
        assert_eq!(
            r.summary,
            "<p>Only<sup><a href=\"#fn-1\">1</a></sup> this.</p>"
        );
    }

    #[test]
    fn toc_marker_places_the_contents() {
        let r = md("Intro.\n\n<!-- toc -->\n\n## One & two\n\n### Deep\n\n## Three\n\n```\n<!-- toc -->\n```\n\nInline <!-- toc --> stays.\n");
        assert!(r.toc_placed);
        assert!(r.html.contains("<nav class=\"toc\" aria-label=\"Contents\">\n<ol>\n<li><a href=\"#one-two\">One &amp; two</a>\n<ol>\n<li><a href=\"#deep\">Deep</a></li>\n</ol>\n</li>\n<li><a href=\"#three\">Three</a></li>\n</ol>\n</nav>"), "{}", r.html);
        assert_eq!(r.html.matches("<nav").count(), 1);
        assert!(
            r.html.contains("&lt;!-- toc --&gt;"),
            "code keeps the marker: {}",
            r.html
        );
        assert!(r.html.contains("Inline <!-- toc --> stays."));
        let r = md("Intro.\n\n<!-- toc -->\n\n<!-- more -->\n\n## A\n");
        assert!(
            !r.summary.contains("nav") && !r.summary.contains('\u{1}'),
            "{}",
            r.summary
        );
        let r = md("## A\n\nNo marker.\n");
        assert!(!r.toc_placed && !r.html.contains("<nav"));
        let off = MarkdownConfig {
            toc_marker: false,
            ..MarkdownConfig::default()
        };
        let r = render("<!-- toc -->\n\n## A\n", &off, &Highlighter::new());
        assert!(!r.toc_placed && r.html.contains("<!-- toc -->"));
    }

    #[test]
    fn heading_ids_are_unique_and_linked() {
        let r = md("## Intro\n\n## Intro\n\n### Deep {#custom}\n");
        assert!(r
            .html
            .contains("<h2 id=\"intro\">Intro <a class=\"anchor\" href=\"#intro\""));
        assert!(r.html.contains("id=\"intro-1\""));
        assert!(r.html.contains("id=\"custom\""));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "custom");
    }

    #[test]
    fn summary_from_more_marker_or_first_paragraph() {
        let r = md("First.\n\nSecond.\n\n<!-- more -->\n\nThird.\n");
        assert!(r.has_more);
        assert_eq!(r.summary, "<p>First.</p>\n<p>Second.</p>");
        assert!(r.html.contains("continue-reading"));
        assert!(r.html.contains("Third."));
        let r = md("# T\n\nOnly this.\n\nNot this.\n");
        assert_eq!(r.summary, "<p>Only this.</p>");
        assert!(!r.has_more);
        assert!(!r.html.contains('\0'));
    }

    #[test]
    fn template_syntax_is_left_as_written() {
        let r = md("Use {{ page.title }} and {% raw %}.\n\n`{{ x }}`\n\n```\n{% if %}\n```\n");
        assert!(r.html.contains("{{ page.title }}"));
        assert!(r.html.contains("{% raw %}"));
        assert!(r.html.contains("<code>{{ x }}</code>"));
        assert!(r.html.contains("{% if %}"));
    }

    #[test]
    fn words_are_counted_by_whitespace_in_any_script() {
        assert_eq!(count_words("  one\ttwo\n three  "), 3);
        assert_eq!(count_words("un\u{3000}deux é"), 3);
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("a\x0cb\rc  d"), 4);
        assert_eq!(count_words(" x"), 1);
        assert_eq!(count_words("x "), 1);
        // Every ASCII byte, at every offset within the eight-byte chunks, as
        // one at a time counts it: a vertical tab (0x0b) is not whitespace.
        let one_at_a_time = |bytes: &[u8]| {
            let mut count = 0;
            let mut after_space = true;
            for &b in bytes {
                let space = b.is_ascii_whitespace();
                count += usize::from(after_space & !space);
                after_space = space;
            }
            count
        };
        let all: Vec<u8> = (0..128u8).collect();
        for len in 0..all.len() {
            for start in 0..9.min(all.len() - len) {
                let bytes = &all[start..start + len];
                assert_eq!(count_ascii_words(bytes), one_at_a_time(bytes), "{bytes:?}");
            }
        }
        let mixed = b"a b\tc\x0bd\x0ce\rf\ng  hh\x1f\x21 \x7f\x08x\x0e.";
        for len in 0..=mixed.len() {
            assert_eq!(
                count_ascii_words(&mixed[..len]),
                one_at_a_time(&mixed[..len])
            );
        }
        // Runs of spaces and words across chunk boundaries, drawn from the
        // characters that matter, deterministically.
        let alphabet = b" \t\n\x0b\x0c\rax\x08\x0e\x1f!";
        let mut state = 7u32;
        for len in 0..300 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    alphabet[(state >> 16) as usize % alphabet.len()]
                })
                .collect();
            assert_eq!(
                count_ascii_words(&bytes),
                one_at_a_time(&bytes),
                "{bytes:?}"
            );
        }
        assert_eq!(count_words("one\x0btwo"), 1);
    }

    #[test]
    fn words_are_counted_outside_code() {
        let r = md("one two three\n\n```\nnot counted here\n```\n");
        assert_eq!(r.word_count, 3);
    }

    #[test]
    fn links_images_and_ids_are_collected_with_offsets() {
        let text = "# Top\n\nSee [a](/a/#x) and ![i](img.png).\n\n<div id=\"box\"><a href='/raw/?a=1&amp;b=2'>r</a></div>\n\n<!-- <a href=\"/commented/\"> -->\n\nNote[^n]\n\n[^n]: The note.\n";
        let r = md(text);
        let links: Vec<(&str, usize, bool)> = r
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.offset, l.image))
            .collect();
        assert_eq!(
            links,
            vec![
                ("/a/#x", text.find("[a]").expect("link"), false),
                ("img.png", text.find("![i]").expect("image"), true),
                ("/raw/?a=1&b=2", text.find("href='").expect("raw"), false),
            ]
        );
        let mut ids = r.ids.clone();
        ids.sort();
        assert_eq!(ids, vec!["box", "fn-n", "fnref-n", "top"]);
    }

    #[test]
    fn html_attribute_scanner_handles_odd_markup() {
        let found =
            html_attributes("<img src=a.png alt=\"x > y\" data-src=no ID=\"Up\"><p> href=text</p>");
        let names: Vec<(&str, &str)> = found.iter().map(|(n, v, _)| (*n, v.as_str())).collect();
        assert_eq!(names, vec![("src", "a.png"), ("id", "Up")]);
        assert!(
            html_attributes("<a href=").is_empty() || html_attributes("<a href=")[0].1.is_empty()
        );
        assert!(html_attributes("<!-- unclosed <a href=x>").is_empty());
        // Multi-byte text right after a space inside a tag.
        assert!(html_attributes("<p title=x ·· é>").is_empty());
        assert_eq!(html_attributes("<a ·id=x id=y>")[0].1, "y");
    }

    #[test]
    fn nul_in_input_does_not_split_summary() {
        let r = md("a\0b\n\nsecond\n");
        assert!(!r.html.contains('\0'));
        assert!(r.summary.contains('a'));
    }
}
