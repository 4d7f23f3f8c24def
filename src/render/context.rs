//! What templates see: `Serialize` structs that borrow from the site model.
//! Field names are the template API (documented in docs/THEMES.md), so they
//! change only with care.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use serde::Serialize;

use crate::config::Config;
use crate::content::{Date, PageId};
use crate::markdown::TocEntry;
use crate::site::{pager_count, pager_url, Site};

#[derive(Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub permalink: String,
    pub path: &'a str,
}

/// A page's terms in one taxonomy, as templates see them: made for the
/// page, or cloned from the build's `MadeValues`.
pub enum Terms<'a> {
    Links(Vec<TermLink<'a>>),
    /// Cloned from `MadeValues`: a term's map is shared, not copied.
    Values(Vec<tera::Value>),
}

impl Serialize for Terms<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Terms::Links(links) => links.serialize(serializer),
            Terms::Values(values) => values.serialize(serializer),
        }
    }
}

/// Template values made once per build. Every term's `TermLink`: each
/// page shows its terms in `page.tags`, `page.categories` and
/// `page.taxonomies`, and again in every list it is in, and serialising
/// them afresh each time was 2.8% of a cold build's instructions. And each
/// post's summary as lists show it, made the first time one does: a post
/// is in the home page's list, its section's and one for each of its
/// terms, and serialising it for each was 1.9%. The summaries kept are
/// bounded (`SUMMARY_BUDGET`), so a site of 100,000 posts does not hold a
/// second copy of every summary; past it they are made for each list as
/// before. Only for tera: serialised by serde_json, a value's map has no
/// fixed key order.
pub struct MadeValues {
    /// By taxonomy, then term, as in `Site::taxonomies`.
    terms: Vec<Vec<tera::Value>>,
    /// By page; `None` once the budget was spent when it was first listed.
    summaries: Vec<OnceLock<Option<tera::Value>>>,
    /// What the kept summaries take, about.
    summary_bytes: AtomicUsize,
}

/// The memory the kept summaries may take: all of them up to some 15,000
/// posts, and at 100,000 a hundredth of the build's peak.
const SUMMARY_BUDGET: usize = 32 << 20;
/// A summary's map and its keys and numbers, beside its strings.
const SUMMARY_OVERHEAD: usize = 1024;

impl MadeValues {
    pub fn new(site: &Site, config: &Config) -> MadeValues {
        let terms = site
            .taxonomies
            .iter()
            .map(|taxonomy| {
                taxonomy
                    .terms
                    .iter()
                    .map(|term| tera::Value::from_serializable(&term_link(config, term)))
                    .collect()
            })
            .collect();
        MadeValues {
            terms,
            summaries: site.pages.iter().map(|_| OnceLock::new()).collect(),
            summary_bytes: AtomicUsize::new(0),
        }
    }
}

/// About what `value` takes as a template value: its strings and a little
/// for each node.
fn json_size(value: &serde_json::Value) -> usize {
    use serde_json::Value;
    64 + match value {
        Value::String(s) => s.len(),
        Value::Array(items) => items.iter().map(json_size).sum(),
        Value::Object(map) => map.iter().map(|(k, v)| k.len() + json_size(v)).sum(),
        _ => 0,
    }
}

/// Counts `cost` against `budget`: whether it still fits. Once one does
/// not, none does (what was counted stays counted).
fn within_budget(used: &AtomicUsize, cost: usize, budget: usize) -> bool {
    used.fetch_add(cost, Ordering::Relaxed).saturating_add(cost) <= budget
}

fn term_link<'a>(config: &Config, term: &'a crate::site::Term) -> TermLink<'a> {
    TermLink {
        name: &term.name,
        slug: &term.slug,
        permalink: config.permalink(&term.url),
        path: &term.url,
    }
}

#[derive(Serialize)]
pub struct PageLink<'a> {
    pub title: &'a str,
    pub permalink: String,
    pub path: &'a str,
}

