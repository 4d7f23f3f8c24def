//! The site model: pages placed at their URLs, sections with their pages in
//! order, taxonomies and terms, the home page list, the year archive, aliases,
//! series (`series.rs`), related posts (`related.rs`) and the list of render
//! jobs. Pure data built from loaded content and the config; no I/O, so
//! `serve` can rebuild it cheaply and tests can call it.

pub mod related;
pub mod series;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use crate::config::Config;
use crate::content::load::Loaded;
use crate::content::url::{self, check_author_path, expand_permalink};
use crate::content::{Page, PageId};
use crate::diagnostics::Diagnostic;

#[derive(Debug)]
pub struct Section {
    /// Path relative to content/, `""` for the root.
    pub path: String,
    /// URL path, like `/posts/`.
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    pub content: String,
    /// Highlighting classes the section text's code uses.
    pub code_classes: Vec<String>,
    /// Links in the section text, and the ids it defines.
    pub links: Vec<crate::content::page::SourceLink>,
    pub ids: Vec<String>,
    pub source: Option<PathBuf>,
    pub template: Option<String>,
    /// The line of `template` in `_index.md`.
    pub template_line: usize,
    pub extra: serde_json::Value,
    /// Pages of this section and its subsections, in the section's order.
    pub pages: Vec<PageId>,
    /// Direct subsections, as indexes into `Site::sections`.
    pub subsections: Vec<usize>,
    pub paginate: usize,
    /// One of `SORT_BY`: `date` (newest first) unless `_index.md` says.
    pub sort_by: String,
    /// The section has feeds of its own (`/posts/rss.xml`); never the root,
    /// whose feeds are the site's.
    pub feed: bool,
}

#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Newest first.
    pub pages: Vec<PageId>,
}

#[derive(Debug)]
pub struct Taxonomy {
    pub name: String,
    pub url: String,
    pub paginate: usize,
    /// Sorted by name, case-insensitively.
    pub terms: Vec<Term>,
}

#[derive(Debug)]
pub struct Alias {
    /// Canonical URL path of the alias (`/old/` or `/old.html`).
    pub path: String,
    pub target: PageId,
}

/// One HTML file to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderJob {
    Page(PageId),
    /// A list page of a section; `pager` counts from 1.
    Section {
        section: usize,
        pager: usize,
    },
    Home {
        pager: usize,
    },
    TaxonomyList(usize),
    Term {
        taxonomy: usize,
        term: usize,
        pager: usize,
    },
    Archive,
    NotFound,
    /// The page listing every series, and one series' page.
    SeriesList,
    Series(usize),
    /// The search page (`[search] enabled = true`).
    Search,
}

#[derive(Debug, Default)]
pub struct Site {
    pub pages: Vec<Arc<Page>>,
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    /// Pages the home page lists, newest first.
    pub home: Vec<PageId>,
    /// Items per home list page (the config's `paginate`).
    pub home_paginate: usize,
    pub home_title: Option<String>,
    pub home_description: Option<String>,
    pub home_content: String,
    /// (year, pages newest first), newest year first.
    pub archive: Vec<(i16, Vec<PageId>)>,
    pub aliases: Vec<Alias>,
    /// For each page: the previous (older) and next (newer) page in its section.
    pub neighbours: Vec<(Option<PageId>, Option<PageId>)>,
    /// For each page: the index of its section in `sections`.
    pub page_section: Vec<usize>,
    /// For each page and each taxonomy (in config order): its terms, as
    /// indexes into that taxonomy's `terms`, in the order the author wrote.
    pub page_terms: Vec<Vec<Vec<usize>>>,
    /// Content assets outside bundles, relative to content/.
    pub assets: Vec<PathBuf>,
    /// When the next future-dated page becomes due (and the site changes).
    pub next_due: Option<Timestamp>,
    /// Pages left out (drafts, future dates) by URL, with their files, so
    /// that a link to one says why it is missing.
    pub left_out: std::collections::HashMap<String, PathBuf>,
    /// Series in slug order, and for each page its series and place.
    pub series: Vec<series::Series>,
    pub page_series: Vec<Option<(usize, usize)>>,
    /// The series have pages of their own (no `series` taxonomy has them).
    pub series_pages: bool,
    /// For each page: its related pages, best first.
    pub related: Vec<Vec<PageId>>,
}

/// Whether a page is published at `now`: not a draft and not dated later.
/// Zola's `render = false`: the page makes no file of its own, so it is in
/// no list, feed or sitemap either, even with `--drafts`.
pub fn renders(page: &Page) -> bool {
    page.meta.other.get("render") != Some(&serde_json::Value::Bool(false))
}

