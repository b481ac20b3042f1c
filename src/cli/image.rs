//! `hullscan image REF`: resolves an image (registry, OCI layout or archive), walks every layer,
//! runs the image rules, and with `--dockerfile` maps findings to the Dockerfile's lines.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::CommonArgs;
use hullscan::image::ResolvedImage;
use hullscan::scan::cache::LayerCache;
use hullscan::scan::single::{DockerfileInput, ImageJob, ImageProgress, ImageSource, scan_image};
use hullscan::source::ImageSpec;

#[derive(Debug, Args)]
pub(crate) struct ImageArgs {
    /// Image: a name (looked up in the local engines, then its registry), `docker://REF` (the
    /// registry only), docker-daemon:NAME, podman:NAME, oci:DIR[:TAG|@DIGEST],
    /// oci-archive:FILE[:TAG], docker-archive:FILE[:REPO:TAG], a path, or - (a `docker save`
    /// stream on stdin).
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
    /// Largest decompressed layer (bytes, or with a unit: 1GiB).
    #[arg(long, value_name = "SIZE", value_parser = hullscan::units::parse_size)]
    max_layer_bytes: Option<u64>,
    /// Largest decompression ratio (gzip bombs).
    #[arg(long, value_name = "N")]
    max_ratio: Option<u64>,
    /// Most tar entries in one layer.
    #[arg(long, value_name = "N")]
    max_entries: Option<u64>,
    /// Wall-clock time for one image's layers, fetch included: 90s, 30m, 2h [default: 30m,
    /// or `image-timeout` under `[limits]`].
    #[arg(long, value_name = "DURATION", value_parser = hullscan::units::parse_duration)]
    image_timeout: Option<std::time::Duration>,
    /// Layers fetched and walked at once [default: 3, or `layer-jobs` under `[limits]`].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    pub(crate) registry: super::RegistryArgs,
    /// ECR: skip the repository settings checks RG001–RG003 (they need `ecr:DescribeRepositories`).
    #[arg(long)]
    no_posture: bool,
    /// Where a bare name is looked up, in this order (any subset of docker, podman, registry).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "SRC", default_values_t = [Src::Docker, Src::Podman, Src::Registry])]
    image_src: Vec<Src>,
    /// Layer-facts cache directory, which lets a re-scan of an unchanged engine image skip
    /// the export [default: `$XDG_CACHE_HOME/hullscan` or `~/.cache/hullscan`].
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    cache: Option<PathBuf>,
    /// Keep no layer facts between runs.
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    secrets: super::SecretArgs,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// A byte progress bar per image on stderr when it is a terminal (and not `--quiet`).
struct Bar {
    quiet: bool,
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

impl ImageProgress for Bar {
    fn start(&self, img: &ResolvedImage, shown: &str) {
        use std::io::IsTerminal as _;
        if self.quiet || !std::io::stderr().is_terminal() {
            return;
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
        bar.set_message(format!("scanning {shown}"));
        if let Ok(mut b) = self.bar.lock() {
            *b = Some(bar);
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(b) = self.bar.lock()
            && let Some(b) = b.as_ref()
        {
            b.inc(n);
        }
    }

    fn finish(&self) {
        if let Ok(mut b) = self.bar.lock()
            && let Some(b) = b.take()
        {
            b.finish_and_clear();
        }
    }
}

/// `--image-src` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Src {
    /// The Docker Engine (`DOCKER_HOST`, the docker context, `/var/run/docker.sock`).
    Docker,
    /// Podman (`CONTAINER_HOST`, the user's or the system socket).
    Podman,
    /// The name's registry.
    Registry,
}

impl std::fmt::Display for Src {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Src::Docker => "docker",
            Src::Podman => "podman",
            Src::Registry => "registry",
        })
    }
}

