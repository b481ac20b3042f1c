//! Task definitions joined with the images they run: each distinct image is scanned once
//! through the scan engine (registry source, layer cache), then the container is judged as it
//! will run. The effective user is the task definition's `user` when set, else the image's, so
//! TD003 and IC001 become one finding naming both places; a read-only root filesystem makes
//! world-writable files (FS009) a note.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::ecs::TaskDefinition;
use crate::image::layer::Limits;
use crate::report::Report;
use crate::rules::{Finding, Level, RuleId};
use crate::source::registry::RegistryOptions;
use crate::source::{ImageSpec, PlatformSel};

use super::cache::LayerCache;
use super::single::{ImageJob, ImageSource, scan_image};

/// The images the containers run that can be pulled as written (no template variable).
#[must_use]
pub fn images(tds: &[TaskDefinition]) -> BTreeSet<String> {
    tds.iter()
        .flat_map(|td| &td.containers)
        .filter_map(|c| c.image.clone())
        .filter(|i| !i.contains('$') && !i.contains("{{") && !i.is_empty())
        .filter(|i| crate::reference::ImageRef::parse(i).is_some())
        .collect()
}

/// How to reach the images.
#[derive(Debug)]
pub struct Pull<'a> {
    /// Walker limits.
    pub limits: &'a Limits,
    /// Registry connection settings.
    pub registry: &'a RegistryOptions,
    /// Platforms to scan.
    pub platforms: &'a PlatformSel,
    /// The layer cache.
    pub cache: Option<&'a LayerCache>,
}

/// Scans each image once; an image that cannot be scanned is a warning (its task definition
/// findings stand on their own).
#[must_use]
pub fn scan_images(
    tds: &[TaskDefinition],
    pull: &Pull<'_>,
    cfg: &Config,
) -> (BTreeMap<String, Report>, Vec<String>) {
    let mut reports = BTreeMap::new();
    let mut warnings = Vec::new();
    for image in images(tds) {
        let Some(parsed) = crate::reference::ImageRef::parse(&image) else {
            continue;
        };
        let source_path = format!("image/{}", parsed.name());
        let spec = ImageSpec::Registry(parsed);
        let job = ImageJob {
            reference: &image,
            spec: &spec,
            platforms: pull.platforms,
            limits: pull.limits,
            registry: pull.registry,
            dockerfile: None,
            source_path,
            posture: true,
            image_src: &[ImageSource::Registry],
            explicit_registry: true,
            cache: pull.cache,
            cache_layers: true,
        };
        match scan_image(&job, cfg, &()) {
            Ok(r) => {
                reports.insert(image, r);
            }
            Err(e) => warnings.push(format!(
                "image `{image}` could not be scanned ({e}); its task definitions are judged without it (--no-images skips image scans)"
            )),
        }
    }
    (reports, warnings)
}

/// Joins task definition findings (`findings`) with the image reports, in place: TD003 for a
/// container without `user` becomes an error when its image runs as root and goes away when
/// the image sets a user; IC001 of an image that task definitions run is replaced by their
/// TD003 judgement; FS009 is a note when every container running the image has a read-only
/// root filesystem. Returns the image findings to report beside the task definitions'.
#[must_use]
pub fn join(
    tds: &[TaskDefinition],
    findings: &mut Vec<Finding>,
    images: &BTreeMap<String, Report>,
) -> Vec<Finding> {
    let root_image = |image: &str| {
        images.get(image).and_then(|r| {
            r.findings
                .iter()
                .find(|f| f.rule == RuleId::IC001)
                .map(|f| f.message.clone())
        })
    };
    let mut drop: BTreeSet<String> = BTreeSet::new();
    for td in tds {
        for c in &td.containers {
            let Some(image) = c.image.as_deref().filter(|i| images.contains_key(*i)) else {
                continue;
            };
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
            match root_image(image) {
                Some(why) => {
                    let f = &mut findings[i];
                    f.message = format!(
                        "{} sets no `user` and its image `{image}` runs as root ({why})",
                        crate::rules::ecs::who(td, c)
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
    let mut out = Vec::new();
    for (image, report) in images {
        let users: Vec<_> = tds
            .iter()
            .flat_map(|td| &td.containers)
            .filter(|c| c.image.as_deref() == Some(image.as_str()))
            .collect();
        let read_only = !users.is_empty() && users.iter().all(|c| c.readonly_root == Some(true));
        for f in &report.findings {
            // The task definitions' TD003 judges the user the container runs as.
            if f.rule == RuleId::IC001 {
                continue;
            }
            let mut f = f.clone();
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
