//! Secrets planted in real images (synthetic, format-valid values generated here): found in
//! every place an image keeps them, decoys quiet, values never in any output or the cache.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Image, Layer, hullscan};
use hullscan::secrets::synthetic::{checksummed, pem, planted, random};

/// What a scan reported: (rule, place, kind) per finding.
fn found(out: &std::process::Output) -> BTreeSet<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| matches!(f["rule"].as_str(), Some("FS006" | "IC003" | "IC007")))
        .map(|f| {
            let e = &f["evidence"];
            let place = f["image_path"]
                .as_str()
                .or(e["name"].as_str())
                .unwrap_or("")
                .to_string();
            (
                f["rule"].as_str().unwrap().to_string(),
                place,
                e["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

struct Planted {
    image: Image,
    /// Values that must never appear in any output.
    values: Vec<String>,
}

/// Secrets in the final filesystem, a deleted file, an overwritten file, behind an opaque
/// directory, in `Env`, `Labels` and the history, in minified JS and inside a binary; and
/// decoys of every sort.
fn planted_image() -> Planted {
    let p = planted(77);
    let by_kind = |k: &str| p.iter().find(|x| x.0 == k).unwrap().clone();
    let aws = by_kind("aws-secret-access-key");
    let gcp = by_kind("gcp-service-account");
    let npm = by_kind("npm-token");
    let pg = by_kind("connection-url");
    let generic = by_kind("generic-password");
    let ghp = checksummed("ghp_", 11);
    let key = pem(12);
    let gh_env = checksummed("ghp_", 13);
    let npm_arg = checksummed("npm_", 14);
    let hook = by_kind("slack-webhook");
    let db_env = random(
        15,
        14,
        b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789",
    );
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    elf.extend_from_slice(pem(16).as_bytes());
    let js = format!(
        "!function(e){{var t={{api:\"https://api.github.com\",k:\"{ghp}\"}};e.x=t}}(window);"
    );
    let base = Layer::new("ADD rootfs /")
        .dir("/app", 0o755)
        .file("/app/config/settings.yml", 0o644, aws.2.as_bytes())
        .file("/srv/keys/server.txt", 0o600, key.as_bytes())
        .file("/app/static/js/main.4f1c.min.js", 0o644, js.as_bytes())
        .file("/etc/app/app.conf", 0o644, pg.2.as_bytes())
        .file("/app/gcp.json", 0o600, gcp.2.as_bytes())
        .file("/root/.npmrc", 0o600, npm.2.as_bytes())
        .file("/opt/cache/old/db.ini", 0o644, generic.2.as_bytes())
        .file("/usr/local/bin/tool", 0o755, &elf)
        // Decoys.
        .file(
            "/app/.env.example",
            0o644,
            b"GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nDB_PASSWORD=changeme\n",
        )
        .file(
            "/usr/lib/python3/dist-packages/x/tests/key.pem",
            0o644,
            pem(17).as_bytes(),
        )
        .file(
            "/app/config/aws-example.yml",
            0o644,
            b"aws_access_key_id: AKIAIOSFODNN7EXAMPLE\naws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        )
        .file(
            "/etc/ssl/certs/site.pem",
            0o644,
            b"-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n",
        )
        .file(
            "/app/package-lock.json",
            0o644,
            b"{\"packages\": {\"node_modules/x\": {\"integrity\": \"sha512-Qk9o3lGi1X0Yx5Oww3XQ3kZ2nH9z7y7i3l6Zl0O1d2e3f4g5h6i7j8k9l0m1n2o3p4q5r6s7t8u9v0w1x2y3z4==\"}}}\n",
        )
        .file(
            "/app/config/app.yml",
            0o644,
            b"session_token: 123e4567-e89b-12d3-a456-426614174000\npassword: ${DB_PASSWORD}\npassword_file: /run/secrets/db\nredis: redis://:${REDIS_PASSWORD}@redis:6379\n",
        );
    let later = Layer::new("RUN cleanup")
        .whiteout("/app/gcp.json")
        .file(
            "/root/.npmrc",
            0o600,
            b"registry=https://registry.npmjs.org/\n",
        )
        .opaque("/opt/cache/old");
    let image = Image::new(vec![base, later]).with_config(serde_json::json!({
        "Env": [
            "PATH=/usr/bin",
            format!("GITHUB_TOKEN={gh_env}"),
            format!("DB_PASSWORD={db_env}"),
            "DB_PASSWORD_FILE=/run/secrets/db",
        ],
        "Labels": {"alerts": format!("https://hooks.slack.com/services/{}", hook.1)},
    }));
    // The history records the build argument of the second step.
    let mut image = image;
    image.layers[1].created_by = format!("|1 NPM_TOKEN={npm_arg} /bin/sh -c npm ci");
    let mut values = vec![
        aws.1, gcp.1, npm.1, pg.1, generic.1, ghp, gh_env, npm_arg, hook.1, db_env,
    ];
    values.extend(key.lines().skip(1).take(3).map(str::to_string));
    values.extend(gcp.2.split("\\n").skip(1).take(3).map(str::to_string));
    values.retain(|v| !v.is_empty());
    Planted { image, values }
}

fn assert_no_value(values: &[String], what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for v in values {
        let at = text.find(v.as_str());
        assert!(
            !v.is_empty() && at.is_none(),
            "{what} holds planted value #{}: …{}…",
            values.iter().position(|x| x == v).unwrap_or(0),
            at.map(|i| text[i.saturating_sub(80)..i].to_string())
                .unwrap_or_default()
        );
    }
}

#[test]
fn planted_secrets_are_found_everywhere_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let planted = planted_image();
    planted.image.write_oci(&p.join("img"), "1");
    let scan = |extra: &[&str]| {
        let mut args = vec!["image", "--no-config", "oci:img:1", "--cache", "cache"];
        args.extend_from_slice(extra);
        let out = hullscan(&args, p);
        assert_no_value(&planted.values, "stdout", &out.stdout);
        assert_no_value(&planted.values, "stderr", &out.stderr);
        out
    };
    let out = scan(&["-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    let expected: BTreeSet<_> = [
        s("FS006", "/app/config/settings.yml", "aws-secret-access-key"),
        s("FS006", "/srv/keys/server.txt", "private-key"),
        s("FS006", "/app/static/js/main.4f1c.min.js", "github-token"),
        s("FS006", "/etc/app/app.conf", "connection-url"),
        s("FS006", "/app/gcp.json", "gcp-service-account"),
        s("FS006", "/root/.npmrc", "npm-token"),
        s("FS006", "/opt/cache/old/db.ini", "generic-password"),
        s("IC003", "GITHUB_TOKEN", "github-token"),
        s("IC003", "DB_PASSWORD", "named-secret"),
        s("IC003", "alerts", "slack-webhook"),
        s("IC007", "NPM_TOKEN", "npm-token"),
    ]
    .into_iter()
    .collect();
    assert_eq!(found(&out), expected);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(layer 0, deleted in layer 1)"), "{text}");
    assert!(text.contains("(layer 0, overwritten in layer 1)"), "{text}");

    // Every other format, and the cache after a second (cached) run.
    for f in ["human", "sarif", "github", "html"] {
        let out = scan(&["-f", f]);
        assert_eq!(out.status.code(), Some(1), "{f}");
    }
    let again = scan(&["-f", "json"]);
    assert_eq!(found(&again), expected, "from the cache");
    for entry in walk(&p.join("cache")) {
        let raw = std::fs::read(&entry).unwrap();
        let plain = zstd::stream::decode_all(&raw[..]).unwrap_or(raw);
        assert_no_value(&planted.values, &entry.display().to_string(), &plain);
    }

    // Binaries for every kind when asked; `--secrets off` keeps config and history.
    let bin = found(&scan(&["-f", "json", "--secrets", "binaries"]));
    assert!(bin.contains(&s("FS006", "/usr/local/bin/tool", "private-key")));
    let off = found(&scan(&["-f", "json", "--secrets", "off"]));
    assert!(off.iter().all(|f| f.0 != "FS006"), "{off:?}");
    assert!(off.contains(&s("IC007", "NPM_TOKEN", "npm-token")));
}

#[test]
fn fingerprints_are_stable_keyed_and_silence_one_secret() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    planted_image().image.write_oci(&p.join("img"), "1");
    let run = |key: &str, extra: &[&str]| {
        let mut args = vec!["image", "oci:img:1", "--no-cache", "-f", "json"];
        args.extend_from_slice(extra);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_hullscan"))
            .args(&args)
            .current_dir(p)
            .env("HULLSCAN_SECRETS_KEY", key)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| {
                Some((
                    f["image_path"].as_str()?.to_string(),
                    f["evidence"]["secret_fingerprint"].as_str()?.to_string(),
                ))
            })
            .collect::<Vec<_>>()
    };
    let a = run("one", &["--no-config"]);
    assert_eq!(
        a,
        run("one", &["--no-config"]),
        "same key, same fingerprints"
    );
    let b = run("two", &["--no-config"]);
    assert_eq!(a.len(), b.len());
    assert!(a.iter().zip(&b).all(|(x, y)| x.0 == y.0 && x.1 != y.1));
    let (path, fp) = a
        .iter()
        .find(|(path, _)| path == "/srv/keys/server.txt")
        .unwrap()
        .clone();
    std::fs::write(
        p.join("h.toml"),
        format!(
            "[[ignore]]\nrule = \"FS006\"\nfingerprint = \"{fp}\"\nreason = \"test key, revoked\"\n"
        ),
    )
    .unwrap();
    let c = run("one", &["--config", "h.toml"]);
    assert!(!c.iter().any(|(x, _)| *x == path), "{c:?}");
    assert_eq!(c.len(), a.len() - 1);
}

#[test]
fn build_args_recorded_by_a_real_build_are_reported_on_their_line() {
    let base = common::debian::debian().join("oci");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("ctx")).unwrap();
    let token = checksummed("npm_", 21);
    std::fs::write(
        p.join("ctx/Dockerfile"),
        format!(
            "FROM oci:{}:bookworm\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${{NPM_TOKEN}}\" > /root/.npmrc && rm /root/.npmrc\nRUN echo done > /done\n",
            base.display()
        ),
    )
    .unwrap();
    common::debian::run(
        common::debian::buildah(
            p,
            &[
                "bud",
                "--layers",
                "--isolation",
                "chroot",
                "-q",
                "--build-arg",
                &format!("NPM_TOKEN={token}"),
                "-t",
                "localhost/sec:1",
                "-f",
            ],
        )
        .arg(p.join("ctx/Dockerfile"))
        .arg(p.join("ctx")),
    );
    common::debian::run(
        common::debian::buildah(p, &["push", "-q", "localhost/sec:1"])
            .arg(format!("oci:{}:1", p.join("out").display())),
    );
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "-f",
            "json",
            "oci:out:1",
            "--dockerfile",
            "ctx/Dockerfile",
        ],
        p,
    );
    assert_no_value(std::slice::from_ref(&token), "stdout", &out.stdout);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines: Vec<(String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| matches!(f["rule"].as_str(), Some("IC007" | "DF010")))
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["start_line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        lines.contains(&("IC007".to_string(), 3)),
        "the build argument is recorded for the RUN on line 3: {lines:?}"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(list) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in list.flatten() {
        let path = e.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn batch_records_state_and_sarif_hold_no_value() {
    let planted = planted_image();
    let reg = common::registry::Registry::start(None);
    let _dir = reg.push_image(&planted.image, "team/app");
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args(["registry", "--no-config", "--insecure-registry", &reg.host])
        .args([
            "--cache",
            "cache",
            "--state",
            "state.jsonl",
            "-o",
            "out.jsonl",
        ])
        .args(["--sarif", "out.sarif", &reg.host])
        .current_dir(w)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_value(&planted.values, "stderr", &out.stderr);
    assert!(
        !walk(&w.join("cache")).is_empty(),
        "the layer cache is written (and checked below)"
    );
    let records = std::fs::read_to_string(w.join("out.jsonl")).unwrap();
    assert!(records.contains("\"FS006\"") && records.contains("secret_fingerprint"));
    // `hullscan ecs` scans the same image through the same records, into its own state file
    // and cache, with the first planted value in the task's environment too.
    let td = format!(
        r#"{{"family": "app", "containerDefinitions": [{{"name": "app", "image": "{}/team/app:1",
          "environment": [{{"name": "TOKEN", "value": "{}"}}]}}]}}"#,
        reg.host, planted.values[0]
    );
    std::fs::write(w.join("td.json"), td).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args(["ecs", "--no-config", "--insecure-registry", &reg.host])
        .args(["--state", "ecs-state.jsonl", "-f", "json", "td.json"])
        .env("XDG_CACHE_HOME", w.join("ecs-cache"))
        .current_dir(w)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"FS006\""));
    assert_no_value(&planted.values, "ecs stdout", &out.stdout);
    assert_no_value(&planted.values, "ecs stderr", &out.stderr);
    assert!(!walk(&w.join("ecs-cache")).is_empty());
    assert!(w.join("ecs-state.jsonl").exists());
    std::fs::remove_file(w.join("td.json")).unwrap();
    for entry in walk(w) {
        let raw = std::fs::read(&entry).unwrap();
        let plain = zstd::stream::decode_all(&raw[..]).unwrap_or(raw);
        assert_no_value(&planted.values, &entry.display().to_string(), &plain);
    }
}

