//! Hugo's shortcodes, as real posts use them, turned into markdown and HTML
//! before the body is rendered: both forms (`{{< name >}}`, `{{% name %}}`),
//! with or without spaces, positional or named arguments, paired
//! (`{{< details >}}…{{< /details >}}`) or not, and the `{{</* x */>}}`
//! escape, which shows the shortcode as written (also inside code, where it
//! is used to document shortcodes).
//!
//! Built in, as Hugo's own: `figure`, `youtube`, `vimeo`, `gist`,
//! `highlight` (a fence), `ref`/`relref` (links to the files they name,
//! resolved and checked like any link to a markdown file), `x`/`tweet` (a
//! quote linking to the post), `details` and `param`. Any other shortcode
//! stays visible exactly as written, with a note for a warning at its line.
//! Text inside code spans and fences is never touched, apart from escapes.

use super::{code_ranges, inside, Context, Rewriter, Transformed};

/// Whether `body` holds a Hugo shortcode.
pub fn uses_shortcodes(body: &str) -> bool {
    (body.contains("{{<") || body.contains("{{%")) && calls(body).next().is_some()
}

/// One `{{< … >}}` or `{{% … %}}` in a text.
#[derive(Debug, Clone, Copy)]
struct Call {
    start: usize,
    end: usize,
    /// The inner text's range, without delimiters and escape comment.
    inner: (usize, usize),
    /// `{{</* … */>}}`: to be shown as written without the comment.
    escaped: bool,
    /// `{{% … %}}`: the output is markdown.
    markdown: bool,
}

impl Call {
    fn inner<'t>(&self, text: &'t str) -> &'t str {
        text[self.inner.0..self.inner.1].trim()
    }

    fn name<'t>(&self, text: &'t str) -> &'t str {
        let inner = self.inner(text);
        inner
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .trim_end_matches('/')
    }

    fn closing(&self, text: &str) -> bool {
        self.inner(text).starts_with('/')
    }

    /// `{{< name … />}}`: no closing call follows.
    fn self_closing(&self, text: &str) -> bool {
        self.inner(text).ends_with('/')
    }

    fn args(&self, text: &str) -> Args {
        let inner = self.inner(text).trim_end_matches('/');
        Args::parse(inner[self.name(text).len()..].trim())
    }
}

/// Every shortcode call of `text`, in order.
fn calls(text: &str) -> impl Iterator<Item = Call> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(found) = text[at..].find("{{") {
            let start = at + found;
            let open = text.as_bytes().get(start + 2).copied();
            let (markdown, close) = match open {
                Some(b'<') => (false, ">}}"),
                Some(b'%') => (true, "%}}"),
                _ => {
                    at = start + 2;
                    continue;
                }
            };
            let after = start + 3;
            let rest = text[after..].trim_start();
            let escaped = rest.starts_with("/*");
            let Some(end) = text[after..].find(close).map(|i| after + i) else {
                at = after;
                continue;
            };
            let mut inner = (after, end);
            if escaped {
                let open_comment = after + text[after..].find("/*").unwrap_or(0) + 2;
                let close_comment = text[open_comment..end]
                    .rfind("*/")
                    .map_or(end, |i| open_comment + i);
                inner = (open_comment, close_comment);
            }
            at = end + close.len();
            return Some(Call {
                start,
                end: at,
                inner,
                escaped,
                markdown,
            });
        }
        None
    })
}

