//! Incremental rebuilds in `blog serve` must give exactly what a full build
//! gives. Each step edits the site the way an author would, rebuilds with
//! the kept state (parsed files, rendered pages by fingerprint), and compares
//! every file with a build from nothing.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use blog::build::{build_into, BuildOptions};
use blog::serve::state::{Body, MemorySink};
use blog::serve::Memory;
use common::SiteTest;

fn full_build(site: &SiteTest) -> HashMap<String, Body> {
    let sink = MemorySink::default();
    let options = options(site);
    build_into(&options, &sink, None, &mut Default::default()).expect("full build");
    sink.into_parts().0
}

/// Builds `site` into memory, as `blog serve` does: the model to patch,
/// and the files it serves.
fn served(site: &SiteTest) -> (blog::build::Built, HashMap<String, Body>) {
    let sink = MemorySink::default();
    let (_, built) =
        build_into(&options(site), &sink, None, &mut Default::default()).expect("build");
    (built, sink.into_parts().0)
}

/// The watcher's set of changed paths for `rels`, inside `site`.
fn changed(site: &SiteTest, rels: &[&str]) -> std::collections::BTreeSet<PathBuf> {
    let root = site.root().canonicalize().expect("root");
    rels.iter().map(|rel| root.join(rel)).collect()
}

/// The sorted paths a patch replaced.
fn replaced_paths(replaced: &[(String, Vec<u8>)]) -> Vec<&str> {
    let mut paths: Vec<&str> = replaced.iter().map(|(p, _)| p.as_str()).collect();
    paths.sort();
    paths
}

/// Puts a patch's files into the served ones.
fn apply(files: &mut HashMap<String, Body>, replaced: Vec<(String, Vec<u8>)>) {
    for (path, bytes) in replaced {
        files.insert(path, Body::Bytes(bytes.into()));
    }
}

fn options(site: &SiteTest) -> BuildOptions {
    let mut options = BuildOptions::new(site.root());
    options.overrides.base_url = Some("http://127.0.0.1:1111".into());
    options.now = jiff::Timestamp::from_second(1_900_000_000).expect("time");
    options
}

struct Session {
    memory: Memory,
    rendered_last: usize,
}

impl Session {
    /// Rebuilds after `changed` (paths relative to the site) and checks the
    /// result against a full build. Returns how many pages were re-rendered.
    #[track_caller]
    fn step(&mut self, site: &SiteTest, changed: &[&str]) -> usize {
        self.memory.parse.changed = changed
            .iter()
            .map(|c| site.root().canonicalize().expect("root").join(c))
            .collect::<Vec<PathBuf>>()
            .into_iter()
            .collect();
        let previous: HashMap<String, u64> = self
            .memory
            .rendered
            .iter()
            .map(|(k, (fp, _))| (k.clone(), *fp))
            .collect();
        let sink = MemorySink::reusing(std::mem::take(&mut self.memory.rendered));
        build_into(&options(site), &sink, None, &mut self.memory.parse).expect("incremental build");
        let (files, rendered) = sink.into_parts();
        let rerendered = rendered
            .iter()
            .filter(|(k, (fp, _))| previous.get(*k) != Some(fp))
            .count();
        self.memory.rendered = rendered;
        let full = full_build(site);
        let mut paths: Vec<&String> = full.keys().chain(files.keys()).collect();
        paths.sort();
        paths.dedup();
        for path in paths {
            assert_eq!(
                files.get(path),
                full.get(path),
                "{path} differs from a full build after changing {changed:?}"
            );
        }
        self.rendered_last = rerendered;
        rerendered
    }
}

