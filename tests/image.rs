//! `hullscan image` end to end on images written by the test suite's own builder: OCI
//! layouts, OCI archives and docker archives; gzip, zstd and plain layers; whiteouts, opaque
//! directories, hardlinks, xattrs, a tar without its end marker; multi-platform indexes;
//! mapping to a Dockerfile; and hostile inputs that must fail with a clear one-line error.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Image, Layer, findings, hullscan, one_line_error};
use std::path::Path;

/// `testdata/images/busy.toml`: every image rule has something to find.
fn busy_image() -> Image {
    Image::from_recipe("busy")
}

const BUSY_FINDINGS: &[&str] = &[
    "FS001 /usr/bin/chfn",
    "FS001 /usr/bin/passwd",
    "FS002 /bin/busybox", // `/bin/sh` links to busybox and counts with it
    "FS003 /sbin/apk",
    "FS004 /usr/bin/wget",
    "FS006 /root/.ssh/id_rsa",
    "FS007 /etc/shadow",
    "FS008 /usr/bin/ping",
    "FS009 /app/config.yaml",
    "FS010 /app/.git",
    "FS011 /etc/passwd",
    "IC001 config",
    "IC003 config",
    "IC004 config",
    "IC005 config",
    "IC006 layer 1",
    "LY002 layer 1",
];

fn scan(reference: &str, extra: &[&str], cwd: &Path) -> std::process::Output {
    let mut args = vec!["image", "--no-config", "-f", "json", reference];
    args.extend_from_slice(extra);
    hullscan(&args, cwd)
}

