//! The state `blog serve` serves: the files of the last good build, kept in
//! memory (static files by path), and the errors of the latest build if it
//! failed. A rebuild swaps in a whole new set only when it succeeded, and the
//! reload is sent after the swap, so a reloading tab never sees a half site.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};

use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::serve::host::HostPolicy;
use crate::serve::reload;

/// One file of the served site.
#[derive(Clone, Debug, Eq)]
pub enum Body {
    Bytes(Arc<[u8]>),
    /// A static file or asset, read from its source when requested, with
    /// its modification time and size when it was copied: an edited file is
    /// a changed file, so open pages restyle or reload.
    File(PathBuf, Option<(std::time::SystemTime, u64)>),
}

impl Body {
    /// A static file as it is now.
    pub fn file(path: &Path) -> Body {
        let stamp = std::fs::metadata(path)
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        Body::File(path.to_path_buf(), stamp)
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        match (self, other) {
            // Reused pages share their bytes; comparing pointers first keeps
            // a rebuild's diff cheap.
            (Body::Bytes(a), Body::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            (Body::File(a, x), Body::File(b, y)) => a == b && x == y,
            _ => false,
        }
    }
}

#[derive(Default)]
pub struct SiteFiles {
    /// What the last full build published, shared by the sets patched
    /// from it: a saved post replaces its few files without copying a map
    /// of every file of the site (157,000 at 100,000 posts).
    base: Arc<HashMap<String, Body>>,
    /// Files replaced since, by serve's fast path (`Shared::publish_patch`).
    patched: HashMap<String, Body>,
    /// The latest build's errors, shown over every page until a good build.
    pub errors: Vec<Diagnostic>,
}

/// Patched files kept beside the base before they are folded into a new
/// one: bounded, so that lookups stay two at most and an old page's bytes
/// are not kept for ever.
const MOST_PATCHED: usize = 512;

impl SiteFiles {
    pub fn get(&self, path: &str) -> Option<&Body> {
        self.patched.get(path).or_else(|| self.base.get(path))
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Every path, once each.
    fn paths(&self) -> impl Iterator<Item = &String> {
        self.patched
            .keys()
            .chain(self.base.keys().filter(|k| !self.patched.contains_key(*k)))
    }
}

/// Collects a build in memory, reusing pages of the previous build whose
/// fingerprints match.
#[derive(Default)]
pub struct MemorySink {
    previous: HashMap<String, (u64, Body)>,
    files: Mutex<HashMap<String, Body>>,
    fingerprints: Mutex<HashMap<String, u64>>,
}

impl MemorySink {
    /// Records one file (and its fingerprint, for rendered pages).
    fn store(&self, rel: &str, body: Body, fingerprint: Option<u64>) -> bool {
        let Ok(mut files) = self.files.lock() else {
            return false;
        };
        files.insert(rel.to_string(), body);
        drop(files);
        if let Some(fp) = fingerprint {
            if let Ok(mut fps) = self.fingerprints.lock() {
                fps.insert(rel.to_string(), fp);
            }
        }
        true
    }
}

/// What one build rendered, by fingerprint, for the next one to reuse.
pub type Rendered = HashMap<String, (u64, Body)>;

impl MemorySink {
    pub fn reusing(previous: Rendered) -> Self {
        MemorySink {
            previous,
            ..Default::default()
        }
    }

    /// What the previous build rendered, untouched (for after a failed build).
    pub fn into_previous(self) -> Rendered {
        self.previous
    }