/// Where the page sends its readers instead (jekyll-redirect-from's and
/// Zola's `redirect_to`): its URL is a redirect page to this absolute URL.
pub fn redirect_to(page: &Page, config: &Config) -> Option<String> {
    let target = match page.meta.other.get("redirect_to")? {
        serde_json::Value::String(one) => one.trim(),
        serde_json::Value::Array(many) => many.first()?.as_str()?.trim(),
        _ => return None,
    };
    if target.is_empty() {
        return None;
    }
    Some(if target.starts_with('/') && !target.starts_with("//") {
        config.permalink(target)
    } else {
        target.to_string()
    })
}

pub fn is_published(page: &Page, now: Timestamp) -> bool {
    !page.meta.draft
        && page.date.is_none_or(|d| d.timestamp() <= now)
        && page.meta.publish_date.is_none_or(|d| d.timestamp() <= now)
        && page.meta.expiry_date.is_none_or(|d| d.timestamp() > now)
}

impl Site {
    /// Runs `f` with `page`, a page of an existing section that the model
    /// has not seen, added as the last page: between its neighbours in its
    /// section's order, with the terms it names that exist already, in no
    /// series and with no related pages. The model is as it was afterwards.
    /// For `blog serve` to show a new post while the rebuild that places it
    /// everywhere runs. `None` when no section holds the page.
    pub fn with_provisional<R>(
        &mut self,
        page: Arc<Page>,
        f: impl FnOnce(&Site, PageId) -> R,
    ) -> Option<R> {
        let index = self.sections.iter().position(|s| s.path == page.section)?;
        let section = &self.sections[index];
        let neighbours = if section.sort_by == "none" {
            (None, None)
        } else {
            let own: Vec<PageId> = section
                .pages
                .iter()
                .copied()
                .filter(|&p| self.page_section[p] == index)
                .collect();
            let by = section.sort_by.as_str();
            let at = own.partition_point(|&p| page_order(&self.pages[p], &page, by).is_lt());
            (own.get(at).copied(), at.checked_sub(1).map(|i| own[i]))
        };
        let terms = self
            .taxonomies
            .iter()
            .map(|taxonomy| {
                named_terms(&page, taxonomy, |name| {
                    let slug = url::term_slug(name);
                    taxonomy.terms.iter().position(|t| t.slug == slug)
                })
            })
            .collect();
        let id = self.pages.len();
        self.pages.push(page);
        self.neighbours.push(neighbours);
        self.page_section.push(index);
        self.page_terms.push(terms);
        self.page_series.push(None);
        self.related.push(Vec::new());
        let result = f(self, id);
        self.pages.truncate(id);
        self.neighbours.truncate(id);
        self.page_section.truncate(id);
        self.page_terms.truncate(id);
        self.page_series.truncate(id);
        self.related.truncate(id);
        Some(result)
    }

