//! Series: posts whose front matter names the same `series`, in order
//! (`series_order` first, then oldest first, then by file), each with its
//! place in it. A series has its page at `/series/<slug>/` and `/series/`
//! lists them all; where the site declares a `series` taxonomy, that
//! taxonomy's term pages are the series' pages instead and no others are
//! made, so such a site keeps the URLs it had.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::content::url;
use crate::content::{Page, PageId};

#[derive(Debug)]
pub struct Series {
    /// As the first post (by file) writes it.
    pub name: String,
    pub slug: String,
    /// `/series/<slug>/`.
    pub url: String,
    /// In reading order: part 1 first.
    pub pages: Vec<PageId>,
}

/// The URL of the page listing every series.
pub const SERIES_URL: &str = "/series/";

/// The series of `pages` (in slug order) and, per page, its series and
/// its place in it (from 0).
pub fn build(pages: &[Arc<Page>]) -> (Vec<Series>, Vec<Option<(usize, usize)>>) {
    let mut by_slug: BTreeMap<String, Series> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        let Some(name) = &page.meta.series else {
            continue;
        };
        let slug = url::term_slug(name);
        if slug.is_empty() {
            continue;
        }
        by_slug
            .entry(slug.clone())
            .or_insert_with(|| Series {
                name: name.clone(),
                url: format!("{SERIES_URL}{slug}/"),
                slug,
                pages: Vec::new(),
            })
            .pages
            .push(id);
    }
    let mut series: Vec<Series> = by_slug.into_values().collect();
    let mut place = vec![None; pages.len()];
    for (index, s) in series.iter_mut().enumerate() {
        s.pages.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            let order = |p: &Page| p.meta.series_order.unwrap_or(i64::MAX);
            let date = |p: &Page| p.date.map(|d| d.timestamp());
            order(pa)
                .cmp(&order(pb))
                .then_with(|| match (date(pa), date(pb)) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                })
                .then_with(|| pa.source.cmp(&pb.source))
        });
        for (pos, &id) in s.pages.iter().enumerate() {
            place[id] = Some((index, pos));
        }
    }
    (series, place)
}
