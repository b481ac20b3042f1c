//! Test helpers for rule modules: run one check on Dockerfile text and render the result.

use crate::config::Settings;
use crate::dockerfile::{Dockerfile, parse};
use crate::rules::{Findings, RuleContext};

pub(crate) type DfCheck = fn(&Dockerfile, &RuleContext<'_>, &mut Findings);

/// Runs `check` on `src` with `settings` and renders `line: message` per finding.
pub(crate) fn render_with(check: DfCheck, src: &str, settings: &Settings) -> String {
    let df = parse(src).unwrap_or_else(|e| panic!("test Dockerfile does not parse: {e}"));
    let mut out = Findings::default();
    check(&df, &RuleContext { settings }, &mut out);
    out.0
        .iter()
        .map(|f| format!("{}: {}", f.start_line(), f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `check` with default settings.
pub(crate) fn render(check: DfCheck, src: &str) -> String {
    render_with(check, src, &Settings::default())
}

/// The start lines of the findings of `check` on `src`.
pub(crate) fn lines(check: DfCheck, src: &str) -> Vec<u32> {
    let df = parse(src).unwrap_or_else(|e| panic!("test Dockerfile does not parse: {e}"));
    let mut out = Findings::default();
    check(&df, &RuleContext::default(), &mut out);
    out.0
        .iter()
        .map(crate::rules::Finding::start_line)
        .collect()
}
