//! The ECS corpus (`testdata/corpus/ecs`, real task definitions, templates and Terraform from
//! public repositories; `ORIGINS.tsv` names each file's form). Every finding (rule, file,
//! line) is snapshotted in `findings.tsv`: a finding that is not there fails until the snapshot
//! is updated (`HULLSCAN_UPDATE_CORPUS=1`), so a new false positive cannot slip in. Hand
//! verdicts (`verdicts.tsv`, each TRUE or FALSE with a one-line reason, judged by reading the
//! file) cover a seeded sample of every rule's findings; each rule must stay at least 95%
//! precise. Every file whose form is not `not-ecs` must be read, unless `unread.tsv` says why.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use hullscan::config::Config;
use hullscan::scan::lint;

/// Findings judged per rule (all of them when fewer).
const SAMPLE: usize = 20;
/// Seed of the sample.
const SEED: u64 = 27;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus/ecs")
}

/// Every file a directory run reads (the CLI's extensions), relative to the corpus.
fn files() -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| {
                ["json", "yaml", "yml", "template", "tf", "tpl"]
                    .iter()
                    .any(|e| x.eq_ignore_ascii_case(e))
            }) {
                out.push(
                    p.strip_prefix(root())
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

fn tsv(name: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(root().join(name))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// (rule, file, line) → message; files that could not be read → the error; files read.
struct Run {
    findings: BTreeMap<(String, String, u32), String>,
    unreadable: BTreeMap<String, String>,
    read: BTreeSet<String>,
}

fn run() -> Run {
    let cfg = Config::default();
    let key = hullscan::secrets::Key::derive(b"corpus");
    let mut out = Run {
        findings: BTreeMap::new(),
        unreadable: BTreeMap::new(),
        read: BTreeSet::new(),
    };
    for rel in files() {
        let path = root().join(&rel);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let dir = path.parent().unwrap().to_path_buf();
        let base = Path::new(&rel).parent().unwrap().to_path_buf();
        let load = |p: &str| -> Result<(String, String), String> {
            let clean = |b: &Path| -> String {
                b.join(p)
                    .components()
                    .filter(|c| !matches!(c, std::path::Component::CurDir))
                    .collect::<PathBuf>()
                    .to_string_lossy()
                    .replace('\\', "/")
            };
            let text = std::fs::read_to_string(dir.join(p)).map_err(|e| e.to_string())?;
            Ok((clean(&base), text))
        };
        match hullscan::ecs::parse_with(&rel, &text, &key, &load) {
            Ok(parsed) => {
                out.read.insert(rel.clone());
                let mut found = Vec::new();
                for td in &parsed.tasks {
                    found.extend(lint::lint_task_definition(td, &cfg, &rel));
                }
                for s in &parsed.services {
                    found.extend(lint::lint_service(s, &cfg, &rel));
                }
                for f in found {
                    out.findings.insert(
                        (f.rule.to_string(), f.path().to_string(), f.start_line()),
                        f.message.clone(),
                    );
                }
            }
            Err(e) if e.is_not_ecs() => {}
            Err(e) => {
                out.unreadable.insert(rel, e.to_string());
            }
        }
    }
    out
}

/// FNV-1a of the seed and a finding: the sample's order.
fn rank(rule: &str, file: &str, line: u32) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ SEED;
    for b in format!("{rule}\t{file}\t{line}").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The findings to judge: per rule, the `SAMPLE` of lowest rank.
fn sample(findings: &BTreeMap<(String, String, u32), String>) -> BTreeSet<(String, String, u32)> {
    let mut by_rule: BTreeMap<&str, Vec<&(String, String, u32)>> = BTreeMap::new();
    for k in findings.keys() {
        by_rule.entry(k.0.as_str()).or_default().push(k);
    }
    let mut out = BTreeSet::new();
    for (_, mut ks) in by_rule {
        ks.sort_by_key(|(r, f, l)| rank(r, f, *l));
        out.extend(ks.into_iter().take(SAMPLE).cloned());
    }
    out
}

#[test]
fn findings_match_the_snapshot_and_the_verdicts() {
    let r = run();
    let got: BTreeSet<(String, String, u32)> = r.findings.keys().cloned().collect();
    let snapshot = root().join("findings.tsv");
    let todo = root().join("verdicts-todo.tsv");
    if std::env::var_os("HULLSCAN_UPDATE_CORPUS").is_some() {
        let mut text = String::from(
            "# rule\tfile\tline (HULLSCAN_UPDATE_CORPUS=1 cargo test --test ecs_corpus)\n",
        );
        for (rule, file, line) in &got {
            let _ = writeln!(text, "{rule}\t{file}\t{line}");
        }
        std::fs::write(&snapshot, text).unwrap();
        // The sampled findings still without a verdict, with their messages, to judge.
        let judged: BTreeSet<(String, String, u32)> = tsv("verdicts.tsv")
            .into_iter()
            .map(|v| (v[0].clone(), v[1].clone(), v[2].parse().unwrap()))
            .collect();
        let mut t = String::new();
        for k in sample(&r.findings).difference(&judged) {
            let _ = writeln!(t, "{}\t{}\t{}\t?\t{}", k.0, k.1, k.2, r.findings[k]);
        }
        std::fs::write(&todo, t).unwrap();
    }
    let want: BTreeSet<(String, String, u32)> = tsv("findings.tsv")
        .into_iter()
        .map(|v| (v[0].clone(), v[1].clone(), v[2].parse().unwrap()))
        .collect();
    let new: Vec<_> = got.difference(&want).collect();
    let gone: Vec<_> = want.difference(&got).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "the corpus findings changed (judge them, then HULLSCAN_UPDATE_CORPUS=1):\n  new: {new:?}\n  gone: {gone:?}"
    );
    // Verdicts: every sampled finding judged, each verdict about a current finding.
    let mut verdicts: BTreeMap<(String, String, u32), bool> = BTreeMap::new();
    for v in tsv("verdicts.tsv") {
        assert!(
            v.len() >= 5 && !v[4].trim().is_empty(),
            "a verdict needs a reason: {v:?}"
        );
        let k = (v[0].clone(), v[1].clone(), v[2].parse().unwrap());
        assert!(got.contains(&k), "verdict on no current finding: {v:?}");
        let verdict = match v[3].as_str() {
            "TRUE" => true,
            "FALSE" => false,
            other => panic!("verdict `{other}` is neither TRUE nor FALSE: {v:?}"),
        };
        verdicts.insert(k, verdict);
    }
    let unjudged: Vec<_> = sample(&r.findings)
        .into_iter()
        .filter(|k| !verdicts.contains_key(k))
        .collect();
    assert!(
        unjudged.is_empty(),
        "{} sampled findings have no verdict (see verdicts-todo.tsv after HULLSCAN_UPDATE_CORPUS=1): {unjudged:?}",
        unjudged.len()
    );
    let mut low = Vec::new();
    let mut per_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((rule, _, _), ok) in &verdicts {
        let e = per_rule.entry(rule.as_str()).or_default();
        e.1 += 1;
        if *ok {
            e.0 += 1;
        }
    }
    for (rule, (ok, all)) in &per_rule {
        // At least 95%: ok/all >= 0.95, in integers.
        if ok * 100 < all * 95 {
            low.push(format!("{rule}: {ok}/{all}"));
        }
    }
    assert!(low.is_empty(), "rules below 95% precision: {low:?}");
}

#[test]
fn every_ecs_file_is_read() {
    let r = run();
    let allowed: BTreeMap<String, String> = tsv("unread.tsv")
        .into_iter()
        .map(|v| {
            assert!(
                v.len() >= 2 && !v[1].trim().is_empty(),
                "a reason is needed: {v:?}"
            );
            (v[0].clone(), v[1].clone())
        })
        .collect();
    let mut failures = String::new();
    let mut forms = 0;
    for row in tsv("ORIGINS.tsv").into_iter().skip(1) {
        let (path, form) = (&row[0], row[5].as_str());
        if form == "not-ecs" {
            continue;
        }
        forms += 1;
        let read = r.read.contains(path);
        match (read, allowed.get(path)) {
            (true, Some(_)) => {
                let _ = writeln!(failures, "{path}: read, but listed in unread.tsv");
            }
            (false, None) => {
                let why = r
                    .unreadable
                    .get(path)
                    .cloned()
                    .unwrap_or_else(|| "not an ECS input".into());
                let _ = writeln!(failures, "{path} ({form}): {why}");
            }
            _ => {}
        }
    }
    assert!(forms >= 100, "the corpus holds {forms} ECS files");
    assert!(failures.is_empty(), "ECS files not read:\n{failures}");
}
