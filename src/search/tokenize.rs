//! Text into search terms, the same way for the index and for the
//! browser's queries (`themes/default/static/search.js` repeats these
//! rules): words split on Unicode word boundaries (UAX #29), NFD with the
//! combining diacritical marks (U+0300–U+036F) dropped, lowercased, `’`
//! written `'`. Chinese, Japanese and Korean text has no spaces to split
//! on, so a run of CJK characters gives each character and each adjacent
//! pair (bigram) as terms; a query of two or more CJK characters needs all
//! its bigrams, one of a single character needs the character.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Longer words (base64, hashes, long URLs) are not indexed.
pub const MAX_WORD: usize = 40;

/// Whether `c` is written without spaces between words: Han, Hiragana,
/// Katakana (full and half width) and Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF
        | 0x3040..=0x30FF
        | 0x3130..=0x318F
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x2FA1F)
}

/// A piece of text: a normalised word, or a run of adjacent CJK characters.
#[derive(Debug, PartialEq)]
pub enum Piece {
    Word(String),
    Cjk(Vec<char>),
}

/// What `walk` finds: a normalised word, or a CJK character with the one
/// before it in the same run, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Token<'a> {
    Word(&'a str),
    Cjk(char, Option<char>),
}

/// Calls `each` with the tokens of `text`, in order, allocating only for
/// words that need lowercasing or normalising.
pub fn walk(text: &str, mut each: impl FnMut(Token<'_>)) {
    let mut buf = String::new();
    let mut plain = String::new();
    // The last CJK character and where it ended, to join adjacent ones.
    let mut last_cjk: Option<(char, usize)> = None;
    for (start, word) in text.unicode_word_indices() {
        if word.is_ascii() {
            emit_word(word, &mut buf, &mut each);
            continue;
        }
        plain.clear();
        for (offset, c) in word.char_indices() {
            let at = start + offset;
            if is_cjk(c) {
                if !plain.is_empty() {
                    emit_word(&plain, &mut buf, &mut each);
                    plain.clear();
                }
                let before = last_cjk.filter(|&(_, end)| end == at).map(|(p, _)| p);
                each(Token::Cjk(c, before));
                last_cjk = Some((c, at + c.len_utf8()));
            } else {
                plain.push(c);
            }
        }
        if !plain.is_empty() {
            emit_word(&plain, &mut buf, &mut each);
        }
    }
}

fn emit_word(word: &str, buf: &mut String, each: &mut impl FnMut(Token<'_>)) {
    let normal: &str = if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            buf.clear();
            buf.push_str(word);
            buf.make_ascii_lowercase();
            buf
        } else {
            word
        }
    } else {
        *buf = normalize(word);
        buf
    };
    if !normal.is_empty() && normal.chars().nth(MAX_WORD).is_none() {
        each(Token::Word(normal));
    }
}

/// The words and CJK runs of `text`, in order.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    walk(text, |token| match token {
        Token::Word(word) => out.push(Piece::Word(word.to_string())),
        Token::Cjk(c, before) => match out.last_mut() {
            Some(Piece::Cjk(run)) if before.is_some() => run.push(c),
            _ => out.push(Piece::Cjk(vec![c])),
        },
    });
    out
}

/// NFD, combining diacritical marks dropped, lowercased, `’` as `'`.
pub fn normalize(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let stripped: String = word
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36F}').contains(c))
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .collect();
    stripped.to_lowercase()
}

/// Every term of `text` for the index, once per occurrence: each word;
/// each CJK character and each adjacent pair.
pub fn index_terms(text: &str, mut each: impl FnMut(&str)) {
    let mut bytes = [0u8; 8];
    walk(text, |token| match token {
        Token::Word(word) => each(word),
        Token::Cjk(c, before) => {
            if let Some(b) = before {
                let n = b.encode_utf8(&mut bytes).len();
                let m = c.encode_utf8(&mut bytes[n..]).len();
                if let Ok(pair) = std::str::from_utf8(&bytes[..n + m]) {
                    each(pair);
                }
            }
            each(c.encode_utf8(&mut bytes));
        }
    });
}

/// The terms a query must all match: each word, and for a CJK run its
/// bigrams (its character, when it has one). The last word is the one the
/// browser also matches as a prefix.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in pieces(text) {
        match piece {
            Piece::Word(word) => out.push(word),
            Piece::Cjk(run) if run.len() == 1 => out.push(run[0].to_string()),
            Piece::Cjk(run) => out.extend(run.windows(2).map(|w| w.iter().collect())),
        }
    }
    out
}

/// The shard a term's postings are in: its first CJK character, or its
/// first two characters (one, for a one-character word).
pub fn shard_key(term: &str) -> String {
    let mut chars = term.chars();
    match chars.next() {
        Some(first) if is_cjk(first) => first.to_string(),
        Some(first) => std::iter::once(first).chain(chars.next()).collect(),
        None => String::new(),
    }
}

/// A shard's file name, without `.json`: the key's UTF-8 bytes in hex, so
/// any script is a plain ASCII name on every file system.
pub fn shard_name(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        index_terms(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn words_are_lowercased_without_diacritics() {
        assert_eq!(
            terms("Crème Brûlée, NAÏVE café! Ωμέγα"),
            ["creme", "brulee", "naive", "cafe", "ωμεγα"]
        );
        // Precomposed and decomposed spellings are one term.
        assert_eq!(terms("e\u{301}te\u{301}"), terms("\u{e9}t\u{e9}"));
    }

    #[test]
    fn punctuation_splits_words_as_unicode_says() {
        assert_eq!(
            terms("Hello, world... (it’s) don't -- a/b 3.14 e-mail"),
            ["hello", "world", "it's", "don't", "a", "b", "3.14", "e", "mail"]
        );
        assert!(terms("!!! --- ... 🙂").is_empty());
        assert!(terms("").is_empty());
    }

    #[test]
    fn overlong_words_are_left_out() {
        let long = "a".repeat(MAX_WORD + 1);
        assert_eq!(terms(&format!("short {long} end")), ["short", "end"]);
    }

    #[test]
    fn cjk_runs_give_characters_and_bigrams() {
        assert_eq!(
            terms("東京の夜"),
            ["東", "東京", "京", "京の", "の", "の夜", "夜"]
        );
        // Punctuation and spaces end a run.
        assert_eq!(
            terms("東京。大阪"),
            ["東", "東京", "京", "大", "大阪", "阪"]
        );
        assert_eq!(terms("한국 어"), ["한", "한국", "국", "어"]);
        // Latin next to CJK is a word of its own.
        assert_eq!(terms("Rust语言"), ["rust", "语", "语言", "言"]);
        assert_eq!(
            terms("カタカナ"),
            ["カ", "カタ", "タ", "タカ", "カ", "カナ", "ナ"]
        );
    }

    #[test]
    fn queries_need_every_bigram() {
        assert_eq!(query_terms("東京の夜景"), ["東京", "京の", "の夜", "夜景"]);
        assert_eq!(query_terms("東"), ["東"]);
        assert_eq!(query_terms("Café 東京"), ["cafe", "東京"]);
        assert!(query_terms(" , ").is_empty());
    }

    #[test]
    fn shard_keys() {
        assert_eq!(shard_key("quagga"), "qu");
        assert_eq!(shard_key("a"), "a");
        assert_eq!(shard_key("東京"), "東");
        assert_eq!(shard_key("東"), "東");
        assert_eq!(shard_key("ωμεγα"), "ωμ");
        assert_eq!(shard_name("qu"), "7175");
        assert_eq!(shard_name("東"), "e69db1");
    }
}
