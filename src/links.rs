//! Link checking. Every link and image the content has is resolved the way a
//! browser would, from the page's URL, and looked up among the files the
//! build makes: a link to nothing, or to an id the target page does not
//! have, is reported at the link's line and column. `blog build` warns of
//! broken links and anchors (and fails on them with `--strict`); `blog
//! check` reports them as errors, with missing images and, with
//! `--external`, every external URL that fails, each fetched once. Links to
//! the site's own base URL (by http or https, or root-relative under its
//! path prefix) are internal.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use percent_encoding::percent_decode_str;

use crate::config::Config;
use crate::content::load::CONTENT_DIR;
use crate::content::page::SourceLink;
use crate::content::PageId;
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// What a link destination points at.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A path of this site (starting with `/`, percent-decoded), and the
    /// fragment after `#`, if any.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// An `http(s)` URL elsewhere.
    External(String),
    /// `mailto:`, `tel:`, `data:` and other schemes: nothing to check.
    Other,
}

/// Resolves `url`, written on the page at `page_url` (like `/posts/a/`),
/// against the site's own base URLs.
pub fn resolve(url: &str, page_url: &str, own_urls: &[&str]) -> Target {
    let url = url.trim();
    if url.is_empty() {
        return Target::Other;
    }
    if let Some(rest) = url.strip_prefix("//") {
        if let Some(rest) = own_urls.iter().find_map(|base| strip_own(url, base)) {
            return internal(if rest.is_empty() { "/" } else { rest }, page_url);
        }
        return Target::External(format!("https://{rest}"));
    }
    let relative = if has_scheme(url) {
        let own = own_urls.iter().find_map(|base| strip_own(url, base));
        match own {
            Some(rest) if rest.starts_with('/') => rest,
            Some(rest) => return internal(&format!("/{rest}"), "/"),
            None if starts_with_ignore_case(url, "http://")
                || starts_with_ignore_case(url, "https://") =>
            {
                return Target::External(url.to_string())
            }
            None => return Target::Other,
        }
    } else {
        url
    };
    internal(relative, page_url)
}

/// What follows the site's own `base` in `url` (`""`, `/x/`, `?q`, `#id`),
/// whether `url` names it by http, https or protocol-relative, as sites
/// that moved to https still link to themselves by http.
fn strip_own<'u>(url: &'u str, base: &str) -> Option<&'u str> {
    let after_scheme = |text: &'u str| -> Option<&'u str> {
        if let Some(rest) = text.strip_prefix("//") {
            return Some(rest);
        }
        ["http://", "https://"]
            .iter()
            .find_map(|scheme| strip_prefix_ignore_case(text, scheme))
    };
    let base = after_scheme_of(base);
    let rest = strip_prefix_ignore_case(after_scheme(url)?, base)?;
    (rest.is_empty() || rest.starts_with(['/', '?', '#'])).then_some(rest)
}

fn after_scheme_of(base: &str) -> &str {
    base.split_once("://").map_or(base, |(_, rest)| rest)
}

/// `path` without the path prefix of one of the site's base URLs
/// (`/babysteps/2021/post/` for `https://example.org/babysteps`): the
/// address the published site has, written root-relative.
fn without_site_prefix(path: &str, own_urls: &[&str]) -> Option<String> {
    own_urls.iter().find_map(|base| {
        let host_and_path = after_scheme_of(base);
        let prefix = &host_and_path[host_and_path.find('/')?..];
        let prefix = prefix.trim_end_matches('/');
        let rest = path.strip_prefix(prefix).filter(|_| !prefix.is_empty())?;
        match rest {
            "" => Some("/".to_string()),
            r if r.starts_with('/') => Some(r.to_string()),
            _ => None,
        }
    })
}

fn internal(relative: &str, page_url: &str) -> Target {
    let (before_fragment, fragment) = match relative.split_once('#') {
        Some((b, f)) => (b, Some(decode(f))),
        None => (relative, None),
    };
    let path = before_fragment.split('?').next().unwrap_or("");
    let joined = if path.is_empty() {
        page_url.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{path}")
    };
    Target::Internal {
        path: normalize(&joined),
        fragment: fragment.filter(|f| !f.is_empty()),
    }
}