#[test]
fn every_kind_of_edit_matches_a_full_build() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Inc\"\nbase_url = \"https://example.org\"\npaginate = 3\n",
    );
    for i in 1..=9 {
        site.post(
            &format!("p{i}"),
            &format!(
                "title: Post {i}\ndate: 2024-01-0{i}\ntags: [t{}, all]",
                i % 3
            ),
            &format!("Body {i}.\n\n```rust\nfn f{i}() {{}}\n```\n"),
        );
    }
    site.file(
        "content/posts/_index.md",
        "---\ntitle: Posts\n---\nIntro.\n",
    );
    site.file("static/style.css", "a{}");
    let mut s = Session {
        memory: Memory::default(),
        rendered_last: 0,
    };
    let all = s.step(&site, &[]);
    assert!(all > 20, "the first build renders everything ({all})");

    // A body edit re-renders that page only (lists show summaries, which
    // come from the first paragraph; this edit is past it).
    site.post(
        "p5",
        "title: Post 5\ndate: 2024-01-05\ntags: [t2, all]",
        "Body 5.\n\nA new second paragraph.\n\n```rust\nfn f5() {}\n```\n",
    );
    let n = s.step(&site, &["content/posts/p5.md"]);
    assert!(n < all / 2, "a body edit re-rendered {n} of {all} pages");

    // Title, date (reordering), tags.
    site.post(
        "p5",
        "title: Renamed Five\ndate: 2024-01-05\ntags: [t2, all]",
        "Body 5.\n",
    );
    s.step(&site, &["content/posts/p5.md"]);
    site.post(
        "p2",
        "title: Post 2\ndate: 2024-02-01\ntags: [t2, all]",
        "Body 2.\n",
    );
    s.step(&site, &["content/posts/p2.md"]);
    site.post(
        "p3",
        "title: Post 3\ndate: 2024-01-03\ntags: [fresh]",
        "Body 3.\n",
    );
    s.step(&site, &["content/posts/p3.md"]);

    // Add, delete, rename, draft.
    site.post(
        "p10",
        "title: Post 10\ndate: 2024-03-01\ntags: [all]",
        "Ten.\n",
    );
    s.step(&site, &["content/posts/p10.md"]);
    // A new oldest post whose file sorts first: the lists and its one
    // neighbour change, the other pages do not.
    site.post("a0", "title: Post 0\ndate: 2023-12-31", "Zero.\n");
    let n = s.step(&site, &["content/posts/a0.md"]);
    assert!(n < all / 2, "adding a post re-rendered {n} of {all} pages");
    site.remove("content/posts/p1.md");
    s.step(&site, &["content/posts/p1.md"]);
    std::fs::rename(
        site.path("content/posts/p4.md"),
        site.path("content/posts/four.md"),
    )
    .expect("rename");
    s.step(&site, &["content/posts/p4.md", "content/posts/four.md"]);
    site.post(
        "p6",
        "title: Post 6\ndate: 2024-01-06\ndraft: true",
        "Six.\n",
    );
    s.step(&site, &["content/posts/p6.md"]);

    // Section front matter, templates, static files, config.
    site.file(
        "content/posts/_index.md",
        "---\ntitle: Writing\n---\nNew intro.\n",
    );
    s.step(&site, &["content/posts/_index.md"]);
    site.file("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p>{{ page.title }}</p>{% endblock content %}");
    let n = s.step(&site, &["templates/page.html"]);
    let pages = full_build(&site)
        .keys()
        .filter(|k| {
            k.starts_with("posts/")
                && !k.starts_with("posts/page/")
                && k.as_str() != "posts/index.html"
        })
        .count();
    assert_eq!(
        n, pages,
        "editing page.html re-renders the pages, and nothing else"
    );
    site.file(
        "templates/taxonomy_term.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ term.name }}</h1>{% endblock content %}",
    );
    let terms = s.step(&site, &["templates/taxonomy_term.html"]);
    assert!(
        terms > 0 && terms < n,
        "a term template re-renders term pages ({terms})"
    );
    site.file(
        "templates/base.html",
        "<!doctype html><title>{% block title %}{{ config.title }}{% endblock title %}</title><meta name=description content=\"{% block description %}{% endblock description %}\">{% block content %}{% endblock content %}",
    );
    let all_now = s.step(&site, &["templates/base.html"]);
    assert!(
        all_now > n + terms,
        "base.html is used by every page ({all_now})"
    );
    site.file("static/style.css", "a{color:red}");
    s.step(&site, &["static/style.css"]);
    site.file(
        "config.toml",
        "title = \"Inc 2\"\nbase_url = \"https://example.org\"\npaginate = 2\n",
    );
    s.step(&site, &["config.toml"]);
    // Same length, same second: the watcher's report forces the re-read.
    site.post(
        "p7",
        "title: Post 7\ndate: 2024-01-07\ntags: [t1, all]",
        "Bxdy 7.\n\n```rust\nfn f7() {}\n```\n",
    );
    s.step(&site, &["content/posts/p7.md"]);
    assert!(s.rendered_last >= 1);

    // A link to a markdown file follows its page: a new slug, a new date
    // in the URL, a rename and a delete all change the linking page.
    site.file("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ page.content | safe }}{% endblock content %}");
    s.step(&site, &["templates/page.html"]);
    // p3 is not p8's neighbour, so only the link ties p8 to it.
    site.post(
        "p3",
        "title: Post 3\ndate: 2024-01-03",
        "## Top\n\nBody 3.\n",
    );
    s.step(&site, &["content/posts/p3.md"]);
    site.post(
        "p8",
        "title: Post 8\ndate: 2024-01-08",
        "See [three](p3.md#top) and [writing](@/posts/_index.md).\n",
    );
    s.step(&site, &["content/posts/p8.md"]);
    site.post(
        "p3",
        "title: Post 3\ndate: 2024-01-03\nslug: three",
        "## Top\n\nBody 3.\n",
    );
    s.step(&site, &["content/posts/p3.md"]);
    site.file(
        "config.toml",
        "title = \"Inc 2\"\nbase_url = \"https://example.org\"\npaginate = 2\n\
         [permalinks]\nposts = \"/:year/:slug/\"\n",
    );
    s.step(&site, &["config.toml"]);
    site.post(
        "p3",
        "title: Post 3\ndate: 2023-06-03\nslug: three",
        "## Top\n\nBody 3.\n",
    );
    s.step(&site, &["content/posts/p3.md"]);
    let Some(Body::Bytes(page)) = full_build(&site).remove("2024/p8/index.html") else {
        panic!("no 2024/p8/index.html");
    };
    assert!(
        String::from_utf8_lossy(&page).contains("http://127.0.0.1:1111/2023/three/#top"),
        "the link follows the page to its new URL: {}",
        String::from_utf8_lossy(&page)
    );
}

