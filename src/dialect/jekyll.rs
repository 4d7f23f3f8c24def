//! Jekyll's Liquid, as real posts use it, turned into plain markdown before
//! it is rendered: `{% raw %}` tags removed with what they wrap kept
//! verbatim (also where they are glued to a fence line, or sit inside the
//! code they protect), `{% highlight lang %}` blocks as fenced code,
//! `{% comment %}` dropped, `{% post_url %}` and `{% link %}` as links to the
//! files they name (resolved and checked like any link to a markdown file),
//! `{% gist %}` and `{% youtube %}` as the embeds those plugins write, and
//! `{{ site.… }}` / `{{ page.… }}` values with the common URL filters.
//!
//! Anything else (`{% include %}`, loops, an unknown value or filter) is
//! left visible exactly as written, with a note for a warning at its line:
//! never silently dropped. Text inside code spans and fences is not touched,
//! apart from `{% raw %}` tags, which exist only to keep Liquid out of it.

use std::ops::Range;
use std::path::Path;

use super::{code_ranges, inside, Context, Rewriter, Transformed};
use crate::content::front_matter::FrontMatter;

/// Jekyll's front matter in blog's terms: a post under `_drafts/` or with
/// `published: false` is a draft, `category` is one category, and
/// `redirect_from` (jekyll-redirect-from) lists aliases. The keys stay in
/// `other` as well, for templates that read them.
pub fn front_matter(meta: &mut FrontMatter, source: &Path) {
    let in_drafts = source.components().any(|c| c.as_os_str() == "_drafts");
    if in_drafts || meta.other.get("published") == Some(&serde_json::Value::Bool(false)) {
        meta.draft = true;
    }
    if !meta.taxonomies.contains_key("categories") {
        if let Some(serde_json::Value::String(category)) = meta.other.get("category") {
            let category = category.trim();
            if !category.is_empty() {
                meta.taxonomies
                    .insert("categories".into(), vec![category.to_string()]);
            }
        }
    }
    // Jekyll computes a page's `url` and `path` itself; written in the
    // front matter (a link post's target, say), they are the author's
    // values, kept for templates, not the page's URL.
    for key in ["url", "path"] {
        if let Some(value) = meta.other.remove(key) {
            if let serde_json::Value::Object(extra) = &mut meta.extra {
                extra.entry(key.to_string()).or_insert(value);
            }
        }
    }
    let redirects = match meta.other.get("redirect_from") {
        Some(serde_json::Value::String(one)) => vec![one.clone()],
        Some(serde_json::Value::Array(many)) => many
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    for alias in redirects {
        if !meta.aliases.contains(&alias) {
            meta.aliases.push(alias);
        }
    }
}

/// Jekyll reads front matter as YAML, where a time written without an
/// offset is UTC; with a site `timezone` it is then shown, and placed in
/// URLs, in that zone. A date without a time stays a day of the site's.
pub fn dates_in_utc(meta: &mut FrontMatter, config: &crate::config::Config) {
    if config.zone.is_none() {
        return;
    }
    if let Some(date) = meta
        .date
        .filter(|d| d.offset.is_none() && d.datetime.time() != jiff::civil::Time::midnight())
    {
        meta.date = Some(crate::content::date::Date::new(
            date.datetime,
            Some(jiff::tz::Offset::UTC),
        ));
    }
}

/// Whether `body` uses Liquid that only Jekyll posts use. Inside code,
/// only `{% raw %}` counts (it exists to keep Liquid out of code): other
/// Liquid there is what a post about Liquid shows, as an imported post
/// does.
pub fn uses_liquid(body: &str) -> bool {
    if !body.contains("{%") && !body.contains("{{") {
        return false;
    }
    let mut code: Option<Vec<Range<usize>>> = None;
    tags(body).any(|tag| {
        let jekyll = match tag.kind {
            Kind::Tag => matches!(
                tag.name(body),
                "raw"
                    | "highlight"
                    | "post_url"
                    | "link"
                    | "include"
                    | "gist"
                    | "youtube"
                    | "comment"
            ),
            Kind::Output => {
                let inner = tag.inner(body);
                inner.starts_with("site.") || inner.starts_with("page.")
            }
        };
        if !jekyll || (tag.kind == Kind::Tag && tag.name(body) == "raw") {
            return jekyll;
        }
        let code = code.get_or_insert_with(|| code_ranges(body));
        !inside(code, tag.start)
    })
}

/// Rewrites `body`; `None` when it holds no Liquid and no excerpt separator.
pub fn transform(body: &str, context: &Context) -> Option<Transformed> {
    let separator = context
        .meta
        .other
        .get("excerpt_separator")
        .and_then(|v| v.as_str())
        .filter(|s| !s.trim().is_empty());
    if !body.contains("{%") && !body.contains("{{") && separator.is_none() {
        return None;
    }
    let unraw = remove_raw(body);
    let text = unraw.body.clone();
    let second = rewrite(&text, &unraw.protected, context, separator);
    Some(unraw.transformed.then(second))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `{% … %}`
    Tag,
    /// `{{ … }}`
    Output,
}

/// One `{% … %}` or `{{ … }}` in a text.
#[derive(Clone, Copy)]
struct Markup {
    kind: Kind,
    start: usize,
    end: usize,
}

impl Markup {
    /// What is between the delimiters, without Liquid's `-` whitespace
    /// controls.
    fn inner<'t>(&self, text: &'t str) -> &'t str {
        let inner = &text[self.start + 2..self.end - 2];
        inner
            .strip_prefix('-')
            .unwrap_or(inner)
            .strip_suffix('-')
            .unwrap_or_else(|| inner.strip_prefix('-').unwrap_or(inner))
            .trim()
    }

    fn name<'t>(&self, text: &'t str) -> &'t str {
        self.inner(text).split_whitespace().next().unwrap_or("")
    }

    fn args<'t>(&self, text: &'t str) -> &'t str {
        let inner = self.inner(text);
        inner[self.name(text).len()..].trim()
    }
}

