//! `[search] enabled = true`: the index files blog writes (read back as
//! JSON), what is left out of them, the search page and box, the config's
//! errors, and `blog serve` keeping the index current after a save.

mod common;

use std::collections::BTreeMap;

use common::SiteTest;
use serde_json::Value;

const CONFIG: &str =
    "title = \"Searchable\"\nbase_url = \"https://example.org\"\n\n[search]\nenabled = true\n";

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file("config.toml", CONFIG);
    site.post(
        "zebras",
        "title: Zebras\ndate: 2024-01-02\ntags: [animals]",
        "Stripes help with flies. The word quagga appears only here.",
    );
    site.post(
        "lakes",
        "title: Lakes\ndate: 2024-01-03\ntags: [animals]",
        "Still water, cold mornings. Crème brûlée by the shore.",
    );
    site.post(
        "tokyo",
        "title: 東京\ndate: 2024-01-04",
        "東京の夜景はとても美しいです。",
    );
    site.post(
        "unfinished",
        "title: Unfinished\ndate: 2024-01-05\ndraft: true",
        "A draft about marmosets.",
    );
    site.post(
        "hidden",
        "title: Hidden\ndate: 2024-01-06\nin_search_index: false",
        "Published, but not searchable: ocelot.",
    );
    site.file(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nWho writes about capybaras.\n",
    );
    site.file(
        "content/posts/_index.md",
        "+++\ntitle = \"Posts\"\n+++\nThe section's own words: wombatlist.\n",
    );
    site.file(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Lost? Try the notfoundword page.</p>{% endblock content %}",
    );
    site
}

