//! `--resolve-bases`: the config of a Dockerfile's final base image, fetched through the
//! registry source, so DF001 and DF011 judge what the image really inherits (Jupyter's
//! images end with `USER ${NB_UID}`; many bases define a `HEALTHCHECK`). Opt-in: without the
//! flag hullscan lints Dockerfiles offline. Each reference is resolved once per run, and a
//! digest-pinned reference (`@sha256:…`) is answered from the on-disk cache on later runs
//! without any network call.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::dockerfile::BaseImage;
use crate::image::config::ImageConfig;
use crate::source::registry::RegistryOptions;
use crate::source::{self, ImageSpec, PlatformSel};

/// Looks base images up; the engine calls it once per distinct reference.
pub trait BaseResolver: Sync {
    /// The base's user and healthcheck, or why they could not be read (one line).
    ///
    /// # Errors
    /// When the reference cannot be resolved or its config read.
    fn resolve(&self, reference: &str) -> Result<BaseImage, String>;
}

/// Resolves bases from their registries (Docker Hub, GHCR, ECR, self-hosted), with the
/// same credentials, TLS and endpoint settings as `hullscan image`.
#[derive(Debug)]
pub struct RegistryBases {
    opts: RegistryOptions,
    metadata_limit: u64,
    cache_dir: Option<PathBuf>,
    seen: Mutex<HashMap<String, Result<BaseImage, String>>>,
}

impl RegistryBases {
    /// A resolver using `opts`; `cache_dir` keeps digest-pinned answers between runs.
    #[must_use]
    pub fn new(opts: RegistryOptions, metadata_limit: u64, cache_dir: Option<PathBuf>) -> Self {
        RegistryBases {
            opts,
            metadata_limit,
            cache_dir,
            seen: Mutex::new(HashMap::new()),
        }
    }

    fn cache_path(&self, digest: &str) -> Option<PathBuf> {
        let hex = digest.strip_prefix("sha256:")?;
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(
            self.cache_dir
                .as_ref()?
                .join(concat!("bases-v1-", env!("CARGO_PKG_VERSION")))
                .join(hex),
        )
    }

    fn fetch(&self, reference: &str) -> Result<BaseImage, String> {
        let spec = ImageSpec::parse(reference).map_err(|e| e.to_string())?;
        let ImageSpec::Registry(image) = &spec else {
            return Err(format!("`{reference}` is not a registry reference"));
        };
        // A pinned digest names immutable content: a cached answer is still the answer.
        let pinned = image.digest.as_deref().and_then(|d| self.cache_path(d));
        if let Some(p) = &pinned
            && let Ok(bytes) = std::fs::read(p)
            && let Ok(b) = serde_json::from_slice::<BaseImage>(&bytes)
        {
            return Ok(b);
        }
        let (_, images) = source::open_with(
            &spec,
            reference,
            &PlatformSel::Default,
            self.metadata_limit,
            &self.opts,
        )
        .map_err(|e| e.to_string())?;
        let img = images
            .first()
            .ok_or_else(|| format!("`{reference}` has no image for this platform"))?;
        let base = base_of(reference, img.manifest_digest.clone(), &img.config);
        if let Some(p) = &pinned
            && let Some(dir) = p.parent()
            && std::fs::create_dir_all(dir).is_ok()
            && let Ok(json) = serde_json::to_vec(&base)
        {
            let tmp = p.with_extension(format!("tmp{}", std::process::id()));
            if std::fs::write(&tmp, json).is_ok() {
                let _ = std::fs::rename(&tmp, p);
            }
        }
        Ok(base)
    }
}

/// The facts of a base image config.
#[must_use]
pub fn base_of(reference: &str, digest: Option<String>, config: &ImageConfig) -> BaseImage {
    let healthcheck = config
        .config
        .as_ref()
        .and_then(|c| c.healthcheck.as_ref())
        .and_then(|h| h.test.as_ref())
        .is_some_and(|t| t.first().is_some_and(|x| x != "NONE"));
    BaseImage {
        reference: reference.to_string(),
        digest,
        user: config.user().to_string(),
        healthcheck,
    }
}

impl BaseResolver for RegistryBases {
    fn resolve(&self, reference: &str) -> Result<BaseImage, String> {
        if let Some(r) = self
            .seen
            .lock()
            .ok()
            .and_then(|m| m.get(reference).cloned())
        {
            return r;
        }
        let r = self.fetch(reference);
        if let Ok(mut m) = self.seen.lock() {
            m.insert(reference.to_string(), r.clone());
        }
        r
    }
}