#[test]
fn a_new_title_is_served_on_its_post_before_the_lists_that_show_it() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Parts\"\nbase_url = \"https://example.org\"\n",
    );
    for i in 1..=4 {
        site.post(
            &format!("p{i}"),
            &format!("title: Post {i}\ndate: 2024-01-0{i}\ntags: [a]"),
            &format!("Summary {i}.\n\nBody {i}.\n"),
        );
    }
    let (mut built, mut files) = served(&site);

    // A body edit has no lists to render after the page.
    site.post(
        "p3",
        "title: Post 3\ndate: 2024-01-03\ntags: [a]",
        "Summary 3.\n\nBody 3, longer.\n",
    );
    let patched = built
        .patch_first(&changed(&site, &["content/posts/p3.md"]))
        .expect("fast path");
    assert!(patched.lists.is_empty());
    assert_eq!(
        replaced_paths(&patched.files),
        vec!["atom.xml", "feed.json", "posts/p3/index.html", "rss.xml"]
    );
    apply(&mut files, patched.files);

    // A new title: first the post, its neighbours (p1, p3), the posts
    // naming it among their related ones (p4, all tagged `a`) and the feeds;
    // then the lists and the archive, which together make what a full
    // build makes.
    site.post(
        "p2",
        "title: Post 2 renamed\ndate: 2024-01-02\ntags: [a]",
        "Summary 2.\n\nBody 2.\n",
    );
    let patched = built
        .patch_first(&changed(&site, &["content/posts/p2.md"]))
        .expect("fast path for a title edit");
    assert_eq!(
        replaced_paths(&patched.files),
        vec![
            "atom.xml",
            "feed.json",
            "posts/p1/index.html",
            "posts/p2/index.html",
            "posts/p3/index.html",
            "posts/p4/index.html",
            "rss.xml"
        ]
    );
    let page = String::from_utf8_lossy(
        &patched
            .files
            .iter()
            .find(|(p, _)| p == "posts/p2/index.html")
            .expect("p2")
            .1,
    )
    .into_owned();
    assert!(page.contains("Post 2 renamed"), "{page}");
    let lists = built.render_lists(&patched.lists).expect("lists render");
    assert_eq!(
        replaced_paths(&lists),
        vec![
            "archive/index.html",
            "index.html",
            "posts/index.html",
            "tags/a/index.html"
        ]
    );
    for (path, bytes) in &lists {
        assert!(
            String::from_utf8_lossy(bytes).contains("Post 2 renamed"),
            "{path} shows the new title"
        );
    }
    apply(&mut files, patched.files);
    apply(&mut files, lists);
    assert_eq!(
        files,
        full_build(&site),
        "the two parts make the site a full build makes"
    );
}

