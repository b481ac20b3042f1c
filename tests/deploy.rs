//! The deployment examples under `deploy/` stay runnable: the files parse, every `hullscan`
//! command in them is accepted by today's command line (run against closed local ports, so it
//! fails at enumeration, not at argument parsing), and the IAM policy grants exactly the ECR
//! actions hullscan calls. `tests/ecr.rs` runs a batch scan under that policy.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::moto::hullscan_aws;

fn deploy(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy").join(p)
}

fn json(p: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(deploy(p)).unwrap()).unwrap()
}

/// The `args:` list of the container in the Kubernetes example.
fn kubernetes_args() -> Vec<String> {
    let text = std::fs::read_to_string(deploy("kubernetes/indexed-job.yaml")).unwrap();
    let mut lines = text.lines().skip_while(|l| l.trim() != "args:").skip(1);
    let mut out = Vec::new();
    for l in lines.by_ref() {
        let Some(item) = l.trim().strip_prefix("- ") else {
            break;
        };
        out.push(item.trim().to_string());
    }
    out
}

/// Runs a deployed command with its paths under `work` and its registry unreachable.
fn accepted(command: &[String], env: &[(&str, &str)]) {
    let work = tempfile::tempdir().unwrap();
    let w = work.path().to_str().unwrap();
    let args: Vec<String> = command
        .iter()
        .map(|a| {
            a.replace("/work", w)
                .replace("registry.example.com", "127.0.0.1:1")
        })
        .collect();
    let mut env = env.to_vec();
    env.extend([
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
    ]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = hullscan_aws(&refs, work.path(), &env);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("Usage:"), "{args:?} is not accepted: {err}");
    assert!(
        err.contains("listing"),
        "{args:?} should fail listing: {err}"
    );
}

#[test]
fn kubernetes_indexed_job() {
    let args = kubernetes_args();
    assert_eq!(args[0], "registry");
    assert!(args.iter().any(|a| a == "--shard=auto/4"));
    accepted(&args, &[("JOB_COMPLETION_INDEX", "1")]);
}

#[test]
fn aws_batch_array_job() {
    let def = json("aws-batch/job-definition.json");
    let command: Vec<String> =
        serde_json::from_value(def["containerProperties"]["command"].clone()).unwrap();
    assert_eq!(def["containerProperties"]["readonlyRootFilesystem"], true);
    accepted(&command, &[("AWS_BATCH_JOB_ARRAY_INDEX", "3")]);
}

#[test]
fn ecs_fargate_scheduled_task() {
    let def = json("ecs-fargate/task-definition.json");
    let c = &def["containerDefinitions"][0];
    assert_eq!(c["user"], "65532");
    assert_eq!(c["linuxParameters"]["capabilities"]["drop"][0], "ALL");
    let command: Vec<String> = serde_json::from_value(c["command"].clone()).unwrap();
    accepted(&command, &[]);
    let schedule = json("ecs-fargate/schedule.json");
    assert_eq!(schedule["Target"]["EcsParameters"]["LaunchType"], "FARGATE");
}

/// The AWS actions hullscan calls (`src/source/ecr.rs` and the registry API on the `dkr`
/// endpoint; `src/source/ecs.rs` for `hullscan ecs --account`).
const ECR_ACTIONS: [&str; 11] = [
    "ecr:BatchGetImage",
    "ecr:DescribeImages",
    "ecr:DescribeRepositories",
    "ecr:GetAuthorizationToken",
    "ecr:GetDownloadUrlForLayer",
    "ecr:GetRegistryScanningConfiguration",
    "ecs:DescribeServices",
    "ecs:DescribeTaskDefinition",
    "ecs:ListClusters",
    "ecs:ListServices",
    "ecs:ListTaskDefinitions",
];

#[test]
fn iam_policy_is_least_privilege() {
    let policy = json("iam-ecr-read-policy.json");
    let mut actions = BTreeSet::new();
    for s in policy["Statement"].as_array().unwrap() {
        assert_eq!(s["Effect"], "Allow");
        for a in s["Action"].as_array().unwrap() {
            assert!(actions.insert(a.as_str().unwrap().to_string()), "{a} twice");
        }
    }
    assert_eq!(
        actions,
        ECR_ACTIONS.iter().map(ToString::to_string).collect()
    );
}
