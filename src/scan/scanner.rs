//! One image of a registry repository, by digest, scanned into batch records through the
//! result cache: what `hullscan registry` does for every digest it enumerates and
//! `hullscan ecs` for every image its task definitions run.

use std::sync::atomic::Ordering;

use super::batch::BatchProgress;
use super::cache::LayerCache;
use super::lint;
use super::records::{Record, RecordFinding};
use crate::config::Config;
use crate::image::layer::Limits;
use crate::reference::ImageRef;
use crate::source::registry::RegistryStore;
use crate::source::{BlobStore as _, PlatformSel};

/// One image to scan: a digest and every tag pointing at it.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// The manifest (or index) digest.
    pub digest: String,
    /// Tags that resolve to it, sorted.
    pub tags: Vec<String>,
}

/// How digests are scanned: the settings their results depend on, and where layer facts
/// and results are kept.
pub(crate) struct DigestScanner<'a> {
    pub cfg: &'a Config,
    pub limits: &'a Limits,
    pub cache: &'a LayerCache,
    pub platforms: &'a PlatformSel,
    pub progress: &'a dyn BatchProgress,
}

/// A reference to `host/repository` without tag or digest.
pub(crate) fn image_ref(host: &str, repository: &str) -> ImageRef {
    ImageRef {
        registry: host.to_string(),
        repository: repository.to_string(),
        tag: None,
        digest: None,
    }
}

impl DigestScanner<'_> {
    /// The cache key of one image's results: everything they depend on but the signature
    /// lookup, which is repeated (a signature can be added to an unchanged image).
    fn result_key(&self, name: &str, digest: &str) -> String {
        let material = format!(
            "results-v2\0{}\0{name}\0{digest}\0{:?}\0{:?}\0{:?}",
            crate::VERSION,
            self.platforms,
            self.cfg,
            self.limits
        );
        crate::image::layer::sha256_digest(material.as_bytes())
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
    pub(crate) fn scan(
        &self,
        host: &str,
        store: &RegistryStore,
        repo: &str,
        unit: &Unit,
    ) -> Vec<Record> {
        let name = format!("{host}/{repo}");
        let name = name.as_str();
        let key = self.result_key(name, &unit.digest);
        if let Some(records) = self.cached(store, &key, unit) {
            return records;
        }
        let reference = format!("{name}@{}", unit.digest);
        let mut image = image_ref(host, repo);
        image.digest = Some(unit.digest.clone());
        let resolved = crate::source::registry::resolve(
            store,
            &image,
            &reference,
            self.platforms,
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
            let result = super::scan_cached(store, img, self.limits, Some(self.cache), &|n| {
                self.progress.bytes(n);
            });
            let record = match result {
                Ok(mut facts) => {
                    facts.source = "registry";
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
                        lint::lint_image(&facts, &reference, &format!("image/{name}"), self.cfg);
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
                        layers: img.layers.iter().map(|l| l.digest.clone()).collect(),
                        size: facts.layers.iter().map(|l| l.uncompressed_size).sum(),
                        files: facts.fs.len() as u64,
                        exec: Some(crate::image::exec::Exec::of(&facts)),
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

/// A record for an image (or repository, with no digest) that could not be scanned.
pub(crate) fn failed(name: &str, digest: &str, tags: Vec<String>, error: &str) -> Record {
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
        layers: Vec::new(),
        size: 0,
        files: 0,
        exec: None,
    }
}

/// The record of an ECR repository's settings (RG rules), with no digest; `None` when they
/// are fine.
pub(crate) fn posture_record(
    name: &str,
    repo: &crate::repository::Repository,
    cfg: &Config,
) -> Option<Record> {
    let findings = lint::lint_repository(repo, cfg);
    (!findings.is_empty()).then(|| Record {
        repository: name.to_string(),
        reference: repo.arn.clone(),
        findings: findings.iter().map(RecordFinding::from_finding).collect(),
        ..Record::default()
    })
}
