//! Decoding, resizing and encoding one image, with a persistent cache: each
//! set of outputs is keyed by a SHA-256 of the source bytes and the options,
//! and stored as `<cache>/images/<key>.json` (what was made) beside the
//! files it names, `<cache>/images/<sha256>.<ext>`. A cached file is read
//! back and checked against its hash before it is used; a missing,
//! truncated or foreign file means the image is made again, never a wrong
//! or partial file published. An unchanged image costs a read and two
//! hashes: nothing is decoded.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};
use serde::{Deserialize, Serialize};

use crate::config::ImagesConfig;

/// Changes whenever the same source and options could give other files.
const VERSION: &str = concat!("blog images 1 ", env!("CARGO_PKG_VERSION"), " image 0.25");

/// What a source image is, as far as `blog` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    /// Sized from its header; never resized (frames would be lost).
    Gif,
    /// Sized from its `width`/`height` or `viewBox`; vector, never resized.
    Svg,
}

impl Kind {
    /// The kind a file name promises, from its extension.
    pub fn from_path(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "jpg" | "jpeg" => Kind::Jpeg,
            "png" => Kind::Png,
            "webp" => Kind::Webp,
            "gif" => Kind::Gif,
            "svg" => Kind::Svg,
            _ => return None,
        })
    }

    pub fn ext(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Webp => "webp",
            Kind::Gif => "gif",
            Kind::Svg => "svg",
        }
    }

    fn format(self) -> Option<ImageFormat> {
        match self {
            Kind::Jpeg => Some(ImageFormat::Jpeg),
            Kind::Png => Some(ImageFormat::Png),
            Kind::Webp => Some(ImageFormat::WebP),
            Kind::Gif | Kind::Svg => None,
        }
    }
}

/// One made file: its size, its format and where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub width: u32,
    pub height: u32,
    pub kind: Kind,
    pub data: Data,
}

/// A made file's bytes: in the cache folder, or in memory when the cache
/// is off (`BLOG_CACHE_DIR=""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    File(PathBuf),
    Bytes(Arc<[u8]>),
}

impl Data {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Data::File(path) => std::fs::read(path),
            Data::Bytes(bytes) => Ok(bytes.to_vec()),
        }
    }
}

/// A source image: its upright size and the copies made of it, smallest
/// first (empty for GIF and SVG).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
    pub copies: Vec<Made>,
}

/// How many images a build decoded and how many files it encoded: zero
/// and zero for a rebuild of an unchanged site.
#[derive(Debug, Default)]
pub struct Counters {
    pub decoded: AtomicUsize,
    pub encoded: AtomicUsize,
    pub reused: AtomicUsize,
}

/// What `resize_image` asks for (Zola's operations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Scale(u32, u32),
    FitWidth(u32),
    FitHeight(u32),
    Fit(u32, u32),
    Fill(u32, u32),
}

impl Op {
    /// The operation `name` with its sizes; an error names what is missing.
    pub fn parse(name: &str, width: Option<u32>, height: Option<u32>) -> Result<Op, String> {
        let need = |v: Option<u32>, what: &str| {
            v.filter(|v| *v > 0)
                .ok_or_else(|| format!("op \"{name}\" needs a {what} above 0"))
        };
        Ok(match name {
            "scale" => Op::Scale(need(width, "width")?, need(height, "height")?),
            "fit_width" => Op::FitWidth(need(width, "width")?),
            "fit_height" => Op::FitHeight(need(height, "height")?),
            "fit" => Op::Fit(need(width, "width")?, need(height, "height")?),
            "fill" => Op::Fill(need(width, "width")?, need(height, "height")?),
            other => {
                return Err(format!(
                "unknown op \"{other}\": use \"scale\", \"fit_width\", \"fit_height\", \"fit\" or \"fill\""
            ))
            }
        })
    }

