//! A Ghost post's body when the export holds no `html`: the editor's own
//! document as markdown. `lexical` (Ghost 5's editor state): paragraphs,
//! headings, lists, quotes, code blocks, links, images, markdown cards and
//! bold, italic, strikethrough and code text; `mobiledoc` (older Ghost):
//! its markdown cards as they are, its text sections and lists. Anything
//! else is kept as its text, with a note.

use serde_json::Value;

use crate::dialect::shortcode_call;

/// Lexical's text formats (a bit mask).
const BOLD: i64 = 1;
const ITALIC: i64 = 2;
const STRIKETHROUGH: i64 = 4;
const CODE: i64 = 16;

/// The markdown of a `lexical` field and the notes of what it left out.
pub fn lexical(json: &str) -> Result<(String, Vec<String>), serde_json::Error> {
    let state: Value = serde_json::from_str(json)?;
    let mut notes = Vec::new();
    let blocks: Vec<String> = children(state.get("root").unwrap_or(&state))
        .iter()
        .map(|node| block(node, &mut notes))
        .filter(|b| !b.is_empty())
        .collect();
    Ok((finish(blocks.join("\n\n")), notes))
}

fn children(node: &Value) -> &[Value] {
    node.get("children")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text_of<'a>(node: &'a Value, key: &str) -> &'a str {
    node.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The node's kind, without Ghost's `extended-` prefix.
fn kind(node: &Value) -> &str {
    let kind = text_of(node, "type");
    kind.strip_prefix("extended-").unwrap_or(kind)
}

fn block(node: &Value, notes: &mut Vec<String>) -> String {
    match kind(node) {
        "paragraph" => inline(children(node), notes),
        "heading" => {
            let level = text_of(node, "tag")
                .strip_prefix('h')
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(2)
                .clamp(1, 6);
            format!("{} {}", "#".repeat(level), inline(children(node), notes))
        }
        "quote" | "aside" => quoted(&inline(children(node), notes)),
        "list" => list(node, 0, notes),
        "codeblock" => fenced(text_of(node, "code"), text_of(node, "language")),
        "code" => {
            let code: String = children(node)
                .iter()
                .map(|c| match kind(c) {
                    "linebreak" => "\n",
                    "tab" => "\t",
                    _ => text_of(c, "text"),
                })
                .collect();
            fenced(&code, text_of(node, "language"))
        }
        "image" => image(
            text_of(node, "src"),
            text_of(node, "alt"),
            &crate::import::wordpress::plain(text_of(node, "caption")),
        ),
        "markdown" => text_of(node, "markdown").trim_end().to_string(),
        "horizontalrule" => "---".to_string(),
        other => {
            let text = plain(node);
            notes.push(format!(
                "its `{other}` card is not one blog converts: {}",
                if text.trim().is_empty() {
                    "left out".to_string()
                } else {
                    "its text is kept as a paragraph".to_string()
                }
            ));
            escape(text.trim())
        }
    }
}

/// `node`'s text, all of it, for what is not converted.
fn plain(node: &Value) -> String {
    let mut text = String::new();
    for key in [
        "text",
        "title",
        "description",
        "code",
        "markdown",
        "html",
        "caption",
        "url",
        "src",
    ] {
        if let Some(s) = node
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            if !text.is_empty() {
                text.push(' ');
            }
            match key {
                "html" | "caption" => text.push_str(&crate::import::wordpress::plain(s)),
                _ => text.push_str(s),
            }
        }
    }
    for child in children(node) {
        if !text.is_empty() && !text.ends_with(char::is_whitespace) {
            text.push(' ');
        }
        text.push_str(&plain(child));
    }
    text
}

fn list(node: &Value, depth: usize, notes: &mut Vec<String>) -> String {
    let numbered = text_of(node, "listType") == "number";
    let start = node.get("start").and_then(Value::as_i64).unwrap_or(1);
    let indent = "    ".repeat(depth);
    let mut lines = Vec::new();
    let mut n = start;
    for item in children(node) {
        // A nested list is an item holding only a list.
        let nested: Vec<&Value> = children(item)
            .iter()
            .filter(|c| kind(c) == "list")
            .collect();
        if !nested.is_empty() {
            for sub in nested {
                lines.push(list(sub, depth + 1, notes));
            }
            continue;
        }
        let marker = if numbered {
            let m = format!("{n}.");
            n += 1;
            m
        } else {
            "-".to_string()
        };
        let text = inline(children(item), notes).replace('\n', &format!("\n{indent}  "));
        lines.push(format!("{indent}{marker} {text}"));
    }
    lines.join("\n")
}

