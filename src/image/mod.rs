//! The image artifact and its facts: a resolved image (config plus layer descriptors), the
//! streaming layer walker that turns one layer's bytes into per-layer facts, and the merge of
//! those facts into the final filesystem view the image rules read. Nothing here knows where
//! bytes come from (`source`) or which layers to fetch when (`scan`).

pub mod config;
pub mod facts;
pub mod history;
pub mod layer;
pub mod tar;

use config::ImageConfig;
use facts::{FsView, LayerFacts};

/// One layer to walk: where its blob is and what its digest must be.
#[derive(Debug, Clone)]
pub struct LayerRef {
    /// Path of the blob inside the store.
    pub path: String,
    /// `sha256:` digest the blob must have.
    pub digest: String,
    /// Media type from the manifest, if any.
    pub media_type: Option<String>,
    /// Size from the manifest, if any.
    pub size: Option<u64>,
}

/// One image of one platform, ready to scan.
#[derive(Debug, Clone)]
pub struct ResolvedImage {
    /// The reference as the user gave it.
    pub reference: String,
    /// Digest of the manifest scanned, when the source has one.
    pub manifest_digest: Option<String>,
    /// Digest of the index the manifest was chosen from, if any (what `cosign sign` often signs).
    pub index_digest: Option<String>,
    /// `os/arch[/variant]`.
    pub platform: String,
    /// The parsed config.
    pub config: ImageConfig,
    /// Layers, base first.
    pub layers: Vec<LayerRef>,
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
    /// Where the image was read from (`registry`, `docker`, `podman`, `oci-layout`, …); empty
    /// when not said. Only registry references can be mutable references (IC002).
    pub source: &'static str,
    /// Whether the registry holds a signature for the manifest (cosign tag or OCI referrer);
    /// `None` when not looked up (local sources).
    pub signed: Option<bool>,
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
        source: "",
        signed: None,
    }
}
