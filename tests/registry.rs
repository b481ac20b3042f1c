//! `hullscan image` against a real registry on 127.0.0.1 (see `common::registry`): anonymous
//! pulls over plain HTTP, tags and digests, multi-platform indexes, basic auth from the command
//! line and from the docker config, and clear one-line errors for what fails.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::registry::Registry;
use common::{Image, Layer, findings, hullscan, one_line_error};

fn scan(reference: &str, extra: &[&str], registry: &Registry) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "image",
        "--no-config",
        "-f",
        "json",
        "--insecure-registry",
        &registry.host,
        reference,
    ];
    args.extend_from_slice(extra);
    hullscan(&args, dir.path())
}

#[test]
fn registry_scan_equals_layout_scan() {
    let reg = Registry::start(None);
    let dir = tempfile::tempdir().unwrap();
    Image::from_recipe("busy").write_oci(&dir.path().join("img"), "1");
    reg.push(&dir.path().join("img"), "1", "team/busy");
    let local = findings(&hullscan(
        &["image", "--no-config", "-f", "json", "oci:img:1"],
        dir.path(),
    ));
    let out = scan(&format!("{}/team/busy:1", reg.host), &[], &reg);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut remote = findings(&out);
    // A registry reference by tag is judged; a local layout is not.
    assert!(remote.contains(&"IC002 config".to_string()), "{remote:?}");
    // The pushed image is not signed either (RG004); neither applies to a local layout.
    assert!(remote.contains(&"RG004 config".to_string()), "{remote:?}");
    remote.retain(|f| f != "IC002 config" && f != "RG004 config");
    assert_eq!(remote, local);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let digest = v["images"][0]["manifest_digest"]
        .as_str()
        .unwrap()
        .to_string();
    // By digest: the same image, and no mutable-reference finding.
    let by_digest = findings(&scan(
        &format!("docker://{}/team/busy@{digest}", reg.host),
        &["--disable", "RG004"],
        &reg,
    ));
    assert_eq!(by_digest, local);
}

#[test]
fn signatures_are_looked_up() {
    let reg = Registry::start(None);
    let dir = tempfile::tempdir().unwrap();
    Image::new(vec![Layer::new("x").file("/app", 0o755, b"ELF")])
        .with_config(serde_json::json!({"User": "1"}))
        .write_oci(&dir.path().join("img"), "1");
    reg.push(&dir.path().join("img"), "1", "signed");
    let r = format!("{}/signed:1", reg.host);
    let out = scan(&r, &["--disable", "IC002,IC004"], &reg);
    assert_eq!(findings(&out), ["RG004 config"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let digest = v["images"][0]["manifest_digest"]
        .as_str()
        .unwrap()
        .replace(':', "-");
    // What `cosign sign` pushes: an artifact tagged `sha256-<hex>.sig` next to the image.
    let sig = tempfile::tempdir().unwrap();
    Image::new(vec![Layer::new("sig").file("/sig", 0o644, b"signature")])
        .write_oci(&sig.path().join("sig"), "1");
    let mut copy = Command::new("skopeo");
    copy.args(["copy", "--quiet", "--dest-tls-verify=false"])
        .arg(format!("oci:{}:1", sig.path().join("sig").display()))
        .arg(format!("docker://{}/signed:{digest}.sig", reg.host));
    common::debian::run(&mut copy);
    assert_eq!(
        findings(&scan(&r, &["--disable", "IC002,IC004"], &reg)),
        Vec::<String>::new()
    );
}

#[test]
fn multi_platform_index_from_a_registry() {
    let reg = Registry::start(None);
    let dir = tempfile::tempdir().unwrap();
    let amd = Image::new(vec![Layer::new("x").file("/bin/bash", 0o755, b"ELF")])
        .with_config(serde_json::json!({"User": "1"}));
    let arm = Image::new(vec![Layer::new("x").file("/usr/bin/curl", 0o755, b"ELF")])
        .with_config(serde_json::json!({"User": "1"}))
        .arch("arm64");
    common::write_multi_platform(&dir.path().join("multi"), "1", &[amd, arm]);
    reg.push(&dir.path().join("multi"), "1", "multi");
    let r = format!("{}/multi:1", reg.host);
    let only = |extra: &[&str]| {
        findings(&scan(
            &r,
            &[&["--disable", "IC004,IC002,RG004"], extra].concat(),
            &reg,
        ))
    };
    assert_eq!(only(&[]), ["FS002 /bin/bash"]);
    assert_eq!(
        only(&["--platform", "linux/arm64"]),
        ["FS004 /usr/bin/curl"]
    );
    assert_eq!(
        only(&["--all-platforms"]),
        ["FS002 /bin/bash", "FS004 /usr/bin/curl"]
    );
}

#[test]
fn basic_auth_from_flags_and_docker_config() {
    let reg = Registry::start(Some(("scanner", "s3cret")));
    let _layout = reg.push_image(&common::su_image(), "private");
    let r = format!("{}/private:1", reg.host);
    one_line_error(
        &scan(&r, &[], &reg),
        "needs credentials; pass --username/--password-stdin or `docker login`",
    );

    let with_password = |password: &str, env: &[(&str, &str)]| {
        let mut args = common::registry_scan_args(&reg.host, &r);
        if !password.is_empty() {
            args.extend_from_slice(&["--username", "scanner", "--password-stdin"]);
        }
        common::hullscan_with(&args, &format!("{password}\n"), env)
    };
    let out = with_password("s3cret", &[]);
    common::assert_su_only(&out);
    let wrong = with_password("nope", &[]);
    one_line_error(&wrong, "401: the credentials given were refused");
    assert!(
        !String::from_utf8_lossy(&wrong.stderr).contains("nope"),
        "credentials never appear in errors"
    );

    let cfg = tempfile::tempdir().unwrap();
    let auth = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "scanner:s3cret");
    std::fs::write(
        cfg.path().join("config.json"),
        format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, reg.host),
    )
    .unwrap();
    let out = with_password("", &[("DOCKER_CONFIG", cfg.path().to_str().unwrap())]);
    common::assert_su_only(&out);
}

