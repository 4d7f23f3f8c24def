//! Responsive images: real JPEG and PNG files written here, a real build,
//! and the published HTML and files read back: sizes, lazy loading, the
//! `srcset` copies (decoded at their stated widths, never upscaled), the
//! cache (a rebuild decodes nothing; a damaged cache file is made again),
//! EXIF orientation and GPS, bad images as warnings at their line, and
//! `resize_image` in a template.

mod common;

use common::SiteTest;
use image::{ImageEncoder, RgbImage, RgbaImage};

/// A photo-like JPEG: smooth gradients with some texture.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        let n = ((x * 7 + y * 13) ^ (x * y)) % 32;
        image::Rgb([
            (x * 255 / width) as u8 ^ n as u8,
            (y * 255 / height) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .expect("jpeg");
    out
}

/// A flat-coloured PNG with transparency, like a diagram.
fn png(width: u32, height: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(width, height, |x, y| {
        if (x / 40 + y / 40) % 2 == 0 {
            image::Rgba([20, 90, 200, 255])
        } else {
            image::Rgba([250, 250, 250, 0])
        }
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgba8)
        .expect("png");
    out
}

/// `jpeg` with an EXIF block holding `orientation` and a GPS latitude.
fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    // IFD0: orientation, and the GPS IFD's offset (38).
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&0x0112u16.to_le_bytes());
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0x8825u16.to_le_bytes());
    tiff.extend_from_slice(&4u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&38u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // The GPS IFD: GPSLatitudeRef "N" and a GPS marker string.
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&2u32.to_le_bytes());
    tiff.extend_from_slice(b"N\0\0\0");
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(b"GPSSECRET\0");
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Each `url width` pair of a `srcset`.
fn srcset(value: &str) -> Vec<(String, u32)> {
    value
        .split(", ")
        .map(|c| {
            let (url, w) = c.rsplit_once(' ').expect("candidate");
            let w = w.strip_suffix('w').expect("width descriptor");
            (url.to_string(), w.parse().expect("width"))
        })
        .collect()
}

/// The file a srcset URL names, decoded: its width and height.
#[track_caller]
fn decoded(site: &SiteTest, url: &str) -> (u32, u32) {
    let rel = url
        .strip_prefix("https://example.org/")
        .unwrap_or_else(|| panic!("{url} is not absolute"));
    let bytes =
        std::fs::read(site.path(&format!("public/{rel}"))).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let img = image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (img.width(), img.height())
}

fn counts(stdout: &str) -> String {
    stdout
        .lines()
        .find(|l| l.starts_with("Images:"))
        .unwrap_or_else(|| panic!("no image counts in:\n{stdout}"))
        .to_string()
}

fn photo_site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Photos\"\nbase_url = \"https://example.org\"\n",
    );
    site.bytes("content/posts/trip/wide.jpg", &jpeg(1600, 1000));
    site.bytes("content/posts/trip/small.png", &png(600, 400));
    site.file(
        "content/posts/trip/index.md",
        "---\ntitle: Trip\ndate: 2024-05-01\n---\n![The bay](wide.jpg)\n\nText.\n\n![A map](small.png)\n\n![Remote](https://example.org/elsewhere.jpg)\n\n{{ figure(src=\"wide.jpg\", alt=\"Again\") }}\n",
    );
    site
}