    /// The size of the result for a `w`×`h` original, and for `Fill` the
    /// size scaled to before the centre is cut out.
    pub fn target(self, w: u32, h: u32) -> ((u32, u32), Option<(u32, u32)>) {
        let ratio = |num: u32, a: u32, b: u32| -> u32 {
            ((u64::from(num) * u64::from(a) + u64::from(b) / 2) / u64::from(b.max(1))).max(1) as u32
        };
        match self {
            Op::Scale(tw, th) => ((tw, th), None),
            Op::FitWidth(tw) => ((tw, ratio(tw, h, w)), None),
            Op::FitHeight(th) => ((ratio(th, w, h), th), None),
            Op::Fit(tw, th) => {
                if w <= tw && h <= th {
                    ((w, h), None)
                } else if u64::from(w) * u64::from(th) >= u64::from(h) * u64::from(tw) {
                    ((tw, ratio(tw, h, w)), None)
                } else {
                    ((ratio(th, w, h), th), None)
                }
            }
            Op::Fill(tw, th) => {
                // Scale so that both sides cover the box, then cut.
                let scaled = if u64::from(w) * u64::from(th) >= u64::from(h) * u64::from(tw) {
                    (ratio(th, w, h).max(tw), th)
                } else {
                    (tw, ratio(tw, h, w).max(th))
                };
                ((tw, th), Some(scaled))
            }
        }
    }
}

/// The manifest of one cached set of outputs.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    kind: Kind,
    width: u32,
    height: u32,
    files: Vec<ManifestFile>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestFile {
    width: u32,
    height: u32,
    kind: Kind,
    sha256: String,
}

/// Makes images, through the cache in `dir` (none: in memory only).
pub struct Processor {
    dir: Option<PathBuf>,
    pub counters: Counters,
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

impl Processor {
    /// A processor caching in `<site cache>/images`.
    pub fn new(site_cache: Option<&Path>) -> Processor {
        Processor {
            dir: site_cache.map(|d| d.join("images")),
            counters: Counters::default(),
        }
    }

    pub fn decoded(&self) -> usize {
        self.counters.decoded.load(Ordering::Relaxed)
    }

    pub fn encoded(&self) -> usize {
        self.counters.encoded.load(Ordering::Relaxed)
    }

    /// The copies `config` asks for of the image in `bytes`, which its name
    /// says is a `kind`; an error says why the bytes are no such image.
    pub fn responsive(
        &self,
        bytes: &[u8],
        kind: Kind,
        config: &ImagesConfig,
    ) -> Result<Processed, String> {
        let options = format!(
            "responsive {:?} webp={} q={} strip={}",
            config.widths, config.webp, config.quality, config.strip_metadata
        );
        self.cached(bytes, kind, &options, |image, meta| {
            let (w, h) = (image.width(), image.height());
            let mut widths: Vec<u32> = config.widths.iter().copied().filter(|x| *x < w).collect();
            widths.push(w);
            widths.sort_unstable();
            widths.dedup();
            let mut files = Vec::new();
            for width in widths {
                let height = ((u64::from(h) * u64::from(width) + u64::from(w) / 2)
                    / u64::from(w.max(1)))
                .max(1) as u32;
                let resized = if width == w {
                    image.clone()
                } else {
                    image.resize_exact(width, height, image::imageops::FilterType::CatmullRom)
                };
                let own = encode(&resized, kind, config.quality, meta, config.strip_metadata)?;
                // A lossless source gets a lossless WebP, a photo (JPEG) a
                // lossy one at the same quality (libwebp); either is offered
                // only where it is smaller than the copy in the own format.
                let webp = match kind {
                    _ if !config.webp => None,
                    Kind::Png => Some(encode(
                        &resized,
                        Kind::Webp,
                        100,
                        meta,
                        config.strip_metadata,
                    )?),
                    Kind::Jpeg => Some(lossy_webp(&resized, config.quality)?),
                    _ => None,
                };
                if let Some(webp) = webp.filter(|w| w.len() < own.len()) {
                    files.push((width, height, Kind::Webp, webp));
                }
                files.push((width, height, kind, own));
            }
            Ok(files)
        })
    }

    /// One copy of the image in `bytes` made by `op`, in `format` (`None`:
    /// the source's own, JPEG for JPEG and PNG for the rest), for
    /// `resize_image`. Returns the copy and the original's upright size.
    pub fn resize(
        &self,
        bytes: &[u8],
        kind: Kind,
        op: Op,
        format: Option<Kind>,
        quality: u8,
        strip_metadata: bool,
    ) -> Result<(Made, u32, u32), String> {
        let out = format.unwrap_or(match kind {
            Kind::Jpeg => Kind::Jpeg,
            _ => Kind::Png,
        });
        let options = format!("resize {op:?} {out:?} q={quality} strip={strip_metadata}");
        let processed = self.cached(bytes, kind, &options, |image, meta| {
            let ((tw, th), fill) = op.target(image.width(), image.height());
            let filter = image::imageops::FilterType::CatmullRom;
            let resized = match fill {
                Some((sw, sh)) => image.resize_exact(sw, sh, filter).crop_imm(
                    (sw - tw) / 2,
                    (sh - th) / 2,
                    tw,
                    th,
                ),
                None if (tw, th) == (image.width(), image.height()) => image.clone(),
                None => image.resize_exact(tw, th, filter),
            };
            let encoded = encode(&resized, out, quality, meta, strip_metadata)?;
            Ok(vec![(tw, th, out, encoded)])
        })?;
        let made = processed
            .copies
            .into_iter()
            .next()
            .ok_or_else(|| "nothing was made".to_string())?;
        Ok((made, processed.width, processed.height))
    }

