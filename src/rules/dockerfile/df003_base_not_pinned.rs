//! DF003 `base-not-pinned`. Docs, level and peers: `rules/DF003.toml`.

use super::external_bases;
use crate::dockerfile::Dockerfile;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports tagged base images without a digest. Untagged and `latest` bases are DF002's.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for (stage, from, r) in external_bases(df) {
        match (&r.digest, r.tag.as_deref()) {
            (None, Some(tag)) if tag != "latest" => out.push(
                Finding::new(
                    RuleId::DF003,
                    format!("base image `{}` is not pinned by digest", stage.base),
                )
                .at(from)
                .evidence("image", &stage.base),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn tag_without_digest() {
        insta::assert_snapshot!(render(check, "FROM node:20-slim\n"), @"1: base image `node:20-slim` is not pinned by digest");
    }

    #[test]
    fn digest_latest_scratch_and_stages_pass() {
        let src = "FROM node:20@sha256:abcd AS b\nFROM debian:latest\nFROM scratch\nFROM b\n";
        assert!(lines(check, src).is_empty());
    }
}
