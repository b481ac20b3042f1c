//! `hullscan ecs`: the TD rules on task definition and service files (register or describe
//! JSON, bare container definition arrays, describe-services JSON, CloudFormation templates in
//! JSON or YAML, Terraform plans, states and HCL) or live task definitions and services, each
//! finding on the line of the key to fix (or the ARN), joined with the images they run. A file
//! that looks like one and cannot be read is an error (exit 2) unless `--skip-unreadable`.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use super::CommonArgs;
use super::dockerfile::{display, repo_relative, repo_root};
use hullscan::report::Report;
use hullscan::scan::lint;

/// Largest task definition file read (a Terraform plan of a large stack fits).
const MAX_FILE: u64 = 32 << 20;

/// Directories never searched (dependencies, build output, VCS metadata).
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    "target",
    ".terraform",
    "vendor",
    "cdk.out",
];

// Command-line flags are booleans by nature.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Args)]
pub(crate) struct EcsArgs {
    /// Task definition files, directories searched for JSON and YAML files that hold one, or
    /// live targets `aws://REGION[/CLUSTER]`.
    #[arg(value_name = "PATH", required_unless_present = "account")]
    paths: Vec<String>,
    /// Read the task definitions ECS runs, through the AWS API: every service of every
    /// cluster in each `--region` (default: the configured region).
    #[arg(long)]
    account: bool,
    /// Region for `--account` (repeatable: several regions in one run).
    #[arg(long, value_name = "REGION")]
    region: Vec<String>,
    /// Only these clusters (names or ARNs; repeatable).
    #[arg(long, value_name = "CLUSTER")]
    cluster: Vec<String>,
    /// Also every ACTIVE revision of every family, not only what services run: plaintext
    /// secrets stay readable in older revisions.
    #[arg(long)]
    all_revisions: bool,
    /// Check the task definitions alone, offline: do not scan the images they run.
    #[arg(long)]
    no_images: bool,
    /// In directories, report files that look like task definitions or services and cannot
    /// be read as warnings, not errors (the exit status then follows the findings).
    #[arg(long)]
    skip_unreadable: bool,
    /// Record scanned images here; a run started again with it scans only the rest (after a
    /// kill, or with the merged state files of `--shard` runs, to join every image).
    /// `{shard}` stands for the shard number K.
    #[arg(long, value_name = "FILE", conflicts_with = "no_images")]
    state: Option<PathBuf>,
    /// Scan only this part of the images' repositories: K/N (0-based), or auto/N to read K
    /// from `JOB_COMPLETION_INDEX` (Kubernetes) or `AWS_BATCH_JOB_ARRAY_INDEX` (AWS Batch).
    #[arg(long, value_name = "K/N", requires = "state")]
    shard: Option<String>,
    /// Image repositories worked on at once.
    #[arg(long, value_name = "N", default_value_t = 2)]
    jobs: usize,
    #[command(flatten)]
    pub(crate) registry: super::RegistryArgs,
    #[command(flatten)]
    secrets: super::SecretArgs,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// Live targets from `aws://REGION[/CLUSTER]` arguments and `--account`.
fn live_targets(args: &EcsArgs) -> Result<Vec<hullscan::source::ecs::Target>> {
    use hullscan::source::ecs::Target;
    let mut out = Vec::new();
    for p in &args.paths {
        if let Some(rest) = p.strip_prefix("aws://") {
            let (region, cluster) = rest.split_once('/').unwrap_or((rest, ""));
            anyhow::ensure!(
                !region.is_empty(),
                "`{p}`: expected aws://REGION or aws://REGION/CLUSTER"
            );
            let mut clusters = args.cluster.clone();
            if !cluster.is_empty() {
                clusters = vec![cluster.to_string()];
            }
            out.push(Target {
                region: Some(region.to_string()),
                clusters,
                all_revisions: args.all_revisions,
            });
        }
    }
    if args.account {
        let regions: Vec<Option<String>> = if args.region.is_empty() {
            vec![None]
        } else {
            args.region.iter().cloned().map(Some).collect()
        };
        out.extend(regions.into_iter().map(|region| Target {
            region,
            clusters: args.cluster.clone(),
            all_revisions: args.all_revisions,
        }));
    }
    Ok(out)
}

/// Files to read: those named, and the `.json`, `.yaml`, `.yml`, `.template`, `.tf` and `.tpl`
/// (Terraform templates) files
/// under named directories (sorted).
fn collect(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                let Ok(rd) = std::fs::read_dir(&dir) else {
                    errors.push(format!("`{}`: cannot be listed", display(&dir)));
                    continue;
                };
                for e in rd.flatten() {
                    let path = e.path();
                    let Ok(kind) = e.file_type() else { continue };
                    let name = e.file_name().to_string_lossy().to_string();
                    if kind.is_dir() && !SKIP_DIRS.contains(&name.as_str()) {
                        stack.push(path);
                    } else if kind.is_file()
                        && Path::new(&name).extension().is_some_and(|x| {
                            ["json", "yaml", "yml", "template", "tf", "tpl"]
                                .iter()
                                .any(|e| x.eq_ignore_ascii_case(e))
                        })
                    {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found.into_iter().map(|f| (f, false)));
        } else if p.exists() {
            out.push((p.clone(), true));
        } else {
            errors.push(format!("`{}`: no such file or directory", display(p)));
        }
    }
    out
}

