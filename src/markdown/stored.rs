//! How parsed content is stored in the page cache (`page_cache`): a compact
//! binary form that reads back at the speed of copying it. JSON cost a warm
//! rebuild of 10,000 posts 1.9 G instructions to decode, most of it in the
//! escapes of the HTML's quotes.
//!
//! Each type writes its fields in order with `Stored::put` and reads them
//! back in the same order with `Stored::take`. Structs are written by
//! destructuring every field, so a field added to one does not compile
//! until it is stored. Reading checks lengths and UTF-8 and gives `None` for
//! anything that does not read back whole; the page cache's CRC-32 has
//! already caught damage by then, so `None` means a bug or another layout,
//! and the page is parsed again.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::render::{Link, Rendered, TocEntry};

/// Bytes being written. Something that cannot be stored exactly (a path
/// that is not UTF-8) marks the whole unusable, and nothing is stored.
#[derive(Default)]
pub struct Out {
    bytes: Vec<u8>,
    lossy: bool,
}

impl Out {
    /// Room for `capacity` bytes to start with.
    pub fn with_capacity(capacity: usize) -> Out {
        Out {
            bytes: Vec::with_capacity(capacity),
            lossy: false,
        }
    }

    /// Marks what is being written as not storable.
    pub fn refuse(&mut self) {
        self.lossy = true;
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    pub fn put<T: Stored>(&mut self, value: &T) {
        value.put(self);
    }

    /// The bytes, unless something could not be stored exactly.
    pub fn finish(self) -> Option<Vec<u8>> {
        (!self.lossy).then_some(self.bytes)
    }
}

/// Bytes being read.
pub struct In<'a> {
    rest: &'a [u8],
}

