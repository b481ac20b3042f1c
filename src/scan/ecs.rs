//! Task definitions joined with the images they run. Every image reference is resolved to
//! its digest and each digest is scanned once, as `hullscan registry` scans (result and layer
//! caches, a state file to resume from, shards by repository); then each container is judged
//! as it will run. The effective user is the task definition's `user` when set, else the
//! image's, so TD003 and IC001 become one finding naming both places; a read-only root
//! filesystem makes world-writable files (FS009) a note; TD017 checks the shells the
//! container's process and health check need against the image.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::Mutex;

use crate::config::Config;
use crate::ecs::{Container, Launch, TaskDefinition};
use crate::image::layer::Limits;
use crate::reference::ImageRef;
use crate::report::ScannedImage;
use crate::rules::{Finding, Level, RuleId};
use crate::source::PlatformSel;
use crate::source::ecr::{self, Registry};
use crate::source::registry::{RegistryOptions, RegistryStore};

use super::ScanError;
use super::batch::BatchProgress;
use super::cache::LayerCache;
use super::lint;
use super::records::{self, Record, Sink};
use super::scanner::{DigestScanner, Unit, image_ref, posture_record};

/// The images the containers run that can be pulled as written (no template variable).
#[must_use]
pub fn images(tds: &[TaskDefinition]) -> BTreeSet<String> {
    tds.iter()
        .flat_map(|td| &td.containers)
        .filter_map(|c| c.image.clone())
        .filter(|i| pullable(i).is_some())
        .collect()
}

/// An image as a task definition names it, parsed, when it can be pulled as written.
fn pullable(image: &str) -> Option<ImageRef> {
    if image.contains('$') || image.contains("{{") || image.is_empty() {
        return None;
    }
    ImageRef::parse(image)
}

/// How to reach the images, and how the work is kept and split.
pub struct Pull<'a> {
    /// Walker limits.
    pub limits: &'a Limits,
    /// Registry connection settings.
    pub registry: &'a RegistryOptions,
    /// Layer facts and results.
    pub cache: &'a LayerCache,
    /// Completed images are recorded here; a run started again with it skips them.
    pub state: Option<&'a Path>,
    /// This process's part of the repositories: (K, N).
    pub shard: Option<(u32, u32)>,
    /// Repositories worked on at once.
    pub jobs: usize,
    /// Progress of the scans.
    pub progress: &'a dyn BatchProgress,
}

/// The images the task definitions run, scanned (or resumed from the state file).
#[derive(Debug, Default)]
pub struct Images {
    /// (Container image as written, platform) → `host/repository@digest`, the reference
    /// scanned for it.
    pub resolved: BTreeMap<(String, String), String>,
    /// One record per image and platform the containers run (and per ECR repository of
    /// theirs whose settings have findings).
    pub records: Vec<Record>,
    /// Images that could not be resolved or scanned, and skipped checks, one line each.
    pub warnings: Vec<String>,
    /// Records that came from the state file.
    pub resumed: usize,
    /// Repositories left to other shards.
    pub other_shards: usize,
}

/// One repository's references: `(as written, tag, digest, platform)`.
type Refs = Vec<(String, Option<String>, Option<String>, &'static str)>;

/// The record that answers for `digest` of `name` on `platform`: the platform's, or the only
/// one of an image that is not an index (whatever platform it says it is for).
fn record_for<'r>(
    records: &'r [Record],
    name: &str,
    digest: &str,
    platform: &str,
) -> Option<&'r Record> {
    records.iter().find(|r| {
        r.error.is_none()
            && r.repository == name
            && r.digest == digest
            && (r.platform == platform || r.manifest_digest.is_none())
    })
}

