//! The output end of the pipeline: `write` (staging directory, atomic swap,
//! output directory safety), `assets` (fingerprinted CSS and JS, `_headers`), `feeds`, `sitemap`,
//! `redirects`, `sass`, and `rendered` (what a rebuild may keep unrendered).

pub mod assets;
pub mod feeds;
pub mod minify;
pub mod redirects;
pub mod rendered;
pub mod sass;
pub mod sitemap;
pub mod social_card;
pub mod write;

use std::path::Path;

/// The start of a host file blog adds lines to (`_redirects`,
/// `_headers`): the site's own static/ copy's lines, as written, ending
/// with a newline.
pub fn authors_lines_first(existing: Option<&str>) -> String {
    let mut out = existing.unwrap_or_default().to_string();
    if existing.is_some() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Where a build's files go: a staging directory on disk, or memory for
/// `blog serve`. Called from many threads at once.
pub trait Sink: Sync {
    /// Stores `bytes` at `rel`, a `/`-separated path inside the site.
    fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()>;
    /// Stores a copy of the file at `from` (a static file or asset).
    fn copy(&self, rel: &str, from: &Path) -> anyhow::Result<()>;
    /// Keeps the page rendered last time at `rel` if it had this
    /// fingerprint; true when it did, so rendering can be skipped.
    fn reuse(&self, _rel: &str, _fingerprint: u64) -> bool {
        false
    }
    /// Stores a rendered page with the fingerprint of its inputs.
    fn write_rendered(&self, rel: &str, bytes: &[u8], _fingerprint: u64) -> anyhow::Result<()> {
        self.write(rel, bytes)
    }
}
