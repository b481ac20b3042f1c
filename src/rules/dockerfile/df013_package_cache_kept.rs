//! DF013 `package-cache-kept`. Docs, level and peers: `rules/DF013.toml`.

use super::{PkgOp, pkg_op, run_commands};
use crate::dockerfile::shell::Command;
use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports package installs in the final image's stages that leave the index or download
/// cache in the layer, or pull in recommended packages. A `RUN --mount=type=cache` keeps
/// caches out of the image and passes.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for idx in df.final_indices() {
        let ins = &df.instructions[idx];
        if ins.keyword != Keyword::Run {
            continue;
        }
        if ins.flags.iter().any(|f| {
            f.name == "mount" && f.value.as_deref().is_some_and(|v| v.contains("type=cache"))
        }) {
            continue;
        }
        let cmds = run_commands(ins);
        let mut problems: Vec<String> = Vec::new();
        for c in &cmds {
            match (pkg_op(c), c.name()) {
                (Some(("apt", PkgOp::Install)), name) => {
                    let no_recommends = c.has_flag(&["--no-install-recommends"])
                        || c.args().iter().any(|a| {
                            a.contains("Install-Recommends=false")
                                || a.contains("Install-Recommends=0")
                        });
                    if !no_recommends {
                        problems.push(format!(
                            "`{name} install` without `--no-install-recommends`"
                        ));
                    }
                    if !removes(&cmds, "/var/lib/apt/lists") {
                        problems.push("`/var/lib/apt/lists` is not removed".to_string());
                    }
                }
                (Some(("apk", PkgOp::Install)), _)
                    if !c.has_flag(&["--no-cache"]) && !removes(&cmds, "/var/cache/apk") =>
                {
                    problems.push("`apk add` without `--no-cache`".to_string());
                }
                (Some(("yum", PkgOp::Install)), name) => {
                    let cleaned = cmds.iter().any(|x| {
                        matches!(x.name(), "yum" | "dnf" | "microdnf" | "tdnf")
                            && x.subcommand() == Some("clean")
                    }) || removes(&cmds, "/var/cache/yum")
                        || removes(&cmds, "/var/cache/dnf");
                    if !cleaned {
                        problems.push(format!("`{name} install` without `{name} clean all`"));
                    }
                }
                (_, "pip" | "pip3") if c.subcommand() == Some("install") => {
                    // Only pip needs the variables in scope; computing them is linear in the file.
                    let env_off = df
                        .vars_before(idx)
                        .get("PIP_NO_CACHE_DIR")
                        .flatten()
                        .is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
                        || c.env.iter().any(|(k, _)| k == "PIP_NO_CACHE_DIR");
                    if !c.has_flag(&["--no-cache-dir"])
                        && !env_off
                        && !removes(&cmds, "/root/.cache")
                    {
                        problems.push("`pip install` without `--no-cache-dir`".to_string());
                    }
                }
                _ => {}
            }
        }
        problems.dedup();
        if !problems.is_empty() {
            out.push(
                Finding::new(
                    RuleId::DF013,
                    format!("package cache kept in the layer: {}", problems.join("; ")),
                )
                .at(ins),
            );
        }
    }
}

/// True if an `rm` in the same `RUN` deletes `dir` or something under it.
fn removes(cmds: &[Command], dir: &str) -> bool {
    cmds.iter()
        .any(|c| c.name() == "rm" && c.args().iter().any(|a| a.starts_with(dir)))
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn apt_without_cleanup() {
        insta::assert_snapshot!(render(check, "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"), @"2: package cache kept in the layer: `apt-get install` without `--no-install-recommends`; `/var/lib/apt/lists` is not removed");
        assert_eq!(lines(check, "FROM alpine:3\nRUN apk add curl\n"), [2]);
        assert_eq!(
            lines(
                check,
                "FROM python:3\nRUN pip install -r requirements.txt\n"
            ),
            [2]
        );
        assert_eq!(
            lines(check, "FROM fedora:40\nRUN dnf install -y git\n"),
            [2]
        );
    }

    #[test]
    fn cleaned_installs_pass() {
        let src = "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nRUN apk add --no-cache git\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\nRUN dnf install -y git && dnf clean all\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y x\n";
        assert!(lines(check, src).is_empty());
    }

    #[test]
    fn builder_stages_are_not_shipped() {
        assert!(
            lines(
                check,
                "FROM debian:12 AS b\nRUN apt-get install -y gcc\nFROM scratch\n"
            )
            .is_empty()
        );
    }
}