    /// Builds the model. Drafts and future pages are dropped unless
    /// `include_drafts`.
    pub fn build(
        loaded: Loaded,
        config: &Config,
        include_drafts: bool,
        now: Timestamp,
        related: related::Finder<'_>,
    ) -> (Site, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        // The earliest moment time alone changes the site: a left-out page's
        // date or publishDate comes, or a page's expiryDate.
        let next_due = loaded
            .pages
            .iter()
            .filter(|p| !include_drafts && !p.meta.draft)
            .flat_map(|p| [p.date, p.meta.publish_date, p.meta.expiry_date])
            .filter_map(|d| d.map(|d| d.timestamp()))
            .filter(|t| *t > now)
            .min();
        // Pages arrive with their URLs (set when parsed); they are shared, so
        // a rebuild that reuses parsed files copies nothing.
        let (mut pages, left_out): (Vec<Arc<Page>>, Vec<Arc<Page>>) = loaded
            .pages
            .into_iter()
            .partition(|p| renders(p) && (include_drafts || is_published(p, now)));
        let left_out = left_out
            .into_iter()
            .map(|p| (p.path.clone(), p.source.clone()))
            .collect();
        pages.sort_by(|a, b| a.source.cmp(&b.source));

        // Sections, in path order; the root section is always first.
        let mut sections: Vec<Section> = loaded
            .sections
            .into_iter()
            .map(|(path, meta)| {
                let url = if path.is_empty() {
                    "/".to_string()
                } else {
                    let slugged: Vec<String> = path.split('/').map(url::slugify).collect();
                    url::normalize_dir_path(&slugged.join("/"))
                };
                let title = meta
                    .meta
                    .title
                    .clone()
                    .unwrap_or_else(|| default_section_title(&path));
                Section {
                    url,
                    title,
                    description: meta.meta.description.clone(),
                    content: meta.content,
                    code_classes: meta.code_classes,
                    links: meta.links,
                    ids: meta.ids,
                    source: meta.source,
                    template: meta.meta.template.clone(),
                    template_line: meta.template_line,
                    extra: meta.meta.extra.clone(),
                    pages: Vec::new(),
                    subsections: Vec::new(),
                    paginate: meta.meta.paginate.unwrap_or(config.paginate),
                    sort_by: meta
                        .meta
                        .sort_by
                        .clone()
                        .unwrap_or_else(|| "date".to_string()),
                    feed: meta.feed && !path.is_empty(),
                    path,
                }
            })
            .collect();
        let index: BTreeMap<String, usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.path.clone(), i))
            .collect();
        for i in 0..sections.len() {
            if let Some(parent) = parent_section(&sections[i].path) {
                if let Some(&p) = index.get(parent) {
                    sections[p].subsections.push(i);
                }
            }
        }
        let mut page_section = Vec::with_capacity(pages.len());
        for (id, page) in pages.iter().enumerate() {
            let own = index.get(&page.section).copied().unwrap_or(0);
            page_section.push(own);
            // A page is listed by its section and every ancestor but the root.
            let mut current = Some(page.section.as_str());
            while let Some(path) = current {
                if path.is_empty() {
                    break;
                }
                if let Some(&s) = index.get(path) {
                    sections[s].pages.push(id);
                }
                current = parent_section(path);
            }
        }
        for section in &mut sections {
            sort_pages(&mut section.pages, &pages, &section.sort_by);
        }
        // Root section: only its own direct pages (about, etc.).
        sections[0].pages = (0..pages.len())
            .filter(|&id| pages[id].section.is_empty())
            .collect();
        let root_sort = sections[0].sort_by.clone();
        sort_pages(&mut sections[0].pages, &pages, &root_sort);

        // Neighbours run along each section's own pages, in its order.
        let mut neighbours = vec![(None, None); pages.len()];
        for (index, section) in sections.iter().enumerate() {
            // Zola's `none`: a list in no order has no neighbours.
            if section.sort_by == "none" {
                continue;
            }
            let own: Vec<PageId> = section
                .pages
                .iter()
                .copied()
                .filter(|&p| page_section[p] == index)
                .collect();
            for (pos, &id) in own.iter().enumerate() {
                // Lists are newest first: the next item is older.
                neighbours[id] = (
                    own.get(pos + 1).copied(),
                    pos.checked_sub(1).map(|i| own[i]),
                );
            }
        }

        let main: Vec<&str> = config.main_sections.iter().map(String::as_str).collect();
        let mut home: Vec<PageId> = (0..pages.len())
            .filter(|&id| {
                let section = pages[id].section.as_str();
                if main.is_empty() {
                    !section.is_empty()
                } else {
                    main.iter()
                        .any(|m| section == *m || section.starts_with(&format!("{m}/")))
                }
            })
            .collect();
        sort_pages(&mut home, &pages, "date");

        let slugs = term_slugs(&pages);
        // A term needs a letter or digit for its URL; one without would be
        // left out silently.
        for page in &pages {
            for (taxonomy, names) in &page.meta.taxonomies {
                for name in names {
                    if slugs.get(name.as_str()).is_some_and(String::is_empty) {
                        let (line, col) = page.key_position(taxonomy);
                        diagnostics.push(
                            Diagnostic::new(
                                &page.source,
                                format!("term `{name}` (in {taxonomy}) has no letter or digit to make its URL from"),
                            )
                            .at(line, col)
                            .hint("name it with at least one letter or digit"),
                        );
                    }
                }
            }
        }
        let taxonomies: Vec<Taxonomy> = config
            .taxonomies
            .iter()
            .map(|t| {
                build_taxonomy(
                    &t.name,
                    t.paginate.unwrap_or(config.paginate),
                    &pages,
                    &slugs,
                )
            })
            .collect();
        let page_terms = page_terms(&taxonomies, &pages, &slugs);
        drop(slugs);
        let (series, page_series) = if config.series.enabled {
            series::build(&pages)
        } else {
            (Vec::new(), vec![None; pages.len()])
        };
        let series_pages =
            config.series.enabled && !config.taxonomies.iter().any(|t| t.name == "series");
        let related = related(&pages, &taxonomies, &page_terms, &config.related);

        let mut archive: Vec<(i16, Vec<PageId>)> = Vec::new();
        for &id in &home {
            if let Some(date) = pages[id].date {
                match archive.last_mut() {
                    Some((year, list)) if *year == date.year() => list.push(id),
                    _ => archive.push((date.year(), vec![id])),
                }
            }
        }

        let mut aliases = Vec::new();
        for (id, page) in pages.iter().enumerate() {
            for alias in &page.meta.aliases {
                match check_author_path(alias) {
                    // An alias naming the page's own URL (common after an
                    // import that listed every URL a post had) redirects
                    // nowhere: it is dropped.
                    Ok(path) if path == page.path => {}
                    Ok(path) => aliases.push(Alias { path, target: id }),
                    Err(message) => {
                        let (line, col) = page.key_position("aliases");
                        diagnostics.push(
                            Diagnostic::new(
                                &page.source,
                                format!("alias `{}` {message}", alias.escape_debug()),
                            )
                            .at(line, col)
                            .hint("aliases are paths on this site, like /2019/old-name/"),
                        );
                    }
                }
            }
        }

        // Links to markdown files, now that every URL is known.
        crate::file_links::resolve_site(&mut pages, &mut sections, config);

        let root = &sections[0];
        let home_title = sections[0].source.as_ref().map(|_| root.title.clone());
        let site = Site {
            home_title,
            home_description: sections[0].description.clone(),
            home_content: sections[0].content.clone(),
            pages,
            sections,
            taxonomies,
            home,
            home_paginate: config.paginate,
            archive,
            aliases,
            neighbours,
            page_section,
            page_terms,
            assets: loaded.assets,
            next_due,
            left_out,
            series,
            page_series,
            series_pages,
            related,
        };
        (site, diagnostics)
    }

    /// Every HTML file to render, in a deterministic order.
    pub fn render_jobs(&self, config: &Config) -> Vec<RenderJob> {
        let mut jobs: Vec<RenderJob> = (0..self.pages.len()).map(RenderJob::Page).collect();
        for pager in 1..=pager_count(self.home.len(), config.paginate) {
            jobs.push(RenderJob::Home { pager });
        }
        for (i, section) in self.sections.iter().enumerate().skip(1) {
            if section.pages.is_empty() && section.source.is_none() {
                continue;
            }
            for pager in 1..=pager_count(section.pages.len(), section.paginate) {
                jobs.push(RenderJob::Section { section: i, pager });
            }
        }
        for (t, taxonomy) in self.taxonomies.iter().enumerate() {
            jobs.push(RenderJob::TaxonomyList(t));
            for (term_index, term) in taxonomy.terms.iter().enumerate() {
                for pager in 1..=pager_count(term.pages.len(), taxonomy.paginate) {
                    jobs.push(RenderJob::Term {
                        taxonomy: t,
                        term: term_index,
                        pager,
                    });
                }
            }
        }
        if self.series_pages && !self.series.is_empty() {
            jobs.push(RenderJob::SeriesList);
            jobs.extend((0..self.series.len()).map(RenderJob::Series));
        }
        jobs.push(RenderJob::Archive);
        jobs.push(RenderJob::NotFound);
        if config.search.enabled {
            jobs.push(RenderJob::Search);
        }
        jobs
    }

    /// The URL path a job renders to.
    pub fn job_url(&self, job: RenderJob) -> String {
        match job {
            RenderJob::Page(id) => self.pages[id].path.clone(),
            RenderJob::Home { pager } => pager_url("/", pager),
            RenderJob::Section { section, pager } => pager_url(&self.sections[section].url, pager),
            RenderJob::TaxonomyList(t) => self.taxonomies[t].url.clone(),
            RenderJob::Term {
                taxonomy,
                term,
                pager,
            } => pager_url(&self.taxonomies[taxonomy].terms[term].url, pager),
            RenderJob::Archive => "/archive/".to_string(),
            RenderJob::NotFound => "/404.html".to_string(),
            RenderJob::SeriesList => series::SERIES_URL.to_string(),
            RenderJob::Series(s) => self.series[s].url.clone(),
            RenderJob::Search => crate::search::PAGE_PATH.to_string(),
        }
    }

    /// The file that makes this job, for error messages about URL clashes.
    pub fn job_source(&self, job: RenderJob) -> String {
        match job {
            RenderJob::Page(id) => self.pages[id].source.display().to_string(),
            RenderJob::Section { section, .. } => match &self.sections[section].source {
                Some(s) => s.display().to_string(),
                None => format!("the section content/{}/", self.sections[section].path),
            },
            RenderJob::Home { .. } => "the home page".to_string(),
            RenderJob::TaxonomyList(t) | RenderJob::Term { taxonomy: t, .. } => {
                format!("the `{}` taxonomy", self.taxonomies[t].name)
            }
            RenderJob::Archive => "the archive page".to_string(),
            RenderJob::NotFound => "the 404 page".to_string(),
            RenderJob::SeriesList => "the series list".to_string(),
            RenderJob::Series(s) => format!("the series `{}`", self.series[s].name),
            RenderJob::Search => "the search page".to_string(),
        }
    }

    /// A hash of everything a job's output is made from, given `global` (a
    /// hash of the config, the site-wide template context and the templates).
    /// Equal fingerprints mean equal output, so `blog serve` re-renders only
    /// jobs whose fingerprint changed. Pages enter by `source_hash`, which
    /// covers every field derived from their file.
    pub fn job_fingerprint(&self, job: RenderJob, global: u64, page_keys: &[u64]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        global.hash(&mut h);
        // Not a page's index: adding a page shifts the indexes of others.
        self.job_url(job).hash(&mut h);
        let section = |h: &mut std::collections::hash_map::DefaultHasher, s: &Section| {
            (
                &s.title,
                &s.description,
                &s.content,
                &s.url,
                s.pages.len(),
                s.feed,
            )
                .hash(h);
            s.extra.to_string().hash(h);
            for &sub in &s.subsections {
                (&self.sections[sub].title, &self.sections[sub].url).hash(h);
            }
        };
        match job {
            RenderJob::Page(id) => {
                let (lower, higher) = self.neighbours[id];
                for n in [lower, higher] {
                    n.map(|n| (&self.pages[n].title, &self.pages[n].path))
                        .hash(&mut h);
                }
                // The series box and the related list name other pages.
                if let Some((s, place)) = self.page_series[id] {
                    let series = &self.series[s];
                    (&series.name, &series.url, place).hash(&mut h);
                    for &p in &series.pages {
                        (&self.pages[p].title, &self.pages[p].path).hash(&mut h);
                    }
                }
                for &p in &self.related[id] {
                    let page = &self.pages[p];
                    (&page.title, &page.path, page.date.map(|d| d.timestamp())).hash(&mut h);
                }
            }
            RenderJob::SeriesList => {
                for s in &self.series {
                    (&s.name, &s.url, s.pages.len()).hash(&mut h);
                }
            }
            RenderJob::Series(s) => {
                (&self.series[s].name, self.series[s].pages.len()).hash(&mut h);
            }
            RenderJob::Section { section: s, pager } => {
                let sec = &self.sections[s];
                section(&mut h, sec);
                (sec.pages.len(), sec.paginate, pager).hash(&mut h);
            }
            RenderJob::Home { pager } => {
                section(&mut h, &self.sections[0]);
                (self.home.len(), self.home_paginate, pager).hash(&mut h);
            }
            RenderJob::TaxonomyList(t) => {
                for term in &self.taxonomies[t].terms {
                    (&term.name, &term.url, term.pages.len()).hash(&mut h);
                }
            }
            RenderJob::Term {
                taxonomy,
                term,
                pager,
            } => {
                let tax = &self.taxonomies[taxonomy];
                let t = &tax.terms[term];
                (&t.name, &t.url, t.pages.len(), tax.paginate, pager).hash(&mut h);
            }
            RenderJob::Archive => {
                for (year, pages) in &self.archive {
                    (year, pages.len()).hash(&mut h);
                }
            }
            RenderJob::NotFound | RenderJob::Search => {}
        }
        for id in self.shown_pages(job) {
            page_keys[id].hash(&mut h);
        }
        h.finish()
    }

    /// The pages whose parsed fields a job shows: the page itself, or the
    /// slice of pages a list page lists, in order. Page neighbours show only
    /// their title and URL, which `job_fingerprint` covers separately.
    pub fn shown_pages(&self, job: RenderJob) -> Box<dyn Iterator<Item = PageId> + '_> {
        let slice = pager_slice;
        match job {
            RenderJob::Page(id) => Box::new(std::iter::once(id)),
            RenderJob::Section { section, pager } => {
                let sec = &self.sections[section];
                Box::new(slice(&sec.pages, sec.paginate, pager).iter().copied())
            }
            RenderJob::Home { pager } => {
                Box::new(slice(&self.home, self.home_paginate, pager).iter().copied())
            }
            RenderJob::Term {
                taxonomy,
                term,
                pager,
            } => {
                let tax = &self.taxonomies[taxonomy];
                Box::new(
                    slice(&tax.terms[term].pages, tax.paginate, pager)
                        .iter()
                        .copied(),
                )
            }
            RenderJob::Archive => {
                Box::new(self.archive.iter().flat_map(|(_, ids)| ids.iter().copied()))
            }
            RenderJob::Series(s) => Box::new(self.series[s].pages.iter().copied()),
            RenderJob::TaxonomyList(_)
            | RenderJob::NotFound
            | RenderJob::SeriesList
            | RenderJob::Search => Box::new(std::iter::empty()),
        }
    }

    /// Per page, a hash of what any job shows of it: its source (which
    /// decides every field parsed from it), URL, section and terms. Computed
    /// once per build for `job_fingerprint`.
    pub fn page_keys(&self) -> Vec<u64> {
        use std::hash::{Hash, Hasher};
        (0..self.pages.len())
            .map(|id| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                let p = &self.pages[id];
                // file_links: a link to a markdown file shows the URL of
                // another page, which can change while this file does not.
                (p.source_hash, &p.path, &p.section, &p.file_links).hash(&mut h);
                for (t, terms) in self.page_terms[id].iter().enumerate() {
                    for &i in terms {
                        let term = &self.taxonomies[t].terms[i];
                        (&term.name, &term.url).hash(&mut h);
                    }
                }
                h.finish()
            })
            .collect()
    }

    /// The pages besides its neighbours that name page `id`: the other
    /// parts of its series and those listing it as related.
    pub fn pages_naming(&self, id: PageId) -> impl Iterator<Item = PageId> + '_ {
        let series = self.page_series[id]
            .map(|(s, _)| self.series[s].pages.as_slice())
            .unwrap_or_default();
        let related = (0..self.pages.len()).filter(move |&p| self.related[p].contains(&id));
        series
            .iter()
            .copied()
            .chain(related)
            .filter(move |&p| p != id)
    }

    /// Every highlighting class the site's code uses, for the stylesheet.
    pub fn code_classes(&self) -> std::collections::BTreeSet<String> {
        let pages = self.pages.iter().flat_map(|p| p.code_classes.iter());
        let sections = self.sections.iter().flat_map(|s| s.code_classes.iter());
        pages.chain(sections).cloned().collect()
    }

    /// Pages for feeds and the sitemap: published only, never drafts or
    /// future pages, even in a `--drafts` build.
    pub fn public_pages(&self, now: Timestamp) -> impl Iterator<Item = PageId> + '_ {
        (0..self.pages.len()).filter(move |&id| is_published(&self.pages[id], now))
    }
}

