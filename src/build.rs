//! The whole pipeline of `blog build`: config → content → site model →
//! render (in parallel) → output, returning a report or every diagnostic
//! found. Disk I/O happens at the two ends only.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Config, Overrides};
use crate::content::load::{self, ParseCache, CONTENT_DIR};
use crate::content::url::output_file;
use crate::diagnostics::{self, BuildFailed, Diagnostic};
use crate::markdown::cache::{self, HighlightCache};
use crate::markdown::Highlighter;
use crate::output::assets::{self, Assets};
use crate::output::write::{check_output_dir, Staging};
use crate::output::Sink;
use crate::output::{feeds, redirects, sitemap, social_card};
use crate::progress::Progress;
use crate::render::context::Contexts;
use crate::render::theme::{StaticFile, Theme};
use crate::render::Templates;
use crate::site::{RenderJob, Site};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `public` under the root.
    pub output: Option<PathBuf>,
    pub overrides: Overrides,
    pub drafts: bool,
    pub now: Timestamp,
    /// What the link check covers (`blog check` adds images).
    pub link_scope: crate::links::Scope,
    /// Draw a progress line for long stages (on a terminal).
    pub progress: bool,
    /// Broken links and missing templates are errors (`--strict`; config.toml's
    /// `strict = true` does the same), not warnings.
    pub strict: bool,
    /// Print the warnings of a build that succeeds to stderr, as it ends
    /// (`blog serve` prints each rebuild's; `blog build --quiet` none).
    pub print_warnings: bool,
    /// Publish CSS and JS also under names with their content's hash
    /// (`output::assets`); `blog serve` does not, so stylesheets swap live.
    pub fingerprint: bool,
    /// Minify when the config asks (`minify = true`, `--minify`); `blog
    /// serve` does not, so pages read as the templates wrote them.
    pub minify: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            overrides: Overrides::default(),
            drafts: false,
            now: Timestamp::now(),
            link_scope: crate::links::Scope { images: false },
            progress: false,
            strict: false,
            print_warnings: true,
            fingerprint: true,
            minify: true,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub sections: usize,
    pub terms: usize,
    pub files: usize,
    /// Output files rendered from templates by this build; the rest were
    /// reused (in serve) or copied.
    pub rendered: usize,
    pub elapsed: Duration,
    /// Time spent in each stage, in order, for `--verbose`.
    pub stages: Vec<Stage>,
    /// What the build warned about (broken links, missing templates), sorted.
    pub warnings: Vec<Diagnostic>,
    /// Each redirect page written (an alias, a `redirect_to` page): its
    /// output file and where it sends a browser, for `blog deploy`.
    pub redirects: Vec<(String, String)>,
    /// Social cards drawn by this build, and those taken from the cache
    /// (or kept from the last build, in serve).
    pub cards_drawn: usize,
    pub cards_cached: usize,
    /// Local images found, and how many were decoded and files encoded
    /// (none of either when every image was cached).
    pub images: crate::images::ImageCounts,
}

/// How long a stage of a build took, and the CPU time the process spent
/// in it (all threads, user and system), where the system says.
#[derive(Debug, Clone, Copy)]
pub struct Stage {
    pub name: &'static str,
    pub wall: Duration,
    pub cpu: Option<Duration>,
}

impl Stage {
    /// The stage's line for `--verbose`: its time, and how many cores it
    /// kept busy on average (CPU time over wall time), when it took long
    /// enough for the CPU clock's 10 ms ticks to say.
    pub fn line(&self) -> String {
        let ms = self.wall.as_millis();
        match self.cpu {
            Some(cpu) if self.wall >= Duration::from_millis(100) => format!(
                "  {:<32} {ms:>6} ms  {:.1} cores",
                self.name,
                cpu.as_secs_f64() / self.wall.as_secs_f64()
            ),
            _ => format!("  {:<32} {ms:>6} ms", self.name),
        }
    }
}

/// Records how long each stage of a build took.
struct Stopwatch {
    last: Instant,
    last_cpu: Option<Duration>,
    stages: Vec<Stage>,
}

impl Stopwatch {
    fn new() -> Self {
        Stopwatch {
            last: Instant::now(),
            last_cpu: process_cpu_time(),
            stages: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        let cpu = process_cpu_time();
        self.stages.push(Stage {
            name,
            wall: now - self.last,
            cpu: cpu
                .zip(self.last_cpu)
                .map(|(now, then)| now.saturating_sub(then)),
        });
        self.last = now;
        self.last_cpu = cpu;
    }
}

/// The CPU time of the whole process so far: on Linux, utime plus stime
/// of /proc/self/stat, in USER_HZ ticks (100 a second on every
/// architecture Linux runs blog on); elsewhere, unknown.
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    cpu_time_of_stat(&stat)
}

