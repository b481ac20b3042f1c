//! What a Dockerfile's final image is for, and which OS it targets: the context a rule needs
//! before it tells someone to drop their shell. Deliberately conservative: when the signs
//! are unclear the answer is [`Purpose::App`] or [`Os::Linux`], the cases rules already judge.
//!
//! - **Dev**: a development or CI image, where compilers and shells are the point:
//!   a devcontainer (`.devcontainer/` path, `devcontainer.metadata` label) or a file under a
//!   CI directory (`.github/`, `.gitlab/`, `.circleci/`, `.buildkite/`, `ci/`, `.ci/`).
//! - **Base**: an image meant to be built upon (official language images, OS images): an
//!   `ONBUILD` trigger, no `CMD`/`ENTRYPOINT` at all, or a command that is only a shell or an
//!   interpreter's prompt (`bash`, `python3`, `node`, `php -a`), possibly behind an
//!   `*entrypoint*` script.
//! - **App**: everything else.
//!
//! Windows: a base from `mcr.microsoft.com/windows…`, `…/dotnet/framework/…`, a
//! `windowsservercore`/`nanoserver` name or tag, `--platform=windows/…`, or a `SHELL` of
//! `powershell`/`pwsh`/`cmd` in the final stage.

use super::{Dockerfile, Keyword};
use crate::reference::ImageRef;

/// What the final image is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A program image: rules judge it as something that runs in production.
    App,
    /// An image for others to build on.
    Base,
    /// A development or CI image.
    Dev,
}

/// The OS the final image targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Linux (the default when nothing says otherwise).
    Linux,
    /// Windows (Server Core, Nano Server).
    Windows,
}

/// Windows base flavours, for wording: Nano Server runs as `ContainerUser` by default,
/// Server Core and the full Windows image as `ContainerAdministrator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowsBase {
    /// Nano Server: default user `ContainerUser`.
    NanoServer,
    /// Server Core, Windows, .NET Framework: default user `ContainerAdministrator`.
    ServerCore,
}

const CI_DIRS: &[&str] = &[
    ".devcontainer",
    "devcontainer",
    ".github",
    ".gitlab",
    ".circleci",
    ".buildkite",
    "ci",
    ".ci",
    "toolchain",
    "toolchains",
    "cross",
    "builder",
    "builders",
    "buildenv",
    "build-env",
    "devenv",
    "dev-env",
    "packaging",
];

/// Parts of a Dockerfile's own name (split at `.`, `-`, `_`) that say it builds a
/// development, test or build environment: `Dockerfile.dev`, `build.Dockerfile`,
/// `Dockerfile-ci`, `Dockerfile.toolchain`.
const DEV_NAME_PARTS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "devel",
    "test",
    "tests",
    "testing",
    "e2e",
    "ci",
    "build",
    "builder",
    "buildenv",
    "toolchain",
    "sdk",
    "cross",
    "debug",
    "devcontainer",
    "runner",
    "dind",
    "lint",
    "check",
];

/// Commands that build or test software: an image whose command is one of these is a
/// build or CI environment (`ENTRYPOINT ["make"]`, `CMD ["mvn", "verify"]`).
const BUILD_COMMANDS: &[&str] = &[
    "composer",
    "emcc",
    "cpack",
    "rpmbuild",
    "dpkg-buildpackage",
    "make",
    "gmake",
    "cmake",
    "ninja",
    "meson",
    "mvn",
    "mvnw",
    "./mvnw",
    "gradle",
    "gradlew",
    "./gradlew",
    "ant",
    "sbt",
    "bazel",
    "bazelisk",
    "cargo",
    "rustc",
    "gcc",
    "g++",
    "cc",
    "clang",
    "javac",
    "tsc",
    "pytest",
    "tox",
    "nox",
    "goreleaser",
    "buildah",
    "kaniko",
    "executor",
    "dockerd-entrypoint.sh",
    "jenkins-agent",
    "gitlab-runner",
];