/// Every `{% … %}` and `{{ … }}` of `text`, in order. A delimiter that is
/// never closed on its line is no markup.
fn tags(text: &str) -> impl Iterator<Item = Markup> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(found) = text[at..].find('{') {
            let start = at + found;
            let kind = match text.as_bytes().get(start + 1) {
                Some(b'%') => Kind::Tag,
                Some(b'{') => Kind::Output,
                _ => {
                    at = start + 1;
                    continue;
                }
            };
            let close = if kind == Kind::Tag { "%}" } else { "}}" };
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            match text[start + 2..line_end].find(close) {
                Some(i) => {
                    let end = start + 2 + i + 2;
                    at = end;
                    return Some(Markup { kind, start, end });
                }
                None => at = start + 2,
            }
        }
        None
    })
}

struct Unraw {
    transformed: Transformed,
    body: String,
    /// Ranges of `body` that were inside `{% raw %}`: copied, never read.
    protected: Vec<Range<usize>>,
}

/// First pass: `{% raw %}…{% endraw %}` wherever they are, since they exist
/// only to keep Liquid out of what they wrap.
fn remove_raw(body: &str) -> Unraw {
    let mut w = Rewriter::default();
    let mut protected = Vec::new();
    let mut at = 0;
    let all: Vec<Markup> = tags(body).collect();
    let mut i = 0;
    while i < all.len() {
        let tag = all[i];
        if tag.kind != Kind::Tag || tag.start < at || tag.name(body) != "raw" {
            i += 1;
            continue;
        }
        let close = all[i + 1..]
            .iter()
            .position(|t| t.kind == Kind::Tag && t.name(body) == "endraw")
            .map(|j| i + 1 + j);
        let Some(close) = close else {
            w.copy(&body[at..tag.end], at);
            w.note(
                tag.start,
                "`{% raw %}` is never closed; it is shown as written",
                "add `{% endraw %}` where the verbatim text ends",
            );
            at = tag.end;
            i += 1;
            continue;
        };
        let end_tag = all[close];
        w.copy(&body[at..tag.start], at);
        w.replace("", tag.start);
        let from = w.written().len();
        w.copy(&body[tag.end..end_tag.start], tag.end);
        protected.push(from..w.written().len());
        w.replace("", end_tag.start);
        at = end_tag.end;
        i = close + 1;
    }
    w.copy(&body[at..], at);
    let transformed = w.finish();
    Unraw {
        body: transformed.body.clone(),
        transformed,
        protected,
    }
}

