//! `minify = true` and `blog build --minify`: pages, stylesheets and
//! scripts lose what a browser does not need, and nothing else: a post's
//! code blocks and formulas are byte for byte what they were, scripts do
//! what they did (run by node before and after), files named as minified
//! and scripts that do not parse are published as written, and the
//! fingerprinted names and integrity hashes are those of the bytes served.

mod common;

use base64::Engine;
use common::SiteTest;

const APP_JS: &str = r#"// Counts words, the long way round, to give the minifier work.
const pattern = /[a-z]+\/?/g; // a regular expression with a slash
function countWords(text) {
    const words = text.match(pattern) || [];
    let total = 0
    ++total
    --total
    for (const word of words) {
        total += 1; /* one more */
    }
    return total
}
const message = `words:   ${countWords("one two / three")}`;
console.log(message, "a // b", 'c /* d */');
"#;

const EXTRA_CSS: &str = "/* the site's own styles */\n.note  >  p {\n    margin : 0 auto ;\n    width: calc(100% - 2rem);\n}\n\n@media screen and (max-width: 600px) {\n    .note { padding: 0 }\n}\n";

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Minified\"\nbase_url = \"https://example.org\"\n[markdown]\nmath = true\n",
    )
    .file("static/js/app.js", APP_JS)
    .file("static/js/vendor.min.js", "var  a = 1 ;   // kept as written\n")
    .file("static/js/broken.js", "let a = 1;\nlet = = 2;\n")
    .file("static/css/extra.css", EXTRA_CSS)
    .post(
        "code",
        "title: Code\ndate: 2026-01-02",
        "Some   prose   with `inline  code`  and <b>bold</b> <i>italic</i>.\n\n<!-- a comment -->\n\n```rust\nfn main() {\n    let  spaced  =  1;\n\n\n    println!(\"{spaced}\");\n}\n```\n\n    indented   block\n      kept\n\nand math $a  +  b$ inline.\n\n```\nplain   text\n   fence\n```\n",
    )
    .post(
        "second",
        "title: Second\ndate: 2026-01-03",
        "A second   post.\n",
    );
    site
}

