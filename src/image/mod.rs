//! The image artifact and its facts: a resolved image (config plus layer descriptors), the
//! streaming layer walker that turns one layer's bytes into per-layer facts, and the merge of
//! those facts into the final filesystem view the image rules read. Nothing here knows where
//! bytes come from (`source`) or which layers to fetch when (`scan`).

pub mod config;
pub mod exec;
pub mod facts;
pub mod history;
pub mod layer;
pub mod secrets;
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
    /// Secrets in the files of every layer, with what later layers did to them.
    pub secrets: Vec<ImageSecret>,
    /// Secrets in the config's `Env`, `Labels` and history.
    pub config_secrets: Vec<secrets::ConfigSecret>,
}

/// A secret in a file some layer wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSecret {
    /// The path as the layer names it.
    pub path: String,
    /// The layer that wrote the file.
    pub layer: usize,
    /// What was found (masked).
    pub hit: crate::secrets::Hit,
    /// What later layers did to the file.
    pub fate: Fate,
}

/// What became of a file after the layer that wrote it: the bytes stay in that layer's blob
/// either way, readable by anyone who pulls the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Still in the final filesystem.
    Present,
    /// Deleted (whiteout or opaque directory) by this layer.
    Deleted(usize),
    /// Replaced by another version in this layer.
    Overwritten(usize),
}

/// Each layer's secrets with their fate: the first later layer that deletes the path (or a
/// parent) or writes it again.
fn secret_fates(layers: &[LayerFacts]) -> Vec<ImageSecret> {
    if layers.iter().all(|l| l.secrets.is_empty()) {
        return Vec::new();
    }
    let under = |path: &str, dir: &str| {
        path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/')) || dir == "/"
    };
    let mut out = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        for s in &layer.secrets {
            // A secret inside an archive (`a.jar!/x.yml`) shares the archive file's fate.
            let path = s
                .path
                .split_once("!/")
                .map_or(s.path.as_str(), |(outer, _)| outer);
            let fate = layers[i + 1..]
                .iter()
                .find_map(|later| {
                    let deleted = later.whiteouts.iter().any(|w| under(path, w))
                        || later.opaque_dirs.iter().any(|d| {
                            path.strip_prefix(d.as_str())
                                .is_some_and(|r| r.starts_with('/'))
                                || d == "/"
                        });
                    if deleted {
                        return Some(Fate::Deleted(later.index));
                    }
                    later
                        .entries
                        .iter()
                        .any(|e| e.path == path)
                        .then_some(Fate::Overwritten(later.index))
                })
                .unwrap_or(Fate::Present);
            out.push(ImageSecret {
                path: s.path.clone(),
                layer: layer.index,
                hit: s.hit.clone(),
                fate,
            });
        }
    }
    out
}

/// Builds image facts from already-walked layers; with a key, the config is searched for
/// secrets too (the layers were, as they streamed, when the walk had secrets on).
#[must_use]
pub fn from_layers(
    image: &ResolvedImage,
    walked: Vec<LayerFacts>,
    secrets_key: Option<&crate::secrets::Key>,
) -> ImageFacts {
    let fs = FsView::merge(&walked);
    let secrets = secret_fates(&walked);
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
        secrets,
        config_secrets: secrets_key
            .map(|k| secrets::config_secrets(&image.config, k))
            .unwrap_or_default(),
    }
}
