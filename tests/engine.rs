//! `hullscan image` where images are built (issue 12): a real `dockerd` and a real Podman
//! service on temp sockets, an image built by `docker build` with a setuid `RUN`, and the
//! ways people name it: `docker-daemon:NAME`, a bare name (engines first, then the registry),
//! `--image-src`, `-` on stdin, a path, and names found nowhere. Also the export read as it
//! streams (a cut-off export fails), a cache-first re-scan that makes one API call, and a
//! socket the user may not open.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::engine::{Bridge, Dockerd, Podman};
use common::registry::Registry;
use common::{Image, Layer, findings};

/// hullscan with engine addresses set (and nothing inherited from the machine's own).
fn run(args: &[&str], cwd: &Path, docker: &str, podman: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("DOCKER_HOST", docker)
        .env("CONTAINER_HOST", podman)
        .env("HOME", cwd)
        .env_remove("XDG_CACHE_HOME")
        .env_remove("XDG_RUNTIME_DIR")
        .output()
        .unwrap()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const DOCKERFILE: &str = "FROM localhost/debian:bookworm\n\
RUN cp /bin/ls /usr/local/bin/ls2 && chmod u+s /usr/local/bin/ls2\n\
USER 1000\n";

#[test]
fn docker_engine_images_by_every_name() {
    let deb = common::debian::debian();
    let d = Dockerd::start();
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    d.docker(&["load", "-q", "-i", deb.join("debian.tar").to_str().unwrap()]);
    std::fs::create_dir_all(w.join("ctx")).unwrap();
    std::fs::write(w.join("ctx/Dockerfile"), DOCKERFILE).unwrap();
    d.docker(&[
        "build",
        "-q",
        "-t",
        "app:dev",
        w.join("ctx").to_str().unwrap(),
    ]);
    let nowhere = format!("unix://{}", w.join("none.sock").display());

    // docker-daemon:NAME, with --dockerfile: the setuid file points at its RUN line.
    let out = run(
        &[
            "image",
            "--no-config",
            "-f",
            "json",
            "--no-cache",
            "--dockerfile",
            "ctx/Dockerfile",
            "docker-daemon:app:dev",
        ],
        w,
        &d.host(),
        &nowhere,
    );
    let v = json(&out);
    assert_eq!(v["images"][0]["source"], "docker");
    assert_eq!(v["images"][0]["reference"], "docker-daemon:app:dev");
    assert_eq!(v["images"][0]["layers"], 2);
    let setuid: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "FS001" && f["message"].as_str().unwrap().contains("ls2"))
        .collect();
    assert_eq!(setuid.len(), 1, "{v}");
    assert_eq!(setuid[0]["start_line"], 2, "{}", setuid[0]);

    // A bare name: the engine holds it, so the engine is used, and every format says so.
    let out = run(
        &["image", "--no-config", "--no-cache", "app:dev"],
        w,
        &d.host(),
        &nowhere,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("scanned docker-daemon:app:dev from docker (linux/amd64, sha256:"),
        "{text}"
    );
    let engine_findings = findings(&run(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "-f",
            "json",
            "app:dev",
        ],
        w,
        &d.host(),
        &nowhere,
    ));
    assert!(engine_findings.contains(&"FS001 /usr/local/bin/ls2".to_string()));

    // --image-src order: podman (not running) first, then docker.
    let out = run(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "-f",
            "json",
            "--image-src",
            "podman,docker",
            "app:dev",
        ],
        w,
        &d.host(),
        &nowhere,
    );
    assert_eq!(json(&out)["images"][0]["source"], "docker");
    // Found nowhere: one line listing what was tried, in order; exit 2.
    let out = run(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "--image-src",
            "docker,podman",
            "nope:1",
        ],
        w,
        &d.host(),
        &nowhere,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("`nope:1` was found nowhere; tried docker engine at"),
        "{err}"
    );
    assert!(err.contains("no such image; podman engine at"), "{err}");

    // A name only in a registry: the engines miss, the registry answers.
    let reg = Registry::start(None);
    let _img = reg.push_image(
        &Image::new(vec![Layer::new("x").file("/usr/bin/su", 0o4755, b"su")])
            .with_config(serde_json::json!({"User": "1000"})),
        "team/only-remote",
    );
    let remote = format!("{}/team/only-remote:1", reg.host);
    let out = run(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "-f",
            "json",
            "--insecure-registry",
            &reg.host,
            &remote,
        ],
        w,
        &d.host(),
        &nowhere,
    );
    assert_eq!(
        json(&out)["images"][0]["source"],
        "registry",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A `docker save` stream on stdin, and a saved archive given as a path.
    let save = Command::new("docker")
        .args(["save", "app:dev"])
        .env("DOCKER_HOST", d.host())
        .output()
        .unwrap();
    assert!(save.status.success());
    std::fs::write(w.join("app.tar"), &save.stdout).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args(["image", "--no-config", "-f", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &save.stdout).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        findings(&out),
        engine_findings,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(
        &["image", "--no-config", "-f", "json", "app.tar"],
        w,
        &nowhere,
        &nowhere,
    );
    assert_eq!(json(&out)["images"][0]["source"], "docker-archive");
    let out = run(
        &["image", "--no-config", "./missing.tar"],
        w,
        &nowhere,
        &nowhere,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file or directory"));

    // An export cut off midway: an error naming the stream, never a partial scan.
    let cut = Bridge::start(&d.sock, Some(4 << 20));
    let out = run(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "docker-daemon:app:dev",
        ],
        w,
        &format!("tcp://{}", cut.host),
        &nowhere,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cut off") || err.contains("ends inside"),
        "{err}"
    );

    // Cache first: the second scan of an unchanged image asks one thing (inspect).
    let count = Bridge::start(&d.sock, None);
    let cache = w.join("cache");
    let args = [
        "image",
        "--no-config",
        "-f",
        "json",
        "--cache",
        cache.to_str().unwrap(),
        "docker-daemon:app:dev",
    ];
    let cold = run(&args, w, &format!("tcp://{}", count.host), &nowhere);
    let cold_requests = count.requests.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(cold_requests, 2, "{:?}", count.paths.lock().unwrap());
    let warm = run(&args, w, &format!("tcp://{}", count.host), &nowhere);
    assert_eq!(
        count.requests.load(std::sync::atomic::Ordering::Relaxed) - cold_requests,
        1,
        "{:?}",
        count.paths.lock().unwrap()
    );
    assert_eq!(findings(&warm), findings(&cold));

    // A socket the user may not open: say how to get access.
    std::fs::set_permissions(&d.sock, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_hullscan"))
        .args([
            "image",
            "--no-config",
            "--no-cache",
            "docker-daemon:app:dev",
        ])
        .current_dir("/")
        .env("DOCKER_HOST", d.host())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("permission denied") && err.contains("`docker` group"),
        "{err}"
    );
}

#[test]
fn podman_images_through_its_docker_api() {
    let deb = common::debian::debian();
    let p = Podman::start();
    let work = tempfile::tempdir().unwrap();
    p.podman(&["load", "-q", "-i", deb.join("debian.tar").to_str().unwrap()]);
    let nowhere = format!("unix://{}", work.path().join("none.sock").display());
    let out = run(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "-f",
            "json",
            "podman:localhost/debian:bookworm",
        ],
        work.path(),
        &nowhere,
        &p.host(),
    );
    let v = json(&out);
    assert_eq!(v["images"][0]["source"], "podman", "{v}");
    let local = findings(&run(
        &[
            "image",
            "--no-config",
            "-f",
            "json",
            deb.join("debian.tar").to_str().unwrap(),
        ],
        work.path(),
        &nowhere,
        &nowhere,
    ));
    assert_eq!(findings(&out), local);
    // A bare name: docker is not running, podman holds it.
    let out = run(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "-f",
            "json",
            "localhost/debian:bookworm",
        ],
        work.path(),
        &nowhere,
        &p.host(),
    );
    assert_eq!(json(&out)["images"][0]["source"], "podman");
}

