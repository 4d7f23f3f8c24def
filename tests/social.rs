//! Link previews: the description and Open Graph, Twitter and JSON-LD tags
//! of the default theme's head, the image they name (the front matter's, the
//! body's first, or the generated card), and the cards themselves: real PNGs
//! decoded here, drawn from the theme's or the site's SVG template, cached
//! between builds, and a template that does not parse failing the build.

mod common;

use common::{Html, SiteTest};

const CONFIG: &str = "title = \"Field Notes\"\nbase_url = \"https://example.com\"\ndescription = \"Notes from the field\"\nauthor = \"Ann\"\n";
const CARDS: &str = "[social_cards]\nenabled = true\n";

fn site(config: &str) -> SiteTest {
    let site = SiteTest::new();
    site.file("config.toml", config)
        .file(
            "content/posts/cover.md",
            "---\ntitle: With a cover\ndate: 2024-03-01\ndescription: Cover & story\nimage: /img/cover.jpg\nimage_alt: A red barn\n---\nBody ![inline](inline.png) text.\n",
        )
        .bytes("static/img/cover.jpg", b"jpg")
        .file(
            "content/posts/album/index.md",
            "---\ntitle: Only a body image\ndate: 2024-03-02\n---\nFirst *words* & more.\n\n![a photo](photos/one.png)\n",
        )
        .bytes("content/posts/album/photos/one.png", b"png")
        .file(
            "content/posts/plain.md",
            "---\ntitle: Nothing to show\ndate: 2024-03-03\n---\n",
        );
    site
}

fn meta(html: &Html, key: &str) -> Option<String> {
    let by_property = html.attrs(&format!("meta[property=\"{key}\"]"), "content");
    let by_name = html.attrs(&format!("meta[name=\"{key}\"]"), "content");
    by_property.into_iter().chain(by_name).next()
}

fn jsonld(html: &Html) -> serde_json::Value {
    serde_json::from_str(&html.text("script[type=\"application/ld+json\"]")).expect("json-ld")
}

/// Width, height and RGBA pixels.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.color_type, png::ColorType::Rgba);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn pixel(pixels: &[u8], x: u32, y: u32) -> [u8; 4] {
    let i = ((y * 1200 + x) * 4) as usize;
    [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]]
}

/// How many distinct colours the band where the title is drawn holds.
fn colours_in_title_band(pixels: &[u8]) -> usize {
    let mut seen = std::collections::HashSet::new();
    for y in (170..480).step_by(3) {
        for x in (80..1120).step_by(3) {
            seen.insert(pixel(pixels, x, y));
        }
    }
    seen.len()
}

