//! Rendering with tera: theme resolution and overrides (`theme`), the filters
//! themes can use (`filters`), the context types (`context`), and `Templates`,
//! which renders one `RenderJob` to an HTML string. All tera calls live in this
//! module, so the engine can change in one place.

pub mod context;
pub mod filters;
pub mod theme;

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, ErrorKind, Tera};

use crate::config::Config;
use crate::content::PageId;
use crate::diagnostics::Diagnostic;
use crate::site::{RenderJob, Site};
use context::Contexts;

/// Each page's archive entry as a template value, kept by `blog serve` for
/// the life of one build's model: converting 10,000 entries costs far more
/// than rendering the archive from them. Entries are made on first use;
/// `forget` a page whose entry may have changed. Indexed by page id and
/// locked once per year of it: a lock and a hashed lookup per entry were 8%
/// of a title edit's time in `blog serve` on 10,000 posts.
#[derive(Default)]
pub struct ArchiveCache {
    entries: std::sync::Mutex<Vec<Option<tera::Value>>>,
}

impl ArchiveCache {
    /// The entries of `ids`, in order, each made on first use.
    fn entries(&self, contexts: &Contexts, ids: &[PageId]) -> Vec<tera::Value> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() < contexts.site.pages.len() {
            entries.resize(contexts.site.pages.len(), None);
        }
        ids.iter()
            .map(|&id| {
                entries[id]
                    .get_or_insert_with(|| {
                        tera::Value::from_serializable(&contexts.archive_entry(id))
                    })
                    .clone()
            })
            .collect()
    }

    pub fn forget(&self, id: PageId) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = entries.get_mut(id) {
            *entry = None;
        }
    }
}

/// What a theme adds around a page's HTML, about: the room its output
/// buffer starts with.
const OUTPUT_AROUND: usize = 16 * 1024;
/// The room a list page's output starts with.
const LIST_OUTPUT: usize = 32 * 1024;

pub struct Templates {
    tera: Tera,
    /// Per template: a hash of its text and of every template it may use.
    versions: HashMap<String, u64>,
    /// Element ids the templates write, for the link checker.
    ids: crate::links::TemplateIds,
    /// Template name → the file to name in errors.
    paths: HashMap<String, PathBuf>,
    /// The build's static files, for `asset_url` and `asset_integrity`.
    assets: filters::SharedAssets,
    /// The build's images, for `resize_image`.
    images: crate::images::template::SharedImages,
    /// False when a template calls `resize_image`, which publishes files
    /// as it renders: every page is then rendered.
    reusable: bool,
}

/// Shortcode templates are `shortcodes/NAME.html` among the site's and the
/// theme's templates, rendered with the call's arguments as variables and,
/// for a call with a body, `body` (its markdown, as written), as Zola does.
impl crate::dialect::Shortcodes for Templates {
    fn has(&self, name: &str) -> bool {
        self.tera
            .contains_template(&format!("shortcodes/{name}.html"))
    }

    fn render(
        &self,
        name: &str,
        args: &serde_json::Map<String, serde_json::Value>,
        body: Option<&str>,
    ) -> Result<String, String> {
        let mut context = tera::Context::new();
        for (key, value) in args {
            context.insert(key.clone(), value);
        }
        if let Some(body) = body {
            context.insert("body", &body);
        }
        self.tera
            .render(&format!("shortcodes/{name}.html"), &context)
            .map_err(|e| {
                let mut message = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(inner) = source {
                    message.push_str(": ");
                    message.push_str(&inner.to_string());
                    source = inner.source();
                }
                message
            })
    }

    fn version(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        let mut names: Vec<&String> = self
            .versions
            .keys()
            .filter(|n| n.starts_with("shortcodes/"))
            .collect();
        names.sort();
        for name in names {
            name.hash(&mut h);
            self.versions[name].hash(&mut h);
        }
        h.finish()
    }
}

