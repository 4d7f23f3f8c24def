//! Filters and functions `blog` adds to tera for themes: `date`, `slugify`,
//! `urlencode`, `striptags`, `get_url(path=…)` for absolute links, and
//! `asset_url(path=…)` / `asset_integrity(path=…)` for static files by
//! their fingerprinted names (`output::assets`).

use std::sync::{Arc, RwLock};

use tera::{Kwargs, State, Tera, TeraResult};

use crate::config::Config;
use crate::content::url::slugify;
use crate::content::Date;
use crate::output::assets::Assets;

pub fn register(tera: &mut Tera, base_url: &str) {
    tera.register_filter(
        "date",
        |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
            formatted_date(value, format).map_err(tera::Error::message)
        },
    );
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        slugify(value)
    });
    tera.register_filter("urlencode", |value: &str, _: Kwargs, _: &State| {
        urlencode(value)
    });
    tera.register_filter("striptags", |value: &str, _: Kwargs, _: &State| {
        striptags(value)
    });
    tera.register_filter(
        "jsonld",
        |value: tera::Value, _: Kwargs, _: &State| -> TeraResult<tera::Value> {
            let json = serde_json::to_value(&value).map_err(tera::Error::message)?;
            Ok(tera::Value::safe_string(&jsonld(json)))
        },
    );
    let base = base_url.to_string();
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            if path.contains("://") {
                return Ok(path.to_string());
            }
            Ok(format!("{}/{}", base, path.trim_start_matches('/')))
        },
    );
}

/// The static files of the build being rendered, shared with the
/// `asset_url` and `asset_integrity` functions; set before each render.
#[derive(Clone, Default)]
pub struct SharedAssets(Arc<RwLock<Arc<Assets>>>);

impl SharedAssets {
    pub fn get(&self) -> Arc<Assets> {
        match self.0.read() {
            Ok(assets) => Arc::clone(&assets),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub fn set(&self, assets: Assets) {
        match self.0.write() {
            Ok(mut slot) => *slot = Arc::new(assets),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(assets),
        }
    }
}

pub fn register_assets(tera: &mut Tera, config: &Config, assets: &SharedAssets) {
    let (shared, config) = (assets.clone(), config.clone());
    tera.register_function(
        "asset_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let relative = kwargs.get::<bool>("relative")?.unwrap_or(false);
            shared
                .get()
                .url(&config, path, relative)
                .map_err(tera::Error::message)
        },
    );
    let shared = assets.clone();
    tera.register_function(
        "asset_integrity",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            shared.get().integrity(path).map_err(tera::Error::message)
        },
    );
}

/// A value as the JSON of a `<script type="application/ld+json">`: null
/// and empty members left out (an undated page has no `datePublished`), and
/// `<`, `>` and `&` escaped so that no title can close the script.
pub fn jsonld(value: serde_json::Value) -> String {
    fn prune(value: serde_json::Value) -> Option<serde_json::Value> {
        use serde_json::Value;
        match value {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            Value::Array(items) => {
                let items: Vec<Value> = items.into_iter().filter_map(prune).collect();
                (!items.is_empty()).then_some(Value::Array(items))
            }
            Value::Object(map) => {
                let map: serde_json::Map<String, Value> = map
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, prune(v)?)))
                    .collect();
                // An object left with its `@type` alone says nothing.
                map.keys()
                    .any(|k| k != "@type")
                    .then_some(Value::Object(map))
            }
            other => Some(other),
        }
    }
    let text = prune(value)
        .map(|v| v.to_string())
        .unwrap_or_else(|| "{}".into());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The `date` filter: `value` read as a date and written with `format`.
/// A post's date is shown in every list it is in, and reading and writing
/// it each time was 1.4% of a cold build's instructions, so each thread
/// keeps what it wrote, by format and text. Forgotten at `MAX_DATES`, so
/// it never grows with the site; errors are not kept.
fn formatted_date(value: &str, format: &str) -> Result<String, String> {
    const MAX_DATES: usize = 8192;
    #[derive(Default)]
    struct Made {
        by_format: std::collections::HashMap<String, std::collections::HashMap<String, String>>,
        count: usize,
    }
    thread_local! {
        static MADE: std::cell::RefCell<Made> = std::cell::RefCell::default();
    }
    MADE.with(|made| {
        let mut made = made.borrow_mut();
        if let Some(text) = made.by_format.get(format).and_then(|m| m.get(value)) {
            return Ok(text.clone());
        }
        let text = Date::parse(value)?.format(format)?;
        if made.count >= MAX_DATES {
            *made = Made::default();
        }
        made.count += 1;
        made.by_format
            .entry(format.to_string())
            .or_default()
            .insert(value.to_string(), text.clone());
        Ok(text)
    })
}

/// Percent-encodes everything but RFC 3986's unreserved characters and `/`.
pub fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The text of some HTML: tags dropped, entities decoded, so that printing
/// it escapes it once (`&amp;` in a summary is `&` in a description, not
/// `&amp;amp;`).
pub fn striptags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    html_escape::decode_html_entities(out.trim()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_filter_gives_what_it_gave_and_keeps_no_error() {
        for round in 0..2 {
            assert_eq!(
                formatted_date("2024-03-01T09:30:00Z", "%B %-d, %Y").as_deref(),
                Ok("March 1, 2024"),
                "round {round}"
            );
            // The same text in another format is written afresh.
            assert_eq!(
                formatted_date("2024-03-01T09:30:00Z", "%Y/%m").as_deref(),
                Ok("2024/03"),
                "round {round}"
            );
            let bad = formatted_date("not a date", "%Y").expect_err("an error");
            assert!(bad.contains("not a date"), "{bad}");
        }
        // Past the limit the dates are forgotten, and still right.
        for day in 1..=28 {
            for month in 1..=12 {
                for year in 2000..2030 {
                    let value = format!("{year}-{month:02}-{day:02}");
                    let text = formatted_date(&value, "%Y%m%d").expect("date");
                    assert_eq!(text, value.replace('-', ""));
                }
            }
        }
        assert_eq!(
            formatted_date("2024-03-01T09:30:00Z", "%B %-d, %Y").as_deref(),
            Ok("March 1, 2024")
        );
    }

    #[test]
    fn urlencode_and_striptags() {
        assert_eq!(urlencode("a b/é?"), "a%20b/%C3%A9%3F");
        assert_eq!(
            striptags("<p>Hello <em>you</em> &amp; me &lt;3 &quot;x&quot; &eacute;t&eacute;&nbsp;&#8212;</p>"),
            "Hello you & me <3 \"x\" été\u{a0}—"
        );
    }

    #[test]
    fn filters_work_in_templates() {
        let mut tera = Tera::new();
        register(&mut tera, "https://x.org");
        tera.add_raw_template(
            "t.html",
            "{{ d | date(format=\"%d %b %Y\") }}|{{ \"Hé llo\" | slugify }}|{{ get_url(path=\"/a/\") }}|{{ \"<p>a &amp; b</p>\" | striptags }}",
        )
        .expect("template parses");
        let mut ctx = tera::Context::new();
        ctx.insert("d", "2024-03-01T10:00:00Z");
        assert_eq!(
            tera.render("t.html", &ctx).expect("renders"),
            "01 Mar 2024|he-llo|https://x.org/a/|a &amp; b"
        );
    }
}
