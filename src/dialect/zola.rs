//! Zola's shortcode calls, which are also `blog`'s own: `{{ name(key="v") }}`
//! and, with a body, `{% name(key="v") %}…{% end %}`, with Zola's
//! `{{/* … */}}` and `{%/* … */%}` escapes, which show a call as written
//! (also inside code, where they are used to document shortcodes).
//!
//! Built in: `figure`, `youtube`, `vimeo`, `gist` and `note` (an aside), the
//! same HTML Hugo's and Jekyll's forms of them make; a site's or theme's
//! `templates/shortcodes/NAME.html` is called the same way, and wins over a
//! built-in of its name. A call naming any other shortcode stays visible exactly as written, with a note for a warning at
//! its line. Text inside code spans and fences is never touched, apart from
//! escapes; braces that are not a call (`{{ name }}`) are plain text.

use super::{code_ranges, inside, Context, Rewriter, Transformed};

/// Whether `body` holds a shortcode call or an escape.
pub fn uses_shortcodes(body: &str) -> bool {
    (body.contains("{{") || body.contains("{%")) && calls(body).next().is_some()
}

#[derive(Debug, Clone, Copy)]
struct Call {
    start: usize,
    end: usize,
    /// `{% name() %}`, which takes a body up to `{% end %}`.
    with_body: bool,
    /// The name and arguments: `name(key="v")`.
    inner: (usize, usize),
    escaped: bool,
}

impl Call {
    fn inner<'t>(&self, text: &'t str) -> &'t str {
        text[self.inner.0..self.inner.1].trim()
    }
}

/// A name, `(`, arguments and `)`; nothing else.
fn is_call(inner: &str) -> bool {
    let Some(open) = inner.find('(') else {
        return false;
    };
    let name = inner[..open].trim();
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit()
        && inner.trim_end().ends_with(')')
}

fn calls(text: &str) -> impl Iterator<Item = Call> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(found) = text[at..].find('{') {
            let start = at + found;
            let (with_body, close) = match text.as_bytes().get(start + 1) {
                Some(b'{') => (false, "}}"),
                Some(b'%') => (true, "%}"),
                _ => {
                    at = start + 1;
                    continue;
                }
            };
            let after = start + 2;
            let line_end = text[after..].find('\n').map_or(text.len(), |i| after + i);
            let Some(end) = text[after..line_end].find(close).map(|i| after + i) else {
                at = after;
                continue;
            };
            let raw = &text[after..end];
            let trimmed = raw.trim();
            if let Some(inside) = trimmed
                .strip_prefix("/*")
                .and_then(|r| r.strip_suffix("*/"))
            {
                let offset = after + raw.find("/*").unwrap_or(0) + 2;
                at = end + 2;
                return Some(Call {
                    start,
                    end: at,
                    with_body,
                    inner: (offset, offset + inside.len()),
                    escaped: true,
                });
            }
            let is_end = with_body && trimmed == "end";
            if is_call(trimmed) || is_end {
                at = end + 2;
                return Some(Call {
                    start,
                    end: at,
                    with_body,
                    inner: (after, end),
                    escaped: false,
                });
            }
            at = after;
        }
        None
    })
}

/// A value of a call's argument.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Number(String),
    Bool(bool),
}

impl Value {
    fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Text(s) => serde_json::Value::String(s.clone()),
            Value::Number(n) => n
                .parse::<i64>()
                .map(serde_json::Value::from)
                .or_else(|_| n.parse::<f64>().map(serde_json::Value::from))
                .unwrap_or_else(|_| serde_json::Value::String(n.clone())),
            Value::Bool(b) => serde_json::Value::Bool(*b),
        }
    }

    fn as_text(&self) -> String {
        match self {
            Value::Text(s) | Value::Number(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
        }
    }
}