/// Removes `.` and `..` segments (never above the root, as browsers do)
/// and percent-decodes, keeping a trailing slash.
fn normalize(path: &str) -> String {
    // An encoded `/` stays encoded: it is part of a name, not a separator.
    let segments: Vec<String> = path
        .split('/')
        .map(|s| {
            let d = decode(s);
            if d.contains('/') {
                s.to_string()
            } else {
                d
            }
        })
        .collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    format!("/{}", without_dot_segments(&segments).join("/"))
}

/// The segments of a `/`-separated path with `.`, `..` and empty ones
/// resolved as a browser does (never above the root); a last `.` or `..`
/// leaves an empty segment, for the trailing slash.
fn without_dot_segments<'s>(segments: &[&'s str]) -> Vec<&'s str> {
    let mut parts = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            ".." => {
                parts.pop();
                if last {
                    parts.push("");
                }
            }
            "" | "." if !last => {}
            "." => parts.push(""),
            s => parts.push(s),
        }
    }
    parts
}

/// A link to a markdown file of content/, which the site model turns into
/// the URL of the page or section that file makes: `other.md` and
/// `../notes/b.md` from the linking file's folder, `/posts/b.md` or
/// `/content/posts/b.md` from content/, and Zola's `@/posts/b.md`. Returns
/// the file as `normalize` writes it (`/content/posts/b.md`) and the
/// fragment after `#`.
pub fn markdown_file(url: &str, from: &Path) -> Option<(String, Option<String>)> {
    let url = url.trim();
    let (before, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment.to_string())),
        None => (url, None),
    };
    let path = before.split('?').next()?;
    let is_markdown = path.ends_with(".md") || path.ends_with(".markdown");
    if !is_markdown || has_scheme(path) || path.starts_with("//") {
        return None;
    }
    let from_content = path.strip_prefix("@/").or_else(|| path.strip_prefix('/'));
    let wanted = match from_content {
        Some(rest) => {
            let rest = rest
                .strip_prefix(&format!("{CONTENT_DIR}/"))
                .unwrap_or(rest);
            format!("{CONTENT_DIR}/{rest}")
        }
        None => format!("{}/{path}", from.parent()?.to_string_lossy()),
    };
    Some((normalize(&wanted), fragment))
}

/// Where else a link to a markdown file may point when there is no such
/// file, in order, as Hugo's `ref` looks: a bundle of that name
/// (`trip.md` → `trip/index.md`, `trip/_index.md`), and for a relative
/// link the same from content/ (`about.md` from any page).
pub fn markdown_file_alternatives(url: &str, from: &Path) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let bundles = |(file, fragment): (String, Option<String>), found: &mut Vec<_>| {
        if let Some(stem) = file.strip_suffix(".md") {
            for index in ["index.md", "_index.md"] {
                found.push((format!("{stem}/{index}"), fragment.clone()));
            }
        }
    };
    if let Some(primary) = markdown_file(url, from) {
        bundles(primary, &mut found);
    }
    let url = url.trim();
    if !url.starts_with(['/', '@', '.']) {
        if let Some(rooted) = markdown_file(&format!("@/{url}"), from) {
            found.push(rooted.clone());
            bundles(rooted, &mut found);
        }
    }
    found
}

/// A relative `url` (`photo.jpg`, `../b/`, `#part`, `?x`) joined to the URL
/// path of the page it is written on, dot segments removed and the rest
/// kept as written (escapes, query, fragment); `None` for a URL that is
/// not relative.
pub fn join_relative(page_path: &str, url: &str) -> Option<String> {
    if url.is_empty() || url.starts_with('/') || has_scheme(url) {
        return None;
    }
    let split = url.find(['?', '#']).unwrap_or(url.len());
    let (path, rest) = url.split_at(split);
    let joined = if path.is_empty() {
        page_path.to_string()
    } else {
        let dir = &page_path[..page_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{path}")
    };
    let segments: Vec<&str> = joined.split('/').collect();
    Some(format!(
        "/{}{rest}",
        without_dot_segments(&segments).join("/")
    ))
}

/// A content file's path as `markdown_file` returns it.
pub fn source_key(source: &Path) -> String {
    normalize(&source.to_string_lossy())
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Whether `[links] skip` covers `url` (as written, or resolved).
fn skipped(url: &str, skip: &[String]) -> bool {
    skip.iter()
        .any(|prefix| !prefix.is_empty() && url.starts_with(prefix.as_str()))
}

/// Whether `url` has a scheme and is not on one of the site's own base
/// URLs: the common external link, skipped without allocating.
fn is_elsewhere(url: &str, own_urls: &[&str]) -> bool {
    let url = url.trim_start();
    has_scheme(url) && !own_urls.iter().any(|base| strip_own(url, base).is_some())
}

pub(crate) fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    strip_prefix_ignore_case(text, prefix).is_some()
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// One file of content with links: a page or a section's `_index.md`.
struct Source<'a> {
    file: &'a Path,
    url: &'a str,
    links: &'a [SourceLink],
}

fn sources(site: &Site) -> impl Iterator<Item = Source<'_>> {
    let pages = site.pages.iter().map(|p| Source {
        file: &p.source,
        url: &p.path,
        links: &p.links,
    });
    let sections = site.sections.iter().filter_map(|s| {
        Some(Source {
            file: s.source.as_deref()?,
            url: &s.url,
            links: &s.links,
        })
    });
    pages.chain(sections)
}

