//! Static files ready for caching: each CSS and JS file of the theme's and
//! the site's static/ (and the generated syntax.css) is published a second
//! time under a name with its content's hash (`style.3f2a…c1.css`), which
//! templates reach with `asset_url(path="style.css")` and may pin with
//! `asset_integrity(path="style.css")`; `_headers` marks those names
//! immutable for a year. The plain name is still published, for templates
//! and pages that link it by name, and revalidated like every other file.
//!
//! `blog serve` does not fingerprint: a saved stylesheet keeps its name, so
//! open tabs swap it without a reload.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::render::theme::StaticFile;

/// One static file as templates reach it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asset {
    /// Its path in the output, `/`-separated: the fingerprinted name, or
    /// the file's own when it is not fingerprinted.
    pub published: String,
    /// `sha384-…` of its bytes, for a fingerprinted file.
    pub integrity: Option<String>,
}

/// Every static file of a build, by its path under static/.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Assets {
    files: BTreeMap<String, Asset>,
}

/// Whether a file is fingerprinted: stylesheets and scripts, the files a
/// page loads on every visit.
fn fingerprints(rel: &str) -> bool {
    let ext = rel.rsplit_once('.').map_or("", |(_, ext)| ext);
    matches!(ext, "css" | "js" | "mjs")
}

