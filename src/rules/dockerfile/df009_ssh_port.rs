//! DF009 `ssh-port`. Docs, level and peers: `rules/DF009.toml`.

use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports `EXPOSE` of port 22 (alone or inside a range) in the final image's stages, unless
/// ssh is the product: a Git server (`git-shell` as the login shell) or an SFTP-only server
/// (`internal-sftp`), where the port is the service rather than a way into the container.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    let ssh_is_the_service = df
        .final_instructions()
        .any(|i| i.args.contains("git-shell") || i.args.contains("internal-sftp"));
    if ssh_is_the_service {
        return;
    }
    for ins in df.final_instructions() {
        if ins.keyword != Keyword::Expose {
            continue;
        }
        // Expanded once for the whole file by the shared analysis: linear in the file.
        let facts = df.run_facts(ins);
        let Some(expanded) = &facts.expanded_args else {
            continue;
        };
        if expanded
            .text
            .split_whitespace()
            .any(|spec| port_spec_has(spec, 22))
        {
            out.push(Finding::new(RuleId::DF009, "port 22 (ssh) is exposed").at(ins));
        }
    }
}

/// True if `spec` (`22`, `22/tcp`, `20-25/tcp`) covers `port`.
pub(crate) fn port_spec_has(spec: &str, port: u16) -> bool {
    let ports = spec.split('/').next().unwrap_or(spec);
    match ports.split_once('-') {
        Some((lo, hi)) => match (lo.parse::<u16>(), hi.parse::<u16>()) {
            (Ok(lo), Ok(hi)) => (lo..=hi).contains(&port),
            _ => false,
        },
        None => ports.parse::<u16>() == Ok(port),
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn forms_of_22() {
        insta::assert_snapshot!(render(check, "FROM a:1\nEXPOSE 80 22/tcp\n"), @"2: port 22 (ssh) is exposed");
        assert_eq!(lines(check, "FROM a:1\nEXPOSE 20-25\n"), [2]);
        assert_eq!(lines(check, "FROM a:1\nARG P=22\nEXPOSE $P\n"), [3]);
    }

    #[test]
    fn other_ports_and_builder_stages_pass() {
        assert!(lines(check, "FROM a:1\nEXPOSE 2222 220 8022/udp\n").is_empty());
        assert!(lines(check, "FROM a:1 AS b\nEXPOSE 22\nFROM c:1\nEXPOSE 80\n").is_empty());
    }

    #[test]
    fn git_and_sftp_servers_serve_ssh() {
        assert!(lines(check, "FROM alpine:3\nRUN adduser -D -s /usr/bin/git-shell git\nEXPOSE 22\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n").is_empty());
        // A general sshd in a container is the back door the rule is about.
        assert_eq!(
            lines(
                check,
                "FROM ubuntu:24.04\nEXPOSE 22\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n"
            ),
            [2]
        );
    }
}
