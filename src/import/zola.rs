//! A Zola site's files, as `blog import` brings them over. Zola's content
//! is closest to blog's own (TOML front matter, sections with `_index.md`,
//! page bundles, `{{ name(…) }}` shortcodes, `@/` links), so content/ and
//! static/ are taken as they are and `templates/shortcodes/` (tera, like
//! blog's) is kept; config.toml (or zola.toml) is read for the settings
//! blog has; sass/ comes over as it is when Zola compiled it
//! (`compile_sass`). Other templates and themes are named in the report.

use std::path::Path;

use serde_json::Value;

use super::{files_under, ContentFile, Note, Plan};
use crate::diagnostics::Diagnostic;

pub fn plan(src: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let mut plan = site_config(src)?;

    let skip = super::is_hidden;
    let content = src.join("content");
    for dir in ["content", "static"] {
        super::note_links_outside(&src.join(dir), Path::new(dir), &skip, &mut plan.notes);
    }
    for rel in files_under(&content, &skip) {
        plan.content.push(ContentFile {
            source: content.join(&rel),
            view: rel.clone(),
            dest: rel,
            old_url: None,
            defaults: Default::default(),
            text: None,
            old_queries: Vec::new(),
        });
    }
    super::copy_static(src, &mut plan);
    let templates = src.join("templates");
    let mut other_templates = false;
    for rel in files_under(&templates, &skip) {
        if rel.starts_with("shortcodes") {
            plan.copies
                .push((templates.join(&rel), Path::new("templates").join(rel)));
        } else {
            other_templates = true;
        }
    }
    if other_templates {
        plan.notes.push(Note::new(
            "templates",
            "Zola's page templates are not imported (their functions differ from blog's): the site is built with blog's theme; its shortcodes are kept",
        ));
    }
    Ok(plan)
}

/// Reads the site's config.toml (or zola.toml) into blog's settings.
pub fn site_config(src: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let path = ["config.toml", "zola.toml"]
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            vec![Diagnostic::new(src, "is not a Zola site: it has no config.toml or zola.toml")
                .hint("give the folder holding the Zola site's config.toml, or choose the generator with --from")]
        })?;
    let config_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let settings = super::hugo::read_any(&path)?;
    let get = |key: &str| settings.get(key);
    let text = |key: &str| get(key).and_then(Value::as_str).map(str::to_string);
    let mut plan = Plan {
        heading_ids: "zola",
        ..Plan::default()
    };
    let mut config = toml::Table::new();
    for (theirs, ours) in [
        ("title", "title"),
        ("description", "description"),
        ("author", "author"),
        ("default_language", "language"),
    ] {
        if let Some(v) = text(theirs).filter(|v| !v.trim().is_empty()) {
            config.insert(ours.into(), v.into());
        }
    }
    match text("base_url") {
        Some(url) if url.starts_with("http") => {
            config.insert("base_url".into(), url.trim_end_matches('/').into());
        }
        _ => plan.notes.push(Note::new(
            &config_name,
            "there is no absolute `base_url`: set it in config.toml to the address the site is published at",
        )),
    }
    let mut taxonomies = Vec::new();
    for t in get("taxonomies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = t.get("name").and_then(Value::as_str) else {
            continue;
        };
        let mut table = toml::Table::new();
        table.insert("name".into(), name.into());
        if let Some(n) = t.get("paginate_by").and_then(Value::as_u64) {
            table.insert("paginate".into(), toml::Value::Integer(n as i64));
        }
        if let Some(feed) = t
            .get("feed")
            .or_else(|| t.get("rss"))
            .and_then(Value::as_bool)
        {
            table.insert("feed".into(), feed.into());
        }
        taxonomies.push(toml::Value::Table(table));
    }
    config.insert("taxonomies".into(), toml::Value::Array(taxonomies));
    if let Some(highlight) = get("markdown")
        .and_then(|m| m.get("highlight_code"))
        .or_else(|| get("highlight_code"))
        .and_then(Value::as_bool)
    {
        let mut markdown = toml::Table::new();
        markdown.insert("highlight".into(), highlight.into());
        config.insert("markdown".into(), toml::Value::Table(markdown));
    }
    if let Some(Value::Object(extra)) = get("extra") {
        let table: toml::Table = extra
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), super::toml_value(v)?)))
            .collect();
        if !table.is_empty() {
            config.insert("extra".into(), toml::Value::Table(table));
        }
    }
    // blog compiles sass/ as Zola does with `compile_sass = true`; without
    // it Zola published none of it, and neither should the new site.
    let sass = src.join("sass");
    if get("compile_sass").and_then(Value::as_bool) == Some(true) {
        for rel in files_under(&sass, &super::is_hidden) {
            plan.copies
                .push((sass.join(&rel), Path::new("sass").join(rel)));
        }
    } else if sass.is_dir() {
        plan.notes.push(Note::new(
            "sass",
            "is not imported: `compile_sass` is off, so Zola published none of it (blog compiles every sass/ it has)",
        ));
    }
    if get("minify_html").and_then(Value::as_bool) == Some(true) {
        config.insert("minify".into(), true.into());
    }
    if get("build_search_index").and_then(Value::as_bool) == Some(true) {
        plan.notes
            .push(Note::new(&config_name, "blog writes no search index yet"));
    }
    if src.join("themes").is_dir() || get("theme").is_some() {
        plan.notes.push(Note::new(
            "themes",
            "Zola themes are not imported: the site is built with blog's theme",
        ));
    }
    plan.config = config;
    Ok(plan)
}
