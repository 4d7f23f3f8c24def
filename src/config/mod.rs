//! Site configuration: `config.toml` at the site root, every key with a default,
//! so a site without the file still builds. `Config::load` reads and validates
//! it; `Config::apply_overrides` layers the command line and the environment
//! (`BLOG_BASE_URL`, Netlify's deploy-preview URL) on top.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{line_col, Diagnostic};

pub mod deploy;
pub mod images;
pub mod keys;
pub mod search;
pub mod social;
pub mod writing;

pub use deploy::DeployConfig;
pub use images::ImagesConfig;
pub use search::SearchConfig;
pub use social::SocialCardsConfig;
pub use writing::{RelatedConfig, SeriesConfig};

pub const CONFIG_FILE: &str = "config.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// Absolute URL the site is published at, without a trailing slash.
    pub base_url: String,
    /// See `own_urls`; set by `apply_overrides`.
    #[serde(skip)]
    pub own_urls: Vec<String>,
    pub description: String,
    pub author: String,
    /// BCP 47 language tag, used for `<html lang>` and feeds.
    pub language: String,
    /// Theme under `themes/<name>/`; `default` falls back to the built-in one.
    pub theme: String,
    /// Pages per list page (index, sections, terms). 0 disables pagination.
    pub paginate: usize,
    /// Sections whose pages the home page lists; empty means every section but
    /// the root one (so `content/about.md` stays off the home page).
    pub main_sections: Vec<String>,
    pub taxonomies: Vec<TaxonomyConfig>,
    /// URL patterns per section, e.g. `posts = "/:year/:month/:slug/"`.
    pub permalinks: BTreeMap<String, String>,
    /// syntect theme for code in light mode.
    pub highlight_theme: String,
    /// syntect theme for code under `prefers-color-scheme: dark`; empty for none.
    pub highlight_theme_dark: String,
    pub markdown: MarkdownConfig,
    pub feed: FeedConfig,
    pub links: LinksConfig,
    pub serve: ServeConfig,
    pub diagrams: DiagramsConfig,
    /// `blog deploy`: its targets and the headers files get (`[deploy]`).
    pub deploy: DeployConfig,
    /// Generated link-preview images (`[social_cards]`).
    pub social_cards: SocialCardsConfig,
    /// Posts in a numbered series (`[series]`) and related posts (`[related]`).
    pub series: SeriesConfig,
    pub related: RelatedConfig,
    /// How posts' local images are published (`[images]`).
    pub images: ImagesConfig,
    /// A full-text search index and page (`[search]`).
    pub search: SearchConfig,
    /// Broken links, missing anchors and missing templates fail the build
    /// (as `blog build --strict` makes them); by default they are warnings.
    pub strict: bool,
    /// Published pages, stylesheets and scripts without comments and spare
    /// whitespace (`output::minify`); `blog build --minify` does the same.
    pub minify: bool,
    /// Another generator's configuration the settings were read from
    /// (`hugo.toml`, a Zola config.toml) and that generator's name, for
    /// the build's warning; its site's templates are then not used.
    #[serde(skip)]
    pub read_from: Option<(String, &'static str)>,
    /// An IANA time zone (`Europe/Berlin`): dates are shown, and placed in
    /// URLs, in it, and a date written without an offset is read in it, as
    /// Jekyll's and Hugo's `timezone` do. Empty: dates as written.
    pub timezone: String,
    /// `timezone`, looked up once when the config is read.
    #[serde(skip)]
    pub zone: Option<jiff::tz::TimeZone>,
    /// Free-form values for templates, as `config.extra`.
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "My Blog".into(),
            base_url: "http://localhost:1111".into(),
            own_urls: Vec::new(),
            description: String::new(),
            author: String::new(),
            language: "en".into(),
            theme: "default".into(),
            paginate: 10,
            main_sections: Vec::new(),
            taxonomies: vec![
                TaxonomyConfig::named("tags"),
                TaxonomyConfig::named("categories"),
            ],
            permalinks: BTreeMap::new(),
            highlight_theme: "InspiredGitHub".into(),
            highlight_theme_dark: "base16-ocean.dark".into(),
            markdown: MarkdownConfig::default(),
            feed: FeedConfig::default(),
            links: LinksConfig::default(),
            serve: ServeConfig::default(),
            diagrams: DiagramsConfig::default(),
            deploy: DeployConfig::default(),
            social_cards: SocialCardsConfig::default(),
            series: SeriesConfig::default(),
            related: RelatedConfig::default(),
            images: ImagesConfig::default(),
            search: SearchConfig::default(),
            strict: false,
            minify: false,
            read_from: None,
            timezone: String::new(),
            zone: None,
            extra: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    pub smart_punctuation: bool,
    /// Adds a `#` link to every heading.
    pub anchor_links: bool,
    /// Highlights fenced code with syntect; off leaves escaped plain code.
    pub highlight: bool,
    /// Words per minute for `reading_time`.
    pub words_per_minute: usize,
    /// How heading text becomes an id, so that anchors written for another
    /// generator still land.
    pub heading_ids: HeadingIds,
    /// `$…$` and `$$…$$` as math (MathML), with GitHub's rules for what a
    /// `$` in prose is.
    pub math: bool,
    /// GitHub's alerts, `> [!NOTE]` and its four siblings, as notes.
    pub alerts: bool,
    /// Footnotes gathered in a numbered list at the end of the post, with
    /// links back to their references, as GitHub shows them (Zola's name);
    /// false leaves each definition where it is written.
    pub bottom_footnotes: bool,
    /// A `<!-- toc -->` line in a post becomes its table of contents.
    pub toc_marker: bool,
}

