//! A real distribution: `debootstrap --variant=minbase bookworm` from the Debian mirror apt
//! already uses, packed into an OCI layout by `umoci` and into a docker archive by `skopeo`
//! (all from Debian; `.ci/run` installs them). The rootfs is cached under
//! `target/test-cache/` between runs, since debootstrap takes a minute or more.
//!
//! The scan must list the real setuid/setgid binaries, the shells, apt and dpkg, and root.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use common::debian::debian;
use common::hullscan;

/// `RULE path` pairs of a JSON scan.
fn scan(reference: &str) -> (Vec<(String, String)>, serde_json::Value) {
    let out = hullscan(&["image", "--no-config", "-f", "json", reference], debian());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pairs = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["image_path"].as_str().unwrap_or("config").to_string(),
            )
        })
        .collect();
    (pairs, v)
}

fn paths(pairs: &[(String, String)], rule: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(r, _)| r == rule)
        .map(|(_, p)| p.clone())
        .collect()
}

#[test]
fn debian_minbase_oci_layout() {
    let (pairs, v) = scan("oci:oci:bookworm");
    let setuid = paths(&pairs, "FS001");
    for bin in [
        "su", "passwd", "mount", "umount", "chsh", "chfn", "gpasswd", "newgrp", "chage", "expiry",
    ] {
        assert!(
            setuid.iter().any(|p| p.ends_with(&format!("/bin/{bin}"))),
            "{bin} not reported as setuid/setgid: {setuid:?}"
        );
    }
    let shells = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "FS002")
        .map(|f| f["evidence"]["tool"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(
        shells,
        ["bash", "dash"],
        "`sh` is a link to dash and counts with it"
    );
    let dash = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["evidence"]["tool"] == "dash")
        .unwrap();
    assert_eq!(dash["evidence"]["paths"], "/usr/bin/dash /usr/bin/sh");
    let managers = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "FS003")
        .map(|f| f["evidence"]["tool"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(managers, ["apt", "dpkg"]);
    assert!(pairs.contains(&("IC001".to_string(), "config".to_string())));
    // minbase has no compiler, no network tool, no secrets, one root, locked accounts.
    for quiet in ["FS004", "FS005", "FS006", "FS007", "FS011"] {
        assert!(
            paths(&pairs, quiet).is_empty(),
            "{quiet}: {:?}",
            paths(&pairs, quiet)
        );
    }
    let image = &v["images"][0];
    assert_eq!(image["platform"], "linux/amd64");
    assert!(image["files"].as_u64().unwrap() > 5000, "{image}");
}

#[test]
fn debian_docker_archive_matches_the_layout() {
    let (oci, _) = scan("oci:oci:bookworm");
    let (archive, _) = scan("docker-archive:debian.tar");
    assert_eq!(oci, archive);
}

#[test]
fn debian_reports_validate_in_every_format() {
    for format in ["human", "json", "sarif", "github"] {
        let out = hullscan(
            &["image", "--no-config", "-f", format, "oci:oci:bookworm"],
            debian(),
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("/usr/bin/passwd"),
            "{format}"
        );
        if format == "sarif" {
            let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let schema_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("testdata/sarif/sarif-schema-2.1.0.json");
            let schema: serde_json::Value =
                serde_json::from_slice(&std::fs::read(schema_path).unwrap()).unwrap();
            let v = jsonschema::validator_for(&schema).unwrap();
            let errors: Vec<String> = v.iter_errors(&log).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{errors:#?}");
        }
    }
}