    /// The outputs for `bytes` under `options`: from the cache when every
    /// file there is whole, else made by `make` from the decoded, upright
    /// image (and stored).
    fn cached(
        &self,
        bytes: &[u8],
        kind: Kind,
        options: &str,
        make: impl FnOnce(&DynamicImage, &Metadata) -> Result<Vec<(u32, u32, Kind, Vec<u8>)>, String>,
    ) -> Result<Processed, String> {
        let key = {
            let mut keyed = Vec::with_capacity(bytes.len() + 128);
            keyed.extend_from_slice(VERSION.as_bytes());
            keyed.push(0);
            keyed.extend_from_slice(options.as_bytes());
            keyed.push(0);
            keyed.extend_from_slice(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref());
            sha256_hex(&keyed)[..32].to_string()
        };
        if let Some(found) = self.lookup(&key) {
            self.counters.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(found);
        }
        let (kind, width, height, files) = match kind {
            Kind::Gif => {
                let (w, h) = gif_size(bytes)?;
                (kind, w, h, Vec::new())
            }
            Kind::Svg => {
                let (w, h) = svg_size(bytes).ok_or_else(|| {
                    "no width and height or viewBox on its <svg> element".to_string()
                })?;
                (kind, w, h, Vec::new())
            }
            _ => {
                let (image, meta) = decode(bytes, kind)?;
                self.counters.decoded.fetch_add(1, Ordering::Relaxed);
                let files = make(&image, &meta)?;
                self.counters
                    .encoded
                    .fetch_add(files.len(), Ordering::Relaxed);
                (kind, image.width(), image.height(), files)
            }
        };
        let copies = self.store(&key, kind, width, height, files);
        Ok(Processed {
            kind,
            width,
            height,
            copies,
        })
    }

    /// The cached outputs of `key`, when its manifest and every file it
    /// names are whole.
    fn lookup(&self, key: &str) -> Option<Processed> {
        let dir = self.dir.as_ref()?;
        let text = std::fs::read(dir.join(format!("{key}.json"))).ok()?;
        let manifest: Manifest = serde_json::from_slice(&text).ok()?;
        let mut copies = Vec::new();
        for file in manifest.files {
            let path = dir.join(format!("{}.{}", file.sha256, file.kind.ext()));
            let bytes = std::fs::read(&path).ok()?;
            if sha256_hex(&bytes) != file.sha256 {
                return None;
            }
            copies.push(Made {
                width: file.width,
                height: file.height,
                kind: file.kind,
                data: Data::File(path),
            });
        }
        Some(Processed {
            kind: manifest.kind,
            width: manifest.width,
            height: manifest.height,
            copies,
        })
    }