/// Commands that only open a shell or an interpreter's prompt.
const PROMPTS: &[&str] = &[
    "sh",
    "bash",
    "ash",
    "dash",
    "zsh",
    "fish",
    "python",
    "python2",
    "python3",
    "pypy",
    "pypy3",
    "node",
    "irb",
    "php",
    "ghci",
    "jshell",
    "iex",
    "erl",
    "R",
    "julia",
    "pwsh",
    "powershell",
    "cmd",
    "cmd.exe",
    "powershell.exe",
    "lua",
    "perl",
    "ruby",
    "scala",
    "clojure",
    "swift",
    "dotnet",
    "deno",
    "bun",
];

impl Dockerfile {
    /// What the final image is for (see the module docs for the signs read).
    #[must_use]
    pub fn purpose(&self) -> Purpose {
        if let Some(p) = &self.path {
            let dirs: Vec<&str> = p.split(['/', '\\']).collect();
            // A CI or tooling directory, or a test harness's (`tests/`, `contrib/nnp-test/`,
            // `lkp-tests/`): images built to run tests, not to ship.
            let in_ci_dir = dirs[..dirs.len().saturating_sub(1)].iter().any(|d| {
                let d = d.to_ascii_lowercase();
                CI_DIRS.contains(&d.as_str())
                    || matches!(d.as_str(), "test" | "tests" | "testing" | "e2e")
                    || d.ends_with("-test")
                    || d.ends_with("-tests")
            });
            let name = dirs
                .last()
                .map(|n| n.to_ascii_lowercase())
                .unwrap_or_default();
            // The variant a name gives (`Dockerfile.build.arm64`, `ci-runner.Dockerfile`)
            // starts with its purpose; a word later in a longer name says less
            // (`npm-build-single-stage.Dockerfile` is an application).
            let dev_name = name
                .split(['.', '-', '_'])
                .find(|part| *part != "dockerfile" && *part != "containerfile")
                .is_some_and(|part| DEV_NAME_PARTS.contains(&part))
                // Named for a target triple (`Dockerfile.arm-unknown-linux-musleabihf`): a
                // cross-compilation toolchain, started as the invoking user by its tool.
                || ["-unknown-linux-", "-linux-gnu", "-linux-musl", "-apple-darwin", "-pc-windows"]
                    .iter()
                    .any(|t| name.contains(t));
            if in_ci_dir || dev_name || name.contains("devcontainer") {
                return Purpose::Dev;
            }
        }
        let lineage: Vec<usize> = self.final_indices().collect();
        let ins = |i: &usize| &self.instructions[*i];
        if lineage.iter().any(|i| {
            ins(i).keyword == Keyword::Label
                && ins(i)
                    .key_values()
                    .iter()
                    .any(|(k, _)| k.trim_matches('"') == "devcontainer.metadata")
        }) {
            return Purpose::Dev;
        }
        // A final stage named for development (`FROM base AS dev`, the last stage), or an
        // OpenShift source-to-image builder (it compiles applications at assemble time).
        let final_alias = self.final_stage().alias.as_deref().unwrap_or("");
        if matches!(
            final_alias,
            "dev" | "develop" | "development" | "devel" | "ci" | "test"
        ) || lineage.iter().any(|i| {
            ins(i).keyword == Keyword::Label
                && ins(i).key_values().iter().any(|(k, v)| {
                    let k = k.trim_matches('"');
                    k.starts_with("io.openshift.s2i.")
                        || (k == "io.openshift.tags"
                            && v.as_deref().is_some_and(|v| v.contains("builder")))
                })
        }) {
            return Purpose::Dev;
        }
        if lineage.iter().any(|i| ins(i).keyword == Keyword::Onbuild) {
            return Purpose::Base;
        }
        let last = |k: Keyword| lineage.iter().rev().map(ins).find(|i| i.keyword == k);
        let argv = |i: &super::Instruction| -> Vec<String> {
            i.exec_form()
                .unwrap_or_else(|| i.args.split_whitespace().map(str::to_string).collect())
        };
        let cmd = last(Keyword::Cmd).map(argv).unwrap_or_default();
        let entry = last(Keyword::Entrypoint).map(argv).unwrap_or_default();
        let is_prompt = |argv: &[String]| {
            argv.first().is_some_and(|w| {
                PROMPTS.contains(&super::shell::basename(w).trim_end_matches(".exe"))
                    || PROMPTS.contains(&super::shell::basename(w))
            }) && argv.len() <= 2
                && argv.get(1).is_none_or(|a| a.starts_with('-'))
        };
        let generic_entry = entry.is_empty()
            || entry
                .first()
                .is_some_and(|e| super::shell::basename(e).contains("entrypoint"));
        // The program the container starts: the entrypoint's, unless it is a generic
        // wrapper (`tini --`, `docker-entrypoint.sh`) in front of the command.
        let program = {
            let argv = if entry.is_empty() { &cmd } else { &entry };
            let mut words = argv.iter().map(|w| super::shell::basename(w));
            let mut first = words.next();
            while first
                .is_some_and(|w| matches!(w, "tini" | "dumb-init" | "--" | "gosu" | "su-exec"))
            {
                first = words.next();
            }
            if first.is_some_and(|w| w.contains("entrypoint")) && !entry.is_empty() {
                cmd.first().map(|w| super::shell::basename(w))
            } else {
                first
            }
        };
        let build_program = program.is_some_and(|p| BUILD_COMMANDS.contains(&p))
            || (program.is_some_and(|p| matches!(p, "go"))
                && cmd
                    .iter()
                    .chain(&entry)
                    .any(|a| matches!(a.as_str(), "build" | "test" | "generate")))
            || (program.is_some_and(|p| matches!(p, "npm" | "yarn" | "pnpm"))
                && cmd
                    .iter()
                    .chain(&entry)
                    .any(|a| matches!(a.as_str(), "test" | "dev" | "build" | "watch" | "lint")));
        if build_program {
            return Purpose::Dev;
        }
        if (cmd.is_empty() && entry.is_empty()) || (generic_entry && is_prompt(&cmd)) {
            return Purpose::Base;
        }
        Purpose::App
    }

