//! Content: from files under `content/` to parsed pages. `load` walks and
//! parses; `front_matter`, `date` and `url` hold the pieces it uses.

pub mod date;
pub mod front_matter;
pub mod load;
pub mod page;
pub mod stored;
pub mod url;

pub use date::Date;
pub use page::{Page, PageId, SectionMeta};
