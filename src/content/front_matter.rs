//! Splits a content file into front matter and body, and parses the front
//! matter (YAML between `---` lines, TOML between `+++` lines, Hugo's JSON
//! object from a `{` line to a `}` line, or none) into `FrontMatter`. Errors carry the line and column in the file itself.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::content::date::Date;
use crate::diagnostics::{line_col, Diagnostic};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
    /// Hugo's JSON front matter, braces included (read as the YAML it also is).
    Json,
}

/// A file cut in two. Line numbers are 1-based lines of the whole file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Option<Format>,
    pub front_matter: &'a str,
    /// The line of the first front matter line (after the opening fence).
    pub front_matter_line: usize,
    pub body: &'a str,
    /// The line the body starts on.
    pub body_line: usize,
}

/// Cuts `text` (already without BOM and with `\n` line ends) at its fences.
/// Blank lines before the opening fence are allowed.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let mut offset = 0;
    let mut line = 1;
    // Skip leading blank lines.
    for l in text.split_inclusive('\n') {
        if l.trim().is_empty() && l.ends_with('\n') {
            offset += l.len();
            line += 1;
        } else {
            break;
        }
    }
    let rest = &text[offset..];
    let first_line = rest.split('\n').next().unwrap_or("").trim_end();
    if first_line == "{" {
        return split_json(text, offset, line);
    }
    let (format, fence) = match first_line {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Ok(Split {
                format: None,
                front_matter: "",
                front_matter_line: 1,
                body: text,
                body_line: 1,
            })
        }
    };
    let open_line = line;
    let start = offset + first_line.len() + usize::from(rest.len() > first_line.len());
    let mut pos = start;
    for (current, l) in (open_line + 1..).zip(text[start..].split_inclusive('\n')) {
        let trimmed = l.trim_end();
        if trimmed == fence || (format == Format::Yaml && trimmed == "...") {
            let body_start = pos + l.len();
            return Ok(Split {
                format: Some(format),
                front_matter: &text[start..pos],
                front_matter_line: open_line + 1,
                body: &text[body_start..],
                body_line: current + 1,
            });
        }
        pos += l.len();
    }
    Err((
        open_line,
        format!("the front matter opened with `{fence}` on line {open_line} is never closed"),
    ))
}

/// Hugo's JSON front matter: from a line `{` at `offset` to the first line
/// that is `}`, both kept, as the object they make.
fn split_json(text: &str, offset: usize, open_line: usize) -> Result<Split<'_>, (usize, String)> {
    let mut pos = offset;
    for (current, l) in (open_line..).zip(text[offset..].split_inclusive('\n')) {
        pos += l.len();
        if current > open_line && l.trim_end() == "}" {
            return Ok(Split {
                format: Some(Format::Json),
                front_matter: &text[offset..pos],
                front_matter_line: open_line,
                body: &text[pos..],
                body_line: current + 1,
            });
        }
    }
    Err((
        open_line,
        format!("the JSON front matter opened with `{{` on line {open_line} is never closed"),
    ))
}

/// What a page's front matter says. Unknown keys are kept in `other` and reach
/// templates as `page.meta`.
#[derive(Debug, Default, Clone)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<Date>,
    /// Hugo's `publishDate`: the page is left out until then.
    pub publish_date: Option<Date>,
    /// Hugo's `expiryDate`: the page is left out from then on.
    pub expiry_date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    /// `in_search_index = false` (Zola's key): the page is left out of
    /// the search index (`crate::search`).
    pub search_excluded: bool,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    /// The template to render with: `template`, or Jekyll's and Hugo's
    /// `layout: post` as `post.html` (`template_key` says which was written).
    pub template: Option<String>,
    pub template_key: &'static str,
    pub weight: Option<i64>,
    /// Terms per taxonomy name, from top-level keys (`tags: [a]`) or a
    /// `taxonomies` table.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub extra: serde_json::Value,
    pub other: BTreeMap<String, serde_json::Value>,
    /// Section options, read from `_index.md` only.
    pub sort_by: Option<String>,
    pub paginate: Option<usize>,
    /// `series = "Name"` (or Hugo's one-name list): the series the post is
    /// part of. Where the site
    /// declares a `series` taxonomy, its one term (a page with several
    /// `series` terms is in none).
    pub series: Option<String>,
    /// `series_order = N`: the post's place in its series; without it,
    /// posts follow their dates.
    pub series_order: Option<i64>,
}

