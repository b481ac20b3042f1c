//! The Dockerfile corpus: every file under `testdata/dockerfiles` marks its expected findings
//! with `# expect: ID [ID…]` on the line(s) before an instruction. The findings must equal
//! those marks exactly (as a multiset of (line, id)), so a false positive fails as surely as
//! a miss. The combined report is snapshotted as well.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use hullscan::config::Config;
use hullscan::scan::lint::{FileName, lint_text};

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/dockerfiles");
    let mut files: Vec<PathBuf> = walk(&root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// (line, id) pairs from `# expect:` comments, each bound to the next instruction.
fn expected(text: &str) -> Vec<(u32, String)> {
    let df = hullscan::dockerfile::parse(text).unwrap();
    let mut out = Vec::new();
    for c in &df.comments {
        let Some(ids) = c.text.strip_prefix("expect:") else {
            continue;
        };
        let ins = df
            .instructions
            .iter()
            .find(|i| i.start_line > c.line)
            .unwrap_or_else(|| {
                panic!("`# expect:` on line {} has no instruction after it", c.line)
            });
        for id in ids.split([' ', ',']).filter(|s| !s.is_empty()) {
            out.push((ins.start_line, id.to_string()));
        }
    }
    out.sort();
    out
}

fn config() -> Config {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/dockerfiles/hullscan.toml");
    Config::load(&p).unwrap()
}

#[test]
fn corpus_is_large_enough() {
    assert!(
        corpus().len() >= 80,
        "the corpus must hold at least 80 Dockerfiles"
    );
}

#[test]
fn findings_equal_expectations() {
    let cfg = config();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = String::new();
    let mut report = String::new();
    for path in corpus() {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap();
        let name = FileName {
            display: rel.clone(),
            repo_relative: rel.clone(),
        };
        let findings = lint_text(&text, &name, &cfg).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let mut got: Vec<(u32, String)> = findings
            .iter()
            .map(|f| (f.start_line(), f.rule.to_string()))
            .collect();
        got.sort();
        let want = expected(&text);
        if got != want {
            let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
            let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
            let _ = writeln!(
                failures,
                "{rel}\n  missing: {missing:?}\n  unexpected: {extra:?}"
            );
        }
        for f in &findings {
            let _ = writeln!(report, "{rel}:{} {} {}", f.start_line(), f.rule, f.message);
        }
    }
    assert!(failures.is_empty(), "corpus mismatches:\n{failures}");
    insta::assert_snapshot!("corpus_findings", report);
}

#[test]
fn every_rule_has_a_positive_corpus_case() {
    let cfg = config();
    let mut seen = std::collections::BTreeSet::new();
    for path in corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = FileName {
            display: String::new(),
            repo_relative: String::new(),
        };
        for f in lint_text(&text, &name, &cfg).unwrap() {
            seen.insert(f.rule);
        }
    }
    let missing: Vec<_> = hullscan::rules::RuleId::ALL
        .iter()
        .filter(|r| r.is_dockerfile() && !seen.contains(r))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a corpus case: {missing:?}"
    );
}
