//! Where image bytes come from. A source turns a user's reference (`oci:DIR[:TAG]`,
//! `docker-archive:FILE`, `oci-archive:FILE[:TAG]`) into resolved images (config plus layer
//! descriptors, one per selected platform) and a [`BlobStore`] that opens blobs as streams.
//! The image engine consumes only those two things, so remote registries plug in the same way.

pub mod archive;
pub mod ecr;
pub mod ecs;
pub mod engine;
pub mod layout;
mod pinned_tls;
pub mod registry;

use std::io::Read;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

pub use crate::image::{LayerRef, ResolvedImage};

/// Errors finding or reading an image.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The reference is malformed or names an unsupported transport.
    #[error("{0}")]
    Reference(String),
    /// A file of the image store could not be read.
    #[error("`{path}`: {source}")]
    Io {
        /// The file or archive member.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A manifest, index or config is malformed.
    #[error("{what}: {message}")]
    Malformed {
        /// Which document.
        what: String,
        /// What is wrong.
        message: String,
    },
    /// A metadata blob does not match its digest.
    #[error("{what}: digest mismatch: expected {expected}, got {actual}")]
    Digest {
        /// Which document.
        what: String,
        /// Expected digest.
        expected: String,
        /// Actual digest.
        actual: String,
    },
    /// A document is larger than the metadata limit.
    #[error("{what}: larger than {limit} bytes")]
    TooLarge {
        /// Which document.
        what: String,
        /// The limit.
        limit: u64,
    },
    /// No image matches the tag, digest or platform asked for.
    #[error("{0}")]
    NotFound(String),
    /// A registry refused, failed or answered nonsense; the message names the request.
    #[error("{0}")]
    Registry(String),
}

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSpec {
    /// `oci:DIR[:TAG|@DIGEST]`.
    OciLayout {
        /// The layout directory.
        dir: PathBuf,
        /// Tag (`org.opencontainers.image.ref.name`) or `sha256:` digest.
        selector: Option<String>,
    },
    /// `oci-archive:FILE[:TAG]`: a tar of an OCI layout.
    OciArchive {
        /// The archive.
        file: PathBuf,
        /// Tag.
        selector: Option<String>,
    },
    /// `docker-archive:FILE[:REF]`: `docker save` output.
    DockerArchive {
        /// The archive.
        file: PathBuf,
        /// A `RepoTags` entry to pick when the archive holds several images.
        selector: Option<String>,
    },
    /// `docker://REF` or a bare `REF`: an image in a registry (a bare name is looked up in
    /// the local engines first; see `scan::single`).
    Registry(crate::reference::ImageRef),
    /// `docker-daemon:NAME` or `podman:NAME`: an image held by a local engine.
    Engine {
        /// Which engine.
        kind: engine::EngineKind,
        /// The name or id as the engine knows it.
        name: String,
    },
    /// `-`: a `docker save` stream on standard input.
    Stdin,
}