fn inline(nodes: &[Value], notes: &mut Vec<String>) -> String {
    let mut out = String::new();
    for node in nodes {
        match kind(node) {
            "text" | "code-highlight" => {
                let text = text_of(node, "text");
                let format = node.get("format").and_then(Value::as_i64).unwrap_or(0);
                out.push_str(&formatted(text, format));
            }
            "linebreak" => out.push_str("  \n"),
            "tab" => out.push('\t'),
            "link" | "autolink" => {
                let label = inline(children(node), notes);
                out.push_str(&format!("[{label}]({})", text_of(node, "url")));
            }
            "hashtag" | "mark" => out.push_str(&inline(children(node), notes)),
            _ if node.get("children").is_some() => out.push_str(&inline(children(node), notes)),
            other => {
                notes.push(format!(
                    "its inline `{other}` is not one blog converts: its text is kept"
                ));
                out.push_str(&escape(&plain(node)));
            }
        }
    }
    out
}

/// Text with its format bits as markdown.
fn formatted(text: &str, format: i64) -> String {
    if text.is_empty() {
        return String::new();
    }
    if format & CODE != 0 {
        let ticks = if text.contains('`') { "``" } else { "`" };
        return format!("{ticks}{text}{ticks}");
    }
    // Markers go inside the spaces around the text.
    let core = text.trim();
    if core.is_empty() {
        return text.to_string();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let mut marked = escape(core);
    if format & STRIKETHROUGH != 0 {
        marked = format!("~~{marked}~~");
    }
    if format & ITALIC != 0 {
        marked = format!("*{marked}*");
    }
    if format & BOLD != 0 {
        marked = format!("**{marked}**");
    }
    format!("{lead}{marked}{trail}")
}

/// Text that markdown reads as it is.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn quoted(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn fenced(code: &str, language: &str) -> String {
    let mut fence = "```".to_string();
    while code.contains(&fence) {
        fence.push('`');
    }
    let language: String = language
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '+' | '-' | '_' | '#'))
        .collect();
    format!(
        "{fence}{language}\n{}\n{fence}",
        code.trim_end_matches('\n')
    )
}

fn image(src: &str, alt: &str, caption: &str) -> String {
    if caption.is_empty() {
        format!("![{}]({src})", escape(alt))
    } else {
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        shortcode_call(
            "figure",
            &[
                ("src", some(src)),
                ("alt", some(alt)),
                ("caption", some(caption)),
            ],
        )
    }
}

fn finish(mut markdown: String) -> String {
    if !markdown.ends_with('\n') {
        markdown.push('\n');
    }
    markdown
}