/// Second pass: every other tag and value outside code and raw text.
fn rewrite(
    text: &str,
    protected: &[Range<usize>],
    context: &Context,
    separator: Option<&str>,
) -> Transformed {
    let code = code_ranges(text);
    let skip = |offset: usize| inside(protected, offset) || inside(&code, offset);
    let mut w = Rewriter::default();
    let mut at = 0;
    let all: Vec<Markup> = tags(text).filter(|t| !skip(t.start)).collect();
    let mut i = 0;
    let mut separated = false;
    while i < all.len() {
        let tag = all[i];
        i += 1;
        if tag.start < at {
            continue;
        }
        if let Some(sep) = separator.filter(|_| !separated) {
            if let Some(found) = text[at..tag.start].find(sep) {
                let s = at + found;
                w.copy(&text[at..s], at);
                w.replace("<!-- more -->", s);
                at = s + sep.len();
                separated = true;
            }
        }
        w.copy(&text[at..tag.start], at);
        at = tag.end;
        match tag.kind {
            Kind::Output => output(&mut w, text, tag, context),
            Kind::Tag => match tag.name(text) {
                "highlight" => {
                    let close = all[i..]
                        .iter()
                        .position(|t| t.kind == Kind::Tag && t.name(text) == "endhighlight");
                    match close {
                        Some(j) => {
                            let end_tag = all[i + j];
                            highlight(&mut w, text, tag, end_tag);
                            at = end_tag.end;
                            i += j + 1;
                        }
                        None => {
                            w.copy(&text[tag.start..tag.end], tag.start);
                            w.note(
                                tag.start,
                                "`{% highlight %}` is never closed; it is shown as written",
                                "add `{% endhighlight %}` after the code",
                            );
                        }
                    }
                }
                "comment" => {
                    let close = all[i..]
                        .iter()
                        .position(|t| t.kind == Kind::Tag && t.name(text) == "endcomment");
                    match close {
                        Some(j) => {
                            w.replace("", tag.start);
                            at = all[i + j].end;
                            i += j + 1;
                        }
                        None => w.copy(&text[tag.start..tag.end], tag.start),
                    }
                }
                "post_url" => {
                    // Found by its name wherever it is under _posts, once
                    // the site model knows every file (`file_links`), and
                    // checked like every link to a markdown file.
                    let name = tag.args(text).trim_matches(['/', '"', '\'']);
                    w.replace(&format!("@/_posts/{name}.md"), tag.start);
                }
                "link" => {
                    let path = tag.args(text).trim_start_matches('/');
                    let is_markdown = path.ends_with(".md") || path.ends_with(".markdown");
                    let target = if is_markdown {
                        format!("@/{path}")
                    } else {
                        format!("{}/{path}", context.config.base_path())
                    };
                    w.replace(&target, tag.start);
                }
                "gist" => match gist(tag.args(text), context.native) {
                    Some(html) => w.replace(&html, tag.start),
                    None => leave(&mut w, text, tag, "give the gist's id: {% gist user/1234 %}"),
                },
                "youtube" => match super::youtube_id(tag.args(text)) {
                    Some(id) => w.replace(&super::youtube_embed(&id, context.native), tag.start),
                    None => leave(&mut w, text, tag, "give the video's id or URL"),
                },
                // Unclosed, and noted by the first pass.
                "raw" => w.copy(&text[tag.start..tag.end], tag.start),
                "include" => leave(
                    &mut w,
                    text,
                    tag,
                    "blog does not run Jekyll's includes; write what it showed into the post, or use a shortcode",
                ),
                _ => leave(
                    &mut w,
                    text,
                    tag,
                    "blog does not run Liquid in posts; write the text it made instead",
                ),
            },
        }
    }
    if let Some(sep) = separator.filter(|_| !separated) {
        if let Some(found) = text[at..].find(sep).filter(|f| !skip(at + f)) {
            let s = at + found;
            w.copy(&text[at..s], at);
            w.replace("<!-- more -->", s);
            at = s + sep.len();
        }
    }
    w.copy(&text[at..], at);
    w.finish()
}

fn leave(w: &mut Rewriter, text: &str, tag: Markup, hint: &str) {
    w.leave(&text[tag.start..tag.end], tag.start, hint);
}