#[test]
fn credential_helpers_from_docker_config() {
    let reg = Registry::start(Some(("scanner", "s3cret")));
    let _layout = reg.push_image(&common::su_image(), "private");
    let bin = tempfile::tempdir().unwrap();
    // A helper that answers for exactly this registry host, as docker-credential-* do.
    let helper = bin.path().join("docker-credential-fake");
    std::fs::write(&helper, format!("#!/bin/sh\n[ \"$1\" = get ] || exit 1\nread server\n[ \"$server\" = \"{}\" ] || exit 1\necho '{{\"ServerURL\":\"x\",\"Username\":\"scanner\",\"Secret\":\"s3cret\"}}'\n", reg.host)).unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut std::fs::metadata(&helper).unwrap().permissions(),
        0o755,
    );
    std::fs::set_permissions(&helper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let r = format!("{}/private:1", reg.host);
    for config in [
        format!(r#"{{"credHelpers":{{"{}":"fake"}}}}"#, reg.host),
        r#"{"credsStore":"fake"}"#.to_string(),
    ] {
        let cfg = tempfile::tempdir().unwrap();
        std::fs::write(cfg.path().join("config.json"), &config).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_hullscan"))
            .args(common::registry_scan_args(&reg.host, &r))
            .env("DOCKER_CONFIG", cfg.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        assert_eq!(
            findings(&out),
            ["FS001 /usr/bin/su"],
            "{config}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn registry_errors_are_one_line() {
    let reg = Registry::start(None);
    one_line_error(
        &scan(&format!("{}/nothing:1", reg.host), &[], &reg),
        "404 not found",
    );
    // A loopback registry without TLS is spoken to over plain HTTP without a flag, as
    // Docker does (issue 17): the answer is the registry's own 404.
    let dir = tempfile::tempdir().unwrap();
    let out = hullscan(
        &["image", "--no-config", &format!("{}/nothing:1", reg.host)],
        dir.path(),
    );
    one_line_error(&out, "404 not found");
    let _img = reg.push_image(&common::su_image(), "plain");
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "-f",
            "json",
            "--disable",
            "IC002,IC004,RG004",
            &format!("{}/plain:1", reg.host),
        ],
        dir.path(),
    );
    common::assert_su_only(&out);
    // Elsewhere HTTPS to a plain-HTTP registry fails at once and says what to pass.
    let start = std::time::Instant::now();
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "--registry-endpoint",
            &format!("registry.example:5000=https://{}", reg.host),
            "registry.example:5000/nothing:1",
        ],
        dir.path(),
    );
    one_line_error(
        &out,
        "speaks plain HTTP, not HTTPS: pass --insecure-registry",
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(3),
        "not retried"
    );
    // Nothing listening: no retries either.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let start = std::time::Instant::now();
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "--insecure-registry",
            "127.0.0.1",
            &format!("127.0.0.1:{port}/x:1"),
        ],
        dir.path(),
    );
    one_line_error(&out, "connection refused");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(3),
        "not retried"
    );
}

#[test]
fn bearer_token_auth() {
    let issuer = common::registry::TokenIssuer::start("scanner", "s3cret");
    let reg = Registry::start_token(&issuer, ("scanner", "s3cret"));
    let _layout = reg.push_image(&common::su_image(), "team/private");
    let r = format!("{}/team/private:1", reg.host);
    // Without credentials the issuer refuses a token.
    one_line_error(&scan(&r, &[], &reg), "status 401; check the credentials");
    let args = [
        "image",
        "--no-config",
        "-f",
        "json",
        "--disable",
        "IC002,IC004,RG004",
        "--insecure-registry",
        &reg.host,
        &r,
        "--username",
        "scanner",
        "--password-stdin",
    ];
    let out = common::hullscan_with(&args, "s3cret\n", &[]);
    common::assert_su_only(&out);
}