impl ImageSpec {
    /// Parses a reference in skopeo's transport syntax.
    ///
    /// # Errors
    /// For an unknown transport or a reference with nothing after the transport.
    pub fn parse(s: &str) -> Result<ImageSpec, SourceError> {
        if s == "-" {
            return Ok(ImageSpec::Stdin);
        }
        // An existing path is read as what it is; a path that does not exist is an error,
        // never a registry lookup.
        let path = std::path::Path::new(s);
        if path.is_dir() {
            return Ok(ImageSpec::OciLayout {
                dir: path.to_path_buf(),
                selector: None,
            });
        }
        if path.is_file() {
            // `docker save` archives and OCI archives: the docker reader falls back to the
            // layout inside when there is no manifest.json.
            return Ok(ImageSpec::DockerArchive {
                file: path.to_path_buf(),
                selector: None,
            });
        }
        let looks_like_path = s.starts_with('/')
            || s.starts_with("./")
            || s.starts_with("../")
            || s.starts_with('~')
            || [".tar", ".tar.gz", ".tgz", ".oci"]
                .iter()
                .any(|e| s.ends_with(e));
        if looks_like_path
            && !s.contains("://")
            && !s.starts_with("oci")
            && !s.starts_with("docker")
        {
            return Err(SourceError::Reference(format!(
                "`{s}`: no such file or directory (an image archive or OCI layout was expected)"
            )));
        }
        let registry = |r: &str| {
            let parsed = crate::reference::ImageRef::parse(r).ok_or_else(|| {
                SourceError::Reference(format!("`{s}` is not an image reference"))
            })?;
            // A malformed digest is caught here, not sent to a registry and retried.
            if let Some(d) = &parsed.digest
                && !is_digest(d)
            {
                return Err(SourceError::Reference(format!(
                    "`{s}`: `@{d}` is not a digest (expected sha256: and 64 hex digits, or sha512: and 128)"
                )));
            }
            Ok(ImageSpec::Registry(parsed))
        };
        if let Some(r) = s.strip_prefix("docker://") {
            return registry(r);
        }
        let Some((transport, rest)) = s.split_once(':') else {
            return registry(s);
        };
        // `debian:12`, `host:5000/app`: no known transport, so a registry reference, when the
        // rest reads as a tag or a port and path (`ftp://x` stays an unknown transport).
        let known = [
            "oci",
            "oci-archive",
            "docker-archive",
            "docker",
            "docker-daemon",
            "podman",
            "dir",
            "containers-storage",
        ];
        let tag_like = |r: &str| {
            let tag = r.split('@').next().unwrap_or(r);
            let port_path = tag.split_once('/').is_some_and(|(port, _)| {
                !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
            });
            port_path
                || (!tag.is_empty()
                    && tag
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b)))
        };
        if !known.contains(&transport) && tag_like(rest) {
            return registry(s);
        }
        if rest.is_empty() {
            return Err(SourceError::Reference(format!(
                "`{s}`: nothing after `{transport}:`"
            )));
        }
        // `DIR:TAG`, `DIR@sha256:…`, `FILE:repo/name:tag`: the path is the shortest prefix
        // that exists (the reference after it may hold `:` itself), else split at the last `:`.
        let split = |rest: &str| -> (PathBuf, Option<String>) {
            if let Some((p, d)) = rest.split_once('@') {
                return (PathBuf::from(p), Some(d.to_string()));
            }
            if std::path::Path::new(rest).exists() {
                return (PathBuf::from(rest), None);
            }
            for (i, _) in rest.match_indices(':') {
                if std::path::Path::new(&rest[..i]).exists() {
                    return (PathBuf::from(&rest[..i]), Some(rest[i + 1..].to_string()));
                }
            }
            match rest.rsplit_once(':') {
                Some((p, t)) if !p.is_empty() && !t.contains('/') => {
                    (PathBuf::from(p), Some(t.to_string()))
                }
                _ => (PathBuf::from(rest), None),
            }
        };
        match transport {
            "oci" => {
                let (dir, selector) = split(rest);
                Ok(ImageSpec::OciLayout { dir, selector })
            }
            "oci-archive" => {
                let (file, selector) = split(rest);
                Ok(ImageSpec::OciArchive { file, selector })
            }
            "docker-archive" => {
                let (file, selector) = split(rest);
                Ok(ImageSpec::DockerArchive { file, selector })
            }
            "docker-daemon" | "podman" => Ok(ImageSpec::Engine {
                kind: if transport == "podman" {
                    engine::EngineKind::Podman
                } else {
                    engine::EngineKind::Docker
                },
                name: rest.to_string(),
            }),
            other => Err(SourceError::Reference(format!(
                "`{s}`: unknown transport `{other}`: use oci:, oci-archive:, docker-archive:, docker-daemon:, podman: or docker://"
            ))),
        }
    }

    /// The path of the local file or directory, for display and SARIF locations; `None` for
    /// registry images.
    #[must_use]
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            ImageSpec::OciLayout { dir, .. } => Some(dir),
            ImageSpec::OciArchive { file, .. } | ImageSpec::DockerArchive { file, .. } => {
                Some(file)
            }
            ImageSpec::Registry(_) | ImageSpec::Engine { .. } | ImageSpec::Stdin => None,
        }
    }
}

