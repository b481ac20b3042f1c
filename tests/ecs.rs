//! `hullscan ecs` on task definition files in the formats teams keep: every finding is on
//! the line of the key to fix (a SARIF region), and a directory is searched for them.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

/// (rule, file, line) of every SARIF result.
fn regions(dir: &Path, args: &[&str]) -> BTreeSet<(String, String, u64)> {
    let mut all = vec!["ecs", "--no-config", "--no-images", "-f", "sarif"];
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
fn every_format_with_line_accurate_regions() {
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
    std::fs::write(d.join("ci.yml"), "on: push\njobs: {}\n").unwrap();
    let yaml = "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      IpcMode: host\n      ContainerDefinitions:\n        - Name: app\n          Image: !Ref Image\n          Privileged: true\n";
    std::fs::write(d.join("stack.yaml"), yaml).unwrap();

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
    // CloudFormation YAML, with its short-form tags.
    assert!(has(&all, "TD005", "stack.yaml", 5), "{all:?}");
    assert!(has(&all, "TD001", "stack.yaml", 9), "{all:?}");
    // Terraform plan: findings inside `container_definitions` are on its line.
    assert!(has(&all, "TD006", "plan.json", 5), "{all:?}");
    // The secret's value is nowhere in the output.
    let out = common::hullscan(&["ecs", "--no-config", "--no-images", "-f", "json", "."], d);
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&token));
    // Nothing from package.json or ci.yml; only the five task definition files are listed.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 5, "{}", v["files"]);
}

#[test]
fn a_named_file_that_is_not_a_task_definition_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.json"), r#"{"a": 1}"#).unwrap();
    std::fs::write(dir.path().join("t.yaml"), "Resources: {}\n").unwrap();
    for f in ["x.json", "t.yaml", "missing.json"] {
        let out = common::hullscan(&["ecs", "--no-config", "--no-images", f], dir.path());
        assert_eq!(out.status.code(), Some(2), "{f}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(f), "{err}");
    }
}

/// Registers task definitions in moto's ECS: `web:1` privileged, `web:2` fixed but with a
/// secret in its environment and run by service `svc` of cluster `prod`, `batch:1` with the
/// host's PID namespace (no service); in eu-west-1, `edge:1` in host network mode, run by a
/// service.
fn seed(moto: &common::moto::Moto, keys: Option<&(String, String)>, token: &str) {
    moto.py_as(
        keys,
        &format!(
            r"
def c(**extra):
    return dict(dict(name='app', image='app:1', memory=128, logConfiguration={{'logDriver': 'awslogs'}}, readonlyRootFilesystem=True, user='1000'), **extra)
ecs = boto3.client('ecs', **kw)
ecs.register_task_definition(family='web', containerDefinitions=[c(privileged=True)])
ecs.register_task_definition(family='web', containerDefinitions=[c(environment=[{{'name': 'GH', 'value': '{token}'}}])])
ecs.register_task_definition(family='batch', pidMode='host', containerDefinitions=[c()])
ecs.create_cluster(clusterName='prod')
ecs.create_service(cluster='prod', serviceName='svc', taskDefinition='web:2', desiredCount=1)
eu = boto3.client('ecs', **(kw | dict(region_name='eu-west-1')))
eu.register_task_definition(family='edge', networkMode='host', containerDefinitions=[c()])
eu.create_cluster(clusterName='edge')
eu.create_service(cluster='edge', serviceName='edge', taskDefinition='edge:1', desiredCount=1)
"
        ),
    );
}

/// (rule, task definition ARN's `family:revision`) of every finding of a JSON report.
fn live(out: &std::process::Output) -> BTreeSet<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let arn = f["arn"].as_str().or(f["path"].as_str()).unwrap_or_default();
            let td = arn.rsplit('/').next().unwrap_or_default().to_string();
            (f["rule"].as_str().unwrap().to_string(), td)
        })
        .collect()
}

fn pair(rule: &str, td: &str) -> (String, String) {
    (rule.to_string(), td.to_string())
}