#[test]
fn oci_layout_finds_everything_once() {
    let dir = tempfile::tempdir().unwrap();
    busy_image().write_oci(&dir.path().join("img"), "v1");
    let out = scan("oci:img:v1", &[], dir.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(findings(&out), BUSY_FINDINGS);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["images"][0]["platform"], "linux/amd64");
    assert_eq!(v["images"][0]["layers"], 3);
    assert!(
        v["images"][0]["manifest_digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
}

#[test]
fn docker_and_oci_archives_give_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let img = busy_image();
    img.write_docker_archive(&dir.path().join("app.tar"), "localhost/app:1");
    img.write_oci_archive(&dir.path().join("app.oci.tar"), "1");
    assert_eq!(
        findings(&scan("docker-archive:app.tar", &[], dir.path())),
        BUSY_FINDINGS
    );
    assert_eq!(
        findings(&scan("oci-archive:app.oci.tar:1", &[], dir.path())),
        BUSY_FINDINGS
    );
}

#[test]
fn human_report_names_image_platform_and_layer() {
    let dir = tempfile::tempdir().unwrap();
    busy_image().write_oci(&dir.path().join("img"), "v1");
    let out = hullscan(
        &["image", "--no-config", "oci:img:v1", "--disable", "LY002"],
        dir.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // The reference once, in the header with a short digest; findings grouped by rule, errors
    // first, each group with its docs link (issue 17, item 13).
    assert!(
        text.starts_with("scanned oci:img:v1 from oci-layout (linux/amd64, sha256:"),
        "{text}"
    );
    assert_eq!(text.matches("oci:img:v1").count(), 1, "{text}");
    assert!(text.contains("error[FS001] setuid-file: 2 findings\n  /usr/bin/chfn (layer 0): `/usr/bin/chfn` is setuid (uid 0)\n  /usr/bin/passwd (layer 0): `/usr/bin/passwd` is setuid (uid 0)\n  = docs: https://github.com/hullscan/hullscan/blob/main/docs/rules/FS001.md"), "{text}");
    assert!(text.contains("warning[IC006] history-instructions: layer 1: history step 1 (`RUN wget -qO- https://get.example/install.sh | sh`)"), "{text}");
    assert!(
        text.find("error[").unwrap() < text.find("warning[").unwrap(),
        "{text}"
    );
    assert!(text.ends_with("in 1 image\n"), "{text}");
    // --min-level hides what is below it from the display; the exit status still follows
    // --fail-on.
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "oci:img:v1",
            "--min-level",
            "error",
            "--fail-on",
            "warning",
        ],
        dir.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("warning[") && !text.contains("note["),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn every_format_names_the_scanned_digest_and_platform() {
    let dir = tempfile::tempdir().unwrap();
    busy_image().write_oci(&dir.path().join("img"), "v1");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("img/index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    for format in ["human", "json", "sarif", "github"] {
        let out = hullscan(
            &["image", "--no-config", "-f", format, "oci:img:v1"],
            dir.path(),
        );
        let text = String::from_utf8_lossy(&out.stdout);
        // The human header shows a short digest (issue 17, item 13); the others the whole one.
        let shown = if format == "human" {
            &digest[..19]
        } else {
            &digest[..]
        };
        assert!(
            text.contains(shown) && text.contains("linux/amd64"),
            "{format}: {text}"
        );
    }
}

#[test]
fn multi_platform_selection() {
    let dir = tempfile::tempdir().unwrap();
    let amd = Image::new(vec![Layer::new("x").file("/bin/bash", 0o755, b"ELF")])
        .with_config(serde_json::json!({"User": "1000"}));
    let arm = Image::new(vec![Layer::new("x").file("/usr/bin/curl", 0o755, b"ELF")])
        .with_config(serde_json::json!({"User": "1000"}))
        .arch("arm64");
    common::write_multi_platform(&dir.path().join("multi"), "1", &[amd, arm]);
    let only = |extra: &[&str]| {
        findings(&scan(
            "oci:multi:1",
            &[&["--disable", "IC004"], extra].concat(),
            dir.path(),
        ))
    };
    assert_eq!(
        only(&[]),
        ["FS002 /bin/bash"],
        "default is the host platform (linux/amd64 here)"
    );
    assert_eq!(
        only(&["--platform", "linux/arm64"]),
        ["FS004 /usr/bin/curl"]
    );
    assert_eq!(
        only(&["--all-platforms"]),
        ["FS002 /bin/bash", "FS004 /usr/bin/curl"]
    );
    let out = scan("oci:multi:1", &["--platform", "linux/s390x"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("available: linux/amd64, linux/arm64"));
}

#[test]
fn findings_map_to_the_dockerfile() {
    let dir = tempfile::tempdir().unwrap();
    let base =
        Layer::new("/bin/sh -c #(nop) ADD file:0a1b in / ").file("/usr/bin/passwd", 0o4755, b"ELF");
    let run = Layer::new("RUN /bin/sh -c chmod 4755 /usr/local/bin/tool # buildkit").file(
        "/usr/local/bin/tool",
        0o4755,
        b"ELF",
    );
    let copy = Layer::new("COPY app /app # buildkit").file("/app/app", 0o755, b"ELF");
    Image::new(vec![base, run, copy])
        .with_config(serde_json::json!({"User": "0"}))
        .write_oci(&dir.path().join("img"), "1");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nRUN chmod 4755 /usr/local/bin/tool\nCOPY app /app\nUSER 0\n",
    )
    .unwrap();
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "-f",
            "json",
            "--disable",
            "IC004",
            "oci:img:1",
            "--dockerfile",
            "Dockerfile",
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["start_line"].as_u64().unwrap(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("FS001".to_string(), 1, "Dockerfile".to_string()), // from the base image: the FROM line
            ("FS001".to_string(), 2, "Dockerfile".to_string()), // made by the RUN on line 2
            // (IC006's `chmod 4755` in history would restate FS001 on line 2: one finding.)
            ("IC001".to_string(), 4, "Dockerfile".to_string()), // the USER line
        ]
    );
    // A Dockerfile that did not build this image: one warning, findings stay on the image.
    std::fs::write(
        dir.path().join("Other.Dockerfile"),
        "FROM alpine:3.20\nRUN make\nCOPY site /srv\n",
    )
    .unwrap();
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "-f",
            "json",
            "--disable",
            "IC004",
            "oci:img:1",
            "--dockerfile",
            "Other.Dockerfile",
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|f| f["start_line"].is_null()),
        "{findings:?}"
    );
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("does not match the image's history"),
        "{warnings}"
    );
}