/// What links can point at: the output files, and the ids of each HTML
/// page the content makes.
pub struct Targets<'a> {
    site: &'a Site,
    outputs: &'a dyn Fn(&str) -> bool,
    /// URL path → ids its content defines; made on the first `#anchor`.
    ids: std::sync::OnceLock<HashMap<&'a str, &'a [String]>>,
    /// Source file → URL path; made on the first link to a markdown file.
    files: std::sync::OnceLock<crate::file_links::FileUrls>,
    /// Ids every page has (from the templates), and prefixes of ids the
    /// templates make from values (`id="year-{{ y.year }}"`).
    template_ids: &'a TemplateIds,
}

/// Ids the templates write: exact ones, and prefixes of computed ones.
#[derive(Debug, Default, Clone)]
pub struct TemplateIds {
    pub exact: HashSet<String>,
    pub prefixes: Vec<String>,
}

impl TemplateIds {
    fn contains(&self, id: &str) -> bool {
        self.exact.contains(id) || self.prefixes.iter().any(|p| id.starts_with(p.as_str()))
    }
}

/// What a check is to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// Images and raw HTML `src`: `blog check` reports missing ones; a build
    /// does not fail for them.
    pub images: bool,
}

impl<'a> Targets<'a> {
    /// `outputs` says whether a path of the output (`posts/a/index.html`)
    /// exists.
    pub fn new(
        site: &'a Site,
        outputs: &'a dyn Fn(&str) -> bool,
        template_ids: &'a TemplateIds,
    ) -> Self {
        Targets {
            site,
            outputs,
            ids: std::sync::OnceLock::new(),
            files: std::sync::OnceLock::new(),
            template_ids,
        }
    }

    /// The URL path of the published page or section made from `file`.
    fn file_url(&self, file: &str) -> Option<&str> {
        self.files
            .get_or_init(|| crate::file_links::FileUrls::of(&self.site.pages, &self.site.sections))
            .url_of(file)
    }

    fn ids(&self) -> &HashMap<&'a str, &'a [String]> {
        self.ids.get_or_init(|| {
            let pages = self
                .site
                .pages
                .iter()
                .map(|p| (p.path.as_str(), &p.ids[..]));
            let sections = self
                .site
                .sections
                .iter()
                .map(|s| (s.url.as_str(), &s.ids[..]));
            pages.chain(sections).collect()
        })
    }

    /// Every broken internal link (and, with `scope.images`, image) of the
    /// site's content, as diagnostics at the link.
    pub fn check(&self, config: &Config, scope: Scope) -> Vec<Diagnostic> {
        self.check_sources(config, scope, sources(self.site))
    }

    /// Like `check`, for the links of some pages only (when nothing else
    /// changed, as in `blog serve` after an edit that keeps every id).
    pub fn check_pages(&self, config: &Config, scope: Scope, ids: &[PageId]) -> Vec<Diagnostic> {
        let pages = ids.iter().map(|&id| {
            let p = &self.site.pages[id];
            Source {
                file: &p.source,
                url: &p.path,
                links: &p.links,
            }
        });
        self.check_sources(config, scope, pages)
    }

