//! Tar archives of images: `docker save` output (the legacy `manifest.json` form and the OCI
//! form Docker 25+ writes) and `oci-archive` files. One pass indexes member offsets; blobs are
//! then read in place with a seek, never extracted.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{BlobStore, LayerRef, PlatformSel, ResolvedImage, SourceError, read_metadata};
use crate::image::config::ImageConfig;
use crate::image::facts::normalize_path;

/// Most members one image archive may have (Docker writes a few per layer).
const MAX_MEMBERS: usize = 100_000;
/// Longest member name.
const MAX_MEMBER_NAME: usize = 4096;

#[derive(Debug, Clone)]
enum Member {
    File { offset: u64, size: u64 },
    Link(String),
}

/// An image archive with an index of its members.
#[derive(Debug)]
pub struct ArchiveStore {
    path: PathBuf,
    members: HashMap<String, Member>,
}

impl ArchiveStore {
    /// Indexes the members of a tar archive.
    ///
    /// # Errors
    /// When the file cannot be read or is not a tar.
    pub fn open(path: &Path) -> Result<ArchiveStore, SourceError> {
        let io_err = |source| SourceError::Io {
            path: path.display().to_string(),
            source,
        };
        let file = File::open(path).map_err(io_err)?;
        // The runtime's reading of tar (Go's rules, 1 MiB special records) also bounds what a
        // hostile archive can make this index hold.
        let mut archive =
            crate::image::tar::Reader::new(std::io::BufReader::with_capacity(256 << 10, file));
        let malformed = |message: String| SourceError::Malformed {
            what: format!("archive `{}`", path.display()),
            message,
        };
        let mut members = HashMap::new();
        while let Some(h) = archive.next_entry().map_err(|e| malformed(e.to_string()))? {
            if members.len() >= MAX_MEMBERS {
                return Err(malformed(format!(
                    "more than {MAX_MEMBERS} members; not an image archive"
                )));
            }
            if h.name.len() > MAX_MEMBER_NAME {
                return Err(malformed(format!(
                    "a member name of {} bytes (at most {MAX_MEMBER_NAME})",
                    h.name.len()
                )));
            }
            let name = String::from_utf8_lossy(&h.name).into_owned();
            let Some(key) = normalize_path(&name) else {
                continue;
            };
            let member = match h.typeflag {
                b'2' | b'1' => {
                    let target = String::from_utf8_lossy(&h.linkname).into_owned();
                    // Symlink targets are relative to the member's directory; hardlinks to the root.
                    let base = if h.typeflag == b'2' {
                        key.rsplit_once('/').map_or("", |(p, _)| p).to_string()
                    } else {
                        String::new()
                    };
                    Member::Link(normalize_path(&format!("{base}/{target}")).unwrap_or_default())
                }
                b'0' => Member::File {
                    offset: archive.position(),
                    size: h.size,
                },
                _ => continue,
            };
            members.insert(key, member);
        }
        if members.is_empty() {
            return Err(SourceError::Malformed {
                what: format!("archive `{}`", path.display()),
                message: "no files in the archive".into(),
            });
        }
        Ok(ArchiveStore {
            path: path.to_path_buf(),
            members,
        })
    }
}

impl BlobStore for ArchiveStore {
    /// The size of the member at `path`, following links.
    fn size(&self, path: &str) -> Option<u64> {
        let mut key = normalize_path(path)?;
        for _ in 0..8 {
            match self.members.get(&key)? {
                Member::File { size, .. } => return Some(*size),
                Member::Link(t) => key.clone_from(t),
            }
        }
        None
    }

