//! `hullscan image REF`: resolves an image (registry, OCI layout or archive), walks every layer,
//! runs the image rules, and with `--dockerfile` maps findings to the Dockerfile's lines.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::CommonArgs;
use hullscan::image::{self, mapping};
use hullscan::lint;
use hullscan::report::{Report, ScannedImage};
use hullscan::source::{self, ImageSpec, PlatformSel};

#[derive(Debug, Args)]
pub(crate) struct ImageArgs {
    /// Image: [docker://]HOST/REPO[:TAG|@DIGEST], oci:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG],
    /// docker-archive:FILE[:REPO:TAG].
    #[arg(value_name = "REF")]
    reference: String,
    /// The Dockerfile that built the image: findings point at its lines.
    #[arg(long, value_name = "PATH")]
    dockerfile: Option<PathBuf>,
    /// Platform of a multi-platform image, os/arch[/variant] [default: the host's, else linux/amd64].
    #[arg(long, value_name = "PLATFORM", conflicts_with = "all_platforms")]
    platform: Option<String>,
    /// Scan every platform of a multi-platform image.
    #[arg(long)]
    all_platforms: bool,
    /// Largest decompressed layer, in bytes.
    #[arg(long, value_name = "BYTES")]
    max_layer_bytes: Option<u64>,
    /// Largest decompression ratio (gzip bombs).
    #[arg(long, value_name = "N")]
    max_ratio: Option<u64>,
    /// Most tar entries in one layer.
    #[arg(long, value_name = "N")]
    max_entries: Option<u64>,
    /// Layers fetched and walked at once [default: 3, or `layer-jobs` under `[limits]`].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    pub(crate) registry: super::RegistryArgs,
    /// ECR: skip the repository settings checks RG001–RG003 (they need `ecr:DescribeRepositories`).
    #[arg(long)]
    no_posture: bool,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// A byte progress bar on stderr when it is a terminal (and not `--quiet`); hidden otherwise.
fn progress_bar(
    img: &hullscan::source::ResolvedImage,
    name: &str,
    quiet: bool,
) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let total: u64 = img.layers.iter().filter_map(|l| l.size).sum();
    let bar = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
    )
    .map_or_else(
        |_| indicatif::ProgressStyle::default_bar(),
        |s| s.progress_chars("=> "),
    );
    bar.set_style(style);
    bar.set_message(format!("scanning {name}"));
    bar
}

pub(crate) fn run(args: &ImageArgs) -> Result<u8> {
    let cfg = args.common.config()?;
    let mut limits = cfg.limits.clone();
    limits.max_layer_bytes = args.max_layer_bytes.unwrap_or(limits.max_layer_bytes);
    limits.max_ratio = args.max_ratio.unwrap_or(limits.max_ratio);
    limits.max_entries = args.max_entries.unwrap_or(limits.max_entries);
    limits.layer_jobs = args.jobs.unwrap_or(limits.layer_jobs);
    let platforms = match (&args.platform, args.all_platforms) {
        (_, true) => PlatformSel::All,
        (Some(p), false) => PlatformSel::One(p.clone()),
        (None, false) => PlatformSel::Default,
    };
    let spec = ImageSpec::parse(&args.reference)?;
    let ecr_host = match &spec {
        ImageSpec::Registry(r) => Some(r.registry.clone()),
        _ => None,
    };
    let registry = args.registry.options(&cfg, ecr_host.as_deref())?;
    let (store, images) = source::open_with(
        &spec,
        &args.reference,
        &platforms,
        limits.max_metadata_bytes,
        &registry,
    )
    .with_context(|| format!("reading `{}`", args.reference))?;
    let dockerfile = match &args.dockerfile {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading `{}`", p.display()))?;
            let df =
                hullscan::dockerfile::parse(&text).with_context(|| format!("`{}`", p.display()))?;
            Some((super::dockerfile::display(p), text, df, p.clone()))
        }
        None => None,
    };
    let root = super::dockerfile::repo_root();
    let mut report = Report {
        rules: cfg
            .enabled
            .iter()
            .copied()
            .filter(|r| !r.is_dockerfile())
            .collect(),
        category: if args.common.category == super::DEFAULT_CATEGORY {
            "hullscan/image/".to_string()
        } else {
            args.common.category.clone()
        },
        ..Report::default()
    };
    // A local image's file locates its findings in SARIF; a registry image has none, so its
    // repository name does (without tag or digest, so fingerprints survive new tags).
    let source_path = match (&spec, spec.path()) {
        (_, Some(p)) => super::dockerfile::repo_relative(p, root.as_deref()),
        (ImageSpec::Registry(r), None) => format!("image/{}", r.name()),
        _ => String::new(),
    };
    for img in &images {
        let shown = if images.len() > 1 {
            format!("{} ({})", args.reference, img.platform)
        } else {
            args.reference.clone()
        };
        let _span = tracing::info_span!("image", reference = %shown).entered();
        let bar = progress_bar(img, &shown, args.common.quiet);
        let facts = image::scan_with_progress(store.as_ref(), img, &limits, &|n| bar.inc(n))
            .with_context(|| format!("scanning `{shown}`"));
        bar.finish_and_clear();
        let mut facts = facts?;
        let digests: Vec<&str> = [img.manifest_digest.as_deref(), img.index_digest.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        facts.signed = store
            .signed(&digests)
            .with_context(|| format!("looking up signatures of `{shown}`"))?;
        let mut findings = lint::lint_image(&facts, &shown, &source_path, &cfg);
        if let Some((df_display, _, df, _)) = &dockerfile {
            mapping::map_findings(&mut findings, &facts, df, df_display);
        }
        report
            .warnings
            .extend(facts.warnings.iter().map(|w| format!("{shown}: {w}")));
        report.repo_paths.insert(shown.clone(), source_path.clone());
        report.images.push(ScannedImage {
            reference: shown.clone(),
            platform: facts.platform.clone(),
            manifest_digest: facts.manifest_digest.clone(),
            layers: facts.layers.len(),
            files: facts.fs.len(),
            bytes: facts.layers.iter().map(|l| l.uncompressed_size).sum(),
        });
        report.files.push(shown);
        report.findings.extend(findings);
    }
    if let ImageSpec::Registry(r) = &spec
        && !args.no_posture
    {
        super::ecr::check_image_repository(r, &registry, &cfg, &mut report);
    }
    if let Some((df_display, text, _, path)) = dockerfile {
        report.repo_paths.insert(
            df_display.clone(),
            super::dockerfile::repo_relative(&path, root.as_deref()),
        );
        report.sources.insert(df_display, text);
    }
    report
        .warnings
        .extend(lint::apply_ignores(&mut report.findings, &cfg.ignores));
    lint::sort(&mut report.findings);
    args.common.finish(&report, &cfg)
}