impl Templates {
    /// Parses every template of the theme and the site.
    pub fn load(
        files: Vec<theme::TemplateFile>,
        config: &Config,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        // A social card's SVG is XML: its text is escaped as HTML's is.
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        filters::register(&mut tera, &config.base_url);
        let assets = filters::SharedAssets::default();
        filters::register_assets(&mut tera, config, &assets);
        let images = crate::images::template::SharedImages::default();
        crate::images::template::register(&mut tera, &images);
        let paths: HashMap<String, PathBuf> = files
            .iter()
            .map(|f| (f.name.clone(), f.display_path.clone()))
            .collect();
        // Parse each template alone first, so every syntax error is reported,
        // not only the first.
        let mut errors = Vec::new();
        for file in &files {
            if let Err(e) = tera::Tera::new().add_raw_template(&file.name, &file.text) {
                if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                    errors.extend(to_diagnostics(&e, &paths));
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        tera.add_raw_templates(files.iter().map(|f| (f.name.as_str(), f.text.as_str())))
            .map_err(|e| to_diagnostics(&e, &paths))?;
        let versions = dependency_hashes(&files);
        let ids = crate::links::template_ids(files.iter().map(|f| f.text.as_str()));
        let reusable = !files.iter().any(|f| f.text.contains("resize_image"));
        Ok(Templates {
            tera,
            versions,
            ids,
            paths,
            assets,
            images,
            reusable,
        })
    }

    /// Element ids the templates write (`id="main"`), and prefixes of ids
    /// they compute.
    pub fn ids(&self) -> &crate::links::TemplateIds {
        &self.ids
    }

    /// A hash of everything that shapes what `job` renders with: its
    /// template and every template that one may use. Equal hashes mean the
    /// templates did not change for this job.
    pub fn version_for(&self, site: &Site, job: RenderJob) -> u64 {
        let name = self.template_for(site, job);
        self.versions.get(&name).copied().unwrap_or_default()
    }

    /// Whether a page whose inputs are unchanged may be kept as rendered
    /// last time (see the field).
    pub fn reusable(&self) -> bool {
        self.reusable
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Values every template sees: `config` and `site`.
    pub fn set_globals(&mut self, contexts: &Contexts) {
        let mut site = contexts.site_context();
        if let Ok(url) = self.assets.get().url(contexts.config, "syntax.css", false) {
            site.syntax_css = url;
        }
        let globals = self.tera.global_context();
        globals.insert("config", contexts.config);
        globals.insert("site", &site);
    }

    /// The images `resize_image` reads and what it made.
    pub fn set_images(&mut self, images: std::sync::Arc<crate::images::template::TemplateImages>) {
        self.images.set(images);
    }

    /// What `resize_image` made in this build: output paths and files.
    pub fn images_made(&self) -> Vec<(String, crate::images::Made)> {
        self.images.get().map(|i| i.made()).unwrap_or_default()
    }

    /// The build's static files, as `asset_url` gives them.
    pub fn set_assets(&mut self, assets: crate::output::assets::Assets) {
        self.assets.set(assets);
    }

    /// The template a job uses: the one its content names when the site
    /// has it, else the theme's page (or section) template.
    pub fn template_for(&self, site: &Site, job: RenderJob) -> String {
        let taxonomy_template = |t: usize, kind: &str, fallback: &str| {
            let own = format!("{}/{kind}.html", site.taxonomies[t].name);
            if self.has(&own) {
                own
            } else {
                fallback.to_string()
            }
        };
        let named = |name: &Option<String>, fallback: &str| match name {
            Some(name) if self.has(name) => name.clone(),
            _ => fallback.to_string(),
        };
        match job {
            RenderJob::Page(id) => named(&site.pages[id].meta.template, "page.html"),
            RenderJob::Section { section, .. } => {
                named(&site.sections[section].template, "section.html")
            }
            RenderJob::Home { .. } => "index.html".into(),
            RenderJob::TaxonomyList(t) => taxonomy_template(t, "list", "taxonomy_list.html"),
            RenderJob::Term { taxonomy, .. } => {
                taxonomy_template(taxonomy, "single", "taxonomy_term.html")
            }
            RenderJob::Archive => "archive.html".into(),
            RenderJob::NotFound => "404.html".into(),
            // A theme without series templates shows them as terms.
            RenderJob::SeriesList => named(&Some("series_list.html".into()), "taxonomy_list.html"),
            RenderJob::Series(_) => named(&Some("series.html".into()), "taxonomy_term.html"),
            RenderJob::Search => "search.html".into(),
        }
    }

    /// Templates the content names (`template`, `layout`) that the site
    /// lacks: one warning per name (an error when `strict`), at its first
    /// use in source order, with how many pages ask for it. Then every job
    /// whose template does not exist even so (a theme without `page.html`),
    /// as errors. Checked before rendering, so these come with the content
    /// errors.
    pub fn check_jobs(&self, site: &Site, jobs: &[RenderJob], strict: bool) -> Vec<Diagnostic> {
        // Name → (first use, fallback, further uses).
        let mut missing: std::collections::BTreeMap<&str, (Diagnostic, &str, usize)> =
            Default::default();
        for &job in jobs {
            let (wanted, fallback, at) = match job {
                RenderJob::Page(id) => {
                    let page = &site.pages[id];
                    let Some(name) = &page.meta.template else {
                        continue;
                    };
                    let key = match page.meta.template_key {
                        "" => "template",
                        key => key,
                    };
                    let (line, col) = page.key_position(key);
                    let written = page.meta.other.get("layout").filter(|_| key == "layout");
                    let asked = match written.and_then(|v| v.as_str()) {
                        Some(layout) => format!("template `{name}` (from `layout: {layout}`)"),
                        None => format!("template `{name}`"),
                    };
                    (
                        name,
                        "page.html",
                        Diagnostic::new(&page.source, asked).at(line, col),
                    )
                }
                RenderJob::Section { section, pager: 1 } => {
                    let s = &site.sections[section];
                    let (Some(name), Some(source)) = (&s.template, &s.source) else {
                        continue;
                    };
                    let d = Diagnostic::new(source, format!("template `{name}`"))
                        .at(s.template_line, 1);
                    (name, "section.html", d)
                }
                _ => continue,
            };
            if self.has(wanted) {
                continue;
            }
            missing
                .entry(wanted.as_str())
                .and_modify(|(_, _, more)| *more += 1)
                .or_insert((at, fallback, 0));
        }
        let mut errors: Vec<Diagnostic> = missing
            .into_iter()
            .map(|(name, (mut d, fallback, more))| {
                let others = match more {
                    0 => String::new(),
                    n => format!(
                        " (and {} asking for it)",
                        crate::diagnostics::count(n, "more file")
                    ),
                };
                d.message = format!(
                    "{} does not exist in the site or its theme; built with {fallback}{others}",
                    d.message
                );
                d.hint(format!(
                    "create templates/{name}, or remove the key to use {fallback}"
                ))
                .warning_unless(strict)
            })
            .collect();
        errors.extend(jobs.iter().filter_map(|&job| {
            let name = self.template_for(site, job);
            (!self.has(&name)).then(|| self.missing_template(site, job, &name))
        }));
        crate::diagnostics::sort_and_dedup(&mut errors);
        errors
    }

    /// Renders one job. A missing template is blamed on the file that asked
    /// for it; a template error on the template, with the page in the hint.
    pub fn render(&self, contexts: &Contexts, job: RenderJob) -> Result<String, Diagnostic> {
        self.render_with(contexts, job, None)
    }

    /// `render`, taking the archive's entries from `archive` where it has
    /// them (`blog serve` keeps one between edits).
    pub fn render_with(
        &self,
        contexts: &Contexts,
        job: RenderJob,
        archive: Option<&ArchiveCache>,
    ) -> Result<String, Diagnostic> {
        let html = self.render_bytes(contexts, job, archive)?;
        String::from_utf8(html).map_err(|e| {
            Diagnostic::new(
                self.path_of(&self.template_for(contexts.site, job)),
                format!("rendered text that is not UTF-8: {e}"),
            )
        })
    }

    /// `render_with`'s HTML as tera wrote it, for writing to a file:
    /// checking that every byte of every page is UTF-8, which tera's output
    /// always is, was 0.9% of a cold build's instructions.
    pub fn render_bytes(
        &self,
        contexts: &Contexts,
        job: RenderJob,
        archive: Option<&ArchiveCache>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let site = contexts.site;
        let name = self.template_for(site, job);
        if !self.has(&name) {
            return Err(self.missing_template(site, job, &name));
        }
        let mut ctx = Context::new();
        let url = site.job_url(job);
        ctx.insert("current_path", &url);
        ctx.insert("current_url", &contexts.permalink(&url));
        match job {
            RenderJob::Page(id) => ctx.insert("page", &contexts.page(id)),
            RenderJob::Section { section, pager } => {
                let s = &site.sections[section];
                ctx.insert("section", &contexts.section(section));
                ctx.insert(
                    "paginator",
                    &contexts.paginator(&s.pages, s.paginate, pager, &s.url),
                );
            }
            RenderJob::Home { pager } => {
                ctx.insert("section", &contexts.section(0));
                ctx.insert(
                    "paginator",
                    &contexts.paginator(&site.home, contexts.config.paginate, pager, "/"),
                );
            }
            RenderJob::TaxonomyList(t) => {
                ctx.insert("taxonomy", &contexts.taxonomy(t));
                let terms: Vec<_> = (0..site.taxonomies[t].terms.len())
                    .map(|i| contexts.term(t, i))
                    .collect();
                ctx.insert("terms", &terms);
            }
            RenderJob::Term {
                taxonomy,
                term,
                pager,
            } => {
                let tax = &site.taxonomies[taxonomy];
                let t = &tax.terms[term];
                ctx.insert("taxonomy", &contexts.taxonomy(taxonomy));
                ctx.insert("term", &contexts.term(taxonomy, term));
                ctx.insert(
                    "paginator",
                    &contexts.paginator(&t.pages, tax.paginate, pager, &t.url),
                );
            }
            RenderJob::Archive => {
                let entries = |ids: &[PageId]| match archive {
                    Some(cache) => cache.entries(contexts, ids),
                    None => ids
                        .iter()
                        .map(|&id| tera::Value::from_serializable(&contexts.archive_entry(id)))
                        .collect(),
                };
                let years: Vec<tera::Value> = site
                    .archive
                    .iter()
                    .map(|(year, pages)| {
                        let pages: Vec<tera::Value> = entries(pages);
                        let year: std::collections::BTreeMap<&'static str, tera::Value> =
                            [("year", tera::Value::from(*year)), ("pages", pages.into())]
                                .into_iter()
                                .collect();
                        tera::Value::from(year)
                    })
                    .collect();
                ctx.insert_value("years", years.into());
            }
            RenderJob::NotFound | RenderJob::Search => {}
            RenderJob::SeriesList | RenderJob::Series(_) => series_context(contexts, job, &mut ctx),
        }
        // Sized for the page's HTML and the theme around it: tera's own
        // buffer starts at the template's size and was copied as it grew.
        let mut html = Vec::with_capacity(match job {
            RenderJob::Page(id) => site.pages[id].content.len() + OUTPUT_AROUND,
            _ => LIST_OUTPUT,
        });
        self.tera
            .render_to(&name, &ctx, &mut html)
            .map_err(|e| to_diagnostics(&e, &self.paths).swap_remove(0))?;
        Ok(html)
    }

    /// The SVG of a page's social card, from the template `name`, which
    /// sees `card` (`social_card::CardContext`), `page` and `config`.
    pub fn render_card(
        &self,
        contexts: &Contexts,
        name: &str,
        id: PageId,
    ) -> Result<String, Diagnostic> {
        let page = &contexts.site.pages[id];
        let mut ctx = Context::new();
        ctx.insert(
            "card",
            &crate::output::social_card::card_context(contexts.config, page),
        );
        ctx.insert("page", &contexts.page(id));
        self.tera
            .render(name, &ctx)
            .map_err(|e| to_diagnostics(&e, &self.paths).swap_remove(0))
    }

    /// The file a template was read from, as errors name it.
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from("templates").join(name))
    }

    /// A template the theme itself lacks (the fallbacks are the theme's).
    fn missing_template(&self, _site: &Site, _job: RenderJob, name: &str) -> Diagnostic {
        let hint = format!("create templates/{name}, or use a theme that has it");
        Diagnostic::new(
            format!("templates/{name}"),
            format!("the theme has no `{name}` template"),
        )
        .hint(hint)
    }
}

/// What a series page and the series list get: `series` (or
/// `series_list`), and the `taxonomy`, `term`, `terms` and `paginator` a
/// term template reads, so that a theme's term templates can show them.
fn series_context(contexts: &Contexts, job: RenderJob, ctx: &mut Context) {
    let site = contexts.site;
    let url = crate::site::series::SERIES_URL;
    ctx.insert(
        "taxonomy",
        &crate::render::context::TaxonomyContext {
            name: "series",
            permalink: contexts.permalink(url),
            path: url,
        },
    );
    match job {
        RenderJob::Series(s) => {
            let series = &site.series[s];
            ctx.insert("series", &contexts.series(s, None));
            ctx.insert("term", &contexts.series_term(s));
            ctx.insert(
                "paginator",
                &contexts.paginator(&series.pages, 0, 1, &series.url),
            );
        }
        _ => {
            let list: Vec<_> = (0..site.series.len())
                .map(|s| contexts.series(s, None))
                .collect();
            ctx.insert("series_list", &list);
            let terms: Vec<_> = (0..site.series.len())
                .map(|s| contexts.series_term(s))
                .collect();
            ctx.insert("terms", &terms);
        }
    }
}

/// Turns a tera error into diagnostics on the template files, at the lines and
/// columns tera reports. Never empty.
fn to_diagnostics(error: &tera::Error, paths: &HashMap<String, PathBuf>) -> Vec<Diagnostic> {
    let hint = "see docs/THEMES.md for the variables and filters templates can use";
    if let ErrorKind::Msg(text) = error.kind() {
        // Reference checks (unknown filters, functions, includes) arrive as
        // one message holding a report per problem.
        let reports = parse_reports(text);
        if !reports.is_empty() {
            return reports
                .into_iter()
                .map(|(message, name, line, column)| {
                    let path = paths
                        .get(&name)
                        .cloned()
                        .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")));
                    Diagnostic::new(path, message).at(line, column).hint(hint)
                })
                .collect();
        }
    }
    vec![to_diagnostic(error, paths).hint(hint)]
}

/// Reads tera's text reports: `error: <message>` followed by
/// ` --> <template>:<line>:<column>`.
fn parse_reports(text: &str) -> Vec<(String, String, usize, usize)> {
    let mut out = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.trim_start().strip_prefix("error: ") {
            message = Some(m);
        } else if let Some(location) = line.trim_start().strip_prefix("--> ") {
            let mut parts = location.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.trim().parse().ok());
            let line_no = parts.next().and_then(|l| l.trim().parse().ok());
            let name = parts.next();
            if let (Some(m), Some(name), Some(line_no), Some(column)) =
                (message.take(), name, line_no, column)
            {
                out.push((m.to_string(), name.to_string(), line_no, column));
            }
        }
    }
    out
}

