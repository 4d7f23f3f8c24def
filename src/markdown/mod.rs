//! Markdown rendering: `render` turns a page body into HTML, a summary, a table
//! of contents and a word count; `highlight` colours fenced code; `ids` makes
//! heading ids in the style of the generator a site came from.

pub mod cache;
pub mod highlight;
pub mod ids;
pub mod render;

pub use highlight::Highlighter;
pub use render::{render, Rendered, TocEntry};