fn cpu_time_of_stat(stat: &str) -> Option<Duration> {
    // The command name (field 2) is in parentheses and may hold spaces:
    // the fields are counted after its closing one.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_ascii_whitespace();
    // Fields 3..=13 come first; utime and stime are 14 and 15.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// What a build failed with: the author's mistakes, or a fault of the
/// machine (disk full, permissions) as plumbing context.
#[derive(Debug)]
pub enum BuildError {
    Site(BuildFailed),
    Io(anyhow::Error),
}

impl From<Vec<Diagnostic>> for BuildError {
    fn from(mut d: Vec<Diagnostic>) -> Self {
        diagnostics::sort_and_dedup(&mut d);
        BuildError::Site(BuildFailed(d))
    }
}

impl From<anyhow::Error> for BuildError {
    fn from(e: anyhow::Error) -> Self {
        BuildError::Io(e)
    }
}

/// One file to write, and what it comes from (for clash errors).
enum Output {
    Job(RenderJob),
    Bytes(Vec<u8>),
    Copy(PathBuf),
    Embedded(&'static [u8]),
    /// A page's social card (`output::social_card`).
    Card(crate::content::PageId),
    /// Already in the staging directory, as the previous output had it.
    Kept,
}

/// Builds the site into its output directory, atomically.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    run(options, Destination::Disk, None).map(|(report, _)| report)
}

/// `build`, for a process that exits once it has reported (`blog build`):
/// what the build made is left to the exit, not freed. Freeing the pages
/// of 10,000 posts was 4% of a rebuild's instructions, on one thread; a
/// compiler driver skips the same work (clang's `-disable-free`). Nothing
/// in it is written on drop: the caches are saved by the build itself.
pub fn build_then_exit(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    run(options, Destination::Disk, None).map(|(report, built)| {
        std::mem::forget(built);
        report
    })
}

/// Builds the site into `sink` (for `blog serve`), reusing `highlighter` when
/// its themes still match the config. Returns the highlighter to reuse.
pub fn build_into(
    options: &BuildOptions,
    sink: &dyn Sink,
    highlighter: Option<Arc<Highlighter>>,
    parse_cache: &mut ParseCache,
) -> Result<(BuildReport, Built), BuildError> {
    run(
        options,
        Destination::Sink(sink, parse_cache, None),
        highlighter,
    )
}

/// `build_into`, reusing what the last build's search index knows of the
/// pages that did not change (`blog serve`'s rebuilds).
pub fn build_into_reusing(
    options: &BuildOptions,
    sink: &dyn Sink,
    highlighter: Option<Arc<Highlighter>>,
    parse_cache: &mut ParseCache,
    search: Option<&crate::search::Index>,
) -> Result<(BuildReport, Built), BuildError> {
    run(
        options,
        Destination::Sink(sink, parse_cache, search),
        highlighter,
    )
}

/// What a build made, kept by `blog serve` so that the next edit of a page's
/// body can be rendered on its own (`patch`).
pub struct Built {
    pub root: PathBuf,
    pub config: Config,
    pub site: Site,
    pub templates: Templates,
    pub highlighter: Arc<Highlighter>,
    pub now: Timestamp,
    /// Every file of the output, for checking the links of patched pages.
    pub outputs: std::collections::HashSet<String>,
    pub link_scope: crate::links::Scope,
    /// The archive's entries, converted once and reused by every patch.
    pub archive: crate::render::ArchiveCache,
    /// The build's link warnings, sorted: a patch whose pages warn of
    /// anything else falls back to a rebuild, which reports it.
    pub link_warnings: Vec<Diagnostic>,
    /// Link problems are errors (`--strict` or `strict = true`).
    pub strict: bool,
    /// The pages' local images and their copies, for patched pages.
    pub images: crate::images::Published,
    /// The search index (`[search] enabled = true`), for patched pages.
    pub search: Option<crate::search::Index>,
    /// Each page's id by its source file (`page_ids`).
    page_ids: std::sync::OnceLock<HashMap<PathBuf, crate::content::PageId>>,
}

/// What [`Built::patch_first`] made, and the list pages it left to render.
pub struct Patched {
    pub files: Vec<(String, Vec<u8>)>,
    pub lists: Vec<RenderJob>,
}

impl Built {
    /// Each page's id by its source file, made on first use (a patch never
    /// moves a page). Finding an edited post by walking the pages cost a
    /// save in `blog serve` time in proportion to its place among 100,000
    /// posts; `blog serve` makes this once a build is served, so that the
    /// first save does not wait for it either.
    pub fn page_ids(&self) -> &HashMap<PathBuf, crate::content::PageId> {
        self.page_ids.get_or_init(|| {
            let pages = self.site.pages.iter().enumerate();
            pages.map(|(id, p)| (p.source.clone(), id)).collect()
        })
    }

    /// Renders again only what the files in `changed` can alter, when every
    /// changed path is an existing page's markdown file and each new page
    /// keeps its place in the site: the same URL, date, draft state, sort
    /// keys, terms, aliases, template and code classes, and the same title
    /// where a title orders a list or names the page in every page's
    /// navigation. Then lists keep their members and order, and the pages to
    /// render are the changed pages themselves, their neighbours when the
    /// title changed, the list pages that show one of them (only if what
    /// lists show of it changed), and the feeds when they include one. Returns
    /// those files, or `None` when a full rebuild is needed; after `None`,
    /// `self` is unchanged.
    pub fn patch(
        &mut self,
        changed: &std::collections::BTreeSet<PathBuf>,
    ) -> Option<Vec<(String, Vec<u8>)>> {
        self.patch_in_parts(changed, false)
            .map(|patched| patched.files)
    }

    /// [`Built::patch`] in two parts, for `blog serve` to show the saved page
    /// before the lists: the returned files are the edited pages, their
    /// neighbours, cards, feeds and search shards, and `lists` the list
    /// pages (sections, terms, the home page, the archive) still to render
    /// with [`Built::render_lists`]. At 100,000 posts a new title re-renders
    /// an archive of 100,000 entries, ten times the time of the rest.
    pub fn patch_first(
        &mut self,
        changed: &std::collections::BTreeSet<PathBuf>,
    ) -> Option<Patched> {
        self.patch_in_parts(changed, true)
    }

    /// Renders the list pages a [`Built::patch_first`] left, with the images
    /// their templates made (`resize_image` thumbnails). `None` when one
    /// fails to render; then `self` keeps the patched pages (as the files on
    /// disk are), the first part stays served, and the rebuild that follows
    /// reports the error over it.
    pub fn render_lists(&self, jobs: &[RenderJob]) -> Option<Vec<(String, Vec<u8>)>> {
        let mut files = self.render_patch_jobs(jobs).ok()?;
        self.append_images_made(&mut files);
        Some(files)
    }

    /// Adds the images templates have made so far; publishing drops those
    /// whose bytes did not change.
    fn append_images_made(&self, files: &mut Vec<(String, Vec<u8>)>) {
        for (path, made) in self.templates.images_made() {
            if let Ok(bytes) = made.data.read() {
                files.push((path, bytes));
            }
        }
    }

    fn render_patch_jobs(&self, jobs: &[RenderJob]) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        let contexts = Contexts {
            site: &self.site,
            config: &self.config,
            made: None,
        };
        jobs.par_iter()
            .map(|&job| {
                let html = self
                    .templates
                    .render_with(&contexts, job, Some(&self.archive))?;
                Ok((output_file(&self.site.job_url(job)), html.into_bytes()))
            })
            .collect()
    }

    fn patch_in_parts(
        &mut self,
        changed: &std::collections::BTreeSet<PathBuf>,
        lists_later: bool,
    ) -> Option<Patched> {
        let root = self.root.canonicalize().ok()?;
        let mut updates = Vec::new();
        for path in changed {
            let rel = path.strip_prefix(&root).ok()?;
            if self.is_unknown_and_gone(&root, rel) {
                // An editor's temporary file, written and removed again.
                continue;
            }
            let is_page = rel.starts_with(CONTENT_DIR)
                && rel.extension().is_some_and(|e| e == "md")
                && rel.file_name().is_some_and(|n| n != "_index.md");
            if !is_page {
                return None;
            }
            let id = *self.page_ids().get(rel)?;
            let old = &self.site.pages[id];
            let bytes = std::fs::read(root.join(&old.source)).ok()?;
            let text = crate::content::page::normalize_text(bytes, &old.source).ok()?;
            let new = crate::content::page::parse_page(
                old.source.clone(),
                old.section.clone(),
                old.assets.clone(),
                &text,
                &self.config,
                &self.highlighter,
                Some(&self.templates),
            )
            .ok()?;
            let same_place = new.path == old.path
                && new.date == old.date
                && new.meta.updated == old.meta.updated
                && crate::site::renders(&new)
                && new.meta.publish_date == old.meta.publish_date
                && new.meta.expiry_date == old.meta.expiry_date
                && new.meta.draft == old.meta.draft
                && crate::site::is_published(&new, self.now)
                    == crate::site::is_published(old, self.now)
                && (new.title == old.title || self.title_is_shown_not_sorted(id))
                && new.meta.series == old.meta.series
                && new.meta.series_order == old.meta.series_order
                && new.meta.weight == old.meta.weight
                && new.meta.taxonomies == old.meta.taxonomies
                && new.meta.aliases == old.meta.aliases
                && new.meta.template == old.meta.template
                // A redirect page is written where the page would be.
                && crate::site::redirect_to(&new, &self.config).is_none()
                && crate::site::redirect_to(old, &self.config).is_none()
                && new.code_classes == old.code_classes
                // A card appears or goes with the page's images.
                && social_card::wants_card(&self.config, &new)
                    == social_card::wants_card(&self.config, old)
                // New warnings are printed by a rebuild.
                && new.warnings == old.warnings;
            if !same_place {
                return None;
            }
            // An image the last build did not see: a rebuild finds it.
            let mut new = Arc::new(new);
            if !self.images.apply(&mut new, &self.config) {
                return None;
            }
            updates.push((id, new));
        }
        // Swap the new pages in, noting those that lists show differently.
        let mut swapped = Vec::new();
        let mut relisted = std::collections::HashSet::new();
        let mut rearchived = std::collections::HashSet::new();
        for (id, new) in updates {
            let before = self.listing_json(id);
            let new = crate::file_links::resolve_in(&self.site, new, &self.config);
            let old = std::mem::replace(&mut self.site.pages[id], new);
            swapped.push((id, old));
            let after = self.listing_json(id);
            if after.0 != before.0 {
                relisted.insert(id);
            }
            if after.1 != before.1 {
                rearchived.insert(id);
            }
        }
        // A new link may be broken, and a changed heading may break links
        // to the page from anywhere: the rebuild reports those. Warnings the
        // last build printed already are no reason to rebuild.
        let exists = |path: &str| self.outputs.contains(path);
        let targets = crate::links::Targets::new(&self.site, &exists, self.templates.ids());
        let same_ids = swapped
            .iter()
            .all(|(id, old)| self.site.pages[*id].ids == old.ids);
        let broken = if same_ids {
            let ids: Vec<_> = swapped.iter().map(|(id, _)| *id).collect();
            targets.check_pages(&self.config, self.link_scope, &ids)
        } else {
            targets.check(&self.config, self.link_scope)
        };
        let mut broken: Vec<Diagnostic> = broken
            .into_iter()
            .map(|d| d.warning_unless(self.strict))
            .collect();
        diagnostics::sort_and_dedup(&mut broken);
        let before: Vec<&Diagnostic> = self
            .link_warnings
            .iter()
            .filter(|d| {
                !same_ids
                    || swapped
                        .iter()
                        .any(|(id, _)| d.path == self.site.pages[*id].source)
            })
            .collect();
        if !broken.iter().eq(before) {
            self.restore(swapped);
            return None;
        }
        let mut jobs: Vec<RenderJob> = swapped.iter().map(|(id, _)| RenderJob::Page(*id)).collect();
        // A new title shows on the pages linking to it as their neighbour.
        for (id, old) in &swapped {
            if self.site.pages[*id].title != old.title {
                let (lower, higher) = self.site.neighbours[*id];
                jobs.extend(lower.into_iter().chain(higher).map(RenderJob::Page));
                // And in the series box and related list of others.
                jobs.extend(self.site.pages_naming(*id).map(RenderJob::Page));
                if let Some((series, _)) = self.site.page_series[*id] {
                    if self.site.series_pages {
                        jobs.push(RenderJob::Series(series));
                    }
                }
            }
        }
        jobs.sort_by_key(|job| self.site.job_url(*job));
        jobs.dedup();
        let mut list_jobs = Vec::new();
        if !relisted.is_empty() || !rearchived.is_empty() {
            list_jobs.extend(
                self.site
                    .render_jobs(&self.config)
                    .into_iter()
                    .filter(|&job| {
                        let shows = match job {
                            RenderJob::Page(_) => return false,
                            RenderJob::Archive => &rearchived,
                            _ => &relisted,
                        };
                        !shows.is_empty()
                            && self.site.shown_pages(job).any(|id| shows.contains(&id))
                    }),
            );
        }
        for (id, _) in &swapped {
            self.archive.forget(*id);
        }
        if !lists_later {
            jobs.append(&mut list_jobs);
        }
        let Ok(mut files) = self.render_patch_jobs(&jobs) else {
            self.restore(swapped);
            return None;
        };
        // An edited page's card is drawn again (it may show anything of the
        // page); a card that fails falls back to the rebuild, which reports it.
        let carded: Vec<crate::content::PageId> = swapped
            .iter()
            .map(|(id, _)| *id)
            .filter(|&id| social_card::wants_card(&self.config, &self.site.pages[id]))
            .collect();
        if !carded.is_empty() {
            let contexts = Contexts {
                site: &self.site,
                config: &self.config,
                made: None,
            };
            let painter = social_card::Painter::new();
            let cache = social_card::CardCache::new(None);
            let counts = social_card::Counts::default();
            let name = &self.config.social_cards.template;
            let cards: Result<Vec<(String, Vec<u8>)>, Diagnostic> = carded
                .par_iter()
                .map(|&id| {
                    let svg = self.templates.render_card(&contexts, name, id)?;
                    let png = social_card::png_for(
                        &svg,
                        &self.templates.path_of(name),
                        &painter,
                        &cache,
                        &counts,
                    )?;
                    let path = social_card::card_path(&self.site.pages[id].path);
                    Ok((output_file(&path), png))
                })
                .collect();
            match cards {
                Ok(mut cards) => files.append(&mut cards),
                Err(_) => {
                    self.restore(swapped);
                    return None;
                }
            }
        }
        self.append_images_made(&mut files);
        let published: Vec<bool> = self
            .site
            .pages
            .iter()
            .map(|p| crate::site::is_published(p, self.now))
            .collect();
        // The feeds that list an edited page: the site's, its terms', and
        // its sections', where those have feeds.
        let items = feeds::feed_items(&self.site, &published, self.config.feed.limit);
        let terms: std::collections::HashSet<&str> = swapped
            .iter()
            .flat_map(|(id, _)| self.site.page_terms[*id].iter().enumerate())
            .flat_map(|(t, terms)| terms.iter().map(move |&i| (t, i)))
            .map(|(t, i)| self.site.taxonomies[t].terms[i].url.as_str())
            .collect();
        let lists = |url: &str| {
            self.site
                .sections
                .iter()
                .any(|s| s.url == url && swapped.iter().any(|(id, _)| s.pages.contains(id)))
        };
        let written = (|| -> std::io::Result<Vec<(String, Vec<u8>)>> {
            let mut out = Vec::new();
            if swapped.iter().any(|(id, _)| items.contains(id)) {
                let channel = feeds::Channel::site(&self.config);
                feeds::channel_feeds(&self.site, &self.config, &channel, &items, &mut out)?;
            }
            if !terms.is_empty() {
                out.extend(feeds::term_feeds(
                    &self.site,
                    &self.config,
                    &published,
                    |url| terms.contains(url),
                )?);
            }
            out.extend(feeds::section_feeds(
                &self.site,
                &self.config,
                &published,
                lists,
            )?);
            Ok(out)
        })();
        match written {
            Ok(mut feeds) => files.append(&mut feeds),
            Err(_) => {
                self.restore(swapped);
                return None;
            }
        }
        // The shards and chunks of the edited pages' words.
        if let Some(index) = &mut self.search {
            let (site, config, now) = (&self.site, &self.config, self.now);
            if !swapped
                .iter()
                .all(|(id, _)| index.keeps(site, config, now, *id))
            {
                self.restore(swapped);
                return None;
            }
            for (id, old) in &swapped {
                files.append(&mut index.update(site, *id, old));
            }
        }
        Some(Patched {
            files,
            lists: list_jobs,
        })
    }

    /// The pages of new posts in `changed`, rendered against this build's
    /// model (`Site::with_provisional`), for `blog serve` to show while the
    /// rebuild that puts them in every list runs: at 100,000 posts that
    /// rebuild takes seconds, and the author has just saved the post.
    /// Only plain posts qualify: a new markdown file in an existing section
    /// (not a bundle), published now, at an address no file has, that
    /// renders with its images known. The model is unchanged; `None` when
    /// any changed path is something else.
    pub fn preview_new(
        &mut self,
        changed: &std::collections::BTreeSet<PathBuf>,
    ) -> Option<Vec<(String, Vec<u8>)>> {
        let root = self.root.canonicalize().ok()?;
        let mut files = Vec::new();
        for path in changed {
            let rel = path.strip_prefix(&root).ok()?;
            if self.is_unknown_and_gone(&root, rel) {
                continue;
            }
            let inside = rel.strip_prefix(CONTENT_DIR).ok()?;
            let name = inside.file_name()?.to_str()?;
            let folder = inside.parent()?;
            let plain = name.ends_with(".md")
                && name != "_index.md"
                && name != "index.md"
                && !root
                    .join(CONTENT_DIR)
                    .join(folder)
                    .join("index.md")
                    .exists()
                && !self.page_ids().contains_key(rel);
            // A link is the rebuild's to check (one out of the site is an
            // error there), so it is not followed here.
            if !plain || path.symlink_metadata().ok()?.file_type().is_symlink() {
                return None;
            }
            let bytes = std::fs::read(path).ok()?;
            let text = crate::content::page::normalize_text(bytes, rel).ok()?;
            let page = crate::content::page::parse_page(
                rel.to_path_buf(),
                load::rel_string(folder),
                Vec::new(),
                &text,
                &self.config,
                &self.highlighter,
                Some(&self.templates),
            )
            .ok()?;
            let file = output_file(&page.path);
            let shown = crate::site::renders(&page)
                && crate::site::is_published(&page, self.now)
                && crate::site::redirect_to(&page, &self.config).is_none()
                && !self.outputs.contains(&file);
            if !shown {
                return None;
            }
            let mut page = Arc::new(page);
            if !self.images.apply(&mut page, &self.config) {
                return None;
            }
            let page = crate::file_links::resolve_in(&self.site, page, &self.config);
            let (templates, config) = (&self.templates, &self.config);
            let html = self.site.with_provisional(page, |site, id| {
                let contexts = Contexts {
                    site,
                    config,
                    made: None,
                };
                templates.render(&contexts, RenderJob::Page(id))
            })?;
            files.push((file, html.ok()?.into_bytes()));
        }
        if files.is_empty() {
            return None;
        }
        self.append_images_made(&mut files);
        Some(files)
    }

    /// Puts back the pages a failed patch swapped out, forgetting what was
    /// made from their replacements.
    fn restore(&mut self, swapped: Vec<(crate::content::PageId, Arc<crate::content::Page>)>) {
        for (id, old) in swapped.into_iter().rev() {
            self.site.pages[id] = old;
            self.archive.forget(id);
        }
    }

    /// Whether `rel` no longer exists and never was a file or folder of
    /// content/ that the site used (so its removal changes nothing).
    fn is_unknown_and_gone(&self, root: &Path, rel: &Path) -> bool {
        if root.join(rel).symlink_metadata().is_ok() {
            return false;
        }
        let Ok(inside) = rel.strip_prefix(CONTENT_DIR) else {
            return false;
        };
        let used = |p: &Path| p.starts_with(inside);
        let pages = self
            .site
            .pages
            .iter()
            .any(|page| page.source.starts_with(rel) || page.assets.iter().any(|a| used(a)));
        let sections = self.site.sections.iter().any(|s| {
            s.source.as_ref().is_some_and(|src| src.starts_with(rel)) || used(Path::new(&s.path))
        });
        !inside.as_os_str().is_empty()
            && !pages
            && !sections
            && !self.site.assets.iter().any(|a| used(a))
    }

    /// Whether a new title of page `id` changes only what shows it (the
    /// page, its neighbours, lists, the archive, feeds) and no order: no
    /// section listing it sorts by title (terms and the home page sort by
    /// date), and it is not a page at the content root, which every page's
    /// navigation names.
    fn title_is_shown_not_sorted(&self, id: crate::content::PageId) -> bool {
        !self.site.pages[id].section.is_empty()
            && !self
                .site
                .sections
                .iter()
                .any(|s| s.sort_by.starts_with("title") && s.pages.contains(&id))
    }

    /// What lists and the archive show of a page, serialized.
    fn listing_json(&self, id: crate::content::PageId) -> (String, String) {
        let contexts = Contexts {
            site: &self.site,
            config: &self.config,
            made: None,
        };
        (
            serde_json::to_string(&contexts.summary(id)).unwrap_or_default(),
            serde_json::to_string(&contexts.archive_entry(id)).unwrap_or_default(),
        )
    }
}

