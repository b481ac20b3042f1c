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
pub mod image;
pub mod lint;
pub mod mapping;
pub mod records;
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