#[test]
fn images_a_list_template_makes_come_with_the_lists() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Thumbs\"\nbase_url = \"https://example.org\"\n",
    );
    site.bytes("static/img/a.png", &common::png(64, 32));
    site.bytes("static/img/b.png", &common::png(48, 48));
    site.file(
        "templates/index.html",
        "<!doctype html><title>home</title>{% for p in paginator.pages %}\
         {% set r = resize_image(path=p.extra.cover, width=20, height=10) %}\
         <img src=\"{{ r.url }}\" alt=\"{{ p.title }}\">{% endfor %}",
    );
    for i in 1..=2 {
        site.post(
            &format!("p{i}"),
            &format!("title: Post {i}\ndate: 2024-01-0{i}\nextra:\n  cover: img/a.png"),
            "Body.\n",
        );
    }
    let (mut built, mut files) = served(&site);
    // A new cover: the home page shows another thumbnail, made as the list
    // renders, after the post itself was served.
    site.post(
        "p2",
        "title: Post 2\ndate: 2024-01-02\nextra:\n  cover: img/b.png",
        "Body.\n",
    );
    let patched = built
        .patch_first(&changed(&site, &["content/posts/p2.md"]))
        .expect("fast path");
    assert!(!patched.lists.is_empty(), "the home page shows the cover");
    let lists = built.render_lists(&patched.lists).expect("lists render");
    assert!(
        lists
            .iter()
            .any(|(p, _)| p.starts_with("processed_images/")),
        "the new thumbnail: {:?}",
        replaced_paths(&lists)
    );
    apply(&mut files, patched.files);
    apply(&mut files, lists);
    // A full build serves made images from the cache, a patch as bytes.
    let bytes = |body: Option<&Body>| match body {
        Some(Body::Bytes(b)) => Some(b.to_vec()),
        Some(Body::File(path, _)) => std::fs::read(path).ok(),
        None => None,
    };
    let full = full_build(&site);
    let mut differ: Vec<&String> = full
        .keys()
        .chain(files.keys())
        .filter(|k| bytes(full.get(*k)) != bytes(files.get(*k)))
        .collect();
    differ.sort();
    differ.dedup();
    assert!(
        differ.is_empty(),
        "the patched site differs from a full build at {differ:?}"
    );
}

