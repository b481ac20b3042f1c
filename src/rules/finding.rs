//! What a rule reports: a message, a location and evidence. Levels, suppressions and
//! fingerprints are applied afterwards by the engine, so rules stay pure.

use std::collections::BTreeMap;

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

    /// Narrows the location to one line inside the instruction (a heredoc line, say).
    #[must_use]
    pub fn line(mut self, line: u32) -> Self {
        let Location::Dockerfile {
            start_line,
            end_line,
            ..
        } = &mut self.location;
        *start_line = line;
        *end_line = line;
        self
    }

    /// Adds a piece of evidence.
    #[must_use]
    pub fn evidence(mut self, key: &str, value: impl Into<String>) -> Self {
        self.evidence.insert(key.to_string(), value.into());
        self
    }

    /// The 1-based start line of a Dockerfile location.
    #[must_use]
    pub fn start_line(&self) -> u32 {
        let Location::Dockerfile { start_line, .. } = &self.location;
        *start_line
    }

    /// The path of the location.
    #[must_use]
    pub fn path(&self) -> &str {
        let Location::Dockerfile { path, .. } = &self.location;
        path
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
