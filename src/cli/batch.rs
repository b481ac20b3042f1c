//! `hullscan registry TARGET` and `hullscan merge`: arguments, progress and exit codes for the
//! batch engine (`hullscan::scan::batch`), which enumerates, scans each digest once, caches,
//! resumes and shards.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::{FailOn, RegistryArgs};
use hullscan::rules::Level;
use hullscan::scan::ScanError;
use hullscan::scan::batch::{self, BatchPlan, BatchProgress};
use hullscan::scan::cache::{CacheStats, LayerCache};
use hullscan::scan::records::{self, Record};
use hullscan::units::mib;

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
    /// Bound on the cache's size (bytes, or with a unit: 10GiB); least recently used entries
    /// go first.
    #[arg(long, value_name = "SIZE", default_value = "10GiB", value_parser = hullscan::units::parse_size)]
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
    #[command(flatten)]
    secrets: super::SecretArgs,
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
    /// Output format [default: jsonl to a file or pipe; human on a terminal, where JSON Lines
    /// would scroll past the progress bar].
    #[arg(long, short = 'f', value_enum)]
    format: Option<BatchFormat>,
    /// Write the results to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write SARIF to FILE: one run (`hullscan/registry/`) whose results name their image.
    #[arg(long, value_name = "FILE")]
    sarif: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this level [default: error, or `fail-on` in the config].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

/// What a batch writes to stdout or `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BatchFormat {
    /// One JSON object per image, as images finish (what `merge` and `--state` read).
    Jsonl,
    /// The summary: images, findings by rule, the worst images.
    Human,
    /// One SARIF run for all images.
    Sarif,
    /// One self-contained HTML page: worst images first, charts, filters.
    Html,
}

impl BatchOutput {
    fn format(&self) -> BatchFormat {
        use std::io::IsTerminal as _;
        self.format.unwrap_or(
            if self.output.is_none() && std::io::stdout().is_terminal() {
                BatchFormat::Human
            } else {
                BatchFormat::Jsonl
            },
        )
    }

    /// Where the report goes: `-o` (with `{shard}` expanded) or stdout.
    fn open(path: Option<&Path>) -> Result<Box<dyn Write + Send>> {
        Ok(match path {
            Some(p) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("creating `{}`", p.display()))?,
            )),
            None => Box::new(std::io::stdout()),
        })
    }
}

