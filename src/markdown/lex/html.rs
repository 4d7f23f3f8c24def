//! HTML: comments (and the bogus `<!…>`, `<?…>` ones), the doctype as a
//! constant, tag names, attribute names, attribute values (quoted or not)
//! as strings, `<` `>` `</` `/>` `=` as punctuation, character references
//! (`&amp;`, `&#x27;`) as escapes in text and in values. The text of a
//! `<script>` of no type or a JavaScript type is lexed as JavaScript, of a
//! `<style>` as CSS; the text of other scripts (`application/json`,
//! `text/template`) stays plain, and so do `<textarea>` and `<title>`
//! (their character references aside). Plain: other text, template
//! syntax (`{{ x }}`).

use super::toolkit::{Kind, Lexer};

pub(super) fn lex(l: &mut Lexer) {
    l.each(|l| match l.peek() {
        b'<' => markup(l),
        b'&' => {
            entity(l);
        }
        _ => {
            l.eat_while(|c| c != '<' && c != '&');
        }
    });
}

/// What an element's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Text {
    /// Markup.
    Html,
    /// JavaScript, up to `</script`.
    Script,
    /// Other script, plain up to `</script`.
    Data,
    /// CSS, up to `</style`.
    Style,
    /// Text with character references but no tags, up to the end tag
    /// named (`textarea`, `title`).
    Escapable(&'static str),
}

/// Lexes what starts with the `<` at the cursor: a comment, a doctype, a
/// tag (with the text of a script or style after it); a lone `<` is text.
fn markup(l: &mut Lexer) {
    let start = l.pos();
    if l.starts_with("<!--") {
        l.block_comment("<!--", "-->");
    } else if l.eat("<!") {
        let kind = if l.starts_with_ignore_case("doctype") {
            Kind::Constant
        } else {
            Kind::Comment
        };
        l.eat_through(">");
        l.push(kind, start);
    } else if l.starts_with("<?") {
        l.block_comment("<?", ">");
    } else if l.peek_at(1) == b'/' && l.peek_at(2).is_ascii_alphabetic() {
        l.eat("</");
        l.push(Kind::Punctuation, start);
        tag_name(l);
        attributes(l);
    } else if l.peek_at(1).is_ascii_alphabetic() {
        l.bump();
        l.push(Kind::Punctuation, start);
        let name = tag_name(l);
        let is = |s: &str| name.eq_ignore_ascii_case(s);
        let text = if is("script") {
            Text::Script
        } else if is("style") {
            Text::Style
        } else if is("textarea") {
            Text::Escapable("textarea")
        } else if is("title") {
            Text::Escapable("title")
        } else {
            Text::Html
        };
        let (closed, text) = match attributes(l) {
            (closed, Some(false)) if text == Text::Script => (closed, Text::Data),
            (closed, _) => (closed, text),
        };
        if !closed {
            element_text(l, text);
        }
    } else {
        l.bump();
    }
}

/// Lexes a tag's name; the name.
fn tag_name<'a>(l: &mut Lexer<'a, '_>) -> &'a str {
    let start = l.pos();
    let name = l.eat_while(|c| !c.is_ascii_whitespace() && c != '/' && c != '>');
    l.push(Kind::Tag, start);
    name
}

/// Lexes a tag's attributes and its `>` or `/>`. Whether the tag closed
/// itself with `/>`, and for a `type` attribute whether its value is a
/// JavaScript type.
fn attributes(l: &mut Lexer) -> (bool, Option<bool>) {
    let mut script_type = None;
    loop {
        l.eat_while(|c| c.is_ascii_whitespace());
        let start = l.pos();
        if l.at_end() {
            return (false, script_type);
        }
        if l.eat("/>") {
            l.push(Kind::Punctuation, start);
            return (true, script_type);
        }
        if l.eat(">") {
            l.push(Kind::Punctuation, start);
            return (false, script_type);
        }
        if l.eat("/") {
            continue;
        }
        let name = l.eat_while(|c| !c.is_ascii_whitespace() && !matches!(c, '/' | '>' | '='));
        l.push(Kind::Attribute, start);
        if l.peek_past_whitespace() != b'=' {
            continue;
        }
        l.eat_while(|c| c.is_ascii_whitespace());
        let eq = l.pos();
        l.bump();
        l.push(Kind::Punctuation, eq);
        l.eat_while(|c| c.is_ascii_whitespace());
        let value = attribute_value(l);
        if name.eq_ignore_ascii_case("type") {
            script_type = Some(is_javascript(value));
        }
    }
}

