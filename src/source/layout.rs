//! OCI image layouts (`oci-layout`, `index.json`, `blobs/`), read from a directory or from
//! an archive through the same [`BlobStore`]. Resolves a tag or digest to a manifest, and an
//! image index to the selected platforms. Docker v2 schema 2 media types are accepted too.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use oci_spec::image::{Descriptor, ImageIndex, ImageManifest};

use super::{
    BlobStore, LayerRef, PlatformSel, ResolvedImage, SourceError, blob_path, host_platform,
    read_metadata, read_verified,
};
use crate::image::config::ImageConfig;

const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// An OCI layout directory.
#[derive(Debug)]
pub struct DirStore {
    root: PathBuf,
}

impl DirStore {
    /// Opens a layout directory.
    ///
    /// # Errors
    /// When `root` is not a directory with an `index.json`.
    pub fn new(root: &Path) -> Result<DirStore, SourceError> {
        if !root.join("index.json").is_file() {
            return Err(SourceError::NotFound(format!(
                "`{}` is not an OCI layout (no index.json)",
                root.display()
            )));
        }
        Ok(DirStore {
            root: root.to_path_buf(),
        })
    }
}

impl BlobStore for DirStore {
    fn size(&self, path: &str) -> Option<u64> {
        std::fs::metadata(self.root.join(path))
            .ok()
            .map(|m| m.len())
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + Send>, SourceError> {
        let full = self.root.join(path);
        let io = |source| SourceError::Io {
            path: full.display().to_string(),
            source,
        };
        // Only regular files inside the layout: a blob that is a FIFO would block the open,
        // `/dev/zero` would never end, and a symlink out of the layout reads another file.
        let meta = std::fs::metadata(&full).map_err(io)?;
        let inside = std::fs::canonicalize(&full)
            .ok()
            .zip(std::fs::canonicalize(&self.root).ok())
            .is_some_and(|(f, r)| f.starts_with(r));
        if !meta.is_file() || !inside {
            return Err(SourceError::Malformed {
                what: full.display().to_string(),
                message: "not a regular file inside the layout".into(),
            });
        }
        let f = File::open(&full).map_err(io)?;
        Ok(Box::new(f))
    }
}

/// Most images of one index scanned with `--all-platforms`.
pub const MAX_PLATFORMS: usize = 64;

/// Most layers of one image: overlayfs stacks at most about 500 lower directories, and real
/// images stay far below this.
pub const MAX_LAYERS: usize = 512;

fn is_index(media_type: &str) -> bool {
    media_type.ends_with("image.index.v1+json") || media_type.ends_with("manifest.list.v2+json")
}

fn descriptor_platform(d: &Descriptor) -> Option<String> {
    let p = d.platform().as_ref()?;
    let base = format!("{}/{}", p.os(), p.architecture());
    Some(match p.variant() {
        Some(v) if !v.is_empty() => format!("{base}/{v}"),
        _ => base,
    })
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, SourceError> {
    serde_json::from_slice(bytes).map_err(|e| SourceError::Malformed {
        what: what.to_string(),
        message: e.to_string(),
    })
}

/// Whether a platform string matches a wanted one (`linux/arm64` matches `linux/arm64/v8`).
fn platform_matches(have: &str, want: &str) -> bool {
    have == want || have.starts_with(&format!("{want}/")) || want.starts_with(&format!("{have}/"))
}

/// Resolves `selector` (tag or digest) in the layout's `index.json` to images.
///
/// # Errors
/// A missing or ambiguous tag, a malformed document, a digest mismatch, or no platform match.
pub fn resolve(
    store: &dyn BlobStore,
    selector: Option<&str>,
    reference: &str,
    platforms: &PlatformSel,
    limit: u64,
) -> Result<Vec<ResolvedImage>, SourceError> {
    let index_bytes = read_metadata(store, "index.json", None, "index.json", limit)?;
    let index: ImageIndex = parse(&index_bytes, "index.json")?;
    let manifests = index.manifests();
    let tag_of = |d: &Descriptor| {
        d.annotations()
            .as_ref()
            .and_then(|a| a.get(REF_NAME).cloned())
    };
    let chosen: &Descriptor = match selector {
        Some(sel) if sel.contains(':') && sel.starts_with("sha256") => manifests
            .iter()
            .find(|d| d.digest().to_string() == sel)
            .ok_or_else(|| {
                SourceError::NotFound(format!("`{reference}`: no manifest with digest {sel}"))
            })?,
        Some(tag) => manifests
            .iter()
            .find(|d| tag_of(d).as_deref() == Some(tag))
            .ok_or_else(|| {
                let tags: Vec<String> = manifests.iter().filter_map(tag_of).collect();
                SourceError::NotFound(format!(
                    "`{reference}`: no tag `{tag}` (tags: {})",
                    if tags.is_empty() {
                        "none".to_string()
                    } else {
                        tags.join(", ")
                    }
                ))
            })?,
        None if manifests.len() == 1 => &manifests[0],
        None => {
            let tags: Vec<String> = manifests.iter().filter_map(tag_of).collect();
            return Err(SourceError::NotFound(format!(
                "`{reference}` holds {} images; name one as `{reference}:TAG` (tags: {})",
                manifests.len(),
                tags.join(", ")
            )));
        }
    };
    resolve_descriptor(store, chosen, reference, platforms, limit, 0)
}

/// Resolves a descriptor that is a manifest or an index (recursively, bounded).
pub(crate) fn resolve_descriptor(
    store: &dyn BlobStore,
    d: &Descriptor,
    reference: &str,
    platforms: &PlatformSel,
    limit: u64,
    depth: usize,
) -> Result<Vec<ResolvedImage>, SourceError> {
    let digest = d.digest().to_string();
    let path = blob_path(&digest)?;
    let bytes = read_verified(
        store.open_manifest(&digest)?,
        &path,
        Some(&digest),
        &format!("manifest {digest}"),
        limit,
    )?;
    // umoci writes manifests without `mediaType`: sniff the document instead.
    let value: serde_json::Value = parse(&bytes, &format!("manifest {digest}"))?;
    let media = d.media_type().to_string();
    let doc_is_index = is_index(&media)
        || value.get("manifests").is_some()
        || value
            .get("mediaType")
            .and_then(|m| m.as_str())
            .is_some_and(is_index);
    if !doc_is_index {
        let manifest: ImageManifest = parse(&bytes, &format!("manifest {digest}"))?;
        return Ok(vec![image_from_manifest(
            store,
            &manifest,
            Some(digest),
            reference,
            limit,
        )?]);
    }
    if depth > 2 {
        return Err(SourceError::Malformed {
            what: format!("index {digest}"),
            message: "indexes nested too deep".into(),
        });
    }
    let index: ImageIndex = parse(&bytes, &format!("index {digest}"))?;
    // Attestation manifests carry the platform `unknown/unknown`: not images to scan.
    let candidates: Vec<(&Descriptor, String)> = index
        .manifests()
        .iter()
        .filter_map(|m| descriptor_platform(m).map(|p| (m, p)))
        .filter(|(_, p)| !p.starts_with("unknown"))
        .collect();
    let available = || {
        candidates
            .iter()
            .map(|(_, p)| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let selected: Vec<&Descriptor> = match platforms {
        PlatformSel::All => candidates.iter().map(|(m, _)| *m).collect(),
        PlatformSel::One(want) => candidates
            .iter()
            .filter(|(_, p)| platform_matches(p, want))
            .map(|(m, _)| *m)
            .take(1)
            .collect(),
        PlatformSel::Default => {
            let host = host_platform();
            let pick = candidates
                .iter()
                .find(|(_, p)| platform_matches(p, &host))
                .or_else(|| {
                    candidates
                        .iter()
                        .find(|(_, p)| platform_matches(p, "linux/amd64"))
                });
            pick.map(|(m, _)| *m).into_iter().collect()
        }
    };
    if selected.is_empty() {
        return Err(SourceError::NotFound(format!(
            "`{reference}`: no image for the platform asked for (available: {}); use --platform or --all-platforms",
            available()
        )));
    }
    // An index may list thousands of manifests; real multi-platform images have a handful.
    if selected.len() > MAX_PLATFORMS {
        return Err(SourceError::Malformed {
            what: format!("index {digest}"),
            message: format!(
                "lists {} images; at most {MAX_PLATFORMS} are scanned at once (pick one with --platform)",
                selected.len()
            ),
        });
    }
    let mut out = Vec::new();
    for m in selected {
        out.extend(resolve_descriptor(
            store,
            m,
            reference,
            platforms,
            limit,
            depth + 1,
        )?);
    }
    Ok(out)
}

fn image_from_manifest(
    store: &dyn BlobStore,
    manifest: &ImageManifest,
    manifest_digest: Option<String>,
    reference: &str,
    limit: u64,
) -> Result<ResolvedImage, SourceError> {
    let cfg_digest = manifest.config().digest().to_string();
    let cfg_bytes = read_metadata(
        store,
        &blob_path(&cfg_digest)?,
        Some(&cfg_digest),
        &format!("config {cfg_digest}"),
        limit,
    )?;
    let config: ImageConfig = parse(&cfg_bytes, &format!("config {cfg_digest}"))?;
    let layers = manifest
        .layers()
        .iter()
        .map(|l| {
            let digest = l.digest().to_string();
            Ok(LayerRef {
                path: blob_path(&digest)?,
                digest,
                media_type: Some(l.media_type().to_string()),
                size: Some(l.size()),
            })
        })
        .collect::<Result<Vec<_>, SourceError>>()?;
    Ok(ResolvedImage {
        reference: reference.to_string(),
        manifest_digest,
        index_digest: None,
        platform: config.platform(),
        config,
        layers,
    })
}
