//! `resize_image(path, width, height, op, format, quality)` for templates,
//! as Zola's: `path` is looked up in the site's root, `static/`,
//! `content/` and the theme's `static/`; `op` is "scale", "fit_width",
//! "fit_height", "fit" or "fill" (the default); `format` "auto" (JPEG for
//! a JPEG, PNG for the rest), "jpg", "png" or "webp" (lossless). It gives
//! `{url, static_path, width, height, orig_width, orig_height}`. The copy
//! is made once, through the image cache, and published at
//! `processed_images/<hash>.<ext>`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;
use tera::{Kwargs, State, Tera, TeraResult};

use super::process::{Data, Kind, Made, Op, Processor};
use crate::config::Config;

/// What one build's templates may resize, and what they made.
pub struct TemplateImages {
    dirs: Vec<PathBuf>,
    config: Config,
    processor: Arc<Processor>,
    made: Mutex<BTreeMap<String, Made>>,
}

impl TemplateImages {
    /// Images under the site at `root` (and `theme_static`, a theme's
    /// folder), made by `processor`.
    pub fn new(
        root: &Path,
        theme_static: Option<PathBuf>,
        config: &Config,
        processor: Arc<Processor>,
    ) -> TemplateImages {
        let mut dirs = vec![
            root.to_path_buf(),
            root.join("static"),
            root.join(crate::content::load::CONTENT_DIR),
        ];
        dirs.extend(theme_static);
        TemplateImages {
            dirs,
            config: config.clone(),
            processor,
            made: Mutex::new(BTreeMap::new()),
        }
    }

    /// Every file the templates made so far: output path and file.
    pub fn made(&self) -> Vec<(String, Made)> {
        match self.made.lock() {
            Ok(made) => made.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Err(_) => Vec::new(),
        }
    }

    fn find(&self, path: &str) -> Result<PathBuf, String> {
        let rel = Path::new(path.trim_start_matches('/'));
        if rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err("give a path inside the site, without `..`".into());
        }
        self.dirs
            .iter()
            .map(|dir| dir.join(rel))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                "no such file in the site's root, static/, content/ or the theme's static/".into()
            })
    }

    fn resize(&self, kwargs: &Kwargs) -> TeraResult<Resized> {
        let path: &str = kwargs.must_get("path")?;
        let fail = |message: String| {
            tera::Error::message(format!("resize_image(path=\"{path}\"): {message}"))
        };
        let width = kwargs.get::<u32>("width")?;
        let height = kwargs.get::<u32>("height")?;
        let op = kwargs.get::<&str>("op")?.unwrap_or("fill");
        let op = Op::parse(op, width, height).map_err(fail)?;
        let format = match kwargs.get::<&str>("format")?.unwrap_or("auto") {
            "auto" => None,
            "jpg" | "jpeg" => Some(Kind::Jpeg),
            "png" => Some(Kind::Png),
            "webp" => Some(Kind::Webp),
            other => {
                return Err(fail(format!(
                    "unknown format \"{other}\": use \"auto\", \"jpg\", \"png\" or \"webp\""
                )))
            }
        };
        let quality = match kwargs.get::<u32>("quality")? {
            Some(q @ 1..=100) => q as u8,
            Some(q) => return Err(fail(format!("quality {q} is not 1 to 100"))),
            None => self.config.images.quality,
        };
        let file = self.find(path).map_err(fail)?;
        let kind = Kind::from_path(&file)
            .filter(|k| !matches!(k, Kind::Gif | Kind::Svg))
            .ok_or_else(|| fail("only JPEG, PNG and WebP files can be resized".into()))?;
        let bytes = std::fs::read(&file).map_err(|e| fail(e.to_string()))?;
        let (made, orig_width, orig_height) = self
            .processor
            .resize(
                &bytes,
                kind,
                op,
                format,
                quality,
                self.config.images.strip_metadata,
            )
            .map_err(fail)?;
        let name = match &made.data {
            Data::File(p) => p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Data::Bytes(b) => {
                let d = ring::digest::digest(&ring::digest::SHA256, b);
                d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
            }
        };
        let static_path = format!(
            "processed_images/{}.{}",
            &name[..name.len().min(16)],
            made.kind.ext()
        );
        let resized = Resized {
            url: self.config.permalink(&format!("/{static_path}")),
            static_path: static_path.clone(),
            width: made.width,
            height: made.height,
            orig_width,
            orig_height,
        };
        if let Ok(mut all) = self.made.lock() {
            all.insert(static_path, made);
        }
        Ok(resized)
    }
}

#[derive(Serialize)]
struct Resized {
    url: String,
    static_path: String,
    width: u32,
    height: u32,
    orig_width: u32,
    orig_height: u32,
}

/// The build's `TemplateImages`, shared with the function; set before
/// each build renders.
#[derive(Clone, Default)]
pub struct SharedImages(Arc<RwLock<Option<Arc<TemplateImages>>>>);

impl SharedImages {
    pub fn get(&self) -> Option<Arc<TemplateImages>> {
        match self.0.read() {
            Ok(slot) => slot.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set(&self, images: Arc<TemplateImages>) {
        match self.0.write() {
            Ok(mut slot) => *slot = Some(images),
            Err(poisoned) => *poisoned.into_inner() = Some(images),
        }
    }
}

pub fn register(tera: &mut Tera, shared: &SharedImages) {
    let shared = shared.clone();
    tera.register_function(
        "resize_image",
        move |kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
            let images = shared
                .get()
                .ok_or_else(|| tera::Error::message("resize_image: no images in this render"))?;
            Ok(tera::Value::from_serializable(&images.resize(&kwargs)?))
        },
    );
}