/// `[markdown] heading_ids`: whose rules make a heading's id from its text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadingIds {
    /// blog's own: the text's slug, ASCII (`C++ & Rust` → `c-rust`).
    #[default]
    Blog,
    /// GitHub's and Hugo's (`c--rust`, `日本語` kept).
    Github,
    /// kramdown's `auto_ids`, Jekyll's with `input: kramdown` (`1. Intro` → `intro`).
    Kramdown,
    /// Zola's `slugify.anchors = "on"`.
    Zola,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            anchor_links: true,
            highlight: true,
            words_per_minute: 200,
            heading_ids: HeadingIds::Blog,
            math: true,
            alerts: true,
            bottom_footnotes: true,
            toc_marker: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    pub rss: bool,
    pub atom: bool,
    /// JSON Feed 1.1 (`feed.json`) beside them.
    pub json: bool,
    /// Newest N posts in each feed.
    pub limit: usize,
    /// Whole posts in feeds; false gives the summary only.
    pub full_content: bool,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            rss: true,
            atom: true,
            json: true,
            limit: 20,
            full_content: true,
        }
    }
}

/// The link check (`[links]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinksConfig {
    /// Links starting with one of these are not checked: paths another
    /// program serves on the same host (`/api/`, a redirect in static/'s
    /// `_redirects`), or external sites that refuse checkers.
    pub skip: Vec<String>,
}

/// `[diagrams]`: where mermaid's script comes from, for the pages that
/// have a `mermaid` fence. Empty (the default): no script, and no request
/// to another site; the fences show their text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiagramsConfig {
    /// The URL of mermaid's ES module (`/js/mermaid.esm.min.mjs` in
    /// static/, or a CDN's).
    pub mermaid: String,
}

/// `blog serve` (`[serve]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    /// Host names `blog serve` answers besides loopback ones and its
    /// `--bind` address (a name for this machine, a tunnel's name); a
    /// leading dot allows the name and every name under it.
    pub allow_hosts: Vec<String>,
}

/// A taxonomy is written either as its name (`"tags"`) or as a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "TaxonomyInput")]
pub struct TaxonomyConfig {
    pub name: String,
    /// Overrides the site's `paginate` for this taxonomy's term pages.
    pub paginate: Option<usize>,
    /// Each term gets feeds of its own (`/tags/rust/rss.xml`, `atom.xml`),
    /// as `[feed]` says for the site's.
    pub feed: bool,
}

