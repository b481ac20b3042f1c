//! Report writers: human, JSON, SARIF 2.1.0 and GitHub workflow annotations. Every writer
//! reads the same sorted [`Report`], so all formats list the same findings in the same order.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::rules::{Finding, Level, RuleId};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable terminal report with source snippets.
    Human,
    /// Machine-readable JSON.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One self-contained HTML page (no network, works from `file://`).
    Html,
}

/// Everything a writer needs.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Findings, sorted.
    pub findings: Vec<Finding>,
    /// Rules that ran, sorted by id (SARIF lists exactly these).
    pub rules: Vec<RuleId>,
    /// Files linted, as displayed.
    pub files: Vec<String>,
    /// Display path → repository-relative path, for SARIF.
    pub repo_paths: BTreeMap<String, String>,
    /// Display path → text, for snippets.
    pub sources: BTreeMap<String, String>,
    /// Files that could not be linted, one line each.
    pub errors: Vec<String>,
    /// Configuration warnings.
    pub warnings: Vec<String>,
    /// SARIF `automationDetails.id`.
    pub category: String,
    /// Images scanned (image commands only).
    pub images: Vec<ScannedImage>,
    /// ECR repositories whose settings were checked.
    pub repositories: Vec<crate::repository::Repository>,
}

impl Report {
    /// One report of several (a batch's images), under `category`: GitHub code scanning
    /// takes at most 20 runs per SARIF file, each with its own category, so a registry-wide
    /// scan is one run whose results name their image.
    #[must_use]
    pub fn combine(reports: Vec<Report>, category: &str) -> Report {
        let mut all = Report {
            category: category.to_string(),
            ..Report::default()
        };
        for r in reports {
            all.findings.extend(r.findings);
            all.rules.extend(r.rules);
            all.files.extend(r.files);
            all.repo_paths.extend(r.repo_paths);
            all.sources.extend(r.sources);
            all.errors.extend(r.errors);
            all.warnings.extend(r.warnings);
            all.images.extend(r.images);
            all.repositories.extend(r.repositories);
        }
        all.rules.sort();
        all.rules.dedup();
        all
    }
}

/// What was scanned, printed in every format so a report names its exact subject.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScannedImage {
    /// The reference, with the platform when several were scanned.
    pub reference: String,
    /// Where it was read from: `registry`, `docker`, `podman`, `oci-layout`, `oci-archive`,
    /// `docker-archive` or `stdin`.
    pub source: String,
    /// `os/arch[/variant]`.
    pub platform: String,
    /// Manifest digest, when the source has one.
    pub manifest_digest: Option<String>,
    /// Number of layers.
    pub layers: usize,
    /// Paths in the final filesystem.
    pub files: usize,
    /// Uncompressed bytes of all layers.
    pub bytes: u64,
    /// Layer digests, base first (the HTML report's layer count and shared layers; not in
    /// the JSON report, whose shape is stable).
    #[serde(skip)]
    pub layer_digests: Vec<String>,
}

impl Report {
    /// Counts findings per level.
    #[must_use]
    pub fn counts(&self) -> BTreeMap<Level, usize> {
        let mut m = BTreeMap::new();
        for f in &self.findings {
            *m.entry(f.level).or_insert(0) += 1;
        }
        m
    }
}

/// `s` with every character that could steer a terminal or a log reader shown as an escape:
/// control characters (`\n`, ESC, DEL, C1), and the invisible and bidirectional-override
/// characters used to make text read differently from what it is. Names in images are
/// attacker-chosen; a raw `\n::warning …` would issue a GitHub workflow command.
#[must_use]
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    if !s.chars().any(risky) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if risky(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Writes `report` in `format`.
///
/// # Errors
/// When writing fails (a closed pipe, a full disk).
pub fn write(format: Format, report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, out, color),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
        Format::Html => {
            let records = html::records_of(report);
            let scanned = if report.images.is_empty() {
                report.files.join(", ")
            } else {
                report
                    .images
                    .iter()
                    .map(|i| i.reference.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            html::write(
                &html::Page {
                    scanned,
                    generated: html::timestamp(),
                    settings: Vec::new(),
                    records: &records,
                },
                out,
            )
        }
    }
}
