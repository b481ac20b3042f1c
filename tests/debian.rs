//! A real distribution: `debootstrap --variant=minbase bookworm` from the Debian mirror apt
//! already uses, packed into an OCI layout by `umoci` and into a docker archive by `skopeo`
//! (all from Debian; `.ci/run` installs them). The rootfs is cached under
//! `target/test-cache/` between runs, since debootstrap takes a minute or more.
//!
//! The scan must list the real setuid/setgid binaries, the shells, apt and dpkg, and root.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::hullscan;

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run {cmd:?}: {e}; install the test bed: apt-get install -y debootstrap umoci skopeo")
    });
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The Debian mirror apt is configured with, so the test uses what this machine can reach.
fn mirror() -> String {
    let mut texts = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/etc/apt/sources.list.d") {
        for e in dir.flatten() {
            texts.extend(std::fs::read_to_string(e.path()));
        }
    }
    texts.extend(std::fs::read_to_string("/etc/apt/sources.list"));
    for t in &texts {
        for line in t.lines() {
            let url = line.strip_prefix("URIs:").map(str::trim).or_else(|| {
                line.strip_prefix("deb ")
                    .and_then(|l| l.split_whitespace().find(|w| w.starts_with("http")))
            });
            if let Some(u) = url
                && u.contains("debian")
                && !u.contains("security")
            {
                return u.to_string();
            }
        }
    }
    "http://deb.debian.org/debian".to_string()
}

/// Builds (once per cache) the layout `target/test-cache/debian/oci:bookworm` and the docker
/// archive next to it.
fn debian() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let cache = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-cache/debian");
        let done = cache.join("ready");
        if done.exists() {
            return cache;
        }
        let _ = std::fs::remove_dir_all(&cache);
        std::fs::create_dir_all(&cache).unwrap();
        let rootfs = cache.join("rootfs");
        run(Command::new("debootstrap")
            .args(["--variant=minbase", "bookworm"])
            .arg(&rootfs)
            .arg(mirror()));
        let layout = cache.join("oci");
        run(Command::new("umoci")
            .args(["init", "--layout"])
            .arg(&layout));
        run(Command::new("umoci")
            .args(["new", "--image"])
            .arg(format!("{}:bookworm", layout.display())));
        run(Command::new("umoci")
            .args(["insert", "--image"])
            .arg(format!("{}:bookworm", layout.display()))
            .arg(&rootfs)
            .arg("/"));
        run(Command::new("skopeo")
            .args(["copy", "--quiet"])
            .arg(format!("oci:{}:bookworm", layout.display()))
            .arg(format!(
                "docker-archive:{}:localhost/debian:bookworm",
                cache.join("debian.tar").display()
            )));
        // The rootfs itself is not needed any more; the layout and archive hold it.
        std::fs::remove_dir_all(&rootfs).unwrap();
        std::fs::write(&done, b"").unwrap();
        cache
    })
}

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
    for format in ["human", "sarif", "github"] {
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
    }
}
