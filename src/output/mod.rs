//! The output end of the pipeline: `write` (staging directory, atomic swap,
//! output directory safety), `feeds`, `sitemap` and `redirects`.

pub mod feeds;
pub mod redirects;
pub mod sitemap;
pub mod write;