/// The keys `FrontMatter` reads itself; the rest go to `other`.
const KNOWN_KEYS: [&str; 26] = [
    "title",
    "date",
    "publishDate",
    "publishdate",
    "pubdate",
    "expiryDate",
    "expirydate",
    "unpublishdate",
    "updated",
    "lastmod",
    "draft",
    "in_search_index",
    "description",
    "summary",
    "slug",
    "aliases",
    "template",
    "weight",
    "tags",
    "categories",
    "taxonomies",
    "extra",
    "sort_by",
    "paginate",
    "paginate_by",
    "series_order",
];

/// The typed pass. Each field reports its own errors with a position.
#[derive(Deserialize)]
struct Typed {
    title: Option<Scalar>,
    date: Option<Date>,
    updated: Option<Date>,
    /// Hugo's name for `updated`.
    lastmod: Option<Date>,
    /// Hugo: not published before this (and the date when `date` is
    /// absent), nor after `expiryDate`; with the aliases Hugo reads.
    #[serde(rename = "publishDate", alias = "publishdate", alias = "pubdate")]
    publish_date: Option<Date>,
    #[serde(rename = "expiryDate", alias = "expirydate", alias = "unpublishdate")]
    expiry_date: Option<Date>,
    draft: Option<bool>,
    in_search_index: Option<bool>,
    description: Option<Scalar>,
    summary: Option<Scalar>,
    slug: Option<Scalar>,
    aliases: Option<Terms>,
    template: Option<String>,
    /// Jekyll's and Hugo's name for the template, without `.html`; also
    /// kept in `other`, for templates that read `page.meta.layout`.
    layout: Option<Scalar>,
    weight: Option<i64>,
    tags: Option<Terms>,
    categories: Option<Terms>,
    taxonomies: Option<BTreeMap<String, Terms>>,
    extra: Option<serde_json::Value>,
    sort_by: Option<String>,
    paginate: Option<usize>,
    /// Zola's name for `paginate`.
    paginate_by: Option<usize>,
    series_order: Option<i64>,
}

