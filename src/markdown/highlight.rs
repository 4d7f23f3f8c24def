//! Code highlighting at build time: hand-written lexers for the languages
//! bloggers use most (`lex/`), syntect for every other one it knows. Each run of
//! text that one style covers becomes one `<span>` whose class names its colours in the
//! light and the dark theme (`h795da3-8fa1b3`); the stylesheet is generated
//! for the classes a build used. This keeps pages small (one short class a
//! token, no nesting) while following the reader's colour scheme.
//! A language neither knows gives escaped plain code, never an error;
//! a fence asking for line numbers or highlighted lines gets each line in a
//! span (`fence.rs`); a mermaid diagram is left for mermaid.js to draw.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use syntect::highlighting::{
    Color, FontStyle, Highlighter as ThemeHighlighter, Style, Theme, ThemeSet,
};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::diagnostics::Diagnostic;
use crate::markdown::cache::HighlightCache;
use crate::markdown::fence::{self, Fence};
use crate::markdown::lex::{self, Kind, Lang, KINDS, LANGS};

/// Blocks past these sizes are left plain: syntect's cost grows with line
/// length, and a generated or pasted blob is not worth seconds of build.
const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;
const MAX_HIGHLIGHT_LINE: usize = 4 * 1024;

/// The length of the longest of `code.lines()`, in bytes, found with
/// memchr: `lines()` set up a search per line, 1.6% of a cold build's
/// instructions.
fn longest_line(code: &str) -> usize {
    let bytes = code.as_bytes();
    let mut longest = 0;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for end in ends {
        let line = &bytes[start..end];
        // As `lines()`: a `\r` goes with the `\n` after it.
        let crlf = end < bytes.len() && line.last() == Some(&b'\r');
        longest = longest.max(line.len() - usize::from(crlf));
        start = (end + 1).min(bytes.len());
    }
    longest
}

pub const DEFAULT_LIGHT: &str = "InspiredGitHub";
pub const DEFAULT_DARK: &str = "base16-ocean.dark";

pub struct Highlighter {
    /// Loaded when a block first needs it: a site whose code is all in
    /// the lexers' languages never pays for it.
    syntaxes: OnceLock<SyntaxSet>,
    /// Whether the lexers highlight their languages (else syntect does).
    lexers: bool,
    /// The class of each kind of token in each lexer's language (by
    /// `Lang::index() * KINDS + kind`), found when first used.
    kind_classes: Box<[OnceLock<Option<Arc<str>>>]>,
    light: (String, Theme),
    dark: Option<(String, Theme)>,
    cache: Option<HighlightCache>,
    /// Rendered pages, beside the highlighted blocks.
    pages: Option<super::page_cache::PageCache>,
    /// Names this highlighter in each thread's `STYLES`.
    id: u64,
}

/// Class by scope stack.
type Styles = HashMap<Vec<Scope>, Option<Arc<str>>, BuildHasherDefault<ScopeHasher>>;

thread_local! {
    /// Each thread's classes by scope stack for one highlighter (by its
    /// `id`), filled as stacks are met: a token's lookup takes no lock.
    static STYLES: RefCell<(u64, Styles)> = RefCell::new((0, Styles::default()));
}

/// The ids of highlighters, from 1 (0 is no highlighter's).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A hash for scope stacks (a few 64-bit words), cheaper than the
/// standard SipHash, which a stack looked up for every token made costly.
/// The keys are scopes from grammars and themes, not from a reader.
#[derive(Default)]
struct ScopeHasher(u64);

