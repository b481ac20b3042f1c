//! A registry that errs, throttles, drops, stalls, truncates or redirects, injected by a proxy
//! in front of a real `docker-registry` (see `common::faults`): retries are bounded, `429`
//! waits for `Retry-After`, stalls time out, a truncated blob fails with one line, and a blob
//! redirect to another host never receives the registry credentials.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Output;
use std::time::{Duration, Instant};

use common::faults::{BlobServer, Fault, FaultProxy};
use common::one_line_error;
use common::registry::Registry;

fn pushed(reg: &Registry) -> tempfile::TempDir {
    reg.push_image(&common::su_image(), "app")
}

fn scan_via(proxy: &FaultProxy, extra: &[&str], password: Option<&str>) -> (Output, Duration) {
    let reference = format!("{}/app:1", proxy.host);
    let mut args = common::registry_scan_args(&proxy.host, &reference);
    args.extend_from_slice(extra);
    if password.is_some() {
        args.extend_from_slice(&["--username", "scanner", "--password-stdin"]);
    }
    let started = Instant::now();
    let out = common::hullscan_with(&args, &format!("{}\n", password.unwrap_or("")), &[]);
    (out, started.elapsed())
}

fn ok(out: &Output) {
    common::assert_su_only(out);
}

#[test]
fn transient_errors_are_retried() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    // Two 503s, then a dropped connection, on the first manifest request; then all is well.
    let mut n = 0;
    let proxy = FaultProxy::start(&reg.host, move |path| {
        if path.contains("/manifests/1") {
            n += 1;
            return match n {
                1 | 2 => Fault::Status(503, None),
                3 => Fault::Drop,
                _ => Fault::Pass,
            };
        }
        Fault::Pass
    });
    let (out, _) = scan_via(&proxy, &[], None);
    ok(&out);
    assert_eq!(proxy.count("/manifests/1"), 4);
}

#[test]
fn throttling_honours_retry_after() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    let mut first = true;
    let proxy = FaultProxy::start(&reg.host, move |path| {
        if path.contains("/blobs/") && std::mem::take(&mut first) {
            return Fault::Status(429, Some(2));
        }
        Fault::Pass
    });
    let (out, took) = scan_via(&proxy, &[], None);
    ok(&out);
    assert!(took >= Duration::from_secs(2), "waited {took:?}");
}

/// Issue 28: a registry that answers 429 forever holds a scan for a bounded time, with and
/// without `Retry-After`, and the error says what happened and what to do.
#[test]
fn endless_throttling_is_bounded() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    for retry_after in [None, Some(30)] {
        let proxy = FaultProxy::start(&reg.host, move |path| {
            if path.contains("/manifests/") {
                Fault::Status(429, retry_after)
            } else {
                Fault::Pass
            }
        });
        let (out, took) = scan_via(&proxy, &[], None);
        one_line_error(&out, "rate limited by");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("try again later or lower --jobs"), "{err}");
        assert!(took < Duration::from_secs(25), "{retry_after:?}: {took:?}");
    }
}

/// Issue 28: a manifest trickled a byte at a time fails in seconds with the default
/// time-outs (each byte arrives well inside the 30 s read time-out).
#[test]
fn a_trickled_manifest_fails_fast() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    let proxy = FaultProxy::start(&reg.host, |path| {
        if path.contains("/manifests/") {
            Fault::Trickle(Duration::from_millis(200))
        } else {
            Fault::Pass
        }
    });
    let (out, took) = scan_via(&proxy, &[], None);
    one_line_error(&out, "trickling");
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn persistent_errors_fail_after_bounded_retries() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    let proxy = FaultProxy::start(&reg.host, |path| {
        if path.contains("/manifests/") {
            Fault::Status(503, None)
        } else {
            Fault::Pass
        }
    });
    let (out, took) = scan_via(&proxy, &[], None);
    one_line_error(&out, "/manifests/1: failed after 4 attempts: 503");
    assert_eq!(proxy.count("/manifests/1"), 4);
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn stalls_time_out() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    let proxy = FaultProxy::start(&reg.host, |path| {
        if path.contains("/blobs/") {
            Fault::Stall
        } else {
            Fault::Pass
        }
    });
    let (out, took) = scan_via(&proxy, &["--registry-timeout", "1"], None);
    one_line_error(&out, "the registry is not responding");
    assert!(String::from_utf8_lossy(&out.stderr).contains("/blobs/sha256:"));
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn trickling_bodies_give_up() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    // A byte every 200 ms never trips the 1 s read timeout: the rate floor must.
    let proxy = FaultProxy::start(&reg.host, |path| {
        if path.contains("/blobs/") && !path.ends_with(&config_hex()) {
            Fault::Trickle(Duration::from_millis(200))
        } else {
            Fault::Pass
        }
    });
    let (out, took) = scan_via(&proxy, &["--registry-timeout", "1"], None);
    // The layer is walked again twice (a stream that broke may work next time), then fails.
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("hullscan: error") && last.contains("KiB/s"),
        "{err}"
    );
    assert!(took < Duration::from_secs(30), "{took:?}");
    // A manifest that trickles fails within four read timeouts.
    let proxy = FaultProxy::start(&reg.host, |path| {
        if path.contains("/manifests/") {
            Fault::Trickle(Duration::from_millis(200))
        } else {
            Fault::Pass
        }
    });
    let (out, took) = scan_via(&proxy, &["--registry-timeout", "1"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(took < Duration::from_secs(40), "{took:?}");
}

#[test]
fn an_image_has_a_deadline() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    // A byte every 100 ms stays inside the read timeout and, for 30 s, inside the rate
    // floor's grace: only the image's own deadline stops it.
    let proxy = FaultProxy::start(&reg.host, |path| {
        if path.contains("/blobs/") && !path.ends_with(&config_hex()) {
            Fault::Trickle(Duration::from_millis(100))
        } else {
            Fault::Pass
        }
    });
    let (out, took) = scan_via(&proxy, &["--image-timeout", "2s"], None);
    one_line_error(&out, "time-out of 2 s passed");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn huge_catalogs_are_refused_with_a_bound() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    // 9 MiB of names in one page: over the 8 MiB page bound, refused before it is parsed.
    let mut body = b"{\"repositories\":[".to_vec();
    while body.len() < 9 << 20 {
        body.extend_from_slice(b"\"a/b\",");
    }
    body.extend_from_slice(b"\"c\"]}");
    let body = std::sync::Arc::new(body);
    let proxy = FaultProxy::start(&reg.host, move |path| {
        if path.contains("/_catalog") {
            Fault::Json(body.clone())
        } else {
            Fault::Pass
        }
    });
    let out = common::hullscan_with(
        &[
            "registry",
            "--no-config",
            "-q",
            "--insecure-registry",
            &proxy.host,
            &proxy.host,
            "-o",
            "/dev/null",
        ],
        "",
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("_catalog"), "{err}");
}

