//! `hullscan registry` and `hullscan merge` against a real `docker-registry` holding about 30
//! images built from three shared base layers: enumeration, digest and layer deduplication,
//! the layer cache, a corrupt image failing alone, shards and merge, and resumption after
//! `kill -9`.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::registry::Registry;
use common::{Image, Layer};

/// The layer digests of the image tagged `tag` in an OCI layout (its first manifest).
fn layout_layers(dir: &Path) -> Vec<String> {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"].as_str().unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::blob(dir, digest)).unwrap()).unwrap();
    manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_string())
        .collect()
}

struct Bed {
    reg: Registry,
    _dirs: Vec<tempfile::TempDir>,
    /// Every tag pushed, by repository.
    tags: BTreeMap<String, BTreeSet<String>>,
    /// Layers a full default-platform scan must walk.
    layers: BTreeSet<String>,
    images: usize,
}

fn base(i: usize) -> Layer {
    let mut l = Layer::new(&format!("base {i}")).dir("/etc", 0o755).file(
        "/etc/os-release",
        0o644,
        format!("ID=base{i}\n").as_bytes(),
    );
    if i == 1 {
        l = l.file("/usr/bin/passwd", 0o4755, b"ELF");
    }
    if i == 2 {
        l = l.file("/bin/sh", 0o755, b"ELF");
    }
    l
}

fn app(name: &str) -> Layer {
    Layer::new(&format!("app {name}")).file(&format!("/app/{name}"), 0o755, name.as_bytes())
}

/// Ten repositories of three images each on bases 0..2; `team0/app0:latest` and `:stable`
/// point at its `v3`; `broken/app` has a corrupt layer; `multi/app` is a two-platform index.
fn bed() -> Bed {
    let reg = Registry::start(None);
    let mut dirs = Vec::new();
    let mut tags: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut layers = BTreeSet::new();
    let mut images = 0;
    for r in 0..10 {
        let repo = format!("team{}/app{r}", r % 3);
        for i in 1..=3 {
            let dir = tempfile::tempdir().unwrap();
            let img = Image::new(vec![base((r + i) % 3), app(&format!("{r}-{i}"))])
                .with_config(serde_json::json!({"User": "1"}));
            img.write_oci(&dir.path().join("img"), "t");
            let layout = dir.path().join("img");
            layers.extend(layout_layers(&layout));
            let tag = format!("v{i}");
            reg.push_as(&layout, "t", &format!("{repo}:{tag}"));
            tags.entry(repo.clone()).or_default().insert(tag);
            if r == 0 && i == 3 {
                for extra in ["latest", "stable"] {
                    reg.push_as(&layout, "t", &format!("{repo}:{extra}"));
                    tags.entry(repo.clone()).or_default().insert(extra.into());
                }
            }
            images += 1;
            dirs.push(dir);
        }
    }
    // The corrupt image: its own app layer is overwritten in the registry's storage.
    let dir = tempfile::tempdir().unwrap();
    Image::new(vec![base(0), app("broken")]).write_oci(&dir.path().join("img"), "t");
    reg.push_as(&dir.path().join("img"), "t", "broken/app:v1");
    tags.entry("broken/app".into())
        .or_default()
        .insert("v1".into());
    let broken = layout_layers(&dir.path().join("img"));
    let path = reg.blob_path(&broken[1]);
    let len = std::fs::metadata(&path).unwrap().len() as usize;
    std::fs::write(&path, vec![0x42; len]).unwrap();
    layers.insert(broken[0].clone());
    images += 1;
    dirs.push(dir);
    // A multi-platform index: the default (host) platform is linux/amd64 here.
    let dir = tempfile::tempdir().unwrap();
    let amd = Image::new(vec![base(2), app("multi-amd64")]);
    let arm = Image::new(vec![base(2), app("multi-arm64")]).arch("arm64");
    let one = tempfile::tempdir().unwrap();
    amd.write_oci(&one.path().join("img"), "t");
    layers.extend(layout_layers(&one.path().join("img")));
    common::write_multi_platform(&dir.path().join("img"), "t", &[amd, arm]);
    reg.push_as(&dir.path().join("img"), "t", "multi/app:v1");
    tags.entry("multi/app".into())
        .or_default()
        .insert("v1".into());
    images += 1;
    dirs.push(dir);
    dirs.push(one);
    Bed {
        reg,
        _dirs: dirs,
        tags,
        layers,
        images,
    }
}