    /// Writes the made files and their manifest into the cache (each
    /// through a temporary name, so a killed build leaves no half file
    /// under a real name); without a cache, or when writing fails, the
    /// bytes stay in memory.
    fn store(
        &self,
        key: &str,
        kind: Kind,
        width: u32,
        height: u32,
        files: Vec<(u32, u32, Kind, Vec<u8>)>,
    ) -> Vec<Made> {
        let write = |path: &Path, bytes: &[u8]| -> std::io::Result<()> {
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            std::fs::write(&tmp, bytes)?;
            std::fs::rename(&tmp, path)
        };
        let mut manifest = Manifest {
            kind,
            width,
            height,
            files: Vec::new(),
        };
        let mut copies = Vec::new();
        let mut stored = self
            .dir
            .as_ref()
            .is_some_and(|dir| std::fs::create_dir_all(dir).is_ok());
        for (w, h, kind, bytes) in files {
            let sha256 = sha256_hex(&bytes);
            let data = match &self.dir {
                Some(dir) if stored => {
                    let path = dir.join(format!("{sha256}.{}", kind.ext()));
                    match write(&path, &bytes) {
                        Ok(()) => Data::File(path),
                        Err(_) => {
                            stored = false;
                            Data::Bytes(Arc::from(bytes))
                        }
                    }
                }
                _ => Data::Bytes(Arc::from(bytes)),
            };
            manifest.files.push(ManifestFile {
                width: w,
                height: h,
                kind,
                sha256,
            });
            copies.push(Made {
                width: w,
                height: h,
                kind,
                data,
            });
        }
        if let (Some(dir), true) = (&self.dir, stored) {
            if let Ok(json) = serde_json::to_vec(&manifest) {
                let _ = write(&dir.join(format!("{key}.json")), &json);
            }
        }
        copies
    }
}

/// What is carried from a source into its copies: its colour profile
/// always, its EXIF only when metadata is kept.
pub struct Metadata {
    icc: Option<Vec<u8>>,
    exif: Option<Vec<u8>>,
}

/// The pixels of `bytes`, turned upright by their EXIF orientation.
fn decode(bytes: &[u8], kind: Kind) -> Result<(DynamicImage, Metadata), String> {
    let format = kind.format().ok_or("not a raster image")?;
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(format);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let exif = decoder.exif_metadata().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok((image, Metadata { icc, exif }))
}

/// `image` as a `kind` file.
fn encode(
    image: &DynamicImage,
    kind: Kind,
    quality: u8,
    meta: &Metadata,
    strip_metadata: bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let err = |e: image::ImageError| e.to_string();
    let exif = meta
        .exif
        .clone()
        .filter(|_| !strip_metadata)
        .map(upright_exif);
    fn with_meta<E: ImageEncoder>(mut e: E, icc: &Option<Vec<u8>>, exif: &Option<Vec<u8>>) -> E {
        if let Some(icc) = icc {
            let _ = e.set_icc_profile(icc.clone());
        }
        if let Some(exif) = exif {
            let _ = e.set_exif_metadata(exif.clone());
        }
        e
    }
    let has_alpha = image.color().has_alpha();
    match kind {
        Kind::Jpeg => {
            let rgb = image.to_rgb8();
            let encoder = with_meta(
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100)),
                &meta.icc,
                &exif,
            );
            encoder
                .write_image(
                    rgb.as_raw(),
                    rgb.width(),
                    rgb.height(),
                    image::ExtendedColorType::Rgb8,
                )
                .map_err(err)?;
        }
        Kind::Png | Kind::Webp => {
            let (raw, color, w, h) = if has_alpha {
                let rgba = image.to_rgba8();
                let (w, h) = rgba.dimensions();
                (rgba.into_raw(), image::ExtendedColorType::Rgba8, w, h)
            } else {
                let rgb = image.to_rgb8();
                let (w, h) = rgb.dimensions();
                (rgb.into_raw(), image::ExtendedColorType::Rgb8, w, h)
            };
            if kind == Kind::Png {
                let encoder = with_meta(
                    image::codecs::png::PngEncoder::new(&mut out),
                    &meta.icc,
                    &exif,
                );
                encoder.write_image(&raw, w, h, color).map_err(err)?;
            } else {
                let encoder = with_meta(
                    image::codecs::webp::WebPEncoder::new_lossless(&mut out),
                    &meta.icc,
                    &exif,
                );
                encoder.write_image(&raw, w, h, color).map_err(err)?;
            }
        }
        Kind::Gif | Kind::Svg => return Err(format!("cannot write {}", kind.ext())),
    }
    Ok(out)
}

/// A lossy WebP of `image` at `quality` (1–100), as libwebp encodes it;
/// metadata is not carried (the copies of a photo are for showing it).
fn lossy_webp(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let rgb = image.to_rgb8();
    let (w, h) = rgb.dimensions();
    let encoded = webp::Encoder::from_rgb(rgb.as_raw(), w, h)
        .encode_simple(false, f32::from(quality.clamp(1, 100)))
        .map_err(|e| format!("cannot encode WebP: {e:?}"))?;
    Ok(encoded.to_vec())
}

