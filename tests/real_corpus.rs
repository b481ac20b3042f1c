//! Real-world corpora with hand verdicts: every finding hullscan makes on files from public
//! repositories (`testdata/corpus/<family>/`, with their origins and licences) is snapshotted
//! in `findings.tsv`, so a finding that appears or vanishes fails until someone looks at it;
//! and a seeded sample of each rule's findings (20, or all when fewer) is judged by hand in
//! `verdicts.tsv` (`TRUE`/`FALSE` with a one-line reason). Each rule's precision on its sample
//! must be at least 95%, and `docs/precision.md` shows the figures. Other tools' test
//! fixtures (`FIXTURES.tsv`: kaniko's, buildah's, `BuildKit`'s parser inputs) are linted and
//! snapshotted but not sampled: they exercise odd constructs on purpose and are never shipped.
//!
//! After a deliberate change: `HULLSCAN_UPDATE_CORPUS=1 cargo test --test real_corpus` rewrites
//! `findings.tsv` and `docs/precision.md`, and lists the sampled findings that have no verdict
//! yet in `target/corpus-todo-<family>.tsv`: judge each, add it to `verdicts.tsv`, run again.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use hullscan::config::Config;
use hullscan::scan::lint::{FileName, lint_text};

/// Findings sampled per rule for hand verdicts.
const SAMPLE: usize = 20;
/// The precision every rule must reach on its sample.
const MIN_PRECISION: f64 = 0.95;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("HULLSCAN_UPDATE_CORPUS").is_some()
}

/// One finding as the snapshot records it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    rule: String,
    path: String,
    line: u32,
    message: String,
}

impl Row {
    fn key(&self) -> (String, String, u32) {
        (self.rule.clone(), self.path.clone(), self.line)
    }
}

/// `ORIGINS.tsv` rows: corpus path → the path inside its repository.
fn origins(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("ORIGINS.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (p, s) = (col("path"), col("source_path"));
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[p].to_string(), f[s].to_string())
        })
        .collect()
}

/// A stable per-finding hash (FNV-1a), so the sample moves little when findings change.
fn sample_rank(row: &Row) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("hullscan-corpus-v1|{}|{}|{}", row.rule, row.path, row.line).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `FIXTURES.tsv`: path prefixes of other tools' test fixtures, left out of the samples.
fn fixtures(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("FIXTURES.tsv"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("prefix\t") && !l.is_empty())
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

/// The findings each rule's precision is judged on: up to [`SAMPLE`] per rule, fixtures of
/// other tools' tests left out.
fn sample(rows: &[Row], fixtures: &[String]) -> BTreeMap<String, Vec<Row>> {
    let mut by_rule: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| !fixtures.iter().any(|f| r.path.starts_with(f.as_str())))
    {
        by_rule.entry(r.rule.clone()).or_default().push(r.clone());
    }
    for list in by_rule.values_mut() {
        list.sort_by_key(sample_rank);
        list.truncate(SAMPLE);
        list.sort();
    }
    by_rule
}

/// `BELOW-TARGET.tsv`: rules known to be under the target, with the floor they must hold.
fn below_target(dir: &Path) -> BTreeMap<String, (usize, usize)> {
    std::fs::read_to_string(dir.join("BELOW-TARGET.tsv"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("rule\t") && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let (a, b) = f[1].split_once('/').unwrap();
            assert!(
                f.len() == 3 && !f[2].trim().is_empty(),
                "BELOW-TARGET.tsv: {l}"
            );
            (f[0].to_string(), (a.parse().unwrap(), b.parse().unwrap()))
        })
        .collect()
}

