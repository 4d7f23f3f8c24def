//! A database of an app's own, as `blog import --from sql DATABASE-URL
//! --query "SELECT …" DEST` brings it over: the query's rows are the
//! posts, its columns their front matter keys (`title`, `body`, `date`,
//! `tags`, …; every other column under `[extra]`), each row a markdown
//! file under posts/, named by its slug.
//!
//! The database is only ever read: SQLite is opened read-only with
//! `query_only` on, and a query that would write is refused before it
//! runs (`sqlite.rs`); PostgreSQL runs the query in a read-only
//! transaction that is rolled back (`pg.rs`). Both hand back `Rows`, the
//! query's columns and values, which `plan` turns into content files.
//!
//! The URL is shown without its password, in errors and in the report.

mod pg;
mod sqlite;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::front_matter::Native;
use super::wordpress::{html_to_markdown, origin_of, permalink_of, safe_path, url_path};
use super::{ContentFile, Note, Options, Plan};
use crate::content::date::Date;
use crate::diagnostics::{line_col, Diagnostic};

/// What the `body` column holds (`--body-format`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BodyFormat {
    #[default]
    Markdown,
    /// Converted to markdown as WordPress's posts are.
    Html,
}

/// One value of a row, as the database typed it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    /// A point in time (PostgreSQL's `timestamp` read as UTC, `timestamptz`).
    Instant(jiff::Timestamp),
    /// A day (PostgreSQL's `date`).
    Day(jiff::civil::Date),
    /// A PostgreSQL `text[]`, without its NULLs.
    List(Vec<String>),
    Json(serde_json::Value),
}

/// What a query returned.
#[derive(Debug, Default)]
struct Rows {
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// Where the posts are.
enum Database {
    Sqlite(PathBuf),
    Postgres(Box<postgres::Config>),
}

/// Columns read as `blog`'s own keys, not kept under `[extra]`.
const KEYS: [&str; 16] = [
    "title",
    "body",
    "content",
    "date",
    "updated",
    "slug",
    "tags",
    "categories",
    "draft",
    "published",
    "status",
    "description",
    "summary",
    "author",
    "url",
    "",
];

/// The dates a column may hold, for hints.
const DATE_FORMS: &str = "give a timestamp or date column, text like 2019-03-04 10:20:30, 2019-03-04T10:20:30+01:00 or 2019-03-04, or Unix seconds as an integer";

/// The forms a DATABASE-URL takes, for hints.
const URL_FORMS: &str = "give sqlite:path/to/blog.db, or postgres://user:password@host:5432/dbname";

pub fn plan(src: &Path, dest: &Path, options: &Options) -> Result<Plan, Vec<Diagnostic>> {
    let url = src.to_string_lossy().into_owned();
    let shown = redact(&url);
    let query = options
        .query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .ok_or_else(|| {
            vec![Diagnostic::new(&shown, "no query to read the posts with")
                .hint("give --query \"SELECT title, body, … FROM …\"")]
        })?;
    let rows = match open(&url, &shown).map_err(|d| vec![d])? {
        Database::Sqlite(path) => sqlite::read(&path, query, &shown),
        Database::Postgres(config) => pg::read(*config, &url, query, &shown),
    }
    .map_err(|d| vec![d])?;
    let title = std::path::absolute(dest)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "My blog".to_string());
    plan_rows(&rows, &shown, query, options.body_format, &title)
}

