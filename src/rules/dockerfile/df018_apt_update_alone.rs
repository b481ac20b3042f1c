//! DF018 `apt-update-alone`. Docs, level and peers: `rules/DF018.toml`.

use super::{PkgOp, all_runs, pkg_op, run_commands};
use crate::dockerfile::Dockerfile;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a `RUN` that refreshes the package index without installing in the same layer:
/// the cached layer keeps an index that later installs read long after it went stale.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in all_runs(df) {
        let ops: Vec<(&str, PkgOp, String)> = run_commands(ins)
            .iter()
            .filter_map(|c| {
                pkg_op(c).map(|(m, op)| {
                    (
                        m,
                        op,
                        format!("{} {}", c.name(), c.subcommand().unwrap_or("")),
                    )
                })
            })
            .collect();
        for (mgr, op, text) in &ops {
            if *op != PkgOp::Update || !matches!(*mgr, "apt" | "apk") {
                continue;
            }
            let used = ops
                .iter()
                .any(|(m, o, _)| m == mgr && matches!(o, PkgOp::Install | PkgOp::Upgrade));
            if !used {
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
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn update_alone() {
        insta::assert_snapshot!(render(check, "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"), @"2: `apt-get update` without an install in the same `RUN`");
        assert_eq!(lines(check, "FROM alpine:3\nRUN apk update\n"), [2]);
    }

    #[test]
    fn update_with_install_passes() {
        assert!(lines(check, "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apk update && apk upgrade\n").is_empty());
    }
}
