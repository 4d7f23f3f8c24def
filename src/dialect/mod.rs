//! Reading other generators' content as they wrote it: one stage between
//! splitting a file into front matter and body and rendering the body's
//! markdown. Each generator's quirks live in its own file (`jekyll.rs` for
//! Liquid); this file decides which dialect a file is written in and holds
//! what every dialect shares: the rewritten body, the map from its offsets
//! back to the file's (so the link checker still points at the line the
//! author wrote), and the notes about constructs left as written.
//!
//! Takes a body and what it may refer to (`Context`); returns `None` when
//! the body needs nothing, which is the common case and costs one scan.

pub mod hugo;
pub mod jekyll;
pub mod zola;

use std::ops::Range;
use std::path::Path;

use crate::config::Config;
use crate::content::front_matter::FrontMatter;

/// The generator a file was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Native,
    Jekyll,
    Hugo,
    /// Zola's shortcode calls, which are also blog's own.
    Zola,
}

impl Dialect {
    /// Decides from where the file is and what it contains: a file under a
    /// `_posts` or `_drafts` folder is Jekyll's, as is a body using the
    /// Liquid that only Jekyll posts use; a body calling a shortcode as
    /// `{{< … >}}` or `{{% … %}}` is Hugo's; one calling `{{ name(…) }}`
    /// or `{% name(…) %}` is Zola's (and blog's own).
    pub fn of(source: &Path, body: &str) -> Dialect {
        let in_jekyll_folder = source
            .components()
            .any(|c| matches!(c.as_os_str().to_str(), Some("_posts" | "_drafts")));
        // Every dialect's markup opens with `{{` or `{%`: a body with
        // neither is looked through twice, not once per dialect's test.
        let marked = body.contains("{{") || body.contains("{%");
        if in_jekyll_folder || (marked && jekyll::uses_liquid(body)) {
            Dialect::Jekyll
        } else if !marked {
            Dialect::Native
        } else if hugo::uses_shortcodes(body) {
            Dialect::Hugo
        } else if zola::uses_shortcodes(body) {
            Dialect::Zola
        } else {
            Dialect::Native
        }
    }
}

/// What a dialect may resolve: the site's values and the page's own.
pub struct Context<'a> {
    pub config: &'a Config,
    pub meta: &'a FrontMatter,
    /// The file, relative to the site root (`content/_posts/a.md`).
    pub source: &'a Path,
    /// The site's and theme's own shortcode templates.
    pub shortcodes: Option<&'a dyn Shortcodes>,
    /// Write embeds as calls of blog's own shortcodes (`{{ youtube(id="…") }}`)
    /// rather than the HTML they make: `blog import` writes markdown for
    /// the author to keep, a build only needs what renders.
    pub native: bool,
}

/// Shortcode templates (`templates/shortcodes/NAME.html`), rendered by the
/// render stage, which owns the template engine.
pub trait Shortcodes: Sync {
    fn has(&self, name: &str) -> bool;
    /// Renders `name` with the call's arguments, and `body` for a call with
    /// one; the error is the template engine's message.
    fn render(
        &self,
        name: &str,
        args: &serde_json::Map<String, serde_json::Value>,
        body: Option<&str>,
    ) -> Result<String, String>;
    /// A hash of every shortcode template: parses made with other
    /// templates are not reused.
    fn version(&self) -> u64;
}

/// Something in the body left as written, for a warning at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Byte offset in the original body.
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

/// A rewritten body.
#[derive(Debug, Default)]
pub struct Transformed {
    pub body: String,
    /// From the last rewrite back to the first.
    maps: Vec<OffsetMap>,
    pub notes: Vec<Note>,
}

impl Transformed {
    /// The offset in the original body of `offset` in the rewritten one.
    pub fn original_offset(&self, offset: usize) -> usize {
        self.maps
            .iter()
            .fold(offset, |offset, map| map.original(offset))
    }

    /// `next`, a rewrite of this one's body, as a rewrite of the original.
    pub fn then(self, next: Transformed) -> Transformed {
        let mut notes = self.notes.clone();
        notes.extend(next.notes.iter().map(|n| Note {
            offset: self.original_offset(n.offset),
            ..n.clone()
        }));
        notes.sort_by_key(|n| n.offset);
        let mut maps = next.maps;
        maps.extend(self.maps);
        Transformed {
            body: next.body,
            maps,
            notes,
        }
    }
}

