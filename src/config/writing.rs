//! `[series]` and `[related]` in config.toml: posts in a numbered series,
//! and the related posts shown under each post. Read here and checked for
//! what would otherwise do nothing silently (a taxonomy the site does not
//! have); the model that uses them is `crate::site::series` and
//! `crate::site::related`.

use serde::{Deserialize, Serialize};

use super::{find_key_line, Config, CONFIG_FILE};
use crate::diagnostics::Diagnostic;

/// `[series]`: `series = "Name"` in front matter puts a post in a series,
/// which gets a page at `/series/<slug>/` and a box on each of its posts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeriesConfig {
    pub enabled: bool,
}

impl Default for SeriesConfig {
    fn default() -> Self {
        SeriesConfig { enabled: true }
    }
}

/// `[related]`: up to `limit` posts sharing the most terms of `taxonomies`
/// with each post, a rare term counting more than a common one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedConfig {
    pub enabled: bool,
    pub limit: usize,
    pub taxonomies: Vec<String>,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            enabled: true,
            limit: 5,
            taxonomies: vec!["tags".into(), "categories".into()],
        }
    }
}

/// A `[related] taxonomies` entry the site does not declare relates nothing:
/// an error at its line, unless it is a default the site dropped.
pub fn check(config: &Config, text: &str) -> Vec<Diagnostic> {
    let written = text.contains("[related]") || text.contains("related.");
    if !config.related.enabled || !written {
        return Vec::new();
    }
    config
        .related
        .taxonomies
        .iter()
        .filter(|name| !config.taxonomies.iter().any(|t| &t.name == *name))
        .map(|name| {
            let d = Diagnostic::new(
                CONFIG_FILE,
                format!("[related] taxonomies names `{name}`, which is not one of the site's taxonomies"),
            )
            .hint("name taxonomies listed in `taxonomies`, or add it there");
            match find_key_line(text, "taxonomies") {
                Some(line) => d.at(related_line(text).unwrap_or(line), 1),
                None => d,
            }
        })
        .collect()
}

/// The line of `taxonomies` inside `[related]`.
fn related_line(text: &str) -> Option<usize> {
    let start = text.lines().position(|l| l.trim() == "[related]")?;
    text.lines()
        .enumerate()
        .skip(start + 1)
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix("taxonomies")
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_on_and_unknown_taxonomies_are_errors() {
        let c = Config::parse("").expect("defaults");
        assert!(c.series.enabled && c.related.enabled);
        assert_eq!(c.related.limit, 5);
        let c = Config::parse("[related]\nlimit = 3\n[series]\nenabled = false\n").expect("parses");
        assert_eq!(c.related.limit, 3);
        assert!(!c.series.enabled);
        let text = "title = \"x\"\n\n[related]\nlimit = 2\ntaxonomies = [\"tags\", \"topics\"]\n";
        let errors = Config::parse(text).expect_err("unknown taxonomy");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(5));
        assert!(
            errors[0].message.contains("`topics`"),
            "{}",
            errors[0].message
        );
        assert!(Config::parse("[related]\nlimit = \"many\"\n").is_err());
    }
}
