//! A Jekyll site's files, as `blog import` brings them over: `_config.yml`
//! into config.toml, `_posts/` and `_drafts/` into content/posts/, pages
//! (markdown with front matter anywhere outside `_` folders) into content/
//! at the same place with the URL Jekyll gave them, and every file without
//! front matter into static/, as Jekyll copies it. Layouts, includes, data
//! and HTML pages written in Liquid are named in the report; Sass comes
//! over into sass/, which blog compiles to the same URLs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{files_under, ContentFile, Note, Plan};
use crate::diagnostics::Diagnostic;

/// What Jekyll leaves out of a site unless told otherwise.
const EXCLUDED: [&str; 8] = [
    "Gemfile",
    "Gemfile.lock",
    "gemfiles",
    "node_modules",
    "vendor",
    ".sass-cache",
    ".jekyll-cache",
    "_site",
];

/// Plugins whose work `blog` does itself, so nothing is lost without them.
const BUILT_IN: [&str; 6] = [
    "jekyll-feed",
    "jekyll-sitemap",
    "jekyll-redirect-from",
    "jekyll-paginate",
    "jekyll-gist",
    "jekyll-seo-tag",
];

/// The names Jekyll reads its configuration from.
const CONFIG_NAMES: [&str; 3] = ["_config.yml", "_config.yaml", "_config.toml"];