/// The `sort_by` values of `_index.md`, Zola's set.
pub const SORT_BY: [&str; 8] = [
    "date",
    "update_date",
    "title",
    "title_bytes",
    "weight",
    "slug",
    "permalink",
    "none",
];

/// Orders a list as `by` says, as Zola does: `date` newest first,
/// `update_date` by the `updated` date where there is one; `title`, `slug`
/// and `permalink` in natural lexical order (`natural_cmp`), `title_bytes`
/// in byte order; `weight` lightest first; `none` in file order. Pages
/// without the value go last; ties fall to the source path.
fn sort_pages(list: &mut [PageId], pages: &[Arc<Page>], by: &str) {
    list.sort_by(|&a, &b| page_order(&pages[a], &pages[b], by));
}

/// The order `sort_pages` puts two pages in.
fn page_order(pa: &Page, pb: &Page, by: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let newest_first = |x: Option<Timestamp>, y: Option<Timestamp>| match (x, y) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    {
        let primary = match by {
            "weight" => pa
                .meta
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&pb.meta.weight.unwrap_or(i64::MAX)),
            "title" => natural_cmp(&pa.title, &pb.title),
            "title_bytes" => pa.title.as_bytes().cmp(pb.title.as_bytes()),
            "slug" => natural_cmp(&pa.slug, &pb.slug),
            "permalink" => natural_cmp(&pa.path, &pb.path),
            "none" => Ordering::Equal,
            "update_date" => {
                let when = |p: &Page| p.meta.updated.or(p.date).map(|d| d.timestamp());
                newest_first(when(pa), when(pb))
            }
            _ => newest_first(
                pa.date.map(|d| d.timestamp()),
                pb.date.map(|d| d.timestamp()),
            ),
        };
        primary.then_with(|| pa.source.cmp(&pb.source))
    }
}