/// `name(key="v", n=1, flag=true)`: the name and the arguments, or `None`
/// when the arguments are not Zola's `key=value` pairs.
fn parse_call(inner: &str) -> Option<(&str, Vec<(String, Value)>)> {
    let open = inner.find('(')?;
    let name = inner[..open].trim();
    let args = inner[open + 1..].trim_end().strip_suffix(')')?;
    let chars: Vec<char> = args.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let skip_space = |i: &mut usize| {
        while chars.get(*i).is_some_and(|c| c.is_whitespace()) {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        if i >= chars.len() {
            break;
        }
        let key_start = i;
        while chars
            .get(i)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        {
            i += 1;
        }
        let key: String = chars[key_start..i].iter().collect();
        skip_space(&mut i);
        if key.is_empty() || chars.get(i) != Some(&'=') {
            return None;
        }
        i += 1;
        skip_space(&mut i);
        let value = match chars.get(i)? {
            &q @ ('"' | '\'' | '`') => {
                i += 1;
                let mut s = String::new();
                loop {
                    let c = *chars.get(i)?;
                    i += 1;
                    if c == q {
                        break;
                    }
                    if c == '\\' && q != '`' {
                        s.push(*chars.get(i)?);
                        i += 1;
                    } else {
                        s.push(c);
                    }
                }
                Value::Text(s)
            }
            _ => {
                let start = i;
                while chars
                    .get(i)
                    .is_some_and(|c| !c.is_whitespace() && *c != ',')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    w if w.parse::<f64>().is_ok() => Value::Number(word),
                    _ => return None,
                }
            }
        };
        out.push((key, value));
        skip_space(&mut i);
        match chars.get(i) {
            Some(',') => i += 1,
            None => break,
            Some(_) => return None,
        }
    }
    Some((name, out))
}

/// Rewrites `body`; `None` when it holds no call and no escape.
pub fn transform(body: &str, context: &Context) -> Option<Transformed> {
    if !body.contains("{{") && !body.contains("{%") {
        return None;
    }
    let all: Vec<Call> = calls(body).collect();
    if all.is_empty() {
        return None;
    }
    let code = code_ranges(body);
    let mut w = Rewriter::default();
    let mut at = 0;
    let mut i = 0;
    while i < all.len() {
        let call = all[i];
        i += 1;
        if call.start < at {
            continue;
        }
        if call.escaped {
            w.copy(&body[at..call.start], at);
            let (open, close) = if call.with_body {
                ("{% ", " %}")
            } else {
                ("{{ ", " }}")
            };
            w.replace(&format!("{open}{}{close}", call.inner(body)), call.start);
            at = call.end;
            continue;
        }
        if inside(&code, call.start) {
            continue;
        }
        w.copy(&body[at..call.start], at);
        at = call.end;
        let inner = call.inner(body);
        if inner == "end" {
            leave(&mut w, body, call, "this `{% end %}` closes no shortcode");
            continue;
        }
        let Some((name, args)) = parse_call(inner) else {
            leave(
                &mut w,
                body,
                call,
                "write the arguments as Zola does: name(key=\"value\", n=1)",
            );
            continue;
        };
        let get = |key: &str| {
            args.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_text())
        };
        // A body runs to the next `{% end %}` outside code.
        let end = if call.with_body {
            let found = all[i..].iter().position(|c| {
                !c.escaped && c.with_body && c.inner(body) == "end" && !inside(&code, c.start)
            });
            match found {
                Some(j) => Some((j, all[i + j])),
                None => {
                    leave(
                        &mut w,
                        body,
                        call,
                        "add `{% end %}` after the shortcode's body",
                    );
                    continue;
                }
            }
        } else {
            None
        };
        // The site's own template wins over a built-in of the same name.
        if let Some(templates) = context.shortcodes.filter(|t| t.has(name)) {
            let map: serde_json::Map<String, serde_json::Value> =
                args.iter().map(|(k, v)| (k.clone(), v.to_json())).collect();
            let inner = end.map(|(_, e)| &body[call.end..e.start]);
            match templates.render(name, &map, inner.map(|b| b.trim_matches('\n'))) {
                Ok(html) => {
                    w.replace(&html, call.start);
                    if let Some((j, e)) = end {
                        w.replace("", call.end);
                        at = e.end;
                        i += j + 1;
                    }
                }
                Err(message) => leave(
                    &mut w,
                    body,
                    call,
                    &format!("templates/shortcodes/{name}.html failed: {message}"),
                ),
            }
            continue;
        }
        let embed = match (name, end) {
            ("note", Some((j, end))) => {
                let class = get("kind")
                    .filter(|k| super::plain_id(k))
                    .map(|k| format!("note note-{k}"))
                    .unwrap_or_else(|| "note".into());
                w.replace(&format!("<aside class=\"{class}\">\n\n"), call.start);
                w.copy(&body[call.end..end.start], call.end);
                w.replace("\n\n</aside>", end.start);
                at = end.end;
                i += j + 1;
                continue;
            }
            ("figure", None) => super::figure(&get),
            ("youtube", None) => get("id")
                .and_then(|id| super::youtube_id(&id))
                .map(|id| super::youtube(&id)),
            ("vimeo", None) => get("id")
                .filter(|id| super::plain_id(id))
                .map(|id| super::vimeo(&id)),
            ("gist", None) => gist(&get),
            _ => {
                leave(
                    &mut w,
                    body,
                    call,
                    "blog has no such shortcode: the built-in ones are figure, youtube, vimeo, gist and note",
                );
                continue;
            }
        };
        match embed {
            Some(html) => w.replace(&html, call.start),
            None => leave(
                &mut w,
                body,
                call,
                "give the shortcode what it needs, like src=\"…\" or id=\"…\"",
            ),
        }
    }
    w.copy(&body[at..], at);
    Some(w.finish())
}