#[test]
fn images_get_sizes_lazy_loading_and_smaller_copies() {
    let site = photo_site();
    let run = site.build(&["-v"]);
    run.assert_ok();
    assert!(
        counts(&run.stdout).starts_with("Images: 2 local, 2 decoded, "),
        "{}",
        run.stdout
    );
    let page = site.html("public/posts/trip/index.html");
    let attr = |sel: &str, name: &str| page.attrs(sel, name);

    // The first image loads at once; the others lazily.
    assert_eq!(attr("img[src='wide.jpg']", "width"), ["1600", "1600"]);
    assert_eq!(attr("img[src='wide.jpg']", "height"), ["1000", "1000"]);
    assert_eq!(attr("img[src='wide.jpg']", "loading"), ["lazy"]);
    let first = page.attrs("img", "src");
    assert_eq!(first.first().map(String::as_str), Some("wide.jpg"));
    assert_eq!(page.count("img[src='wide.jpg']:not([loading])"), 1);
    assert_eq!(attr("img[src='small.png']", "width"), ["600"]);
    assert_eq!(attr("img[src='small.png']", "height"), ["400"]);
    assert_eq!(attr("img[src='small.png']", "loading"), ["lazy"]);
    assert_eq!(attr("img[src='small.png']", "decoding"), ["async"]);

    // Remote images are left as written.
    let remote = "img[src='https://example.org/elsewhere.jpg']";
    assert!(attr(remote, "width").is_empty());
    assert!(attr(remote, "srcset").is_empty());

    // The copies: the configured widths below the original's, and the
    // original's own width; never wider.
    let wide = srcset(&attr("img[src='wide.jpg']", "srcset")[0]);
    let widths: Vec<u32> = wide.iter().map(|(_, w)| *w).collect();
    assert_eq!(widths, [480, 960, 1440, 1600]);
    for (url, w) in &wide {
        assert!(url.ends_with(".jpg"), "{url}");
        let (dw, dh) = decoded(&site, url);
        assert_eq!(dw, *w, "{url}");
        assert_eq!(dh, (w * 1000 + 800) / 1600, "{url} keeps the ratio");
    }
    let small = srcset(&attr("img[src='small.png']", "srcset")[0]);
    assert_eq!(
        small.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        [480, 600],
        "no copy above 600 pixels"
    );
    for (url, w) in &small {
        assert_eq!(decoded(&site, url).0, *w, "{url}");
    }
    // WebP, where it is smaller, in a <source> of a <picture>.
    let webp = attr("picture source[type='image/webp']", "srcset");
    assert!(!webp.is_empty(), "the PNG has WebP copies");
    for set in &webp {
        for (url, w) in srcset(set) {
            assert!(url.ends_with(".webp"), "{url}");
            assert_eq!(decoded(&site, &url).0, w, "{url}");
            assert!(w <= 1600);
        }
    }
    // The photo's WebP copies are lossy: each is smaller than the JPEG
    // copy of its width, which a lossless one of a photo never is.
    let photo_webp: Vec<(String, u32)> = webp
        .iter()
        .flat_map(|set| srcset(set))
        .filter(|(url, _)| url.contains("/wide-"))
        .collect();
    assert!(!photo_webp.is_empty(), "the JPEG has WebP copies: {webp:?}");
    for (url, w) in &photo_webp {
        let jpeg_url = wide
            .iter()
            .find(|(_, jw)| jw == w)
            .map(|(u, _)| u.clone())
            .expect("a JPEG copy of the same width");
        let size = |u: &str| {
            let rel = u.split("/posts/").nth(1).expect("a post URL");
            std::fs::metadata(site.path(&format!("public/posts/{rel}")))
                .expect("copy")
                .len()
        };
        assert!(size(url) < size(&jpeg_url), "{url} against {jpeg_url}");
    }
    assert!(!attr("img[src='small.png']", "sizes")[0].is_empty());
    // The originals are still published, byte for byte.
    assert_eq!(
        std::fs::read(site.path("public/posts/trip/wide.jpg")).expect("original"),
        std::fs::read(site.path("content/posts/trip/wide.jpg")).expect("source")
    );
    assert!(site.exists("public/posts/trip/small.png"));
}