impl Hasher for ScopeHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// The default light and dark themes.
    pub fn new() -> Self {
        let mut themes = ThemeSet::load_defaults().themes;
        let mut take = |name: &str| (name.to_string(), themes.remove(name).unwrap_or_default());
        let light = take(DEFAULT_LIGHT);
        let dark = take(DEFAULT_DARK);
        Highlighter {
            syntaxes: OnceLock::new(),
            lexers: true,
            kind_classes: kind_classes(),
            light,
            dark: Some(dark),
            cache: None,
            pages: None,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The themes named in config.toml; `dark` may be empty for none.
    pub fn with_themes(light: &str, dark: &str) -> Result<Self, Diagnostic> {
        let mut themes = ThemeSet::load_defaults().themes;
        let mut names: Vec<String> = themes.keys().cloned().collect();
        names.sort();
        let mut take = |name: &str| {
            themes
                .remove(name)
                .map(|t| (name.to_string(), t))
                .ok_or_else(|| {
                    Diagnostic::new(
                        crate::config::CONFIG_FILE,
                        format!("unknown highlight theme `{name}`"),
                    )
                    .hint(format!("choose one of: {}", names.join(", ")))
                })
        };
        let light = take(light)?;
        let dark = if dark.is_empty() {
            None
        } else {
            Some(take(dark)?)
        };
        Ok(Highlighter {
            light,
            dark,
            ..Self::new()
        })
    }

    /// The light and dark theme names.
    pub fn themes(&self) -> (&str, &str) {
        (
            &self.light.0,
            self.dark.as_ref().map_or("", |d| d.0.as_str()),
        )
    }

    /// Whether this highlighter uses these themes (so it can be reused).
    pub fn has_themes(&self, light: &str, dark: &str) -> bool {
        self.light.0 == light && self.dark.as_ref().map_or("", |d| d.0.as_str()) == dark
    }

    /// Remembers highlighted blocks in `cache`.
    pub fn cached(mut self, cache: HighlightCache) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Remembers rendered pages in `pages` (`render::render_cached`).
    pub fn cached_pages(mut self, pages: super::page_cache::PageCache) -> Self {
        self.pages = Some(pages);
        self
    }

    /// Saves the caches, if there are any. A failure only costs speed next
    /// time.
    pub fn save_cache(&self) -> std::io::Result<()> {
        if let Some(pages) = &self.pages {
            pages.save()?;
        }
        match &self.cache {
            Some(cache) => cache.save(),
            None => Ok(()),
        }
    }

    /// The language named by a fence's info string (see `fence::parse`).
    pub fn language(info: &str) -> &str {
        fence::parse(info).language
    }

    /// syntect alone, for every language: the highlighter blog had before
    /// its lexers, kept to compare the two (`examples/highlight_bench.rs`).
    #[doc(hidden)]
    pub fn syntect_only(mut self) -> Self {
        self.lexers = false;
        self
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    fn find(&self, language: &str) -> Option<Engine<'_>> {
        let token = match language.to_ascii_lowercase().as_str() {
            "" | "text" | "plain" | "txt" | "plaintext" => return None,
            "shell" | "console" | "zsh" | "sh" | "shell-session" => "bash".to_string(),
            "golang" => "go".to_string(),
            "jsonc" | "json5" => "json".to_string(),
            "py3" => "python".to_string(),
            other => other.to_string(),
        };
        if let Some(lang) = Lang::find(&token).filter(|_| self.lexers) {
            return Some(Engine::Lex(lang));
        }
        self.syntaxes()
            .find_syntax_by_token(&token)
            .map(Engine::Syntect)
    }

    /// `<pre><code>` for a fenced block, highlighted when the language is known.
    pub fn block(&self, info: &str, code: &str) -> String {
        self.block_noting(info, code, &mut BTreeSet::new())
    }

    /// `block`, adding the classes it used to `classes` (for the stylesheet).
    pub fn block_noting(&self, info: &str, code: &str, classes: &mut BTreeSet<String>) -> String {
        self.block_keyed(info, code, classes, &mut Vec::new())
    }

    /// `block_noting`, adding the cache key of a highlighted block to `keys`.
    pub fn block_keyed(
        &self,
        info: &str,
        code: &str,
        classes: &mut BTreeSet<String>,
        keys: &mut Vec<crate::markdown::cache::Key>,
    ) -> String {
        let fence = fence::parse(info);
        if is_diagram(fence.language) {
            return diagram(code);
        }
        let highlighted = self
            .find(fence.language)
            .filter(|_| code.len() <= MAX_HIGHLIGHT_BYTES)
            .filter(|_| longest_line(code) <= MAX_HIGHLIGHT_LINE)
            .and_then(|engine| match &self.cache {
                Some(cache) => {
                    let key = HighlightCache::key(&self.cache_salt(engine), code);
                    keys.push(key);
                    cache.get_or_make(key, || self.highlight(engine, code))
                }
                None => self.highlight(engine, code).map(Arc::from),
            });
        if let Some(html) = &highlighted {
            note_classes(html, classes);
        }
        wrap(&fence, code, highlighted.as_deref())
    }

    /// The same block without highlighting.
    pub fn plain_block(info: &str, code: &str) -> String {
        let fence = fence::parse(info);
        if is_diagram(fence.language) {
            return diagram(code);
        }
        wrap(&fence, code, None)
    }

    /// The caches of blocks and of pages, when the build has them.
    pub fn caches(&self) -> Option<(&HighlightCache, &super::page_cache::PageCache)> {
        Some((self.cache.as_ref()?, self.pages.as_ref()?))
    }

    /// What besides the markdown decides a rendered page: the engines
    /// and the themes.
    pub fn settings(&self) -> String {
        let dark = self.dark.as_ref().map_or("", |d| d.0.as_str());
        let engine = if self.lexers { LEXERS } else { "syntect" };
        format!("{engine}\0{}\0{dark}", self.light.0)
    }

    /// What besides the code decides the cached HTML.
    fn cache_salt(&self, engine: Engine) -> String {
        let dark = self.dark.as_ref().map_or("", |d| d.0.as_str());
        let syntax = match engine {
            Engine::Lex(lang) => format!("{LEXERS} {}", lang.name()),
            Engine::Syntect(syntax) => syntax.name.clone(),
        };
        format!("{syntax}\0{}\0{dark}", self.light.0)
    }

    fn highlight(&self, engine: Engine, code: &str) -> Option<String> {
        match engine {
            Engine::Lex(lang) => Some(self.highlight_lex(lang, code)),
            Engine::Syntect(syntax) => self.highlight_syntect(syntax, code),
        }
    }

    fn highlight_lex(&self, lang: Lang, code: &str) -> String {
        let mut out = String::with_capacity(code.len() * 2);
        // The class of the open span, as a pointer into `kind_classes`:
        // tokens of kinds with the same colours share one span.
        let mut open: Option<&str> = None;
        lex::lex(lang, code, &mut |kind, text| {
            let class = self.kind_class(lang, kind);
            if class != open {
                if open.is_some() {
                    out.push_str("</span>");
                }
                if let Some(c) = class {
                    out.push_str("<span class=\"");
                    out.push_str(c);
                    out.push_str("\">");
                }
                open = class;
            }
            escape_into(&mut out, text);
        });
        if open.is_some() {
            out.push_str("</span>");
        }
        out
    }

    /// The class of a kind of token in `lang`, from the themes once.
    fn kind_class(&self, lang: Lang, kind: Kind) -> Option<&str> {
        self.kind_classes[lang.index() * KINDS + kind as usize]
            .get_or_init(|| self.resolve_class(&lang.scopes()[kind as usize]))
            .as_deref()
    }

    fn highlight_syntect(&self, syntax: &SyntaxReference, code: &str) -> Option<String> {
        let mut parse = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = String::with_capacity(code.len() * 2);
        let mut run = Run::default();
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, self.syntaxes()).ok()?;
            let mut pos = 0;
            for (at, op) in &ops {
                let at = (*at).min(line.len());
                if at > pos {
                    run.push(&mut out, self.class_for(&stack.scopes), &line[pos..at]);
                    pos = at;
                }
                stack.apply(op).ok()?;
            }
            if pos < line.len() {
                run.push(&mut out, self.class_for(&stack.scopes), &line[pos..]);
            }
        }
        run.close(&mut out);
        Some(out)
    }

    /// The class for text under a scope stack. Matching a stack against a
    /// theme's selectors is costly and stacks repeat endlessly, so each
    /// distinct stack is resolved once per thread (`STYLES`).
    fn class_for(&self, scopes: &[Scope]) -> Option<Arc<str>> {
        let local = STYLES.with(|cell| {
            let mut cell = cell.try_borrow_mut().ok()?;
            if cell.0 != self.id {
                *cell = (self.id, Styles::default());
            }
            if let Some(found) = cell.1.get(scopes) {
                return Some(found.clone());
            }
            let found = self.resolve_class(scopes);
            cell.1.insert(scopes.to_vec(), found.clone());
            Some(found)
        });
        local.unwrap_or_else(|| self.resolve_class(scopes))
    }

    /// The class for a scope stack, from the themes.
    fn resolve_class(&self, scopes: &[Scope]) -> Option<Arc<str>> {
        let light = ThemeHighlighter::new(&self.light.1);
        let dark = self.dark.as_ref().map(|d| {
            let h = ThemeHighlighter::new(&d.1);
            (h.style_for_stack(scopes), h.get_default())
        });
        class_name(light.style_for_stack(scopes), light.get_default(), dark).map(Arc::from)
    }

    /// The stylesheet for `classes` (those the site's code blocks used): the
    /// light colours, and the dark ones under `prefers-color-scheme: dark`.
    pub fn stylesheet(&self, classes: &BTreeSet<String>) -> String {
        let mut out =
            String::from("/* Generated by blog from the configured highlight themes. */\n");
        // Every colour is made readable on the theme's background (WCAG AA:
        // a contrast of 4.5:1); the themes' comments and some keywords fall
        // short of it.
        let block_rule = |out: &mut String, theme: &Theme| -> Color {
            let s = &theme.settings;
            let bg = s.background.unwrap_or(Color::WHITE);
            let _ = write!(out, ".code {{");
            if let Some(fg) = s.foreground {
                let _ = write!(out, " color: {};", css_color(readable(fg, bg)));
            }
            if let Some(bg) = s.background {
                let _ = write!(out, " background-color: {};", css_color(bg));
            }
            out.push_str(" }\n");
            bg
        };
        let bg = block_rule(&mut out, &self.light.1);
        for class in classes {
            if let Some(light) = class
                .strip_prefix('h')
                .map(|c| c.split('-').next().unwrap_or(""))
            {
                let _ = writeln!(out, ".{class} {{ {} }}", declarations(light, bg));
            }
        }
        if let Some((_, dark)) = &self.dark {
            out.push_str("@media (prefers-color-scheme: dark) {\n");
            let bg = block_rule(&mut out, dark);
            for class in classes {
                if let Some(code) = class.split('-').nth(1) {
                    let _ = writeln!(out, ".{class} {{ {} }}", declarations(code, bg));
                }
            }
            out.push_str("}\n");
        }
        out
    }
}

