//! DF002 `mutable-base-tag`. Docs, level and peers: `rules/DF002.toml`.

use super::external_bases;
use crate::dockerfile::Dockerfile;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports base images referenced without a tag or by `latest`, unless pinned by digest.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for (stage, from, r) in external_bases(df) {
        if r.digest.is_some() {
            continue; // a digest pins content whatever the tag says
        }
        let msg = match r.tag.as_deref() {
            None => format!(
                "base image `{}` has no tag and resolves to `latest` at build time",
                stage.base
            ),
            Some("latest") => format!("base image `{}` uses the mutable `latest` tag", stage.base),
            Some(_) => continue,
        };
        out.push(
            Finding::new(RuleId::DF002, msg)
                .at(from)
                .evidence("image", &stage.base),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn untagged_and_latest() {
        insta::assert_snapshot!(render(check, "FROM debian\nFROM --platform=linux/amd64 alpine:latest AS x\n"), @r"
        1: base image `debian` has no tag and resolves to `latest` at build time
        2: base image `alpine:latest` uses the mutable `latest` tag
        ");
    }

    #[test]
    fn scratch_stages_digests_and_args() {
        let src = "ARG BASE=debian:latest\nFROM $BASE AS build\nFROM build\nFROM scratch\nFROM alpine:latest@sha256:0123\nFROM localhost:5000/app:1\n";
        assert_eq!(lines(check, src), [2]);
        assert!(lines(check, "ARG BASE\nFROM ${BASE}\n").is_empty());
    }
}
