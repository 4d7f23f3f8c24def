//! The full-text search index (`[search] enabled = true`), written by
//! blog as plain JSON files a browser fetches from any static host:
//!
//! - `search/index.json`: the manifest (format version, a hash of what
//!   the index is made from, the document count, the average body length, the chunk size
//!   and the shard names);
//! - `search/t/<shard>.json`: term → postings `[doc, term frequency,
//!   in title (0/1)]`, sharded by the term's first two characters (its
//!   first character for CJK), the name being the key's UTF-8 in hex
//!   (`tokenize::shard_name`);
//! - `search/lengths.json`: each document's body length in terms, for
//!   BM25 (once here rather than in every posting);
//! - `search/d/<n>.json`: the records (URL path, title, date, plain text)
//!   of documents `100n` to `100n + 99`, for the results shown.
//!
//! A query fetches the manifest, the lengths and the shards of its terms, then only the
//! chunks of the results on screen. The index is made from the model
//! (each page's rendered content as plain text, through the `striptags`
//! filter's helper), in parallel, beside the feeds and the output plan;
//! `Built` keeps it so that `blog serve` re-tokenises only an edited page
//! and rewrites only the shards and the chunk it touches (`Index::update`).

pub mod tokenize;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

use crate::config::Config;
use crate::content::{Page, PageId};
use crate::site::Site;

/// The folder of the output the index is written to.
pub const DIR: &str = "search";

/// The URL path of the search page the default theme renders.
pub const PAGE_PATH: &str = "/search/";

/// The index's layout; the script refuses a manifest of another.
pub const VERSION: u32 = 1;

/// Documents per record chunk.
pub const CHUNK: usize = 100;

/// Whether `page` belongs in the index: published (no draft, nothing
/// future or expired, even in a `--drafts` build), rendered, not a
/// redirect, not a 404 page, and not `in_search_index = false`.
pub fn is_indexable(page: &Page, config: &Config, now: Timestamp) -> bool {
    crate::site::is_published(page, now)
        && crate::site::renders(page)
        && !page.meta.search_excluded
        && crate::site::redirect_to(page, config).is_none()
        && !matches!(page.path.as_str(), "/404/" | "/404.html")
}

/// Leaves the default theme's `search.js` out of a site without search,
/// which then ships no script of blog's; a site's own file of that name
/// is kept.
pub fn drop_unused_script(
    config: &Config,
    files: &mut BTreeMap<String, crate::render::theme::StaticFile>,
) {
    if !config.search.enabled
        && matches!(
            files.get(SCRIPT),
            Some(crate::render::theme::StaticFile::Embedded(_))
        )
    {
        files.remove(SCRIPT);
    }
}

/// The default theme's search script, in its static files.
pub const SCRIPT: &str = "search.js";

/// One occurrence list entry: a document, how often the term is in it,
/// and whether it is in the title.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Posting {
    doc: u32,
    tf: u32,
    title: bool,
}

/// What a result shows of a document.
#[derive(Debug, Serialize)]
struct Record<'a> {
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    text: &'a str,
}

/// The manifest, `search/index.json`.
#[derive(Debug, Serialize)]
struct Manifest<'a> {
    version: u32,
    hash: String,
    docs: usize,
    avg_len: f64,
    chunk: usize,
    shards: Vec<&'a str>,
}

/// The plain text of a page's body, whitespace collapsed.
pub fn plain_text(page: &Page) -> String {
    let text = crate::render::filters::striptags(&spaced(&page.content));
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `html` with a space before each `</td>`, `</th>` and `<br`: table
/// cells and line breaks end words where no newline follows them.
fn spaced(html: &str) -> std::borrow::Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut copied = 0;
    for (at, _) in html.match_indices('<') {
        let rest = &html.as_bytes()[at + 1..];
        if rest.starts_with(b"/td>") || rest.starts_with(b"/th>") || rest.starts_with(b"br") {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 64));
            out.push_str(&html[copied..at]);
            out.push(' ');
            copied = at;
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            std::borrow::Cow::Owned(out)
        }
    }
}

/// A page's terms: term → (frequency, in title), and its length in
/// body terms.
type PageTerms = (HashMap<String, (u32, bool)>, u32);

/// An output file: its path and bytes.
pub type File = (String, Vec<u8>);

/// What `Index::build` makes of a chunk of pages: their terms, the
/// chunk's file, and their texts if kept.
type ChunkMade = (Vec<PageTerms>, File, Vec<Arc<str>>);