/// `{% highlight lang [linenos] %}…{% endhighlight %}` as a fence.
fn highlight(w: &mut Rewriter, text: &str, open: Markup, close: Markup) {
    let language = open.args(text).split_whitespace().next().unwrap_or("");
    let mut code_start = open.end;
    if text[code_start..].starts_with('\n') {
        code_start += 1;
    }
    let text_follows = !text[close.end..].starts_with('\n') && close.end < text.len();
    w.fence(
        language,
        &text[code_start..close.start],
        code_start,
        (open.start, close.start),
        text_follows,
    );
}

/// jekyll-gist's embed: `{% gist [user/]id [file] %}`.
fn gist(args: &str, native: bool) -> Option<String> {
    let mut words = args.split_whitespace();
    let id = words.next()?.trim_matches(['"', '\'']);
    let file = words.next().map(|f| f.trim_matches(['"', '\'']));
    super::gist_embed(id, file, native)
}

/// `{{ value | filter: arg | … }}`: resolved when every part is known, else
/// left as written with a note.
fn output(w: &mut Rewriter, text: &str, tag: Markup, context: &Context) {
    // `{{ site.baseurl }}{% post_url x %}`, as Jekyll's docs write it: the
    // link to the file gets the site's path prefix when it is resolved.
    let rest = text[tag.end..].trim_start_matches(' ');
    let before_file_link = ["{% post_url", "{%- post_url", "{% link", "{%- link"]
        .iter()
        .any(|t| rest.starts_with(t));
    if before_file_link && matches!(tag.inner(text).trim(), "site.baseurl" | "site.url") {
        w.replace("", tag.start);
        return;
    }
    match evaluate(tag.inner(text), context) {
        Ok(value) => w.replace(&value, tag.start),
        Err(why) => w.leave_because(
            &text[tag.start..tag.end],
            tag.start,
            Some(&why),
            "write the value itself, or move it into the front matter",
        ),
    }
}

fn evaluate(expression: &str, context: &Context) -> Result<String, String> {
    let mut parts = split_filters(expression).into_iter();
    let mut value = value_of(parts.next().unwrap_or_default().trim(), context)?;
    for filter in parts {
        let (name, arg) = match filter.split_once(':') {
            Some((name, arg)) => (name.trim(), Some(value_of(arg.trim(), context)?)),
            None => (filter.trim(), None),
        };
        value = match (name, arg) {
            ("relative_url", None) => relative_url(&value, context),
            ("absolute_url", None) => {
                format!(
                    "{}{}",
                    context.config.origin(),
                    relative_url(&value, context)
                )
            }
            ("prepend", Some(arg)) => format!("{arg}{value}"),
            ("append", Some(arg)) => format!("{value}{arg}"),
            ("downcase", None) => value.to_lowercase(),
            ("upcase", None) => value.to_uppercase(),
            ("strip", None) => value.trim().to_string(),
            ("escape", None) | ("xml_escape", None) => {
                html_escape::encode_safe(&value).into_owned()
            }
            ("slugify", None) => crate::content::url::slugify(&value),
            _ => return Err(format!("blog does not know the filter `{name}`")),
        };
    }
    Ok(value)
}

