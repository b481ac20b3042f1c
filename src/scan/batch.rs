//! Batch scans: enumerates registries (or ECR accounts), resolves every tag to its digest,
//! scans each digest once with layer facts shared through the layer cache, and emits one
//! [`Record`] per image to a sink. A state file makes a run resumable after any kill, a shard
//! takes one part of the work, and a per-image result cache makes a warm re-scan cheap.
//!
//! `hullscan registry` is a front end over [`run`]; `hullscan image` and the coming
//! `hullscan ecs` share the per-image path ([`crate::scan::image`]) and the caches.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use globset::GlobMatcher;

use super::cache::{CacheStats, LayerCache};
use super::records::{self, Record, Sink};
use super::scanner::{DigestScanner, Unit, failed, image_ref, posture_record};
use super::{Context as _, ScanError};
use crate::config::Config;
use crate::image::layer::Limits;
use crate::repository::Repository;
use crate::source::PlatformSel;
use crate::source::ecr::{self, Registry};
use crate::source::registry::{RegistryOptions, RegistryStore};

/// What a batch scans and how; the front end fills it from its arguments.
#[derive(Debug)]
pub struct BatchPlan {
    /// Registry hosts, `host/prefix`es, or ECR registry hosts.
    pub targets: Vec<String>,
    /// Only repositories matching one of these (none: all).
    pub repo_globs: Vec<GlobMatcher>,
    /// Only tags matching one of these (none: all).
    pub tag_globs: Vec<GlobMatcher>,
    /// Only the newest N images per repository.
    pub latest: Option<usize>,
    /// Only images pushed at or after this time (seconds since the epoch; ECR only).
    pub since: Option<i64>,
    /// Repositories to scan instead of the catalog's.
    pub repos: Option<Vec<String>>,
    /// This process's part: (K, N).
    pub shard: Option<(u32, u32)>,
    /// Persistent layer-facts cache, or `None` for this run only.
    pub cache_dir: Option<PathBuf>,
    /// Bound on the persistent cache's size in bytes.
    pub cache_max_size: u64,
    /// Completed images are recorded here; a run started again with it skips them.
    pub state: Option<PathBuf>,
    /// Entries per page when listing catalogs and tags.
    pub page_size: u32,
    /// Repositories scanned at once.
    pub jobs: usize,
    /// Platforms of multi-platform images.
    pub platforms: PlatformSel,
}

/// What a run reports while it works (a progress bar, or nothing).
pub trait BatchProgress: Sync {
    /// The work is planned: this many repositories.
    fn planned(&self, _repositories: usize) {}
    /// One repository is done.
    fn repository_done(&self) {}
    /// Records were emitted; `images` have been emitted so far.
    fn emitted(&self, _images: usize, _stats: &CacheStats) {}
    /// `n` more blob bytes were read (layers in flight), so a large layer shows progress.
    fn bytes(&self, _n: u64) {}
}

impl BatchProgress for () {}

/// Set (by the command line's Ctrl-C handler) to stop a batch: images in progress finish
/// and are recorded, nothing new starts, and the outcome says `interrupted`.
pub static INTERRUPTED: std::sync::LazyLock<Arc<std::sync::atomic::AtomicBool>> =
    std::sync::LazyLock::new(Arc::default);

fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// What a finished run produced.
#[derive(Debug)]
pub struct BatchOutcome {
    /// Stopped by [`INTERRUPTED`] before all work was done.
    pub interrupted: bool,
    /// Every record of the run (resumed ones included), sorted and deduplicated.
    pub records: Vec<Record>,
    /// How many came from the state file of an earlier run.
    pub resumed: usize,
    /// Images from the result cache, layers walked and from the cache, bytes fetched.
    pub images_cached: u64,
    /// Layers walked.
    pub layers_walked: u64,
    /// Layers from the cache.
    pub layers_cached: u64,
    /// Compressed bytes walked.
    pub bytes_walked: u64,
}

