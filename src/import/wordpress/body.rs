//! A WordPress post's HTML (`content:encoded`) as markdown: block editor
//! comments removed, WordPress's paragraphs (`wpautop`: blank lines, in a
//! post of the classic editor) made explicit, shortcodes made `blog`'s own
//! (`[caption]` → `figure`, `[embed]` and a video URL on its own line →
//! `youtube`/`vimeo`, `[gallery]` → figures, `[code]` and `<pre><code
//! class="language-x">` → fenced code), then the HTML converted by `htmd`.
//!
//! What `blog` writes itself (shortcode calls, code, shortcodes kept as
//! written) goes through the converter as placeholder words, so that it is
//! not escaped as text, and is put back after.

use std::collections::HashMap;

use super::Item;
use crate::dialect::shortcode_call;

pub struct Converted {
    pub markdown: String,
    /// What was kept as written, for the report.
    pub notes: Vec<String>,
}

pub fn convert(html: &str, attachments: &HashMap<&str, &Item>) -> Converted {
    let mut tokens = Tokens::default();
    let mut notes = Vec::new();
    // WordPress makes paragraphs of blank lines (`wpautop`) in a post of
    // the classic editor, not in one of blocks.
    let blocks = html.contains("<!-- wp:");
    let html = block_comments(html, &mut tokens);
    let html = code_shortcodes(&html, &mut tokens);
    let html = pre_blocks(&html, &mut tokens);
    let html = video_lines(&html, &mut tokens);
    let html = if blocks { html } else { autop(&html, &tokens) };
    let html = shortcodes(&html, attachments, &mut tokens, &mut notes);
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style"])
        .build();
    let markdown = converter.convert(&html).unwrap_or(html);
    let mut markdown = tokens.restore(&markdown);
    if !markdown.ends_with('\n') {
        markdown.push('\n');
    }
    Converted { markdown, notes }
}

/// Text put back after conversion, each behind a word htmd leaves alone.
#[derive(Default)]
struct Tokens(Vec<String>);

impl Tokens {
    fn put(&mut self, text: String) -> String {
        self.0.push(text);
        format!("WPIMPORTTOKEN{}Z", self.0.len() - 1)
    }

    /// As a paragraph of its own.
    fn block(&mut self, text: String) -> String {
        format!("\n\n<p>{}</p>\n\n", self.put(text))
    }

    fn is_token(&self, text: &str) -> bool {
        text.strip_prefix("<p>")
            .and_then(|t| t.strip_suffix("</p>"))
            .unwrap_or(text)
            .strip_prefix("WPIMPORTTOKEN")
            .and_then(|t| t.strip_suffix('Z'))
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    }

    fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("WPIMPORTTOKEN") {
            out.push_str(&rest[..at]);
            let after = &rest[at + "WPIMPORTTOKEN".len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            match (
                after[..digits].parse::<usize>(),
                after[digits..].starts_with('Z'),
            ) {
                (Ok(n), true) if n < self.0.len() => {
                    out.push_str(&self.0[n]);
                    rest = &after[digits + 1..];
                }
                _ => {
                    out.push_str("WPIMPORTTOKEN");
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Without the block editor's `<!-- wp:… -->` comments; `<!--more-->` as
/// blog's summary mark.
fn block_comments(html: &str, tokens: &mut Tokens) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at + 4..].find("-->").map(|e| e + 4) else {
            out.push_str(&rest[at..]);
            return out;
        };
        let comment = &rest[at + 4..at + end];
        let inner = comment.trim();
        if inner.starts_with("wp:") || inner.starts_with("/wp:") {
        } else if inner == "more" || inner.starts_with("more ") {
            out.push_str(&tokens.block("<!-- more -->".into()));
        } else {
            out.push_str(&rest[at..at + end + 3]);
        }
        rest = &rest[at + end + 3..];
    }
    out.push_str(rest);
    out
}

/// A fenced code block of `code` (HTML-escaped text) in `language`.
fn fenced(code: &str, language: &str) -> String {
    let code = html_escape::decode_html_entities(code);
    let code = code.trim_matches('\n');
    let mut fence = "```".to_string();
    while code.contains(fence.as_str()) {
        fence.push('`');
    }
    format!("{fence}{language}\n{code}\n{fence}")
}

/// `[code language="x"]…[/code]`, `[sourcecode lang="x"]…[/sourcecode]`.
fn code_shortcodes(html: &str, tokens: &mut Tokens) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let found = ["[code", "[sourcecode"]
            .iter()
            .filter_map(|open| rest.find(open).map(|at| (at, &open[1..])))
            .filter(|(at, name)| {
                rest[at + 1 + name.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c == ']' || c == ' ')
            })
            .min();
        let Some((at, name)) = found else { break };
        let close = format!("[/{name}]");
        let Some(open_end) = rest[at..].find(']').map(|e| at + e) else {
            break;
        };
        let Some(close_at) = rest[open_end..].find(&close).map(|e| open_end + e) else {
            break;
        };
        let attrs = attributes(&rest[at + 1 + name.len()..open_end]);
        let language = attrs
            .get("language")
            .or_else(|| attrs.get("lang"))
            .cloned()
            .unwrap_or_default();
        out.push_str(&rest[..at]);
        let code = &rest[open_end + 1..close_at];
        out.push_str(&tokens.block(fenced(code, &language)));
        rest = &rest[close_at + close.len()..];
    }
    out.push_str(rest);
    out
}

/// `<pre>` blocks (the block editor's `<pre class="wp-block-code"><code
/// class="language-rust">`) as fenced code, untouched by what follows.
fn pre_blocks(html: &str, tokens: &mut Tokens) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = find_tag(rest, "pre") {
        let Some(open_end) = rest[at..].find('>').map(|e| at + e + 1) else {
            break;
        };
        let Some(close_at) = rest[open_end..].find("</pre>").map(|e| open_end + e) else {
            break;
        };
        let mut inner = &rest[open_end..close_at];
        let mut class = attribute(&rest[at..open_end], "class").unwrap_or_default();
        if let Some(code_at) = find_tag(inner, "code") {
            if inner[..code_at].trim().is_empty() {
                if let Some(code_end) = inner[code_at..].find('>').map(|e| code_at + e + 1) {
                    if let Some(c) = attribute(&inner[code_at..code_end], "class") {
                        class = format!("{class} {c}");
                    }
                    inner = &inner[code_end..];
                    inner = inner.trim_end().strip_suffix("</code>").unwrap_or(inner);
                }
            }
        }
        let language = class
            .split_whitespace()
            .find_map(|c| {
                c.strip_prefix("language-")
                    .or_else(|| c.strip_prefix("lang-"))
            })
            .or_else(|| {
                // SyntaxHighlighter's `<pre class="brush: php">`.
                class
                    .split_once("brush:")
                    .and_then(|(_, b)| b.split([';', ' ']).find(|w| !w.is_empty()))
            })
            .unwrap_or("")
            .to_string();
        out.push_str(&rest[..at]);
        out.push_str(&tokens.block(fenced(&strip_tags(inner), &language)));
        rest = &rest[close_at + "</pre>".len()..];
    }
    out.push_str(rest);
    out
}

/// A YouTube or Vimeo address alone on its line, as WordPress embeds it.
fn video_lines(html: &str, tokens: &mut Tokens) -> String {
    let mut out = String::with_capacity(html.len());
    for line in html.split_inclusive('\n') {
        let bare = line.trim();
        let bare = bare
            .strip_prefix("<p>")
            .and_then(|b| b.strip_suffix("</p>"))
            .unwrap_or(bare)
            .trim();
        match video(bare) {
            Some(call) => {
                out.push_str(&tokens.block(call));
                out.push('\n');
            }
            None => out.push_str(line),
        }
    }
    out
}

