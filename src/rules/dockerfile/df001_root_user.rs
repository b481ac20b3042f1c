//! DF001 `root-user`. Docs, level and peers: `rules/DF001.toml`.

use super::is_root_user;
use crate::dockerfile::purpose::{Os, WindowsBase};
use crate::dockerfile::{Dockerfile, Keyword};
use crate::reference::ImageRef;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a final image that runs as root: no `USER` in the final stage or the stages it
/// is built from, or a last `USER` that resolves to uid 0.
///
/// Development images are not judged: a devcontainer's user comes from `devcontainer.json`
/// (`remoteUser`), and CI and build images run as whoever the job starts them as.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    if df.purpose() == crate::dockerfile::purpose::Purpose::Dev {
        return;
    }
    if df.os() == Os::Windows {
        return windows(df, out);
    }
    let final_stage = df.final_stage();
    let last_user = df
        .final_lineage()
        .iter()
        .flat_map(|s| s.first..=s.last)
        .rfind(|&i| df.instructions[i].keyword == Keyword::User);
    let Some(idx) = last_user else {
        let root = df.final_lineage()[0];
        if files_only(df) || drops_privileges_at_start(df) {
            return;
        }
        // A resolved base is read below; the built-in table answers for well-known bases
        // when it was not asked for.
        if df.base.is_none() && known_nonroot_base(&root.base).is_some() {
            return;
        }
        // A resolved base (`--resolve-bases`) decides: its `USER` is inherited.
        let msg = match &df.base {
            Some(b) if !b.user.is_empty() && !is_root_user(&b.user) => return,
            Some(b) if b.user.is_empty() => format!(
                "final stage has no `USER` and its base {} sets none; the container runs as root",
                b.describe()
            ),
            Some(b) => format!(
                "final stage has no `USER` and its base {} runs as `{}`; the container runs as root",
                b.describe(),
                b.user
            ),
            None => "final stage has no `USER`; the container runs as root".to_string(),
        };
        let from = &df.instructions[final_stage.first];
        // Which source decided the base's user: the registry (`--resolve-bases`), or none
        // (the base is not in the table of known non-root bases and was not looked up).
        let source = if df.base.is_some() {
            "registry"
        } else {
            "unknown: not in the table of non-root bases, not resolved (--resolve-bases)"
        };
        out.push(
            Finding::new(RuleId::DF001, msg)
                .at(from)
                .evidence("base-user", source),
        );
        return;
    };
    let ins = &df.instructions[idx];
    let Some(value) = df.run_facts(ins).expanded_args.clone() else {
        return;
    };
    // `USER $APP_UID` with no default is set at build time; we cannot judge it.
    if value.unresolved || !is_root_user(&value.text) {
        return;
    }
    out.push(
        Finding::new(
            RuleId::DF001,
            format!(
                "last `USER` is `{}`; the container runs as root",
                value.text
            ),
        )
        .at(ins)
        .evidence("user", value.text),
    );
}

/// A `FROM scratch` image with nothing about running it (no command, health check or exposed
/// port): files for other builds to `COPY --from`, never run as a container.
fn files_only(df: &Dockerfile) -> bool {
    df.final_lineage()[0].base.eq_ignore_ascii_case("scratch")
        && !df.final_instructions().any(|i| {
            matches!(
                i.keyword,
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck | Keyword::Expose
            )
        })
}

/// An entrypoint script that hands the service to an unprivileged user with `gosu`,
/// `su-exec` or `setpriv` (the official database images' idiom: start as root to fix volume
/// ownership, then `exec gosu redis …`). The tool must be in the final image and the image
/// must start through a script.
fn drops_privileges_at_start(df: &Dockerfile) -> bool {
    const DROPPERS: &[&str] = &["gosu", "su-exec", "setpriv", "chpst", "s6-setuidgid"];
    let has_dropper = df.final_instructions().any(|i| {
        matches!(i.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
            && DROPPERS.iter().any(|d| i.args.contains(d))
    });
    let script_entry = df
        .final_instructions()
        .filter(|i| i.keyword == Keyword::Entrypoint)
        .last()
        .is_some_and(|i| {
            let words = i
                .exec_form()
                .unwrap_or_else(|| i.args.split_whitespace().map(str::to_string).collect());
            words.iter().any(|w| {
                let b = crate::dockerfile::shell::basename(w);
                b.contains("entrypoint")
                    || std::path::Path::new(b)
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("sh"))
            })
        });
    has_dropper && script_entry
}