/// Parses front matter text. `taxonomies` names the site's taxonomies, so a
/// top-level key like `series:` is read as terms when `series` is one.
pub fn parse(
    format: Format,
    text: &str,
    taxonomies: &[&str],
) -> Result<FrontMatter, (usize, usize, String)> {
    if text.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let (typed, all): (Typed, BTreeMap<String, serde_json::Value>) = match format {
        Format::Yaml | Format::Json => yaml_views(text)?,
        Format::Toml => (toml(text)?, toml(text)?),
    };
    let mut fm = FrontMatter {
        title: typed.title.map(|s| s.0),
        date: typed.date.or(typed.publish_date),
        publish_date: typed.publish_date,
        expiry_date: typed.expiry_date,
        updated: typed.updated.or(typed.lastmod),
        draft: typed.draft.unwrap_or(false),
        search_excluded: typed.in_search_index == Some(false),
        description: typed.description.or(typed.summary).map(|s| s.0),
        slug: typed.slug.map(|s| s.0),
        aliases: typed.aliases.map(|t| t.0).unwrap_or_default(),
        template_key: if typed.template.is_none() && typed.layout.is_some() {
            "layout"
        } else {
            "template"
        },
        template: typed.template.or(typed.layout.map(|l| {
            if l.0.ends_with(".html") {
                l.0
            } else {
                format!("{}.html", l.0)
            }
        })),
        weight: typed.weight,
        extra: typed
            .extra
            .unwrap_or(serde_json::Value::Object(Default::default())),
        sort_by: typed.sort_by,
        paginate: typed.paginate.or(typed.paginate_by),
        series_order: typed.series_order,
        ..FrontMatter::default()
    };
    let mut terms = typed.taxonomies.unwrap_or_default();
    if let Some(tags) = typed.tags {
        terms.entry("tags".into()).or_insert(tags);
    }
    if let Some(categories) = typed.categories {
        terms.entry("categories".into()).or_insert(categories);
    }
    for (key, value) in all {
        if KNOWN_KEYS.contains(&key.as_str()) {
            continue;
        }
        if key == "series" && !taxonomies.contains(&"series") {
            match &value {
                serde_json::Value::String(name) => {
                    let name = name.trim();
                    fm.series = (!name.is_empty()).then(|| name.to_string());
                }
                serde_json::Value::Null => {}
                // Hugo's sites write a series as a list: one name is the
                // series, several are none.
                serde_json::Value::Array(names) if names.iter().all(|n| n.is_string()) => {
                    if let [serde_json::Value::String(name)] = names.as_slice() {
                        let name = name.trim();
                        fm.series = (!name.is_empty()).then(|| name.to_string());
                    }
                }
                _ => {
                    let (line, column) = value_position(text, &key);
                    return Err((
                        line,
                        column,
                        "`series` must be the series' name as a string".to_string(),
                    ));
                }
            }
            // Still there for templates that read `page.meta.series`.
            fm.other.insert(key, value);
            continue;
        }
        if taxonomies.contains(&key.as_str()) {
            match terms_from_json(&value) {
                Some(list) => {
                    terms.entry(key).or_insert(Terms(list));
                }
                None => {
                    let line = crate::config::find_key_line(text, &key).unwrap_or(1);
                    return Err((
                        line,
                        1,
                        format!("`{key}` must be a list of names or a string"),
                    ));
                }
            }
        } else {
            fm.other.insert(key, value);
        }
    }
    fm.taxonomies = BTreeMap::new();
    for (key, Terms(list)) in terms {
        // A name written twice is one term.
        let mut seen = std::collections::HashSet::new();
        let list: Vec<String> = list
            .into_iter()
            .filter(|t| seen.insert(t.clone()))
            .collect();
        if list.len() > MAX_TERMS {
            let line = crate::config::find_key_line(text, &key)
                .or_else(|| crate::config::find_key_line(text, "taxonomies"))
                .unwrap_or(1);
            return Err((
                line,
                1,
                format!(
                    "`{key}` has {} names; a page may have at most {MAX_TERMS}",
                    list.len()
                ),
            ));
        }
        if key == "series" {
            fm.series = match list.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            };
        }
        fm.taxonomies.insert(key, list);
    }
    Ok(fm)
}

/// The line of `key` and the column its value starts at, for an error
/// about the value.
fn value_position(text: &str, key: &str) -> (usize, usize) {
    let Some(line) = crate::config::find_key_line(text, key) else {
        return (1, 1);
    };
    let written = text.lines().nth(line - 1).unwrap_or("");
    let after_key = written.trim_start()[key.len()..].trim_start();
    let value = after_key.get(1..).unwrap_or("").trim_start();
    let column = written.chars().count() - value.chars().count() + 1;
    (line, column)
}

/// Terms one page may have in one taxonomy: far more than any post needs,
/// and few enough that a mistake (a generated list) fails fast instead of
/// making a page per term.
pub const MAX_TERMS: usize = 1000;

fn yaml<T: de::DeserializeOwned>(text: &str) -> Result<T, (usize, usize, String)> {
    serde_yaml_ng::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        (line, column, clean_message(&e.to_string()))
    })
}

/// What front matter is read as: its known keys, typed, and every key.
type Views = (Typed, BTreeMap<String, serde_json::Value>);

/// The typed view and the map of every key, from one parse of the text
/// (parsing it once per view cost a cold build 3% of its instructions).
/// Where that fails (a syntax error, a wrong type, a key written twice or
/// one that is a number, which the parsed value reads differently), both
/// views are read from the text itself, as they always were, so the
/// answer and the error, with its line and column, are the text's own.
fn yaml_views(text: &str) -> Result<Views, (usize, usize, String)> {
    let views = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text)
        .ok()
        .and_then(|value| {
            let typed = Typed::deserialize(&value).ok()?;
            Some((typed, BTreeMap::deserialize(value).ok()?))
        });
    match views {
        Some(views) => Ok(views),
        None => Ok((yaml(text)?, yaml(text)?)),
    }
}