/// Builds a rewritten body from pieces of the original and replacements,
/// remembering where each piece came from.
#[derive(Debug, Default)]
pub struct Rewriter {
    out: String,
    map: OffsetMap,
    notes: Vec<Note>,
}

impl Rewriter {
    /// Copies `text`, which starts at `offset` in the original.
    pub fn copy(&mut self, text: &str, offset: usize) {
        if text.is_empty() {
            return;
        }
        self.map.push(self.out.len(), offset, true);
        self.out.push_str(text);
    }

    /// Writes `text` in place of the original at `offset`.
    pub fn replace(&mut self, text: &str, offset: usize) {
        self.map.push(self.out.len(), offset, false);
        self.out.push_str(text);
    }

    /// Leaves `written` (the construct at `offset`) as it is, with its
    /// punctuation escaped so that markdown shows every character as it is
    /// (no curly quotes or dashes from smart punctuation, no emphasis from
    /// a `*`), and notes it for a warning.
    pub fn leave(&mut self, written: &str, offset: usize, hint: &str) {
        self.leave_because(written, offset, None, hint);
    }

    /// `leave`, saying why in the warning.
    pub fn leave_because(&mut self, written: &str, offset: usize, why: Option<&str>, hint: &str) {
        let mut escaped = String::with_capacity(written.len() * 2);
        for c in written.chars() {
            if c.is_ascii_punctuation() {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        self.replace(&escaped, offset);
        let message = match why {
            Some(why) => format!("`{written}` is shown as written: {why}"),
            None => format!("`{written}` is shown as written"),
        };
        self.note(offset, message, hint);
    }

    /// A paired highlighting construct (`{% highlight %}`, Hugo's
    /// `highlight`) as a fence on lines of its own, long enough for any
    /// backticks inside: the opening construct at `open`, `code` at
    /// `code_offset`, the closing one at `close`, and whether text follows
    /// it on its line.
    pub fn fence(
        &mut self,
        language: &str,
        code: &str,
        code_offset: usize,
        (open, close): (usize, usize),
        text_follows: bool,
    ) {
        let trimmed = code.trim_end_matches([' ', '\t']);
        let trimmed = trimmed.strip_suffix('\n').unwrap_or(trimmed);
        let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        let before = if self.out.is_empty() || self.out.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        self.replace(&format!("{before}{fence}{language}\n"), open);
        self.copy(trimmed, code_offset);
        let after = if text_follows { "\n" } else { "" };
        self.replace(&format!("\n{fence}{after}"), close);
    }

    pub fn note(&mut self, offset: usize, message: impl Into<String>, hint: impl Into<String>) {
        self.notes.push(Note {
            offset,
            message: message.into(),
            hint: hint.into(),
        });
    }

    /// What has been written so far.
    pub fn written(&self) -> &str {
        &self.out
    }

    pub fn finish(self) -> Transformed {
        Transformed {
            body: self.out,
            maps: vec![self.map],
            notes: self.notes,
        }
    }
}

/// Code spans and code blocks of `text`, as CommonMark finds them.
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut ranges = Vec::new();
    let mut block: Option<usize> = None;
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    ranges.push(start..range.end);
                }
            }
            Event::Code(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges.sort_by_key(|r| r.start);
    ranges
}

pub fn inside(ranges: &[Range<usize>], offset: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= offset);
    i > 0 && ranges[i - 1].end > offset
}