fn page_terms(text: &str, title: &str) -> PageTerms {
    let mut terms: HashMap<String, (u32, bool)> = HashMap::new();
    let mut len = 0u32;
    tokenize::index_terms(text, |t| {
        match terms.get_mut(t) {
            Some(entry) => entry.0 += 1,
            None => {
                terms.insert(t.to_string(), (1, false));
            }
        }
        len += 1;
    });
    tokenize::index_terms(title, |t| match terms.get_mut(t) {
        Some(entry) => *entry = (entry.0 + 1, true),
        None => {
            terms.insert(t.to_string(), (1, true));
        }
    });
    (terms, len)
}

fn record<'a>(page: &'a Page, text: &'a str) -> Record<'a> {
    Record {
        url: &page.path,
        title: &page.title,
        date: page.date.as_ref().and_then(|d| d.format("%Y-%m-%d").ok()),
        text,
    }
}

/// What the index is made from: the indexable pages in source order and a
/// hash of each one's URL, title, date and content. Their hash, with
/// blog's version, is the manifest's `hash`: the same inputs, the same
/// files, so a build whose previous output holds an index of the same
/// hash keeps those files and tokenises nothing (`existing`).
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pages: Vec<PageId>,
    hashes: Vec<u64>,
}

fn page_hash(page: &Page) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (&page.path, &page.title, page.date.map(|d| d.to_rfc3339())).hash(&mut h);
    page.content.hash(&mut h);
    h.finish()
}

impl Inputs {
    /// The indexable pages of `site`, hashed in parallel.
    pub fn new(site: &Site, config: &Config, now: Timestamp) -> Inputs {
        let pages: Vec<PageId> = (0..site.pages.len())
            .filter(|&id| is_indexable(&site.pages[id], config, now))
            .collect();
        let hashes = pages
            .par_iter()
            .map(|&id| page_hash(&site.pages[id]))
            .collect();
        Inputs { pages, hashes }
    }

    /// The manifest's `hash`.
    pub fn key(&self) -> String {
        let mut h = std::hash::DefaultHasher::new();
        (env!("CARGO_PKG_VERSION"), VERSION, CHUNK, &self.hashes).hash(&mut h);
        format!("{:016x}", h.finish())
    }

    /// The output paths of the index in `dir` (a previous build's output)
    /// when it was made from these inputs and all its files are there.
    pub fn existing(&self, dir: &std::path::Path) -> Option<Vec<String>> {
        let text = std::fs::read(dir.join(DIR).join("index.json")).ok()?;
        let manifest: serde_json::Value = serde_json::from_slice(&text).ok()?;
        if manifest["hash"].as_str()? != self.key()
            || manifest["docs"].as_u64()? != self.pages.len() as u64
        {
            return None;
        }
        let mut paths = vec![format!("{DIR}/index.json"), format!("{DIR}/lengths.json")];
        for name in manifest["shards"].as_array()? {
            paths.push(format!("{DIR}/t/{}.json", name.as_str()?));
        }
        paths.extend((0..self.pages.len().div_ceil(CHUNK)).map(|n| format!("{DIR}/d/{n}.json")));
        paths.iter().all(|p| dir.join(p).is_file()).then_some(paths)
    }
}

/// The index of a built site, kept in memory by `blog serve`.
#[derive(Debug, Default)]
pub struct Index {
    inputs: Inputs,
    /// Each page's document, if indexed.
    docs: HashMap<PageId, u32>,
    /// Each document's body length in terms.
    lengths: Vec<u32>,
    /// Term → postings, in document order.
    postings: HashMap<String, Vec<Posting>>,
    /// Shard key → its terms.
    shards: BTreeMap<String, BTreeSet<String>>,
    /// Each document's plain text, when kept (`blog serve`), so that a
    /// rebuild writes the records of unchanged pages without making
    /// their text again.
    texts: Vec<Arc<str>>,
}

impl Index {
    /// Each document's terms, from the postings: what `build` reuses of
    /// a page whose hash did not change.
    fn terms_by_doc(&self) -> Vec<Vec<(&str, u32, bool)>> {
        let mut by_doc = vec![Vec::new(); self.len()];
        for (term, list) in &self.postings {
            for p in list {
                if let Some(terms) = by_doc.get_mut(p.doc as usize) {
                    terms.push((term.as_str(), p.tf, p.title));
                }
            }
        }
        by_doc
    }