/// A page as `page` in page.html.
#[derive(Serialize)]
pub struct PageContext<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub slug: &'a str,
    pub path: &'a str,
    pub permalink: String,
    pub content: &'a str,
    pub summary: &'a str,
    pub has_more: bool,
    /// A `mermaid` fence is on the page: the theme loads mermaid's script.
    pub diagrams: bool,
    pub toc: &'a [TocEntry],
    /// The body shows the table of contents itself (`<!-- toc -->`).
    pub toc_placed: bool,
    pub word_count: usize,
    pub reading_time: usize,
    pub taxonomies: BTreeMap<&'a str, Terms<'a>>,
    pub tags: Terms<'a>,
    pub categories: Terms<'a>,
    pub extra: &'a serde_json::Value,
    /// Front matter keys `blog` does not know, as written.
    pub meta: &'a BTreeMap<String, serde_json::Value>,
    pub section: &'a str,
    /// URLs of a bundle's files.
    pub assets: Vec<String>,
    /// The older page in the same section.
    pub lower: Option<PageLink<'a>>,
    /// The newer page in the same section.
    pub higher: Option<PageLink<'a>>,
    /// For `<meta name="description">`: the description, else the summary
    /// as plain text (at most 160 characters, cut at a word), else the
    /// site's description.
    pub meta_description: String,
    /// The first image of the body, as an absolute URL.
    pub first_image: Option<String>,
    /// The image a link preview shows: the front matter's `image`, else
    /// the body's first, else the generated social card (`[social_cards]`).
    pub preview_image: Option<crate::output::social_card::PreviewImage>,
    /// The series the page is part of, with its place in it.
    pub series: Option<SeriesContext<'a>>,
    /// Pages sharing the most (and rarest) terms with this one, best first.
    pub related: Vec<RelatedLink<'a>>,
}

/// A series as `page.series` (with `index`, the page's place) and as
/// `series` on the series' own page (`index` 0).
#[derive(Serialize)]
pub struct SeriesContext<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub permalink: String,
    pub path: &'a str,
    /// The page's place, from 1; 0 on the series' own page.
    pub index: usize,
    pub total: usize,
    pub pages: Vec<SeriesPart<'a>>,
}

#[derive(Serialize)]
pub struct SeriesPart<'a> {
    pub title: &'a str,
    pub permalink: String,
    pub path: &'a str,
    pub index: usize,
    pub date: Option<Date>,
    /// This is the page being rendered.
    pub current: bool,
}

#[derive(Serialize)]
pub struct RelatedLink<'a> {
    pub title: &'a str,
    pub permalink: String,
    pub path: &'a str,
    pub date: Option<Date>,
}

/// A page in a list: everything but the body (and the word count, so that an
/// edit inside a post's body leaves every list that shows it unchanged).
/// To templates, the entry's fields and its own side by side.
pub struct PageSummary<'a> {
    pub entry: ArchiveEntry<'a>,
    pub summary: &'a str,
    pub has_more: bool,
    pub reading_time: usize,
}

/// One struct of the entry's fields and the summary's. `#[serde(flatten)]`
/// made it a map, whose every key tera allocated as it went; each post is in
/// several lists, and serialising them took 22% more instructions (1% of a
/// cold build's).
impl Serialize for PageSummary<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Every field by name: one added to `ArchiveEntry` must be added here.
        let ArchiveEntry {
            title,
            description,
            date,
            updated,
            draft,
            path,
            permalink,
            tags,
            categories,
            extra,
        } = &self.entry;
        let mut out = serializer.serialize_struct("PageSummary", 13)?;
        out.serialize_field("title", title)?;
        out.serialize_field("description", description)?;
        out.serialize_field("date", date)?;
        out.serialize_field("updated", updated)?;
        out.serialize_field("draft", draft)?;
        out.serialize_field("path", path)?;
        out.serialize_field("permalink", permalink)?;
        out.serialize_field("tags", tags)?;
        out.serialize_field("categories", categories)?;
        out.serialize_field("extra", extra)?;
        out.serialize_field("summary", self.summary)?;
        out.serialize_field("has_more", &self.has_more)?;
        out.serialize_field("reading_time", &self.reading_time)?;
        out.end()
    }
}

/// A post in a list: made for this list, or cloned from `MadeValues`.
pub enum Summary<'a> {
    Fields(Box<PageSummary<'a>>),
    Made(tera::Value),
}

impl Serialize for Summary<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Summary::Fields(fields) => fields.serialize(serializer),
            Summary::Made(value) => value.serialize(serializer),
        }
    }
}

#[derive(Serialize)]
pub struct Paginator<'a> {
    pub pages: Vec<Summary<'a>>,
    /// 1-based number of this list page.
    pub current_index: usize,
    pub number_pagers: usize,
    /// Items over all list pages.
    pub total_pages: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[derive(Serialize)]