/// Resolves every image the task definitions run to its digest and scans each digest once.
/// An image that cannot be resolved or scanned is a warning: its task definitions' findings
/// stand on their own.
///
/// # Errors
/// When the state file cannot be read or written.
pub fn scan_images(
    tds: &[TaskDefinition],
    pull: &Pull<'_>,
    cfg: &Config,
) -> Result<Images, ScanError> {
    let (sink, previous) = Sink::open(pull.state, Box::new(std::io::sink()))?;
    let mut repos: BTreeMap<(String, String), Refs> = BTreeMap::new();
    let wanted: BTreeSet<(String, &'static str)> = tds
        .iter()
        .flat_map(|td| {
            let p = td.platform();
            td.containers
                .iter()
                .filter_map(move |c| c.image.clone().map(|i| (i, p)))
        })
        .collect();
    for (image, platform) in wanted {
        let Some(r) = pullable(&image) else {
            continue;
        };
        repos
            .entry((r.registry.clone(), r.repository.clone()))
            .or_default()
            .push((image, r.tag, r.digest, platform));
    }
    let total = repos.len();
    repos.retain(|(host, repo), _| {
        pull.shard
            .is_none_or(|(k, n)| records::shard_of(&format!("{host}/{repo}"), n) == k)
    });
    let work = Work {
        pull,
        cfg,
        previous: &previous,
        sink: Mutex::new(sink),
        resolved: Mutex::new(BTreeMap::new()),
        warnings: Mutex::new(Vec::new()),
    };
    let queue = Mutex::new(repos.iter());
    let failure: Mutex<Option<ScanError>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..pull.jobs.clamp(1, 64) {
            s.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.next());
                    let Some(((host, repo), refs)) = next else {
                        break;
                    };
                    if let Err(e) = work.repository(host, repo, refs) {
                        if let Ok(mut f) = failure.lock() {
                            f.get_or_insert(e);
                        }
                        break;
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    let poisoned = || ScanError::Invalid("image scan lock poisoned".into());
    let sink = work.sink.into_inner().map_err(|_| poisoned())?;
    let resolved = work.resolved.into_inner().map_err(|_| poisoned())?;
    let mut warnings = work.warnings.into_inner().map_err(|_| poisoned())?;
    let previous_keys: HashSet<(String, String, String)> =
        previous.iter().map(Record::key).collect();
    let mut all = sink.records;
    all.extend(previous);
    records::sort_dedup(&mut all);
    // Only what these task definitions run: a state file may hold more (a merged one).
    let mut keep: Vec<Record> = Vec::new();
    let mut kept: HashSet<(String, String, String)> = HashSet::new();
    for ((_, platform), reference) in &resolved {
        let Some((name, digest)) = reference.split_once('@') else {
            continue;
        };
        match record_for(&all, name, digest, platform) {
            Some(r) => {
                if kept.insert(r.key()) {
                    keep.push(r.clone());
                }
            }
            None => {
                if let Some(r) = all
                    .iter()
                    .find(|r| r.reference == *reference && r.error.is_some())
                {
                    warnings.push(format!(
                        "image `{}` could not be scanned ({}); its task definitions are judged without it (--no-images skips image scans)",
                        r.reference,
                        r.error.as_deref().unwrap_or_default()
                    ));
                }
            }
        }
    }
    let repositories: BTreeSet<String> = keep.iter().map(|r| r.repository.clone()).collect();
    keep.extend(
        all.iter()
            .filter(|r| r.digest.is_empty() && repositories.contains(&r.repository))
            .cloned(),
    );
    records::sort_dedup(&mut keep);
    let resumed = keep
        .iter()
        .filter(|r| previous_keys.contains(&r.key()))
        .count();
    warnings.sort();
    warnings.dedup();
    Ok(Images {
        resolved,
        records: keep,
        warnings,
        resumed,
        other_shards: total - repos.len(),
    })
}

/// What the workers share.
struct Work<'a> {
    pull: &'a Pull<'a>,
    cfg: &'a Config,
    /// The state file's records: done.
    previous: &'a [Record],
    sink: Mutex<Sink>,
    resolved: Mutex<BTreeMap<(String, String), String>>,
    warnings: Mutex<Vec<String>>,
}

impl Work<'_> {
    fn warn(&self, w: String) {
        if let Ok(mut ws) = self.warnings.lock() {
            ws.push(w);
        }
    }

    fn emit(&self, batch: Vec<Record>) -> Result<(), ScanError> {
        let mut sink = self
            .sink
            .lock()
            .map_err(|_| ScanError::Invalid("image scan lock poisoned".into()))?;
        // Failures are not recorded as done: a resumed run tries them again.
        let (ok, failed): (Vec<Record>, Vec<Record>) =
            batch.into_iter().partition(|r| r.error.is_none());
        sink.emit(ok)?;
        sink.records.extend(failed);
        Ok(())
    }

    /// One repository: its ECR settings, each reference resolved to a digest, each digest
    /// not yet done scanned.
    fn repository(&self, host: &str, repo: &str, refs: &Refs) -> Result<(), ScanError> {
        let name = format!("{host}/{repo}");
        let store = match RegistryStore::new(&image_ref(host, repo), self.pull.registry) {
            Ok(s) => s,
            Err(e) => {
                self.warn(format!("`{name}`: {e}; its images were not scanned"));
                return Ok(());
            }
        };
        self.posture(host, repo, &name)?;
        let mut units: BTreeMap<(String, &'static str), BTreeSet<String>> = BTreeMap::new();
        for (image, tag, digest, platform) in refs {
            let digest = if let Some(d) = digest {
                d.clone()
            } else {
                let tag = tag.as_deref().unwrap_or("latest");
                match store.manifest(tag, self.pull.limits.max_metadata_bytes) {
                    Ok((bytes, _)) => crate::image::layer::sha256_digest(&bytes),
                    Err(e) => {
                        self.warn(format!(
                            "image `{image}` could not be resolved ({}); its task definitions are judged without it (--no-images skips image scans)",
                            super::error_chain(&e)
                        ));
                        continue;
                    }
                }
            };
            let tags = units.entry((digest.clone(), platform)).or_default();
            tags.extend(tag.clone());
            if let Ok(mut r) = self.resolved.lock() {
                r.insert(
                    (image.clone(), (*platform).to_string()),
                    format!("{name}@{digest}"),
                );
            }
        }
        // This repository's records of this run: only this thread adds them.
        let mut this_run: Vec<Record> = Vec::new();
        for ((digest, platform), tags) in units {
            if record_for(&this_run, &name, &digest, platform).is_some()
                || record_for(self.previous, &name, &digest, platform).is_some()
            {
                continue;
            }
            // The platform the task runs, whatever machine runs the scan.
            let platforms = PlatformSel::One(platform.to_string());
            let scanner = DigestScanner {
                cfg: self.cfg,
                limits: self.pull.limits,
                cache: self.pull.cache,
                platforms: &platforms,
                progress: self.pull.progress,
            };
            let unit = Unit {
                digest,
                tags: tags.into_iter().collect(),
            };
            // An image that is not an index answers for every platform: one record.
            let fresh: Vec<Record> = scanner
                .scan(host, &store, repo, &unit)
                .into_iter()
                .filter(|r| !this_run.iter().any(|s| s.key() == r.key()))
                .collect();
            this_run.extend(fresh.iter().cloned());
            self.emit(fresh)?;
        }
        Ok(())
    }

    /// RG001–RG003 on the settings of an ECR image's repository; not readable (a missing
    /// `ecr:DescribeRepositories`) is a warning.
    fn posture(&self, host: &str, repo: &str, name: &str) -> Result<(), ScanError> {
        if !self.cfg.enabled.iter().any(|r| r.is_repository())
            || self
                .previous
                .iter()
                .any(|r| r.repository == name && r.digest.is_empty())
        {
            return Ok(());
        }
        let Some(reg) = Registry::for_host(host, &self.pull.registry.ecr_hosts) else {
            return Ok(());
        };
        match ecr::client().and_then(|c| c.repositories(&reg, &[repo.to_string()])) {
            Ok(found) => {
                let records: Vec<Record> = found
                    .iter()
                    .filter_map(|p| posture_record(name, p, self.cfg))
                    .collect();
                self.emit(records)?;
            }
            Err(e) => self.warn(format!(
                "ECR repository checks (RG001-RG003) skipped for `{name}`: {e}"
            )),
        }
        Ok(())
    }
}

impl Images {
    /// The record of the image a container of `td` runs, when it was scanned.
    #[must_use]
    pub fn record(&self, td: &TaskDefinition, c: &Container) -> Option<&Record> {
        let image = c.image.as_deref()?;
        let platform = td.platform();
        let reference = self
            .resolved
            .get(&(image.to_string(), platform.to_string()))?;
        let (name, digest) = reference.split_once('@')?;
        record_for(&self.records, name, digest, platform)
    }

    /// The images scanned, as a report lists them.
    #[must_use]
    pub fn scanned(&self) -> Vec<ScannedImage> {
        self.records
            .iter()
            .filter(|r| r.error.is_none() && !r.digest.is_empty())
            .map(|r| ScannedImage {
                reference: shown(r),
                source: "registry".into(),
                platform: r.platform.clone(),
                manifest_digest: Some(r.manifest_digest.clone().unwrap_or(r.digest.clone())),
                layers: r.layers.len(),
                files: usize::try_from(r.files).unwrap_or(usize::MAX),
                bytes: r.size,
                layer_digests: r.layers.clone(),
            })
            .collect()
    }

    /// Repository paths of the images (SARIF locations).
    #[must_use]
    pub fn repo_paths(&self) -> BTreeMap<String, String> {
        self.records
            .iter()
            .map(|r| (shown(r), format!("image/{}", r.repository)))
            .collect()
    }
}

/// How an image record is named in a report: its reference, and the platform when it was
/// chosen from an index (two platforms of one image are two images).
fn shown(r: &Record) -> String {
    if r.manifest_digest.is_some() {
        format!("{} ({})", r.reference, r.platform)
    } else {
        r.reference.clone()
    }
}

/// Joins task definition findings (`findings`) with the scanned images, in place: TD003 for
/// a container without `user` becomes an error when its image runs as root and goes away when
/// the image sets a user; IC001 of an image that task definitions run is replaced by their
/// TD003 judgement; FS009 is a note when every container running the image has a read-only
/// root filesystem; TD017 runs on each container with its image. Each container is judged
/// against the platform its task runs (`runtimePlatform.cpuArchitecture`). `repo_paths` maps
/// a task definition's file to its repository path (fingerprints). Returns the findings to
/// report beside the task definitions': TD017, the images', their ECR repositories'.
#[must_use]
pub fn join(
    tds: &[TaskDefinition],
    findings: &mut Vec<Finding>,
    images: &Images,
    cfg: &Config,
    repo_paths: &BTreeMap<String, String>,
) -> Vec<Finding> {
    let mut drop: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    // Which containers run each record (by index), for FS009.
    let mut users: BTreeMap<usize, Vec<&Container>> = BTreeMap::new();
    for td in tds {
        let repo_path = repo_paths.get(&td.file).unwrap_or(&td.file);
        for c in &td.containers {
            let Some(record) = images.record(td, c) else {
                // The image was not scanned (not pullable as written, or its scan failed): the
                // user stays unknown, and the note says how to find out.
                if let Some(image) = c.image.as_deref() {
                    let anchor = format!("task {} {}", td.name, c.pointer);
                    if let Some(f) = findings
                        .iter_mut()
                        .find(|f| f.rule == RuleId::TD003 && f.anchor == anchor)
                    {
                        f.message = f.message.replace(
                            "unknown until the image is scanned (`hullscan ecs` without `--no-images`, or `hullscan scan IMAGE`)",
                            &format!(
                                "unknown: its image `{image}` was not scanned (see the warnings; `hullscan scan IMAGE` tells)"
                            ),
                        );
                    }
                }
                continue;
            };
            if let Some(i) = images.records.iter().position(|r| std::ptr::eq(r, record)) {
                users.entry(i).or_default().push(c);
            }
            let image = c.image.as_deref().unwrap_or_default();
            if let Some(exec) = &record.exec {
                let launch = Launch {
                    td,
                    container: c,
                    image,
                    exec,
                };
                out.extend(lint::lint_launch(&launch, cfg, repo_path));
            }
            if c.user.is_some() || c.has("user") {
                continue;
            }
            let anchor = format!("task {} {}", td.name, c.pointer);
            let Some(i) = findings
                .iter()
                .position(|f| f.rule == RuleId::TD003 && f.anchor == anchor)
            else {
                continue;
            };
            match record.findings.iter().find(|f| f.rule == "IC001") {
                Some(root) => {
                    let f = &mut findings[i];
                    f.message = format!(
                        "{} sets no `user` and its image `{image}` runs as root ({})",
                        crate::rules::ecs::who(td, c),
                        root.message
                    );
                    if f.level < Level::Error {
                        f.level = RuleId::TD003.meta().grade("root");
                    }
                    f.evidence.insert("image".into(), image.to_string());
                }
                None => {
                    drop.insert(anchor);
                }
            }
        }
    }
    findings.retain(|f| !(f.rule == RuleId::TD003 && drop.contains(&f.anchor)));
    for (i, r) in images.records.iter().enumerate() {
        if r.digest.is_empty() {
            // The settings of the images' ECR repositories.
            out.extend(r.to_report().findings);
            continue;
        }
        let Some(running) = users.get(&i) else {
            continue;
        };
        let read_only = running.iter().all(|c| c.readonly_root == Some(true));
        let mut report = r.to_report();
        for f in &mut report.findings {
            if let crate::rules::finding::Location::Image { image, .. } = &mut f.location {
                *image = shown(r);
            }
        }
        for mut f in report.findings {
            // The task definitions' TD003 judges the user the container runs as.
            if f.rule == RuleId::IC001 {
                continue;
            }
            if f.rule == RuleId::FS009 && read_only {
                f.level = Level::Note;
                f.message
                    .push_str("; the task definitions mount the root filesystem read-only");
            }
            out.push(f);
        }
    }
    out
}
