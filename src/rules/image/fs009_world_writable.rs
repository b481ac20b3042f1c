//! FS009 `world-writable`. Docs, level and peers: `rules/FS009.toml`.

use crate::image::ImageFacts;
use crate::image::facts::EntryKind;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Directories meant to be shared and writable by everyone.
const TEMP_DIRS: &[&str] = &[
    "/tmp",
    "/var/tmp",
    "/dev/shm",
    "/run/lock",
    "/var/lock",
    "/dev",
    "/proc",
    "/sys",
];

/// Reports world-writable files, and world-writable directories without the sticky bit,
/// outside temp directories: any process in the container can replace what they hold.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    for e in img.fs.entries() {
        // Most entries are not world-writable: test the mode before any path work.
        let writable = e.mode & 0o002 != 0;
        if !writable
            || TEMP_DIRS.iter().any(|d| {
                e.path
                    .strip_prefix(d)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
        {
            continue;
        }
        let hit = match e.kind {
            EntryKind::File | EntryKind::Hardlink => writable,
            // The sticky bit stops users from deleting each other's files.
            EntryKind::Dir => writable && e.mode & 0o1000 == 0,
            _ => false, // symlink modes are meaningless
        };
        if hit {
            out.push(
                Finding::new(
                    RuleId::FS009,
                    format!("`{}` is world-writable (mode {:o})", e.path, e.mode),
                )
                .at_image_path(&e.path, e.layer)
                .evidence("mode", format!("{:o}", e.mode)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn writable_files_and_dirs() {
        let img = ImgBuilder::default()
            .file("/app/config.yaml", 0o666, 0)
            .dir("/app/data", 0o777)
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        FS009 /app/config.yaml (layer 0): `/app/config.yaml` is world-writable (mode 666)
        FS009 /app/data (layer 0): `/app/data` is world-writable (mode 777)
        ");
    }

    #[test]
    fn temp_sticky_and_symlinks_pass() {
        let img = ImgBuilder::default()
            .dir("/tmp", 0o1777)
            .file("/tmp/x", 0o666, 0)
            .dir("/srv/shared", 0o1777)
            .symlink("/bin/sh", "dash")
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