fn to_diagnostic(error: &tera::Error, paths: &HashMap<String, PathBuf>) -> Diagnostic {
    let path_of = |name: &str| {
        paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let mut message = report.message().to_string();
            if let Some(source) = std::error::Error::source(error) {
                message = format!("{message}: {source}");
            }
            Diagnostic::new(path_of(report.filename()), message)
                .at(span.start_line, span.start_col + 1)
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::new(
            path_of(current),
            format!("extends `{parent}`, which does not exist"),
        ),
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::new(path_of(name), format!("template `{name}` does not exist"))
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::new(
            path_of(tpl),
            format!(
                "templates extend each other in a circle: {}",
                inheritance_chain.join(" → ")
            ),
        ),
        ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::new(
            path_of(tpl),
            format!(
                "templates include each other in a circle: {}",
                include_chain.join(" → ")
            ),
        ),
        _ => Diagnostic::new("templates", error.to_string()),
    }
}

/// Per template, a hash of its own text and of the templates it may use:
/// every other template its text names in quotes (`extends`, `include` and
/// `import` take literal names), transitively, and every template that
/// defines a component (components can be called from anywhere). Naming a
/// template in any other string only adds a dependency that is not there,
/// which costs a needless re-render, never a stale page.
fn dependency_hashes(files: &[theme::TemplateFile]) -> HashMap<String, u64> {
    use std::collections::BTreeSet;
    use std::hash::{Hash, Hasher};
    let names: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    let named: Vec<Vec<usize>> = files
        .iter()
        .map(|f| {
            tags(&f.text)
                .flat_map(quoted_strings)
                .filter_map(|s| names.get(s).copied())
                .collect()
        })
        .collect();
    let components: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| defines_component(&f.text))
        .map(|(i, _)| i)
        .collect();
    files
        .iter()
        .enumerate()
        .map(|(start, file)| {
            let mut seen: BTreeSet<usize> = components.iter().copied().collect();
            let mut stack = vec![start];
            stack.extend(components.iter().copied());
            seen.insert(start);
            while let Some(i) = stack.pop() {
                for &next in &named[i] {
                    if seen.insert(next) {
                        stack.push(next);
                    }
                }
            }
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for i in seen {
                (&files[i].name, &files[i].text).hash(&mut h);
            }
            (file.name.clone(), h.finish())
        })
        .collect()
}