    /// The files of the site, and the rendered pages with their fingerprints.
    pub fn into_parts(self) -> (HashMap<String, Body>, Rendered) {
        let files = self.files.into_inner().unwrap_or_default();
        let fingerprints = self.fingerprints.into_inner().unwrap_or_default();
        let rendered = fingerprints
            .into_iter()
            .filter_map(|(path, fp)| files.get(&path).map(|body| (path, (fp, body.clone()))))
            .collect();
        (files, rendered)
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let mut files = self
            .files
            .lock()
            .map_err(|_| anyhow::anyhow!("lock poisoned"))?;
        files.insert(rel.to_string(), Body::Bytes(Arc::from(bytes)));
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> anyhow::Result<()> {
        let mut files = self
            .files
            .lock()
            .map_err(|_| anyhow::anyhow!("lock poisoned"))?;
        files.insert(rel.to_string(), Body::file(from));
        Ok(())
    }

    fn reuse(&self, rel: &str, fingerprint: u64) -> bool {
        match self.previous.get(rel) {
            Some((fp, body)) if *fp == fingerprint => {
                self.store(rel, body.clone(), Some(fingerprint))
            }
            _ => false,
        }
    }

    fn write_rendered(&self, rel: &str, bytes: &[u8], fingerprint: u64) -> anyhow::Result<()> {
        self.write(rel, bytes)?;
        if let Ok(mut fps) = self.fingerprints.lock() {
            fps.insert(rel.to_string(), fingerprint);
        }
        Ok(())
    }
}

/// What every worker thread shares.
#[derive(Default)]
pub struct Shared {
    current: RwLock<Arc<SiteFiles>>,
    clients: Mutex<Vec<Sender<String>>>,
    /// The address links in served pages name, like `http://127.0.0.1:1111`.
    pub origin: std::sync::OnceLock<String>,
    /// The hosts answered; config.toml's part changes with a good build.
    hosts: RwLock<Arc<HostPolicy>>,
}

/// What changed between two good builds, for the reload message.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    Nothing,
    /// Only stylesheets changed: tabs swap them without reloading.
    CssOnly,
    Pages,
}

/// The most moves one reload message carries; past it (a new permalink
/// pattern on a large site, say) tabs just reload.
const MOST_MOVES: usize = 1000;

/// `reload`, followed by a JSON object of old URL path → new one when pages
/// moved.
fn reload_message(moved: &[(String, String)]) -> String {
    if moved.is_empty() || moved.len() > MOST_MOVES {
        return "reload".to_string();
    }
    let map: serde_json::Map<String, serde_json::Value> = moved
        .iter()
        .map(|(from, to)| (from.clone(), serde_json::Value::String(to.clone())))
        .collect();
    format!("reload {}", serde_json::Value::Object(map))
}

/// What tabs a patch reloads: `reload-only` and a JSON array of the served
/// HTML files that changed, so that only the tabs showing one reload (a
/// patch knows every file it changed). A change a tab cannot match to its
/// own address (the 404 page, shown at any missing one; a stylesheet, an
/// image or a script other pages load) reloads every tab, as a rebuild
/// does. Feeds, search shards (`.xml`, `.json`) and social cards (named in
/// link previews, shown on no page) are no page's look.
fn reload_only_message(changed: &[String]) -> String {
    let pages: Vec<&String> = changed.iter().filter(|p| p.ends_with(".html")).collect();
    let unseen = |p: &str| {
        p.ends_with(".xml")
            || p.ends_with(".json")
            || p.rsplit('/').next().is_some_and(|name| {
                name.strip_suffix(crate::output::social_card::FILE_NAME)
                    .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
            })
    };
    let unmatched = changed
        .iter()
        .any(|p| p == "404.html" || !(p.ends_with(".html") || unseen(p)));
    if unmatched || pages.len() > MOST_MOVES {
        return "reload".to_string();
    }
    format!("reload-only {}", serde_json::json!(pages))
}

impl Shared {
    pub fn hosts(&self) -> Arc<HostPolicy> {
        self.hosts.read().map(|h| h.clone()).unwrap_or_default()
    }

    pub fn set_hosts(&self, policy: HostPolicy) {
        if let Ok(mut hosts) = self.hosts.write() {
            *hosts = Arc::new(policy);
        }
    }

    pub fn current(&self) -> Arc<SiteFiles> {
        self.current.read().map(|c| c.clone()).unwrap_or_default()
    }

    /// Swaps in a good build and tells the tabs.
    pub fn publish(&self, files: HashMap<String, Body>) -> Change {
        self.publish_moved(files, &[])
    }

