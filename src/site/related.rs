//! Related posts: for each page, up to `[related] limit` others sharing
//! the most terms of the chosen taxonomies, each shared term weighted by
//! its rarity (idf, `ln(N / posts with the term)`), ties going to the
//! newer post, then the file. Never the page itself, never a draft.
//!
//! Computed once per build from the terms' page lists, which are an
//! inverted index already: a page's candidates are the pages of its own
//! terms, never every other page. A term on more than half of the posts
//! says almost nothing (its weight is below ln 2) and would make every
//! page scan most of the site, so it is skipped once it is on more than 50
//! posts; a term's list counts at
//! most its newest `MAX_POSTINGS` pages. The work is then bounded by
//! terms × `MAX_POSTINGS` per page, whatever the site's size.

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::RelatedConfig;
use crate::content::{Page, PageId};
use crate::site::Taxonomy;

/// The most pages of one term a page's candidates come from.
pub const MAX_POSTINGS: usize = 2000;

/// A term on more than this share of the posts is skipped, once it is on
/// more than `MIN_SKIPPED` (a small site's one common tag still counts).
pub const MAX_SHARE: f64 = 0.5;
pub const MIN_SKIPPED: usize = 50;

/// A term's weight and its pages (newest first), or `None` when the term
/// is shared by too few or too many posts to count.
type Posting = Option<(f32, Vec<u32>)>;

/// Per page, its related pages, best first.
pub fn build(
    pages: &[Arc<Page>],
    taxonomies: &[Taxonomy],
    page_terms: &[Vec<Vec<usize>>],
    config: &RelatedConfig,
) -> Vec<Vec<PageId>> {
    if !config.enabled || config.limit == 0 {
        return vec![Vec::new(); pages.len()];
    }
    let eligible: Vec<bool> = pages.iter().map(|p| !p.meta.draft).collect();
    let total = eligible.iter().filter(|e| **e).count();
    // Newest first, then by file: a tie's order.
    let mut by_age: Vec<PageId> = (0..pages.len()).collect();
    by_age.sort_by(|&a, &b| {
        let date = |id: PageId| pages[id].date.map(|d| d.timestamp());
        date(b)
            .cmp(&date(a))
            .then_with(|| pages[a].source.cmp(&pages[b].source))
    });
    let mut rank = vec![0u32; pages.len()];
    for (r, &id) in by_age.iter().enumerate() {
        rank[id] = r as u32;
    }
    let chosen: Vec<usize> = taxonomies
        .iter()
        .enumerate()
        .filter(|(_, t)| config.taxonomies.contains(&t.name))
        .map(|(i, _)| i)
        .collect();
    // Per chosen taxonomy and term: its weight and its candidates, or
    // nothing when the term is shared by too few or too many.
    let postings: Vec<Vec<Posting>> = chosen
        .iter()
        .map(|&t| {
            taxonomies[t]
                .terms
                .iter()
                .map(|term| {
                    let list: Vec<u32> = term
                        .pages
                        .iter()
                        .copied()
                        .filter(|&id| eligible[id])
                        .map(|id| id as u32)
                        .collect();
                    let df = list.len();
                    if df < 2 || (df > MIN_SKIPPED && df as f64 > total as f64 * MAX_SHARE) {
                        return None;
                    }
                    let idf = (total as f64 / df as f64).ln().max(0.0) as f32 + f32::EPSILON;
                    let mut list = list;
                    // Term lists are newest first already.
                    list.truncate(MAX_POSTINGS);
                    Some((idf, list))
                })
                .collect()
        })
        .collect();
    let limit = config.limit;
    (0..pages.len())
        .into_par_iter()
        .map_init(
            || (vec![0f32; pages.len()], Vec::<u32>::new()),
            |(scores, touched), id| {
                for (c, &t) in chosen.iter().enumerate() {
                    for &term in &page_terms[id][t] {
                        let Some((idf, list)) = &postings[c][term] else {
                            continue;
                        };
                        for &other in list {
                            let slot = &mut scores[other as usize];
                            if *slot == 0.0 {
                                touched.push(other);
                            }
                            *slot += idf;
                        }
                    }
                }
                // The best `limit` so far, best first, kept as the slots
                // are read and cleared: no list of every candidate to sort.
                let better = |a: &(f32, u32, u32), b: &(f32, u32, u32)| {
                    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
                };
                let mut best: Vec<(f32, u32, u32)> = Vec::with_capacity(limit + 1);
                for other in touched.drain(..) {
                    let score = std::mem::take(&mut scores[other as usize]);
                    if other as usize == id {
                        continue;
                    }
                    let candidate = (score, rank[other as usize], other);
                    let worst = best.last();
                    if best.len() < limit || worst.is_some_and(|w| better(&candidate, w).is_lt()) {
                        let at = best.partition_point(|b| better(b, &candidate).is_lt());
                        best.insert(at, candidate);
                        best.truncate(limit);
                    }
                }
                scores[id] = 0.0;
                best.into_iter().map(|(_, _, p)| p as usize).collect()
            },
        )
        .collect()
}

