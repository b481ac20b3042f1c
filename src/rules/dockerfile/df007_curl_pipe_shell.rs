//! DF007 `curl-pipe-shell`. Docs, level and peers: `rules/DF007.toml`.

use super::all_runs;
use crate::dockerfile::Dockerfile;
use crate::dockerfile::shell::{self, Command, is_shell_name};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a download piped into a shell (`curl … | sh`), or a shell that runs a download
/// through a substitution (`sh -c "$(curl …)"`, `bash <(wget …)`), in any stage: a build
/// stage that runs unverified code can poison what the final stage copies from it.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in all_runs(df) {
        let found = ins.scripts().iter().find_map(|s| {
            shell::all_pipelines(&s.text).iter().find_map(|p| {
                let cmds: Vec<Command> = p.commands.iter().map(Command::effective).collect();
                if let Some(d) = cmds.iter().position(|c| is_download(c.name()))
                    && let Some(sh) = cmds[d + 1..].iter().find(|c| is_shell_name(c.name()))
                {
                    return Some((cmds[d].name().to_string(), sh.name().to_string()));
                }
                cmds.iter().find_map(|c| {
                    let dl = c.subs.iter().find_map(|sub| {
                        shell::all_commands(sub)
                            .iter()
                            .map(Command::effective)
                            .find(|x| is_download(x.name()))
                            .map(|x| x.name().to_string())
                    })?;
                    is_shell_name(c.name()).then(|| (dl, c.name().to_string()))
                })
            })
        });
        if let Some((dl, sh)) = found {
            out.push(
                Finding::new(
                    RuleId::DF007,
                    format!("output of `{dl}` runs in `{sh}` without verification"),
                )
                .at(ins)
                .evidence("downloader", dl)
                .evidence("shell", sh),
            );
        }
    }
}

fn is_download(name: &str) -> bool {
    matches!(
        name,
        "curl" | "wget" | "fetch" | "aria2c" | "http" | "https"
    )
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn pipe_to_shell() {
        insta::assert_snapshot!(render(check, "FROM a:1\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -\n"), @"2: output of `curl` runs in `bash` without verification");
    }

    #[test]
    fn substitutions_heredocs_and_exec_form() {
        assert_eq!(
            lines(
                check,
                "FROM a:1\nRUN sh -c \"$(curl -fsSL https://x/install.sh)\"\n"
            ),
            [2]
        );
        assert_eq!(
            lines(check, "FROM a:1\nRUN bash <(wget -qO- https://x)\n"),
            [2]
        );
        assert_eq!(
            lines(
                check,
                "FROM a:1\nRUN <<EOF\nset -e\nwget -qO- https://x | sh\nEOF\n"
            ),
            [2]
        );
        assert_eq!(
            lines(
                check,
                "FROM a:1\nRUN [\"/bin/sh\", \"-c\", \"curl -s x | sh\"]\n"
            ),
            [2]
        );
    }

    #[test]
    fn download_to_file_or_other_consumers_pass() {
        let src = "FROM a:1\nRUN curl -fsSLo /tmp/x.sh https://x && sha256sum -c sums && sh /tmp/x.sh\nRUN curl -s https://x | tar -xz\nRUN echo 'curl x | sh'\n";
        assert!(lines(check, src).is_empty());
    }
}