#[test]
fn hostile_paths_and_huge_entry_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut many = Layer::new("x")
        .raw("../../etc/evil", b"x")
        .symlink("/etc/abs", "/etc/passwd")
        .file("/etc/dup", 0o644, b"one")
        .file("/etc/dup", 0o4755, b"two");
    for i in 0..100_000 {
        many = many.file(&format!("/data/{i}"), 0o644, b"");
    }
    Image::new(vec![many])
        .with_config(serde_json::json!({"User": "1"}))
        .write_oci(&dir.path().join("img"), "1");
    let out = scan("oci:img:1", &["--disable", "IC004"], dir.path());
    // The later `/etc/dup` is setuid: the one that wins on extraction is the one judged.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(findings(&out), ["FS001 /etc/dup"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("entry `../../etc/evil` climbs above the image root; judged at `/etc/evil`"),
        "{err}"
    );
    assert!(
        err.contains("duplicate entry `/etc/dup`; the later one wins"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // `../../etc/evil` counts where containerd writes it: `/etc/evil`.
    assert_eq!(v["images"][0]["files"], 100_003, "{}", v["images"][0]);
    std::fs::write(
        dir.path().join("limits.toml"),
        "[limits]\nmax-entries = 1000\n",
    )
    .unwrap();
    let out = hullscan(
        &["image", "--config", "limits.toml", "oci:img:1"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("entry count exceeds the limit of 1000"));
    let out = scan("oci:img:1", &["--max-entries", "1000"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("entry count exceeds the limit of 1000"));
}

#[test]
fn docker_25_archive_with_oci_blobs() {
    // Docker 25+ `docker save` writes an OCI layout plus a manifest.json whose paths point
    // into blobs/sha256.
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("layout");
    busy_image().write_oci(&layout, "1");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let md = index["manifests"][0]["digest"].as_str().unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::blob(&layout, md)).unwrap()).unwrap();
    let path = |d: &serde_json::Value| format!("blobs/sha256/{}", &d.as_str().unwrap()[7..]);
    let docker_manifest = serde_json::json!([{
        "Config": path(&manifest["config"]["digest"]),
        "RepoTags": ["localhost/busy:1"],
        "Layers": manifest["layers"].as_array().unwrap().iter().map(|l| path(&l["digest"])).collect::<Vec<_>>(),
    }]);
    std::fs::write(
        layout.join("manifest.json"),
        serde_json::to_vec(&docker_manifest).unwrap(),
    )
    .unwrap();
    common::tar_dir(&layout, &dir.path().join("busy.tar"));
    assert_eq!(
        findings(&scan("docker-archive:busy.tar", &[], dir.path())),
        BUSY_FINDINGS
    );
    assert_eq!(
        findings(&scan(
            "docker-archive:busy.tar:localhost/busy:1",
            &[],
            dir.path()
        )),
        BUSY_FINDINGS
    );
}

#[test]
fn corrupt_blob_is_a_digest_error() {
    let dir = tempfile::tempdir().unwrap();
    let img = Image::new(vec![Layer::new("x").file("/a", 0o644, b"hello")]);
    img.write_oci(&dir.path().join("img"), "1");
    let (blob, _) = img.layers[0].blob();
    let path = common::blob(&dir.path().join("img"), &common::sha256(&blob));
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 20;
    bytes[last] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();
    one_line_error(
        &scan("oci:img:1", &[], dir.path()),
        "layer 0: digest mismatch: expected sha256:",
    );
}

/// Replaces a layer blob with other bytes, keeping the manifest's digest honest, so the
/// decoder (not the digest check) has to catch the damage.
fn image_with_blob(dir: &Path, bytes: &[u8], media: &str) {
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    let put = |b: &[u8]| {
        let d = common::sha256(b);
        std::fs::write(common::blob(dir, &d), b).unwrap();
        d
    };
    let ld = put(bytes);
    // The diff id of what the bytes decompress to, where they do (damaged streams fail first).
    let mut plain = Vec::new();
    let diff_id = if media.ends_with("tar") {
        common::sha256(bytes)
    } else if std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes), &mut plain)
        .is_ok()
    {
        common::sha256(&plain)
    } else {
        format!("sha256:{}", "0".repeat(64))
    };
    let cfg = serde_json::to_vec(&serde_json::json!({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [diff_id]}})).unwrap();
    let cd = put(&cfg);
    let m = serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cfg.len()},
        "layers": [{"mediaType": media, "digest": ld, "size": bytes.len()}]})).unwrap();
    let md = put(&m);
    common::write_layout(
        dir,
        &[
            serde_json::json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": m.len()}),
        ],
    );
}

