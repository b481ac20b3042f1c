//! FS001 `setuid-file`. Docs, level and peers: `rules/FS001.toml`.

use crate::image::ImageFacts;
use crate::image::facts::EntryKind;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports files whose setuid/setgid bit the kernel honours on `execve`, unless allow-listed.
pub(crate) fn check(img: &ImageFacts, cx: &RuleContext<'_>, out: &mut Findings) {
    for e in img.fs.entries() {
        // A hardlink is a second name for the same inode, and just as runnable.
        if !matches!(e.kind, EntryKind::File | EntryKind::Hardlink) {
            continue; // setgid on a directory only sets group inheritance
        }
        let setuid = e.mode & 0o4000 != 0 && e.mode & 0o111 != 0;
        // Linux applies setgid only with group-execute (fs/exec.c); without it the bit is
        // the old mandatory-locking marker and grants nothing.
        let setgid = e.mode & 0o2010 == 0o2010;
        if !(setuid || setgid) || cx.settings.setuid_allowed(&e.path) {
            continue;
        }
        let bits = match (setuid, setgid) {
            (true, true) => "setuid+setgid",
            (true, false) => "setuid",
            _ => "setgid",
        };
        let who = if setuid {
            format!("uid {}", e.uid)
        } else {
            format!("gid {}", e.gid)
        };
        out.push(
            Finding::new(RuleId::FS001, format!("`{}` is {bits} ({who})", e.path))
                .at_image_path(&e.path, e.layer)
                .evidence("mode", format!("{:o}", e.mode)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn flags_effective_bits_only() {
        let img = ImgBuilder::default()
            .file("/usr/bin/passwd", 0o4755, 0) // setuid root: reported
            .file("/usr/bin/wall", 0o2755, 0) // setgid with g+x: reported
            .file("/opt/inert", 0o2644, 0) // setgid without g+x: not a privilege
            .dir("/var/mail", 0o2775) // directory: not reported
            .hardlink("/usr/bin/passwd-link", "usr/bin/passwd") // same inode: reported
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        FS001 /usr/bin/passwd (layer 0): `/usr/bin/passwd` is setuid (uid 0)
        FS001 /usr/bin/passwd-link (layer 0): `/usr/bin/passwd-link` is setuid (uid 0)
        FS001 /usr/bin/wall (layer 0): `/usr/bin/wall` is setgid (gid 0)
        ");
    }

    #[test]
    fn later_chmod_clears_it() {
        let img = ImgBuilder::default()
            .file("/bin/su", 0o4755, 0)
            .layer()
            .file("/bin/su", 0o755, 0)
            .build();
        assert!(render_img(check, &img).is_empty());
    }

    #[test]
    fn allow_list() {
        let s = crate::rules::Settings {
            setuid_allow: vec!["/usr/bin/passwd".into()],
            ..Default::default()
        };
        let img = ImgBuilder::default()
            .file("/usr/bin/passwd", 0o4755, 0)
            .build();
        assert!(crate::rules::testing::render_img_with(check, &img, &s).is_empty());
    }
}
