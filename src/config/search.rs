//! `[search]` in config.toml: whether `blog build` writes a full-text
//! index of the published pages (`crate::search`) and the default theme
//! shows its search page and header box. Off by default, so a site that
//! does not ask for it ships no JavaScript and no index.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Index every published page at build time into `public/search/`
    /// and render the search page at `/search/`.
    pub enabled: bool,
}

/// The hint for a `[search]` value of the wrong type (`enabled = "yes"`).
pub const HINT: &str = "write enabled = true or enabled = false under [search], without quotes";
