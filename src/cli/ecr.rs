//! `hullscan ecr-posture`: the ECR repository settings checks (RG001–RG003) without pulling
//! images, and the same checks for the repository of an ECR image during `hullscan image`.

use anyhow::{Context, Result};
use clap::Args;

use super::CommonArgs;
use hullscan::config::Config;
use hullscan::ecr::{self, EcrHost, Registry};
use hullscan::lint;
use hullscan::reference::ImageRef;
use hullscan::report::Report;
use hullscan::source::registry::RegistryOptions;

#[derive(Debug, Args)]
pub(crate) struct EcrPostureArgs {
    /// The registry: `<account>.dkr.ecr.<region>.amazonaws.com` [default: the credentials'
    /// account in the configured region].
    #[arg(value_name = "REGISTRY")]
    registry: Option<String>,
    /// Region [default: from REGISTRY, else `AWS_REGION` or the profile].
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Only repositories whose name matches this glob (repeatable; `team/*`).
    #[arg(long, value_name = "GLOB")]
    repo: Vec<String>,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

pub(crate) fn run(args: &EcrPostureArgs) -> Result<u8> {
    let cfg = args.common.config()?;
    let mut reg = match &args.registry {
        Some(host) => EcrHost::parse(host).map(|h| Registry::from(&h)).with_context(|| {
            format!("`{host}` is not an ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com)")
        })?,
        None => Registry::default(),
    };
    if let Some(r) = &args.region {
        reg.region = Some(r.clone());
    }
    let globs = super::globs(&args.repo, "--repo")?;
    let repos = ecr::client()
        .and_then(|c| c.repositories(&reg, &[]))
        .context("listing ECR repositories")?;
    let mut report = Report {
        rules: cfg
            .enabled
            .iter()
            .copied()
            .filter(|r| r.is_repository())
            .collect(),
        category: if args.common.category == super::DEFAULT_CATEGORY {
            "hullscan/ecr/".to_string()
        } else {
            args.common.category.clone()
        },
        ..Report::default()
    };
    for repo in repos
        .into_iter()
        .filter(|r| globs.is_empty() || globs.iter().any(|g| g.is_match(&r.name)))
    {
        report.findings.extend(lint::lint_repository(&repo, &cfg));
        report.files.push(repo.name.clone());
        report.repositories.push(repo);
    }
    report
        .warnings
        .extend(lint::apply_ignores(&mut report.findings, &cfg.ignores));
    lint::sort(&mut report.findings);
    args.common.finish(&report, &cfg)
}

/// Adds RG001–RG003 findings for an ECR image's repository to `report`. Failing to read the
/// settings (a missing `ecr:DescribeRepositories`) is a warning: the image scan stands.
pub(crate) fn check_image_repository(
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