    /// The OS the final image targets.
    #[must_use]
    pub fn os(&self) -> Os {
        if self.windows_base().is_some() {
            return Os::Windows;
        }
        let windows_shell = self.final_instructions().any(|i| {
            i.keyword == Keyword::Shell
                && i.exec_form().is_some_and(|a| {
                    a.first().is_some_and(|s| {
                        let s = s.to_ascii_lowercase();
                        let s = super::shell::basename(&s.replace('\\', "/")).to_string();
                        matches!(s.trim_end_matches(".exe"), "powershell" | "pwsh" | "cmd")
                    })
                })
        });
        if windows_shell {
            Os::Windows
        } else {
            Os::Linux
        }
    }

    /// The Windows flavour of the final image's root base, if it is a Windows image.
    #[must_use]
    pub fn windows_base(&self) -> Option<WindowsBase> {
        let root = self.final_lineage()[0];
        let platform_windows = root
            .platform
            .as_deref()
            .is_some_and(|p| p.to_ascii_lowercase().starts_with("windows"));
        let base = root.base.to_ascii_lowercase();
        let nano = base.contains("nanoserver");
        let windows = nano
            || base.contains("windowsservercore")
            || base.contains("servercore")
            || base.starts_with("mcr.microsoft.com/windows")
            || base.contains("/dotnet/framework/")
            || ImageRef::parse(&base).is_some_and(|r| {
                r.tag
                    .as_deref()
                    .is_some_and(|t| t.contains("windowsservercore") || t.contains("ltsc20"))
            });
        match (nano, windows || platform_windows) {
            (true, _) => Some(WindowsBase::NanoServer),
            (false, true) => Some(WindowsBase::ServerCore),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Os, Purpose, WindowsBase};
    use crate::dockerfile::parse;

    fn purpose(path: &str, src: &str) -> Purpose {
        let mut df = parse(src).unwrap();
        df.path = Some(path.to_string());
        df.purpose()
    }

    #[test]
    fn dev_images_by_path_and_label() {
        assert_eq!(
            purpose(
                ".devcontainer/Dockerfile",
                "FROM debian:12\nCMD [\"app\"]\n"
            ),
            Purpose::Dev
        );
        assert_eq!(
            purpose("src/go/.devcontainer/Dockerfile", "FROM golang:1\n"),
            Purpose::Dev
        );
        assert_eq!(
            purpose(".github/ci.Dockerfile", "FROM debian:12\nCMD [\"app\"]\n"),
            Purpose::Dev
        );
        assert_eq!(
            purpose(
                "Dockerfile",
                "FROM debian:12\nLABEL devcontainer.metadata='[]'\nCMD [\"app\"]\n"
            ),
            Purpose::Dev
        );
        for (path, src) in [
            ("Dockerfile.dev", "FROM node:20\nCMD [\"npm\", \"start\"]\n"),
            ("docker/build.Dockerfile", "FROM debian:12\nCMD [\"app\"]\n"),
            ("Dockerfile-ci", "FROM debian:12\nCMD [\"app\"]\n"),
            ("Dockerfile", "FROM debian:12\nENTRYPOINT [\"make\"]\n"),
            ("Dockerfile", "FROM maven:3\nCMD [\"mvn\", \"verify\"]\n"),
            (
                "Dockerfile",
                "FROM debian:12\nENTRYPOINT [\"tini\", \"--\", \"gradle\"]\n",
            ),
            (
                "Dockerfile",
                "FROM node:20\nCMD [\"npm\", \"run\", \"dev\"]\n",
            ),
            (
                "toolchains/arm/Dockerfile",
                "FROM debian:12\nCMD [\"app\"]\n",
            ),
        ] {
            assert_eq!(purpose(path, src), Purpose::Dev, "{path}: {src}");
        }
        // Build directories hold production images too; `npm start` runs an app.
        assert_eq!(
            purpose(
                "build/docker/Dockerfile",
                "FROM node:20\nCMD [\"npm\", \"start\"]\n"
            ),
            Purpose::App
        );
        // A directory merely named like a tool is not a CI directory.
        assert_eq!(
            purpose("circle/Dockerfile", "FROM debian:12\nCMD [\"app\"]\n"),
            Purpose::App
        );
    }

    #[test]
    fn base_images_by_command() {
        for src in [
            "FROM debian:12\nRUN true\n",
            "FROM buildpack-deps:bookworm\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"node\"]\n",
            "FROM debian:12\nCMD [\"python3\"]\n",
            "FROM debian:12\nCMD [\"php\", \"-a\"]\n",
            "FROM debian:12\nCMD bash\n",
            "FROM debian:12\nONBUILD COPY . /app\nCMD [\"app\"]\n",
        ] {
            assert_eq!(purpose("Dockerfile", src), Purpose::Base, "{src}");
        }
        for src in [
            "FROM debian:12\nCMD [\"python3\", \"app.py\"]\n",
            "FROM debian:12\nENTRYPOINT [\"/app\"]\n",
            "FROM debian:12\nENTRYPOINT [\"nginx\"]\nCMD [\"-g\", \"daemon off;\"]\n",
            "FROM debian:12\nCMD node server.js\n",
        ] {
            assert_eq!(purpose("Dockerfile", src), Purpose::App, "{src}");
        }
    }

    #[test]
    fn windows_is_recognised() {
        let os = |s: &str| parse(s).unwrap().os();
        assert_eq!(
            os("FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"),
            Os::Windows
        );
        assert_eq!(
            os("FROM mcr.microsoft.com/dotnet/framework/sdk:4.8\n"),
            Os::Windows
        );
        assert_eq!(
            os("# escape=`\nFROM myorg/base:1\nSHELL [\"powershell\", \"-Command\"]\n"),
            Os::Windows
        );
        assert_eq!(
            os("FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\n"),
            Os::Linux
        );
        let nano = parse("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n").unwrap();
        assert_eq!(nano.windows_base(), Some(WindowsBase::NanoServer));
    }
}
