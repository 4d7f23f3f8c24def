//! `blog import --from jekyll|hugo|zola SRC DEST` against what the real
//! generators publish: the fixture sites in tests/fixtures/import/ are built
//! by real Jekyll and Hugo (Debian's, installed by scripts/test-deps.sh), and
//! every URL they wrote for a page, a post or an alias must still answer in
//! the imported site's build, as the page itself or as a redirect page (an
//! HTML file with `<meta http-equiv="refresh">`) leading to it. Zola is not
//! in Debian; its URLs are written out by hand from its documentation.
//!
//! What the generators wrote for the fixtures (tests/fixtures/import/README.md
//! says why each is there):
//!
//! Jekyll 4.3.1 (`jekyll build --safe`): `/rust/web/2020/01/02/hello.html`,
//! `/notes/2020/02/14/notes-on-notebooks.html`,
//! `/2020/03/01/tagged-thoughts.html`, `/writing/moved-here/`,
//! `/2019/05/06/older.html`, `/web/2020/05/21/liquid-tour.html`,
//! `/about.html`, `/contact/`, `/` and `/assets/img/pic.png`.
//!
//! Hugo 0.111.3 (`hugo`): pages `/2021/03/first-light-at-dawn/`,
//! `/special/place/`, `/2021/05/renamed-with-old-addresses-kept/`,
//! `/2021/06/a-trip-to-the-coast/`, `/2021/07/updated-later/`,
//! `/2021/09/building-a-shelf-part-one/`, `/about/`, `/notes/reading-list/`;
//! aliases `/old/renamed/` and `/2020/renamed.html`; lists `/posts/`,
//! `/notes/`, `/tags/` with `early-mornings`, `meta`, `photography`, `walks`,
//! `wood`, `/categories/` with `meta`, `notes`, `walks`, `/series/` with
//! `building-things`; `/`; files `/favicon.ico`, `/img.png`,
//! `/2021/06/a-trip-to-the-coast/photo.jpg`; feeds (`index.xml` at the home,
//! each section, taxonomy and term) and `sitemap.xml`.

mod common;

use common::{snapshot, SiteTest};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Copies a directory tree, files and folders.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The files under `dir`, relative, sorted: what a failure message lists.
fn files(dir: &Path) -> Vec<String> {
    if !dir.is_dir() {
        return vec![format!("({} does not exist)", dir.display())];
    }
    snapshot(dir)
        .into_keys()
        .filter(|k| !k.ends_with('/'))
        .collect()
}

/// What changed between two snapshots, one line a path; empty when nothing.
fn changes(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut changed = Vec::new();
    for (path, bytes) in before {
        match after.get(path) {
            None => changed.push(format!("removed {path}")),
            Some(now) if now != bytes => changed.push(format!("changed {path}")),
            Some(_) => {}
        }
    }
    for path in after.keys() {
        if !before.contains_key(path) {
            changed.push(format!("added {path}"));
        }
    }
    changed
}

/// The URL a file in an output folder is served at: `a/index.html` is `/a/`.
fn url_of(rel: &str) -> String {
    if rel == "index.html" {
        "/".to_string()
    } else if let Some(dir) = rel.strip_suffix("/index.html") {
        format!("/{dir}/")
    } else {
        format!("/{rel}")
    }
}

/// The file a static server answers `url` with: the file itself, or a
/// folder's `index.html`.
fn file_for(public: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let rel = path.trim_start_matches('/');
    let candidate = public.join(rel);
    if !path.ends_with('/') && candidate.is_file() {
        return Some(candidate);
    }
    let index = candidate.join("index.html");
    index.is_file().then_some(index)
}