    fn contains(&self, path: &str) -> bool {
        normalize_path(path).is_some_and(|k| self.members.contains_key(&k))
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + Send>, SourceError> {
        let mut key = normalize_path(path).unwrap_or_default();
        for _ in 0..8 {
            match self.members.get(&key) {
                Some(Member::File { offset, size }) => {
                    let mut f = File::open(&self.path).map_err(|source| SourceError::Io {
                        path: self.path.display().to_string(),
                        source,
                    })?;
                    f.seek(SeekFrom::Start(*offset))
                        .map_err(|source| SourceError::Io {
                            path: format!("{}:{path}", self.path.display()),
                            source,
                        })?;
                    return Ok(Box::new(f.take(*size)));
                }
                Some(Member::Link(t)) => key.clone_from(t),
                None => break,
            }
        }
        Err(SourceError::NotFound(format!(
            "`{}` has no member `{path}`",
            self.path.display()
        )))
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct DockerManifestEntry {
    pub(crate) config: String,
    #[serde(default)]
    pub(crate) repo_tags: Option<Vec<String>>,
    pub(crate) layers: Vec<String>,
}

/// The digest a member path implies: `blobs/sha256/<hex>` or the legacy `<hex>.json`.
pub(crate) fn digest_of_path(p: &str) -> Option<String> {
    let name = p.rsplit('/').next()?;
    let legacy = name.strip_suffix(".json");
    let hex = legacy.unwrap_or(name);
    (hex.len() == 64
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
        && (p.contains("blobs/sha256/") || legacy.is_some()))
    .then(|| format!("sha256:{hex}"))
}

/// Resolves a `docker save` archive through its `manifest.json`.
///
/// # Errors
/// A missing or malformed manifest, an ambiguous archive, or a config digest mismatch.
pub fn resolve_docker(
    store: &dyn BlobStore,
    selector: Option<&str>,
    reference: &str,
    platforms: &PlatformSel,
    limit: u64,
) -> Result<Vec<ResolvedImage>, SourceError> {
    if !store.contains("manifest.json") {
        // An OCI-only archive (no Docker manifest): treat it as a layout.
        if store.contains("index.json") {
            return super::layout::resolve(store, selector, reference, platforms, limit);
        }
        return Err(SourceError::Malformed {
            what: reference.to_string(),
            message: "no manifest.json: not a `docker save` archive".into(),
        });
    }
    let bytes = read_metadata(store, "manifest.json", None, "manifest.json", limit)?;
    let entries: Vec<DockerManifestEntry> =
        serde_json::from_slice(&bytes).map_err(|e| SourceError::Malformed {
            what: "manifest.json".into(),
            message: e.to_string(),
        })?;
    let entry = match selector {
        Some(sel) => entries
            .iter()
            .find(|e| {
                e.repo_tags.as_ref().is_some_and(|t| {
                    t.iter()
                        .any(|t| t == sel || t.ends_with(&format!("/{sel}")))
                })
            })
            .ok_or_else(|| {
                SourceError::NotFound(format!("`{reference}`: no image tagged `{sel}`"))
            })?,
        None => match entries.as_slice() {
            [one] => one,
            [] => {
                return Err(SourceError::NotFound(format!(
                    "`{reference}`: manifest.json lists no image"
                )));
            }
            many => {
                let tags: Vec<String> = many
                    .iter()
                    .flat_map(|e| e.repo_tags.clone().unwrap_or_default())
                    .collect();
                return Err(SourceError::NotFound(format!(
                    "`{reference}` holds {} images; name one as `{reference}:REPO:TAG` (tags: {})",
                    many.len(),
                    tags.join(", ")
                )));
            }
        },
    };
    let cfg_digest = digest_of_path(&entry.config);
    let cfg_bytes = read_metadata(
        store,
        &entry.config,
        cfg_digest.as_deref(),
        &format!("config {}", entry.config),
        limit,
    )?;
    let config: ImageConfig =
        serde_json::from_slice(&cfg_bytes).map_err(|e| SourceError::Malformed {
            what: format!("config {}", entry.config),
            message: e.to_string(),
        })?;
    let diff_ids = config
        .rootfs
        .as_ref()
        .map(|r| r.diff_ids.clone())
        .unwrap_or_default();
    let layers = entry
        .layers
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // Legacy `layer.tar` members are uncompressed, so their digest is the diff id.
            let digest = digest_of_path(p)
                .or_else(|| diff_ids.get(i).cloned())
                .ok_or_else(|| SourceError::Malformed {
                    what: "manifest.json".into(),
                    message: format!(
                        "layer `{p}` has no digest and the config has no diff id for it"
                    ),
                })?;
            Ok(LayerRef {
                path: p.clone(),
                digest,
                media_type: None,
                size: store.size(p),
            })
        })
        .collect::<Result<Vec<_>, SourceError>>()?;
    Ok(vec![ResolvedImage {
        reference: reference.to_string(),
        manifest_digest: None,
        index_digest: None,
        platform: config.platform(),
        config,
        layers,
    }])
}
