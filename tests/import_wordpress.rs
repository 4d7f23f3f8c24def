//! `blog import --from wordpress EXPORT.xml DEST`, on an export written
//! for these tests (tests/fixtures/wordpress/export.xml): what each kind
//! of item becomes, that every URL WordPress published answers after
//! `blog build` (a page or a redirect page), the `?p=` redirects, that the
//! export is only read, and that a broken export writes nothing.

mod common;

use common::SiteTest;

const EXPORT: &str = include_str!("fixtures/wordpress/export.xml");

fn imported() -> (SiteTest, common::Run) {
    let site = SiteTest::new();
    site.file("wp/export.xml", EXPORT);
    let run = site.run(&["import", "--from", "wordpress", "wp/export.xml", "out"]);
    run.assert_ok();
    (site, run)
}

/// The file that answers `url` in out/public, following a redirect page.
fn answers(site: &SiteTest, url: &str) -> Option<String> {
    let rel = url.trim_start_matches('/');
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
        let target = text[at..].split("url=").nth(1)?.split('"').next()?;
        let path = target.strip_prefix("https://example.com").unwrap_or(target);
        return answers(site, path).map(|f| format!("{file} -> {f}"));
    }
    Some(file)
}

#[test]
fn an_export_becomes_a_site_where_every_published_url_answers() {
    let (site, run) = imported();
    // The report: what was kept as written, with the item, and the drafts.
    for line in [
        "wp/export.xml:219:2: item 109 “Gallery”: the gallery `[gallery ids=\"999\"]` names pictures that are not in the export: kept as written",
        "wp/export.xml:243:2: item 110 “Contact”: the shortcode [contact-form-7] is not one blog has: kept as written",
        "wp/export.xml: 3 items not published in WordPress (draft, pending, private or scheduled) are written with `draft = true`",
        "wp/export.xml:281:2: item 112 “Same Name”: is written as content/posts/same-name-2.md: another item has its slug",
        "item 107 “Ni hao”: its address https://example.com/2019/04/%e4%bd%a0%e5%a5%bd-..%2f..%2fescape/ cannot be a page's place",
        "Imported the WordPress site at wp/export.xml into out: 12 pages (3 drafts), 0 sections, 0 files copied; 9 old URLs answer",
    ] {
        assert!(run.stdout.contains(line), "no {line:?} in:\n{}", run.stdout);
    }
    // The export is only read.
    assert_eq!(site.read("wp/export.xml"), EXPORT);

    let config = site.read("out/config.toml");
    for line in [
        "base_url = \"https://example.com\"\n",
        "title = \"Ann’s Blog\"\n",
        "description = \"Notes & pictures\"\n",
        "language = \"en-GB\"\n",
        "[permalinks]\nposts = \"/:year/:month/:slug/\"\n",
    ] {
        assert!(config.contains(line), "no {line:?} in:\n{config}");
    }

    let hello = site.read("out/content/posts/hello-caption.md");
    assert!(
        hello.starts_with(
            "+++\ntitle = \"Hello & Caption\"\ndate = 2019-03-01T00:30:00+01:00\ndescription = \"A post with a caption.\"\n\n[taxonomies]\ncategories = [\"Rust Tips\"]\ntags = [\"intro\", \"photos\"]\n\n[extra]\nauthor = \"ann\"\nimage = \"https://example.com/wp-content/uploads/2019/03/sun_set.jpg\"\nmood = \"happy\"\n"
        ),
        "{hello}"
    );
    assert!(!hello.contains("_edit_last"), "{hello}");
    assert!(
        hello.contains("First paragraph with *emphasis*  \nand a line break.\n\nSecond paragraph.\n\n{{ figure(src=\"https://example.com/wp-content/uploads/2019/03/sun_set.jpg\", alt=\"The sun\", caption=\"Sunset over the bay\") }}\n\n<!-- more -->\n\nAfter the fold.\n"),
        "{hello}"
    );
    let code = site.read("out/content/posts/code-post.md");
    assert!(
        code.contains("Some `[inline]` code:\n\n```rust\nfn main() {\n    let v: Vec<u8> = vec![1, 2];\n\n    println!(\"{:?}\", v);\n}\n```\n\n```python\ndef f(a_b):\n    return a_b * 2\n```\n"),
        "{code}"
    );
    assert!(!code.contains("wp:"), "{code}");
    let video = site.read("out/content/posts/video.md");
    assert!(
        video.contains("Watch:\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\nAnd:\n\n{{ vimeo(id=\"76979871\") }}\n\nThe end.\n"),
        "{video}"
    );
    let gallery = site.read("out/content/posts/gallery.md");
    assert!(
        gallery.contains("{{ figure(src=\"https://example.com/wp-content/uploads/2019/03/sun_set.jpg\", alt=\"The sun\") }}\n\n{{ figure(src=\"https://example.com/wp-content/uploads/2019/03/moon.jpg\", alt=\"The moon\") }}\n\nMissing:\n\n[gallery ids=\"999\"]\n"),
        "{gallery}"
    );
    assert!(site
        .read("out/content/posts/contact-post.md")
        .contains("Write to me:\n\n[contact-form-7 id=\"5\" title=\"Contact\"]\n"));
    // Not published: drafts, the draft's slug from its title.
    for draft in ["draft-idea", "scheduled-post", "private-notes"] {
        let text = site.read(&format!("out/content/posts/{draft}.md"));
        assert!(text.contains("\ndraft = true\n"), "{draft}: {text}");
    }
    // A page in the root section; a slug made safe; two of one name.
    assert!(site
        .read("out/content/about.md")
        .contains("## Who\n\nThis is **me**.\n"));
    assert!(site.exists("out/content/posts/ni-hao-escape.md"));
    assert!(site
        .read("out/content/posts/same-name-2.md")
        .contains("slug = \"same-name\""));
    let mut names: Vec<String> = std::fs::read_dir(site.path("out/content/posts"))
        .expect("posts")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 11, "{names:?}");

    site.run(&["build", "--root", "out"]).assert_ok();
    let urls = [
        "/2019/03/hello-caption/",
        "/2019/03/code-post/",
        "/about/",
        "/2019/04/video/",
        "/2019/04/gallery/",
        "/2019/04/contact-post/",
        "/2020/01/same-name/",
        "/2021/06/same-name/",
    ];
    let missing: Vec<&str> = urls
        .into_iter()
        .filter(|u| answers(&site, u).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "these old URLs do not answer: {missing:?}"
    );
    assert!(site
        .read("out/public/2021/06/same-name/index.html")
        .contains("The second."));
    // Nothing outside the site, whatever a slug says.
    assert!(!site.exists("escape"));
    assert!(!site.exists("out/escape"));

    let redirects = site.read("out/public/_redirects");
    for line in [
        "/ p=101 /2019/03/hello-caption/ 301!\n",
        "/ page_id=106 /about/ 301!\n",
        "/ p=107 /2019/04/ni-hao-escape/ 301!\n",
        "/ p=111 /2020/01/same-name/ 301!\n",
        "/ p=112 /2021/06/same-name/ 301!\n",
    ] {
        assert!(redirects.contains(line), "no {line:?} in:\n{redirects}");
    }
    // Drafts had no public ?p= link.
    assert!(!redirects.contains("p=103 "), "{redirects}");
}

