//! DF011 `missing-healthcheck`. Docs, level and peers: `rules/DF011.toml`.

use crate::dockerfile::purpose::Purpose;
use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a final image without `HEALTHCHECK` in its stages when it is a long-running
/// network service: an application image (not a base, toolchain, CLI, development or CI
/// image, see [`Purpose`]) that `EXPOSE`s a port. A health check means nothing for a
/// command-line tool or a language image. `HEALTHCHECK NONE` is an explicit choice and passes.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    if df.purpose() != Purpose::App
        || !df
            .final_instructions()
            .any(|i| i.keyword == Keyword::Expose && exposes_a_port(df, i))
        || !adds_an_application(df)
    {
        return;
    }
    if df
        .final_instructions()
        .any(|i| i.keyword == Keyword::Healthcheck)
    {
        return;
    }
    // A resolved base (`--resolve-bases`) may carry its own healthcheck, which is inherited.
    if df.base.as_ref().is_some_and(|b| b.healthcheck) {
        return;
    }
    let from = &df.instructions[df.final_stage().first];
    let msg = match &df.base {
        Some(b) => format!(
            "final stage has no `HEALTHCHECK`, nor does its base {}",
            b.describe()
        ),
        None => "final stage has no `HEALTHCHECK`".to_string(),
    };
    out.push(Finding::new(RuleId::DF011, msg).at(from));
}

/// True when an `EXPOSE` names at least one port once its variables are substituted
/// (`EXPOSE ${PORT}` with `PORT` defined nowhere exposes nothing).
fn exposes_a_port(df: &Dockerfile, ins: &crate::dockerfile::Instruction) -> bool {
    df.run_facts(ins)
        .expanded_args
        .as_ref()
        .is_some_and(|e| !e.unresolved && !e.text.trim().is_empty())
}

/// True when the final stages add an application: something built in an earlier stage
/// (`COPY --from=build`), the build context itself or a directory of it, or a file that is not
/// a script or configuration. A server image that adds only its entrypoint script and config
/// (`php:fpm`, `tomcat`, IIS) is a base the application is added to later, and the health
/// endpoint belongs to that application.
fn adds_an_application(df: &Dockerfile) -> bool {
    const SUPPORT: &[&str] = &[
        "sh",
        "bash",
        "ps1",
        "cmd",
        "bat",
        "conf",
        "cnf",
        "ini",
        "cfg",
        "yml",
        "yaml",
        "json",
        "xml",
        "properties",
        "toml",
        "env",
        "txt",
        "md",
        "pem",
        "crt",
        "key",
        "repo",
        "list",
    ];
    let stages: Vec<&str> = df
        .stages
        .iter()
        .filter_map(|s| s.alias.as_deref())
        .collect();
    df.final_instructions()
        .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add))
        .any(|i| {
            if let Some(from) = i.flag("from") {
                return stages.iter().any(|a| a.eq_ignore_ascii_case(from))
                    || from.parse::<usize>().is_ok();
            }
            crate::rules::dockerfile::df005_add_local_files::add_sources(i)
                .iter()
                .any(|s| {
                    let name = s.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                    let ext = std::path::Path::new(name)
                        .extension()
                        .and_then(|e| e.to_str())
                        .map(str::to_ascii_lowercase);
                    // The official images' helper scripts (`docker-php-entrypoint`,
                    // `docker-entrypoint.sh`) carry no extension.
                    let helper = name.contains("entrypoint") || name.starts_with("docker-");
                    s == "."
                        || s == "./"
                        || s.ends_with('/')
                        || (!helper && ext.is_none_or(|e| !SUPPORT.contains(&e.as_str())))
                })
        })
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn missing() {
        insta::assert_snapshot!(render(check, "FROM a:1 AS b\nHEALTHCHECK CMD true\nFROM c:1\nCOPY --from=b /out/app /app\nEXPOSE 8080\nCMD [\"/app\"]\n"), @"3: final stage has no `HEALTHCHECK`");
    }

    #[test]
    fn present_inherited_or_none() {
        assert!(
            lines(
                check,
                "FROM a:1\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\n"
            )
            .is_empty()
        );
        assert!(lines(check, "FROM a:1 AS b\nHEALTHCHECK NONE\nFROM b\n").is_empty());
    }

    #[test]
    fn resolved_base_healthcheck_is_inherited() {
        let mut df =
            crate::dockerfile::parse("FROM a:1\nCOPY app /app\nEXPOSE 80\nCMD [\"app\"]\n")
                .unwrap();
        let mut out = crate::rules::Findings::default();
        df.base = Some(crate::rules::testing::base_image("", true));
        check(&df, &crate::rules::RuleContext::default(), &mut out);
        assert!(out.0.is_empty());
        df.base = Some(crate::rules::testing::base_image("", false));
        check(&df, &crate::rules::RuleContext::default(), &mut out);
        assert_eq!(
            out.0[0].message,
            "final stage has no `HEALTHCHECK`, nor does its base `a:1` (sha256:0123456789ab…)"
        );
    }

    #[test]
    fn tools_and_language_images_pass() {
        for src in [
            "FROM debian:12\nCOPY shellcheck /bin/\nENTRYPOINT [\"shellcheck\"]\n",
            "FROM buildpack-deps:bookworm\nCMD [\"julia\"]\n",
            "FROM maven:3\nCMD [\"mvn\"]\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn server_bases_without_an_application_pass() {
        // php:fpm and tomcat add only their entrypoint and configuration.
        for src in [
            "FROM debian:12\nCOPY docker-php-entrypoint /usr/local/bin/\nCOPY php-fpm.conf /usr/local/etc/\nEXPOSE 9000\nCMD [\"php-fpm\"]\n",
            "FROM eclipse-temurin:21\nRUN curl -fsSL https://x/tomcat.tgz | tar -xz\nEXPOSE 8080\nCMD [\"catalina.sh\", \"run\"]\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
        assert_eq!(
            lines(
                check,
                "FROM tomcat:10\nCOPY target/app.war /usr/local/tomcat/webapps/\nEXPOSE 8080\nCMD [\"catalina.sh\", \"run\"]\n"
            ),
            [1]
        );
    }

    #[test]
    fn an_expose_of_nothing_is_no_service() {
        assert!(
            lines(
                check,
                "FROM python:3\nCOPY . /app\nEXPOSE ${PORT}\nCMD [\"python\", \"app.py\"]\n"
            )
            .is_empty()
        );
        assert_eq!(
            lines(
                check,
                "FROM python:3\nCOPY . /app\nENV PORT=8080\nEXPOSE ${PORT}\nCMD [\"python\", \"app.py\"]\n"
            ),
            [1]
        );
    }
}
