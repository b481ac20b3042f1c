//! The scan engine: everything between a source and a report.
//!
//! ```text
//!  source ──► artifact ──► facts ──► rules ──► findings ──► engine ──► report
//! ```
//! [`image`] drives one image's layers through the walker (with the layer-facts [`cache`]),
//! [`lint`] runs the enabled rules on facts and applies what the user configured (levels,
//! pragmas, ignores, fingerprints), [`mapping`] points image findings at Dockerfile lines, and
//! [`batch`] plans and runs many images: units from an enumerated registry, each digest once,
//! result cache, resume state, shards, and the [`records`] they produce. The command line is a
//! thin front end over these: it parses arguments, shows progress and maps exit codes.

pub mod bases;
pub mod batch;
pub mod cache;
pub mod ecs;
pub mod image;
pub mod lint;
pub mod mapping;
pub mod records;
mod scanner;
pub mod single;
pub mod stream;

pub use image::{ImageError, scan, scan_cached, scan_with_progress};

/// A scan that could not go on; each variant names what failed. In batch scans, failures of
/// single images are not errors: they become records with `error` set.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// An operation failed; `context` says which.
    #[error("{context}")]
    With {
        /// What was being done.
        context: String,
        /// Why it failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The request cannot be carried out as given.
    #[error("{0}")]
    Invalid(String),
    /// A registry or image store could not be reached or read.
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
}

/// Adds what was being done to an error (ripgrep's `WithPath`, for any operation).
pub(crate) trait Context<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T, ScanError>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> Context<T> for Result<T, E> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T, ScanError> {
        self.map_err(|e| ScanError::With {
            context: context(),
            source: Box::new(e),
        })
    }
}

/// An error and its causes on one line (`context: cause: cause`), as `{e:#}` prints an
/// `anyhow` chain.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        let text = c.to_string();
        if !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = c.source();
    }
    parts.join(": ")
}

/// The run's secret settings from `[secrets]` (and `--secrets`): the fingerprint key and,
/// when enabled, how layer files are read. The second value is a warning to show when the
/// key could not be kept (fingerprints then differ between runs).
#[must_use]
pub fn secret_scan(
    cfg: &crate::config::SecretsConfig,
) -> (crate::secrets::SecretScan, Option<String>) {
    let (key, warning) = secrets_key();
    let files = cfg.enabled.then_some(crate::secrets::FileOptions {
        binaries: cfg.binaries,
        max_file_bytes: cfg.max_file_bytes,
    });
    (crate::secrets::SecretScan { key, files }, warning)
}

/// The key that fingerprints secrets: `HULLSCAN_SECRETS_KEY` (set it from a CI secret so
/// fingerprints agree between runners), else a random key kept owner-only in
/// `$XDG_CONFIG_HOME/hullscan/secrets.key` (`~/.config/…`), created on first use.
#[must_use]
pub fn secrets_key() -> (crate::secrets::Key, Option<String>) {
    use crate::secrets::Key;
    if let Some(k) = std::env::var_os("HULLSCAN_SECRETS_KEY").filter(|k| !k.is_empty()) {
        return (Key::derive(k.as_encoded_bytes()), None);
    }
    let dir = std::env::var_os("XDG_CONFIG_HOME")
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".config")))
        .map(|d| d.join("hullscan"));
    let random = || -> std::io::Result<[u8; 32]> {
        use std::io::Read as _;
        let mut b = [0u8; 32];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut b)?;
        Ok(b)
    };
    let kept = dir.as_ref().map(|d| load_or_create_key(d, &random));
    match kept {
        Some(Ok(material)) => (Key::derive(&material), None),
        other => {
            let why = match other {
                Some(Err(e)) => e.to_string(),
                _ => "no home directory".to_string(),
            };
            let material = random().unwrap_or_else(|_| {
                let t = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default();
                let mut b = [0u8; 32];
                b[..16].copy_from_slice(&t.to_le_bytes());
                b[16..20].copy_from_slice(&std::process::id().to_le_bytes());
                b
            });
            (
                Key::derive(&material),
                Some(format!(
                    "secret fingerprints use a one-off key ({why}); set HULLSCAN_SECRETS_KEY to keep them stable between runs"
                )),
            )
        }
    }
}

fn load_or_create_key(
    dir: &std::path::Path,
    random: &dyn Fn() -> std::io::Result<[u8; 32]>,
) -> std::io::Result<Vec<u8>> {
    use std::io::Write as _;
    use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
    let path = dir.join("secrets.key");
    match std::fs::read(&path) {
        Ok(b) if b.len() >= 16 => return Ok(b),
        Ok(_) => {
            return Err(std::io::Error::other(format!(
                "{} is shorter than 16 bytes",
                path.display()
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let material = random()?;
    let tmp = dir.join(format!(".secrets.key.{}", std::process::id()));
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(&material)?;
        f.sync_all()?;
    }
    // Another process may have won the race: its key is the one to use.
    if let Err(e) = std::fs::hard_link(&tmp, &path) {
        let _ = std::fs::remove_file(&tmp);
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            return Err(e);
        }
        return std::fs::read(&path);
    }
    let _ = std::fs::remove_file(&tmp);
    Ok(material.to_vec())
}
