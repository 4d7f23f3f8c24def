//! The plan of a deploy: a pure diff of the built files against the
//! bucket's listing, no I/O. A file is unchanged when it has the object's
//! size and its MD5 is the object's ETag (a single-part upload's ETag is
//! its MD5) or, where the ETag says otherwise (multipart uploads, encrypted
//! objects, services that list none), the `x-amz-meta-blog-md5` every
//! upload sets, read for those objects only. Uploads are ordered so the live
//! site stays whole while they happen: assets first (a new page's
//! stylesheet and images are there before the page), then pages, then the
//! home page, feeds and the sitemap, which link the new pages.

use std::collections::BTreeMap;

use super::headers;

/// A built file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// `/`-separated, relative to the output folder (and to the prefix).
    pub path: String,
    pub size: u64,
    /// Lowercase hex.
    pub md5: String,
}

/// An object under the prefix, as listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteObject {
    /// Without its quotes.
    pub etag: String,
    pub size: u64,
    /// `x-amz-meta-blog-md5`, read only when the ETag is not an MD5.
    pub meta_md5: Option<String>,
}

/// Whether the object's metadata must be read to know if `file` is
/// unchanged: same size, but an ETag that is not the file's MD5. The ETag
/// may still be of the same bytes: a multipart upload's is `<hash>-<parts>`,
/// an encrypted object's (SSE-KMS, SSE-C) is no MD5 at all, and some
/// services list none.
pub fn needs_metadata(file: &LocalFile, object: &RemoteObject) -> bool {
    object.size == file.size && !object.etag.eq_ignore_ascii_case(&file.md5)
}

/// When an upload happens: every upload of a phase ends before the next
/// phase's begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Anything that is not a page: stylesheets, scripts, images.
    Assets,
    /// HTML pages other than the home page.
    Pages,
    /// The home page, feeds, the sitemap, `_redirects` and `_headers`.
    Last,
}