/// What highlights a block.
#[derive(Clone, Copy)]
enum Engine<'a> {
    Lex(Lang),
    Syntect(&'a SyntaxReference),
}

/// Names the lexers in cache keys: changes whenever what they make could.
const LEXERS: &str = "lexers 1";

fn kind_classes() -> Box<[OnceLock<Option<Arc<str>>>]> {
    (0..LANGS.len() * KINDS).map(|_| OnceLock::new()).collect()
}

/// Adds the class of every `<span>` in highlighted HTML to `classes`.
fn note_classes(html: &str, classes: &mut BTreeSet<String>) {
    const OPEN: &str = "<span class=\"";
    let finder = memchr::memmem::Finder::new(OPEN);
    let mut rest = html;
    while let Some(i) = finder.find(rest.as_bytes()) {
        rest = &rest[i + OPEN.len()..];
        if let Some(end) = rest.find('"') {
            if !classes.contains(&rest[..end]) {
                classes.insert(rest[..end].to_string());
            }
            rest = &rest[end..];
        }
    }
}

/// The open `<span>` of consecutive text with one class, so neighbours with
/// the same colours share a span.
#[derive(Default)]
struct Run {
    class: Option<Arc<str>>,
}

impl Run {
    fn push(&mut self, out: &mut String, class: Option<Arc<str>>, text: &str) {
        if class != self.class {
            self.close(out);
            if let Some(c) = &class {
                out.push_str("<span class=\"");
                out.push_str(c);
                out.push_str("\">");
            }
            self.class = class;
        }
        escape_into(out, text);
    }

