//! The full-text search index (`[search] enabled = true`), written by
//! blog as plain JSON files a browser fetches from any static host:
//!
//! - `search/index.json`: the manifest (format version, a hash of the
//!   rest, the document count, the average body length, the chunk size
//!   and the shard names);
//! - `search/t/<shard>.json`: term → postings `[doc, term frequency,
//!   in title (0/1), doc length]`, sharded by the term's first two
//!   characters (its first character for CJK), the name being the key's
//!   UTF-8 in hex (`tokenize::shard_name`);
//! - `search/d/<n>.json`: the records (URL path, title, date, plain text)
//!   of documents `100n` to `100n + 99`, for the results shown.
//!
//! A query fetches the manifest, the shards of its terms, then only the
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

/// The index of a built site, kept in memory by `blog serve`.
#[derive(Debug, Default)]
pub struct Index {
    /// Each document's page.
    pages: Vec<PageId>,
    /// Each page's document, if indexed.
    docs: HashMap<PageId, u32>,
    /// Each document's body length in terms.
    lengths: Vec<u32>,
    /// Term → postings, in document order.
    postings: HashMap<String, Vec<Posting>>,
    /// Shard key → its terms.
    shards: BTreeMap<String, BTreeSet<String>>,
    /// Each written file's hash, for the manifest's.
    hashes: BTreeMap<String, u64>,
}

impl Index {
    /// Indexes every indexable page of `site`, in parallel.
    pub fn build(site: &Site, config: &Config, now: Timestamp) -> Index {
        let pages: Vec<PageId> = (0..site.pages.len())
            .filter(|&id| is_indexable(&site.pages[id], config, now))
            .collect();
        let per_page: Vec<PageTerms> = pages
            .par_iter()
            .map(|&id| page_terms(&site.pages[id]))
            .collect();
        let mut index = Index {
            docs: pages
                .iter()
                .enumerate()
                .map(|(doc, &id)| (id, doc as u32))
                .collect(),
            pages,
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
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Every file of the index: output path and bytes, the manifest last.
    pub fn files(&mut self, site: &Site) -> Vec<(String, Vec<u8>)> {
        if self.is_empty() {
            return Vec::new();
        }
        let shards: Vec<&String> = self.shards.keys().collect();
        let mut files: Vec<(String, Vec<u8>)> =
            shards.par_iter().map(|key| self.shard_file(key)).collect();
        let chunks = self.pages.len().div_ceil(CHUNK);
        files.par_extend(
            (0..chunks)
                .into_par_iter()
                .map(|n| self.chunk_file(site, n)),
        );
        self.hashes = files
            .iter()
            .map(|(path, bytes)| (path.clone(), hash(bytes)))
            .collect();
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
    /// terms either has, the document's chunk, and the manifest; nothing
    /// for a page out of the index.
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
        if self.lengths[doc as usize] != len {
            // Every posting of the document carries its length.
            self.lengths[doc as usize] = len;
            keys.extend(after.keys().map(|t| tokenize::shard_key(t)));
        }
        let mut files = Vec::new();
        let mut emptied = Vec::new();
        for key in &keys {
            if self.shards.get(key).is_none_or(BTreeSet::is_empty) {
                // Left out of the manifest; served empty until the next
                // full build, which writes no file for it.
                self.shards.remove(key);
                let path = shard_path(key);
                self.hashes.remove(&path);
                emptied.push((path, b"{}".to_vec()));
            } else {
                files.push(self.shard_file(key));
            }
        }
        files.push(self.chunk_file(site, doc as usize / CHUNK));
        for (path, bytes) in &files {
            self.hashes.insert(path.clone(), hash(bytes));
        }
        files.append(&mut emptied);
        files.push(self.manifest_file());
        files
    }

    fn shard_file(&self, key: &str) -> (String, Vec<u8>) {
        let mut map: BTreeMap<&str, Vec<[u32; 4]>> = BTreeMap::new();
        for term in self.shards.get(key).into_iter().flatten() {
            let list = self.postings.get(term).into_iter().flatten();
            map.insert(
                term,
                list.map(|p| [p.doc, p.tf, p.title as u32, self.lengths[p.doc as usize]])
                    .collect(),
            );
        }
        (
            shard_path(key),
            serde_json::to_vec(&map).unwrap_or_default(),
        )
    }

    fn chunk_file(&self, site: &Site, n: usize) -> (String, Vec<u8>) {
        let end = ((n + 1) * CHUNK).min(self.pages.len());
        let records: Vec<Record> = self.pages[n * CHUNK..end]
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

    fn manifest_file(&self) -> (String, Vec<u8>) {
        let mut h = std::hash::DefaultHasher::new();
        self.hashes.hash(&mut h);
        let total: u64 = self.lengths.iter().map(|&l| u64::from(l)).sum();
        let names: Vec<String> = self
            .shards
            .keys()
            .map(|k| tokenize::shard_name(k))
            .collect();
        let manifest = Manifest {
            version: VERSION,
            hash: format!("{:016x}", h.finish()),
            docs: self.pages.len(),
            avg_len: match self.pages.len() {
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

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}
