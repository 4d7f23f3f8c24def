//! From files to URLs: slugs, permalink patterns, and the checks that keep
//! every URL path inside the output directory.

use crate::content::date::Date;

/// A URL-safe slug: lowercase ASCII letters, digits and single dashes.
/// Letters from other scripts are transliterated (é → e, 日本 → ri-ben).
pub fn slugify(text: &str) -> String {
    let slug = slug::slugify(text);
    // Keep paths short enough for every filesystem (255 bytes a component).
    if slug.len() > 200 {
        let cut = slug[..200].trim_end_matches('-');
        return cut.to_string();
    }
    slug
}

/// The slug of a term (a tag, a category): like `slugify`, but `+` and a
/// `#` after a letter keep their meaning, so that `C`, `C++` and `C#` are
/// three terms (`c`, `c-plus-plus`, `c-sharp`), not one.
pub fn term_slug(name: &str) -> String {
    let mut spelled = String::with_capacity(name.len() + 8);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        match c {
            '+' => spelled.push_str(" plus "),
            '#' if previous.is_some_and(char::is_alphanumeric) => spelled.push_str(" sharp "),
            _ => spelled.push(c),
        }
        previous = Some(c);
    }
    slugify(&spelled)
}

/// Jekyll's built-in permalink styles, written as a whole pattern
/// (`posts = "pretty"`), and the patterns they stand for.
pub const STYLES: [(&str, &str); 5] = [
    ("date", "/:categories/:year/:month/:day/:title:output_ext"),
    ("pretty", "/:categories/:year/:month/:day/:title/"),
    ("ordinal", "/:categories/:year/:y_day/:title:output_ext"),
    (
        "weekdate",
        "/:categories/:year/W:week/:short_day/:title:output_ext",
    ),
    ("none", "/:categories/:title:output_ext"),
];

/// Every placeholder a permalink pattern may use: Jekyll's, Hugo's and
/// blog's own.
pub const PLACEHOLDERS: [&str; 23] = [
    ":year",
    ":month",
    ":day",
    ":i_month",
    ":i_day",
    ":short_year",
    ":y_day",
    ":week",
    ":short_day",
    ":hour",
    ":minute",
    ":second",
    ":title",
    ":slug",
    ":categories",
    ":slugified_categories",
    ":section",
    ":sections",
    ":filename",
    ":slugorfilename",
    ":contentbasename",
    ":slugorcontentbasename",
    ":output_ext",
];

/// Placeholders of which one must appear, so that pages get distinct URLs.
const NAMING: [&str; 6] = [
    ":title",
    ":slug",
    ":filename",
    ":slugorfilename",
    ":contentbasename",
    ":slugorcontentbasename",
];

/// What a page contributes to its permalink pattern.
#[derive(Debug, Clone, Copy)]
pub struct UrlParts<'a> {
    /// The section's URL path without slashes around it: `posts/rust`.
    pub section: &'a str,
    /// blog's slug: the `slug` front matter, else the file name without its
    /// date, slugified.
    pub slug: &'a str,
    /// Jekyll's `:title`: the `slug` front matter, else the file name
    /// without its date, in Jekyll's "pretty" slug (case and letters of
    /// every script kept).
    pub title: &'a str,
    /// The file name without extension (a bundle's folder name), slugified.
    pub filename: &'a str,
    /// Whether `slug` came from the front matter.
    pub has_slug: bool,
    /// The page's categories as written.
    pub categories: &'a [String],
    pub date: Option<&'a Date>,
}

/// A pattern from config.toml with a Jekyll style name replaced by the
/// pattern it stands for.
pub fn resolve_style(pattern: &str) -> &str {
    STYLES
        .iter()
        .find(|(name, _)| *name == pattern)
        .map_or(pattern, |(_, expanded)| expanded)
}

