//! Hostile layers (issue 19): each case is a layer crafted so that a permissive reader and the
//! runtime could read it differently, with the runtime's view written down (what Go's
//! `archive/tar`, which containerd and moby unpack with, and the overlay applier make of it).
//! hullscan must report what the runtime will see, or refuse the layer with one line and
//! exit 2; never a panic, never a harmless default.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::rawtar::{self, Header};
use common::{Image, Layer, findings, hullscan};

const ROOTS: &[u8] = b"root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n";

fn scan_layers(layers: Vec<Layer>, config: serde_json::Value) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    Image::new(layers)
        .with_config(config)
        .write_oci(&dir.path().join("img"), "1");
    hullscan(
        &["image", "--no-config", "-f", "json", "oci:img:1"],
        dir.path(),
    )
}

fn scan(layer: Layer) -> std::process::Output {
    scan_layers(vec![layer], serde_json::json!({"User": "1000"}))
}

fn has(out: &std::process::Output, finding: &str) -> bool {
    findings(out).iter().any(|f| f == finding)
}

fn refused(out: &std::process::Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{err}");
}

#[test]
fn numeric_fields_as_go_parses_them() {
    // Runtime view: `-rwsr-xr-x` for both (base-256 mode; octal after a leading NUL).
    let mut base256 = Header::new(b"usr/bin/a", b'0', 0, 1);
    base256.field(100, 8, &[0x80, 0, 0, 0, 0, 0, 0x09, 0xed]);
    let mut nul_octal = Header::new(b"usr/bin/b", b'0', 0, 1);
    nul_octal.field(100, 8, b"\x004755\0\0\0");
    let out = scan(
        Layer::new("RUN x")
            .blocks(base256.bytes(b"x"))
            .blocks(nul_octal.bytes(b"x")),
    );
    assert!(has(&out, "FS001 /usr/bin/a"), "{:?}", findings(&out));
    assert!(has(&out, "FS001 /usr/bin/b"), "{:?}", findings(&out));
    // A mode Go cannot parse fails the runtime's unpack: refused, not read as mode 0.
    let mut bad = Header::new(b"usr/bin/c", b'0', 0, 1);
    bad.field(100, 8, b"47x5\0\0\0\0");
    refused(
        &scan(Layer::new("RUN x").blocks(bad.bytes(b"x"))),
        "invalid tar header",
    );
}

#[test]
fn pax_records_are_read_by_their_length() {
    // A `comment` whose value holds a newline and text that looks like a record: the real
    // `path` record after it still applies. Runtime view: `/etc/passwd` with two roots.
    let out = scan(
        Layer::new("RUN x")
            .blocks(rawtar::pax(&[
                ("comment", b"x\n11 path=a\n"),
                ("path", b"etc/passwd"),
            ]))
            .blocks(rawtar::file(b"usr/share/doc/harmless", 0o644, ROOTS)),
    );
    assert!(has(&out, "FS011 /etc/passwd"), "{:?}", findings(&out));
    // A PAX `size` longer than the header's: the decoy entries inside the content are
    // content, and the setuid file after it is real.
    let mut decoy = rawtar::file(b"decoy", 0o644, b"d");
    decoy.extend([0u8; 1024]); // a fake end-of-archive marker inside the content
    let mut big = Header::new(b"data", b'0', 0o644, 0).bytes(&[]);
    big.truncate(512);
    let content = [decoy.clone(), vec![0u8; 512]].concat();
    let out = scan(
        Layer::new("RUN x")
            .blocks(rawtar::pax(&[(
                "size",
                content.len().to_string().as_bytes(),
            )]))
            .blocks([big, content].concat())
            .blocks(rawtar::file(b"usr/bin/evil", 0o4755, b"x")),
    );
    assert!(has(&out, "FS001 /usr/bin/evil"), "{:?}", findings(&out));
    assert!(!findings(&out).iter().any(|f| f.contains("decoy")));
}