impl TaxonomyConfig {
    pub fn named(name: &str) -> Self {
        TaxonomyConfig {
            name: name.into(),
            paginate: None,
            feed: false,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TaxonomyInput {
    Name(String),
    Table {
        name: String,
        #[serde(default)]
        paginate: Option<usize>,
        #[serde(default)]
        feed: bool,
    },
}

impl From<TaxonomyInput> for TaxonomyConfig {
    fn from(input: TaxonomyInput) -> Self {
        match input {
            TaxonomyInput::Name(name) => TaxonomyConfig::named(&name),
            TaxonomyInput::Table {
                name,
                paginate,
                feed,
            } => TaxonomyConfig {
                name,
                paginate,
                feed,
            },
        }
    }
}

/// Values from the command line that win over config.toml.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub base_url: Option<String>,
    /// `--minify`: minify whatever config.toml says.
    pub minify: bool,
}

impl Config {
    /// Reads `config.toml` under `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A Hugo site, built as it is.
                return match crate::import::foreign_config_in_place(root, None) {
                    Some(Ok((mut config, name, from))) => {
                        config.read_from = Some((name, from.name()));
                        Ok(config)
                    }
                    Some(Err(e)) => Err(e),
                    None => Ok(Config::default()),
                };
            }
            Err(e) => {
                return Err(vec![Diagnostic::new(
                    CONFIG_FILE,
                    format!("cannot read: {e}"),
                )
                .hint("check the file's permissions")])
            }
        };
        match Config::parse(&text) {
            Ok(config) => Ok(config),
            // A Zola or Hugo site's own config.toml: its site built as it is.
            Err(errors) => match crate::import::foreign_config_in_place(root, Some(&text)) {
                Some(Ok((mut config, name, from))) => {
                    config.read_from = Some((name, from.name()));
                    Ok(config)
                }
                _ => Err(errors),
            },
        }
    }

    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let unknown = keys::unknown_keys(text);
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let config: Config = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::new(CONFIG_FILE, e.message().trim().to_string())
                .hint("see the configuration reference in README.md");
            if let Some(span) = e.span() {
                let (line, col) = line_col(text, span.start);
                d = d.at(line, col);
                // Hugo writes taxonomies as a table of singular = plural.
                if text
                    .lines()
                    .nth(line - 1)
                    .is_some_and(|l| l.contains("taxonomies"))
                {
                    d = d.hint(
                        "list the taxonomies by name: taxonomies = [\"tags\", \"categories\"]",
                    );
                }
                if in_table(text, line, "search") {
                    d = d.hint(search::HINT);
                }
                if text
                    .lines()
                    .nth(line - 1)
                    .is_some_and(|l| l.trim_start().starts_with("heading_ids"))
                {
                    d = d.hint(
                        "heading_ids is one of \"blog\" (the default), \"github\" (GitHub, Hugo), \"kramdown\" (Jekyll with kramdown input) or \"zola\"",
                    );
                }
            }
            vec![d]
        })?;
        config.validate(text)?;
        let mut config = config;
        if !config.timezone.is_empty() {
            match jiff::tz::TimeZone::get(&config.timezone) {
                Ok(zone) => config.zone = Some(zone),
                Err(e) => {
                    let d = Diagnostic::new(
                        CONFIG_FILE,
                        format!("timezone `{}` is not a time zone this machine knows: {e}", config.timezone),
                    )
                    .hint("write an IANA name like timezone = \"Europe/Berlin\" or \"America/New_York\" (Debian's tzdata package provides them)");
                    return Err(vec![match find_key_line(text, "timezone") {
                        Some(line) => d.at(line, 1),
                        None => d,
                    }]);
                }
            }
        }
        Ok(config)
    }

    fn validate(&self, text: &str) -> Result<(), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let at_key = |key: &str, message: String, hint: &str| {
            let d = Diagnostic::new(CONFIG_FILE, message).hint(hint);
            match find_key_line(text, key) {
                Some(line) => d.at(line, 1),
                None => d,
            }
        };
        if !self.base_url.starts_with("http://") && !self.base_url.starts_with("https://") {
            errors.push(at_key(
                "base_url",
                format!(
                    "base_url `{}` is not an absolute http(s) URL",
                    self.base_url
                ),
                "write it like base_url = \"https://example.org\"",
            ));
        }
        errors.extend(writing::check(self, text));
        let mut seen = std::collections::BTreeSet::new();
        for taxonomy in &self.taxonomies {
            let valid = !taxonomy.name.is_empty()
                && taxonomy
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid {
                errors.push(at_key(
                    "taxonomies",
                    format!("taxonomy name `{}` is not usable in a URL", taxonomy.name),
                    "use lowercase letters, digits, `-` or `_`",
                ));
            }
            if !seen.insert(taxonomy.name.as_str()) {
                errors.push(at_key(
                    "taxonomies",
                    format!("taxonomy `{}` is listed twice", taxonomy.name),
                    "list each taxonomy once",
                ));
            }
        }
        for host in &self.serve.allow_hosts {
            if !crate::serve::host::is_allowable(host) {
                errors.push(at_key(
                    "allow_hosts",
                    format!("allow_hosts: `{host}` is not a host name or address"),
                    "write a name like \"devbox.local\", \".tunnel.example\" for it and every name under it, or an address like \"192.168.1.20\"",
                ));
            }
        }
        for (section, pattern) in &self.permalinks {
            if let Err(message) = crate::content::url::check_permalink_pattern(pattern) {
                errors.push(at_key(
                    section,
                    format!("permalink for `{section}`: {message}"),
                    "write a pattern like \"/:year/:month/:day/:title/\" or a Jekyll style: date, pretty, ordinal, weekdate or none",
                ));
            }
        }
        self.deploy.validate(text, &mut errors);
        self.images.validate(text, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Layers command-line and environment values over the file's. Order:
    /// `--base-url`, then `BLOG_BASE_URL`, then on Netlify a deploy preview's
    /// or branch deploy's own URL, then config.toml.
    pub fn apply_overrides(&mut self, overrides: &Overrides, env: &dyn Fn(&str) -> Option<String>) {
        let netlify_preview = match env("CONTEXT").as_deref() {
            Some("deploy-preview") | Some("branch-deploy") => env("DEPLOY_PRIME_URL"),
            _ => None,
        };
        let chosen = overrides
            .base_url
            .clone()
            .or_else(|| env("BLOG_BASE_URL").filter(|v| !v.is_empty()))
            .or(netlify_preview.filter(|v| !v.is_empty()));
        let configured = self.base_url.trim_end_matches('/').to_string();
        if let Some(url) = chosen {
            self.base_url = url;
        }
        self.base_url = self.base_url.trim_end_matches('/').to_string();
        self.minify |= overrides.minify;
        self.own_urls = vec![self.base_url.clone()];
        if configured != self.base_url {
            self.own_urls.push(configured);
        }
    }

    /// The base URLs whose links point into this site: the one in use and
    /// config.toml's own (a link to the published site is internal when
    /// serving or previewing too).
    pub fn own_urls(&self) -> Vec<&str> {
        if self.own_urls.is_empty() {
            vec![self.base_url.trim_end_matches('/')]
        } else {
            self.own_urls.iter().map(String::as_str).collect()
        }
    }

    /// The scheme and host of the base URL: `https://example.org` of
    /// `https://example.org/babysteps`.
    pub fn origin(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        match self.base_url[after_scheme..].find('/') {
            Some(i) => &self.base_url[..after_scheme + i],
            None => &self.base_url,
        }
    }

    /// The base URL's path prefix without a trailing slash: `/babysteps`
    /// of `https://example.org/babysteps/`, `""` for a site at the root.
    pub fn base_path(&self) -> &str {
        self.base_url[self.origin().len()..].trim_end_matches('/')
    }

    /// The absolute URL for a site path such as `/posts/a/`.
    pub fn permalink(&self, path: &str) -> String {
        // Called for every link of every list page: `format!` cost four
        // times as much.
        let mut url = String::with_capacity(self.base_url.len() + path.len());
        url.push_str(&self.base_url);
        url.push_str(path);
        url
    }

    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// Whether 1-based `line` of a TOML text lies in the table `[name]`.
fn in_table(text: &str, line: usize, name: &str) -> bool {
    let header = format!("[{name}]");
    text.lines()
        .take(line)
        .filter(|l| l.trim_start().starts_with('['))
        .last()
        .is_some_and(|l| l.trim() == header)
}

/// The 1-based line where `key` is assigned in a TOML or YAML text, for errors
/// about a value that parsed but is not acceptable.
pub fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_gives_defaults() {
        let c = Config::parse("").expect("empty config parses");
        assert_eq!(c.paginate, 10);
        assert_eq!(c.taxonomies.len(), 2);
        assert!(c.feed.rss && c.feed.atom);
    }

    #[test]
    fn taxonomies_as_names_or_tables() {
        let c = Config::parse("taxonomies = [\"tags\", { name = \"series\", paginate = 5 }]")
            .expect("parses");
        assert_eq!(c.taxonomies[0].name, "tags");
        assert_eq!(c.taxonomies[1].paginate, Some(5));
    }

    #[test]
    fn unknown_key_is_an_error_with_position() {
        let errors = Config::parse("title = \"x\"\ntitel = \"y\"\n").expect_err("must fail");
        assert_eq!(errors[0].line, Some(2));
        assert!(errors[0].message.contains("titel"), "{}", errors[0].message);
    }

    #[test]
    fn a_base_url_splits_into_origin_and_path() {
        let mut c = Config::parse("base_url = \"https://example.org/babysteps/\"").expect("parses");
        c.apply_overrides(&Overrides::default(), &|_| None);
        assert_eq!(c.origin(), "https://example.org");
        assert_eq!(c.base_path(), "/babysteps");
        assert_eq!(c.permalink("/a/"), "https://example.org/babysteps/a/");
        let root = Config::parse("base_url = \"https://example.org\"").expect("parses");
        assert_eq!(root.origin(), "https://example.org");
        assert_eq!(root.base_path(), "");
    }

    #[test]
    fn heading_ids_name_a_style_or_are_an_error_at_their_line() {
        assert_eq!(Config::default().markdown.heading_ids, HeadingIds::Blog);
        let c = Config::parse("[markdown]\nheading_ids = \"github\"\n").expect("parses");
        assert_eq!(c.markdown.heading_ids, HeadingIds::Github);
        let errors = Config::parse("title = \"x\"\n[markdown]\nheading_ids = \"hugo\"\n")
            .expect_err("fails");
        assert_eq!(errors[0].line, Some(3));
        let hint = errors[0].hint.clone().unwrap_or_default();
        for style in ["blog", "github", "kramdown", "zola"] {
            assert!(hint.contains(&format!("\"{style}\"")), "{hint}");
        }
    }

    #[test]
    fn relative_base_url_is_rejected() {
        let errors = Config::parse("base_url = \"example.org\"").expect_err("must fail");
        assert_eq!(errors[0].line, Some(1));
    }

    #[test]
    fn overrides_follow_precedence() {
        let mut c = Config::parse("base_url = \"https://prod.example/\"").expect("parses");
        let env = |k: &str| match k {
            "CONTEXT" => Some("deploy-preview".to_string()),
            "DEPLOY_PRIME_URL" => Some("https://preview.example".to_string()),
            _ => None,
        };
        c.apply_overrides(&Overrides::default(), &env);
        assert_eq!(c.base_url, "https://preview.example");
        c.apply_overrides(
            &Overrides {
                base_url: Some("http://cli.example/".into()),
                ..Overrides::default()
            },
            &env,
        );
        assert_eq!(c.base_url, "http://cli.example");
        let mut prod = Config::parse("base_url = \"https://prod.example/\"").expect("parses");
        let production = |k: &str| (k == "CONTEXT").then(|| "production".to_string());
        prod.apply_overrides(&Overrides::default(), &production);
        assert_eq!(prod.base_url, "https://prod.example");
    }
}
