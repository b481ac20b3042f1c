//! Rule metadata as data: `rules/<ID>.toml`, embedded at build time and parsed once.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::RuleId;

/// A finding's severity, as SARIF names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Informational: worth knowing, rarely a reason to fail a build.
    Note,
    /// Weakens the image; should be fixed.
    Warning,
    /// Makes the image easy to attack; fix before shipping.
    Error,
}

impl Level {
    /// The lower-case name used in SARIF, config and output.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule's metadata, the single source for docs, SARIF and `hullscan rules`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleMeta {
    /// Stable id, equal to the file name.
    pub id: String,
    /// Kebab-case name of the pattern (`root-user`), never of the fix.
    pub name: String,
    /// Default level.
    pub level: Level,
    /// GitHub code scanning severity score (0.0-10.0).
    pub security_severity: f32,
    /// How often a finding is a true positive: `very-high`, `high`, `medium`, `low`.
    pub precision: String,
    /// SARIF tags.
    pub tags: Vec<String>,
    /// One line: what the rule finds.
    pub summary: String,
    /// Why it matters, in Markdown.
    pub why: String,
    /// How to fix it, in Markdown with a snippet.
    pub fix: String,
    /// Supporting documents.
    pub references: Vec<String>,
    /// Version that introduced the rule.
    pub since: String,
    /// The same concern in other tools, by tool name.
    #[serde(default)]
    pub peers: BTreeMap<String, Vec<String>>,
    /// Levels by case, for rules that grade their findings (IC002: `latest` is an error,
    /// another tag a note); the code reads them here, and `level` is the worst.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grades: BTreeMap<String, Level>,
    /// How findings are graded when the cases are open (IC006 takes the level of each
    /// Dockerfile rule it applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graded: Option<String>,
}

impl RuleMeta {
    /// The level of case `case` (see `grades`); the rule's level when it has no such case.
    #[must_use]
    pub fn grade(&self, case: &str) -> Level {
        self.grades.get(case).copied().unwrap_or(self.level)
    }

    /// The level as `hullscan rules` shows it: `note..error` for graded rules, `varies`
    /// for open ones.
    #[must_use]
    pub fn level_range(&self) -> String {
        if self.graded.is_some() {
            return "varies".to_string();
        }
        match (self.grades.values().min(), self.grades.values().max()) {
            (Some(lo), Some(hi)) if lo != hi => format!("{}..{}", lo.as_str(), hi.as_str()),
            _ => self.level.as_str().to_string(),
        }
    }

    /// How the levels are chosen, in one line, for graded rules.
    #[must_use]
    pub fn grading(&self) -> Option<String> {
        if let Some(g) = &self.graded {
            return Some(g.clone());
        }
        (!self.grades.is_empty()).then(|| {
            self.grades
                .iter()
                .map(|(case, level)| format!("{case}: {}", level.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

/// Peer tools whose ids may appear in `peers`.
pub const PEER_TOOLS: &[&str] = &[
    "checkov",
    "dockle",
    "hadolint",
    "prowler",
    "security-hub",
    "trivy",
];

static CATALOG: LazyLock<Vec<RuleMeta>> = LazyLock::new(|| {
    RuleId::ALL
        .iter()
        .map(|id| {
            // Invariant: tests/catalog.rs parses every file, so a failure here is a build bug.
            toml::from_str(id.toml_source())
                .unwrap_or_else(|e| panic!("rules/{id}.toml is invalid: {e}"))
        })
        .collect()
});

/// The metadata of one rule.
#[must_use]
pub fn meta(id: RuleId) -> &'static RuleMeta {
    let i = RuleId::ALL.iter().position(|r| *r == id).unwrap_or(0);
    &CATALOG[i]
}

/// Where a rule's rendered documentation lives, for SARIF `helpUri` and human output.
#[must_use]
pub fn help_uri(id: RuleId) -> String {
    format!("{}/blob/main/docs/rules/{id}.md", crate::REPOSITORY)
}
