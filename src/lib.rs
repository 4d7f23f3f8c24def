//! `blog`: a static site generator for people who write. The pipeline runs
//! one way — config → content → site model → render → output — and each
//! stage is a module that takes data and returns data (docs/ARCHITECTURE.md).

#![forbid(unsafe_code)]

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod dialect;
pub mod file_links;
#[doc(hidden)]
pub mod fuzz;
pub mod images;
pub mod import;
pub mod links;
pub mod markdown;
pub mod output;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
