//! Meta-tests over the rule catalog: metadata files and the `rules!` list agree, ids and
//! names are unique and well-formed, peers are known tools, every rule has unit tests and a
//! corpus case, messages follow the style, and generated docs are current
//! (`HULLSCAN_UPDATE_DOCS=1 cargo test --test catalog` rewrites them).

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

use hullscan::docs;
use hullscan::rules::RuleId;
use hullscan::rules::catalog::PEER_TOOLS;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn metadata_files_match_the_registry() {
    // One `<ID>.toml` per rule; `rules/secrets/` holds the secret detector's kinds and
    // `rules/data/` the tables rules read (well-known base images).
    let files: BTreeSet<String> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_file()))
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".toml")
                .to_string()
        })
        .collect();
    let ids: BTreeSet<String> = RuleId::ALL.iter().map(ToString::to_string).collect();
    assert_eq!(files, ids, "rules/*.toml and the rules! list differ");
}

#[test]
fn metadata_is_complete_and_consistent() {
    let mut names = BTreeSet::new();
    for id in RuleId::ALL {
        let m = id.meta();
        assert_eq!(m.id, id.as_str(), "{id}: `id` must equal the file name");
        assert!(
            names.insert(m.name.clone()),
            "{id}: duplicate name {}",
            m.name
        );
        assert!(
            m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{id}: name must be kebab-case"
        );
        assert!(
            !m.name.starts_with("no-"),
            "{id}: names name the pattern, not the fix"
        );
        assert!(
            (0.0..=10.0).contains(&m.security_severity),
            "{id}: security-severity out of range"
        );
        assert!(
            ["very-high", "high", "medium", "low"].contains(&m.precision.as_str()),
            "{id}: precision"
        );
        assert!(
            !m.summary.ends_with('.'),
            "{id}: summary has no trailing period"
        );
        assert!(m.why.len() > 80, "{id}: `why` must explain");
        assert!(
            m.fix.contains("~~~") || m.fix.len() > 40,
            "{id}: `fix` needs a snippet"
        );
        assert!(!m.references.is_empty(), "{id}: needs a reference");
        for tool in m.peers.keys() {
            assert!(
                PEER_TOOLS.contains(&tool.as_str()),
                "{id}: unknown peer tool {tool}"
            );
        }
    }
}

#[test]
fn dockerfile_rules_cite_ecs_or_cis_or_docker() {
    for id in RuleId::ALL {
        let refs = id.meta().references.join(" ");
        assert!(
            refs.contains("docs.aws.amazon.com")
                || refs.contains("cisecurity.org")
                || refs.contains("docs.docker.com")
                || refs.contains("hadolint"),
            "{id}: cite the ECS guide, the CIS benchmark or Docker's docs"
        );
    }
}

#[test]
fn every_rule_file_has_positive_and_negative_tests() {
    for id in RuleId::ALL {
        let m = id.meta();
        let family = match id.as_str().get(..2) {
            Some("DF") => "dockerfile",
            Some("RG") => "registry",
            Some("TD") => "ecs",
            _ => "image",
        };
        let file = root().join(format!(
            "src/rules/{family}/{}_{}.rs",
            id.as_str().to_ascii_lowercase(),
            m.name.replace('-', "_")
        ));
        let src = std::fs::read_to_string(&file)
            .unwrap_or_else(|_| panic!("{id}: expected {}", file.display()));
        let tests = src.matches("#[test]").count();
        assert!(
            tests >= 2,
            "{id}: needs a positive and a negative test, found {tests}"
        );
        assert!(
            src.contains("is_empty()"),
            "{id}: needs a negative assertion"
        );
    }
}

#[test]
fn messages_are_lower_case_without_trailing_period() {
    let dirs = [
        root().join("src/rules/dockerfile"),
        root().join("src/rules/image"),
        root().join("src/rules/registry"),
    ];
    for e in dirs.iter().flat_map(|d| std::fs::read_dir(d).unwrap()) {
        let src = std::fs::read_to_string(e.unwrap().path()).unwrap();
        for chunk in src.split("Finding::new(").skip(1) {
            // The message is the second argument: a literal or a `format!` literal.
            let Some((_, rest)) = chunk.split_once(',') else {
                continue;
            };
            let rest = rest.trim_start();
            let rest = rest.strip_prefix("format!(").unwrap_or(rest);
            let Some(lit) = rest.strip_prefix('"') else {
                continue;
            };
            let msg: String = lit.chars().take_while(|c| *c != '"').collect();
            let first = msg.chars().next().unwrap_or('a');
            assert!(
                !first.is_ascii_uppercase(),
                "message starts upper-case: {msg}"
            );
            assert!(!msg.ends_with('.'), "message ends with a period: {msg}");
        }
    }
}

#[test]
fn rule_ids_are_snapshotted() {
    let list: Vec<String> = RuleId::ALL
        .iter()
        .map(|id| format!("{id} {} {}", id.meta().name, id.meta().level))
        .collect();
    insta::assert_snapshot!("rule_ids", list.join("\n"));
}

/// Compares a generated file with the checked-in one, or rewrites it when asked.
fn check_generated(path: &Path, want: &str) -> Option<String> {
    if std::env::var_os("HULLSCAN_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, want).unwrap();
        return None;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    (have != want).then(|| path.display().to_string())
}

#[test]
fn generated_docs_are_current() {
    let mut stale = Vec::new();
    for id in RuleId::ALL {
        let p = root().join(format!("docs/rules/{id}.md"));
        stale.extend(check_generated(&p, &docs::rule_page(*id)));
    }
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (Some(a), Some(b)) = (readme.find(docs::TABLE_START), readme.find(docs::TABLE_END)) else {
        panic!("README.md lacks the rule table markers");
    };
    let want = format!(
        "{}{}\n{}{}",
        &readme[..a + docs::TABLE_START.len()],
        "",
        docs::rule_table(),
        &readme[b..]
    );
    stale.extend(check_generated(&readme_path, &want));
    assert!(
        stale.is_empty(),
        "stale generated docs (run `HULLSCAN_UPDATE_DOCS=1 cargo test --test catalog`): {stale:?}"
    );
}
