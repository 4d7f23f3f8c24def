//! A Hugo site's files, as `blog import` brings them over: its
//! configuration (`hugo.toml|yaml|json`, `config.*`, or `config/_default/`)
//! into config.toml, content/ as it is (sections, `_index.md`, page
//! bundles), and static/ into static/. The URL Hugo gives each page is
//! worked out here with Hugo's rules (`:title` and `:slug` are the title
//! made a URL, paths are lowercased), because `blog`'s placeholders of the
//! same names follow Jekyll. Layouts, themes, assets and data are named in
//! the report.

use std::path::Path;

use serde_json::Value;

use super::{files_under, ContentFile, Note, Plan};
use crate::content::front_matter::{self as fm};
use crate::diagnostics::Diagnostic;

const CONFIG_NAMES: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// A Hugo site's settings in blog's terms.
pub struct SiteConfig {
    /// config.toml, with the notes on what has no equivalent.
    pub plan: Plan,
    /// Section → Hugo permalink pattern.
    patterns: Vec<(String, String)>,
    taxonomies: Vec<String>,
    ugly: bool,
}

/// The name of the Hugo configuration at `src`, if it has one.
pub fn config_name(src: &Path) -> Option<String> {
    CONFIG_NAMES
        .iter()
        .find(|n| src.join(n).is_file())
        .map(|n| n.to_string())
        .or_else(|| {
            src.join("config/_default")
                .is_dir()
                .then(|| "config/_default/".into())
        })
}

pub fn plan(src: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let SiteConfig {
        mut plan,
        patterns,
        taxonomies,
        ugly,
    } = site_config(src)?;
    for folder in ["layouts", "themes", "assets", "data", "i18n"] {
        if src.join(folder).is_dir() {
            plan.notes.push(Note::new(folder, folder_note(folder)));
        }
    }
    let shortcodes = src.join("layouts/shortcodes");
    if shortcodes.is_dir() {
        for rel in files_under(&shortcodes, &|_, _| false) {
            plan.notes.push(Note::new(
                Path::new("layouts/shortcodes").join(&rel),
                "this shortcode is a Go template, which blog does not run: its calls are kept as written and named below; write it as templates/shortcodes/NAME.html (tera) to bring it back",
            ));
        }
    }

    let skip = super::is_hidden;
    let content = src.join("content");
    for dir in ["content", "static"] {
        super::note_links_outside(&src.join(dir), Path::new(dir), &skip, &mut plan.notes);
    }
    for rel in files_under(&content, &skip) {
        let source = content.join(&rel);
        if !super::is_markdown(&rel) && is_page(&source) {
            plan.notes.push(Note::new(
                Path::new("content").join(&rel),
                "a page written in HTML or another markup is not imported: blog reads markdown; convert it to a .md file",
            ));
            continue;
        }
        let (old_url, slug, undated) =
            if super::is_markdown(&rel) && rel.file_name() != Some("_index.md".as_ref()) {
                page_url(&source, &rel, &patterns, &taxonomies, ugly).unwrap_or_default()
            } else {
                (None, None, false)
            };
        let mut defaults = std::collections::BTreeMap::new();
        if let Some(slug) = slug {
            defaults.insert("slug".to_string(), Value::String(slug));
        }
        if let (true, Some(url)) = (undated, &old_url) {
            // A dated pattern with no date: the URL Hugo gave it, as its own.
            defaults.insert("url".to_string(), Value::String(url.clone()));
        }
        plan.content.push(ContentFile {
            source,
            view: rel.clone(),
            dest: rel,
            old_url,
            defaults,
            text: None,
            old_queries: Vec::new(),
        });
    }
    super::copy_static(src, &mut plan);
    Ok(plan)
}