pub fn plan(src: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let config_path = CONFIG_NAMES
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_file());
    let settings = if let Some(path) = &config_path {
        if path.extension().is_some_and(|e| e == "toml") {
            super::hugo::read_any(path)?
        } else {
            read_yaml(path).map_err(|d| vec![d])?
        }
    } else if src.join("_posts").is_dir() {
        Value::Object(Default::default())
    } else {
        return Err(vec![Diagnostic::new(
            src,
            "is not a Jekyll site: it has neither _config.yml nor _posts/",
        )
        .hint(
            "give the folder holding _config.yml, or choose the generator with --from",
        )]);
    };
    let mut plan = Plan {
        // kramdown's own input makes kramdown's ids; its default input in
        // Jekyll, GFM, makes GitHub's.
        heading_ids: if settings
            .get("kramdown")
            .and_then(|k| k.get("input"))
            .and_then(Value::as_str)
            == Some("kramdown")
        {
            "kramdown"
        } else {
            "github"
        },
        ..Plan::default()
    };
    let get = |key: &str| settings.get(key);
    let text = |key: &str| get(key).and_then(scalar);
    let mut config = toml::Table::new();
    if let Some(title) = text("title") {
        config.insert("title".into(), title.into());
    }
    if let Some(description) = text("description") {
        config.insert("description".into(), description.into());
    }
    if let Some(author) =
        get("author").and_then(|a| scalar(a).or_else(|| a.get("name").and_then(scalar)))
    {
        config.insert("author".into(), author.into());
    }
    let baseurl = text("baseurl").unwrap_or_default();
    let baseurl = baseurl.trim_matches('/');
    match text("url") {
        Some(url) => {
            let url = url.trim_end_matches('/');
            let base = if baseurl.is_empty() {
                url.to_string()
            } else {
                format!("{url}/{baseurl}")
            };
            config.insert("base_url".into(), base.into());
        }
        None => plan.notes.push(Note::new(
            "_config.yml",
            "there is no `url`: set `base_url` in config.toml to the address the site is published at",
        )),
    }
    if let Some(lang) = text("lang").or_else(|| text("locale")) {
        config.insert("language".into(), lang.replace('_', "-").into());
    }
    if let Some(zone) = text("timezone") {
        config.insert("timezone".into(), zone.into());
    }
    if let Some(n) = get("paginate").and_then(Value::as_u64) {
        config.insert("paginate".into(), toml::Value::Integer(n as i64));
    }
    let style = text("permalink").unwrap_or_else(|| "date".into());
    if let Err(why) = crate::content::url::check_permalink_pattern(&style) {
        plan.notes.push(Note::new(
            "_config.yml",
            format!(
                "`permalink: {style}` is kept as the posts' permalink in config.toml, where {why}"
            ),
        ));
    }
    let mut permalinks = toml::Table::new();
    permalinks.insert("posts".into(), style.clone().into());
    config.insert("permalinks".into(), toml::Value::Table(permalinks));
    plan.config = config;
    notes_on_settings(&settings, &mut plan.notes);

    let excludes: Vec<String> = get("exclude")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(scalar).collect())
        .unwrap_or_default();
    let defaults = get("defaults")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let separator = text("excerpt_separator");

    let includes: Vec<String> = get("include")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(scalar).collect())
        .unwrap_or_else(|| vec![".htaccess".into()]);
    // What Jekyll leaves out anywhere: names starting with `.`, `#` or `_`
    // (but `_posts` and `_drafts`, and the top-level `_` folders, which
    // are noted below), or ending in `~`; the usual Ruby files; `exclude:`;
    // unless `include:` names them.
    let skip = |rel: &Path, _is_dir: bool| {
        let name = super::slashed(rel);
        if includes.iter().any(|i| excluded(&name, i)) {
            return false;
        }
        let hidden = rel.components().enumerate().any(|(i, c)| {
            let c = c.as_os_str().to_string_lossy();
            let special = c.starts_with(['.', '#']) || c.ends_with('~');
            let underscore = c.starts_with('_') && i > 0 && c != "_posts" && c != "_drafts";
            special || underscore
        });
        hidden
            || EXCLUDED.iter().any(|e| rel.starts_with(e))
            || excludes.iter().any(|e| excluded(&name, e))
    };
    let sass_dir = get("sass")
        .and_then(|s| s.get("sass_dir"))
        .and_then(scalar)
        .unwrap_or_else(|| "_sass".into());
    let sass_dir = sass_dir.trim_matches('/').to_string();
    copy_sass_partials(src, &sass_dir, &mut plan);
    let mut noted_folders = vec![sass_dir];
    super::note_links_outside(src, Path::new(""), &skip, &mut plan.notes);
    for rel in files_under(src, &skip) {
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = src.join(&rel);
        // `_posts/…`, or `news/_posts/…` for posts in the category `news`.
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let posts_at = parts.iter().position(|c| c == "_posts" || c == "_drafts");
        if let Some(at) = posts_at.filter(|at| !parts[..*at].iter().any(|c| c.starts_with('_'))) {
            let kind = parts[at].clone();
            let folder_categories = &parts[..at];
            let inner: PathBuf = parts[at + 1..].iter().collect();
            if !has_front_matter(&source) {
                if !is_text(&rel) {
                    // A picture kept beside the posts: Jekyll leaves it out too.
                    plan.notes.push(Note::new(
                        &rel,
                        "is not copied: Jekyll does not publish files under _posts/ either",
                    ));
                }
                continue;
            }
            let under: PathBuf = folder_categories.iter().collect();
            let mut file = ContentFile {
                source: source.clone(),
                view: Path::new(&kind).join(&under).join(view_name(&inner)),
                dest: Path::new("posts").join(&under).join(with_md(&inner)),
                old_url: None,
                defaults: scoped_defaults(
                    &defaults,
                    &rel,
                    if kind == "_posts" { "posts" } else { "drafts" },
                ),
                text: None,
                old_queries: Vec::new(),
            };
            if !folder_categories.is_empty() {
                file.defaults.insert(
                    super::FOLDER_CATEGORIES.into(),
                    Value::Array(
                        folder_categories
                            .iter()
                            .cloned()
                            .map(Value::String)
                            .collect(),
                    ),
                );
            }
            if let Some(sep) = &separator {
                file.defaults
                    .entry("excerpt_separator".into())
                    .or_insert_with(|| Value::String(sep.clone()));
            }
            let stem = inner
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dated = crate::content::date::Date::from_file_name(&stem).is_some();
            if kind == "_posts" && !dated {
                // Jekyll publishes no post without a date in its name: kept
                // as a draft, dated as Jekyll dates drafts.
                plan.notes.push(Note::new(
                    &rel,
                    "has no date in its name, so Jekyll did not publish it: imported as a draft",
                ));
                file.defaults.insert("draft".into(), Value::Bool(true));
            }
            if !dated {
                undated_draft_date(&mut file);
            }
            plan.content.push(file);
            continue;
        }
        // A collection Jekyll publishes (`output: true`): a section.
        let collection = first
            .strip_prefix('_')
            .and_then(|name| Some((name, settings.get("collections")?.get(name)?)))
            .filter(|(name, c)| {
                *name != "posts" && c.get("output").and_then(Value::as_bool) == Some(true)
            });
        if let Some((name, options)) = collection {
            let inner = rel.strip_prefix(&first).unwrap_or(&rel);
            let markdown = matches!(
                inner.extension().and_then(|e| e.to_str()),
                Some("md" | "markdown" | "mkd" | "mkdn")
            );
            if !has_front_matter(&source) || !markdown {
                plan.copies
                    .push((source, Path::new("static").join(name).join(inner)));
                continue;
            }
            let pattern = options
                .get("permalink")
                .and_then(scalar)
                .unwrap_or_else(|| match page_url(Path::new("x"), &style).as_str() {
                    "/x/" => "/:collection/:path/".into(),
                    "/x" => "/:collection/:path".into(),
                    _ => "/:collection/:path:output_ext".into(),
                });
            let dest = Path::new(name).join(with_md(inner));
            plan.content.push(ContentFile {
                source,
                view: Path::new(name).join(view_name(inner)),
                dest,
                old_url: Some(collection_url(&pattern, name, inner)),
                defaults: scoped_defaults(&defaults, &rel, name),
                text: None,
                old_queries: Vec::new(),
            });
            continue;
        }
        if first.starts_with('_') {
            if !CONFIG_NAMES.contains(&first.as_str()) && !noted_folders.contains(&first) {
                plan.notes.push(Note::new(&first, folder_note(&first)));
                noted_folders.push(first);
            }
            continue;
        }
        if !has_front_matter(&source) {
            plan.copies.push((source, Path::new("static").join(&rel)));
            continue;
        }
        let markdown = matches!(
            rel.extension().and_then(|e| e.to_str()),
            Some("md" | "markdown" | "mkd" | "mkdn")
        );
        let plain_html = rel.extension().is_some_and(|e| e == "html")
            && std::fs::read_to_string(&source)
                .is_ok_and(|t| !t.contains("{%") && !t.contains("{{"));
        if matches!(
            rel.extension().and_then(|e| e.to_str()),
            Some("scss" | "sass")
        ) {
            // A stylesheet Jekyll compiles: blog compiles sass/ to the same
            // path, and reads its front matter as blank lines.
            let dest = Path::new("sass").join(&rel);
            match liquid_at(&source) {
                // It would not compile: left out, and said where it goes.
                Some((line, column)) => plan.notes.push(Note {
                    path: rel.clone(),
                    line: Some((line, column)),
                    message: format!(
                        "is not imported: Liquid in a stylesheet is not run by blog; replace it with its value and save the file as {}",
                        super::slashed(&dest)
                    ),
                }),
                None => plan.copies.push((source, dest)),
            }
            continue;
        }
        if !markdown && !plain_html {
            plan.notes.push(Note::new(&rel, template_note(&rel)));
            continue;
        }
        if rel.starts_with("posts") {
            plan.notes.push(Note::new(
                &rel,
                "is not imported: the new site keeps its posts in content/posts/, where this page would go; rename its folder and import again",
            ));
            continue;
        }
        let is_home =
            rel.parent() == Some(Path::new("")) && rel.file_stem() == Some("index".as_ref());
        let is_index = rel.file_stem() == Some("index".as_ref());
        let (view, dest, old_url) = if is_home {
            (PathBuf::from("_index.md"), PathBuf::from("_index.md"), None)
        } else if is_index {
            // `docs/index.md` is its folder's page, `/docs/`: the section's
            // in blog, so that `docs/guide.md` stays a page of its own.
            let index = rel.with_file_name("_index.md");
            (index.clone(), index, None)
        } else {
            (view_name(&rel), with_md(&rel), Some(page_url(&rel, &style)))
        };
        plan.content.push(ContentFile {
            source,
            dest,
            view,
            old_url,
            defaults: scoped_defaults(&defaults, &rel, "pages"),
            text: None,
            old_queries: Vec::new(),
        });
    }
    Ok(plan)
}

