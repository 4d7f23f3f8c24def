//! `[images]` in config.toml: how the local images of posts are published
//! (`crate::images`): their sizes on the `<img>`, smaller copies in a
//! `srcset`, WebP beside the original format, the encoder's quality and
//! whether metadata is dropped. Only read and checked here.

use serde::{Deserialize, Serialize};

use super::{find_key_line, CONFIG_FILE};
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImagesConfig {
    /// Width, height, lazy loading and a `srcset` for every local image of
    /// a page; off leaves `<img>` tags exactly as markdown makes them.
    pub responsive: bool,
    /// The widths of the smaller copies, in pixels; a width above the
    /// original's is skipped and the original width is always offered.
    pub widths: Vec<u32>,
    /// A WebP copy at each width too, offered first where it is smaller.
    pub webp: bool,
    /// JPEG quality of the copies, 1 to 100.
    pub quality: u8,
    /// The copies carry no EXIF metadata (camera, GPS position); false
    /// copies it into them, with the orientation made upright.
    pub strip_metadata: bool,
    /// The `sizes` attribute: how wide the image is shown, for the
    /// browser's pick from the `srcset`.
    pub sizes: String,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            responsive: true,
            widths: vec![480, 960, 1440],
            webp: true,
            quality: 80,
            strip_metadata: true,
            // The default theme's text column is at most 42rem wide.
            sizes: "(min-width: 45rem) 42rem, 100vw".into(),
        }
    }
}

impl ImagesConfig {
    pub fn validate(&self, text: &str, errors: &mut Vec<Diagnostic>) {
        let at = |key: &str, message: String, hint: &str| {
            let d = Diagnostic::new(CONFIG_FILE, message).hint(hint);
            match find_key_line(text, key) {
                Some(line) => d.at(line, 1),
                None => d,
            }
        };
        if !(1..=100).contains(&self.quality) {
            errors.push(at(
                "quality",
                format!("[images] quality is {}, not 1 to 100", self.quality),
                "write a quality like 80 (higher is sharper and larger)",
            ));
        }
        if let Some(w) = self.widths.iter().find(|w| **w == 0 || **w > 16384) {
            errors.push(at(
                "widths",
                format!("[images] widths: {w} is not a width from 1 to 16384 pixels"),
                "list widths like widths = [480, 960, 1440]",
            ));
        }
    }
}