pub fn phase(path: &str) -> Phase {
    if path == "index.html" || headers::is_index_file(path) {
        Phase::Last
    } else if headers::is_html(path) {
        Phase::Pages
    } else {
        Phase::Assets
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub path: String,
    pub size: u64,
    pub phase: Phase,
    /// Not in the bucket yet (else: changed).
    pub new: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// In upload order: by phase, then path.
    pub uploads: Vec<Upload>,
    pub unchanged: Vec<String>,
    /// Objects under the prefix the site no longer has (deleted only with
    /// `--delete`): pages first, then the rest, each by path.
    pub stale: Vec<String>,
}

/// What to upload, what is unchanged and what is stale. `managed` says
/// which object paths the target covers (its include/exclude globs);
/// others are never touched.
pub fn plan(
    local: &[LocalFile],
    remote: &BTreeMap<String, RemoteObject>,
    managed: &dyn Fn(&str) -> bool,
) -> Plan {
    let mut out = Plan::default();
    for file in local.iter().filter(|f| managed(&f.path)) {
        match remote.get(&file.path) {
            Some(object) if unchanged(file, object) => out.unchanged.push(file.path.clone()),
            found => out.uploads.push(Upload {
                path: file.path.clone(),
                size: file.size,
                phase: phase(&file.path),
                new: found.is_none(),
            }),
        }
    }
    out.uploads
        .sort_by(|a, b| (a.phase, &a.path).cmp(&(b.phase, &b.path)));
    out.unchanged.sort();
    let built: std::collections::HashSet<&str> = local.iter().map(|f| f.path.as_str()).collect();
    out.stale = remote
        .keys()
        // A folder marker (`posts/`) some consoles make is not a file.
        .filter(|k| !k.is_empty() && !k.ends_with('/'))
        .filter(|k| !built.contains(k.as_str()) && managed(k))
        .cloned()
        .collect();
    out.stale
        .sort_by_key(|k| (std::cmp::Reverse(phase(k)), k.clone()));
    out
}

fn unchanged(file: &LocalFile, object: &RemoteObject) -> bool {
    object.size == file.size
        && (object.etag.eq_ignore_ascii_case(&file.md5)
            || object
                .meta_md5
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(&file.md5)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, md5: &str) -> LocalFile {
        LocalFile {
            path: path.into(),
            size: 10,
            md5: md5.repeat(32 / md5.len()),
        }
    }

    fn object(md5: &str) -> RemoteObject {
        RemoteObject {
            etag: md5.repeat(32 / md5.len()),
            size: 10,
            meta_md5: None,
        }
    }

    fn paths(uploads: &[Upload]) -> Vec<&str> {
        uploads.iter().map(|u| u.path.as_str()).collect()
    }

    #[test]
    fn uploads_go_assets_then_pages_then_home_feeds_and_sitemap() {
        let local = [
            file("index.html", "a"),
            file("sitemap.xml", "a"),
            file("rss.xml", "a"),
            file("tags/rust/atom.xml", "a"),
            file("posts/b/index.html", "a"),
            file("about/index.html", "a"),
            file("style.0123456789abcdef.css", "a"),
            file("img/z.png", "a"),
            file("posts/b/photo.jpg", "a"),
            file("_redirects", "a"),
            file("robots.txt", "a"),
        ];
        let p = plan(&local, &BTreeMap::new(), &|_| true);
        assert_eq!(
            paths(&p.uploads),
            [
                "img/z.png",
                "posts/b/photo.jpg",
                "robots.txt",
                "style.0123456789abcdef.css",
                "about/index.html",
                "posts/b/index.html",
                "_redirects",
                "index.html",
                "rss.xml",
                "sitemap.xml",
                "tags/rust/atom.xml",
            ]
        );
        assert!(p.uploads.iter().all(|u| u.new));
        assert_eq!(
            phase("posts/index.html"),
            Phase::Pages,
            "only the prefix root's index.html is the home page"
        );
    }

    #[test]
    fn unchanged_by_etag_changed_by_content_or_size_stale_when_gone() {
        let local = [
            file("a.html", "1"),
            file("b.html", "2"),
            file("c.css", "3"),
            file("d.png", "4"),
        ];
        let mut remote = BTreeMap::new();
        remote.insert("a.html".to_string(), object("1"));
        remote.insert("b.html".to_string(), object("9"));
        remote.insert(
            "c.css".to_string(),
            RemoteObject {
                size: 11,
                ..object("3")
            },
        );
        remote.insert("old/index.html".to_string(), object("5"));
        remote.insert("old/pic.png".to_string(), object("5"));
        remote.insert("posts/".to_string(), object("5"));
        let p = plan(&local, &remote, &|_| true);
        assert_eq!(p.unchanged, ["a.html"]);
        assert_eq!(paths(&p.uploads), ["c.css", "d.png", "b.html"]);
        assert_eq!(
            p.uploads.iter().map(|u| u.new).collect::<Vec<_>>(),
            [false, true, false]
        );
        assert_eq!(
            p.stale,
            ["old/index.html", "old/pic.png"],
            "pages first, folder markers never"
        );
    }

    #[test]
    fn an_etag_that_is_not_the_md5_is_compared_through_the_metadata() {
        let local = [
            file("big.zip", "1"),
            file("other.zip", "2"),
            file("kms.html", "3"),
            file("grown.html", "4"),
        ];
        let with_meta = |etag: &str, meta: Option<&str>| RemoteObject {
            etag: etag.into(),
            size: 10,
            meta_md5: meta.map(|m| m.repeat(32)),
        };
        let multipart = "d41d8cd98f00b204e9800998ecf8427e-3";
        let kms = "9b2cf535f27731c974343645a3985328";
        let mut remote = BTreeMap::new();
        remote.insert("big.zip".to_string(), with_meta(multipart, Some("1")));
        remote.insert("other.zip".to_string(), with_meta(multipart, None));
        remote.insert("kms.html".to_string(), with_meta(kms, Some("3")));
        remote.insert(
            "grown.html".to_string(),
            RemoteObject {
                size: 9,
                ..with_meta(kms, Some("4"))
            },
        );
        // Only objects of the same size whose ETag is not the MD5 are read.
        let read: Vec<&str> = local
            .iter()
            .filter(|f| remote.get(&f.path).is_some_and(|o| needs_metadata(f, o)))
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(read, ["big.zip", "other.zip", "kms.html"]);
        assert!(!needs_metadata(&file("a", "1"), &object("1")));
        let p = plan(&local, &remote, &|_| true);
        assert_eq!(p.unchanged, ["big.zip", "kms.html"]);
        assert_eq!(paths(&p.uploads), ["other.zip", "grown.html"]);
    }

    #[test]
    fn files_outside_the_targets_globs_are_neither_uploaded_nor_deleted() {
        let local = [file("a.html", "1"), file("drafts/x.html", "2")];
        let mut remote = BTreeMap::new();
        remote.insert("drafts/old.html".to_string(), object("3"));
        remote.insert("gone.html".to_string(), object("3"));
        let p = plan(&local, &remote, &|p| !p.starts_with("drafts/"));
        assert_eq!(paths(&p.uploads), ["a.html"]);
        assert_eq!(p.stale, ["gone.html"]);
    }
}