fn read(path: &Path) -> Result<String, String> {
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut buf = String::new();
    f.take(MAX_FILE + 1)
        .read_to_string(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 > MAX_FILE {
        return Err(format!("larger than {MAX_FILE} bytes"));
    }
    Ok(buf)
}

/// Scans the images the task definitions run and joins their findings (see
/// `hullscan::scan::ecs`).
fn join_images(
    args: &EcsArgs,
    cfg: &hullscan::config::Config,
    tds: &[hullscan::ecs::TaskDefinition],
    report: &mut Report,
) -> Result<()> {
    use hullscan::scan::cache::LayerCache;
    use hullscan::scan::ecs::{Pull, join, scan_images};
    if hullscan::scan::ecs::images(tds).is_empty() {
        return Ok(());
    }
    let shard = args
        .shard
        .as_deref()
        .map(super::batch::parse_shard)
        .transpose()?;
    let state = args
        .state
        .as_deref()
        .map(|p| super::batch::with_shard(p, shard));
    let registry = args.registry.options(cfg, None)?;
    let limits = cfg.limits.clone();
    // Without a cache directory, layers and results are still shared within the run.
    let tmp = std::env::temp_dir().join(format!("hullscan-ecs-{}", std::process::id()));
    let cache = LayerCache::for_limits(
        &LayerCache::default_dir().unwrap_or_else(|| tmp.clone()),
        &limits,
    );
    let spinner = super::WaitSpinner::start(args.common.quiet);
    let pull = Pull {
        limits: &limits,
        registry: &registry,
        cache: &cache,
        state: state.as_deref(),
        shard,
        jobs: args.jobs,
        progress: &(),
    };
    let images = scan_images(tds, &pull, cfg);
    drop(spinner);
    let _ = std::fs::remove_dir_all(&tmp);
    let images = images?;
    report.warnings.extend(images.warnings.iter().cloned());
    if images.other_shards > 0 {
        let n = images.other_shards;
        report.warnings.push(format!(
            "--shard: {n} image {} left to other shards, and {} containers are judged without their images; merge the state files (`hullscan merge`) and run again with `--state` to join every image",
            if n == 1 { "repository is" } else { "repositories are" },
            if n == 1 { "its" } else { "their" },
        ));
    }
    tracing::info!(
        images = images.records.len(),
        resumed = images.resumed,
        "images scanned"
    );
    let image_findings = join(tds, &mut report.findings, &images, cfg, &report.repo_paths);
    report.findings.extend(image_findings);
    report.images.extend(images.scanned());
    report.repo_paths.extend(images.repo_paths());
    report.rules.extend(
        cfg.enabled
            .iter()
            .copied()
            .filter(|r| !r.is_dockerfile() && !r.is_task_definition()),
    );
    report.rules.sort();
    report.rules.dedup();
    Ok(())
}

pub(crate) fn run(args: &EcsArgs) -> Result<u8> {
    let mut cfg = args.common.config()?;
    args.secrets.apply(&mut cfg, args.common.quiet);
    let mut report = Report {
        rules: cfg
            .enabled
            .iter()
            .copied()
            .filter(|r| r.is_task_definition())
            .collect(),
        category: args.common.category("hullscan/ecs/"),
        ..Report::default()
    };
    let (key, warning) = hullscan::scan::secrets_key();
    if let Some(w) = warning {
        report.warnings.push(w);
    }
    let mut all: Vec<hullscan::ecs::TaskDefinition> = Vec::new();
    for target in live_targets(args)? {
        let live = hullscan::source::ecs::task_definitions(&target)?;
        tracing::info!(region = ?target.region, task_definitions = live.len(), "read from ECS");
        for l in live {
            let parsed = hullscan::ecs::parse(&l.arn, &l.json, &key)?;
            for td in &parsed.tasks {
                report
                    .findings
                    .extend(lint::lint_task_definition(td, &cfg, &l.arn));
            }
            for s in &parsed.services {
                report.findings.extend(lint::lint_service(s, &cfg, &l.arn));
            }
            all.extend(parsed.tasks);
            report.files.push(l.arn);
        }
    }
    let files: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| !p.starts_with("aws://"))
        .map(PathBuf::from)
        .collect();
    let root = repo_root();
    let mut sources = BTreeMap::new();
    let mut not_ecs: Vec<String> = Vec::new();
    let mut unknown = 0usize;
    let mut referenced: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (path, named) in collect(&files, &mut report.errors) {
        let shown = display(&path);
        let text = match read(&path) {
            Ok(t) => t,
            Err(e) => {
                report.errors.push(format!("`{shown}`: {e}"));
                continue;
            }
        };
        // Terraform's `file()`/`templatefile()`: relative to the `.tf` file's directory.
        let loaded: std::cell::RefCell<Vec<(String, PathBuf, String)>> =
            std::cell::RefCell::default();
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let load = |rel: &str| -> Result<(String, String), String> {
            let p = Path::new(rel);
            if p.is_absolute() {
                return Err(format!(
                    "`{rel}` is an absolute path; only files of the module are read"
                ));
            }
            let full: PathBuf = dir
                .join(p)
                .components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .collect();
            let shown = display(&full);
            let text = read(&full).map_err(|e| format!("`{shown}`: {e}"))?;
            loaded
                .borrow_mut()
                .push((shown.clone(), full, text.clone()));
            Ok((shown, text))
        };
        let parsed = match hullscan::ecs::parse_with(&shown, &text, &key, &load) {
            Ok(p) => p,
            // Files found in a directory that are not ECS inputs are not ours: counted.
            Err(e) if e.is_not_ecs() && !named => {
                tracing::info!(file = %shown, "not an ECS input");
                not_ecs.push(shown);
                continue;
            }
            Err(e) if !named && args.skip_unreadable => {
                report
                    .warnings
                    .push(format!("{e} (skipped: --skip-unreadable)"));
                continue;
            }
            Err(e) => {
                report.errors.push(e.to_string());
                continue;
            }
        };
        unknown += parsed.unknown;
        let repo_path = repo_relative(&path, root.as_deref());
        for td in &parsed.tasks {
            let found = lint::lint_task_definition(td, &cfg, &repo_path);
            tracing::info!(file = %shown, task = %td.name, findings = found.len(), "checked");
            report.findings.extend(found);
        }
        for s in &parsed.services {
            let found = lint::lint_service(s, &cfg, &repo_path);
            tracing::info!(file = %shown, service = %s.name, findings = found.len(), "checked");
            report.findings.extend(found);
        }
        all.extend(parsed.tasks);
        for (ext, full, text) in loaded.into_inner() {
            referenced.insert(ext.clone());
            report
                .repo_paths
                .insert(ext.clone(), repo_relative(&full, root.as_deref()));
            sources.insert(ext, text);
        }
        report.files.push(shown.clone());
        report.repo_paths.insert(shown.clone(), repo_path);
        sources.insert(shown, text);
    }
    // A container file a `.tf` reads through `file()` is judged as part of that task
    // definition; read alone in the same run (a bare array), its findings would be twice.
    if !referenced.is_empty() {
        let alone = |name: &str| referenced.contains(name);
        report.findings.retain(|f| {
            !f.anchor
                .strip_prefix("task ")
                .and_then(|a| a.split_once(' '))
                .is_some_and(|(task, _)| alone(task))
        });
        all.retain(|td| !(td.containers_only && alone(&td.name)));
    }
    if !not_ecs.is_empty() {
        let n = not_ecs.len();
        report.warnings.push(format!(
            "{n} file{} in the directories searched {} not ECS inputs and {} skipped (-v names {})",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" },
            if n == 1 { "was" } else { "were" },
            if n == 1 { "it" } else { "them" },
        ));
    }
    if unknown > 0 {
        report.warnings.push(format!(
            "{unknown} value{} not literal (variables, references, intrinsic functions): the rules that need {} stayed silent",
            if unknown == 1 { " is" } else { "s are" },
            if unknown == 1 { "it" } else { "them" },
        ));
    }
    report.sources = sources;
    if !args.no_images {
        join_images(args, &cfg, &all, &mut report)?;
    }
    let unused = lint::apply_ignores(&mut report.findings, &cfg.ignores);
    report.warnings.extend(unused);
    lint::sort(&mut report.findings);
    args.common.finish(&report, &cfg)
}