/// Issue 28: a bearer challenge whose realm is another host does not receive the user's
/// credentials (the token is asked for anonymously, and the error says why a private pull
/// failed), unless the configuration names that host in `[registry] token-realms`.
#[test]
fn credentials_are_not_sent_to_another_hosts_realm() {
    let mut issuer = common::registry::TokenIssuer::start("scanner", "s3cret");
    // The same issuer, named by another host name: the registry is 127.0.0.1.
    issuer.realm = issuer.realm.replace("127.0.0.1", "localhost");
    let reg = Registry::start_token(&issuer, ("scanner", "s3cret"));
    let _layout = reg.push_image(&common::su_image(), "team/private");
    let r = format!("{}/team/private:1", reg.host);
    let dir = tempfile::tempdir().unwrap();
    let run = |config: &str| {
        let cfg = dir.path().join("c.toml");
        std::fs::write(&cfg, config).unwrap();
        let args = [
            "image",
            "--config",
            cfg.to_str().unwrap(),
            "-f",
            "json",
            "--disable",
            "IC002,IC004,RG004",
            "--insecure-registry",
            &reg.host,
            &r,
            "--username",
            "scanner",
            "--password-stdin",
        ];
        common::hullscan_with(&args, "s3cret\n", &[])
    };
    let out = run("");
    one_line_error(&out, "credentials were not sent");
    let out = run("[registry]\ntoken-realms = [\"localhost\"]\n");
    common::assert_su_only(&out);
}

#[test]
fn tls_with_a_private_ca() {
    let (reg, ca) = Registry::start_tls();
    let dir = reg.push_image(&common::su_image(), "tls");
    let r = format!("{}/tls:1", reg.host);
    // The CA is not trusted by default: a clear failure naming what to pass, at once, not a
    // silent downgrade to HTTP.
    let out = hullscan(&["image", "--no-config", &r], dir.path());
    one_line_error(&out, "pass --ca-cert FILE");
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "-f",
            "json",
            "--disable",
            "IC002,IC004,RG004",
            "--ca-cert",
            ca.to_str().unwrap(),
            &r,
        ],
        dir.path(),
    );
    common::assert_su_only(&out);
    // The same CA placed where Docker, Podman and skopeo look (certs.d/HOST:PORT/*.crt).
    let certs_d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(certs_d.path().join(&reg.host)).unwrap();
    std::fs::copy(&ca, certs_d.path().join(&reg.host).join("ca.crt")).unwrap();
    let scan_args = [
        "image",
        "--no-config",
        "-f",
        "json",
        "--disable",
        "IC002,IC004,RG004",
        &r,
    ];
    let out = common::hullscan_with(
        &scan_args,
        "",
        &[("HULLSCAN_CERTS_D", certs_d.path().to_str().unwrap())],
    );
    common::assert_su_only(&out);
    // `--tls-verify=false`: works, and says loudly what it gave up.
    let mut args = scan_args.to_vec();
    args.push("--tls-verify=false");
    let out = hullscan(&args, dir.path());
    common::assert_su_only(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("TLS verification is off"));
}

#[test]
fn tls_with_a_self_signed_ca_true_certificate() {
    let (reg, cert) = Registry::start_tls_self_signed();
    let dir = reg.push_image(&common::su_image(), "selfsigned");
    let r = format!("{}/selfsigned:1", reg.host);
    let scan_args = [
        "image",
        "--no-config",
        "-f",
        "json",
        "--disable",
        "IC002,IC004,RG004",
        &r,
    ];
    // Not trusted by default: one line that says what to pass.
    let out = hullscan(&scan_args, dir.path());
    one_line_error(&out, "pass --ca-cert FILE");
    // The registry's own certificate, named with --ca-cert, is trusted as it is.
    let mut args = scan_args.to_vec();
    args.extend(["--ca-cert", cert.to_str().unwrap()]);
    let out = hullscan(&args, dir.path());
    common::assert_su_only(&out);
    // And from certs.d/HOST:PORT/, where Docker, Podman and skopeo look.
    let certs_d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(certs_d.path().join(&reg.host)).unwrap();
    std::fs::copy(&cert, certs_d.path().join(&reg.host).join("domain.crt")).unwrap();
    let out = common::hullscan_with(
        &scan_args,
        "",
        &[("HULLSCAN_CERTS_D", certs_d.path().to_str().unwrap())],
    );
    common::assert_su_only(&out);
    // Another self-signed certificate is not this one: refused.
    let (_other, other_cert) = Registry::start_tls_self_signed();
    let mut args = scan_args.to_vec();
    args.extend(["--ca-cert", other_cert.to_str().unwrap()]);
    let out = hullscan(&args, dir.path());
    one_line_error(&out, "TLS with");
}