/// True for `sha256:<64 hex>` and `sha512:<128 hex>` (lower case), the digests OCI registers.
#[must_use]
pub fn is_digest(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    let len = match alg {
        "sha256" => 64,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Which platforms of a multi-platform image to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformSel {
    /// The host's platform, else `linux/amd64`.
    Default,
    /// One platform, `os/arch[/variant]`.
    One(String),
    /// Every platform in the index.
    All,
}

/// The host platform in OCI terms.
#[must_use]
pub fn host_platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        other => other,
    };
    format!("linux/{arch}")
}

/// Opens files of an image store (a layout directory or an archive) as streams.
pub trait BlobStore: Send + Sync {
    /// Opens `path` (relative to the store root, `/`-separated).
    ///
    /// # Errors
    /// When the member is missing or unreadable.
    fn open(&self, path: &str) -> Result<Box<dyn Read + Send>, SourceError>;

    /// True if the store has a member at `path`.
    fn contains(&self, path: &str) -> bool {
        self.open(path).is_ok()
    }

    /// Opens the manifest or index with `digest` (a blob in layouts, an API call in registries).
    ///
    /// # Errors
    /// When it is missing or unreadable.
    fn open_manifest(&self, digest: &str) -> Result<Box<dyn Read + Send>, SourceError> {
        self.open(&blob_path(digest)?)
    }

    /// Whether a signature exists for any of `digests` (the platform manifest, its index);
    /// `None` where the store has no notion of signatures (local layouts and archives).
    ///
    /// # Errors
    /// When the lookup itself fails (network, auth).
    fn signed(&self, _digests: &[&str]) -> Result<Option<bool>, SourceError> {
        Ok(None)
    }

    /// The size of the member at `path`, when the store knows it without reading it.
    fn size(&self, _path: &str) -> Option<u64> {
        None
    }
}

/// The blob path of a digest in an OCI layout.
///
/// # Errors
/// A digest that is not `algorithm:hex`, or has path characters.
pub fn blob_path(digest: &str) -> Result<String, SourceError> {
    let (alg, hex) = digest
        .split_once(':')
        .ok_or_else(|| SourceError::Reference(format!("`{digest}` is not a digest")))?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+._-".contains(&b))
    };
    if !ok(alg) || !ok(hex) || hex.contains("..") {
        return Err(SourceError::Reference(format!(
            "`{digest}` is not a digest"
        )));
    }
    Ok(format!("blobs/{alg}/{hex}"))
}

/// Reads a metadata blob (index, manifest, config) whole, up to `limit` bytes, and verifies
/// its digest when one is given.
///
/// # Errors
/// Unreadable, too large, or not matching its digest.
pub fn read_metadata(
    store: &dyn BlobStore,
    path: &str,
    digest: Option<&str>,
    what: &str,
    limit: u64,
) -> Result<Vec<u8>, SourceError> {
    read_verified(store.open(path)?, path, digest, what, limit)
}

/// Reads a metadata stream whole, up to `limit` bytes, verifying its digest when given.
///
/// # Errors
/// Unreadable, too large, or not matching its digest.
pub fn read_verified(
    reader: Box<dyn Read + Send>,
    path: &str,
    digest: Option<&str>,
    what: &str,
    limit: u64,
) -> Result<Vec<u8>, SourceError> {
    let mut r = reader.take(limit + 1);
    let mut buf = Vec::new();
    r.read_to_end(&mut buf).map_err(|source| SourceError::Io {
        path: path.to_string(),
        source,
    })?;
    if buf.len() as u64 > limit {
        return Err(SourceError::TooLarge {
            what: what.to_string(),
            limit,
        });
    }
    if let Some(d) = digest {
        verify_digest(&buf, d, what)?;
    }
    Ok(buf)
}

