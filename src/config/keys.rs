//! Every key of config.toml checked at once, before the values are read:
//! each unknown key is reported at its line and column with what to write
//! instead. A key from Hugo's or Zola's configuration gets blog's name for
//! it (or says blog has no such setting), a misspelt key the nearest real
//! one, so moving a site over is a list of fixes, not one error a build.

use toml::de::{DeTable, DeValue};

use super::{Config, CONFIG_FILE};
use crate::diagnostics::{line_col, Diagnostic};

/// One diagnostic per unknown key in `text`; empty when every key is known
/// or the text is not valid TOML (the full parse reports that).
pub fn unknown_keys(text: &str) -> Vec<Diagnostic> {
    let Ok(doc) = DeTable::parse(text) else {
        return Vec::new();
    };
    // The known keys are those of the defaults, so a key added to `Config`
    // is known here without a second list to keep.
    let known = serde_json::to_value(Config::default()).unwrap_or_default();
    let mut found = Vec::new();
    walk(text, doc.get_ref(), &known, "", &mut found);
    found.sort_by_key(|d| (d.line, d.column));
    // Another generator's whole configuration: say how to bring the site.
    if let Some(from) = foreign_generator(text) {
        found.push(
            Diagnostic::new(CONFIG_FILE, format!("this looks like a {} site's configuration", if from == "zola" { "Zola" } else { "Hugo" }))
                .hint(format!("`blog import --from {from} . ../my-blog` makes a site of blog's own from the whole site, every old URL kept; or fix the keys above")),
        );
    }
    found
}

/// `"zola"` or `"hugo"` when `text` is that generator's configuration
/// rather than blog's: two or more of its own keys at the top (Zola's
/// with `base_url`, Hugo's with `baseURL`).
pub fn foreign_generator(text: &str) -> Option<&'static str> {
    let doc = DeTable::parse(text).ok()?;
    let known = serde_json::to_value(Config::default()).unwrap_or_default();
    let fields = fields_of(&known);
    let table = doc.get_ref();
    let foreign = table
        .iter()
        .filter(|(k, _)| !fields.contains(&k.get_ref().as_ref()))
        .filter(|(k, _)| foreign_hint(k.get_ref()).is_some())
        .count();
    let hugo_base = table.contains_key("baseURL") || table.contains_key("baseurl");
    match foreign {
        // Hugo's `baseURL` where blog's `base_url` is not: Hugo's file.
        _ if hugo_base && !table.contains_key("base_url") => Some("hugo"),
        0 | 1 => None,
        _ if table.contains_key("base_url") => Some("zola"),
        _ => None,
    }
}

fn fields_of(known: &serde_json::Value) -> Vec<&str> {
    known
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn walk(
    text: &str,
    table: &DeTable<'_>,
    known: &serde_json::Value,
    prefix: &str,
    found: &mut Vec<Diagnostic>,
) {
    let Some(fields) = known.as_object() else {
        return;
    };
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        match fields.get(name) {
            // A table with keys of its own, like [markdown]; an empty one
            // in the defaults ([extra], [permalinks]) takes any key.
            Some(sub @ serde_json::Value::Object(keys)) if !keys.is_empty() => {
                if let DeValue::Table(inner) = value.get_ref() {
                    walk(text, inner, sub, &format!("{prefix}{name}."), found);
                }
            }
            Some(_) if prefix.is_empty() && name == "taxonomies" => {
                if let DeValue::Array(items) = value.get_ref() {
                    for item in items.iter() {
                        if let DeValue::Table(inner) = item.get_ref() {
                            walk(text, inner, &taxonomy_keys(), "taxonomies.", found);
                        }
                    }
                }
            }
            // `[[deploy.targets]]` and `[[deploy.matchers]]`: each entry's keys.
            Some(serde_json::Value::Array(_)) if prefix == "deploy." => {
                if let DeValue::Array(items) = value.get_ref() {
                    let keys = deploy_entry_keys(name);
                    for item in items.iter() {
                        if let DeValue::Table(inner) = item.get_ref() {
                            walk(text, inner, &keys, &format!("deploy.{name}."), found);
                        }
                    }
                }
            }
            Some(_) => {}
            None => {
                let (line, column) = line_col(text, key.span().start);
                let full = format!("{prefix}{name}");
                let hint = foreign_hint(&full)
                    .map(str::to_string)
                    .or_else(|| {
                        nearest(name, fields.keys()).map(|k| format!("did you mean `{prefix}{k}`?"))
                    })
                    .unwrap_or_else(|| {
                        let keys: Vec<String> = fields.keys().map(|k| format!("`{k}`")).collect();
                        format!("the keys here are {}", keys.join(", "))
                    });
                found.push(
                    Diagnostic::new(CONFIG_FILE, format!("unknown key `{full}`"))
                        .at(line, column)
                        .hint(hint),
                );
            }
        }
    }
}