    fn close(&mut self, out: &mut String) {
        if self.class.take().is_some() {
            out.push_str("</span>");
        }
    }
}

/// `h` + the light style code, `-` + the dark one; none for default text.
fn class_name(light: Style, light_default: Style, dark: Option<(Style, Style)>) -> Option<String> {
    let is_default = |s: Style, d: Style| s.foreground == d.foreground && s.font_style.is_empty();
    let plain = is_default(light, light_default) && dark.is_none_or(|(s, d)| is_default(s, d));
    if plain {
        return None;
    }
    let mut name = format!("h{}", style_code(light));
    if let Some((style, _)) = dark {
        let _ = write!(name, "-{}", style_code(style));
    }
    Some(name)
}

/// `rrggbb[aa]` then `w`, `i`, `u` for bold (weight), italic, underline:
/// letters that are not hex digits.
fn style_code(style: Style) -> String {
    let c = style.foreground;
    let mut code = format!("{:02x}{:02x}{:02x}", c.r, c.g, c.b);
    if c.a != 0xff {
        let _ = write!(code, "{:02x}", c.a);
    }
    for (flag, letter) in [
        (FontStyle::BOLD, 'w'),
        (FontStyle::ITALIC, 'i'),
        (FontStyle::UNDERLINE, 'u'),
    ] {
        if style.font_style.contains(flag) {
            code.push(letter);
        }
    }
    code
}

/// The smallest contrast WCAG AA asks of text: 4.5:1.
const MIN_CONTRAST: f64 = 4.5;

/// WCAG 2 relative luminance.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` laid over `bg` (for a colour with alpha), then moved towards black
/// on a light background or white on a dark one, in steps of 2%, until it
/// reads at `MIN_CONTRAST`: the same hue, only as dark or light as needed.
fn readable(fg: Color, bg: Color) -> Color {
    let alpha = f64::from(fg.a) / 255.0;
    let blend = |f: u8, b: u8| (f64::from(f) * alpha + f64::from(b) * (1.0 - alpha)).round() as u8;
    let solid = Color {
        r: blend(fg.r, bg.r),
        g: blend(fg.g, bg.g),
        b: blend(fg.b, bg.b),
        a: 0xff,
    };
    let target = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mix = |v: u8, t: f64| (f64::from(v) + (target - f64::from(v)) * t).round() as u8;
    (0..=50)
        .map(|step| {
            let t = f64::from(step) / 50.0;
            Color {
                r: mix(solid.r, t),
                g: mix(solid.g, t),
                b: mix(solid.b, t),
                a: 0xff,
            }
        })
        .find(|c| contrast(*c, bg) >= MIN_CONTRAST)
        .unwrap_or(solid)
}

