//! DF017 `tls-verification-disabled`. Docs, level and peers: `rules/DF017.toml`.

use super::run_commands;
use crate::dockerfile::shell::Command;
use crate::dockerfile::{Dockerfile, Instruction, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports switches that turn off TLS certificate or package signature checks, in `RUN`
/// commands of any stage and in `ENV`: they let a network attacker choose what is installed.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in &df.instructions {
        // Every switch of the instruction, so fixing one does not reveal the next on the
        // following run.
        let mut what: Vec<String> = match ins.keyword {
            Keyword::Env => ins
                .key_values()
                .into_iter()
                .filter_map(|(k, v)| insecure_env(&k, v.as_deref().unwrap_or("")))
                .collect(),
            Keyword::Run => {
                let cmds = run_commands(df, ins);
                let local_ok = packages_built_or_checked_here(df, ins, &cmds);
                cmds.iter()
                    .flat_map(|c| {
                        let skip = local_ok && signature_switch(c) && local_operands(c);
                        (!skip)
                            .then(|| insecure_command(c))
                            .flatten()
                            .into_iter()
                            .chain(c.env.iter().filter_map(|(k, v)| insecure_env(k, v)))
                    })
                    .collect()
            }
            _ => continue,
        };
        let mut seen = std::collections::HashSet::new();
        what.retain(|w| seen.insert(w.clone()));
        if !what.is_empty() {
            let verb = if what.len() == 1 {
                "disables"
            } else {
                "disable"
            };
            out.push(
                Finding::new(
                    RuleId::DF017,
                    format!("{} {verb} verification", what.join(", ")),
                )
                .at(ins),
            );
        }
    }
}

/// Package-manager switches that skip signature checks (not TLS switches).
fn signature_switch(c: &Command) -> bool {
    match c.name() {
        "apk" => c.has_flag(&["--allow-untrusted"]),
        "apt-get" | "apt" | "aptitude" => c.has_flag(&["--allow-unauthenticated"]),
        "yum" | "dnf" | "microdnf" | "tdnf" => c.has_flag(&["--nogpgcheck"]),
        "zypper" => c.has_flag(&["--no-gpg-checks"]),
        "rpm" => c.has_flag(&["--nosignature"]),
        _ => false,
    }
}

/// True when every package the command installs is a file (`/pkgs/*.apk`, `./x.rpm`), not a
/// name the package manager would fetch from a repository.
fn local_operands(c: &Command) -> bool {
    let ops: Vec<&str> = if c.name() == "rpm" {
        c.args()
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with('-'))
            .collect()
    } else {
        super::pkg_args(c)
    };
    !ops.is_empty()
        && ops.iter().all(|p| {
            let l = p.to_ascii_lowercase();
            p.contains('/') || [".apk", ".deb", ".rpm"].iter().any(|e| l.ends_with(e))
        })
}

/// True when local package files installed by this `RUN` were made or checked by the build
/// itself: bind-mounted from another stage (`--mount=type=bind,from=builder`), copied in by an
/// earlier `COPY`, or verified in the same `RUN` (`gpg --verify`, `sha256sum -c`, `rpm -K`) —
/// and nothing in the final image's stages downloads them (a `curl -o x.rpm` earlier keeps
/// the finding: the file came from the network unverified).
fn packages_built_or_checked_here(df: &Dockerfile, ins: &Instruction, cmds: &[Command]) -> bool {
    let mounted = ins.flags.iter().any(|f| {
        f.name == "mount"
            && f.value
                .as_deref()
                .is_some_and(|v| v.split(',').any(|kv| kv.starts_with("from=")))
    });
    let copied = df
        .instructions
        .iter()
        .take_while(|i| !std::ptr::eq(*i, ins))
        .any(|i| i.keyword == Keyword::Copy && i.stage == ins.stage);
    let verified = cmds.iter().any(|c| match c.name() {
        "gpg" | "gpg2" => c.has_flag(&["--verify"]),
        "gpgv" | "gpgv2" | "cosign" | "minisign" | "signify" => true,
        "sha256sum" | "sha512sum" | "sha1sum" | "md5sum" | "shasum" => {
            c.has_flag(&["--check"]) || c.has_short('c')
        }
        "rpm" | "rpmkeys" => c.has_flag(&["--checksig"]) || c.has_short('K'),
        _ => false,
    });
    let downloads = df
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Run && i.stage == ins.stage)
        .flat_map(|i| run_commands(df, i).into_owned())
        .any(|c| matches!(c.name(), "curl" | "wget" | "fetch" | "aria2c"));
    (mounted || copied || verified) && (!downloads || verified)
}

fn insecure_env(k: &str, v: &str) -> Option<String> {
    let off = |v: &str| {
        matches!(
            v.to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        )
    };
    let hit = match k {
        "NODE_TLS_REJECT_UNAUTHORIZED"
        | "PYTHONHTTPSVERIFY"
        | "CURL_SSL_VERIFY"
        | "NPM_CONFIG_STRICT_SSL"
        | "npm_config_strict_ssl" => off(v),
        "GIT_SSL_NO_VERIFY" => !v.is_empty() && !off(v),
        _ => false,
    };
    hit.then(|| format!("`{k}={v}`"))
}

