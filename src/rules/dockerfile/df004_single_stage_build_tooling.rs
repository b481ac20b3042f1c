//! DF004 `single-stage-build-tooling`. Docs, level and peers: `rules/DF004.toml`.

use super::{PkgOp, final_runs, pkg_args, pkg_op, run_commands};
use crate::dockerfile::purpose::Purpose;
use crate::dockerfile::shell::Command;
use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports the first `RUN` in the final image's stages that installs or runs build tooling,
/// unless that same `RUN` removes the build packages again (the official-image pattern:
/// `apk add --virtual .build-deps …; apk del .build-deps`, or `apt-mark auto` then
/// `apt-get purge --auto-remove`, or a purge naming the packages). A bare
/// `apt-get autoremove` removes nothing the user installed by name, so it does not count.
/// Development, CI and build images ship their tooling on purpose and are not judged. A base
/// image (no command, or only a shell or interpreter prompt) that installs or builds a
/// toolchain *is* the toolchain (a JDK, Go or cross-compiler image); it is judged only when it
/// compiles sources copied from the build context. A version probe (`javac --version`)
/// builds nothing.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    let purpose = df.purpose();
    if purpose == Purpose::Dev {
        return;
    }
    for ins in final_runs(df) {
        let cmds = run_commands(df, ins);
        let Some((tool, installed)) = cmds.iter().find_map(build_tool) else {
            continue;
        };
        if purpose == Purpose::Base && !copies_sources(df) {
            continue;
        }
        if removes_build_packages(&cmds, installed.as_ref()) {
            continue;
        }
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

/// True if the final image's stages copy application sources from the build context (not
/// `--from` another stage): the context itself (`.`), a directory, or a dependency manifest
/// (`requirements.txt`, `package.json`, `go.mod`, …). Scripts and config files do not count:
/// official toolchain images copy an entrypoint script and nothing to compile.
fn copies_sources(df: &Dockerfile) -> bool {
    const MANIFESTS: &[&str] = &[
        "requirements",
        "package",
        "pyproject",
        "setup",
        "go",
        "cargo",
        "pom",
        "build",
        "gemfile",
        "composer",
        "pipfile",
        "poetry",
        "makefile",
        "cmakelists",
    ];
    df.final_instructions()
        .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none())
        .flat_map(super::df005_add_local_files::add_sources)
        .any(|s| {
            let name = s
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let stem = name.split(['.', '*', '-', '_']).next().unwrap_or("");
            s == "."
                || s == "./"
                || s.ends_with('/')
                || (!name.contains('.') && !name.is_empty())
                || MANIFESTS.contains(&stem)
        })
}

/// Packages an install brought in: their names and the group name (`apk add --virtual NAME`).
struct Installed {
    names: Vec<String>,
    group: Option<String>,
}