#[test]
fn a_new_post_is_previewed_as_a_full_build_renders_it_and_only_a_plain_one() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Preview\"\nbase_url = \"https://example.org\"\ntaxonomies = [\"tags\"]\n",
    );
    site.post("p1", "title: Post 1\ndate: 2024-01-01\ntags: [a]", "One.\n");
    site.post("p3", "title: Post 3\ndate: 2024-01-03", "Three.\n");
    site.post("p5", "title: Post 5\ndate: 2024-01-05", "Five.\n");
    site.file("content/about.md", "---\ntitle: About\n---\nAbout.\n");
    let (mut built, _) = served(&site);
    // Every per-page list of the model, which a preview must leave as it was.
    let lengths = |site: &blog::site::Site| {
        [
            site.pages.len(),
            site.neighbours.len(),
            site.page_section.len(),
            site.page_terms.len(),
            site.page_series.len(),
            site.related.len(),
        ]
    };
    let pages = lengths(&built.site);
    assert!(pages.iter().all(|&n| n == pages[0]), "{pages:?}");

    // Between p3 and p5 by date, with no tags (so no related posts): its
    // page is the one a full build makes.
    site.post("p4", "title: Post 4\ndate: 2024-01-04", "Four, new.\n");
    let shown = built
        .preview_new(&changed(&site, &["content/posts/p4.md"]))
        .expect("a preview");
    assert_eq!(replaced_paths(&shown), vec!["posts/p4/index.html"]);
    assert_eq!(lengths(&built.site), pages, "the model is as it was");
    let full = full_build(&site);
    let Some(Body::Bytes(expected)) = full.get("posts/p4/index.html") else {
        panic!("no posts/p4/index.html in a full build");
    };
    assert_eq!(
        String::from_utf8_lossy(&shown[0].1),
        String::from_utf8_lossy(expected),
        "the preview is the page a full build renders"
    );
    let page = String::from_utf8_lossy(&shown[0].1).into_owned();
    assert!(
        page.contains("Post 3") && page.contains("Post 5"),
        "its neighbours: {page}"
    );

    // With a term that exists, the page names it.
    site.post(
        "p2",
        "title: Post 2\ndate: 2024-01-02\ntags: [a, brand-new]",
        "Two.\n",
    );
    let shown = built
        .preview_new(&changed(&site, &["content/posts/p2.md"]))
        .expect("a preview with terms");
    let page = String::from_utf8_lossy(&shown[0].1).into_owned();
    assert!(page.contains("/tags/a/"), "the existing term: {page}");
    site.remove("content/posts/p2.md");

    // Anything but a plain new post is left to the rebuild.
    site.post(
        "draft",
        "title: Draft\ndate: 2024-01-06\ndraft: true",
        "Draft.\n",
    );
    site.post("later", "title: Later\ndate: 2099-01-01", "Later.\n");
    site.post(
        "taken",
        "title: Taken\ndate: 2024-01-07\nslug: p5",
        "Same URL as p5.\n",
    );
    site.post(
        "broken",
        "title: [unclosed\ndate: 2024-01-08",
        "Bad front matter.\n",
    );
    site.file(
        "content/notes/first.md",
        "---\ntitle: First note\n---\nA new section.\n",
    );
    site.file(
        "content/posts/bundle/index.md",
        "---\ntitle: Bundle\ndate: 2024-01-09\n---\nA bundle.\n",
    );
    site.file("content/posts/_index.md", "---\ntitle: Posts\n---\n");
    for rels in [
        &["content/posts/draft.md"][..],
        &["content/posts/later.md"],
        &["content/posts/taken.md"],
        &["content/posts/broken.md"],
        &["content/notes/first.md"],
        &["content/posts/bundle/index.md"],
        &["content/posts/_index.md"],
        // An edit of an existing post is the patch's, not a preview.
        &["content/posts/p1.md"],
        &["content/posts/p4.md", "content/posts/p1.md"],
    ] {
        assert!(
            built.preview_new(&changed(&site, rels)).is_none(),
            "{rels:?} is not previewed"
        );
        assert_eq!(lengths(&built.site), pages, "the model is as it was");
    }
}

