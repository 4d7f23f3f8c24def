//! `blog check`: builds the site in memory, writing nothing, and reports
//! every broken internal link, missing anchor, missing image and link to an
//! unpublished page; with `--external`, every external URL that fails too.
//! It is as strict as `blog build --strict`: what a build warns of, a check
//! reports as an error.

use std::path::Path;

use crate::build::{build_into, BuildError, BuildOptions};
use crate::content::load::ParseCache;
use crate::diagnostics::Diagnostic;
use crate::links::{self, ExternalOptions};
use crate::output::Sink;

/// Keeps nothing: a check renders every page, to find template errors too,
/// and only makes sure each file to copy can be read.
struct Discard;

impl Sink for Discard {
    fn write(&self, _rel: &str, _bytes: &[u8]) -> anyhow::Result<()> {
        Ok(())
    }

    fn copy(&self, _rel: &str, from: &Path) -> anyhow::Result<()> {
        std::fs::File::open(from)
            .map(drop)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", from.display()))
    }
}

pub struct CheckReport {
    pub pages: usize,
    /// Internal links, anchors and images checked.
    pub internal_links: usize,
    /// Distinct external URLs fetched (0 without `--external`).
    pub external_urls: usize,
}

/// Checks the site at `options.root`. `external` fetches external links.
pub fn check(
    options: &BuildOptions,
    external: Option<&ExternalOptions>,
) -> Result<CheckReport, BuildError> {
    let mut options = options.clone();
    options.link_scope = links::Scope { images: true };
    // What a build only warns of, a check reports as a problem.
    options.strict = true;
    let (report, built) = build_into(&options, &Discard, None, &mut ParseCache::default())?;
    let internal_links = built
        .site
        .pages
        .iter()
        .map(|p| p.links.len())
        .chain(built.site.sections.iter().map(|s| s.links.len()))
        .sum();
    let mut external_urls = 0;
    if let Some(external) = external {
        let found = links::external_links(&built.site, &built.config);
        external_urls = found.len();
        let errors: Vec<Diagnostic> = links::check_external(&found, external);
        if !errors.is_empty() {
            return Err(errors.into());
        }
    }
    Ok(CheckReport {
        pages: report.pages,
        internal_links,
        external_urls,
    })
}