/// Runs openssl in `dir`, failing the test on error.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn docker_engine_over_tls_with_a_client_certificate() {
    // DOCKER_HOST=tcp://…, DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH with ca.pem, cert.pem, key.pem:
    // what `docker context`/`docker-machine` set up for a remote daemon.
    let certs = tempfile::tempdir().unwrap();
    let c = certs.path();
    openssl(
        c,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca-key.pem",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=test-ca",
        ],
    );
    std::fs::write(
        c.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    std::fs::write(c.join("client.ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    openssl(
        c,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server-key.pem",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    );
    openssl(
        c,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-CAcreateserial",
            "-out",
            "server-cert.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
    openssl(
        c,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "client.csr",
            "-subj",
            "/CN=client",
        ],
    );
    openssl(
        c,
        &[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-CAcreateserial",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-extfile",
            "client.ext",
        ],
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let p = |f: &str| c.join(f).display().to_string();
    let d = Dockerd::start_with(&[
        "--host".into(),
        format!("tcp://127.0.0.1:{port}"),
        "--tlsverify".into(),
        format!("--tlscacert={}", p("ca.pem")),
        format!("--tlscert={}", p("server-cert.pem")),
        format!("--tlskey={}", p("server-key.pem")),
    ]);
    d.docker(&[
        "load",
        "-q",
        "-i",
        common::debian::debian()
            .join("debian.tar")
            .to_str()
            .unwrap(),
    ]);
    let tls = |cert_dir: &str| {
        Command::new(env!("CARGO_BIN_EXE_hullscan"))
            .args([
                "image",
                "--no-config",
                "--no-cache",
                "-f",
                "json",
                "docker-daemon:localhost/debian:bookworm",
            ])
            .env("DOCKER_HOST", format!("tcp://127.0.0.1:{port}"))
            .env("DOCKER_TLS_VERIFY", "1")
            .env("DOCKER_CERT_PATH", cert_dir)
            .output()
            .unwrap()
    };
    let out = tls(c.to_str().unwrap());
    assert_eq!(
        json(&out)["images"][0]["source"],
        "docker",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Without the client certificate the daemon refuses: one line that names what to check.
    let empty = tempfile::tempdir().unwrap();
    let out = tls(empty.path().to_str().unwrap());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("DOCKER_CERT_PATH"), "{err}");
}