#[test]
fn names_differing_in_invalid_utf8_stay_distinct() {
    // Runtime view: two files; the setuid one must not be shadowed by the harmless one.
    let out = scan(
        Layer::new("RUN x")
            .blocks(rawtar::file(b"usr/bin/t\xff", 0o4755, b"x"))
            .blocks(rawtar::file(b"usr/bin/t\xfe", 0o755, b"x")),
    );
    assert!(has(&out, "FS001 /usr/bin/t\\xff"), "{:?}", findings(&out));
}

#[test]
fn header_only_types_carry_no_content() {
    // A directory header claiming 1024 bytes: Go reads the next header at once, so the
    // setuid file is real, not content to skip.
    let dir = Header::new(b"opt/", b'5', 0o755, 1024).bytes(&[]);
    let out = scan(
        Layer::new("RUN x")
            .blocks(dir)
            .blocks(rawtar::file(b"opt/su", 0o4755, b"x")),
    );
    assert!(has(&out, "FS001 /opt/su"), "{:?}", findings(&out));
}

#[test]
fn runtime_refusals_are_refusals() {
    // Types the appliers do not handle, sparse files, and whiteouts naming their own
    // directory: containerd fails the layer, so hullscan refuses it.
    let contiguous = Header::new(b"usr/bin/x", b'7', 0o4755, 1).bytes(b"x");
    refused(&scan(Layer::new("RUN x").blocks(contiguous)), "type `7`");
    let sparse = Header::new(b"big", b'S', 0o644, 0).bytes(&[]);
    refused(&scan(Layer::new("RUN x").blocks(sparse)), "sparse");
    let lower = Layer::new("base").file("/usr/bin/su", 0o4755, b"su");
    let bare = Layer::new("RUN rm").blocks(rawtar::file(b".wh.", 0o644, b""));
    refused(
        &scan_layers(vec![lower, bare], serde_json::json!({"User": "1000"})),
        "invalid whiteout",
    );
}

#[test]
fn account_files_are_read_as_the_runtime_reads_them() {
    // `/etc` is a symlink to a directory holding a passwd with two roots.
    let out = scan(
        Layer::new("RUN x")
            .file("/srv/etc/passwd", 0o644, ROOTS)
            .symlink("/etc", "srv/etc"),
    );
    assert!(has(&out, "FS011 /srv/etc/passwd"), "{:?}", findings(&out));
    // `/etc/passwd` links to a file whose name the walk does not keep: it is read again.
    let out = scan(
        Layer::new("RUN x")
            .file("/opt/accounts", 0o644, ROOTS)
            .symlink("/etc/passwd", "../opt/accounts"),
    );
    assert!(has(&out, "FS011 /opt/accounts"), "{:?}", findings(&out));
    // An entry written through a symlinked directory lands in its target.
    let out = scan(
        Layer::new("RUN x")
            .dir("/real", 0o755)
            .symlink("/etc", "/real")
            .file("/etc/passwd", 0o644, ROOTS),
    );
    assert!(has(&out, "FS011 /real/passwd"), "{:?}", findings(&out));
    // The uid-0 line past 256 KiB of padding is still read.
    let mut long = b"root:x:0:0::/root:/bin/sh\n".to_vec();
    for i in 0..12_000 {
        long.extend(format!("user{i}:x:{}:100::/home:/bin/false\n", 10_000 + i).as_bytes());
    }
    long.extend(b"toor:x:0:0::/root:/bin/sh\n");
    assert!(long.len() > 256 << 10);
    let out = scan(Layer::new("RUN x").file("/etc/passwd", 0o644, &long));
    assert!(has(&out, "FS011 /etc/passwd"), "{:?}", findings(&out));
}

