//! hullscan: a container image hardening scanner.
//!
//! The flow runs one way: a *source* yields an *artifact* (today a parsed Dockerfile), pure
//! *rules* turn it into *findings*, the *engine* applies configuration (levels, pragmas,
//! ignores) and fingerprints, and a *report* writer renders them. Rule metadata lives in
//! `rules/*.toml` and is the single source for SARIF, `hullscan rules` and the docs.

pub mod batch;
pub mod config;
pub mod dockerfile;
pub mod docs;
pub mod ecr;
pub mod image;
pub mod lint;
pub mod reference;
pub mod report;
pub mod rules;
pub mod source;

/// Where the project lives; rule docs links point into it.
pub const REPOSITORY: &str = "https://github.com/hullscan/hullscan";

/// This build's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