/// EXIF (a TIFF structure) with its orientation set to upright, since the
/// pixels were turned already; anything unreadable is left as it is.
fn upright_exif(mut exif: Vec<u8>) -> Vec<u8> {
    // A JPEG's APP1 payload starts with `Exif\0\0`; accept both forms.
    let start = if exif.starts_with(b"Exif\0\0") { 6 } else { 0 };
    let found = (|| -> Option<(usize, bool)> {
        let t = exif.get(start..)?;
        let little = match t.get(..2)? {
            b"II" => true,
            b"MM" => false,
            _ => return None,
        };
        let u16_at = |i: usize| -> Option<u16> {
            let b: [u8; 2] = t.get(i..i + 2)?.try_into().ok()?;
            Some(if little {
                u16::from_le_bytes(b)
            } else {
                u16::from_be_bytes(b)
            })
        };
        let b: [u8; 4] = t.get(4..8)?.try_into().ok()?;
        let ifd = if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        } as usize;
        let count = u16_at(ifd)? as usize;
        let entry = (0..count)
            .map(|n| ifd + 2 + n * 12)
            .find(|&entry| u16_at(entry) == Some(0x0112))?;
        // A SHORT value, in the first two of the entry's four value bytes.
        t.get(entry + 8..entry + 10)?;
        Some((start + entry + 8, little))
    })();
    if let Some((at, little)) = found {
        let one = if little {
            1u16.to_le_bytes()
        } else {
            1u16.to_be_bytes()
        };
        exif[at..at + 2].copy_from_slice(&one);
    }
    exif
}

/// A GIF's logical screen size, from its header.
fn gif_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) || bytes.len() < 10 {
        return Err("not a GIF file".into());
    }
    let w = u16::from_le_bytes([bytes[6], bytes[7]]);
    let h = u16::from_le_bytes([bytes[8], bytes[9]]);
    if w == 0 || h == 0 {
        return Err("a GIF of no size".into());
    }
    Ok((u32::from(w), u32::from(h)))
}

/// An SVG's size from its root element: `width` and `height` in pixels
/// (or no unit), else its `viewBox`.
fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes.get(..bytes.len().min(8192))?).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..].chars().next()?;
        let rest = &tag[at + 1..];
        Some(&rest[..rest.find(quote)?])
    };
    let px = |v: &str| -> Option<u32> {
        let v = v.trim().trim_end_matches("px");
        let n: f64 = v.parse().ok()?;
        (1.0..100_000.0).contains(&n).then(|| n.round() as u32)
    };
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Some((w, h));
    }
    let view: Vec<f64> = attr("viewBox")?
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match view[..] {
        [_, _, w, h] if w >= 1.0 && h >= 1.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_operations_give_zola_sizes() {
        assert_eq!(Op::Scale(100, 50).target(800, 600).0, (100, 50));
        assert_eq!(Op::FitWidth(400).target(800, 600).0, (400, 300));
        assert_eq!(Op::FitHeight(300).target(800, 600).0, (400, 300));
        assert_eq!(Op::Fit(400, 400).target(800, 600).0, (400, 300));
        assert_eq!(Op::Fit(400, 400).target(600, 800).0, (300, 400));
        assert_eq!(Op::Fit(1000, 1000).target(800, 600).0, (800, 600));
        let (size, scaled) = Op::Fill(300, 300).target(800, 600);
        assert_eq!(size, (300, 300));
        assert_eq!(scaled, Some((400, 300)));
        assert!(Op::parse("fit", Some(1), None).is_err());
        assert!(Op::parse("stretch", Some(1), Some(1)).is_err());
    }

    #[test]
    fn gif_and_svg_sizes_come_from_their_headers() {
        assert_eq!(
            gif_size(b"GIF89a\x20\x00\x10\x00rest").expect("gif"),
            (32, 16)
        );
        assert!(gif_size(b"GIF89a").is_err());
        assert_eq!(
            svg_size(br#"<?xml?><svg xmlns="x" width="120" height="80px">"#),
            Some((120, 80))
        );
        assert_eq!(
            svg_size(br#"<svg viewBox="0 0 300 150" width="100%">"#),
            Some((300, 150))
        );
        assert_eq!(svg_size(b"<svg>"), None);
    }

    #[test]
    fn upright_exif_resets_orientation() {
        // II*\0, IFD at 8, one entry: 0x0112 SHORT 1 value 6.
        let mut exif = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0".to_vec();
        exif = upright_exif(exif);
        assert_eq!(exif[8 + 2 + 8], 1);
        let mut be = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0".to_vec();
        be = upright_exif(be);
        assert_eq!(&be[8 + 2 + 8..8 + 2 + 10], &[0, 1]);
    }
}
