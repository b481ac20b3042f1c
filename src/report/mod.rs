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

/// A source line as a report shows it: every value the secret detector finds, and every value
/// assigned to a secret-named variable (`DB_PASSWORD=…`, `ARG GITHUB_TOKEN=…`,
/// `--build-arg NPM_TOKEN=…`), replaced by its length; tabs expanded to 4-column stops so the
/// line keeps its shape; then made [`printable`].
#[must_use]
pub fn snippet_line(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut spans: Vec<std::ops::Range<usize>> = crate::secrets::detector()
        .find(bytes)
        .into_iter()
        .map(|f| f.secret)
        .collect();
    spans.extend(named_values(line));
    spans.sort_by_key(|r| r.start);
    let mut masked = String::with_capacity(line.len());
    let mut at = 0;
    for r in spans {
        if r.start < at
            || r.end > line.len()
            || !line.is_char_boundary(r.start)
            || !line.is_char_boundary(r.end)
        {
            continue;
        }
        masked.push_str(&line[at..r.start]);
        let n = line[r.clone()].chars().count();
        let _ = std::fmt::Write::write_fmt(&mut masked, format_args!("…({n} chars hidden)"));
        at = r.end;
    }
    masked.push_str(&line[at..]);
    let mut expanded = String::with_capacity(masked.len());
    let mut col = 0;
    for c in masked.chars() {
        if c == '\t' {
            let n = 4 - col % 4;
            expanded.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            expanded.push(c);
            col += 1;
        }
    }
    printable(&expanded).into_owned()
}

/// Byte ranges of values assigned to secret-named variables in `NAME=value` words (quotes
/// excluded from the range). Values that only refer to a variable (`$TOKEN`) are kept.
fn named_values(line: &str) -> Vec<std::ops::Range<usize>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(eq) = line[i..].find('=').map(|p| p + i) {
        let start = line[..eq]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .map_or(0, |p| p + 1);
        let name = &line[start..eq];
        let mut v = eq + 1;
        let quote = b.get(v).copied().filter(|q| *q == b'"' || *q == b'\'');
        if quote.is_some() {
            v += 1;
        }
        let end = match quote {
            Some(q) => line[v..].find(char::from(q)).map_or(line.len(), |p| p + v),
            None => line[v..]
                .find(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|')
                .map_or(line.len(), |p| p + v),
        };
        let value = &line[v..end];
        if !name.is_empty()
            && crate::secrets::secret_name(name)
            && !value.is_empty()
            && !value.starts_with('$')
            && !crate::secrets::is_flag_value(value)
        {
            out.push(v..end);
        }
        i = end.max(eq + 1);
    }
    out
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

#[cfg(test)]
mod tests {
    #[test]
    fn snippets_hide_secret_values_and_expand_tabs() {
        let token = crate::secrets::synthetic::checksummed("ghp_", 7);
        let line = format!("ARG GITHUB_TOKEN={token}");
        let shown = super::snippet_line(&line);
        assert!(!shown.contains(&token[4..]), "{shown}");
        assert_eq!(shown, "ARG GITHUB_TOKEN=…(40 chars hidden)");
        assert_eq!(
            super::snippet_line("ENV DB_PASSWORD=\"hunter22\" LOG_LEVEL=debug"),
            "ENV DB_PASSWORD=\"…(8 chars hidden)\" LOG_LEVEL=debug"
        );
        assert_eq!(super::snippet_line("ENV TOKEN=$TOKEN"), "ENV TOKEN=$TOKEN");
        assert_eq!(
            super::snippet_line("\tapt-get update; \\"),
            "    apt-get update; \\"
        );
        assert_eq!(super::snippet_line("a\tb"), "a   b");
    }
}
