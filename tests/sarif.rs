//! SARIF output against the OASIS SARIF 2.1.0 JSON schema (vendored from the `serde-sarif`
//! crate's source, MIT) and against what GitHub code scanning requires of an upload.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn sarif_for(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args(["dockerfile", "--no-config", "-f", "sarif"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

mod common;

use common::sarif_schema as schema;

#[test]
fn validates_against_the_oasis_schema() {
    let validator = schema();
    for args in [
        vec!["testdata/dockerfiles"],
        vec!["testdata/cli/clean.Dockerfile"],
        vec![
            "testdata/cli/broken.Dockerfile",
            "testdata/cli/app.Dockerfile",
        ],
    ] {
        let log = sarif_for(&args);
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
}

#[test]
fn the_schema_check_can_fail() {
    let mut log = sarif_for(&["testdata/cli/app.Dockerfile"]);
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!schema().is_valid(&log));
}

#[test]
fn meets_github_code_scanning_limits() {
    let log = sarif_for(&["testdata/dockerfiles"]);
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "one run per category");
    let run = &runs[0];
    assert!(
        run["automationDetails"]["id"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        let sev: f64 = r["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&sev));
        assert!(
            r["help"]["markdown"]
                .as_str()
                .is_some_and(|m| m.contains("How to fix"))
        );
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 25_000);
    for res in results {
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains(":\\") && !uri.starts_with("file:"),
            "{uri}"
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        assert!(
            res["partialFingerprints"]["hullscan/v1"]
                .as_str()
                .is_some_and(|f| f.len() == 16)
        );
    }
}