fn read_yaml(path: &Path) -> Result<Value, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::new(path, format!("cannot read: {e}")))?;
    if text.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_yaml_ng::from_str::<Value>(&text).map_err(|e| {
        let d = Diagnostic::new(path, format!("is not valid YAML: {e}"));
        match e.location() {
            Some(l) => d.at(l.line(), l.column()),
            None => d,
        }
    })
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `name` written as a markdown file of blog's (`.md`).
fn with_md(rel: &Path) -> PathBuf {
    rel.with_extension("md")
}

/// Where blog reads `rel` in place: as it is named, but for the
/// extensions only Jekyll knows.
fn view_name(rel: &Path) -> PathBuf {
    match rel.extension().and_then(|e| e.to_str()) {
        Some("md" | "markdown") => rel.to_path_buf(),
        _ => with_md(rel),
    }
}

fn is_text(rel: &Path) -> bool {
    matches!(
        rel.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "mkd" | "mkdn" | "html")
    )
}

/// Whether the file starts with a `---` line, which makes Jekyll render it
/// (and Hugo read a page; its `+++` too).
pub fn has_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 8];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut start).unwrap_or(0);
    let start = &start[..n];
    let start = start
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(start);
    start.starts_with(b"---\n") || start.starts_with(b"---\r") || start == b"---"
}

