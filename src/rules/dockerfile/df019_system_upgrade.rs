//! DF019 `system-upgrade`. Docs, level and peers: `rules/DF019.toml`.

use super::{PkgOp, final_runs, pkg_args, pkg_op, run_commands};
use crate::dockerfile::Dockerfile;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a whole-system upgrade in the final image's stages (`apt-get dist-upgrade`,
/// `apk upgrade`, `yum update` without packages): the image drifts from its base tag and
/// the upgrade hides that the base itself is stale.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in final_runs(df) {
        let cmds = run_commands(df, ins);
        let hit = cmds
            .iter()
            .find(|c| matches!(pkg_op(c), Some((_, PkgOp::Upgrade))) && pkg_args(c).is_empty());
        if let Some(c) = hit {
            let text = format!("{} {}", c.name(), c.subcommand().unwrap_or(""));
            out.push(
                Finding::new(
                    RuleId::DF019,
                    format!("`{text}` upgrades the whole system in the image"),
                )
                .at(ins),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn upgrades() {
        insta::assert_snapshot!(render(check, "FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade\n"), @"2: `apt-get dist-upgrade` upgrades the whole system in the image");
        assert_eq!(
            lines(check, "FROM alpine:3\nRUN apk upgrade --no-cache\n"),
            [2]
        );
        assert_eq!(lines(check, "FROM fedora:40\nRUN dnf -y upgrade\n"), [2]);
    }

    #[test]
    fn package_updates_pass() {
        assert!(
            lines(
                check,
                "FROM centos:7\nRUN yum update -y openssl\nRUN apk upgrade musl\n"
            )
            .is_empty()
        );
    }
}
