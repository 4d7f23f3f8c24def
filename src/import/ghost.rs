//! A Ghost export (the JSON file of Settings → Labs → Export), as `blog
//! import` brings it over: the site's title, description, locale and URL
//! from its `settings` into config.toml; each post and page into a
//! markdown file with front matter in `blog`'s keys, its body from `html`
//! (converted as WordPress's is), else from `lexical` or `mobiledoc`
//! (`ghost/editor.rs`); and `/<slug>/`, Ghost's default URL, as its old
//! URL.

mod editor;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::front_matter::Native;
use super::{ContentFile, Note, Plan};
use crate::diagnostics::{line_col, Diagnostic};

/// Ghost's placeholder for the site's address in image URLs.
const GHOST_URL: &str = "__GHOST_URL__";

pub fn plan(export: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(export)
        .map_err(|e| vec![Diagnostic::new(export, format!("cannot read: {e}"))])?;
    let root: Value = serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        vec![
            Diagnostic::new(export, format!("is not valid JSON: {message}"))
                .at(e.line().max(1), e.column().max(1))
                .hint("export it again from Ghost (Settings → Labs → Export)"),
        ]
    })?;
    let data = root
        .get("db")
        .and_then(|db| db.get(0))
        .unwrap_or(&root)
        .get("data")
        .filter(|d| d.get("posts").is_some_and(Value::is_array))
        .ok_or_else(|| {
            vec![Diagnostic::new(
                export,
                "is not a Ghost export: it has no `db[0].data.posts`",
            )
            .hint("give the .json file of Ghost's Settings → Labs → Export")]
        })?;
    let shown = PathBuf::from(export.file_name().unwrap_or_default());
    let mut plan = Plan::default();

    let settings: HashMap<&str, &str> = list(data, "settings")
        .filter_map(|s| Some((str_of(s, "key")?, str_of(s, "value")?)))
        .collect();
    let mut config = toml::Table::new();
    for key in ["title", "description"] {
        if let Some(value) = settings.get(key).filter(|v| !v.is_empty()) {
            config.insert(key.into(), (*value).into());
        }
    }
    let site_url = settings
        .get("url")
        .map(|u| u.trim().trim_end_matches('/').to_string())
        .filter(|u| u.starts_with("http"));
    match &site_url {
        Some(url) => {
            config.insert("base_url".into(), url.clone().into());
        }
        None => plan.notes.push(Note::new(
            &shown,
            "the export has no site URL: set `base_url` in config.toml to the address the site is published at",
        )),
    }
    if let Some(locale) = settings
        .get("locale")
        .or_else(|| settings.get("lang"))
        .filter(|v| !v.is_empty())
    {
        config.insert("language".into(), (*locale).into());
    }
    let mut permalinks = toml::Table::new();
    permalinks.insert("posts".into(), "/:slug/".into());
    config.insert("permalinks".into(), toml::Value::Table(permalinks));
    plan.config = config;

    let tags: HashMap<String, &str> = list(data, "tags")
        .filter_map(|t| Some((id_of(t, "id")?, str_of(t, "name")?)))
        .collect();
    let mut post_tags: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for pt in list(data, "posts_tags") {
        if let (Some(post), Some(tag)) = (id_of(pt, "post_id"), id_of(pt, "tag_id")) {
            let order = pt.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
            post_tags.entry(post).or_default().push((order, tag));
        }
    }
    let users: HashMap<String, &str> = list(data, "users")
        .filter_map(|u| Some((id_of(u, "id")?, str_of(u, "name")?)))
        .collect();
    let mut authors: HashMap<String, (i64, String)> = HashMap::new();
    for pa in list(data, "posts_authors") {
        if let (Some(post), Some(user)) = (id_of(pa, "post_id"), id_of(pa, "author_id")) {
            let order = pa.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
            let entry = authors.entry(post).or_insert((order, user.clone()));
            if order < entry.0 {
                *entry = (order, user);
            }
        }
    }

    let mut drafts = 0;
    let mut scheduled = 0;
    let mut taken = std::collections::HashSet::new();
    for post in list(data, "posts") {
        // Older exports mark a page with `"page": 1` (or true).
        let old_page = post
            .get("page")
            .is_some_and(|p| p.as_bool() == Some(true) || p.as_i64() == Some(1));
        let kind = str_of(post, "type").unwrap_or(if old_page { "page" } else { "post" });
        let is_page = match kind {
            "post" => false,
            "page" => true,
            _ => continue,
        };
        let id = id_of(post, "id").unwrap_or_default();
        let id = id.as_str();
        let title = str_of(post, "title").unwrap_or_default();
        // The post's place in the export, for the report.
        let at = post.get("id").and_then(|id| find_post(&text, id));
        let note = |message: String| Note {
            path: shown.clone(),
            line: at,
            message: format!("post {id} “{title}”: {message}"),
        };
        let mut notes = Vec::new();
        let status = str_of(post, "status").unwrap_or("draft");
        let draft = status != "published";
        match status {
            "published" => {}
            "scheduled" => scheduled += 1,
            _ => drafts += 1,
        }
        let ghost_slug = str_of(post, "slug").unwrap_or_default();
        let mut slug =
            crate::content::url::slugify(&deunicode::deunicode(if ghost_slug.trim().is_empty() {
                title
            } else {
                ghost_slug
            }));
        if slug.is_empty() {
            slug = format!("post-{}", crate::content::url::slugify(id));
        }
        let folder = if is_page { "" } else { "posts/" };
        let (dest, renamed) = super::free_place(&mut taken, folder, &slug);
        if renamed {
            notes.push(note(format!(
                "is written as content/{}: another post has its slug",
                dest.display()
            )));
        }
        let old_url = (!draft && !ghost_slug.is_empty())
            .then(|| format!("/{ghost_slug}/"))
            .filter(|u| {
                let safe = !u.contains(['\0', '\\', '?', '#'])
                    && u.split('/').all(|p| p != "." && p != "..");
                if !safe {
                    notes.push(note(format!(
                        "its address {u} cannot be a page's place: not kept"
                    )));
                }
                safe
            });

        let (body, messages) = body_of(post);
        let mut body = body;
        let mut unresolved = false;
        if body.contains(GHOST_URL) {
            match &site_url {
                Some(url) => body = body.replace(GHOST_URL, url),
                None => unresolved = true,
            }
        }
        for message in messages {
            notes.push(note(message));
        }

        let mut native = Native {
            title: Some(title.trim().to_string()).filter(|t| !t.is_empty()),
            date: date_of(post, "published_at").or_else(|| date_of(post, "created_at")),
            updated: date_of(post, "updated_at"),
            draft,
            description: str_of(post, "custom_excerpt")
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty()),
            ..Native::default()
        };
        let mut names: Vec<(i64, String)> = post_tags.get(id).cloned().unwrap_or_default();
        names.sort_by_key(|(order, _)| *order);
        let names: Vec<String> = names
            .iter()
            .filter_map(|(_, tag)| tags.get(tag))
            .filter(|name| !name.starts_with('#'))
            .map(|name| name.to_string())
            .collect();
        if !names.is_empty() {
            native.taxonomies.insert("tags".into(), names);
        }
        if let Some(author) = authors.get(id).and_then(|(_, user)| users.get(user)) {
            native.extra.insert("author".into(), (*author).into());
        }
        if let Some(image) = str_of(post, "feature_image").filter(|i| !i.is_empty()) {
            let image = match &site_url {
                Some(url) => image.replace(GHOST_URL, url),
                None => {
                    unresolved |= image.contains(GHOST_URL);
                    image.to_string()
                }
            };
            native.extra.insert("image".into(), image.into());
        }
        if unresolved {
            notes.push(note(format!(
                "its image URLs start with {GHOST_URL}, and the export has no site URL: kept as written; replace it with the site's address"
            )));
        }
        if !id.is_empty() {
            native.extra.insert("ghost_id".into(), id.into());
        }
        plan.notes.extend(notes);
        plan.places.insert(
            dest.clone(),
            super::Place {
                line: at,
                label: format!("post {id} “{title}”"),
            },
        );
        let text = super::front_matter::render(&native, &body);
        plan.content.push(ContentFile {
            source: export.to_path_buf(),
            view: dest.clone(),
            dest,
            old_url,
            defaults: BTreeMap::new(),
            text: Some(text),
            old_queries: Vec::new(),
        });
    }
    for (n, what) in [(drafts, "draft"), (scheduled, "scheduled post")] {
        if n > 0 {
            plan.notes.push(Note::new(
                &shown,
                format!(
                    "{} {} written with `draft = true`",
                    crate::diagnostics::count(n, what),
                    if n == 1 { "is" } else { "are" }
                ),
            ));
        }
    }
    Ok(plan)
}