pub struct SectionContext<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub content: &'a str,
    pub path: &'a str,
    pub permalink: String,
    pub extra: &'a serde_json::Value,
    pub page_count: usize,
    pub subsections: Vec<PageLink<'a>>,
    /// The section's own feeds, when its `_index.md` has `feed: true`.
    pub rss: Option<String>,
    pub atom: Option<String>,
    /// JSON Feed 1.1 (`feed.json`).
    pub json_feed: Option<String>,
}

#[derive(Serialize)]
pub struct TaxonomyContext<'a> {
    pub name: &'a str,
    pub permalink: String,
    pub path: &'a str,
}

#[derive(Serialize)]
pub struct TermContext<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub permalink: String,
    pub path: &'a str,
    pub count: usize,
    /// The term's own feeds, when its taxonomy has `feed = true`.
    pub rss: Option<String>,
    pub atom: Option<String>,
    /// JSON Feed 1.1 (`feed.json`).
    pub json_feed: Option<String>,
}

/// A page as the archive lists it: a summary without what comes from the
/// body (`summary`, `has_more`, `reading_time`), so that the archive, which
/// lists every page, stays small and a body edit never changes it.
#[derive(Serialize)]
pub struct ArchiveEntry<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub path: &'a str,
    pub permalink: String,
    pub tags: Terms<'a>,
    pub categories: Terms<'a>,
    pub extra: &'a serde_json::Value,
}

/// Site-wide values every template gets as `site`: navigation and taxonomy
/// links, computed once per build.
#[derive(Serialize)]
pub struct SiteContext<'a> {
    /// Top-level sections that have pages, for navigation.
    pub sections: Vec<PageLink<'a>>,
    /// Pages at the content root (like an about page), for navigation.
    pub pages: Vec<PageLink<'a>>,
    pub taxonomies: Vec<TaxonomyContext<'a>>,
    pub rss: Option<String>,
    pub atom: Option<String>,
    /// JSON Feed 1.1 (`/feed.json`).
    pub json_feed: Option<String>,
    pub syntax_css: String,
}

/// Builds contexts for one site and config.
pub struct Contexts<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    /// Terms and summaries as template values, when the build made them.
    pub made: Option<&'a MadeValues>,
}

impl<'a> Contexts<'a> {
    pub fn permalink(&self, path: &str) -> String {
        self.config.permalink(path)
    }