fn hullscan_registry(bed: &Bed, extra: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args([
            "registry",
            "--no-config",
            "--insecure-registry",
            &bed.reg.host,
        ])
        .args(extra)
        .arg(&bed.reg.host)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("HOME", cwd)
        .env_remove("XDG_CACHE_HOME")
        .output()
        .unwrap()
}

/// Starts a resumable batch (`--jobs 1 --state state.jsonl -o first.jsonl`) in `w` and waits
/// until `lines` images are recorded in the state file.
fn start_resumable(bed: &Bed, w: &Path, lines: usize) -> std::process::Child {
    let child = Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args([
            "registry",
            "--no-config",
            "--insecure-registry",
            &bed.reg.host,
            "--no-cache",
        ])
        .args([
            "--jobs",
            "1",
            "--state",
            "state.jsonl",
            "-o",
            "first.jsonl",
            &bed.reg.host,
        ])
        .current_dir(w)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let state = w.join("state.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(2);
    while std::fs::read_to_string(&state).map_or(0, |s| s.lines().count()) < lines {
        assert!(std::time::Instant::now() < deadline, "no progress");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child
}

fn records(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn key(r: &serde_json::Value) -> (String, String, String) {
    (
        r["repository"].as_str().unwrap().to_string(),
        r["digest"].as_str().unwrap().to_string(),
        r["platform"].as_str().unwrap().to_string(),
    )
}

fn sorted(mut rs: Vec<serde_json::Value>) -> Vec<serde_json::Value> {
    rs.sort_by_key(key);
    rs
}

/// A count from the summary's last line on stderr:
/// `images from the result cache: N; layers: N walked, N from cache, …`.
fn counted(out: &Output, label: &str) -> usize {
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.starts_with("images from the result cache: "))
        .unwrap_or_else(|| panic!("no counts line: {err}"));
    let at = line
        .find(label)
        .unwrap_or_else(|| panic!("no `{label}` in {line}"))
        + label.len();
    line[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Layers fetched and walked in a run.
fn walked(out: &Output) -> usize {
    counted(out, "layers: ")
}

#[test]
fn registry_wide_scan() {
    let bed = bed();
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let cache = w.join("cache");
    let cache_s = cache.to_str().unwrap();

    // Cold: every repository and tag, each digest once, each unique layer walked once.
    let out = hullscan_registry(
        &bed,
        &[
            "--cache",
            cache_s,
            "-o",
            "full.jsonl",
            "--sarif",
            "full.sarif",
        ],
        w,
    );
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(2),
        "the corrupt image makes it 2: {err}"
    );
    let full = sorted(records(&w.join("full.jsonl")));
    assert_eq!(full.len(), bed.images, "one record per image: {err}");
    // Findings carry the rule's name, as `hullscan image` JSON does.
    assert!(
        full.iter()
            .flat_map(|r| r["findings"].as_array().into_iter().flatten())
            .all(|f| f["name"].as_str().is_some_and(|n| !n.is_empty()))
    );
    let mut seen_tags: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &full {
        let repo = r["repository"].as_str().unwrap();
        let repo = repo.split_once('/').unwrap().1;
        for t in r["tags"].as_array().unwrap() {
            assert!(
                seen_tags
                    .entry(repo.into())
                    .or_default()
                    .insert(t.as_str().unwrap().into()),
                "tag reported twice"
            );
        }
    }
    assert_eq!(seen_tags, bed.tags, "every repository and tag");
    let shared = full
        .iter()
        .find(|r| r["tags"].as_array().unwrap().len() == 3)
        .expect("latest, stable and v3 share one record");
    assert_eq!(
        shared["tags"],
        serde_json::json!(["latest", "stable", "v3"])
    );
    assert_eq!(walked(&out), bed.layers.len(), "{err}");
    // The corrupt image fails alone, naming its layer; the others have their findings.
    let failed: Vec<&serde_json::Value> = full.iter().filter(|r| r["error"].is_string()).collect();
    assert_eq!(failed.len(), 1, "{err}");
    assert_eq!(
        failed[0]["repository"],
        format!("{}/broken/app", bed.reg.host)
    );
    assert!(
        failed[0]["error"].as_str().unwrap().contains("digest"),
        "{}",
        failed[0]["error"]
    );
    assert!(full.iter().any(|r| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "FS001" && f["image_path"] == "/usr/bin/passwd")
    }));
    let multi = full
        .iter()
        .find(|r| r["repository"].as_str().unwrap().ends_with("multi/app"))
        .unwrap();
    assert_eq!(multi["platform"], "linux/amd64");
    assert!(
        err.contains("images: 31 scanned, 0 skipped (already done), 1 failed"),
        "{err}"
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.join("full.sarif")).unwrap()).unwrap();
    // One run for the whole registry (GitHub takes at most 20 runs per file), whose results
    // name their images.
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["automationDetails"]["id"], "hullscan/registry/");
    let findings: usize = full
        .iter()
        .map(|r| r["findings"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(runs[0]["results"].as_array().unwrap().len(), findings);
    let text = runs[0]["results"].to_string();
    for r in &full {
        if r["findings"].as_array().is_some_and(|f| !f.is_empty()) {
            let repo = r["repository"].as_str().unwrap();
            let name = repo.split_once('/').map_or(repo, |(_, n)| n);
            assert!(text.contains(name), "results name {name}");
        }
    }
    let errors: Vec<String> = common::sarif_schema()
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // Warm: the same results, no layer walked. Two names per page: the catalog and tag lists
    // are read through their `Link` pagination.
    let out = hullscan_registry(
        &bed,
        &["--cache", cache_s, "--page-size", "2", "-o", "warm.jsonl"],
        w,
    );
    assert_eq!(walked(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    // Every image that succeeded comes from the result cache; the corrupt one is tried again.
    assert_eq!(counted(&out, "result cache: "), bed.images - 1);

    assert_eq!(sorted(records(&w.join("warm.jsonl"))), full);

    // Shards: disjoint, together the whole; merged, equal to the unsharded run.
    let mut union = BTreeSet::new();
    let mut files = Vec::new();
    for k in 0..3 {
        let file = format!("shard{k}.jsonl");
        let part = format!("{k}/3");
        hullscan_registry(
            &bed,
            &["--cache", cache_s, "--shard", &part, "-o", &file],
            w,
        );
        for r in records(&w.join(&file)) {
            assert!(union.insert(key(&r)), "a record in two shards: {r}");
        }
        files.push(file);
    }
    assert_eq!(union, full.iter().map(key).collect());
    let out = Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args(["merge", "-o", "merged.jsonl"])
        .args(&files)
        .current_dir(w)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a failed image in the set");
    assert_eq!(
        records(&w.join("merged.jsonl")),
        full,
        "merge output is sorted"
    );

    // auto/N reads the Kubernetes Indexed Job index.
    let out = Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args([
            "registry",
            "--no-config",
            "--insecure-registry",
            &bed.reg.host,
            "--cache",
            cache_s,
        ])
        .args(["--shard", "auto/3", "-o", "auto1.jsonl", &bed.reg.host])
        .env("JOB_COMPLETION_INDEX", "1")
        .current_dir(w)
        .output()
        .unwrap();
    assert!(out.status.code().is_some());
    assert_eq!(
        sorted(records(&w.join("auto1.jsonl"))),
        sorted(records(&w.join("shard1.jsonl")))
    );

    // An explicit repository list, for registries without a catalog.
    std::fs::write(
        w.join("repos.txt"),
        "# two of them\nteam1/app1\n\nmulti/app\n",
    )
    .unwrap();
    hullscan_registry(
        &bed,
        &[
            "--cache",
            cache_s,
            "--repos-from",
            "repos.txt",
            "-o",
            "list.jsonl",
        ],
        w,
    );
    let listed: BTreeSet<String> = records(&w.join("list.jsonl"))
        .iter()
        .map(|r| {
            r["repository"]
                .as_str()
                .unwrap()
                .split_once('/')
                .unwrap()
                .1
                .to_string()
        })
        .collect();
    assert_eq!(
        listed,
        BTreeSet::from(["multi/app".to_string(), "team1/app1".to_string()])
    );

    // Push dates exist only in ECR: asking for them elsewhere is an error, not a silent no-op.
    let out = hullscan_registry(&bed, &["--since", "2026-01-01"], w);
    common::one_line_error(&out, "--since needs push dates, which only ECR reports");

    // Filters: a repository glob and a tag glob.
    let out = hullscan_registry(
        &bed,
        &[
            "--cache", cache_s, "--repo", "team0/*", "--tag", "v[12]", "-o", "f.jsonl",
        ],
        w,
    );
    assert_eq!(out.status.code(), Some(1), "FS001 is an error");
    let f = records(&w.join("f.jsonl"));
    assert_eq!(f.len(), 4 * 2, "team0 has four repositories, two tags each");

    // Signing an image changes its result though its digest does not; the signature tag is
    // not an image to scan.
    let signed = full
        .iter()
        .find(|r| r["tags"].as_array().unwrap().len() == 3)
        .unwrap();
    let sig_tag = format!(
        "{}.sig",
        signed["digest"].as_str().unwrap().replace(':', "-")
    );
    let repo = signed["repository"]
        .as_str()
        .unwrap()
        .split_once('/')
        .unwrap()
        .1;
    let sig = tempfile::tempdir().unwrap();
    Image::new(vec![Layer::new("sig").file("/sig", 0o644, b"signature")])
        .write_oci(&sig.path().join("sig"), "1");
    bed.reg
        .push_as(&sig.path().join("sig"), "1", &format!("{repo}:{sig_tag}"));
    let out = hullscan_registry(&bed, &["--cache", cache_s, "-o", "signed.jsonl"], w);
    assert_eq!(counted(&out, "result cache: "), bed.images - 2);
    let after = sorted(records(&w.join("signed.jsonl")));
    assert_eq!(after.len(), full.len());
    let now = after
        .iter()
        .find(|r| r["digest"] == signed["digest"])
        .unwrap();
    let rules = |r: &serde_json::Value| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules(signed).contains(&"RG004".to_string()));
    assert!(!rules(now).contains(&"RG004".to_string()));
}

#[test]
fn resumes_after_kill_9_with_nothing_lost_or_repeated() {
    let bed = bed();
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let reference = hullscan_registry(&bed, &["--no-cache", "-o", "ref.jsonl"], w);
    assert_eq!(reference.status.code(), Some(2));
    let expected = sorted(records(&w.join("ref.jsonl")));

    let state = w.join("state.jsonl");
    let mut child = start_resumable(&bed, w, 3);
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9),
        "killed mid-run, not finished"
    );
    // Whole records only: the kill may cut the last line, which a resume drops.
    let done_before = std::fs::read_to_string(&state)
        .unwrap()
        .lines()
        .filter(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
        .count();
    assert!(done_before > 0 && done_before < expected.len());

    let out = hullscan_registry(
        &bed,
        &["--no-cache", "--state", "state.jsonl", "-o", "second.jsonl"],
        w,
    );
    assert_eq!(out.status.code(), Some(2));
    let second = records(&w.join("second.jsonl"));
    let keys: Vec<_> = second.iter().map(key).collect();
    let unique: BTreeSet<_> = keys.iter().cloned().collect();
    assert_eq!(keys.len(), unique.len(), "no duplicate");
    assert_eq!(sorted(second), expected, "no lost result");
    let err = String::from_utf8_lossy(&out.stderr);
    // Exactly the recorded images are skipped (issue 34: a `--state` that was ignored, a
    // full rescan, must fail here).
    assert!(
        err.contains(&format!(" {done_before} skipped (already done)")),
        "{done_before} records before the kill:\n{err}"
    );
}

/// A batch that matches nothing is an error naming the target and filters (issue 17), not a
/// green run over zero repositories; an empty shard of a non-empty registry is fine.
#[test]
fn batches_that_match_nothing_fail() {
    let reg = common::registry::Registry::start(None);
    let _img = reg.push_image(&common::su_image(), "team/app");
    let run = |args: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let mut all = vec![
            "registry",
            "--no-config",
            "-q",
            "--no-cache",
            "--insecure-registry",
            &reg.host,
        ];
        all.extend_from_slice(args);
        common::hullscan(&all, dir.path())
    };
    let typo = format!("{}/typo-name", reg.host);
    for (args, needle) in [
        (vec![typo.as_str()], "no repository of"),
        (
            vec![reg.host.as_str(), "--repo", "nomatch*"],
            "--repo nomatch*",
        ),
        (
            vec![reg.host.as_str(), "--tag", "v9*"],
            "no image (--tag v9*)",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("--repos-from"), "the catalog exists: {err}");
    }
    // One repository, 4 shards: some shards are empty, and that is not an error.
    let codes: Vec<Option<i32>> = (0..4)
        .map(|k| {
            run(&[reg.host.as_str(), "--shard", &format!("{k}/4")])
                .status
                .code()
        })
        .collect();
    assert!(codes.iter().all(|c| matches!(c, Some(0 | 1))), "{codes:?}");
}

