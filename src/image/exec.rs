//! What a process started in an image can rely on: the shells it can run by name or path,
//! and whether the config sets an entrypoint. Kept with a scan's results (batch records), so
//! `hullscan ecs` can judge a task definition's `entryPoint`, `command` and health check
//! against the image without its file list.

use serde::{Deserialize, Serialize};

use super::ImageFacts;
use super::facts::EntryKind;

/// Docker's search path when the config sets no `PATH`.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Names a task definition runs as a shell.
pub const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"];

/// Directories of a hostile `PATH` looked at, at most.
const MAX_DIRS: usize = 32;

/// Shells an image can run, and how it starts a process.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exec {
    /// The search path: the config's `PATH` (absolute directories), else Docker's default.
    pub path: Vec<String>,
    /// Every `DIR/NAME` (DIR in `path`, and `/bin`; NAME in [`SHELLS`]) that resolves to an
    /// executable, sorted.
    pub shells: Vec<String>,
    /// The config sets an `Entrypoint`: a task's `command` is its arguments, not a program.
    #[serde(default)]
    pub entrypoint: bool,
}

impl Exec {
    /// Reads the shells and search path of a scanned image.
    #[must_use]
    pub fn of(img: &ImageFacts) -> Exec {
        let env = img.config.env();
        let path = env
            .iter()
            .rev()
            .find(|(k, _)| k == "PATH")
            .map_or(DEFAULT_PATH, |(_, v)| v.as_str());
        let mut dirs: Vec<String> = Vec::new();
        for d in path
            .split(':')
            .filter(|d| d.starts_with('/'))
            .take(MAX_DIRS)
        {
            let d = d.trim_end_matches('/');
            let d = if d.is_empty() { "/" } else { d };
            if !dirs.iter().any(|x| x == d) {
                dirs.push(d.to_string());
            }
        }
        let mut shells = Vec::new();
        let bin = "/bin".to_string();
        for dir in dirs.iter().chain((!dirs.contains(&bin)).then_some(&bin)) {
            for name in SHELLS {
                let p = format!("{}/{name}", dir.trim_end_matches('/'));
                let runs = img.fs.resolve(&p).is_some_and(|e| match e.kind {
                    EntryKind::File => e.mode & 0o111 != 0,
                    EntryKind::Hardlink => true,
                    _ => false,
                });
                if runs {
                    shells.push(p);
                }
            }
        }
        shells.sort();
        shells.dedup();
        Exec {
            path: dirs,
            shells,
            entrypoint: img
                .config
                .config
                .as_ref()
                .and_then(|c| c.entrypoint.as_ref())
                .is_some_and(|e| !e.is_empty()),
        }
    }

    /// Whether `program` (a path, or a name looked up in [`Exec::path`]) is a shell the image
    /// has; `None` when the answer is not known from what was kept (a shell outside the
    /// search path, or not a shell at all).
    #[must_use]
    pub fn has_shell(&self, program: &str) -> Option<bool> {
        let name = program.rsplit('/').next().unwrap_or(program);
        if !SHELLS.contains(&name) {
            return None;
        }
        if let Some((dir, _)) = program.rsplit_once('/') {
            let dir = if dir.is_empty() { "/" } else { dir };
            if dir != "/bin" && !self.path.iter().any(|d| d == dir) {
                return None;
            }
            return Some(self.shells.iter().any(|s| s == program));
        }
        Some(self.shells.iter().any(|s| {
            s.rsplit_once('/')
                .is_some_and(|(d, n)| n == name && self.path.iter().any(|p| p == d))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::Exec;
    use crate::rules::testing::ImgBuilder;

    #[test]
    fn busybox_links_and_merged_usr() {
        let img = ImgBuilder::default()
            .symlink("/bin", "usr/bin")
            .file("/usr/bin/busybox", 0o755, 0)
            .symlink("/usr/bin/sh", "busybox")
            .file("/usr/bin/bash.txt", 0o644, 0)
            .build();
        let e = Exec::of(&img);
        assert_eq!(e.shells, ["/bin/sh", "/usr/bin/sh"]);
        assert_eq!(e.has_shell("sh"), Some(true));
        assert_eq!(e.has_shell("/bin/sh"), Some(true));
        assert_eq!(e.has_shell("bash"), Some(false));
        assert_eq!(e.has_shell("/bin/bash"), Some(false));
        assert_eq!(e.has_shell("/opt/tools/bash"), None);
        assert_eq!(e.has_shell("python3"), None);
        assert!(!e.entrypoint);
    }

    #[test]
    fn no_shell_and_not_executable() {
        let img = ImgBuilder::default()
            .file("/bin/sh", 0o644, 0)
            .symlink("/bin/bash", "/nonexistent")
            .file("/app/server", 0o755, 0)
            .build();
        let e = Exec::of(&img);
        assert!(e.shells.is_empty());
        assert_eq!(e.has_shell("sh"), Some(false));
    }

    #[test]
    fn the_configs_search_path() {
        let img = ImgBuilder::default()
            .env("PATH=/opt/bin:relative:/usr/bin/")
            .file("/opt/bin/bash", 0o755, 0)
            .file("/sbin/sh", 0o755, 0)
            .build();
        let e = Exec::of(&img);
        assert_eq!(e.path, ["/opt/bin", "/usr/bin"]);
        assert_eq!(e.shells, ["/opt/bin/bash"]);
        assert_eq!(e.has_shell("bash"), Some(true));
        // Outside the search path: not known either way.
        assert_eq!(e.has_shell("/sbin/sh"), None);
        assert_eq!(e.has_shell("sh"), Some(false));
    }
}
