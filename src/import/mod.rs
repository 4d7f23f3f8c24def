//! `blog import --from jekyll|hugo|zola SRC DEST`: a new, native `blog`
//! site at DEST made from another generator's site at SRC, which is only
//! ever read; or, with `--from wordpress`, from an export file at SRC
//! (`wordpress.rs`, whose files come as text, not from a folder), or with
//! `--from ghost` from a Ghost export's JSON file (`ghost.rs`), or with
//! `--from feed` from an RSS 2.0 or Atom feed file or URL (`feed.rs`; a
//! URL is fetched first by `fetch.rs`), or with `--from sql` from the rows
//! of a query on an app's SQLite or PostgreSQL database (`sql.rs`). With
//! `--media`, the images the posts show are downloaded into their bundles
//! (`media.rs`), a step between reading and writing.
//!
//! Each generator's reader (`jekyll.rs`, `hugo.rs`, `zola.rs`) turns its
//! configuration into config.toml and lists the source's files: content,
//! static files, and what it cannot bring over. The rest is shared, and
//! leans on `blog`'s own reading of those dialects, so that what `blog
//! build` makes of a site in place and what `blog import` writes agree:
//!
//! 1. The content is laid out as `blog` reads it in place (Jekyll's
//!    `_posts/` under content/) in a scratch folder, and built in memory:
//!    every page's URL there is its old URL.
//! 2. Each file is written anew in `blog`'s own terms: front matter with
//!    `blog`'s keys (`front_matter.rs`), the body through the dialect stage
//!    so that Liquid and shortcodes become markdown and `blog` shortcodes.
//! 3. The new site is built in memory; an old URL it does not reproduce
//!    becomes an alias of its page (a redirect page and a `_redirects`
//!    line), and a second build proves every old URL answers.
//!
//! All of it is written into a staging folder beside DEST, renamed into
//! place only when complete: a failed import leaves no DEST behind.

pub mod feed;
pub mod fetch;
pub mod front_matter;
pub mod ghost;
pub mod hugo;
pub mod jekyll;
pub mod media;
pub mod sql;
pub mod wordpress;
pub mod zola;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::build::{build_into, BuildOptions, Built};
use crate::config::Config;
use crate::content::front_matter::{self as fm, FrontMatter};
use crate::content::load::ParseCache;
use crate::diagnostics::{line_col, Diagnostic};
use crate::dialect::{self, Dialect};
use crate::output::Sink;

/// The generator a site was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Jekyll,
    Hugo,
    Zola,
    WordPress,
    Ghost,
    Feed,
    /// A query's rows in an SQLite or PostgreSQL database.
    Sql,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Jekyll => "Jekyll",
            Source::Hugo => "Hugo",
            Source::Zola => "Zola",
            Source::WordPress => "WordPress",
            Source::Ghost => "Ghost",
            Source::Feed => "feed",
            Source::Sql => "SQL",
        }
    }

    /// Whether SRC is one file (an export) rather than a site's folder.
    pub fn reads_a_file(self) -> bool {
        matches!(self, Source::WordPress | Source::Ghost | Source::Feed)
    }
}

/// What a reader found in the source site.
#[derive(Debug, Default)]
pub struct Plan {
    /// The new site's config.toml, as a table.
    pub config: toml::Table,
    /// Content files, in source order.
    pub content: Vec<ContentFile>,
    /// Files copied as they are: (file in SRC, path in DEST).
    pub copies: Vec<(PathBuf, PathBuf)>,
    /// What could not be brought over.
    pub notes: Vec<Note>,
    /// How the source's heading ids are made, for `[markdown] heading_ids`.
    pub heading_ids: &'static str,
    /// Where an export's reader found each post, by its `view`, for notes
    /// made after reading (`media.rs`).
    pub places: HashMap<PathBuf, Place>,
}

/// A post's place in an export, as the reader's own notes name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub line: Option<(usize, usize)>,
    /// `item 12 “Title”`.
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct ContentFile {
    /// The file in SRC.
    pub source: PathBuf,
    /// Where `blog` reads it in place, relative to content/.
    pub view: PathBuf,
    /// Where the new site keeps it, relative to content/.
    pub dest: PathBuf,
    /// The URL the source generator gave it, when `blog`'s reading in place
    /// does not already (Jekyll's pages: `/about.html`).
    pub old_url: Option<String>,
    /// Front matter values the source applies from its configuration
    /// (Jekyll's `defaults`, a site-wide `excerpt_separator`).
    pub defaults: BTreeMap<String, serde_json::Value>,
    /// The file's text when no file holds it as it is (a post of an
    /// export, written out by its reader); `None` reads `source`.
    pub text: Option<String>,
    /// Query links of the old site that showed this file (WordPress's
    /// `?p=12`), in Netlify's `_redirects` form (`/ p=12`, under the site's
    /// path): written to static/_redirects, sending them to its new URL.
    pub old_queries: Vec<String>,
}

/// Something left behind, with the place it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Relative to SRC.
    pub path: PathBuf,
    pub line: Option<(usize, usize)>,
    pub message: String,
}