/// A shortcode's arguments: positional, or `name=value` pairs.
#[derive(Debug, Default, PartialEq)]
struct Args {
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Args {
    /// Words, `"quoted strings"` (with `\"`), `` `raw strings` `` and
    /// `name=value` / `name="value"`, as Hugo reads them.
    fn parse(text: &str) -> Args {
        let mut args = Args::default();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        let read_value = |i: &mut usize| -> String {
            let mut value = String::new();
            match chars.get(*i) {
                Some(&q @ ('"' | '`')) => {
                    *i += 1;
                    while let Some(&c) = chars.get(*i) {
                        *i += 1;
                        if c == '\\' && q == '"' {
                            if let Some(&next) = chars.get(*i) {
                                value.push(next);
                                *i += 1;
                            }
                        } else if c == q {
                            break;
                        } else {
                            value.push(c);
                        }
                    }
                }
                _ => {
                    while let Some(&c) = chars.get(*i) {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        *i += 1;
                    }
                }
            }
            value
        };
        while i < chars.len() {
            if chars[i].is_whitespace() {
                i += 1;
                continue;
            }
            // A name followed by `=`.
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '-')
            {
                j += 1;
            }
            if j > i && chars.get(j) == Some(&'=') {
                let name: String = chars[i..j].iter().collect();
                let mut k = j + 1;
                let value = read_value(&mut k);
                args.named.push((name, value));
                i = k;
            } else {
                let mut k = i;
                args.positional.push(read_value(&mut k));
                i = k.max(i + 1);
            }
        }
        args
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A named argument, else the positional one at `index`.
    fn get_or(&self, name: &str, index: usize) -> Option<&str> {
        self.get(name)
            .or_else(|| self.positional.get(index).map(String::as_str))
    }
}

/// Rewrites `body`; `None` when it holds no shortcode.
pub fn transform(body: &str, context: &Context) -> Option<Transformed> {
    if !body.contains("{{<") && !body.contains("{{%") {
        return None;
    }
    let code = code_ranges(body);
    let all: Vec<Call> = calls(body).collect();
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
            // Shown as written, without the comment: `{{< x >}}`.
            w.copy(&body[at..call.start], at);
            let (open, close) = if call.markdown {
                ("{{% ", " %}}")
            } else {
                ("{{< ", " >}}")
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
        let name = call.name(body);
        let paired = matches!(name, "highlight" | "details");
        // The closing call of a paired shortcode, if there is one.
        let close = (!call.self_closing(body) && paired)
            .then(|| {
                all[i..].iter().position(|c| {
                    !c.escaped && c.closing(body) && c.name(body).trim_start_matches('/') == name
                })
            })
            .flatten()
            .map(|j| (j, all[i + j]));
        let args = call.args(body);
        match name {
            "highlight" if close.is_some() => {
                let (j, end) = close.unwrap_or((0, call));
                let language = args.positional.first().map_or("", String::as_str);
                let mut code_start = call.end;
                if body[code_start..].starts_with('\n') {
                    code_start += 1;
                }
                let text_follows = !body[end.end..].starts_with('\n') && end.end < body.len();
                w.fence(
                    language,
                    &body[code_start..end.start],
                    code_start,
                    (call.start, end.start),
                    text_follows,
                );
                at = end.end;
                i += j + 1;
            }
            "details" if close.is_some() => {
                let (j, end) = close.unwrap_or((0, call));
                let summary =
                    html_escape::encode_text(args.get("summary").unwrap_or("Details")).into_owned();
                let open = if args.get("open") == Some("true") {
                    " open"
                } else {
                    ""
                };
                w.replace(
                    &format!("<details{open}>\n<summary>{summary}</summary>\n\n"),
                    call.start,
                );
                w.copy(&body[call.end..end.start], call.end);
                w.replace("\n\n</details>", end.start);
                at = end.end;
                i += j + 1;
            }
            "figure" => {
                match super::figure_embed(&|key| args.get(key).map(str::to_string), context.native)
                {
                    Some(html) => w.replace(&html, call.start),
                    None => leave(
                        &mut w,
                        body,
                        call,
                        "give the figure a src: {{< figure src=\"a.jpg\" >}}",
                    ),
                }
            }
            "youtube" => match args.get_or("id", 0).and_then(super::youtube_id) {
                Some(id) => w.replace(&super::youtube_embed(&id, context.native), call.start),
                None => leave(
                    &mut w,
                    body,
                    call,
                    "give the video's id: {{< youtube dQw4w9WgXcQ >}}",
                ),
            },
            "vimeo" => match args.get_or("id", 0).filter(|id| super::plain_id(id)) {
                Some(id) => w.replace(&super::vimeo_embed(id, context.native), call.start),
                None => leave(
                    &mut w,
                    body,
                    call,
                    "give the video's id: {{< vimeo 146022717 >}}",
                ),
            },
            "gist" => {
                let id = match (args.positional.first(), args.positional.get(1)) {
                    (Some(user), Some(id)) => Some(format!("{user}/{id}")),
                    _ => None,
                };
                match id.and_then(|id| {
                    super::gist_embed(
                        &id,
                        args.positional.get(2).map(String::as_str),
                        context.native,
                    )
                }) {
                    Some(html) => w.replace(&html, call.start),
                    None => leave(
                        &mut w,
                        body,
                        call,
                        "give the user and the gist's id: {{< gist user 1234 >}}",
                    ),
                }
            }
            "ref" | "relref" => match args.get_or("path", 0) {
                Some(path) => w.replace(&reference(path), call.start),
                None => leave(
                    &mut w,
                    body,
                    call,
                    "name the page: {{< ref \"posts/a.md\" >}}",
                ),
            },
            "x" | "tweet" | "twitter" => {
                let user = args.get_or("user", 0).filter(|u| super::plain_id(u));
                let id = args
                    .get_or("id", 1)
                    .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
                match (user, id) {
                    (Some(user), Some(id)) => w.replace(
                        &format!(
                            "<blockquote class=\"twitter-tweet\"><p><a href=\"https://x.com/{user}/status/{id}\">A post by @{user} on X</a></p></blockquote>"
                        ),
                        call.start,
                    ),
                    _ => leave(&mut w, body, call, "give the user and the post's id: {{< x user=\"name\" id=\"123\" >}}"),
                }
            }
            "param" => match args.get_or("name", 0).and_then(|key| param(key, context)) {
                Some(value) => w.replace(&value, call.start),
                None => leave(
                    &mut w,
                    body,
                    call,
                    "set the value in the front matter or in config.toml's [extra]",
                ),
            },
            _ if call.closing(body) => leave(
                &mut w,
                body,
                call,
                "this closes a shortcode that is not open",
            ),
            _ => leave(
                &mut w,
                body,
                call,
                "blog has no such shortcode; write the HTML it made, or add a shortcode template",
            ),
        }
    }
    w.copy(&body[at..], at);
    Some(w.finish())
}

fn leave(w: &mut Rewriter, body: &str, call: Call, hint: &str) {
    w.leave(&body[call.start..call.end], call.start, hint);
}

/// `ref`/`relref`'s target as a link to a markdown file: from content/ for
/// `/posts/a.md`, else from the page's folder (and then from content/, as
/// Hugo looks: `FileUrls::target`); a name without an extension
/// is its `.md` file.
fn reference(path: &str) -> String {
    let (file, fragment) = match path.split_once('#') {
        Some((file, fragment)) => (file, format!("#{fragment}")),
        None => (path, String::new()),
    };
    if file.is_empty() {
        return fragment;
    }
    let has_extension = file
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'));
    let file = if has_extension {
        file.to_string()
    } else {
        format!("{}.md", file.trim_end_matches('/'))
    };
    match file.strip_prefix('/') {
        Some(rest) => format!("@/{rest}{fragment}"),
        None => format!("{file}{fragment}"),
    }
}

/// `param`: the page's front matter value, else the site's `[extra]`.
fn param(key: &str, context: &Context) -> Option<String> {
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(html_escape::encode_text(s).into_owned()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    context
        .meta
        .other
        .get(key)
        .or_else(|| context.meta.extra.get(key))
        .or_else(|| context.config.extra.get(key))
        .and_then(scalar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::front_matter::FrontMatter;
    use std::path::Path;

    fn run(body: &str) -> Transformed {
        let mut config = Config::default();
        config
            .extra
            .insert("author_name".into(), serde_json::json!("Site <Author>"));
        let mut meta = FrontMatter::default();
        meta.other.insert("mood".into(), serde_json::json!("calm"));
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
    fn arguments_parse_as_hugo_reads_them() {
        let args = Args::parse(r#"src="a b.jpg" title=Plain `raw "x"` "q \"y\"" word"#);
        assert_eq!(args.get("src"), Some("a b.jpg"));
        assert_eq!(args.get("title"), Some("Plain"));
        assert_eq!(args.positional, vec!["raw \"x\"", "q \"y\"", "word"]);
    }

    #[test]
    fn both_forms_with_and_without_spaces() {
        for body in [
            "{{< youtube dQw4w9WgXcQ >}}",
            "{{<youtube dQw4w9WgXcQ>}}",
            "{{% youtube dQw4w9WgXcQ %}}",
            "{{< youtube id=\"dQw4w9WgXcQ\" >}}",
            "{{< youtube id=\"dQw4w9WgXcQ\" />}}",
        ] {
            let t = run(body);
            assert!(
                t.body.contains("youtube-nocookie.com/embed/dQw4w9WgXcQ"),
                "{body}: {}",
                t.body
            );
            assert!(t.notes.is_empty(), "{body}");
        }
    }

    #[test]
    fn figure_vimeo_gist_x_param() {
        let t = run("{{< figure src=\"/img/a.jpg\" title=\"A & B\" caption=\"Seen\" link=\"/big.jpg\" width=\"640\" >}}");
        assert_eq!(
            t.body,
            "<figure><a href=\"/big.jpg\"><img src=\"/img/a.jpg\" alt=\"Seen\" width=\"640\"></a><figcaption><h4>A &amp; B</h4><p>Seen</p></figcaption></figure>"
        );
        assert!(run("{{< vimeo 146022717 >}}")
            .body
            .contains("player.vimeo.com/video/146022717"));
        assert_eq!(
            run("{{< gist spf13 7896402 >}}").body,
            "<script src=\"https://gist.github.com/spf13/7896402.js\"></script>"
        );
        assert!(
            run("{{< x user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}")
                .body
                .contains("https://x.com/SanDiegoZoo/status/1453110110599868418")
        );
        assert_eq!(
            run("{{< param mood >}} {{< param \"author_name\" >}}").body,
            "calm Site &lt;Author&gt;"
        );
    }

    #[test]
    fn paired_shortcodes() {
        let t = run("Before\n{{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< /highlight >}}\nAfter");
        assert_eq!(t.body, "Before\n```go\nfunc main() {}\n```\nAfter");
        let t = run("{{< details summary=\"More <here>\" >}}\nHidden *text*.\n{{< /details >}}");
        assert_eq!(
            t.body,
            "<details>\n<summary>More &lt;here&gt;</summary>\n\n\nHidden *text*.\n\n\n</details>"
        );
    }

    #[test]
    fn refs_become_links_to_files() {
        assert_eq!(
            run("[a]({{< ref \"/posts/b.md\" >}}) [c]({{< relref \"c#part\" >}}) [d]({{< ref \"#top\" >}})").body,
            "[a](@/posts/b.md) [c](c.md#part) [d](#top)"
        );
    }

    #[test]
    fn escapes_show_the_shortcode_even_in_code() {
        let t = run("Write `{{</* figure src=\"a\" */>}}` or\n\n```\n{{%/* note */%}}\n```\n");
        assert_eq!(
            t.body,
            "Write `{{< figure src=\"a\" >}}` or\n\n```\n{{% note %}}\n```\n"
        );
        assert!(t.notes.is_empty());
    }

    #[test]
    fn the_unknown_and_code_stay_as_written() {
        let body =
            "{{< instagram BWNjjyYFxVx >}} and {{< /details >}}\n\n```\n{{< youtube x >}}\n```\n";
        let t = run(body);
        assert_eq!(t.body.replace('\\', ""), body);
        assert_eq!(t.notes.len(), 2);
        assert_eq!(t.notes[0].offset, 0);
        let t = run("{{< figure title=\"no src\" >}} {{< youtube \"><x\" >}}");
        assert_eq!(t.notes.len(), 2, "{:?}", t.notes);
        assert!(!uses_shortcodes("{{ zola() }} {% raw %}"));
        assert!(uses_shortcodes("x {{< y >}}"));
    }
}
