//! FS002 `shell`. Docs, level and peers: `rules/FS002.toml`.

use super::{base_name, report_tools};
use crate::image::ImageFacts;
use crate::rules::{Findings, RuleContext, RuleId};

/// Reports shells, once per shell, however many names link to it. Busybox counts: its `sh`
/// applet is a shell whether or not a `sh` link exists.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    report_tools(img, RuleId::FS002, "shell", classify, out);
}

fn classify(name: &str) -> Option<&'static str> {
    Some(match base_name(name) {
        "sh" => "sh",
        "bash" | "rbash" => "bash",
        "dash" => "dash",
        "ash" => "ash",
        "zsh" => "zsh",
        "ksh" | "ksh93" | "mksh" => "ksh",
        "csh" | "tcsh" => "csh",
        "fish" => "fish",
        "busybox" => "busybox",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn shells_once_per_tool() {
        let img = ImgBuilder::default()
            .file("/usr/bin/bash", 0o755, 0)
            .hardlink("/bin/bash", "usr/bin/bash")
            .file("/usr/bin/dash", 0o755, 0)
            .symlink("/usr/bin/sh", "dash")
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        FS002 /bin/bash (layer 0): shell `bash` at `/bin/bash`, `/usr/bin/bash`
        FS002 /usr/bin/dash (layer 0): shell `dash` at `/usr/bin/dash`, `/usr/bin/sh`
        ");
    }

    #[test]
    fn no_shell_non_bin_dirs_and_dangling_links() {
        let img = ImgBuilder::default()
            .file("/app/server", 0o755, 0)
            .file("/usr/share/doc/bash/README", 0o644, 0)
            .symlink("/bin/sh", "/nonexistent")
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
