//! Markdown rendering: `render` turns a page body into HTML, a summary, a table
//! of contents and a word count; `highlight` colours fenced code (through
//! `lex`, hand-written lexers, for the languages they have) and `fence` reads a fence's
//! info string; `ids` makes heading ids in the style of the generator a site
//! came from.

pub mod cache;
pub mod fence;
pub mod footnotes;
pub mod highlight;
pub mod ids;
pub mod lex;
pub mod page_cache;
pub mod render;
pub mod stored;

pub use highlight::Highlighter;
pub use render::{render, render_cached, Rendered, TocEntry};