fn json(site: &SiteTest, rel: &str) -> Value {
    serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The shard file a term is in, by the index's rule.
fn shard_of(term: &str) -> String {
    let first: char = term.chars().next().expect("a term");
    let key: String = if ('\u{3040}'..='\u{9fff}').contains(&first) {
        first.to_string()
    } else {
        term.chars().take(2).collect()
    };
    format!("public/search/t/{}.json", hex(&key))
}

/// Every document record, by document number.
fn records(site: &SiteTest) -> Vec<Value> {
    let manifest = json(site, "public/search/index.json");
    let docs = manifest["docs"].as_u64().expect("docs") as usize;
    let chunk = manifest["chunk"].as_u64().expect("chunk") as usize;
    let mut all = Vec::new();
    for n in 0..docs.div_ceil(chunk) {
        let part = json(site, &format!("public/search/d/{n}.json"));
        all.extend(part.as_array().expect("a list of records").iter().cloned());
    }
    assert_eq!(all.len(), docs);
    all
}

/// Every file under public/search/ but the page, as text.
fn index_files(site: &SiteTest) -> BTreeMap<String, String> {
    common::snapshot(&site.path("public/search"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".json"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

#[test]
fn the_index_holds_published_pages_and_nothing_else() {
    let site = site();
    site.build(&[]).assert_ok();
    let manifest = json(&site, "public/search/index.json");
    assert_eq!(manifest["version"], 1);
    assert_eq!(manifest["docs"], 4, "{manifest}");
    assert!(manifest["avg_len"].as_f64().expect("avg_len") > 1.0);
    let shards: Vec<&str> = manifest["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .map(|s| s.as_str().expect("name"))
        .collect();
    for shard in &shards {
        assert!(
            site.exists(&format!("public/search/t/{shard}.json")),
            "{shard}"
        );
    }

    let records = records(&site);
    let urls: Vec<&str> = records
        .iter()
        .map(|r| r["url"].as_str().expect("url"))
        .collect();
    assert_eq!(
        urls,
        [
            "/about/",
            "/posts/lakes/",
            "/posts/tokyo/",
            "/posts/zebras/"
        ]
    );
    let zebras = urls
        .iter()
        .position(|u| *u == "/posts/zebras/")
        .expect("zebras");
    assert_eq!(records[zebras]["title"], "Zebras");
    assert_eq!(records[zebras]["date"], "2024-01-02");
    assert_eq!(
        records[zebras]["text"],
        "Stripes help with flies. The word quagga appears only here."
    );
    assert!(
        records[0].get("date").is_none(),
        "the about page has no date"
    );

    // The unique word's shard lists exactly that post, once, from its body.
    let shard = json(&site, &shard_of("quagga"));
    let postings = shard["quagga"].as_array().expect("quagga is indexed");
    assert_eq!(postings.len(), 1);
    assert_eq!(postings[0][0], zebras);
    assert_eq!(postings[0][1], 1, "once in the body");
    assert_eq!(postings[0][2], 0, "not in the title");
    // A title word is flagged.
    let title = json(&site, &shard_of("zebras"));
    assert_eq!(title["zebras"][0][2], 1, "{title}");
    // Diacritics are gone, case too.
    let creme = json(&site, &shard_of("creme"));
    assert!(creme.get("creme").is_some(), "{creme}");
    assert!(json(&site, &shard_of("brulee")).get("brulee").is_some());

    // CJK: the characters and the pairs, in the first character's shard.
    let tokyo = urls
        .iter()
        .position(|u| *u == "/posts/tokyo/")
        .expect("tokyo");
    let east = json(&site, &shard_of("東"));
    assert_eq!(east["東京"][0][0], tokyo, "{east}");
    assert_eq!(east["東京"][0][2], 1, "the title is 東京");
    assert_eq!(json(&site, &shard_of("夜景"))["夜景"][0][0], tokyo);

    // The draft's, the excluded page's, the 404 page's and the list
    // page's words are nowhere in the index.
    let all: String = index_files(&site).into_values().collect();
    for word in [
        "marmosets",
        "ocelot",
        "notfoundword",
        "wombatlist",
        "Unfinished",
        "Hidden",
    ] {
        assert!(!all.contains(word), "{word} is not indexed");
    }
    // The excluded page itself is still published.
    assert!(site.exists("public/posts/hidden/index.html"));
}

#[test]
fn drafts_stay_out_of_the_index_even_when_built() {
    let site = site();
    site.build(&["--drafts"]).assert_ok();
    assert!(site.exists("public/posts/unfinished/index.html"));
    let all: String = index_files(&site).into_values().collect();
    assert!(!all.contains("marmosets"));
    assert_eq!(json(&site, "public/search/index.json")["docs"], 4);
}

#[test]
fn the_search_page_and_box() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Searchable\"\nbase_url = \"https://example.org/blog\"\n[search]\nenabled = true\n",
    );
    site.post("a", "title: A\ndate: 2024-01-02", "Body.");
    site.build(&[]).assert_ok();
    let search = site.html("public/search/index.html");
    assert_eq!(search.text("h1"), "Search");
    assert_eq!(
        search.attrs("form[role=search]", "action"),
        ["https://example.org/blog/search/"]
    );
    assert_eq!(search.count("label[for=search-q]"), 1);
    assert_eq!(search.attrs("#search-q", "name"), ["q"]);
    assert_eq!(search.attrs("#search-status", "aria-live"), ["polite"]);
    assert_eq!(search.count("ol#search-results"), 1);
    let scripts = search.attrs("script[src]", "src");
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    assert!(scripts[0].contains("search."), "{scripts:?}");
    assert_eq!(
        search.attrs("script[data-index]", "data-index"),
        ["https://example.org/blog/search/"]
    );
    assert!(search.text("noscript").contains("needs JavaScript"));
    // The search page has its own form, so no box in its header.
    assert_eq!(search.count("form.search-box"), 0);
    assert!(site.exists("public/search.js"));

    let post = site.html("public/posts/a/index.html");
    assert_eq!(
        post.attrs("form.search-box", "action"),
        ["https://example.org/blog/search/"]
    );
    assert_eq!(post.attrs("form.search-box input", "name"), ["q"]);
    assert_eq!(post.count("label[for=search-box-q]"), 1);
    assert_eq!(post.count("script[src]"), 0, "no script on other pages");
    // Not a page for search engines' sitemap, nor in the index.
    assert!(!site.read("public/sitemap.xml").contains("/search/"));
    // Record URLs are paths within the site; the script puts the base first.
    assert_eq!(records(&site)[0]["url"], "/posts/a/");
}

#[test]
fn search_is_off_by_default() {
    let site = site();
    site.file(
        "config.toml",
        "title = \"Searchable\"\nbase_url = \"https://example.org\"\n",
    );
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/search"));
    assert!(!site.exists("public/search.js"), "no script without search");
    let post = site.read("public/posts/zebras/index.html");
    assert!(!post.contains("search"), "{post}");
}

#[test]
fn a_rebuild_gives_the_same_index_and_no_stale_files() {
    let site = site();
    site.build(&[]).assert_ok();
    let first = index_files(&site);
    site.build(&[]).assert_ok();
    assert_eq!(first, index_files(&site), "the same site, the same index");

    site.remove("content/posts/zebras.md");
    site.build(&[]).assert_ok();
    assert!(
        !site.exists(&shard_of("quagga")),
        "its only word's shard is gone"
    );
    assert_eq!(json(&site, "public/search/index.json")["docs"], 3);
    assert_ne!(
        json(&site, "public/search/index.json")["hash"],
        serde_json::from_str::<Value>(&first["index.json"]).expect("json")["hash"]
    );
}

#[test]
fn a_static_file_where_the_index_goes_is_an_error() {
    let site = site();
    site.file("static/search/index.json", "{}\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("static/search/index.json")
        .assert_stderr_has("where the search index goes");
}

#[test]
fn config_errors_name_their_place() {
    let site = site();
    site.file(
        "config.toml",
        "title = \"Searchable\"\nbase_url = \"https://example.org\"\n\n[search]\nenabled = \"yes\"\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:5:")
        .assert_stderr_has("enabled = true or enabled = false under [search]");
    assert!(!site.exists("public/search"));

    site.file(
        "config.toml",
        "title = \"Searchable\"\nbase_url = \"https://example.org\"\n\n[search]\nenable = true\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:5:1")
        .assert_stderr_has("`search.enable`");
}

#[test]
fn front_matter_in_search_index_must_be_a_boolean() {
    let site = site();
    site.post(
        "odd",
        "title: Odd\ndate: 2024-01-07\nin_search_index: sometimes",
        "Body.",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/odd.md:4:");
}

#[test]
fn serve_rewrites_the_shards_of_an_edited_post() {
    let site = site();
    let server = site.serve(&[]);
    let shard = shard_of("okapi").trim_start_matches("public").to_string();
    assert_eq!(server.get(&shard).status, 404, "no okapi yet");
    let before = server.get("/search/index.json");
    assert_eq!(before.status, 200);
    site.post(
        "zebras",
        "title: Zebras\ndate: 2024-01-02\ntags: [animals]",
        "Stripes help with flies. Now an okapi too.",
    );
    let reply = server.wait_for(&shard, "the new word's shard", |r| {
        r.status == 200 && r.body.contains("\"okapi\"")
    });
    server.wait_for_output("Updated 1 page");
    // What serve holds equals a fresh build of the edited site.
    let served: Value = serde_json::from_str(&reply.body).expect("json");
    site.build(&[]).assert_ok();
    assert_eq!(served, json(&site, &shard_of("okapi")));
    let manifest = server.get("/search/index.json");
    assert_eq!(manifest.body, site.read("public/search/index.json"));
    assert_ne!(manifest.body, before.body);
    for rel in ["/search/d/0.json", &shard_of("stripes")[6..]] {
        assert_eq!(
            server.get(rel).body,
            site.read(&format!("public{rel}")),
            "{rel}"
        );
    }
    // The gone word is gone from its shard.
    let quagga = server.get(&shard_of("quagga")[6..]);
    assert!(!quagga.body.contains("\"quagga\""), "{}", quagga.body);
}

/// The previous output kept for the next build (the spare), if any.
fn spare_of(site: &SiteTest) -> Option<std::path::PathBuf> {
    walkdir::WalkDir::new(site.cache_dir())
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| {
            e.file_type().is_dir() && e.file_name().to_string_lossy().starts_with("spare-output-")
        })
        .map(|e| e.into_path())
}

#[test]
fn an_unchanged_site_keeps_its_index_and_a_damaged_spare_is_indexed_again() {
    let site = site();
    site.build(&[]).assert_ok();
    let first = index_files(&site);
    site.build(&[]).assert_ok();
    // The spare is the first build's output, index and all.
    let spare = spare_of(&site).expect("a spare output in the cache");
    assert!(spare.join("search/index.json").is_file());
    site.build(&[]).assert_ok();
    assert_eq!(first, index_files(&site));

    // A spare missing a shard: the index is made again, whole.
    let spare = spare_of(&site).expect("a spare output in the cache");
    std::fs::remove_file(spare.join(&shard_of("quagga")["public/".len()..])).expect("remove");
    site.build(&[]).assert_ok();
    assert_eq!(first, index_files(&site));

    // An edit: a new hash, the new word, the old one gone.
    site.post(
        "zebras",
        "title: Zebras\ndate: 2024-01-02\ntags: [animals]",
        "Stripes and an okapi.",
    );
    site.build(&[]).assert_ok();
    assert!(json(&site, &shard_of("okapi")).get("okapi").is_some());
    assert!(!site.exists(&shard_of("quagga")));
    assert_ne!(
        json(&site, "public/search/index.json")["hash"],
        serde_json::from_str::<Value>(&first["index.json"]).expect("json")["hash"]
    );
}

#[test]
fn serve_rebuilds_reuse_what_did_not_change_and_equal_a_build() {
    let site = site();
    let server = site.serve(&[]);
    server.wait_for("/search/index.json", "the index", |r| r.status == 200);
    // A new post is a rebuild, not a patch: every document after it moves.
    site.post(
        "aardvarks",
        "title: Aardvarks\ndate: 2024-02-01",
        "Termites, and a narwhal for company.",
    );
    let shard = shard_of("narwhal")["public".len()..].to_string();
    server.wait_for(&shard, "the new post's word", |r| {
        r.status == 200 && r.body.contains("\"narwhal\"")
    });
    site.build(&[]).assert_ok();
    let built = index_files(&site);
    let manifest = json(&site, "public/search/index.json");
    assert_eq!(manifest["docs"], 5);
    for (rel, text) in &built {
        let served = server.get(&format!("/search/{rel}"));
        assert_eq!(served.status, 200, "{rel}");
        assert_eq!(&served.body, text, "{rel} as served equals the build's");
    }
}
