//! Rewriting a page's `<img>` tags for their files: `width` and `height`
//! (so the page does not move as images arrive), `loading="lazy"` and
//! `decoding="async"` on every local image but the page's first, and the
//! copies as a `srcset`, the WebP ones in a `<source>` of a `<picture>`.
//! Attributes the author wrote win; images inside a `<picture>` the author
//! wrote, and remote ones, are left as they are.

use super::{Entry, Kind};

/// `html` with each `<img>` whose `src` (as written in the HTML, entities
/// decoded) `lookup` knows rewritten. `permalink` turns an output path
/// into the URL to write.
pub fn rewrite<'e>(
    html: &str,
    lookup: &dyn Fn(&str) -> Option<&'e Entry>,
    sizes: &str,
    permalink: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    let mut first = true;
    let mut open_pictures = 0usize;
    // One pass over the tags: each `<` is looked at once.
    while let Some((at, tag)) = next_tag(rest) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if tag == Tag::ClosePicture {
            open_pictures = open_pictures.saturating_sub(1);
            out.push_str("</picture>");
            rest = &rest["</picture>".len()..];
            continue;
        }
        let end = tag_end(rest);
        let written = &rest[..end];
        rest = &rest[end..];
        if tag == Tag::Picture {
            open_pictures += 1;
            out.push_str(written);
            continue;
        }
        let was_first = std::mem::replace(&mut first, false);
        let attrs = attributes(written);
        let src = attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("src"))
            .and_then(|(_, v)| v.as_deref())
            .map(|v| html_escape::decode_html_entities(v).into_owned());
        let entry = match src.as_deref().and_then(lookup) {
            Some(entry) if open_pictures == 0 => entry,
            _ => {
                out.push_str(written);
                continue;
            }
        };
        out.push_str(&image(&attrs, entry, was_first, sizes, permalink));
    }
    out.push_str(rest);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Img,
    Picture,
    ClosePicture,
}

/// The byte offset and kind of the next `<img`, `<picture` (followed by
/// whitespace, `/` or `>`) or `</picture>`, ASCII case-insensitively.
fn next_tag(html: &str) -> Option<(usize, Tag)> {
    // The page's other tags are skipped by a vector search for `<` that
    // keeps its place: looking for each `<` afresh was most of the rewrite.
    let bytes = html.as_bytes();
    memchr::memchr_iter(b'<', bytes).find_map(|at| {
        let after = &bytes[at + 1..];
        let tag = match after.first()? | 0x20 {
            b'i' if is_tag(after, b"img") => Tag::Img,
            b'p' if is_tag(after, b"picture") => Tag::Picture,
            b'/' if after.len() >= 9 && after[..9].eq_ignore_ascii_case(b"/picture>") => {
                Tag::ClosePicture
            }
            _ => return None,
        };
        Some((at, tag))
    })
}

/// Whether `after` (what follows a `<`) starts with the tag `name`.
fn is_tag(after: &[u8], name: &[u8]) -> bool {
    after.len() > name.len()
        && after[..name.len()].eq_ignore_ascii_case(name)
        && matches!(
            after[name.len()],
            b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>'
        )
}

