//! The GitHub Action, run locally: its shell steps with a fake `GITHUB_*` environment against
//! the test build of hullscan (outputs, step summary, annotations, exit code, SARIF), the
//! checksum-verified install from a fake release, SHA pinning of every third-party action,
//! and the project's own Dockerfile and image under their own scan.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scripts/action-run.sh` with the given inputs; returns its output, the
/// `GITHUB_OUTPUT` key/values and the step summary.
fn run_action(inputs: &[(&str, &str)], cwd: &Path) -> (Output, BTreeMap<String, String>, String) {
    run_action_env(inputs, cwd, &[])
}

/// [`run_action`] with extra environment (an engine's address).
fn run_action_env(
    inputs: &[(&str, &str)],
    cwd: &Path,
    env: &[(&str, &str)],
) -> (Output, BTreeMap<String, String>, String) {
    let gh = tempfile::tempdir().unwrap();
    let output = gh.path().join("output");
    let summary = gh.path().join("summary");
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scripts/action-run.sh"))
        .current_dir(cwd)
        .env("HULLSCAN_BIN", env!("CARGO_BIN_EXE_hullscan"))
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", gh.path())
        .env("NO_COLOR", "1")
        .envs(env.iter().copied());
    for (k, v) in inputs {
        cmd.env(format!("INPUT_{}", k.to_uppercase().replace('-', "_")), v);
    }
    let out = cmd.output().unwrap();
    let outputs = std::fs::read_to_string(&output)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    let summary = std::fs::read_to_string(&summary).unwrap_or_default();
    // Keep the SARIF: copy it next to the caller before the temp dir goes.
    let mut outputs: BTreeMap<String, String> = outputs;
    if let Some(s) = outputs.get("sarif-file").cloned() {
        let kept = cwd.join("kept.sarif");
        std::fs::copy(&s, &kept).unwrap();
        outputs.insert("sarif-file".into(), kept.display().to_string());
    }
    (out, outputs, summary)
}

/// A temp dir holding `testdata/cli/<name>` as `Dockerfile`.
fn with_dockerfile(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("testdata/cli").join(name),
        dir.path().join("Dockerfile"),
    )
    .unwrap();
    dir
}

fn validate(sarif: &Path) -> serde_json::Value {
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(sarif).unwrap()).unwrap();
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join("testdata/sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results: usize = log["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["results"].as_array().unwrap().len())
        .sum();
    assert!(results <= 25_000);
    log
}

#[test]
fn dockerfile_step_outputs_summary_annotations() {
    let dir = with_dockerfile("app.Dockerfile");
    let (out, outputs, summary) = run_action(
        &[
            ("dockerfile", "Dockerfile"),
            ("fail-on", "error"),
            ("category", "ci"),
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "the run step never fails itself: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(outputs["exit-code"], "1");
    assert_eq!(outputs["findings"], "4");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("::error file=Dockerfile,line=9,endLine=9,title=DF010::`ENV` `API_TOKEN` stores a secret in the image config"), "{stdout}");
    assert!(
        stdout.contains("error[DF010] secret-in-env"),
        "the human report is in the log: {stdout}"
    );
    assert!(
        summary.contains("| DF003 | `base-not-pinned` | note | 2 |"),
        "{summary}"
    );
    assert!(
        summary.contains("Exit code 1 (fail-on: error)"),
        "{summary}"
    );
    let log = validate(Path::new(&outputs["sarif-file"]));
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "ci/dockerfile/");
}

#[test]
fn fail_on_never_and_missing_inputs() {
    let dir = with_dockerfile("app.Dockerfile");
    let (_, outputs, _) = run_action(
        &[("dockerfile", "Dockerfile"), ("fail-on", "never")],
        dir.path(),
    );
    assert_eq!(outputs["exit-code"], "0");
    let (out, outputs, _) = run_action(&[], dir.path());
    assert_eq!(outputs["exit-code"], "2");
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("::error::give the action a 'dockerfile' or an 'image' input")
    );
    let (_, outputs, _) = run_action(&[("dockerfile", "missing/Dockerfile")], dir.path());
    assert_eq!(outputs["exit-code"], "2");
}