/// The related posts of every page, as `build` makes them: one function
/// of the pages' files, dates, drafts and terms and of `[related]`.
pub type Finder<'a> = &'a (dyn Fn(&[Arc<Page>], &[Taxonomy], &[Vec<Vec<usize>>], &RelatedConfig) -> Vec<Vec<PageId>>
         + Sync);

/// `build`, through the page cache (`store`) when the build has one: a
/// site whose pages' files, dates, drafts and terms, `[related]` and
/// binary are those of an earlier build reads its related posts back (at
/// 100,000 posts they take seconds to find). A stored list that does not
/// read back whole, or names a page the site does not have, is found
/// again.
pub fn build_cached(
    store: Option<&crate::markdown::page_cache::PageCache>,
    pages: &[Arc<Page>],
    taxonomies: &[Taxonomy],
    page_terms: &[Vec<Vec<usize>>],
    config: &RelatedConfig,
) -> Vec<Vec<PageId>> {
    use crate::markdown::stored;
    let Some(store) = store.filter(|_| config.enabled && config.limit > 0) else {
        return build(pages, taxonomies, page_terms, config);
    };
    let key = inputs_key(pages, taxonomies, page_terms, config);
    let found = store
        .get(key)
        .and_then(|bytes| stored::read::<Vec<Vec<usize>>>(&bytes))
        .filter(|lists| {
            lists.len() == pages.len() && lists.iter().flatten().all(|&id| id < pages.len())
        });
    if let Some(lists) = found {
        return lists;
    }
    let lists = build(pages, taxonomies, page_terms, config);
    if let Some(bytes) = stored::write(&lists) {
        store.put(key, &bytes);
    }
    lists
}

/// A digest of everything `build` reads.
fn inputs_key(
    pages: &[Arc<Page>],
    taxonomies: &[Taxonomy],
    page_terms: &[Vec<Vec<usize>>],
    config: &RelatedConfig,
) -> crate::markdown::cache::Key {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    // Each value after its length, so no two inputs hash the same bytes.
    fn put(h: &mut xxhash_rust::xxh3::Xxh3, bytes: &[u8]) {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    fn put_ids(h: &mut xxhash_rust::xxh3::Xxh3, ids: &[usize]) {
        h.update(&(ids.len() as u64).to_le_bytes());
        for &id in ids {
            h.update(&(id as u64).to_le_bytes());
        }
    }
    put(&mut h, b"related posts 1");
    put(
        &mut h,
        crate::output::rendered::binary_identity().as_bytes(),
    );
    put(
        &mut h,
        serde_json::to_string(config).unwrap_or_default().as_bytes(),
    );
    put(&mut h, &(pages.len() as u64).to_le_bytes());
    for page in pages {
        put(&mut h, page.source.as_os_str().as_encoded_bytes());
        let date = page.date.map(|d| d.timestamp().as_nanosecond());
        put(&mut h, &date.unwrap_or(i128::MIN).to_le_bytes());
        put(
            &mut h,
            &[u8::from(date.is_some()), u8::from(page.meta.draft)],
        );
    }
    for taxonomy in taxonomies {
        put(&mut h, taxonomy.name.as_bytes());
        put(&mut h, &(taxonomy.terms.len() as u64).to_le_bytes());
        for term in &taxonomy.terms {
            put_ids(&mut h, &term.pages);
        }
    }
    for ids in page_terms.iter().flatten() {
        put_ids(&mut h, ids);
    }
    h.digest128()
}
