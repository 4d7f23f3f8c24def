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
    text: String,
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
    // Table cells and line breaks end words where no newline follows.
    let html = page
        .content
        .replace("</td>", " </td>")
        .replace("</th>", " </th>")
        .replace("<br", " <br");
    let text = crate::render::filters::striptags(&html);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A page's terms: term → (frequency, in title), and its length in
/// body terms.
type PageTerms = (HashMap<String, (u32, bool)>, u32);

fn page_terms(page: &Page) -> PageTerms {
    let mut terms: HashMap<String, (u32, bool)> = HashMap::new();
    let mut len = 0u32;
    tokenize::index_terms(&plain_text(page), |t| {
        terms.entry(t).or_default().0 += 1;
        len += 1;
    });
    tokenize::index_terms(&page.title, |t| {
        let entry = terms.entry(t).or_default();
        entry.0 += 1;
        entry.1 = true;
    });
    (terms, len)
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
}

impl Index {
    /// Indexes the pages of `inputs`, in parallel.
    pub fn build(site: &Site, inputs: Inputs) -> Index {
        let per_page: Vec<PageTerms> = inputs
            .pages
            .par_iter()
            .map(|&id| page_terms(&site.pages[id]))
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
        for (doc, (terms, len)) in per_page.into_iter().enumerate() {
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
        index
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.inputs.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inputs.pages.is_empty()
    }

    /// Every file of the index: output path and bytes.
    pub fn files(&self, site: &Site) -> Vec<(String, Vec<u8>)> {
        if self.is_empty() {
            return Vec::new();
        }
        let shards: Vec<&String> = self.shards.keys().collect();
        let mut files: Vec<(String, Vec<u8>)> =
            shards.par_iter().map(|key| self.shard_file(key)).collect();
        let chunks = self.len().div_ceil(CHUNK);
        files.par_extend(
            (0..chunks)
                .into_par_iter()
                .map(|n| self.chunk_file(site, n)),
        );
        files.push(self.lengths_file());
        files.push(self.manifest_file());
        files
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
        let (before, _) = page_terms(old);
        let (after, len) = page_terms(new);
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
        let records: Vec<Record> = pages[n * CHUNK..end]
            .iter()
            .map(|&id| {
                let page = &site.pages[id];
                Record {
                    url: &page.path,
                    title: &page.title,
                    date: page.date.as_ref().and_then(|d| d.format("%Y-%m-%d").ok()),
                    text: plain_text(page),
                }
            })
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