/// A figure: an image (`src`, `alt`, else `caption`; `width`, `height`),
/// linked when there is a `link`, with a `title` and `caption` under it and
/// an optional `class`, as Hugo's and Zola's `figure` make it; `None`
/// without a `src`. `get` reads the call's arguments.
pub fn figure(get: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let attr = |s: &str| html_escape::encode_double_quoted_attribute(s).into_owned();
    let text = |s: &str| html_escape::encode_text(s).into_owned();
    let src = get("src").filter(|s| !s.trim().is_empty())?;
    let alt = get("alt").or_else(|| get("caption")).unwrap_or_default();
    let mut img = format!("<img src=\"{}\" alt=\"{}\"", attr(&src), attr(&alt));
    for key in ["width", "height"] {
        if let Some(v) = get(key).filter(|v| v.bytes().all(|b| b.is_ascii_digit())) {
            img.push_str(&format!(" {key}=\"{v}\""));
        }
    }
    img.push('>');
    if let Some(link) = get("link") {
        img = format!("<a href=\"{}\">{img}</a>", attr(&link));
    }
    let class = get("class")
        .map(|c| format!(" class=\"{}\"", attr(&c)))
        .unwrap_or_default();
    let mut caption = String::new();
    if let Some(title) = get("title") {
        caption.push_str(&format!("<h4>{}</h4>", text(&title)));
    }
    if let Some(c) = get("caption") {
        caption.push_str(&format!("<p>{}</p>", text(&c)));
    }
    if !caption.is_empty() {
        caption = format!("<figcaption>{caption}</figcaption>");
    }
    Some(format!("<figure{class}>{img}{caption}</figure>"))
}

/// A GitHub gist's embed, for `user/id` or `id` and an optional file;
/// `None` when either is not a plain name.
pub fn gist(id: &str, file: Option<&str>) -> Option<String> {
    let safe = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
    };
    if !safe(id) {
        return None;
    }
    let file = match file {
        Some(f) if safe(f) => format!("?file={f}"),
        Some(_) => return None,
        None => String::new(),
    };
    Some(format!(
        "<script src=\"https://gist.github.com/{id}.js{file}\"></script>"
    ))
}

/// The video id in a YouTube id or URL (`watch?v=`, `youtu.be/`, `/embed/`).
pub fn youtube_id(args: &str) -> Option<String> {
    let word = args.split_whitespace().next()?.trim_matches(['"', '\'']);
    let id = if let Some((_, rest)) = word.split_once("v=") {
        rest.split('&').next()?
    } else if let Some((_, rest)) = word
        .split_once("youtu.be/")
        .or_else(|| word.split_once("/embed/"))
    {
        rest.split(['?', '&']).next()?
    } else {
        word
    };
    plain_id(id).then(|| id.to_string())
}

/// Letters, digits, `-` and `_`: safe anywhere in an attribute.
pub fn plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A YouTube video, from the privacy-enhanced host, loaded when scrolled to.
pub fn youtube(id: &str) -> String {
    format!(
        "<iframe class=\"video\" width=\"560\" height=\"315\" src=\"https://www.youtube-nocookie.com/embed/{id}\" title=\"YouTube video\" loading=\"lazy\" allow=\"encrypted-media; picture-in-picture\" allowfullscreen></iframe>"
    )
}

/// A Vimeo video, without tracking, loaded when scrolled to.
pub fn vimeo(id: &str) -> String {
    format!(
        "<iframe class=\"video\" width=\"560\" height=\"315\" src=\"https://player.vimeo.com/video/{id}?dnt=1\" title=\"Vimeo video\" loading=\"lazy\" allow=\"fullscreen; picture-in-picture\" allowfullscreen></iframe>"
    )
}

/// A call of one of blog's own shortcodes, `{{ name(key="value", …) }}`,
/// with the arguments that have a value.
pub fn shortcode_call(name: &str, args: &[(&str, Option<String>)]) -> String {
    let args: Vec<String> = args
        .iter()
        .filter_map(|(key, value)| {
            let value = value.as_ref()?;
            let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
            Some(format!("{key}=\"{escaped}\""))
        })
        .collect();
    format!("{{{{ {name}({}) }}}}", args.join(", "))
}

/// A figure as `figure` would make it: its HTML, or the native call.
pub fn figure_embed(get: &dyn Fn(&str) -> Option<String>, native: bool) -> Option<String> {
    let html = figure(get)?;
    if !native {
        return Some(html);
    }
    const KEYS: [&str; 8] = [
        "src", "alt", "caption", "title", "link", "width", "height", "class",
    ];
    let args: Vec<(&str, Option<String>)> = KEYS.iter().map(|k| (*k, get(k))).collect();
    Some(shortcode_call("figure", &args))
}

pub fn youtube_embed(id: &str, native: bool) -> String {
    if native {
        shortcode_call("youtube", &[("id", Some(id.to_string()))])
    } else {
        youtube(id)
    }
}