/// Runs a batch: records stream to `out` (and the state file) as images finish.
/// `registry_options` gives the connection settings for one registry host.
///
/// # Errors
/// When a target cannot be enumerated, the state file or output cannot be written, or the
/// options for a host are invalid. Single images that fail become records with `error` set.
pub fn run(
    plan: &BatchPlan,
    cfg: &Config,
    registry_options: &dyn Fn(&str) -> Result<RegistryOptions, ScanError>,
    out: Box<dyn Write + Send>,
    progress: &dyn BatchProgress,
) -> Result<BatchOutcome, ScanError> {
    // Resume: what the state file already holds is done, and is part of this run's output.
    let (sink, previous) = Sink::open(plan.state.as_deref(), out)?;
    let done: HashSet<(String, String)> = previous
        .iter()
        .map(|r| (r.repository.clone(), r.digest.clone()))
        .collect();

    let mut targets = Vec::new();
    let mut work: Vec<(usize, String)> = Vec::new();
    let mut matched = 0usize;
    for t in &plan.targets {
        let (target, repos) = enumerate(t, plan, registry_options)?;
        let host = target.host.clone();
        let repos: Vec<String> = repos
            .into_iter()
            .filter(|r| plan.repo_globs.is_empty() || plan.repo_globs.iter().any(|g| g.is_match(r)))
            .collect();
        matched += repos.len();
        work.extend(
            repos
                .into_iter()
                .filter(|r| {
                    plan.shard
                        .is_none_or(|(k, n)| records::shard_of(&format!("{host}/{r}"), n) == k)
                })
                .map(|r| (targets.len(), r)),
        );
        targets.push(target);
    }
    work.sort();
    work.dedup();
    // A batch that matches nothing must not pass CI as if it had scanned a clean registry.
    // (An empty shard of a registry that has repositories is fine: others have them.)
    if matched == 0 && previous.is_empty() {
        return Err(ScanError::Invalid(format!(
            "no repository of {} matches{}; nothing was scanned",
            plan.targets.join(", "),
            filters(plan)
        )));
    }
    progress.planned(work.len());

    // Without a persistent cache, layers are still walked once per run.
    let tmp = std::env::temp_dir().join(format!("hullscan-run-{}", std::process::id()));
    let cache = LayerCache::for_limits(plan.cache_dir.as_deref().unwrap_or(&tmp), &cfg.limits);
    let run = Run {
        targets,
        limits: cfg.limits.clone(),
        cache,
        done,
        plan,
        sink: Mutex::new(sink),
        progress,
        cfg,
    };
    // Records from the state file come first, so the output is the complete result set.
    if !previous.is_empty() {
        let mut sink = run.sink.lock().map_err(|_| poisoned())?;
        sink.replay(previous.clone())?;
    }

    let queue = Mutex::new(work.iter());
    let failure: Mutex<Option<ScanError>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..plan.jobs.max(1) {
            s.spawn(|| {
                loop {
                    if interrupted() {
                        break;
                    }
                    let next = queue.lock().ok().and_then(|mut q| q.next().cloned());
                    let Some((t, repo)) = next else { break };
                    if let Err(e) = run.repository(&run.targets[t], &repo) {
                        if let Ok(mut f) = failure.lock() {
                            f.get_or_insert(e);
                        }
                        break;
                    }
                    run.progress.repository_done();
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let sink = run.sink.into_inner().map_err(|_| poisoned())?;
    let mut records = sink.records;
    records::sort_dedup(&mut records);
    if interrupted() {
        return Ok(BatchOutcome {
            interrupted: true,
            records,
            resumed: previous.len(),
            images_cached: run.cache.stats.images.load(Ordering::Relaxed),
            layers_walked: run.cache.stats.walked.load(Ordering::Relaxed),
            layers_cached: run.cache.stats.hits.load(Ordering::Relaxed),
            bytes_walked: run.cache.stats.bytes.load(Ordering::Relaxed),
        });
    }
    if !work.is_empty()
        && !records
            .iter()
            .any(|r| !r.digest.is_empty() || r.error.is_some())
    {
        return Err(ScanError::Invalid(format!(
            "{} {} of {} matched, but no image{}; nothing was scanned",
            work.len(),
            if work.len() == 1 {
                "repository"
            } else {
                "repositories"
            },
            plan.targets.join(", "),
            filters(plan)
        )));
    }
    if let Some(dir) = &plan.cache_dir {
        match run.cache.evict(plan.cache_max_size) {
            Ok(0) => {}
            Ok(n) => tracing::info!(bytes = n, dir = %dir.display(), "cache entries evicted"),
            Err(e) => tracing::warn!(error = %e, "cache eviction failed"),
        }
    }
    let counters = &run.cache.stats;
    Ok(BatchOutcome {
        interrupted: false,
        records,
        resumed: previous.len(),
        images_cached: counters.images.load(Ordering::Relaxed),
        layers_walked: counters.walked.load(Ordering::Relaxed),
        layers_cached: counters.hits.load(Ordering::Relaxed),
        bytes_walked: counters.bytes.load(Ordering::Relaxed),
    })
}

/// The filters of a plan, as the user gave them, for messages (` (--repo a, --tag b)`).
fn filters(plan: &BatchPlan) -> String {
    let mut f: Vec<String> = Vec::new();
    f.extend(
        plan.repo_globs
            .iter()
            .map(|g| format!("--repo {}", g.glob())),
    );
    f.extend(plan.tag_globs.iter().map(|g| format!("--tag {}", g.glob())));
    if let Some(n) = plan.latest {
        f.push(format!("--latest {n}"));
    }
    if plan.since.is_some() {
        f.push("--since".into());
    }
    if let Some((k, n)) = plan.shard {
        f.push(format!("--shard {k}/{n}"));
    }
    if f.is_empty() {
        String::new()
    } else {
        format!(" ({})", f.join(", "))
    }
}

fn poisoned() -> ScanError {
    ScanError::Invalid("output lock poisoned".into())
}

/// Compares tags so version-like parts order numerically (`1.10` after `1.9`).
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |s: &str| -> Vec<(u64, String)> {
        let mut parts = Vec::new();
        let mut cur = String::new();
        let mut digits = false;
        for c in s.chars() {
            if c.is_ascii_digit() != digits && !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            digits = c.is_ascii_digit();
            cur.push(c);
        }
        parts.push(cur);
        parts
            .into_iter()
            .map(|p| (p.parse().unwrap_or(u64::MAX), p))
            .collect()
    };
    split(a).cmp(&split(b))
}

/// One registry of the run.
struct Target {
    host: String,
    opts: RegistryOptions,
    ecr: Option<Registry>,
    /// ECR repository settings by name, read once while enumerating.
    postures: BTreeMap<String, Repository>,
}

/// What every worker shares.
struct Run<'a> {
    targets: Vec<Target>,
    cfg: &'a Config,
    limits: Limits,
    cache: LayerCache,
    done: HashSet<(String, String)>,
    plan: &'a BatchPlan,
    sink: Mutex<Sink>,
    progress: &'a dyn BatchProgress,
}

/// Parses one TARGET and lists its repositories (under its prefix, if any).
fn enumerate(
    target: &str,
    plan: &BatchPlan,
    registry_options: &dyn Fn(&str) -> Result<RegistryOptions, ScanError>,
) -> Result<(Target, Vec<String>), ScanError> {
    let (host, prefix) = match target.split_once('/') {
        Some((h, p)) => (h.to_string(), Some(p.trim_end_matches('/').to_string())),
        None => (target.to_string(), None),
    };
    let opts = registry_options(&host)?;
    let ecr_reg = Registry::for_host(&host, &opts.ecr_hosts);
    if plan.since.is_some() && ecr_reg.is_none() {
        return Err(ScanError::Invalid(format!(
            "--since needs push dates, which only ECR reports; `{host}` is not an ECR registry"
        )));
    }
    let mut postures = BTreeMap::new();
    let mut repos: Vec<String> = if let Some(list) = &plan.repos {
        list.clone()
    } else if let Some(reg) = &ecr_reg {
        let repos = ecr::client()
            .and_then(|c| c.repositories(reg, &[]))
            .ctx(|| format!("listing the ECR repositories of `{host}`"))?;
        let names = repos.iter().map(|r| r.name.clone()).collect();
        postures = repos.into_iter().map(|r| (r.name.clone(), r)).collect();
        names
    } else {
        let store = RegistryStore::new(&image_ref(&host, ""), &opts)?;
        // The hint belongs to a missing catalog endpoint only, not to refused connections or
        // credentials.
        match store.catalog_paged(plan.page_size) {
            Ok(r) => r,
            Err(e @ crate::source::SourceError::NotFound(_)) => {
                return Err(e).ctx(|| {
                    format!("listing the repositories of `{host}` (a registry without a catalog needs --repos-from FILE)")
                });
            }
            Err(e) => return Err(e).ctx(|| format!("listing the repositories of `{host}`")),
        }
    };
    repos.retain(|r| {
        prefix
            .as_deref()
            .is_none_or(|p| r == p || r.starts_with(&format!("{p}/")))
    });
    Ok((
        Target {
            host,
            opts,
            ecr: ecr_reg,
            postures,
        },
        repos,
    ))
}

impl Run<'_> {
    /// Enumerates one repository's images, then scans those not yet done.
    fn repository(&self, t: &Target, repo: &str) -> Result<(), ScanError> {
        let name = format!("{}/{repo}", t.host);
        let store = RegistryStore::new(&image_ref(&t.host, repo), &t.opts)?;
        if let Some(p) = t.postures.get(repo)
            && !self.done.contains(&(name.clone(), String::new()))
            && let Some(r) = posture_record(&name, p, self.cfg)
        {
            self.emit(vec![r])?;
        }
        let units = match self.units(t, &store, repo) {
            Ok(u) => u,
            Err(e) => {
                // A repository that cannot be listed is a failed result, not the end of the run.
                return self.emit(vec![failed(
                    &name,
                    "",
                    Vec::new(),
                    &super::error_chain(e.as_ref()),
                )]);
            }
        };
        for unit in units {
            if interrupted() {
                break;
            }
            if self.done.contains(&(name.clone(), unit.digest.clone())) {
                continue;
            }
            let records = self.scanner().scan(&t.host, &store, repo, &unit);
            self.emit(records)?;
        }
        Ok(())
    }

    fn scanner(&self) -> DigestScanner<'_> {
        DigestScanner {
            cfg: self.cfg,
            limits: &self.limits,
            cache: &self.cache,
            platforms: &self.plan.platforms,
            progress: self.progress,
        }
    }

    fn emit(&self, records: Vec<Record>) -> Result<(), ScanError> {
        let mut sink = self.sink.lock().map_err(|_| poisoned())?;
        sink.emit(records)?;
        self.progress.emitted(sink.records.len(), &self.cache.stats);
        Ok(())
    }

    /// The repository's images: each digest once with all its tags, filtered.
    fn units(
        &self,
        t: &Target,
        store: &RegistryStore,
        repo: &str,
    ) -> Result<Vec<Unit>, Box<dyn std::error::Error + Send + Sync>> {
        let tag_ok = |t: &str| {
            !is_cosign_artifact(t)
                && (self.plan.tag_globs.is_empty()
                    || self.plan.tag_globs.iter().any(|g| g.is_match(t)))
        };
        let mut by_digest: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(reg) = &t.ecr {
            // DescribeImages gives digests, tags and push dates without a manifest fetch.
            let mut images = ecr::client().and_then(|c| c.images(reg, repo))?;
            images.retain(|i| {
                !i.tags.is_empty()
                    && i.tags.iter().any(|t| tag_ok(t))
                    && self
                        .plan
                        .since
                        .is_none_or(|s| i.pushed_at.is_some_and(|p| p >= s))
            });
            if let Some(n) = self.plan.latest {
                images.truncate(n);
            }
            for i in images {
                by_digest.insert(i.digest, i.tags);
            }
        } else {
            let mut tags = store.tags_paged(self.plan.page_size)?;
            tags.retain(|t| tag_ok(t));
            tags.sort_by(|a, b| natural_cmp(a, b));
            if let Some(n) = self.plan.latest {
                let skip = tags.len().saturating_sub(n);
                tags.drain(..skip);
            }
            for t in tags {
                let (bytes, _) = store.manifest(&t, self.limits.max_metadata_bytes)?;
                let digest = crate::image::layer::sha256_digest(&bytes);
                by_digest.entry(digest).or_default().push(t);
            }
        }
        Ok(by_digest
            .into_iter()
            .map(|(digest, mut tags)| {
                tags.sort();
                Unit { digest, tags }
            })
            .collect())
    }
}

