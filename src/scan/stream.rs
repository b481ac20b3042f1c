//! Images that arrive as one `docker save` stream (an engine's export, or `-` on stdin),
//! scanned as they stream: nothing is spooled to disk and no layer is held whole. Each
//! layer member is walked into facts the moment it arrives (they are independent and keyed
//! by digest); the small JSON members are kept; once `manifest.json` has been read, wherever
//! the exporter put it (Docker first or last, containerd sorted by name), the facts are put
//! in its order and checked against the config's diff ids.

use std::collections::HashMap;
use std::io::Read;

use super::cache::{LayerCache, relabel};
use super::{Context as _, ScanError};
use crate::image::config::ImageConfig;
use crate::image::facts::LayerFacts;
use crate::image::layer::{self, Limits};
use crate::image::tar::{Reader, TarError};
use crate::image::{LayerRef, ResolvedImage};
use crate::source::SourceError;
use crate::source::archive::{DockerManifestEntry, digest_of_path};

/// Most layer members one stream may carry (an export of many images at once).
const MAX_MEMBERS: usize = 4096;

/// Reads the current tar member's content.
struct Member<'a, R: Read> {
    tar: &'a mut Reader<R>,
}

impl<R: Read> Read for Member<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.tar.read_content(buf).map_err(|e| match e {
            TarError::Io(e) => e,
            other => std::io::Error::new(std::io::ErrorKind::UnexpectedEof, other.to_string()),
        })
    }
}

/// Walks a `docker save` stream into the image it holds (the one tagged `selector`, else
/// the only one) and its layer facts in manifest order. Walked layers go to `cache`.
///
/// # Errors
/// A stream cut off or corrupt, a missing or malformed `manifest.json` or config, a layer
/// whose digest does not match its name or its diff id.
pub fn read_docker_save(
    stream: impl Read + Send,
    reference: &str,
    selector: Option<&str>,
    limits: &Limits,
    cache: Option<&LayerCache>,
) -> Result<(ResolvedImage, Vec<LayerFacts>), ScanError> {
    let limits = &limits.for_image();
    let mut tar = Reader::new(stream);
    let mut small: HashMap<String, Vec<u8>> = HashMap::new();
    let mut walked: HashMap<String, LayerFacts> = HashMap::new();
    let mut aliases: HashMap<String, String> = HashMap::new();
    let broken = |e: TarError| ScanError::With {
        context: format!("reading the image stream of `{reference}`"),
        source: Box::new(e),
    };
    while let Some(h) = tar.next_entry().map_err(broken)? {
        let name = String::from_utf8_lossy(&h.name)
            .trim_start_matches("./")
            .to_string();
        match h.typeflag {
            // `docker save` writes a layer shared by two images once and links the other.
            b'2' | b'1' => {
                let target = String::from_utf8_lossy(&h.linkname).to_string();
                let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
                let full = if h.typeflag == b'2' && !target.starts_with('/') {
                    crate::image::facts::clamp_path(&format!("{dir}/{target}"))
                } else {
                    crate::image::facts::clamp_path(&target)
                };
                aliases.insert(name, full.trim_start_matches('/').to_string());
                continue;
            }
            b'0' => {}
            _ => continue,
        }
        let is_layer_name = std::path::Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tar"));
        let in_blobs = name.starts_with("blobs/");
        // Small documents first: a blob is JSON when it starts with `{` and is small.
        let mut head = [0u8; 1];
        let mut peeked = 0;
        if in_blobs && h.size > 0 {
            peeked = tar.read_content(&mut head).map_err(broken)?;
        }
        let json_blob = in_blobs && head[0] == b'{' && h.size <= limits.max_metadata_bytes;
        if (!is_layer_name && !in_blobs) || json_blob {
            if h.size > limits.max_metadata_bytes {
                continue; // not a document we read; skipped unread
            }
            let mut bytes = head[..peeked].to_vec();
            let mut buf = [0u8; 8192];
            loop {
                let n = tar.read_content(&mut buf).map_err(broken)?;
                if n == 0 {
                    break;
                }
                bytes.extend_from_slice(&buf[..n]);
            }
            small.insert(name, bytes);
            continue;
        }
        if walked.len() >= MAX_MEMBERS {
            return Err(ScanError::Invalid(format!(
                "the image stream of `{reference}` holds more than {MAX_MEMBERS} layers"
            )));
        }
        let prefix = std::io::Cursor::new(head[..peeked].to_vec());
        let member = Member { tar: &mut tar };
        let blob: Box<dyn Read + Send + '_> = Box::new(prefix.chain(member));
        let facts = layer::walk_unverified(walked.len(), blob, limits)
            .ctx(|| format!("layer `{name}` of `{reference}`"))?;
        if let Some(d) = digest_of_path(&name)
            && d != facts.digest
        {
            return Err(ScanError::Invalid(format!(
                "layer `{name}` of `{reference}`: digest mismatch: expected {d}, got {}",
                facts.digest
            )));
        }
        if let Some(c) = cache {
            c.put(&facts);
        }
        walked.insert(name, facts);
    }
    let manifest = small.get("manifest.json").ok_or_else(|| {
        ScanError::Invalid(format!(
            "the image stream of `{reference}` has no manifest.json: not a `docker save` stream"
        ))
    })?;
    let entries: Vec<DockerManifestEntry> =
        serde_json::from_slice(manifest).ctx(|| format!("manifest.json of `{reference}`"))?;
    let entry = match selector {
        Some(sel) => entries.iter().find(|e| {
            e.repo_tags.as_ref().is_some_and(|t| {
                t.iter()
                    .any(|t| t == sel || t.ends_with(&format!("/{sel}")))
            })
        }),
        None => None,
    }
    .or_else(|| entries.first())
    .ok_or_else(|| ScanError::Invalid(format!("manifest.json of `{reference}` lists no image")))?;
    let resolve = |p: &str| aliases.get(p).cloned().unwrap_or_else(|| p.to_string());
    let cfg_path = resolve(&entry.config);
    let cfg_bytes = small
        .get(&cfg_path)
        .ok_or_else(|| ScanError::Invalid(format!("`{reference}`: config `{cfg_path}` missing")))?;
    if let Some(d) = digest_of_path(&cfg_path) {
        crate::source::verify_digest(cfg_bytes, &d, &format!("config {cfg_path}"))?;
    }
    let config: ImageConfig =
        serde_json::from_slice(cfg_bytes).ctx(|| format!("config of `{reference}`"))?;
    // A config holding a secret (in `Env`, labels or history) is not kept on disk: the cache
    // must not become a second copy of it. Its next scan exports the image again.
    if let Some(c) = cache
        && crate::image::secrets::config_secrets(&config, &crate::secrets::Key::derive(b"probe"))
            .is_empty()
    {
        remember_config(c, &layer::sha256_digest(cfg_bytes), cfg_bytes);
    }
    let diff_ids = config
        .rootfs
        .as_ref()
        .map(|r| r.diff_ids.clone())
        .unwrap_or_default();
    if diff_ids.len() != entry.layers.len() {
        return Err(ScanError::Invalid(format!(
            "`{reference}`: the config lists {} diff_ids for {} layers",
            diff_ids.len(),
            entry.layers.len()
        )));
    }
    let mut facts = Vec::with_capacity(entry.layers.len());
    let mut layers = Vec::with_capacity(entry.layers.len());
    for (i, p) in entry.layers.iter().enumerate() {
        let path = resolve(p);
        let mut f = walked.get(&path).cloned().ok_or_else(|| {
            ScanError::Source(SourceError::NotFound(format!(
                "`{reference}`: layer `{p}` is not in the stream"
            )))
        })?;
        // The config must name the layer by its tar stream's digest, as the engine's own
        // loader checks.
        if let Some(want) = diff_ids.get(i)
            && *want != f.diff_id
        {
            return Err(ScanError::Invalid(format!(
                "`{reference}`: layer {i} has diff id {} but the config says {want}",
                f.diff_id
            )));
        }
        relabel(&mut f, i);
        layers.push(LayerRef {
            path,
            digest: f.digest.clone(),
            media_type: None,
            size: Some(f.compressed_size),
        });
        facts.push(f);
    }
    Ok((unpublished(reference, config, layers), facts))
}