/// Windows containers have no root: Server Core and Windows images run as
/// `ContainerAdministrator` unless told otherwise, Nano Server as the unprivileged
/// `ContainerUser`. A Windows image whose base is unknown (only its `SHELL` says Windows)
/// is not judged.
fn windows(df: &Dockerfile, out: &mut Findings) {
    let last_user = df
        .final_indices()
        .filter(|&i| df.instructions[i].keyword == Keyword::User)
        .last();
    match last_user {
        Some(idx) => {
            let ins = &df.instructions[idx];
            let Some(value) = df.run_facts(ins).expanded_args.clone() else {
                return;
            };
            if !value.unresolved && value.text.eq_ignore_ascii_case("ContainerAdministrator") {
                out.push(
                    Finding::new(
                        RuleId::DF001,
                        "last `USER` is `ContainerAdministrator`; the container runs as an administrator",
                    )
                    .at(ins)
                    .evidence("user", value.text),
                );
            }
        }
        None if df.windows_base() == Some(WindowsBase::ServerCore) => {
            out.push(
                Finding::new(
                    RuleId::DF001,
                    "final stage has no `USER`; the Windows container runs as `ContainerAdministrator`",
                )
                .at(&df.instructions[df.final_stage().first]),
            );
        }
        None => {}
    }
}

/// One entry of `rules/data/base-images.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownBase {
    image: String,
    tag: Option<String>,
    user: String,
    source: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownBases {
    base: Vec<KnownBase>,
}