/// Natural lexical order, as Zola's `title` sort: letters compared without
/// case or accents (`Métro` as `metro`, `μ` as `m`), runs of digits as
/// numbers (`Track-2` before `Track-13`), then the texts as written.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (
        deunicode::deunicode(a).to_lowercase(),
        deunicode::deunicode(b).to_lowercase(),
    );
    let (mut x, mut y) = (x.as_str(), y.as_str());
    loop {
        let (Some(cx), Some(cy)) = (x.chars().next(), y.chars().next()) else {
            return x.len().cmp(&y.len()).then_with(|| a.cmp(b));
        };
        if cx.is_ascii_digit() && cy.is_ascii_digit() {
            let end = |t: &str| t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
            let (nx, ny) = (&x[..end(x)], &y[..end(y)]);
            let (tx, ty) = (nx.trim_start_matches('0'), ny.trim_start_matches('0'));
            let by_number = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
            if by_number.is_ne() {
                return by_number;
            }
            x = &x[nx.len()..];
            y = &y[ny.len()..];
            continue;
        }
        if cx != cy {
            return cx.cmp(&cy);
        }
        x = &x[cx.len_utf8()..];
        y = &y[cy.len_utf8()..];
    }
}

/// Slugs of every term name the pages use, made once per build: slugifying
/// transliterates, and each name appears on many pages.
fn term_slugs(pages: &[Arc<Page>]) -> HashMap<&str, String> {
    let mut slugs = HashMap::new();
    for page in pages {
        for names in page.meta.taxonomies.values() {
            for name in names {
                slugs
                    .entry(name.as_str())
                    .or_insert_with(|| url::term_slug(name));
            }
        }
    }
    slugs
}

