//! The command line end to end: every subcommand, format and failure mode, with exit codes,
//! stdout and stderr snapshotted (insta). Runs the real binary.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn hullscan(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args(args)
        .current_dir(cwd)
        .env_remove("HULLSCAN_LOG")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Exit code, stdout and stderr in one snapshot-friendly string, version redacted.
fn render(o: &Output) -> String {
    let clean =
        |b: &[u8]| String::from_utf8_lossy(b).replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        o.status.code().unwrap_or(-1),
        clean(&o.stdout),
        clean(&o.stderr)
    )
}

fn run(args: &[&str]) -> String {
    render(&hullscan(args, &root()))
}

#[test]
fn human_report() {
    insta::assert_snapshot!(run(&[
        "dockerfile",
        "--no-config",
        "testdata/cli/app.Dockerfile"
    ]));
}

#[test]
fn json_report() {
    insta::assert_snapshot!(run(&[
        "dockerfile",
        "--no-config",
        "-f",
        "json",
        "testdata/cli/app.Dockerfile"
    ]));
}

#[test]
fn sarif_report() {
    insta::assert_snapshot!(run(&[
        "dockerfile",
        "--no-config",
        "-f",
        "sarif",
        "testdata/cli/app.Dockerfile"
    ]));
}

#[test]
fn github_annotations() {
    insta::assert_snapshot!(run(&[
        "dockerfile",
        "--no-config",
        "-f",
        "github",
        "testdata/cli/app.Dockerfile"
    ]));
}

#[test]
fn fail_on_levels() {
    let code = |extra: &[&str], file: &str| {
        let mut args = vec!["dockerfile", "--no-config", "-q"];
        args.extend_from_slice(extra);
        args.push(file);
        hullscan(&args, &root()).status.code()
    };
    assert_eq!(code(&[], "testdata/cli/app.Dockerfile"), Some(1));
    assert_eq!(
        code(&["--fail-on", "never"], "testdata/cli/app.Dockerfile"),
        Some(0)
    );
    assert_eq!(code(&[], "testdata/cli/clean.Dockerfile"), Some(0));
    assert_eq!(
        code(&["--fail-on", "note"], "testdata/cli/clean.Dockerfile"),
        Some(0)
    );
    // With the error and warning rules off only notes (DF003, DF011, DF015) remain.
    assert_eq!(
        code(
            &["--fail-on", "warning", "--disable", "DF001,DF007,DF010"],
            "testdata/cli/app.Dockerfile"
        ),
        Some(0)
    );
    assert_eq!(
        code(
            &["--fail-on", "note", "--disable", "DF001,DF007,DF010"],
            "testdata/cli/app.Dockerfile"
        ),
        Some(1)
    );
    assert_eq!(
        code(
            &[
                "--fail-on",
                "error",
                "--disable",
                "root-user,DF010",
                "--enable",
                "DF010"
            ],
            "testdata/cli/app.Dockerfile"
        ),
        Some(1)
    );
}

#[test]
fn bad_inputs_are_one_line_errors_and_the_rest_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("binary.Dockerfile"), b"FROM a\0\x01\x02").unwrap();
    std::fs::write(dir.path().join("latin1.Dockerfile"), b"FROM caf\xe9\n").unwrap();
    std::fs::write(dir.path().join("empty.Dockerfile"), b"\n\n").unwrap();
    std::fs::write(
        dir.path().join("huge.Dockerfile"),
        vec![b'#'; 2 * 1024 * 1024],
    )
    .unwrap();
    std::fs::copy(
        root().join("testdata/cli/broken.Dockerfile"),
        dir.path().join("broken.Dockerfile"),
    )
    .unwrap();
    std::fs::copy(
        root().join("testdata/cli/clean.Dockerfile"),
        dir.path().join("Dockerfile"),
    )
    .unwrap();
    let out = hullscan(
        &["dockerfile", "--no-config", ".", "missing.Dockerfile"],
        dir.path(),
    );
    insta::assert_snapshot!(render(&out));
}

#[test]
fn directory_without_dockerfiles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "hi").unwrap();
    insta::assert_snapshot!(render(&hullscan(
        &["dockerfile", "--no-config", "."],
        dir.path()
    )));
}

#[test]
fn directory_walk_honours_gitignore_and_skips_git() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let clean = std::fs::read_to_string(root().join("testdata/cli/clean.Dockerfile")).unwrap();
    for f in [
        "Dockerfile",
        "svc/api.Dockerfile",
        "svc/Dockerfile.prod",
        "svc/Containerfile",
        "build/Dockerfile",
        ".git/Dockerfile",
        ".devcontainer/Dockerfile",
        "docs/Dockerfile.md",
    ] {
        std::fs::create_dir_all(p.join(f).parent().unwrap()).unwrap();
        std::fs::write(p.join(f), &clean).unwrap();
    }
    std::fs::write(p.join(".gitignore"), "build/\n").unwrap();
    let out = hullscan(&["dockerfile", "--no-config", "-f", "json", "."], p);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            ".devcontainer/Dockerfile",
            "Dockerfile",
            "svc/Containerfile",
            "svc/Dockerfile.prod",
            "svc/api.Dockerfile"
        ]
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args([
            "dockerfile",
            "--no-config",
            "--stdin-filename",
            "svc/Dockerfile",
            "-f",
            "github",
            "-",
        ])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM debian\nRUN sudo true\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    insta::assert_snapshot!(render(&out));
}