impl Note {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Note {
        Note {
            path: path.into(),
            line: None,
            message: message.into(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub drafts: usize,
    pub sections: usize,
    pub copied: usize,
    /// Old URLs kept as aliases because the new permalinks give another.
    pub aliases_added: usize,
    /// Old URLs checked to answer in the new site.
    pub urls_kept: usize,
    pub notes: Vec<Note>,
    /// What `blog build` of the new site warns of.
    pub warnings: Vec<Diagnostic>,
    /// Images downloaded and failed, with `--media`.
    pub media: Option<media::Tally>,
}

/// How an import runs, beyond what to read and where to write it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--media` and its limits; the timeout is also a feed URL's.
    pub media: media::Settings,
    /// `--from sql`: the query whose rows are the posts, and what their
    /// `body` holds.
    pub query: Option<String>,
    pub body_format: sql::BodyFormat,
}

/// `{folder}{slug}.md` for an export's post, or with `-2`, `-3`, … when an
/// earlier one took that place; true when it had to be renamed.
pub fn free_place(
    taken: &mut std::collections::HashSet<PathBuf>,
    folder: &str,
    slug: &str,
) -> (PathBuf, bool) {
    let first = PathBuf::from(format!("{folder}{slug}.md"));
    if taken.insert(first.clone()) {
        return (first, false);
    }
    let free = (2..)
        .map(|n| PathBuf::from(format!("{folder}{slug}-{n}.md")))
        .find(|p| !taken.contains(p))
        .unwrap_or(first);
    taken.insert(free.clone());
    (free, true)
}

/// SRC given as an http(s) URL (`--from feed https://…`).
pub fn is_url(src: &Path) -> bool {
    let s = src.to_string_lossy();
    s.starts_with("http://") || s.starts_with("https://")
}

/// Imports the site at `src` into `dest`.
pub fn import(
    from: Source,
    src: &Path,
    dest: &Path,
    options: &Options,
) -> Result<Report, Vec<Diagnostic>> {
    check_places(from, src, dest).map_err(|d| vec![d])?;
    if options.media.download && !(from.reads_a_file() || from == Source::Sql) {
        return Err(vec![Diagnostic::new(
            src,
            "--media downloads the images of an export's posts (WordPress, Ghost, a feed or a database)",
        )
        .hint(format!(
            "a {} site's images are its own files and are imported with it: import again without --media",
            from.name()
        ))]);
    }
    // `.`, `out/`, `../x`: the folder itself, so that its parent holds the
    // staging folder and the name to rename it to.
    let (parent, name) = place_of(dest).map_err(|d| vec![d])?;
    let pid = std::process::id();
    remove_stale_scratch(&parent, &name);
    let view = Scratch(parent.join(format!(".{name}.blog-import-view-{pid}")));
    let staging = Scratch(parent.join(format!(".{name}.blog-import-{pid}")));
    // What is downloaded (a feed, images) before it has a place in the site.
    let fetched = Scratch(parent.join(format!(".{name}.blog-import-fetch-{pid}")));
    for scratch in [&view.0, &staging.0, &fetched.0] {
        let _ = std::fs::remove_dir_all(scratch);
    }
    let plan = match from {
        Source::Feed if is_url(src) => feed_from_url(src, &fetched.0, options),
        Source::Jekyll => jekyll::plan(src),
        Source::Hugo => hugo::plan(src),
        Source::Zola => zola::plan(src),
        Source::WordPress => wordpress::plan(src),
        Source::Ghost => ghost::plan(src),
        Source::Feed => feed::plan(src),
        Source::Sql => sql::plan(src, dest, options),
    }?;
    let mut plan = plan;
    // Notes and names are relative to the export's folder.
    let src = &source_root(from, src);
    unique_names(&mut plan, src);
    let media = if options.media.download {
        let downloads = fetched.0.join("media");
        Some(
            media::download_all(&mut plan, src, &options.media, &downloads, &staging.0)
                .map_err(|d| vec![d])?,
        )
    } else {
        media::note_remote(&mut plan, src);
        None
    };
    let mut report = write_site(from, src, &plan, &view.0, &staging.0)?;
    report.media = media;
    let target = parent.join(&name);
    if target.exists() {
        // Checked empty above.
        std::fs::remove_dir(&target)
            .map_err(|e| vec![io(dest, "cannot replace the empty folder", e)])?;
    }
    std::fs::rename(&staging.0, &target)
        .map_err(|e| vec![io(dest, "cannot move the imported site into place", e)])?;
    std::mem::forget(staging);
    Ok(report)
}

/// The feed at the URL `src`, downloaded into `scratch` and read as a
/// feed file is; its notes and errors name the URL.
fn feed_from_url(src: &Path, scratch: &Path, options: &Options) -> Result<Plan, Vec<Diagnostic>> {
    let url = src.to_string_lossy();
    let file = scratch.join("feed.xml");
    std::fs::create_dir_all(scratch).map_err(|e| vec![io(scratch, "cannot create", e)])?;
    media::fetch_feed(&url, options.media.timeout, &file).map_err(|why| {
        vec![Diagnostic::new(src, format!("cannot be fetched: {why}"))
            .hint("check the address in a browser, or download the feed and give its file")]
    })?;
    feed::plan_of(&file, src).map_err(|ds| {
        ds.into_iter()
            .map(|mut d| {
                if d.path == file {
                    d.path = src.to_path_buf();
                }
                d
            })
            .collect()
    })
}

/// DEST's parent folder (which must exist) and its name.
fn place_of(dest: &Path) -> Result<(PathBuf, String), Diagnostic> {
    let absolute = if dest.exists() {
        dest.canonicalize()
            .map_err(|e| Diagnostic::new(dest, format!("cannot be used: {e}")))?
    } else {
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let parent = parent.canonicalize().map_err(|e| {
            Diagnostic::new(dest, format!("its folder cannot be used: {e}"))
                .hint("create the folder that will hold the imported site")
        })?;
        parent.join(dest.file_name().unwrap_or_default())
    };
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => {
            Ok((parent.to_path_buf(), name.to_string_lossy().into_owned()))
        }
        _ => Err(Diagnostic::new(dest, "cannot hold an imported site")
            .hint("give a new folder, like ../my-site")),
    }
}

/// The scratch and staging folders of an import that was stopped (Ctrl-C,
/// a kill) before it could remove them, found by their names: removed
/// when the process that made them is gone.
fn remove_stale_scratch(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name
            .strip_prefix(&format!(".{name}.blog-import-"))
            .map(|r| {
                r.strip_prefix("view-")
                    .or_else(|| r.strip_prefix("fetch-"))
                    .unwrap_or(r)
            })
        else {
            continue;
        };
        let Ok(pid) = rest.parse::<u32>() else {
            continue;
        };
        let running =
            cfg!(target_os = "linux") && Path::new("/proc").join(pid.to_string()).exists();
        if !running {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Two source files that would be written to one place (`a.md` and
/// `a.markdown`, a draft and a post of one name): the later one gets a
/// `-2` (`-3`, …) before its extension, and a note says so.
fn unique_names(plan: &mut Plan, src: &Path) {
    // A published post keeps its name before a draft of the same one.
    plan.content.sort_by_key(|f| f.view.starts_with("_drafts"));
    let mut taken: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for file in &mut plan.content {
        if taken.insert(file.dest.clone()) {
            continue;
        }
        let stem = file
            .dest
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = file
            .dest
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let renamed = (2..)
            .map(|n| file.dest.with_file_name(format!("{stem}-{n}{ext}")))
            .find(|p| !taken.contains(p))
            .unwrap_or_else(|| file.dest.clone());
        plan.notes.push(Note::new(
            file.source.strip_prefix(src).unwrap_or(&file.source),
            format!(
                "is written as content/{}: another file has its name",
                slashed(&renamed)
            ),
        ));
        // The slug the old name gave, so that the URL stays.
        let slug = crate::content::date::Date::from_file_name(&stem)
            .map_or(stem.as_str(), |(_, _, rest)| rest)
            .to_string();
        file.defaults
            .entry("slug".into())
            .or_insert(serde_json::Value::String(slug));
        taken.insert(renamed.clone());
        file.dest = renamed;
    }
}

/// A folder removed when dropped: the scratch copy always, the staging
/// folder unless the import completed.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn io(path: &Path, what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new(path, format!("{what}: {e}"))
}

/// The folder that notes are relative to: SRC, or the export's folder;
/// none for a database, whose notes name it (without its password).
pub fn source_root(from: Source, src: &Path) -> PathBuf {
    if from == Source::Sql || is_url(src) {
        // Notes name the database (without its password) or the URL.
        PathBuf::new()
    } else if from.reads_a_file() {
        src.parent().unwrap_or(Path::new("")).to_path_buf()
    } else {
        src.to_path_buf()
    }
}

fn check_places(from: Source, src: &Path, dest: &Path) -> Result<(), Diagnostic> {
    if from == Source::Sql || (from == Source::Feed && is_url(src)) {
        // A database URL, which `sql.rs` checks (a SQLite file cannot be in
        // the new, empty DEST), or a feed's, fetched and then read as a
        // file is.
    } else if from.reads_a_file() {
        if !src.is_file() && from == Source::Feed {
            return Err(Diagnostic::new(src, "is not a file").hint(
                "give the feed's .xml file (RSS 2.0 or Atom), or its address (https://example.com/feed.xml)",
            ));
        }
        if !src.is_file() {
            let export = match from {
                Source::Ghost => "the .json file of Settings → Labs → Export",
                _ => "the .xml file of Tools → Export",
            };
            return Err(Diagnostic::new(src, "is not a file").hint(format!(
                "give the {} export to import ({export})",
                from.name()
            )));
        }
    } else if !src.is_dir() {
        return Err(Diagnostic::new(src, "is not a folder").hint(format!(
            "give the folder of the {} site to import",
            from.name()
        )));
    }
    if dest.exists() {
        let empty = std::fs::read_dir(dest)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !dest.is_dir() || !empty {
            return Err(
                Diagnostic::new(dest, "already exists and is not an empty folder")
                    .hint("give a new folder for the imported site; nothing was written"),
            );
        }
    }
    let real_dest_parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .canonicalize()
        .map_err(|e| {
            Diagnostic::new(dest, format!("its folder cannot be used: {e}"))
                .hint("create the folder that will hold the imported site")
        })?;
    let real_dest = real_dest_parent.join(dest.file_name().unwrap_or_default());
    if from == Source::Sql {
        return Ok(());
    }
    let real_src = src.canonicalize().unwrap_or_else(|_| src.to_path_buf());
    if real_src.starts_with(&real_dest) {
        return Err(Diagnostic::new(dest, "holds the site being imported")
            .hint("give a folder outside the source site"));
    }
    if real_dest.starts_with(&real_src) {
        return Err(Diagnostic::new(
            dest,
            "is inside the site being imported, which is only read",
        )
        .hint("give a folder outside the source site"));
    }
    Ok(())
}

/// Writes the new site into `staging`, with `view` as scratch space.
fn write_site(
    from: Source,
    src: &Path,
    plan: &Plan,
    view: &Path,
    staging: &Path,
) -> Result<Report, Vec<Diagnostic>> {
    let fail = |path: &Path, e: anyhow::Error| vec![Diagnostic::new(path, format!("{e:#}"))];
    let mut config_table = plan.config.clone();
    if !plan.heading_ids.is_empty() {
        let markdown = config_table
            .entry("markdown")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(t) = markdown {
            t.insert("heading_ids".into(), plan.heading_ids.into());
        }
    }
    let config_text = config_file(from, &config_table);
    let config = Config::parse(&config_text).map_err(|mut ds| {
        for d in &mut ds {
            d.message = format!("the config.toml made from the source site: {}", d.message);
        }
        ds
    })?;

    // 1. The site as blog reads it in place, built for its URLs: Jekyll's
    // posts are its `_posts` section there.
    let mut view_table = config_table.clone();
    if let Some(toml::Value::Table(permalinks)) = view_table.get_mut("permalinks") {
        if let Some(posts) = permalinks.get("posts").cloned() {
            permalinks.insert("_posts".into(), posts);
        }
    }
    write_file(
        &view.join("config.toml"),
        config_file(from, &view_table).as_bytes(),
    )
    .map_err(|e| fail(view, e))?;
    for file in &plan.content {
        let to = view.join("content").join(&file.view);
        if let Some(text) = &file.text {
            write_file(&to, text.as_bytes()).map_err(|e| fail(&file.source, e))?;
        } else if file.defaults.is_empty() || !is_markdown(&file.view) {
            copy_file(&file.source, &to).map_err(|e| fail(&file.source, e))?;
        } else {
            let text = source_text(file).map_err(|d| vec![d])?;
            write_file(&to, text.as_bytes()).map_err(|e| fail(&file.source, e))?;
        }
    }
    for (from_file, to) in &plan.copies {
        if to.starts_with("templates") {
            copy_file(from_file, &view.join(to)).map_err(|e| fail(from_file, e))?;
        }
    }
    let old = build_in_memory(view, &mut ParseCache::default()).map_err(|ds| {
        ds.into_iter()
            .map(|d| in_source(d, src, plan))
            .collect::<Vec<_>>()
    })?;
    // Each published page's URL and aliases; the rest of that build goes.
    let old_pages: HashMap<PathBuf, (String, Vec<String>)> = old
        .site
        .pages
        .iter()
        .map(|p| (p.source.clone(), (p.path.clone(), p.meta.aliases.clone())))
        .collect();
    drop(old);

    // 2. Every file in blog's own terms.
    let links = LinkMap::new(plan);
    let mut report = Report::default();
    let mut written: Vec<(PathBuf, front_matter::Native, String)> = Vec::new();
    let mut old_urls: HashMap<PathBuf, Vec<String>> = HashMap::new();
    for file in &plan.content {
        let view_source = Path::new("content").join(&file.view);
        let is_markdown = is_markdown(&file.view);
        let dest = staging.join("content").join(&file.dest);
        if !is_markdown {
            copy_file(&file.source, &dest).map_err(|e| fail(&file.source, e))?;
            report.copied += 1;
            continue;
        }
        let as_written = match &file.text {
            Some(text) => text.clone(),
            None => read_text(&file.source).map_err(|d| vec![d])?,
        };
        let text = source_text(file).map_err(|d| vec![d])?;
        let rel_source = file.source.strip_prefix(src).unwrap_or(&file.source);
        let converted = convert(
            from,
            &text,
            &as_written,
            file,
            &view_source,
            &config,
            &links,
            rel_source,
        )
        .map_err(|d| vec![d])?;
        report.notes.extend(converted.notes);
        let mut native = converted.front_matter;
        let is_section = file.view.file_name().is_some_and(|n| n == "_index.md");
        if is_section {
            report.sections += 1;
        } else if let Some((old_path, old_aliases)) = old_pages.get(&view_source) {
            // A page's own URL, as the source resolved it (Jekyll's may
            // use placeholders); else the one its generator gave it.
            let own = native.path.is_some();
            let old = match (&file.old_url, own) {
                (Some(url), false) => url.clone(),
                _ => old_path.clone(),
            };
            if own || (from == Source::Jekyll && file.old_url.is_some()) {
                // Written out: blog would give a Jekyll page (`/about.html`)
                // another.
                native.path = Some(old.clone());
            }
            let mut urls = vec![old];
            let mut old_aliases = old_aliases.clone();
            if from == Source::Hugo {
                hugo_relative_aliases(&mut old_aliases, &file.dest);
            }
            urls.extend(old_aliases);
            old_urls.insert(file.dest.clone(), urls);
        }
        if !is_section {
            report.pages += 1;
            if native.draft {
                report.drafts += 1;
            }
        }
        written.push((file.dest.clone(), native, converted.body));
    }
    for (dest, native, body) in &written {
        write_file(
            &staging.join("content").join(dest),
            front_matter::render(native, body).as_bytes(),
        )
        .map_err(|e| fail(dest, e))?;
    }
    for (from_file, to) in &plan.copies {
        copy_file(from_file, &staging.join(to)).map_err(|e| fail(from_file, e))?;
        report.copied += 1;
    }
    write_file(&staging.join("config.toml"), config_text.as_bytes())
        .map_err(|e| fail(staging, e))?;
    write_file(&staging.join(".gitignore"), b"/public/\n").map_err(|e| fail(staging, e))?;

    // 3. Old URLs the new permalinks do not give, as aliases.
    let by_dest = |ds: Vec<Diagnostic>| -> Vec<Diagnostic> {
        ds.into_iter()
            .map(|d| in_source_of_dest(d, src, plan))
            .collect()
    };
    let mut cache = ParseCache::default();
    let new = build_in_memory(staging, &mut cache).map_err(by_dest)?;
    let answers = |built: &Built| -> HashMap<PathBuf, Vec<String>> {
        let mut by_source: HashMap<PathBuf, Vec<String>> = HashMap::new();
        for page in &built.site.pages {
            let rel = page
                .source
                .strip_prefix("content")
                .unwrap_or(&page.source)
                .to_path_buf();
            by_source.entry(rel).or_default().push(page.path.clone());
        }
        for alias in &built.site.aliases {
            let page = &built.site.pages[alias.target];
            let rel = page
                .source
                .strip_prefix("content")
                .unwrap_or(&page.source)
                .to_path_buf();
            by_source.entry(rel).or_default().push(alias.path.clone());
        }
        by_source
    };
    let now = answers(&new);
    let mut changed = false;
    for (dest, native, body) in &mut written {
        let Some(urls) = old_urls.get_mut(dest.as_path()) else {
            continue;
        };
        let answered = now.get(dest.as_path()).cloned().unwrap_or_default();
        let mut this_changed = false;
        let is_bundle = dest.file_name().is_some_and(|n| n == "index.md");
        let source = plan
            .content
            .iter()
            .find(|f| &f.dest == dest)
            .map(|f| {
                f.source
                    .strip_prefix(src)
                    .unwrap_or(&f.source)
                    .to_path_buf()
            })
            .unwrap_or_else(|| dest.clone());
        let mut kept = Vec::new();
        for (i, url) in urls.iter().enumerate() {
            if answered.iter().any(|a| same_url(a, url)) || native.aliases.contains(url) {
                kept.push(url.clone());
                continue;
            }
            if let Err(why) = crate::content::url::check_author_path(url) {
                report.notes.push(Note::new(
                    &source,
                    format!("its old URL {url} cannot be kept: it {why}"),
                ));
                continue;
            }
            if i == 0 && is_bundle && native.path.is_none() {
                // A bundle's files are published beside its page: at its
                // old URL, so are they.
                native.path = Some(url.clone());
            } else {
                native.aliases.push(url.clone());
                report.aliases_added += 1;
            }
            kept.push(url.clone());
            this_changed = true;
        }
        *urls = kept;
        if this_changed {
            changed = true;
            cache.changed.insert(staging.join("content").join(&*dest));
            write_file(
                &staging.join("content").join(&*dest),
                front_matter::render(native, body).as_bytes(),
            )
            .map_err(|e| fail(dest, e))?;
        }
    }
    let last = if changed {
        drop(new);
        build_in_memory(staging, &mut cache).map_err(by_dest)?
    } else {
        new
    };
    let now = answers(&last);
    for (dest, urls) in &old_urls {
        let answered = now.get(dest).cloned().unwrap_or_default();
        for url in urls {
            if !answered.iter().any(|a| same_url(a, url)) {
                return Err(vec![Diagnostic::new(
                    Path::new("content").join(dest),
                    format!("the old URL {url} does not answer in the imported site"),
                )
                .hint(
                    "this is a bug in blog import; please report it with the source file",
                )]);
            }
            report.urls_kept += 1;
        }
    }
    if plan.content.iter().any(|f| !f.old_queries.is_empty()) {
        let url_of: HashMap<&Path, &str> = last
            .site
            .pages
            .iter()
            .filter_map(|p| Some((p.source.strip_prefix("content").ok()?, p.path.as_str())))
            .collect();
        // Paths on the host, as blog writes its own lines.
        let prefix = config.base_path();
        let mut lines = format!(
            "# The old site's query links (made by `blog import --from {}`)\n",
            from.name().to_lowercase()
        );
        for file in &plan.content {
            let Some(url) = url_of.get(file.dest.as_path()) else {
                continue;
            };
            for query in &file.old_queries {
                lines.push_str(&format!("{prefix}{query} {prefix}{url} 301!\n"));
            }
        }
        write_file(&staging.join("static/_redirects"), lines.as_bytes())
            .map_err(|e| fail(staging, e))?;
    }
    report.warnings = last.link_warnings.clone();
    report.notes.extend(plan.notes.iter().cloned());
    report
        .notes
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    report.notes.dedup();
    Ok(report)
}

/// Two spellings of one URL path: `/a/`, `/a` and `/a/index.html` (a host
/// answers `/a` with the folder's page).
fn same_url(a: &str, b: &str) -> bool {
    let norm = |u: &str| {
        let u = u.trim_end_matches("index.html");
        let u = u.trim_end_matches('/');
        u.trim_start_matches('/').to_string()
    };
    norm(a) == norm(b)
}

/// `cache` keeps the parse of every file a build of the same folder read
/// before, so the second build of the new site parses only what changed.
fn build_in_memory(root: &Path, cache: &mut ParseCache) -> Result<Built, Vec<Diagnostic>> {
    // What is published today: a draft or a future post has no old URL.
    let mut options = BuildOptions::new(root);
    options.print_warnings = false;
    match build_into(&options, &Discard, None, cache) {
        Ok((_, built)) => Ok(built),
        Err(crate::build::BuildError::Site(failed)) => Err(failed.0),
        Err(crate::build::BuildError::Io(e)) => Err(vec![Diagnostic::new(root, format!("{e:#}"))]),
    }
}

/// A diagnostic about the scratch copy, pointed at the source file.
fn in_source(mut d: Diagnostic, src: &Path, plan: &Plan) -> Diagnostic {
    if let Ok(rel) = d.path.strip_prefix("content") {
        if let Some(file) = plan.content.iter().find(|f| f.view == rel) {
            d.path = file.source.clone();
            return d;
        }
    }
    if d.path == Path::new("config.toml") {
        d.message = format!(
            "the configuration read from {}: {}",
            src.display(),
            d.message
        );
    }
    d
}

/// A diagnostic about the new site, pointed at the source file it came
/// from (a shortcode template, a page).
fn in_source_of_dest(mut d: Diagnostic, src: &Path, plan: &Plan) -> Diagnostic {
    if let Ok(rel) = d.path.strip_prefix("content") {
        if let Some(file) = plan.content.iter().find(|f| f.dest == rel) {
            d.path = file.source.clone();
            return d;
        }
    }
    if d.path.starts_with("templates") {
        d.message = format!(
            "{} (a template brought over from {}; fix or remove it there and import again)",
            d.message,
            src.display()
        );
        d.path = src.join(&d.path);
    }
    d
}

struct Discard;

impl Sink for Discard {
    fn write(&self, _rel: &str, _bytes: &[u8]) -> anyhow::Result<()> {
        Ok(())
    }

    fn copy(&self, _rel: &str, _from: &Path) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Where the files a body links to (`@/_posts/NAME.md`) are in the new site.
struct LinkMap {
    by_view: HashMap<String, String>,
    /// Jekyll's posts by name (`2010-07-21-name`), as `{% post_url %}` finds them.
    posts: HashMap<String, String>,
}

impl LinkMap {
    fn new(plan: &Plan) -> LinkMap {
        let mut by_view = HashMap::new();
        let mut posts = HashMap::new();
        for f in &plan.content {
            let view = slashed(&f.view);
            let dest = slashed(&f.dest);
            if view.starts_with("_posts/") || view.starts_with("_drafts/") {
                if let Some(stem) = f.view.file_stem() {
                    // Posts come before drafts (`unique_names`): a post wins.
                    posts
                        .entry(stem.to_string_lossy().into_owned())
                        .or_insert_with(|| dest.clone());
                }
            }
            by_view.insert(view, dest);
        }
        LinkMap { by_view, posts }
    }

    /// The new `@/` path for `target` (after `@/`, before any `#`).
    fn get(&self, target: &str) -> Option<&str> {
        if let Some(found) = self.by_view.get(target) {
            return Some(found);
        }
        let name = target
            .strip_prefix("_posts/")?
            .rsplit('/')
            .next()?
            .trim_end_matches(".md")
            .trim_end_matches(".markdown");
        self.posts.get(name).map(String::as_str)
    }

    /// `body` with every `@/` link to a moved file pointed at its new place.
    fn rewrite(&self, body: &str) -> String {
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(i) = rest.find("@/") {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
            let end = rest
                .find(|c: char| c == '#' || c == ')' || c == '"' || c == '\'' || c.is_whitespace())
                .unwrap_or(rest.len());
            match self.get(&rest[..end]) {
                Some(new) => out.push_str(new),
                None => out.push_str(&rest[..end]),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

fn slashed(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

struct Converted {
    front_matter: front_matter::Native,
    body: String,
    notes: Vec<Note>,
}

/// One content file in blog's terms.
/// `text` is the file with its generator's defaults applied, `written` the
/// file as the author wrote it, which notes point into.
#[allow(clippy::too_many_arguments)]
fn convert(
    from: Source,
    text: &str,
    written: &str,
    file: &ContentFile,
    view_source: &Path,
    config: &Config,
    links: &LinkMap,
    rel_source: &Path,
) -> Result<Converted, Diagnostic> {
    let taxonomy_names: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
    let split = fm::split(text)
        .map_err(|(line, message)| Diagnostic::new(&file.source, message).at(line, 1))?;
    let mut meta = match split.format {
        Some(format) => fm::parse(format, split.front_matter, &taxonomy_names)
            .map_err(|e| FrontMatter::error(&file.source, split.front_matter_line, e, format))?,
        None => FrontMatter::default(),
    };
    let dialect = Dialect::of(view_source, split.body);
    if dialect == Dialect::Jekyll {
        dialect::jekyll::front_matter(&mut meta, view_source);
        dialect::jekyll::dates_in_utc(&mut meta, config);
    }
    let context = dialect::Context {
        config,
        meta: &meta,
        source: view_source,
        shortcodes: None,
        native: true,
    };
    let transformed = match dialect {
        Dialect::Jekyll => dialect::jekyll::transform(split.body, &context),
        Dialect::Hugo => dialect::hugo::transform(split.body, &context),
        // Zola's shortcodes are blog's own.
        Dialect::Zola | Dialect::Native => None,
    };
    // The body is the same in both; the front matter may not be.
    let body_start = written.len().saturating_sub(split.body.len());
    let written_front_matter = fm::split(written)
        .map(|s| (s.front_matter.to_string(), s.front_matter_line))
        .unwrap_or_default();
    let mut notes = Vec::new();
    let body = match &transformed {
        Some(t) => {
            for n in &t.notes {
                let (line, column) = line_col(written, body_start + n.offset);
                notes.push(Note {
                    path: rel_source.to_path_buf(),
                    line: Some((line, column)),
                    message: format!("{} ({})", n.message, n.hint),
                });
            }
            links.rewrite(&t.body)
        }
        None => split.body.to_string(),
    };
    if from == Source::Hugo {
        hugo_relative_aliases(&mut meta.aliases, &file.dest);
    }
    let (native, dropped) = front_matter::Native::from_meta(&meta, config);
    for key in dropped {
        // A key the configuration's defaults gave (a layout for every
        // post) is not the author's to change in this file.
        let Some(line) = crate::config::find_key_line(&written_front_matter.0, &key.0) else {
            continue;
        };
        let line = Some((line + written_front_matter.1 - 1, 1));
        notes.push(Note {
            path: rel_source.to_path_buf(),
            line,
            message: key.1,
        });
    }
    Ok(Converted {
        front_matter: native,
        body,
        notes,
    })
}

/// Hugo resolves an alias written without a leading `/` from the page's
/// folder (`old/a` on `posts/a.md` is `/posts/old/a/`); blog reads every
/// alias from the site's root, so the import writes the full path. Only
/// for Hugo's: Zola's and Jekyll's aliases are from the root already.
fn hugo_relative_aliases(aliases: &mut [String], dest: &Path) {
    let is_bundle = dest.file_name().is_some_and(|n| n == "index.md");
    let dir = if is_bundle {
        dest.parent().and_then(Path::parent)
    } else {
        dest.parent()
    };
    let dir = dir.map(slashed).unwrap_or_default().to_lowercase();
    for alias in aliases {
        if !alias.starts_with('/') && !alias.contains("://") && !dir.is_empty() {
            *alias = format!("/{dir}/{alias}");
        }
    }
}

fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}

/// A `defaults` key for the categories Jekyll takes from the folders above
/// `_posts/`, which come before the post's own rather than giving way.
pub const FOLDER_CATEGORIES: &str = "\u{0}folder categories";

/// The file's text, with the front matter values its generator's
/// configuration gives it (Jekyll's `defaults`) added where it has none.
fn source_text(file: &ContentFile) -> Result<String, Diagnostic> {
    let text = match &file.text {
        Some(text) => text.clone(),
        None => read_text(&file.source)?,
    };
    if file.defaults.is_empty() {
        return Ok(text);
    }
    let split = fm::split(&text)
        .map_err(|(line, message)| Diagnostic::new(&file.source, message).at(line, 1))?;
    // Read as a build reads it first, so that a mistake is reported at its
    // line in the file, not in the copy with the defaults added.
    if let Some(format) = split.format {
        fm::parse(format, split.front_matter, &[])
            .map_err(|e| FrontMatter::error(&file.source, split.front_matter_line, e, format))?;
    }
    let parsed: Result<serde_json::Value, String> = match split.format {
        None => Ok(serde_json::Value::Object(Default::default())),
        Some(fm::Format::Toml) => toml::from_str(split.front_matter).map_err(|e| e.to_string()),
        Some(_) => serde_yaml_ng::from_str(split.front_matter).map_err(|e| e.to_string()),
    };
    let mut values = match parsed {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(serde_json::Value::Null) => Default::default(),
        _ => {
            return Err(Diagnostic::new(
                &file.source,
                "the front matter is not a list of keys and values",
            )
            .at(split.front_matter_line, 1)
            .hint("write one `key: value` per line"))
        }
    };
    for (key, value) in &file.defaults {
        if key == FOLDER_CATEGORIES {
            continue;
        }
        values.entry(key.clone()).or_insert_with(|| value.clone());
    }
    // Jekyll's categories from the folders above `_posts/` come first,
    // then the post's own (a list, a space-separated string, `category`).
    if let Some(serde_json::Value::Array(folders)) = file.defaults.get(FOLDER_CATEGORIES) {
        let mut all = folders.clone();
        for key in ["categories", "category"] {
            match values.get(key) {
                Some(serde_json::Value::Array(own)) => all.extend(own.iter().cloned()),
                Some(serde_json::Value::String(own)) => all.extend(
                    own.split_whitespace()
                        .map(|c| serde_json::Value::String(c.to_string())),
                ),
                _ => {}
            }
        }
        values.remove("category");
        values.insert("categories".into(), serde_json::Value::Array(all));
    }
    let yaml = serde_yaml_ng::to_string(&values).unwrap_or_default();
    Ok(format!("---\n{yaml}---\n{}", split.body))
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::new(path, format!("cannot read: {e}")))?;
    crate::content::page::normalize_text(bytes, path)
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn copy_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map(drop)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
}

/// The settings of another generator's configuration, for `blog build`
/// of its site as it is: Hugo's (`hugo.toml`, `config.*`,
/// `config/_default/`) when there is no config.toml, or a config.toml
/// that is Zola's or Hugo's (`config_text`, which blog could not read).
/// `None` when there is none; the name of the file read comes with it.
pub fn foreign_config_in_place(
    root: &Path,
    config_text: Option<&str>,
) -> Option<Result<(Config, String, Source), Vec<Diagnostic>>> {
    let from = match config_text {
        None => Source::Hugo,
        Some(text) => match crate::config::keys::foreign_generator(text)? {
            "zola" => Source::Zola,
            _ => Source::Hugo,
        },
    };
    let name = match from {
        Source::Zola => crate::config::CONFIG_FILE.to_string(),
        _ => hugo::config_name(root)?,
    };
    let site = match from {
        Source::Zola => zola::site_config(root),
        _ => hugo::site_config(root).map(|s| s.plan),
    };
    Some(site.and_then(|plan| {
        let mut table = plan.config;
        let markdown = table
            .entry("markdown")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(t) = markdown {
            t.insert("heading_ids".into(), plan.heading_ids.into());
        }
        let config = Config::parse(&config_file(from, &table)).map_err(|ds| {
            ds.into_iter()
                .map(|mut d| {
                    d.path = PathBuf::from(&name);
                    d.line = None;
                    d.column = None;
                    d.message = format!("the settings read from it: {}", d.message);
                    d
                })
                .collect::<Vec<_>>()
        })?;
        Ok((config, name, from))
    }))
}

/// config.toml's text: a line on where it came from, then the table.
fn config_file(from: Source, table: &toml::Table) -> String {
    let body = toml::to_string(table).unwrap_or_default();
    format!(
        "# Made by `blog import --from {}` from the {} site's configuration.\n# Every key is described in the README's \"config.toml\" section.\n\n{body}",
        from.name().to_lowercase(),
        from.name()
    )
}

/// A toml value from a YAML/JSON one, where TOML can hold it.
pub fn toml_value(value: &serde_json::Value) -> Option<toml::Value> {
    Some(match value {
        serde_json::Value::Null => return None,
        serde_json::Value::Bool(b) => toml::Value::Boolean(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64()?),
        },
        serde_json::Value::String(s) => toml::Value::String(s.clone()),
        serde_json::Value::Array(items) => {
            toml::Value::Array(items.iter().filter_map(toml_value).collect())
        }
        serde_json::Value::Object(map) => toml::Value::Table(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), toml_value(v)?)))
                .collect(),
        ),
    })
}

/// Every file under `dir`, relative to it, in name order, skipping what
/// `skip` refuses (given the path relative to `dir`).
/// A name starting with `.` anywhere in `rel` (`.git`, `.DS_Store`): not
/// part of a Hugo or Zola site's content or static files.
pub fn is_hidden(rel: &Path, _is_dir: bool) -> bool {
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// Hugo's and Zola's `static/`, copied into the new site's as it is.
pub fn copy_static(src: &Path, plan: &mut Plan) {
    let statics = src.join("static");
    for rel in files_under(&statics, &is_hidden) {
        plan.copies
            .push((statics.join(&rel), Path::new("static").join(rel)));
    }
}

/// Symbolic links are followed while they stay inside `dir`; one that
/// leads out is left behind (`links_outside` names them for the report).
pub fn files_under(dir: &Path, skip: &dyn Fn(&Path, bool) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            e.depth() == 0 || (!leads_outside(e, &real) && !skip(rel, e.file_type().is_dir()))
        });
    for entry in walker.flatten() {
        if entry.file_type().is_file() {
            if let Ok(rel) = entry.path().strip_prefix(dir) {
                found.push(rel.to_path_buf());
            }
        }
    }
    found
}

fn leads_outside(entry: &walkdir::DirEntry, real_dir: &Path) -> bool {
    entry.path_is_symlink()
        && !entry
            .path()
            .canonicalize()
            .is_ok_and(|target| target.starts_with(real_dir))
}

/// The symbolic links under `dir` that lead outside it, relative to `dir`:
/// not followed, so not imported.
pub fn links_outside(dir: &Path, skip: &dyn Fn(&Path, bool) -> bool) -> Vec<PathBuf> {
    let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            e.depth() == 0 || !skip(rel, e.file_type().is_dir())
        })
        .flatten()
        .filter(|e| leads_outside(e, &real))
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect()
}

/// A note for each link under `dir` (`shown` as, in SRC) that leads out.
pub fn note_links_outside(
    dir: &Path,
    shown: &Path,
    skip: &dyn Fn(&Path, bool) -> bool,
    notes: &mut Vec<Note>,
) {
    for rel in links_outside(dir, skip) {
        notes.push(Note::new(
            shown.join(rel),
            "is a symbolic link to a place outside the site: not imported; copy what it points at into the site",
        ));
    }
}