/// Tags cosign stores next to an image (`sha256-<hex>.sig`, `.att`, `.sbom`): artifacts about
/// an image, not images to scan.
fn is_cosign_artifact(tag: &str) -> bool {
    tag.strip_prefix("sha256-")
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(hex, kind)| {
            hex.len() == 64
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
                && matches!(kind, "sig" | "att" | "sbom")
        })
}

/// Reads record files (shards, or runs to combine) and joins them: sorted, and the first
/// record of each image (in argument order) kept.
///
/// # Errors
/// When a file cannot be read.
pub fn merge(files: &[PathBuf]) -> Result<Vec<Record>, ScanError> {
    let mut records = Vec::new();
    for f in files {
        let (rs, _) = records::read_records(f).ctx(|| format!("reading `{}`", f.display()))?;
        records.extend(rs);
    }
    records::sort_dedup(&mut records);
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosign_artifacts_are_not_images() {
        let hex = "a".repeat(64);
        assert!(is_cosign_artifact(&format!("sha256-{hex}.sig")));
        assert!(is_cosign_artifact(&format!("sha256-{hex}.att")));
        assert!(!is_cosign_artifact("sha256-abc.sig"));
        assert!(!is_cosign_artifact("v1.sig"));
    }

    #[test]
    fn natural_order() {
        let mut t = vec!["1.10", "1.9", "latest", "1.2"];
        t.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(t, ["1.2", "1.9", "1.10", "latest"]);
    }
}
