//! Markdown written for another generator, rendered as that generator would:
//! heading ids in the style its links were written for (`[markdown]
//! heading_ids`), and fenced code whose info string carries attributes in
//! rustdoc's, Hugo's, Zola's or Pandoc's form. One small site per behaviour.

mod common;

use common::SiteTest;

fn site(markdown_config: &str) -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        &format!(
            "title = \"Moved blog\"\nbase_url = \"https://example.org\"\n[markdown]\n{markdown_config}\n"
        ),
    );
    site
}

const HEADINGS: &str = "## Hello, World!\n\n## C++ & Rust\n\n## 1. Intro\n\n## 日本語\n\n## Hello, World!\n\n## Kept {#custom-id}\n";

fn heading_ids(markdown_config: &str) -> Vec<String> {
    let site = site(markdown_config);
    site.post("ids", "title: Ids", HEADINGS);
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/ids/index.html");
    let ids = page.attrs("article h2", "id");
    // The anchor links and the table of contents point at the same ids.
    let anchors: Vec<String> = page
        .attrs("article h2 a.anchor", "href")
        .into_iter()
        .map(|href| href.trim_start_matches('#').to_string())
        .collect();
    assert_eq!(anchors, ids);
    ids
}

#[test]
fn heading_ids_follow_the_style_a_site_chose() {
    for (config, expected) in [
        (
            "",
            [
                "hello-world",
                "c-rust",
                "1-intro",
                "ri-ben-yu",
                "hello-world-1",
                "custom-id",
            ],
        ),
        (
            "heading_ids = \"github\"",
            [
                "hello-world",
                "c--rust",
                "1-intro",
                "日本語",
                "hello-world-1",
                "custom-id",
            ],
        ),
        (
            "heading_ids = \"kramdown\"",
            [
                "hello-world",
                "c--rust",
                "intro",
                "section",
                "hello-world-1",
                "custom-id",
            ],
        ),
        (
            "heading_ids = \"zola\"",
            [
                "hello-world",
                "c-rust",
                "1-intro",
                "ri-ben-yu",
                "hello-world-1",
                "custom-id",
            ],
        ),
    ] {
        assert_eq!(heading_ids(config), expected, "{config}");
    }
}

#[test]
fn an_anchor_written_for_github_ids_lands_with_github_ids_only() {
    let body = "See [what changed](#whats-new) and [elsewhere](/posts/target/#c--rust).\n\n## What's new\n\nText.\n";
    let target = "## C++ & Rust\n\nText.\n";
    let github = site("heading_ids = \"github\"");
    github.post("page", "title: Page", body);
    github.post("target", "title: Target", target);
    let run = github.build(&["--strict"]);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    let blog = site("heading_ids = \"blog\"");
    blog.post("page", "title: Page", body);
    blog.post("target", "title: Target", target);
    blog.build(&[])
        .assert_ok()
        .assert_stderr_has("content/posts/page.md:4:5: warning: `#whats-new`: `/posts/page/` has no element with id `whats-new`")
        .assert_stderr_has("`/posts/target/#c--rust`: `/posts/target/` has no element with id `c--rust`");
}

#[test]
fn an_unknown_heading_id_style_is_an_error_at_its_line() {
    let site = site("heading_ids = \"hugo\"");
    site.post("a", "title: A", "Text.");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:4:15: error: unknown variant `hugo`, expected one of `blog`, `github`, `kramdown`, `zola`")
        .assert_stderr_has("hint: heading_ids is one of \"blog\" (the default), \"github\" (GitHub, Hugo), \"kramdown\" (Jekyll with kramdown input) or \"zola\"");
}

#[test]
fn fences_with_attributes_highlight_their_language_and_keep_its_class() {
    let site = site("");
    site.post(
        "code",
        "title: Code",
        "```rust,ignore\nfn main() {}\n```\n\n\
         ```toml,name=x\na = 1\n```\n\n\
         ```shell {hl_lines=[1]}\necho hi\n```\n\n\
         ```{.python}\nx = 1\n```\n\n\
         ```{.python .numberLines}\nx = 1\n```\n\n\
         ```python title=\"x.py\"\nx = 1\n```\n\n\
         ~~~ruby\nputs 1\n~~~\n\n\
         ```klingon {linenos=true}\nQapla' <b>\n```\n",
    );
    site.build(&["--strict"]).assert_ok();
    let page = site.html("public/posts/code/index.html");
    assert_eq!(
        page.attrs("pre.code code", "class"),
        [
            "language-rust",
            "language-toml",
            "language-shell",
            "language-python",
            "language-python",
            "language-python",
            "language-ruby",
            "language-klingon",
        ]
    );
    // Every known language is highlighted (TOML by blog's own lexer, as
    // syntect has none); unknown ones are plain code.
    for (i, lang) in ["rust", "toml", "shell", "python", "ruby"]
        .iter()
        .enumerate()
    {
        let selector = format!("pre.code code.language-{lang} span[class^=\"h\"]");
        assert!(page.count(&selector) > 0, "{i}: {lang} is highlighted");
    }
    assert_eq!(page.count("code.language-klingon span[class^=\"h\"]"), 0);
    assert_eq!(page.text("code.language-klingon"), "1Qapla' <b>");
    // hl_lines and line numbers, as Hugo, Zola and Pandoc write them.
    assert_eq!(page.texts("code.language-shell .line.hl"), ["echo hi"]);
    assert_eq!(page.texts("code.language-python .ln"), ["1"]);
    assert_eq!(page.texts("code.language-klingon .line .ln"), ["1"]);
    // Fences without them get no line markup.
    assert_eq!(page.count("code.language-rust .line"), 0);
    assert_eq!(page.count("code.language-ruby .line"), 0);
}

#[test]
fn mermaid_fences_are_left_for_mermaid_js() {
    let site = site("");
    site.post(
        "diagram",
        "title: Diagram",
        "```mermaid\ngraph TD\n  A[\"<b>start</b>\"] --> B & C\n```\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/diagram/index.html");
    assert_eq!(page.count("pre.mermaid"), 1);
    assert_eq!(
        page.count("pre.mermaid *"),
        0,
        "no code element or spans inside"
    );
    assert_eq!(
        page.text("pre.mermaid"),
        "graph TD\n  A[\"<b>start</b>\"] --> B & C"
    );
    assert!(site
        .read("public/posts/diagram/index.html")
        .contains("<pre class=\"mermaid\" tabindex=\"0\">graph TD\n  A[&quot;&lt;b&gt;start&lt;/b&gt;&quot;] --&gt; B &amp; C\n</pre>"));
}