/// `verdicts.tsv`: (rule, path, line) → (TRUE/FALSE, reason).
fn verdicts(dir: &Path) -> BTreeMap<(String, String, u32), (bool, String)> {
    let Ok(text) = std::fs::read_to_string(dir.join("verdicts.tsv")) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (n, l) in text.lines().enumerate() {
        if n == 0 || l.is_empty() || l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.splitn(5, '\t').collect();
        assert_eq!(f.len(), 5, "verdicts.tsv line {}: five columns", n + 1);
        let verdict = match f[3] {
            "TRUE" => true,
            "FALSE" => false,
            other => panic!(
                "verdicts.tsv line {}: `{other}` is not TRUE or FALSE",
                n + 1
            ),
        };
        assert!(
            !f[4].trim().is_empty(),
            "verdicts.tsv line {}: a reason",
            n + 1
        );
        let line = f[2].parse().unwrap();
        out.insert(
            (f[0].to_string(), f[1].to_string(), line),
            (verdict, f[4].to_string()),
        );
    }
    out
}

fn render_rows(rows: &[Row]) -> String {
    let mut s = String::from("rule\tpath\tline\tmessage\n");
    for r in rows {
        let _ = writeln!(s, "{}\t{}\t{}\t{}", r.rule, r.path, r.line, r.message);
    }
    s
}