/// Lexes an attribute's value, quoted or not, as a string with its
/// character references; the value without its quotes.
fn attribute_value<'a>(l: &mut Lexer<'a, '_>) -> &'a str {
    let start = l.pos();
    let quote = match l.peek() {
        b'"' => Some('"'),
        b'\'' => Some('\''),
        _ => None,
    };
    if quote.is_some() {
        l.bump();
    }
    let from = l.pos();
    loop {
        match quote {
            Some(q) => l.eat_while(|c| c != q && c != '&'),
            None => l.eat_while(|c| !c.is_ascii_whitespace() && c != '>' && c != '&'),
        };
        l.push(Kind::String, start);
        if l.peek() != b'&' || l.at_end() {
            break;
        }
        if !entity(l) {
            l.bump();
        }
    }
    let value = &l.src()[from..l.pos()];
    if let Some(q) = quote {
        l.eat_byte(q as u8);
        l.push(Kind::String, start);
    }
    value
}

/// Whether a script's `type` is JavaScript (or JSX).
fn is_javascript(value: &str) -> bool {
    let mime = value.split(';').next().unwrap_or("").trim();
    [
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "text/ecmascript",
        "application/ecmascript",
        "application/x-javascript",
        "text/x-javascript",
        "text/babel",
        "text/jsx",
    ]
    .iter()
    .any(|t| mime.eq_ignore_ascii_case(t))
}

/// Lexes the text of an element that ends only at its end tag.
fn element_text(l: &mut Lexer, text: Text) {
    let name = match text {
        Text::Html => return,
        Text::Script | Text::Data => "script",
        Text::Style => "style",
        Text::Escapable(name) => name,
    };
    let end = end_tag(l.src(), l.pos(), name);
    match text {
        Text::Script => l.embed(end, super::javascript::lex),
        Text::Style => l.embed(end, super::css::lex),
        Text::Escapable(_) => l.embed(end, |l| {
            l.each(|l| {
                if !entity(l) {
                    l.eat_while(|c| c != '&');
                }
            })
        }),
        _ => l.embed(end, |_| {}),
    }
}

/// The offset of the first `</name` (any case, then a space, `/`, `>` or
/// the end) in `src` from `from`, a character boundary; the end of `src`
/// when there is none.
fn end_tag(src: &str, from: usize, name: &str) -> usize {
    let bytes = src.as_bytes();
    let mut at = from;
    while let Some(found) = src[at..].find("</") {
        let tag = at + found + 2;
        let after = tag + name.len();
        if bytes.len() >= after
            && bytes[tag..after].eq_ignore_ascii_case(name.as_bytes())
            && matches!(
                bytes.get(after),
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>')
            )
        {
            return tag - 2;
        }
        at = tag;
    }
    src.len()
}

