//! Batch scan results: the JSON Lines record written per image (the one source from
//! which resumption, `hullscan merge`, SARIF and the summary are all derived), reading such
//! files back, and the deterministic shard of a repository.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Context as _, ScanError};
use crate::report::Report;
use crate::rules::finding::Location;
use crate::rules::{Finding, Level, RuleId};

/// One scanned image (or one repository's settings, with an empty `digest`), one JSON line.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Record {
    /// `host/repository`.
    pub repository: String,
    /// The digest the tags resolve to (the index for multi-platform images); empty for a
    /// repository-settings record.
    pub digest: String,
    /// `os/arch[/variant]`; empty when the image failed before a platform was chosen.
    #[serde(default)]
    pub platform: String,
    /// The platform manifest scanned, when it differs from `digest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<String>,
    /// Every tag that points at `digest`, sorted.
    #[serde(default)]
    pub tags: Vec<String>,
    /// `host/repository@digest`: what was scanned.
    pub reference: String,
    /// Findings, sorted.
    #[serde(default)]
    pub findings: Vec<RecordFinding>,
    /// Why the image could not be scanned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Layer digests, base first (which images share a base, in the HTML report).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<String>,
    /// Uncompressed bytes of all layers.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub size: u64,
    /// Paths in the final filesystem.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub files: u64,
    /// The shells the image can run and how it starts a process (`hullscan ecs` judges a
    /// task's `entryPoint`, `command` and health check with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<crate::image::exec::Exec>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A finding as a batch record holds it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RecordFinding {
    /// Rule id.
    pub rule: String,
    /// Rule name, as `hullscan image` JSON has it (empty in records written before it was
    /// added).
    #[serde(default)]
    pub name: String,
    /// Effective level.
    pub level: Level,
    /// Message.
    pub message: String,
    /// Path inside the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_path: Option<String>,
    /// Layer index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
    /// Repository ARN for repository findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Evidence.
    #[serde(default)]
    pub evidence: BTreeMap<String, String>,
    /// Stable fingerprint.
    pub fingerprint: String,
    /// `Dockerfile:LINE` when the finding was mapped to the line that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
}

impl RecordFinding {
    /// From an engine finding.
    #[must_use]
    pub fn from_finding(f: &Finding) -> RecordFinding {
        let (image_path, layer, arn, line) = match &f.location {
            Location::Image { path, layer, .. } => (path.clone(), *layer, None, None),
            Location::Repository { arn, .. } => (None, None, Some(arn.clone()), None),
            Location::Dockerfile {
                path, start_line, ..
            } => (
                f.evidence.get("path").cloned(),
                None,
                None,
                Some(format!("{path}:{start_line}")),
            ),
        };
        RecordFinding {
            rule: f.rule.as_str().to_string(),
            name: f.rule.meta().name.clone(),
            level: f.level,
            message: f.message.clone(),
            image_path,
            layer,
            arn,
            evidence: f.evidence.clone(),
            fingerprint: f.fingerprint.clone(),
            line,
        }
    }
}

impl Record {
    /// What identifies a record across runs and shards.
    #[must_use]
    pub fn key(&self) -> (String, String, String) {
        (
            self.repository.clone(),
            self.digest.clone(),
            self.platform.clone(),
        )
    }

    /// The record as a report (for SARIF): findings located in the image or repository.
    #[must_use]
    pub fn to_report(&self) -> Report {
        let findings = self
            .findings
            .iter()
            .filter_map(|f| {
                let rule: RuleId = f.rule.parse().ok()?;
                let location = match &f.arn {
                    Some(arn) => Location::Repository {
                        arn: arn.clone(),
                        name: self
                            .repository
                            .split_once('/')
                            .map_or(self.repository.as_str(), |(_, n)| n)
                            .to_string(),
                    },
                    None => Location::Image {
                        image: self.reference.clone(),
                        path: f.image_path.clone(),
                        layer: f.layer,
                    },
                };
                Some(Finding {
                    rule,
                    level: f.level,
                    message: f.message.clone(),
                    location,
                    evidence: f.evidence.clone(),
                    fingerprint: f.fingerprint.clone(),
                    anchor: String::new(),
                })
            })
            .collect::<Vec<_>>();
        let mut rules: Vec<RuleId> = findings.iter().map(|f| f.rule).collect();
        rules.sort();
        rules.dedup();
        let mut repo_paths = BTreeMap::new();
        repo_paths.insert(self.reference.clone(), format!("image/{}", self.repository));
        Report {
            findings,
            rules,
            files: vec![self.reference.clone()],
            repo_paths,
            // The reference names the run; a platform of an index is told apart by its name.
            category: if self.manifest_digest.is_some() {
                format!("{}/{}", self.reference, self.platform)
            } else {
                self.reference.clone()
            },
            errors: self.error.iter().cloned().collect(),
            ..Report::default()
        }
    }

