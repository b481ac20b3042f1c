//! DF015 `full-distro-base`. Docs, level and peers: `rules/DF015.toml`.

use super::{PkgOp, final_runs, pkg_op, run_commands};
use crate::dockerfile::purpose::{Os, Purpose};
use crate::dockerfile::shell::{basename, is_shell_name};
use crate::dockerfile::{Dockerfile, Instruction, Keyword};
use crate::reference::ImageRef;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a final image based on a full distribution or language image when the final
/// stages only add files (no OS packages installed): a distroless or scratch base would run
/// the same program without a shell and package manager. Only application images are
/// judged: base, development and CI images need their shell ([`Purpose`]), Windows has no
/// distroless, and Alpine has no distroless of its own to suggest.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    if df.os() == Os::Windows || df.purpose() != Purpose::App {
        return;
    }
    let root = df.final_lineage()[0];
    if !root.base_resolved {
        return;
    }
    let Some(r) = ImageRef::parse(&root.base) else {
        return;
    };
    let Some(mut suggest) = distroless_for(&r) else {
        return;
    };
    if !program_fits(df, suggest) {
        return;
    }
    // A program built by a Rust or C/C++ stage links libgcc: distroless `cc` carries it.
    if suggest == "gcr.io/distroless/base-debian12" && built_by_cc_toolchain(df) {
        suggest = "gcr.io/distroless/cc-debian12";
    }
    let installs = final_runs(df).any(|ins| {
        run_commands(df, ins).iter().any(|c| {
            pkg_op(c).is_some_and(|(_, op)| op == PkgOp::Install)
                || (matches!(
                    c.name(),
                    "pip" | "pip3" | "npm" | "yarn" | "gem" | "bundle" | "composer"
                ) && matches!(c.subcommand(), Some("install" | "ci" | "add")))
        })
    });
    if installs || needs_shell_at_run_time(df) {
        return;
    }
    out.push(
        Finding::new(
            RuleId::DF015,
            format!("final image is based on `{}`; `{suggest}` would run it without a shell or package manager", root.base),
        )
        .at(&df.instructions[root.first])
        .evidence("suggest", suggest),
    );
}

/// The program the image starts (the entrypoint's first word, else the command's), with
/// `tini`/`dumb-init` wrappers skipped.
fn program(df: &Dockerfile) -> Option<String> {
    let last = |k: Keyword| df.final_instructions().filter(|i| i.keyword == k).last();
    let argv = last(Keyword::Entrypoint)
        .or_else(|| last(Keyword::Cmd))
        .and_then(Instruction::exec_form)?;
    argv.into_iter()
        .find(|w| !matches!(basename(w), "tini" | "dumb-init" | "--" | "-g" | "-s"))
}

/// True when the suggested base can start the image's program as written: a language
/// distroless image runs its interpreter (`java`, `python3`, `node`), not a launcher script
/// a build tool made (`bin/app` from Gradle's `installDist`, sbt's `stage/bin`); a plain
/// distroless base runs a program, not a vendor tree laid over the whole root from the build
/// context (`COPY ./install /`), which leans on the distribution's libraries and tools.
fn program_fits(df: &Dockerfile, suggest: &str) -> bool {
    let Some(prog) = program(df) else {
        return false;
    };
    let name = basename(&prog);
    if suggest.contains("/java") {
        return name == "java";
    }
    if suggest.contains("/python") {
        return name.starts_with("python");
    }
    if suggest.contains("/nodejs") {
        return name == "node" || name == "nodejs";
    }
    !df.final_instructions().any(|i| {
        matches!(i.keyword, Keyword::Copy | Keyword::Add)
            && i.flag("from").is_none()
            && i.exec_form()
                .unwrap_or_else(|| crate::dockerfile::split_words(&i.args, i.escape))
                .last()
                .is_some_and(|dest| dest == "/")
    })
}

/// True when an earlier stage builds from a Rust or GCC/Clang image.
fn built_by_cc_toolchain(df: &Dockerfile) -> bool {
    let finals: Vec<usize> = df.final_lineage().iter().map(|s| s.index).collect();
    df.stages
        .iter()
        .filter(|s| !finals.contains(&s.index))
        .any(|s| {
            ImageRef::parse(&s.base).is_some_and(|r| {
                matches!(
                    r.short_name(),
                    "rust" | "gcc" | "clang" | "rust-musl-builder"
                )
            })
        })
}

