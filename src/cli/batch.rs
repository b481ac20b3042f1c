//! `hullscan registry TARGET`: enumerates a registry (or an ECR account), resolves every tag to
//! its digest, scans each digest once with layer facts shared through the layer cache, and
//! streams one JSON line per image. `--state` makes a run resumable after any kill, `--shard`
//! splits the work between processes, and `hullscan merge` joins their outputs.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result, bail};
use clap::Args;
use globset::GlobMatcher;

use super::{FailOn, RegistryArgs};
use hullscan::batch::{self, Record, RecordFinding};
use hullscan::config::Config;
use hullscan::ecr::{self, Registry};
use hullscan::image::cache::LayerCache;
use hullscan::image::layer::Limits;
use hullscan::lint;
use hullscan::reference::ImageRef;
use hullscan::rules::Level;
use hullscan::source::registry::{RegistryOptions, RegistryStore};
use hullscan::source::{BlobStore as _, PlatformSel};

// Command-line flags are booleans by nature.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Args)]
pub(crate) struct RegistryScanArgs {
    /// Registry hosts (`registry.example.com:5000`), host and repository prefixes
    /// (`host/team`), or ECR registry hosts (several accounts and regions in one run).
    #[arg(value_name = "TARGET", required = true)]
    targets: Vec<String>,
    /// Only repositories matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    repo: Vec<String>,
    /// Only tags matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    tag: Vec<String>,
    /// Only the newest N images per repository (ECR push dates; elsewhere the last N tags in
    /// version order).
    #[arg(long, value_name = "N")]
    latest: Option<usize>,
    /// Only images pushed on or after this date (YYYY-MM-DD; ECR).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Repositories to scan, one per line, for registries without a catalog (Docker Hub).
    #[arg(long, value_name = "FILE")]
    repos_from: Option<PathBuf>,
    /// This process's part of the work: K/N (0-based), or auto/N to read K from
    /// `JOB_COMPLETION_INDEX` (Kubernetes) or `AWS_BATCH_JOB_ARRAY_INDEX` (AWS Batch).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Layer-facts cache directory [default: `$XDG_CACHE_HOME/hullscan` or `~/.cache/hullscan`].
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    cache: Option<PathBuf>,
    /// Keep layer facts for this run only.
    #[arg(long)]
    no_cache: bool,
    /// Bound on the cache's size in bytes; least recently used entries go first.
    #[arg(long, value_name = "BYTES", default_value_t = 10 << 30)]
    cache_max_size: u64,
    /// Record completed images here; a run started again with it skips them. In this and the
    /// other output paths, `{shard}` stands for the shard number K.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Entries per page when listing catalogs and tags.
    #[arg(long, value_name = "N", default_value_t = 1000, hide = true)]
    page_size: u32,
    /// Repositories scanned at once.
    #[arg(long, value_name = "N", default_value_t = 2)]
    jobs: usize,
    /// Platform of multi-platform images [default: the host's, else linux/amd64].
    #[arg(long, value_name = "PLATFORM", conflicts_with = "all_platforms")]
    platform: Option<String>,
    /// Scan every platform of multi-platform images.
    #[arg(long)]
    all_platforms: bool,
    #[command(flatten)]
    out: BatchOutput,
    #[command(flatten)]
    config: super::ConfigArgs,
    /// No summary or warnings on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// More logging on stderr.
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// Where batch results go and when they fail the run.
#[derive(Debug, Args)]
struct BatchOutput {
    /// Write the JSON Lines results to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write SARIF (one run per image) to FILE.
    #[arg(long, value_name = "FILE")]
    sarif: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this level [default: error, or `fail-on` in the config].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// JSON Lines files written by `hullscan registry` (shards, or runs to combine).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    out: BatchOutput,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// Parses `K/N` or `auto/N`.
fn parse_shard(s: &str) -> Result<(u32, u32)> {
    let (k, n) = s
        .split_once('/')
        .with_context(|| format!("--shard `{s}`: expected K/N or auto/N"))?;
    let n: u32 = n
        .parse()
        .ok()
        .filter(|&n| n > 0)
        .with_context(|| format!("--shard `{s}`: N must be a positive number"))?;
    let k: u32 = if k == "auto" {
        let (var, v) = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"]
            .iter()
            .find_map(|v| std::env::var(v).ok().map(|x| (*v, x)))
            .with_context(|| {
                format!("--shard `{s}`: neither JOB_COMPLETION_INDEX nor AWS_BATCH_JOB_ARRAY_INDEX is set")
            })?;
        v.trim()
            .parse()
            .with_context(|| format!("--shard auto: {var}=`{v}` is not a number"))?
    } else {
        k.parse()
            .with_context(|| format!("--shard `{s}`: K must be a number"))?
    };
    if k >= n {
        bail!("--shard {k}/{n}: K must be below N (0-based)");
    }
    Ok((k, n))
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

/// One image to scan: a digest and every tag pointing at it.
struct Unit {
    digest: String,
    tags: Vec<String>,
}

/// One registry of the run.
struct Target {
    host: String,
    opts: RegistryOptions,
    ecr: Option<Registry>,
    /// ECR repository settings by name, read once while enumerating.
    postures: BTreeMap<String, ecr::Repository>,
}

/// What every worker shares.
struct Run<'a> {
    targets: Vec<Target>,
    cfg: Config,
    limits: Limits,
    platforms: PlatformSel,
    cache: LayerCache,
    done: HashSet<(String, String)>,
    tag_globs: Vec<GlobMatcher>,
    args: &'a RegistryScanArgs,
    since: Option<i64>,
    sink: Mutex<Sink>,
    bar: indicatif::ProgressBar,
}

/// Where finished records go: the state file first (synced), then the output.
struct Sink {
    state: Option<std::fs::File>,
    out: Box<dyn Write + Send>,
    records: Vec<Record>,
}

impl Sink {
    fn emit(&mut self, batch: Vec<Record>) -> Result<()> {
        // All records of one image reach the state file in one write and one sync, so a kill
        // leaves either all of them or an incomplete last line, which is ignored on resume.
        let mut buf = Vec::new();
        for r in &batch {
            batch::write_record(r, &mut buf)?;
        }
        if let Some(f) = &mut self.state {
            f.write_all(&buf).context("writing the state file")?;
            f.sync_data().context("syncing the state file")?;
        }
        self.out.write_all(&buf).context("writing results")?;
        self.out.flush().context("writing results")?;
        self.records.extend(batch);
        Ok(())
    }
}

pub(crate) fn run(args: &RegistryScanArgs) -> Result<u8> {
    let cfg = args.config.load()?;
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let since = match &args.since {
        Some(d) => {
            let (y, m, day) = hullscan::config::parse_date(d)
                .with_context(|| format!("--since `{d}`: expected YYYY-MM-DD"))?;
            Some(hullscan::config::days_from_civil(y, m, day) * 86_400)
        }
        None => None,
    };
    let repo_globs = super::globs(&args.repo, "--repo")?;
    let tag_globs = super::globs(&args.tag, "--tag")?;
    let platforms = match (&args.platform, args.all_platforms) {
        (_, true) => PlatformSel::All,
        (Some(p), false) => PlatformSel::One(p.clone()),
        (None, false) => PlatformSel::Default,
    };

    // Resume: what the state file already holds is done, and is part of this run's output.
    let mut previous = Vec::new();
    let mut state = None;
    // `{shard}` in output paths becomes K, for engines that cannot expand variables in a
    // command (AWS Batch, a scratch image without a shell).
    let shard_path = |p: &Option<PathBuf>| {
        p.as_ref().map(|p| {
            let k = shard.map_or_else(|| "0".to_string(), |(k, _)| k.to_string());
            PathBuf::from(p.to_string_lossy().replace("{shard}", &k))
        })
    };
    let (state_path, output_path, sarif_path) = (
        shard_path(&args.state),
        shard_path(&args.out.output),
        shard_path(&args.out.sarif),
    );
    if let Some(p) = &state_path {
        if p.exists() {
            let (records, good) = batch::read_records(p)
                .with_context(|| format!("reading the state file `{}`", p.display()))?;
            previous = records;
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(p)
                .with_context(|| format!("opening `{}`", p.display()))?;
            // Drop a line cut short by a kill before appending.
            f.set_len(good)
                .with_context(|| format!("truncating `{}`", p.display()))?;
        }
        state = Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .with_context(|| format!("opening the state file `{}`", p.display()))?,
        );
    }
    let done: HashSet<(String, String)> = previous
        .iter()
        .map(|r| (r.repository.clone(), r.digest.clone()))
        .collect();

