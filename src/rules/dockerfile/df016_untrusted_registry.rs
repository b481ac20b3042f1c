//! DF016 `untrusted-registry`. Docs, level and peers: `rules/DF016.toml`.

use super::external_bases;
use crate::dockerfile::Dockerfile;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports base images from outside `dockerfile.allowed-registries`. Silent when no list is
/// configured: only the team knows which registries hold its curated bases.
pub(crate) fn check(df: &Dockerfile, cx: &RuleContext<'_>, out: &mut Findings) {
    let allowed = &cx.settings.allowed_registries;
    if allowed.is_empty() {
        return;
    }
    for (stage, from, r) in external_bases(df) {
        if !cx.settings.registry_allowed(&r) {
            out.push(
                Finding::new(
                    RuleId::DF016,
                    format!(
                        "base image `{}` is from `{}`, which `allowed-registries` does not list",
                        stage.base, r.registry
                    ),
                )
                .at(from)
                .evidence("registry", r.registry.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::Settings;
    use crate::rules::testing::{lines, render_with};

    fn settings() -> Settings {
        Settings {
            allowed_registries: vec!["ghcr.io/acme".into(), "docker.io/library".into()],
            ..Settings::default()
        }
    }

    #[test]
    fn outside_the_list() {
        let src = "FROM quay.io/prometheus/busybox:1\nFROM ghcr.io/other/x:1\nFROM ghcr.io/acme/base:1\nFROM debian:12\nFROM bitnami/redis:7\n";
        insta::assert_snapshot!(render_with(check, src, &settings()), @r"
        1: base image `quay.io/prometheus/busybox:1` is from `quay.io`, which `allowed-registries` does not list
        2: base image `ghcr.io/other/x:1` is from `ghcr.io`, which `allowed-registries` does not list
        5: base image `bitnami/redis:7` is from `docker.io`, which `allowed-registries` does not list
        ");
    }

    #[test]
    fn no_list_means_silent() {
        assert!(lines(check, "FROM quay.io/x/y:1\n").is_empty());
    }
}