#[test]
fn users_as_runc_parses_them() {
    // `+0` and `-0` are uid 0 to Go's Atoi; a passwd uid field that does not parse is 0 too.
    for user in ["+0", "-0", "+0:0"] {
        let out = scan_layers(
            vec![Layer::new("x").file("/x", 0o644, b"x")],
            serde_json::json!({ "User": user }),
        );
        assert!(has(&out, "IC001 config"), "{user}: {:?}", findings(&out));
    }
    let out = scan_layers(
        vec![Layer::new("x").file("/etc/passwd", 0o644, b"app:x: 1000:1000::/:/bin/sh\n")],
        serde_json::json!({ "User": "app" }),
    );
    assert!(has(&out, "IC001 config"), "{:?}", findings(&out));
}

#[test]
fn control_characters_from_images_are_escaped() {
    // An entry name that would issue a GitHub workflow command, or clear a terminal.
    let name = b"usr/bin/x\n::warning file=README.md,line=1::INJECTED\x1b[2J";
    for format in ["human", "github", "sarif", "json"] {
        let dir = tempfile::tempdir().unwrap();
        Image::new(vec![
            Layer::new("RUN x").blocks(rawtar::file(name, 0o4755, b"x")),
        ])
        .with_config(serde_json::json!({"User": "1000"}))
        .write_oci(&dir.path().join("img"), "1");
        let out = hullscan(
            &["image", "--no-config", "-f", format, "oci:img:1"],
            Path::new(dir.path()),
        );
        let all = [out.stdout.clone(), out.stderr.clone()].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(!text.contains('\x1b'), "{format}: raw escape");
        assert!(
            !text
                .lines()
                .any(|l| l.starts_with("::warning file=README.md")),
            "{format}: a workflow command reached the output:\n{text}"
        );
    }
}

/// Runs `hullscan dockerfile` on `text` and returns (exit code, stderr, seconds, peak RSS KiB).
fn lint_timed(text: &str) -> (Option<i32>, String, f64, u64) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), text).unwrap();
    let start = std::time::Instant::now();
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M", env!("CARGO_BIN_EXE_hullscan")])
        .args(["dockerfile", "--no-config", "-f", "json", "Dockerfile"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let secs = start.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let rss = err
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("GNU time printed no peak RSS:\n{err}"));
    (out.status.code(), err, secs, rss)
}

#[test]
fn dockerfiles_that_amplify_stay_bounded() {
    if !Path::new("/usr/bin/time").exists() {
        common::skip_unless_ci("GNU time is not installed");
        return;
    }
    // 20k ENV and 20k EXPOSE lines: variables in scope are computed once, not per line.
    let mut text = String::from("FROM debian:12\n");
    for i in 0..20_000 {
        let _ = write!(text, "ENV V{i}=x{i}\nEXPOSE ${{V{i}}}\n");
    }
    text.push_str("RUN pip install x\n");
    let (code, err, secs, _) = lint_timed(&text);
    assert_eq!(code, Some(1), "{err}");
    assert!(secs < 20.0, "{secs} s");
    // One big RUN whose words expand a large value many times: capped.
    let big = "y ".repeat(30_000);
    let mut text = format!("FROM debian:12\nENV A=\"{big}\"\nRUN echo");
    for _ in 0..20_000 {
        text.push_str(" $A${A}");
    }
    text.push('\n');
    let (code, err, _, rss) = lint_timed(&text);
    assert_eq!(code, Some(1), "{err}");
    assert!(rss < 256 << 10, "peak RSS {rss} KiB");
    // A chain of ONBUILD triggers is refused by the builder, and so here: no stack to blow.
    let text = format!("FROM debian:12\n{}RUN x\n", "ONBUILD ".repeat(100_000));
    let (code, err, _, _) = lint_timed(&text);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("is not allowed"), "{err}");
}

/// The layout's manifest and its (first) layer descriptor, to edit.
fn layout_manifest(dir: &Path) -> (std::path::PathBuf, serde_json::Value) {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let path = common::blob(dir, &digest);
    let m = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    (path, m)
}

