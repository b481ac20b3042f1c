//! A real Debian rootfs for tests: `debootstrap --variant=minbase bookworm` from the mirror
//! apt uses, packed by `umoci` (OCI layout `oci:bookworm`) and `skopeo` (`debian.tar`), cached
//! under `target/test-cache/debian` (cargo runs test binaries one at a time, so one builds it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn run(cmd: &mut Command) {
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
pub fn debian() -> &'static Path {
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

/// `buildah` with its own storage under `dir` (vfs driver, no daemon).
pub fn buildah(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("buildah");
    c.arg("--root")
        .arg(dir.join("root"))
        .arg("--runroot")
        .arg(dir.join("runroot"));
    c.args(["--storage-driver", "vfs"]).args(args);
    c
}