/// Where a `<meta http-equiv="refresh" content="0; url=...">` leads, as a
/// site path: an absolute URL loses its origin, a relative one is resolved
/// against `from`, the URL of the page holding it.
fn refresh_target(html: &str, from: &str) -> Option<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("meta[http-equiv]").expect("selector");
    let content = document
        .select(&selector)
        .find(|m| {
            m.value()
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
        })?
        .value()
        .attr("content")?
        .to_string();
    let at = content.to_ascii_lowercase().find("url=")?;
    let target = content[at + 4..].trim().trim_matches(['\'', '"']).trim();
    let path = if let Some(rest) = target
        .strip_prefix("https://")
        .or_else(|| target.strip_prefix("http://"))
        .or_else(|| target.strip_prefix("//"))
    {
        rest.find('/')
            .map_or("/".to_string(), |i| rest[i..].to_string())
    } else if target.starts_with('/') {
        target.to_string()
    } else {
        let base = &from[..from.rfind('/').map_or(0, |i| i + 1)];
        format!("{base}{target}")
    };
    // Resolve `.` and `..` as a browser does.
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/').skip(1) {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Which page `url` reaches in `public`: the page's file relative to
/// `public`, following one meta refresh; or why it reaches none.
fn resolve(public: &Path, url: &str) -> Result<String, String> {
    let rel = |p: &Path| {
        p.strip_prefix(public)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/")
    };
    let file = file_for(public, url).ok_or("no file answers it")?;
    let text = String::from_utf8_lossy(&std::fs::read(&file).expect("read")).into_owned();
    match refresh_target(&text, url) {
        None => Ok(rel(&file)),
        Some(target) => match file_for(public, &target) {
            Some(page) => Ok(rel(&page)),
            None => Err(format!(
                "{} redirects to {target}, which does not exist",
                rel(&file)
            )),
        },
    }
}

/// The page `url` answers with in `public`, as a path relative to it,
/// following one meta refresh to a file that exists.
fn answers(public: &Path, url: &str) -> Option<String> {
    resolve(public, url).ok()
}

/// The text of an HTML file with runs of whitespace made one space.
fn text_of(path: &Path) -> String {
    let html = std::fs::read_to_string(path).unwrap_or_default();
    let document = scraper::Html::parse_document(&html);
    let text: String = document.root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The title a fixture's layout writes as the page's `<h1>` in `<main>`.
fn heading(path: &Path) -> Option<String> {
    let html = std::fs::read_to_string(path).ok()?;
    let document = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("main h1").expect("selector");
    let h1 = document.select(&selector).next()?;
    Some(h1.text().collect::<Vec<_>>().join(" "))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A URL the old site published, and the title of the page it led to there
/// (for a list page, none: only that it answers is checked); for an alias,
/// the URL of the page it redirected to, which it must reach in blog's
/// build too.
struct Published {
    url: String,
    title: Option<String>,
    alias_of: Option<String>,
}

/// The URLs of `published` that do not answer in `public`, or answer with a
/// page that does not carry the title the old page had, one line each.
fn unanswered(public: &Path, published: &[Published]) -> Vec<String> {
    let mut missing = Vec::new();
    for page in published {
        match resolve(public, &page.url) {
            Err(why) => missing.push(format!("{}: {why}", page.url)),
            Ok(file) => {
                if let Some(title) = &page.title {
                    if !text_of(&public.join(&file)).contains(title.as_str()) {
                        missing.push(format!(
                            "{}: answers with {file}, which lacks the title {title:?}",
                            page.url
                        ));
                        continue;
                    }
                }
                if let Some(target) = &page.alias_of {
                    let page_file = answers(public, target);
                    if page_file.as_deref() != Some(file.as_str()) {
                        missing.push(format!(
                            "{}: answers with {file}, but the page it was an alias of, \
                             {target}, answers with {page_file:?}",
                            page.url
                        ));
                    }
                }
            }
        }
    }
    missing
}

/// The failure message: what is missing, and everything blog wrote.
fn report(what: &str, missing: &[String], published: &[Published], public: &Path) -> String {
    format!(
        "{} of the {} {what} do not answer in DEST/public:\n  {}\n\
         the {what}:\n  {}\nblog wrote:\n  {}",
        missing.len(),
        published.len(),
        missing.join("\n  "),
        published
            .iter()
            .map(|p| p.url.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        files(public).join("\n  ")
    )
}

/// Runs a real generator, which must be installed and must succeed.
fn generate(program: &str, args: &[&str], dir: &Path) {
    let ran = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("running {program} ({e}): scripts/test-deps.sh installs it from Debian")
        });
    assert!(
        ran.status.success(),
        "{program} failed on its fixture:\n{}{}",
        String::from_utf8_lossy(&ran.stdout),
        String::from_utf8_lossy(&ran.stderr)
    );
}

/// Every non-HTML file the old site published (its images, favicon and
/// other static files) is in `public` at the same path, byte for byte.
/// `skip` says which it leaves out, and the caller says why.
fn assert_same_files(
    generated: &BTreeMap<String, Vec<u8>>,
    public: &Path,
    skip: impl Fn(&str) -> bool,
) {
    let mut missing = Vec::new();
    for (rel, bytes) in generated {
        if rel.ends_with('/') || rel.ends_with(".html") || skip(rel) {
            continue;
        }
        match std::fs::read(public.join(rel)) {
            Ok(ours) if &ours == bytes => {}
            Ok(_) => missing.push(format!("{rel}: different bytes")),
            Err(_) => missing.push(format!("{rel}: missing")),
        }
    }
    assert!(
        missing.is_empty(),
        "files the old site published are not in DEST/public as they were:\n  {}\nblog wrote:\n  {}",
        missing.join("\n  "),
        files(public).join("\n  ")
    );
}

/// A draft of the old site, known by a sentence only it has, is in DEST,
/// not in the build without `--drafts`, and in the build with it.
fn assert_kept_as_draft(site: &SiteTest, dest: &str, sentence: &str) {
    let dest_path = site.path(dest);
    let public = dest_path.join("public");
    let holds = |(rel, bytes): &(&String, &Vec<u8>)| {
        String::from_utf8_lossy(bytes).contains(sentence) && !rel.starts_with("public/")
    };
    let sources = snapshot(&dest_path);
    assert!(
        sources.iter().any(|entry| holds(&entry)),
        "the draft ({sentence:?}) is not in DEST; DEST holds:\n  {}",
        files(&dest_path).join("\n  ")
    );
    let published: Vec<String> = snapshot(&public)
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(sentence))
        .map(|(rel, _)| rel)
        .collect();
    assert!(
        published.is_empty(),
        "the draft ({sentence:?}) is published without --drafts, in {published:?}"
    );
    let drafts_out = site.path("with-drafts");
    let out = drafts_out.to_string_lossy().into_owned();
    let built = site.run(&["build", "--root", dest, "--drafts", "-o", &out]);
    built.assert_ok();
    assert!(
        snapshot(&drafts_out)
            .iter()
            .any(|(rel, bytes)| rel.ends_with(".html")
                && String::from_utf8_lossy(bytes).contains(sentence)),
        "the draft ({sentence:?}) is not built with --drafts; the build wrote:\n  {}",
        files(&drafts_out).join("\n  ")
    );
}