/// Ctrl-C stops a batch after the images in progress, says how to resume, exits 130; the
/// state file then resumes with nothing lost (issue 17).
#[test]
fn ctrl_c_stops_cleanly_and_says_how_to_resume() {
    let bed = bed();
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let state = w.join("state.jsonl");
    let child = start_resumable(&bed, w, 2);
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted after") && err.contains("resume"),
        "{err}"
    );
    let done = std::fs::read_to_string(&state).unwrap().lines().count();
    assert!(done < bed.images, "stopped early: {done} of {}", bed.images);
    let out = hullscan_registry(
        &bed,
        &["--no-cache", "--state", "state.jsonl", "-o", "second.jsonl"],
        w,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = records(&w.join("second.jsonl"));
    let keys: BTreeSet<_> = second.iter().map(key).collect();
    assert_eq!(keys.len(), second.len(), "no duplicate");
}

/// `hullscan registry -f human|sarif|jsonl`: the summary, one SARIF run, or JSON Lines on
/// stdout (issue 17).
#[test]
fn batch_output_formats() {
    let reg = common::registry::Registry::start(None);
    let _img = reg.push_image(&common::su_image(), "team/app");
    let run = |format: &str| {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_hullscan"))
            .args([
                "registry",
                "--no-config",
                "--no-cache",
                "-q",
                "--insecure-registry",
                &reg.host,
            ])
            .args(["-f", format, &reg.host])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let human = run("human");
    assert!(
        human.contains("images: 1 scanned") && human.contains("FS001"),
        "{human}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
    let jsonl = run("jsonl");
    assert_eq!(jsonl.lines().count(), 1);
    let record: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert!(record["repository"].as_str().unwrap().ends_with("team/app"));
}

/// On a terminal the batch bar shows bytes read and their rate (issue 17): run under
/// `script` (util-linux) for a pseudo-terminal.
#[test]
fn batch_progress_shows_bytes_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        common::skip_unless_ci("no `script` (util-linux)");
        return;
    }
    let reg = common::registry::Registry::start(None);
    let _img = reg.push_image(&common::su_image(), "team/app");
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!(
        "{} registry --no-config --no-cache --insecure-registry {h} -o {out} {h}",
        env!("CARGO_BIN_EXE_hullscan"),
        h = reg.host,
        out = dir.path().join("r.jsonl").display()
    );
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("MiB read") && text.contains("MiB/s"),
        "{text}"
    );
}