#[test]
fn image_just_built_in_the_local_engine() {
    // `image: app:${{ github.sha }}` right after `docker build`: no `docker save` step.
    let deb = common::debian::debian();
    let d = common::engine::Dockerd::start();
    let dir = tempfile::tempdir().unwrap();
    d.docker(&["load", "-q", "-i", deb.join("debian.tar").to_str().unwrap()]);
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM localhost/debian:bookworm\nRUN chmod u+s /usr/bin/ls\nUSER 1000\n",
    )
    .unwrap();
    d.docker(&[
        "build",
        "-q",
        "-t",
        "app:0123abc",
        dir.path().to_str().unwrap(),
    ]);
    let (out, outputs, summary) = run_action_env(
        &[("image", "app:0123abc"), ("dockerfile", "Dockerfile")],
        dir.path(),
        &[
            ("DOCKER_HOST", &d.host()),
            ("CONTAINER_HOST", "unix:///nonexistent"),
        ],
    );
    assert_eq!(
        outputs["exit-code"],
        "1",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = validate(Path::new(&outputs["sarif-file"]));
    assert!(summary.contains("| FS001 |"), "{summary}");
    let image = &log["runs"][1]["properties"]["images"][0];
    assert_eq!(image["reference"], "docker-daemon:app:0123abc", "{image}");
    assert_eq!(image["source"], "docker", "{image}");
}

#[test]
fn dockerfile_and_image_in_one_sarif_file() {
    let dir = with_dockerfile("clean.Dockerfile");
    common::Image::new(vec![common::Layer::new("x").file(
        "/usr/bin/su",
        0o4755,
        b"ELF",
    )])
    .with_config(serde_json::json!({"User": "65532"}))
    .write_oci(&dir.path().join("img"), "1");
    let (_, outputs, summary) = run_action(
        &[("dockerfile", "Dockerfile"), ("image", "oci:img:1")],
        dir.path(),
    );
    assert_eq!(outputs["exit-code"], "1");
    let log = validate(Path::new(&outputs["sarif-file"]));
    let ids: Vec<&str> = log["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["automationDetails"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["hullscan/dockerfile/", "hullscan/image/"],
        "one run per category"
    );
    assert!(
        summary.contains("| FS001 | `setuid-file` | error | 1 |"),
        "{summary}"
    );
}

fn fake_release(dir: &Path, tamper: bool) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let rel = dir.join(format!("v{version}"));
    std::fs::create_dir_all(&rel).unwrap();
    let stage = dir.join("stage");
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_hullscan"), stage.join("hullscan")).unwrap();
    let archive = format!("hullscan-{version}-x86_64-unknown-linux-musl.tar.gz");
    let st = Command::new("tar")
        .arg("-czf")
        .arg(rel.join(&archive))
        .arg("-C")
        .arg(&stage)
        .arg("hullscan")
        .status()
        .unwrap();
    assert!(st.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&rel)
        .output()
        .unwrap();
    let mut sums = String::from_utf8(sum.stdout).unwrap();
    if tamper {
        sums = format!("{}{}", "0".repeat(64), &sums[64..]);
    }
    std::fs::write(rel.join("SHA256SUMS"), sums).unwrap();
    format!("file://{}", dir.display())
}

fn install(base_url: &str, version: &str) -> (Output, String) {
    let gh = tempfile::tempdir().unwrap();
    let output = gh.path().join("output");
    let out = Command::new("bash")
        .arg(root().join("scripts/action-install.sh"))
        .env("HULLSCAN_RELEASE_BASE_URL", base_url)
        .env("RUNNER_TEMP", gh.path())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_ACTION_PATH", root())
        .env("INPUT_VERSION", version)
        .env("PATH", "/usr/bin:/bin") // no cargo: the release binary must be used
        .output()
        .unwrap();
    (out, std::fs::read_to_string(output).unwrap_or_default())
}

