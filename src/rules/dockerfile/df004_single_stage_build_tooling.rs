//! DF004 `single-stage-build-tooling`. Docs, level and peers: `rules/DF004.toml`.

use super::{PkgOp, final_runs, pkg_args, pkg_op, run_commands};
use crate::dockerfile::Dockerfile;
use crate::dockerfile::shell::Command;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports the first `RUN` in the final image's stages that installs or runs build tooling,
/// unless that same `RUN` removes packages again (the official-image pattern of building
/// and purging build dependencies in one layer).
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in final_runs(df) {
        let cmds = run_commands(ins);
        if cmds
            .iter()
            .any(|c| pkg_op(c).is_some_and(|(_, op)| op == PkgOp::Remove))
        {
            continue;
        }
        let Some(tool) = cmds.iter().find_map(build_tool) else {
            continue;
        };
        let msg = if df.stages.len() == 1 {
            format!(
                "single-stage build uses build tooling ({tool}); compilers and sources ship in the image"
            )
        } else {
            format!(
                "final stage uses build tooling ({tool}); build in an earlier stage and copy only the result"
            )
        };
        out.push(
            Finding::new(RuleId::DF004, msg)
                .at(ins)
                .evidence("tool", tool),
        );
        return;
    }
}

/// Package names that are compilers or build systems.
const EXACT: &[&str] = &[
    "build-essential",
    "build-base",
    "gcc",
    "g++",
    "gcc-c++",
    "clang",
    "make",
    "cmake",
    "autoconf",
    "automake",
    "libtool",
    "pkg-config",
    "pkgconf",
    "golang",
    "go",
    "rustc",
    "cargo",
    "rust",
    "maven",
    "gradle",
    "musl-dev",
    "libc6-dev",
    "libc-dev",
    "ninja-build",
    "meson",
    "default-jdk",
    "nodejs-dev",
    "@development-tools",
    "Development Tools",
];

/// Packages that are compilers, build systems or headers.
fn is_build_package(p: &str) -> bool {
    let p = p.split(['=', ':']).next().unwrap_or(p);
    EXACT.contains(&p)
        || p.ends_with("-dev")
        || p.ends_with("-devel")
        || (p.starts_with("openjdk-") && p.ends_with("-jdk"))
        || p.starts_with("golang-1")
        || p.starts_with("gcc-")
}

/// Names the build tooling a command installs or runs, if any.
fn build_tool(c: &Command) -> Option<String> {
    if let Some((_, PkgOp::Install)) = pkg_op(c) {
        return pkg_args(c)
            .into_iter()
            .find(|p| is_build_package(p))
            .map(|p| format!("`{} {}`", c.name(), p));
    }
    let sub = c.subcommand().unwrap_or("");
    let hit = match c.name() {
        "gcc" | "cc" | "g++" | "c++" | "clang" | "clang++" | "make" | "gmake" | "cmake"
        | "ninja" | "javac" | "rustc" | "tsc" | "mvn" | "mvnw" | "gradle" | "gradlew" | "bazel"
        | "scons" => true,
        "go" => matches!(sub, "build" | "install"),
        "cargo" => matches!(sub, "build" | "install"),
        "dotnet" => matches!(sub, "build" | "publish"),
        "npm" | "pnpm" | "yarn" | "bun" => {
            let args: Vec<&str> = c.args().iter().map(String::as_str).collect();
            matches!(args.as_slice(), ["run", "build", ..] | ["build", ..])
        }
        "pip" | "pip3" => sub == "wheel",
        "python" | "python3" => {
            c.args().first().is_some_and(|a| a.ends_with("setup.py"))
                && c.args()
                    .iter()
                    .any(|a| matches!(a.as_str(), "build" | "bdist_wheel" | "install"))
        }
        _ => false,
    };
    if !hit {
        return None;
    }
    let shown: Vec<&str> = std::iter::once(c.name())
        .chain(
            c.subcommand()
                .filter(|s| c.name() != "make" && !s.contains('/')),
        )
        .collect();
    Some(format!("`{}`", shown.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn single_stage_go_build() {
        insta::assert_snapshot!(render(check, "FROM golang:1.22\nCOPY . .\nRUN go build -o /app ./cmd/app\nUSER 1000\n"), @"3: single-stage build uses build tooling (`go build`); compilers and sources ship in the image");
    }

    #[test]
    fn installing_build_essential() {
        assert_eq!(
            lines(
                check,
                "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential\n"
            ),
            [2]
        );
        assert_eq!(
            lines(check, "FROM alpine:3\nRUN apk add --no-cache musl-dev\n"),
            [2]
        );
    }

    #[test]
    fn each_build_command() {
        for cmd in [
            "make",
            "cargo build --release",
            "mvn -B package",
            "./gradlew build",
            "npm run build",
            "pip wheel .",
            "gcc -o x x.c",
            "dotnet publish -c Release",
        ] {
            assert_eq!(
                lines(check, &format!("FROM x:1\nRUN {cmd}\n")),
                [2],
                "{cmd}"
            );
        }
    }

    #[test]
    fn multi_stage_with_separate_final_stage_is_silent() {
        let src = "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\n";
        assert!(lines(check, src).is_empty());
    }

    #[test]
    fn final_stage_from_builder_ships_tooling() {
        let src = "FROM rust:1 AS build\nRUN cargo build --release\nFROM build\nCMD [\"app\"]\n";
        assert_eq!(lines(check, src), [2]);
    }

    #[test]
    fn build_and_purge_in_one_layer_is_silent() {
        let src = "FROM debian:12\nRUN apt-get install -y gcc make && make && apt-get purge -y --auto-remove gcc make\n";
        assert!(lines(check, src).is_empty());
        assert!(lines(check, "FROM debian:12\nRUN npm install && npm test\n").is_empty());
    }
}