/// Writes the end-of-run report of a human or SARIF batch.
fn write_final(
    format: BatchFormat,
    recs: &[Record],
    summary: &str,
    (scanned, settings): (&str, Vec<(String, String)>),
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        BatchFormat::Html => hullscan::report::html::write(
            &hullscan::report::html::Page {
                scanned: scanned.to_string(),
                generated: hullscan::report::html::timestamp(),
                settings,
                records: recs,
            },
            out,
        )?,
        BatchFormat::Jsonl => {}
        BatchFormat::Human => out.write_all(summary.as_bytes())?,
        BatchFormat::Sarif => {
            let reports: Vec<_> = recs.iter().map(Record::to_report).collect();
            let one = hullscan::report::Report::combine(reports, "hullscan/registry/");
            hullscan::report::sarif::write(&one, out)?;
        }
    }
    out.flush()?;
    Ok(())
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
pub(crate) fn parse_shard(s: &str) -> Result<(u32, u32)> {
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

/// `path` with `{shard}` replaced by the shard number K (0 without shards), for engines that
/// cannot expand variables in a command (AWS Batch, a scratch image without a shell).
pub(crate) fn with_shard(path: &Path, shard: Option<(u32, u32)>) -> PathBuf {
    let k = shard.map_or_else(|| "0".to_string(), |(k, _)| k.to_string());
    PathBuf::from(path.to_string_lossy().replace("{shard}", &k))
}

pub(crate) fn run(args: &RegistryScanArgs) -> Result<u8> {
    let mut cfg = args.config.load()?;
    args.secrets.apply(&mut cfg, args.quiet);
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let since = match &args.since {
        Some(d) => {
            let (y, m, day) = hullscan::config::parse_date(d)
                .with_context(|| format!("--since `{d}`: expected YYYY-MM-DD"))?;
            Some(hullscan::config::days_from_civil(y, m, day) * 86_400)
        }
        None => None,
    };
    let repos = match &args.repos_from {
        Some(f) => Some(
            std::fs::read_to_string(f)
                .with_context(|| format!("reading `{}`", f.display()))?
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
        ),
        None => None,
    };
    let shard_path = |p: &Option<PathBuf>| p.as_deref().map(|p| with_shard(p, shard));
    let plan = BatchPlan {
        targets: args.targets.clone(),
        repo_globs: super::globs(&args.repo, "--repo")?,
        tag_globs: super::globs(&args.tag, "--tag")?,
        latest: args.latest,
        since,
        repos,
        shard,
        cache_dir: match (&args.cache, args.no_cache) {
            (_, true) => None,
            (Some(d), false) => Some(d.clone()),
            (None, false) => LayerCache::default_dir(),
        },
        cache_max_size: args.cache_max_size,
        state: shard_path(&args.state),
        page_size: args.page_size,
        jobs: args.jobs,
        platforms: super::platforms(args.platform.as_ref(), args.all_platforms)?,
    };
    let (output_path, sarif_path) = (shard_path(&args.out.output), shard_path(&args.out.sarif));
    let format = args.out.format();
    let mut out = Some(BatchOutput::open(output_path.as_deref())?);
    // JSON Lines stream as images finish; the other formats are written at the end.
    let stream: Box<dyn Write + Send> = if format == BatchFormat::Jsonl {
        out.take().unwrap_or_else(|| Box::new(std::io::sink()))
    } else {
        Box::new(std::io::sink())
    };
    let options = |host: &str| {
        args.registry
            .options(&cfg, Some(host))
            .map_err(|e| ScanError::Invalid(format!("{e:#}")))
    };
    let bar = Bar::new(args.quiet);
    on_ctrl_c(args.quiet);
    let spinner = super::WaitSpinner::start(args.quiet);
    let outcome = batch::run(&plan, &cfg, &options, stream, &bar);
    drop(spinner);
    bar.0.finish_and_clear();
    let outcome = outcome?;
    if outcome.interrupted {
        let resume = match &args.state {
            Some(p) => format!("re-run the same command to resume from `{}`", p.display()),
            None => "pass --state FILE to make a run resumable".to_string(),
        };
        eprintln!(
            "hullscan: interrupted after {} image{}; {resume}",
            outcome.records.len(),
            if outcome.records.len() == 1 { "" } else { "s" }
        );
        return Ok(130);
    }
    let summary = format!(
        "{}images from the result cache: {}; layers: {} walked, {} from cache, {} fetched\n",
        records::summary(&outcome.records, outcome.resumed),
        outcome.images_cached,
        outcome.layers_walked,
        outcome.layers_cached,
        mib(outcome.bytes_walked),
    );
    if let Some(mut o) = out {
        let scanned = format!("registry {}", args.targets.join(", "));
        let or_all = |v: &[String]| {
            if v.is_empty() {
                "all".to_string()
            } else {
                v.join(", ")
            }
        };
        let mut settings = vec![
            ("repositories".to_string(), or_all(&args.repo)),
            ("tags".to_string(), or_all(&args.tag)),
            (
                "platforms".to_string(),
                if args.all_platforms {
                    "all".to_string()
                } else {
                    args.platform.clone().unwrap_or_else(|| "default".into())
                },
            ),
            (
                "secrets".to_string(),
                if cfg.limits.secrets.is_some() {
                    "on"
                } else {
                    "off"
                }
                .to_string(),
            ),
        ];
        if let Some(n) = args.latest {
            settings.push(("latest".to_string(), n.to_string()));
        }
        if let Some(s) = &args.shard {
            settings.push(("shard".to_string(), s.clone()));
        }
        write_final(
            format,
            &outcome.records,
            &summary,
            (&scanned, settings),
            &mut o,
        )?;
    }
    // The human summary on stdout is the summary: not twice.
    let summary_on_stdout = format == BatchFormat::Human && output_path.is_none();
    if !args.quiet && !summary_on_stdout {
        eprint!("{summary}");
    }
    finish(
        &outcome.records,
        sarif_path.as_deref(),
        super::fail_on(args.out.fail_on, &cfg),
    )
}

/// Ctrl-C stops a batch cleanly: the images in progress finish and are recorded (so
/// `--state` resumes after them), nothing new starts; a second Ctrl-C quits at once (130).
fn on_ctrl_c(quiet: bool) {
    let flag = std::sync::Arc::clone(&batch::INTERRUPTED);
    // The shutdown check must come first: it sees the flag the second handler sets.
    let registered = signal_hook::flag::register_conditional_shutdown(
        signal_hook::consts::SIGINT,
        130,
        std::sync::Arc::clone(&flag),
    )
    .and_then(|_| {
        signal_hook::flag::register(signal_hook::consts::SIGINT, std::sync::Arc::clone(&flag))
    });
    if registered.is_err() || quiet {
        return;
    }
    std::thread::spawn(move || {
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        eprintln!("\nhullscan: stopping after the images in progress (Ctrl-C again to quit now)");
    });
}

/// The batch progress bar on stderr (repositories done, and the bytes read with their rate,
/// so a large layer in flight shows movement) when it is a terminal (and not `--quiet`).
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new(quiet: bool) -> Bar {
        use std::io::IsTerminal as _;
        if quiet || !std::io::stderr().is_terminal() {
            return Bar(indicatif::ProgressBar::hidden());
        }
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg} [{bar:30}] {pos}/{len} repositories {elapsed} · {prefix}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("scanning");
        Bar(bar)
    }
}