#[test]
fn install_verifies_the_release_checksum() {
    if std::env::consts::ARCH != "x86_64" || std::env::consts::OS != "linux" {
        return; // the fake release carries an x86_64 Linux binary
    }
    let dir = tempfile::tempdir().unwrap();
    let url = fake_release(dir.path(), false);
    let (out, outputs) = install(&url, "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("(sha256 verified)"));
    assert!(
        outputs.starts_with("bin=") && outputs.trim_end().ends_with("/bin/hullscan"),
        "{outputs}"
    );
    let bad = tempfile::tempdir().unwrap();
    let url = fake_release(bad.path(), true);
    let (out, _) = install(&url, "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("checksum verification failed"));
    let (out, _) = install(&url, "latest");
    assert_eq!(out.status.code(), Some(2), "`latest` is refused");
}

#[test]
fn every_third_party_action_is_pinned_by_commit() {
    let mut files = vec![root().join("action.yml")];
    for e in std::fs::read_dir(root().join(".github/workflows")).unwrap() {
        files.push(e.unwrap().path());
    }
    let mut seen = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for line in text.lines() {
            let Some(uses) = line.trim().trim_start_matches("- ").strip_prefix("uses:") else {
                continue;
            };
            let uses = uses.trim();
            if uses.starts_with("./") {
                continue;
            }
            let sha = uses
                .split('@')
                .nth(1)
                .unwrap_or("")
                .split_whitespace()
                .next()
                .unwrap_or("");
            assert!(
                sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
                "{}: `{uses}` is not pinned by commit",
                f.display()
            );
            seen += 1;
        }
    }
    assert!(seen >= 5);
}

#[test]
fn action_inputs_are_kebab_case_and_documented() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let inputs = text
        .split("\ninputs:\n")
        .nth(1)
        .unwrap()
        .split("\noutputs:\n")
        .next()
        .unwrap();
    let names: Vec<&str> = inputs
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':'))
        .map(|l| l.trim().trim_end_matches(':'))
        .collect();
    assert_eq!(
        names,
        [
            "dockerfile",
            "image",
            "config",
            "fail-on",
            "format",
            "output",
            "upload-sarif",
            "category",
            "version"
        ]
    );
    for n in names {
        assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{n}");
    }
    for o in ["sarif-file:", "findings:", "exit-code:"] {
        assert!(text.contains(o), "{o}");
    }
}

#[test]
fn own_dockerfile_is_clean() {
    let out = common::hullscan(&["dockerfile", "--no-config", "Dockerfile"], &root());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "no findings in 1 file\n"
    );
}

/// Builds the final stage of the project's Dockerfile with buildah (the build stage needs a
/// registry, so the binary comes from this test build) and scans the result. Docker format
/// keeps `HEALTHCHECK NONE`, which the OCI config format has no field for.
#[test]
fn own_image_final_stage_has_no_error_finding() {
    let dockerfile = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    let final_stage = &dockerfile[dockerfile.rfind("\nFROM ").unwrap() + 1..];
    assert!(final_stage.contains("COPY --from=build /hullscan /hullscan"));
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("ctx")).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_hullscan"), p.join("ctx/hullscan")).unwrap();
    std::fs::write(
        p.join("ctx/Dockerfile"),
        final_stage.replace(
            "COPY --from=build /hullscan /hullscan",
            "COPY hullscan /hullscan",
        ),
    )
    .unwrap();
    let buildah = |args: &[&str]| common::debian::buildah(p, args);
    common::debian::run(
        buildah(&[
            "bud",
            "--format",
            "docker",
            "--isolation",
            "chroot",
            "-q",
            "-t",
            "localhost/hullscan:test",
            "-f",
        ])
        .arg(p.join("ctx/Dockerfile"))
        .arg(p.join("ctx")),
    );
    common::debian::run(
        buildah(&["push", "-q", "--format", "v2s2", "localhost/hullscan:test"])
            .arg(format!("oci:{}:test", p.join("out").display())),
    );
    let out = common::hullscan(
        &[
            "image",
            "--no-config",
            "-f",
            "json",
            "--fail-on",
            "error",
            "oci:out:test",
        ],
        p,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        common::findings(&out),
        Vec::<String>::new(),
        "a static binary on scratch as uid 65532"
    );
}