#[test]
fn every_page_has_a_description_and_previews_name_the_right_image() {
    let site = site(&format!("{CONFIG}{CARDS}"));
    site.file(
        "content/posts/long.md",
        &format!(
            "---\ntitle: Long\ndate: 2024-02-01\n---\n{}\n",
            "word &amp; more ".repeat(40)
        ),
    );
    site.build(&[]).assert_ok();

    let cover = site.html("public/posts/cover/index.html");
    assert_eq!(
        meta(&cover, "description").as_deref(),
        Some("Cover & story")
    );
    assert_eq!(
        meta(&cover, "og:description").as_deref(),
        Some("Cover & story")
    );
    assert_eq!(meta(&cover, "og:title").as_deref(), Some("With a cover"));
    assert_eq!(meta(&cover, "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&cover, "og:site_name").as_deref(), Some("Field Notes"));
    assert_eq!(
        meta(&cover, "og:url").as_deref(),
        Some("https://example.com/posts/cover/")
    );
    assert_eq!(
        meta(&cover, "og:image").as_deref(),
        Some("https://example.com/img/cover.jpg"),
        "the front matter's image wins over the body's"
    );
    assert_eq!(meta(&cover, "og:image:alt").as_deref(), Some("A red barn"));
    assert_eq!(
        meta(&cover, "og:image:width"),
        None,
        "its size is not known"
    );
    assert_eq!(
        meta(&cover, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert_eq!(jsonld(&cover)["image"], "https://example.com/img/cover.jpg");
    assert!(!site.exists("public/posts/cover/social.png"));

    let album = site.html("public/posts/album/index.html");
    assert_eq!(
        meta(&album, "og:image").as_deref(),
        Some("https://example.com/posts/album/photos/one.png"),
        "a bundle's relative image resolves against the page"
    );
    assert_eq!(
        meta(&album, "description").as_deref(),
        Some("First words & more."),
        "the summary as plain text"
    );
    assert!(!site.exists("public/posts/album/social.png"));

    let plain = site.html("public/posts/plain/index.html");
    assert_eq!(
        meta(&plain, "description").as_deref(),
        Some("Notes from the field"),
        "no description and no summary: the site's"
    );
    assert_eq!(
        meta(&plain, "og:image").as_deref(),
        Some("https://example.com/posts/plain/social.png")
    );
    assert_eq!(meta(&plain, "og:image:width").as_deref(), Some("1200"));
    assert_eq!(meta(&plain, "og:image:height").as_deref(), Some("630"));
    assert_eq!(
        meta(&plain, "og:image:alt").as_deref(),
        Some("Nothing to show")
    );
    assert_eq!(
        meta(&plain, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    let ld = jsonld(&plain);
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["image"], "https://example.com/posts/plain/social.png");
    assert_eq!(ld["description"], "Notes from the field");
    assert!(site.exists("public/posts/plain/social.png"));

    let long =
        meta(&site.html("public/posts/long/index.html"), "description").expect("description");
    assert!(long.chars().count() <= 160, "{long}");
    assert!(
        long.ends_with('…') && long.starts_with("word & more word"),
        "{long}"
    );

    let home = site.html("public/index.html");
    assert_eq!(
        meta(&home, "description").as_deref(),
        Some("Notes from the field")
    );
    assert_eq!(meta(&home, "og:type").as_deref(), Some("website"));
    assert_eq!(meta(&home, "twitter:card").as_deref(), Some("summary"));
}

#[test]
fn cards_are_off_by_default() {
    let site = site(CONFIG);
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/posts/plain/social.png"));
    let plain = site.html("public/posts/plain/index.html");
    assert_eq!(meta(&plain, "og:image"), None);
    assert_eq!(meta(&plain, "twitter:card").as_deref(), Some("summary"));
    assert!(jsonld(&plain).get("image").is_none());
    // The author's images are previews without cards too.
    let album = site.html("public/posts/album/index.html");
    assert_eq!(
        meta(&album, "og:image").as_deref(),
        Some("https://example.com/posts/album/photos/one.png")
    );
}

#[test]
fn a_card_is_a_1200_by_630_png_showing_the_title() {
    let site = site(&format!("{CONFIG}{CARDS}"));
    site.post(
        "other",
        "title: Something else entirely\ndate: 2024-03-03",
        "",
    );
    site.post("twin", "title: Nothing to show\ndate: 2024-03-03", "");
    site.build(&[]).assert_ok();
    let plain = std::fs::read(site.path("public/posts/plain/social.png")).expect("card");
    let (w, h, pixels) = decode(&plain);
    assert_eq!((w, h), (1200, 630));
    assert!(
        colours_in_title_band(&pixels) > 8,
        "the title band is not blank"
    );
    let other = std::fs::read(site.path("public/posts/other/social.png")).expect("card");
    assert_ne!(plain, other, "another title, another image");
    assert_ne!(decode(&other).2, pixels);
    let twin = std::fs::read(site.path("public/posts/twin/social.png")).expect("card");
    assert_eq!(plain, twin, "the same title and date, the same bytes");

    // Without a cache, a rebuild draws the same bytes again.
    let again = site.run_env(&["build"], &[("BLOG_CACHE_DIR", "")]);
    again.assert_ok();
    assert_eq!(
        std::fs::read(site.path("public/posts/plain/social.png")).expect("card"),
        plain
    );
}

#[test]
fn titles_that_are_hard_on_svg_still_draw() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        &format!("title = \"A <site> & 'co'\"\n{CARDS}"),
    );
    for (i, title) in [
        "Less <than> & \\\"quoted\\\" 'single'",
        "Emoji 🎉🚀 and a pile of poo 💩",
        "שלום עולם and مرحبا بالعالم",
        "漢字のタイトルはスペースなしで長く続くとどうなるのかを確認するためのとても長い見出しです",
        "Supercalifragilisticexpialidocious-and-then-some-more-without-any-spaces-at-all-ever",
        "Ends with a tab\\t and a bell \\u0007 character",
    ]
    .iter()
    .enumerate()
    {
        site.post(&format!("p{i}"), &format!("title: \"{title}\""), "");
    }
    site.build(&[]).assert_ok();
    for i in 0..6 {
        let png = std::fs::read(site.path(&format!("public/posts/p{i}/social.png"))).expect("card");
        let (w, h, pixels) = decode(&png);
        assert_eq!((w, h), (1200, 630));
        assert!(
            colours_in_title_band(&pixels) > 8,
            "post {i}'s title is drawn"
        );
    }
}

#[test]
fn the_sites_template_overrides_the_theme_and_gets_the_card_context() {
    let site = site(&format!("{CONFIG}{CARDS}"));
    site.file(
        "templates/social_card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"315\">\
         <rect width=\"600\" height=\"315\" fill=\"{% if card.title == 'Nothing to show' %}#ff0000{% else %}#0000ff{% endif %}\"/>\
         <text x=\"20\" y=\"150\" font-size=\"40\" fill=\"#ffffff\">{{ card.site_title }} {{ page.permalink }}</text></svg>",
    );
    site.build(&[]).assert_ok();
    let (w, h, pixels) =
        decode(&std::fs::read(site.path("public/posts/plain/social.png")).expect("card"));
    assert_eq!(
        (w, h),
        (1200, 630),
        "a smaller SVG is scaled to the card's size"
    );
    assert_eq!(pixel(&pixels, 5, 5), [255, 0, 0, 255]);
    assert_eq!(pixel(&pixels, 1195, 625), [255, 0, 0, 255]);
    assert!(colours_in_title_band(&pixels) > 2, "its text is drawn");

    // Another name, through `template`.
    site.file(
        "config.toml",
        &format!("{CONFIG}[social_cards]\nenabled = true\ntemplate = \"cards/green.svg\"\n"),
    )
    .file(
        "templates/cards/green.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1200 630\"><rect width=\"1200\" height=\"630\" fill=\"#00ff00\"/></svg>",
    );
    site.build(&[]).assert_ok();
    let (_, _, pixels) =
        decode(&std::fs::read(site.path("public/posts/plain/social.png")).expect("card"));
    assert_eq!(pixel(&pixels, 600, 300), [0, 255, 0, 255]);
}

#[test]
fn a_missing_card_template_is_an_error_at_its_key() {
    let site = site(&format!(
        "{CONFIG}[social_cards]\nenabled = true\ntemplate = \"nope.svg\"\n"
    ));
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("config.toml:7:1")
        .assert_stderr_has("`nope.svg`");
    assert!(!site.exists("public/index.html"));
}

#[test]
fn a_card_template_that_does_not_parse_fails_the_build_naming_the_file() {
    let site = site(&format!("{CONFIG}{CARDS}"));
    site.file(
        "templates/social_card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\">\n<text>{{ card.title }}</txet>\n</svg>\n",
    );
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("templates/social_card.svg:2:")
        .assert_stderr_has("social card");
    assert!(!site.exists("public/index.html"), "nothing is published");

    // A template error in tera's sense is reported as any template's.
    site.file(
        "templates/social_card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\">{{ card.title | nosuchfilter }}</svg>",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("templates/social_card.svg:1:");
}

#[test]
fn an_unchanged_site_draws_no_card_on_a_rebuild_and_a_damaged_entry_is_redrawn() {
    let site = site(&format!("{CONFIG}{CARDS}"));
    let first = site.build(&["-v"]);
    first.assert_ok();
    assert!(
        first
            .stdout
            .contains("Social cards: 1 drawn, 0 from the cache"),
        "{}",
        first.stdout
    );
    let card = std::fs::read(site.path("public/posts/plain/social.png")).expect("card");

    let second = site.build(&["-v"]);
    second.assert_ok();
    assert!(
        second
            .stdout
            .contains("Social cards: 0 drawn, 1 from the cache"),
        "{}",
        second.stdout
    );
    assert_eq!(
        std::fs::read(site.path("public/posts/plain/social.png")).expect("card"),
        card
    );

    // Cut the cached file short: it is drawn again, and what is published is whole.
    let entries: Vec<std::path::PathBuf> = walk(site.cache_dir())
        .into_iter()
        .filter(|p| p.components().any(|c| c.as_os_str() == "social-cards"))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let bytes = std::fs::read(&entries[0]).expect("cache entry");
    std::fs::write(&entries[0], &bytes[..bytes.len() / 2]).expect("truncate");
    // Into a new folder: no earlier output there to keep the card from.
    let third = site.build(&["-v", "--output", "elsewhere"]);
    third.assert_ok();
    assert!(
        third
            .stdout
            .contains("Social cards: 1 drawn, 0 from the cache"),
        "{}",
        third.stdout
    );
    assert_eq!(
        std::fs::read(site.path("elsewhere/posts/plain/social.png")).expect("card"),
        card
    );

    // A new title is a new card; the old one leaves the cache.
    site.file(
        "content/posts/plain.md",
        "---\ntitle: Something to show\ndate: 2024-03-03\n---\n",
    );
    let fourth = site.build(&["-v"]);
    assert!(
        fourth
            .stdout
            .contains("Social cards: 1 drawn, 0 from the cache"),
        "{}",
        fourth.stdout
    );
    let entries = walk(site.cache_dir())
        .into_iter()
        .filter(|p| p.components().any(|c| c.as_os_str() == "social-cards"))
        .count();
    assert_eq!(entries, 1);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn blog_serve_draws_an_edited_posts_card_again() {
    let site = site(&format!("{CONFIG}{CARDS}"));
    let server = site.serve(&[]);
    let before = server.wait_for("/posts/plain/social.png", "the card", |r| r.status == 200);
    assert_eq!(before.header("content-type"), Some("image/png"));
    // A body edit that keeps the title: the page is patched, and its card
    // is the same.
    site.file(
        "content/posts/plain.md",
        "---\ntitle: Nothing to show\ndate: 2024-03-03\n---\nA new body.\n",
    );
    server.wait_for("/posts/plain/", "the new body", |r| {
        r.body.contains("A new body.")
    });
    assert_eq!(server.get("/posts/plain/social.png").body, before.body);
    site.file(
        "content/posts/plain.md",
        "---\ntitle: Something to show\ndate: 2024-03-03\n---\nA new body.\n",
    );
    server.wait_for("/posts/plain/social.png", "a new card", |r| {
        r.status == 200 && r.body != before.body
    });
    // Giving the post an image of its own takes its card away.
    site.file(
        "content/posts/plain.md",
        "---\ntitle: Something to show\ndate: 2024-03-03\nimage: /img/cover.jpg\n---\nA new body.\n",
    );
    server.wait_for("/posts/plain/social.png", "no card", |r| r.status == 404);
    let page = server.get("/posts/plain/");
    let html = Html(scraper::Html::parse_document(&page.body));
    let image = meta(&html, "og:image").expect("og:image");
    assert!(image.ends_with("/img/cover.jpg"), "{image}");
}
