//! The HTML report in a real browser: a registry of a few images (shared bases, a corrupt
//! image, hostile file names) is scanned with `-f html`; Debian's `chromium` renders the page
//! headless, its DOM is dumped after the page's script ran (with filters set through the URL
//! fragment, as a user's link would), and a screenshot is taken.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::registry::Registry;
use common::{Image, Layer};

const HOSTILE_PATH: &str = "/usr/bin/<script>alert(1)</script>";
const HOSTILE_LABEL: &str = "\"><img src=x onerror=alert(2)>";
const HOSTILE_PATH2: &str = "/usr/bin/\"><img src=x onerror=alert(3)>";

fn base(i: usize) -> Layer {
    let mut l = Layer::new(&format!("base {i}")).file(
        "/etc/os-release",
        0o644,
        format!("ID=base{i}\n").as_bytes(),
    );
    if i == 1 {
        l = l.file("/usr/bin/passwd", 0o4755, b"ELF");
    }
    l
}

/// Three repositories on two bases: `team/bad` has setuid files (one with a hostile name)
/// and runs as root; `team/ok`'s two images share a base and run as a user; `other/app` is
/// corrupt.
fn bed() -> (Registry, Vec<tempfile::TempDir>) {
    let reg = Registry::start(None);
    let mut dirs = Vec::new();
    let push = |img: Image, reference: &str, dirs: &mut Vec<tempfile::TempDir>| {
        let dir = tempfile::tempdir().unwrap();
        img.write_oci(&dir.path().join("img"), "t");
        reg.push_as(&dir.path().join("img"), "t", reference);
        dirs.push(dir);
    };
    let bad = Layer::new("RUN evil")
        .file(HOSTILE_PATH, 0o4755, b"x")
        .file(HOSTILE_PATH2, 0o4755, b"x");
    push(
        Image::new(vec![base(1), bad]).with_config(serde_json::json!({
            "Labels": {"note": HOSTILE_LABEL, HOSTILE_LABEL: "x"}
        })),
        "team/bad:v1",
        &mut dirs,
    );
    push(
        Image::new(vec![base(0), Layer::new("app").file("/app/x", 0o755, b"x")])
            .with_config(serde_json::json!({"User": "1000"})),
        "team/ok:v1",
        &mut dirs,
    );
    push(
        Image::new(vec![
            base(0),
            Layer::new("app2").file("/app/y", 0o755, b"y"),
        ])
        .with_config(serde_json::json!({"User": "1000"})),
        "team/ok:v2",
        &mut dirs,
    );
    let dir = tempfile::tempdir().unwrap();
    Image::new(vec![base(0), Layer::new("broken").file("/b", 0o644, b"b")])
        .write_oci(&dir.path().join("img"), "t");
    reg.push_as(&dir.path().join("img"), "t", "other/app:v1");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("img/index.json")).unwrap()).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(common::blob(
            &dir.path().join("img"),
            index["manifests"][0]["digest"].as_str().unwrap(),
        ))
        .unwrap(),
    )
    .unwrap();
    let path = reg.blob_path(manifest["layers"][1]["digest"].as_str().unwrap());
    let len = std::fs::metadata(&path).unwrap().len() as usize;
    std::fs::write(&path, vec![0x42; len]).unwrap();
    dirs.push(dir);
    (reg, dirs)
}

fn page(reg: &Registry, dir: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args([
            "registry",
            "--no-config",
            "-q",
            "--insecure-registry",
            &reg.host,
            "-f",
            "html",
            "-o",
            "page.html",
            &reg.host,
        ])
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a failed image makes the run exit 2: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(dir.join("page.html")).unwrap()
}

/// The DOM after the page's script ran, for `fragment` (`level=e&repo=…`).
fn dom(file: &Path, fragment: &str) -> String {
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("file://{}#{fragment}", file.display()))
        .output()
        .expect("chromium is part of the test bed: bash scripts/test-bed.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Each image's article, as (its opening tag, its name), in document order. Works on the
/// page as written (unquoted attributes) and as the browser serialises it (quoted).
fn articles(dom: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(i) = rest
        .find("<article class=img ")
        .or_else(|| rest.find("<article class=\"img\""))
    {
        let art = &rest[i..];
        let tag = &art[..art.find('>').unwrap()];
        let n = art.find("<h2><span>").unwrap() + "<h2><span>".len();
        let name = &art[n..n + art[n..].find("</span>").unwrap()];
        out.push((tag, name));
        rest = &art[1..];
    }
    out
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}="))? + name.len() + 2;
    let v = &tag[start..];
    if let Some(q) = v.strip_prefix('"') {
        return Some(&q[..q.find('"')?]);
    }
    Some(&v[..v.find([' ', '>']).unwrap_or(v.len())])
}

