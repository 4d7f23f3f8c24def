//! What writers reach for beyond CommonMark: `$…$` math as MathML,
//! GitHub's alerts as notes, `mermaid` fences for mermaid's script. Each
//! on a fixture site built with the real binary, read back parsed.

mod common;

use common::SiteTest;

fn site(config: &str) -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        &format!("title = \"W\"\nbase_url = \"https://example.org\"\n{config}"),
    );
    site
}

#[test]
fn math_is_mathml_and_a_dollar_in_prose_or_code_stays_a_dollar() {
    let site = site("");
    site.post(
        "m",
        "title: M",
        "Inline $a^2 + b^2 = c^2$ here.\n\n$$\\frac{1}{2}$$\n\nIt costs $5 or $10, between $5 and $10 a day.\n\n\\$x\\$ is escaped.\n\n`$y$` is code.\n\n```\n$z$\n```\n",
    );
    site.build(&["--strict"]).assert_ok();
    let page = site.html("public/posts/m/index.html");
    let maths = page.attrs("math", "display");
    assert_eq!(maths, vec!["inline", "block"]);
    assert_eq!(
        page.texts("math annotation"),
        vec!["a^2 + b^2 = c^2", "\\frac{1}{2}"]
    );
    assert_eq!(page.count("math msup"), 3);
    assert_eq!(page.count("math mfrac"), 1);
    let text = page.text(".content");
    assert!(
        text.contains("It costs $5 or $10, between $5 and $10 a day."),
        "{text}"
    );
    assert!(text.contains("$x$ is escaped."), "{text}");
    assert_eq!(page.texts(".content p code"), vec!["$y$"]);
    assert_eq!(page.texts("pre code"), vec!["$z$"]);

    // Off: the dollars are text.
    site.file("config.toml", "title = \"W\"\n[markdown]\nmath = false\n");
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/m/index.html");
    assert_eq!(page.count("math"), 0);
    assert!(page
        .text(".content")
        .contains("Inline $a^2 + b^2 = c^2$ here."));
}

#[test]
fn a_tex_mistake_is_a_warning_at_its_place_and_shown_as_written() {
    let site = site("");
    site.post(
        "bad",
        "title: Bad",
        "Fine $x$.\n\nThen $\\nosuchmacro{y}$ and $\\frac{1}$.\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    // Line 6 of the file: three lines of front matter, two of text.
    run.assert_stderr_has("content/posts/bad.md:6:6: warning: TeX: ")
        .assert_stderr_has("content/posts/bad.md:6:28: warning: TeX: ")
        .assert_stderr_has("fix the TeX");
    let page = site.html("public/posts/bad/index.html");
    assert_eq!(
        page.texts("code.math-error"),
        vec!["$\\nosuchmacro{y}$", "$\\frac{1}$"]
    );
    assert_eq!(page.count("math"), 1);
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has("content/posts/bad.md:6:6: error: TeX: ");
}

#[test]
fn alerts_are_notes_with_their_kind_and_plain_quotes_stay_quotes() {
    let site = site("");
    let mut body = String::new();
    for kind in ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"] {
        body.push_str(&format!("> [!{kind}]\n> About *{kind}*.\n\n"));
    }
    body.push_str("> Just a quote.\n\n> [!NOTE]\n> > A quote inside a note.\n");
    site.post("a", "title: A", &body);
    site.build(&["--strict"]).assert_ok();
    let page = site.html("public/posts/a/index.html");
    assert_eq!(
        page.attrs("div.alert", "class"),
        vec![
            "alert alert-note",
            "alert alert-tip",
            "alert alert-important",
            "alert alert-warning",
            "alert alert-caution",
            "alert alert-note"
        ]
    );
    assert_eq!(page.attrs("div.alert", "role"), vec!["note"; 6]);
    assert_eq!(
        page.texts("div.alert > p.alert-title"),
        vec!["Note", "Tip", "Important", "Warning", "Caution", "Note"]
    );
    assert_eq!(page.texts("div.alert-tip em"), vec!["TIP"]);
    assert_eq!(page.texts(".content > blockquote p"), vec!["Just a quote."]);
    assert_eq!(
        page.texts("div.alert-note blockquote p"),
        vec!["A quote inside a note."]
    );
    assert!(!page.text(".content").contains("[!"));

    site.file("config.toml", "title = \"W\"\n[markdown]\nalerts = false\n");
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/a/index.html");
    assert_eq!(page.count("div.alert"), 0);
    assert!(page.text(".content").contains("[!NOTE]"));
}

#[test]
fn mermaid_fences_load_the_script_only_where_they_are_and_only_when_asked() {
    let site = site("");
    site.post(
        "diagram",
        "title: D",
        "```mermaid\ngraph TD; A-->B & <C>;\n```\n",
    );
    site.post(
        "plain",
        "title: P",
        "No diagram.\n\n```rust\nfn main() {}\n```\n",
    );
    site.build(&["--strict"]).assert_ok();
    let page = site.html("public/posts/diagram/index.html");
    assert_eq!(page.texts("pre.mermaid"), vec!["graph TD; A-->B & <C>;"]);
    assert_eq!(page.attrs("pre.mermaid", "tabindex"), vec!["0"]);
    assert_eq!(page.count("pre.mermaid code"), 0, "not highlighted");
    // Not asked for: no script, no request to another site.
    assert_eq!(page.count("script:not([type=\"application/ld+json\"])"), 0);

    site.file(
        "config.toml",
        "title = \"W\"\n[diagrams]\nmermaid = \"/js/mermaid.esm.min.mjs\"\n",
    );
    site.file("static/js/mermaid.esm.min.mjs", "export default {};\n");
    site.build(&["--strict"]).assert_ok();
    let page = site.html("public/posts/diagram/index.html");
    let scripts = page.texts("script[type=module]");
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    assert!(
        scripts[0].contains("import mermaid from \"/js/mermaid.esm.min.mjs\";"),
        "{}",
        scripts[0]
    );
    for other in ["public/posts/plain/index.html", "public/index.html"] {
        assert_eq!(
            site.html(other)
                .count("script:not([type=\"application/ld+json\"])"),
            0,
            "{other}"
        );
    }
}