fn leave(w: &mut Rewriter, body: &str, call: Call, hint: &str) {
    w.leave(&body[call.start..call.end], call.start, hint);
}

/// Zola's `gist(url="https://gist.github.com/user/id", file="x")`.
fn gist(get: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let url = get("url")?;
    let id = url
        .trim_end_matches('/')
        .strip_prefix("https://gist.github.com/")?
        .to_string();
    super::gist(&id, get("file").as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::front_matter::FrontMatter;
    use std::path::Path;

    fn run(body: &str) -> Transformed {
        let config = Config::default();
        let meta = FrontMatter::default();
        let context = Context {
            config: &config,
            meta: &meta,
            source: Path::new("content/posts/a.md"),
            shortcodes: None,
            native: false,
        };
        transform(body, &context).expect("rewritten")
    }

    #[test]
    fn calls_parse_as_zola_writes_them() {
        let (name, args) =
            parse_call(r#"figure(src="a b.jpg", width=640, lazy=true, alt='it\'s')"#)
                .expect("call");
        assert_eq!(name, "figure");
        assert_eq!(
            args,
            vec![
                ("src".into(), Value::Text("a b.jpg".into())),
                ("width".into(), Value::Number("640".into())),
                ("lazy".into(), Value::Bool(true)),
                ("alt".into(), Value::Text("it's".into())),
            ]
        );
        assert!(parse_call("figure(\"positional\")").is_none());
        assert!(parse_call("figure(src=unquoted)").is_none());
        assert!(parse_call("figure()").is_some());
    }

    #[test]
    fn built_ins() {
        let t = run("{{ youtube(id=\"dQw4w9WgXcQ\") }} {{ vimeo(id=\"146022717\") }}");
        assert!(t.body.contains("youtube-nocookie.com/embed/dQw4w9WgXcQ"));
        assert!(t.body.contains("player.vimeo.com/video/146022717"));
        assert_eq!(
            run("{{ gist(url=\"https://gist.github.com/Keats/e5fb6aad409f28721c0ba14161644c57\") }}").body,
            "<script src=\"https://gist.github.com/Keats/e5fb6aad409f28721c0ba14161644c57.js\"></script>"
        );
        assert_eq!(
            run("{{ figure(src=\"/a.png\", caption=\"A <b>\", width=10) }}").body,
            "<figure><img src=\"/a.png\" alt=\"A &lt;b&gt;\" width=\"10\"><figcaption><p>A &lt;b&gt;</p></figcaption></figure>"
        );
        let t = run("{% note(kind=\"warning\") %}\nMind *this*.\n{% end %}\nAfter");
        assert_eq!(
            t.body,
            "<aside class=\"note note-warning\">\n\n\nMind *this*.\n\n\n</aside>\nAfter"
        );
        assert!(t.notes.is_empty());
    }

    #[test]
    fn escapes_show_calls_even_in_code() {
        let t =
            run("`{{/* youtube(id=\"x\") */}}`\n\n```\n{%/* note() */%}\nx\n{%/* end */%}\n```\n");
        assert_eq!(
            t.body,
            "`{{ youtube(id=\"x\") }}`\n\n```\n{% note() %}\nx\n{% end %}\n```\n"
        );
    }

    #[test]
    fn the_unknown_stays_visible_and_code_and_plain_braces_are_untouched() {
        let body = "{{ instagram(id=\"x\") }} {% note() %} never ended\n\n`{{ youtube(id=\"y\") }}` {{ name }} {% if x %}";
        let t = run(body);
        assert_eq!(t.body.replace('\\', ""), body);
        assert_eq!(t.notes.len(), 2, "{:?}", t.notes);
        assert!(!uses_shortcodes("{{ name }} and {% if x %}"));
        assert!(uses_shortcodes("{{ youtube(id=\"x\") }}"));
        assert!(uses_shortcodes("{{/* youtube() */}}"));
    }
}