fn build_taxonomy(
    name: &str,
    paginate: usize,
    pages: &[Arc<Page>],
    slugs: &HashMap<&str, String>,
) -> Taxonomy {
    let url = format!("/{name}/");
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        let Some(names) = page.meta.taxonomies.get(name) else {
            continue;
        };
        for term_name in names {
            let slug = slugs
                .get(term_name.as_str())
                .cloned()
                .unwrap_or_else(|| url::term_slug(term_name));
            if slug.is_empty() {
                continue;
            }
            let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                name: term_name.clone(),
                url: format!("{url}{slug}/"),
                slug,
                pages: Vec::new(),
            });
            if term.pages.last() != Some(&id) {
                term.pages.push(id);
            }
        }
    }
    let mut terms: Vec<Term> = terms.into_values().collect();
    for term in &mut terms {
        sort_pages(&mut term.pages, pages, "date");
    }
    terms.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.slug.cmp(&b.slug))
    });
    Taxonomy {
        name: name.to_string(),
        url,
        paginate,
        terms,
    }
}

fn page_terms(
    taxonomies: &[Taxonomy],
    pages: &[Arc<Page>],
    term_slug: &HashMap<&str, String>,
) -> Vec<Vec<Vec<usize>>> {
    let by_slug: Vec<std::collections::HashMap<&str, usize>> = taxonomies
        .iter()
        .map(|t| {
            t.terms
                .iter()
                .enumerate()
                .map(|(i, term)| (term.slug.as_str(), i))
                .collect()
        })
        .collect();
    pages
        .iter()
        .map(|page| {
            taxonomies
                .iter()
                .zip(&by_slug)
                .map(|(taxonomy, by)| {
                    named_terms(page, taxonomy, |name| {
                        let slug = term_slug.get(name).map(String::as_str).unwrap_or("");
                        by.get(slug).copied()
                    })
                })
                .collect()
        })
        .collect()
}

