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

const TOKENS: [&str; 5] = [":year", ":month", ":day", ":slug", ":section"];

/// Checks a permalink pattern from config.toml.
pub fn check_permalink_pattern(pattern: &str) -> Result<(), String> {
    if !pattern.starts_with('/') {
        return Err(format!("`{pattern}` must start with `/`"));
    }
    if !pattern.contains(":slug") {
        return Err(format!(
            "`{pattern}` must contain :slug so that pages get distinct URLs"
        ));
    }
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        let token_len = rest[i + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .map_or(rest.len() - i, |n| n + 1);
        let token = &rest[i..i + token_len];
        if !TOKENS.contains(&token) {
            return Err(format!("unknown token `{token}` in `{pattern}`"));
        }
        rest = &rest[i + token_len..];
    }
    Ok(())
}

/// Expands a checked pattern for one page into a path like `/2024/03/slug/`.
pub fn expand_permalink(
    pattern: &str,
    section: &str,
    slug: &str,
    date: Option<&Date>,
) -> Result<String, String> {
    let needs_date = [":year", ":month", ":day"]
        .iter()
        .any(|t| pattern.contains(t));
    let mut path = pattern.to_string();
    if needs_date {
        let date = date.ok_or_else(|| {
            format!("the permalink `{pattern}` needs a date and this page has none")
        })?;
        let dt = date.datetime;
        path = path
            .replace(":year", &format!("{:04}", dt.year()))
            .replace(":month", &format!("{:02}", dt.month()))
            .replace(":day", &format!("{:02}", dt.day()));
    }
    path = path.replace(":section", section).replace(":slug", slug);
    Ok(normalize_dir_path(&path))
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

    #[test]
    fn permalink_patterns() {
        assert!(check_permalink_pattern("/:year/:month/:slug/").is_ok());
        assert!(check_permalink_pattern("/:year/").is_err());
        assert!(check_permalink_pattern("/:yaer/:slug/").is_err());
        assert!(check_permalink_pattern(":slug").is_err());
        let date = Date::parse("2024-03-09").expect("valid");
        assert_eq!(
            expand_permalink("/:year/:month/:day/:slug", "posts", "x", Some(&date)).expect("ok"),
            "/2024/03/09/x/"
        );
        assert!(expand_permalink("/:year/:slug/", "posts", "x", None).is_err());
        assert_eq!(
            expand_permalink("/:section/:slug/", "", "x", None).expect("ok"),
            "/x/"
        );
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