pub fn vimeo_embed(id: &str, native: bool) -> String {
    if native {
        shortcode_call("vimeo", &[("id", Some(id.to_string()))])
    } else {
        vimeo(id)
    }
}

/// A gist (`user/id` or `id`, and a file) as `gist` would make it.
pub fn gist_embed(id: &str, file: Option<&str>, native: bool) -> Option<String> {
    let html = gist(id, file)?;
    if !native {
        return Some(html);
    }
    Some(shortcode_call(
        "gist",
        &[
            ("url", Some(format!("https://gist.github.com/{id}"))),
            ("file", file.map(str::to_string)),
        ],
    ))
}

/// Segments of the rewritten text, each with where it starts in the
/// original and whether it is a copy (offsets inside move with it) or a
/// replacement (offsets inside point at its start).
#[derive(Debug, Default)]
struct OffsetMap {
    segments: Vec<(usize, usize, bool)>,
}

impl OffsetMap {
    fn push(&mut self, out: usize, original: usize, copy: bool) {
        self.segments.push((out, original, copy));
    }

    fn original(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|(out, _, _)| *out <= offset);
        match i.checked_sub(1).map(|i| self.segments[i]) {
            Some((out, original, true)) => original + (offset - out),
            Some((_, original, false)) => original,
            None => offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_through_copies_and_replacements() {
        let original = "ab{{ x }}cd";
        let mut w = Rewriter::default();
        w.copy(&original[..2], 0);
        w.replace("XYZW", 2);
        w.copy(&original[9..], 9);
        let t = w.finish();
        assert_eq!(t.body, "abXYZWcd");
        assert_eq!(t.original_offset(0), 0);
        assert_eq!(t.original_offset(1), 1);
        assert_eq!(t.original_offset(3), 2, "inside a replacement: its start");
        assert_eq!(t.original_offset(6), 9);
        assert_eq!(t.original_offset(7), 10);
    }

    /// Bodies made of the pieces every dialect looks for, in every order:
    /// no panic, offsets inside the body, notes at real places.
    #[test]
    fn any_soup_of_delimiters_is_rewritten_without_panic() {
        const PIECES: [&str; 30] = [
            "{%",
            "%}",
            "{{",
            "}}",
            "{{<",
            ">}}",
            "{{%",
            "%}}",
            " raw ",
            " endraw ",
            " highlight c ",
            " endhighlight ",
            " post_url x ",
            "site.url",
            " | ",
            "\n",
            "```",
            "`",
            "é",
            "日本",
            "/*",
            "*/",
            "note(",
            ")",
            "=",
            "\"",
            " end ",
            "/",
            "-",
            "x",
        ];
        let config = Config::default();
        let meta = FrontMatter::default();
        let context = Context {
            config: &config,
            meta: &meta,
            source: Path::new("content/_posts/2020-01-01-a.md"),
            shortcodes: None,
            native: false,
        };
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut body = String::new();
            let len = (state >> 60) as usize + 1;
            for _ in 0..len * 2 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                body.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            for t in [
                jekyll::transform(&body, &context),
                hugo::transform(&body, &context),
                zola::transform(&body, &context),
            ]
            .into_iter()
            .flatten()
            {
                for offset in 0..=t.body.len() {
                    assert!(t.original_offset(offset) <= body.len(), "{body:?}");
                }
                for note in &t.notes {
                    assert!(body.is_char_boundary(note.offset), "{body:?} {note:?}");
                }
            }
        }
    }

    #[test]
    fn dialect_from_place_and_content() {
        let jekyll = Dialect::of(Path::new("content/_posts/2020-01-01-a.md"), "plain");
        assert_eq!(jekyll, Dialect::Jekyll);
        let native = Dialect::of(Path::new("content/posts/a.md"), "plain {{ x }}");
        assert_eq!(native, Dialect::Native);
        let liquid = Dialect::of(Path::new("content/posts/a.md"), "{% raw %}x{% endraw %}");
        assert_eq!(liquid, Dialect::Jekyll);
        let hugo = Dialect::of(Path::new("content/posts/a.md"), "{{< youtube x >}}");
        assert_eq!(hugo, Dialect::Hugo);
        let zola = Dialect::of(Path::new("content/posts/a.md"), "{{ youtube(id=\"x\") }}");
        assert_eq!(zola, Dialect::Zola);
    }
}