#[test]
fn live_task_definitions_from_the_ecs_api() {
    let moto = common::moto::Moto::start();
    let token = hullscan::secrets::synthetic::checksummed("ghp_", 12);
    seed(&moto, None, &token);
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_ENDPOINT_URL", moto.url.as_str()),
    ];
    let run = |args: &[&str]| {
        let mut all = vec![
            "ecs",
            "--no-config",
            "--no-images",
            "-f",
            "json",
            "--disable",
            "TD010,TD018,TD020",
        ];
        all.extend_from_slice(args);
        common::moto::hullscan_aws(&all, home.path(), &env)
    };
    // What the services run, in one region: web:2 only.
    let out = run(&["aws://us-east-1"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(live(&out), BTreeSet::from([pair("TD008", "web:2")]));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&token));
    // Every ACTIVE revision: the privileged web:1 and the unused batch:1 too.
    let out = run(&["aws://us-east-1", "--all-revisions"]);
    assert_eq!(
        live(&out),
        BTreeSet::from([
            pair("TD001", "web:1"),
            pair("TD008", "web:2"),
            pair("TD005", "batch:1"),
        ])
    );
    // Every revision of the families one cluster's services run, and no other family.
    let out = run(&["aws://us-east-1/prod", "--all-revisions"]);
    assert_eq!(
        live(&out),
        BTreeSet::from([pair("TD001", "web:1"), pair("TD008", "web:2")])
    );
    // Two regions in one run, and one cluster.
    let out = run(&[
        "--account",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(
        live(&out),
        BTreeSet::from([pair("TD008", "web:2"), pair("TD004", "edge:1")])
    );
    let out = run(&["aws://eu-west-1/edge"]);
    assert_eq!(live(&out), BTreeSet::from([pair("TD004", "edge:1")]));
    // SARIF locates them by ARN.
    let out = common::moto::hullscan_aws(
        &[
            "ecs",
            "--no-config",
            "--no-images",
            "-f",
            "sarif",
            "aws://eu-west-1",
        ],
        home.path(),
        &env,
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("arn:aws:ecs:eu-west-1:"));
}

#[test]
fn the_deploy_iam_policy_is_enough_for_live_task_definitions() {
    let (moto, admin) = common::moto::Moto::start_iam();
    seed(&moto, Some(&admin), "x");
    let policy: serde_json::Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/deploy/iam-ecr-read-policy.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let keys = moto.create_user_with_policy(Some(&admin), "scanner", &policy);
    let home = tempfile::tempdir().unwrap();
    let run = |keys: &(String, String)| {
        common::moto::hullscan_aws(
            &[
                "ecs",
                "--no-config",
                "--no-images",
                "-f",
                "json",
                "--all-revisions",
                "aws://us-east-1",
            ],
            home.path(),
            &[
                ("AWS_ENDPOINT_URL", moto.url.as_str()),
                ("AWS_ACCESS_KEY_ID", &keys.0),
                ("AWS_SECRET_ACCESS_KEY", &keys.1),
            ],
        )
    };
    let out = run(&keys);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(live(&out).contains(&pair("TD001", "web:1")));
    // Without one of its actions, the error names the action to allow.
    let less = moto.create_user_as(
        Some(&admin),
        "less",
        &[
            "ecs:ListClusters",
            "ecs:ListServices",
            "ecs:DescribeServices",
            "ecs:DescribeTaskDefinition",
        ],
    );
    let out = run(&less);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ecs:ListTaskDefinitions"), "{err}");
}

/// The join: each image is scanned once from a real registry, and the container is judged as
/// it will run (the task's `user`, else the image's; a read-only root makes FS009 a note).
#[test]
fn task_definitions_are_joined_with_their_images() {
    use common::{Image, Layer};
    let reg = common::registry::Registry::start(None);
    let root = Image::new(vec![
        Layer::new("x")
            .file("/usr/bin/su", 0o4755, b"su")
            .file("/app/conf", 0o666, b"x"),
    ]);
    let user = Image::new(vec![Layer::new("y").file("/app/y", 0o755, b"y")])
        .with_config(serde_json::json!({"User": "1000"}));
    let _a = reg.push_image(&root, "root");
    let _b = reg.push_image(&user, "user");
    let h = &reg.host;
    let td = format!(
        r#"{{
  "family": "web",
  "containerDefinitions": [
    {{"name": "a", "image": "{h}/root:1", "readonlyRootFilesystem": true}},
    {{"name": "b", "image": "{h}/user:1", "readonlyRootFilesystem": true}},
    {{"name": "c", "image": "{h}/root:1", "readonlyRootFilesystem": true, "user": "1000"}}
  ]
}}
"#
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("td.json"), td).unwrap();
    let out = common::hullscan(
        &[
            "ecs",
            "--no-config",
            "-f",
            "json",
            "--disable",
            "TD009,TD010,IC002,IC004,RG004",
            "--insecure-registry",
            h,
            "td.json",
        ],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: BTreeSet<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let rules: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    // One finding for the root user, naming both places; none for b (the image's user) or c
    // (the task's user), and no IC001.
    let td003: Vec<_> = found.iter().filter(|f| f.0 == "TD003").collect();
    assert_eq!(td003.len(), 1, "{found:?}");
    assert_eq!(td003[0].1, "error");
    assert!(
        td003[0].2.contains("`a` of `web`") && td003[0].2.contains(&format!("{h}/root:1")),
        "{td003:?}"
    );
    assert!(!rules.contains(&"IC001"), "{rules:?}");
    // The image's own findings, once per image; FS009 a note under a read-only root.
    assert_eq!(
        rules.iter().filter(|r| **r == "FS001").count(),
        1,
        "{rules:?}"
    );
    let fs009: Vec<_> = found.iter().filter(|f| f.0 == "FS009").collect();
    assert_eq!(fs009.len(), 1, "{found:?}");
    assert_eq!(fs009[0].1, "note");
    assert_eq!(v["images"].as_array().unwrap().len(), 2);
    // --no-images: the task definitions alone; a's user is unknown, so a note.
    let out = common::hullscan(
        &[
            "ecs",
            "--no-config",
            "--no-images",
            "-f",
            "json",
            "--disable",
            "TD009,TD010",
            "td.json",
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let levels: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "TD003")
        .map(|f| f["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["note", "note"]);
}

/// The rules and levels of a `hullscan ecs -f json` output, sorted.
fn rules_and_levels(out: &std::process::Output) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    let mut found: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// Images are scanned once per digest however many tags name them; a state file makes a run
/// resumable and joins the work of shards; TD017 finds a `CMD-SHELL` health check for an
/// image without a shell.
#[test]
fn images_once_by_digest_resumed_and_sharded() {
    use common::{Image, Layer};
    let reg = common::registry::Registry::start(None);
    let root = Image::new(vec![
        Layer::new("x")
            .file("/usr/bin/su", 0o4755, b"su")
            .file("/bin/sh", 0o755, b"sh"),
    ]);
    let noshell = Image::new(vec![Layer::new("y").file("/app/server", 0o755, b"y")])
        .with_config(serde_json::json!({"User": "1000"}));
    let root_dir = reg.push_image(&root, "root");
    reg.push_as(&root_dir.path().join("img"), "1", "root:stable");
    let _b = reg.push_image(&noshell, "noshell");
    let h = &reg.host;
    let td = format!(
        r#"{{
  "family": "web",
  "containerDefinitions": [
    {{"name": "a", "image": "{h}/root:1", "user": "1000"}},
    {{"name": "b", "image": "{h}/root:stable", "user": "1000"}},
    {{"name": "c", "image": "{h}/noshell:1",
      "healthCheck": {{"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]}}}}
  ]
}}
"#
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("td.json"), td).unwrap();
    let run = |cache: &str, extra: &[&str]| {
        let td = d.join("td.json");
        let mut args = vec!["ecs", "--no-config"];
        if !extra.contains(&"-f") {
            args.extend(["-f", "json"]);
        }
        args.extend([
            "--disable",
            "TD002,TD009,TD010,IC002,IC004,RG004",
            "--insecure-registry",
            h.as_str(),
        ]);
        args.extend_from_slice(extra);
        args.push(td.to_str().unwrap());
        let cache = d.join(cache);
        common::hullscan_with(&args, "", &[("XDG_CACHE_HOME", cache.to_str().unwrap())])
    };
    let state = d.join("state.jsonl");
    let state = state.to_str().unwrap();
    let first = run("cache1", &["--state", state]);
    assert_eq!(first.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    // Two tags, one digest: one image.
    assert_eq!(v["images"].as_array().unwrap().len(), 2, "{v}");
    let expected = rules_and_levels(&first);
    assert_eq!(
        expected.iter().filter(|(r, _)| r == "FS001").count(),
        1,
        "{expected:?}"
    );
    let td017: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "TD017")
        .collect();
    assert_eq!(td017.len(), 1, "{expected:?}");
    assert_eq!(td017[0]["start_line"], 7, "{}", td017[0]);
    assert_eq!(std::fs::read_to_string(state).unwrap().lines().count(), 2);

    // Shards record their part in their own state files; together, every image once.
    let shard_state = d.join("s{shard}.jsonl");
    for k in ["0/2", "1/2"] {
        let out = run(
            "cache4",
            &["--shard", k, "--state", shard_state.to_str().unwrap()],
        );
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let part = |k: u32| std::fs::read_to_string(d.join(format!("s{k}.jsonl"))).unwrap_or_default();
    let mut parts: Vec<String> = part(0)
        .lines()
        .chain(part(1).lines())
        .map(str::to_string)
        .collect();
    parts.sort();
    let mut whole: Vec<String> = std::fs::read_to_string(state)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    whole.sort();
    assert_eq!(parts, whole);
    let merged = d.join("merged.jsonl");
    let out = common::hullscan(
        &[
            "merge",
            "-q",
            "-f",
            "jsonl",
            "-o",
            merged.to_str().unwrap(),
            "s0.jsonl",
            "s1.jsonl",
        ],
        d,
    );
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Break the root image's layer in the registry: a run that reads it fails; runs with a
    // state file that holds it do not read it.
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root_dir.path().join("img/index.json")).unwrap())
            .unwrap();
    let blob = |digest: &str| root_dir.path().join("img/blobs/sha256").join(&digest[7..]);
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(blob(index["manifests"][0]["digest"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    for l in manifest["layers"].as_array().unwrap() {
        let p = reg.blob_path(l["digest"].as_str().unwrap());
        let len = std::fs::metadata(&p).unwrap().len();
        std::fs::write(&p, vec![0u8; usize::try_from(len).unwrap()]).unwrap();
    }
    for (cache, state) in [("cache2", state), ("cache5", merged.to_str().unwrap())] {
        let resumed = run(cache, &["--state", state]);
        assert_eq!(rules_and_levels(&resumed), expected, "{state}");
        let err = String::from_utf8_lossy(&resumed.stderr);
        assert!(!err.contains("could not be"), "{state}: {err}");
    }
    let fresh = run("cache3", &[]);
    assert!(
        String::from_utf8_lossy(&fresh.stderr).contains("could not be scanned"),
        "a broken layer went unnoticed: {}",
        String::from_utf8_lossy(&fresh.stderr)
    );
}

/// Live task definitions joined with the images they run, served by the test registry: the
/// container without `user` on a root image is one error located by the task definition's
/// ARN, the image's own findings stand beside it.
#[test]
fn live_task_definitions_joined_with_their_images() {
    use common::{Image, Layer};
    let reg = common::registry::Registry::start(None);
    let root = Image::new(vec![Layer::new("x").file("/usr/bin/su", 0o4755, b"su")]);
    let _a = reg.push_image(&root, "api");
    let moto = common::moto::Moto::start();
    let h = &reg.host;
    moto.py(&format!(
        r"
ecs = boto3.client('ecs', **kw)
ecs.register_task_definition(family='api', containerDefinitions=[dict(name='api', image='{h}/api:1', memory=128)])
ecs.create_cluster(clusterName='prod')
ecs.create_service(cluster='prod', serviceName='api', taskDefinition='api:1', desiredCount=1)
"
    ));
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_ENDPOINT_URL", moto.url.as_str()),
    ];
    let out = common::moto::hullscan_aws(
        &[
            "ecs",
            "--no-config",
            "-f",
            "json",
            "--disable",
            "TD002,TD009,TD010,TD018,IC002,IC004",
            "--insecure-registry",
            h,
            "aws://us-east-1",
        ],
        home.path(),
        &env,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let td003: Vec<&serde_json::Value> = findings.iter().filter(|f| f["rule"] == "TD003").collect();
    assert_eq!(td003.len(), 1, "{findings:?}");
    assert_eq!(td003[0]["level"], "error");
    assert!(
        td003[0]["path"]
            .as_str()
            .is_some_and(|a| a.starts_with("arn:aws:ecs:us-east-1:") && a.ends_with("/api:1")),
        "{}",
        td003[0]
    );
    assert!(
        td003[0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{h}/api:1"))
    );
    let rules: BTreeSet<&str> = findings.iter().filter_map(|f| f["rule"].as_str()).collect();
    assert!(
        rules.contains("FS001") && !rules.contains("IC001"),
        "{rules:?}"
    );
    assert_eq!(v["images"].as_array().unwrap().len(), 1);
}

/// Each container is judged against the platform its task runs: `ARM64` tasks against the
/// arm64 image of an index, the others against amd64, whatever machine runs the scan.
#[test]
fn graviton_tasks_are_judged_against_the_arm64_image() {
    use common::{Image, Layer};
    let reg = common::registry::Registry::start(None);
    let dir = tempfile::tempdir().unwrap();
    let amd = Image::new(vec![Layer::new("x").file("/bin/sh", 0o755, b"ELF")]);
    let arm = Image::new(vec![Layer::new("y").file("/app/server", 0o755, b"ELF")])
        .with_config(serde_json::json!({"User": "1000"}))
        .arch("arm64");
    common::write_multi_platform(&dir.path().join("multi"), "1", &[amd, arm]);
    reg.push(&dir.path().join("multi"), "1", "multi");
    let h = &reg.host;
    let container = format!(
        r#"{{"name": "app", "image": "{h}/multi:1", "healthCheck": {{"command": ["CMD-SHELL", "true"]}}}}"#
    );
    std::fs::write(
        dir.path().join("x86.json"),
        format!(r#"{{"family": "x86", "containerDefinitions": [{container}]}}"#),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("arm.json"),
        format!(
            r#"{{"family": "arm", "runtimePlatform": {{"cpuArchitecture": "ARM64"}}, "containerDefinitions": [{container}]}}"#
        ),
    )
    .unwrap();
    let out = common::hullscan_with(
        &[
            "ecs",
            "--no-config",
            "-f",
            "json",
            "--disable",
            "TD002,TD009,TD010,TD018,IC002,IC004,RG004",
            "--insecure-registry",
            h,
            dir.path().join("x86.json").to_str().unwrap(),
            dir.path().join("arm.json").to_str().unwrap(),
        ],
        "",
        &[("XDG_CACHE_HOME", dir.path().join("cache").to_str().unwrap())],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: BTreeSet<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["path"].as_str().unwrap_or_default();
            let task = if file.ends_with("arm.json") {
                "arm"
            } else if file.ends_with("x86.json") {
                "x86"
            } else {
                "image"
            };
            (f["rule"].as_str().unwrap().to_string(), task.to_string())
        })
        .collect();
    assert!(found.contains(&pair("TD003", "x86")), "{found:?}");
    assert!(!found.contains(&pair("TD003", "arm")), "{found:?}");
    assert!(found.contains(&pair("TD017", "arm")), "{found:?}");
    assert!(!found.contains(&pair("TD017", "x86")), "{found:?}");
    let platforms: BTreeSet<&str> = v["images"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["platform"].as_str())
        .collect();
    assert_eq!(platforms, BTreeSet::from(["linux/amd64", "linux/arm64"]));
}

/// Never a silent clean: a directory holding a task definition that cannot be read exits 2
/// and names it with its position; `--skip-unreadable` makes it a warning; files that are not
/// ECS inputs are counted, and named with `-v`.
#[test]
fn unreadable_task_definitions_are_not_a_clean_pass() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("good.json"),
        r#"{"family": "g", "networkMode": "awsvpc", "containerDefinitions": [{"name": "c", "image": "x", "privileged": true}]}"#,
    )
    .unwrap();
    std::fs::write(
        d.join("broken.json"),
        "{\n  \"family\": \"b\",\n  \"containerDefinitions\": [\n    {\"name\": \"x\",}\n  ]\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("ecs-params.yml"),
        "version: 1\ntask_definition:\n  ecs_network_mode: awsvpc\n",
    )
    .unwrap();
    std::fs::write(d.join("package.json"), r#"{"name": "x"}"#).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["ecs", "--no-config", "--no-images", "-f", "json"];
        args.extend_from_slice(extra);
        args.push(".");
        common::hullscan(&args, d)
    };
    let out = run(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`broken.json`:4:"), "{err}");
    assert!(
        err.contains("2 files in the directories searched are not ECS inputs"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "TD001"),
        "the readable file is still judged"
    );
    let out = run(&["--skip-unreadable"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("broken.json") && err.contains("--skip-unreadable"),
        "{err}"
    );
    let out = run(&["-v"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ecs-params.yml") && err.contains("package.json"),
        "{err}"
    );
    // Named, a file that is not an ECS input is an error.
    let out = common::hullscan(&["ecs", "--no-config", "--no-images", "ecs-params.yml"], d);
    assert_eq!(out.status.code(), Some(2));
}

/// Terraform HCL and bare container arrays in a directory, each finding on its line: in the
/// `.tf`, or in the JSON file its `file()` reads; references are unknown and counted.
#[test]
fn terraform_hcl_and_bare_arrays() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("infra")).unwrap();
    std::fs::write(
        d.join("infra/main.tf"),
        r#"resource "aws_ecs_task_definition" "api" {
  family                = "api"
  network_mode          = "awsvpc"
  task_role_arn         = aws_iam_role.api.arn
  execution_role_arn    = aws_iam_role.api.arn
  container_definitions = jsonencode([
    {
      name       = "api"
      image      = var.image
      user       = "root"
      logConfiguration = { logDriver = "awslogs" }
    }
  ])
}

resource "aws_ecs_task_definition" "worker" {
  family                = "worker"
  network_mode          = "awsvpc"
  container_definitions = file("${path.module}/worker.json")
}

resource "aws_ecs_service" "api" {
  name            = "api"
  task_definition = aws_ecs_task_definition.api.arn
  network_configuration {
    subnets          = var.subnets
    assign_public_ip = true
  }
}
"#,
    )
    .unwrap();
    std::fs::write(
        d.join("infra/worker.json"),
        "[\n  {\n    \"name\": \"worker\",\n    \"image\": \"worker:1\",\n    \"essential\": true,\n    \"privileged\": true\n  }\n]\n",
    )
    .unwrap();
    let all = regions(d, &["."]);
    assert!(has(&all, "TD021", "infra/main.tf", 4), "{all:?}");
    assert!(has(&all, "TD003", "infra/main.tf", 10), "{all:?}");
    assert!(has(&all, "TD019", "infra/main.tf", 27), "{all:?}");
    // worker.json is read through file(): its findings are located in it.
    assert!(has(&all, "TD001", "infra/worker.json", 6), "{all:?}");
    let out = common::hullscan(&["ecs", "--no-config", "--no-images", "."], d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 value is not literal"), "{err}");
    // Judged once, as part of the task definition that reads it.
    let out = common::hullscan(&["ecs", "--no-config", "--no-images", "-f", "json", "."], d);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let td001: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "TD001")
        .collect();
    assert_eq!(td001.len(), 1, "{td001:?}");
    assert!(
        td001[0]["message"]
            .as_str()
            .unwrap()
            .contains("aws_ecs_task_definition.worker")
    );
    // A `file()` that is not there is an error naming the .tf and the line.
    std::fs::write(
        d.join("infra/extra.tf"),
        "resource \"aws_ecs_task_definition\" \"x\" {\n  family = \"x\"\n  container_definitions = file(\"missing.json\")\n}\n",
    )
    .unwrap();
    let out = common::hullscan(&["ecs", "--no-config", "--no-images", "."], d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`infra/extra.tf`:3:"), "{err}");
}

/// (family, rule, level) of the TD findings of a JSON report: a file's family is its file
/// stem, a live one's the ARN's `family` (revision dropped).
fn td_findings(out: &std::process::Output) -> BTreeSet<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("TD"))
        .map(|f| {
            let at = f["path"].as_str().unwrap_or_default();
            let tail = at.rsplit('/').next().unwrap_or_default();
            let family = tail
                .strip_suffix(".json")
                .unwrap_or_else(|| tail.split(':').next().unwrap_or_default());
            (
                family.to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Live mode sees every field of `DescribeTaskDefinition`: a Windows task and an ARM64 task
/// with a `CMD-SHELL` health check on an image without a shell, an entry point, Linux
/// parameters and an EFS volume give the same findings registered in moto as from their
/// files, and TD017 fires live.
#[test]
fn live_findings_equal_file_findings() {
    use common::{Image, Layer};
    let reg = common::registry::Registry::start(None);
    let noshell = Image::new(vec![Layer::new("y").file("/app/server", 0o755, b"ELF")])
        .with_config(serde_json::json!({"User": "1000"}));
    let _b = reg.push_image(&noshell, "noshell");
    let h = &reg.host;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = r#"{"logDriver": "awslogs", "options": {"awslogs-group": "g", "awslogs-region": "us-east-1"}}"#;
    let win = format!(
        r#"{{"family": "win", "requiresCompatibilities": ["EC2"], "cpu": "1024", "memory": "2048",
  "runtimePlatform": {{"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL", "cpuArchitecture": "X86_64"}},
  "containerDefinitions": [{{"name": "iis", "image": "{h}/noshell:1", "memory": 512, "essential": true,
    "entryPoint": ["powershell", "-Command"], "command": ["C:\\ServiceMonitor.exe w3svc"], "logConfiguration": {log}}}]}}"#
    );
    let arm = format!(
        r#"{{"family": "arm", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
  "taskRoleArn": "arn:aws:iam::123456789012:role/app", "executionRoleArn": "arn:aws:iam::123456789012:role/app",
  "runtimePlatform": {{"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"}},
  "volumes": [{{"name": "data", "efsVolumeConfiguration": {{"fileSystemId": "fs-12345678", "transitEncryption": "DISABLED"}}}}],
  "containerDefinitions": [{{"name": "app", "image": "{h}/noshell:1", "essential": true, "user": "1000",
    "entryPoint": ["/app/server"], "command": ["--port", "8080"],
    "healthCheck": {{"command": ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"], "interval": 30, "retries": 3}},
    "linuxParameters": {{"capabilities": {{"add": ["NET_ADMIN"], "drop": ["ALL"]}}, "initProcessEnabled": true}},
    "mountPoints": [{{"sourceVolume": "data", "containerPath": "/data"}}],
    "logConfiguration": {log}}}]}}"#
    );
    std::fs::write(d.join("win.json"), &win).unwrap();
    std::fs::write(d.join("arm.json"), &arm).unwrap();
    let moto = common::moto::Moto::start();
    let (w, a) = (d.join("win.json"), d.join("arm.json"));
    moto.py(&format!(
        r"
ecs = boto3.client('ecs', **kw)
for p in [{w:?}, {a:?}]:
    ecs.register_task_definition(**json.load(open(p)))
ecs.create_cluster(clusterName='prod')
ec2 = boto3.client('ec2', **kw)
vpc = ec2.create_vpc(CidrBlock='10.0.0.0/16')['Vpc']['VpcId']
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock='10.0.1.0/24')['Subnet']['SubnetId']
sg = ec2.create_security_group(GroupName='app', Description='app', VpcId=vpc)['GroupId']
ecs.create_service(cluster='prod', serviceName='arm', taskDefinition='arm:1', desiredCount=1, launchType='FARGATE',
    networkConfiguration={{'awsvpcConfiguration': {{'subnets': [subnet], 'securityGroups': [sg], 'assignPublicIp': 'ENABLED'}}}})
ecs.create_service(cluster='prod', serviceName='win', taskDefinition='win:1', desiredCount=1)
"
    ));
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_ENDPOINT_URL", moto.url.as_str()),
    ];
    for images in [false, true] {
        let mut common_args = vec!["ecs", "--no-config", "-f", "json"];
        if images {
            common_args.extend(["--insecure-registry", h.as_str()]);
        } else {
            common_args.push("--no-images");
        }
        let cache = d.join(format!("cache-{images}"));
        let cache = cache.to_str().unwrap();
        let mut files = common_args.clone();
        files.extend([w.to_str().unwrap(), a.to_str().unwrap()]);
        let from_files = td_findings(&common::hullscan_with(
            &files,
            "",
            &[("XDG_CACHE_HOME", cache)],
        ));
        let mut live = common_args.clone();
        live.push("aws://us-east-1/prod");
        let mut env = env.to_vec();
        env.push(("XDG_CACHE_HOME", cache));
        let mut from_api = td_findings(&common::moto::hullscan_aws(&live, home.path(), &env));
        // The service's public IP, from DescribeServices: located by the service's ARN.
        assert!(
            from_api.remove(&("arm".into(), "TD019".into(), "warning".into())),
            "{from_api:?}"
        );
        assert_eq!(from_api, from_files, "images: {images}");
        let has = |f: &str, r: &str| from_api.iter().any(|(ff, rr, _)| ff == f && rr == r);
        // Windows is judged as Windows: no Linux-only read-only root or capabilities.
        assert!(!has("win", "TD002") && !has("win", "TD018"), "{from_api:?}");
        assert!(has("arm", "TD006") && has("arm", "TD011") && has("arm", "TD021"));
        assert_eq!(has("arm", "TD017"), images, "{from_api:?}");
    }
}