fn insecure_command(c: &Command) -> Option<String> {
    let name = c.name();
    let flag = |f: &str| Some(format!("`{name} {f}`"));
    match name {
        "curl" if c.has_flag(&["--insecure"]) => flag("--insecure"),
        "curl" if c.has_short('k') => flag("-k"),
        "wget" if c.has_flag(&["--no-check-certificate"]) => flag("--no-check-certificate"),
        "pip" | "pip3" | "uv" if c.has_flag(&["--trusted-host"]) => flag("--trusted-host"),
        "python" | "python3"
            if c.args().iter().any(|a| a == "pip") && c.has_flag(&["--trusted-host"]) =>
        {
            flag("-m pip --trusted-host")
        }
        "apk" if c.has_flag(&["--allow-untrusted"]) => flag("--allow-untrusted"),
        "apt-get" | "apt" | "aptitude" => {
            for f in [
                "--allow-unauthenticated",
                "--allow-insecure-repositories",
                "--force-yes",
            ] {
                if c.has_flag(&[f]) {
                    return flag(f);
                }
            }
            c.args()
                .iter()
                .find(|a| {
                    a.contains("Verify-Peer=false")
                        || a.contains("AllowInsecureRepositories=true")
                        || a.contains("AllowUnauthenticated=true")
                })
                .and_then(|a| flag(&format!("-o {a}")))
        }
        "yum" | "dnf" | "microdnf" | "tdnf" if c.has_flag(&["--nogpgcheck"]) => {
            flag("--nogpgcheck")
        }
        "zypper" if c.has_flag(&["--no-gpg-checks"]) => flag("--no-gpg-checks"),
        "rpm" if c.has_flag(&["--nosignature"]) => flag("--nosignature"),
        "git" => {
            let a: Vec<&str> = c.args().iter().map(String::as_str).collect();
            let off = a
                .iter()
                .any(|x| x.eq_ignore_ascii_case("http.sslVerify=false"))
                || a.windows(2)
                    .any(|w| w[0].eq_ignore_ascii_case("http.sslVerify") && w[1] == "false");
            if off {
                flag("http.sslVerify=false")
            } else {
                None
            }
        }
        "npm" | "yarn" | "pnpm" => {
            let a: Vec<&str> = c.args().iter().map(String::as_str).collect();
            let off = a.contains(&"--strict-ssl=false")
                || a.windows(2)
                    .any(|w| w[0] == "strict-ssl" && w[1] == "false");
            if off { flag("strict-ssl false") } else { None }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn every_switch_of_one_run_is_named() {
        insta::assert_snapshot!(render(check, "FROM alpine:3\nRUN apk add --allow-untrusted x.apk && curl -k https://x | tar x && curl -k https://y\n"), @"2: `apk --allow-untrusted`, `curl -k` disable verification");
    }

    #[test]
    fn each_switch() {
        insta::assert_snapshot!(render(check, "FROM a:1\nRUN curl -fsSLk https://x -o y\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n"), @r"
        2: `curl -k` disables verification
        3: `NODE_TLS_REJECT_UNAUTHORIZED=0` disables verification
        ");
        for cmd in [
            "wget --no-check-certificate https://x",
            "pip install --trusted-host pypi.org x",
            "apk add --allow-untrusted x.apk",
            "apt-get install -y --allow-unauthenticated x",
            "yum install -y --nogpgcheck x",
            "git -c http.sslVerify=false clone u",
            "git config --global http.sslVerify false",
            "npm config set strict-ssl false",
            "GIT_SSL_NO_VERIFY=1 git clone u",
            "apt-get -o Acquire::https::Verify-Peer=false update",
        ] {
            assert_eq!(
                lines(check, &format!("FROM a:1\nRUN {cmd}\n")),
                [2],
                "{cmd}"
            );
        }
    }

    #[test]
    fn verified_forms_pass() {
        let src = "FROM a:1\nRUN curl -fsSL https://x -o y && wget -q https://x\nENV NODE_TLS_REJECT_UNAUTHORIZED=1 GIT_SSL_NO_VERIFY=\nRUN echo --insecure\n";
        assert!(lines(check, src).is_empty());
    }

    #[test]
    fn packages_built_or_checked_by_the_build_pass() {
        for src in [
            // Built in an earlier stage and bind-mounted.
            "FROM alpine:3 AS b\nRUN abuild -r\nFROM alpine:3\nRUN --mount=type=bind,from=b,source=/home/packages,target=/pkgs apk add --allow-untrusted /pkgs/*.apk\n",
            // Copied from the builder.
            "FROM fedora:40 AS b\nRUN rpmbuild -ba x.spec\nFROM fedora:40\nCOPY --from=b /root/rpmbuild/RPMS /rpms\nRUN dnf install -y --nogpgcheck /rpms/x86_64/*.rpm\n",
            // Downloaded and verified with gpg first.
            "FROM debian:12\nRUN curl -fsSLO https://x/x.deb && curl -fsSLO https://x/x.deb.asc && gpg --verify x.deb.asc x.deb && apt-get install -y --allow-unauthenticated ./x.deb\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
        for src in [
            // Downloaded, not verified.
            "FROM alpine:3\nCOPY keys /etc/apk/keys\nRUN wget -O /tmp/x.apk https://x/x.apk && apk add --allow-untrusted /tmp/x.apk\n",
            // A repository package name: fetched over the network.
            "FROM alpine:3\nCOPY . /src\nRUN apk add --allow-untrusted curl\n",
        ] {
            assert_eq!(lines(check, src).len(), 1, "{src}");
        }
    }
}
