//! FS004 `network-tool`. Docs, level and peers: `rules/FS004.toml`.

use super::report_tools;
use crate::image::ImageFacts;
use crate::rules::{Findings, RuleContext, RuleId};

/// Reports tools that fetch or relay data over the network (`curl`, `wget`, `nc`, ...).
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    report_tools(img, RuleId::FS004, "network tool", classify, out);
}

fn classify(name: &str) -> Option<&'static str> {
    Some(match name {
        "curl" => "curl",
        "wget" | "wget2" => "wget",
        "nc" | "ncat" | "netcat" | "nc.openbsd" | "nc.traditional" => "netcat",
        "socat" => "socat",
        "telnet" => "telnet",
        "ftp" | "tftp" => "ftp",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn tools_and_busybox_applets() {
        let img = ImgBuilder::default()
            .file("/usr/bin/curl", 0o755, 0)
            .file("/bin/busybox", 0o755, 0)
            .symlink("/usr/bin/wget", "/bin/busybox")
            .symlink("/usr/bin/nc", "/bin/busybox")
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        FS004 /usr/bin/curl (layer 0): network tool `curl` at `/usr/bin/curl`
        FS004 /usr/bin/nc (layer 0): network tool `netcat` at `/usr/bin/nc`
        FS004 /usr/bin/wget (layer 0): network tool `wget` at `/usr/bin/wget`
        ");
    }

    #[test]
    fn libraries_pass() {
        let img = ImgBuilder::default()
            .file("/usr/lib/x86_64-linux-gnu/libcurl.so.4", 0o644, 0)
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