fn toml<T: de::DeserializeOwned>(text: &str) -> Result<T, (usize, usize, String)> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        (line, column, clean_message(e.message()))
    })
}

/// Parsers append " at line X column Y" to messages; the diagnostic already
/// says where, so drop it.
fn clean_message(message: &str) -> String {
    let message = message.trim();
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    message.to_string()
}

impl FrontMatter {
    /// Converts a parse failure into a diagnostic for `path`, positioned in
    /// the whole file.
    pub fn error(
        path: &std::path::Path,
        split_line: usize,
        err: (usize, usize, String),
        format: Format,
    ) -> Diagnostic {
        let (line, column, message) = err;
        let hint = match format {
            // A value that is well-formed YAML or TOML but no date.
            _ if message.contains(crate::content::date::NOT_A_DATE) => crate::content::date::FORMS,
            Format::Yaml => "front matter between `---` lines is YAML: `key: value`, lists as `[a, b]`",
            Format::Toml => "front matter between `+++` lines is TOML: `key = \"value\"`, lists as `[\"a\", \"b\"]`",
            Format::Json => "front matter in braces is JSON: `\"key\": \"value\"`, with a comma between entries",
        };
        Diagnostic::new(path, format!("front matter: {message}"))
            .at(line + split_line - 1, column)
            .hint(hint)
    }
}

/// A string that may have been written as a number or boolean (`title: 2024`).
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A list of names, written as a list or as one comma- or space-separated
/// string (`tags: rust, web` or `tags: rust web`).
struct Terms(Vec<String>);

