//! Bad input: every error is reported at once as `path:line:column: error:`
//! with a hint, the exit code is 1, and the previous public/ is left as it was.

mod common;

use common::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\n",
    );
    site.post("good", "title: Good", "Fine.");
    site
}

#[test]
fn bad_yaml_names_file_line_and_column() {
    let site = site();
    site.file(
        "content/posts/bad.md",
        "---\ntitle: ok\ntags: [a, b\ndate: 2024-01-01\n---\nBody\n",
    );
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("content/posts/bad.md:4:")
        .assert_stderr_has("hint: front matter between `---` lines is YAML");
}

#[test]
fn bad_toml_names_file_line_and_column() {
    let site = site();
    site.file(
        "content/posts/bad.md",
        "+++\ntitle = \"ok\"\ndraft = tru\n+++\nBody\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/bad.md:3:9: error: front matter:");
}

#[test]
fn unclosed_front_matter_points_at_the_opening_fence() {
    let site = site();
    site.file(
        "content/posts/open.md",
        "\n---\ntitle: never closed\n\nBody text\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/open.md:2:1: error: the front matter opened with `---` on line 2 is never closed");
}

#[test]
fn bad_date_says_how_to_write_one() {
    let site = site();
    site.post("when", "title: When\ndate: 31/12/2024", "");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/when.md:3:7: error: front matter: date: `31/12/2024` is not a date\n  hint: write the date like 2024-03-01, 2024-03-01T09:30:00+02:00, 2024-03-01 09:30:00 -0500,");
}

#[test]
fn wrong_types_are_errors_not_guesses() {
    let site = site();
    site.post("types", "title: T\ndraft: maybe", "");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/types.md:3:8: error: front matter: draft: invalid type");
}

#[test]
fn two_pages_claiming_one_url_name_both_files() {
    let site = site();
    site.post("one", "title: One\nslug: same", "");
    site.post("two", "title: Two\nslug: same", "");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/two.md:3:1: error: `/posts/same/` is claimed twice: by content/posts/one.md and by content/posts/two.md");
}

#[test]
fn an_alias_over_a_page_is_a_clash() {
    let site = site();
    site.post("mover", "title: Mover\naliases: [/posts/good/]", "");
    site.build(&[]).assert_fails().assert_stderr_has(
        "is claimed twice: by content/posts/good.md and by an alias in content/posts/mover.md",
    );
}

#[test]
fn unsafe_aliases_are_refused() {
    let site = site();
    site.post(
        "sneaky",
        "title: S\naliases: [\"/../../etc/x\", \"https://evil.example/\"]",
        "",
    );
    let run = site.build(&[]);
    run.assert_fails().assert_stderr_has(
        "content/posts/sneaky.md:3:1: error: alias `/../../etc/x` contains `.` or `..`",
    );
    run.assert_stderr_has("alias `https://evil.example/` is a full URL");
}

#[test]
fn missing_template_is_blamed_on_the_page_that_asks_for_it() {
    let site = site();
    site.post("special", "title: S\ntemplate: fancy.html", "");
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has(
            "content/posts/special.md:3:1: error: template `fancy.html` does not exist",
        )
        .assert_stderr_has("hint: create templates/fancy.html");
}

#[test]
fn template_syntax_errors_point_into_the_template() {
    let site = site();
    site.file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n");
    site.file("templates/section.html", "{% if %}\n");
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("templates/page.html:4:1: error:")
        .assert_stderr_has("templates/section.html:1:7: error:");
    run.assert_stderr_has("build failed: 2 errors");
}