/// The inside of every `{% … %}` tag of a template.
fn tags(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("{%").map(move |(i, _)| {
        let inside = &text[i + 2..];
        &inside[..inside.find("%}").unwrap_or(inside.len())]
    })
}

/// The contents of every single- or double-quoted string in `text`.
fn quoted_strings(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(['"', '\''])?;
        let quote = rest.as_bytes()[start] as char;
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else {
            rest = "";
            return None;
        };
        rest = &after[end + 1..];
        Some(&after[..end])
    })
}

fn defines_component(text: &str) -> bool {
    tags(text).any(|tag| {
        tag.trim_start_matches(['-', '+'])
            .trim_start()
            .starts_with("component ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(files: &[(&str, &str)]) -> HashMap<String, u64> {
        let files: Vec<theme::TemplateFile> = files
            .iter()
            .map(|(name, text)| theme::TemplateFile {
                name: name.to_string(),
                display_path: PathBuf::from(name),
                text: text.to_string(),
            })
            .collect();
        dependency_hashes(&files)
    }

    const BASE: &str =
        "<p>Don't {% include \"nav.html\" %}</p>{% block content %}{% endblock content %}";
    const PAGE: &str = "{% extends 'base.html' %}{% block content %}x{% endblock content %}";

    #[test]
    fn a_template_depends_on_what_it_extends_and_includes_transitively() {
        let before = hashes(&[
            ("base.html", BASE),
            ("nav.html", "<nav></nav>"),
            ("page.html", PAGE),
            ("section.html", "s"),
        ]);
        let nav_changed = hashes(&[
            ("base.html", BASE),
            ("nav.html", "<nav>new</nav>"),
            ("page.html", PAGE),
            ("section.html", "s"),
        ]);
        assert_ne!(
            before["page.html"], nav_changed["page.html"],
            "an apostrophe in text must not hide an include"
        );
        assert_eq!(before["section.html"], nav_changed["section.html"]);
        let section_changed = hashes(&[
            ("base.html", BASE),
            ("nav.html", "<nav></nav>"),
            ("page.html", PAGE),
            ("section.html", "t"),
        ]);
        assert_eq!(before["page.html"], section_changed["page.html"]);
        assert_ne!(before["section.html"], section_changed["section.html"]);
    }

    #[test]
    fn every_template_depends_on_the_templates_that_define_components() {
        let component = "{%- component Card(title: String) %}{{ title }}{% endcomponent Card %}";
        let before = hashes(&[("page.html", "p"), ("ui.html", component)]);
        let after = hashes(&[
            ("page.html", "p"),
            (
                "ui.html",
                &component.replace("{{ title }}", "<b>{{ title }}</b>"),
            ),
        ]);
        assert_ne!(before["page.html"], after["page.html"]);
    }
}