    /// Worst level among the findings.
    #[must_use]
    pub fn worst(&self) -> Option<Level> {
        self.findings.iter().map(|f| f.level).max()
    }
}

/// Reads a JSON Lines file of records. A last line cut short (a run killed mid-write) is
/// ignored; returns the records and the byte length of the whole lines read.
///
/// # Errors
/// When the file cannot be read, or a complete line is not a record.
pub fn read_records(path: &Path) -> std::io::Result<(Vec<Record>, u64)> {
    let file = std::fs::File::open(path)?;
    let mut reader = std::io::BufReader::new(file);
    let mut out = Vec::new();
    let mut good = 0u64;
    let mut line = String::new();
    let mut n = 0;
    loop {
        line.clear();
        let read = reader.read_line(&mut line)?;
        if read == 0 {
            break;
        }
        n += 1;
        if !line.ends_with('\n') {
            tracing::warn!(path = %path.display(), line = n, "incomplete last line ignored");
            break;
        }
        let r: Record = serde_json::from_str(line.trim_end()).map_err(|e| {
            std::io::Error::other(format!(
                "{}:{n}: not a hullscan record: {e}",
                path.display()
            ))
        })?;
        out.push(r);
        good += read as u64;
    }
    Ok((out, good))
}

/// Where finished records go: the state file first (synced), then the output.
pub struct Sink {
    state: Option<std::fs::File>,
    out: Box<dyn Write + Send>,
    /// Every record emitted or replayed.
    pub records: Vec<Record>,
}

impl Sink {
    /// A sink writing to `out` and appending to the state file `state`, if any. Returns the
    /// records the state file holds from an earlier run (an incomplete last line, cut short
    /// by a kill, is dropped from the file).
    ///
    /// # Errors
    /// When the state file cannot be read or written.
    pub fn open(
        state: Option<&Path>,
        out: Box<dyn Write + Send>,
    ) -> Result<(Sink, Vec<Record>), ScanError> {
        let mut previous = Vec::new();
        let mut file = None;
        if let Some(p) = state {
            if p.exists() {
                let (records, good) =
                    read_records(p).ctx(|| format!("reading the state file `{}`", p.display()))?;
                previous = records;
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .ctx(|| format!("opening `{}`", p.display()))?;
                // Drop a line cut short by a kill before appending.
                f.set_len(good)
                    .ctx(|| format!("truncating `{}`", p.display()))?;
            }
            file = Some(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .ctx(|| format!("opening the state file `{}`", p.display()))?,
            );
        }
        Ok((
            Sink {
                state: file,
                out,
                records: Vec::new(),
            },
            previous,
        ))
    }

    /// Writes records to the state file (one write, one sync), then to the output.
    ///
    /// # Errors
    /// When either cannot be written.
    pub fn emit(&mut self, batch: Vec<Record>) -> Result<(), ScanError> {
        // All records of one image reach the state file in one write and one sync, so a kill
        // leaves either all of them or an incomplete last line, which is ignored on resume.
        let mut buf = Vec::new();
        for r in &batch {
            write_record(r, &mut buf).ctx(|| "serialising a record".into())?;
        }
        if let Some(f) = &mut self.state {
            f.write_all(&buf).ctx(|| "writing the state file".into())?;
            f.sync_data().ctx(|| "syncing the state file".into())?;
        }
        self.out.write_all(&buf).ctx(|| "writing results".into())?;
        self.out.flush().ctx(|| "writing results".into())?;
        self.records.extend(batch);
        Ok(())
    }