impl<'de> Deserialize<'de> for Terms {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Terms;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of names or a string like \"rust, web\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Terms, E> {
                Ok(Terms(split_terms(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Terms, E> {
                Ok(Terms(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Terms, E> {
                Ok(Terms(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Terms, A::Error> {
                let mut out = Vec::new();
                while let Some(Scalar(item)) = seq.next_element()? {
                    let item = item.trim();
                    if !item.is_empty() {
                        out.push(item.to_string());
                    }
                }
                Ok(Terms(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn split_terms(text: &str) -> Vec<String> {
    let separator: &[char] = if text.contains(',') {
        &[',']
    } else {
        &[' ', '\t']
    };
    text.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn terms_from_json(value: &serde_json::Value) -> Option<Vec<String>> {
    match value {
        serde_json::Value::String(s) => Some(split_terms(s)),
        serde_json::Value::Null => Some(Vec::new()),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_fm(text: &str) -> FrontMatter {
        parse(Format::Yaml, text, &["tags", "categories", "series"]).expect("parses")
    }

    #[test]
    fn split_yaml_toml_and_none() {
        let s = split("---\ntitle: a\n---\nbody\n").expect("ok");
        assert_eq!(s.format, Some(Format::Yaml));
        assert_eq!(s.front_matter, "title: a\n");
        assert_eq!((s.front_matter_line, s.body, s.body_line), (2, "body\n", 4));
        let s = split("\n\n+++\ntitle = 'a'\n+++\nbody").expect("ok");
        assert_eq!(s.format, Some(Format::Toml));
        assert_eq!(s.front_matter_line, 4);
        let s = split("# Just markdown\n").expect("ok");
        assert_eq!(s.format, None);
        let s = split("---\ntitle: a\n---").expect("closing fence at end of file");
        assert_eq!(s.body, "");
    }

    #[test]
    fn one_parse_reads_as_two_did() {
        let summary = |r: Result<Views, (usize, usize, String)>| {
            r.map(|(typed, all)| {
                (
                    typed.title.map(|s| s.0),
                    typed.date.map(|d| d.to_rfc3339()),
                    typed.draft,
                    typed.tags.map(|t| t.0),
                    typed.weight,
                    typed.extra,
                    all,
                )
            })
        };
        for text in [
            "title: A\ndate: 2024-03-01\ntags: [a, b]\ndraft: true\nweight: 3\n",
            "title: 2024\ntags: rust, web\nextra: {x: [1, 2.5, null]}\ncustom: ~\n",
            // Anchors, a tag, a key that is a number, a key written twice.
            "base: &b {x: 1}\nuse: *b\ntagged: !thing value\n",
            "2024: year\ntitle: A\n",
            "title: A\ntitle: B\n",
            "custom: 1\ncustom: 2\n",
            // Errors: a wrong type on line 3, a syntax error on line 2.
            "title: A\ntags: [a]\ndraft: maybe\n",
            "title: A\n  bad: [\n",
            "date: not a date\n",
        ] {
            assert_eq!(
                format!("{:?}", summary(yaml_views(text))),
                format!(
                    "{:?}",
                    summary(yaml(text).and_then(|t| Ok((t, yaml(text)?))))
                ),
                "{text:?}"
            );
        }
        let (line, column, _) = yaml_views("title: A\ntags: [a]\ndraft: maybe\n")
            .err()
            .expect("not a bool");
        assert_eq!((line, column), (3, 8));
    }

    #[test]
    fn unclosed_front_matter_names_the_opening_line() {
        let (line, message) = split("\n---\ntitle: a\nbody\n").expect_err("unclosed");
        assert_eq!(line, 2);
        assert!(message.contains("never closed"));
    }

    #[test]
    fn series_and_its_order() {
        let fm = parse(
            Format::Toml,
            "title = \"a\"\nseries = \"Rust in Practice\"\nseries_order = 2\n",
            &["tags"],
        )
        .expect("toml");
        assert_eq!(fm.series.as_deref(), Some("Rust in Practice"));
        assert_eq!(fm.series_order, Some(2));
        assert_eq!(fm.other["series"], "Rust in Practice");
        let fm = parse(Format::Yaml, "series: Rust in Practice\n", &["tags"]).expect("yaml");
        assert_eq!(fm.series.as_deref(), Some("Rust in Practice"));
        assert_eq!(fm.series_order, None);
        // Where `series` is a taxonomy, its one term is the series.
        let fm = yaml_fm("series: [Rust in Practice]\n");
        assert_eq!(fm.series.as_deref(), Some("Rust in Practice"));
        assert_eq!(fm.taxonomies["series"], vec!["Rust in Practice"]);
        assert_eq!(
            yaml_fm("series: one two\n").series,
            None,
            "two terms are no series"
        );
        let hugo = |text: &str| parse(Format::Yaml, text, &["tags"]).expect("hugo's list");
        assert_eq!(hugo("series: [Go]\n").series.as_deref(), Some("Go"));
        assert_eq!(hugo("series: [Go, Rust]\n").series, None);
        for (format, text, at, needle) in [
            (
                Format::Yaml,
                "title: a\nseries: {name: a}\n",
                (2, 9),
                "`series` must be",
            ),
            (
                Format::Toml,
                "title = \"a\"\nseries = 5\n",
                (2, 10),
                "`series` must be",
            ),
            (
                Format::Yaml,
                "title: a\nseries_order: second\n",
                (2, 15),
                "i64",
            ),
            (Format::Toml, "series_order = \"2\"\n", (1, 16), "i64"),
        ] {
            let (line, column, message) = parse(format, text, &["tags"]).expect_err(text);
            assert_eq!((line, column), at, "{text}: {message}");
            assert!(message.contains(needle), "{text}: {message}");
        }
    }

    #[test]
    fn every_key_is_read() {
        let fm = yaml_fm(
            "title: Hello\ndate: 2024-01-02\nupdated: 2024-02-03T10:00:00+01:00\ndraft: true\n\
             summary: Short\nslug: hi\naliases: [/old/]\ntemplate: special.html\nweight: 3\n\
             tags: rust, web\ncategories: [Notes]\nseries: one two\nextra: {a: 1}\nmood: happy\n",
        );
        assert_eq!(fm.title.as_deref(), Some("Hello"));
        assert_eq!(fm.date.expect("date").to_rfc3339(), "2024-01-02T00:00:00Z");
        assert!(fm.updated.is_some() && fm.draft);
        assert_eq!(fm.description.as_deref(), Some("Short"));
        assert_eq!(fm.slug.as_deref(), Some("hi"));
        assert_eq!(fm.aliases, vec!["/old/"]);
        assert_eq!(fm.template.as_deref(), Some("special.html"));
        assert_eq!(fm.weight, Some(3));
        assert_eq!(fm.taxonomies["tags"], vec!["rust", "web"]);
        assert_eq!(fm.taxonomies["categories"], vec!["Notes"]);
        assert_eq!(fm.taxonomies["series"], vec!["one", "two"]);
        assert_eq!(fm.extra["a"], 1);
        assert_eq!(fm.other["mood"], "happy");
    }

    #[test]
    fn toml_with_datetime_and_taxonomies_table() {
        let fm = parse(
            Format::Toml,
            "title = \"T\"\ndate = 2024-05-06T07:08:09Z\n[taxonomies]\ntags = [\"a\", \"b\"]\n",
            &["tags"],
        )
        .expect("parses");
        assert_eq!(fm.date.expect("date").to_rfc3339(), "2024-05-06T07:08:09Z");
        assert_eq!(fm.taxonomies["tags"], vec!["a", "b"]);
    }

    #[test]
    fn hugo_json_front_matter() {
        let text = "{\n  \"title\": \"Json\",\n  \"tags\": [\"a\", \"b\"],\n  \"draft\": true\n}\nBody {\n";
        let s = split(text).expect("split");
        assert_eq!(s.format, Some(Format::Json));
        assert_eq!(s.body, "Body {\n");
        assert_eq!(s.body_line, 6);
        let fm = parse(Format::Json, s.front_matter, &["tags"]).expect("parses");
        assert_eq!(fm.title.as_deref(), Some("Json"));
        assert_eq!(fm.taxonomies["tags"], vec!["a", "b"]);
        assert!(fm.draft);
        let (line, message) = split("{\n\"title\": \"x\"\n").expect_err("open");
        assert_eq!(line, 1);
        assert!(message.contains("never closed"), "{message}");
        let bad = split("\n{\n\"title\": \"x\",,\n}\n").expect("split");
        let (l, _, _) = parse(Format::Json, bad.front_matter, &[]).expect_err("bad json");
        assert_eq!(l + bad.front_matter_line - 1, 3, "the bad line of the file");
        // A `{` that opens no line of its own is body text.
        assert_eq!(split("{{< x >}}\n").expect("split").format, None);
    }

    #[test]
    fn a_layout_names_the_template() {
        let fm = yaml_fm("layout: post\n");
        assert_eq!(
            (fm.template.as_deref(), fm.template_key),
            (Some("post.html"), "layout")
        );
        assert_eq!(fm.other["layout"], "post");
        let fm = yaml_fm("layout: post\ntemplate: about.html\n");
        assert_eq!(
            (fm.template.as_deref(), fm.template_key),
            (Some("about.html"), "template")
        );
        assert_eq!(yaml_fm("layout: ~\n").template, None);
    }

    #[test]
    fn numeric_title_is_text() {
        assert_eq!(yaml_fm("title: 2024\n").title.as_deref(), Some("2024"));
    }

    #[test]
    fn bad_values_point_at_their_line() {
        for (text, line, needle) in [
            ("title: a\ndate: yesterday\n", 2, "not a date"),
            ("title: a\ndraft: maybe\n", 2, "boolean"),
            ("title: a\ntags: 5\n", 2, "list of names"),
            ("title: [unclosed\n", 1, ""),
        ] {
            let (l, _, message) = parse(Format::Yaml, text, &["tags"]).expect_err(text);
            assert_eq!(l, line, "{text}: {message}");
            assert!(message.contains(needle), "{text}: {message}");
        }
        let (l, _, _) =
            parse(Format::Toml, "title = \"a\"\ndate = \"soon\"\n", &[]).expect_err("bad date");
        assert_eq!(l, 2);
    }

    #[test]
    fn alias_bombs_fail_fast() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(parse(Format::Yaml, &text, &[]).is_err());
    }
}