#[test]
fn config_is_found_upward_and_validated() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("svc")).unwrap();
    std::fs::write(
        p.join("svc/Dockerfile"),
        "FROM quay.io/acme/base:1\nUSER root\n",
    )
    .unwrap();
    std::fs::write(
        p.join(".hullscan.toml"),
        "fail-on = \"warning\"\n[rules]\ndisable = [\"DF011\"]\nlevels = { DF003 = \"warning\" }\n[dockerfile]\nallowed-registries = [\"ghcr.io\"]\n[[ignore]]\nrule = \"DF001\"\npath = \"**/Dockerfile\"\nreason = \"debug image\"\n[[ignore]]\nrule = \"DF009\"\nreason = \"never matches\"\n",
    )
    .unwrap();
    insta::assert_snapshot!(
        "config_applied",
        render(&hullscan(&["dockerfile", "Dockerfile"], &p.join("svc")))
    );
    std::fs::write(
        p.join(".hullscan.toml"),
        "[rules]\ndisabled = [\"DF011\"]\n",
    )
    .unwrap();
    let out = hullscan(&["dockerfile", "Dockerfile"], &p.join("svc"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown field `disabled`"), "{err}");
    // Where, as editors jump to it.
    assert!(err.contains(".hullscan.toml:2:1: "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn unknown_rule_is_a_usage_error() {
    let out = hullscan(
        &[
            "dockerfile",
            "--no-config",
            "--disable",
            "DF999",
            "testdata/cli/clean.Dockerfile",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "hullscan: error: --disable/--enable: unknown rule `DF999` (see `hullscan rules`)\n"
    );
}

#[test]
fn output_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.sarif");
    let out = hullscan(
        &[
            "dockerfile",
            "--no-config",
            "-f",
            "sarif",
            "-o",
            target.to_str().unwrap(),
            "testdata/cli/app.Dockerfile",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(target).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
}

#[test]
fn rules_command() {
    insta::assert_snapshot!("rules_human", run(&["rules"]));
    insta::assert_snapshot!("rules_one", run(&["rules", "curl-pipe-shell"]));
    let json = hullscan(&["rules", "--format", "json"], &root());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        hullscan::rules::RuleId::ALL.len()
    );
    let md = hullscan(&["rules", "--format", "md"], &root());
    assert_eq!(
        String::from_utf8_lossy(&md.stdout),
        hullscan::docs::rule_table()
    );
    assert_eq!(
        hullscan(&["rules", "XX001"], &root()).status.code(),
        Some(2)
    );
}

#[test]
fn help() {
    insta::assert_snapshot!("help", run(&["--help"]));
    insta::assert_snapshot!("help_dockerfile", run(&["dockerfile", "--help"]));
    assert_eq!(hullscan(&["bogus"], &root()).status.code(), Some(2));
}

#[test]
fn hadolint_users_keep_their_ids_and_config() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("Dockerfile"), "FROM debian:latest\nUSER root\n").unwrap();
    let rules = |out: &std::process::Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let all = rules(&hullscan(&["dockerfile", "-f", "json", "Dockerfile"], p));
    assert!(all.contains(&"DF002".to_string()) && all.contains(&"DF001".to_string()));
    // hadolint's ids on the command line stand for the rules that map them.
    let out = hullscan(
        &[
            "dockerfile",
            "-f",
            "json",
            "--disable",
            "DL3007",
            "--no-color",
            "Dockerfile",
        ],
        p,
    );
    assert!(
        !rules(&out).contains(&"DF002".to_string()),
        "{:?}",
        rules(&out)
    );
    // `hullscan rules DL3002` shows the rule that covers it, with a note.
    let out = hullscan(&["rules", "DL3002"], p);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("DF001"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("peer's id"));
    // A .hadolint.yaml applies while there is no .hullscan.toml, and says so.
    std::fs::write(
        p.join(".hadolint.yaml"),
        "ignored:\n  - DL3007 # latest is fine here\n  - DL3002\ntrustedRegistries: [docker.io]\n",
    )
    .unwrap();
    let out = hullscan(&["dockerfile", "-f", "json", "Dockerfile"], p);
    let got = rules(&out);
    assert!(
        !got.contains(&"DF002".to_string()) && !got.contains(&"DF001".to_string()),
        "{got:?}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(".hadolint.yaml"));
    std::fs::write(p.join(".hullscan.toml"), "").unwrap();
    let out = hullscan(&["dockerfile", "-f", "json", "Dockerfile"], p);
    assert!(rules(&out).contains(&"DF002".to_string()));
}

/// Issue 30: no format prints a secret value from a Dockerfile, snippets included (the human
/// report shows source lines; the Action prints it into CI logs).
#[test]
fn no_format_prints_a_dockerfile_secret() {
    let dir = tempfile::tempdir().unwrap();
    let token = hullscan::secrets::synthetic::checksummed("ghp_", 31);
    let aws = hullscan::secrets::synthetic::random(
        32,
        40,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    );
    let password = "Tr0ub4dor-and-3";
    std::fs::write(
        dir.path().join("Dockerfile"),
        format!(
            "FROM debian:12\nARG GITHUB_TOKEN={token}\nENV AWS_SECRET_ACCESS_KEY={aws} \\\n\tDB_PASSWORD=\"{password}\"\nRUN git clone https://x:{token}@github.com/a/b\n"
        ),
    )
    .unwrap();
    for format in ["human", "json", "sarif", "github", "html"] {
        let out = hullscan(
            &["dockerfile", "--no-config", "-f", format, "Dockerfile"],
            dir.path(),
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains("DF010"), "{format}: no DF010 finding:\n{all}");
        for (what, value) in [
            ("token", &token[4..]),
            ("aws", &aws[4..]),
            ("password", password),
        ] {
            assert!(
                !all.contains(value),
                "{format} prints the {what} in clear:\n{all}"
            );
        }
        if format == "human" {
            assert!(all.contains("chars hidden"), "{all}");
            assert!(!all.contains("\\t"), "tabs are shown as spaces:\n{all}");
        }
    }
}
