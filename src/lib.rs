//! hullscan: a container image hardening scanner.
//!
//! The flow runs one way (`docs/architecture.md` draws it):
//!
//! ```text
//!  source ──► artifact ──► facts ──► rules ──► findings ──► engine ──► report
//! ```
//! - [`source`]: where bytes come from (registries with ECR, OCI layouts, archives).
//! - [`dockerfile`], [`image`]: the artifacts (a parsed Dockerfile; an image's config and
//!   layer descriptors) and the facts derived from them (the layer walker, the merged
//!   filesystem view); [`repository`] holds ECR repository settings as facts.
//! - [`rules`]: pure functions over facts, with metadata from `rules/*.toml`, the single
//!   source for SARIF, `hullscan rules` and the docs; [`rules::Settings`] are their knobs.
//! - [`scan`]: the engine. It drives one image or many (caches, resume, shards), applies the
//!   [`config`] (levels, pragmas, ignores), maps image findings to Dockerfile lines, and
//!   fingerprints.
//! - [`report`]: human, JSON, SARIF and GitHub writers over one sorted model.
//!
//! The binary's `cli` module only parses arguments, shows progress and maps exit codes.

pub mod config;
pub mod dockerfile;
pub mod docs;
pub mod ecs;
pub mod image;
pub mod reference;
pub mod report;
pub mod repository;
pub mod rules;
pub mod scan;
pub mod secrets;
pub mod source;
pub mod units;

/// Where the project lives; rule docs links point into it.
pub const REPOSITORY: &str = "https://github.com/hullscan/hullscan";

/// This build's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
