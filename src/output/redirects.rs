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
/// paths a browser asks for.
pub fn netlify_redirects(site: &Site, config: &Config, existing: Option<&str>) -> String {
    let prefix = config.base_path();
    let mut out = String::new();
    if let Some(existing) = existing {
        out.push_str(existing);
        if !existing.ends_with('\n') {
            out.push('\n');
        }
    }
    for alias in &site.aliases {
        out.push_str(&format!(
            "{prefix}{}  {prefix}{}  301\n",
            alias.path, site.pages[alias.target].path
        ));
    }
    for page in &site.pages {
        if let Some(to) = crate::site::redirect_to(page, config) {
            out.push_str(&format!("{prefix}{}  {to}  301\n", page.path));
        }
    }
    out
}

pub fn target_url(site: &Site, config: &Config, target: usize) -> String {
    config.permalink(&site.pages[target].path)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(&mut out), text);
    out
}
