//! `hullscan ecr-posture`: the ECR repository settings checks (RG001–RG003) without pulling
//! images (`hullscan::scan::single::scan_posture`).

use anyhow::{Context, Result};
use clap::Args;

use super::CommonArgs;
use hullscan::scan::single::scan_posture;
use hullscan::source::ecr::{EcrHost, Registry};

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
    let mut report = scan_posture(&reg, &globs, &cfg)?;
    report.category = args.common.category("hullscan/ecr/");
    args.common.finish(&report, &cfg)
}