#[test]
fn truncated_gzip_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (gz, media) = Layer::new("x")
        .file("/a", 0o644, &vec![7u8; 100_000])
        .blob();
    image_with_blob(dir.path(), &gz[..gz.len() / 2], media);
    one_line_error(
        &scan(&format!("oci:{}", dir.path().display()), &[], dir.path()),
        "layer 0 (sha256:",
    );
    let err = String::from_utf8_lossy(
        &scan(&format!("oci:{}", dir.path().display()), &[], dir.path()).stderr,
    )
    .to_string();
    assert!(
        err.contains("gzip stream is corrupt") || err.contains("tar stream is corrupt"),
        "{err}"
    );
}

#[test]
fn tar_ending_right_after_its_last_file_is_read_but_a_cut_file_is_not() {
    // umoci's `insert` writes layers like this: no padding after the last file, no trailer.
    let tar = Layer::new("x")
        .file("/usr/bin/su", 0o4755, b"hello")
        .no_trailer()
        .tar();
    let padding = 512 - 5;
    let media = "application/vnd.oci.image.layer.v1.tar";
    let dir = tempfile::tempdir().unwrap();
    image_with_blob(dir.path(), &tar[..tar.len() - padding], media);
    let out = scan(&format!("oci:{}", dir.path().display()), &[], dir.path());
    assert!(common::findings(&out).contains(&"FS001 /usr/bin/su".to_string()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .ends_with("tar stream ends without padding after its last entry")
    );
    let cut = tempfile::tempdir().unwrap();
    image_with_blob(cut.path(), &tar[..tar.len() - padding - 1], media);
    one_line_error(
        &scan(&format!("oci:{}", cut.path().display()), &[], cut.path()),
        "tar stream is corrupt",
    );
}

#[test]
fn garbage_tar_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    image_with_blob(
        dir.path(),
        &[0x42; 3000],
        "application/vnd.oci.image.layer.v1.tar",
    );
    one_line_error(
        &scan(&format!("oci:{}", dir.path().display()), &[], dir.path()),
        "tar stream is corrupt",
    );
}

#[test]
fn decompression_bomb_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    // 96 MiB of zeros at the best gzip level compress about 1000:1, far above 200.
    let tar = Layer::new("x")
        .file("/zeros", 0o644, &vec![0u8; 96 << 20])
        .tar();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut e, &tar).unwrap();
    let gz = e.finish().unwrap();
    assert!(tar.len() / gz.len() > 500, "ratio {}", tar.len() / gz.len());
    image_with_blob(
        dir.path(),
        &gz,
        "application/vnd.oci.image.layer.v1.tar+gzip",
    );
    one_line_error(
        &scan(&format!("oci:{}", dir.path().display()), &[], dir.path()),
        "decompression ratio exceeds the limit of 200",
    );
    one_line_error(
        &scan(
            &format!("oci:{}", dir.path().display()),
            &["--max-layer-bytes", "1000000"],
            dir.path(),
        ),
        "decompressed size exceeds the limit of 1000000",
    );
}

