//! RG004 `unsigned-image`. Docs, level and peers: `rules/RG004.toml`.

use crate::image::ImageFacts;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a registry image with no signature: no cosign signature tag and no signature
/// referrer for its manifest or index. Local sources have no registry to ask and pass.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    if img.signed == Some(false) {
        let digest = img.manifest_digest.as_deref().unwrap_or("its manifest");
        out.push(
            Finding::new(
                RuleId::RG004,
                format!("no signature found for {digest} (cosign tag or OCI referrer)"),
            )
            .at_image_config("signature"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn unsigned() {
        let mut img = ImgBuilder::default().build();
        img.signed = Some(false);
        insta::assert_snapshot!(render_img(check, &img), @"RG004 config: no signature found for its manifest (cosign tag or OCI referrer)");
    }

    #[test]
    fn signed_or_local_passes() {
        let mut img = ImgBuilder::default().build();
        assert!(
            render_img(check, &img).is_empty(),
            "local source: not looked up"
        );
        img.signed = Some(true);
        assert!(render_img(check, &img).is_empty());
    }
}