/// blog's shortcode for a YouTube or Vimeo address.
fn video(url: &str) -> Option<String> {
    if !url.starts_with("http") || url.contains(char::is_whitespace) {
        return None;
    }
    let host = url.split("://").nth(1)?.split('/').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    if matches!(host, "youtube.com" | "m.youtube.com" | "youtu.be") {
        let id = crate::dialect::youtube_id(url)?;
        return Some(shortcode_call("youtube", &[("id", Some(id))]));
    }
    if matches!(host, "vimeo.com" | "player.vimeo.com") {
        let id = url
            .split('/')
            .rev()
            .find(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))?;
        return Some(crate::dialect::vimeo_embed(id, true));
    }
    None
}

/// WordPress's `wpautop`: a blank line ends a paragraph, a line break is a
/// `<br>`; blocks that are HTML elements stay as they are.
fn autop(html: &str, tokens: &Tokens) -> String {
    const BLOCKS: [&str; 20] = [
        "<div",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<li",
        "<blockquote",
        "<table",
        "<figure",
        "<hr",
        "<p",
        "<dl",
        "<form",
        "<iframe",
        "<section",
        "<address",
    ];
    // A line of spaces is blank too.
    let text: Vec<&str> = html
        .lines()
        .map(|l| if l.trim().is_empty() { "" } else { l })
        .collect();
    let text = text.join("\n");
    let mut out = String::with_capacity(text.len() + 64);
    for block in text.split("\n\n") {
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        let lower = block.to_ascii_lowercase();
        if tokens.is_token(block) || BLOCKS.iter().any(|b| lower.starts_with(b)) {
            out.push_str(block);
        } else {
            out.push_str("<p>");
            out.push_str(&block.replace('\n', "<br />"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

/// The shortcodes: blog's equivalents where there are, the rest as written.
fn shortcodes(
    html: &str,
    attachments: &HashMap<&str, &Item>,
    tokens: &mut Tokens,
    notes: &mut Vec<String>,
) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut noted: Vec<String> = Vec::new();
    let mut note = |name: &str, message: String, notes: &mut Vec<String>| {
        if !noted.iter().any(|n| n == name) {
            noted.push(name.to_string());
            notes.push(message);
        }
    };
    while let Some(at) = rest.find(['[', '<']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            // Inline code is shown as written.
            let skip = if find_tag(rest, "code") == Some(0) {
                rest.find("</code>").map_or(1, |e| e + "</code>".len())
            } else {
                1
            };
            out.push_str(&rest[..skip]);
            rest = &rest[skip..];
            continue;
        }
        let Some(call) = Shortcode::at(rest) else {
            out.push('[');
            rest = &rest[1..];
            continue;
        };
        let written = &rest[..call.len];
        let replaced = match call.name.as_str() {
            "caption" | "wp_caption" => caption(&call),
            "embed" => {
                // A markdown autolink for what blog has no shortcode for.
                let url = call.inner.trim();
                video(url).or_else(|| url.starts_with("http").then(|| format!("<{url}>")))
            }
            "gallery" => {
                let found = gallery(&call, attachments);
                if found.is_none() {
                    note(
                        "gallery",
                        format!(
                            "the gallery `{}` names pictures that are not in the export: kept as written",
                            written.lines().next().unwrap_or(written)
                        ),
                        notes,
                    );
                }
                found
            }
            _ => None,
        };
        match replaced {
            Some(text) => out.push_str(&tokens.block(text)),
            None => {
                if !matches!(call.name.as_str(), "gallery") {
                    note(
                        &call.name,
                        format!(
                            "the shortcode [{}] is not one blog has: kept as written; write templates/shortcodes/{}.html or edit the post",
                            call.name, call.name
                        ),
                        notes,
                    );
                }
                out.push_str(&tokens.put(written.to_string()));
            }
        }
        rest = &rest[call.len..];
    }
    out.push_str(rest);
    out
}

/// A shortcode where the text starts: `[name attrs]`, `[name attrs /]`,
/// or `[name attrs]inner[/name]` for the enclosing ones, or a closing
/// `[/name]` left alone.
struct Shortcode {
    name: String,
    attrs: HashMap<String, String>,
    inner: String,
    len: usize,
}

impl Shortcode {
    fn at(text: &str) -> Option<Shortcode> {
        let body = text.strip_prefix('[')?;
        let closing = body.starts_with('/');
        let body = body.strip_prefix('/').unwrap_or(body);
        let name_len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(body.len());
        let name = &body[..name_len];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let after = body[name_len..].chars().next()?;
        if !matches!(after, ']' | ' ' | '/') {
            return None;
        }
        let end = body.find(']')?;
        if body[..end].contains(['[', '\n', '<']) && !body[..end].contains("=\"") {
            return None;
        }
        let open_len = 1 + usize::from(closing) + end + 1;
        let attrs = attributes(body[name_len..end].trim_end_matches('/'));
        let mut call = Shortcode {
            name: name.to_string(),
            attrs,
            inner: String::new(),
            len: open_len,
        };
        if !closing && !body[..end].ends_with('/') {
            let close = format!("[/{name}]");
            if let Some(close_at) = text[open_len..].find(&close) {
                // Only those WordPress writes as enclosing.
                if matches!(name, "caption" | "wp_caption" | "embed")
                    || !text[open_len..open_len + close_at].contains('[')
                {
                    call.inner = text[open_len..open_len + close_at].to_string();
                    call.len = open_len + close_at + close.len();
                }
            }
        }
        if closing {
            call.name = format!("/{name}");
        }
        Some(call)
    }
}

/// `[caption]<img src alt> The caption[/caption]` as a figure.
fn caption(call: &Shortcode) -> Option<String> {
    let img_at = find_tag(&call.inner, "img")?;
    let img_end = call.inner[img_at..].find('>')? + img_at + 1;
    let img = &call.inner[img_at..img_end];
    let src = attribute(img, "src")?;
    let alt = attribute(img, "alt").filter(|a| !a.is_empty());
    let text = strip_tags(&call.inner[img_end..]);
    let text = html_escape::decode_html_entities(text.trim()).into_owned();
    let caption = call
        .attrs
        .get("caption")
        .cloned()
        .or(Some(text))
        .filter(|c| !c.is_empty());
    Some(shortcode_call(
        "figure",
        &[("src", Some(src)), ("alt", alt), ("caption", caption)],
    ))
}

/// `[gallery ids="1,2"]` as a figure for each picture, when every one is
/// in the export.
fn gallery(call: &Shortcode, attachments: &HashMap<&str, &Item>) -> Option<String> {
    let ids = call.attrs.get("ids")?;
    let figures: Option<Vec<String>> = ids
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| {
            let picture = attachments.get(id)?;
            let alt = Some(picture.title.clone()).filter(|t| !t.is_empty());
            Some(shortcode_call(
                "figure",
                &[("src", Some(picture.attachment_url.clone())), ("alt", alt)],
            ))
        })
        .collect();
    let figures = figures.filter(|f| !f.is_empty())?;
    Some(figures.join("\n\n"))
}

/// `key="value"`, `key='value'` and `key=value` pairs.
fn attributes(text: &str) -> HashMap<String, String> {
    let mut found = HashMap::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let key_len = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_len].to_ascii_lowercase();
        rest = rest[key_len..].trim_start();
        let Some(value_text) = rest.strip_prefix('=') else {
            if !key.is_empty() {
                found.insert(key, String::new());
            }
            continue;
        };
        let value_text = value_text.trim_start();
        let (value, after) = match value_text.chars().next() {
            Some(q @ ('"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{2033}')) => {
                let body = &value_text[q.len_utf8()..];
                let end = body
                    .find(|c: char| {
                        c == q || (q != '"' && q != '\'' && "\u{201c}\u{201d}\u{2033}".contains(c))
                    })
                    .unwrap_or(body.len());
                let next = (end + 1).min(body.len());
                let next = if end < body.len() {
                    end + body[end..].chars().next().map_or(1, char::len_utf8)
                } else {
                    next
                };
                (&body[..end], &body[next..])
            }
            _ => {
                let end = value_text
                    .find(char::is_whitespace)
                    .unwrap_or(value_text.len());
                (&value_text[..end], &value_text[end..])
            }
        };
        found.insert(key, html_escape::decode_html_entities(value).into_owned());
        rest = after.trim_start();
    }
    found
}

