//! A persistent cache of per-layer facts, keyed by layer digest and the analyser version, so a
//! registry-wide scan walks each unique layer once, and a re-scan of an unchanged registry walks
//! none.
//!
//! Entries are zstd-compressed JSON files under `<dir>/<FORMAT>/<alg>/<hex>`, written to a
//! temporary file and renamed into place, so several processes can share a directory without a
//! lock: a reader sees a whole entry or none, and two writers of one digest write the same
//! bytes. Within one process a per-digest lock makes concurrent images sharing a layer walk it
//! once. Reads refresh an entry's modification time; [`LayerCache::evict`] deletes the least
//! recently used entries beyond the size bound.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::image::facts::{Captured, Entry, LayerFacts, SecretAt};

/// Bumped whenever what the walker records changes; older entries are then ignored.
const FORMAT: &str = concat!("facts-v2-", env!("CARGO_PKG_VERSION"));

#[derive(Serialize, Deserialize)]
struct Stored {
    digest: String,
    compressed_size: u64,
    uncompressed_size: u64,
    diff_id: String,
    compression: String,
    entries: Vec<Entry>,
    whiteouts: Vec<String>,
    opaque_dirs: Vec<String>,
    captured: BTreeMap<String, Captured>,
    warnings: Vec<String>,
    secrets: Vec<SecretAt>,
}