/// The items of an array of the export's data.
fn list<'a>(data: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    data.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// An id: a string, or a number in older exports.
fn id_of(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Line and column of the post's `"id": "…"` in the export.
fn find_post(text: &str, id: &Value) -> Option<(usize, usize)> {
    let quoted = serde_json::to_string(id).ok()?;
    let mut from = 0;
    while let Some(i) = text[from..].find(&quoted) {
        let at = from + i;
        from = at + quoted.len();
        // `5` is not the start of `50`.
        if id.is_number() && text[from..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let before = text[..at].trim_end();
        if let Some(before) = before.strip_suffix(':') {
            if before.trim_end().ends_with("\"id\"") {
                let start = before.trim_end().len() - 4;
                return Some(line_col(text, start));
            }
        }
    }
    None
}

/// A date of Ghost's (`2019-03-01T10:00:00.000Z`, or
/// `2019-03-01 10:00:00` in UTC in older exports) as a TOML datetime.
fn date_of(post: &Value, key: &str) -> Option<toml::Value> {
    if let Some(millis) = post.get(key).and_then(Value::as_i64) {
        // Older exports: milliseconds since 1970.
        let time = jiff::Timestamp::from_millisecond(millis).ok()?;
        return time
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
            .parse::<toml::value::Datetime>()
            .ok()
            .map(toml::Value::Datetime);
    }
    let text = str_of(post, key)?.trim();
    let utc = match text.parse::<jiff::Timestamp>() {
        Ok(time) => time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", text)
            .ok()?
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    };
    utc.parse::<toml::value::Datetime>()
        .ok()
        .map(toml::Value::Datetime)
}

/// The post's markdown and what could not be brought over.
fn body_of(post: &Value) -> (String, Vec<String>) {
    if let Some(html) = str_of(post, "html") {
        return super::wordpress::html_to_markdown(html);
    }
    let (field, converted) = if let Some(lexical) = str_of(post, "lexical") {
        ("lexical", editor::lexical(lexical))
    } else if let Some(mobiledoc) = str_of(post, "mobiledoc") {
        ("mobiledoc", editor::mobiledoc(mobiledoc))
    } else {
        return (String::new(), Vec::new());
    };
    converted.unwrap_or_else(|e| {
        (
            String::new(),
            vec![format!(
                "its `{field}` is not valid JSON ({e}): the body is left empty"
            )],
        )
    })
}
