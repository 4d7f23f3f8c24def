//! `blog new` and `blog init`: the files they create build at once, and they
//! never overwrite what is there.

mod common;

use common::SiteTest;

#[test]
fn init_makes_a_site_that_builds_and_refuses_a_non_empty_folder() {
    let site = SiteTest::new();
    let run = site.run(&["init", "my-blog"]);
    run.assert_ok();
    assert!(
        run.stdout.contains("created my-blog/config.toml"),
        "{}",
        run.stdout
    );
    assert!(site.exists("my-blog/content/posts/hello-world.md"));
    assert!(site.exists("my-blog/static"));
    let built = site.run(&["build", "--root", "my-blog"]);
    built.assert_ok();
    assert_eq!(
        site.html("my-blog/public/posts/hello-world/index.html")
            .text("article h1"),
        "Hello, world"
    );

    site.file("full/notes.txt", "mine");
    let run = site.run(&["init", "full"]);
    run.assert_fails()
        .assert_stderr_has("full: error: is not empty; nothing was changed");
    assert!(!site.exists("full/config.toml"));

    site.file("full/config.toml", "title = \"Mine\"\n");
    let run = site.run(&["init", "full", "--force"]);
    run.assert_ok();
    assert!(
        run.stdout
            .contains("kept    full/config.toml (already there)"),
        "{}",
        run.stdout
    );
    assert_eq!(site.read("full/config.toml"), "title = \"Mine\"\n");
    assert_eq!(site.read("full/notes.txt"), "mine");
    assert!(site.exists("full/content/posts/hello-world.md"));
}

#[test]
fn new_creates_a_post_that_builds_and_never_overwrites() {
    let site = SiteTest::new();
    std::fs::create_dir(site.path("content")).expect("content/");
    let run = site.run(&["new", "Crème brûlée: a story"]);
    run.assert_ok();
    assert_eq!(run.stdout.trim(), "content/posts/creme-brulee-a-story.md");
    let text = site.read("content/posts/creme-brulee-a-story.md");
    assert!(
        text.starts_with("---\ntitle: \"Crème brûlée: a story\"\ndate: "),
        "{text}"
    );
    assert!(text.contains("tags: []"));

    site.run(&["new", "Draft thoughts", "--draft", "--section", "notes"])
        .assert_ok();
    assert!(site
        .read("content/notes/draft-thoughts.md")
        .contains("draft: true"));
    site.run(&["new", "Trip", "--bundle"]).assert_ok();
    assert!(site.exists("content/posts/trip/index.md"));

    std::fs::write(site.path("content/posts/trip/index.md"), "my words").expect("write");
    site.run(&["new", "Trip", "--bundle"])
        .assert_fails()
        .assert_stderr_has("already exists; nothing was changed");
    assert_eq!(site.read("content/posts/trip/index.md"), "my words");
    site.run(&["new", "日本語のブログ"]).assert_ok();
    assert!(site.exists("content/posts/ri-ben-yu-noburogu.md"));

    std::fs::write(
        site.path("content/posts/trip/index.md"),
        "---\ntitle: Trip\n---\nHi\n",
    )
    .expect("write");
    site.build(&["--drafts"]).assert_ok();
    assert!(site.exists("public/posts/creme-brulee-a-story/index.html"));
    assert!(site.exists("public/notes/draft-thoughts/index.html"));
}

#[test]
fn commands_refuse_a_folder_that_is_not_a_site() {
    let site = SiteTest::new();
    for command in [
        &["build"][..],
        &["check"],
        &["serve", "--no-watch", "--port", "0"],
        &["new", "Lost"],
    ] {
        let run = site.run(command);
        assert_eq!(run.code, 1, "{command:?}: {}", run.stderr);
        run.assert_stderr_has("error: is not a site: it has no content/ folder and no config.toml")
            .assert_stderr_has("hint: run `blog init` to make a site here, or pass --root");
        assert!(
            std::fs::read_dir(site.root())
                .expect("read")
                .next()
                .is_none(),
            "{command:?} wrote into a folder that is not a site"
        );
    }
    let run = site.run(&["build", "--root", "no/such/folder"]);
    run.assert_fails()
        .assert_stderr_has("error: is not a folder");
    // A config.toml alone is a site (with no posts yet).
    site.file("config.toml", "title = \"Empty\"\n");
    site.build(&[]).assert_ok();
}