#[test]
fn unknown_filters_and_functions_are_found_before_rendering() {
    let site = site();
    site.file(
        "templates/page.html",
        "{{ page.title | shout }}\n{{ nothing() }}\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("templates/page.html:1:17: error: Unknown filter `shout`")
        .assert_stderr_has("templates/page.html:2:4: error: Unknown function `nothing`");
}

#[test]
fn a_template_error_on_many_pages_is_reported_once() {
    let site = site();
    site.post("other", "title: Other", "");
    site.file("templates/page.html", "{{ page.missing.field }}");
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("templates/page.html:1:9: error: Field `missing` is not defined")
        .assert_stderr_has("(while rendering content/posts/good.md and 1 more)")
        .assert_stderr_has("build failed: 1 error");
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    let site = site();
    site.bytes("content/posts/latin1.md", b"---\ntitle: Caf\xe9\n---\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/latin1.md:2:11: error: the file is not valid UTF-8");
}

#[test]
fn config_errors_name_the_key() {
    let site = site();
    site.file("config.toml", "title = \"T\"\npaginat = 5\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:2:1: error: unknown key `paginat`")
        .assert_stderr_has("hint: did you mean `paginate`?");
    site.file("config.toml", "theme = \"nope\"\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:1:1: error: theme `nope` not found");
    site.file("config.toml", "highlight_theme = \"Neon\"\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("unknown highlight theme `Neon`")
        .assert_stderr_has("InspiredGitHub");
}

#[test]
fn a_config_from_hugo_or_zola_gets_every_fix_in_one_run() {
    let site = site();
    // A stray key from Hugo in blog's config.toml.
    let stray =
        "base_url = \"https://example.org\"\nbaseURL = \"https://example.org/\"\npaginat = 5\n";
    site.file("config.toml", stray);
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:2:1: error: unknown key `baseURL`\n  hint: Hugo's `baseURL` is `base_url` here")
        .assert_stderr_has("config.toml:3:1: error: unknown key `paginat`")
        .assert_stderr_has("build failed: 2 errors");
    // A Hugo site's whole config.toml: its site is built as it is.
    let hugo = "baseURL = \"https://example.org/\"\ntitle = \"Mine\"\nlanguageCode = \"en-us\"\n\
                [params]\n  subtitle = \"x\"\n[taxonomies]\n  tag = \"tags\"\n";
    site.file("config.toml", hugo);
    site.build(&[])
        .assert_ok()
        .assert_stderr_has("config.toml: warning: this Hugo site's settings are read from here")
        .assert_stderr_has("`blog import --from hugo . ../my-blog`");
    assert!(site.read("public/index.html").contains("Mine"));
    assert!(site.read("public/index.html").contains("lang=\"en-us\""));
    // Once those are fixed, Hugo's table of taxonomies is explained.
    site.file(
        "config.toml",
        "base_url = \"https://example.org/\"\n[taxonomies]\n  tag = \"tags\"\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:2:1: error: invalid type: map, expected a sequence")
        .assert_stderr_has(
            "hint: list the taxonomies by name: taxonomies = [\"tags\", \"categories\"]",
        );

    let zola = "base_url = \"https://example.org\"\ncompile_sass = true\n\
                taxonomies = [{ name = \"tags\", render = false, feed = true }]\n[markdown]\nhighlight_code = true\n";
    site.file("config.toml", zola);
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:2:1: error: unknown key `compile_sass`")
        .assert_stderr_has("config.toml:3:32: error: unknown key `taxonomies.render`")
        .assert_stderr_has("config.toml:5:1: error: unknown key `markdown.highlight_code`\n  hint: this is `markdown.highlight` here")
        .assert_stderr_has("build failed: 3 errors");
    // A Zola site's whole config.toml, and its templates written for Zola:
    // built as it is, with blog's theme and the site's shortcodes.
    let zola = "base_url = \"https://example.org\"\ntitle = \"Z\"\ncompile_sass = true\n\
                build_search_index = true\ndefault_language = \"fr\"\n[markdown]\nhighlight_code = true\n";
    site.file("config.toml", zola)
        .file(
            "templates/index.html",
            "{{ get_section(path=\"_index.md\") }}",
        )
        .file("templates/shortcodes/hi.html", "<b>hi {{ who }}</b>")
        .post("z", "title: Z post", "{{ hi(who=\"there\") }}");
    site.build(&[])
        .assert_ok()
        .assert_stderr_has("config.toml: warning: this Zola site's settings are read from here");
    assert!(site.read("public/index.html").contains("lang=\"fr\""));
    assert!(site
        .read("public/posts/z/index.html")
        .contains("<b>hi there</b>"));
}

#[test]
fn every_error_is_reported_in_one_run() {
    let site = site();
    site.post("a", "title: A\ndate: never", "");
    site.file("content/posts/b.md", "+++\ntitle = \n+++\n");
    site.file("content/posts/c.md", "---\ntitle: C\n");
    site.file("templates/page.html", "{% if %}");
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("build failed: 4 errors");
    for file in [
        "content/posts/a.md:",
        "content/posts/b.md:",
        "content/posts/c.md:",
        "templates/page.html:",
    ] {
        run.assert_stderr_has(file);
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = site();
    site.build(&[]).assert_ok();
    let before = site.read("public/posts/good/index.html");
    let listing = |site: &SiteTest| {
        let mut names: Vec<String> = std::fs::read_dir(site.root())
            .expect("ls")
            .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let root_before = listing(&site);
    site.post("good", "title: Good changed\ndate: nope", "Changed.");
    site.build(&[]).assert_fails();
    assert_eq!(site.read("public/posts/good/index.html"), before);
    assert_eq!(
        listing(&site),
        root_before,
        "no staging directory left behind"
    );
    assert_eq!(
        site.read("content/posts/good.md"),
        "---\ntitle: Good changed\ndate: nope\n---\nChanged.\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let site = site();
    let run = site.run(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = site.run(&["frobnicate"]);
    assert_eq!(run.code, 2);
}

#[test]
fn symlinks_leading_outside_the_site_are_refused() {
    let site = site();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.txt"), "SECRET").expect("write");
    std::fs::create_dir_all(site.path("static")).expect("mkdir");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path("static/secret.txt"),
    )
    .expect("link");
    std::os::unix::fs::symlink(outside.path(), site.path("content/elsewhere")).expect("link");
    // A link inside the site is fine.
    std::fs::write(site.path("static/real.txt"), "ok").expect("write");
    std::os::unix::fs::symlink(site.path("static/real.txt"), site.path("static/alias.txt"))
        .expect("link");
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("static/secret.txt: error: is a symbolic link to")
        .assert_stderr_has("content/elsewhere: error: is a symbolic link to")
        .assert_stderr_has("hint: copy the files into the site instead");
    assert!(!site.exists("public"));
}
