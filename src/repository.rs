//! Facts about a registry repository: an ECR repository's tag mutability, scanning and
//! encryption settings as RG001–RG003 judge them. Pure data, filled by `source::ecr`, so the
//! rules and report writers that read it never depend on the AWS client.

use serde::Serialize;

/// An ECR repository's settings, as RG001–RG003 read them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Repository {
    /// Repository name (`team/app`).
    pub name: String,
    /// Its ARN: where posture findings are located.
    pub arn: String,
    /// `<registry>/<name>`.
    pub uri: String,
    /// Tag mutability: `MUTABLE`, `IMMUTABLE`, `MUTABLE_WITH_EXCLUSION`, `IMMUTABLE_WITH_EXCLUSION`.
    pub tag_mutability: String,
    /// Tag filters excepted from the mutability setting.
    pub mutability_exclusions: Vec<String>,
    /// The repository-level scan-on-push flag (superseded by registry scanning rules).
    pub scan_on_push: bool,
    /// The registry-level scanning configuration, when it could be read.
    pub registry_scanning: RegistryScanning,
    /// `AES256`, `KMS` or `KMS_DSSE`.
    pub encryption_type: String,
    /// The KMS key ARN, for KMS encryption with a customer managed key.
    pub kms_key: Option<String>,
}

/// The registry-level scanning configuration (`GetRegistryScanningConfiguration`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum RegistryScanning {
    /// Read: scan type and rules.
    Known {
        /// `BASIC` or `ENHANCED`.
        scan_type: String,
        /// Rules: frequency and repository filters.
        rules: Vec<ScanRule>,
    },
    /// Not readable (permission missing): the repository setting decides.
    Unknown {
        /// Why it could not be read.
        reason: String,
    },
}

/// One registry scanning rule.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScanRule {
    /// `SCAN_ON_PUSH`, `CONTINUOUS_SCAN` or `MANUAL`.
    pub frequency: String,
    /// Repository name filters (`*` wildcards).
    pub filters: Vec<String>,
}

/// Matches an ECR filter, where `*` stands for any run of characters.
#[must_use]
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}