    let mut targets = Vec::new();
    let mut work: Vec<(usize, String)> = Vec::new();
    for t in &args.targets {
        let (target, repos) = enumerate(t, args, &cfg)?;
        let host = target.host.clone();
        work.extend(
            repos
                .into_iter()
                .filter(|r| repo_globs.is_empty() || repo_globs.iter().any(|g| g.is_match(r)))
                .filter(|r| {
                    shard.is_none_or(|(k, n)| batch::shard_of(&format!("{host}/{r}"), n) == k)
                })
                .map(|r| (targets.len(), r)),
        );
        targets.push(target);
    }
    work.sort();
    work.dedup();

    let out: Box<dyn Write + Send> = match &output_path {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating `{}`", p.display()))?,
        )),
        None => Box::new(std::io::stdout()),
    };
    let bar = progress_bar(args.quiet, work.len());
    let cache_dir = match (&args.cache, args.no_cache) {
        (_, true) => None,
        (Some(d), false) => Some(d.clone()),
        (None, false) => LayerCache::default_dir(),
    };
    // Without a persistent cache, layers are still walked once per run.
    let tmp = std::env::temp_dir().join(format!("hullscan-run-{}", std::process::id()));
    let cache = LayerCache::new(cache_dir.as_deref().unwrap_or(&tmp));
    let limits = cfg.limits.clone();
    let run = Run {
        targets,
        limits,
        platforms,
        cache,
        done,
        tag_globs,
        args,
        since,
        sink: Mutex::new(Sink {
            state,
            out,
            records: Vec::new(),
        }),
        bar,
        cfg,
    };
    // Records from the state file come first, so the output is the complete result set.
    if !previous.is_empty() {
        let mut sink = run
            .sink
            .lock()
            .map_err(|_| anyhow::anyhow!("output lock poisoned"))?;
        let state = sink.state.take();
        sink.emit(previous.clone())?;
        sink.state = state;
    }

    let queue = Mutex::new(work.iter());
    let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..args.jobs.max(1) {
            s.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.next().cloned());
                    let Some((t, repo)) = next else { break };
                    if let Err(e) = run.repository(&run.targets[t], &repo) {
                        if let Ok(mut f) = failure.lock() {
                            f.get_or_insert(e);
                        }
                        break;
                    }
                    run.bar.inc(1);
                }
            });
        }
    });
    run.bar.finish_and_clear();
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let sink = run
        .sink
        .into_inner()
        .map_err(|_| anyhow::anyhow!("output lock poisoned"))?;
    let mut records = sink.records;
    batch::sort_dedup(&mut records);
    let counters = &run.cache.stats;
    if let Some(dir) = &cache_dir {
        match run.cache.evict(args.cache_max_size) {
            Ok(0) => {}
            Ok(n) => tracing::info!(bytes = n, dir = %dir.display(), "cache entries evicted"),
            Err(e) => tracing::warn!(error = %e, "cache eviction failed"),
        }
    }
    if !args.quiet {
        eprintln!(
            "{}images from the result cache: {}; layers: {} walked, {} from cache, {} fetched",
            batch::summary(&records, previous.len()),
            counters.images.load(Ordering::Relaxed),
            counters.walked.load(Ordering::Relaxed),
            counters.hits.load(Ordering::Relaxed),
            hullscan::rules::image::ly001_oversized_layer::mib(
                counters.bytes.load(Ordering::Relaxed)
            ),
        );
    }
    finish(
        &records,
        sarif_path.as_deref(),
        super::fail_on(args.out.fail_on, &run.cfg),
    )
}