#[test]
fn the_single_page_fast_path_matches_a_full_build_and_knows_its_limits() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Fast\"\nbase_url = \"https://example.org\"\n[feed]\nlimit = 2\n",
    );
    for i in 1..=4 {
        site.post(
            &format!("p{i}"),
            &format!("title: Post {i}\ndate: 2024-01-0{i}\ntags: [a]"),
            &format!("Summary {i}.\n\nBody {i}.\n"),
        );
    }
    let (mut built, mut files) = served(&site);

    // A body edit of the newest post: the page and both feeds, nothing else.
    site.post(
        "p4",
        "title: Post 4\ndate: 2024-01-04\ntags: [a]",
        "Summary 4.\n\nBody 4, longer now.\n",
    );
    let replaced = built
        .patch(&changed(&site, &["content/posts/p4.md"]))
        .expect("fast path");
    let paths = replaced_paths(&replaced);
    assert_eq!(
        paths,
        vec!["atom.xml", "feed.json", "posts/p4/index.html", "rss.xml"]
    );
    apply(&mut files, replaced);
    assert_eq!(
        files,
        full_build(&site),
        "the patched site equals a full build"
    );

    // An old post outside the feeds: the page only.
    site.post(
        "p1",
        "title: Post 1\ndate: 2024-01-01\ntags: [a]",
        "Summary 1.\n\nBody 1 edited.\n",
    );
    let replaced = built
        .patch(&changed(&site, &["content/posts/p1.md"]))
        .expect("fast path");
    assert_eq!(replaced.len(), 1);
    apply(&mut files, replaced);
    // A new link to a markdown file, past the summary: patched, pointing at
    // the page, as a full build has it.
    site.post(
        "p1",
        "title: Post 1\ndate: 2024-01-01\ntags: [a]",
        "Summary 1.\n\nSee [three](p3.md).\n",
    );
    let replaced = built
        .patch(&changed(&site, &["content/posts/p1.md"]))
        .expect("fast path for a new file link");
    assert!(
        String::from_utf8_lossy(&replaced[0].1)
            .contains("<a href=\"http://127.0.0.1:1111/posts/p3/\">three</a>"),
        "the link points at the page"
    );
    apply(&mut files, replaced);
    assert_eq!(
        files,
        full_build(&site),
        "the patched site equals a full build"
    );

    // A new summary: the page and every list that shows it, which keep
    // their members and order; not the archive, which shows no summaries,
    // nor the feeds, which do not list p2.
    site.post(
        "p2",
        "title: Post 2\ndate: 2024-01-02\ntags: [a]",
        "A new summary.\n\nBody 2.\n",
    );
    let replaced = built
        .patch(&changed(&site, &["content/posts/p2.md"]))
        .expect("fast path for a summary edit");
    let paths = replaced_paths(&replaced);
    assert_eq!(
        paths,
        vec![
            "index.html",
            "posts/index.html",
            "posts/p2/index.html",
            "tags/a/index.html"
        ]
    );
    apply(&mut files, replaced);
    assert_eq!(
        files,
        full_build(&site),
        "the patched site equals a full build"
    );
    site.post(
        "p2",
        "title: Post 2\ndate: 2024-01-02\ntags: [a]",
        "Summary 2.\n\nBody 2.\n",
    );
    assert!(built
        .patch(&changed(&site, &["content/posts/p2.md"]))
        .is_some());

    // Anything lists show needs the full path, and leaves the model as it was.
    for (front, body) in [
        (
            "title: Post 2\ndate: 2024-01-09\ntags: [a]",
            "Summary 2.\n\nBody 2.\n",
        ),
        (
            "title: Post 2\ndate: 2024-01-02\ntags: [a, b]",
            "Summary 2.\n\nBody 2.\n",
        ),
        (
            "title: Post 2\ndate: 2024-01-02\ntags: [a]\ndraft: true",
            "Summary 2.\n\nBody 2.\n",
        ),
        ("title: Post 2\ndate: nope", "Summary 2.\n"),
        (
            "title: Post 2\ndate: 2024-01-02\ntags: [a]",
            "Summary 2.\n\nA [broken link](/nowhere/).\n",
        ),
    ] {
        site.post("p2", front, body);
        assert!(
            built
                .patch(&changed(&site, &["content/posts/p2.md"]))
                .is_none(),
            "{front} / {body} must rebuild"
        );
        let title = &built
            .site
            .pages
            .iter()
            .find(|p| p.slug == "p2")
            .expect("p2")
            .title;
        assert_eq!(
            title, "Post 2",
            "the model is unchanged after a refused patch"
        );
    }
    // An editor's temporary files, gone by the time the batch arrives, do
    // not stop the fast path; a page or folder that is gone does.
    site.post(
        "p3",
        "title: Post 3\ndate: 2024-01-03\ntags: [a]",
        "Summary 3.\n\nBody 3, saved by an editor.\n",
    );
    let batch = changed(
        &site,
        &[
            "content/posts/p3.md",
            "content/posts/4913",
            "content/posts/p3.md~",
            "content/posts/p3.md___jb_tmp___",
        ],
    );
    let replaced = built.patch(&batch).expect("temporary files are ignored");
    assert!(replaced.iter().any(|(p, _)| p == "posts/p3/index.html"));
    std::fs::rename(site.path("content/posts/p3.md"), site.path("p3.md.moved")).expect("move p3");
    assert!(
        built
            .patch(&changed(&site, &["content/posts/p3.md"]))
            .is_none(),
        "a deleted page needs a rebuild"
    );
    std::fs::rename(site.path("p3.md.moved"), site.path("content/posts/p3.md"))
        .expect("restore p3");
    std::fs::rename(site.path("content/posts"), site.path("posts.moved")).expect("move posts");
    assert!(
        built.patch(&changed(&site, &["content/posts"])).is_none(),
        "a folder that held pages needs a rebuild"
    );
    std::fs::rename(site.path("posts.moved"), site.path("content/posts")).expect("restore posts");

    site.file("content/posts/new.md", "---\ntitle: New\n---\n");
    assert!(
        built
            .patch(&changed(&site, &["content/posts/new.md"]))
            .is_none(),
        "a new page needs a rebuild"
    );
    assert!(built
        .patch(&changed(&site, &["templates/page.html"]))
        .is_none());
}