/// An HTML attribute's value in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let inner = inner.trim_end_matches('/');
    let after_name = inner.find(|c: char| c.is_whitespace())?;
    attributes(&inner[after_name..]).remove(name)
}

/// Where `<name` starts as a tag (`<pre>`, `<pre class=…>`, not `<prefix>`).
fn find_tag(text: &str, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(at) = text[from..].find(&open).map(|a| a + from) {
        let next = text[at + open.len()..].chars().next();
        if next.is_some_and(|c| c == '>' || c == '/' || c.is_whitespace()) {
            return Some(at);
        }
        from = at + open.len();
    }
    None
}

/// The text without its tags.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> Converted {
        convert(html, &HashMap::new())
    }

    #[test]
    fn classic_paragraphs_and_shortcodes() {
        let c = md("One *line*\nand the next.\n\nSecond <strong>para</strong>.\n\n[caption id=\"a\" width=\"300\"]<img src=\"https://x.org/a_b.jpg\" alt=\"An A\" /> A caption[/caption]\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n[unknown x=\"1\"]\n");
        assert!(
            c.markdown.contains("One \\*line\\*  \nand the next.")
                || c.markdown.contains("One \\*line\\*\\\nand the next."),
            "{}",
            c.markdown
        );
        assert!(
            c.markdown.contains("\n\nSecond **para**.\n\n"),
            "{}",
            c.markdown
        );
        assert!(
            c.markdown.contains(
                "{{ figure(src=\"https://x.org/a_b.jpg\", alt=\"An A\", caption=\"A caption\") }}"
            ),
            "{}",
            c.markdown
        );
        assert!(
            c.markdown.contains("{{ youtube(id=\"dQw4w9WgXcQ\") }}"),
            "{}",
            c.markdown
        );
        assert!(c.markdown.contains("[unknown x=\"1\"]"), "{}", c.markdown);
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    }

    #[test]
    fn an_embed_blog_has_no_shortcode_for_is_a_link() {
        let c = md(
            "<p>See:</p>\n[embed]https://example.org/a_b[/embed]\n<p>[embed]not a url[/embed]</p>",
        );
        assert!(
            c.markdown.contains("See:\n\n<https://example.org/a_b>\n"),
            "{}",
            c.markdown
        );
        assert!(
            c.markdown.contains("[embed]not a url[/embed]"),
            "{}",
            c.markdown
        );
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    }

    #[test]
    fn classic_posts_with_some_tags_still_have_their_paragraphs() {
        let c = md("<p style=\"color: red\">Red.</p>\n\nOne.\n \nTwo.<!-->");
        assert!(
            c.markdown.starts_with("Red.\n\nOne.\n\nTwo."),
            "{}",
            c.markdown
        );
    }

    #[test]
    fn code_keeps_its_language_and_text() {
        let c = md("<!-- wp:code -->\n<pre class=\"wp-block-code\"><code class=\"language-rust\">fn main() { let v: Vec&lt;u8&gt; = [1][0..]; }</code></pre>\n<!-- /wp:code -->\n\n<!-- wp:paragraph --><p>After [x].</p><!-- /wp:paragraph -->\n\n[sourcecode lang=\"python\"]print(a_b * 2)[/sourcecode]");
        assert!(
            c.markdown
                .contains("```rust\nfn main() { let v: Vec<u8> = [1][0..]; }\n```"),
            "{}",
            c.markdown
        );
        assert!(
            c.markdown.contains("```python\nprint(a_b * 2)\n```"),
            "{}",
            c.markdown
        );
        assert!(!c.markdown.contains("wp:"), "{}", c.markdown);
    }
}