    /// Indexes the pages of `inputs`, in parallel, and returns the index
    /// with all its files (output path and bytes). The terms of a page
    /// `previous` indexed with the same hash are taken from it instead of
    /// tokenising the page again, and so is its text if `previous` kept
    /// it; `keep_text` keeps the texts in the new index.
    pub fn build(
        site: &Site,
        inputs: Inputs,
        previous: Option<&Index>,
        keep_text: bool,
    ) -> (Index, Vec<File>) {
        let reused: HashMap<u64, usize> = previous
            .map(|p| {
                p.inputs
                    .hashes
                    .iter()
                    .enumerate()
                    .map(|(d, &h)| (h, d))
                    .collect()
            })
            .unwrap_or_default();
        let old_terms = previous.map(Index::terms_by_doc).unwrap_or_default();
        // A chunk of pages at a time: each page's text made once, for its
        // terms and its record.
        let chunks: Vec<ChunkMade> = inputs
            .pages
            .par_chunks(CHUNK)
            .zip(inputs.hashes.par_chunks(CHUNK))
            .enumerate()
            .map(|(n, (ids, hashes))| {
                let mut terms = Vec::with_capacity(ids.len());
                let mut texts: Vec<Arc<str>> = Vec::with_capacity(ids.len());
                for (&id, hash) in ids.iter().zip(hashes) {
                    let page = &site.pages[id];
                    let old = reused.get(hash).copied();
                    let kept = old.zip(previous).and_then(|(d, p)| p.texts.get(d).cloned());
                    let text = kept.unwrap_or_else(|| Arc::from(plain_text(page)));
                    let known = old.and_then(|d| Some((old_terms.get(d)?, d)));
                    terms.push(match (known, previous) {
                        (Some((known, d)), Some(previous)) => (
                            known
                                .iter()
                                .map(|&(t, tf, title)| (t.to_string(), (tf, title)))
                                .collect(),
                            previous.lengths[d],
                        ),
                        _ => page_terms(&text, &page.title),
                    });
                    texts.push(text);
                }
                let records: Vec<Record> = ids
                    .iter()
                    .zip(&texts)
                    .map(|(&id, text)| record(&site.pages[id], text))
                    .collect();
                let bytes = serde_json::to_vec(&records).unwrap_or_default();
                if !keep_text {
                    texts.clear();
                }
                (terms, (format!("{DIR}/d/{n}.json"), bytes), texts)
            })
            .collect();
        let mut index = Index {
            docs: inputs
                .pages
                .iter()
                .enumerate()
                .map(|(doc, &id)| (id, doc as u32))
                .collect(),
            inputs,
            ..Index::default()
        };
        let mut files = Vec::with_capacity(chunks.len());
        let mut texts = Vec::new();
        let per_page = chunks.into_iter().flat_map(|(terms, file, mut kept)| {
            files.push(file);
            texts.append(&mut kept);
            terms
        });
        for (doc, (terms, len)) in per_page.enumerate() {
            index.lengths.push(len);
            for (term, (tf, title)) in terms {
                let posting = Posting {
                    doc: doc as u32,
                    tf,
                    title,
                };
                match index.postings.get_mut(&term) {
                    Some(list) => list.push(posting),
                    None => {
                        index
                            .shards
                            .entry(tokenize::shard_key(&term))
                            .or_default()
                            .insert(term.clone());
                        index.postings.insert(term, vec![posting]);
                    }
                }
            }
        }
        index.texts = texts;
        if index.is_empty() {
            return (index, Vec::new());
        }
        let shards: Vec<&String> = index.shards.keys().collect();
        files.par_extend(shards.par_iter().map(|key| index.shard_file(key)));
        files.push(index.lengths_file());
        files.push(index.manifest_file());
        (index, files)
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.inputs.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inputs.pages.is_empty()
    }

    /// Whether page `id` of `site` stays in the index or out of it: one
    /// that joins or leaves it needs a full build (document numbers follow
    /// the pages' order).
    pub fn keeps(&self, site: &Site, config: &Config, now: Timestamp, id: PageId) -> bool {
        self.docs.contains_key(&id) == is_indexable(&site.pages[id], config, now)
    }