#[test]
fn a_new_title_is_patched_unless_a_title_orders_a_list_or_names_a_root_page() {
    let site = SiteTest::new();
    // Related posts would name every post on every other (see below).
    site.file(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\n[feed]\nlimit = 1\n[related]\nenabled = false\n",
    );
    for i in 1..=4 {
        site.post(
            &format!("p{i}"),
            &format!("title: Post {i}\ndate: 2024-01-0{i}\ntags: [a]"),
            &format!("Summary {i}.\n\nBody {i}.\n"),
        );
    }
    site.file(
        "content/notes/_index.md",
        "---\ntitle: Notes\nsort_by: title\n---\n",
    );
    site.file("content/notes/n1.md", "---\ntitle: Alpha\n---\nA.\n");
    site.file("content/notes/n2.md", "---\ntitle: Beta\n---\nB.\n");
    site.file("content/about.md", "---\ntitle: About\n---\nMe.\n");
    let (mut built, mut files) = served(&site);

    // Post 2 renamed: the page, both neighbours (their links name it), every
    // list and the archive; not the feeds, which list only Post 4.
    site.post(
        "p2",
        "title: Post Two\ndate: 2024-01-02\ntags: [a]",
        "Summary 2.\n\nBody 2.\n",
    );
    let replaced = built
        .patch(&changed(&site, &["content/posts/p2.md"]))
        .expect("fast path for a new title");
    let paths = replaced_paths(&replaced);
    assert_eq!(
        paths,
        vec![
            "archive/index.html",
            "index.html",
            "posts/index.html",
            "posts/p1/index.html",
            "posts/p2/index.html",
            "posts/p3/index.html",
            "tags/a/index.html",
        ]
    );
    apply(&mut files, replaced);
    assert_eq!(
        files,
        full_build(&site),
        "the patched site equals a full build"
    );

    // The newest post is in the feeds too.
    site.post(
        "p4",
        "title: Post Four\ndate: 2024-01-04\ntags: [a]",
        "Summary 4.\n\nBody 4.\n",
    );
    let replaced = built
        .patch(&changed(&site, &["content/posts/p4.md"]))
        .expect("fast path for a new title");
    assert!(replaced.iter().any(|(p, _)| p == "rss.xml"));
    assert!(replaced.iter().any(|(p, _)| p == "posts/p3/index.html"));
    apply(&mut files, replaced);
    assert_eq!(
        files,
        full_build(&site),
        "the patched site equals a full build"
    );

    // In a section sorted by title, a new title may reorder: a rebuild. So
    // does a new title of a root page, which every page's navigation names.
    site.file("content/notes/n1.md", "---\ntitle: Gamma\n---\nA.\n");
    assert!(built
        .patch(&changed(&site, &["content/notes/n1.md"]))
        .is_none());
    site.file("content/about.md", "---\ntitle: About us\n---\nMe.\n");
    assert!(built
        .patch(&changed(&site, &["content/about.md"]))
        .is_none());
    let title = |slug: &str| {
        built
            .site
            .pages
            .iter()
            .find(|p| p.slug == slug)
            .expect(slug)
            .title
            .clone()
    };
    assert_eq!(
        title("n1"),
        "Alpha",
        "the model is unchanged after a refused patch"
    );
    assert_eq!(title("about"), "About");
}

#[test]
fn a_new_title_rerenders_the_series_and_related_lists_naming_it() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\n",
    );
    for (i, series) in [(1, "S"), (2, "S"), (3, "S"), (4, "")] {
        site.post(
            &format!("p{i}"),
            &format!(
                "title: Post {i}\ndate: 2024-01-0{i}\ntags: [t{}]\nseries: {series}",
                i % 2
            ),
            &format!("Body {i}.\n"),
        );
    }
    let (mut built, mut files) = served(&site);
    // p2 is part 2 of S (with p1, p3) and related to p4 (tag t0).
    site.post(
        "p2",
        "title: Post Two\ndate: 2024-01-02\ntags: [t0]\nseries: S",
        "Body 2.\n",
    );
    let replaced = built
        .patch(&changed(&site, &["content/posts/p2.md"]))
        .expect("fast path for a new title");
    let paths = replaced_paths(&replaced);
    for path in [
        "posts/p1/index.html",
        "posts/p3/index.html",
        "posts/p4/index.html",
        "series/s/index.html",
    ] {
        assert!(paths.contains(&path), "{path}: {paths:?}");
    }
    apply(&mut files, replaced);
    assert_eq!(
        files,
        full_build(&site),
        "the patched site equals a full build"
    );
    // Leaving the series moves the page in the model: a rebuild.
    site.post(
        "p2",
        "title: Post Two\ndate: 2024-01-02\ntags: [t0]",
        "Body 2.\n",
    );
    assert!(built
        .patch(&changed(&site, &["content/posts/p2.md"]))
        .is_none());
}