    fn check_sources<'s>(
        &self,
        config: &Config,
        scope: Scope,
        sources: impl Iterator<Item = Source<'s>>,
    ) -> Vec<Diagnostic> {
        let own = config.own_urls();
        let mut errors = Vec::new();
        for source in sources {
            for link in source.links {
                if (link.image && !scope.images)
                    || is_elsewhere(&link.url, &own)
                    || skipped(&link.url, &config.links.skip)
                {
                    continue;
                }
                if let Some((mut file, mut fragment)) = markdown_file(&link.url, source.file) {
                    if self.file_url(&file).is_none() {
                        if let Some(other) = markdown_file_alternatives(&link.url, source.file)
                            .into_iter()
                            .find(|(f, _)| self.file_url(f).is_some())
                        {
                            (file, fragment) = other;
                        }
                    }
                    let found = match self.file_url(&file) {
                        Some(url) => self.check_one(&source, link, url, fragment.as_deref()),
                        None => Some(self.missing_file(&source, link, &file)),
                    };
                    errors.extend(found);
                    continue;
                }
                if let Target::Internal { path, fragment } = resolve(&link.url, source.url, &own) {
                    if skipped(&path, &config.links.skip) {
                        continue;
                    }
                    // Published under a path prefix, a root-relative link
                    // without it leads off the site, whatever it names here.
                    let written = link.url.trim();
                    let prefix = config.base_path();
                    if !prefix.is_empty()
                        && written.starts_with('/')
                        && !written.starts_with("//")
                        && without_site_prefix(&path, &own).is_none()
                    {
                        let suggestion = format!("{prefix}{written}");
                        errors.push(
                            Diagnostic::new(
                                source.file,
                                format!(
                                    "broken link: `{written}` leaves the site, which is published under `{prefix}/`"
                                ),
                            )
                            .at(link.line, link.column)
                            .hint(format!(
                                "write `{suggestion}`, a relative link, or a link to the markdown file (`@/….md`)"
                            )),
                        );
                        continue;
                    }
                    let path = match without_site_prefix(&path, &own) {
                        Some(inner) if self.find(&path).is_none() => inner,
                        _ => path,
                    };
                    if let Some(d) = self.check_one(&source, link, &path, fragment.as_deref()) {
                        errors.push(d);
                    }
                }
            }
        }
        errors
    }

    fn check_one(
        &self,
        source: &Source,
        link: &SourceLink,
        path: &str,
        fragment: Option<&str>,
    ) -> Option<Diagnostic> {
        let at = |message: String| Diagnostic::new(source.file, message).at(link.line, link.column);
        let Some(page_url) = self.find(path) else {
            return Some(self.missing(link, path, at));
        };
        let fragment = fragment?;
        let ids = self.ids().get(page_url.as_str())?;
        if ids.iter().any(|id| id == fragment) || self.template_ids.contains(fragment) {
            return None;
        }
        let mut known: Vec<&str> = ids.iter().map(String::as_str).take(6).collect();
        known.sort_unstable();
        let hint = if known.is_empty() {
            format!("`{path}` has no headings to link to; link to the page itself")
        } else {
            format!(
                "use one of its ids, such as {}",
                known
                    .iter()
                    .map(|id| format!("`#{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Some(
            at(format!(
                "`{}`: `{path}` has no element with id `{fragment}`",
                link.url
            ))
            .hint(hint),
        )
    }

    /// The URL of the output file a site path names, if that file exists
    /// (`/posts/a` names `posts/a/index.html`, whose URL is `/posts/a/`).
    fn find(&self, path: &str) -> Option<String> {
        let rel = path.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else if (self.outputs)(rel) {
            rel.to_string()
        } else {
            // `/posts/a` is served as `/posts/a/` by static hosts and `blog serve`.
            format!("{rel}/index.html")
        };
        if !(self.outputs)(&file) {
            return None;
        }
        Some(match file.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{file}"),
        })
    }

    fn missing(
        &self,
        link: &SourceLink,
        path: &str,
        at: impl Fn(String) -> Diagnostic,
    ) -> Diagnostic {
        let dir_url = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        if let Some(file) = self.site.left_out.get(&dir_url) {
            return at(format!(
                "`{}` links to {}, which is a draft or dated in the future and so not published",
                link.url,
                file.display()
            ))
            .hint("publish that page, or remove the link until it is");
        }
        if link.image {
            at(format!(
                "missing image: `{}` is not a file of this site",
                link.url
            ))
            .hint(
                "put the file in static/ (served from /), or beside the post in its bundle folder",
            )
        } else {
            at(format!(
                "broken link: `{}` is not a page or file of this site",
                link.url
            ))
            .hint("check the address; pages live at their URLs, like `/posts/my-post/`")
        }
    }

    /// A link to a markdown file that makes no published page.
    fn missing_file(&self, source: &Source, link: &SourceLink, file: &str) -> Diagnostic {
        let at = Diagnostic::new(source.file, "").at(link.line, link.column);
        let file = file.trim_start_matches('/');
        let left_out = self
            .site
            .left_out
            .values()
            .any(|source| source_key(source).trim_start_matches('/') == file);
        if left_out {
            return Diagnostic {
                message: format!(
                    "`{}` links to {file}, which is a draft or dated in the future and so not published",
                    link.url
                ),
                ..at
            }
            .hint("publish that page, or remove the link until it is");
        }
        Diagnostic {
            message: format!("broken link: `{}` names {file}, which does not exist", link.url),
            ..at
        }
        .hint("name a markdown file by its path from this file (`../other.md`) or from content/ (`@/posts/other.md`)")
    }
}

/// Ids a template writes in `id="…"` attributes: literal ones, and the
/// literal start of computed ones.
pub fn template_ids<'t>(texts: impl Iterator<Item = &'t str>) -> TemplateIds {
    let mut ids = TemplateIds::default();
    for text in texts {
        for (name, value, _) in crate::markdown::render::html_attributes(text) {
            if name != "id" {
                continue;
            }
            match value.find(['{']) {
                None => {
                    ids.exact.insert(value);
                }
                Some(0) => ids.prefixes.push(String::new()),
                Some(i) => ids.prefixes.push(value[..i].to_string()),
            }
        }
    }
    ids.prefixes.sort();
    ids.prefixes.dedup();
    ids
}

