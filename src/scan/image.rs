//! Fetches and walks every layer of one resolved image from a blob store, through the
//! layer-facts cache when there is one, and merges them into [`ImageFacts`]. The only place
//! where a source's bytes meet the layer walker.

use crate::image::layer::{self, LayerError, Limits};
use crate::image::{ImageFacts, LayerRef, ResolvedImage, facts::LayerFacts, from_layers};
use crate::source::{BlobStore, SourceError};

use super::cache;

/// Errors scanning an image.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// Opening a blob failed.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// Walking a layer failed.
    #[error(transparent)]
    Layer(#[from] LayerError),
    /// The config's `rootfs.diff_ids` disagree with the layers: containerd and Docker refuse to
    /// unpack such an image, so its layers are not the ones that would run.
    #[error("{0}; the runtime refuses this image (rebuild or re-push it)")]
    DiffIds(String),
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
    let limits = &limits.for_image();
    if image.layers.len() > crate::source::layout::MAX_LAYERS {
        return Err(ImageError::Source(SourceError::Malformed {
            what: format!("`{}`", image.reference),
            message: format!(
                "{} layers; an image has at most {} (overlayfs cannot stack more)",
                image.layers.len(),
                crate::source::layout::MAX_LAYERS
            ),
        }));
    }
    // A digest listed twice names the same bytes: walk it once and reuse the facts, so a
    // manifest repeating one huge layer costs one walk.
    let mut slot_by_digest: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::new();
    let mut unique: Vec<usize> = Vec::new();
    let slot_of: Vec<usize> = image
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            *slot_by_digest.entry(l.digest.as_str()).or_insert_with(|| {
                unique.push(i);
                unique.len() - 1
            })
        })
        .collect();
    // Layers are independent until the merge: walk up to `layer_jobs` at once so one
    // layer's network latency overlaps another's decompression. Results keep layer order,
    // and the error reported is the lowest-numbered layer's, so output stays deterministic.
    let walks = unique.len();
    let slots: Vec<std::sync::Mutex<Option<Result<LayerFacts, ImageError>>>> =
        (0..walks).map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let workers = limits.layer_jobs.clamp(1, walks.max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let slot = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if slot >= walks || failed.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let i = unique[slot];
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
                    if let Ok(mut slot) = slots[slot].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    let mut done = Vec::with_capacity(walks);
    for slot in slots {
        match slot.into_inner().ok().flatten() {
            Some(Ok(f)) => done.push(f),
            Some(Err(e)) => return Err(e),
            // Skipped after another layer failed; that failure is reported below.
            None => {}
        }
    }
    if done.len() != walks {
        return Err(ImageError::Source(SourceError::NotFound(
            "a layer was not walked".into(),
        )));
    }
    // Every layer position gets the facts of its digest, labelled with its own index.
    let mut walked = Vec::with_capacity(image.layers.len());
    for (i, &slot) in slot_of.iter().enumerate() {
        let mut f = done[slot].clone();
        if f.index != i {
            cache::relabel(&mut f, i);
        }
        walked.push(f);
    }
    check_diff_ids(image, &walked)?;
    let key = limits.secrets.as_ref().map(|s| &s.key);
    let mut facts = from_layers(image, walked, key);
    read_account_files(store, image, limits, &mut facts)?;
    Ok(facts)
}

/// The config names each layer by the digest of its uncompressed tar stream; the walk computed
/// those digests, and they must agree in number and value, as the runtime checks when it
/// unpacks. (The blob digests, checked while streaming, bind the compressed bytes only.)
///
/// # Errors
/// [`ImageError::DiffIds`] naming the first layer that disagrees.
pub(crate) fn check_diff_ids(
    image: &ResolvedImage,
    walked: &[LayerFacts],
) -> Result<(), ImageError> {
    let listed = image
        .config
        .rootfs
        .as_ref()
        .map_or(&[][..], |r| r.diff_ids.as_slice());
    if listed.len() != walked.len() {
        return Err(ImageError::DiffIds(format!(
            "`{}`: the config lists {} diff_ids for {} layers",
            image.reference,
            listed.len(),
            walked.len()
        )));
    }
    for (i, (want, f)) in listed.iter().zip(walked).enumerate() {
        if *want != f.diff_id {
            return Err(ImageError::DiffIds(format!(
                "`{}`: layer {i} ({}) unpacks to {} but the config's diff_ids say {}",
                image.reference, f.digest, f.diff_id, want
            )));
        }
    }
    Ok(())
}