/// The table of well-known bases that run as a non-root user, compiled once.
fn known_bases() -> &'static [(
    globset::GlobMatcher,
    Option<globset::GlobMatcher>,
    KnownBase,
)] {
    static TABLE: std::sync::OnceLock<
        Vec<(
            globset::GlobMatcher,
            Option<globset::GlobMatcher>,
            KnownBase,
        )>,
    > = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let glob = |g: &str| {
            globset::GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map(|g| g.compile_matcher())
        };
        // The shipped table is checked by `the_base_table_loads`; a broken one is empty.
        toml::from_str::<KnownBases>(BASES_TOML)
            .map(|t| {
                t.base
                    .into_iter()
                    .filter_map(|b| {
                        let image = glob(&b.image).ok()?;
                        let tag = match &b.tag {
                            Some(t) => Some(glob(t).ok()?),
                            None => None,
                        };
                        Some((image, tag, b))
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The table, as shipped.
const BASES_TOML: &str = include_str!("../../../rules/data/base-images.toml");

/// The documented non-root default user of a well-known base image (distroless `nonroot`
/// tags, Chainguard, .NET chiseled, Jenkins and the rest of `rules/data/base-images.toml`)
/// and where that is documented.
pub(crate) fn known_nonroot_base(base: &str) -> Option<(&'static str, &'static str)> {
    let r = ImageRef::parse(base)?;
    let full = r.name();
    let tag = r.tag.as_deref().unwrap_or("latest");
    known_bases()
        .iter()
        .find(|(image, t, _)| image.is_match(&full) && t.as_ref().is_none_or(|t| t.is_match(tag)))
        .map(|(_, _, b)| (b.user.as_str(), b.source.as_str()))
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn no_user_at_all() {
        insta::assert_snapshot!(render(check, "FROM debian:12\nRUN true\n"), @"1: final stage has no `USER`; the container runs as root");
    }

    #[test]
    fn resolved_base_user_is_inherited() {
        let run = |user: &str| {
            let mut df = crate::dockerfile::parse("FROM a:1\nCMD [\"app\"]\n").unwrap();
            df.base = Some(crate::rules::testing::base_image(user, false));
            let mut out = crate::rules::Findings::default();
            check(&df, &crate::rules::RuleContext::default(), &mut out);
            out.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>()
        };
        assert!(run("1000").is_empty());
        assert!(run("jovyan").is_empty());
        assert_eq!(
            run(""),
            [
                "final stage has no `USER` and its base `a:1` (sha256:0123456789ab…) sets none; the container runs as root"
            ]
        );
        assert_eq!(run("0:0").len(), 1);
    }

    #[test]
    fn windows_users() {
        insta::assert_snapshot!(render(check, "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo\n"), @"1: final stage has no `USER`; the Windows container runs as `ContainerAdministrator`");
        assert_eq!(
            lines(
                check,
                "FROM mcr.microsoft.com/dotnet/framework/runtime:4.8\nUSER ContainerAdministrator\n"
            ),
            [2]
        );
        // Nano Server runs as ContainerUser by default; `USER ContainerUser` is not an admin.
        assert!(
            lines(
                check,
                "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN echo\n"
            )
            .is_empty()
        );
        assert!(
            lines(
                check,
                "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn root_spellings() {
        for u in ["0", "0:0", "root:root", "root", "+0", "-0:0"] {
            assert_eq!(lines(check, &format!("FROM a:1\nUSER {u}\n")), [2], "{u}");
        }
    }

    #[test]
    fn user_only_in_builder_stage() {
        let src = "FROM golang:1.22 AS build\nUSER 1000\nRUN go build\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\n";
        assert_eq!(lines(check, src), [4]);
    }

    #[test]
    fn final_stage_inherits_user_from_parent_stage() {
        let src = "FROM debian:12 AS base\nUSER 10001\nFROM base\nCMD [\"app\"]\n";
        assert!(lines(check, src).is_empty());
    }

    #[test]
    fn arg_default_is_resolved() {
        assert_eq!(
            lines(check, "FROM a:1\nARG RUNAS=root\nUSER ${RUNAS}\n"),
            [3]
        );
        assert!(lines(check, "FROM a:1\nARG RUNAS=app\nUSER ${RUNAS}\n").is_empty());
        assert!(
            lines(check, "FROM a:1\nARG RUNAS\nUSER ${RUNAS}\n").is_empty(),
            "unknown at lint time"
        );
    }

    #[test]
    fn non_root_user_and_nonroot_bases_pass() {
        assert!(lines(check, "FROM a:1\nUSER root\nRUN x\nUSER 65532:65532\n").is_empty());
        assert!(lines(check, "FROM gcr.io/distroless/static-debian12:nonroot\n").is_empty());
        assert!(lines(check, "FROM cgr.dev/chainguard/static\n").is_empty());
    }

    #[test]
    fn the_base_table_loads() {
        let table: super::KnownBases = toml::from_str(super::BASES_TOML).unwrap();
        assert_eq!(super::known_bases().len(), table.base.len());
    }

    #[test]
    fn well_known_nonroot_bases_pass() {
        for base in [
            "gcr.io/distroless/static-debian12:nonroot",
            "cgr.dev/chainguard/static:latest",
            "mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled",
            "jenkins/jenkins:lts-jdk17",
            "solr:9",
            "registry.access.redhat.com/ubi9/python-311:1",
        ] {
            assert!(
                lines(check, &format!("FROM {base}\nCOPY app /app\n")).is_empty(),
                "{base}"
            );
        }
        for base in [
            "gcr.io/distroless/static-debian12",
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "registry.access.redhat.com/ubi9/ubi:9.4",
            "node:20",
        ] {
            assert_eq!(
                lines(check, &format!("FROM {base}\nCOPY app /app\n")),
                [1],
                "{base}"
            );
        }
    }

    #[test]
    fn privilege_drops_and_file_images_pass() {
        for src in [
            "FROM alpine:3\nRUN apk add --no-cache su-exec redis\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"redis-server\"]\n",
            "FROM golang:1 AS b\nRUN go build -o /out/x\nFROM scratch\nCOPY --from=b /out/x /\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
        // gosu without an entrypoint script: nothing drops.
        assert_eq!(
            lines(
                check,
                "FROM debian:12\nRUN apt-get install -y gosu\nCMD [\"app\"]\n"
            ),
            [1]
        );
    }
}