/// Commands a final stage may run that a `COPY --chown`/`--chmod` or the builder stage could
/// do instead: moving to distroless loses nothing they need.
const TIDY: &[&str] = &[
    "mkdir", "chown", "chmod", "chgrp", "ln", "rm", "touch", "cp", "mv", "true", "useradd",
    "adduser", "groupadd", "addgroup", "echo", "printf", "cd", "set",
];

/// True when the image needs a shell or OS tools when it is built or started, so a
/// distroless base would not run it as written: a `RUN` beyond file tidying in the final
/// stages (`dpkg -i`, `python manage.py collectstatic`), a shell-form `CMD`/`ENTRYPOINT`
/// (`/bin/sh -c`), a start through a shell or a shell script (`docker-entrypoint.sh`,
/// `tini -- /start.sh`, `bash -c`), s6-overlay's `/init` or supervisord, or a health check
/// through a shell or `curl`/`wget`.
fn needs_shell_at_run_time(df: &Dockerfile) -> bool {
    if final_runs(df).any(|ins| {
        run_commands(df, ins)
            .iter()
            .any(|c| !TIDY.contains(&c.name()))
    }) {
        return true;
    }
    let last = |k: Keyword| df.final_instructions().filter(|i| i.keyword == k).last();
    let starts_shell = |ins: &Instruction| {
        let Some(argv) = ins.exec_form() else {
            // Shell form runs `/bin/sh -c`.
            return !ins.args.trim().is_empty();
        };
        argv.iter()
            .map(|w| basename(w))
            .find(|w| !matches!(*w, "tini" | "dumb-init" | "--" | "-g" | "-s" | "catatonit"))
            .is_some_and(|w| {
                is_shell_name(w)
                    || std::path::Path::new(w)
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("sh"))
                    || w.contains("entrypoint")
                    || matches!(w, "init" | "s6-svscan" | "supervisord" | "runsvdir" | "env")
            })
    };
    if last(Keyword::Entrypoint).is_some_and(starts_shell)
        || (last(Keyword::Entrypoint).is_none() && last(Keyword::Cmd).is_some_and(starts_shell))
    {
        return true;
    }
    last(Keyword::Healthcheck).is_some_and(|h| {
        let args = h.args.trim();
        let Some((_, cmd)) = args.split_once("CMD").or_else(|| args.split_once("cmd")) else {
            // `HEALTHCHECK NONE`: nothing runs.
            return false;
        };
        let cmd = cmd.trim();
        !cmd.starts_with('[')
            || ["curl", "wget", "nc", "sh", "bash"]
                .iter()
                .any(|t| cmd.contains(&format!("\"{t}\"")))
    })
}

