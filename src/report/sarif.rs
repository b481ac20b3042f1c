//! SARIF 2.1.0 as GitHub code scanning reads it. The model is hand-written typed structs
//! (about the size of the subset we emit) rather than `serde-sarif`: that crate is
//! unmaintained since 0.8.0, does not build on its own (missing `serde/derive`) and adds over
//! a minute of build time. Tests validate the output against the OASIS schema.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::docs;
use crate::report::Report;
use crate::rules::catalog::help_uri;
use crate::rules::finding::Location;
use crate::rules::{Level, RuleId};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties<'a>>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    images: &'a [crate::report::ScannedImage],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    repositories: &'a [crate::repository::Repository],
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'static str,
    name: &'a str,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Help,
    help_uri: String,
    default_configuration: DefaultConfiguration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: Level,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    tags: &'a [String],
    precision: &'a str,
    #[serde(rename = "security-severity")]
    security_severity: String,
}

#[derive(Serialize)]
struct AutomationDetails<'a> {
    id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: Level,
    message: Message,
    locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

/// A repository-relative pseudo path (`image/…`, `ecr/…`) for what has no source file in
/// the repository.
fn artifact_for(kind: &str, name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-/".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{kind}/{}", cleaned.trim_start_matches('/'))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    end_line: u32,
}

/// Writes a SARIF log with one run.
///
/// # Errors
/// When writing fails.
pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_runs(std::slice::from_ref(r), out)
}

/// Writes a SARIF log with one run per report (batch scans: one per image, each with its own
/// `automationDetails.id`).
///
/// # Errors
/// When writing fails.
pub fn write_runs(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: reports.iter().map(run).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn run(r: &Report) -> Run<'_> {
    let rules: Vec<Descriptor> = r.rules.iter().map(|&id| descriptor(id)).collect();
    let results = r
        .findings
        .iter()
        .map(|f| {
            let (uri, start_line, end_line, logical) = match &f.location {
                Location::Dockerfile {
                    path,
                    start_line,
                    end_line,
                } => {
                    let uri = r
                        .repo_paths
                        .get(path)
                        .cloned()
                        .unwrap_or_else(|| path.clone());
                    (uri, *start_line, *end_line, Vec::new())
                }
                Location::Image { image, path, layer } => {
                    // GitHub needs a file: the image's source file in the repository when it
                    // is one, else the image name as a repository-relative pseudo path.
                    let uri = r
                        .repo_paths
                        .get(image)
                        .cloned()
                        .unwrap_or_else(|| artifact_for("image", image));
                    let name = path.clone().unwrap_or_else(|| {
                        layer.map_or("config".to_string(), |l| format!("layer {l}"))
                    });
                    let logical = vec![LogicalLocation {
                        fully_qualified_name: format!("{image}//{}", name.trim_start_matches('/')),
                        name,
                        kind: "resource",
                    }];
                    (uri, 1, 1, logical)
                }
                Location::Repository { arn, name } => {
                    // GitHub needs a file: a pseudo path per repository; the ARN is the
                    // logical location.
                    let uri = r
                        .repo_paths
                        .get(arn)
                        .cloned()
                        .unwrap_or_else(|| artifact_for("ecr", name));
                    let logical = vec![LogicalLocation {
                        fully_qualified_name: arn.clone(),
                        name: name.clone(),
                        kind: "resource",
                    }];
                    (uri, 1, 1, logical)
                }
            };
            SarifResult {
                rule_id: f.rule.as_str(),
                rule_index: r.rules.iter().position(|x| *x == f.rule).unwrap_or(0),
                level: f.level,
                message: Message {
                    text: f.message.clone(),
                },
                locations: vec![SarifLocation {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri,
                            uri_base_id: "%SRCROOT%",
                        },
                        region: Region {
                            start_line,
                            end_line,
                        },
                    },
                    logical_locations: logical,
                }],
                partial_fingerprints: BTreeMap::from([("hullscan/v1", f.fingerprint.as_str())]),
            }
        })
        .collect();
    let notifications = r
        .errors
        .iter()
        .map(|e| ("error", e))
        .chain(r.warnings.iter().map(|w| ("warning", w)))
        .map(|(level, text)| Notification {
            level,
            message: Message { text: text.clone() },
        })
        .collect();
    Run {
        tool: Tool {
            driver: Driver {
                name: "hullscan",
                version: crate::VERSION,
                semantic_version: crate::VERSION,
                information_uri: crate::REPOSITORY,
                rules,
            },
        },
        automation_details: AutomationDetails { id: &r.category },
        column_kind: "utf16CodeUnits",
        results,
        properties: (!r.images.is_empty() || !r.repositories.is_empty()).then_some(RunProperties {
            images: &r.images,
            repositories: &r.repositories,
        }),
        invocations: vec![Invocation {
            execution_successful: r.errors.is_empty(),
            tool_execution_notifications: notifications,
        }],
    }
}

fn descriptor(id: RuleId) -> Descriptor<'static> {
    let m = id.meta();
    Descriptor {
        id: id.as_str(),
        name: &m.name,
        short_description: Text { text: &m.summary },
        full_description: Text { text: m.why.trim() },
        help: Help {
            text: docs::help_text(id),
            markdown: docs::help_markdown(id),
        },
        help_uri: help_uri(id),
        default_configuration: DefaultConfiguration { level: m.level },
        properties: DescriptorProperties {
            tags: &m.tags,
            precision: &m.precision,
            security_severity: format!("{:.1}", m.security_severity),
        },
    }
}