enum Destination<'a> {
    Disk,
    /// A sink, and parsed files and a search index to reuse.
    Sink(
        &'a dyn Sink,
        &'a mut ParseCache,
        Option<&'a crate::search::Index>,
    ),
}

fn run(
    options: &BuildOptions,
    mut destination: Destination,
    reuse: Option<Arc<Highlighter>>,
) -> Result<(BuildReport, Built), BuildError> {
    let started = Instant::now();
    let mut watch = Stopwatch::new();
    let root = &options.root;
    let output_dir = options.output_dir();
    load::check_site_root(root).map_err(|d| vec![d])?;
    if let Destination::Disk = destination {
        check_output_dir(root, &output_dir).map_err(|d| vec![d])?;
    }

    let mut config = Config::load(root)?;
    config.apply_overrides(&options.overrides, &|k| std::env::var(k).ok());

    let mut errors = Vec::new();
    if let Some((name, from)) = &config.read_from {
        errors.push(
            Diagnostic::new(
                name,
                format!("this {from} site's settings are read from here (title, base URL, language, taxonomies, permalinks); its own templates are not used, only blog's theme and templates/shortcodes/"),
            )
            .hint(format!("`blog import --from {} . ../my-blog` makes a site of blog's own from it, every old URL kept", from.to_lowercase()))
            .warning(),
        );
    }
    let env = |k: &str| std::env::var(k).ok();
    let cache_dir = cache::site_cache_dir(root, &env);
    // The highlighter (its themes' stylesheet rules) and the templates
    // (read and parsed) are made side by side: a build of one post is
    // mostly these two, and nothing else needs a core yet.
    let ((highlighter, highlighter_error), (theme, theme_errors, templates, static_files)) =
        rayon::join(
            || match reuse
                .filter(|h| h.has_themes(&config.highlight_theme, &config.highlight_theme_dark))
            {
                Some(h) => (Some(h), None),
                None => match Highlighter::with_themes(
                    &config.highlight_theme,
                    &config.highlight_theme_dark,
                ) {
                    Ok(h) => {
                        let h = match &cache_dir {
                            Some(dir) => h.cached(HighlightCache::open(dir.clone())).cached_pages(
                                crate::markdown::page_cache::PageCache::open(dir.clone()),
                            ),
                            None => h,
                        };
                        (Some(Arc::new(h)), None)
                    }
                    Err(d) => (None, Some(d)),
                },
            },
            || {
                let mut errors = Vec::new();
                let theme = Theme::resolve(root, &config.theme)
                    .map_err(|d| errors.push(d))
                    .ok();
                let templates = theme.as_ref().and_then(|t| {
                    match t
                        .templates(root, config.read_from.is_some())
                        .map(with_card_template)
                        .and_then(|files| Templates::load(files, &config))
                    {
                        Ok(t) => Some(t),
                        Err(mut e) => {
                            errors.append(&mut e);
                            None
                        }
                    }
                });
                let static_files = theme.as_ref().and_then(|t| {
                    let mut files = t
                        .static_files(root)
                        .map_err(|mut e| errors.append(&mut e))
                        .ok()?;
                    crate::search::drop_unused_script(&config, &mut files);
                    let theme_dir = match t {
                        Theme::Dir(dir) => Some(dir.as_path()),
                        Theme::Embedded => None,
                    };
                    crate::output::sass::compile_into(root, theme_dir, &mut files)
                        .map_err(|mut e| errors.append(&mut e))
                        .ok()?;
                    Some(files)
                });
                (theme, errors, templates, static_files)
            },
        );
    errors.extend(highlighter_error);
    errors.extend(theme_errors);

    watch.lap("config and templates");
    let Some(highlighter) = highlighter else {
        return Err(errors.into());
    };
    let (loaded, mut content_errors) = {
        let progress = Progress::start(options.progress, "Reading content");
        let mut fresh = ParseCache::default();
        let cache = match &mut destination {
            Destination::Sink(_, cache, _) => cache,
            Destination::Disk => &mut fresh,
        };
        let shortcodes = templates
            .as_ref()
            .map(|t| t as &dyn crate::dialect::Shortcodes);
        load::load_cached(root, &config, &highlighter, shortcodes, cache, &progress)
    };
    watch.lap("content");
    errors.append(&mut content_errors);
    let strict = options.strict || config.strict;
    errors.extend(
        loaded
            .pages
            .iter()
            .flat_map(|p| p.warnings.iter())
            .map(|d| match strict {
                true => Diagnostic {
                    severity: diagnostics::Severity::Error,
                    ..d.clone()
                },
                false => d.clone(),
            }),
    );
    let related = |pages: &[Arc<crate::content::Page>],
                   taxonomies: &[crate::site::Taxonomy],
                   page_terms: &[Vec<Vec<usize>>],
                   settings: &crate::config::RelatedConfig| {
        let store = highlighter.caches().map(|(_, pages)| pages);
        crate::site::related::build_cached(store, pages, taxonomies, page_terms, settings)
    };
    let (mut site, mut model_errors) =
        Site::build(loaded, &config, options.drafts, options.now, &related);
    errors.append(&mut model_errors);
    watch.lap("site model");

    let jobs = site.render_jobs(&config);
    if let Some(templates) = &templates {
        errors.extend(templates.check_jobs(&site, &jobs, options.strict || config.strict));
        let card = &config.social_cards.template;
        if config.social_cards.enabled && !templates.has(card) {
            let mut d = Diagnostic::new(
                crate::config::CONFIG_FILE,
                format!("the social card template `{card}` is in neither the site's templates/ nor its theme's"),
            )
            .hint(format!("create templates/{card}, or remove `template` from [social_cards] to use the built-in card"));
            if let Ok(text) = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)) {
                if let Some(line) = crate::config::find_key_line(&text, "template") {
                    d = d.at(line, 1);
                }
            }
            errors.push(d);
        }
    }
    let syntax_css = highlighter.stylesheet(&site.code_classes());
    let (Some(mut templates), Some(static_files)) = (templates, static_files) else {
        return Err(errors.into());
    };
    let minify = config.minify && options.minify;
    let (static_files, syntax_css) = match minify {
        true => {
            let (files, mut warnings) = crate::output::minify::static_files(root, static_files);
            errors.append(&mut warnings);
            let css = crate::output::minify::css(&syntax_css).unwrap_or(syntax_css);
            (files, css)
        }
        false => (static_files, syntax_css),
    };
    let assets = match Assets::collect(root, &static_files, &syntax_css, options.fingerprint) {
        Ok(assets) => assets,
        Err(mut e) => {
            errors.append(&mut e);
            return Err(errors.into());
        }
    };

    let published: Vec<bool> = site
        .pages
        .iter()
        .map(|p| crate::site::is_published(p, options.now))
        .collect();
    // The search index is made from the model beside the plan, in
    // parallel, unless the previous output (the spare) holds one made from
    // the same pages.
    let search_inputs = config
        .search
        .enabled
        .then(|| crate::search::Inputs::new(&site, &config, options.now));
    let spare_dir = cache_dir
        .as_ref()
        .map(|dir| dir.join(spare_name(&output_dir)));
    let search_kept = match (&destination, &search_inputs, &spare_dir) {
        (Destination::Disk, Some(inputs), Some(spare)) => inputs.existing(spare),
        _ => None,
    };
    let (plan, search) = rayon::join(
        || {
            plan_outputs(
                root,
                &site,
                &config,
                &jobs,
                &published,
                static_files,
                syntax_css,
                &assets,
                &mut errors,
            )
        },
        || match (&search_inputs, &search_kept) {
            (Some(inputs), None) => {
                let (previous, keep) = match &destination {
                    Destination::Sink(_, _, previous) => (*previous, true),
                    Destination::Disk => (None, false),
                };
                Some(crate::search::Index::build(
                    &site,
                    inputs.clone(),
                    previous,
                    keep,
                ))
            }
            _ => None,
        },
    );
    let mut plan = plan?;
    let kept = search_kept.iter().flatten().map(|p| (p.clone(), None));
    let search = match search {
        Some((index, files)) => {
            plan_search(
                &mut plan,
                files.into_iter().map(|(p, b)| (p, Some(b))),
                &mut errors,
            );
            Some(index)
        }
        None => {
            plan_search(&mut plan, kept, &mut errors);
            None
        }
    };
    watch.lap("feeds, sitemap and plan");
    let processor = Arc::new(crate::images::Processor::new(cache_dir.as_deref()));
    let published = publish_images(
        &mut site,
        &config,
        &mut plan,
        &processor,
        options,
        &mut errors,
    );
    watch.lap("images");
    let exists = |path: &str| plan.contains_key(path);
    let targets = crate::links::Targets::new(&site, &exists, templates.ids());
    let mut link_warnings: Vec<Diagnostic> = Vec::new();
    for d in targets.check(&config, options.link_scope) {
        match d.warning_unless(strict) {
            d if d.is_error() => errors.push(d),
            d => link_warnings.push(d),
        }
    }
    diagnostics::sort_and_dedup(&mut link_warnings);
    errors.extend(link_warnings.iter().cloned());
    if errors.iter().any(Diagnostic::is_error) {
        return Err(errors.into());
    }
    // Only warnings are left.
    let mut warnings = errors;
    diagnostics::sort_and_dedup(&mut warnings);
    watch.lap("links");

    let made_values = crate::render::context::MadeValues::new(&site, &config);
    let contexts = Contexts {
        site: &site,
        config: &config,
        made: Some(&made_values),
    };
    templates.set_assets(assets.clone());
    let theme_static = match &theme {
        Some(Theme::Dir(dir)) => Some(dir.join("static")),
        _ => None,
    };
    let template_images = Arc::new(crate::images::template::TemplateImages::new(
        root,
        theme_static,
        &config,
        processor.clone(),
    ));
    templates.set_images(template_images.clone());
    templates.set_globals(&contexts);
    let global = {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        serde_json::to_string(&config)
            .unwrap_or_default()
            .hash(&mut h);
        serde_json::to_string(&contexts.site_context())
            .unwrap_or_default()
            .hash(&mut h);
        // A page links the fingerprinted names: new bytes, new page.
        assets.hash(&mut h);
        h.finish()
    };
    let page_keys = site.page_keys();
    let staging = match destination {
        Destination::Disk => Some(Staging::create(&output_dir, spare_dir.as_deref())?),
        Destination::Sink(..) => None,
    };
    let sink: &dyn Sink = match (&destination, &staging) {
        (Destination::Sink(sink, _, _), _) => *sink,
        (Destination::Disk, Some(staging)) => staging,
        (Destination::Disk, None) => unreachable!("a disk build always has a staging directory"),
    };
    watch.lap("staging");
    // The spare was not the staging directory after all: index now.
    if let (Some(staging), Some(inputs), Some(_)) = (&staging, &search_inputs, &search_kept) {
        if inputs.existing(staging.dir()).is_none() {
            let (_, files) = crate::search::Index::build(&site, inputs.clone(), None, false);
            for (path, bytes) in files {
                plan.insert(path, ("the search index".into(), Output::Bytes(bytes)));
            }
        }
    }
    let progress = Progress::start(options.progress, "Writing pages");
    progress.set_total(plan.len());
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    let painter = std::sync::OnceLock::new();
    let card_cache = social_card::CardCache::new(cache_dir.as_deref());
    let card_counts = social_card::Counts::default();
    let card_template = config.social_cards.template.as_str();
    // Filled as the archive renders and kept for serve's patches; a build
    // to disk has no patches, and does not hold the entries.
    let archive = crate::render::ArchiveCache::default();
    let keep_archive = matches!(destination, Destination::Sink(..)).then_some(&archive);
    // Pages published as written because they would not minify.
    let unminified = std::sync::Mutex::new(Vec::new());
    // `blog serve` keeps what its memory holds; a build to disk keeps a
    // page of the spare only when the templates allow it.
    let reusable = templates.reusable() || matches!(destination, Destination::Sink(..));
    // Only failures are collected; each names the job it came from, if any.
    let failures: Vec<(Box<Diagnostic>, Option<RenderJob>)> = plan
        .par_iter()
        .filter_map(|(path, (_, output))| {
            progress.tick();
            let bytes: std::borrow::Cow<[u8]> = match output {
                Output::Job(job) => {
                    let fingerprint = {
                        use std::hash::{Hash, Hasher};
                        let mut h = std::hash::DefaultHasher::new();
                        site.job_fingerprint(*job, global, &page_keys).hash(&mut h);
                        templates.version_for(&site, *job).hash(&mut h);
                        minify.hash(&mut h);
                        h.finish()
                    };
                    if reusable && sink.reuse(path, fingerprint) {
                        return None;
                    }
                    rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    // Minifying reads text; otherwise tera's bytes go as
                    // they are.
                    let html = match minify {
                        true => templates.render_with(&contexts, *job, keep_archive).map(|text| {
                            crate::output::minify::html(&text)
                                .map(String::into_bytes)
                                .unwrap_or_else(|e| {
                                    let d = Diagnostic::new(
                                        site.job_source(*job),
                                        format!("{path} is published as written: it cannot be minified: {e}"),
                                    )
                                    .warning()
                                    .hint("check the template for an unclosed tag or comment");
                                    if let Ok(mut list) = unminified.lock() {
                                        list.push(d);
                                    }
                                    text.into_bytes()
                                })
                        }),
                        false => templates.render_bytes(&contexts, *job, keep_archive),
                    };
                    return match html {
                        Ok(html) => {
                            sink
                            .write_rendered(path, &html, fingerprint)
                            .err()
                            .map(|e| {
                                let d = Diagnostic::new(&output_dir, format!("{e:#}"))
                                    .hint("check free disk space and permissions");
                                (Box::new(d), None)
                            })
                        }
                        Err(d) => Some((Box::new(d), Some(*job))),
                    };
                }
                Output::Card(id) => {
                    let job = Some(RenderJob::Page(*id));
                    let svg = match templates.render_card(&contexts, card_template, *id) {
                        Ok(svg) => svg,
                        Err(d) => return Some((Box::new(d), job)),
                    };
                    let fingerprint = {
                        use std::hash::{Hash, Hasher};
                        let mut h = std::hash::DefaultHasher::new();
                        svg.hash(&mut h);
                        h.finish()
                    };
                    if sink.reuse(path, fingerprint) {
                        card_counts
                            .cached
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        return None;
                    }
                    let png = social_card::png_for(
                        &svg,
                        &templates.path_of(card_template),
                        painter.get_or_init(social_card::Painter::new),
                        &card_cache,
                        &card_counts,
                    );
                    return match png {
                        Ok(png) => sink.write_rendered(path, &png, fingerprint).err().map(|e| {
                            let d = Diagnostic::new(&output_dir, format!("{e:#}"))
                                .hint("check free disk space and permissions");
                            (Box::new(d), None)
                        }),
                        Err(d) => Some((Box::new(d), job)),
                    };
                }
                Output::Kept => return None,
                Output::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes),
                Output::Embedded(bytes) => std::borrow::Cow::Borrowed(*bytes),
                Output::Copy(from) => {
                    let copied = sink.copy(path, from);
                    return copied
                        .err()
                        .map(|e| (Box::new(io_diagnostic(root, from, e)), None));
                }
            };
            sink.write(path, &bytes).err().map(|e| {
                let d = Diagnostic::new(&output_dir, format!("{e:#}"))
                    .hint("check free disk space and permissions");
                (Box::new(d), None)
            })
        })
        .collect();
    drop(progress);
    let mut unminified = unminified.into_inner().unwrap_or_default();
    if !unminified.is_empty() {
        warnings.append(&mut unminified);
        diagnostics::sort_and_dedup(&mut warnings);
    }
    let mut errors = group_render_errors(&site, failures);
    // What `resize_image` made while the templates rendered.
    let made = template_images.made();
    for (path, made) in &made {
        if plan.contains_key(path) {
            continue;
        }
        let written = match &made.data {
            crate::images::Data::File(file) => sink.copy(path, file),
            crate::images::Data::Bytes(bytes) => sink.write(path, bytes),
        };
        if let Err(e) = written {
            errors.push(
                Diagnostic::new(&output_dir, format!("{e:#}"))
                    .hint("check free disk space and permissions"),
            );
        }
    }
    if !errors.is_empty() {
        return Err([errors, warnings].concat().into());
    }
    if let Some(staging) = staging {
        let keep: std::collections::HashSet<&str> = plan
            .keys()
            .map(String::as_str)
            .chain(made.iter().map(|(path, _)| path.as_str()))
            .chain([crate::output::write::MARKER])
            .collect();
        staging.prune(&keep)?;
        watch.lap("render and write");
        staging.commit()?;
        watch.lap("swap in");
        // The cache only saves time; a build never fails for it.
        let _ = highlighter.save_cache();
        if config.social_cards.enabled {
            card_cache.prune();
        }
    } else {
        watch.lap("render");
    }

    let report = BuildReport {
        pages: site.pages.len(),
        sections: site
            .sections
            .iter()
            .skip(1)
            .filter(|s| !s.pages.is_empty() || s.source.is_some())
            .count(),
        terms: site.taxonomies.iter().map(|t| t.terms.len()).sum(),
        files: plan.len(),
        rendered: rendered.into_inner(),
        elapsed: started.elapsed(),
        stages: watch.stages,
        warnings,
        redirects: redirects::redirect_files(&site, &config),
        cards_drawn: card_counts.drawn.into_inner(),
        cards_cached: card_counts.cached.into_inner(),
        images: crate::images::ImageCounts {
            images: published
                .entries
                .values()
                .filter(|e| **e != crate::images::Entry::Missing)
                .count(),
            decoded: processor.decoded(),
            encoded: processor.encoded(),
        },
    };
    if options.print_warnings {
        for d in &report.warnings {
            eprintln!("{d}");
        }
    }
    let built = Built {
        root: root.clone(),
        config,
        site,
        templates,
        highlighter,
        now: options.now,
        outputs: plan
            .into_keys()
            .chain(made.into_iter().map(|(path, _)| path))
            .collect(),
        link_scope: options.link_scope,
        archive,
        link_warnings,
        strict,
        images: published,
        search,
        page_ids: std::sync::OnceLock::new(),
    };
    Ok((report, built))
}