/// `blog import --from <from> old-site imported-site`, then
/// `blog build --root imported-site`, both of which must succeed and leave
/// the old site exactly as it was. Returns the build's public folder.
fn import_and_build(site: &SiteTest, from: &str) -> PathBuf {
    let before = snapshot(&site.path("old-site"));
    let imported = site.run(&["import", "--from", from, "old-site", "imported-site"]);
    assert_eq!(
        imported.code, 0,
        "blog import --from {from} failed:\n{}{}",
        imported.stdout, imported.stderr
    );
    let built = site.run(&["build", "--root", "imported-site"]);
    assert_eq!(
        built.code,
        0,
        "blog build of the imported site failed:\n{}{}\nDEST holds:\n  {}",
        built.stdout,
        built.stderr,
        files(&site.path("imported-site")).join("\n  ")
    );
    let changed = changes(&before, &snapshot(&site.path("old-site")));
    assert!(
        changed.is_empty(),
        "import or build touched the old site:\n  {}",
        changed.join("\n  ")
    );
    site.path("imported-site/public")
}

#[test]
fn jekyll_site_imports_with_every_url_jekyll_published() {
    let site = SiteTest::new();
    // Jekyll builds its own copy (without --safe it writes `.jekyll-cache`
    // into its source): the import must read the fixture as committed.
    copy_dir(&fixture("jekyll"), &site.path("jekyll-src"));
    copy_dir(&fixture("jekyll"), &site.path("old-site"));
    let (src, out) = (site.path("jekyll-src"), site.path("jekyll-out"));
    let (src, out) = (src.to_string_lossy(), out.to_string_lossy());
    generate(
        "jekyll",
        &["build", "--safe", "--quiet", "-s", &src, "-d", &out],
        site.root(),
    );
    let generated = snapshot(&site.path("jekyll-out"));
    let jekyll_out = site.path("jekyll-out");
    let published: Vec<Published> = generated
        .keys()
        .filter(|rel| rel.ends_with(".html"))
        // The home page is a Liquid loop over the posts (index.html), not
        // content: blog writes its own home at `/` whatever the import does,
        // so `/` answering would prove nothing. With no plugins Jekyll writes
        // no feed, sitemap or other non-page HTML, so all the rest are pages.
        .filter(|rel| rel.as_str() != "index.html")
        .map(|rel| Published {
            url: url_of(rel),
            title: heading(&jekyll_out.join(rel)),
            alias_of: None,
        })
        .collect();
    assert_eq!(
        published.len(),
        8,
        "the fixture's six posts and two pages: {:?}",
        generated.keys().collect::<Vec<_>>()
    );

    // The check holds on Jekyll's own output: when it fails there, the test
    // is wrong, not the import.
    let itself = unanswered(&jekyll_out, &published);
    assert!(itself.is_empty(), "Jekyll's own output: {itself:?}");

    let public = import_and_build(&site, "jekyll");

    let missing = unanswered(&public, &published);
    assert!(
        missing.is_empty(),
        "{}",
        report("URLs Jekyll published", &missing, &published, &public)
    );
    assert_eq!(
        std::fs::read(public.join("assets/img/pic.png")).ok(),
        std::fs::read(fixture("jekyll/assets/img/pic.png")).ok(),
        "assets/img/pic.png is not in DEST/public as it was; blog wrote:\n  {}",
        files(&public).join("\n  ")
    );
    // Stylesheets are compiled again, by another Sass compiler: the same
    // rules, laid out its own way, and no source map.
    assert_same_files(&generated, &public, |rel| {
        rel.ends_with(".css") || rel.ends_with(".css.map")
    });
    let rules = |css: &[u8]| -> String {
        let text = String::from_utf8_lossy(css);
        let text = match text.find("/*# sourceMappingURL") {
            Some(at) => &text[..at],
            None => &text[..],
        };
        text.split_whitespace().collect()
    };
    let jekyll_css = &generated["assets/css/main.css"];
    let ours = std::fs::read(public.join("assets/css/main.css")).unwrap_or_default();
    assert_eq!(rules(&ours), rules(jekyll_css), "assets/css/main.css");
    assert!(
        rules(&ours).contains("body{background:#fdfcf8;}"),
        "{}",
        rules(&ours)
    );
    assert_kept_as_draft(&site, "imported-site", "bicycle gearing");
}