/// `css/site.min.css` with its hash: `css/site.min.0123456789abcdef.css`.
fn fingerprinted_name(rel: &str, hash: &str) -> String {
    let (dir, name) = rel.rsplit_once('/').map_or(("", rel), |(d, n)| (d, n));
    let name = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

impl Assets {
    /// The static files of a build and the generated syntax.css (unless
    /// static/ has its own), fingerprinted when `fingerprint` is set.
    pub fn collect(
        root: &Path,
        static_files: &BTreeMap<String, StaticFile>,
        syntax_css: &str,
        fingerprint: bool,
    ) -> Result<Assets, Vec<Diagnostic>> {
        let mut files = BTreeMap::new();
        let mut errors = Vec::new();
        let mut add = |rel: &str, bytes: &[u8]| {
            let asset = if fingerprint && fingerprints(rel) {
                let digest = ring::digest::digest(&ring::digest::SHA384, bytes);
                let hash: String = digest.as_ref()[..8]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                Asset {
                    published: fingerprinted_name(rel, &hash),
                    integrity: Some(format!(
                        "sha384-{}",
                        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
                    )),
                }
            } else {
                Asset {
                    published: rel.to_string(),
                    integrity: None,
                }
            };
            files.insert(rel.to_string(), asset);
        };
        if !static_files.contains_key("syntax.css") {
            add("syntax.css", syntax_css.as_bytes());
        }
        for (rel, file) in static_files {
            if !(fingerprint && fingerprints(rel)) {
                add(rel, &[]);
                continue;
            }
            match file {
                StaticFile::Embedded(bytes) => add(rel, bytes),
                StaticFile::Compiled { css, .. } => add(rel, css),
                StaticFile::Disk(path) => match std::fs::read(path) {
                    Ok(bytes) => add(rel, &bytes),
                    Err(e) => errors.push(
                        Diagnostic::new(
                            path.strip_prefix(root).unwrap_or(path),
                            format!("cannot read this file: {e}"),
                        )
                        .hint("check that the file is readable"),
                    ),
                },
            }
        }
        if errors.is_empty() {
            Ok(Assets { files })
        } else {
            Err(errors)
        }
    }

    /// The file at `rel` under static/ (a leading `/` allowed).
    pub fn get(&self, rel: &str) -> Option<&Asset> {
        self.files.get(rel.trim_start_matches('/'))
    }

    /// The fingerprinted copies: (path under static/, published path).
    pub fn fingerprinted(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(|(_, a)| a.integrity.is_some())
            .map(|(rel, a)| (rel.as_str(), a.published.as_str()))
    }

    /// What `asset_url(path=…)` gives: the published file's absolute URL,
    /// or with `relative` its path on the host (`/blog/style.….css`),
    /// which stays same-origin, as `integrity` needs, even when the site is
    /// also reached by another name (`www.`) than its base URL's.
    pub fn url(&self, config: &Config, rel: &str, relative: bool) -> Result<String, String> {
        match self.get(rel) {
            Some(asset) if relative => Ok(format!("{}/{}", config.base_path(), asset.published)),
            Some(asset) => Ok(config.permalink(&format!("/{}", asset.published))),
            None => Err(self.missing(rel)),
        }
    }

    /// What `asset_integrity(path=…)` gives: `sha384-…`, or empty for a
    /// file that is not fingerprinted (and under `blog serve`).
    pub fn integrity(&self, rel: &str) -> Result<String, String> {
        match self.get(rel) {
            Some(asset) => Ok(asset.integrity.clone().unwrap_or_default()),
            None => Err(self.missing(rel)),
        }
    }

    fn missing(&self, rel: &str) -> String {
        let rel = rel.trim_start_matches('/');
        let near = self
            .files
            .keys()
            .filter(|k| strsim::levenshtein(k, rel) <= 2)
            .map(|k| format!("; did you mean `{k}`?"))
            .next()
            .unwrap_or_default();
        format!(
            "`{rel}` is not a static file (static/ or the theme's static/, or syntax.css){near} \
             — for pages and feeds use get_url(path=…)"
        )
    }
}

/// Netlify's (and Cloudflare Pages') `_headers`, after any lines the
/// site's own static/_headers has: a year's `immutable` caching for the
/// fingerprinted files, whose names change with their bytes, and security
/// headers for every file. Everything else keeps the host's default, which
/// on both revalidates on every visit (`max-age=0, must-revalidate`); a
/// `Cache-Control` on `/*` would be joined with the one below, so none is
/// written there.
pub fn netlify_headers(assets: &Assets, config: &Config, existing: Option<&str>) -> String {
    let prefix = config.base_path();
    let mut out = super::authors_lines_first(existing);
    out.push_str("# Written by blog\n");
    out.push_str(&format!(
        "{prefix}/*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  \
         X-Frame-Options: SAMEORIGIN\n  Content-Security-Policy: frame-ancestors 'self'\n"
    ));
    for (_, published) in assets.fingerprinted() {
        out.push_str(&format!(
            "{prefix}/{published}\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_folder_and_extension() {
        assert_eq!(fingerprinted_name("style.css", "ab"), "style.ab.css");
        assert_eq!(
            fingerprinted_name("css/site.min.css", "ab"),
            "css/site.min.ab.css"
        );
        assert_eq!(fingerprinted_name("js/.hidden", "ab"), "js/.hidden.ab");
        assert!(fingerprints("a/b.mjs") && fingerprints("x.js") && !fingerprints("x.png"));
    }

    #[test]
    fn the_name_changes_with_the_bytes_and_only_then() {
        let root = Path::new("/nonexistent");
        let files = BTreeMap::from([
            ("style.css".to_string(), StaticFile::Embedded(b"a{}")),
            ("logo.png".to_string(), StaticFile::Embedded(b"png")),
        ]);
        let one = Assets::collect(root, &files, "pre{}", true).expect("assets");
        let again = Assets::collect(root, &files, "pre{}", true).expect("assets");
        assert_eq!(one, again);
        let style = one.get("/style.css").expect("style");
        assert!(style.published.starts_with("style.") && style.published.len() == 26);
        // sha384 of "a{}", as `openssl dgst -sha384 -binary | base64` gives it.
        assert_eq!(
            style.integrity.as_deref(),
            Some("sha384-m4Zcd9m9Kerya2aMKZ9CuL1yv7QLjdpmEo79GaQCk1uO2U4trsxWuyqSJsOzpOru")
        );
        assert_eq!(one.get("logo.png").expect("png").published, "logo.png");
        let changed = BTreeMap::from([("style.css".to_string(), StaticFile::Embedded(b"b{}"))]);
        let two = Assets::collect(root, &changed, "pre{}", true).expect("assets");
        assert_ne!(two.get("style.css"), one.get("style.css"));
        assert_eq!(two.get("syntax.css"), one.get("syntax.css"));
        let plain = Assets::collect(root, &files, "pre{}", false).expect("assets");
        assert_eq!(
            plain.get("style.css").expect("style").published,
            "style.css"
        );
        assert_eq!(plain.fingerprinted().count(), 0);
        assert!(plain
            .integrity("nope.css")
            .expect_err("a missing file")
            .contains("not a static file"));
    }
}
