//! `hullscan ecs` on task definition files in the four formats teams keep: every finding is on
//! the line of the key to fix (a SARIF region), and a directory is searched for them.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

/// (rule, file, line) of every SARIF result.
fn regions(dir: &Path, args: &[&str]) -> BTreeSet<(String, String, u64)> {
    let mut all = vec!["ecs", "--no-config", "-f", "sarif"];
    all.extend_from_slice(args);
    let out = common::hullscan(&all, dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_string(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                loc["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn has(set: &BTreeSet<(String, String, u64)>, rule: &str, file: &str, line: u64) -> bool {
    set.contains(&(rule.to_string(), file.to_string(), line))
}

const REGISTER: &str = r#"{
  "family": "web",
  "networkMode": "host",
  "containerDefinitions": [
    {
      "name": "app",
      "image": "nginx:latest",
      "privileged": true,
      "user": "root",
      "readonlyRootFilesystem": true,
      "logConfiguration": {"logDriver": "awslogs"},
      "environment": [
        {"name": "PORT", "value": "8080"},
        {"name": "GITHUB_TOKEN", "value": "GHTOKEN"}
      ]
    }
  ]
}
"#;

#[test]
fn four_formats_with_line_accurate_regions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let token = hullscan::secrets::synthetic::checksummed("ghp_", 11);
    let register = REGISTER.replace("GHTOKEN", &token);
    std::fs::write(d.join("task-definition.json"), &register).unwrap();
    // describe-task-definition output: the same document one level down, two lines later.
    let described = format!(
        "{{\n  \"taskDefinition\":\n{},\n  \"tags\": []\n}}\n",
        register.trim_end()
    );
    std::fs::write(d.join("described.json"), described).unwrap();
    let cfn = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "TaskDef": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "PidMode": "host",
        "IpcMode": "host",
        "ContainerDefinitions": [
          {
            "Name": "app",
            "Image": {"Fn::Sub": "${AWS::AccountId}.dkr.ecr.eu-west-1.amazonaws.com/app:${Tag}"},
            "Privileged": "true",
            "User": "1000",
            "ReadonlyRootFilesystem": true,
            "LogConfiguration": {"LogDriver": "awslogs"}
          }
        ],
        "Volumes": [{"Name": "d", "EFSVolumeConfiguration": {"FilesystemId": "fs-1"}}]
      }
    }
  }
}
"#;
    std::fs::write(d.join("template.json"), cfn).unwrap();
    let defs = serde_json::to_string(
        r#"[{"name": "app", "image": "app@sha256:0000000000000000000000000000000000000000000000000000000000000000", "user": "1000", "readonlyRootFilesystem": true, "logConfiguration": {"logDriver": "awslogs"}, "linuxParameters": {"capabilities": {"add": ["SYS_ADMIN"]}}}]"#,
    )
    .unwrap();
    let plan = format!(
        "{{\"format_version\": \"1.2\",\n\"planned_values\": {{\"root_module\": {{\"resources\": [\n{{\"address\": \"aws_ecs_task_definition.svc\", \"type\": \"aws_ecs_task_definition\",\n\"values\": {{\"family\": \"svc\",\n\"container_definitions\": {defs}}}}}]}}}}}}\n"
    );
    std::fs::write(d.join("plan.json"), plan).unwrap();
    std::fs::write(
        d.join("package.json"),
        r#"{"name": "not a task definition"}"#,
    )
    .unwrap();

    let all = regions(d, &["."]);
    // register-task-definition input.
    assert!(has(&all, "TD004", "task-definition.json", 3), "{all:?}");
    assert!(has(&all, "TD010", "task-definition.json", 7));
    assert!(has(&all, "TD001", "task-definition.json", 8));
    assert!(has(&all, "TD003", "task-definition.json", 9));
    assert!(has(&all, "TD008", "task-definition.json", 14));
    // describe output: two lines later.
    assert!(has(&all, "TD001", "described.json", 10));
    assert!(has(&all, "TD008", "described.json", 16));
    // CloudFormation: PascalCase keys, string booleans, an intrinsic image left alone.
    assert!(has(&all, "TD005", "template.json", 7));
    assert!(has(&all, "TD005", "template.json", 8));
    assert!(has(&all, "TD001", "template.json", 13));
    assert!(has(&all, "TD011", "template.json", 19));
    assert!(
        !all.iter()
            .any(|(r, f, _)| r == "TD010" && f == "template.json")
    );
    // Terraform plan: findings inside `container_definitions` are on its line.
    assert!(has(&all, "TD006", "plan.json", 5), "{all:?}");
    // The secret's value is nowhere in the output.
    let out = common::hullscan(&["ecs", "--no-config", "-f", "json", "."], d);
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&token));
    // Nothing from package.json; only the four files are listed.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 4, "{}", v["files"]);
}

#[test]
fn a_named_file_that_is_not_a_task_definition_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.json"), r#"{"a": 1}"#).unwrap();
    std::fs::write(dir.path().join("t.yaml"), "Resources: {}\n").unwrap();
    for f in ["x.json", "t.yaml", "missing.json"] {
        let out = common::hullscan(&["ecs", "--no-config", f], dir.path());
        assert_eq!(out.status.code(), Some(2), "{f}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(f), "{err}");
    }
}