#[test]
fn a_broken_export_is_an_error_at_its_line_and_column_and_writes_nothing() {
    let site = SiteTest::new();
    let cut = EXPORT
        .find("<guid isPermaLink=\"false\">https://example.com/?p=104")
        .expect("item");
    site.file("cut.xml", &EXPORT[..cut + 3]);
    let items_end = EXPORT.rfind("</item>").expect("items") + "</item>".len();
    site.file("ends.xml", &EXPORT[..items_end]);
    site.file(
        "bad.xml",
        &EXPORT.replacen("</wp:post_type>", "</wp:post_typo>", 1),
    );
    let line_of =
        |text: &str, needle: &str| text[..text.find(needle).expect("needle")].lines().count();
    for (file, place, message) in [
        (
            "cut.xml",
            format!("{}:3", line_of(EXPORT, "https://example.com/?p=104</guid>")),
            "tag not closed",
        ),
        (
            "ends.xml",
            format!("{}:", EXPORT[..items_end].lines().count()),
            "ends before <channel> is closed: the export is cut short",
        ),
        (
            "bad.xml",
            format!("{}:33", line_of(EXPORT, "</wp:post_type>")),
            "expected `</wp:post_type>`, but `</wp:post_typo>` was found",
        ),
    ] {
        let run = site.run(&["import", "--from", "wordpress", file, "out"]);
        run.assert_fails()
            .assert_stderr_has(&format!("{file}:{place}"))
            .assert_stderr_has(message)
            .assert_stderr_has("nothing was written to out");
        assert!(!site.exists("out"), "{file}");
    }
    site.file(
        "feed.xml",
        "<?xml version=\"1.0\"?>\n<feed><title>Not WordPress</title></feed>\n",
    );
    site.run(&["import", "--from", "wordpress", "feed.xml", "out"])
        .assert_fails()
        .assert_stderr_has("feed.xml: error: is not a WordPress export: it has no <channel>");
    assert!(!site.exists("out"));
    site.run(&["import", "--from", "wordpress", "missing.xml", "out"])
        .assert_fails()
        .assert_stderr_has("missing.xml: error: is not a file");
    assert!(!site.exists("out"));
}