/// Checks `bytes` against an OCI digest. Only the registered algorithms are accepted
/// (`sha256`, `sha512`, with their exact lower-case hex length); anything else (`md5:`,
/// `foo:`) is an error, never a document taken unverified.
///
/// # Errors
/// An unsupported or malformed digest, or a mismatch.
pub fn verify_digest(bytes: &[u8], digest: &str, what: &str) -> Result<(), SourceError> {
    let (alg, hex) = digest.split_once(':').unwrap_or(("", digest));
    let hex_ok =
        |n: usize| hex.len() == n && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let actual = match alg {
        "sha256" if hex_ok(64) => crate::image::layer::hex(&Sha256::digest(bytes)),
        "sha512" if hex_ok(128) => crate::image::layer::hex(&sha2::Sha512::digest(bytes)),
        _ => {
            return Err(SourceError::Malformed {
                what: what.to_string(),
                message: format!(
                    "digest `{digest}` is not a sha256 or sha512 digest; it cannot be verified"
                ),
            });
        }
    };
    if actual != hex {
        return Err(SourceError::Digest {
            what: what.to_string(),
            expected: digest.to_string(),
            actual: format!("{alg}:{actual}"),
        });
    }
    Ok(())
}

/// Opens the store for a spec and resolves its images.
///
/// # Errors
/// Any [`SourceError`].
pub fn open(
    spec: &ImageSpec,
    reference: &str,
    platforms: &PlatformSel,
    metadata_limit: u64,
) -> Result<(Box<dyn BlobStore>, Vec<ResolvedImage>), SourceError> {
    open_with(
        spec,
        reference,
        platforms,
        metadata_limit,
        &registry::RegistryOptions::default(),
    )
}

/// [`open`] with options for registry references.
///
/// # Errors
/// Any [`SourceError`].
pub fn open_with(
    spec: &ImageSpec,
    reference: &str,
    platforms: &PlatformSel,
    metadata_limit: u64,
    opts: &registry::RegistryOptions,
) -> Result<(Box<dyn BlobStore>, Vec<ResolvedImage>), SourceError> {
    let (store, selector): (Box<dyn BlobStore>, &Option<String>) = match spec {
        ImageSpec::OciLayout { dir, selector } => (Box::new(layout::DirStore::new(dir)?), selector),
        ImageSpec::OciArchive { file, selector } | ImageSpec::DockerArchive { file, selector } => {
            let store = archive::ArchiveStore::open(file)?;
            if matches!(spec, ImageSpec::OciArchive { .. })
                && !store.contains("index.json")
                && store.contains("manifest.json")
            {
                return Err(SourceError::Reference(format!(
                    "`{}` is a `docker save` archive, not an OCI archive: scan `docker-archive:{}` (or the path alone)",
                    file.display(),
                    file.display()
                )));
            }
            (Box::new(store), selector)
        }
        ImageSpec::Engine { .. } | ImageSpec::Stdin => {
            // Streams, not stores: the scan engine reads them as they arrive.
            return Err(SourceError::Reference(format!(
                "`{reference}` is a stream; it has no blob store"
            )));
        }
        ImageSpec::Registry(image) => {
            let store = registry::RegistryStore::new(image, opts)?;
            let images = registry::resolve(&store, image, reference, platforms, metadata_limit)?;
            return Ok((Box::new(store), images));
        }
    };
    let resolve = if matches!(spec, ImageSpec::DockerArchive { .. }) {
        archive::resolve_docker
    } else {
        layout::resolve
    };
    let images = resolve(
        store.as_ref(),
        selector.as_deref(),
        reference,
        platforms,
        metadata_limit,
    )?;
    Ok((store, images))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(
            ImageSpec::parse("oci:/tmp/img:v1").unwrap(),
            ImageSpec::OciLayout {
                dir: "/tmp/img".into(),
                selector: Some("v1".into())
            }
        );
        assert_eq!(
            ImageSpec::parse("oci:img@sha256:abc").unwrap(),
            ImageSpec::OciLayout {
                dir: "img".into(),
                selector: Some("sha256:abc".into())
            }
        );
        assert!(matches!(
            ImageSpec::parse("docker-archive:a.tar").unwrap(),
            ImageSpec::DockerArchive { .. }
        ));
        assert!(matches!(
            ImageSpec::parse("debian:12").unwrap(),
            ImageSpec::Registry(_)
        ));
        assert!(matches!(
            ImageSpec::parse("docker://127.0.0.1:5000/app:1").unwrap(),
            ImageSpec::Registry(_)
        ));
        assert!(ImageSpec::parse("oci:").is_err());
        assert!(blob_path("sha256:../../etc").is_err());
        assert_eq!(blob_path("sha256:ab12").unwrap(), "blobs/sha256/ab12");
    }
}
