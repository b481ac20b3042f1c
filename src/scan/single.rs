//! One image, or one ECR account's repository settings, from reference to report: resolve the
//! reference through its source, walk each selected platform, look up signatures, run the
//! rules, map findings to the Dockerfile that built the image, check the ECR repository's
//! settings, and apply ignores. `hullscan image` and `hullscan ecr-posture` are front ends.

use globset::GlobMatcher;

use super::cache::LayerCache;
use super::{Context as _, ScanError, lint, mapping, stream};
use crate::config::Config;
use crate::dockerfile::Dockerfile;
use crate::image::ImageFacts;
use crate::image::ResolvedImage;
use crate::image::layer::Limits;
use crate::reference::ImageRef;
use crate::report::{Report, ScannedImage};
use crate::source::ecr::{self, Registry};
use crate::source::engine::{Engine, EngineKind, Inspect};
use crate::source::registry::RegistryOptions;
use crate::source::{self, ImageSpec, PlatformSel};

/// The Dockerfile that built an image, so findings point at its lines.
#[derive(Debug)]
pub struct DockerfileInput {
    /// As the user gave it.
    pub display: String,
    /// Relative to the repository root (SARIF).
    pub repo_relative: String,
    /// Its text, for snippets.
    pub text: String,
    /// Parsed.
    pub parsed: Dockerfile,
}

/// What to scan and how.
#[derive(Debug)]
pub struct ImageJob<'a> {
    /// The reference as the user gave it.
    pub reference: &'a str,
    /// The parsed reference.
    pub spec: &'a ImageSpec,
    /// Platforms to scan.
    pub platforms: &'a PlatformSel,
    /// Walker limits.
    pub limits: &'a Limits,
    /// Registry connection settings.
    pub registry: &'a RegistryOptions,
    /// The Dockerfile that built the image, if given.
    pub dockerfile: Option<&'a DockerfileInput>,
    /// The repository-relative path that locates and fingerprints image findings.
    pub source_path: String,
    /// Check the ECR repository's settings (RG001–RG003) for ECR images.
    pub posture: bool,
    /// Where a bare name is looked up, in order (`--image-src`).
    pub image_src: &'a [ImageSource],
    /// The reference was given as `docker://…`: the registry only.
    pub explicit_registry: bool,
    /// Layer facts and engine configs kept between runs (engine images re-scan from it).
    /// Registry and layout layers are walked without it: one image gains little, and a layer
    /// it reads is always read again (batch scans, `hullscan registry` and `hullscan ecs`,
    /// cache them through their own scanner).
    pub cache: Option<&'a LayerCache>,
}

/// What a scan reports while it works (a byte progress bar, or nothing).
pub trait ImageProgress: Sync {
    /// Walking of one image starts; `total` is the compressed size of its layers, when known.
    fn start(&self, _image: &ResolvedImage, _shown: &str) {}
    /// `n` more blob bytes were read.
    fn advance(&self, _n: u64) {}
    /// The image is walked (or failed).
    fn finish(&self) {}
}

impl ImageProgress for () {}

/// Where `hullscan image NAME` may find a bare name, in the order tried (`--image-src`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSource {
    /// The Docker Engine.
    Docker,
    /// Podman's service.
    Podman,
    /// The name's registry.
    Registry,
}

impl ImageSource {
    /// The default order: what was built locally is what gets scanned.
    pub const DEFAULT: &'static [ImageSource] = &[
        ImageSource::Docker,
        ImageSource::Podman,
        ImageSource::Registry,
    ];
}

