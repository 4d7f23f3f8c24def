//! `blog import --from jekyll|hugo|zola SRC DEST`, one behaviour each, on
//! fixture sites written here: what each generator's constructs become in
//! the new site's files, that every old URL answers after `blog build`,
//! that SRC is only read, and that a failed import writes nothing. The
//! comparison with the real Jekyll and Hugo is in tests/import_real.rs.

mod common;

use common::{snapshot, SiteTest};

/// The file that answers `url` in `public`, following a redirect page; a
/// site published under a path prefix has its files without it.
fn answers(site: &SiteTest, url: &str) -> Option<String> {
    let rel = url.trim_start_matches('/');
    let rel = rel.strip_prefix("zs/").unwrap_or(rel);
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("out/public/{rel}index.html")
    } else {
        format!("out/public/{rel}")
    };
    if !site.exists(&file) {
        return None;
    }
    let text = site.read(&file);
    if let Some(at) = text.find("http-equiv=\"refresh\"") {
        let rest = &text[at..];
        let target = rest.split("url=").nth(1)?.split('"').next()?;
        let path = target
            .strip_prefix("https://example.org")
            .unwrap_or(target)
            .to_string();
        return answers(site, &path).map(|f| format!("{file} -> {f}"));
    }
    Some(file)
}

#[track_caller]
fn assert_answers(site: &SiteTest, urls: &[&str]) {
    let missing: Vec<&&str> = urls.iter().filter(|u| answers(site, u).is_none()).collect();
    if !missing.is_empty() {
        let mut written: Vec<String> = snapshot(&site.path("out/public")).into_keys().collect();
        written.sort();
        panic!("these old URLs do not answer: {missing:?}\nblog wrote: {written:#?}");
    }
}

fn jekyll_site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "src/_config.yml",
        "title: Jay's Notes\ndescription: Notes\nauthor:\n  name: Jay\nurl: https://example.org\npermalink: /:categories/:year/:month/:day/:title:output_ext\nexcerpt_separator: <!--cut-->\nplugins: [jekyll-feed, jekyll-archives]\ndefaults:\n  - scope: {path: \"\", type: posts}\n    values: {layout: post, comments: true}\n",
    )
    .file(
        "src/_posts/2020-01-02-hello.md",
        "---\ntitle: Hello\ncategories: [Rust, web]\ntags: a b\n---\nIntro at {{ site.url }}.\n<!--cut-->\nSee [the next one]({% post_url 2020-02-03-second %}).\n\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n\n{% youtube dQw4w9WgXcQ %}\n\n{% include note.html %}\n\n```liquid\n{% raw %}{{ page.title }}{% endraw %} {% if x %}\n```\n",
    )
    .file(
        "src/_posts/2020-02-03-second.markdown",
        "---\ntitle: Second\ncategory: notes\npublished: true\nredirect_from: /old-second/\n---\nTwo {% raw %}{{ x }}{% endraw %}.\n",
    )
    .file(
        "src/_posts/2019/2019-05-06-older.md",
        "---\ntitle: Older\npermalink: /:year/:title/\nlayout: post\n---\nOld.\n",
    )
    .file("src/_drafts/a-draft.md", "---\ntitle: Draft one\n---\nDraft.\n")
    .file(
        "src/_posts/2020-06-01-gone.md",
        "---\ntitle: Gone\nredirect_to: https://elsewhere.example/\n---\n",
    )
    .file(
        "src/_posts/2020-03-04-unpublished.md",
        "---\ntitle: Not yet\npublished: false\n---\nLater.\n",
    )
    .file("src/about.md", "---\ntitle: About\nlayout: page\n---\nAbout me.\n")
    .file("src/docs/guide.md", "---\ntitle: Guide\n---\nGuide.\n")
    .file("src/contact.md", "---\ntitle: Contact\npermalink: /contact/\n---\nWrite.\n")
    .file("src/index.html", "---\nlayout: default\n---\n{% for p in site.posts %}{{ p.title }}{% endfor %}\n")
    .file("src/feed.xml", "---\n---\n<feed/>\n")
    .file("src/assets/img/pic.png", "not really a png")
    .file("src/README.md", "A file without front matter: Jekyll copies it as it is.\n")
    .file("src/Gemfile", "source 'https://rubygems.org'\n")
    .file("src/_layouts/default.html", "{{ content }}")
    .file("src/_includes/note.html", "<aside>note</aside>");
    site
}