impl BatchProgress for Bar {
    fn planned(&self, repositories: usize) {
        self.0.set_length(repositories as u64);
    }
    fn bytes(&self, n: u64) {
        use std::sync::atomic::AtomicU64;
        static READ: AtomicU64 = AtomicU64::new(0);
        let total = READ.fetch_add(n, Ordering::Relaxed) + n;
        let secs = self.0.elapsed().as_secs_f64().max(0.001);
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss
        )]
        let rate = (total as f64 / secs) as u64;
        self.0
            .set_prefix(format!("{} read, {}/s", mib(total), mib(rate)));
    }
    fn repository_done(&self) {
        self.0.inc(1);
    }
    fn emitted(&self, images: usize, stats: &CacheStats) {
        self.0.set_message(format!(
            "images {images}, layers walked {} ({}), from cache {}",
            stats.walked.load(Ordering::Relaxed),
            mib(stats.bytes.load(Ordering::Relaxed)),
            stats.hits.load(Ordering::Relaxed) + stats.images.load(Ordering::Relaxed)
        ));
    }
}

/// Writes SARIF if asked and returns the exit code: 2 if any image failed, else by `fail_on`.
fn finish(records: &[Record], sarif: Option<&Path>, fail_on: FailOn) -> Result<u8> {
    if let Some(p) = sarif {
        let reports: Vec<_> = records.iter().map(Record::to_report).collect();
        let one = hullscan::report::Report::combine(reports, "hullscan/registry/");
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating `{}`", p.display()))?,
        );
        hullscan::report::sarif::write(&one, &mut f)
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

pub(crate) fn merge(args: &MergeArgs) -> Result<u8> {
    let records = batch::merge(&args.files)?;
    let format = args.out.format();
    let mut out = BatchOutput::open(args.out.output.as_deref())?;
    let summary = records::summary(&records, 0);
    if format == BatchFormat::Jsonl {
        for r in &records {
            records::write_record(r, &mut out)?;
        }
        out.flush()?;
    } else {
        let scanned = format!(
            "merged: {}",
            args.files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        write_final(format, &records, &summary, (&scanned, Vec::new()), &mut out)?;
    }
    let summary_on_stdout = format == BatchFormat::Human && args.out.output.is_none();
    if !args.quiet && !summary_on_stdout {
        eprint!("{summary}");
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
}