#[test]
fn proxies_from_the_environment() {
    let reg = Registry::start(None);
    let _layout = reg.push_image(&common::su_image(), "proxied");
    let proxy = common::faults::ForwardProxy::start();
    let r = format!("{}/proxied:1", reg.host);
    let run = |env: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hullscan"));
        cmd.args(common::registry_scan_args(&reg.host, &r));
        for v in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "no_proxy",
        ] {
            cmd.env_remove(v);
        }
        cmd.envs(env.iter().copied());
        cmd.output().unwrap()
    };
    let out = run(&[("HTTP_PROXY", &proxy.url)]);
    common::assert_su_only(&out);
    let through = proxy.targets.lock().unwrap().len();
    assert!(through > 0, "requests went through HTTP_PROXY");
    let out = run(&[("HTTP_PROXY", &proxy.url), ("NO_PROXY", "127.0.0.1")]);
    common::assert_su_only(&out);
    assert_eq!(
        proxy.targets.lock().unwrap().len(),
        through,
        "NO_PROXY bypasses the proxy"
    );
}

/// `--resolve-bases` (issue 13): DF001 and DF011 judge what the final base image really sets,
/// read from its registry; without the flag the file is judged on its own text, offline.
#[test]
fn dockerfile_bases_are_resolved_on_request() {
    let reg = Registry::start(None);
    let user_base = Image::new(vec![Layer::new("ADD x /").file("/x", 0o644, b"x")])
        .with_config(serde_json::json!({"User": "1000", "Healthcheck": {"Test": ["CMD", "true"]}}));
    let root_base = Image::new(vec![Layer::new("ADD y /").file("/y", 0o644, b"y")]);
    let _a = reg.push_image(&user_base, "lib/nonroot");
    let _b = reg.push_image(&root_base, "lib/root");
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, base: &str| {
        std::fs::write(
            dir.path().join(name),
            format!(
                "FROM {}/{base}:1\nCOPY app /app\nEXPOSE 8080\nCMD [\"app\"]\n",
                reg.host
            ),
        )
        .unwrap();
    };
    write("nonroot.Dockerfile", "lib/nonroot");
    write("root.Dockerfile", "lib/root");
    write("missing.Dockerfile", "lib/missing");
    let lint = |file: &str, resolve: bool| {
        let mut args = vec![
            "dockerfile",
            "--no-config",
            "-f",
            "json",
            "--fail-on",
            "never",
            "--insecure-registry",
            &reg.host,
            file,
        ];
        if resolve {
            args.push("--resolve-bases");
        }
        let out = hullscan(&args, dir.path());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let msgs: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| matches!(f["rule"].as_str(), Some("DF001" | "DF011")))
            .map(|f| {
                format!(
                    "{} {}",
                    f["rule"].as_str().unwrap(),
                    f["message"].as_str().unwrap()
                )
            })
            .collect();
        (msgs, String::from_utf8_lossy(&out.stderr).to_string())
    };
    // Offline by default: the inherited user and healthcheck are unknown.
    let (msgs, _) = lint("nonroot.Dockerfile", false);
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    // Resolved: both are inherited from the base.
    let (msgs, err) = lint("nonroot.Dockerfile", true);
    assert!(msgs.is_empty(), "{msgs:?} {err}");
    // A base that sets no user: the finding names the base and its digest.
    let (msgs, _) = lint("root.Dockerfile", true);
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(
        msgs.iter().any(
            |m| m.starts_with("DF001 final stage has no `USER` and its base `")
                && m.contains("lib/root:1` (sha256:")
                && m.ends_with("sets none; the container runs as root")
        ),
        "{msgs:?}"
    );
    // A base that cannot be read: a warning, and the file judged on its own text.
    let (msgs, err) = lint("missing.Dockerfile", true);
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(err.contains("lib/missing:1` not resolved"), "{err}");
}

/// A broken docker config is named in a warning, not ignored silently (issue 17, item 11).
#[test]
fn malformed_docker_config_is_named() {
    let reg = Registry::start(None);
    let _img = reg.push_image(&common::su_image(), "team/app");
    let cfg = tempfile::tempdir().unwrap();
    std::fs::write(cfg.path().join("config.json"), "{ \"auths\": ").unwrap();
    let r = format!("{}/team/app:1", reg.host);
    let args = common::registry_scan_args(&reg.host, &r);
    let out = common::hullscan_with(
        &args,
        "",
        &[("DOCKER_CONFIG", cfg.path().to_str().unwrap())],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.json` is not valid JSON"), "{err}");
    common::assert_su_only(&out);
}