/// CSS declarations for a style code made by `style_code`, its colour made
/// readable on `bg`.
fn declarations(code: &str, bg: Color) -> String {
    let hex_len = code
        .find(|c: char| !c.is_ascii_hexdigit())
        .unwrap_or(code.len());
    let (hex, flags) = code.split_at(hex_len);
    let byte = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    let color = match (byte(0), byte(2), byte(4)) {
        (Some(r), Some(g), Some(b)) => css_color(readable(
            Color {
                r,
                g,
                b,
                a: byte(6).unwrap_or(0xff),
            },
            bg,
        )),
        _ => format!("#{hex}"),
    };
    format!(
        "color: {color}; font-weight: {}; font-style: {}; text-decoration: {};",
        if flags.contains('w') {
            "bold"
        } else {
            "normal"
        },
        if flags.contains('i') {
            "italic"
        } else {
            "normal"
        },
        if flags.contains('u') {
            "underline"
        } else {
            "none"
        },
    )
}

fn css_color(c: Color) -> String {
    if c.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

fn wrap(fence: &Fence, code: &str, highlighted: Option<&str>) -> String {
    let language = fence.language;
    let mut out = String::with_capacity(code.len() * 2 + 64);
    // Focusable, so a block wider than the screen can be scrolled with the
    // keyboard.
    out.push_str("<pre class=\"code\" tabindex=\"0\"");
    if !language.is_empty() {
        out.push_str(" data-lang=\"");
        escape_into(&mut out, language);
        out.push('"');
    }
    out.push_str("><code");
    if !language.is_empty() {
        out.push_str(" class=\"language-");
        escape_into(&mut out, language);
        out.push('"');
    }
    out.push('>');
    match (highlighted, fence.annotated()) {
        (Some(html), false) => out.push_str(html),
        (None, false) => escape_into(&mut out, code),
        (Some(html), true) => out.push_str(&fence::lines(fence, html)),
        (None, true) => {
            let mut escaped = String::with_capacity(code.len() + 16);
            escape_into(&mut escaped, code);
            out.push_str(&fence::lines(fence, &escaped));
        }
    }
    out.push_str("</code></pre>\n");
    out
}

/// Diagram languages that a script in the page draws from the block's text.
fn is_diagram(language: &str) -> bool {
    language.eq_ignore_ascii_case("mermaid")
}

/// Whether a fence's info string (` ```mermaid `, ` ```{.mermaid} `) is a
/// diagram's, for the theme's script.
pub fn is_diagram_fence(info: &str) -> bool {
    is_diagram(fence::parse(info).language)
}

/// A diagram's text as mermaid.js reads it: `<pre class="mermaid">`, the text
/// escaped and otherwise untouched, no `<code>` inside.
fn diagram(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 32);
    // Focusable, as every code block is: a wide diagram scrolls.
    out.push_str("<pre class=\"mermaid\" tabindex=\"0\">");
    escape_into(&mut out, code);
    out.push_str("</pre>\n");
    out
}