/// Every external `http(s)` URL the content links to, with where.
pub fn external_links(
    site: &Site,
    config: &Config,
) -> BTreeMap<String, Vec<(PathBuf, usize, usize)>> {
    let own = config.own_urls();
    let mut found: BTreeMap<String, Vec<(PathBuf, usize, usize)>> = BTreeMap::new();
    for source in sources(site) {
        for link in source.links {
            if skipped(&link.url, &config.links.skip) {
                continue;
            }
            if let Target::External(url) = resolve(&link.url, source.url, &own) {
                found.entry(url).or_default().push((
                    source.file.to_path_buf(),
                    link.line,
                    link.column,
                ));
            }
        }
    }
    found
}

/// How external URLs are fetched.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Requests at once.
    pub concurrency: usize,
    /// For each request, from connecting to the last byte of the headers.
    pub timeout: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            concurrency: 8,
            timeout: Duration::from_secs(10),
        }
    }
}

/// Fetches each URL once (HEAD, then GET where a server refuses HEAD), with
/// at most `options.concurrency` requests at a time, and reports every
/// failure at each place that links to it.
pub fn check_external(
    links: &BTreeMap<String, Vec<(PathBuf, usize, usize)>>,
    options: &ExternalOptions,
) -> Vec<Diagnostic> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("blog-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let urls: Vec<&String> = links.keys().collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.clamp(1, 64).min(urls.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(url) = urls.get(i) else {
                    return;
                };
                if let Err(problem) = fetch(&agent, url, options.timeout) {
                    if let Ok(mut f) = failures.lock() {
                        f.push(((*url).clone(), problem));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap_or_default();
    failures.sort();
    let mut errors = Vec::new();
    for (url, problem) in failures {
        for (file, line, column) in &links[&url] {
            errors.push(
                Diagnostic::new(file, format!("external link `{url}`: {problem}"))
                    .at(*line, *column)
                    .hint("fix or remove the link, or check it again later if the site is down"),
            );
        }
    }
    errors
}

fn fetch(agent: &ureq::Agent, url: &str, timeout: Duration) -> Result<(), String> {
    // The status, and for 429 how long the server asks the checker to wait.
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match r {
        Ok(response) => {
            let wait = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            Ok((response.status().as_u16(), wait))
        }
        Err(ureq::Error::Timeout(_)) => Err("no answer in time".to_string()),
        Err(e) => Err(format!("could not fetch it ({e})")),
    };
    let (mut code, mut wait) = status(agent.head(url).call())?;
    if matches!(code, 403 | 405 | 501) {
        (code, wait) = status(agent.get(url).call())?;
    }
    if code == 429 {
        // Too many requests: once more after the wait the server asks for
        // (at least a second, at most the timeout), with GET.
        std::thread::sleep(
            wait.unwrap_or(Duration::from_secs(1))
                .clamp(Duration::from_secs(1), timeout),
        );
        (code, _) = status(agent.get(url).call())?;
        if code == 429 {
            return Err(
                "the server answered 429 (too many requests) twice: it limits checkers, and the link may well work; \
                 add it to [links] skip if this repeats"
                    .to_string(),
            );
        }
    }
    if code >= 400 {
        return Err(format!("the server answered {code}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.into(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn relative_links_join_the_page_url_as_written() {
        let page = "/posts/trip/";
        for (url, joined) in [
            ("photo.jpg", Some("/posts/trip/photo.jpg")),
            ("./a%20b.png?v=2#x", Some("/posts/trip/a%20b.png?v=2#x")),
            ("../other/", Some("/posts/other/")),
            ("../../../../up", Some("/up")),
            ("#part", Some("/posts/trip/#part")),
            ("?page=2", Some("/posts/trip/?page=2")),
            ("/root/", None),
            ("https://example.org/", None),
            ("mailto:me@example.org", None),
            ("", None),
        ] {
            assert_eq!(join_relative(page, url).as_deref(), joined, "{url}");
        }
    }

    #[test]
    fn links_resolve_as_a_browser_would() {
        let own = ["https://example.org", "http://127.0.0.1:1111"];
        let page = "/posts/a/";
        for (url, expected) in [
            ("/about/", internal("/about/", None)),
            ("b/", internal("/posts/a/b/", None)),
            ("../b/#x", internal("/posts/b/", Some("x"))),
            ("#top", internal("/posts/a/", Some("top"))),
            ("?page=2", internal("/posts/a/", None)),
            ("../../../../etc/", internal("/etc/", None)),
            ("/a%20b/", internal("/a b/", None)),
            ("%2e%2e/%2E%2E/x", internal("/x", None)),
            ("a%2F..%2Fb", internal("/posts/a/a%2F..%2Fb", None)),
            ("./", internal("/posts/a/", None)),
            ("..", internal("/posts/", None)),
            ("https://example.org/x/#y", internal("/x/", Some("y"))),
            ("HTTPS://EXAMPLE.ORG", internal("/", None)),
            ("http://127.0.0.1:1111/p/", internal("/p/", None)),
            (
                "https://example.org.evil/x",
                Target::External("https://example.org.evil/x".into()),
            ),
            (
                "https://other.org/x",
                Target::External("https://other.org/x".into()),
            ),
            (
                "//cdn.org/x.js",
                Target::External("https://cdn.org/x.js".into()),
            ),
            ("mailto:me@example.org", Target::Other),
            ("http://example.org/x/", internal("/x/", None)),
            ("//example.org/x/", internal("/x/", None)),
            ("data:image/png;base64,AA", Target::Other),
            ("", Target::Other),
        ] {
            assert_eq!(resolve(url, page, &own), expected, "{url}");
        }
    }

    #[test]
    fn links_under_the_sites_path_prefix_are_the_sites() {
        let own = ["https://example.org/babysteps"];
        assert_eq!(
            resolve("https://example.org/babysteps/2021/a/", "/", &own),
            internal("/2021/a/", None)
        );
        assert_eq!(
            resolve("http://EXAMPLE.org/babysteps", "/", &own),
            internal("/", None)
        );
        assert_eq!(
            resolve("https://example.org/babystepsx/", "/", &own),
            Target::External("https://example.org/babystepsx/".into())
        );
        assert_eq!(
            without_site_prefix("/babysteps/2021/a/", &own).as_deref(),
            Some("/2021/a/")
        );
        assert_eq!(without_site_prefix("/babystepsx/", &own), None);
        assert_eq!(without_site_prefix("/a/", &["https://example.org"]), None);
    }

    #[test]
    fn template_ids_keep_literal_ones_and_prefixes_of_computed_ones() {
        let ids = template_ids(
            [
                "<main id=\"main\"><h2 id=\"year-{{ y.year }}\">",
                "<a id='top'>",
            ]
            .into_iter(),
        );
        assert!(ids.contains("main") && ids.contains("top") && ids.contains("year-2024"));
        assert!(!ids.contains("nope"));
    }
}