/// True if the `RUN` takes the build packages out again before the layer is committed.
fn removes_build_packages(cmds: &[Command], installed: Option<&Installed>) -> bool {
    // `apt-mark auto` (usually `apt-mark auto '.*'`) followed by a purge or autoremove
    // removes everything not marked manual again: the official images' idiom.
    let marked_auto = cmds
        .iter()
        .any(|c| c.name() == "apt-mark" && c.subcommand() == Some("auto"));
    cmds.iter().any(|c| {
        let Some((_, PkgOp::Remove)) = pkg_op(c) else {
            return false;
        };
        let args = pkg_args(c);
        if args.is_empty() {
            // `apt-get purge --auto-remove` / `autoremove`: only after `apt-mark auto`.
            return marked_auto;
        }
        match installed {
            Some(i) => args
                .iter()
                .any(|a| i.names.iter().any(|n| n == a) || i.group.as_deref() == Some(*a)),
            // Build commands without an install here: any named removal counts, as before.
            None => true,
        }
    })
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

/// Header and static-library packages: build inputs beside a compiler, and often installed
/// alone for the shared library they pull in (`libxrender-dev` for `OpenCV`, `libjemalloc-dev`
/// to preload, `libc-dev` for a `libdl.so` link): alone, they are not build tooling.
fn is_header_package(p: &str) -> bool {
    let p = p.split(['=', ':']).next().unwrap_or(p);
    p.ends_with("-dev")
        || p.ends_with("-devel")
        || matches!(p, "musl-dev" | "libc6-dev" | "libc-dev" | "nodejs-dev")
}

/// Packages that are compilers or build systems.
fn is_build_package(p: &str) -> bool {
    let p = p.split(['=', ':']).next().unwrap_or(p);
    (EXACT.contains(&p) && !is_header_package(p))
        || (p.starts_with("openjdk-") && p.ends_with("-jdk"))
        || p.starts_with("golang-1")
        || (p.starts_with("gcc-") && !is_header_package(p))
}

/// A command that only prints the tool's version, help or configuration.
fn is_probe(c: &Command) -> bool {
    !c.args().is_empty()
        && c.args().iter().all(|a| {
            matches!(
                a.as_str(),
                "--version"
                    | "-version"
                    | "-v"
                    | "-V"
                    | "version"
                    | "--help"
                    | "-h"
                    | "help"
                    | "-dumpversion"
                    | "-dumpfullversion"
                    | "-dumpmachine"
                    | "-vv"
                    | "--print-sysroot"
            ) || a.starts_with("-print-")
        })
}

/// Names the build tooling a command installs or runs, if any.
fn build_tool(c: &Command) -> Option<(String, Option<Installed>)> {
    if let Some((_, PkgOp::Install)) = pkg_op(c) {
        let args = pkg_args(c);
        let tool = args.iter().find(|p| is_build_package(p))?;
        let shown = format!("`{} {}`", c.name(), tool);
        let group = c
            .args()
            .iter()
            .position(|a| a == "--virtual" || a == "-t")
            .and_then(|i| c.args().get(i + 1))
            .cloned();
        let names = args
            .iter()
            .map(|p| p.split(['=', ':']).next().unwrap_or(p).to_string())
            .filter(|p| Some(p) != group.as_ref())
            .collect();
        return Some((shown, Some(Installed { names, group })));
    }
    if is_probe(c) {
        return None;
    }
    let sub = c.subcommand().unwrap_or("");
    let hit = match c.name() {
        "gcc"
        | "cc"
        | "g++"
        | "c++"
        | "clang"
        | "clang++"
        | "make"
        | "gmake"
        | "cmake"
        | "ninja"
        | "javac"
        | "rustc"
        | "tsc"
        | "mvn"
        | "mvnw"
        | "gradle"
        | "gradlew"
        | "bazel"
        | "scons"
        | "docker-php-ext-install"
        | "phpize" => true,
        "go" => matches!(sub, "build" | "install"),
        "cargo" => matches!(sub, "build" | "install"),
        "dotnet" => matches!(sub, "build" | "publish"),
        "npm" | "pnpm" | "yarn" | "bun" => {
            let args: Vec<&str> = c.args().iter().map(String::as_str).collect();
            matches!(args.as_slice(), ["run", "build", ..] | ["build", ..])
        }
        "pip" | "pip3" => sub == "wheel",
        // The official PHP images' extension builds (`docker-php-ext-install`, `phpize`, above)
        // compile with gcc; so does `pecl install`.
        "pecl" => sub == "install",
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
    Some((format!("`{}`", shown.join(" ")), None))
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
                "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential\nCMD [\"app\"]\n"
            ),
            [2]
        );
        assert_eq!(
            lines(
                check,
                "FROM alpine:3\nRUN apk add --no-cache gcc musl-dev\nCMD [\"app\"]\n"
            ),
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
                lines(check, &format!("FROM x:1\nRUN {cmd}\nCMD [\"app\"]\n")),
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
    fn env_lists_and_script_variables_are_read() {
        let src = "FROM php:8-cli\nENV PHPIZE_DEPS=\"autoconf dpkg-dev file g++ gcc make\"\nRUN apt-get update && apt-get install -y --no-install-recommends $PHPIZE_DEPS\nCMD [\"php\", \"app.php\"]\n";
        assert_eq!(lines(check, src), [3]);
        let src = "FROM debian:12\nRUN buildDeps='gcc libc6-dev'; apt-get install -y $buildDeps && ./configure\nCMD [\"app\"]\n";
        assert_eq!(lines(check, src), [2]);
    }

    #[test]
    fn autoremove_alone_does_not_purge_named_packages() {
        let src = "FROM debian:12\nRUN apt-get install -y gcc make && make && apt-get autoremove -y\nCMD [\"app\"]\n";
        assert_eq!(lines(check, src), [2]);
        let src =
            "FROM debian:12\nRUN apt-get install -y gcc && apt-get purge -y curl\nCMD [\"app\"]\n";
        assert_eq!(lines(check, src), [2]);
    }

    #[test]
    fn official_image_purge_idioms_are_silent() {
        for run in [
            "savedAptMark=\"$(apt-mark showmanual)\"; apt-get install -y gcc make; make; apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark; apt-get purge -y --auto-remove",
            "apk add --no-cache --virtual .build-deps gcc musl-dev make && make && apk del --no-network .build-deps",
            "apt-get install -y $DEPS && make && apt-get purge -y --auto-remove $DEPS",
        ] {
            let src = format!("FROM debian:12\nENV DEPS=\"gcc make\"\nRUN {run}\n");
            assert!(lines(check, &src).is_empty(), "{run}");
        }
    }

    #[test]
    fn dev_images_are_not_judged() {
        let src = "FROM debian:12\nLABEL devcontainer.metadata=\"[]\"\nRUN apt-get install -y build-essential\n";
        assert!(lines(check, src).is_empty());
    }

    #[test]
    fn build_and_purge_in_one_layer_is_silent() {
        let src = "FROM debian:12\nRUN apt-get install -y gcc make && make && apt-get purge -y --auto-remove gcc make\n";
        assert!(lines(check, src).is_empty());
        assert!(lines(check, "FROM debian:12\nRUN npm install && npm test\n").is_empty());
    }

    #[test]
    fn probes_and_toolchain_images_pass() {
        for src in [
            // A version probe.
            "FROM eclipse-temurin:21-jdk\nRUN javac --version && gcc -v && make --version\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
            // A toolchain image: installs a cross-compiler, no command of its own.
            "FROM debian:12\nRUN apt-get update && apt-get install -y gcc-arm-linux-gnueabihf make\n",
            // Builds a downloaded toolchain (no sources from the context).
            "FROM buildpack-deps:bookworm\nRUN curl -fsSL https://x/gcc.tar.xz | tar -xJ && cd gcc && ./configure && make && make install\n",
            // A build image by its command.
            "FROM debian:12\nRUN apt-get install -y build-essential\nENTRYPOINT [\"make\"]\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
        // A base-shaped file that compiles the project's sources still ships them.
        assert_eq!(
            lines(check, "FROM golang:1.22\nCOPY . .\nRUN go build -o /app\n"),
            [3]
        );
    }

    #[test]
    fn headers_alone_are_libraries() {
        for src in [
            "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libxrender-dev libgl1\nCMD [\"python\", \"app.py\"]\n",
            "FROM debian:12\nRUN apt-get install -y libc-dev && ln -s /usr/lib/x86_64-linux-gnu/libdl.so.2 /usr/lib/libdl.so\nCMD [\"app\"]\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
    }
}