#[test]
fn a_rebuild_decodes_nothing_and_a_damaged_cache_file_is_made_again() {
    let site = photo_site();
    site.build(&["-v"]).assert_ok();
    let first = site.html("public/posts/trip/index.html").0.html();

    let again = site.build(&["-v"]);
    again.assert_ok();
    assert_eq!(
        counts(&again.stdout),
        "Images: 2 local, 0 decoded, 0 files encoded"
    );
    assert_eq!(site.html("public/posts/trip/index.html").0.html(), first);

    // Cut every cached copy short: each is checked and made again.
    let mut cut = 0;
    for entry in walkdir(site.cache_dir()) {
        if entry
            .extension()
            .is_some_and(|e| e == "jpg" || e == "webp" || e == "png")
        {
            let bytes = std::fs::read(&entry).expect("read");
            std::fs::write(&entry, &bytes[..bytes.len() / 2]).expect("truncate");
            cut += 1;
        }
    }
    assert!(cut >= 6, "copies are cached: {cut}");
    let redone = site.build(&["-v"]);
    redone.assert_ok();
    assert_eq!(&counts(&redone.stdout)[..27], "Images: 2 local, 2 decoded,");
    let page = site.html("public/posts/trip/index.html");
    for set in page.attrs("img[src='wide.jpg']", "srcset") {
        for (url, w) in srcset(&set) {
            assert_eq!(decoded(&site, &url).0, w, "{url} is whole again");
        }
    }
    // An edited post reuses the cache.
    site.file(
        "content/posts/trip/index.md",
        "---\ntitle: Trip\ndate: 2024-05-01\n---\n![The bay](wide.jpg)\n\nNew text.\n",
    );
    let edited = site.build(&["-v"]);
    assert_eq!(
        counts(&edited.stdout),
        "Images: 1 local, 0 decoded, 0 files encoded"
    );
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn exif_orientation_is_applied_and_gps_is_not_copied() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "base_url = \"https://example.org\"\n[images]\nwidths = [100]\n",
    );
    // Stored 400×200, shown turned a quarter: 200×400.
    let photo = with_exif(&jpeg(400, 200), 6);
    assert!(contains(&photo, b"GPSSECRET"));
    site.bytes("content/posts/turned/photo.jpg", &photo);
    site.file(
        "content/posts/turned/index.md",
        "---\ntitle: Turned\n---\n![Portrait](photo.jpg)\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/turned/index.html");
    assert_eq!(page.attrs("img[src='photo.jpg']", "width"), ["200"]);
    assert_eq!(page.attrs("img[src='photo.jpg']", "height"), ["400"]);
    let mut sets: Vec<String> = page.attrs("img[src='photo.jpg']", "srcset");
    sets.extend(page.attrs("source", "srcset"));
    let mut seen = 0;
    for set in sets {
        for (url, w) in srcset(&set) {
            let (dw, dh) = decoded(&site, &url);
            assert_eq!((dw, dh), (w, w * 2), "{url} is upright");
            let rel = url.trim_start_matches("https://example.org/");
            let bytes = std::fs::read(site.path(&format!("public/{rel}"))).expect("copy");
            assert!(
                !contains(&bytes, b"GPSSECRET"),
                "{url} carries the GPS block"
            );
            assert!(!contains(&bytes, b"Exif\0\0"), "{url} carries EXIF");
            seen += 1;
        }
    }
    assert!(seen >= 2, "a copy at 100 and at 200 pixels");

    // With metadata kept, the copies have the EXIF, upright.
    site.file(
        "config.toml",
        "base_url = \"https://example.org\"\n[images]\nwidths = [100]\nstrip_metadata = false\nwebp = false\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/turned/index.html");
    let set = srcset(&page.attrs("img[src='photo.jpg']", "srcset")[0]);
    let rel = set[0]
        .0
        .trim_start_matches("https://example.org/")
        .to_string();
    let bytes = std::fs::read(site.path(&format!("public/{rel}"))).expect("copy");
    assert!(contains(&bytes, b"GPSSECRET"), "kept on request");
    let img = image::load_from_memory(&bytes).expect("decode");
    assert_eq!((img.width(), img.height()), (100, 200));
}

