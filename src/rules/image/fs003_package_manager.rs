//! FS003 `package-manager`. Docs, level and peers: `rules/FS003.toml`.

use super::report_tools;
use crate::image::ImageFacts;
use crate::rules::{Findings, RuleContext, RuleId};

/// Reports OS package managers left in the image, once per manager.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    report_tools(img, RuleId::FS003, "package manager", classify, out);
}

fn classify(name: &str) -> Option<&'static str> {
    Some(match name {
        "apt" | "apt-get" => "apt",
        "dpkg" => "dpkg",
        "apk" => "apk",
        "yum" => "yum",
        "dnf" | "dnf-3" | "dnf5" => "dnf",
        "microdnf" => "microdnf",
        "rpm" => "rpm",
        "zypper" => "zypper",
        "tdnf" => "tdnf",
        "pacman" => "pacman",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn managers() {
        let img = ImgBuilder::default()
            .file("/usr/bin/apt-get", 0o755, 0)
            .file("/usr/bin/apt", 0o755, 0)
            .file("/usr/bin/dpkg", 0o755, 0)
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        FS003 /usr/bin/apt (layer 0): package manager `apt` at `/usr/bin/apt`, `/usr/bin/apt-get`
        FS003 /usr/bin/dpkg (layer 0): package manager `dpkg` at `/usr/bin/dpkg`
        ");
    }

    #[test]
    fn removed_manager_passes() {
        let img = ImgBuilder::default()
            .file("/sbin/apk", 0o755, 0)
            .layer()
            .whiteout("/sbin/apk")
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
