//! Where templates and theme static files come from: `themes/<name>/` on disk,
//! or for `default` without such a folder, the copy built into the binary so a
//! new site needs nothing but content. A site's own `templates/` and
//! `static/` override the theme's file by file.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The built-in default theme, embedded from `themes/default/`.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "archive.html",
        include_str!("../../themes/default/templates/archive.html"),
    ),
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "partials/head_meta.html",
        include_str!("../../themes/default/templates/partials/head_meta.html"),
    ),
    (
        "partials/page_list.html",
        include_str!("../../themes/default/templates/partials/page_list.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../themes/default/templates/partials/pagination.html"),
    ),
    (
        "partials/related.html",
        include_str!("../../themes/default/templates/partials/related.html"),
    ),
    (
        "partials/search_box.html",
        include_str!("../../themes/default/templates/partials/search_box.html"),
    ),
    (
        "partials/series.html",
        include_str!("../../themes/default/templates/partials/series.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "section.html",
        include_str!("../../themes/default/templates/section.html"),
    ),
    (
        "series.html",
        include_str!("../../themes/default/templates/series.html"),
    ),
    (
        "social_card.svg",
        include_str!("../../themes/default/templates/social_card.svg"),
    ),
    (
        "taxonomy_list.html",
        include_str!("../../themes/default/templates/taxonomy_list.html"),
    ),
    (
        "taxonomy_term.html",
        include_str!("../../themes/default/templates/taxonomy_term.html"),
    ),
];

pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
];

/// A template's text and the path shown in errors.
pub struct TemplateFile {
    pub name: String,
    pub display_path: PathBuf,
    pub text: String,
}

/// A static file to copy: from disk or built in, or a stylesheet compiled
/// from Sass (`output::sass`).
pub enum StaticFile {
    Disk(PathBuf),
    Embedded(&'static [u8]),
    Compiled { source: PathBuf, css: Vec<u8> },
}

pub enum Theme {
    Dir(PathBuf),
    Embedded,
}

impl Theme {
    pub fn resolve(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Ok(Theme::Dir(dir));
        }
        if name == "default" {
            return Ok(Theme::Embedded);
        }
        let mut d = Diagnostic::new(
            crate::config::CONFIG_FILE,
            format!("theme `{name}` not found in themes/{name}/"),
        )
        .hint("put the theme in themes/<name>/ or remove `theme` to use the built-in default");
        if let Ok(text) = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)) {
            if let Some(line) = crate::config::find_key_line(&text, "theme") {
                d = d.at(line, 1);
            }
        }
        Err(d)
    }

    /// Every template: the theme's, then the site's `templates/` replacing any
    /// of the same name.
    /// The theme's templates with the site's `templates/` over them; with
    /// `shortcodes_only`, only the site's shortcodes (a Zola site's other
    /// templates are written for Zola's functions).
    pub fn templates(
        &self,
        root: &Path,
        shortcodes_only: bool,
    ) -> Result<Vec<TemplateFile>, Vec<Diagnostic>> {
        let mut files: std::collections::BTreeMap<String, TemplateFile> = Default::default();
        let mut errors = Vec::new();
        match self {
            Theme::Embedded => {
                for (name, text) in DEFAULT_TEMPLATES {
                    files.insert(
                        name.to_string(),
                        TemplateFile {
                            name: name.to_string(),
                            display_path: PathBuf::from("<built-in theme>/templates").join(name),
                            text: text.to_string(),
                        },
                    );
                }
            }
            Theme::Dir(dir) => {
                read_templates(root, &dir.join("templates"), &mut files, &mut errors)
            }
        }
        if shortcodes_only {
            let mut site = Default::default();
            read_templates(root, &root.join("templates"), &mut site, &mut errors);
            files.extend(
                site.into_iter()
                    .filter(|(name, _)| name.starts_with("shortcodes/")),
            );
        } else {
            read_templates(root, &root.join("templates"), &mut files, &mut errors);
        }
        if errors.is_empty() {
            Ok(files.into_values().collect())
        } else {
            Err(errors)
        }
    }

    /// Static files by output path: the theme's, then the site's `static/`
    /// replacing any of the same path.
    pub fn static_files(
        &self,
        root: &Path,
    ) -> Result<std::collections::BTreeMap<String, StaticFile>, Vec<Diagnostic>> {
        let mut files = std::collections::BTreeMap::new();
        let mut errors = Vec::new();
        match self {
            Theme::Embedded => {
                for (name, bytes) in DEFAULT_STATIC {
                    files.insert(name.to_string(), StaticFile::Embedded(bytes));
                }
            }
            Theme::Dir(dir) => walk_files(root, &dir.join("static"), &mut errors, |rel, path| {
                files.insert(rel, StaticFile::Disk(path));
            }),
        }
        walk_files(root, &root.join("static"), &mut errors, |rel, path| {
            files.insert(rel, StaticFile::Disk(path));
        });
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(errors)
        }
    }
}

fn read_templates(
    root: &Path,
    dir: &Path,
    files: &mut std::collections::BTreeMap<String, TemplateFile>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut found = Vec::new();
    walk_files(root, dir, errors, |rel, path| found.push((rel, path)));
    for (name, path) in found {
        let display_path = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        match std::fs::read(&path) {
            Ok(bytes) => match crate::content::page::normalize_text(bytes, &display_path) {
                Ok(text) => {
                    files.insert(
                        name.clone(),
                        TemplateFile {
                            name,
                            display_path,
                            text,
                        },
                    );
                }
                Err(d) => errors.push(d),
            },
            Err(e) => errors.push(Diagnostic::new(display_path, format!("cannot read: {e}"))),
        }
    }
}

/// Hidden names a site publishes: the standard folder of well-known URIs
/// (security.txt, webfinger, domain verification) and the files static
/// hosts read. Other hidden files (`.DS_Store`, `.git`, an editor's swap
/// files) are never published.
const PUBLISHED_HIDDEN: [&str; 3] = [".well-known", ".htaccess", ".nojekyll"];

/// Calls `each(relative path with '/', full path)` for every non-hidden file
/// (but `PUBLISHED_HIDDEN`) under `dir`, in name order. A missing `dir` has
/// no files.
pub fn walk_files(
    root: &Path,
    dir: &Path,
    errors: &mut Vec<Diagnostic>,
    mut each: impl FnMut(String, PathBuf),
) {
    if !dir.is_dir() {
        return;
    }
    let site_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !name.starts_with('.') || PUBLISHED_HIDDEN.contains(&name.as_ref())
        });
    while let Some(entry) = walker.next() {
        match entry {
            Ok(entry) if crate::content::load::outside_site(&site_root, &entry).is_some() => {
                errors.push(crate::content::load::outside_diagnostic(
                    root, &site_root, &entry,
                ));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
            Ok(entry) if entry.file_type().is_file() => {
                if let Ok(rel) = entry.path().strip_prefix(dir) {
                    each(
                        crate::content::load::rel_string(rel),
                        entry.path().to_path_buf(),
                    );
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
                    .unwrap_or_default();
                errors.push(
                    Diagnostic::new(path, format!("cannot read: {e}"))
                        .hint("check the file's permissions, or remove a looping symbolic link"),
                );
            }
        }
    }
}