/// Scans one image reference into a report (category and output left to the caller).
///
/// # Errors
/// When the reference cannot be resolved, a layer cannot be read or verified, or a signature
/// lookup fails.
pub fn scan_image(
    job: &ImageJob<'_>,
    cfg: &Config,
    progress: &dyn ImageProgress,
) -> Result<Report, ScanError> {
    let mut report = Report {
        rules: cfg
            .enabled
            .iter()
            .copied()
            .filter(|r| !r.is_dockerfile() && !r.is_task_definition())
            .collect(),
        ..Report::default()
    };
    match job.spec {
        ImageSpec::Engine { kind, name } => {
            let engine = Engine::locate(*kind);
            let inspect = engine
                .inspect(name)
                .ctx(|| format!("reading `{}`", job.reference))?
                .ok_or_else(|| {
                    ScanError::Invalid(format!(
                        "`{name}` is not an image of the {} engine at {}",
                        kind.name(),
                        engine.address
                    ))
                })?;
            scan_engine(job, cfg, &engine, name, &inspect, &mut report)?;
        }
        ImageSpec::Stdin => {
            // `Stdin` is `Send` (its lock is not): reads go through the shared handle.
            let (image, layers) =
                stream::read_docker_save(std::io::stdin(), "-", None, job.limits, None)?;
            let facts = image_facts(&image, layers, job.limits);
            add_image(job, cfg, facts, "-".to_string(), "stdin", &mut report);
        }
        ImageSpec::Registry(_)
            if job.image_src != [ImageSource::Registry] && !job.explicit_registry =>
        {
            // A bare name: the local engines first (what was built is what gets scanned),
            // then the registry, in `--image-src` order; every miss is named if all miss.
            let mut tried: Vec<String> = Vec::new();
            let mut engines_down = true;
            let mut registry_error = None;
            let mut done = false;
            for src in job.image_src {
                let kind = match src {
                    ImageSource::Docker => EngineKind::Docker,
                    ImageSource::Podman => EngineKind::Podman,
                    ImageSource::Registry => {
                        match scan_store(job, cfg, progress, &mut report) {
                            Ok(()) => done = true,
                            Err(e) => {
                                tried.push(format!("registry: {}", super::error_chain(&e)));
                                registry_error = Some(e);
                            }
                        }
                        break;
                    }
                };
                let engine = Engine::locate(kind);
                match engine.inspect(job.reference) {
                    Ok(Some(inspect)) => {
                        scan_engine(job, cfg, &engine, job.reference, &inspect, &mut report)?;
                        done = true;
                        break;
                    }
                    Ok(None) => {
                        engines_down = false;
                        tried.push(format!(
                            "{} engine at {}: no such image",
                            kind.name(),
                            engine.address
                        ));
                    }
                    Err(e) => tried.push(e.to_string()),
                }
            }
            if !done {
                // No engine runs here: the registry's answer is the whole story.
                if engines_down && let Some(e) = registry_error {
                    return Err(e);
                }
                return Err(ScanError::Invalid(format!(
                    "`{}` was found nowhere; tried {}",
                    job.reference,
                    tried.join("; ")
                )));
            }
        }
        _ => scan_store(job, cfg, progress, &mut report)?,
    }
    if let ImageSpec::Registry(r) = job.spec
        && job.posture
        && report.images.iter().all(|i| i.source == "registry")
    {
        check_image_repository(r, job.registry, cfg, &mut report);
    }
    if let Some(df) = job.dockerfile {
        report
            .repo_paths
            .insert(df.display.clone(), df.repo_relative.clone());
        report.sources.insert(df.display.clone(), df.text.clone());
    }
    report
        .warnings
        .extend(lint::apply_ignores(&mut report.findings, &cfg.ignores));
    lint::sort(&mut report.findings);
    Ok(report)
}

