//! DF013 `package-cache-kept`. Docs, level and peers: `rules/DF013.toml`.

use super::{PkgOp, pkg_op};
use crate::dockerfile::shell::Command;
use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports package installs in the final image's stages that leave the index or download
/// cache in the layer, or pull in recommended packages. A `RUN --mount=type=cache` keeps
/// caches out of the image and passes.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in df.final_instructions() {
        if ins.keyword != Keyword::Run {
            continue;
        }
        // A cache mount keeps out of the layer only what lives under its target.
        let cached: Vec<String> = ins
            .flags
            .iter()
            .filter(|f| f.name == "mount")
            .filter_map(|f| f.value.as_deref())
            .filter(|v| v.split(',').any(|kv| kv == "type=cache"))
            .filter_map(|v| {
                v.split(',').find_map(|kv| {
                    kv.strip_prefix("target=")
                        .or_else(|| kv.strip_prefix("dst="))
                        .or_else(|| kv.strip_prefix("destination="))
                })
            })
            .map(|t| t.trim_matches('"').trim_end_matches('/').to_string())
            .collect();
        let under_cache = |dir: &str| {
            cached
                .iter()
                .any(|t| !t.is_empty() && (dir.starts_with(t.as_str())))
        };
        let any_cache = !cached.is_empty();
        let facts = df.run_facts(ins);
        let cmds = &facts.commands;
        // The index only lands in this layer when this `RUN` refreshed it.
        // `apt-get install --update` (apt 2.9+) refreshes the index too.
        let apt_update = cmds.iter().any(|c| match pkg_op(c) {
            Some(("apt", PkgOp::Update)) => true,
            Some(("apt", PkgOp::Install)) => c.has_flag(&["--update"]),
            _ => false,
        });
        let mut problems: Vec<String> = Vec::new();
        for c in cmds {
            match (pkg_op(c), c.name()) {
                // `build-dep` installs build dependencies; recommends do not apply the same way.
                (Some(("apt", PkgOp::Install)), name)
                    if matches!(c.subcommand(), Some("install" | "reinstall")) =>
                {
                    let no_recommends = c.has_flag(&["--no-install-recommends"])
                        || c.args().iter().any(|a| {
                            a.contains("Install-Recommends=false")
                                || a.contains("Install-Recommends=0")
                        });
                    // With a cache mount the install is tuned for rebuilds; recommends are
                    // not judged there (as before: a cache says the author thought about it).
                    if !no_recommends && !any_cache {
                        problems.push(format!(
                            "`{name} install` without `--no-install-recommends`"
                        ));
                    }
                    let cleaned = removes(cmds, "/var/lib/apt/lists")
                        || cmds.iter().any(|x| {
                            matches!(x.name(), "apt-get" | "apt")
                                && x.subcommand() == Some("dist-clean")
                        });
                    if apt_update && !cleaned && !under_cache("/var/lib/apt/lists") {
                        problems.push("`/var/lib/apt/lists` is not removed".to_string());
                    }
                }
                // `--no-network` installs from local files only: nothing is downloaded or cached.
                (Some(("apk", PkgOp::Install)), _)
                    if !c.has_flag(&["--no-cache", "--no-network"])
                        && !removes(cmds, "/var/cache/apk")
                        && !under_cache("/var/cache/apk")
                        && !under_cache("/etc/apk/cache") =>
                {
                    problems.push("`apk add` without `--no-cache`".to_string());
                }
                // `apk update` writes the index to /var/cache/apk whatever the install does.
                (Some(("apk", PkgOp::Update)), _)
                    if !removes(cmds, "/var/cache/apk") && !under_cache("/var/cache/apk") =>
                {
                    problems.push("`apk update` leaves the index in `/var/cache/apk`".to_string());
                }
                (Some(("yum", PkgOp::Install)), name) => {
                    let cleaned = cmds.iter().any(|x| {
                        matches!(x.name(), "yum" | "dnf" | "microdnf" | "tdnf")
                            && x.subcommand() == Some("clean")
                    }) || removes(cmds, "/var/cache/yum")
                        || removes(cmds, "/var/cache/dnf");
                    if !cleaned && !under_cache("/var/cache/yum") && !under_cache("/var/cache/dnf")
                    {
                        problems.push(format!("`{name} install` without `{name} clean all`"));
                    }
                }
                (_, "pip" | "pip3") if c.subcommand() == Some("install") => {
                    let off = |v: &str| !v.is_empty() && v != "0" && v != "false";
                    let env_off = facts
                        .env_in_scope
                        .iter()
                        .any(|(k, v)| k == "PIP_NO_CACHE_DIR" && off(v))
                        || c.env.iter().any(|(k, _)| k == "PIP_NO_CACHE_DIR");
                    if !c.has_flag(&["--no-cache-dir"])
                        && !env_off
                        && !removes(cmds, "/root/.cache")
                        && !under_cache("/root/.cache/pip")
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
    fn cleanup_forms_and_non_install_commands_pass() {
        for run in [
            // apt 2.7's own cleanup removes the lists.
            "apt-get update; apt-get install -y --no-install-recommends curl; apt-get dist-clean",
            // No refresh in this RUN: the lists are an earlier layer's.
            "apt-get install -y --no-install-recommends redis-server",
            // build-dep installs build dependencies; recommends do not apply.
            "apt-get update && apt-get build-dep -y postgresql && rm -rf /var/lib/apt/lists/*",
            // --no-network installs from local files only.
            "apk add --no-network --virtual .rundeps $deps",
        ] {
            assert!(
                lines(check, &format!("FROM debian:12\nRUN {run}\n")).is_empty(),
                "{run}"
            );
        }
        // apt's own `install --update` refreshes the lists: then they must go.
        assert_eq!(
            lines(
                check,
                "FROM debian:13\nRUN apt-get install --update -y --no-install-recommends curl\n"
            ),
            [2]
        );
        assert!(lines(check, "FROM debian:13\nRUN apt-get install --update -y --no-install-recommends curl; apt-get dist-clean\n").is_empty());
        let src = "FROM debian:12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n";
        assert!(lines(check, src).is_empty());
        let src = "FROM debian:12\nENV PIP_NO_CACHE_DIR=0\nRUN pip install flask\n";
        assert_eq!(lines(check, src), [3]);
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

    #[test]
    fn a_cache_mount_covers_only_its_target() {
        // uv's cache is mounted; apt's lists still land in the layer.
        assert_eq!(
            lines(
                check,
                "FROM debian:12\nRUN --mount=type=cache,target=/cache/uv/ apt-get update && apt-get install -y --no-install-recommends curl\n"
            ),
            [2]
        );
        for src in [
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl\n",
            "FROM alpine:3\nRUN --mount=type=cache,target=/var/cache/apk apk update && apk add curl\n",
            "FROM python:3\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn apk_update_leaves_an_index() {
        insta::assert_snapshot!(render(check, "FROM alpine:3\nRUN apk update && apk add --no-cache curl\n"), @"2: package cache kept in the layer: `apk update` leaves the index in `/var/cache/apk`");
        assert!(
            lines(
                check,
                "FROM alpine:3\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*\n"
            )
            .is_empty()
        );
    }
}