fn shown(dom: &str) -> String {
    let i = dom.find("id=\"shown\">").unwrap() + "id=\"shown\">".len();
    dom[i..i + dom[i..].find('<').unwrap()].to_string()
}

#[test]
fn the_page_is_self_contained_escaped_and_works_in_a_browser() {
    let (reg, _dirs) = bed();
    let dir = tempfile::tempdir().unwrap();
    let html = page(&reg, dir.path());

    // Self-contained: one script (ours), no external resource, a CSP that admits only it.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("src=\""), "no external resources");
    assert!(!html.contains("http://"));
    assert!(html.contains("Content-Security-Policy"));
    // Escaped: the hostile name is text, never markup.
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("alert(1)</script>"));
    assert!(!html.contains("<img"));
    assert!(
        html.contains("&quot;&gt;&lt;img src=x onerror=alert(3)&gt;"),
        "{html}"
    );
    // Worst first: the image with errors leads; the corrupt one is listed as failed.
    let (first, name) = articles(&html)[0];
    assert!(
        name.starts_with("127.0.0.1:") && name.ends_with("team/bad:v1"),
        "{name}"
    );
    assert_eq!(attr(first, "data-worst"), Some("e"), "{first}");
    assert!(html.contains("id=\"failed\""));
    assert!(html.contains("other/app"));
    // The shared base: `base 0` is under both team/ok images.
    assert!(html.contains("id=\"layers\""));
    // Rule explanations from the catalog.
    assert!(html.contains("id=\"r-FS001\""));

    let file = dir.path().join("page.html");
    assert!(
        Command::new("chromium").arg("--version").output().is_ok(),
        "chromium is part of the test bed: bash scripts/test-bed.sh"
    );
    // No filter: every scanned image shown, controls visible, the hostile name inert.
    let all = dom(&file, "");
    assert_eq!(shown(&all), "3", "{all}");
    assert!(
        !all.contains("<section id=\"controls\" hidden"),
        "the script ran"
    );
    assert!(!all.contains("<img"), "no injected element");
    assert!(all.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Errors only: only team/bad is left; the others are hidden.
    let errors = dom(&file, "level=e");
    assert_eq!(shown(&errors), "1", "{errors}");
    let arts = articles(&errors);
    assert_eq!(arts.len(), 3);
    for (tag, name) in arts {
        let bad = name.ends_with("team/bad:v1");
        assert_eq!(tag.contains(" hidden"), !bad, "{tag}");
    }
    // A repository filter and sorting by name.
    let ok = dom(&file, &format!("repo={}/team/ok&sort=name", reg.host));
    assert_eq!(shown(&ok), "2", "{ok}");
    let names: Vec<&str> = articles(&ok)
        .into_iter()
        .filter(|(tag, _)| !tag.contains(" hidden"))
        .map(|(_, name)| name)
        .collect();
    assert!(
        names[0].ends_with("team/ok:v1") && names[1].ends_with("team/ok:v2"),
        "{names:?}"
    );

    // A screenshot: what a user sees.
    let png = dir.path().join("page.png");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--window-size=1280,1800",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    if let Ok(keep) = std::env::var("HULLSCAN_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
}

#[test]
fn image_and_merge_write_pages_too() {
    let dir = tempfile::tempdir().unwrap();
    Image::new(vec![base(1)]).write_oci(&dir.path().join("img"), "1");
    let out = common::hullscan(
        &[
            "image",
            "--no-config",
            "-f",
            "html",
            "--fail-on",
            "never",
            "oci:img:1",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("/usr/bin/passwd"), "{html}");
    assert!(html.contains("1 layer"), "the layer count");
    assert_eq!(articles(&html).len(), 1);
    // ecs: task definition files, one page.
    std::fs::write(
        dir.path().join("td.json"),
        r#"{"family": "web", "containerDefinitions": [{"name": "app", "privileged": true}]}"#,
    )
    .unwrap();
    let out = common::hullscan(
        &["ecs", "--no-config", "--no-images", "-f", "html", "td.json"],
        dir.path(),
    );
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains("files checked") && html.contains("TD001"),
        "{html}"
    );
    // merge: JSON Lines records in, one page out.
    let rec = serde_json::json!({"repository": "r/a", "digest": "sha256:00", "reference": "r/a@sha256:00",
        "tags": ["v1"], "findings": [{"rule": "FS001", "level": "error", "message": "setuid `/x`",
        "image_path": "/x", "fingerprint": "f"}]});
    std::fs::write(dir.path().join("a.jsonl"), format!("{rec}\n")).unwrap();
    let out = common::hullscan(&["merge", "-q", "-f", "html", "a.jsonl"], dir.path());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("r/a:v1"), "{html}");
    assert!(html.contains("<code>/x</code>"), "{html}");
}