/// Adds the search index's files to the plan, new or kept as the
/// previous output has them (`None`); a file of the site's own where one
/// goes is an error.
fn plan_search(
    plan: &mut BTreeMap<String, (String, Output)>,
    files: impl Iterator<Item = (String, Option<Vec<u8>>)>,
    errors: &mut Vec<Diagnostic>,
) {
    for (path, bytes) in files {
        if let Some((source, _)) = plan.get(&path) {
            errors.push(
                Diagnostic::new(
                    source,
                    format!("`{path}` is where the search index goes ([search] enabled = true)"),
                )
                .hint("rename or remove this file; blog writes search/index.json, search/t/ and search/d/ itself"),
            );
            continue;
        }
        let output = bytes.map_or(Output::Kept, Output::Bytes);
        plan.insert(path, ("the search index".into(), output));
    }
}

/// Sizes and copies every local image of the pages (`crate::images`),
/// adds the copies to the plan and writes the pages' `<img>` tags for
/// them; problems with an image are warnings (errors when strict).
fn publish_images(
    site: &mut Site,
    config: &Config,
    plan: &mut BTreeMap<String, (String, Output)>,
    processor: &crate::images::Processor,
    options: &BuildOptions,
    errors: &mut Vec<Diagnostic>,
) -> crate::images::Published {
    use crate::images::{Data, Source};
    let strict = options.strict || config.strict;
    let source = |path: &str| match plan.get(path) {
        Some((_, Output::Copy(file))) => Some(Source::File(file.clone())),
        Some(_) => Some(Source::Other),
        None => None,
    };
    // `blog check` reports missing images with the other links.
    let (mut published, warnings) = crate::images::publish(&site.pages, config, &source, processor);
    // A warning even when strict: the image is published as it is, and
    // a missing one is `blog check`'s to fail on, with the other links.
    errors.extend(warnings.into_iter().map(Diagnostic::warning));
    let taken: Vec<String> = published
        .outputs()
        .filter(|(path, _)| plan.contains_key(*path))
        .map(|(path, _)| path.clone())
        .collect();
    for path in taken {
        if let Some(original) = published.original_of(&path) {
            errors.push(
                Diagnostic::new(
                    &original,
                    format!("`{path}` is a file of the site, so {original} gets no smaller copies"),
                )
                .hint("rename that file, or the image")
                .warning_unless(strict),
            );
            published.without_copies(&original);
        }
    }
    for (path, made) in published.outputs() {
        let output = match &made.data {
            Data::File(file) => Output::Copy(file.clone()),
            Data::Bytes(bytes) => Output::Bytes(bytes.to_vec()),
        };
        plan.insert(path.clone(), ("an image's copy".to_string(), output));
    }
    // In place: a page's old HTML is freed as its new one is made, so the
    // site is never held twice (at 100,000 posts that was 0.7 GiB).
    site.pages.par_iter_mut().for_each(|page| {
        published.apply(page, config);
    });
    published
}

