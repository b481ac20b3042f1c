//! The layer walker, the hot path: one streaming pass over a layer blob that verifies its
//! digest, decompresses it (gzip, zstd or none, by magic bytes) and walks its tar entries into
//! a compact [`LayerFacts`]. Nothing is written to disk and no layer is held whole in memory.
//!
//! Threads share the work so that hashing, decompression and the walk do not serialise each
//! other: a reader thread reads the blob in chunks and hashes them, an inflate thread
//! decompresses into recycled chunks, the calling thread walks the tar, and a hasher computes
//! the diff id from the chunks the walker is done with. The reader always reads to the end, so
//! the digest covers every byte even when the tar walk stops early.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};

use sha2::{Digest, Sha256};

use super::facts::{Captured, Entry, EntryKind, LayerFacts, SecretAt, normalize_path};
use crate::secrets::Piece;

/// Bounds on what one layer may make us do; each gives a clear error when crossed.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Decompressed bytes per layer.
    pub max_layer_bytes: u64,
    /// Decompressed bytes per compressed byte, beyond a 64 MiB allowance (gzip bombs).
    pub max_ratio: u64,
    /// Tar entries per layer.
    pub max_entries: u64,
    /// Bytes in one entry path.
    pub max_path_len: usize,
    /// Bytes captured from one small file (`/etc/passwd`, key files).
    pub capture_bytes: usize,
    /// Bytes of a manifest, index or config blob.
    pub max_metadata_bytes: u64,
    /// Layers walked at once (each walk uses two threads).
    pub layer_jobs: usize,
    /// Content secret detection over every regular file; `None` turns it off.
    pub secrets: Option<crate::secrets::SecretScan>,
    /// Wall-clock time one image's layers may take, fetch included: a registry that keeps
    /// every read just inside its time-outs still cannot hold a scan (or a batch) forever.
    pub image_timeout: Option<std::time::Duration>,
    /// When the current image's time is up; set by the scan engine from `image_timeout`.
    pub deadline: Option<std::time::Instant>,
}

impl Limits {
    /// These limits for one image: its deadline starts now (unless one is already running).
    #[must_use]
    pub fn for_image(&self) -> Limits {
        Limits {
            deadline: self.deadline.or_else(|| {
                self.image_timeout
                    .and_then(|t| std::time::Instant::now().checked_add(t))
            }),
            ..self.clone()
        }
    }
}

/// The reader thread's error when the image's deadline passed.
#[derive(Debug)]
struct DeadlinePassed;

impl std::fmt::Display for DeadlinePassed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the image's time-out passed")
    }
}

impl std::error::Error for DeadlinePassed {}

/// A blob reader that fails once the image's deadline has passed (checked on every read, so
/// a body that trickles a byte at a time is caught too).
struct Deadlined<R> {
    inner: R,
    deadline: Option<std::time::Instant>,
}

impl<R: Read> Read for Deadlined<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self
            .deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
        {
            return Err(io::Error::new(io::ErrorKind::TimedOut, DeadlinePassed));
        }
        self.inner.read(buf)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_layer_bytes: 32 << 30,
            max_ratio: 200,
            max_entries: 2_000_000,
            max_path_len: 4096,
            capture_bytes: 256 << 10,
            max_metadata_bytes: 8 << 20,
            layer_jobs: 3,
            secrets: None,
            image_timeout: Some(std::time::Duration::from_mins(30)),
            deadline: None,
        }
    }
}