    /// `publish`, for a build in which pages moved to new URLs (a new
    /// slug, date or permalink pattern): a tab showing one goes to its new
    /// address instead of reloading into a 404.
    pub fn publish_moved(
        &self,
        files: HashMap<String, Body>,
        moved: &[(String, String)],
    ) -> Change {
        let previous = self.current();
        let change = if !previous.errors.is_empty() {
            Change::Pages
        } else {
            diff(&previous, &files)
        };
        self.swap(SiteFiles {
            base: Arc::new(files),
            patched: HashMap::new(),
            errors: Vec::new(),
        });
        self.tell(change, moved)
    }

    /// Swaps in the last good files with `replaced` changed (serve's fast
    /// path for a saved post), and tells the tabs. A file of the site's
    /// static/ is never replaced by a generated one (a site may keep its
    /// own rss.xml).
    pub fn publish_patch(&self, replaced: Vec<(String, Vec<u8>)>) -> Change {
        let previous = self.current();
        let mut patched = previous.patched.clone();
        let mut change = match previous.errors.is_empty() {
            true => Change::Nothing,
            false => Change::Pages,
        };
        let mut differ = Vec::new();
        for (path, bytes) in replaced {
            let served = previous.get(&path);
            if matches!(served, Some(Body::File(..))) {
                continue;
            }
            let body = Body::Bytes(Arc::from(bytes));
            if served != Some(&body) {
                differ.push(path.clone());
                change = match (change, path.ends_with(".css")) {
                    (Change::Nothing | Change::CssOnly, true) => Change::CssOnly,
                    _ => Change::Pages,
                };
            }
            patched.insert(path, body);
        }
        let files = if patched.len() > MOST_PATCHED {
            let mut base = HashMap::clone(&previous.base);
            base.extend(patched);
            SiteFiles {
                base: Arc::new(base),
                patched: HashMap::new(),
                errors: Vec::new(),
            }
        } else {
            SiteFiles {
                base: previous.base.clone(),
                patched,
                errors: Vec::new(),
            }
        };
        self.swap(files);
        match change {
            Change::Pages if previous.errors.is_empty() => {
                self.broadcast(&reload_only_message(&differ));
                change
            }
            _ => self.tell(change, &[]),
        }
    }

    /// Takes away files served ahead of a rebuild (`serve::preview`) when
    /// that rebuild failed: the last good build never made them. Called
    /// before `fail`, whose reload then finds them gone.
    pub fn withdraw(&self, keys: &[String]) {
        if keys.is_empty() {
            return;
        }
        let previous = self.current();
        let mut patched = previous.patched.clone();
        let mut base = previous.base.clone();
        for key in keys {
            patched.remove(key);
            if base.contains_key(key) {
                Arc::make_mut(&mut base).remove(key);
            }
        }
        self.swap(SiteFiles {
            base,
            patched,
            errors: previous.errors.clone(),
        });
    }

    fn swap(&self, files: SiteFiles) {
        if let Ok(mut current) = self.current.write() {
            *current = Arc::new(files);
        }
    }

    fn tell(&self, change: Change, moved: &[(String, String)]) -> Change {
        match change {
            Change::Nothing => {}
            Change::CssOnly => self.broadcast("css"),
            Change::Pages => self.broadcast(&reload_message(moved)),
        }
        change
    }

    /// Keeps serving the last good files, with `errors` shown over them.
    pub fn fail(&self, errors: Vec<Diagnostic>) {
        let previous = self.current();
        let same = previous.errors == errors;
        self.swap(SiteFiles {
            base: previous.base.clone(),
            patched: previous.patched.clone(),
            errors,
        });
        if !same {
            self.broadcast("reload");
        }
    }

    pub fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = channel();
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(tx);
        }
        rx
    }

    pub fn broadcast(&self, message: &str) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.to_string()).is_ok());
        }
    }

    /// Closes every live-reload stream, so their threads end.
    pub fn disconnect_all(&self) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.clear();
        }
    }

    /// The HTML as served: the live-reload script, and the error overlay
    /// while the latest build failed.
    pub fn decorate_html(&self, html: &[u8], errors: &[Diagnostic]) -> Vec<u8> {
        reload::inject(html, errors)
    }
}