/// The spare output folder's name in the cache, one per output directory.
fn spare_name(output_dir: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    crate::output::write::absolute(output_dir).hash(&mut h);
    format!("spare-output-{:016x}", h.finish())
}

fn io_diagnostic(root: &Path, from: &Path, e: anyhow::Error) -> Diagnostic {
    Diagnostic::new(from.strip_prefix(root).unwrap_or(from), format!("{e:#}"))
        .hint("check that the file is readable and the disk has space")
}

/// The same template error on many pages is one error, naming the first page
/// and how many more.
fn group_render_errors(
    site: &Site,
    failures: Vec<(Box<Diagnostic>, Option<RenderJob>)>,
) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<String, (Diagnostic, Vec<String>)> = BTreeMap::new();
    for (d, job) in failures {
        let key = d.to_string();
        let entry = groups.entry(key).or_insert_with(|| (*d, Vec::new()));
        entry.1.extend(job.map(|job| site.job_source(job)));
    }
    groups
        .into_values()
        .map(|(mut d, mut sources)| {
            sources.sort();
            if let Some(first) = sources.first() {
                let more = sources.len() - 1;
                d.message = if more == 0 {
                    format!("{} (while rendering {first})", d.message)
                } else {
                    format!("{} (while rendering {first} and {more} more)", d.message)
                };
            }
            d
        })
        .collect()
}