#[test]
fn hugo_site_imports_with_every_url_hugo_published() {
    let site = SiteTest::new();
    // Hugo builds its own copy: it writes `.hugo_build.lock` and
    // `resources/` into its source, and the import must read the fixture as
    // committed.
    copy_dir(&fixture("hugo"), &site.path("hugo-src"));
    copy_dir(&fixture("hugo"), &site.path("old-site"));
    // No --buildDrafts: the draft is not published, so its URL is not one
    // the import must keep. Hugo takes a relative -d from the source, so
    // both are absolute.
    let (src, out) = (site.path("hugo-src"), site.path("hugo-out"));
    let (src, out) = (src.to_string_lossy(), out.to_string_lossy());
    generate("hugo", &["--quiet", "-s", &src, "-d", &out], site.root());
    let generated = snapshot(&site.path("hugo-out"));
    let hugo_out = site.path("hugo-out");
    let mut pages = Vec::new();
    let mut lists = Vec::new();
    for rel in generated.keys().filter(|rel| rel.ends_with(".html")) {
        let url = url_of(rel);
        let html = std::fs::read_to_string(hugo_out.join(rel)).expect("read");
        // Hugo's alias pages are its own template, a meta refresh: they
        // count with the pages, and lead to the page whose title they must
        // reach in blog's build too.
        if let Some(target) = refresh_target(&html, &url) {
            let title = file_for(&hugo_out, &target).and_then(|p| heading(&p));
            assert!(title.is_some(), "Hugo's alias {url} leads to {target}");
            pages.push(Published {
                url,
                title,
                alias_of: Some(target),
            });
            continue;
        }
        // The fixture's baseof.html writes each page's .Kind.
        let document = scraper::Html::parse_document(&html);
        let selector = scraper::Selector::parse(r#"meta[name="hugo-kind"]"#).expect("selector");
        let kind = document
            .select(&selector)
            .next()
            .and_then(|m| m.value().attr("content"))
            .unwrap_or("")
            .to_string();
        match kind.as_str() {
            "page" => pages.push(Published {
                title: heading(&hugo_out.join(rel)),
                url,
                alias_of: None,
            }),
            "section" | "taxonomy" | "term" => lists.push(Published {
                url,
                title: None,
                alias_of: None,
            }),
            // Blog writes its own home at `/` whatever the import does, so
            // `/` answering would prove nothing.
            "home" => {}
            other => panic!("{rel}: a kind the fixture does not expect: {other:?}"),
        }
    }
    assert_eq!(
        pages.len(),
        10,
        "the fixture's eight pages and two aliases: {:?}",
        generated.keys().collect::<Vec<_>>()
    );

    // The check holds on Hugo's own output: when it fails there, the test
    // is wrong, not the import.
    let itself = [unanswered(&hugo_out, &pages), unanswered(&hugo_out, &lists)].concat();
    assert!(itself.is_empty(), "Hugo's own output: {itself:?}");

    let public = import_and_build(&site, "hugo");

    let missing_pages = unanswered(&public, &pages);
    let missing_lists = unanswered(&public, &lists);
    // Both lists are worked out before either is asserted, so a failure
    // shows which section and taxonomy pages answer as well.
    let lists_report = report(
        "section and taxonomy pages Hugo published",
        &missing_lists,
        &lists,
        &public,
    );
    assert!(
        missing_pages.is_empty(),
        "{}\n\nand of its section and taxonomy pages, {} of {} do not answer:\n  {}",
        report(
            "pages and aliases Hugo published",
            &missing_pages,
            &pages,
            &public
        ),
        missing_lists.len(),
        lists.len(),
        missing_lists.join("\n  ")
    );
    assert!(missing_lists.is_empty(), "{lists_report}");
    // Hugo's RSS feeds (`index.xml` at the home, each section, taxonomy and
    // term) and its `sitemap.xml` are not pages; blog writes its own feeds
    // and sitemap under its own names. The rest (favicon.ico and img.png
    // from static/, the bundle's photo.jpg) must be there as they were.
    assert_same_files(&generated, &public, |rel| rel.ends_with(".xml"));
    assert_kept_as_draft(&site, "imported-site", "tide tables");
}

#[test]
fn zola_site_imports_with_the_urls_zola_documents() {
    let site = SiteTest::new();
    copy_dir(&fixture("zola"), &site.path("old-site"));
    // Zola is not in Debian. These are the URLs its documentation gives
    // for the fixture (getzola.org/documentation/content/…), each with the
    // title of the page it leads to:
    let pages = [
        // page.md: "naming a file in the root of your content directory
        // about.md would create a page at [base_url]/about".
        ("/about/", "About", None),
        // page.md: a file name starting with a date and `-` dates the page
        // and "the page name will be anything after"; overview.md: a page
        // in content/blog/ is at /blog/NAME/.
        ("/blog/first-post/", "First post", None),
        // page.md, `path`: "will override both `slug` and the filename. The
        // sections' path won't be used"; Zola's page.rs ends every page
        // path with `/`.
        ("/writing/elsewhere/", "A post with its own path", None),
        // page.md, `slug`: "it will use that slug instead of the filename
        // to make up the URL. It will still use the section path though".
        ("/blog/a-different-slug/", "A slug of its own", None),
        ("/blog/moved/", "Moved, old addresses kept", None),
        // page.md: `index.md` "will generate a page with the name of the
        // containing folder".
        ("/blog/bundle/", "A page with its picture", None),
        // page.md, `aliases`: "redirect previous URLs to the current one.
        // This takes an array of paths": Zola writes `old/moved-post/` as
        // old/moved-post/index.html and, as a name ending in `.html` is
        // kept (site's render_alias), `2019/03/moved.html` as that file.
        (
            "/old/moved-post/",
            "Moved, old addresses kept",
            Some("/blog/moved/"),
        ),
        (
            "/2019/03/moved.html",
            "Moved, old addresses kept",
            Some("/blog/moved/"),
        ),
    ];
    // overview.md: `blog/_index.md` is the section at /blog/; taxonomies.md:
    // a taxonomy at /$NAME/ and each term at /$NAME/$SLUG, the term
    // slugified (`slugify.taxonomies` is on by default) and terms with the
    // same slug merged: "Rust" and "rust" are one /tags/rust/.
    let lists = [
        "/blog/",
        "/tags/",
        "/tags/rust/",
        "/tags/static-sites/",
        "/tags/walks/",
    ];
    let pages: Vec<Published> = pages
        .iter()
        .map(|(url, title, alias_of)| Published {
            url: url.to_string(),
            title: Some(title.to_string()),
            alias_of: alias_of.map(str::to_string),
        })
        .collect();
    let lists: Vec<Published> = lists
        .iter()
        .map(|url| Published {
            url: url.to_string(),
            title: None,
            alias_of: None,
        })
        .collect();

    let public = import_and_build(&site, "zola");

    let missing_pages = unanswered(&public, &pages);
    let missing_lists = unanswered(&public, &lists);
    assert!(
        missing_pages.is_empty(),
        "{}\n\nand of its section and taxonomy pages, {} of {} do not answer:\n  {}",
        report(
            "URLs Zola documents for its pages and aliases",
            &missing_pages,
            &pages,
            &public
        ),
        missing_lists.len(),
        lists.len(),
        missing_lists.join("\n  ")
    );
    assert!(
        missing_lists.is_empty(),
        "{}",
        report(
            "section and taxonomy pages Zola documents",
            &missing_lists,
            &lists,
            &public
        )
    );
    // overview.md: a bundle's other files are "copied alongside the
    // generated page", and static/ is "copied, without modification".
    let mut expected = BTreeMap::new();
    for (url, source) in [
        ("blog/bundle/pic.png", "content/blog/bundle/pic.png"),
        ("files/notes.txt", "static/files/notes.txt"),
    ] {
        expected.insert(
            url.to_string(),
            std::fs::read(fixture("zola").join(source)).expect("fixture"),
        );
    }
    assert_same_files(&expected, &public, |_| false);
}

#[test]
fn import_refuses_a_non_empty_dest() {
    let site = SiteTest::new();
    copy_dir(&fixture("jekyll"), &site.path("old-site"));
    site.file("imported-site/notes.txt", "mine\n");
    let source = snapshot(&site.path("old-site"));
    let dest = snapshot(&site.path("imported-site"));

    let run = site.run(&["import", "--from", "jekyll", "old-site", "imported-site"]);
    run.assert_fails().assert_stderr_has("imported-site");
    let changed = changes(&dest, &snapshot(&site.path("imported-site")));
    assert!(
        changed.is_empty(),
        "a refused import wrote into DEST:\n  {}",
        changed.join("\n  ")
    );
    assert!(changes(&source, &snapshot(&site.path("old-site"))).is_empty());
    let beside: BTreeSet<String> = std::fs::read_dir(site.root())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        beside,
        BTreeSet::from(["imported-site".to_string(), "old-site".to_string()]),
        "a refused import wrote beside DEST"
    );

    // The same folder, emptied, is a DEST the import takes.
    site.remove("imported-site/notes.txt");
    let run = site.run(&["import", "--from", "jekyll", "old-site", "imported-site"]);
    assert_eq!(
        run.code, 0,
        "an empty DEST is refused:\n{}{}",
        run.stdout, run.stderr
    );
}

#[test]
fn import_of_a_missing_or_wrong_source_is_a_clear_error() {
    let site = SiteTest::new();
    let run = site.run(&[
        "import",
        "--from",
        "jekyll",
        "no-such-site",
        "imported-site",
    ]);
    run.assert_fails().assert_stderr_has("no-such-site");
    assert!(
        !site.exists("imported-site"),
        "DEST was created for a source that does not exist"
    );

    // A Jekyll site has no hugo.toml or config.toml: not a Hugo site.
    copy_dir(&fixture("jekyll"), &site.path("old-site"));
    let source = snapshot(&site.path("old-site"));
    let run = site.run(&["import", "--from", "hugo", "old-site", "imported-site"]);
    run.assert_fails();
    assert!(
        run.stderr.to_lowercase().contains("hugo"),
        "the error does not say the source is no Hugo site:\n{}",
        run.stderr
    );
    assert!(
        !site.exists("imported-site"),
        "DEST was created for a source that is not a Hugo site"
    );
    assert!(changes(&source, &snapshot(&site.path("old-site"))).is_empty());
}
