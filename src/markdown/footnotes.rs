//! Footnotes at the bottom of a post, as GitHub shows them: each reference
//! a superscript number (in the order notes are first referenced) linking
//! to its note; the notes in a `<section class="footnotes">` list after the
//! text, each ending in a `↩` link back to every reference to it. A
//! definition nothing refers to is left out, as GitHub leaves it out; a
//! reference without a definition is plain text (pulldown-cmark's rule).
//! Ids are `fn-LABEL` and `fnref-LABEL` (`fnref-LABEL-2` for a second
//! reference), taken before any heading's, so a heading never reuses one.

use std::collections::HashMap;
use std::fmt::Write;

use pulldown_cmark::Event;

use crate::config::HeadingIds;
use crate::markdown::ids::IdAllocator;

/// One referenced note.
struct Note<'e> {
    /// `fn-…`, the note's own id.
    id: String,
    /// `fnref-…`, one per reference, in order.
    ref_ids: Vec<String>,
    /// The number readers see, from 1; 0 until first referenced.
    number: usize,
    /// References rendered so far.
    used: usize,
    /// The note's rendered events, once its definition has been read.
    body: Option<Vec<Event<'e>>>,
}

/// The notes of one page, keyed by their label without case (as CommonMark
/// matches labels).
#[derive(Default)]
pub struct Footnotes<'e> {
    notes: HashMap<String, Note<'e>>,
    /// Keys in the order of their first reference.
    order: Vec<String>,
    /// The definition being read: its key and where its events start.
    open: Option<(String, usize)>,
}

fn key(label: &str) -> String {
    label.to_lowercase()
}

/// A label as an id: letters, digits, `-` and `_` kept, anything else `-`.
fn clean(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

impl<'e> Footnotes<'e> {
    /// Sets up the notes from the labels the text defines and refers to
    /// (`references` in order, repeats included), taking their ids in `ids`.
    pub fn new<'a>(
        defined: impl IntoIterator<Item = &'a str>,
        references: &[String],
        ids: &mut IdAllocator,
    ) -> Footnotes<'e> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for label in references {
            *counts.entry(key(label)).or_default() += 1;
        }
        let mut notes = HashMap::new();
        for label in defined {
            let k = key(label);
            let Some(&count) = counts.get(&k) else {
                continue;
            };
            if notes.contains_key(&k) {
                continue;
            }
            let base = clean(label);
            let id = ids.allocate(HeadingIds::Blog, Some(&format!("fn-{base}")), "");
            let ref_ids = (1..=count)
                .map(|n| {
                    let wanted = match n {
                        1 => format!("fnref-{base}"),
                        n => format!("fnref-{base}-{n}"),
                    };
                    ids.allocate(HeadingIds::Blog, Some(&wanted), "")
                })
                .collect();
            notes.insert(
                k,
                Note {
                    id,
                    ref_ids,
                    number: 0,
                    used: 0,
                    body: None,
                },
            );
        }
        Footnotes {
            notes,
            order: Vec::new(),
            open: None,
        }
    }

    /// The HTML for a reference to `label`: a numbered link to its note,
    /// or the text as written when no note has that label.
    pub fn reference(&mut self, label: &str) -> String {
        let k = key(label);
        let Some(note) = self.notes.get_mut(&k) else {
            return escape(&format!("[^{label}]"));
        };
        if note.number == 0 {
            self.order.push(k);
            note.number = self.order.len();
        }
        let ref_id = note
            .ref_ids
            .get(note.used)
            .or(note.ref_ids.last())
            .cloned()
            .unwrap_or_default();
        note.used += 1;
        format!(
            "<sup><a href=\"#{}\" id=\"{}\">{}</a></sup>",
            escape(&note.id),
            escape(&ref_id),
            note.number
        )
    }

    /// A definition of `label` starts at event `at` of the output.
    pub fn open(&mut self, label: &str, at: usize) {
        self.open = Some((key(label), at));
    }

    /// Where the open definition's events start in the output.
    pub fn open_at(&self) -> Option<usize> {
        self.open.as_ref().map(|(_, at)| *at)
    }

    /// The open definition ended: `body` is its events, taken out of the text.
    pub fn close(&mut self, body: Vec<Event<'e>>) {
        if let Some((k, _)) = self.open.take() {
            if let Some(note) = self.notes.get_mut(&k) {
                if note.body.is_none() {
                    note.body = Some(body);
                }
            }
        }
    }

    /// Every id the notes and references write, for the link checker.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .order
            .iter()
            .filter_map(|k| self.notes.get(k))
            .flat_map(|n| std::iter::once(n.id.clone()).chain(n.ref_ids.iter().cloned()))
            .collect();
        ids.sort();
        ids
    }

    /// The section of notes, in the order of their first reference; empty
    /// when nothing was referenced.
    pub fn section(&mut self) -> String {
        if self.order.is_empty() {
            return String::new();
        }
        let mut out =
            String::from("<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n");
        for k in &self.order {
            let Some(note) = self.notes.get_mut(k) else {
                continue;
            };
            let mut body = String::new();
            pulldown_cmark::html::push_html(&mut body, note.body.take().into_iter().flatten());
            let mut back = String::new();
            for (i, ref_id) in note.ref_ids.iter().enumerate() {
                let (label, mark) = match i {
                    0 => (note.number.to_string(), "\u{21a9}".to_string()),
                    n => (
                        format!("{}-{}", note.number, n + 1),
                        format!("\u{21a9}<sup>{}</sup>", n + 1),
                    ),
                };
                let _ = write!(
                    back,
                    " <a href=\"#{}\" class=\"footnote-backref\" aria-label=\"Back to reference {label}\">{mark}</a>",
                    escape(ref_id)
                );
            }
            let trimmed = body.trim_end();
            let body = match trimmed.strip_suffix("</p>") {
                Some(text) => format!("{text}{back}</p>"),
                None => format!("{trimmed}\n<p>{}</p>", back.trim_start()),
            };
            let _ = writeln!(out, "<li id=\"{}\">\n{body}\n</li>", escape(&note.id));
        }
        out.push_str("</ol>\n</section>\n");
        out
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(&mut out), text);
    out
}