/// Cached facts are stored once per digest; the layer's position differs between images.
pub(crate) fn relabel(f: &mut LayerFacts, index: usize) {
    f.index = index;
    for e in &mut f.entries {
        e.layer = index;
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place, so readers in
/// other processes see the whole file or none.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let tmp = path.with_file_name(format!(
        ".tmp-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    // Entries hold captured file contents (account files, key and credential files) and image
    // configs: readable by the owner only, in directories only the owner can list.
    {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
    }
    std::fs::rename(&tmp, path)
}

/// Creates `dir` and its parents as owner-only directories.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Counters of one run.
#[derive(Debug, Default)]
pub struct CacheStats {
    /// Images whose results came from the cache (counted by the caller, which may still
    /// decide an entry is stale).
    pub images: AtomicU64,
    /// Layers walked (fetched and decompressed).
    pub walked: AtomicU64,
    /// Layers served from the cache.
    pub hits: AtomicU64,
    /// Compressed bytes walked.
    pub bytes: AtomicU64,
}

/// The layer-facts cache of one directory.
#[derive(Debug)]
pub struct LayerCache {
    dir: PathBuf,
    locks: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    /// The most recently used facts, so images sharing a base do not decode it again each
    /// time; bounded by count so memory stays flat however many images a run scans.
    recent: Mutex<std::collections::VecDeque<Arc<LayerFacts>>>,
    /// What this run did.
    pub stats: CacheStats,
}

impl LayerCache {
    /// A cache in `dir` (created on first write).
    #[must_use]
    pub fn new(dir: &Path) -> LayerCache {
        Self::for_limits(dir, &crate::image::layer::Limits::default())
    }

    /// A cache in `dir` for facts walked with `limits`: facts made with other secret-scan
    /// settings (off, another fingerprint key, binaries) live apart and are not reused.
    #[must_use]
    pub fn for_limits(dir: &Path, limits: &crate::image::layer::Limits) -> LayerCache {
        let profile = format!(
            "secrets-{}",
            limits
                .secrets
                .as_ref()
                .map_or_else(|| "off".to_string(), crate::secrets::SecretScan::profile)
        );
        LayerCache {
            dir: dir.join(FORMAT).join(profile),
            locks: Mutex::default(),
            recent: Mutex::default(),
            stats: CacheStats::default(),
        }
    }

    /// The default directory: `$XDG_CACHE_HOME/hullscan` or `~/.cache/hullscan`.
    #[must_use]
    pub fn default_dir() -> Option<PathBuf> {
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|d| d.join("hullscan"))
    }

    fn path(&self, digest: &str) -> Option<PathBuf> {
        let (alg, hex) = digest.split_once(':')?;
        let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
        (ok(alg) && ok(hex)).then(|| self.dir.join(alg).join(hex))
    }

    /// The facts of layer `digest` at `index`: from the cache, or from `walk`, which is then
    /// stored. A digest being walked by another thread is waited for, not walked twice.
    ///
    /// # Errors
    /// `walk`'s error; cache I/O problems are logged and fall back to walking.
    pub fn get_or_walk<E>(
        &self,
        digest: &str,
        index: usize,
        walk: impl FnOnce() -> Result<LayerFacts, E>,
    ) -> Result<LayerFacts, E> {
        let lock = self
            .locks
            .lock()
            .map(|mut m| m.entry(digest.to_string()).or_default().clone())
            .unwrap_or_default();
        let _guard = lock.lock();
        if let Some(f) = self.recall(digest, index) {
            self.stats.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(f);
        }
        if let Some(f) = self.load(digest, index) {
            self.stats.hits.fetch_add(1, Ordering::Relaxed);
            self.remember(&f);
            return Ok(f);
        }
        let facts = walk()?;
        self.remember(&facts);
        self.stats.walked.fetch_add(1, Ordering::Relaxed);
        self.stats
            .bytes
            .fetch_add(facts.compressed_size, Ordering::Relaxed);
        if let Err(e) = self.store(&facts) {
            tracing::warn!(%digest, error = %e, "layer cache write failed");
        }
        Ok(facts)
    }

    /// The facts of layer `digest` at `index`, if cached.
    pub fn get(&self, digest: &str, index: usize) -> Option<LayerFacts> {
        let f = self
            .recall(digest, index)
            .or_else(|| self.load(digest, index))?;
        self.stats.hits.fetch_add(1, Ordering::Relaxed);
        Some(f)
    }

    /// Adds facts walked elsewhere (an engine's export, whose digests are known only after
    /// the walk).
    pub fn put(&self, facts: &LayerFacts) {
        self.remember(facts);
        self.stats.walked.fetch_add(1, Ordering::Relaxed);
        self.stats
            .bytes
            .fetch_add(facts.compressed_size, Ordering::Relaxed);
        if let Err(e) = self.store(facts) {
            tracing::warn!(digest = %facts.digest, error = %e, "layer cache write failed");
        }
    }

    /// Facts kept in memory, most recently used last.
    const RECENT: usize = 8;

    fn remember(&self, f: &LayerFacts) {
        if let Ok(mut r) = self.recent.lock() {
            r.retain(|x| x.digest != f.digest);
            if r.len() >= Self::RECENT {
                r.pop_front();
            }
            r.push_back(Arc::new(f.clone()));
        }
    }

    fn recall(&self, digest: &str, index: usize) -> Option<LayerFacts> {
        let found = {
            let mut r = self.recent.lock().ok()?;
            let at = r.iter().position(|x| x.digest == digest)?;
            let f = r.remove(at)?;
            r.push_back(Arc::clone(&f));
            f
        };
        let mut f = (*found).clone();
        relabel(&mut f, index);
        Some(f)
    }

    fn load(&self, digest: &str, index: usize) -> Option<LayerFacts> {
        let path = self.path(digest)?;
        let file = std::fs::File::open(&path).ok()?;
        let reader = zstd::stream::read::Decoder::new(file).ok()?;
        let s: Stored = match serde_json::from_reader(std::io::BufReader::new(reader)) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "unreadable cache entry ignored");
                return None;
            }
        };
        if s.digest != digest {
            return None;
        }
        // Reading counts as use for eviction.
        if let Ok(f) = std::fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
        let mut f = LayerFacts {
            index,
            digest: s.digest,
            compressed_size: s.compressed_size,
            uncompressed_size: s.uncompressed_size,
            diff_id: s.diff_id,
            compression: match s.compression.as_str() {
                "gzip" => "gzip",
                "zstd" => "zstd",
                _ => "none",
            },
            entries: s.entries,
            whiteouts: s.whiteouts,
            opaque_dirs: s.opaque_dirs,
            captured: s.captured,
            warnings: s.warnings,
            secrets: s.secrets,
        };
        relabel(&mut f, index);
        Some(f)
    }

    fn store(&self, f: &LayerFacts) -> std::io::Result<()> {
        let Some(path) = self.path(&f.digest) else {
            return Ok(());
        };
        let parent = path.parent().unwrap_or(&self.dir);
        private_dir(parent)?;
        let stored = Stored {
            digest: f.digest.clone(),
            compressed_size: f.compressed_size,
            uncompressed_size: f.uncompressed_size,
            diff_id: f.diff_id.clone(),
            compression: f.compression.to_string(),
            entries: f.entries.clone(),
            whiteouts: f.whiteouts.clone(),
            opaque_dirs: f.opaque_dirs.clone(),
            captured: f.captured.clone(),
            warnings: f.warnings.clone(),
            secrets: f.secrets.clone(),
        };
        let json = serde_json::to_vec(&stored).map_err(std::io::Error::other)?;
        write_atomic(&path, &zstd::bulk::compress(&json, 3)?)
    }

    /// Stores `bytes` under a hex `key` among the per-image results (see `load_result`).
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn store_result(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let Some(path) = self.path(&format!("results:{key}")) else {
            return Ok(());
        };
        if let Some(parent) = path.parent() {
            private_dir(parent)?;
        }
        write_atomic(&path, &zstd::bulk::compress(bytes, 3)?)
    }

    /// A per-image result stored by a previous run under `key` (the caller's hash of the image
    /// digest and everything else the result depends on).
    #[must_use]
    pub fn load_result(&self, key: &str) -> Option<Vec<u8>> {
        let path = self.path(&format!("results:{key}"))?;
        let packed = std::fs::read(&path).ok()?;
        let bytes = zstd::stream::decode_all(packed.as_slice()).ok()?;
        if let Ok(f) = std::fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
        Some(bytes)
    }

    /// Deletes least recently used entries until the cache holds at most `max_bytes`;
    /// returns the bytes freed.
    ///
    /// # Errors
    /// When the cache directory cannot be listed.
    pub fn evict(&self, max_bytes: u64) -> std::io::Result<u64> {
        let mut files = Vec::new();
        // Every profile's entries count: FORMAT/<profile>/<alg>/<hex>.
        let root = self.dir.parent().unwrap_or(&self.dir);
        let Ok(profiles) = std::fs::read_dir(root) else {
            return Ok(0);
        };
        for profile in profiles.flatten() {
            let Ok(algs) = std::fs::read_dir(profile.path()) else {
                continue;
            };
            for alg in algs.flatten() {
                let Ok(list) = std::fs::read_dir(alg.path()) else {
                    continue;
                };
                for e in list.flatten() {
                    if let Ok(m) = e.metadata()
                        && m.is_file()
                    {
                        let used = m.modified().unwrap_or(std::time::UNIX_EPOCH);
                        files.push((used, m.len(), e.path()));
                    }
                }
            }
        }
        let mut total: u64 = files.iter().map(|f| f.1).sum();
        files.sort();
        let mut freed = 0;
        for (_, len, path) in files {
            if total <= max_bytes {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= len;
                freed += len;
            }
        }
        Ok(freed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::facts::EntryKind;

    fn facts(index: usize) -> LayerFacts {
        LayerFacts {
            index,
            digest: "sha256:abc".into(),
            compressed_size: 10,
            uncompressed_size: 20,
            compression: "gzip",
            entries: vec![Entry {
                path: "/bin/sh".into(),
                kind: EntryKind::File,
                mode: 0o755,
                uid: 0,
                gid: 0,
                size: 3,
                link: None,
                capability: None,
                layer: index,
            }],
            ..LayerFacts::default()
        }
    }

    #[test]
    fn round_trip_relabels_the_layer_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = LayerCache::new(dir.path());
        let f = cache
            .get_or_walk::<()>("sha256:abc", 0, || Ok(facts(0)))
            .expect("walk");
        assert_eq!(f.entries[0].layer, 0);
        let again = LayerCache::new(dir.path())
            .get_or_walk::<()>("sha256:abc", 3, || panic!("must come from the cache"))
            .expect("hit");
        assert_eq!((again.index, again.entries[0].layer), (3, 3));
        assert_eq!(again.compression, "gzip");
        assert_eq!(cache.stats.walked.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn entries_are_readable_by_their_owner_only() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = LayerCache::new(dir.path());
        cache
            .get_or_walk::<()>("sha256:abc", 0, || Ok(facts(0)))
            .expect("walk");
        let entry = dir
            .path()
            .join(FORMAT)
            .join("secrets-off")
            .join("sha256")
            .join("abc");
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&entry), 0o600);
        assert_eq!(mode(entry.parent().expect("dir")), 0o700);
    }

    #[test]
    fn hostile_digests_are_not_paths_and_eviction_bounds_size() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = LayerCache::new(dir.path());
        assert!(cache.path("sha256:../../etc").is_none());
        assert!(cache.path("nodigest").is_none());
        for d in ["sha256:aa", "sha256:bb"] {
            let mut f = facts(0);
            f.digest = d.into();
            cache.get_or_walk::<()>(d, 0, || Ok(f)).expect("walk");
        }
        assert!(cache.evict(u64::MAX).expect("evict") == 0);
        assert!(cache.evict(0).expect("evict") > 0);
        assert!(cache.load("sha256:aa", 0).is_none());
    }
}