/// Scans an image through a blob store: a registry, an OCI layout or an archive.
fn scan_store(
    job: &ImageJob<'_>,
    cfg: &Config,
    progress: &dyn ImageProgress,
    report: &mut Report,
) -> Result<(), ScanError> {
    let (store, images) = source::open_with(
        job.spec,
        job.reference,
        job.platforms,
        job.limits.max_metadata_bytes,
        job.registry,
    )
    .ctx(|| format!("reading `{}`", job.reference))?;
    let source = match job.spec {
        ImageSpec::Registry(_) => "registry",
        ImageSpec::OciLayout { .. } => "oci-layout",
        ImageSpec::OciArchive { .. } => "oci-archive",
        _ => "docker-archive",
    };
    // A single-platform image has no other platform to offer: scanned, and said.
    if let PlatformSel::One(want) = job.platforms
        && let [only] = images.as_slice()
        && !(only.platform == *want
            || only.platform.starts_with(&format!("{want}/"))
            || want.starts_with(&format!("{}/", only.platform)))
    {
        report.warnings.push(format!(
            "{}: --platform {want} asked, but the image is single-platform {}; {} was scanned",
            job.reference, only.platform, only.platform
        ));
    }
    for img in &images {
        let shown = if images.len() > 1 {
            format!("{} ({})", job.reference, img.platform)
        } else {
            job.reference.to_string()
        };
        let _span = tracing::info_span!("image", reference = %shown).entered();
        progress.start(img, &shown);
        let facts = super::scan_cached(store.as_ref(), img, job.limits, None, &|n| {
            progress.advance(n);
        })
        .ctx(|| format!("scanning `{shown}`"));
        progress.finish();
        let mut facts = facts?;
        let digests: Vec<&str> = [img.manifest_digest.as_deref(), img.index_digest.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        facts.signed = store
            .signed(&digests)
            .ctx(|| format!("looking up signatures of `{shown}`"))?;
        add_image(job, cfg, facts, shown, source, report);
    }
    Ok(())
}

/// Scans an image held by a local engine: from the layer cache when it holds the config and
/// every layer (one API call), else from the engine's export, walked as it streams.
fn scan_engine(
    job: &ImageJob<'_>,
    cfg: &Config,
    engine: &Engine,
    name: &str,
    inspect: &Inspect,
    report: &mut Report,
) -> Result<(), ScanError> {
    let shown = format!("{}:{name}", engine.kind.transport());
    let diff_ids = inspect
        .root_fs
        .as_ref()
        .map(|r| r.layers.clone())
        .unwrap_or_default();
    let cached = job
        .cache
        .and_then(|c| stream::from_cache(c, &inspect.id, &diff_ids, &shown));
    let (image, layers) = if let Some(hit) = cached {
        tracing::info!(image = %shown, "engine image from the layer cache; no export");
        hit
    } else {
        let export = engine.export(name).ctx(|| format!("exporting `{shown}`"))?;
        stream::read_docker_save(export, &shown, Some(name), job.limits, job.cache)?
    };
    let mut facts = image_facts(&image, layers, job.limits);
    // The digest the image has in a registry it came from or went to, else its id.
    facts.manifest_digest = inspect
        .repo_digests
        .as_ref()
        .and_then(|d| d.first())
        .and_then(|d| d.split_once('@'))
        .map(|(_, d)| d.to_string())
        .or_else(|| Some(inspect.id.clone()));
    if let PlatformSel::One(want) = job.platforms
        && !facts.platform.starts_with(want.as_str())
    {
        report.warnings.push(format!(
            "{shown}: the engine holds {}, not {want}; {} was scanned",
            facts.platform, facts.platform
        ));
    }
    add_image(job, cfg, facts, shown, engine.kind.name(), report);
    Ok(())
}

/// Merges walked layers into image facts, with warnings for account files the walk could
/// not read whole (a stream cannot be walked again).
fn image_facts(
    image: &crate::image::ResolvedImage,
    layers: Vec<crate::image::facts::LayerFacts>,
    limits: &crate::image::layer::Limits,
) -> ImageFacts {
    let key = limits.secrets.as_ref().map(|s| &s.key);
    let mut facts = crate::image::from_layers(image, layers, key);
    super::image::account_warnings(&mut facts);
    facts
}

/// Runs the rules on one image's facts and adds them to the report.
fn add_image(
    job: &ImageJob<'_>,
    cfg: &Config,
    mut facts: ImageFacts,
    shown: String,
    source: &'static str,
    report: &mut Report,
) {
    facts.source = source;
    let mut findings = lint::lint_image(&facts, &shown, &job.source_path, cfg);
    if let Some(df) = job.dockerfile {
        if mapping::map_findings(&mut findings, &facts, &df.parsed, &df.display) {
            // Restatements go first, so ignoring a concern on a line ignores it once.
            mapping::drop_repeats(&mut findings);
            lint::apply_pragmas(&mut findings, &df.parsed);
        } else {
            report.warnings.push(format!(
                "{shown}: `{}` does not match the image's history (none of its build steps made a layer); findings stay on the image",
                df.display
            ));
        }
    }
    report
        .warnings
        .extend(facts.warnings.iter().map(|w| format!("{shown}: {w}")));
    report
        .repo_paths
        .insert(shown.clone(), job.source_path.clone());
    report.images.push(ScannedImage {
        reference: shown.clone(),
        source: source.to_string(),
        platform: facts.platform.clone(),
        manifest_digest: facts.manifest_digest.clone(),
        layers: facts.layers.len(),
        files: facts.fs.len(),
        bytes: facts.layers.iter().map(|l| l.uncompressed_size).sum(),
        layer_digests: facts.layers.iter().map(|l| l.digest.clone()).collect(),
    });
    report.files.push(shown);
    report.findings.extend(findings);
}

/// Adds RG001–RG003 findings for an ECR image's repository to `report`. Failing to read the
/// settings (a missing `ecr:DescribeRepositories`) is a warning: the image scan stands.
fn check_image_repository(
    image: &ImageRef,
    opts: &RegistryOptions,
    cfg: &Config,
    report: &mut Report,
) {
    if !cfg.enabled.iter().any(|r| r.is_repository()) {
        return;
    }
    let Some(reg) = Registry::for_host(&image.registry, &opts.ecr_hosts) else {
        return;
    };
    match ecr::client().and_then(|c| c.repositories(&reg, std::slice::from_ref(&image.repository)))
    {
        Ok(repos) => {
            for repo in repos {
                report.findings.extend(lint::lint_repository(&repo, cfg));
                report.repositories.push(repo);
            }
        }
        Err(e) => report.warnings.push(format!(
            "ECR repository checks (RG001-RG003) skipped for `{}`: {e} (or pass --no-posture)",
            image.name()
        )),
    }
}

/// Checks the settings of an ECR registry's repositories (those matching `globs`, or all).
///
/// # Errors
/// When the repositories cannot be listed.
pub fn scan_posture(
    reg: &Registry,
    globs: &[GlobMatcher],
    cfg: &Config,
) -> Result<Report, ScanError> {
    let repos = ecr::client()
        .and_then(|c| c.repositories(reg, &[]))
        .ctx(|| "listing ECR repositories".to_string())?;
    let mut report = Report {
        rules: cfg
            .enabled
            .iter()
            .copied()
            .filter(|r| r.is_repository())
            .collect(),
        ..Report::default()
    };
    for repo in repos
        .into_iter()
        .filter(|r| globs.is_empty() || globs.iter().any(|g| g.is_match(&r.name)))
    {
        report.findings.extend(lint::lint_repository(&repo, cfg));
        report.files.push(repo.name.clone());
        report.repositories.push(repo);
    }
    report
        .warnings
        .extend(lint::apply_ignores(&mut report.findings, &cfg.ignores));
    lint::sort(&mut report.findings);
    Ok(report)
}