/// Every `<pre …>…</pre>` of a page, in order.
fn pres(html: &str) -> Vec<String> {
    common::elements(html, "<pre", "</pre>")
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn pages_shrink_and_code_stays_byte_for_byte() {
    let site = site();
    site.build(&["--output", "plain"]).assert_ok();
    let run = site.build(&["--minify", "--output", "small"]);
    run.assert_ok();
    let mut pages = 0;
    for rel in [
        "index.html",
        "posts/code/index.html",
        "posts/second/index.html",
        "archive/index.html",
        "404.html",
    ] {
        let plain = site.read(&format!("plain/{rel}"));
        let small = site.read(&format!("small/{rel}"));
        assert!(small.len() < plain.len(), "{rel} did not shrink");
        assert_eq!(pres(&plain), pres(&small), "{rel}: a <pre> changed");
        // What a reader sees is the same text.
        let text = |h: &str| {
            let doc = scraper::Html::parse_document(h);
            words(&doc.root_element().text().collect::<String>())
        };
        assert_eq!(text(&plain), text(&small), "{rel}: the text changed");
        pages += 1;
    }
    assert_eq!(pages, 5);
    let post = site.read("small/posts/code/index.html");
    assert_eq!(pres(&post).len(), 3, "{post}");
    assert!(post.contains("<code>inline  code</code>"), "{post}");
    assert!(post.contains("<b>bold</b> <i>italic</i>"), "{post}");
    assert!(!post.contains("a comment"), "the comment stayed");
    let plain = site.read("plain/posts/code/index.html");
    let math =
        |h: &str| h[h.find("<math").expect("math")..h.find("</math>").expect("end")].to_string();
    assert_eq!(math(&plain), math(&post));
}

#[test]
fn scripts_do_what_they_did_and_stylesheets_lose_only_spare_bytes() {
    let site = site();
    let run = site.build(&["--minify"]);
    run.assert_ok();
    let small = site.read("public/js/app.js");
    assert!(small.len() < APP_JS.len() / 2, "{small}");
    assert!(
        !small.contains("one more") && !small.contains("long way"),
        "{small}"
    );
    let node = |path: &std::path::Path| {
        let out = std::process::Command::new("node")
            .arg(path)
            .output()
            .expect("node runs (scripts/test-deps.sh installs it)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let before = node(&site.path("static/js/app.js"));
    assert_eq!(before, "words:   3 a // b c /* d */\n");
    assert_eq!(node(&site.path("public/js/app.js")), before);

    let css = site.read("public/css/extra.css");
    assert!(!css.contains("own styles") && !css.contains('\n'), "{css}");
    assert!(css.contains("calc(100% - 2rem)"), "{css}");
    assert!(css.contains("screen and (max-width:600px)"), "{css}");
    assert!(css.len() < EXTRA_CSS.len() * 3 / 4, "{css}");
    let theme = site.read("public/style.css");
    assert!(
        !theme.contains("\n  "),
        "the theme's stylesheet kept its indentation"
    );
    assert!(site.read("public/syntax.css").lines().count() <= 2);
}

#[test]
fn minified_files_and_broken_scripts_are_published_as_written() {
    let site = site();
    let run = site.build(&["--minify"]);
    run.assert_ok();
    assert_eq!(
        site.read("public/js/vendor.min.js"),
        "var  a = 1 ;   // kept as written\n"
    );
    assert_eq!(site.read("public/js/broken.js"), "let a = 1;\nlet = = 2;\n");
    run.assert_stderr_has("static/js/broken.js:2:")
        .assert_stderr_has("cannot be minified");
}

#[test]
fn fingerprints_and_integrity_are_of_the_served_bytes() {
    let site = site();
    site.build(&["--minify"]).assert_ok();
    let page = site.html("public/index.html");
    let sel = scraper::Selector::parse("link[rel=stylesheet][integrity]").expect("selector");
    let links: Vec<_> = page.0.select(&sel).collect();
    assert!(!links.is_empty(), "no stylesheet with integrity");
    for link in links {
        let href = link.value().attr("href").expect("href");
        let rel = href.trim_start_matches('/');
        let bytes = std::fs::read(site.path(&format!("public/{rel}"))).expect("published");
        let digest = ring::digest::digest(&ring::digest::SHA384, &bytes);
        let want = format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
        );
        assert_eq!(
            link.value().attr("integrity"),
            Some(want.as_str()),
            "{href}"
        );
    }
    // Minified bytes are other bytes: another name than without --minify.
    let minified = site.read("public/index.html");
    site.build(&[]).assert_ok();
    let plain = site.read("public/index.html");
    let name = |h: &str| {
        let i = h.find("style.").expect("style link");
        h[i..i + 26].to_string()
    };
    assert_ne!(name(&minified), name(&plain));
}

#[test]
fn the_config_key_turns_it_on_and_a_wrong_value_is_an_error() {
    let site = site();
    site.file(
        "config.toml",
        "title = \"Minified\"\nbase_url = \"https://example.org\"\nminify = true\n",
    );
    site.build(&[]).assert_ok();
    assert!(!site.read("public/js/app.js").contains("long way"));
    assert!(!site.read("public/index.html").contains("\n  "));

    site.file("config.toml", "title = \"x\"\nminify = \"yes\"\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:2:");
    site.file("config.toml", "title = \"x\"\nminify_html = true\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("minify = true");
}

#[test]
fn zola_and_hugo_settings_carry_over_on_import() {
    let site = SiteTest::new();
    site.file(
        "zola/config.toml",
        "base_url = \"https://example.org\"\ntitle = \"Z\"\nminify_html = true\n",
    )
    .file("zola/content/a.md", "+++\ntitle = \"A\"\n+++\nBody\n")
    .file(
        "hugo/hugo.toml",
        "baseURL = \"https://example.org/\"\ntitle = \"H\"\n[minify]\nminifyOutput = true\n",
    )
    .file("hugo/content/posts/a.md", "---\ntitle: A\n---\nBody\n");
    site.run(&["import", "--from", "zola", "zola", "z-out"])
        .assert_ok();
    site.run(&["import", "--from", "hugo", "hugo", "h-out"])
        .assert_ok();
    for out in ["z-out", "h-out"] {
        let config = site.read(&format!("{out}/config.toml"));
        assert!(config.contains("minify = true"), "{out}: {config}");
    }
}

#[test]
fn serve_shows_pages_and_scripts_as_written() {
    let site = site();
    site.file(
        "config.toml",
        "title = \"Minified\"\nbase_url = \"https://example.org\"\nminify = true\n",
    );
    let server = site.serve(&["--no-watch"]);
    let page = server.get("/posts/code/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("\n  "),
        "the page was minified:\n{}",
        page.body
    );
    let script = server.get("/js/app.js");
    assert_eq!(script.body, APP_JS);
}