/// The URL without its password: `postgres://ann:***@host/db`, and
/// `password=***` in its query.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}=***")
                    }
                    _ => p.to_string(),
                })
                .collect();
            format!("{path}?{}", params.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// The database a URL names.
fn open(url: &str, shown: &str) -> Result<Database, Diagnostic> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        // `sqlite://x.db` is relative, `sqlite:///x.db` absolute.
        let path = rest.strip_prefix("//").unwrap_or(rest);
        if path.is_empty() {
            return Err(
                Diagnostic::new(shown, "names no database file").hint(URL_FORMS.to_string())
            );
        }
        let path = PathBuf::from(path);
        if !path.is_file() {
            let what = if path.exists() {
                "is not a file"
            } else {
                "does not exist"
            };
            let here = std::env::current_dir()
                .map(|d| format!(" (relative paths are from {})", d.display()))
                .unwrap_or_default();
            return Err(Diagnostic::new(
                shown,
                format!("the SQLite database {} {what}", path.display()),
            )
            .hint(format!(
                "give the path of the app's .db file{here}; sqlite:///… is an absolute path, sqlite:blog.db one in this folder"
            )));
        }
        return Ok(Database::Sqlite(path));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let config = url.parse::<postgres::Config>().map_err(|e| {
            Diagnostic::new(
                shown,
                format!(
                    "is not a PostgreSQL URL: {}",
                    hide_password(&e.to_string(), url)
                ),
            )
            .hint("write it as postgres://user:password@host:5432/dbname?sslmode=disable")
        })?;
        return Ok(Database::Postgres(Box::new(config)));
    }
    Err(Diagnostic::new(shown, "is not a database URL blog reads").hint(URL_FORMS.to_string()))
}

/// `text` with the URL's password (as written, and decoded) replaced.
fn hide_password(text: &str, url: &str) -> String {
    let Some(rest) = url.split_once("://").map(|(_, r)| r) else {
        return text.to_string();
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let mut secrets: Vec<String> = Vec::new();
    if let Some((user_info, _)) = authority.rsplit_once('@') {
        if let Some((_, password)) = user_info.split_once(':') {
            secrets.push(password.to_string());
        }
    }
    if let Some((_, query)) = rest.split_once('?') {
        for param in query.split('&') {
            if let Some((key, value)) = param.split_once('=') {
                if key.eq_ignore_ascii_case("password") {
                    secrets.push(value.to_string());
                }
            }
        }
    }
    let mut out = text.to_string();
    for secret in secrets.into_iter().filter(|s| !s.is_empty()) {
        let decoded = percent_encoding::percent_decode_str(&secret)
            .decode_utf8_lossy()
            .into_owned();
        out = out.replace(&secret, "***").replace(&decoded, "***");
    }
    out
}

/// The query on one line, shortened, to name it in an error.
fn quoted(query: &str) -> String {
    let one_line: Vec<&str> = query.split_whitespace().collect();
    let one_line = one_line.join(" ");
    if one_line.chars().count() > 70 {
        let cut: String = one_line.chars().take(67).collect();
        format!("`{cut}…`")
    } else {
        format!("`{one_line}`")
    }
}

/// An error of the database about the query, pointing at the byte
/// `offset` of the query where the database gives one.
fn query_error(shown: &str, query: &str, message: &str, offset: Option<usize>) -> Diagnostic {
    let at = offset
        .filter(|&o| o <= query.len() && query.is_char_boundary(o))
        .map(|o| {
            let (line, column) = line_col(query, o);
            let near: String = query[o..]
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            format!(" (at line {line}, column {column} of the query: `{near}`)")
        })
        .unwrap_or_default();
    Diagnostic::new(
        shown,
        format!("the query {} failed: {message}{at}", quoted(query)),
    )
    .hint("fix --query; nothing was read or changed")
}

/// The error for a query that would change the database.
fn writes_error(shown: &str, query: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        shown,
        format!(
            "the query {} would change the database, which blog only reads: {why}",
            quoted(query)
        ),
    )
    .hint("give a SELECT that returns the posts; the database was not changed")
}