    fn terms(&self, id: PageId, taxonomy: &str) -> Terms<'a> {
        let site = self.site;
        let Some(t) = site.taxonomies.iter().position(|t| t.name == taxonomy) else {
            return Terms::Links(Vec::new());
        };
        let ids = &site.page_terms[id][t];
        match self.made {
            Some(made) => Terms::Values(ids.iter().map(|&i| made.terms[t][i].clone()).collect()),
            None => Terms::Links(
                ids.iter()
                    .map(|&i| term_link(self.config, &site.taxonomies[t].terms[i]))
                    .collect(),
            ),
        }
    }

    pub fn page_link(&self, id: PageId) -> PageLink<'a> {
        let page = &self.site.pages[id];
        PageLink {
            title: &page.title,
            permalink: self.permalink(&page.path),
            path: &page.path,
        }
    }

    pub fn page(&self, id: PageId) -> PageContext<'a> {
        let site = self.site;
        let page = &site.pages[id];
        let taxonomies = site
            .taxonomies
            .iter()
            .map(|t| (t.name.as_str(), self.terms(id, &t.name)))
            .collect();
        let (lower, higher) = site.neighbours[id];
        PageContext {
            title: &page.title,
            description: page.meta.description.as_deref(),
            date: page.date,
            updated: page.meta.updated,
            draft: page.meta.draft,
            slug: &page.slug,
            path: &page.path,
            permalink: self.permalink(&page.path),
            content: &page.content,
            summary: &page.summary,
            has_more: page.has_more,
            diagrams: page.diagrams,
            toc: &page.toc,
            toc_placed: page.toc_placed,
            word_count: page.word_count,
            reading_time: page.reading_time,
            taxonomies,
            tags: self.terms(id, "tags"),
            categories: self.terms(id, "categories"),
            extra: &page.meta.extra,
            meta: &page.meta.other,
            section: &page.section,
            assets: page
                .assets
                .iter()
                .map(|a| format!("/{}", page.asset_output_path(a)))
                .collect(),
            lower: lower.map(|p| self.page_link(p)),
            higher: higher.map(|p| self.page_link(p)),
            meta_description: meta_description(page, self.config),
            first_image: crate::output::social_card::first_body_image(page)
                .map(|url| crate::output::social_card::absolute_url(self.config, &page.path, url)),
            preview_image: crate::output::social_card::preview_image(self.config, page),
            series: site
                .page_series
                .get(id)
                .copied()
                .flatten()
                .map(|(s, place)| self.series(s, Some(place))),
            related: site
                .related
                .get(id)
                .into_iter()
                .flatten()
                .map(|&p| {
                    let other = &site.pages[p];
                    RelatedLink {
                        title: &other.title,
                        permalink: self.permalink(&other.path),
                        path: &other.path,
                        date: other.date,
                    }
                })
                .collect(),
        }
    }

    /// Series `index`, seen from its part `place` (from 0) or from its page.
    pub fn series(&self, index: usize, place: Option<usize>) -> SeriesContext<'a> {
        let series = &self.site.series[index];
        SeriesContext {
            name: &series.name,
            slug: &series.slug,
            permalink: self.permalink(&series.url),
            path: &series.url,
            index: place.map_or(0, |p| p + 1),
            total: series.pages.len(),
            pages: series
                .pages
                .iter()
                .enumerate()
                .map(|(i, &p)| {
                    let page = &self.site.pages[p];
                    SeriesPart {
                        title: &page.title,
                        permalink: self.permalink(&page.path),
                        path: &page.path,
                        index: i + 1,
                        date: page.date,
                        current: place == Some(i),
                    }
                })
                .collect(),
        }
    }

    /// A series as a taxonomy term, for themes that show series pages with
    /// their term template.
    pub fn series_term(&self, index: usize) -> TermContext<'a> {
        let series = &self.site.series[index];
        TermContext {
            name: &series.name,
            slug: &series.slug,
            permalink: self.permalink(&series.url),
            path: &series.url,
            count: series.pages.len(),
            rss: None,
            atom: None,
            json_feed: None,
        }
    }

    pub fn summary(&self, id: PageId) -> PageSummary<'a> {
        let page = &self.site.pages[id];
        PageSummary {
            entry: self.archive_entry(id),
            summary: &page.summary,
            has_more: page.has_more,
            reading_time: page.reading_time,
        }
    }

    /// `summary`, as a list shows it: the build's made value when there is
    /// one (made now if this is the first list, and the budget allows).
    pub fn list_summary(&self, id: PageId) -> Summary<'a> {
        let Some((made, cell)) = self
            .made
            .and_then(|made| Some((made, made.summaries.get(id)?)))
        else {
            return Summary::Fields(Box::new(self.summary(id)));
        };
        let kept = cell.get_or_init(|| {
            let page = &self.site.pages[id];
            let cost = SUMMARY_OVERHEAD
                + page.summary.len()
                + page.title.len()
                + 2 * page.path.len()
                + page.meta.description.as_ref().map_or(0, String::len)
                + json_size(&page.meta.extra);
            within_budget(&made.summary_bytes, cost, SUMMARY_BUDGET)
                .then(|| tera::Value::from_serializable(&self.summary(id)))
        });
        match kept {
            Some(value) => Summary::Made(value.clone()),
            None => Summary::Fields(Box::new(self.summary(id))),
        }
    }

    pub fn archive_entry(&self, id: PageId) -> ArchiveEntry<'a> {
        let page = &self.site.pages[id];
        ArchiveEntry {
            title: &page.title,
            description: page.meta.description.as_deref(),
            date: page.date,
            updated: page.meta.updated,
            draft: page.meta.draft,
            path: &page.path,
            permalink: self.permalink(&page.path),
            tags: self.terms(id, "tags"),
            categories: self.terms(id, "categories"),
            extra: &page.meta.extra,
        }
    }

    /// The paginator for list page `pager` (1-based) of `pages` at `base`.
    pub fn paginator(
        &self,
        pages: &[PageId],
        per_page: usize,
        pager: usize,
        base: &str,
    ) -> Paginator<'a> {
        let count = pager_count(pages.len(), per_page);
        let slice = crate::site::pager_slice(pages, per_page, pager);
        let url = |n: usize| self.permalink(&pager_url(base, n));
        Paginator {
            pages: slice.iter().map(|&id| self.list_summary(id)).collect(),
            current_index: pager,
            number_pagers: count,
            total_pages: pages.len(),
            first: url(1),
            last: url(count),
            previous: (pager > 1).then(|| url(pager - 1)),
            next: (pager < count).then(|| url(pager + 1)),
        }
    }

    pub fn section(&self, index: usize) -> SectionContext<'a> {
        let section = &self.site.sections[index];
        SectionContext {
            title: &section.title,
            description: section.description.as_deref(),
            content: &section.content,
            path: &section.url,
            permalink: self.permalink(&section.url),
            extra: &section.extra,
            page_count: section.pages.len(),
            rss: (section.feed && self.config.feed.rss)
                .then(|| self.permalink(&format!("{}rss.xml", section.url))),
            atom: (section.feed && self.config.feed.atom)
                .then(|| self.permalink(&format!("{}atom.xml", section.url))),
            json_feed: (section.feed && self.config.feed.json)
                .then(|| self.permalink(&format!("{}feed.json", section.url))),
            subsections: section
                .subsections
                .iter()
                .map(|&s| {
                    let sub = &self.site.sections[s];
                    PageLink {
                        title: &sub.title,
                        permalink: self.permalink(&sub.url),
                        path: &sub.url,
                    }
                })
                .collect(),
        }
    }

    pub fn taxonomy(&self, index: usize) -> TaxonomyContext<'a> {
        let t = &self.site.taxonomies[index];
        TaxonomyContext {
            name: &t.name,
            permalink: self.permalink(&t.url),
            path: &t.url,
        }
    }

    pub fn term(&self, taxonomy: usize, term: usize) -> TermContext<'a> {
        let t = &self.site.taxonomies[taxonomy].terms[term];
        let feed = self
            .config
            .taxonomies
            .get(taxonomy)
            .is_some_and(|settings| settings.feed);
        let feed_url = |wanted: bool, name: &str| {
            (feed && wanted).then(|| self.permalink(&format!("{}{name}", t.url)))
        };
        TermContext {
            name: &t.name,
            slug: &t.slug,
            permalink: self.permalink(&t.url),
            path: &t.url,
            count: t.pages.len(),
            rss: feed_url(self.config.feed.rss, "rss.xml"),
            atom: feed_url(self.config.feed.atom, "atom.xml"),
            json_feed: feed_url(self.config.feed.json, "feed.json"),
        }
    }

    pub fn site_context(&self) -> SiteContext<'a> {
        let site = self.site;
        let sections = site
            .sections
            .iter()
            .skip(1)
            .filter(|s| !s.path.contains('/') && (!s.pages.is_empty() || s.source.is_some()))
            .map(|s| PageLink {
                title: &s.title,
                permalink: self.permalink(&s.url),
                path: &s.url,
            })
            .collect();
        SiteContext {
            sections,
            pages: site.sections[0]
                .pages
                .iter()
                .map(|&id| self.page_link(id))
                .collect(),
            taxonomies: (0..site.taxonomies.len())
                .map(|i| self.taxonomy(i))
                .collect(),
            rss: self.config.feed.rss.then(|| self.permalink("/rss.xml")),
            atom: self.config.feed.atom.then(|| self.permalink("/atom.xml")),
            json_feed: self.config.feed.json.then(|| self.permalink("/feed.json")),
            syntax_css: self.permalink("/syntax.css"),
        }
    }
}