/// An image known by its config and layers only (no manifest: an engine's or a stream's).
fn unpublished(reference: &str, config: ImageConfig, layers: Vec<LayerRef>) -> ResolvedImage {
    ResolvedImage {
        reference: reference.to_string(),
        manifest_digest: None,
        index_digest: None,
        platform: config.platform(),
        config,
        layers,
    }
}

/// The facts of an image whose config (by image id) and every layer (by diff id) an earlier
/// scan left in `cache`: a re-scan of an unchanged image needs no export.
#[must_use]
pub fn from_cache(
    cache: &LayerCache,
    image_id: &str,
    diff_ids: &[String],
    reference: &str,
) -> Option<(ResolvedImage, Vec<LayerFacts>)> {
    let key = config_key(image_id)?;
    let cfg_bytes = cache.load_result(&key)?;
    // The image id is the config's digest: what the cache returns is checked, not trusted.
    crate::source::verify_digest(&cfg_bytes, image_id, "cached config").ok()?;
    let config: ImageConfig = serde_json::from_slice(&cfg_bytes).ok()?;
    let mut facts = Vec::with_capacity(diff_ids.len());
    let mut layers = Vec::with_capacity(diff_ids.len());
    for (i, d) in diff_ids.iter().enumerate() {
        let f = cache.get(d, i)?;
        layers.push(LayerRef {
            path: String::new(),
            digest: d.clone(),
            media_type: None,
            size: Some(f.compressed_size),
        });
        facts.push(f);
    }
    Some((unpublished(reference, config, layers), facts))
}

/// Keeps an image's config bytes under its id, for [`from_cache`].
pub fn remember_config(cache: &LayerCache, image_id: &str, config: &[u8]) {
    if let Some(key) = config_key(image_id)
        && let Err(e) = cache.store_result(&key, config)
    {
        tracing::warn!(error = %e, "config cache write failed");
    }
}

fn config_key(image_id: &str) -> Option<String> {
    let hex = image_id.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("engineconfig{hex}"))
}