/// Why a layer could not be walked.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    /// Reading the blob failed.
    #[error("layer {layer} ({digest}): reading: {source}")]
    Io {
        /// Layer index.
        layer: usize,
        /// Expected digest.
        digest: String,
        /// The I/O error.
        source: io::Error,
    },
    /// The blob's content does not match its digest.
    #[error("layer {layer}: digest mismatch: expected {expected}, got {actual}")]
    Digest {
        /// Layer index.
        layer: usize,
        /// Digest from the manifest.
        expected: String,
        /// Digest of the bytes read.
        actual: String,
    },
    /// Decompression or the tar stream failed.
    #[error("layer {layer} ({digest}): {format} stream is corrupt: {message}")]
    Corrupt {
        /// Layer index.
        layer: usize,
        /// Expected digest.
        digest: String,
        /// `gzip`, `zstd` or `tar`.
        format: &'static str,
        /// What the decoder said.
        message: String,
    },
    /// A limit was crossed.
    #[error("layer {layer} ({digest}): {what} exceeds the limit of {limit}")]
    Limit {
        /// Layer index.
        layer: usize,
        /// Expected digest.
        digest: String,
        /// Which limit.
        what: &'static str,
        /// The limit's value.
        limit: u64,
    },
    /// The image's wall-clock time-out passed while this layer was read.
    #[error(
        "layer {layer} ({digest}): the image's time-out of {secs} s passed while reading it (--image-timeout or `[limits] image-timeout` allows more)"
    )]
    Deadline {
        /// Layer index.
        layer: usize,
        /// Expected digest.
        digest: String,
        /// The time-out in seconds.
        secs: u64,
    },
    /// The digest names an algorithm we cannot verify.
    #[error("layer {layer}: unsupported digest `{digest}` (only sha256 is verified)")]
    Algorithm {
        /// Layer index.
        layer: usize,
        /// The digest.
        digest: String,
    },
}

/// Size of the chunks the reader thread hands over.
const CHUNK: usize = 256 << 10;

/// Largest zstd window accepted (64 MiB): `zstd --long` at its default (27, 128 MiB) is
/// refused with a clear error rather than allocated once per concurrent layer.
pub const ZSTD_WINDOW_LOG_MAX: u32 = 26;

/// The account databases rules read whole.
pub const ACCOUNT_FILES: &[&str] = &["/etc/passwd", "/etc/shadow", "/etc/group"];

/// Bytes kept of an account database; beyond this its checks are skipped with a warning.
pub const ACCOUNT_CAPTURE: usize = 4 << 20;

/// Paths whose content rules read, decided by name alone so the walk stays one pass.
#[must_use]
pub fn should_capture(path: &str) -> bool {
    // Secrets are found by content as files stream (`crate::secrets`), never kept.
    const EXACT: &[&str] = &[
        "/etc/passwd",
        "/etc/shadow",
        "/etc/group",
        "/etc/os-release",
        "/usr/lib/os-release",
    ];
    EXACT.contains(&path)
}

/// Walks one layer blob. `expected` is its `sha256:` digest; the blob is verified while it
/// streams and a mismatch is reported in preference to any decoding error it caused.
///
/// # Errors
/// See [`LayerError`].
pub fn walk(
    index: usize,
    blob: Box<dyn Read + Send + '_>,
    expected: &str,
    limits: &Limits,
) -> Result<LayerFacts, LayerError> {
    walk_with_progress(index, blob, expected, limits, &|_| {})
}

