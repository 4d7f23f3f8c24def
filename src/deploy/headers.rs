//! The headers each deployed file is served with, and the globs that pick
//! files. pages, feeds, the sitemap and
//! The first matcher whose glob matches a file sets the headers it names,
//! and the defaults fill in the others. Defaults: pages, feeds, the sitemap and
//! `_redirects`/`_headers` are revalidated on every request, fingerprinted
//! CSS/JS (`style.<16 hex>.css`) are immutable for a year, anything else is
//! cached for an hour. Text types carry `charset=utf-8`.

use crate::config::deploy::MatcherConfig;

pub const REVALIDATE: &str = "public, max-age=0, must-revalidate";
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const HOUR: &str = "public, max-age=3600";

/// Whether `glob` matches the `/`-separated `path`: `*` and `?` within one
/// folder, `**` across folders (`**/x` also matches `x` at the top).
pub fn glob_matches(glob: &str, path: &str) -> bool {
    fn go(g: &[u8], p: &[u8]) -> bool {
        match g {
            [] => p.is_empty(),
            [b'*', b'*', b'/', rest @ ..] => {
                go(rest, p) || (0..p.len()).any(|i| p[i] == b'/' && go(rest, &p[i + 1..]))
            }
            [b'*', b'*', rest @ ..] => (0..=p.len()).any(|i| go(rest, &p[i..])),
            [b'*', rest @ ..] => (0..=p.len())
                .take_while(|&i| i == 0 || p[i - 1] != b'/')
                .any(|i| go(rest, &p[i..])),
            [b'?', rest @ ..] => p.first().is_some_and(|&c| c != b'/') && go(rest, &p[1..]),
            [c, rest @ ..] => p.first() == Some(c) && go(rest, &p[1..]),
        }
    }
    go(glob.trim_start_matches('/').as_bytes(), path.as_bytes())
}

/// `style.0123456789abcdef.css`: a name `blog build` gave a file by its content.
pub fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplitn(3, '.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    matches!(ext, "css" | "js" | "mjs")
        && !stem.is_empty()
        && hash.len() == 16
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Feeds, the sitemap and Netlify's files: what must be fresh on every visit
/// besides HTML.
pub fn is_index_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(name, "rss.xml" | "atom.xml" | "feed.json" | "sitemap.xml")
        || matches!(path, "_redirects" | "_headers")
}

pub fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

pub fn default_content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let base = match (name, ext.as_str()) {
        ("rss.xml", _) => "application/rss+xml",
        ("atom.xml", _) => "application/atom+xml",
        ("feed.json", _) => "application/feed+json",
        ("_redirects" | "_headers", _) => "text/plain",
        (_, "html" | "htm") => "text/html",
        (_, "js" | "mjs") => "text/javascript",
        (_, "xml") => "application/xml",
        (_, "") => "application/octet-stream",
        (_, ext) => mime_guess::from_ext(ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    let text = base.starts_with("text/")
        || base.ends_with("+xml")
        || base.ends_with("+json")
        || matches!(
            base,
            "application/xml" | "application/json" | "application/javascript"
        );
    if text {
        format!("{base}; charset=utf-8")
    } else {
        base.to_string()
    }
}

pub fn default_cache_control(path: &str) -> &'static str {
    if is_html(path) || is_index_file(path) {
        REVALIDATE
    } else if is_fingerprinted(path) {
        IMMUTABLE
    } else {
        HOUR
    }
}

/// (Content-Type, Cache-Control) for the file at `path` in the output.
pub fn for_path(path: &str, matchers: &[MatcherConfig]) -> (String, String) {
    let matcher = matchers.iter().find(|m| glob_matches(&m.glob, path));
    let content_type = matcher.and_then(|m| m.content_type.clone());
    let cache_control = matcher.and_then(|m| m.cache_control.clone());
    (
        content_type.unwrap_or_else(|| default_content_type(path)),
        cache_control.unwrap_or_else(|| default_cache_control(path).to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_within_and_across_folders() {
        assert!(glob_matches("*.html", "index.html"));
        assert!(!glob_matches("*.html", "posts/a/index.html"));
        assert!(glob_matches("**/*.html", "posts/a/index.html"));
        assert!(glob_matches("**/*.html", "index.html"));
        assert!(glob_matches("drafts/**", "drafts/a/b.png"));
        assert!(glob_matches("/img/?.png", "img/a.png"));
        assert!(!glob_matches("img/?.png", "img/ab.png"));
        assert!(glob_matches("fonts/*", "fonts/x.woff2"));
        assert!(!glob_matches("fonts/*", "fonts/sub/x.woff2"));
    }

    #[test]
    fn fingerprinted_names_are_sixteen_hex_digits_before_css_or_js() {
        assert!(is_fingerprinted("style.0123456789abcdef.css"));
        assert!(is_fingerprinted("js/app.min.0123456789abcdef.mjs"));
        assert!(!is_fingerprinted("style.css"));
        assert!(!is_fingerprinted("style.0123456789ABCDEF.css"));
        assert!(!is_fingerprinted("img/a.0123456789abcdef.png"));
        assert!(!is_fingerprinted(".0123456789abcdef.css"));
    }

    #[test]
    fn defaults_by_kind_of_file() {
        let none: &[MatcherConfig] = &[];
        let of = |p: &str| for_path(p, none);
        assert_eq!(
            of("posts/a/index.html"),
            ("text/html; charset=utf-8".into(), REVALIDATE.into())
        );
        assert_eq!(
            of("rss.xml"),
            (
                "application/rss+xml; charset=utf-8".into(),
                REVALIDATE.into()
            )
        );
        assert_eq!(
            of("tags/rust/atom.xml").0,
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            of("sitemap.xml"),
            ("application/xml; charset=utf-8".into(), REVALIDATE.into())
        );
        assert_eq!(
            of("_redirects"),
            ("text/plain; charset=utf-8".into(), REVALIDATE.into())
        );
        assert_eq!(
            of("style.0123456789abcdef.css"),
            ("text/css; charset=utf-8".into(), IMMUTABLE.into())
        );
        assert_eq!(
            of("style.css"),
            ("text/css; charset=utf-8".into(), HOUR.into())
        );
        assert_eq!(of("img/a.png"), ("image/png".into(), HOUR.into()));
        assert_eq!(of("img/a.svg").0, "image/svg+xml; charset=utf-8");
        assert_eq!(of("robots.txt").0, "text/plain; charset=utf-8");
        assert_eq!(of("CNAME").0, "application/octet-stream");
    }

    #[test]
    fn the_first_matching_matcher_wins_and_defaults_fill_in() {
        let matchers = vec![
            MatcherConfig {
                glob: "fonts/**".into(),
                cache_control: Some("public, max-age=604800".into()),
                content_type: None,
            },
            MatcherConfig {
                glob: "**/*.woff2".into(),
                cache_control: Some("no-store".into()),
                content_type: Some("font/woff2".into()),
            },
        ];
        assert_eq!(
            for_path("fonts/a.woff2", &matchers),
            (
                default_content_type("a.woff2"),
                "public, max-age=604800".into()
            )
        );
        assert_eq!(
            for_path("b.woff2", &matchers),
            ("font/woff2".into(), "no-store".into())
        );
        assert_eq!(for_path("index.html", &matchers).1, REVALIDATE);
    }
}