/// `text` escaped as `pulldown_cmark_escape::escape_html` does (`<`, `>`,
/// `&`, `"`, `'`). Most tokens are a few bytes with none of those, and for
/// them that call's set-up was most of its cost (136 instructions a token,
/// 2% of a cold build's): such a token is copied as it is.
fn escape_into(out: &mut String, text: &str) {
    const SHORT: usize = 16;
    if text.len() < SHORT
        && !text
            .bytes()
            .any(|b| matches!(b, b'<' | b'>' | b'&' | b'"' | b'\''))
    {
        out.push_str(text);
        return;
    }
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// The names of the themes a site can choose.
pub fn theme_names() -> Vec<String> {
    let mut names: Vec<String> = ThemeSet::load_defaults().themes.into_keys().collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_as_pulldown_cmark_escapes_them() {
        let mut texts: Vec<String> = [
            "",
            "x",
            "fn",
            "<",
            ">",
            "&",
            "\"",
            "'",
            "a<b",
            "&amp;",
            "it's",
            "\"quoted\"",
            "fifteen bytes.",
            "sixteen bytes..!",
            "<<<<<<<<<<<<<<<",
            "é",
            "日本語",
            "\t\n",
            "a long token with no specials at all in it",
            "a long one with a < and a '",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every length around the short path's bound, with and without a
        // character to escape at each end.
        for len in 0..20 {
            let plain = "a".repeat(len);
            texts.push(plain.clone());
            texts.push(format!("<{plain}"));
            texts.push(format!("{plain}'"));
        }
        for text in texts {
            let mut ours = String::from("kept:");
            escape_into(&mut ours, &text);
            let mut theirs = String::from("kept:");
            pulldown_cmark_escape::escape_html(&mut theirs, &text).expect("string");
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn longest_line_agrees_with_lines() {
        let by_lines = |code: &str| code.lines().map(str::len).max().unwrap_or(0);
        for code in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "ab\nc",
            "a\nbcd\n",
            "abc\r\nd",
            "abc\r",
            "\r\n",
            "\r\r\n",
            "x\r\n\r\nlonger line\r\n",
            "é\nzz",
            "a\rbc\n",
        ] {
            assert_eq!(longest_line(code), by_lines(code), "{code:?}");
        }
        let long = format!("a\n{}\nb", "x".repeat(MAX_HIGHLIGHT_LINE + 1));
        assert_eq!(longest_line(&long), MAX_HIGHLIGHT_LINE + 1);
    }

    #[test]
    fn mermaid_is_left_for_mermaid_js_to_draw() {
        let h = Highlighter::new();
        let text = "graph TD\n  A[\"<b>x</b>\"] --> B & C\n";
        let expected = "<pre class=\"mermaid\" tabindex=\"0\">graph TD\n  A[&quot;&lt;b&gt;x&lt;/b&gt;&quot;] --&gt; B &amp; C\n</pre>\n";
        assert_eq!(h.block("mermaid", text), expected);
        assert_eq!(h.block("{.mermaid}", text), expected);
        assert_eq!(Highlighter::plain_block("mermaid", text), expected);
    }

    #[test]
    fn attributes_after_the_language_keep_its_highlighting_and_classes() {
        let h = Highlighter::new();
        let plain = h.block("python", "x = 1\n");
        for info in [
            "python title=\"x.py\"",
            "{.python}",
            "python,ignore",
            "python {style=emacs}",
        ] {
            assert_eq!(h.block(info, "x = 1\n"), plain, "{info}");
        }
        let numbered = h.block("python {linenos=true hl_lines=[2]}", "x = 1\ny = 2\n");
        assert!(numbered.contains("class=\"language-python\""));
        assert!(
            numbered
                .contains("<span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">1</span>"),
            "{numbered}"
        );
        assert!(
            numbered.contains(
                "<span class=\"line hl\"><span class=\"ln\" aria-hidden=\"true\">2</span>"
            ),
            "{numbered}"
        );
        assert_eq!(
            strip_tags(&numbered).replace(['1', '2'], ""),
            strip_tags(&h.block("python", "x = \ny = \n")).replace(['1', '2'], "")
        );
        let unknown = h.block("nope,hl_lines=1", "a < b\n");
        assert!(
            unknown.contains("<span class=\"line hl\">a &lt; b</span>\n"),
            "{unknown}"
        );
    }

    #[test]
    fn info_strings_name_the_language() {
        assert_eq!(Highlighter::language("rust,ignore"), "rust");
        assert_eq!(Highlighter::language("toml,name=x"), "toml");
        assert_eq!(Highlighter::language("{.python}"), "python");
        assert_eq!(Highlighter::language("rust="), "rust");
        assert_eq!(Highlighter::language("c++"), "c++");
        assert_eq!(Highlighter::language(""), "");
    }

    #[test]
    fn known_languages_get_compact_classes_and_unknown_stay_plain() {
        let h = Highlighter::new();
        let rust = h.block("rust", "fn main() { let x = \"<b>\"; }\n");
        assert!(rust.contains("class=\"language-rust\""));
        assert!(rust.contains("<span class=\"h"), "{rust}");
        assert!(rust.contains("&lt;b&gt;"), "{rust}");
        assert!(!rust.contains("<span class=\"h\">"));
        let text: String = strip_tags(&rust);
        assert_eq!(text, "fn main() { let x = &quot;&lt;b&gt;&quot;; }\n");
        let unknown = h.block("brainfuck", "+[<]\n");
        assert_eq!(
            unknown,
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"brainfuck\"><code class=\"language-brainfuck\">+[&lt;]\n</code></pre>\n"
        );
        assert!(h.block("c++", "int x;\n").contains("<span class=\"h"));
    }

    fn strip_tags(html: &str) -> String {
        let inner = &html[html
            .find("<code")
            .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
            .unwrap_or(0)..];
        let inner = inner.trim_end_matches("</code></pre>\n");
        let mut out = String::new();
        let mut tag = false;
        for c in inner.chars() {
            match c {
                '<' => tag = true,
                '>' if tag => tag = false,
                _ if !tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn colours_are_made_readable_on_their_background() {
        let rgb = |r, g, b| Color { r, g, b, a: 0xff };
        let (white, dark) = (rgb(0xff, 0xff, 0xff), rgb(0x2b, 0x30, 0x3b));
        // A comment grey on white and a red on a dark blue, as the default
        // themes have them: too faint, so darkened or lightened to 4.5:1.
        for (fg, bg) in [
            (rgb(0x96, 0x98, 0x96), white),
            (rgb(0xbf, 0x61, 0x6a), dark),
        ] {
            assert!(contrast(fg, bg) < MIN_CONTRAST);
            let fixed = readable(fg, bg);
            assert!(contrast(fixed, bg) >= MIN_CONTRAST, "{fixed:?}");
            assert!(
                contrast(fixed, bg) < MIN_CONTRAST + 0.5,
                "no darker than needed"
            );
            let lighter = luminance(fixed) > luminance(fg);
            assert_eq!(
                lighter,
                bg == dark,
                "towards white only on a dark background"
            );
        }
        // A colour that reads well is left as it is.
        let navy = rgb(0x18, 0x36, 0x91);
        assert_eq!(readable(navy, white), navy);
        // Half-transparent: laid over the background first.
        let faint = Color {
            r: 0,
            g: 0,
            b: 0,
            a: 0x40,
        };
        assert!(contrast(readable(faint, white), white) >= MIN_CONTRAST);
        assert!(declarations("969896i", white).starts_with("color: #"));
        assert!(!declarations("969896i", white).contains("#969896"));
    }

    #[test]
    fn stylesheet_covers_used_classes_in_both_schemes() {
        let h = Highlighter::new();
        let mut classes = BTreeSet::new();
        let html = h.block_noting("rust", "fn main() {}\n", &mut classes);
        let css = h.stylesheet(&classes);
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        let first = html
            .split("<span class=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a class");
        assert_eq!(css.matches(&format!(".{first} {{")).count(), 2, "{css}");
        let light_only = Highlighter::with_themes("InspiredGitHub", "").expect("themes exist");
        let mut classes = BTreeSet::new();
        light_only.block_noting("rust", "fn main() {}\n", &mut classes);
        assert!(!light_only.stylesheet(&classes).contains("@media"));
    }

    #[test]
    fn highlighters_with_other_themes_keep_their_own_classes_on_one_thread() {
        // Each thread remembers one highlighter's classes at a time; taking
        // turns on a thread must not give one the other's colours.
        let code = "fn main() { let s = \"x\"; } // note\n";
        let solo = |light: &str, dark: &str| {
            std::thread::scope(|s| {
                s.spawn(|| {
                    Highlighter::with_themes(light, dark)
                        .expect("themes exist")
                        .block("rust", code)
                })
                .join()
                .expect("no panic")
            })
        };
        let github = solo("InspiredGitHub", "");
        let ocean = solo("base16-ocean.dark", "Solarized (light)");
        assert_ne!(github, ocean);
        let a = Highlighter::with_themes("InspiredGitHub", "").expect("themes exist");
        let b = Highlighter::with_themes("base16-ocean.dark", "Solarized (light)")
            .expect("themes exist");
        for _ in 0..2 {
            assert_eq!(a.block("rust", code), github);
            assert_eq!(b.block("rust", code), ocean);
        }
    }

    #[test]
    fn unknown_themes_are_config_errors() {
        let err = Highlighter::with_themes("Nope", "")
            .err()
            .expect("unknown theme");
        assert!(err.hint.unwrap_or_default().contains("InspiredGitHub"));
        assert!(Highlighter::with_themes("InspiredGitHub", "Nope").is_err());
    }

    /// A snippet in each language the lexers highlight, with a token the
    /// themes colour.
    const SNIPPETS: &[(&str, &str)] = &[
        ("rust", "// note\nfn add(a: u32) -> u32 { a + 1 }\n"),
        ("python", "def f(x):\n    return x * 2  # twice\n"),
        ("js", "const f = (x) => `${x} <b>`;\n"),
        ("sh", "for f in *.md; do echo \"$f\"; done\n"),
        ("go", "func f(x int) int {\n\treturn x + 1\n}\n"),
        ("c", "static int f(const int *x) { return *x; }\n"),
        (
            "html",
            "<p class=\"x\">a &amp; b</p>\n<script>let x = 1;</script>\n",
        ),
        ("css", "a:hover { color: #fff; margin: 0 auto; }\n"),
        ("json", "{\"a\": [1, true, null, \"s\"]}\n"),
        ("yaml", "title: \"x\"\ntags: [a, b]\ncount: 3\n"),
        (
            "sql",
            "SELECT id, count(*) FROM users WHERE name = 'x' -- y\n",
        ),
        ("toml", "[site]\ntitle = \"x\" # y\ncount = 3\n"),
    ];

    /// The text of a block with its tags removed, entities as written.
    fn escaped(code: &str) -> String {
        let mut out = String::new();
        escape_into(&mut out, code);
        out
    }

    #[test]
    fn the_lexers_languages_are_highlighted_with_the_same_kind_of_classes() {
        let h = Highlighter::new();
        for (lang, code) in SNIPPETS {
            assert!(
                matches!(h.find(lang), Some(Engine::Lex(_))),
                "{lang} is a lexer's"
            );
            let mut classes = BTreeSet::new();
            let html = h.block_noting(lang, code, &mut classes);
            assert_eq!(strip_tags(&html), escaped(code), "{lang}: {html}");
            assert!(!classes.is_empty(), "{lang} has coloured tokens: {html}");
            let css = h.stylesheet(&classes);
            for class in &classes {
                let code = class.strip_prefix('h').expect("h + light-dark");
                let (light, dark) = code.split_once('-').expect("a dark half");
                assert!(light.len() >= 6 && dark.len() >= 6, "{class}");
                assert_eq!(css.matches(&format!(".{class} {{")).count(), 2, "{class}");
            }
        }
    }

    #[test]
    fn the_lexers_colour_tokens_as_syntect_does() {
        // The same token kinds get the same theme colours from either
        // engine: a Rust keyword, a Python comment, a JSON string.
        let lexers = Highlighter::new();
        let syntect = Highlighter::new().syntect_only();
        let class_of = |h: &Highlighter, lang: &str, code: &str, token: &str| {
            let html = h.block(lang, code);
            let at = html
                .find(token)
                .unwrap_or_else(|| panic!("{token} in {html}"));
            let open = html[..at].rfind("<span class=\"").expect("a span");
            assert!(
                !html[open..at].contains("</span>"),
                "{token} is in a span: {html}"
            );
            let class = &html[open + 13..];
            class[..class.find('"').expect("a class")].to_string()
        };
        for (lang, code, token) in [
            ("rust", "fn main() { while true {} }\n", "while"),
            ("python", "x = 1  # one\n", "# one"),
            ("c", "int main(void) { return 0; }\n", "return"),
            ("sql", "SELECT id FROM users WHERE id = 1;\n", "SELECT"),
            ("sql", "SELECT 1; -- one\n", "-- one"),
        ] {
            assert_eq!(
                class_of(&lexers, lang, code, token),
                class_of(&syntect, lang, code, token),
                "{lang} {token}"
            );
        }
    }

    #[test]
    fn html_highlights_the_script_and_style_inside() {
        let h = Highlighter::new();
        let html = h.block("html", "<script>\nconst x = \"<a>\";\n</script>\n");
        assert!(html.contains(">const<"), "{html}");
        assert!(html.contains("&lt;a&gt;"), "{html}");
    }

    #[test]
    fn broken_and_odd_code_keeps_its_text_in_every_language() {
        let h = Highlighter::new();
        let odd = [
            "fn (((\n\"unterminated\n",
            "}}}} ]] )) <<< >>>\n",
            "\u{feff}x = «ünïcødé» 🚀 \u{0}\r\n\ttab\r\n",
            "",
            "no newline at the end",
            "/* open comment\n",
        ];
        for (lang, _) in SNIPPETS {
            for code in odd {
                let html = h.block(lang, code);
                assert_eq!(strip_tags(&html), escaped(code), "{lang} {code:?}: {html}");
            }
        }
    }

    #[test]
    fn languages_the_lexers_lack_are_syntect_s_and_unknown_ones_plain() {
        let h = Highlighter::new();
        for lang in ["ruby", "c++", "java"] {
            assert!(matches!(h.find(lang), Some(Engine::Syntect(_))), "{lang}");
            assert!(
                h.block(lang, "SELECT 1; -- x\n")
                    .contains("<span class=\"h"),
                "{lang}"
            );
        }
        // TOML is the lexers' alone: syntect has no syntax for it.
        assert!(matches!(h.find("toml"), Some(Engine::Lex(Lang::Toml))));
        assert!(Highlighter::new().syntect_only().find("toml").is_none());
        assert!(h.find("klingon").is_none());
        let syntect = Highlighter::new().syntect_only();
        assert!(matches!(syntect.find("rust"), Some(Engine::Syntect(_))));
        for (lang, code) in SNIPPETS {
            assert_eq!(
                strip_tags(&syntect.block(lang, code)),
                strip_tags(&h.block(lang, code)),
                "{lang}"
            );
        }
    }

    #[test]
    fn line_numbers_and_marked_lines_split_the_lexers_spans() {
        let h = Highlighter::new();
        let code = "/* one\ntwo */\nfn x() {}\n";
        let html = h.block("rust {linenos=true hl_lines=[2]}", code);
        assert_eq!(html.matches("<span class=\"ln\"").count(), 3, "{html}");
        assert!(html.contains("<span class=\"line hl\">"), "{html}");
        // Every line's markup is closed on its own line.
        for line in html.lines().filter(|l| l.contains("class=\"line")) {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
    }

    #[test]
    fn class_codes_round_trip_to_css() {
        assert_eq!(
            declarations("a1b2c3wi", Color::BLACK),
            "color: #a1b2c3; font-weight: bold; font-style: italic; text-decoration: none;"
        );
        assert_eq!(
            declarations("a1b2c3", Color::BLACK),
            "color: #a1b2c3; font-weight: normal; font-style: normal; text-decoration: none;"
        );
    }
}