    /// Takes page `id` of `site` in place of `old` as its document (see
    /// `keeps`) and returns the files that changed: the shards of the
    /// terms whose postings changed, the document's chunk, the lengths
    /// when its length changed, and the manifest; nothing for a page out
    /// of the index. The files equal a full build's of the same site.
    pub fn update(&mut self, site: &Site, id: PageId, old: &Page) -> Vec<(String, Vec<u8>)> {
        let new = &site.pages[id];
        let Some(doc) = self.docs.get(&id).copied() else {
            return Vec::new();
        };
        let (before, _) = page_terms(&plain_text(old), &old.title);
        let text = plain_text(new);
        let (after, len) = page_terms(&text, &new.title);
        if let Some(kept) = self.texts.get_mut(doc as usize) {
            *kept = Arc::from(text);
        }
        let mut keys = BTreeSet::new();
        for term in before.keys() {
            if after.get(term) == before.get(term) {
                continue;
            }
            keys.insert(tokenize::shard_key(term));
            if let Some(list) = self.postings.get_mut(term) {
                list.retain(|p| p.doc != doc);
                if list.is_empty() {
                    self.postings.remove(term);
                    let key = tokenize::shard_key(term);
                    if let Some(terms) = self.shards.get_mut(&key) {
                        terms.remove(term);
                    }
                }
            }
        }
        for (term, &(tf, title)) in &after {
            if before.get(term) == Some(&(tf, title)) {
                continue;
            }
            let key = tokenize::shard_key(term);
            self.shards
                .entry(key.clone())
                .or_default()
                .insert(term.clone());
            keys.insert(key);
            let list = self.postings.entry(term.clone()).or_default();
            let at = list.partition_point(|p| p.doc < doc);
            list.insert(at, Posting { doc, tf, title });
        }
        self.inputs.hashes[doc as usize] = page_hash(new);
        let mut files = Vec::new();
        for key in &keys {
            if self.shards.get(key).is_none_or(BTreeSet::is_empty) {
                // Left out of the manifest; served empty until the next
                // full build, which writes no file for it.
                self.shards.remove(key);
                files.push((shard_path(key), b"{}".to_vec()));
            } else {
                files.push(self.shard_file(key));
            }
        }
        files.push(self.chunk_file(site, doc as usize / CHUNK));
        if self.lengths[doc as usize] != len {
            self.lengths[doc as usize] = len;
            files.push(self.lengths_file());
        }
        files.push(self.manifest_file());
        files
    }

    fn shard_file(&self, key: &str) -> (String, Vec<u8>) {
        let mut map: BTreeMap<&str, Vec<[u32; 3]>> = BTreeMap::new();
        for term in self.shards.get(key).into_iter().flatten() {
            let list = self.postings.get(term).into_iter().flatten();
            map.insert(term, list.map(|p| [p.doc, p.tf, p.title as u32]).collect());
        }
        (
            shard_path(key),
            serde_json::to_vec(&map).unwrap_or_default(),
        )
    }

    fn chunk_file(&self, site: &Site, n: usize) -> (String, Vec<u8>) {
        let pages = &self.inputs.pages;
        let end = ((n + 1) * CHUNK).min(pages.len());
        let texts: Vec<Arc<str>> = (n * CHUNK..end)
            .map(|doc| match self.texts.get(doc) {
                Some(text) => text.clone(),
                None => Arc::from(plain_text(&site.pages[pages[doc]])),
            })
            .collect();
        let records: Vec<Record> = pages[n * CHUNK..end]
            .iter()
            .zip(&texts)
            .map(|(&id, text)| record(&site.pages[id], text))
            .collect();
        (
            format!("{DIR}/d/{n}.json"),
            serde_json::to_vec(&records).unwrap_or_default(),
        )
    }

    fn lengths_file(&self) -> (String, Vec<u8>) {
        (
            format!("{DIR}/lengths.json"),
            serde_json::to_vec(&self.lengths).unwrap_or_default(),
        )
    }

    fn manifest_file(&self) -> (String, Vec<u8>) {
        let total: u64 = self.lengths.iter().map(|&l| u64::from(l)).sum();
        let names: Vec<String> = self
            .shards
            .keys()
            .map(|k| tokenize::shard_name(k))
            .collect();
        let manifest = Manifest {
            version: VERSION,
            hash: self.inputs.key(),
            docs: self.len(),
            avg_len: match self.len() {
                0 => 0.0,
                n => (total as f64 / n as f64 * 100.0).round() / 100.0,
            },
            chunk: CHUNK,
            shards: names.iter().map(String::as_str).collect(),
        };
        (
            format!("{DIR}/index.json"),
            serde_json::to_vec(&manifest).unwrap_or_default(),
        )
    }
}

fn shard_path(key: &str) -> String {
    format!("{DIR}/t/{}.json", tokenize::shard_name(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_breaks_end_words() {
        assert_eq!(
            spaced("<td>a</td><td>b</td><th>c</th>d<br>e<br/>f"),
            "<td>a </td><td>b </td><th>c </th>d <br>e <br/>f"
        );
        assert!(matches!(
            spaced("<p>plain</p>"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(spaced("a < b"), "a < b");
        assert_eq!(spaced("<"), "<");
    }
}