/// Every kind with a sample, its generated value planted in its usual context in one of many
/// places (source of five languages, configs, Markdown, a `.pyc` after 0xA4, an ELF, a properties
/// file in a jar nested in a jar, a `.tar.gz`, git loose objects and a packfile) plus a token past
/// the old 16 MiB read cap of a log: each is found as its kind at its path (the path inside an
/// archive included), nothing else is an error, and no value is printed.
#[test]
fn every_kind_is_found_in_every_sort_of_place() {
    use hullscan::secrets::synthetic::{gzip, pack, sample, tar, zip, zip_entry, zlib};
    use hullscan::secrets::{FileClass, detector};
    let mut layer = Layer::new("ADD app /").dir("/app", 0o755);
    let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
    let mut values: Vec<String> = Vec::new();
    let (mut in_jar, mut in_tgz, mut in_pack) = (Vec::new(), Vec::new(), Vec::new());
    let sources = ["py", "js", "go", "php", "rb"];
    for (i, kind) in detector().kinds().iter().enumerate() {
        let Some(template) = &kind.sample else {
            continue;
        };
        let value = sample(template, 1000 + i as u64).unwrap();
        let text = kind
            .context
            .as_deref()
            .unwrap_or("{secret}")
            .replacen("{secret}", &value, 1);
        let id = &kind.id;
        let config = format!("/app/config/{id}.yaml");
        let mut plant = |path: String, body: Vec<u8>| {
            expected.insert((path.clone(), id.clone()));
            layer = std::mem::replace(&mut layer, Layer::new("")).file(&path, 0o644, &body);
        };
        let body = format!("# {id}\n{text}\n").into_bytes();
        match i % 12 {
            n @ 0..=4 => {
                let path = format!("/app/src/{id}.{}", sources[n]);
                if kind.searches(FileClass::of(&path)) {
                    plant(path, body);
                } else {
                    plant(format!("/app/{id}.env"), body);
                }
            }
            5 => plant(format!("/app/docs/{id}.md"), body),
            6 | 7 if kind.binary => {
                let mut bin = if i % 12 == 6 {
                    b"\x6f\x0d\x0d\x0a\0\0\0\0\xe3\0\0\0\xa4".to_vec()
                } else {
                    b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\xa4".to_vec()
                };
                bin.extend_from_slice(text.as_bytes());
                bin.extend_from_slice(b"\xa4\0\x01\x02");
                let ext = if i % 12 == 6 { "cpython-312.pyc" } else { "so" };
                plant(format!("/app/bin/{id}.{ext}"), bin);
            }
            8 => in_jar.push((format!("{id}.properties"), body)),
            9 => in_tgz.push((format!("etc/{id}.conf"), body)),
            10 => {
                let oid = format!("{:040x}", i + 0xabc);
                let obj = zlib(&[format!("blob {}\0", body.len()).as_bytes(), &body].concat());
                let path = format!("/app/.git/objects/{}/{}", &oid[..2], &oid[2..]);
                expected.insert((format!("/app/.git!/objects/{oid}"), id.clone()));
                layer = std::mem::replace(&mut layer, Layer::new("")).file(&path, 0o444, &obj);
            }
            11 => in_pack.push((id.clone(), body)),
            _ => plant(config, body),
        }
        values.push(value);
    }
    // A jar holding a jar, two deep; deflated entries with data descriptors.
    let inner: Vec<Vec<u8>> = in_jar
        .iter()
        .map(|(n, b)| zip_entry(n, b, true, true))
        .collect();
    let jar = zip(&[
        zip_entry(
            "META-INF/MANIFEST.MF",
            b"Manifest-Version: 1.0\n",
            false,
            false,
        ),
        zip_entry("lib/b.jar", &zip(&inner), true, false),
    ]);
    for (n, _) in &in_jar {
        let id = n.trim_end_matches(".properties");
        expected.insert((
            format!("/app/lib/orders.jar!/lib/b.jar!/{n}"),
            id.to_string(),
        ));
    }
    let mut tarball = Vec::new();
    for (n, b) in &in_tgz {
        let t = tar(n, b);
        tarball.extend_from_slice(&t[..t.len() - 1024]);
        let id = n.trim_start_matches("etc/").trim_end_matches(".conf");
        expected.insert((format!("/srv/backup.tar.gz!/{n}"), id.to_string()));
    }
    tarball.extend_from_slice(&[0; 1024]);
    let blobs: Vec<&[u8]> = in_pack.iter().map(|(_, b)| b.as_slice()).collect();
    let packfile = pack(&blobs, b"delta");
    for (n, (id, _)) in in_pack.iter().enumerate() {
        expected.insert((
            format!("/app/.git!/objects/pack/pack-1.pack!/{n}"),
            id.clone(),
        ));
    }
    // A token 20 MiB into a log.
    let ghp = checksummed("ghp_", 99);
    let mut log = "INFO request served in 3ms\n"
        .repeat(20 << 20 >> 5)
        .into_bytes();
    log.extend_from_slice(format!("DEBUG auth with {ghp}\n").as_bytes());
    expected.insert(("/var/log/app.log".into(), "github-token".into()));
    values.push(ghp);
    let layer = layer
        .file("/app/lib/orders.jar", 0o644, &jar)
        .file("/srv/backup.tar.gz", 0o644, &gzip(&tarball))
        .file("/app/.git/objects/pack/pack-1.pack", 0o444, &packfile)
        .file("/var/log/app.log", 0o644, &log);
    let dir = tempfile::tempdir().unwrap();
    Image::new(vec![layer]).write_oci(&dir.path().join("img"), "1");
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "-f",
            "json",
            "oci:img:1",
        ],
        dir.path(),
    );
    assert_no_value(&values, "stdout", &out.stdout);
    assert_no_value(&values, "stderr", &out.stderr);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let got: BTreeSet<(String, String)> = findings
        .iter()
        .filter(|f| f["rule"] == "FS006")
        .map(|f| {
            (
                f["image_path"].as_str().unwrap_or("").to_string(),
                f["evidence"]["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(expected.len() > 150, "{}", expected.len());
    let missed: Vec<_> = expected.difference(&got).collect();
    assert!(
        missed.is_empty(),
        "missed {} of {}: {missed:#?}",
        missed.len(),
        expected.len()
    );
    let planted_paths: BTreeSet<&str> = expected.iter().map(|(p, _)| p.as_str()).collect();
    let stray: Vec<_> = got
        .iter()
        .filter(|(p, _)| !planted_paths.contains(p.as_str()))
        .collect();
    assert!(
        stray.is_empty(),
        "findings where nothing was planted: {stray:?}"
    );
    assert!(
        v["warnings"].as_array().is_none_or(Vec::is_empty),
        "{}",
        v["warnings"]
    );
}

/// Real npm and `PyPI` packages (`aws-sdk`, `jsonwebtoken`, `stripe`, `@octokit/rest`; `boto3`,
/// `requests`, `stripe`, `django`), installed by `scripts/test-bed.sh`: their test fixtures,
/// documented example keys, hashes and minified code hold no error-level secret.
#[test]
fn installed_packages_are_quiet() {
    let decoys = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-cache/decoys");
    if !decoys.join("ready").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing: run scripts/test-bed.sh",
            decoys.display()
        );
        eprintln!("skipped: run scripts/test-bed.sh to install the decoy packages");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("oci");
    let umoci = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new("umoci")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "umoci {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let image = format!("{}:1", layout.display());
    umoci(&["init".as_ref(), "--layout".as_ref(), layout.as_os_str()]);
    umoci(&["new".as_ref(), "--image".as_ref(), image.as_ref()]);
    for (from, to) in [
        ("node/node_modules", "/app/node_modules"),
        (
            "python/site-packages",
            "/usr/local/lib/python3.12/site-packages",
        ),
    ] {
        umoci(&[
            "insert".as_ref(),
            "--rootless".as_ref(),
            "--image".as_ref(),
            image.as_ref(),
            decoys.join(from).as_os_str(),
            to.as_ref(),
        ]);
    }
    let out = hullscan(
        &[
            "image",
            "--no-config",
            "--no-cache",
            "-f",
            "json",
            "--fail-on",
            "never",
            &format!("oci:{image}"),
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let errors: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "FS006" && f["level"] == "error")
        .map(|f| format!("{} {}", f["image_path"], f["evidence"]["kind"]))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