#[test]
fn truncated_blob_is_an_error() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    let proxy = FaultProxy::start(&reg.host, |path| {
        // The config blob must arrive whole; the layer is cut in half.
        if path.contains("/blobs/") && !path.ends_with(&config_hex()) {
            Fault::Truncate
        } else {
            Fault::Pass
        }
    });
    let (out, _) = scan_via(&proxy, &[], None);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Two warnings (the layer is walked again twice), then one error line naming the layer.
    let err = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("hullscan: error"))
        .collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].contains("layer 0 (sha256:") && errors[0].contains("reading"),
        "{err}"
    );
    assert_eq!(err.matches("walking it again").count(), 2, "{err}");
}

#[test]
fn a_blob_cut_once_is_fetched_again() {
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    let cfg = config_hex();
    let mut cut = false;
    let proxy = FaultProxy::start(&reg.host, move |path| {
        if path.contains("/blobs/") && !path.ends_with(&cfg) && !std::mem::replace(&mut cut, true) {
            return Fault::Truncate;
        }
        Fault::Pass
    });
    let (out, _) = scan_via(&proxy, &[], None);
    ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("walking it again"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The config blob of the image `pushed` makes (it is the same every time).
fn config_hex() -> String {
    let dir = tempfile::tempdir().unwrap();
    common::su_image().write_oci(dir.path(), "1");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("index.json")).unwrap()).unwrap();
    let m = index["manifests"][0]["digest"].as_str().unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::blob(dir.path(), m)).unwrap()).unwrap();
    manifest["config"]["digest"].as_str().unwrap()[7..].to_string()
}

#[test]
fn blob_redirect_to_another_host_drops_credentials() {
    let reg = Registry::start(Some(("scanner", "s3cret")));
    let img = pushed(&reg);
    let storage = BlobServer::start(img.path().join("img/blobs/sha256"));
    let base = storage.base.clone();
    let proxy = FaultProxy::start(&reg.host, move |path| {
        // Manifests from the registry; layer and config blobs from "object storage".
        if path.contains("/blobs/") {
            Fault::Redirect(base.clone())
        } else {
            Fault::Pass
        }
    });
    let (out, _) = scan_via(&proxy, &[], Some("s3cret"));
    ok(&out);
    let storage_seen = storage.seen.lock().unwrap().clone();
    assert!(
        !storage_seen.is_empty(),
        "blobs were fetched from the redirect target"
    );
    assert!(
        storage_seen.iter().all(|(_, auth)| !auth),
        "credentials leaked to another host: {storage_seen:?}"
    );
    assert!(
        proxy
            .seen
            .lock()
            .unwrap()
            .iter()
            .any(|(l, auth)| l.contains("/manifests/") && *auth),
        "the registry itself did get credentials"
    );
}

/// On a terminal, a request waited on says so with the time waited (issue 17): run under
/// `script` (util-linux), which gives hullscan a pseudo-terminal.
#[test]
fn waiting_is_shown_on_a_terminal() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        common::skip_unless_ci("no `script` (util-linux)");
        return;
    }
    let reg = Registry::start(None);
    let _img = pushed(&reg);
    let proxy = FaultProxy::start(&reg.host, |path| {
        if path.contains("/manifests/") {
            Fault::Stall
        } else {
            Fault::Pass
        }
    });
    let cmd = format!(
        "{} image --no-config --insecure-registry {host} --registry-timeout 2 {host}/app:1",
        env!("CARGO_BIN_EXE_hullscan"),
        host = proxy.host
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("waiting for http://"), "{text}");
    assert!(text.contains("the registry is not responding"), "{text}");
}