/// The keys of a taxonomy written as a table, `{ name = "tags", paginate = 5 }`.
fn taxonomy_keys() -> serde_json::Value {
    serde_json::json!({ "name": "", "paginate": 0, "feed": false })
}

/// The known key closest in spelling to `name`, if one is close.
fn nearest<'a>(name: &str, keys: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    keys.map(|k| (strsim::jaro_winkler(&lower, k), k.as_str()))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The keys of one `[[deploy.targets]]` or `[[deploy.matchers]]` entry,
/// from the defaults as `Config`'s are.
fn deploy_entry_keys(table: &str) -> serde_json::Value {
    use super::deploy::{MatcherConfig, TargetConfig};
    let keys = match table {
        "targets" => serde_json::to_value(TargetConfig::default()),
        _ => serde_json::to_value(MatcherConfig::default()),
    };
    keys.unwrap_or_default()
}

/// What to write instead of a key from Hugo's or Zola's configuration.
fn foreign_hint(key: &str) -> Option<&'static str> {
    Some(match key {
        "baseURL" | "baseUrl" | "baseurl" => "Hugo's `baseURL` is `base_url` here",
        "timeZone" | "time_zone" => "the site's time zone is `timezone` here, like timezone = \"Europe/Berlin\"",
        "languageCode" | "defaultContentLanguage" | "default_language" => {
            "the site's language is `language` here, like language = \"en\""
        }
        "params" => "site-wide values for templates go under [extra] here, read as `config.extra`",
        "pagination" | "paginate_by" => {
            "the number of posts per list page is `paginate` here, like paginate = 10"
        }
        "summaryLength" => "a summary is the text before `<!-- more -->`, else the first paragraph; remove this key",
        "copyright" => "put it under [extra] (extra.copyright) and use it in a template",
        "generate_feed" | "generate_feeds" | "feed_filename" | "feed_filenames"
        | "rssLimit" | "outputs" => {
            "feeds are rss.xml and atom.xml, set under [feed]: rss, atom, limit, full_content"
        }
        "compile_sass" => "blog always compiles the Sass files of sass/ (README, \"Sass\"); remove this key",
        "minify_html" => "this is `minify` here, like minify = true (pages, CSS and JS)",
        "build_search_index" => "this is `enabled = true` under [search] here",
        "markup" | "markup.highlight" | "pygmentsUseClasses" | "pygmentsStyle" => {
            "code is highlighted with CSS classes; the themes are `highlight_theme` and `highlight_theme_dark`"
        }
        "taxonomies.paginate_by" => "this is `paginate` here",
        "taxonomies.render" | "taxonomies.paginate_path" | "taxonomies.lang" => {
            "a taxonomy takes only `name`, `paginate` and `feed` here; remove this key"
        }
        "markdown.highlight_code" => "this is `markdown.highlight` here",
        "markdown.highlight_theme" | "markdown.highlight_themes_css" => {
            "the themes are the top-level `highlight_theme` and `highlight_theme_dark`"
        }
        "markdown.render_emoji"
        | "markdown.external_links_target_blank"
        | "markdown.external_links_no_follow"
        | "markdown.external_links_no_referrer" => "blog has no such markdown setting; remove this key",
        "disableKinds" | "enableRobotsTXT" | "menu" | "menus" | "module" | "languages"
        | "translations" | "slugify" | "ignored_content" | "link_checker" | "googleAnalytics"
        | "enableEmoji" | "enableGitInfo" => {
            "blog has no such setting (it comes from another generator); remove this key"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        unknown_keys(text)
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} ({})",
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                    d.message,
                    d.hint.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn known_keys_pass_and_free_tables_take_any_key() {
        let text = "title = \"x\"\nbase_url = \"https://a.example\"\n[markdown]\nanchor_links = false\n\
                    [feed]\nlimit = 5\n[links]\nskip = []\n[extra]\nanything = 1\n[extra.deep]\nx = 2\n\
                    [permalinks]\nposts = \"/:slug/\"\n";
        assert!(messages(text).is_empty(), "{:?}", messages(text));
    }

    #[test]
    fn a_hugo_config_gets_every_fix_at_once() {
        let text = "baseURL = \"https://a.example/\"\ntitle = \"T\"\nlanguageCode = \"en-us\"\n\
                    disableKinds = []\n[params]\n  author = \"me\"\n[markup.highlight]\n  noClasses = false\n";
        let found = messages(text);
        assert_eq!(found.len(), 6, "{found:?}");
        assert!(found[2].starts_with("4:1 unknown key `disableKinds` (blog has no such setting"));
        assert!(
            found[5]
                .contains("this looks like a Hugo site's configuration (`blog import --from hugo"),
            "{found:?}"
        );
        assert!(
            found[0].starts_with("1:1 unknown key `baseURL` (Hugo's `baseURL` is `base_url` here)"),
            "{found:?}"
        );
        assert!(found
            .iter()
            .any(|m| m.starts_with("3:1 unknown key `languageCode`")));
        assert!(found
            .iter()
            .any(|m| m.starts_with("5:2 unknown key `params` (site-wide values")));
        assert!(found
            .iter()
            .any(|m| m.starts_with("7:2 unknown key `markup`")));
    }

    #[test]
    fn a_zola_config_gets_every_fix_at_once() {
        let text = "base_url = \"https://a.example\"\ncompile_sass = true\nbuild_search_index = true\n\
                    generate_feeds = true\n[markdown]\nhighlight_code = true\nhighlight_theme = \"x\"\n";
        let found = messages(text);
        assert_eq!(found.len(), 6, "{found:?}");
        assert!(
            found[5].contains("a Zola site's configuration"),
            "{found:?}"
        );
        assert!(
            found.iter().any(|m| m.starts_with(
                "6:1 unknown key `markdown.highlight_code` (this is `markdown.highlight` here)"
            )),
            "{found:?}"
        );
        assert!(found
            .iter()
            .any(|m| m.contains("`markdown.highlight_theme` (the themes are the top-level")));
    }

    #[test]
    fn a_misspelt_key_gets_the_nearest_one() {
        let found = messages("titel = \"x\"\n[feed]\nlimt = 5\n[markdown]\nzzz = 1\n");
        assert_eq!(found[0], "1:1 unknown key `titel` (did you mean `title`?)");
        assert_eq!(
            found[1],
            "3:1 unknown key `feed.limt` (did you mean `feed.limit`?)"
        );
        assert!(
            found[2].starts_with(
                "5:1 unknown key `markdown.zzz` (the keys here are `alerts`, `anchor_links`,"
            ),
            "{found:?}"
        );
    }

    #[test]
    fn taxonomy_tables_are_checked_too() {
        let found = messages(
            "taxonomies = [\"tags\", { name = \"series\", paginate_by = 5, render = true, feed = true }, { name = \"x\", paginat = 2 }]\n",
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].contains("unknown key `taxonomies.paginate_by` (this is `paginate` here)"),
            "{found:?}"
        );
        assert!(
            found[1].contains("unknown key `taxonomies.render` (a taxonomy takes only"),
            "{found:?}"
        );
        assert!(
            found[2]
                .contains("unknown key `taxonomies.paginat` (did you mean `taxonomies.paginate`?)"),
            "{found:?}"
        );
    }

    #[test]
    fn invalid_toml_is_left_to_the_full_parse() {
        assert!(unknown_keys("title = \n").is_empty());
    }
}