/// Lexes the character reference at the cursor (`&amp;`, `&#39;`,
/// `&#x1F600;`) as an escape; whether there was one.
fn entity(l: &mut Lexer) -> bool {
    let s = l.rest().as_bytes();
    let (digits, from): (fn(&u8) -> bool, usize) = match (s.get(1), s.get(2)) {
        (Some(b'#'), Some(b'x' | b'X')) => (u8::is_ascii_hexdigit, 3),
        (Some(b'#'), _) => (u8::is_ascii_digit, 2),
        (Some(b), _) if b.is_ascii_alphabetic() => (u8::is_ascii_alphanumeric, 1),
        _ => return false,
    };
    let len = s[from.min(s.len())..]
        .iter()
        .take(32)
        .take_while(|b| digits(b))
        .count();
    if len == 0 || s.get(from + len) != Some(&b';') {
        return false;
    }
    let start = l.pos();
    let text = &l.rest()[..from + len + 1];
    l.eat(text);
    l.push(Kind::Escape, start);
    true
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{each_lexes, every_prefix, kind_of, tokens, Kind};
    use super::lex;

    #[test]
    fn tags_attributes_references_and_a_script() {
        let t = tokens(
            "<p class=\"x\">a &amp; b</p>\n<script>let x = 1;</script>\n",
            lex,
        );
        assert_eq!(kind_of(&t, "<"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "p"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "class"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "="), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "\"x\""), Some(Kind::String));
        assert_eq!(kind_of(&t, ">"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "&amp;"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "</"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "script"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "let"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "1"), Some(Kind::Number));
        assert_eq!(t.last(), Some(&(Kind::Plain, "\n".into())));
    }

    #[test]
    fn comments_doctype_and_odd_markup() {
        let t = tokens(
            "<!DOCTYPE html>\n<!-- a <b> -->\n<?xml version=\"1.0\"?>\n<br/><img src=x alt='&#x27;q&#39;'> 1 < 2 &nope <a href=/p?a=1&amp;b>",
            lex,
        );
        assert_eq!(kind_of(&t, "<!DOCTYPE html>"), Some(Kind::Constant));
        assert_eq!(kind_of(&t, "<!-- a <b> -->"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "<?xml version=\"1.0\"?>"), Some(Kind::Comment));
        assert_eq!(kind_of(&t, "br"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "/><"), Some(Kind::Punctuation));
        assert_eq!(kind_of(&t, "x"), Some(Kind::String));
        assert_eq!(kind_of(&t, "'"), Some(Kind::String));
        assert_eq!(kind_of(&t, "&#x27;"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "&#39;"), Some(Kind::Escape));
        assert_eq!(kind_of(&t, "/p?a=1"), Some(Kind::String));
        assert_eq!(kind_of(&t, "&amp;"), Some(Kind::Escape));
        assert!(t
            .iter()
            .any(|(k, s)| *k == Kind::Plain && s.contains("1 < 2 &nope")));
    }

    #[test]
    fn scripts_by_type_styles_and_escapable_text() {
        let t = tokens(
            "<script type=\"module\">import x from \"y\";</SCRIPT >\n<script type=\"application/json\">{\"let\": true}</script>\n<style>a { color: #fff; }</style>\n<title>A &amp; <b>B</b></title>\n<textarea>if (x)</textarea>",
            lex,
        );
        assert_eq!(kind_of(&t, "import"), Some(Kind::Keyword));
        assert_eq!(kind_of(&t, "SCRIPT"), Some(Kind::Tag));
        assert!(t
            .iter()
            .any(|(k, s)| *k == Kind::Plain && s == "{\"let\": true}"));
        assert_eq!(kind_of(&t, "a"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "color"), Some(Kind::Property));
        assert_eq!(kind_of(&t, "#fff"), Some(Kind::Regex));
        assert_eq!(kind_of(&t, "&amp;"), Some(Kind::Escape));
        assert!(t.iter().any(|(k, s)| *k == Kind::Plain && s == " <b>B</b>"));
        assert!(t.iter().any(|(k, s)| *k == Kind::Plain && s == "if (x)"));
        assert_eq!(kind_of(&t, "textarea"), Some(Kind::Tag));
    }

    #[test]
    fn benchmark_sample() {
        let code = "<section class=\"garden\">\n  <h2 id=\"river\">garden river</h2>\n  <p data-n=\"42\">{{ river }}</p>\n  <a href=\"/garden/\">more</a>\n</section>\n";
        let t = tokens(code, lex);
        assert_eq!(kind_of(&t, "section"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "class"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "\"garden\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "h2"), Some(Kind::Tag));
        assert_eq!(kind_of(&t, "data-n"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "href"), Some(Kind::Attribute));
        assert_eq!(kind_of(&t, "\"/garden/\""), Some(Kind::String));
        assert_eq!(kind_of(&t, "garden river"), Some(Kind::Plain));
        assert_eq!(kind_of(&t, "</"), Some(Kind::Punctuation));
    }

    #[test]
    fn every_prefix_lexes() {
        let code = "\u{feff}<!doctype html><!-- é --><html lang=en>\r\n<body class='a &amp; b' hidden>\n<p>Ünï &#x1F600; 🚀 &copy;</p><script>let s = `${'</p>'}`; if (a < b) f(/x/);</script>\n<style>@media (max-width: 600px) { .a:hover { color: rgb(0 0 0 / 50%) !important; } }</style><textarea>&lt;x</textarea>\n<br/></body>";
        every_prefix(code, lex);
    }

    #[test]
    fn broken_input_keeps_every_byte() {
        each_lexes(
            &[
                "<",
                "</",
                "<a",
                "<a href",
                "<a href=",
                "<a href=\"open",
                "<!--",
                "<!",
                "<?",
                "&",
                "&#",
                "&#x;",
                "&amp",
                "<script>let x = `",
                "<script",
                "<script>",
                "<style>a {",
                "<title>",
                "<a =x>",
                "\u{0}<\u{0}>\r\n\t",
                "<é>ü</é> 🚀",
                "<script>é</scripté",
            ],
            lex,
        );
    }
}
