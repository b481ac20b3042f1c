//! DF018 `apt-update-alone`. Docs, level and peers: `rules/DF018.toml`.

use super::{PkgOp, all_runs, pkg_op, run_commands};
use crate::dockerfile::Dockerfile;
use crate::dockerfile::shell::Command;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a `RUN` that refreshes the package index and then neither installs from it nor
/// removes it: the cached layer keeps an index that later installs read long after it went
/// stale. Anything after the refresh that may install (the same manager's install or
/// upgrade, `xargs apt-get install`, a script such as `bash install.sh` or
/// `install_packages`) or that deletes the index (`rm -rf /var/lib/apt/lists/*`,
/// `apt-get dist-clean`) keeps the rule silent.
///
/// A lone `apk update` followed only by `apk add --no-cache` in later steps is silent too:
/// `--no-cache` fetches a fresh index itself, so the stale one is never read.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in all_runs(df) {
        let cmds = run_commands(df, ins);
        for (i, c) in cmds.iter().enumerate() {
            let Some((mgr @ ("apt" | "apk"), PkgOp::Update)) = pkg_op(c) else {
                continue;
            };
            let rest = &cmds[i + 1..];
            if rest.iter().any(|c| uses_index(c, mgr)) {
                continue;
            }
            if mgr == "apk" && later_adds_fetch_their_own_index(df, ins) {
                continue;
            }
            let text = format!("{} {}", c.name(), c.subcommand().unwrap_or(""));
            out.push(
                Finding::new(
                    RuleId::DF018,
                    format!("`{text}` without an install in the same `RUN`"),
                )
                .at(ins),
            );
            break;
        }
    }
}

/// True when the `RUN`s after `ins` in its stage add packages with `apk`, every one of
/// them with `--no-cache`.
fn later_adds_fetch_their_own_index(df: &Dockerfile, ins: &crate::dockerfile::Instruction) -> bool {
    let adds: Vec<bool> = df
        .instructions
        .iter()
        .skip_while(|i| !std::ptr::eq(*i, ins))
        .skip(1)
        .filter(|i| i.stage == ins.stage && i.keyword == crate::dockerfile::Keyword::Run)
        .flat_map(|i| run_commands(df, i).into_owned())
        .filter(|c| matches!(pkg_op(c), Some(("apk", PkgOp::Install))))
        .map(|c| c.has_flag(&["--no-cache"]))
        .collect();
    !adds.is_empty() && adds.iter().all(|&n| n)
}

/// True if `c` may install from (or removes) the index `mgr` just refreshed.
fn uses_index(c: &Command, mgr: &str) -> bool {
    let same = pkg_op(c).is_some_and(|(m, op)| {
        m == mgr && matches!(op, PkgOp::Install | PkgOp::Upgrade | PkgOp::Update)
    });
    let index_dir = if mgr == "apt" {
        "/var/lib/apt/lists"
    } else {
        "/var/cache/apk"
    };
    let removes_index = (c.name() == "rm" && c.args().iter().any(|a| a.starts_with(index_dir)))
        || (matches!(c.name(), "apt-get" | "apt") && c.subcommand() == Some("dist-clean"));
    // Front ends that install with the same manager: dpkg's fix-up, Bitnami's
    // `install_packages`, the official images' `docker-php-ext-install`, and scripts.
    let name = c.name();
    let front_end = (name != "install" && name.contains("install"))
        || matches!(name, "dpkg" | "add-apt-repository" | "make" | "eatmydata")
        || c.script().is_some();
    same || removes_index || front_end
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn update_alone() {
        insta::assert_snapshot!(render(check, "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"), @"2: `apt-get update` without an install in the same `RUN`");
        assert_eq!(lines(check, "FROM alpine:3\nRUN apk update\n"), [2]);
        // Purging without removing the index leaves the stale index in the layer.
        assert_eq!(
            lines(
                check,
                "FROM debian:12\nRUN apt-get update && apt-get purge -y imagemagick\n"
            ),
            [2]
        );
    }

    #[test]
    fn update_with_install_passes() {
        assert!(lines(check, "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apk update && apk upgrade\n").is_empty());
    }

    #[test]
    fn install_by_other_means_passes() {
        for run in [
            "apt-get update && bash /tmp/scripts/common-debian.sh",
            "apt-get update && ./install-deps.sh",
            "apt-get update && sh -e setup.sh",
            "apt-get update --yes && dpkg -l | grep ^ii | cut -d' ' -f3 | xargs apt-get install --yes man",
            "apt-get update && install_packages curl",
            "apt-get update && apt-get purge -y x && rm -rf /var/lib/apt/lists/*",
            "apt-get update; apt-get dist-clean",
            "apt-get update && curl -fsSL https://deb.nodesource.com/setup_20.x | bash -",
        ] {
            assert!(
                lines(check, &format!("FROM debian:12\nRUN {run}\n")).is_empty(),
                "{run}"
            );
        }
    }

    #[test]
    fn wrappers_satisfy_and_no_cache_adds_pass() {
        for src in [
            "FROM debian:12\nRUN apt-get update && xx-apt-get install -y gcc\n",
            "FROM debian:12\nRUN apt-get update && apt-get satisfy -y 'libc6 (>= 2.31)'\n",
            "FROM alpine:3\nRUN apk update\nRUN apk add --no-cache curl\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
        assert_eq!(
            lines(check, "FROM alpine:3\nRUN apk update\nRUN apk add curl\n"),
            [2]
        );
    }
}