/// The markdown of a `mobiledoc` field and the notes of what it left out.
pub fn mobiledoc(json: &str) -> Result<(String, Vec<String>), serde_json::Error> {
    let doc: Value = serde_json::from_str(json)?;
    let empty = Vec::new();
    let array = |key: &str| doc.get(key).and_then(Value::as_array).unwrap_or(&empty);
    let (cards, markups, atoms) = (array("cards"), array("markups"), array("atoms"));
    let mut notes = Vec::new();
    let mut blocks = Vec::new();
    for section in array("sections") {
        let Some(parts) = section.as_array() else {
            continue;
        };
        let tag = parts.get(1).and_then(Value::as_str).unwrap_or_default();
        match parts.first().and_then(Value::as_i64) {
            // A card: [10, index into cards].
            Some(10) => {
                let card = parts
                    .get(1)
                    .and_then(Value::as_u64)
                    .and_then(|i| cards.get(i as usize))
                    .and_then(Value::as_array);
                let name = card
                    .and_then(|c| c.first())
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let payload = card.and_then(|c| c.get(1)).unwrap_or(&Value::Null);
                match name {
                    "markdown" | "card-markdown" => {
                        blocks.push(text_of(payload, "markdown").trim_end().to_string())
                    }
                    "image" => blocks.push(image(
                        text_of(payload, "src"),
                        text_of(payload, "alt"),
                        &crate::import::wordpress::plain(text_of(payload, "caption")),
                    )),
                    "code" => blocks.push(fenced(
                        text_of(payload, "code"),
                        text_of(payload, "language"),
                    )),
                    "hr" => blocks.push("---".to_string()),
                    _ => {
                        let text = plain(payload);
                        notes.push(format!(
                            "its `{name}` card is not one blog converts: {}",
                            if text.trim().is_empty() {
                                "left out"
                            } else {
                                "its text is kept as a paragraph"
                            }
                        ));
                        blocks.push(escape(text.trim()));
                    }
                }
            }
            // Markup section: [1, tag, markers].
            Some(1) => {
                let text = markers(parts.get(2), markups, atoms);
                blocks.push(match tag.to_ascii_lowercase().as_str() {
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        let level = tag[1..].parse::<usize>().unwrap_or(2);
                        format!("{} {text}", "#".repeat(level))
                    }
                    "blockquote" | "aside" => quoted(&text),
                    _ => text,
                });
            }
            // List section: [3, "ul" | "ol", [markers, …]].
            Some(3) => {
                let items = parts.get(2).and_then(Value::as_array).unwrap_or(&empty);
                let lines: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let marker = if tag == "ol" {
                            format!("{}.", i + 1)
                        } else {
                            "-".to_string()
                        };
                        format!("{marker} {}", markers(Some(item), markups, atoms))
                    })
                    .collect();
                blocks.push(lines.join("\n"));
            }
            other => notes.push(format!(
                "a mobiledoc section of type {} is not one blog converts: left out",
                other.map_or("?".to_string(), |n| n.to_string())
            )),
        }
    }
    blocks.retain(|b| !b.trim().is_empty());
    Ok((finish(blocks.join("\n\n")), notes))
}

/// Mobiledoc markers (`[kind, opened markups, closed count, text]`) as
/// markdown text.
fn markers(list: Option<&Value>, markups: &[Value], atoms: &[Value]) -> String {
    let mut out = String::new();
    let mut open: Vec<String> = Vec::new();
    for marker in list.and_then(Value::as_array).into_iter().flatten() {
        let Some(m) = marker.as_array() else {
            continue;
        };
        for index in m.get(1).and_then(Value::as_array).into_iter().flatten() {
            let markup = index
                .as_u64()
                .and_then(|i| markups.get(i as usize))
                .and_then(Value::as_array);
            let tag = markup
                .and_then(|m| m.first())
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let href = markup
                .and_then(|m| m.get(1))
                .and_then(Value::as_array)
                .and_then(|attrs| {
                    attrs
                        .chunks(2)
                        .find(|kv| kv[0] == "href")
                        .and_then(|kv| kv.get(1))
                        .and_then(Value::as_str)
                })
                .unwrap_or_default();
            let (before, after) = match tag.as_str() {
                "strong" | "b" => ("**".to_string(), "**".to_string()),
                "em" | "i" => ("*".to_string(), "*".to_string()),
                "code" => ("`".to_string(), "`".to_string()),
                "s" => ("~~".to_string(), "~~".to_string()),
                "a" => ("[".to_string(), format!("]({href})")),
                _ => (String::new(), String::new()),
            };
            out.push_str(&before);
            open.push(after);
        }
        let text = m.get(3).and_then(Value::as_str).unwrap_or_default();
        if m.first().and_then(Value::as_i64) == Some(1) {
            // An atom: its text (a soft return is a line break).
            let atom = text_of_atom(m.get(3), atoms);
            out.push_str(&atom);
        } else {
            out.push_str(&escape(text));
        }
        let closed = m.get(2).and_then(Value::as_u64).unwrap_or(0);
        for _ in 0..closed {
            if let Some(after) = open.pop() {
                out.push_str(&after);
            }
        }
    }
    while let Some(after) = open.pop() {
        out.push_str(&after);
    }
    out
}

fn text_of_atom(index: Option<&Value>, atoms: &[Value]) -> String {
    let atom = index
        .and_then(Value::as_u64)
        .and_then(|i| atoms.get(i as usize))
        .and_then(Value::as_array);
    match atom.and_then(|a| a.first()).and_then(Value::as_str) {
        Some("soft-return") => "  \n".to_string(),
        _ => escape(
            atom.and_then(|a| a.get(1))
                .and_then(Value::as_str)
                .unwrap_or_default(),
        ),
    }
}