/// [`walk`], calling `progress` with the number of blob bytes read after each chunk.
///
/// # Errors
/// See [`LayerError`].
pub fn walk_with_progress(
    index: usize,
    blob: Box<dyn Read + Send + '_>,
    expected: &str,
    limits: &Limits,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerFacts, LayerError> {
    walk_capturing(index, blob, expected, limits, progress, &[])
}

/// [`walk_with_progress`], also keeping the content of the files named in `extra` (paths as
/// entries name them): the scan engine walks a layer again this way when a file rules must
/// read turned out to be reached through a symlink.
///
/// # Errors
/// See [`LayerError`].
pub fn walk_capturing(
    index: usize,
    blob: Box<dyn Read + Send + '_>,
    expected: &str,
    limits: &Limits,
    progress: &(dyn Fn(u64) + Sync),
    extra: &[String],
) -> Result<LayerFacts, LayerError> {
    walk_impl(index, blob, Some(expected), limits, progress, extra)
}

/// Walks a blob whose digest is not known beforehand (a `layer.tar` in an engine's export,
/// whose digest the config's diff ids check afterwards); the facts carry the digest computed.
///
/// # Errors
/// See [`LayerError`].
pub fn walk_unverified(
    index: usize,
    blob: Box<dyn Read + Send + '_>,
    limits: &Limits,
) -> Result<LayerFacts, LayerError> {
    walk_impl(index, blob, None, limits, &|_| {}, &[])
}

fn walk_impl(
    index: usize,
    blob: Box<dyn Read + Send + '_>,
    expected: Option<&str>,
    limits: &Limits,
    progress: &(dyn Fn(u64) + Sync),
    extra: &[String],
) -> Result<LayerFacts, LayerError> {
    let expected_hex = match expected {
        Some(e) => Some(
            e.strip_prefix("sha256:")
                .ok_or_else(|| LayerError::Algorithm {
                    layer: index,
                    digest: e.to_string(),
                })?,
        ),
        None => None,
    };
    let label = expected.unwrap_or("sha256:?").to_string();
    let expected = label.as_str();
    let (tx, rx) = sync_channel::<Vec<u8>>(8);
    let compressed = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&compressed);
    let deadline = limits.deadline;
    std::thread::scope(|s| {
        let reader = s.spawn(move || -> io::Result<(String, u64)> {
            let mut blob = Deadlined {
                inner: blob,
                deadline,
            };
            let mut hasher = Sha256::new();
            let mut total = 0u64;
            let mut tx = Some(tx);
            loop {
                let mut buf = vec![0u8; CHUNK];
                let n = read_some(&mut blob, &mut buf)?;
                if n == 0 {
                    break;
                }
                buf.truncate(n);
                hasher.update(&buf);
                total += n as u64;
                counter.store(total, Ordering::Relaxed);
                progress(n as u64);
                // After the walker stops, keep reading so the digest covers every byte.
                if tx.as_ref().is_some_and(|t| t.send(buf).is_err()) {
                    tx = None;
                }
            }
            Ok((hex(&hasher.finalize()), total))
        });
        let source = ChannelReader {
            rx,
            chunk: Vec::new(),
            pos: 0,
        };
        let walked = walk_stream(index, expected, source, &compressed, limits, extra);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("blob reader thread panicked")));
        let (actual_hex, total) = read.map_err(|source| {
            if source
                .get_ref()
                .is_some_and(<dyn std::error::Error + Send + Sync>::is::<DeadlinePassed>)
            {
                LayerError::Deadline {
                    layer: index,
                    digest: expected.to_string(),
                    secs: limits.image_timeout.map_or(0, |t| t.as_secs()),
                }
            } else {
                LayerError::Io {
                    layer: index,
                    digest: expected.to_string(),
                    source,
                }
            }
        })?;
        if expected_hex.is_some_and(|e| e != actual_hex) {
            return Err(LayerError::Digest {
                layer: index,
                expected: expected.to_string(),
                actual: format!("sha256:{actual_hex}"),
            });
        }
        let mut facts = walked?;
        facts.digest = format!("sha256:{actual_hex}");
        if facts.diff_id.is_empty() {
            facts.diff_id.clone_from(&facts.digest);
        }
        facts.compressed_size = total;
        Ok(facts)
    })
}

fn read_some(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// `sha256:<hex>` of `bytes`.
#[must_use]
pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{}", hex(&sha2::Sha256::digest(bytes)))
}

/// Lower-case hex of a byte string (digests, fingerprints).
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