/// Rewrites the manifest and points the index at it (new digest and size).
fn replace_manifest(dir: &Path, m: &serde_json::Value) {
    let bytes = serde_json::to_vec(m).unwrap();
    let digest = common::sha256(&bytes);
    std::fs::write(common::blob(dir, &digest), &bytes).unwrap();
    let mut index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    index["manifests"][0]["digest"] = digest.into();
    index["manifests"][0]["size"] = bytes.len().into();
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
}

/// Rewrites the config through `edit` and points the manifest (and the index) at it.
fn replace_config(dir: &Path, edit: &dyn Fn(&mut serde_json::Value)) {
    let (_, mut m) = layout_manifest(dir);
    let path = common::blob(dir, m["config"]["digest"].as_str().unwrap());
    let mut config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut config);
    let bytes = serde_json::to_vec(&config).unwrap();
    let digest = common::sha256(&bytes);
    std::fs::write(common::blob(dir, &digest), &bytes).unwrap();
    m["config"]["digest"] = digest.into();
    m["config"]["size"] = bytes.len().into();
    replace_manifest(dir, &m);
}

#[test]
fn only_verified_bytes_are_scanned() {
    let image = Image::new(vec![Layer::new("x").file("/usr/bin/su", 0o4755, b"su")])
        .with_config(serde_json::json!({"User": "1000"}));
    let run = |edit: &dyn Fn(&Path)| {
        let dir = tempfile::tempdir().unwrap();
        let img = dir.path().join("img");
        image.write_oci(&img, "1");
        edit(&img);
        hullscan(
            &["image", "--no-config", "-f", "json", "oci:img:1"],
            dir.path(),
        )
    };
    // Digests of algorithms that cannot be verified, on the config and on a layer.
    for alg in ["md5:d41d8cd98f00b204e9800998ecf8427e", "foo:bar"] {
        let out = run(&|img| {
            let (_, mut m) = layout_manifest(img);
            m["config"]["digest"] = alg.into();
            replace_manifest(img, &m);
        });
        assert_eq!(out.status.code(), Some(2), "{alg}");
        let out = run(&|img| {
            let (_, mut m) = layout_manifest(img);
            m["layers"][0]["digest"] = alg.into();
            replace_manifest(img, &m);
        });
        assert_eq!(out.status.code(), Some(2), "{alg}");
    }
    // A layer descriptor whose size disagrees with the blob, either way.
    for delta in [-1i64, 1] {
        let out = run(&|img| {
            let (_, mut m) = layout_manifest(img);
            let size = m["layers"][0]["size"].as_i64().unwrap();
            m["layers"][0]["size"] = (size + delta).into();
            replace_manifest(img, &m);
        });
        refused(&out, "descriptor");
    }
    // Diff ids that do not name the uncompressed layers, or not all of them: containerd and
    // Docker refuse to unpack such an image, and so does the scan.
    let wrong = format!("sha256:{}", "0".repeat(64));
    for ids in [vec![wrong.clone()], vec![], vec![wrong.clone(), wrong]] {
        let out =
            run(&|img| replace_config(img, &|c| c["rootfs"]["diff_ids"] = ids.clone().into()));
        refused(&out, "diff_ids");
    }
    // A blob that is a FIFO or a link to /dev/zero: refused at once, no hang.
    for kind in ["fifo", "zero"] {
        let start = std::time::Instant::now();
        let out = run(&|img| {
            let (_, m) = layout_manifest(img);
            let layer = common::blob(img, m["layers"][0]["digest"].as_str().unwrap());
            std::fs::remove_file(&layer).unwrap();
            if kind == "fifo" {
                let ok = std::process::Command::new("mkfifo")
                    .arg(&layer)
                    .status()
                    .unwrap();
                assert!(ok.success());
            } else {
                std::os::unix::fs::symlink("/dev/zero", &layer).unwrap();
            }
        });
        refused(&out, "not a regular file inside the layout");
        assert!(start.elapsed().as_secs() < 10, "{kind}");
    }
}