fn diff(old: &SiteFiles, new: &HashMap<String, Body>) -> Change {
    let mut css_only = true;
    let mut any = false;
    let mut note = |path: &str| {
        any = true;
        if !path.ends_with(".css") {
            css_only = false;
        }
    };
    for (path, body) in new {
        if old.get(path) != Some(body) {
            note(path);
        }
    }
    for path in old.paths() {
        if !new.contains_key(path) {
            note(path);
        }
    }
    match (any, css_only) {
        (false, _) => Change::Nothing,
        (true, true) => Change::CssOnly,
        (true, false) => Change::Pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> HashMap<String, Body> {
        list.iter()
            .map(|(k, v)| (k.to_string(), Body::Bytes(Arc::from(v.as_bytes()))))
            .collect()
    }

    #[test]
    fn a_reload_names_the_pages_that_moved() {
        let shared = Shared::default();
        shared.publish(files(&[("a/index.html", "a")]));
        let rx = shared.subscribe();
        let moved = [("/a/".to_string(), "/b/".to_string())];
        shared.publish_moved(files(&[("b/index.html", "a")]), &moved);
        assert_eq!(rx.try_recv().as_deref(), Ok("reload {\"/a/\":\"/b/\"}"));
        let many: Vec<(String, String)> = (0..=MOST_MOVES)
            .map(|i| (format!("/{i}/"), format!("/x{i}/")))
            .collect();
        shared.publish_moved(files(&[("c/index.html", "a")]), &many);
        assert_eq!(rx.try_recv().as_deref(), Ok("reload"));
    }

    #[test]
    fn a_patch_reloads_only_the_tabs_showing_a_page_it_changed() {
        let shared = Shared::default();
        shared.publish(files(&[
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("b/index.html", "b"),
            ("rss.xml", "feed"),
            ("404.html", "missing"),
            ("card.png", "png"),
        ]));
        let rx = shared.subscribe();
        let patch = |list: &[(&str, &str)]| {
            let replaced = list
                .iter()
                .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()));
            shared.publish_patch(replaced.collect())
        };
        // Unchanged bytes (b) are not named; a feed is no tab's page.
        assert_eq!(
            patch(&[
                ("a/index.html", "a2"),
                ("b/index.html", "b"),
                ("rss.xml", "feed2")
            ]),
            Change::Pages
        );
        assert_eq!(
            rx.try_recv().as_deref(),
            Ok("reload-only [\"a/index.html\"]")
        );
        // Nothing new: no message at all.
        assert_eq!(patch(&[("a/index.html", "a2")]), Change::Nothing);
        assert!(rx.try_recv().is_err());
        // The 404 page shows at any address, an image on any page.
        assert_eq!(
            patch(&[("a/index.html", "a3"), ("404.html", "gone")]),
            Change::Pages
        );
        assert_eq!(rx.try_recv().as_deref(), Ok("reload"));
        assert_eq!(
            patch(&[("index.html", "home2"), ("card.png", "png2")]),
            Change::Pages
        );
        assert_eq!(rx.try_recv().as_deref(), Ok("reload"));
        // A social card is in link previews only, as a feed is in readers.
        assert_eq!(
            patch(&[("a/index.html", "a4"), ("a/social.png", "card2")]),
            Change::Pages
        );
        assert_eq!(
            rx.try_recv().as_deref(),
            Ok("reload-only [\"a/index.html\"]")
        );
        // A patch over a failed build reloads every tab: the overlay goes.
        shared.fail(vec![crate::diagnostics::Diagnostic::new(
            std::path::Path::new("x.md"),
            "bad",
        )]);
        assert_eq!(rx.try_recv().as_deref(), Ok("reload"));
        assert_eq!(patch(&[("b/index.html", "b2")]), Change::Pages);
        assert_eq!(rx.try_recv().as_deref(), Ok("reload"));
    }

    #[test]
    fn publish_reports_what_changed_and_notifies() {
        let shared = Shared::default();
        let rx = shared.subscribe();
        assert_eq!(
            shared.publish(files(&[("index.html", "a"), ("style.css", "x")])),
            Change::Pages
        );
        assert_eq!(rx.try_recv().as_deref(), Ok("reload"));
        assert_eq!(
            shared.publish(files(&[("index.html", "a"), ("style.css", "y")])),
            Change::CssOnly
        );
        assert_eq!(rx.try_recv().as_deref(), Ok("css"));
        assert_eq!(
            shared.publish(files(&[("index.html", "a"), ("style.css", "y")])),
            Change::Nothing
        );
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn a_patch_replaces_its_files_over_the_last_build() {
        let shared = Shared::default();
        let mut built = files(&[("a/index.html", "a"), ("style.css", "x")]);
        built.insert(
            "rss.xml".into(),
            Body::File(PathBuf::from("static/rss.xml"), None),
        );
        shared.publish(built);
        let rx = shared.subscribe();
        let bytes = |path: &str| match shared.current().get(path) {
            Some(Body::Bytes(b)) => String::from_utf8(b.to_vec()).ok(),
            _ => None,
        };
        assert_eq!(
            shared.publish_patch(vec![("a/index.html".into(), b"a2".to_vec())]),
            Change::Pages
        );
        assert_eq!(
            rx.try_recv().as_deref(),
            Ok("reload-only [\"a/index.html\"]")
        );
        assert_eq!(bytes("a/index.html").as_deref(), Some("a2"));
        assert_eq!(bytes("style.css").as_deref(), Some("x"), "the rest is kept");
        // The same bytes again: nothing to tell.
        assert_eq!(
            shared.publish_patch(vec![("a/index.html".into(), b"a2".to_vec())]),
            Change::Nothing
        );
        assert_eq!(
            shared.publish_patch(vec![("style.css".into(), b"y".to_vec())]),
            Change::CssOnly
        );
        assert_eq!(rx.try_recv().as_deref(), Ok("css"));
        // The site's own static file is not replaced by a generated one.
        shared.publish_patch(vec![("rss.xml".into(), b"<rss/>".to_vec())]);
        assert!(matches!(
            shared.current().get("rss.xml"),
            Some(Body::File(..))
        ));
        // Past the bound, the patched files are folded in: all still there.
        let many: Vec<(String, Vec<u8>)> = (0..=MOST_PATCHED)
            .map(|i| (format!("p{i}/index.html"), format!("{i}").into_bytes()))
            .collect();
        shared.publish_patch(many);
        let current = shared.current();
        assert!(current.patched.is_empty());
        assert_eq!(bytes("p7/index.html").as_deref(), Some("7"));
        assert_eq!(bytes("a/index.html").as_deref(), Some("a2"));
        // A full build after patches: a file it no longer has is a change.
        while rx.try_recv().is_ok() {}
        shared.publish_patch(vec![("b/index.html".into(), b"b".to_vec())]);
        let _ = rx.try_recv();
        let mut full: HashMap<String, Body> = current
            .paths()
            .map(|p| (p.clone(), current.get(p).cloned().expect("file")))
            .collect();
        assert_eq!(shared.publish(full.clone()), Change::Pages, "b is gone");
        full.remove("p7/index.html");
        assert_eq!(shared.publish(full), Change::Pages, "p7 is gone");
    }

    #[test]
    fn a_failed_build_keeps_the_last_good_files() {
        let shared = Shared::default();
        shared.publish(files(&[("index.html", "good")]));
        shared.fail(vec![Diagnostic::new("content/a.md", "bad")]);
        let current = shared.current();
        assert_eq!(
            current.get("index.html"),
            Some(&Body::Bytes(Arc::from(&b"good"[..])))
        );
        assert_eq!(current.errors.len(), 1);
        assert_eq!(
            shared.publish(files(&[("index.html", "good")])),
            Change::Pages,
            "clearing errors reloads"
        );
        assert!(shared.current().errors.is_empty());
    }
}
