//! The JSON report: a stable, documented shape for scripts (`version` bumps on breaking
//! changes).

use std::io::{self, Write};

use serde::Serialize;

use crate::report::Report;
use crate::rules::Level;
use crate::rules::finding::Location;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: &'static str,
    tool_version: &'static str,
    files: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    images: &'a [crate::report::ScannedImage],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    repositories: &'a [crate::repository::Repository],
    findings: Vec<JsonFinding<'a>>,
    errors: &'a [String],
    warnings: &'a [String],
    summary: std::collections::BTreeMap<Level, usize>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    name: &'a str,
    level: Level,
    message: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layer: Option<usize>,
    evidence: &'a std::collections::BTreeMap<String, String>,
    fingerprint: &'a str,
}

/// Writes the JSON report, pretty-printed, with a trailing newline.
///
/// # Errors
/// When writing fails.
pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let findings = r
        .findings
        .iter()
        .map(|f| {
            let (start_line, end_line, layer) = match &f.location {
                Location::Dockerfile {
                    start_line,
                    end_line,
                    ..
                } => (Some(*start_line), Some(*end_line), None),
                Location::Image { layer, .. } => (None, None, *layer),
                Location::Repository { .. } => (None, None, None),
            };
            JsonFinding {
                rule: f.rule.as_str(),
                name: &f.rule.meta().name,
                level: f.level,
                message: &f.message,
                path: f.path(),
                start_line,
                end_line,
                image_path: f.image_path(),
                layer,
                evidence: &f.evidence,
                fingerprint: &f.fingerprint,
            }
        })
        .collect();
    let doc = JsonReport {
        version: 1,
        tool: "hullscan",
        tool_version: crate::VERSION,
        files: &r.files,
        images: &r.images,
        repositories: &r.repositories,
        findings,
        errors: &r.errors,
        warnings: &r.warnings,
        summary: r.counts(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
