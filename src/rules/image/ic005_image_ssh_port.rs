//! IC005 `image-ssh-port`. Docs, level and peers: `rules/IC005.toml`.

use crate::image::ImageFacts;
use crate::rules::dockerfile::df009_ssh_port::port_spec_has;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports port 22 in the config's `ExposedPorts`.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    let Some(ports) = img
        .config
        .config
        .as_ref()
        .and_then(|c| c.exposed_ports.as_ref())
    else {
        return;
    };
    if let Some(p) = ports.keys().find(|p| port_spec_has(p, 22)) {
        out.push(
            Finding::new(RuleId::IC005, format!("image config exposes `{p}` (ssh)"))
                .at_image_config("ExposedPorts"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn ssh() {
        insta::assert_snapshot!(render_img(check, &ImgBuilder::default().expose("22/tcp").expose("80/tcp").build()), @"IC005 config: image config exposes `22/tcp` (ssh)");
    }

    #[test]
    fn other_ports_pass() {
        assert!(render_img(check, &ImgBuilder::default().expose("2222/tcp").build()).is_empty());
    }
}