/// The placeholders in a pattern, in order, each with its byte range.
fn placeholders(pattern: &str) -> Vec<(usize, usize)> {
    let bytes = pattern.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            let end = bytes[i + 1..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric() && *b != b'_')
                .map_or(bytes.len(), |n| i + 1 + n);
            if end > i + 1 {
                found.push((i, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// The placeholders there are, for messages.
pub fn placeholder_list() -> String {
    PLACEHOLDERS.join(" ")
}

/// Whether `pattern` has a placeholder at all.
pub fn has_placeholders(pattern: &str) -> bool {
    !placeholders(pattern).is_empty()
}

/// The first placeholder in `pattern` that is none of `PLACEHOLDERS`.
pub fn unknown_placeholder(pattern: &str) -> Option<&str> {
    placeholders(pattern)
        .into_iter()
        .map(|(s, e)| &pattern[s..e])
        .find(|t| !PLACEHOLDERS.contains(t))
}

/// Checks a permalink pattern (or style name) from config.toml.
pub fn check_permalink_pattern(pattern: &str) -> Result<(), String> {
    let written = pattern;
    let pattern = resolve_style(pattern);
    if !pattern.starts_with('/') {
        return Err(format!(
            "`{written}` must start with `/` or be one of the styles {}",
            style_names()
        ));
    }
    for (start, end) in placeholders(pattern) {
        let token = &pattern[start..end];
        if !PLACEHOLDERS.contains(&token) {
            return Err(format!(
                "unknown placeholder `{token}` in `{written}`; the placeholders are {}",
                placeholder_list()
            ));
        }
    }
    if !NAMING.iter().any(|t| {
        placeholders(pattern)
            .iter()
            .any(|&(s, e)| &pattern[s..e] == *t)
    }) {
        return Err(format!(
            "`{written}` must contain :slug or :title (or :filename) so that pages get distinct URLs"
        ));
    }
    Ok(())
}

fn style_names() -> String {
    STYLES
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Jekyll's "pretty" slug, cased: runs of anything but letters, marks,
/// digits and `._~!$&'()+,;=@` become one `-`, with none at either end.
pub fn pretty_slug(text: &str) -> String {
    let keep = |c: char| c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.len() > 200 {
        let mut cut = 200;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

/// Expands a pattern (or style name) for one page into a URL path: a
/// directory like `/2024/03/slug/`, or, where the pattern ends in `.html`
/// or `:output_ext`, that exact file, like `/2024/03/slug.html`. Empty
/// values (a page without categories) leave no empty segment behind.
pub fn expand_permalink(pattern: &str, parts: &UrlParts) -> Result<String, String> {
    let written = pattern;
    let pattern = resolve_style(pattern);
    let mut path = String::with_capacity(pattern.len() + 32);
    let mut last = 0;
    for (start, end) in placeholders(pattern) {
        path.push_str(&pattern[last..start]);
        last = end;
        let token = &pattern[start..end];
        let value = placeholder_value(token, parts).ok_or_else(|| {
            format!("the permalink `{written}` needs a date and this page has none")
        })?;
        path.push_str(&value);
    }
    path.push_str(&pattern[last..]);
    // An empty value (no categories, the root section) leaves `//`.
    let mut collapsed = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    let path = collapsed;
    check_author_path(&path)
        .map_err(|why| format!("the permalink `{written}` gives `{path}`, which {why}"))
}

/// One placeholder's value for a page; `None` for a date placeholder on a
/// page without a date. Unknown placeholders (refused when the config is
/// read) expand to nothing.
fn placeholder_value(token: &str, parts: &UrlParts) -> Option<String> {
    let date = || parts.date.map(|d| d.datetime);
    Some(match token {
        ":year" => format!("{:04}", date()?.year()),
        ":month" => format!("{:02}", date()?.month()),
        ":day" => format!("{:02}", date()?.day()),
        ":i_month" => date()?.month().to_string(),
        ":i_day" => date()?.day().to_string(),
        ":short_year" => format!("{:02}", date()?.year().rem_euclid(100)),
        ":y_day" => format!("{:03}", date()?.day_of_year()),
        ":week" => format!("{:02}", date()?.date().iso_week_date().week()),
        ":short_day" => date()?.strftime("%a").to_string(),
        ":hour" => format!("{:02}", date()?.hour()),
        ":minute" => format!("{:02}", date()?.minute()),
        ":second" => format!("{:02}", date()?.second()),
        ":title" => parts.title.to_string(),
        ":slug" => parts.slug.to_string(),
        ":categories" => join_categories(parts.categories, |c| pretty_slug(&c.to_lowercase())),
        ":slugified_categories" => join_categories(parts.categories, slugify),
        ":section" | ":sections" => parts.section.to_string(),
        ":filename" | ":contentbasename" => parts.filename.to_string(),
        ":slugorfilename" | ":slugorcontentbasename" => {
            if parts.has_slug {
                parts.slug.to_string()
            } else {
                parts.filename.to_string()
            }
        }
        ":output_ext" => ".html".to_string(),
        _ => String::new(),
    })
}

/// Categories as path segments, in the order written, each once; those
/// that slugify to nothing are left out.
fn join_categories(categories: &[String], slug: impl Fn(&str) -> String) -> String {
    let mut seen: Vec<String> = Vec::new();
    for category in categories {
        let s = slug(category);
        if !s.is_empty() && !seen.contains(&s) {
            seen.push(s);
        }
    }
    seen.join("/")
}

/// Collapses repeated slashes and makes sure the path starts and ends with `/`.
pub fn normalize_dir_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

/// Checks a URL path written by the author (an alias) and returns it in
/// canonical form: a directory path (`/old/`) or a file path (`/old.html`).
/// Anything that could leave the output directory is refused.
pub fn check_author_path(path: &str) -> Result<String, String> {
    if path.contains('\0') {
        return Err("contains a NUL byte".into());
    }
    if path.contains("://") || path.starts_with("//") {
        return Err("is a full URL; write a path on this site like /old/path/".into());
    }
    if path.contains('\\') {
        return Err("contains a backslash; use `/`".into());
    }
    let decoded = percent_decode(path);
    let parts: Vec<&str> = decoded.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err("points at the site root".into());
    }
    for part in &parts {
        if *part == ".." || *part == "." {
            return Err("contains `.` or `..`; write the path from the site root".into());
        }
        if part.contains(['\\', ':', '*', '?', '"', '<', '>', '|'])
            || part.chars().any(char::is_control)
        {
            return Err(format!(
                "has a character that is not allowed in a file name in `{part}`"
            ));
        }
        if part.len() > 200 {
            return Err("has a path component longer than 200 bytes".into());
        }
    }
    let joined = parts.join("/");
    let is_file = !decoded.ends_with('/')
        && parts
            .last()
            .is_some_and(|last| last.ends_with(".html") || last.ends_with(".htm"));
    Ok(if is_file {
        format!("/{joined}")
    } else {
        format!("/{joined}/")
    })
}

fn percent_decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

/// The file an URL path is written to, relative to the output directory:
/// `/a/b/` → `a/b/index.html`, `/a.html` → `a.html`.
pub fn output_file(path: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_slugs_keep_plus_and_sharp() {
        for (name, slug) in [
            ("C", "c"),
            ("C++", "c-plus-plus"),
            ("C#", "c-sharp"),
            ("F#", "f-sharp"),
            ("Notepad++", "notepad-plus-plus"),
            ("#blessed", "blessed"),
            ("Rust", "rust"),
            ("Crème brûlée", "creme-brulee"),
            ("!!!", ""),
        ] {
            assert_eq!(term_slug(name), slug, "{name}");
        }
    }

    #[test]
    fn slugs_are_ascii_and_safe() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("Crème brûlée"), "creme-brulee");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert!(!slugify("日本語").is_empty());
        assert!(slugify(&"a".repeat(300)).len() <= 200);
    }

    fn parts<'a>(date: Option<&'a Date>, categories: &'a [String]) -> UrlParts<'a> {
        UrlParts {
            section: "posts",
            slug: "hello-world",
            title: "Hello-World",
            filename: "2020-01-02-hello-world",
            has_slug: false,
            categories,
            date,
        }
    }

    #[test]
    fn permalink_patterns() {
        assert!(check_permalink_pattern("/:year/:month/:slug/").is_ok());
        assert!(check_permalink_pattern("/:year/").is_err());
        assert!(check_permalink_pattern("/:yaer/:slug/").is_err());
        assert!(check_permalink_pattern(":slug").is_err());
        for style in ["date", "pretty", "ordinal", "weekdate", "none"] {
            assert!(check_permalink_pattern(style).is_ok(), "{style}");
        }
        assert!(check_permalink_pattern("/:title:output_ext").is_ok());
        assert!(check_permalink_pattern("/:filename/").is_ok());
        let date = Date::parse("2024-03-09").expect("valid");
        assert_eq!(
            expand_permalink("/:year/:month/:day/:slug", &parts(Some(&date), &[])).expect("ok"),
            "/2024/03/09/hello-world/"
        );
        assert!(expand_permalink("/:year/:slug/", &parts(None, &[])).is_err());
        let root = UrlParts {
            section: "",
            ..parts(None, &[])
        };
        assert_eq!(
            expand_permalink("/:section/:slug/", &root).expect("ok"),
            "/hello-world/"
        );
    }

    #[test]
    fn an_unknown_placeholder_is_named_with_the_ones_there_are() {
        let message = check_permalink_pattern("/:year/:titel/").expect_err("unknown");
        assert!(message.starts_with("unknown placeholder `:titel` in `/:year/:titel/`; the placeholders are :year :month :day :i_month"), "{message}");
        assert!(message.contains(":output_ext"), "{message}");
        assert_eq!(unknown_placeholder("/:i_day/:bogus:title/"), Some(":bogus"));
        assert_eq!(unknown_placeholder("/:i_day/:title/"), None);
    }

    #[test]
    fn every_placeholder_expands() {
        let date = Date::parse("2020-01-02T03:04:05").expect("valid");
        let categories = vec!["Rust".to_string(), "Web Dev".to_string()];
        let p = parts(Some(&date), &categories);
        for (pattern, expected) in [
            ("/:year/:slug/", "/2020/hello-world/"),
            ("/:month/:day/:slug/", "/01/02/hello-world/"),
            ("/:i_month/:i_day/:slug/", "/1/2/hello-world/"),
            ("/:short_year/:slug/", "/20/hello-world/"),
            ("/:y_day/:slug/", "/002/hello-world/"),
            ("/:week/:short_day/:slug/", "/01/Thu/hello-world/"),
            ("/:hour/:minute/:second/:slug/", "/03/04/05/hello-world/"),
            ("/:title/", "/Hello-World/"),
            ("/:categories/:slug/", "/rust/web-dev/hello-world/"),
            (
                "/:slugified_categories/:slug/",
                "/rust/web-dev/hello-world/",
            ),
            ("/:section/:slug/", "/posts/hello-world/"),
            ("/:sections/:slug/", "/posts/hello-world/"),
            ("/:filename/", "/2020-01-02-hello-world/"),
            ("/:contentbasename/", "/2020-01-02-hello-world/"),
            ("/:slugorfilename/", "/2020-01-02-hello-world/"),
            ("/:year/:title:output_ext", "/2020/Hello-World.html"),
            ("/:year/:title.html", "/2020/Hello-World.html"),
            ("/:year/:title", "/2020/Hello-World/"),
        ] {
            assert_eq!(
                expand_permalink(pattern, &p).expect(pattern),
                expected,
                "{pattern}"
            );
        }
        let with_slug = UrlParts {
            has_slug: true,
            ..p
        };
        assert_eq!(
            expand_permalink("/:slugorfilename/", &with_slug).expect("ok"),
            "/hello-world/"
        );
    }

    #[test]
    fn jekyll_styles_expand_as_jekyll_writes_them() {
        let date = Date::parse("2020-01-02").expect("valid");
        let categories = vec!["Rust".to_string()];
        let p = parts(Some(&date), &categories);
        for (style, expected) in [
            ("date", "/rust/2020/01/02/Hello-World.html"),
            ("pretty", "/rust/2020/01/02/Hello-World/"),
            ("ordinal", "/rust/2020/002/Hello-World.html"),
            ("weekdate", "/rust/2020/W01/Thu/Hello-World.html"),
            ("none", "/rust/Hello-World.html"),
        ] {
            assert_eq!(
                expand_permalink(style, &p).expect(style),
                expected,
                "{style}"
            );
        }
    }

    #[test]
    fn empty_categories_leave_no_empty_segment() {
        let date = Date::parse("2020-01-02").expect("valid");
        let p = parts(Some(&date), &[]);
        assert_eq!(
            expand_permalink("date", &p).expect("ok"),
            "/2020/01/02/Hello-World.html"
        );
        assert_eq!(
            expand_permalink("none", &p).expect("ok"),
            "/Hello-World.html"
        );
        // Categories with nothing to make a segment of, and one written twice.
        let odd = vec!["--".to_string(), "a".to_string(), "A".to_string()];
        let p = parts(Some(&date), &odd);
        assert_eq!(
            expand_permalink("pretty", &p).expect("ok"),
            "/a/2020/01/02/Hello-World/"
        );
    }

    #[test]
    fn unicode_titles_keep_their_letters_as_jekyll_does() {
        assert_eq!(pretty_slug("Hello, World!"), "Hello,-World!");
        assert_eq!(pretty_slug("日本語の記事"), "日本語の記事");
        assert_eq!(pretty_slug("Crème brûlée"), "Crème-brûlée");
        assert_eq!(pretty_slug("  a / b  "), "a-b");
        assert!(pretty_slug(&"é".repeat(300)).len() <= 200);
        let date = Date::parse("2020-01-02").expect("valid");
        let categories = vec!["Café".to_string()];
        let p = UrlParts {
            title: "日本語",
            ..parts(Some(&date), &categories)
        };
        assert_eq!(
            expand_permalink("date", &p).expect("ok"),
            "/café/2020/01/02/日本語.html"
        );
        assert_eq!(
            expand_permalink("/:slugified_categories/:title/", &p).expect("ok"),
            "/cafe/日本語/"
        );
    }

    #[test]
    fn a_title_of_dots_cannot_leave_the_output() {
        let p = UrlParts {
            title: "..",
            ..parts(None, &[])
        };
        assert!(expand_permalink("/:title/", &p).is_err());
    }

    #[test]
    fn author_paths_cannot_escape() {
        assert_eq!(check_author_path("/old/post").expect("ok"), "/old/post/");
        assert_eq!(check_author_path("old.html").expect("ok"), "/old.html");
        for bad in [
            "/../x",
            "/a/%2e%2e/b",
            "a\\b",
            "/",
            "https://x.org/a",
            "/a\0b",
            "/con:x/",
        ] {
            assert!(check_author_path(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn output_files() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/a/b/"), "a/b/index.html");
        assert_eq!(output_file("/a.html"), "a.html");
    }
}