    /// Emits records the state file already holds: to the output only.
    ///
    /// # Errors
    /// When the output cannot be written.
    pub fn replay(&mut self, batch: Vec<Record>) -> Result<(), ScanError> {
        let state = self.state.take();
        let done = self.emit(batch);
        self.state = state;
        done
    }
}

/// Writes one record as a JSON line.
///
/// # Errors
/// When writing fails.
pub fn write_record(r: &Record, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, r)?;
    out.write_all(b"\n")
}

/// Sorts records by key and drops later duplicates of a key.
pub fn sort_dedup(records: &mut Vec<Record>) {
    records.sort_by_key(Record::key);
    records.dedup_by(|a, b| a.key() == b.key());
}

/// Which shard of `n` a repository belongs to: FNV-1a of its name, so every process agrees
/// with no coordination and a repository's tags (which share layers) stay together.
#[must_use]
pub fn shard_of(repository: &str, n: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in repository.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % u64::from(n.max(1))) as u32
}

/// The end-of-run summary: images scanned, failed; findings by rule; worst images.
/// `1 error`, `2 errors`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[must_use]
pub fn summary(records: &[Record], skipped: usize) -> String {
    use std::fmt::Write as _;
    let images: Vec<&Record> = records.iter().filter(|r| !r.digest.is_empty()).collect();
    let failed = images.iter().filter(|r| r.error.is_some()).count();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "images: {} scanned, {skipped} skipped (already done), {failed} failed; repositories: {}",
        images.len() - failed,
        records
            .iter()
            .map(|r| r.repository.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    let mut by_rule: BTreeMap<&str, (Level, usize)> = BTreeMap::new();
    for f in records.iter().flat_map(|r| &r.findings) {
        let e = by_rule.entry(&f.rule).or_insert((f.level, 0));
        e.1 += 1;
    }
    if !by_rule.is_empty() {
        let _ = writeln!(s, "findings by rule:");
        for (rule, (level, n)) in &by_rule {
            let _ = writeln!(s, "  {rule} {:<7} {n}", level.as_str());
        }
    }
    let mut worst: Vec<(usize, usize, &str)> = images
        .iter()
        .filter(|r| r.error.is_none())
        .map(|r| {
            let errors = r
                .findings
                .iter()
                .filter(|f| f.level == Level::Error)
                .count();
            (errors, r.findings.len(), r.reference.as_str())
        })
        .filter(|w| w.1 > 0)
        .collect();
    worst.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    if !worst.is_empty() {
        let _ = writeln!(s, "worst images:");
        for (errors, total, reference) in worst.iter().take(5) {
            let _ = writeln!(
                s,
                "  {reference}: {}, {}",
                plural(*errors, "error"),
                plural(*total, "finding")
            );
        }
    }
    for r in images.iter().filter(|r| r.error.is_some()) {
        let _ = writeln!(
            s,
            "failed: {}: {}",
            r.reference,
            r.error.as_deref().unwrap_or("")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_stable_and_spread() {
        assert_eq!(shard_of("team/app", 3), shard_of("team/app", 3));
        let counts = (0..300).fold([0; 3], |mut c, i| {
            c[shard_of(&format!("repo{i}"), 3) as usize] += 1;
            c
        });
        assert!(counts.iter().all(|&c| c > 60), "{counts:?}");
        assert_eq!(shard_of("x", 1), 0);
    }

    #[test]
    fn incomplete_last_line_is_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("s.jsonl");
        let r = Record {
            repository: "h/r".into(),
            digest: "sha256:1".into(),
            platform: "linux/amd64".into(),
            manifest_digest: None,
            tags: vec!["1".into()],
            reference: "h/r@sha256:1".into(),
            findings: Vec::new(),
            error: None,
            layers: vec!["sha256:2".into()],
            size: 3,
            files: 4,
            exec: Some(crate::image::exec::Exec {
                path: vec!["/bin".into()],
                shells: vec!["/bin/sh".into()],
                entrypoint: true,
            }),
        };
        let mut buf = Vec::new();
        write_record(&r, &mut buf).expect("write");
        let whole = buf.len() as u64;
        buf.extend_from_slice(b"{\"repository\":\"h/r\",\"dig");
        std::fs::write(&p, &buf).expect("write");
        let (records, good) = read_records(&p).expect("read");
        assert_eq!((records, good), (vec![r], whole));
    }
}
