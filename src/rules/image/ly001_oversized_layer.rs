//! LY001 `oversized-layer`. Docs, level and peers: `rules/LY001.toml`.

use crate::image::ImageFacts;
use crate::rules::{Finding, Findings, RuleContext, RuleId};
use crate::units::mib;

/// Reports layers above the compressed or uncompressed size thresholds
/// (`[image] max-layer-compressed`, `max-layer-uncompressed`).
pub(crate) fn check(img: &ImageFacts, cx: &RuleContext<'_>, out: &mut Findings) {
    let s = cx.settings;
    for l in &img.layers {
        let over = if l.compressed_size > s.max_layer_compressed {
            Some(("compressed", l.compressed_size, s.max_layer_compressed))
        } else if l.uncompressed_size > s.max_layer_uncompressed {
            Some((
                "uncompressed",
                l.uncompressed_size,
                s.max_layer_uncompressed,
            ))
        } else {
            None
        };
        if let Some((what, size, limit)) = over {
            out.push(
                Finding::new(
                    RuleId::LY001,
                    format!(
                        "layer {} is {} {what}, above {}",
                        l.index,
                        mib(size),
                        mib(limit)
                    ),
                )
                .at_layer(l.index)
                .evidence("digest", l.digest.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn big_layer() {
        let img = ImgBuilder::default()
            .sizes(300 << 20, 900 << 20)
            .layer()
            .sizes(10, 2 << 30)
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        LY001 layer 0: layer 0 is 300.0 MiB compressed, above 256.0 MiB
        LY001 layer 1: layer 1 is 2048.0 MiB uncompressed, above 1024.0 MiB
        ");
    }

    #[test]
    fn small_layers_pass() {
        assert!(
            render_img(
                check,
                &ImgBuilder::default().sizes(10 << 20, 30 << 20).build()
            )
            .is_empty()
        );
    }
}