#[test]
fn bad_references_and_missing_tags() {
    let dir = tempfile::tempdir().unwrap();
    one_line_error(
        &hullscan(&["image", "oci:nope"], dir.path()),
        "`nope` is not an OCI layout",
    );
    one_line_error(
        &hullscan(&["image", "ftp://host/x"], dir.path()),
        "unknown transport `ftp`",
    );
    busy_image().write_oci(&dir.path().join("img"), "v1");
    one_line_error(
        &hullscan(&["image", "oci:img:v2"], dir.path()),
        "no tag `v2` (tags: v1)",
    );
    std::fs::write(dir.path().join("junk.tar"), b"not a tar at all, just text").unwrap();
    let out = hullscan(&["image", "docker-archive:junk.tar"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sarif_for_images_validates_and_has_locations() {
    let dir = tempfile::tempdir().unwrap();
    busy_image().write_oci(&dir.path().join("img"), "v1");
    let out = hullscan(
        &["image", "--no-config", "-f", "sarif", "oci:img:v1"],
        dir.path(),
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/sarif/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "hullscan/image/");
    assert_eq!(run["properties"]["images"][0]["reference"], "oci:img:v1");
    for r in run["results"].as_array().unwrap() {
        let loc = &r["locations"][0];
        assert_eq!(loc["physicalLocation"]["artifactLocation"]["uri"], "img");
        assert!(
            loc["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap()
                .starts_with("oci:img:v1//")
        );
    }
}

/// `--platform` and `--category` as people use them (issue 17, minor 7 and 9).
#[test]
fn platform_and_category_flags() {
    let dir = tempfile::tempdir().unwrap();
    busy_image().write_oci(&dir.path().join("img"), "v1");
    let out = scan("oci:img:v1", &["--platform", "banana"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--platform `banana`: expected os/arch"));
    // A single-platform amd64 image asked for arm64: scanned, and said.
    let out = scan("oci:img:v1", &["--platform", "linux/arm64"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--platform linux/arm64 asked, but the image is single-platform linux/amd64"),
        "{err}"
    );
    // The SARIF category is the command's own unless given, even when given as another's.
    let sarif = |extra: &[&str]| {
        let mut args = vec!["image", "--no-config", "-f", "sarif", "oci:img:v1"];
        args.extend_from_slice(extra);
        let out = hullscan(&args, dir.path());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["runs"][0]["automationDetails"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(sarif(&[]), "hullscan/image/");
    assert_eq!(
        sarif(&["--category", "hullscan/dockerfile/"]),
        "hullscan/dockerfile/"
    );
}

/// `# hullscan ignore=` above an instruction silences the image findings mapped to it with
/// `--dockerfile`, as the rule pages say (issue 17, item 4); `global ignore=` too.
#[test]
fn dockerfile_pragmas_silence_mapped_image_findings() {
    let dir = tempfile::tempdir().unwrap();
    let run = Layer::new("RUN /bin/sh -c chmod 4755 /usr/local/bin/tool # buildkit").file(
        "/usr/local/bin/tool",
        0o4755,
        b"ELF",
    );
    Image::new(vec![run])
        .with_config(serde_json::json!({"User": "0"}))
        .write_oci(&dir.path().join("img"), "1");
    let lint = |dockerfile: &str| {
        std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
        let out = hullscan(
            &[
                "image",
                "--no-config",
                "-f",
                "json",
                "--disable",
                "IC004",
                "oci:img:1",
                "--dockerfile",
                "Dockerfile",
            ],
            dir.path(),
        );
        findings(&out)
    };
    let plain = lint("FROM scratch\nRUN chmod 4755 /usr/local/bin/tool\nUSER 0\n");
    assert_eq!(plain, ["FS001 line 2", "IC001 line 3"]);
    let silenced = lint(
        "FROM scratch\n# hullscan ignore=FS001,IC006\nRUN chmod 4755 /usr/local/bin/tool\n# hullscan global ignore=IC001\nUSER 0\n",
    );
    assert!(silenced.is_empty(), "{silenced:?}");
}

/// A malformed digest is an error before any request (issue 17, item 10).
#[test]
fn malformed_digests_are_caught_locally() {
    let dir = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    let out = hullscan(
        &["image", "--no-config", "127.0.0.1:9/app@sha256:abc"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`@sha256:abc` is not a digest"), "{err}");
    assert!(start.elapsed().as_secs() < 2);
}

/// A `docker save` archive given as `oci-archive:` gets the right transport suggested.
#[test]
fn wrong_archive_transport_is_named() {
    let dir = tempfile::tempdir().unwrap();
    busy_image().write_docker_archive(&dir.path().join("app.tar"), "app:1");
    let out = hullscan(&["image", "--no-config", "oci-archive:app.tar"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "is a `docker save` archive, not an OCI archive: scan `docker-archive:app.tar`"
        ),
        "{err}"
    );
}

/// SARIF names an image outside the repository `image/<name>`, never an absolute path made to
/// look repository-relative (issue 17, minor 16); inside it, by its relative path.
#[test]
fn sarif_locations_of_local_images() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    common::su_image().write_oci(&dir.path().join("build/oci"), "1");
    common::su_image().write_oci(&repo.join("out/img"), "1");
    let uri = |reference: &str| {
        let out = hullscan(&["image", "--no-config", "-f", "sarif", reference], &repo);
        let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let outside = format!("oci:{}:1", dir.path().join("build/oci").display());
    assert_eq!(uri(&outside), "image/oci");
    assert_eq!(uri("oci:out/img:1"), "out/img");
}