#[test]
fn one_layer_listed_many_times_is_walked_once_and_layer_counts_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let img = dir.path().join("img");
    Image::new(vec![Layer::new("x").file("/usr/bin/su", 0o4755, b"su")])
        .with_config(serde_json::json!({"User": "1000"}))
        .write_oci(&img, "1");
    let (_, mut m) = layout_manifest(&img);
    let layer = m["layers"][0].clone();
    m["layers"] = serde_json::Value::Array(vec![layer.clone(); 300]);
    replace_manifest(&img, &m);
    replace_config(&img, &|c| {
        let id = c["rootfs"]["diff_ids"][0].clone();
        c["rootfs"]["diff_ids"] = serde_json::Value::Array(vec![id; 300]);
    });
    let start = std::time::Instant::now();
    let out = hullscan(
        &["image", "--no-config", "-f", "json", "oci:img:1"],
        dir.path(),
    );
    assert!(
        has(&out, "FS001 /usr/bin/su"),
        "{:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(start.elapsed().as_secs() < 30);
    m["layers"] = serde_json::Value::Array(vec![layer; 600]);
    replace_manifest(&img, &m);
    replace_config(&img, &|c| {
        let id = c["rootfs"]["diff_ids"][0].clone();
        c["rootfs"]["diff_ids"] = serde_json::Value::Array(vec![id; 600]);
    });
    let out = hullscan(
        &["image", "--no-config", "-f", "json", "oci:img:1"],
        dir.path(),
    );
    refused(&out, "600 layers");
}

#[test]
fn entries_above_the_root_are_judged_where_containerd_writes_them() {
    // containerd clamps `..` at the root: this file is `/usr/bin/x`, setuid.
    let out = scan(Layer::new("RUN x").blocks(rawtar::file(b"../../usr/bin/x", 0o4755, b"x")));
    assert!(has(&out, "FS001 /usr/bin/x"), "{:?}", findings(&out));
}

#[test]
fn zstd_windows_are_bounded() {
    // A frame declaring a 1 GiB window would make the decoder allocate it: refused.
    let big = Layer::new("x")
        .file("/usr/bin/su", 0o4755, b"su")
        .compression(common::Compression::ZstdWindow(30));
    refused(&scan(big), "zstd stream is corrupt");
    // 8 MiB windows (every level's default) are read as usual.
    let ok = Layer::new("x")
        .file("/usr/bin/su", 0o4755, b"su")
        .compression(common::Compression::ZstdWindow(23));
    assert!(has(&scan(ok), "FS001 /usr/bin/su"));
}

#[test]
fn archive_members_are_bounded() {
    // A `docker save` archive whose GNU long-name record claims 2 GiB: refused at once, with
    // nothing allocated for it.
    let dir = tempfile::tempdir().unwrap();
    let mut h = Header::new(b"././@LongLink", b'L', 0o644, 0);
    h.field(124, 12, format!("{:011o}\0", 2u64 << 30).as_bytes());
    std::fs::write(dir.path().join("evil.tar"), h.bytes(&[])).unwrap();
    let start = std::time::Instant::now();
    let out = hullscan(
        &["image", "--no-config", "docker-archive:evil.tar"],
        dir.path(),
    );
    refused(&out, "extended header");
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn huge_config_values_stay_bounded() {
    // A 3 MB `Env` value full of keyword fragments and a 2.8 MB history step of nested
    // command substitutions: both are read, neither is analysed at a cost proportional to its
    // size times its nesting.
    let nested = format!(
        "/bin/sh -c sh -c \"{}{}\"",
        "$(echo ".repeat(200_000),
        ")".repeat(200_000)
    );
    let env = format!("BIG=token={}", "ghp_x1".repeat(500_000));
    let started = std::time::Instant::now();
    let out = scan_layers(
        vec![Layer::new(&nested).file("/etc/hostname", 0o644, b"x\n")],
        serde_json::json!({"User": "1000", "Env": [env]}),
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
