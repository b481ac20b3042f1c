//! LY003 `too-many-layers`. Docs, level and peers: `rules/LY003.toml`.

use crate::image::ImageFacts;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports images with more layers than `[image] max-layers`.
pub(crate) fn check(img: &ImageFacts, cx: &RuleContext<'_>, out: &mut Findings) {
    let n = img.layers.len();
    if n > cx.settings.max_layers {
        out.push(
            Finding::new(
                RuleId::LY003,
                format!("image has {n} layers, more than {}", cx.settings.max_layers),
            )
            .at_layer(n - 1),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn many() {
        let mut b = ImgBuilder::default();
        for _ in 0..40 {
            b = b.layer();
        }
        insta::assert_snapshot!(render_img(check, &b.build()), @"LY003 layer 40: image has 41 layers, more than 40");
    }

    #[test]
    fn few_pass() {
        assert!(render_img(check, &ImgBuilder::default().layer().build()).is_empty());
    }
}