/// A page's description for search results and link previews.
fn meta_description(page: &crate::content::Page, config: &Config) -> String {
    if let Some(d) = page
        .meta
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        return d.trim().to_string();
    }
    let text = super::filters::striptags(&page.summary);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return config.description.clone();
    }
    const MAX: usize = 160;
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > MAX / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The term the tests' pages have.
    fn rust() -> TermLink<'static> {
        TermLink {
            name: "Rust",
            slug: "rust",
            permalink: "https://example.com/tags/rust/".into(),
            path: "/tags/rust/",
        }
    }

    #[test]
    fn terms_made_once_are_what_templates_saw_before() {
        let links = || {
            vec![
                rust(),
                TermLink {
                    name: "Static <sites>",
                    slug: "static-sites",
                    permalink: "https://example.com/tags/static-sites/".into(),
                    path: "/tags/static-sites/",
                },
            ]
        };
        let made: Vec<tera::Value> = links().iter().map(tera::Value::from_serializable).collect();
        let fresh = tera::Value::from_serializable(&Terms::Links(links()));
        let cloned = tera::Value::from_serializable(&Terms::Values(made));
        assert!(fresh == cloned, "{fresh} != {cloned}");
        assert_eq!(fresh.len(), Some(2));
        // Rendered, the two are one text.
        let mut tera = tera::Tera::default();
        tera.add_raw_template(
            "t.html",
            "{% for t in tags %}<a href=\"{{ t.permalink }}\">{{ t.name }}</a>{{ t.slug }}{{ t.path }};{% endfor %}",
        )
        .expect("template");
        let render = |tags: &Terms| {
            let mut ctx = tera::Context::new();
            ctx.insert("tags", tags);
            tera.render("t.html", &ctx).expect("render")
        };
        let made: Vec<tera::Value> = links().iter().map(tera::Value::from_serializable).collect();
        let html = render(&Terms::Values(made));
        assert_eq!(html, render(&Terms::Links(links())));
        assert!(
            html.contains("Static &lt;sites&gt;</a>static-sites"),
            "{html}"
        );
        // Outside tera the values serialise as the links do.
        let made: Vec<tera::Value> = links().iter().map(tera::Value::from_serializable).collect();
        assert_eq!(
            serde_json::to_value(Terms::Values(made)).expect("json"),
            serde_json::to_value(Terms::Links(links())).expect("json"),
        );
    }

    #[test]
    fn a_summary_made_once_is_what_each_list_made_and_the_kept_ones_are_bounded() {
        let extra = serde_json::json!({"cover": "a.png", "n": [1, 2]});
        let summary = || PageSummary {
            entry: ArchiveEntry {
                title: "A <post>",
                description: None,
                date: Date::parse("2024-03-01T10:00:00+02:00").ok(),
                updated: Date::parse("2024-03-02").ok(),
                draft: true,
                path: "/posts/a/",
                permalink: "https://example.com/posts/a/".into(),
                tags: Terms::Values(vec![tera::Value::from_serializable(&rust())]),
                categories: Terms::Links(Vec::new()),
                extra: &extra,
            },
            summary: "<p>First & <em>only</em>.</p>",
            has_more: true,
            reading_time: 3,
        };
        let made = Summary::Made(tera::Value::from_serializable(&summary()));
        let fresh = Summary::Fields(Box::new(summary()));
        let mut tera = tera::Tera::default();
        crate::render::filters::register(&mut tera, "https://example.com");
        tera.add_raw_template(
            "list.html",
            "{% for p in pages %}<h2>{{ p.title }}</h2>{{ p.date | date(format=\"%Y\") }}{{ p.updated }}\
             {{ p.draft }}{{ p.path }}{{ p.permalink }}{% for t in p.tags %}{{ t.name }}{% endfor %}\
             {{ p.categories | length }}{{ p.extra.cover }}{{ p.extra.n | length }}{{ p.summary | safe }}\
             {{ p.has_more }}{{ p.reading_time }}{{ p.description }};{% endfor %}",
        )
        .expect("template");
        let render = |pages: Vec<Summary>| {
            let mut ctx = tera::Context::new();
            ctx.insert("pages", &pages);
            tera.render("list.html", &ctx).expect("render")
        };
        let html = render(vec![
            made,
            Summary::Made(tera::Value::from_serializable(&summary())),
        ]);
        assert_eq!(
            html,
            render(vec![fresh, Summary::Fields(Box::new(summary()))])
        );
        assert!(
            html.contains("<h2>A &lt;post&gt;</h2>2024") && html.contains("<em>only</em>"),
            "{html}"
        );

        // The budget: summaries are kept while they fit, and none after.
        let used = AtomicUsize::new(0);
        assert!(within_budget(&used, 600, 1000));
        assert!(within_budget(&used, 400, 1000));
        assert!(!within_budget(&used, 1, 1000));
        assert!(!within_budget(&used, 0, 1000), "spent stays spent");
    }

    #[test]
    fn a_summary_is_its_entry_and_its_own_fields_side_by_side() {
        let extra = serde_json::json!({"cover": "a.png"});
        let entry = || ArchiveEntry {
            title: "A post",
            description: Some("About it"),
            date: Date::parse("2024-03-01").ok(),
            updated: None,
            draft: false,
            path: "/posts/a/",
            permalink: "https://example.com/posts/a/".into(),
            tags: Terms::Links(vec![rust()]),
            categories: Terms::Links(Vec::new()),
            extra: &extra,
        };
        let mut expected = serde_json::to_value(entry()).expect("entry");
        let fields = expected.as_object_mut().expect("an object");
        fields.insert("summary".into(), "<p>First.</p>".into());
        fields.insert("has_more".into(), true.into());
        fields.insert("reading_time".into(), 3.into());
        let summary = PageSummary {
            entry: entry(),
            summary: "<p>First.</p>",
            has_more: true,
            reading_time: 3,
        };
        assert_eq!(serde_json::to_value(&summary).expect("summary"), expected);
    }
}