pub(crate) fn run(args: &ImageArgs) -> Result<u8> {
    let mut cfg = args.common.config()?;
    args.secrets.apply(&mut cfg, args.common.quiet);
    let _spinner = super::WaitSpinner::start(args.common.quiet);
    let mut limits = cfg.limits.clone();
    limits.max_layer_bytes = args.max_layer_bytes.unwrap_or(limits.max_layer_bytes);
    limits.max_ratio = args.max_ratio.unwrap_or(limits.max_ratio);
    limits.max_entries = args.max_entries.unwrap_or(limits.max_entries);
    limits.layer_jobs = args.jobs.unwrap_or(limits.layer_jobs);
    if let Some(t) = args.image_timeout {
        limits.image_timeout = Some(t);
    }
    let platforms = super::platforms(args.platform.as_ref(), args.all_platforms)?;
    let spec = ImageSpec::parse(&args.reference)?;
    let ecr_host = match &spec {
        ImageSpec::Registry(r) => Some(r.registry.clone()),
        _ => None,
    };
    let registry = args.registry.options(&cfg, ecr_host.as_deref())?;
    let root = super::dockerfile::repo_root();
    let dockerfile = match &args.dockerfile {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading `{}`", p.display()))?;
            let parsed =
                hullscan::dockerfile::parse(&text).with_context(|| format!("`{}`", p.display()))?;
            Some(DockerfileInput {
                display: super::dockerfile::display(p),
                repo_relative: super::dockerfile::repo_relative(p, root.as_deref()),
                text,
                parsed,
            })
        }
        None => None,
    };
    // A local image's file locates its findings in SARIF; a registry image has none, so its
    // repository name does (without tag or digest, so fingerprints survive new tags).
    // One scheme (README, "SARIF locations"): a file inside the repository (or, outside any,
    // the working directory) is named by its relative path; anything else is `image/<name>` (a registry repository, an
    // engine image without its tag, or the file name of a layout or archive elsewhere), never
    // an absolute path made to look relative.
    let source_path = match (&spec, spec.path()) {
        (_, Some(p)) => match super::dockerfile::inside_repo(
            p,
            root.clone()
                .or_else(|| std::env::current_dir().ok())
                .as_deref(),
        ) {
            Some(rel) => rel,
            None => format!(
                "image/{}",
                p.file_name()
                    .map_or_else(|| "local".into(), |n| n.to_string_lossy().into_owned())
            ),
        },
        (ImageSpec::Registry(r), None) => format!("image/{}", r.name()),
        (ImageSpec::Engine { name, .. }, None) => {
            let bare = name.split('@').next().unwrap_or(name);
            let bare = match bare.rsplit_once(':') {
                Some((n, tag)) if !tag.contains('/') => n,
                _ => bare,
            };
            format!("image/{bare}")
        }
        _ => "image/stdin".to_string(),
    };
    let image_src: Vec<ImageSource> = args
        .image_src
        .iter()
        .map(|s| match s {
            Src::Docker => ImageSource::Docker,
            Src::Podman => ImageSource::Podman,
            Src::Registry => ImageSource::Registry,
        })
        .collect();
    let cache_dir = match (&args.cache, args.no_cache) {
        (_, true) => None,
        (Some(d), false) => Some(d.clone()),
        (None, false) => LayerCache::default_dir(),
    };
    let cache = cache_dir
        .as_deref()
        .map(|d| LayerCache::for_limits(d, &limits));
    let job = ImageJob {
        reference: &args.reference,
        spec: &spec,
        platforms: &platforms,
        limits: &limits,
        registry: &registry,
        dockerfile: dockerfile.as_ref(),
        source_path,
        posture: !args.no_posture,
        image_src: &image_src,
        explicit_registry: args.reference.starts_with("docker://"),
        cache: cache.as_ref(),
    };
    let bar = Bar {
        quiet: args.common.quiet,
        bar: std::sync::Mutex::new(None),
    };
    let mut report = scan_image(&job, &cfg, &bar)?;
    report.category = args.common.category("hullscan/image/");
    args.common.finish(&report, &cfg)
}
