//! The image engine: takes a resolved image (config plus layer descriptors) and a blob store,
//! walks every layer once, and merges the per-layer facts into the final filesystem view the
//! image rules read.

pub mod cache;
pub mod config;
pub mod facts;
pub mod history;
pub mod layer;
pub mod mapping;

use crate::source::{BlobStore, ResolvedImage, SourceError};
use config::ImageConfig;
use facts::{FsView, LayerFacts};
use layer::{LayerError, Limits};

/// Errors scanning an image.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// Opening a blob failed.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// Walking a layer failed.
    #[error(transparent)]
    Layer(#[from] LayerError),
}

/// Per-layer numbers kept after the merge (entries are dropped to bound memory).
#[derive(Debug, Clone)]
pub struct LayerInfo {
    /// Layer index.
    pub index: usize,
    /// Blob digest.
    pub digest: String,
    /// Compressed bytes.
    pub compressed_size: u64,
    /// Uncompressed bytes.
    pub uncompressed_size: u64,
    /// `gzip`, `zstd` or `none`.
    pub compression: &'static str,
    /// Number of tar entries.
    pub entries: usize,
}

/// Everything image rules see.
#[derive(Debug, Clone)]
pub struct ImageFacts {
    /// The reference the user gave.
    pub reference: String,
    /// The manifest digest, when known.
    pub manifest_digest: Option<String>,
    /// `os/arch[/variant]`.
    pub platform: String,
    /// The image config.
    pub config: ImageConfig,
    /// Layer sizes and digests.
    pub layers: Vec<LayerInfo>,
    /// The merged filesystem.
    pub fs: FsView,
    /// Non-fatal problems found while walking.
    pub warnings: Vec<String>,
    /// Whether the registry holds a signature for the manifest (cosign tag or OCI referrer);
    /// `None` when not looked up (local sources).
    pub signed: Option<bool>,
}

/// Walks every layer of `image` and merges them.
///
/// # Errors
/// The first layer that cannot be opened, verified or walked.
pub fn scan(
    store: &dyn BlobStore,
    image: &ResolvedImage,
    limits: &Limits,
) -> Result<ImageFacts, ImageError> {
    scan_with_progress(store, image, limits, &|_| {})
}

/// [`scan`], reporting blob bytes read through `progress` (for progress bars).
///
/// # Errors
/// As [`scan`].
pub fn scan_with_progress(
    store: &dyn BlobStore,
    image: &ResolvedImage,
    limits: &Limits,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImageFacts, ImageError> {
    scan_cached(store, image, limits, None, progress)
}

/// [`scan_with_progress`] with layer facts taken from and added to `cache`.
///
/// # Errors
/// As [`scan`].
pub fn scan_cached(
    store: &dyn BlobStore,
    image: &ResolvedImage,
    limits: &Limits,
    cache: Option<&cache::LayerCache>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImageFacts, ImageError> {
    // Layers are independent until the merge: walk up to `layer_jobs` at once so one
    // layer's network latency overlaps another's decompression. Results keep layer order,
    // and the error reported is the lowest-numbered layer's, so output stays deterministic.
    let n = image.layers.len();
    let slots: Vec<std::sync::Mutex<Option<Result<LayerFacts, ImageError>>>> =
        (0..n).map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let workers = limits.layer_jobs.clamp(1, n.max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= n || failed.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let l = &image.layers[i];
                    let _span =
                        tracing::info_span!("layer", index = i, digest = %l.digest).entered();
                    let walk = || walk_with_retries(store, l, i, limits, progress);
                    let result = match cache {
                        Some(c) => c.get_or_walk(&l.digest, i, walk),
                        None => walk(),
                    };
                    if result.is_err() {
                        failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    if let Ok(f) = &result {
                        tracing::debug!(
                            entries = f.entries.len(),
                            bytes = f.uncompressed_size,
                            "layer walked"
                        );
                    }
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    let mut walked = Vec::with_capacity(n);
    for slot in slots {
        match slot.into_inner().ok().flatten() {
            Some(Ok(f)) => walked.push(f),
            Some(Err(e)) => return Err(e),
            // Skipped after another layer failed; that failure is reported below.
            None => {}
        }
    }
    if walked.len() != n {
        return Err(ImageError::Source(SourceError::NotFound(
            "a layer was not walked".into(),
        )));
    }
    Ok(from_layers(image, walked))
}

/// Walks one layer. A stream that breaks mid-blob (a reset, a truncated body) is walked again
/// from the start; a digest mismatch or a corrupt stream is not retried.
fn walk_with_retries(
    store: &dyn BlobStore,
    l: &crate::source::LayerRef,
    i: usize,
    limits: &Limits,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerFacts, ImageError> {
    let mut result = Err(ImageError::Source(SourceError::NotFound(String::new())));
    for attempt in 1..=3 {
        result = store
            .open(&l.path)
            .map_err(ImageError::from)
            .and_then(|blob| {
                layer::walk_with_progress(i, blob, &l.digest, limits, progress)
                    .map_err(ImageError::from)
            });
        match &result {
            Err(ImageError::Layer(LayerError::Io { .. })) if attempt < 3 => {
                tracing::warn!(layer = i, attempt, "layer stream broke; walking it again");
            }
            _ => break,
        }
    }
    result
}

/// Builds image facts from already-walked layers (used by tests and caches).
#[must_use]
pub fn from_layers(image: &ResolvedImage, walked: Vec<LayerFacts>) -> ImageFacts {
    let fs = FsView::merge(&walked);
    let mut warnings = Vec::new();
    let layers = walked
        .into_iter()
        .map(|f| {
            warnings.extend(f.warnings);
            LayerInfo {
                index: f.index,
                digest: f.digest,
                compressed_size: f.compressed_size,
                uncompressed_size: f.uncompressed_size,
                compression: f.compression,
                entries: f.entries.len(),
            }
        })
        .collect();
    ImageFacts {
        reference: image.reference.clone(),
        manifest_digest: image.manifest_digest.clone(),
        platform: image.platform.clone(),
        config: image.config.clone(),
        layers,
        fs,
        warnings,
        signed: None,
    }
}