/// Checks a family's findings against its snapshot and verdicts; returns the precision
/// table rows (rule, findings, judged, true, precision) for the docs.
fn check_family(family: &str, rows: &[Row]) -> Vec<(String, usize, usize, usize, f64)> {
    let dir = root().join("testdata/corpus").join(family);
    let snap_path = dir.join("findings.tsv");
    let rendered = render_rows(rows);
    if updating() {
        std::fs::write(&snap_path, &rendered).unwrap();
    }
    let old = std::fs::read_to_string(&snap_path).unwrap_or_default();
    if old != rendered {
        let old_set: BTreeSet<&str> = old.lines().collect();
        let new_set: BTreeSet<&str> = rendered.lines().collect();
        let added: Vec<&&str> = new_set.difference(&old_set).take(30).collect();
        let gone: Vec<&&str> = old_set.difference(&new_set).take(30).collect();
        panic!(
            "{family}: findings differ from testdata/corpus/{family}/findings.tsv; look at each, \
             then run with HULLSCAN_UPDATE_CORPUS=1\nnew: {added:#?}\ngone: {gone:#?}"
        );
    }
    let judged = verdicts(&dir);
    let below = below_target(&dir);
    let mut todo = String::new();
    let mut failures = String::new();
    let mut table = Vec::new();
    let counts: BTreeMap<&str, usize> = rows.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.rule.as_str()).or_default() += 1;
        m
    });
    for (rule, picked) in sample(rows, &fixtures(&dir)) {
        let mut yes = 0;
        let mut n = 0;
        for r in &picked {
            match judged.get(&r.key()) {
                Some((v, _)) => {
                    n += 1;
                    yes += usize::from(*v);
                }
                None => {
                    let _ = writeln!(todo, "{}\t{}\t{}\t\t{}", r.rule, r.path, r.line, r.message);
                }
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let precision = if n == 0 { 0.0 } else { yes as f64 / n as f64 };
        if n < picked.len() {
            let _ = writeln!(
                failures,
                "{rule}: {} sampled findings have no verdict",
                picked.len() - n
            );
        } else if let Some(&(floor_yes, floor_n)) = below.get(&rule) {
            #[allow(clippy::cast_precision_loss)]
            let floor = floor_yes as f64 / floor_n as f64;
            if precision >= MIN_PRECISION {
                let _ = writeln!(
                    failures,
                    "{rule}: precision {yes}/{n} reached the target; remove it from BELOW-TARGET.tsv"
                );
            } else if precision < floor {
                let _ = writeln!(
                    failures,
                    "{rule}: precision {yes}/{n} fell under its recorded floor {floor_yes}/{floor_n}"
                );
            }
        } else if precision < MIN_PRECISION {
            let _ = writeln!(
                failures,
                "{rule}: precision {yes}/{n} is under {MIN_PRECISION}"
            );
        }
        table.push((rule.clone(), counts[rule.as_str()], n, yes, precision));
    }
    if !todo.is_empty() {
        let path = root().join(format!("target/corpus-todo-{family}.tsv"));
        let _ = std::fs::create_dir_all(root().join("target"));
        std::fs::write(&path, &todo).unwrap();
    }
    assert!(
        failures.is_empty(),
        "{family}:\n{failures}(unjudged samples: target/corpus-todo-{family}.tsv)"
    );
    table
}

/// The precision section of `docs/precision.md` for a family.
fn precision_doc(family: &str, table: &[(String, usize, usize, usize, f64)]) -> String {
    let mut s = format!(
        "<!-- {family}: generated by tests/real_corpus.rs -->\n| rule | findings | judged | correct | precision |\n| --- | ---: | ---: | ---: | ---: |\n"
    );
    for (rule, total, n, yes, p) in table {
        let _ = writeln!(s, "| {rule} | {total} | {n} | {yes} | {:.0}% |", p * 100.0);
    }
    let _ = writeln!(s, "<!-- /{family} -->");
    s
}

/// Replaces (or checks) the family's generated section in `docs/precision.md`.
fn check_doc(family: &str, section: &str) {
    let path = root().join("docs/precision.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let start = format!("<!-- {family}: generated by tests/real_corpus.rs -->");
    let end = format!("<!-- /{family} -->\n");
    let current = text
        .find(&start)
        .and_then(|a| text[a..].find(&end).map(|b| &text[a..a + b + end.len()]));
    if current == Some(section) {
        return;
    }
    assert!(
        updating(),
        "docs/precision.md: the {family} table is stale; run with HULLSCAN_UPDATE_CORPUS=1"
    );
    let new = match current {
        Some(c) => text.replace(c, section),
        None => format!("{text}\n{section}"),
    };
    std::fs::write(&path, new).unwrap();
}

#[test]
fn dockerfiles() {
    let dir = root().join("testdata/corpus/dockerfiles");
    let origins = origins(&dir);
    assert!(
        origins.len() >= 1500,
        "the Dockerfile corpus must hold at least 1,500 files"
    );
    let repos: BTreeSet<&str> = origins
        .keys()
        .map(|p| {
            let mut parts = p.splitn(3, '/');
            let owner = parts.next().unwrap_or("");
            let repo = parts.next().unwrap_or("");
            &p[..owner.len() + 1 + repo.len()]
        })
        .collect();
    assert!(repos.len() >= 80, "at least 80 repositories");

    // Every file of the corpus is found by the directory walk, and nothing else is.
    let found: BTreeSet<String> = hullscan::dockerfile::discover::find_dockerfiles(&dir)
        .iter()
        .map(|p| {
            p.strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    let listed: BTreeSet<String> = origins.keys().cloned().collect();
    let missed: Vec<_> = listed.difference(&found).collect();
    let extra: Vec<_> = found.difference(&listed).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "directory walk: missed {missed:?}, found beyond ORIGINS.tsv {extra:?}"
    );

    // Every file lints (a builder accepts each one), and every finding is in the snapshot.
    let cfg = Config::default();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (path, source_path) in &origins {
        let text = std::fs::read(dir.join(path)).unwrap();
        let text = String::from_utf8_lossy(&text);
        let name = FileName {
            display: path.clone(),
            repo_relative: source_path.clone(),
        };
        match lint_text(&text, &name, &cfg) {
            Ok(findings) => rows.extend(findings.into_iter().map(|f| Row {
                rule: f.rule.to_string(),
                path: path.clone(),
                line: f.start_line(),
                message: f.message.replace(['\t', '\n'], " "),
            })),
            Err(e) => errors.push(format!("{path}: {e}")),
        }
    }
    assert!(errors.is_empty(), "files that do not lint: {errors:#?}");
    rows.sort();
    let table = check_family("dockerfiles", &rows);
    check_doc("dockerfiles", &precision_doc("dockerfiles", &table));
}