/// Jekyll's `exclude:` entries: a path, a folder, or a glob with `*`.
fn excluded(rel: &str, pattern: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    if !pattern.contains('*') {
        return rel == pattern || rel.starts_with(&format!("{pattern}/"));
    }
    glob(pattern.as_bytes(), rel.as_bytes())
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        Some((c, rest)) => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

/// The URL Jekyll gives a page: `/:path/:basename:output_ext`, or with a
/// slash for the `pretty` style and patterns ending in one; `index` is its
/// folder's URL.
fn page_url(rel: &Path, style: &str) -> String {
    let dir = rel
        .parent()
        .map(super::slashed)
        .filter(|p| !p.is_empty())
        .map(|p| format!("/{p}"))
        .unwrap_or_default();
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "index" {
        return format!("{dir}/");
    }
    // Jekyll's `add_permalink_suffix`.
    match style {
        "pretty" => format!("{dir}/{stem}/"),
        "date" | "ordinal" | "none" => format!("{dir}/{stem}.html"),
        custom if custom.ends_with('/') => format!("{dir}/{stem}/"),
        custom if custom.ends_with(":output_ext") => format!("{dir}/{stem}.html"),
        _ => format!("{dir}/{stem}"),
    }
}

/// A collection document's URL: Jekyll's `:collection`, `:path` (the
/// file's path in the collection without its extension), `:name` and
/// `:title`/`:slug` (its name, slugified) and `:output_ext`.
fn collection_url(pattern: &str, collection: &str, inner: &Path) -> String {
    let path = super::slashed(&inner.with_extension(""));
    let name = inner
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = crate::content::url::pretty_slug(&name);
    let mut url = pattern.to_string();
    for (token, value) in [
        (":collection", collection),
        (":output_ext", ".html"),
        (":path", &path),
        (":name", &slug),
        (":title", &slug),
        (":slug", &slug),
    ] {
        url = url.replace(token, value);
    }
    let collapsed: Vec<&str> = url.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = if url.ends_with('/') { "/" } else { "" };
    format!("/{}{trailing}", collapsed.join("/"))
}

/// The values of `defaults:` entries whose scope covers `rel` (a path
/// prefix, and a type of posts, drafts or pages), later entries winning.
fn scoped_defaults(defaults: &[Value], rel: &Path, kind: &str) -> BTreeMap<String, Value> {
    let rel = super::slashed(rel);
    let mut out = BTreeMap::new();
    for entry in defaults {
        let scope = entry.get("scope");
        let path = scope
            .and_then(|s| s.get("path"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_matches('/');
        let covers_path = path.is_empty()
            || rel == path
            || rel.starts_with(&format!("{path}/"))
            || (path.contains('*') && glob(path.as_bytes(), rel.as_bytes()));
        let covers_type = match scope.and_then(|s| s.get("type")).and_then(Value::as_str) {
            None => true,
            Some(t) => t == kind || (t == "posts" && kind == "drafts"),
        };
        if !(covers_path && covers_type) {
            continue;
        }
        if let Some(Value::Object(values)) = entry.get("values") {
            for (k, v) in values {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

/// Jekyll's Sass partials (`_sass/`, or `sass: sass_dir:`) into sass/,
/// each file's name given the `_` of a partial (`_sass/minima.scss` →
/// `sass/_minima.scss`, still found by `@import "minima"`), so that blog
/// does not publish them as stylesheets of their own.
fn copy_sass_partials(src: &Path, sass_dir: &str, plan: &mut Plan) {
    let dir = src.join(sass_dir);
    for rel in files_under(&dir, &super::is_hidden) {
        let Some(name) = rel.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let partial = if name.starts_with('_') {
            name
        } else {
            format!("_{name}")
        };
        plan.copies.push((
            dir.join(&rel),
            Path::new("sass").join(rel.with_file_name(partial)),
        ));
    }
}

/// Line and column of the first Liquid tag or output in a file.
fn liquid_at(path: &Path) -> Option<(usize, usize)> {
    let text = std::fs::read_to_string(path).ok()?;
    let at = [text.find("{{"), text.find("{%")]
        .into_iter()
        .flatten()
        .min()?;
    Some(crate::diagnostics::line_col(&text, at))
}

/// Jekyll dates a draft without a date by its file's modification time.
fn undated_draft_date(file: &mut ContentFile) {
    let Ok(modified) = std::fs::metadata(&file.source).and_then(|m| m.modified()) else {
        return;
    };
    let Ok(ts) = jiff::Timestamp::try_from(modified) else {
        return;
    };
    let when = ts.strftime("%Y-%m-%d %H:%M:%S +0000").to_string();
    file.defaults.insert("date".into(), Value::String(when));
}

fn folder_note(name: &str) -> String {
    match name {
        "_layouts" => "Jekyll's layouts are not imported: the site is built with blog's theme (docs/THEMES.md says how to make one)".into(),
        "_includes" => "Jekyll's includes are not imported; an `{% include %}` in a post is kept as written and named below".into(),
        "_data" => "data files are not imported: blog's templates read config.toml's [extra] instead".into(),
        "_plugins" => "Ruby plugins do not run in blog".into(),
        _ => format!("`{name}` is not imported: blog reads posts from _posts/ and _drafts/ only"),
    }
}

fn template_note(rel: &Path) -> String {
    let name = rel.to_string_lossy();
    match rel.extension().and_then(|e| e.to_str()) {
        Some("xml") if name.contains("feed") || name.contains("atom") || name.contains("rss") => {
            "is not imported: blog writes the feeds itself (atom.xml and rss.xml)".into()
        }
        Some("xml") if name.contains("sitemap") => {
            "is not imported: blog writes sitemap.xml itself".into()
        }
        _ => "a page made with Liquid is not imported: blog's theme makes the home page, archive, tag pages and 404 page".into(),
    }
}

fn notes_on_settings(settings: &Value, notes: &mut Vec<Note>) {
    let plugins = ["plugins", "gems"]
        .iter()
        .filter_map(|k| settings.get(*k))
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str);
    for plugin in plugins {
        if !BUILT_IN.contains(&plugin) {
            notes.push(Note::new(
                "_config.yml",
                format!("the plugin {plugin} does not run in blog"),
            ));
        }
    }
    if let Some(Value::Object(collections)) = settings.get("collections") {
        for (name, options) in collections {
            if name != "posts" && options.get("output").and_then(Value::as_bool) != Some(true) {
                notes.push(Note::new(
                    "_config.yml",
                    format!("the collection `{name}` is not published by Jekyll (no `output: true`), so not imported; move its files under content/ by hand if it should be"),
                ));
            }
        }
    }
    for key in ["theme", "remote_theme"] {
        if let Some(theme) = settings.get(key).and_then(scalar) {
            notes.push(Note::new(
                "_config.yml",
                format!("the theme {theme} is not imported: the site is built with blog's theme"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_urls_as_jekyll_gives_them() {
        let soup = Path::new("soup.md");
        assert_eq!(
            collection_url("/:collection/:path:output_ext", "recipes", soup),
            "/recipes/soup.html"
        );
        assert_eq!(
            collection_url("/:collection/:path/", "recipes", Path::new("veg/Soup.md")),
            "/recipes/veg/Soup/"
        );
        assert_eq!(
            collection_url("/food/:name/", "recipes", soup),
            "/food/soup/"
        );
    }

    #[test]
    fn page_urls_as_jekyll_gives_them() {
        assert_eq!(page_url(Path::new("about.md"), "date"), "/about.html");
        assert_eq!(page_url(Path::new("about.md"), "pretty"), "/about/");
        assert_eq!(
            page_url(Path::new("docs/guide.md"), "/:year/:title/"),
            "/docs/guide/"
        );
        assert_eq!(page_url(Path::new("docs/index.md"), "date"), "/docs/");
        assert_eq!(
            page_url(Path::new("a.md"), "/:categories/:year/:title:output_ext"),
            "/a.html"
        );
    }

    #[test]
    fn excludes_and_defaults_match_as_jekyll_matches_them() {
        assert!(excluded("docs/x.md", "docs"));
        assert!(excluded("docs/x.md", "docs/"));
        assert!(!excluded("docsy/x.md", "docs"));
        assert!(excluded("notes.txt", "*.txt"));
        let defaults: Vec<Value> = serde_json::from_str(
            r#"[{"scope": {"path": ""}, "values": {"comments": true}},
                {"scope": {"path": "", "type": "posts"}, "values": {"author": "Ann"}},
                {"scope": {"path": "_posts/old"}, "values": {"author": "Bo"}}]"#,
        )
        .expect("json");
        let post = scoped_defaults(&defaults, Path::new("_posts/old/a.md"), "posts");
        assert_eq!(post["author"], "Bo");
        assert_eq!(post["comments"], true);
        let page = scoped_defaults(&defaults, Path::new("about.md"), "pages");
        assert!(!page.contains_key("author"));
    }
}