/// The terms `page` names in `taxonomy`, as indexes into its `terms` that
/// `index_of` finds for each name, in the order the author wrote, each once.
fn named_terms(
    page: &Page,
    taxonomy: &Taxonomy,
    index_of: impl Fn(&str) -> Option<usize>,
) -> Vec<usize> {
    let mut found: Vec<usize> = Vec::new();
    for name in page
        .meta
        .taxonomies
        .get(&taxonomy.name)
        .into_iter()
        .flatten()
    {
        if let Some(i) = index_of(name).filter(|i| !found.contains(i)) {
            found.push(i);
        }
    }
    found
}

/// Why a page has no URL: the message, the front matter key it is about
/// (its line is where the error points), and a hint.
#[derive(Debug)]
pub struct UrlError {
    pub key: &'static str,
    pub message: String,
    pub hint: String,
}

/// The front matter keys that set a page's whole URL, as Jekyll
/// (`permalink`), Hugo (`url`) and Zola (`path`) name them; the first one
/// a page has wins over the permalink pattern.
pub const URL_KEYS: [&str; 3] = ["permalink", "url", "path"];

/// A page's URL path: its own `permalink`, `url` or `path` front matter,
/// else its section's permalink pattern.
pub fn page_url(page: &Page, config: &Config) -> Result<String, UrlError> {
    let section_url: Vec<String> = page
        .section
        .split('/')
        .filter(|s| !s.is_empty())
        .map(url::slugify)
        .collect();
    let section_url = section_url.join("/");
    let stem = file_stem(&page.source);
    let name = crate::content::date::Date::from_file_name(&stem)
        .map_or(stem.as_str(), |(_, _, rest)| rest);
    let title = url::pretty_slug(page.meta.slug.as_deref().unwrap_or(name));
    let filename = url::slugify(&stem);
    let mut categories: Vec<String> = page
        .meta
        .taxonomies
        .get("categories")
        .cloned()
        .unwrap_or_default();
    // Jekyll's singular `category:`.
    if let Some(serde_json::Value::String(one)) = page.meta.other.get("category") {
        categories.push(one.clone());
    }
    let parts = url::UrlParts {
        section: &section_url,
        slug: &page.slug,
        title: if title.is_empty() { &page.slug } else { &title },
        filename: if filename.is_empty() {
            &page.slug
        } else {
            &filename
        },
        has_slug: page.meta.slug.is_some(),
        categories: &categories,
        date: page.date.as_ref(),
    };
    if let Some((key, value)) = URL_KEYS
        .iter()
        .find_map(|k| page.meta.other.get(*k).map(|v| (*k, v)))
    {
        return own_url(key, value, &parts);
    }
    let top = page.section.split('/').next().unwrap_or("");
    let pattern = config
        .permalinks
        .get(&page.section)
        .or_else(|| config.permalinks.get(top))
        .map(String::as_str)
        .unwrap_or("/:section/:slug/");
    expand_permalink(pattern, &parts).map_err(|message| UrlError {
        key: "date",
        message,
        hint: "add a `date:` to the front matter, or change the permalink in config.toml".into(),
    })
}