/// Reads the chunks the reader thread sends; EOF when it hangs up.
struct ChannelReader {
    rx: Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.chunk.len() {
            match self.rx.recv() {
                Ok(c) => {
                    self.chunk = c;
                    self.pos = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.chunk.len() - self.pos);
        out[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Counts decompressed bytes and enforces the size and ratio limits.
struct Bounded<R> {
    inner: R,
    read: u64,
    compressed: Arc<AtomicU64>,
    max_bytes: u64,
    max_ratio: u64,
    tripped: Option<(&'static str, u64)>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.max_bytes {
            self.tripped = Some(("decompressed size", self.max_bytes));
        } else {
            let allowance = 64 << 20;
            let compressed = self.compressed.load(Ordering::Relaxed).max(1);
            if self.read > allowance && self.read / compressed > self.max_ratio {
                self.tripped = Some(("decompression ratio", self.max_ratio));
            }
        }
        if self.tripped.is_some() {
            return Err(io::Error::other("limit exceeded"));
        }
        Ok(n)
    }
}

/// Decompressed bytes travel from the inflate thread to the walker in chunks of this size.
const INFLATED: usize = 256 << 10;

/// A chunk of decompressed bytes: the buffer and how much of it is filled.
type Chunk = (Vec<u8>, usize);

/// What the inflate thread leaves behind: a crossed limit, if any.
type Tripped = Option<(&'static str, u64)>;

/// The layer's format, by its magic bytes.
fn sniff(magic: &[u8]) -> &'static str {
    if magic.starts_with(&[0x1f, 0x8b]) {
        "gzip"
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        "zstd"
    } else {
        "none"
    }
}

/// Decompresses on its own thread into recycled chunks, so inflate (the critical path) and
/// the tar walk run on two cores. Stops when the walker hangs up or a limit is crossed.
fn inflate(
    format: &'static str,
    buffered: BufReader<ChannelReader>,
    compressed: Arc<AtomicU64>,
    (max_bytes, max_ratio): (u64, u64),
    tx: &std::sync::mpsc::SyncSender<io::Result<Chunk>>,
    pool: &Receiver<Chunk>,
) -> Tripped {
    let decoder: Box<dyn Read> = match format {
        "gzip" => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        "zstd" => {
            let d = zstd::stream::read::Decoder::with_buffer(buffered).and_then(|mut d| {
                // A frame may declare a window of up to 2 GiB, and the decoder allocates
                // it: cap it so three layers walked at once stay bounded. Layers compressed
                // with the defaults (levels up to 19) use 8 MiB windows at most.
                d.window_log_max(ZSTD_WINDOW_LOG_MAX)?;
                Ok(d)
            });
            match d {
                Ok(d) => Box::new(d),
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return None;
                }
            }
        }
        _ => Box::new(buffered),
    };
    let mut bounded = Bounded {
        inner: decoder,
        read: 0,
        compressed,
        max_bytes,
        max_ratio,
        tripped: None,
    };
    loop {
        let (mut buf, _) = pool.try_recv().unwrap_or_else(|_| (vec![0u8; INFLATED], 0));
        let mut filled = 0;
        let mut failed = None;
        while filled < buf.len() {
            match bounded.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        // Bytes before an error go first: the walker may find the real cause in them.
        if filled > 0 && tx.send(Ok((buf, filled))).is_err() {
            break;
        }
        if let Some(e) = failed {
            let _ = tx.send(Err(e));
            break;
        }
        if filled == 0 {
            break;
        }
    }
    bounded.tripped
}

/// The walker's view of the inflate thread's chunks. A chunk read to its end goes on to
/// `after`: the diff-id hasher (which must see every chunk), or straight back to the pool.
struct Inflated {
    rx: Receiver<io::Result<Chunk>>,
    chunk: Chunk,
    pos: usize,
    after: std::sync::mpsc::SyncSender<Chunk>,
    hasher: Option<Sha256>,
    total: u64,
}

impl Read for Inflated {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.chunk.1 {
            let done = std::mem::take(&mut self.chunk);
            if done.1 > 0 {
                if let Some(h) = &mut self.hasher {
                    h.update(&done.0[..done.1]);
                }
                let _ = self.after.try_send(done);
            }
            self.pos = 0;
            match self.rx.recv() {
                Ok(Ok(c)) => self.chunk = c,
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.chunk.1 - self.pos);
        out[..n].copy_from_slice(&self.chunk.0[self.pos..self.pos + n]);
        self.pos += n;
        self.total += n as u64;
        Ok(n)
    }
}

fn walk_stream(
    index: usize,
    digest: &str,
    source: ChannelReader,
    compressed: &Arc<AtomicU64>,
    limits: &Limits,
    extra: &[String],
) -> Result<LayerFacts, LayerError> {
    let mut buffered = BufReader::with_capacity(CHUNK, source);
    let corrupt = |format: &'static str, e: &dyn std::fmt::Display| LayerError::Corrupt {
        layer: index,
        digest: digest.to_string(),
        format,
        message: e.to_string(),
    };
    let format = sniff(buffered.fill_buf().map_err(|e| corrupt("tar", &e))?);
    let stream_format = if format == "none" { "tar" } else { format };
    let mut facts = LayerFacts {
        index,
        compression: format,
        ..LayerFacts::default()
    };
    let (tx, rx) = sync_channel::<io::Result<Chunk>>(4);
    let (pool_tx, pool_rx) = sync_channel::<Chunk>(10);
    let hashed = format != "none";
    let bounds = (limits.max_layer_bytes, limits.max_ratio);
    let compressed = Arc::clone(compressed);
    let (result, tripped, diff_id, total) = std::thread::scope(|s| {
        let inflater =
            s.spawn(move || inflate(format, buffered, compressed, bounds, &tx, &pool_rx));
        // A compressed layer's diff id (the digest of its tar stream, which the config lists
        // and the runtime checks) is hashed by the walker as it finishes each chunk, so the
        // inflater has a core to itself; an uncompressed layer's diff id is its blob digest.
        let mut reader = Inflated {
            rx,
            chunk: (Vec::new(), 0),
            pos: 0,
            after: pool_tx,
            hasher: hashed.then(Sha256::new),
            total: 0,
        };
        let mut result = walk_tar(&mut reader, &mut facts, limits, extra);
        if result.is_ok() {
            // Read past the tar trailer so the decompressor checks its own trailer (gzip
            // CRC) and the diff id covers every byte.
            result = io::copy(&mut reader, &mut io::sink())
                .map(|_| ())
                .map_err(WalkError::Io);
        }
        let total = reader.total;
        let diff_id = reader
            .hasher
            .take()
            .map(|h| format!("sha256:{}", hex(&h.finalize())));
        drop(reader);
        let tripped = inflater.join().unwrap_or(None);
        (result, tripped, diff_id, total)
    });
    // Whatever the outcome, a crossed limit is the real cause.
    if let Some((what, limit)) = tripped {
        return Err(LayerError::Limit {
            layer: index,
            digest: digest.to_string(),
            what,
            limit,
        });
    }
    match result {
        Ok(()) => {}
        Err(WalkError::Limit(what, limit)) => {
            return Err(LayerError::Limit {
                layer: index,
                digest: digest.to_string(),
                what,
                limit,
            });
        }
        Err(WalkError::Tar(e)) => return Err(corrupt("tar", &e)),
        Err(WalkError::Io(e)) => {
            // A decoder error surfaces through tar as I/O; name the layer's real format.
            let f = if e.kind() == io::ErrorKind::UnexpectedEof || format == "none" {
                stream_format
            } else {
                format
            };
            return Err(corrupt(f, &e));
        }
    }
    facts.uncompressed_size = total;
    facts.diff_id = diff_id.unwrap_or_default();
    Ok(facts)
}

enum WalkError {
    Io(io::Error),
    Tar(super::tar::TarError),
    Limit(&'static str, u64),
}

impl From<super::tar::TarError> for WalkError {
    fn from(e: super::tar::TarError) -> Self {
        match e {
            super::tar::TarError::Io(e) => WalkError::Io(e),
            other => WalkError::Tar(other),
        }
    }
}

impl From<io::Error> for WalkError {
    fn from(e: io::Error) -> Self {
        WalkError::Io(e)
    }
}

/// A tar name as a `String` that keeps distinct names distinct: valid UTF-8 without a
/// backslash stays as it is; otherwise backslashes become `\\` and bytes that are not UTF-8
/// become `\xNN`. A lossy conversion would let a setuid file hide behind a harmless name that
/// differs only in invalid bytes.
#[must_use]
pub fn name_string(raw: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(raw)
        && !s.contains('\\')
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(raw.len() + 8);
    for chunk in raw.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// Walks the tar; with secret scanning on, file contents go to a scanner thread as they
/// stream, so the search runs beside decompression instead of after it.
fn walk_tar(
    r: &mut dyn Read,
    facts: &mut LayerFacts,
    limits: &Limits,
    extra: &[String],
) -> Result<(), WalkError> {
    let Some((scan, files)) = limits
        .secrets
        .as_ref()
        .and_then(|s| s.files.as_ref().map(|f| (s, f)))
    else {
        return walk_entries(r, facts, limits, extra, None);
    };
    std::thread::scope(|s| {
        let (tx, rx) = sync_channel::<Piece>(32);
        // Pieces come back to be filled again: no allocation or zeroing per piece.
        let (back_tx, back_rx) = sync_channel::<Vec<u8>>(40);
        let worker = s.spawn(move || crate::secrets::scan_pieces(&scan.key, files, &rx, &back_tx));
        let sink = Sink {
            tx,
            back: back_rx,
            files,
            batch: std::cell::RefCell::default(),
        };
        let walked = walk_entries(r, facts, limits, extra, Some(&sink));
        sink.flush();
        drop(sink);
        let found = worker.join().unwrap_or_default();
        facts.secrets.extend(
            found
                .hits
                .into_iter()
                .map(|(path, hit)| SecretAt { path, hit }),
        );
        facts.warnings.extend(found.warnings);
        walked
    })
}

/// Where the walker sends file contents for the secret scan. Small files travel in batches
/// (one message for many files: a thread wake-up per file would cost more than the scan).
struct Sink<'a> {
    tx: std::sync::mpsc::SyncSender<Piece>,
    back: Receiver<Vec<u8>>,
    files: &'a crate::secrets::FileOptions,
    batch: std::cell::RefCell<crate::secrets::Batch>,
}

/// Bytes per piece sent to the scanner; files up to this size go in batches.
const PIECE: usize = 128 << 10;

impl Sink<'_> {
    /// A buffer of `len` bytes, recycled when one came back.
    fn buffer(&self, len: usize) -> Vec<u8> {
        let mut b = self.back.try_recv().unwrap_or_default();
        b.clear();
        b.resize(len, 0);
        b
    }

    /// Fills `buf[from..]` from the entry; returns the bytes now in `buf`.
    fn fill(
        archive: &mut super::tar::Reader<&mut dyn Read>,
        buf: &mut [u8],
        mut from: usize,
    ) -> Result<usize, WalkError> {
        while from < buf.len() {
            let n = archive.read_content(&mut buf[from..])?;
            if n == 0 {
                break;
            }
            from += n;
        }
        Ok(from)
    }

    /// Sends the pending batch.
    fn flush(&self) {
        let batch = std::mem::take(&mut *self.batch.borrow_mut());
        if !batch.files.is_empty() {
            let _ = self.tx.send(Piece::Batch(batch));
        }
    }

    /// Sends a file of `size` bytes: `head` (already read), then the rest of the entry, up
    /// to the size cap. Binaries too: the scanner searches them for the `binary` kinds.
    fn send(
        &self,
        path: &str,
        size: u64,
        head: &[u8],
        archive: &mut super::tar::Reader<&mut dyn Read>,
    ) -> Result<(), WalkError> {
        if crate::secrets::skip_path(path) {
            return Ok(());
        }
        let want = size.min(self.files.max_file_bytes);
        if let Ok(small) = usize::try_from(want)
            && small <= PIECE
        {
            let mut batch = self.batch.borrow_mut();
            let crate::secrets::Batch { files: list, bytes } = &mut *batch;
            if bytes.capacity() == 0 {
                *bytes = self.buffer(0);
            }
            let start = bytes.len();
            bytes.resize(start + small.max(head.len()), 0);
            let have = head.len().min(bytes.len() - start);
            bytes[start..start + have].copy_from_slice(&head[..have]);
            let end = Self::fill(archive, &mut bytes[start..], have)? + start;
            bytes.truncate(end);
            if end == start {
                bytes.truncate(start);
                return Ok(());
            }
            list.push((path.to_string(), start..end));
            let full = bytes.len() >= PIECE;
            drop(batch);
            if full {
                self.flush();
            }
            return Ok(());
        }
        self.flush();
        let mut first = self.buffer(head.len().max(PIECE));
        first[..head.len()].copy_from_slice(head);
        let n = Self::fill(archive, &mut first, head.len())?;
        first.truncate(n);
        if n == 0 {
            return Ok(());
        }
        let mut sent = n as u64;
        if self.tx.send(Piece::Start(path.to_string())).is_err()
            || self.tx.send(Piece::Data(first)).is_err()
        {
            return Ok(());
        }
        while sent < self.files.max_file_bytes {
            let mut chunk = self.buffer(PIECE);
            let filled = Self::fill(archive, &mut chunk, 0)?;
            if filled == 0 {
                break;
            }
            chunk.truncate(filled);
            sent += filled as u64;
            if self.tx.send(Piece::Data(chunk)).is_err() {
                return Ok(());
            }
        }
        let _ = self.tx.send(Piece::End);
        Ok(())
    }
}

fn walk_entries(
    r: &mut dyn Read,
    facts: &mut LayerFacts,
    limits: &Limits,
    extra: &[String],
    sink: Option<&Sink<'_>>,
) -> Result<(), WalkError> {
    let mut archive = super::tar::Reader::new(r);
    let mut seen: HashSet<String> = HashSet::new();
    let mut count = 0u64;
    while let Some(header) = archive.next_entry()? {
        count += 1;
        if count > limits.max_entries {
            return Err(WalkError::Limit("entry count", limits.max_entries));
        }
        if header.name.len() > limits.max_path_len {
            return Err(WalkError::Limit(
                "entry path length",
                limits.max_path_len as u64,
            ));
        }
        let name = name_string(&header.name);
        let path = normalize_path(&name).unwrap_or_else(|| {
            // containerd clamps `..` at the root and writes the entry there (Docker's classic
            // store refuses the layer): judged where containerd puts it, so a setuid
            // `../usr/bin/x` cannot hide.
            let clamped = super::facts::clamp_path(&name);
            facts.warnings.push(format!(
                "layer {}: entry `{name}` climbs above the image root; judged at `{clamped}`, where containerd writes it",
                facts.index
            ));
            clamped
        });
        let (parent, base) = path.rsplit_once('/').unwrap_or(("", &path));
        let parent = if parent.is_empty() { "/" } else { parent };
        if base == ".wh..wh..opq" {
            facts.opaque_dirs.push(parent.to_string());
            continue;
        }
        if let Some(hidden) = base.strip_prefix(".wh.") {
            // containerd refuses a whiteout that names its own directory or a parent
            // (`.wh.`, `.wh..`, `.wh...`): "invalid whiteout name".
            if matches!(hidden, "" | "." | "..") {
                return Err(WalkError::Tar(super::tar::TarError::Unsupported(format!(
                    "invalid whiteout `{name}` (the runtime refuses this layer)"
                ))));
            }
            let target = if parent == "/" {
                format!("/{hidden}")
            } else {
                format!("{parent}/{hidden}")
            };
            facts.whiteouts.push(target);
            continue;
        }
        let kind = match header.typeflag {
            b'5' => EntryKind::Dir,
            b'2' => EntryKind::Symlink,
            b'1' => EntryKind::Hardlink,
            b'3' | b'4' | b'6' => EntryKind::Special,
            b'0' => EntryKind::File,
            other => {
                // containerd and moby fail on any other type ("unhandled tar header type").
                return Err(WalkError::Tar(super::tar::TarError::Unsupported(format!(
                    "`{name}` has type `{}` (the runtime refuses this layer)",
                    char::from(other).escape_default()
                ))));
            }
        };
        // Only the permission and special bits reach the filesystem (Go's FileInfo.Mode);
        // a negative base-256 value keeps its low bits, as the cast in Go does.
        #[allow(clippy::cast_sign_loss)]
        let mode = (header.mode as u64 & 0o7777) as u32;
        let uid = runtime_id(header.uid);
        let gid = runtime_id(header.gid);
        let size = if kind == EntryKind::File {
            header.size
        } else {
            0
        };
        let link = (kind == EntryKind::Symlink || kind == EntryKind::Hardlink)
            .then(|| name_string(&header.linkname));
        let capability = header
            .xattrs
            .iter()
            .find(|(k, _)| k == b"security.capability")
            .map(|(_, v)| v.clone());
        if !seen.insert(path.clone()) && kind != EntryKind::Dir {
            facts.warnings.push(format!(
                "layer {}: duplicate entry `{path}`; the later one wins",
                facts.index
            ));
        }
        let account_file = ACCOUNT_FILES.contains(&path.as_str()) || extra.contains(&path);
        if kind == EntryKind::File && (account_file || should_capture(&path)) {
            // Account files are read whole up to a larger bound: a uid-0 line past a short
            // cap must not go unseen.
            let cap = if account_file {
                limits.capture_bytes.max(ACCOUNT_CAPTURE)
            } else {
                limits.capture_bytes
            };
            let mut content = Vec::with_capacity(cap.min(usize::try_from(size).unwrap_or(cap)));
            let mut buf = [0u8; 8192];
            while content.len() < cap {
                let want = buf.len().min(cap - content.len());
                let n = archive.read_content(&mut buf[..want])?;
                if n == 0 {
                    break;
                }
                content.extend_from_slice(&buf[..n]);
            }
            if let Some(sink) = sink {
                // The captured head first, then the rest of the entry.
                sink.send(&path, size, &content, &mut archive)?;
            }
            facts.captured.insert(
                path.clone(),
                Captured {
                    truncated: size > cap as u64,
                    content,
                },
            );
        } else if kind == EntryKind::File
            && size > 0
            && let Some(sink) = sink
        {
            sink.send(&path, size, &[], &mut archive)?;
        }
        facts.entries.push(Entry {
            path,
            kind,
            mode,
            uid,
            gid,
            size,
            link,
            capability,
            layer: facts.index,
        });
    }
    // No end-of-archive marker: `umoci insert` writes such layers, and Go's reader, which
    // containerd uses, reads them the same way.
    if count > 0 && !archive.saw_trailer() {
        facts.warnings.push(format!(
            "layer {}: tar stream ends without padding after its last entry",
            facts.index
        ));
    }
    Ok(())
}

/// The owner the runtime gives a file for a tar id: `lchown` takes the id as a 32-bit
/// `uid_t`, and -1 (all ones) means "leave as is", which is root for a root-run unpacker.
fn runtime_id(id: i64) -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let id = id as u32;
    if id == u32::MAX { 0 } else { u64::from(id) }
}