#[test]
fn the_fast_path_rechecks_links_to_a_page_whose_ids_change() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"L\"\nbase_url = \"https://example.org\"\n",
    );
    site.post(
        "a",
        "title: A\ndate: 2024-01-01",
        "See [b's part](/posts/b/#part).\n",
    );
    site.post(
        "b",
        "title: B\ndate: 2024-01-02",
        "Intro.\n\n## Part\n\nText.\n",
    );
    let sink = MemorySink::default();
    let (_, mut built) =
        build_into(&options(&site), &sink, None, &mut Default::default()).expect("build");
    let changed: std::collections::BTreeSet<_> = [site
        .root()
        .canonicalize()
        .expect("root")
        .join("content/posts/b.md")]
    .into_iter()
    .collect();
    // Same ids: the fast path.
    site.post(
        "b",
        "title: B\ndate: 2024-01-02",
        "Intro.\n\n## Part\n\nMore text.\n",
    );
    assert!(built.patch(&changed).is_some());
    // The heading a's link names is gone: a rebuild, which reports it.
    site.post(
        "b",
        "title: B\ndate: 2024-01-02",
        "Intro.\n\n## Renamed\n\nText.\n",
    );
    assert!(built.patch(&changed).is_none());
    let sink = MemorySink::default();
    let (report, mut built) =
        build_into(&options(&site), &sink, None, &mut Default::default()).expect("build");
    let warnings: Vec<String> = report.warnings.iter().map(|d| d.to_string()).collect();
    assert!(
        warnings.len() == 1 && warnings[0].starts_with("content/posts/a.md:5:5: warning:"),
        "{warnings:?}"
    );
    // A warning the last build printed does not stop the fast path.
    site.post(
        "b",
        "title: B\ndate: 2024-01-02",
        "Intro.\n\n## Renamed\n\nOther text.\n",
    );
    assert!(built.patch(&changed).is_some());
    // In a strict build the broken anchor fails it.
    let mut strict = options(&site);
    strict.strict = true;
    let Err(blog::build::BuildError::Site(failed)) =
        build_into(&strict, &sink, None, &mut Default::default())
    else {
        panic!("the strict rebuild must fail on the broken anchor");
    };
    assert!(
        failed
            .to_string()
            .contains("content/posts/a.md:5:5: error:"),
        "{failed}"
    );
}

#[test]
fn the_fast_path_rewrites_the_feeds_of_the_edited_posts_terms_and_section() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Feeds\"\nbase_url = \"https://example.org\"\n\
         taxonomies = [{ name = \"tags\", feed = true }]\n",
    );
    site.post(
        "a",
        "title: A\ndate: 2024-01-01\ntags: [x]",
        "Summary A.\n\nBody A.\n",
    );
    site.post(
        "b",
        "title: B\ndate: 2024-01-02\ntags: [y]",
        "Summary B.\n\nBody B.\n",
    );
    site.file(
        "content/posts/_index.md",
        "---\ntitle: Posts\nfeed: true\n---\n",
    );
    let sink = MemorySink::default();
    let (_, mut built) =
        build_into(&options(&site), &sink, None, &mut Default::default()).expect("build");
    let mut files = sink.into_parts().0;
    assert!(files.contains_key("tags/x/rss.xml") && files.contains_key("tags/y/atom.xml"));

    site.post(
        "a",
        "title: A\ndate: 2024-01-01\ntags: [x]",
        "Summary A.\n\nBody A, edited.\n",
    );
    let root = site.root().canonicalize().expect("root");
    let replaced = built
        .patch(&[root.join("content/posts/a.md")].into_iter().collect())
        .expect("fast path");
    let paths = replaced_paths(&replaced);
    assert_eq!(
        paths,
        vec![
            "atom.xml",
            "feed.json",
            "posts/a/index.html",
            "posts/atom.xml",
            "posts/feed.json",
            "posts/rss.xml",
            "rss.xml",
            "tags/x/atom.xml",
            "tags/x/feed.json",
            "tags/x/rss.xml"
        ]
    );
    apply(&mut files, replaced);
    assert_eq!(
        files,
        full_build(&site),
        "the patched site equals a full build"
    );
}