/// Every file of the output, keyed by its path in the output directory. Two
/// things claiming one path is an error naming both.
#[allow(clippy::too_many_arguments)]
fn plan_outputs(
    root: &Path,
    site: &Site,
    config: &Config,
    jobs: &[RenderJob],
    published: &[bool],
    static_files: BTreeMap<String, StaticFile>,
    syntax_css: String,
    assets: &Assets,
    errors: &mut Vec<Diagnostic>,
) -> anyhow::Result<BTreeMap<String, (String, Output)>> {
    let mut plan: BTreeMap<String, (String, Output)> = BTreeMap::new();
    let mut claim = |path: String,
                     source: String,
                     output: Output,
                     errors: &mut Vec<Diagnostic>,
                     position: Option<(PathBuf, usize, usize)>| {
        if let Some((existing, before)) = plan.get(&path) {
            // Two posts with one slug on different days clash only because
            // the permalink has no date in it; say how to put it there.
            let dated_apart = match (before, &output) {
                (Output::Job(RenderJob::Page(a)), Output::Job(RenderJob::Page(b))) => {
                    let (a, b) = (&site.pages[*a], &site.pages[*b]);
                    a.slug == b.slug && a.date.is_some() && b.date.is_some() && a.date != b.date
                }
                _ => false,
            };
            let mut d = Diagnostic::new(
                position
                    .as_ref()
                    .map_or_else(|| PathBuf::from(&source), |p| p.0.clone()),
                format!(
                    "`{}` is claimed twice: by {existing} and by {source}",
                    path_from_file(&path)
                ),
            )
            .hint(
                if existing != &source
                    && deunicode::deunicode(existing) == deunicode::deunicode(&source)
                {
                    "the two names look alike but are spelled with different characters \
                     (é as one character, or as e and an accent); rename one"
                        .to_string()
                } else if dated_apart {
                    let section = site.pages.iter().find(|p| p.path == path_from_file(&path));
                    let section =
                        section.map_or("posts", |p| p.section.split('/').next().unwrap_or("posts"));
                    format!(
                        "they share a slug on different dates: put the date in their URLs with \
                         `[permalinks] {} = \"/:year/:month/:day/:slug/\"` in config.toml, \
                         or give one another `slug`",
                        if section.is_empty() { "posts" } else { section }
                    )
                } else {
                    "give one of them another `slug` or file name".to_string()
                },
            );
            if let Some((_, line, col)) = position {
                d = d.at(line, col);
            }
            errors.push(d);
            return;
        }
        plan.insert(path, (source, output));
    };

    for &job in jobs {
        let position = match job {
            RenderJob::Page(id) => {
                let page = &site.pages[id];
                let (line, col) = if page.meta.slug.is_some() {
                    page.key_position("slug")
                } else {
                    (1, 1)
                };
                Some((page.source.clone(), line, col))
            }
            _ => None,
        };
        let output = match job {
            RenderJob::Page(id) => crate::site::redirect_to(&site.pages[id], config)
                .map(|to| Output::Bytes(redirects::alias_page(&to).into_bytes())),
            _ => None,
        };
        if let (RenderJob::Page(id), None) = (job, &output) {
            let page = &site.pages[id];
            if social_card::wants_card(config, page) {
                claim(
                    output_file(&social_card::card_path(&page.path)),
                    format!("the social card of {}", page.source.display()),
                    Output::Card(id),
                    errors,
                    None,
                );
            }
        }
        claim(
            output_file(&site.job_url(job)),
            site.job_source(job),
            output.unwrap_or(Output::Job(job)),
            errors,
            position,
        );
    }
    for alias in &site.aliases {
        let page = &site.pages[alias.target];
        let (line, col) = page.key_position("aliases");
        let target = redirects::target_url(site, config, alias.target);
        claim(
            output_file(&alias.path),
            format!("an alias in {}", page.source.display()),
            Output::Bytes(redirects::alias_page(&target).into_bytes()),
            errors,
            Some((page.source.clone(), line, col)),
        );
    }
    for page in &site.pages {
        for asset in &page.assets {
            let rel = page.asset_output_path(asset);
            claim(
                rel,
                format!("{}/{}", CONTENT_DIR, load::rel_string(asset)),
                Output::Copy(root.join(CONTENT_DIR).join(asset)),
                errors,
                None,
            );
        }
    }
    for asset in &site.assets {
        let rel = load::rel_string(asset);
        claim(
            rel.clone(),
            format!("{CONTENT_DIR}/{rel}"),
            Output::Copy(root.join(CONTENT_DIR).join(asset)),
            errors,
            None,
        );
    }

    // Generated files a site's static/ may replace.
    let mut generated: Vec<(String, Vec<u8>)> =
        vec![("syntax.css".into(), syntax_css.into_bytes())];
    generated.push(("robots.txt".into(), sitemap::robots(config).into_bytes()));
    // The sitemap beside the feeds: this stage has no other work for the
    // second core.
    let (sitemap, feeds) = rayon::join(
        || sitemap::sitemap(site, config, jobs, published).context("writing sitemap.xml"),
        || -> anyhow::Result<Vec<(String, Vec<u8>)>> {
            let items = feeds::feed_items(site, published, config.feed.limit);
            let channel = feeds::Channel::site(config);
            let mut files = Vec::new();
            feeds::channel_feeds(site, config, &channel, &items, &mut files)
                .context("writing the site's feeds")?;
            files.extend(
                feeds::term_feeds(site, config, published, |_| true)
                    .context("writing the terms' feeds")?,
            );
            files.extend(
                feeds::section_feeds(site, config, published, |_| true)
                    .context("writing the sections' feeds")?,
            );
            Ok(files)
        },
    );
    generated.push(("sitemap.xml".into(), sitemap?));
    generated.extend(feeds?);
    let mut static_files = static_files;
    let redirecting = site
        .pages
        .iter()
        .any(|p| crate::site::redirect_to(p, config).is_some());
    if !site.aliases.is_empty() || redirecting {
        let existing = take_text(&mut static_files, "_redirects")?;
        generated.push((
            "_redirects".into(),
            redirects::netlify_redirects(site, config, existing.as_deref()).into_bytes(),
        ));
    }
    let existing = take_text(&mut static_files, "_headers")?;
    generated.push((
        "_headers".into(),
        assets::netlify_headers(assets, config, existing.as_deref()).into_bytes(),
    ));
    // The fingerprinted copies, beside the files they copy.
    for (rel, published) in assets.fingerprinted() {
        let output = match static_files.get(rel) {
            Some(StaticFile::Disk(path)) => Output::Copy(path.clone()),
            Some(StaticFile::Embedded(bytes)) => Output::Embedded(bytes),
            Some(StaticFile::Compiled { css, .. }) => Output::Bytes(css.clone()),
            None => match generated.iter().find(|(path, _)| path == rel) {
                Some((_, bytes)) => Output::Bytes(bytes.clone()),
                None => continue,
            },
        };
        claim(
            published.to_string(),
            format!("the fingerprinted copy of {rel}"),
            output,
            errors,
            None,
        );
    }
    for (path, bytes) in generated {
        if !static_files.contains_key(&path) {
            claim(path, "blog".into(), Output::Bytes(bytes), errors, None);
        }
    }
    for (rel, file) in static_files {
        let (source, output) = match file {
            StaticFile::Disk(path) => (
                path.strip_prefix(root)
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
                Output::Copy(path),
            ),
            StaticFile::Embedded(bytes) => (
                format!("<built-in theme>/static/{rel}"),
                Output::Embedded(bytes),
            ),
            StaticFile::Compiled { source, css } => {
                (source.display().to_string(), Output::Bytes(css))
            }
        };
        claim(rel, source, output, errors, None);
    }
    Ok(plan)
}

