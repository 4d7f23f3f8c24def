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
            if let Some(text) = jsonld_of(&value) {
                return Ok(tera::Value::safe_string(&text));
            }
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
    script_safe(text.into_bytes())
}

/// `jsonld` written straight from the template's value, without making a
/// `serde_json::Value` of it first, pruning as it writes: the same text,
/// for under half the instructions (every page's head has one). `None` for
/// what only the general path handles: a key that is not a string, a
/// 128-bit number, bytes.
fn jsonld_of(value: &tera::Value) -> Option<String> {
    let mut out = Vec::with_capacity(512);
    if !write_pruned(value, &mut out)? {
        out.clear();
        out.extend_from_slice(b"{}");
    }
    Some(script_safe(out))
}

/// Writes `value` as JSON with nulls, empty strings, empty arrays and
/// objects with nothing but `@type` left out, keys sorted (as
/// `serde_json::Map` holds them); `Some(false)` when nothing was left.
fn write_pruned(value: &tera::Value, out: &mut Vec<u8>) -> Option<bool> {
    use tera::value::ValueKind;
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => Some(false),
        ValueKind::Bool => {
            out.extend_from_slice(if value.as_bool()? { b"true" } else { b"false" });
            Some(true)
        }
        ValueKind::U64 => Some(json(out, &value.as_u64()?)),
        ValueKind::I64 => Some(json(out, &value.as_i64()?)),
        // serde_json makes null of a number that is not finite.
        ValueKind::F64 => {
            let f = value.as_f64()?;
            Some(f.is_finite() && json(out, &f))
        }
        ValueKind::String => {
            let s = value.as_str()?;
            Some(!s.is_empty() && json(out, s))
        }
        ValueKind::Array => {
            let mark = out.len();
            out.push(b'[');
            let mut any = false;
            for item in value.as_array()? {
                let at = out.len();
                if any {
                    out.push(b',');
                }
                match write_pruned(item, out)? {
                    true => any = true,
                    false => out.truncate(at),
                }
            }
            out.push(b']');
            if !any {
                out.truncate(mark);
            }
            Some(any)
        }
        ValueKind::Map => {
            let map = value.as_map()?;
            let mut members: Vec<(&str, &tera::Value)> = Vec::with_capacity(map.len());
            for (key, member) in map {
                members.push((key.as_str()?, member));
            }
            members.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mark = out.len();
            out.push(b'{');
            let (mut any, mut beyond_type) = (false, false);
            for (key, member) in members {
                let at = out.len();
                if any {
                    out.push(b',');
                }
                json(out, key);
                out.push(b':');
                match write_pruned(member, out)? {
                    true => {
                        any = true;
                        beyond_type |= key != "@type";
                    }
                    false => out.truncate(at),
                }
            }
            out.push(b'}');
            // An object left with its `@type` alone says nothing.
            if !beyond_type {
                out.truncate(mark);
            }
            Some(beyond_type)
        }
        _ => None,
    }
}

/// A scalar as serde_json writes it (its number formats, its escapes).
fn json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> bool {
    serde_json::to_writer(out, value).is_ok()
}

/// JSON text made safe inside `<script>`: `<`, `>` and `&` (so that no
/// title can close the script) and the two line separators JavaScript once
/// did not allow in strings, as `\u` escapes, in one pass.
fn script_safe(json: Vec<u8>) -> String {
    // The next byte that may need escaping: `<`, `>`, `&`, or the first
    // byte of U+2028 and U+2029 (also of other characters, such as the `…`
    // of a cut description, which are copied as they are).
    let next = |bytes: &[u8]| {
        let marks = memchr::memchr3(b'<', b'>', b'&', bytes);
        let wide = memchr::memchr(0xE2, &bytes[..marks.unwrap_or(bytes.len())]);
        wide.or(marks)
    };
    let Some(first) = next(&json) else {
        return String::from_utf8(json).unwrap_or_default();
    };
    let mut out = Vec::with_capacity(json.len() + 32);
    let mut rest = &json[..];
    let mut at = first;
    loop {
        out.extend_from_slice(&rest[..at]);
        rest = &rest[at..];
        let (escape, len): (&[u8], usize) = match rest.first() {
            None => break,
            Some(b'<') => (b"\\u003c", 1),
            Some(b'>') => (b"\\u003e", 1),
            Some(b'&') => (b"\\u0026", 1),
            _ if rest.starts_with("\u{2028}".as_bytes()) => (b"\\u2028", 3),
            _ if rest.starts_with("\u{2029}".as_bytes()) => (b"\\u2029", 3),
            Some(_) => (&rest[..1], 1),
        };
        out.extend_from_slice(escape);
        rest = &rest[len..];
        at = next(rest).unwrap_or(rest.len());
    }
    String::from_utf8(out).unwrap_or_default()
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
    fn jsonld_written_straight_is_what_serde_json_wrote() {
        use serde_json::json;
        let cases = [
            json!({"@context": "https://schema.org", "@type": "BlogPosting",
                   "headline": "A </script> & \"quoted\" \\ title\u{2028}next\u{2029}é\u{1} it’s… done",
                   "url": "https://example.org/a/", "datePublished": null, "dateModified": "",
                   "image": "", "author": {"@type": "Person", "name": ""},
                   "publisher": {"@type": "Organization", "name": "Site"},
                   "keywords": ["a", "", null, ["", null], {"@type": "Thing"}, "b"],
                   "numbers": [0, -1, 18446744073709551615u64, -9223372036854775808i64,
                               1.5, 100.0, 1e20, -0.0, 0.1, 1e-7],
                   "flags": [true, false], "nested": {"deep": {"deeper": {"x": 1}}}}),
            json!({"@type": "Only"}),
            json!({}),
            json!([]),
            json!([null, ""]),
            json!(null),
            json!("plain <b>"),
            json!(42),
            json!({"z": 1, "a": 2, "M": 3, "@id": 4, "_": 5, "ä": 6, "10": 7, "9": 8}),
        ];
        for case in cases {
            let value = tera::Value::from_serializable(&case);
            let fast = jsonld_of(&value).expect("the fast path takes it");
            let general = jsonld(serde_json::to_value(&value).expect("json"));
            assert_eq!(fast, general, "{case}");
            // Still JSON, and nothing in it can close the script.
            let back: serde_json::Value = serde_json::from_str(&fast).expect("parses");
            assert!(!fast.contains('<') && !fast.contains('>') && !fast.contains('&'));
            assert!(!fast.contains('\u{2028}') && !fast.contains('\u{2029}'));
            if case.get("headline").is_some() {
                assert_eq!(back["headline"], case["headline"]);
                assert!(back.get("datePublished").is_none() && back.get("author").is_none());
                assert_eq!(back["keywords"], json!(["a", "b"]));
            }
        }
        // A number that is not finite is null to serde_json, and left out.
        let nan = tera::Value::from_serializable(&vec![f64::NAN, 1.0]);
        assert_eq!(jsonld_of(&nan).as_deref(), Some("[1.0]"));
        // What only the general path writes.
        assert_eq!(jsonld_of(&tera::Value::from(u128::MAX)), None);
    }

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