/// Splits at `|` outside quotes.
fn split_filters(expression: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in expression.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '|') => {
                parts.push(&expression[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&expression[start..]);
    parts
}

/// A literal or a `site.`/`page.` value.
fn value_of(word: &str, context: &Context) -> Result<String, String> {
    let quoted = |q: char| word.len() >= 2 && word.starts_with(q) && word.ends_with(q);
    if quoted('"') || quoted('\'') {
        return Ok(word[1..word.len() - 1].to_string());
    }
    if word.parse::<f64>().is_ok() {
        return Ok(word.to_string());
    }
    let config = context.config;
    let meta = context.meta;
    let found = match word.split_once('.') {
        Some(("site", "url")) => Some(context.config.origin().to_string()),
        Some(("site", "baseurl")) => Some(context.config.base_path().to_string()),
        Some(("site", "title")) => Some(config.title.clone()),
        Some(("site", "description")) => Some(config.description.clone()),
        Some(("site", "author")) => Some(config.author.clone()),
        Some(("site", key)) => config.extra.get(key).and_then(scalar),
        Some(("page", "title")) => meta.title.clone(),
        Some(("page", "description" | "excerpt")) => meta.description.clone(),
        Some(("page", "date")) => meta.date.map(|d| d.to_rfc3339()),
        Some(("page", key)) => meta.other.get(key).and_then(scalar),
        _ => None,
    };
    found.ok_or_else(|| format!("`{word}` is not a value blog knows"))
}

fn scalar(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Jekyll's `relative_url`: the site's path prefix before a path.
fn relative_url(value: &str, context: &Context) -> String {
    if value.contains("://") {
        return value.to_string();
    }
    let path = value.trim_start_matches('/');
    format!("{}/{path}", context.config.base_path())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::front_matter::FrontMatter;
    use std::path::Path;

    fn run(body: &str) -> Transformed {
        let mut config = Config {
            base_url: "https://example.org/babysteps".into(),
            title: "Steps".into(),
            ..Config::default()
        };
        config
            .extra
            .insert("twitter".into(), serde_json::json!("@steps"));
        let meta = FrontMatter {
            title: Some("A <Post>".into()),
            ..FrontMatter::default()
        };
        let context = Context {
            config: &config,
            meta: &meta,
            source: Path::new("content/_posts/2020-01-01-a.md"),
            shortcodes: None,
            native: false,
        };
        transform(body, &context).expect("rewritten")
    }

    #[test]
    fn raw_is_removed_and_keeps_what_it_wraps() {
        let t = run("Use {% raw %}{{ page.title }}{% endraw %} in a layout.\n");
        assert_eq!(t.body, "Use {{ page.title }} in a layout.\n");
        assert!(t.notes.is_empty());
        // Glued to a fence line, and inside the code it protects.
        let t = run("{% raw %}```liquid\n{{ x }}\n```{% endraw %}\n\n```\n{%- raw -%}{{ y }}{% endraw %}\n```\n");
        assert_eq!(t.body, "```liquid\n{{ x }}\n```\n\n```\n{{ y }}\n```\n");
        let t = run("{% raw %} never closed {{ site.title }}");
        assert_eq!(t.body, "{% raw %} never closed Steps");
        assert_eq!(t.notes.len(), 1);
    }

    #[test]
    fn highlight_becomes_a_fence() {
        let t = run("Before\n{% highlight ruby linenos %}\ndef x\n  `y`\nend\n{% endhighlight %}\nAfter {{ site.title }}\n");
        assert_eq!(
            t.body,
            "Before\n```ruby\ndef x\n  `y`\nend\n```\nAfter Steps\n"
        );
        let t = run("Text {% highlight c %}int x;{% endhighlight %} more");
        assert_eq!(t.body, "Text \n```c\nint x;\n```\n more");
        let t = run("{% highlight c %}\n{{ not.a.value }}\n{% endhighlight %}");
        assert!(t.notes.is_empty(), "code is not read: {:?}", t.notes);
    }

    #[test]
    fn site_and_page_values_and_url_filters_resolve() {
        let t = run("![a]({{ site.baseurl }}/img/a.png) [b]({{ \"/about/\" | relative_url }}) [c]({{ '/x' | absolute_url }}) {{ site.url }} {{ page.title | escape }} {{ site.twitter }} {{ site.title | prepend: 'The ' | upcase }}");
        assert_eq!(
            t.body,
            "![a](/babysteps/img/a.png) [b](/babysteps/about/) [c](https://example.org/babysteps/x) https://example.org A &lt;Post&gt; @steps THE STEPS"
        );
        assert!(t.notes.is_empty());
    }

    #[test]
    fn links_to_posts_and_files() {
        let t = run("[a]({% post_url 2010-07-21-name %}) [b]({% post_url 2099-01-01-gone %}) [c]({% link about.md %}) [d]({% link assets/x.pdf %})");
        assert_eq!(
            t.body,
            "[a](@/_posts/2010-07-21-name.md) [b](@/_posts/2099-01-01-gone.md) [c](@/about.md) [d](/babysteps/assets/x.pdf)"
        );
    }

    #[test]
    fn embeds_and_comments() {
        let t = run("{% gist steps/abc123 notes.md %}\n{% youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ %}\n{% comment %}hidden {{ x }}{% endcomment %}end");
        assert!(t.body.starts_with(
            "<script src=\"https://gist.github.com/steps/abc123.js?file=notes.md\"></script>\n<iframe"
        ));
        assert!(t.body.contains("youtube-nocookie.com/embed/dQw4w9WgXcQ"));
        assert!(t.body.ends_with("\nend"));
        assert!(t.notes.is_empty());
        let t = run("{% gist \"><script> %}");
        assert_eq!(t.body.replace('\\', ""), "{% gist \"><script> %}");
        assert_eq!(t.notes.len(), 1);
    }

    #[test]
    fn the_unknown_stays_visible_with_a_note_at_its_place() {
        let body = "Intro\n{% include note.html text=\"x\" %}\n{{ page.url }} {{ site.title | date: '%Y' }}\n{% for p in site.posts %}x{% endfor %}";
        let t = run(body);
        assert_eq!(
            t.body.replace('\\', ""),
            body,
            "left exactly as written, with markdown escapes"
        );
        assert!(t
            .body
            .contains("\\{\\% include note\\.html text\\=\\\"x\\\" \\%\\}"));
        let at: Vec<usize> = t.notes.iter().map(|n| n.offset).collect();
        assert_eq!(at[0], body.find("{% include").expect("include"));
        assert_eq!(t.notes.len(), 5, "{:?}", t.notes);
        assert!(t.notes[0].hint.contains("includes"));
    }

    #[test]
    fn code_is_left_alone() {
        let body = "`{{ site.title }}` and\n\n```\n{% include x.html %}\n{{ site.url }}\n```\n\n    {% post_url x %}\n";
        let t = run(body);
        assert_eq!(t.body, body);
        assert!(t.notes.is_empty());
    }

    #[test]
    fn offsets_point_back_at_the_file() {
        let body = "{% raw %}x{% endraw %} [a]({{ site.baseurl }}/p/) [b](/q/)";
        let t = run(body);
        let b = t.body.find("(/q/)").expect("b") + 1;
        assert_eq!(t.original_offset(b), body.find("(/q/)").expect("b") + 1);
    }

    #[test]
    fn excerpt_separator_marks_the_summary() {
        let config = Config::default();
        let mut meta = FrontMatter::default();
        meta.other
            .insert("excerpt_separator".into(), serde_json::json!("<!--cut-->"));
        let context = Context {
            config: &config,
            meta: &meta,
            source: Path::new("content/_posts/2020-01-01-a.md"),
            shortcodes: None,
            native: false,
        };
        let t = transform("One\n\n<!--cut-->\n\nTwo", &context).expect("t");
        assert_eq!(t.body, "One\n\n<!-- more -->\n\nTwo");
    }

    #[test]
    fn jekyll_front_matter_in_blogs_terms() {
        let mut meta = FrontMatter::default();
        meta.other
            .insert("published".into(), serde_json::json!(false));
        meta.other
            .insert("category".into(), serde_json::json!("Notes"));
        meta.other.insert(
            "redirect_from".into(),
            serde_json::json!(["/old/", "/older.html"]),
        );
        front_matter(&mut meta, Path::new("content/_posts/2020-01-01-a.md"));
        assert!(meta.draft);
        assert_eq!(meta.taxonomies["categories"], vec!["Notes"]);
        assert_eq!(meta.aliases, vec!["/old/", "/older.html"]);

        let mut meta = FrontMatter::default();
        meta.other
            .insert("redirect_from".into(), serde_json::json!("/one/"));
        meta.taxonomies
            .insert("categories".into(), vec!["Kept".into()]);
        meta.other
            .insert("category".into(), serde_json::json!("Ignored"));
        front_matter(&mut meta, Path::new("content/_drafts/a.md"));
        assert!(meta.draft, "_drafts holds drafts");
        assert_eq!(meta.taxonomies["categories"], vec!["Kept"]);
        assert_eq!(meta.aliases, vec!["/one/"]);
        let mut meta = FrontMatter::default();
        front_matter(&mut meta, Path::new("content/_posts/2020-01-01-a.md"));
        assert!(!meta.draft);
    }

    #[test]
    fn only_jekyll_liquid_marks_a_body() {
        assert!(uses_liquid("{% highlight c %}x{% endhighlight %}"));
        assert!(uses_liquid("{{ site.url }}"));
        assert!(!uses_liquid("{{ figure(src=\"a\") }}"));
        assert!(!uses_liquid(
            "```liquid\n{{ page.title }} {% include x %}\n```\nand `{{ site.url }}`"
        ));
        assert!(uses_liquid("```\n{% raw %}{{ x }}{% endraw %}\n```"));
        assert!(!uses_liquid("{% note() %}x{% end %}"));
        assert!(!uses_liquid("no liquid { here }"));
    }
}
