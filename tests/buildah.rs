//! Real Dockerfile builds with `buildah` (Debian; vfs storage, chroot isolation, no daemon)
//! on top of the cached Debian rootfs: the image's real history must map findings back to
//! the Dockerfile lines that caused them.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use common::debian::{debian, run};
use common::hullscan;

#[test]
fn buildah_image_maps_to_dockerfile_lines() {
    let base = debian().join("oci");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("ctx")).unwrap();
    std::fs::write(
        p.join("ctx/Dockerfile"),
        format!(
            "FROM oci:{}:bookworm\nRUN chmod u+s /usr/bin/date\nCOPY app.sh /app/app.sh\nRUN useradd -u 10001 app && chmod 0777 /app\nUSER app\n",
            base.display()
        ),
    )
    .unwrap();
    std::fs::write(p.join("ctx/app.sh"), "echo hi\n").unwrap();
    let buildah = |args: &[&str]| common::debian::buildah(p, args);
    run(buildah(&[
        "bud",
        "--layers",
        "--isolation",
        "chroot",
        "-q",
        "-t",
        "localhost/bh:1",
        "-f",
    ])
    .arg(p.join("ctx/Dockerfile"))
    .arg(p.join("ctx")));
    run(buildah(&["push", "-q", "localhost/bh:1"])
        .arg(format!("oci:{}:1", p.join("out").display())));
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "-f",
            "json",
            "oci:out:1",
            "--dockerfile",
            "ctx/Dockerfile",
            "--disable",
            "FS002,FS003,LY004,IC004",
        ],
        p,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let at = |rule: &str, image_path: &str| -> Vec<u64> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["rule"] == rule
                    && f["evidence"]["image_path"].as_str().unwrap_or("") == image_path
            })
            .map(|f| f["start_line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(
        at("FS001", "/usr/bin/passwd"),
        [1],
        "base image files point at FROM"
    );
    assert_eq!(
        at("FS001", "/usr/bin/date"),
        [2],
        "the RUN chmod u+s on line 2"
    );
    assert_eq!(at("FS009", "/app"), [4], "the RUN chmod 0777 on line 4");
    // The history step `chmod u+s` (IC006) restates FS001 on the same line: one finding
    // per concern and line (issue 17, item 8).
    assert!(
        at("IC006", "").is_empty(),
        "IC006 does not repeat FS001 on line 2"
    );
    assert!(
        at("IC001", "").is_empty(),
        "USER app has uid 10001 in /etc/passwd"
    );
}