/// An export of `posts` posts.
fn generated(posts: usize) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<title>Many</title>\n<link>https://example.com</link>\n<description>Posts</description>\n<language>en</language>\n");
    for n in 0..posts {
        let (year, month, day) = (2000 + n % 20, 1 + n % 12, 1 + n % 28);
        xml.push_str(&format!(
            "<item>\n<title><![CDATA[Post number {n}]]></title>\n<link>https://example.com/{year}/{month:02}/{day:02}/post-{n}/</link>\n<dc:creator><![CDATA[ann]]></dc:creator>\n<content:encoded><![CDATA[<!-- wp:paragraph -->\n<p>Paragraph one of post {n}, with <a href=\"https://example.com/\">a link</a> and <em>emphasis</em>.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>Another paragraph, long enough to be like a real one: lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>\n<!-- /wp:paragraph -->]]></content:encoded>\n<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n<wp:post_id>{n}</wp:post_id>\n<wp:post_date><![CDATA[{year}-{month:02}-{day:02} 12:00:00]]></wp:post_date>\n<wp:post_date_gmt><![CDATA[{year}-{month:02}-{day:02} 12:00:00]]></wp:post_date_gmt>\n<wp:post_name><![CDATA[post-{n}]]></wp:post_name>\n<wp:status><![CDATA[publish]]></wp:status>\n<wp:post_type><![CDATA[post]]></wp:post_type>\n<category domain=\"post_tag\" nicename=\"t{}\"><![CDATA[t{}]]></category>\n</item>\n",
            n % 50,
            n % 50
        ));
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

#[test]
fn an_export_of_five_thousand_posts_imports() {
    let site = SiteTest::new();
    site.file("many.xml", &generated(5_000));
    let run = site.run(&["import", "--from", "wordpress", "many.xml", "out"]);
    run.assert_ok();
    assert!(
        run.stdout.contains("5000 pages (0 drafts)")
            && run.stdout.contains("5000 old URLs answer, 0 as aliases"),
        "{}",
        run.stdout
    );
    assert!(site
        .read("out/config.toml")
        .contains("posts = \"/:year/:month/:day/:slug/\""));
    assert!(site.read("out/content/posts/post-4999.md").contains(
        "Paragraph one of post 4999, with [a link](https://example.com/) and *emphasis*."
    ));
}

#[test]
fn a_wordpress_under_a_path_keeps_it() {
    let site = SiteTest::new();
    let export = EXPORT
        .replace("https://example.com/", "https://example.com/blog/")
        .replace(
            "<link>https://example.com</link>",
            "<link>https://example.com/blog</link>",
        );
    site.file("export.xml", &export);
    site.run(&["import", "--from", "wordpress", "export.xml", "out"])
        .assert_ok();
    assert!(site
        .read("out/config.toml")
        .contains("base_url = \"https://example.com/blog\"\n"));
    site.run(&["build", "--root", "out"]).assert_ok();
    // The site's files are published under /blog/.
    assert!(site.exists("out/public/2019/03/hello-caption/index.html"));
    let redirects = site.read("out/public/_redirects");
    assert!(
        redirects.contains("/blog/ p=101 /blog/2019/03/hello-caption/ 301!\n"),
        "{redirects}"
    );
}
