//! IC004 `image-missing-healthcheck`. Docs, level and peers: `rules/IC004.toml`.

use crate::image::ImageFacts;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports an image config without a healthcheck. `["NONE"]` is an explicit choice and passes.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    let has = img
        .config
        .config
        .as_ref()
        .and_then(|c| c.healthcheck.as_ref())
        .and_then(|h| h.test.as_ref())
        .is_some_and(|t| !t.is_empty());
    if !has {
        out.push(
            Finding::new(RuleId::IC004, "image config has no healthcheck")
                .at_image_config("Healthcheck"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn missing() {
        insta::assert_snapshot!(render_img(check, &ImgBuilder::default().build()), @"IC004 config: image config has no healthcheck");
    }

    #[test]
    fn present_or_none_passes() {
        assert!(
            render_img(
                check,
                &ImgBuilder::default()
                    .healthcheck(&["CMD", "/app", "health"])
                    .build()
            )
            .is_empty()
        );
        assert!(
            render_img(check, &ImgBuilder::default().healthcheck(&["NONE"]).build()).is_empty()
        );
    }
}
