//! An imported file's front matter in `blog`'s own keys, written as TOML
//! between `+++` lines: what the page says in the source generator's terms
//! (`published: false`, `category`, `redirect_from`, `layout`, `url`, …)
//! becomes what `blog` reads natively, and every other key is kept under
//! `[extra]`, so nothing the author wrote is lost.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Config;
use crate::content::date::Date;
use crate::content::front_matter::FrontMatter;

/// Keys the source generators use that `from_meta` turns into `blog`'s own
/// (or that a dialect already applied to the body), and so not kept as
/// they were.
const CONSUMED: [&str; 13] = [
    "redirect_to",
    "published",
    "category",
    "redirect_from",
    "permalink",
    "url",
    "path",
    "layout",
    "template",
    "excerpt_separator",
    "render",
    "in_search_index",
    "summary",
];

#[derive(Debug, Default, Clone, Serialize)]
pub struct Native {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "publishDate")]
    pub publish_date: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "expiryDate")]
    pub expiry_date: Option<toml::Value>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The page's own URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    /// Where the page sends its readers instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_search_index: Option<bool>,
    /// A section's order and page size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paginate: Option<usize>,
    /// Terms per taxonomy of the site.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    #[serde(skip_serializing_if = "toml::Table::is_empty")]
    pub extra: toml::Table,
}

impl Native {
    /// `meta` in blog's keys, and the keys left behind with why: (key, message).
    pub fn from_meta(meta: &FrontMatter, config: &Config) -> (Native, Vec<(String, String)>) {
        let mut dropped = Vec::new();
        let mut native = Native {
            title: meta.title.clone(),
            date: meta.date.as_ref().map(date_value),
            updated: meta.updated.as_ref().map(date_value),
            publish_date: meta.publish_date.as_ref().map(date_value),
            expiry_date: meta.expiry_date.as_ref().map(date_value),
            draft: meta.draft,
            description: meta.description.clone(),
            slug: meta.slug.clone(),
            path: crate::site::URL_KEYS
                .iter()
                .find_map(|k| meta.other.get(*k))
                .and_then(|v| v.as_str().map(str::to_string)),
            aliases: meta.aliases.clone(),
            weight: meta.weight,
            redirect_to: match meta.other.get("redirect_to") {
                Some(serde_json::Value::String(one)) => Some(one.clone()),
                Some(serde_json::Value::Array(many)) => {
                    many.first().and_then(|v| v.as_str()).map(str::to_string)
                }
                _ => None,
            },
            render: meta.other.get("render").and_then(|v| v.as_bool()),
            in_search_index: meta.search_excluded.then_some(false),
            sort_by: meta.sort_by.clone(),
            paginate: meta.paginate,
            ..Native::default()
        };
        for (name, terms) in &meta.taxonomies {
            if terms.is_empty() {
                continue;
            }
            if config.taxonomies.iter().any(|t| &t.name == name) {
                native.taxonomies.insert(name.clone(), terms.clone());
            } else {
                native.extra.insert(
                    name.clone(),
                    toml::Value::Array(terms.iter().cloned().map(toml::Value::String).collect()),
                );
            }
        }
        if let Some(template) = &meta.template {
            dropped.push((
                meta.template_key.to_string(),
                format!(
                    "the {} `{}` is not kept: the site is built with blog's theme (page.html and section.html); add a template to templates/ and set `template` to use another",
                    meta.template_key,
                    template.trim_end_matches(".html")
                ),
            ));
        }
        if let serde_json::Value::Object(extra) = &meta.extra {
            for (key, value) in extra {
                if let Some(v) = super::toml_value(value) {
                    native.extra.insert(key.clone(), v);
                }
            }
        }
        for (key, value) in &meta.other {
            if CONSUMED.contains(&key.as_str()) {
                continue;
            }
            if let Some(v) = super::toml_value(value) {
                native.extra.entry(key.clone()).or_insert(v);
            }
        }
        (native, dropped)
    }
}

/// A date as TOML writes one: a datetime with its offset as written, or
/// without one when the author wrote none; a plain date when it has no time.
fn date_value(date: &Date) -> toml::Value {
    let dt = date.datetime;
    let text = if dt.time() == jiff::civil::Time::midnight() && date.offset.is_none() {
        dt.strftime("%Y-%m-%d").to_string()
    } else {
        match date.offset {
            None => dt.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
            Some(_) => date.to_rfc3339(),
        }
    };
    match text.parse::<toml::value::Datetime>() {
        Ok(datetime) => toml::Value::Datetime(datetime),
        Err(_) => toml::Value::String(text),
    }
}

/// The file: front matter between `+++` lines, then the body.
pub fn render(native: &Native, body: &str) -> String {
    let table = toml::to_string(native).unwrap_or_default();
    let body = body.strip_prefix('\n').unwrap_or(body);
    format!("+++\n{table}+++\n\n{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::{parse, Format};

    #[test]
    fn source_keys_become_blog_keys_and_the_rest_is_kept_under_extra() {
        let meta = parse(
            Format::Yaml,
            "title: \"A \\\"quoted\\\" title\"\ndate: 2021-03-01 22:10:09 -0500\nlayout: post\ntags: [a, b]\nseries: [one]\ncomments: true\nauthor:\n  name: Ann\npermalink: /old/x.html\n",
            &["tags", "categories"],
        )
        .expect("parses");
        let (native, dropped) = Native::from_meta(&meta, &Config::default());
        assert_eq!(dropped.len(), 1);
        assert!(dropped[0].1.contains("the layout `post`"), "{dropped:?}");
        let text = render(&native, "Body.\n");
        assert!(
            text.starts_with("+++\ntitle = 'A \"quoted\" title'\n"),
            "{text}"
        );
        assert!(
            text.contains("date = 2021-03-01T22:10:09-05:00\n"),
            "{text}"
        );
        assert!(text.contains("path = \"/old/x.html\"\n"), "{text}");
        assert!(text.contains("[taxonomies]\ntags = ["), "{text}");
        assert!(
            text.contains("[extra]\ncomments = true\nseries = [\"one\"]\n"),
            "{text}"
        );
        assert!(text.contains("[extra.author]\nname = \"Ann\""), "{text}");
        assert!(text.ends_with("+++\n\nBody.\n"), "{text}");
        // And it reads back as what it says.
        let split = crate::content::front_matter::split(&text).expect("splits");
        let back = parse(Format::Toml, split.front_matter, &["tags", "categories"]).expect("reads");
        assert_eq!(back.title.as_deref(), Some("A \"quoted\" title"));
        assert_eq!(back.date, meta.date);
        assert_eq!(back.taxonomies["tags"], vec!["a", "b"]);
    }

    #[test]
    fn dates_keep_what_the_author_wrote() {
        let get = |text: &str| date_value(&Date::parse(text).expect("date")).to_string();
        assert_eq!(get("2020-01-02"), "2020-01-02");
        assert_eq!(get("2020-01-02 10:30:00"), "2020-01-02T10:30:00");
        assert_eq!(
            get("2020-01-02T10:30:00+01:00"),
            "2020-01-02T10:30:00+01:00"
        );
    }
}