/// Writes SARIF if asked and returns the exit code: 2 if any image failed, else by `fail_on`.
fn finish(records: &[Record], sarif: Option<&Path>, fail_on: FailOn) -> Result<u8> {
    if let Some(p) = sarif {
        let reports: Vec<_> = records.iter().map(Record::to_report).collect();
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating `{}`", p.display()))?,
        );
        hullscan::report::sarif::write_runs(&reports, &mut f)
            .with_context(|| format!("writing `{}`", p.display()))?;
    }
    if records.iter().any(|r| r.error.is_some()) {
        return Ok(2);
    }
    let worst: Option<Level> = records.iter().filter_map(Record::worst).max();
    Ok(u8::from(
        fail_on
            .threshold()
            .is_some_and(|t| worst.is_some_and(|w| w >= t)),
    ))
}

/// Parses one TARGET and lists its repositories (under its prefix, if any).
fn enumerate(target: &str, args: &RegistryScanArgs, cfg: &Config) -> Result<(Target, Vec<String>)> {
    let (host, prefix) = match target.split_once('/') {
        Some((h, p)) => (h.to_string(), Some(p.trim_end_matches('/').to_string())),
        None => (target.to_string(), None),
    };
    let opts = args.registry.options(cfg, Some(&host))?;
    let ecr_reg = Registry::for_host(&host, &opts.ecr_hosts);
    if args.since.is_some() && ecr_reg.is_none() {
        bail!("--since needs push dates, which only ECR reports; `{host}` is not an ECR registry");
    }
    let mut postures = BTreeMap::new();
    let mut repos: Vec<String> = if let Some(f) = &args.repos_from {
        std::fs::read_to_string(f)
            .with_context(|| format!("reading `{}`", f.display()))?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    } else if let Some(reg) = &ecr_reg {
        let repos = ecr::client()
            .and_then(|c| c.repositories(reg, &[]))
            .with_context(|| format!("listing the ECR repositories of `{host}`"))?;
        let names = repos.iter().map(|r| r.name.clone()).collect();
        postures = repos.into_iter().map(|r| (r.name.clone(), r)).collect();
        names
    } else {
        let store = RegistryStore::new(&image_ref(&host, ""), &opts)?;
        store.catalog_paged(args.page_size).with_context(|| {
            format!("listing the repositories of `{host}` (a registry without a catalog needs --repos-from FILE)")
        })?
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

fn image_ref(host: &str, repository: &str) -> ImageRef {
    ImageRef {
        registry: host.to_string(),
        repository: repository.to_string(),
        tag: None,
        digest: None,
    }
}

fn progress_bar(quiet: bool, repos: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(repos as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {pos}/{len} repositories {elapsed}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("scanning");
    bar
}

impl Run<'_> {
    /// Enumerates one repository's images, then scans those not yet done.
    fn repository(&self, t: &Target, repo: &str) -> Result<()> {
        let name = format!("{}/{repo}", t.host);
        let store = RegistryStore::new(&image_ref(&t.host, repo), &t.opts)?;
        if let Some(p) = t.postures.get(repo)
            && !self.done.contains(&(name.clone(), String::new()))
        {
            let findings = lint::lint_repository(p, &self.cfg);
            if !findings.is_empty() {
                self.emit(vec![Record {
                    repository: name.clone(),
                    digest: String::new(),
                    platform: String::new(),
                    manifest_digest: None,
                    tags: Vec::new(),
                    reference: p.arn.clone(),
                    findings: findings.iter().map(RecordFinding::from_finding).collect(),
                    error: None,
                }])?;
            }
        }
        let units = match self.units(t, &store, repo) {
            Ok(u) => u,
            Err(e) => {
                // A repository that cannot be listed is a failed result, not the end of the run.
                return self.emit(vec![failed(&name, "", Vec::new(), &format!("{e:#}"))]);
            }
        };
        for unit in units {
            if self.done.contains(&(name.clone(), unit.digest.clone())) {
                continue;
            }
            let records = self.scan(t, &store, &name, repo, &unit);
            self.emit(records)?;
        }
        Ok(())
    }

    fn emit(&self, records: Vec<Record>) -> Result<()> {
        let mut sink = self
            .sink
            .lock()
            .map_err(|_| anyhow::anyhow!("output lock poisoned"))?;
        sink.emit(records)?;
        let stats = &self.cache.stats;
        self.bar.set_message(format!(
            "images {}, layers walked {} ({}), from cache {}",
            sink.records.len(),
            stats.walked.load(Ordering::Relaxed),
            hullscan::rules::image::ly001_oversized_layer::mib(stats.bytes.load(Ordering::Relaxed)),
            stats.hits.load(Ordering::Relaxed) + stats.images.load(Ordering::Relaxed)
        ));
        Ok(())
    }

    /// The repository's images: each digest once with all its tags, filtered.
    fn units(&self, t: &Target, store: &RegistryStore, repo: &str) -> Result<Vec<Unit>> {
        let tag_ok = |t: &str| {
            !is_cosign_artifact(t)
                && (self.tag_globs.is_empty() || self.tag_globs.iter().any(|g| g.is_match(t)))
        };
        let mut by_digest: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(reg) = &t.ecr {
            // DescribeImages gives digests, tags and push dates without a manifest fetch.
            let mut images = ecr::client().and_then(|c| c.images(reg, repo))?;
            images.retain(|i| {
                !i.tags.is_empty()
                    && i.tags.iter().any(|t| tag_ok(t))
                    && self
                        .since
                        .is_none_or(|s| i.pushed_at.is_some_and(|p| p >= s))
            });
            if let Some(n) = self.args.latest {
                images.truncate(n);
            }
            for i in images {
                by_digest.insert(i.digest, i.tags);
            }
        } else {
            let mut tags = store.tags_paged(self.args.page_size)?;
            tags.retain(|t| tag_ok(t));
            tags.sort_by(|a, b| natural_cmp(a, b));
            if let Some(n) = self.args.latest {
                let skip = tags.len().saturating_sub(n);
                tags.drain(..skip);
            }
            for t in tags {
                let (bytes, _) = store.manifest(&t, self.limits.max_metadata_bytes)?;
                let digest = hullscan::image::layer::sha256_digest(&bytes);
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

    /// The cache key of one image's results: everything they depend on but the signature
    /// lookup, which is repeated (a signature can be added to an unchanged image).
    fn result_key(&self, name: &str, digest: &str) -> String {
        let material = format!(
            "{}\0{name}\0{digest}\0{:?}\0{:?}\0{:?}",
            hullscan::VERSION,
            self.platforms,
            self.cfg,
            self.limits
        );
        hullscan::image::layer::sha256_digest(material.as_bytes())
            .trim_start_matches("sha256:")
            .to_string()
    }

    /// An earlier run's records for this image, if its signatures are still what they were.
    fn cached(&self, store: &RegistryStore, key: &str, unit: &Unit) -> Option<Vec<Record>> {
        let entry: CachedResult = serde_json::from_slice(&self.cache.load_result(key)?).ok()?;
        let signed: Vec<Option<bool>> = entry
            .signature_digests
            .iter()
            .map(|ds| {
                let ds: Vec<&str> = ds.iter().map(String::as_str).collect();
                store.signed(&ds).unwrap_or(None)
            })
            .collect();
        (signed == entry.signed).then(|| {
            self.cache.stats.images.fetch_add(1, Ordering::Relaxed);
            entry
                .records
                .into_iter()
                .map(|mut r| {
                    r.tags.clone_from(&unit.tags);
                    r
                })
                .collect()
        })
    }

    /// Scans one digest (each platform chosen) into records; failures become error records.
    /// Results of a digest scanned before under the same settings come from the cache.
    fn scan(
        &self,
        t: &Target,
        store: &RegistryStore,
        name: &str,
        repo: &str,
        unit: &Unit,
    ) -> Vec<Record> {
        let key = self.result_key(name, &unit.digest);
        if let Some(records) = self.cached(store, &key, unit) {
            return records;
        }
        let reference = format!("{name}@{}", unit.digest);
        let mut image = image_ref(&t.host, repo);
        image.digest = Some(unit.digest.clone());
        let resolved = hullscan::source::registry::resolve(
            store,
            &image,
            &reference,
            &self.platforms,
            self.limits.max_metadata_bytes,
        );
        let images = match resolved {
            Ok(i) => i,
            Err(e) => {
                return vec![failed(
                    name,
                    &unit.digest,
                    unit.tags.clone(),
                    &e.to_string(),
                )];
            }
        };
        let mut out = Vec::new();
        let mut entry = CachedResult::default();
        for img in &images {
            let result =
                hullscan::image::scan_cached(store, img, &self.limits, Some(&self.cache), &|_| {});
            let record = match result {
                Ok(mut facts) => {
                    let digests: Vec<&str> =
                        [img.manifest_digest.as_deref(), img.index_digest.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect();
                    facts.signed = store.signed(&digests).unwrap_or(None);
                    entry
                        .signature_digests
                        .push(digests.iter().map(ToString::to_string).collect());
                    entry.signed.push(facts.signed);
                    let shown = format!("{name}:{}", unit.tags.first().map_or("", String::as_str));
                    let mut findings =
                        lint::lint_image(&facts, &reference, &format!("image/{name}"), &self.cfg);
                    lint::apply_ignores(&mut findings, &self.cfg.ignores);
                    tracing::info!(image = %shown, findings = findings.len(), "scanned");
                    Record {
                        repository: name.to_string(),
                        digest: unit.digest.clone(),
                        platform: img.platform.clone(),
                        manifest_digest: img.manifest_digest.clone().filter(|d| d != &unit.digest),
                        tags: unit.tags.clone(),
                        reference: reference.clone(),
                        findings: findings.iter().map(RecordFinding::from_finding).collect(),
                        error: None,
                    }
                }
                Err(e) => {
                    let mut r = failed(name, &unit.digest, unit.tags.clone(), &e.to_string());
                    r.platform.clone_from(&img.platform);
                    r
                }
            };
            out.push(record);
        }
        if out.iter().all(|r| r.error.is_none()) {
            entry.records.clone_from(&out);
            match serde_json::to_vec(&entry) {
                Ok(bytes) => {
                    if let Err(e) = self.cache.store_result(&key, &bytes) {
                        tracing::warn!(error = %e, "result cache write failed");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "result cache entry not serialisable"),
            }
        }
        out
    }
}

/// One image's results as the cache keeps them, with the signature lookups they assumed.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct CachedResult {
    /// Per platform: the digests whose signatures were looked up.
    signature_digests: Vec<Vec<String>>,
    /// Per platform: what the lookup said.
    signed: Vec<Option<bool>>,
    records: Vec<Record>,
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

fn failed(name: &str, digest: &str, tags: Vec<String>, error: &str) -> Record {
    Record {
        repository: name.to_string(),
        digest: digest.to_string(),
        platform: String::new(),
        manifest_digest: None,
        tags,
        reference: if digest.is_empty() {
            name.to_string()
        } else {
            format!("{name}@{digest}")
        },
        findings: Vec::new(),
        error: Some(error.to_string()),
    }
}

pub(crate) fn merge(args: &MergeArgs) -> Result<u8> {
    let mut records = Vec::new();
    for f in &args.files {
        let (rs, _) =
            batch::read_records(f).with_context(|| format!("reading `{}`", f.display()))?;
        records.extend(rs);
    }
    // Stable sort, then the first record of each key (in argument order) stays.
    batch::sort_dedup(&mut records);
    let mut out: Box<dyn Write> = match &args.out.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating `{}`", p.display()))?,
        )),
        None => Box::new(std::io::stdout().lock()),
    };
    for r in &records {
        batch::write_record(r, &mut out)?;
    }
    out.flush()?;
    if !args.quiet {
        eprint!("{}", batch::summary(&records, 0));
    }
    finish(
        &records,
        args.out.sarif.as_deref(),
        args.out.fail_on.unwrap_or(FailOn::Error),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards() {
        assert_eq!(parse_shard("1/3").ok(), Some((1, 3)));
        assert!(parse_shard("3/3").is_err());
        assert!(parse_shard("x/3").is_err());
        assert!(parse_shard("1/0").is_err());
    }

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
