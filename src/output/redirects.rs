//! Alias redirects: a small HTML page at each old URL (works on any static
//! host) and the same redirects as lines of Netlify's `_redirects` file.

use crate::config::Config;
use crate::site::Site;

pub fn alias_page(target_url: &str) -> String {
    let url = escape(target_url);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n\
         <link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{url}\">{url}</a>.</p>\n</body>\n</html>\n"
    )
}

/// `_redirects` lines, after any the site's own static/_redirects has.
/// Both sides carry the base URL's path prefix (`/babysteps/old/`), the
/// paths a browser asks for. Every rule is forced (`301!`): the redirect
/// page is a file at the same path, and Netlify serves a file that exists
/// rather than apply an unforced rule (its "shadowing").
pub fn netlify_redirects(site: &Site, config: &Config, existing: Option<&str>) -> String {
    let prefix = config.base_path();
    let mut out = super::authors_lines_first(existing);
    for alias in &site.aliases {
        out.push_str(&format!(
            "{}  {}  301!\n",
            encoded(&format!("{prefix}{}", alias.path)),
            encoded(&format!("{prefix}{}", site.pages[alias.target].path))
        ));
    }
    for page in &site.pages {
        if let Some(to) = crate::site::redirect_to(page, config) {
            out.push_str(&format!(
                "{}  {}  301!\n",
                encoded(&format!("{prefix}{}", page.path)),
                encoded(&to)
            ));
        }
    }
    out
}

/// Every redirect page as (output file, where it sends a browser): a path
/// with the base URL's prefix for a page of the site, else the URL as
/// written. The same redirects as `netlify_redirects`, for hosts that
/// redirect by an object's metadata (S3's website redirect location).
pub fn redirect_files(site: &Site, config: &Config) -> Vec<(String, String)> {
    let prefix = config.base_path();
    let local = |url: String| match url.strip_prefix(config.origin()) {
        Some(path) if path.starts_with('/') => path.to_string(),
        _ => url,
    };
    let mut out: Vec<(String, String)> = site
        .aliases
        .iter()
        .map(|alias| {
            (
                crate::content::url::output_file(&alias.path),
                format!("{prefix}{}", site.pages[alias.target].path),
            )
        })
        .collect();
    for page in &site.pages {
        if let Some(to) = crate::site::redirect_to(page, config) {
            out.push((crate::content::url::output_file(&page.path), local(to)));
        }
    }
    out
}

/// What Netlify asks of a path in `_redirects`: URL-encoded, so that a
/// space does not split the line and `é` matches the request for `%C3%A9`.
/// A `%` already there is kept: the author may have written it encoded.
fn encoded(path: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    const IN_REDIRECTS: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    utf8_percent_encode(path, IN_REDIRECTS).to_string()
}

pub fn target_url(site: &Site, config: &Config, target: usize) -> String {
    config.permalink(&site.pages[target].path)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(&mut out), text);
    out
}