#[test]
fn a_jekyll_site_becomes_a_native_site_with_every_old_url() {
    let site = jekyll_site();
    let before = snapshot(&site.path("src"));
    let run = site.run(&["import", "--from", "jekyll", "src", "out"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        before,
        snapshot(&site.path("src")),
        "SRC must be left as it was"
    );

    let config = site.read("out/config.toml");
    for line in [
        "title = \"Jay's Notes\"",
        "author = \"Jay\"",
        "base_url = \"https://example.org\"",
        "posts = \"/:categories/:year/:month/:day/:title:output_ext\"",
        "heading_ids = \"github\"",
    ] {
        assert!(config.contains(line), "{line} not in:\n{config}");
    }

    // Front matter in blog's keys, defaults applied, the rest under [extra].
    let hello = site.read("out/content/posts/2020-01-02-hello.md");
    assert!(hello.starts_with("+++\ntitle = \"Hello\"\n"), "{hello}");
    assert!(
        hello.contains("categories = [\"Rust\", \"web\"]"),
        "{hello}"
    );
    assert!(hello.contains("tags = [\"a\", \"b\"]"), "{hello}");
    assert!(hello.contains("[extra]\ncomments = true"), "{hello}");
    assert!(!hello.contains("layout"), "{hello}");
    // Liquid as markdown and blog's shortcodes; code left exactly as written.
    assert!(
        hello.contains("Intro at https://example.org.\n<!-- more -->"),
        "{hello}"
    );
    assert!(hello.contains("(@/posts/2020-02-03-second.md)"), "{hello}");
    assert!(hello.contains("```ruby\nputs 1\n```"), "{hello}");
    assert!(
        hello.contains("{{ youtube(id=\"dQw4w9WgXcQ\") }}"),
        "{hello}"
    );
    assert!(
        hello.contains("\\{\\% include note\\.html \\%\\}"),
        "{hello}"
    );
    assert!(
        hello.contains("```liquid\n{{ page.title }} {% if x %}\n```"),
        "{hello}"
    );
    let second = site.read("out/content/posts/2020-02-03-second.md");
    assert!(second.contains("categories = [\"notes\"]"), "{second}");
    assert!(second.contains("aliases = [\"/old-second/\"]"), "{second}");
    assert!(!second.contains("published"), "{second}");
    let older = site.read("out/content/posts/2019/2019-05-06-older.md");
    assert!(older.contains("path = \"/2019/older/\""), "{older}");
    assert!(site
        .read("out/content/posts/a-draft.md")
        .contains("draft = true"));
    assert!(site
        .read("out/content/posts/2020-03-04-unpublished.md")
        .contains("draft = true"));
    assert!(site
        .read("out/content/about.md")
        .contains("path = \"/about.html\""));
    assert!(site.exists("out/static/assets/img/pic.png"));
    assert!(site.exists("out/static/README.md"));
    assert!(
        !site.exists("out/static/Gemfile"),
        "Jekyll leaves the Gemfile out"
    );
    assert!(!site.exists("out/static/index.html"));

    // What was left behind, each at its place.
    for line in [
        "src/_posts/2020-01-02-hello.md:16:1: `{% include note.html %}` is shown as written",
        "src/_posts/2019/2019-05-06-older.md:4:1: the layout `post` is not kept",
        "src/_layouts: Jekyll's layouts are not imported",
        "src/_includes: Jekyll's includes are not imported",
        "src/index.html: a page made with Liquid is not imported",
        "src/feed.xml: is not imported: blog writes the feeds itself",
        "src/_config.yml: the plugin jekyll-archives does not run in blog",
    ] {
        assert!(run.stdout.contains(line), "{line} not in:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("jekyll-feed"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("Imported the Jekyll site at src into out: 9 pages (2 drafts)"),
        "{}",
        run.stdout
    );

    site.run(&["build", "--root", "out"]).assert_ok();
    assert_answers(
        &site,
        &[
            "/rust/web/2020/01/02/hello.html",
            "/notes/2020/02/03/second.html",
            "/old-second/",
            "/2019/older/",
            "/about.html",
            "/docs/guide.html",
            "/contact/",
            "/assets/img/pic.png",
        ],
    );
    let gone = site.read("out/public/2020/06/01/gone.html");
    assert!(gone.contains("url=https://elsewhere.example/"), "{gone}");
    assert!(!site.exists("out/public/posts/a-draft/index.html"));
    let page = site.read("out/public/rust/web/2020/01/02/hello.html");
    assert!(
        page.contains("youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        "{page}"
    );
    assert!(
        page.contains("href=\"https://example.org/notes/2020/02/03/second.html\""),
        "{page}"
    );
    // Built again, the imported site has nothing blog would warn of but
    // the include it could not run.
    let check = site.run(&["check", "--root", "out"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn a_hugo_site_keeps_its_urls_shortcodes_and_bundles() {
    let site = SiteTest::new();
    site.file(
        "src/hugo.toml",
        "baseURL = \"https://example.org/\"\ntitle = \"Hugo Site\"\nlanguageCode = \"en-gb\"\npaginate = 7\n[permalinks]\nposts = \"/:year/:month/:title/\"\n[taxonomies]\ntag = \"tags\"\nseries = \"series\"\n[params]\ndescription = \"Words\"\nauthor = \"Hu\"\n",
    )
    .file(
        "src/content/posts/first.md",
        "---\ntitle: \"My First Post\"\ndate: 2021-03-04T10:00:00+0100\ntags: [a]\nseries: [intro]\ntoc: true\n---\nHi {{< youtube dQw4w9WgXcQ >}} and [about]({{< ref \"about.md\" >}}).\n\n{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n\n{{< unknown thing >}}\n\n`{{< youtube x >}}` stays.\n",
    )
    .file(
        "src/content/posts/second.md",
        "+++\ntitle = \"Second\"\ndate = 2021-04-05\nslug = \"chosen\"\naliases = [\"/old/second/\"]\nlastmod = 2021-05-01\n+++\n{{< figure src=\"/img.png\" caption=\"A caption\" >}}\n",
    )
    .file(
        "src/content/posts/json.md",
        "{\n\"title\": \"Json Post\",\n\"date\": \"2021-05-06\",\n\"url\": \"/special/json/\"\n}\nJSON.\n",
    )
    .file("src/content/posts/trip/index.md", "---\ntitle: Trip\ndate: 2021-06-07\n---\n![p](photo.jpg)\n")
    .file("src/content/posts/trip/photo.jpg", "jpg")
    .file("src/content/posts/_index.md", "---\ntitle: All posts\n---\n")
    .file("src/content/about.md", "---\ntitle: About\n---\nAbout.\n")
    .file("src/content/notes/my_note.md", "---\ntitle: A Note\n---\nNote.\n")
    .file("src/content/notes/unfinished.md", "---\ntitle: Unfinished\ndraft: true\n---\nLater.\n")
    .file("src/static/favicon.ico", "ico")
    .file("src/layouts/shortcodes/unknown.html", "{{ .Get 0 }}");
    let before = snapshot(&site.path("src"));
    let run = site.run(&["import", "--from", "hugo", "src", "out"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(before, snapshot(&site.path("src")));

    let config = site.read("out/config.toml");
    for line in [
        "base_url = \"https://example.org\"",
        "language = \"en-gb\"",
        "paginate = 7",
        "description = \"Words\"",
        "author = \"Hu\"",
        "posts = \"/:year/:month/:slug/\"",
        "name = \"series\"",
        "heading_ids = \"github\"",
    ] {
        assert!(config.contains(line), "{line} not in:\n{config}");
    }
    let first = site.read("out/content/posts/first.md");
    assert!(
        first.contains("{{ youtube(id=\"dQw4w9WgXcQ\") }}"),
        "{first}"
    );
    assert!(first.contains("[about](about.md)"), "{first}");
    assert!(first.contains("```go\nfunc main() {}\n```"), "{first}");
    assert!(first.contains("`{{< youtube x >}}` stays."), "{first}");
    assert!(first.contains("series = [\"intro\"]"), "{first}");
    assert!(first.contains("[extra]\ntoc = true"), "{first}");
    assert!(first.contains("slug = \"my-first-post\""), "{first}");
    let second = site.read("out/content/posts/second.md");
    assert!(second.contains("updated = 2021-05-01"), "{second}");
    assert!(
        second.contains("aliases = [\"/old/second/\", \"/2021/04/second/\"]"),
        "{second}"
    );
    assert!(
        second.contains("{{ figure(src=\"/img.png\", caption=\"A caption\") }}"),
        "{second}"
    );
    assert!(site
        .read("out/content/posts/json.md")
        .contains("path = \"/special/json/\""));
    assert!(site.exists("out/content/posts/trip/photo.jpg"));
    assert!(site.exists("out/static/favicon.ico"));
    assert!(site
        .read("out/content/notes/unfinished.md")
        .contains("draft = true"));
    assert!(
        run.stdout.contains(
            "src/content/posts/first.md:14:1: `{{< unknown thing >}}` is shown as written"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("src/layouts/shortcodes/unknown.html: this shortcode is a Go template"),
        "{}",
        run.stdout
    );

    site.run(&["build", "--root", "out", "--drafts"])
        .assert_ok();
    // Hugo's `:title` is the title: given as the slug where the page has
    // none, an alias where its slug differs; `url`, bundles, root pages
    // and underscores in names as Hugo writes them.
    assert_answers(
        &site,
        &[
            "/2021/03/my-first-post/",
            "/2021/04/second/",
            "/old/second/",
            "/special/json/",
            "/2021/06/trip/",
            "/2021/06/trip/photo.jpg",
            "/about/",
            "/notes/my_note/",
            "/posts/",
            "/favicon.ico",
        ],
    );
    let page = answers(&site, "/2021/03/my-first-post/").expect("answers");
    let target = page.rsplit(" -> ").next().expect("file");
    assert!(site
        .read(target)
        .contains("href=\"https://example.org/about/\""));
}

#[test]
fn a_zola_site_keeps_its_shortcodes_paths_and_sections() {
    let site = SiteTest::new();
    site.file(
        "src/config.toml",
        "base_url = \"https://example.org/zs\"\ntitle = \"Zola Site\"\ncompile_sass = true\ndefault_language = \"fr\"\ntaxonomies = [{name = \"tags\", feed = true, paginate_by = 3}]\n[markdown]\nhighlight_code = true\n[extra]\ngithub = \"someone\"\n",
    )
    .file("src/content/_index.md", "+++\ntitle = \"Home\"\n+++\n")
    .file("src/content/blog/_index.md", "+++\ntitle = \"Blog\"\nsort_by = \"title\"\npaginate_by = 5\n+++\n")
    .file(
        "src/content/blog/first.md",
        "+++\ntitle = \"First\"\ndate = 2022-01-01\n[taxonomies]\ntags = [\"x\"]\n+++\nSee [other](@/blog/other.md) {{ shout(text=\"hi\") }}.\n\n{{/* youtube(id=\"escaped\") */}}\n",
    )
    .file(
        "src/content/blog/other.md",
        "+++\ntitle = \"Other\"\ndate = 2022-01-02\nslug = \"renamed\"\naliases = [\"/old/other/\"]\ntemplate = \"special.html\"\n[extra]\nmood = \"ok\"\n+++\nOther.\n",
    )
    .file("src/content/blog/pathy.md", "+++\ntitle = \"Pathy\"\npath = \"elsewhere/pathy\"\n+++\nP.\n")
    .file("src/content/blog/bundle/index.md", "+++\ntitle = \"Bundle\"\n+++\n![x](pic.png)\n")
    .file("src/content/blog/bundle/pic.png", "png")
    .file("src/templates/shortcodes/shout.html", "<b class=\"shout\">{{ text }}</b>")
    .file("src/templates/page.html", "{{ page.content | safe }}")
    .file("src/sass/site.scss", "@use \"vars\";\na { b: vars.$c }")
    .file("src/sass/_vars.scss", "$c: d;\n");
    let run = site.run(&["import", "--from", "zola", "src", "out"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let config = site.read("out/config.toml");
    for line in [
        "language = \"fr\"",
        "highlight = true",
        "github = \"someone\"",
        "paginate = 3",
        "heading_ids = \"zola\"",
    ] {
        assert!(config.contains(line), "{line} not in:\n{config}");
    }
    let first = site.read("out/content/blog/first.md");
    assert!(first.contains("{{ shout(text=\"hi\") }}"), "{first}");
    assert!(
        first.contains("{{/* youtube(id=\"escaped\") */}}"),
        "{first}"
    );
    let section = site.read("out/content/blog/_index.md");
    assert!(
        section.contains("sort_by = \"title\"") && section.contains("paginate = 5"),
        "{section}"
    );
    assert!(site.exists("out/templates/shortcodes/shout.html"));
    assert!(!site.exists("out/templates/page.html"));
    assert!(
        run.stdout
            .contains("src/content/blog/other.md:6:1: the template `special` is not kept"),
        "{}",
        run.stdout
    );
    // Zola compiled sass/ (`compile_sass`), and so does blog.
    assert!(site.exists("out/sass/site.scss") && site.exists("out/sass/_vars.scss"));
    assert!(!run.stdout.contains("sass"), "{}", run.stdout);

    site.run(&["build", "--root", "out"]).assert_ok();
    assert_eq!(site.read("out/public/site.css"), "a {\n  b: d;\n}\n");
    assert_answers(
        &site,
        &[
            "/zs/blog/first/",
            "/zs/blog/renamed/",
            "/zs/old/other/",
            "/zs/elsewhere/pathy/",
            "/zs/blog/bundle/pic.png",
            "/zs/blog/",
        ],
    );
    let first = site.read("out/public/blog/first/index.html");
    assert!(first.contains("<b class=\"shout\">hi</b>"), "{first}");
    // The escaped call is shown, not run.
    assert!(first.contains("<p>{{ youtube(id="), "{first}");
}

#[test]
fn a_non_empty_dest_is_refused_and_left_alone() {
    let site = jekyll_site();
    site.file("out/notes.txt", "mine");
    let run = site.run(&["import", "--from", "jekyll", "src", "out"]);
    run.assert_fails()
        .assert_stderr_has("out: error: already exists and is not an empty folder")
        .assert_stderr_has("nothing was written to out");
    assert_eq!(snapshot(&site.path("out")).len(), 1);
    assert_eq!(site.read("out/notes.txt"), "mine");
    // An empty one is used.
    std::fs::remove_file(site.path("out/notes.txt")).expect("rm");
    let run = site.run(&["import", "--from", "jekyll", "src", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_missing_or_foreign_source_is_a_clear_error() {
    let site = jekyll_site();
    site.run(&["import", "--from", "jekyll", "nowhere", "out"])
        .assert_fails()
        .assert_stderr_has("nowhere: error: is not a folder");
    site.run(&["import", "--from", "hugo", "src", "out"])
        .assert_fails()
        .assert_stderr_has("src: error: is not a Hugo site: it has no hugo.toml");
    site.run(&["import", "--from", "zola", "src", "out"])
        .assert_fails()
        .assert_stderr_has("is not a Zola site");
    // A WordPress export is a file, not a folder.
    site.run(&["import", "--from", "wordpress", "src", "out"])
        .assert_fails()
        .assert_stderr_has("src: error: is not a file");
    let bad = site.run(&["import", "--from", "blogger", "src", "out"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(!site.exists("out"));
    site.run(&["import", "--from", "jekyll", "src", "src/new"])
        .assert_fails()
        .assert_stderr_has("is inside the site being imported");
    assert!(!site.exists("src/new"));
}

#[test]
fn bad_input_stops_the_import_at_its_place_and_writes_nothing() {
    let site = jekyll_site();
    site.file("src/_config.yml", "title: [unclosed\n");
    site.run(&["import", "--from", "jekyll", "src", "out"])
        .assert_fails()
        .assert_stderr_has("src/_config.yml:2:1: error: is not valid YAML");
    let site = jekyll_site();
    site.file(
        "src/_posts/2020-05-05-bad.md",
        "---\ntitle: Bad\ndate: 2020-13-45\n---\nx\n",
    );
    let run = site.run(&["import", "--from", "jekyll", "src", "out"]);
    run.assert_fails()
        .assert_stderr_has("src/_posts/2020-05-05-bad.md:3:");
    assert!(!site.exists("out"));
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("blog-import"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// What real Jekyll sites hold, each of which once lost a post or a URL:
/// two files of one name, a draft named as a post, category folders,
/// `_config.yaml`, `{{ site.baseurl }}{% post_url %}`, a post without a
/// date in its name, `url:` in a link post, Jekyll's exclusions anywhere.
#[test]
fn jekyll_sites_as_they_are_really_written() {
    let site = SiteTest::new();
    site.file(
        "src/_config.yaml",
        "url: https://example.org\nbaseurl: /blog\npermalink: pretty\ntimezone: Asia/Tokyo\ncollections:\n  recipes:\n    output: true\n",
    )
    .file(
        "src/_posts/2020-01-01-a.md",
        "---\ntitle: A md\n---\nSee [b]({{ site.baseurl }}{% post_url 2020-02-02-b %}).\n",
    )
    .file(
        "src/_posts/2020-01-01-a.markdown",
        "---\ntitle: A markdown\npermalink: /other/\n---\nOther.\n",
    )
    .file(
        "src/_posts/2020-02-02-b.md",
        "---\ntitle: B\nurl: https://elsewhere.example/\n---\nA link post.\n",
    )
    .file(
        "src/_posts/2020-09-22-tz.md",
        "---\ntitle: Late\ndate: 2020-09-22 20:00:00\n---\nYAML reads the time as UTC.\n",
    )
    .file(
        "src/blog/_posts/2020-04-04-both.md",
        "---\ntitle: Both\ncategories: [news]\n---\nFolder and own.\n",
    )
    .file("src/_recipes/veg/Kale.md", "---\ntitle: Kale\n---\nA collection's document.\n")
    .file("src/faq.html", "---\ntitle: FAQ\n---\n<p>Questions.</p>\n")
    .file("src/docs/index.md", "---\ntitle: Docs\n---\nThe docs.\n")
    .file("src/docs/guide.md", "---\ntitle: Guide\n---\nA guide.\n")
    .file(
        "src/_drafts/2020-02-02-b.md",
        "---\ntitle: B again\n---\nDraft.\n",
    )
    .file(
        "src/news/_posts/2020-03-03-n.md",
        "---\ntitle: News\n---\nNews.\n",
    )
    .file(
        "src/_posts/nodate.md",
        "---\ntitle: No date\n---\nNever published.\n",
    )
    .file("src/assets/_private/x.css", "x")
    .file("src/notes~", "backup")
    .file("src/.htaccess", "Options -Indexes\n")
    .file("src/.secret", "no");
    let run = site.run(&["import", "--from", "jekyll", "src", "out"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(site
        .read("out/config.toml")
        .contains("base_url = \"https://example.org/blog\""));
    // In name order, `a.markdown` keeps the name and `a.md` gets a `-2`.
    let a = site.read("out/content/posts/2020-01-01-a-2.md");
    assert!(a.contains("[b](@/posts/2020-02-02-b.md)"), "{a}");
    assert!(site
        .read("out/content/posts/2020-01-01-a.md")
        .contains("path = \"/other/\""));
    assert!(
        run.stdout
            .contains("src/_posts/2020-01-01-a.md: is written as content/posts/2020-01-01-a-2.md"),
        "{}",
        run.stdout
    );
    assert!(site
        .read("out/content/posts/2020-02-02-b-2.md")
        .contains("draft = true"));
    let b = site.read("out/content/posts/2020-02-02-b.md");
    assert!(
        b.contains("[extra]\nurl = \"https://elsewhere.example/\""),
        "{b}"
    );
    assert!(site
        .read("out/content/posts/news/2020-03-03-n.md")
        .contains("categories = [\"news\"]"));
    assert!(site
        .read("out/content/posts/nodate.md")
        .contains("draft = true"));
    assert!(
        run.stdout
            .contains("src/_posts/nodate.md: has no date in its name"),
        "{}",
        run.stdout
    );
    assert!(site.exists("out/static/.htaccess"));
    for gone in [
        "out/static/.secret",
        "out/static/notes~",
        "out/static/assets/_private/x.css",
    ] {
        assert!(!site.exists(gone), "{gone}");
    }
    site.run(&["build", "--root", "out"]).assert_ok();
    for file in [
        "2020/01/01/a/index.html",
        "other/index.html",
        "2020/02/02/b/index.html",
        "news/2020/03/03/n/index.html",
        // As the real Jekyll publishes them (pages too are `pretty`):
        "2020/09/23/tz/index.html",
        "blog/news/2020/04/04/both/index.html",
        "faq/index.html",
        "docs/index.html",
        "docs/guide/index.html",
        "recipes/veg/Kale/index.html",
    ] {
        assert!(site.exists(&format!("out/public/{file}")), "{file}");
    }
    let a = site.read("out/public/2020/01/01/a/index.html");
    assert!(
        a.contains("href=\"https://example.org/blog/2020/02/02/b/\""),
        "{a}"
    );
}

/// Hugo's and Zola's: a title made a URL as Hugo makes it, a ref to a
/// bundle by its name, a page in HTML, Zola's `_` after a file name's date.
#[test]
fn hugo_and_zola_names_as_they_make_them() {
    let site = SiteTest::new();
    site.file("hugo/hugo.toml", "baseURL = \"https://example.org/\"\n[permalinks]\nposts = \"/:title/\"\nnotes = \"/:year/:slug/\"\n")
        .file("hugo/content/posts/a.md", "---\ntitle: \"Hello - World, again\"\ndate: 2021-01-01\n---\nSee [the trip]({{< ref \"trip\" >}}).\n")
        .file("hugo/content/posts/trip/index.md", "---\ntitle: Trip\ndate: 2021-01-02\n---\nTrip.\n")
        .file("hugo/content/posts/old.html", "---\ntitle: Old\n---\n<p>Old</p>\n")
        .file("hugo/content/notes/moved.md", "---\ntitle: Moved\ndate: 2021-02-02\naliases: [old/moved, /rooted/]\n---\nMoved.\n")
        .file("hugo/content/notes/undated.md", "---\ntitle: Undated\n---\nNo date.\n")
        .file("outside/secret.txt", "not the site's");
    std::os::unix::fs::symlink(site.path("outside"), site.path("hugo/static/linked"))
        .or_else(|_| {
            std::fs::create_dir_all(site.path("hugo/static"))?;
            std::os::unix::fs::symlink(site.path("outside"), site.path("hugo/static/linked"))
        })
        .expect("symlink");
    std::fs::create_dir_all(site.path("hugo/static/real")).expect("mkdir");
    std::fs::write(site.path("hugo/static/real/a.txt"), "a").expect("write");
    std::os::unix::fs::symlink(
        site.path("hugo/static/real"),
        site.path("hugo/static/inside"),
    )
    .expect("symlink");
    let run = site.run(&["import", "--from", "hugo", "hugo", "out"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("hugo/content/posts/old.html: a page written in HTML"),
        "{}",
        run.stdout
    );
    assert!(!site.exists("out/content/posts/old.html"));
    assert!(
        run.stdout
            .contains("hugo/static/linked: is a symbolic link to a place outside the site"),
        "{}",
        run.stdout
    );
    assert!(!site.exists("out/static/linked/secret.txt"));
    assert!(
        site.exists("out/static/inside/a.txt"),
        "a link inside the site is followed"
    );
    // Hugo dates an undated page 0001-01-01, and its URL says so (year 1).
    let undated = site.read("out/content/notes/undated.md");
    assert!(undated.contains("path = \"/1/undated/\""), "{undated}");
    site.run(&["build", "--root", "out"]).assert_ok();
    assert!(site.exists("out/public/1/undated/index.html"));
    // A relative alias is from the page's folder, as Hugo reads it.
    let moved = site.read("out/content/notes/moved.md");
    assert!(
        moved.contains("aliases = [\"/notes/old/moved\", \"/rooted/\"]"),
        "{moved}"
    );
    assert!(site.exists("out/public/notes/old/moved/index.html"));
    assert!(!site.exists("out/public/old/moved/index.html"));
    let a = site.read("out/public/hello-world-again/index.html");
    assert!(a.contains("href=\"https://example.org/trip/\""), "{a}");

    let zola = SiteTest::new();
    zola.file("src/config.toml", "base_url = \"https://example.org\"\n")
        .file(
            "src/content/blog/2021-01-01_first.md",
            "+++\ntitle = \"First\"\n+++\nFirst.\n",
        );
    zola.run(&["import", "--from", "zola", "src", "out"])
        .assert_ok();
    zola.run(&["build", "--root", "out"]).assert_ok();
    assert!(zola
        .read("out/public/blog/first/index.html")
        .contains("2021-01-01"));
}

#[test]
fn dest_may_be_the_current_folder_and_a_stopped_import_is_cleaned_up() {
    let site = jekyll_site();
    std::fs::create_dir_all(site.path("new")).expect("mkdir");
    // What an import stopped by Ctrl-C leaves: removed, its process gone.
    site.file(".new.blog-import-view-4000000/content/x.md", "stale");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_blog"))
        .args(["import", "--from", "jekyll", "../src", "."])
        .current_dir(site.path("new"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.exists("new/config.toml"));
    assert!(!site.exists(".new.blog-import-view-4000000"));
}

#[test]
fn a_mistake_in_front_matter_is_at_its_line_in_the_file_with_defaults_applied() {
    let site = jekyll_site();
    site.file(
        "src/_posts/2020-05-05-bad.md",
        "---\ntitle: Bad\ntags: [a\n---\nx\n",
    );
    site.run(&["import", "--from", "jekyll", "src", "out"])
        .assert_fails()
        .assert_stderr_has(
            "src/_posts/2020-05-05-bad.md:4:1: error: front matter: did not find expected ','",
        );
    assert!(!site.exists("out"));
}

/// A Hugo site built where it is: its hugo.toml read for the settings blog
/// has, with a warning that says how to make the site blog's own.
#[test]
fn a_hugo_site_builds_in_place_from_its_own_configuration() {
    let site = SiteTest::new();
    site.file(
        "hugo.toml",
        "baseURL = \"https://example.org/\"\ntitle = \"In Place\"\n[permalinks]\nposts = \"/:year/:slug/\"\n[taxonomies]\ntag = \"tags\"\n",
    )
    .file("content/posts/a.md", "---\ntitle: A\ndate: 2021-01-01\ntags: [x]\n---\n{{< youtube dQw4w9WgXcQ >}}\n");
    let run = site.build(&[]);
    run.assert_ok()
        .assert_stderr_has("hugo.toml: warning: this Hugo site's settings are read from here");
    assert!(
        site.read("public/2021/a/index.html").contains("<title>A"),
        "{}",
        site.read("public/2021/a/index.html")
    );
    assert!(site.exists("public/tags/x/index.html"));
    assert!(site.read("public/index.html").contains("In Place"));
}

#[test]
fn a_jekyll_site_is_told_about_blog_import() {
    let jekyll = SiteTest::new();
    jekyll
        .file("_config.yml", "title: J\n")
        .file("_posts/2020-01-01-a.md", "---\n---\nA\n");
    jekyll
        .build(&[])
        .assert_fails()
        .assert_stderr_has("this is a Jekyll site: `blog import --from jekyll . ../my-blog`");
    // A Zola or Hugo config.toml builds its site in place
    // (errors::a_config_from_hugo_or_zola_gets_every_fix_in_one_run).
}

#[test]
fn jekyll_sass_comes_over_to_the_same_url_and_liquid_in_it_is_named() {
    let site = SiteTest::new();
    site.file(
        "src/_config.yml",
        "title: S\nurl: https://example.org\nsass:\n  sass_dir: _styles\n",
    )
    .file("src/_posts/2020-01-01-a.md", "---\ntitle: A\n---\nA.\n")
    .file("src/_styles/minima.scss", "$w: 10px;\n")
    .file(
        "src/_styles/minima/_layout.scss",
        "main { width: $w * 2 }\n",
    )
    .file(
        "src/css/site.scss",
        "---\n---\n@import \"minima\";\n@import \"minima/layout\";\n",
    )
    .file(
        "src/css/themed.scss",
        "---\n---\nbody { color: {{ site.ink }}; }\n",
    );
    let run = site.run(&["import", "--from", "jekyll", "src", "out"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // Partials keep their place and become partials by name.
    assert_eq!(site.read("out/sass/_minima.scss"), "$w: 10px;\n");
    assert!(site.exists("out/sass/minima/_layout.scss"));
    assert!(site.exists("out/sass/css/site.scss"));
    assert!(
        run.stdout.contains(
            "src/css/themed.scss:3:15: is not imported: Liquid in a stylesheet is not run by blog; replace it with its value and save the file as sass/css/themed.scss"
        ),
        "{}",
        run.stdout
    );
    assert!(!site.exists("out/sass/css/themed.scss"));
    // Done as the note says, it is published where Jekyll had it.
    site.file(
        "out/sass/css/themed.scss",
        "---\n---\nbody { color: #123; }\n",
    );
    site.run(&["build", "--root", "out"]).assert_ok();
    assert_eq!(
        site.read("out/public/css/site.css"),
        "main {\n  width: 20px;\n}\n"
    );
    assert_eq!(
        site.read("out/public/css/themed.css"),
        "body {\n  color: #123;\n}\n"
    );
    assert!(!site.exists("out/public/minima.css"));
}
