//! One image, or one ECR account's repository settings, from reference to report: resolve the
//! reference through its source, walk each selected platform, look up signatures, run the
//! rules, map findings to the Dockerfile that built the image, check the ECR repository's
//! settings, and apply ignores. `hullscan image` and `hullscan ecr-posture` are front ends.

use globset::GlobMatcher;

use super::{Context as _, ScanError, lint, mapping};
use crate::config::Config;
use crate::dockerfile::Dockerfile;
use crate::image::ResolvedImage;
use crate::image::layer::Limits;
use crate::reference::ImageRef;
use crate::report::{Report, ScannedImage};
use crate::source::ecr::{self, Registry};
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
    let (store, images) = source::open_with(
        job.spec,
        job.reference,
        job.platforms,
        job.limits.max_metadata_bytes,
        job.registry,
    )
    .ctx(|| format!("reading `{}`", job.reference))?;
    let mut report = Report {
        rules: cfg
            .enabled
            .iter()
            .copied()
            .filter(|r| !r.is_dockerfile())
            .collect(),
        ..Report::default()
    };
    for img in &images {
        let shown = if images.len() > 1 {
            format!("{} ({})", job.reference, img.platform)
        } else {
            job.reference.to_string()
        };
        let _span = tracing::info_span!("image", reference = %shown).entered();
        progress.start(img, &shown);
        let facts = super::scan_with_progress(store.as_ref(), img, job.limits, &|n| {
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
        let mut findings = lint::lint_image(&facts, &shown, &job.source_path, cfg);
        if let Some(df) = job.dockerfile {
            mapping::map_findings(&mut findings, &facts, &df.parsed, &df.display);
        }
        report
            .warnings
            .extend(facts.warnings.iter().map(|w| format!("{shown}: {w}")));
        report
            .repo_paths
            .insert(shown.clone(), job.source_path.clone());
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
    if let ImageSpec::Registry(r) = job.spec
        && job.posture
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
