//! IC002 `mutable-reference`. Docs, level and peers: `rules/IC002.toml`.

use crate::image::ImageFacts;
use crate::reference::ImageRef;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a registry reference that names a tag rather than a digest: `latest` (or no tag)
/// as an error, other tags as a note. Local references (`oci:`, archives) are not judged.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    // A tag in a local engine, a path or a layout names what was built here, not something
    // a registry can move.
    if !img.source.is_empty() && img.source != "registry" {
        return;
    }
    let r = img
        .reference
        .strip_prefix("docker://")
        .unwrap_or(&img.reference);
    if ["oci:", "oci-archive:", "docker-archive:"]
        .iter()
        .any(|t| r.starts_with(t))
    {
        return;
    }
    let Some(parsed) = ImageRef::parse(r) else {
        return;
    };
    if parsed.digest.is_some() {
        return;
    }
    let (msg, level) = match parsed.tag.as_deref() {
        None | Some("latest") => (
            format!("`{r}` is referenced by the mutable `latest` tag"),
            RuleId::IC002.meta().grade("latest"),
        ),
        Some(t) => (
            format!("`{r}` is referenced by tag `{t}`, not by digest"),
            RuleId::IC002.meta().grade("tag"),
        ),
    };
    out.push(
        Finding::new(RuleId::IC002, msg)
            .with_level(level)
            .at_image_config("reference"),
    );
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn tags() {
        insta::assert_snapshot!(render_img(check, &ImgBuilder::default().reference("ghcr.io/acme/app:latest").build()), @"IC002 config: `ghcr.io/acme/app:latest` is referenced by the mutable `latest` tag");
        insta::assert_snapshot!(render_img(check, &ImgBuilder::default().reference("docker://debian:12").build()), @"IC002 config: `debian:12` is referenced by tag `12`, not by digest");
    }

    #[test]
    fn digests_and_local_sources_pass() {
        assert!(
            render_img(
                check,
                &ImgBuilder::default().reference("debian@sha256:abc").build()
            )
            .is_empty()
        );
        assert!(
            render_img(
                check,
                &ImgBuilder::default()
                    .reference("oci:build/img:latest")
                    .build()
            )
            .is_empty()
        );
    }
}