#[test]
fn missing_and_corrupt_images_are_warnings_at_their_place() {
    let site = SiteTest::new();
    site.file("config.toml", "base_url = \"https://example.org\"\n");
    site.bytes("content/posts/bad/broken.jpg", b"this is not a JPEG at all");
    site.bytes("content/posts/bad/fine.png", &png(300, 200));
    site.file(
        "content/posts/bad/index.md",
        "---\ntitle: Bad\n---\nIntro.\n\nSee ![gone](missing.png) here.\n\n![broken](broken.jpg)\n\n![fine](fine.png)\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    // A missing image is `blog check`'s, with the other broken links: a
    // build of an imported blog with lost images is not buried in them.
    assert!(!run.stderr.contains("missing.png"), "{}", run.stderr);
    site.run(&["check"])
        .assert_fails()
        .assert_stderr_has("content/posts/bad/index.md:6:5")
        .assert_stderr_has("missing.png");
    run.assert_stderr_has("content/posts/bad/index.md:8:1");
    run.assert_stderr_has("image `broken.jpg` cannot be read");
    // The broken file is published as it is, without copies; the rest of
    // the page goes on.
    let page = site.html("public/posts/bad/index.html");
    assert!(page.attrs("img[src='broken.jpg']", "srcset").is_empty());
    assert_eq!(
        std::fs::read(site.path("public/posts/bad/broken.jpg")).expect("published"),
        b"this is not a JPEG at all"
    );
    assert_eq!(page.attrs("img[src='fine.png']", "width"), ["300"]);
    assert_eq!(page.attrs("img[src='fine.png']", "srcset").len(), 1);

    // Still warnings when strict: the page is whole, its image as it was
    // (a missing image is `blog check`'s to fail on).
    site.build(&["--strict"])
        .assert_ok()
        .assert_stderr_has("index.md:8:1: warning:");
}

#[test]
fn responsive_off_leaves_tags_alone_and_bad_settings_are_errors() {
    let site = photo_site();
    site.file(
        "config.toml",
        "base_url = \"https://example.org\"\n[images]\nresponsive = false\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/trip/index.html");
    assert!(page.attrs("img", "width").is_empty());
    assert!(page.attrs("img", "srcset").is_empty());
    assert_eq!(page.count("picture"), 0);

    site.file("config.toml", "[images]\nquality = 0\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:2:1")
        .assert_stderr_has("quality");
}

#[test]
fn resize_image_in_a_template_makes_zolas_sizes() {
    let site = SiteTest::new();
    site.file("config.toml", "base_url = \"https://example.org\"\n");
    site.bytes("static/img/p.png", &png(800, 600));
    site.bytes("content/posts/a/photo.jpg", &jpeg(640, 480));
    site.post("plain", "title: Plain", "Text.");
    site.file(
        "templates/page.html",
        "<!doctype html><title>x</title>\
         {% set r = resize_image(path=\"img/p.png\", width=100, height=50) %}\
         <img id=fill src=\"{{ r.url }}\" data-size=\"{{ r.width }}x{{ r.height }}\" data-orig=\"{{ r.orig_width }}x{{ r.orig_height }}\" data-path=\"{{ r.static_path }}\">\
         {% set f = resize_image(path=\"static/img/p.png\", width=200, op=\"fit_width\", format=\"webp\") %}\
         <img id=fitw src=\"{{ f.url }}\" data-size=\"{{ f.width }}x{{ f.height }}\" data-path=\"{{ f.static_path }}\">\
         {% set j = resize_image(path=\"content/posts/a/photo.jpg\", width=100, height=100, op=\"fit\") %}\
         <img id=fit src=\"{{ j.url }}\" data-size=\"{{ j.width }}x{{ j.height }}\" data-path=\"{{ j.static_path }}\">",
    );
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/plain/index.html");
    for (id, size, ext) in [
        ("fill", (100, 50), "png"),
        ("fitw", (200, 150), "webp"),
        ("fit", (100, 75), "jpg"),
    ] {
        let sel = format!("#{id}");
        assert_eq!(
            page.attrs(&sel, "data-size"),
            [format!("{}x{}", size.0, size.1)]
        );
        let path = &page.attrs(&sel, "data-path")[0];
        assert!(
            path.starts_with("processed_images/") && path.ends_with(ext),
            "{path}"
        );
        assert_eq!(
            page.attrs(&sel, "src"),
            [format!("https://example.org/{path}")]
        );
        let img = image::open(site.path(&format!("public/{path}"))).expect("made");
        assert_eq!((img.width(), img.height()), size, "{id}");
    }
    assert_eq!(page.attrs("#fill", "data-orig"), ["800x600"]);

    site.file(
        "templates/page.html",
        "{% set r = resize_image(path=\"img/none.png\", width=10, height=10) %}{{ r.url }}",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("resize_image(path=\"img/none.png\")");
}

#[test]
fn pages_with_responsive_images_are_valid_html() {
    let site = photo_site();
    site.build(&[]).assert_ok();
    let jar = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.exists(),
        "{} is missing: run scripts/test-deps.sh",
        jar.display()
    );
    let output = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "text"])
        .arg(site.path("public/posts/trip/index.html"))
        .output()
        .expect("java runs");
    assert!(
        output.status.success(),
        "vnu:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The PNG's WebP copies are smaller; lossless WebP loses to the JPEG.
    let page = site.html("public/posts/trip/index.html");
    assert_eq!(
        page.count("picture > source[type='image/webp'] + img[src='small.png']"),
        1
    );
}