/// Warns about account files that could not be read whole, for images that arrive as a
/// stream (which cannot be walked a second time).
pub(crate) fn account_warnings(facts: &mut ImageFacts) {
    use crate::image::facts::FileContent;
    for name in crate::image::layer::ACCOUNT_FILES {
        if let FileContent::Uncaptured { path, .. } | FileContent::Unreadable(path) =
            facts.fs.read(name)
        {
            facts.warnings.push(format!(
                "`{name}` (`{path}`) cannot be read whole; checks of its accounts are skipped"
            ));
        }
    }
}

/// The account databases rules read (`/etc/passwd`, `/etc/shadow`, `/etc/group`) may be
/// symlinks to files whose names the walk did not keep (`/etc/passwd -> /opt/x`), so their
/// content is fetched by walking the layer that wrote them again; the runtime reads the
/// target, and so must the rules. What still cannot be read whole is said in a warning.
fn read_account_files(
    store: &dyn BlobStore,
    image: &ResolvedImage,
    limits: &Limits,
    facts: &mut ImageFacts,
) -> Result<(), ImageError> {
    use crate::image::facts::FileContent;
    for name in crate::image::layer::ACCOUNT_FILES {
        let (path, layer) = match facts.fs.read(name) {
            FileContent::Uncaptured { path, layer } => (path, layer),
            FileContent::Unreadable(path) => {
                facts.warnings.push(format!(
                    "`{name}` (`{path}`) cannot be read whole; checks of its accounts are skipped"
                ));
                continue;
            }
            FileContent::Missing | FileContent::Known { .. } => continue,
        };
        let Some(l) = image.layers.get(layer) else {
            continue;
        };
        tracing::debug!(file = name, target = %path, layer, "walking a layer again for a symlinked file");
        let blob = store.open(&l.path)?;
        // Its secrets were found on the first walk.
        let quiet = Limits {
            secrets: None,
            ..limits.clone()
        };
        let again = layer::walk_capturing(
            layer,
            blob,
            &l.digest,
            &quiet,
            &|_| {},
            std::slice::from_ref(&path),
        )?;
        match again.captured.get(&path) {
            Some(c) if !c.truncated => facts.fs.add_captured(&path, c.clone(), layer),
            _ => facts.warnings.push(format!(
                "`{name}` (`{path}`) cannot be read whole; checks of its accounts are skipped"
            )),
        }
    }
    Ok(())
}

/// Walks one layer. A stream that breaks mid-blob (a reset, a truncated body) is walked again
/// from the start; a digest mismatch or a corrupt stream is not retried.
/// A blob reader held to its descriptor's size: more bytes, or fewer, is an error.
struct SizeChecked {
    inner: Box<dyn std::io::Read + Send>,
    expected: u64,
    read: u64,
}

impl std::io::Read for SizeChecked {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // Ask for one byte past the end to see whether the blob is longer than declared.
        let left =
            usize::try_from(self.expected.saturating_sub(self.read) + 1).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        let n = self.inner.read(&mut buf[..want])?;
        self.read += n as u64;
        if self.read > self.expected {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "blob is larger than its descriptor's {} bytes",
                    self.expected
                ),
            ));
        }
        if n == 0 && want > 0 && self.read < self.expected {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "blob has {} bytes, its descriptor says {}",
                    self.read, self.expected
                ),
            ));
        }
        Ok(n)
    }
}

fn walk_with_retries(
    store: &dyn BlobStore,
    l: &LayerRef,
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
                // The descriptor's size is a hard cap: a blob that runs on (a registry body
                // that never ends, a layout blob that grew) stops there, and a short one fails.
                let blob: Box<dyn std::io::Read + Send> = match l.size {
                    Some(size) => Box::new(SizeChecked {
                        inner: blob,
                        expected: size,
                        read: 0,
                    }),
                    None => blob,
                };
                layer::walk_with_progress(i, blob, &l.digest, limits, progress)
                    .map_err(ImageError::from)
            });
        match &result {
            // A size that disagrees with the descriptor is not a broken stream: no retry.
            Err(ImageError::Layer(LayerError::Io { source, .. }))
                if source.kind() == std::io::ErrorKind::InvalidData => {}
            Err(ImageError::Layer(LayerError::Io { .. })) if attempt < 3 => {
                tracing::warn!(layer = i, attempt, "layer stream broke; walking it again");
            }
            _ => break,
        }
    }
    result
}