/// The site and its posts, from the query's rows.
fn plan_rows(
    rows: &Rows,
    shown: &str,
    query: &str,
    body_format: BodyFormat,
    title: &str,
) -> Result<Plan, Vec<Diagnostic>> {
    let mut plan = Plan::default();
    // The first column of a name, where a join returns two (`id`).
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut twice: Vec<&str> = Vec::new();
    for (i, name) in rows.columns.iter().enumerate() {
        match index.entry(name.to_lowercase()) {
            std::collections::btree_map::Entry::Occupied(_) => twice.push(name),
            std::collections::btree_map::Entry::Vacant(place) => {
                place.insert(i);
            }
        }
    }
    let column = |name: &str| index.get(name).copied();
    let title_col = column("title");
    let body_col = column("body").or_else(|| column("content"));
    let mut missing = Vec::new();
    if title_col.is_none() {
        missing.push("`title`");
    }
    if body_col.is_none() {
        missing.push("`body` (or `content`)");
    }
    if !missing.is_empty() {
        let returned = if rows.columns.is_empty() {
            "none".to_string()
        } else {
            rows.columns.join(", ")
        };
        return Err(vec![Diagnostic::new(
            shown,
            format!(
                "the query {} returned no {} column; it returned: {returned}",
                quoted(query),
                missing.join(" and no ")
            ),
        )
        .hint(
            "name the columns with AS: SELECT headline AS title, text AS body, …",
        )]);
    }
    if rows.rows.is_empty() {
        return Err(vec![Diagnostic::new(
            shown,
            format!(
                "the query {} returned no rows: nothing to import",
                quoted(query)
            ),
        )
        .hint("check the query's table and WHERE clause")]);
    }
    for name in &twice {
        plan.notes.push(Note::new(
            shown,
            format!("the query returns two `{name}` columns: the first is used"),
        ));
    }
    if column("date").is_none() {
        plan.notes.push(Note::new(
            shown,
            "the query returns no `date` column: the posts have no date; name the column that holds it with AS date",
        ));
    }
    // The body column used; `content` beside `body` is kept under extra.
    let consumed = |i: usize, name: &str| -> bool {
        let lower = name.to_lowercase();
        if index.get(&lower) != Some(&i) {
            // A second column of one name.
            return true;
        }
        if lower == "content" {
            return body_col == Some(i);
        }
        KEYS.contains(&lower.as_str())
    };

    let mut taken: HashSet<PathBuf> = HashSet::new();
    let mut urls: Vec<String> = Vec::new();
    let mut with_url = 0;
    let mut errors = Vec::new();
    for (n, row) in rows.rows.iter().enumerate() {
        let n = n + 1;
        let get = |name: &str| column(name).map_or(&Cell::Null, |i| &row[i]);
        let label = row_label(n, get("id"), get("slug"));
        let place = format!("{shown} {label}");
        let skip = |what: &str| {
            Note::new(
                &place,
                format!(
                    "its {what} is empty: the row is not imported; give every row one (COALESCE({what}, '…') in the query)"
                ),
            )
        };
        let Some(title) = text_of(&row[title_col.unwrap_or(0)]) else {
            plan.notes.push(skip("title"));
            continue;
        };
        let Some(body) = text_of(&row[body_col.unwrap_or(0)]) else {
            plan.notes.push(skip("body"));
            continue;
        };
        let mut body = body.replace("\r\n", "\n");
        if !body.ends_with('\n') {
            body.push('\n');
        }
        let body = match body_format {
            BodyFormat::Markdown => body,
            BodyFormat::Html => {
                let (markdown, messages) = html_to_markdown(&body);
                for message in messages {
                    plan.notes.push(Note::new(&place, message));
                }
                markdown
            }
        };
        let mut native = Native {
            title: Some(title.clone()),
            ..Native::default()
        };
        let mut row_errors = Vec::new();
        let mut check = |result: Result<Option<toml::Value>, String>, key: &str| match result {
            Ok(value) => value,
            Err(why) => {
                row_errors
                    .push(Diagnostic::new(&place, format!("its `{key}` {why}")).hint(DATE_FORMS));
                None
            }
        };
        native.date = check(date_of(get("date")), "date");
        native.updated = check(date_of(get("updated")), "updated");
        match draft_of(get("draft"), get("published"), get("status")) {
            Ok(draft) => native.draft = draft,
            Err(why) => row_errors.push(Diagnostic::new(&place, why).hint(
                "give `draft` as a boolean, 0/1 or 'true'/'false' (`published` the same; `status` as 'draft' or 'published')",
            )),
        }
        errors.extend(row_errors);
        native.description = text_of(get("description")).or_else(|| text_of(get("summary")));
        for taxonomy in ["tags", "categories"] {
            let terms = terms_of(get(taxonomy));
            if !terms.is_empty() {
                native.taxonomies.insert(taxonomy.into(), terms);
            }
        }
        if let Some(author) = text_of(get("author")) {
            native.extra.insert("author".into(), author.into());
        }
        for (i, name) in rows.columns.iter().enumerate() {
            if consumed(i, name) {
                continue;
            }
            if let Some(value) = toml_of(&row[i]) {
                native.extra.insert(name.clone(), value);
            }
        }

        let slug = [text_of(get("slug")), Some(title)]
            .into_iter()
            .flatten()
            .map(|s| crate::content::url::slugify(&deunicode::deunicode(&s)))
            .find(|s| !s.is_empty() && s != "index")
            .unwrap_or_else(|| format!("post-{n}"));
        let (dest, renamed) = super::free_place(&mut taken, "posts/", &slug);
        if renamed {
            plan.notes.push(Note::new(
                &place,
                format!(
                    "is written as content/{}: another row has its slug",
                    dest.display()
                ),
            ));
        }

        let mut old_url = None;
        if let Some(url) = text_of(get("url")) {
            with_url += 1;
            match old_path(&url) {
                Some(path) if safe_path(&path) => {
                    urls.push(path.clone());
                    old_url = Some(path);
                }
                _ => plan.notes.push(Note::new(
                    &place,
                    format!(
                        "its url {url} cannot be a page's place (a query, a fragment, the site's root, `..`, a NUL or a backslash): not kept"
                    ),
                )),
            }
        }
        let text = super::front_matter::render(&native, &body);
        plan.content.push(ContentFile {
            source: PathBuf::from(&place),
            view: dest.clone(),
            dest,
            old_url,
            defaults: BTreeMap::new(),
            text: Some(text),
            old_queries: Vec::new(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if plan.content.is_empty() {
        return Err(vec![Diagnostic::new(
            shown,
            format!(
                "none of the {} rows of the query {} has both a title and a body: nothing to import",
                rows.rows.len(),
                quoted(query)
            ),
        )
        .hint("check the query's `title` and `body` columns")]);
    }

    let mut config = toml::Table::new();
    config.insert("title".into(), title.into());
    plan.notes.push(Note::new(
        shown,
        "the database holds no site address: set `base_url` in config.toml to the address the site is published at",
    ));
    // Only when every post's old URL follows one pattern; else each old
    // URL the new permalinks do not give becomes an alias.
    if with_url == plan.content.len() && urls.len() == with_url {
        if let Some(pattern) = permalink_of(&urls) {
            let mut permalinks = toml::Table::new();
            permalinks.insert("posts".into(), pattern.into());
            config.insert("permalinks".into(), toml::Value::Table(permalinks));
        }
    }
    plan.config = config;
    Ok(plan)
}

/// `row 3 (id 17)`, `row 3 (slug hello)`: the row for a note.
fn row_label(n: usize, id: &Cell, slug: &Cell) -> String {
    match (text_of(id), text_of(slug)) {
        (Some(id), _) => format!("row {n} (id {id})"),
        (None, Some(slug)) => format!("row {n} (slug {slug})"),
        (None, None) => format!("row {n}"),
    }
}

/// A value as text, when it is one and not empty.
fn text_of(cell: &Cell) -> Option<String> {
    let text = match cell {
        Cell::Null => return None,
        Cell::Text(s) => s.trim().to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => f.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Instant(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Cell::Day(d) => d.to_string(),
        Cell::List(items) => items.join(", "),
        Cell::Json(serde_json::Value::String(s)) => s.trim().to_string(),
        Cell::Json(serde_json::Value::Null) => return None,
        Cell::Json(v) => v.to_string(),
    };
    (!text.is_empty()).then_some(text)
}

/// A date: a timestamp or date of the database, text as authors and apps
/// write it (SQLAlchemy's `2019-03-04 10:20:30.123456`, ISO 8601 with or
/// without an offset, a date alone), or Unix seconds. Without an offset,
/// the time is UTC, and written so.
fn date_of(cell: &Cell) -> Result<Option<toml::Value>, String> {
    let text = match cell {
        Cell::Null => return Ok(None),
        Cell::Instant(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Cell::Day(d) => d.strftime("%Y-%m-%d").to_string(),
        Cell::Int(seconds) => jiff::Timestamp::from_second(*seconds)
            .map_err(|_| format!("{seconds} is not a date (as seconds since 1970)"))?
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        Cell::Text(s) if s.trim().is_empty() => return Ok(None),
        Cell::Text(s) => {
            let date = Date::parse(s).map_err(|_| format!("`{}` is not a date", s.trim()))?;
            let midnight = date.datetime.time() == jiff::civil::Time::midnight();
            if midnight && date.offset.is_none() && !s.contains([':', 'T']) {
                date.datetime.strftime("%Y-%m-%d").to_string()
            } else {
                date.to_rfc3339()
            }
        }
        other => return Err(format!("is not a date: {}", describe(other))),
    };
    text.parse::<toml::value::Datetime>()
        .map(|d| Some(toml::Value::Datetime(d)))
        .map_err(|_| format!("`{text}` is not a date TOML can hold"))
}

/// Whether the row is a draft: `draft`, `published` (its opposite), or a
/// `status` other than `published`; any of them saying so makes it one.
fn draft_of(draft: &Cell, published: &Cell, status: &Cell) -> Result<bool, String> {
    let flag = |cell: &Cell, key: &str| -> Result<Option<bool>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Bool(b) => Ok(Some(*b)),
            Cell::Int(0) => Ok(Some(false)),
            Cell::Int(1) => Ok(Some(true)),
            Cell::Text(s) => match s.trim().to_lowercase().as_str() {
                "" => Ok(None),
                "true" | "t" | "1" | "yes" | "y" | "on" => Ok(Some(true)),
                "false" | "f" | "0" | "no" | "n" | "off" => Ok(Some(false)),
                _ => Err(format!("its `{key}` `{}` is not true or false", s.trim())),
            },
            other => Err(format!(
                "its `{key}` is not true or false: {}",
                describe(other)
            )),
        }
    };
    let mut is_draft = flag(draft, "draft")?.unwrap_or(false);
    if let Some(published) = flag(published, "published")? {
        is_draft |= !published;
    }
    match status {
        Cell::Null => {}
        Cell::Text(s) => {
            let s = s.trim().to_lowercase();
            if !s.is_empty() && !matches!(s.as_str(), "published" | "publish" | "public") {
                is_draft = true;
            }
        }
        other => {
            return Err(format!(
                "its `status` is not text like 'draft' or 'published': {}",
                describe(other)
            ))
        }
    }
    Ok(is_draft)
}

/// Terms: a PostgreSQL array, a JSON array, or comma-separated text
/// (`group_concat`, `string_agg`).
fn terms_of(cell: &Cell) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut push = |term: &str| {
        let term = term.trim();
        if !term.is_empty() && !terms.iter().any(|t| t == term) {
            terms.push(term.to_string());
        }
    };
    match cell {
        Cell::List(items) => items.iter().for_each(|t| push(t)),
        Cell::Json(serde_json::Value::Array(items)) => {
            for item in items {
                if let Some(t) = text_of(&Cell::Json(item.clone())) {
                    push(&t);
                }
            }
        }
        Cell::Text(s) if s.trim_start().starts_with('[') => {
            match serde_json::from_str::<Vec<serde_json::Value>>(s) {
                Ok(items) => items
                    .into_iter()
                    .filter_map(|item| text_of(&Cell::Json(item)))
                    .for_each(|t| push(&t)),
                Err(_) => s.split(',').for_each(&mut push),
            }
        }
        Cell::Text(s) => s.split(',').for_each(&mut push),
        other => {
            if let Some(t) = text_of(other) {
                push(&t);
            }
        }
    }
    terms
}

/// A column under `[extra]`.
fn toml_of(cell: &Cell) -> Option<toml::Value> {
    Some(match cell {
        Cell::Null => return None,
        Cell::Int(i) => toml::Value::Integer(*i),
        Cell::Float(f) => toml::Value::Float(*f),
        Cell::Text(s) => toml::Value::String(s.clone()),
        Cell::Bool(b) => toml::Value::Boolean(*b),
        Cell::Instant(_) | Cell::Day(_) => return date_of(cell).ok().flatten(),
        Cell::List(items) => {
            toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect())
        }
        Cell::Json(v) => return super::toml_value(v),
    })
}

/// The kind of a value, for an error.
fn describe(cell: &Cell) -> String {
    match cell {
        Cell::Null => "NULL".into(),
        Cell::Int(i) => format!("the number {i}"),
        Cell::Float(f) => format!("the number {f}"),
        Cell::Text(s) => format!("the text `{s}`"),
        Cell::Bool(b) => format!("the boolean {b}"),
        Cell::Instant(_) | Cell::Day(_) => "a date".into(),
        Cell::List(_) => "an array".into(),
        Cell::Json(_) => "JSON".into(),
    }
}

/// The path of a post's old URL: `/2019/03/hello/` as it is, or of
/// `https://example.com/2019/03/hello/`; `None` for one with a query or
/// fragment, or the site's root.
fn old_path(url: &str) -> Option<String> {
    let url = url.trim();
    if url.contains("://") {
        return url_path(url, &origin_of(url), "");
    }
    if url.starts_with("//") {
        return None;
    }
    let path = if url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    };
    url_path(&path, "", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        assert_eq!(
            redact("postgres://ann:s3cr%40t@db.example:5432/blog?sslmode=disable"),
            "postgres://ann:***@db.example:5432/blog?sslmode=disable"
        );
        assert_eq!(
            redact("postgresql://ann@db/blog?password=s3cret&host=/run"),
            "postgresql://ann@db/blog?password=***&host=/run"
        );
        assert_eq!(redact("sqlite:blog.db"), "sqlite:blog.db");
        assert_eq!(
            hide_password("bad s3cr@t and s3cr%40t", "postgres://ann:s3cr%40t@db/blog"),
            "bad *** and ***"
        );
    }

    #[test]
    fn dates_as_apps_store_them() {
        let get = |cell: Cell| date_of(&cell).map(|d| d.map(|d| d.to_string()));
        assert_eq!(
            get(Cell::Text("2019-03-04 10:20:30.123456".into())),
            Ok(Some("2019-03-04T10:20:30Z".into()))
        );
        assert_eq!(
            get(Cell::Text("2019-03-04T10:20:30+01:00".into())),
            Ok(Some("2019-03-04T10:20:30+01:00".into()))
        );
        assert_eq!(
            get(Cell::Text("2019-03-04".into())),
            Ok(Some("2019-03-04".into()))
        );
        assert_eq!(
            get(Cell::Text("2019-03-04 00:00:00".into())),
            Ok(Some("2019-03-04T00:00:00Z".into()))
        );
        assert_eq!(
            get(Cell::Int(1551695430)),
            Ok(Some("2019-03-04T10:30:30Z".into()))
        );
        assert_eq!(get(Cell::Null), Ok(None));
        assert!(get(Cell::Text("yesterday".into()))
            .expect_err("not a date")
            .contains("`yesterday` is not a date"));
    }

    #[test]
    fn drafts_from_draft_published_or_status() {
        let t = |s: &str| Cell::Text(s.into());
        assert_eq!(draft_of(&Cell::Int(1), &Cell::Null, &Cell::Null), Ok(true));
        assert_eq!(draft_of(&t("false"), &Cell::Null, &Cell::Null), Ok(false));
        assert_eq!(
            draft_of(&Cell::Null, &Cell::Bool(false), &Cell::Null),
            Ok(true)
        );
        assert_eq!(
            draft_of(&Cell::Null, &Cell::Null, &t("published")),
            Ok(false)
        );
        assert_eq!(draft_of(&Cell::Null, &Cell::Null, &t("draft")), Ok(true));
        assert!(draft_of(&Cell::Int(7), &Cell::Null, &Cell::Null).is_err());
    }

    #[test]
    fn terms_from_arrays_json_or_commas() {
        assert_eq!(
            terms_of(&Cell::Text("rust, web,,rust".into())),
            vec!["rust", "web"]
        );
        assert_eq!(
            terms_of(&Cell::Text("[\"a b\", \"c\"]".into())),
            vec!["a b", "c"]
        );
        assert_eq!(
            terms_of(&Cell::List(vec!["x".into(), "y".into()])),
            vec!["x", "y"]
        );
        assert!(terms_of(&Cell::Null).is_empty());
    }

    #[test]
    fn old_urls_are_paths() {
        assert_eq!(old_path("/2019/03/a/").as_deref(), Some("/2019/03/a/"));
        assert_eq!(
            old_path("https://example.com/p/a.html").as_deref(),
            Some("/p/a.html")
        );
        assert_eq!(old_path("p/a/").as_deref(), Some("/p/a/"));
        assert_eq!(old_path("/?p=3"), None);
        assert_eq!(old_path("/"), None);
    }
}
