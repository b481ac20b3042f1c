//! What a rule reports: a message, a location and evidence. Levels, suppressions and
//! fingerprints are applied afterwards by the engine, so rules stay pure.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Level, RuleId};
use crate::dockerfile::Instruction;

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule that produced it.
    pub rule: RuleId,
    /// Effective level after configuration.
    pub level: Level,
    /// Lower-case, no trailing period; paths and values in backticks.
    pub message: String,
    /// Where to fix it.
    pub location: Location,
    /// Facts backing the finding (`mode`, `user`, ...), sorted.
    pub evidence: BTreeMap<String, String>,
    /// Hash stable across unrelated edits; set by the engine.
    pub fingerprint: String,
    /// Normalised text of the instruction the finding is on, for fingerprints.
    pub anchor: String,
}

/// Where a finding points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// Lines of a Dockerfile; `path` is filled in by the engine.
    Dockerfile {
        /// Path as the user gave it (or found under a directory).
        path: String,
        /// 1-based first line.
        start_line: u32,
        /// 1-based last line.
        end_line: u32,
    },
    /// Something in an image: a file, a layer, or the config (`path` and `layer` both `None`).
    Image {
        /// The image reference; filled in by the engine.
        image: String,
        /// Absolute path inside the image filesystem.
        path: Option<String>,
        /// Layer index (0 = base).
        layer: Option<usize>,
    },
    /// A registry repository's settings (ECR): located by its ARN.
    Repository {
        /// The repository ARN (`arn:aws:ecr:<region>:<account>:repository/<name>`).
        arn: String,
        /// The repository name.
        name: String,
    },
}

impl Finding {
    /// A finding at the rule's default level with no location yet.
    #[must_use]
    pub fn new(rule: RuleId, message: impl Into<String>) -> Self {
        Finding {
            rule,
            level: rule.meta().level,
            message: message.into(),
            location: Location::Dockerfile {
                path: String::new(),
                start_line: 1,
                end_line: 1,
            },
            evidence: BTreeMap::new(),
            fingerprint: String::new(),
            anchor: String::new(),
        }
    }

    /// Locates the finding on an instruction's full span.
    #[must_use]
    pub fn at(mut self, ins: &Instruction) -> Self {
        self.location = Location::Dockerfile {
            path: String::new(),
            start_line: ins.start_line,
            end_line: ins.end_line,
        };
        self.anchor = ins.normalized();
        self
    }

    /// Locates the finding on a path inside an image, in the layer that put it there.
    #[must_use]
    pub fn at_image_path(mut self, path: &str, layer: usize) -> Self {
        self.location = Location::Image {
            image: String::new(),
            path: Some(path.to_string()),
            layer: Some(layer),
        };
        self.anchor = path.to_string();
        self
    }

    /// Locates the finding on a layer of an image.
    #[must_use]
    pub fn at_layer(mut self, layer: usize) -> Self {
        self.location = Location::Image {
            image: String::new(),
            path: None,
            layer: Some(layer),
        };
        self.anchor = format!("layer {layer}");
        self
    }

    /// Locates the finding on the image's config (user, env, ports, healthcheck).
    #[must_use]
    pub fn at_image_config(mut self, field: &str) -> Self {
        self.location = Location::Image {
            image: String::new(),
            path: None,
            layer: None,
        };
        self.anchor = format!("config {field}");
        self
    }

    /// Locates the finding on a key of an ECS task definition file (its line: a SARIF region),
    /// or on a live task definition's ARN.
    #[must_use]
    pub fn at_task_definition(mut self, td: &crate::ecs::TaskDefinition, pointer: &str) -> Self {
        // A task definition read from the ECS API is located by its ARN, as a repository is.
        self.location = if td.file.starts_with("arn:") {
            Location::Repository {
                arn: td.file.clone(),
                name: td.name.clone(),
            }
        } else {
            let (file, line) = td.locate(pointer);
            Location::Dockerfile {
                path: file.to_string(),
                start_line: line,
                end_line: line,
            }
        };
        self.anchor = format!("task {} {pointer}", td.name);
        self
    }

    /// Locates the finding on a key of an ECS service in a file, or on a live service's ARN.
    #[must_use]
    pub fn at_service(mut self, s: &crate::ecs::Service, pointer: &str) -> Self {
        self.location = if s.file.starts_with("arn:") {
            Location::Repository {
                arn: s.file.clone(),
                name: s.name.clone(),
            }
        } else {
            let line = s.line(pointer);
            Location::Dockerfile {
                path: s.file.clone(),
                start_line: line,
                end_line: line,
            }
        };
        self.anchor = format!("service {} {pointer}", s.name);
        self
    }

    /// Locates the finding on a registry repository's settings.
    #[must_use]
    pub fn at_repository(mut self, repo: &crate::repository::Repository) -> Self {
        self.location = Location::Repository {
            arn: repo.arn.clone(),
            name: repo.name.clone(),
        };
        self.anchor = format!("repository {}", repo.arn);
        self
    }

    /// Sets this finding's level where the rule grades by case (a `latest` tag is worse than
    /// another tag); a level set in the configuration still wins.
    #[must_use]
    pub fn with_level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Adds a piece of evidence.
    #[must_use]
    pub fn evidence(mut self, key: &str, value: impl Into<String>) -> Self {
        self.evidence.insert(key.to_string(), value.into());
        self
    }

    /// The 1-based start line of a Dockerfile location (0 for image locations).
    #[must_use]
    pub fn start_line(&self) -> u32 {
        match &self.location {
            Location::Dockerfile { start_line, .. } => *start_line,
            Location::Image { .. } | Location::Repository { .. } => 0,
        }
    }

    /// The file of a Dockerfile location, or the image reference.
    #[must_use]
    pub fn path(&self) -> &str {
        match &self.location {
            Location::Dockerfile { path, .. } => path,
            Location::Image { image, .. } => image,
            Location::Repository { arn, .. } => arn,
        }
    }

    /// A path inside the image, for image locations.
    #[must_use]
    pub fn image_path(&self) -> Option<&str> {
        match &self.location {
            Location::Image { path, .. } => path.as_deref(),
            Location::Dockerfile { .. } | Location::Repository { .. } => None,
        }
    }

    /// A one-line description of where the finding is: `Dockerfile:12` or
    /// `oci:app /usr/bin/passwd (layer 3)`.
    #[must_use]
    pub fn place(&self) -> String {
        match &self.location {
            Location::Dockerfile {
                path, start_line, ..
            } => format!("{path}:{start_line}"),
            Location::Image { image, path, layer } => {
                let mut s = image.clone();
                if let Some(p) = path {
                    s.push(' ');
                    s.push_str(p);
                }
                let _ = match (layer, path) {
                    (Some(l), Some(_)) => write!(s, " (layer {l})"),
                    (Some(l), None) => write!(s, " layer {l}"),
                    (None, _) => write!(s, " config"),
                };
                s
            }
            Location::Repository { arn, .. } => arn.clone(),
        }
    }
}

/// The findings of one check run.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    /// Adds a finding.
    pub fn push(&mut self, f: Finding) {
        self.0.push(f);
    }
}