fn image(
    attrs: &[(String, Option<String>)],
    entry: &Entry,
    first: bool,
    sizes: &str,
    permalink: &dyn Fn(&str) -> String,
) -> String {
    let has = |name: &str| attrs.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let mut tag = String::from("<img");
    for (name, value) in attrs {
        tag.push(' ');
        tag.push_str(name);
        if let Some(value) = value {
            tag.push_str("=\"");
            tag.push_str(value);
            tag.push('"');
        }
    }
    let attr = |s: &str| html_escape::encode_double_quoted_attribute(s).into_owned();
    let (size, copies) = match entry {
        Entry::Missing | Entry::AsIs => (None, &[][..]),
        Entry::Sized { width, height } => (Some((*width, *height)), &[][..]),
        Entry::Responsive {
            width,
            height,
            copies,
        } => (Some((*width, *height)), copies.as_slice()),
    };
    if let Some((w, h)) = size {
        if !has("width") && !has("height") {
            tag.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
    }
    if !first {
        if !has("loading") {
            tag.push_str(" loading=\"lazy\"");
        }
        if !has("decoding") {
            tag.push_str(" decoding=\"async\"");
        }
    }
    let srcset = |webp: bool| -> String {
        copies
            .iter()
            .filter(|(_, made)| (made.kind == Kind::Webp) == webp)
            .map(|(path, made)| format!("{} {}w", attr(&permalink(path)), made.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let own = srcset(false);
    if !own.is_empty() && !has("srcset") {
        tag.push_str(&format!(" srcset=\"{own}\" sizes=\"{}\"", attr(sizes)));
    }
    tag.push('>');
    let webp = srcset(true);
    if webp.is_empty() || has("srcset") {
        return tag;
    }
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{}\">{tag}</picture>",
        attr(sizes)
    )
}

/// The length of the tag at the start of `html`, through its `>` (quotes
/// respected), or all of it.
fn tag_end(html: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in html.bytes().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// A tag's attributes as written (values without their quotes, still
/// escaped), leaving out a self-closing `/`.
fn attributes(tag: &str) -> Vec<(String, Option<String>)> {
    let inner = tag
        .strip_prefix('<')
        .unwrap_or(tag)
        .trim_end_matches('>')
        .trim_end()
        .trim_end_matches('/');
    // Past the element name.
    let mut rest = inner.trim_start_matches(|c: char| !c.is_ascii_whitespace());
    let mut found = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            break;
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_string();
        rest = rest[name_end..].trim_start();
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let after = after.trim_start();
                let (value, len) = match after.as_bytes().first() {
                    Some(&q @ (b'"' | b'\'')) => {
                        let inner = &after[1..];
                        let end = inner.find(q as char).unwrap_or(inner.len());
                        (inner[..end].to_string(), (end + 2).min(after.len()))
                    }
                    _ => {
                        let end = after
                            .find(|c: char| c.is_ascii_whitespace())
                            .unwrap_or(after.len());
                        (after[..end].to_string(), end)
                    }
                };
                rest = &after[len..];
                // A value written in single quotes may hold a double quote.
                Some(value.replace('"', "&quot;"))
            }
            None => None,
        };
        if name.is_empty() {
            break;
        }
        found.push((name, value));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::{Data, Made};
    use std::sync::Arc;

    fn made(width: u32, kind: Kind) -> Made {
        Made {
            width,
            height: width / 2,
            kind,
            data: Data::Bytes(Arc::from(&b""[..])),
        }
    }

    #[test]
    fn tags_get_sizes_lazy_loading_and_sources() {
        let entry = Entry::Responsive {
            width: 960,
            height: 480,
            copies: vec![
                ("a/p-480w.webp".into(), made(480, Kind::Webp)),
                ("a/p-480w.jpg".into(), made(480, Kind::Jpeg)),
                ("a/p-960w.jpg".into(), made(960, Kind::Jpeg)),
            ],
        };
        let sized = Entry::Sized {
            width: 10,
            height: 20,
        };
        let lookup = |src: &str| match src {
            "p.jpg" => Some(&entry),
            "a b.gif" => Some(&sized),
            _ => None,
        };
        let html = "<p><img src=\"p.jpg\" alt=\"A &amp; B\" /></p>\n<img src=\"https://x.org/r.png\" alt=\"\"><img src='a b.gif' alt=x>\n<picture><img src=\"p.jpg\"></picture><IMG SRC=\"p.jpg\" width=\"5\">";
        let out = rewrite(html, &lookup, "100vw", &|p| format!("/{p}"));
        assert_eq!(
            out,
            "<p><picture><source type=\"image/webp\" srcset=\"/a/p-480w.webp 480w\" sizes=\"100vw\">\
             <img src=\"p.jpg\" alt=\"A &amp; B\" width=\"960\" height=\"480\" \
             srcset=\"/a/p-480w.jpg 480w, /a/p-960w.jpg 960w\" sizes=\"100vw\"></picture></p>\n\
             <img src=\"https://x.org/r.png\" alt=\"\">\
             <img src=\"a b.gif\" alt=\"x\" width=\"10\" height=\"20\" loading=\"lazy\" decoding=\"async\">\n\
             <picture><img src=\"p.jpg\"></picture>\
             <picture><source type=\"image/webp\" srcset=\"/a/p-480w.webp 480w\" sizes=\"100vw\">\
             <img SRC=\"p.jpg\" width=\"5\" loading=\"lazy\" decoding=\"async\" \
             srcset=\"/a/p-480w.jpg 480w, /a/p-960w.jpg 960w\" sizes=\"100vw\"></picture>"
        );
    }

    #[test]
    fn odd_markup_is_left_whole() {
        let lookup = |_: &str| None;
        for html in [
            "<img",
            "<img src=\"unclosed",
            "<imgx src=a>",
            "a < b",
            "<img>",
        ] {
            assert_eq!(rewrite(html, &lookup, "", &|p| p.to_string()), html);
        }
    }
}