/// Reads the site's configuration into config.toml's settings.
pub fn site_config(src: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let settings = read_settings(src)?;
    let config_name: String = CONFIG_NAMES
        .iter()
        .find(|n| src.join(n).is_file())
        .map_or("config/_default/", |n| n)
        .to_string();
    let get = |key: &str| settings.get(key);
    let text = |key: &str| get(key).and_then(scalar);
    let params = get("params").cloned().unwrap_or(Value::Null);
    let mut plan = Plan {
        heading_ids: "github",
        ..Plan::default()
    };
    let mut config = toml::Table::new();
    if let Some(title) = text("title") {
        config.insert("title".into(), title.into());
    }
    if let Some(description) = params
        .get("description")
        .and_then(scalar)
        .or_else(|| text("description"))
    {
        config.insert("description".into(), description.into());
    }
    let author = params
        .get("author")
        .or_else(|| get("author"))
        .and_then(|a| scalar(a).or_else(|| a.get("name").and_then(scalar)));
    if let Some(author) = author {
        config.insert("author".into(), author.into());
    }
    match text("baseurl") {
        Some(url) if url.starts_with("http") => {
            config.insert("base_url".into(), url.trim_end_matches('/').into());
        }
        _ => plan.notes.push(Note::new(
            &config_name,
            "there is no absolute `baseURL`: set `base_url` in config.toml to the address the site is published at",
        )),
    }
    // `hugo --minify` on the command line cannot be seen; the setting can.
    let minify = get("minify").and_then(|m| m.get("minifyoutput"));
    if minify.and_then(Value::as_bool) == Some(true) {
        config.insert("minify".into(), true.into());
    }
    if let Some(zone) = text("timezone") {
        config.insert("timezone".into(), zone.into());
    }
    if let Some(lang) = text("languagecode").or_else(|| text("defaultcontentlanguage")) {
        config.insert("language".into(), lang.into());
    }
    let paginate = get("paginate").and_then(Value::as_u64).or_else(|| {
        get("pagination")
            .and_then(|p| p.get("pagersize"))
            .and_then(Value::as_u64)
    });
    if let Some(n) = paginate {
        config.insert("paginate".into(), toml::Value::Integer(n as i64));
    }
    let taxonomies: Vec<String> = match get("taxonomies") {
        Some(Value::Object(map)) => map.values().filter_map(scalar).collect(),
        _ => vec!["tags".into(), "categories".into()],
    };
    config.insert(
        "taxonomies".into(),
        toml::Value::Array(
            taxonomies
                .iter()
                .map(|name| {
                    let mut t = toml::Table::new();
                    t.insert("name".into(), name.clone().into());
                    toml::Value::Table(t)
                })
                .collect(),
        ),
    );
    // Hugo's section patterns, older (`posts = …`) and newer (`[page] posts = …`).
    let mut patterns: Vec<(String, String)> = Vec::new();
    if let Some(Value::Object(map)) = get("permalinks") {
        for (k, v) in map {
            match v {
                Value::String(p) => patterns.push((k.clone(), p.clone())),
                Value::Object(inner) if k == "page" => {
                    for (k, v) in inner {
                        if let Some(p) = v.as_str() {
                            patterns.push((k.clone(), p.to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut permalinks = toml::Table::new();
    for (section, pattern) in &patterns {
        // blog's `:slug` is the slug or the file name; a page whose title
        // made its URL keeps that URL as an alias.
        let ours = pattern.replace(":title", ":slug");
        match crate::content::url::check_permalink_pattern(&ours) {
            Ok(()) => {
                permalinks.insert(section.clone(), ours.into());
            }
            Err(why) => plan.notes.push(Note::new(
                &config_name,
                format!("the permalink of {section} is not kept ({why}): its pages' old URLs are kept as aliases"),
            )),
        }
    }
    if !permalinks.is_empty() {
        config.insert("permalinks".into(), toml::Value::Table(permalinks));
    }
    if get("uglyurls").and_then(Value::as_bool) == Some(true) {
        plan.notes.push(Note::new(
            &config_name,
            "`uglyURLs = true`: each page's old URL ending in .html is kept as an alias",
        ));
    }
    plan.config = config;
    Ok(SiteConfig {
        plan,
        patterns,
        taxonomies,
        ugly: get("uglyurls").and_then(Value::as_bool) == Some(true),
    })
}

/// The site's settings with every key lowercased (Hugo's keys are not
/// case-sensitive), `config/_default/NAME.toml` merged in as key NAME.
fn read_settings(src: &Path) -> Result<Value, Vec<Diagnostic>> {
    let mut settings = serde_json::Map::new();
    let mut found = false;
    for name in CONFIG_NAMES {
        let path = src.join(name);
        if path.is_file() {
            merge(&mut settings, read_any(&path)?);
            found = true;
            break;
        }
    }
    // Then `config/_default/`, and `config/production/` over it: `hugo`
    // builds for production unless told otherwise.
    for env in ["_default", "production"] {
        let dir = src.join("config").join(env);
        if dir.is_dir() {
            for rel in files_under(&dir, &|_, _| false) {
                let path = dir.join(&rel);
                let Some(stem) = rel.file_stem().map(|s| s.to_string_lossy().to_lowercase()) else {
                    continue;
                };
                if !matches!(
                    rel.extension().and_then(|e| e.to_str()),
                    Some("toml" | "yaml" | "yml" | "json")
                ) {
                    continue;
                }
                let value = read_any(&path)?;
                if stem == "hugo" || stem == "config" {
                    merge(&mut settings, value);
                } else {
                    let mut wrapped = serde_json::Map::new();
                    wrapped.insert(stem, value);
                    merge(&mut settings, Value::Object(wrapped));
                }
                found = true;
            }
        }
    }
    if !found {
        return Err(vec![Diagnostic::new(
            src,
            "is not a Hugo site: it has no hugo.toml, config.toml (or .yaml, .json) and no config/_default/",
        )
        .hint("give the folder holding the Hugo site's configuration, or choose the generator with --from")]);
    }
    Ok(lowercase_keys(Value::Object(settings)))
}

fn merge(into: &mut serde_json::Map<String, Value>, value: Value) {
    if let Value::Object(map) = value {
        for (k, v) in map {
            match (into.get_mut(&k), v) {
                (Some(Value::Object(existing)), Value::Object(more)) => {
                    merge(existing, Value::Object(more))
                }
                (_, v) => {
                    into.insert(k, v);
                }
            }
        }
    }
}

fn lowercase_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.to_lowercase(), lowercase_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(lowercase_keys).collect()),
        other => other,
    }
}

/// A TOML, YAML or JSON file as a value, or its error at its line.
pub fn read_any(path: &Path) -> Result<Value, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![Diagnostic::new(path, format!("cannot read: {e}"))])?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "toml" => toml::from_str::<Value>(&text).map_err(|e| {
            let d = Diagnostic::new(path, format!("is not valid TOML: {}", e.message()));
            vec![match e.span() {
                Some(span) => {
                    let (line, column) = crate::diagnostics::line_col(&text, span.start);
                    d.at(line, column)
                }
                None => d,
            }]
        }),
        _ => {
            if text.trim().is_empty() {
                return Ok(Value::Object(Default::default()));
            }
            serde_yaml_ng::from_str::<Value>(&text).map_err(|e| {
                let d = Diagnostic::new(path, format!("cannot be read: {e}"));
                vec![match e.location() {
                    Some(l) => d.at(l.line(), l.column()),
                    None => d,
                }]
            })
        }
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether a content file opens with front matter (`---`, `+++` or `{`),
/// which makes it a page to Hugo.
fn is_page(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut start))
        .unwrap_or(0);
    let start = &start[..n];
    let start = start
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(start);
    ["---", "+++", "{"].iter().any(|open| {
        start.starts_with(open.as_bytes())
            && start
                .get(open.len())
                .is_none_or(|b| matches!(b, b'\n' | b'\r'))
    })
}

fn folder_note(folder: &str) -> &'static str {
    match folder {
        "layouts" | "themes" => "Hugo's templates are not imported: the site is built with blog's theme (docs/THEMES.md says how to make one)",
        "assets" => "Hugo Pipes' assets are not processed by blog: put the built CSS and scripts in static/",
        "data" => "data files are not imported: blog's templates read config.toml's [extra] instead",
        _ => "translations are not imported: blog builds a site in one language",
    }
}

/// The URL Hugo gives the page at `rel` (relative to content/): its
/// `url`, else its section's permalink pattern, else
/// `/<section>/<slug or file name>/`; `None` when blog's reading in place
/// already gives the same (its own `url`), or the page cannot be read (the
/// build reports why). With it, the slug to give a page without one whose
/// section's pattern makes its URL from the title (`:slug`, `:title`), so
/// that blog's `:slug` makes the same URL.
fn page_url(
    source: &Path,
    rel: &Path,
    patterns: &[(String, String)],
    taxonomies: &[String],
    ugly: bool,
) -> Option<(Option<String>, Option<String>, bool)> {
    let bytes = std::fs::read(source).ok()?;
    let text = crate::content::page::normalize_text(bytes, source).ok()?;
    let split = fm::split(&text).ok()?;
    let names: Vec<&str> = taxonomies.iter().map(String::as_str).collect();
    let meta = match split.format {
        Some(format) => fm::parse(format, split.front_matter, &names).ok()?,
        None => Default::default(),
    };
    if meta.other.contains_key("url") {
        return Some((None, None, false));
    }
    let is_bundle = rel.file_name() == Some("index.md".as_ref());
    let dir = if is_bundle {
        rel.parent()?.parent()
    } else {
        rel.parent()
    }?;
    let dir = super::slashed(dir);
    let filename = if is_bundle {
        rel.parent()?.file_name()?.to_string_lossy().into_owned()
    } else {
        rel.file_stem()?.to_string_lossy().into_owned()
    };
    let section = dir.split('/').next().unwrap_or("").to_string();
    let title = meta.title.clone().unwrap_or_default();
    let slug = meta.slug.clone();
    let pattern = patterns
        .iter()
        .find(|(s, _)| *s == section)
        .map(|(_, p)| p.as_str());
    let path = match pattern {
        Some(pattern) if !section.is_empty() => expand(
            pattern,
            &meta,
            &dir,
            &section,
            &filename,
            &title,
            slug.as_deref(),
        )?,
        _ => {
            let last = slug
                .as_deref()
                .map(urlize)
                .unwrap_or_else(|| urlize(&filename));
            if dir.is_empty() {
                format!("/{last}/")
            } else {
                format!("/{}/{last}/", urlize_path(&dir))
            }
        }
    };
    let path = path.to_lowercase();
    let from_title = pattern.is_some_and(|p| p.contains(":slug") || p.contains(":title"));
    let slug_default = (from_title && slug.is_none() && !title.is_empty()).then(|| urlize(&title));
    let path = if ugly && path.ends_with('/') && path.len() > 1 {
        format!("{}.html", path.trim_end_matches('/'))
    } else {
        path
    };
    let undated = meta.date.is_none()
        && pattern.is_some_and(|p| {
            [":year", ":month", ":day", ":weekday", ":yearday"]
                .iter()
                .any(|t| p.contains(t))
        });
    Some((Some(path), slug_default, undated))
}

/// A Hugo permalink pattern for one page.
fn expand(
    pattern: &str,
    meta: &crate::content::front_matter::FrontMatter,
    dir: &str,
    section: &str,
    filename: &str,
    title: &str,
    slug: Option<&str>,
) -> Option<String> {
    // Hugo dates a page without a date at its zero time, 0001-01-01.
    let date = Some(meta.date.as_ref().map_or(
        jiff::civil::date(1, 1, 1).to_datetime(jiff::civil::Time::midnight()),
        |d| d.datetime,
    ));
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let token = &rest[..end];
        rest = &rest[end..];
        let value = match token {
            // Hugo writes the year as a number: 1 for its zero date.
            "year" => date?.year().to_string(),
            "month" => format!("{:02}", date?.month()),
            "monthname" => date?.strftime("%B").to_string(),
            "day" => format!("{:02}", date?.day()),
            "weekday" => date?.date().weekday().to_sunday_zero_offset().to_string(),
            "weekdayname" => date?.strftime("%A").to_string(),
            "yearday" => date?.day_of_year().to_string(),
            "section" => section.to_string(),
            "sections" => dir.to_string(),
            "title" => urlize(title),
            "slug" => slug.map(urlize).unwrap_or_else(|| urlize(title)),
            "filename" | "contentbasename" => filename.to_string(),
            "slugorfilename" | "slugorcontentbasename" => {
                slug.map(urlize).unwrap_or_else(|| filename.to_string())
            }
            other => format!(":{other}"),
        };
        out.push_str(&value);
    }
    out.push_str(rest);
    let mut path = crate::content::url::normalize_dir_path(&out);
    if out.ends_with(".html") {
        path = format!("/{}", out.trim_matches('/'));
    }
    Some(path)
}

