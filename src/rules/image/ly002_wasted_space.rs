//! LY002 `wasted-space`. Docs, level and peers: `rules/LY002.toml`.

use crate::image::ImageFacts;
use crate::rules::{Finding, Findings, RuleContext, RuleId};
use crate::units::mib;

/// Reports bytes that layers add and later layers delete or overwrite (dive's "wasted
/// space"): they are pulled and stored but never visible. Once per image, above
/// `[image] max-wasted-bytes`, located at the layer that wastes most.
pub(crate) fn check(img: &ImageFacts, cx: &RuleContext<'_>, out: &mut Findings) {
    let total: u64 = img.fs.wasted.iter().sum();
    if total <= cx.settings.max_wasted_bytes {
        return;
    }
    let (worst, _) = img
        .fs
        .wasted
        .iter()
        .enumerate()
        .max_by_key(|(i, w)| (**w, std::cmp::Reverse(*i)))
        .unwrap_or((0, &0));
    let mut files = img.fs.wasted_files.clone();
    files.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top: Vec<String> = files
        .iter()
        .take(3)
        .map(|(p, s, l)| format!("`{p}` ({}, layer {l})", mib(*s)))
        .collect();
    out.push(
        Finding::new(
            RuleId::LY002,
            format!(
                "{} wasted on files removed or replaced by later layers, largest: {}",
                mib(total),
                top.join(", ")
            ),
        )
        .at_layer(worst)
        .evidence("wasted_bytes", total.to_string()),
    );
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn deleted_later() {
        let img = ImgBuilder::default()
            .sized("/tmp/build.tar", 40 << 20)
            .sized("/app/bin", 5 << 20)
            .layer()
            .whiteout("/tmp/build.tar")
            .build();
        insta::assert_snapshot!(render_img(check, &img), @"LY002 layer 0: 40.0 MiB wasted on files removed or replaced by later layers, largest: `/tmp/build.tar` (40.0 MiB, layer 0)");
    }

    #[test]
    fn small_waste_passes() {
        let img = ImgBuilder::default()
            .sized("/tmp/x", 1 << 20)
            .layer()
            .whiteout("/tmp/x")
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