/// A URL the page's front matter gives itself. Jekyll's `permalink` may
/// use the pattern placeholders; a leading `/` is optional (Hugo and Zola
/// write `url = "about"`); a path ending in `.html` is that file, any
/// other a directory.
fn own_url(
    key: &'static str,
    value: &serde_json::Value,
    parts: &url::UrlParts,
) -> Result<String, UrlError> {
    let error = |message: String, hint: &str| UrlError {
        key,
        message,
        hint: hint.to_string(),
    };
    let serde_json::Value::String(written) = value else {
        return Err(error(
            format!("`{key}` must be a path like /about/"),
            "write it as text: permalink: /about/",
        ));
    };
    if written.contains('\0') || written.contains("://") || written.starts_with("//") {
        // Checked before placeholders, so the message names the value.
        if let Err(why) = check_author_path(written) {
            return Err(error(
                format!("`{key}` `{}` {why}", written.escape_debug()),
                URL_HINT,
            ));
        }
    }
    let with_slash = if written.starts_with('/') {
        written.clone()
    } else {
        format!("/{written}")
    };
    if !url::has_placeholders(&with_slash) {
        return check_author_path(&with_slash).map_err(|why| {
            error(
                format!("`{key}` `{}` {why}", written.escape_debug()),
                URL_HINT,
            )
        });
    }
    if let Some(unknown) = url::unknown_placeholder(&with_slash) {
        return Err(error(
            format!(
                "unknown placeholder `{unknown}` in `{key}`; the placeholders are {}",
                url::placeholder_list()
            ),
            URL_HINT,
        ));
    }
    expand_permalink(&with_slash, parts).map_err(|message| {
        let hint = if message.contains("needs a date") {
            "add a `date:` to the front matter"
        } else {
            URL_HINT
        };
        error(
            message.replacen("the permalink", &format!("`{key}`"), 1),
            hint,
        )
    })
}

const URL_HINT: &str =
    "write a path on this site from its root, like /2020/01/02/name.html or /about/";

/// The file name without extension, or a bundle's folder name.
fn file_stem(source: &std::path::Path) -> String {
    let named = if source.file_name().is_some_and(|n| n == "index.md") {
        source.parent()
    } else {
        Some(source)
    };
    named
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn parent_section(path: &str) -> Option<&str> {
    if path.is_empty() {
        None
    } else {
        Some(path.rfind('/').map_or("", |i| &path[..i]))
    }
}

fn default_section_title(path: &str) -> String {
    let name = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .replace(['-', '_'], " ");
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Number of list pages for `count` items; always at least one.
/// The items list page `pager` (from 1) shows, `per_page` a page (0: all).
pub fn pager_slice(list: &[PageId], per_page: usize, pager: usize) -> &[PageId] {
    if per_page == 0 {
        list
    } else {
        let start = (pager.max(1) - 1) * per_page;
        &list[start.min(list.len())..(start + per_page).min(list.len())]
    }
}

pub fn pager_count(count: usize, per_page: usize) -> usize {
    if per_page == 0 {
        1
    } else {
        count.div_ceil(per_page).max(1)
    }
}

pub fn pager_url(base: &str, pager: usize) -> String {
    if pager <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{pager}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_is_zolas() {
        let mut words = vec![
            "underground",
            "Track-13",
            "meter",
            "BART",
            "Track-3",
            "Métro",
            "bolero",
            "μ-kernel",
            "bachata",
            "Track-2",
        ];
        words.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            words,
            [
                "bachata",
                "BART",
                "bolero",
                "μ-kernel",
                "meter",
                "Métro",
                "Track-2",
                "Track-3",
                "Track-13",
                "underground"
            ]
        );
        assert_eq!(natural_cmp("a02", "a2"), std::cmp::Ordering::Less);
        assert_eq!(natural_cmp("Same", "same"), std::cmp::Ordering::Less);
    }
}