impl<'a> In<'a> {
    pub fn new(bytes: &'a [u8]) -> In<'a> {
        In { rest: bytes }
    }

    pub fn raw(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        self.rest = tail;
        Some(head)
    }

    pub fn take<T: Stored>(&mut self) -> Option<T> {
        T::take(self)
    }

    /// Whether every byte was read: trailing bytes mean another layout.
    pub fn is_done(&self) -> bool {
        self.rest.is_empty()
    }
}

pub trait Stored: Sized {
    fn put(&self, out: &mut Out);
    fn take(input: &mut In<'_>) -> Option<Self>;
}

/// Reads a whole value: `None` unless every byte is used.
pub fn read<T: Stored>(bytes: &[u8]) -> Option<T> {
    let mut input = In::new(bytes);
    let value = T::take(&mut input)?;
    input.is_done().then_some(value)
}

/// Writes a whole value, unless part of it cannot be stored exactly.
pub fn write<T: Stored>(value: &T) -> Option<Vec<u8>> {
    write_sized(value, 0)
}

/// `write`, into room for `capacity` bytes to start with (a rendered
/// page's HTML: not copied as the bytes grow).
pub fn write_sized<T: Stored>(value: &T, capacity: usize) -> Option<Vec<u8>> {
    let mut out = Out::with_capacity(capacity);
    value.put(&mut out);
    out.finish()
}

macro_rules! stored_int {
    ($($t:ty),*) => {$(
        impl Stored for $t {
            fn put(&self, out: &mut Out) {
                out.raw(&self.to_le_bytes());
            }
            fn take(input: &mut In<'_>) -> Option<Self> {
                let bytes = input.raw(std::mem::size_of::<$t>())?;
                Some(<$t>::from_le_bytes(bytes.try_into().ok()?))
            }
        }
    )*};
}
stored_int!(u8, u32, u64, i8, i16, i32, i64, u128);

impl Stored for usize {
    fn put(&self, out: &mut Out) {
        (*self as u64).put(out);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        usize::try_from(u64::take(input)?).ok()
    }
}

impl Stored for bool {
    fn put(&self, out: &mut Out) {
        u8::from(*self).put(out);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        match u8::take(input)? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

fn put_str(text: &str, out: &mut Out) {
    text.len().put(out);
    out.raw(text.as_bytes());
}

fn take_str<'a>(input: &mut In<'a>) -> Option<&'a str> {
    let len = usize::take(input)?;
    std::str::from_utf8(input.raw(len)?).ok()
}

impl Stored for String {
    fn put(&self, out: &mut Out) {
        put_str(self, out);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        take_str(input).map(str::to_string)
    }
}

impl Stored for Arc<str> {
    fn put(&self, out: &mut Out) {
        put_str(self, out);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        take_str(input).map(Arc::from)
    }
}

/// As UTF-8: a path that is not is refused, never stored changed.
impl Stored for PathBuf {
    fn put(&self, out: &mut Out) {
        match self.to_str() {
            Some(text) => put_str(text, out),
            None => out.refuse(),
        }
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        take_str(input).map(PathBuf::from)
    }
}

impl<T: Stored> Stored for Option<T> {
    fn put(&self, out: &mut Out) {
        match self {
            None => out.put(&false),
            Some(value) => {
                out.put(&true);
                out.put(value);
            }
        }
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        match bool::take(input)? {
            false => Some(None),
            true => Some(Some(T::take(input)?)),
        }
    }
}

impl<T: Stored> Stored for Vec<T> {
    fn put(&self, out: &mut Out) {
        self.len().put(out);
        for item in self {
            out.put(item);
        }
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        let len = usize::take(input)?;
        // Each item takes at least a byte: a length beyond what is left
        // is damage, not a reason to reserve gigabytes.
        if len > input.rest.len() {
            return None;
        }
        let mut items = Vec::with_capacity(len);
        for _ in 0..len {
            items.push(T::take(input)?);
        }
        Some(items)
    }
}

impl<A: Stored, B: Stored> Stored for (A, B) {
    fn put(&self, out: &mut Out) {
        out.put(&self.0);
        out.put(&self.1);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        Some((A::take(input)?, B::take(input)?))
    }
}

impl<V: Stored> Stored for BTreeMap<String, V> {
    fn put(&self, out: &mut Out) {
        self.len().put(out);
        for (key, value) in self {
            out.put(key);
            out.put(value);
        }
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        let len = usize::take(input)?;
        let mut map = BTreeMap::new();
        for _ in 0..len {
            let key = String::take(input)?;
            map.insert(key, V::take(input)?);
        }
        (map.len() == len).then_some(map)
    }
}

/// Front matter's free-form values (`extra`), as their JSON text.
impl Stored for serde_json::Value {
    fn put(&self, out: &mut Out) {
        match serde_json::to_string(self) {
            Ok(text) => put_str(&text, out),
            Err(_) => out.refuse(),
        }
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        serde_json::from_str(take_str(input)?).ok()
    }
}

impl Stored for TocEntry {
    fn put(&self, out: &mut Out) {
        let TocEntry {
            level,
            id,
            title,
            children,
        } = self;
        out.put(level);
        out.put(id);
        out.put(title);
        out.put(children);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        Some(TocEntry {
            level: input.take()?,
            id: input.take()?,
            title: input.take()?,
            children: input.take()?,
        })
    }
}

impl Stored for Link {
    fn put(&self, out: &mut Out) {
        let Link { url, offset, image } = self;
        out.put(url);
        out.put(offset);
        out.put(image);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        Some(Link {
            url: input.take()?,
            offset: input.take()?,
            image: input.take()?,
        })
    }
}

impl Stored for Rendered {
    fn put(&self, out: &mut Out) {
        let Rendered {
            html,
            summary,
            has_more,
            toc,
            toc_placed,
            word_count,
            code_classes,
            links,
            ids,
            diagrams,
            problems,
            blocks,
        } = self;
        // The HTML and the code blocks first: a post read back parsed
        // needs only these (`render::stored_html`).
        out.put(html);
        out.put(blocks);
        out.put(summary);
        out.put(has_more);
        out.put(toc);
        out.put(toc_placed);
        out.put(word_count);
        out.put(code_classes);
        out.put(links);
        out.put(ids);
        out.put(diagrams);
        out.put(problems);
    }
    fn take(input: &mut In<'_>) -> Option<Self> {
        let (html, blocks) = take_html(input)?;
        Some(Rendered {
            html,
            blocks,
            summary: input.take()?,
            has_more: input.take()?,
            toc: input.take()?,
            toc_placed: input.take()?,
            word_count: input.take()?,
            code_classes: input.take()?,
            links: input.take()?,
            ids: input.take()?,
            diagrams: input.take()?,
            problems: input.take()?,
        })
    }
}

/// The HTML and code blocks at the start of a stored `Rendered`.
pub fn take_html<T: Stored>(input: &mut In<'_>) -> Option<(T, Vec<u128>)> {
    Some((input.take()?, input.take()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Rendered {
        Rendered {
            html: "<p class=\"x\">héllo</p>\0".into(),
            summary: "<p>h</p>".into(),
            has_more: true,
            toc: vec![TocEntry {
                level: 2,
                id: "a".into(),
                title: "A".into(),
                children: vec![TocEntry {
                    level: 3,
                    id: "b".into(),
                    title: "B".into(),
                    children: Vec::new(),
                }],
            }],
            toc_placed: false,
            word_count: 12,
            code_classes: vec!["k".into()],
            links: vec![Link {
                url: "/a/".into(),
                offset: 7,
                image: true,
            }],
            ids: vec!["a".into(), "b".into()],
            diagrams: true,
            problems: vec![(3, "bad TeX".into())],
            blocks: vec![u128::MAX, 1],
        }
    }

    #[test]
    fn a_rendered_page_reads_back_as_it_was() {
        let bytes = write(&sample()).expect("storable");
        let back: Rendered = read(&bytes).expect("reads back");
        assert_eq!(format!("{back:?}"), format!("{:?}", sample()));
    }

    #[test]
    fn cut_grown_or_damaged_bytes_do_not_read() {
        let bytes = write(&sample()).expect("storable");
        for cut in 0..bytes.len() {
            assert!(read::<Rendered>(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut grown = bytes.clone();
        grown.push(0);
        assert!(read::<Rendered>(&grown).is_none());
        // A length that claims more than there is.
        let mut long = bytes.clone();
        long[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(read::<Rendered>(&long).is_none());
        // Not UTF-8 where a string is.
        let mut broken = bytes;
        broken[8] = 0xff;
        assert!(read::<Rendered>(&broken).is_none());
    }

    #[test]
    fn a_path_that_is_not_utf8_is_not_stored() {
        assert!(write(&PathBuf::from("content/a.md")).is_some());
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = PathBuf::from(std::ffi::OsStr::from_bytes(b"content/\xff.md"));
            assert!(write(&odd).is_none());
        }
    }
}