/// A distroless base for a full distribution or language image, or `None` if the base is
/// not one (already minimal, or unknown).
fn distroless_for(r: &ImageRef) -> Option<&'static str> {
    let tag = r.tag.as_deref().unwrap_or("");
    if tag.contains("distroless") || tag.contains("micro") || tag.contains("alpine") {
        return None;
    }
    let hub = r.registry == crate::reference::DOCKER_HUB;
    let name = r.short_name();
    let s = match (hub, name) {
        (
            true,
            "debian" | "ubuntu" | "centos" | "fedora" | "rockylinux" | "almalinux" | "amazonlinux"
            | "oraclelinux" | "archlinux" | "buildpack-deps",
        ) => "gcr.io/distroless/base-debian12",
        (true, "golang" | "rust" | "gcc") => "gcr.io/distroless/static-debian12",
        (true, "python" | "pypy") => "gcr.io/distroless/python3-debian12",
        (true, "node") => "gcr.io/distroless/nodejs22-debian12",
        (
            true,
            "openjdk" | "eclipse-temurin" | "amazoncorretto" | "maven" | "gradle" | "ibmjava"
            | "sapmachine",
        ) => "gcr.io/distroless/java21-debian12",
        (_, "ubi8" | "ubi9" | "ubi8-minimal" | "ubi9-minimal") => {
            "registry.access.redhat.com/ubi9/ubi-micro"
        }
        _ if r.registry == "public.ecr.aws"
            && matches!(name, "amazonlinux" | "debian" | "ubuntu") =>
        {
            "gcr.io/distroless/base-debian12"
        }
        _ => return None,
    };
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn copies_only_onto_full_base() {
        insta::assert_snapshot!(render(check, "FROM golang:1.22 AS b\nRUN go build -o /app\nFROM debian:12-slim\nCOPY --from=b /app /app\nCMD [\"/app\"]\n"), @"3: final image is based on `debian:12-slim`; `gcr.io/distroless/base-debian12` would run it without a shell or package manager");
        assert_eq!(
            lines(
                check,
                "FROM node:20 AS b\nRUN npm ci && npm run build\nFROM node:20-slim\nCOPY --from=b /app/dist /app\nCMD [\"node\", \"/app/main.js\"]\n"
            ),
            [3]
        );
    }

    #[test]
    fn installs_minimal_or_unknown_bases_pass() {
        assert!(
            lines(
                check,
                "FROM debian:12\nRUN apt-get install -y --no-install-recommends tini\n"
            )
            .is_empty()
        );
        assert!(lines(check, "FROM python:3.12\nRUN pip install flask\n").is_empty());
        assert!(
            lines(
                check,
                "FROM gcr.io/distroless/static-debian12\nCOPY app /\n"
            )
            .is_empty()
        );
        assert!(lines(check, "FROM scratch\nCOPY app /\n").is_empty());
        assert!(lines(check, "FROM ghcr.io/acme/base:1\nCOPY app /\n").is_empty());
    }

    #[test]
    fn base_dev_windows_and_alpine_images_pass() {
        for src in [
            // No command: a base for other images.
            "FROM debian:12\nCOPY conf /etc/x\n",
            // An interpreter's prompt behind the usual entrypoint: an official language image.
            "FROM buildpack-deps:bookworm\nCOPY node /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"node\"]\n",
            // Windows has no distroless.
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app.exe /\nCMD [\"app.exe\"]\n",
            // No Alpine distroless to suggest.
            "FROM eclipse-temurin:21-jre-alpine\nCOPY app.jar /\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
            // A devcontainer label.
            "FROM golang:1.22\nLABEL devcontainer.metadata=\"[]\"\nCMD [\"sleep\", \"infinity\"]\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn images_that_need_a_shell_or_tools_pass() {
        for src in [
            // A shell-script entrypoint.
            "FROM golang:1 AS b\nRUN go build -o /app\nFROM debian:12-slim\nCOPY --from=b /app /app\nCOPY docker-entrypoint.sh /\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"/app\"]\n",
            "FROM golang:1 AS b\nRUN go build -o /app\nFROM debian:12-slim\nCOPY --from=b /app /app\nENTRYPOINT [\"tini\", \"--\", \"/start.sh\"]\n",
            // Shell form: `/bin/sh -c`.
            "FROM golang:1 AS b\nRUN go build -o /app\nFROM debian:12-slim\nCOPY --from=b /app /app\nCMD /app --port $PORT\n",
            // Installs a package file.
            "FROM golang:1 AS b\nRUN make deb\nFROM debian:12-slim\nCOPY --from=b /out/app.deb /tmp/\nRUN dpkg -i /tmp/app.deb\nCMD [\"/usr/bin/app\"]\n",
            // s6-overlay.
            "FROM golang:1 AS b\nRUN go build -o /app\nFROM ubuntu:24.04\nCOPY --from=b /app /app\nENTRYPOINT [\"/init\"]\n",
            // A health check through curl.
            "FROM golang:1 AS b\nRUN go build -o /app\nFROM debian:12-slim\nCOPY --from=b /app /app\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD [\"/app\"]\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
        // Tidying with `chown`/`mkdir` can move to `COPY --chown`: still judged.
        assert_eq!(
            lines(
                check,
                "FROM golang:1 AS b\nRUN go build -o /app\nFROM debian:12-slim\nCOPY --from=b /app /app\nRUN mkdir -p /data && chown 1000 /data\nUSER 1000\nCMD [\"/app\"]\n"
            ),
            [3]
        );
    }
}
