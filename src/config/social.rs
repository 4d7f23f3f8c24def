//! `[social_cards]` in config.toml: whether `blog build` draws a 1200×630
//! PNG link preview for each page that has no image of its own, and which
//! SVG template it is drawn from. Drawing is `crate::output::social_card`'s.

use serde::{Deserialize, Serialize};

/// Off by default: a card costs tens of milliseconds of CPU per page on a
/// cold build (cached after that).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialCardsConfig {
    pub enabled: bool,
    /// The tera template (under `templates/`, the site's over the theme's)
    /// that renders a card's SVG.
    pub template: String,
}

impl Default for SocialCardsConfig {
    fn default() -> Self {
        SocialCardsConfig {
            enabled: false,
            template: "social_card.svg".into(),
        }
    }
}