/// Hugo's `urlize` of a title or slug (its `UnicodeSanitize`, then
/// lowercased as Hugo's paths are): letters, digits, marks and
/// `.` `/` `\\` `_` `#` `~` `-` `@` kept (`+` dropped, as Hugo 0.111 does), a `%` with two hex digits
/// kept, a run of spaces one `-` (none after a `-`), the rest dropped.
pub fn urlize(text: &str) -> String {
    let source: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let (mut prepend_hyphen, mut was_hyphen) = (false, false);
    for (i, &c) in source.iter().enumerate() {
        let hex = |k: usize| source.get(k).is_some_and(|c| c.is_ascii_hexdigit());
        let allowed = matches!(c, '.' | '/' | '\\' | '_' | '#' | '~' | '-' | '@')
            || c.is_alphanumeric()
            || is_mark(c)
            || (c == '%' && hex(i + 1) && hex(i + 2));
        if allowed {
            was_hyphen = c == '-';
            if prepend_hyphen {
                if !was_hyphen {
                    out.push('-');
                }
                prepend_hyphen = false;
            }
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !was_hyphen && c.is_whitespace() {
            prepend_hyphen = true;
        }
    }
    out
}

/// Combining marks (accents written apart from their letter).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn urlize_path(dir: &str) -> String {
    dir.split('/').map(urlize).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlize_as_hugo_does() {
        assert_eq!(urlize("Hello, World!"), "hello-world");
        assert_eq!(urlize("C++ & Rust"), "c-rust");
        assert_eq!(urlize("C++ vs. Rust"), "c-vs.-rust");
        assert_eq!(urlize("#hashtag post"), "#hashtag-post");
        assert_eq!(urlize("Café & Crème"), "café-crème");
        assert_eq!(urlize("Hello - World"), "hello-world");
        assert_eq!(urlize("  Trailing  "), "trailing");
        assert_eq!(urlize("100% sure 50%ab"), "100-sure-50%ab");
        assert_eq!(urlize("Ünïcode Title"), "ünïcode-title");
    }

    #[test]
    fn permalinks_with_hugos_meanings() {
        let meta = crate::content::front_matter::parse(
            crate::content::front_matter::Format::Yaml,
            "title: My First Post\ndate: 2021-03-04T10:00:00Z\n",
            &[],
        )
        .expect("parses");
        let url = |p: &str, slug: Option<&str>| {
            expand(p, &meta, "posts", "posts", "first", "My First Post", slug).expect("expands")
        };
        assert_eq!(url("/:year/:month/:slug/", None), "/2021/03/my-first-post/");
        assert_eq!(
            url("/:year/:month/:slug/", Some("chosen")),
            "/2021/03/chosen/"
        );
        assert_eq!(url("/:section/:title/", None), "/posts/my-first-post/");
        assert_eq!(url("/:filename/", None), "/first/");
        assert_eq!(url("/:year/:slugorfilename/", None), "/2021/first/");
    }
}