/// A file of static/ that blog adds lines to (`_redirects`, `_headers`),
/// taken out of the copies: its text, to go first in the written file.
fn take_text(
    static_files: &mut BTreeMap<String, StaticFile>,
    name: &str,
) -> anyhow::Result<Option<String>> {
    Ok(match static_files.remove(name) {
        Some(StaticFile::Disk(path)) => Some(
            std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?,
        ),
        Some(StaticFile::Embedded(bytes)) => Some(String::from_utf8_lossy(bytes).into_owned()),
        Some(StaticFile::Compiled { css, .. }) => Some(String::from_utf8_lossy(&css).into_owned()),
        None => None,
    })
}

/// The theme's templates with the built-in social card added when neither
/// the theme nor the site has one (a theme of its own need not draw cards).
fn with_card_template(
    mut files: Vec<crate::render::theme::TemplateFile>,
) -> Vec<crate::render::theme::TemplateFile> {
    if !files.iter().any(|f| f.name == social_card::TEMPLATE_NAME) {
        files.push(crate::render::theme::TemplateFile {
            name: social_card::TEMPLATE_NAME.into(),
            display_path: PathBuf::from("<built-in theme>/templates")
                .join(social_card::TEMPLATE_NAME),
            text: social_card::TEMPLATE.into(),
        });
    }
    files
}

fn path_from_file(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{file}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_is_read_after_the_command_name() {
        // A command name with spaces and parentheses, then fields 3..=13,
        // utime 250 and stime 30 ticks.
        let stat = "4242 (blog (x) y) R 1 2 3 4 5 6 7 8 9 10 250 30 0 0 20 0 3 0 99";
        assert_eq!(cpu_time_of_stat(stat), Some(Duration::from_millis(2800)));
        assert_eq!(cpu_time_of_stat("4242 (blog) R 1 2"), None);
        assert_eq!(cpu_time_of_stat("no parenthesis"), None);
        assert!(process_cpu_time().is_some() || !cfg!(target_os = "linux"));
    }

    #[test]
    fn a_stage_shows_the_cores_it_kept_busy_once_it_is_long_enough() {
        let stage = |wall, cpu: Option<u64>| Stage {
            name: "content",
            wall: Duration::from_millis(wall),
            cpu: cpu.map(Duration::from_millis),
        };
        assert!(stage(2000, Some(3800))
            .line()
            .ends_with("2000 ms  1.9 cores"));
        assert!(stage(50, Some(100)).line().ends_with("50 ms"));
        assert!(stage(2000, None).line().ends_with("2000 ms"));
    }
}
