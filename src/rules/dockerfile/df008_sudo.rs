//! DF008 `sudo`. Docs, level and peers: `rules/DF008.toml`.

use super::all_runs;
use crate::dockerfile::Dockerfile;
use crate::dockerfile::shell;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports `sudo` in `RUN`: build steps already run as root or as the `USER` chosen, and
/// `sudo` in an image means the runtime user can escalate. Not reported: `sudo -u USER` to
/// a non-root user (a privilege drop, as `makepkg` requires), and a script that checks who
/// it runs as (`id -u`, `$EUID`, `whoami`) and uses `sudo` only as the fallback.
///
/// A patch over an image named only at build time (`FROM ${ORIGINAL_IMAGE}` without a
/// default) or over a development container image, that never sets `USER`, must keep that
/// image's user; `sudo` there is how it
/// reaches root without changing the user, and is not judged.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    let root = df.final_lineage()[0];
    let patch_over_unknown = (!root.base_resolved || root.base.contains("devcontainers"))
        && !df
            .instructions
            .iter()
            .any(|i| i.keyword == crate::dockerfile::Keyword::User);
    if patch_over_unknown {
        return;
    }
    for ins in all_runs(df) {
        let uses = ins.scripts().iter().any(|s| {
            let checks_user = ["id -u", "$EUID", "${EUID", "whoami", "$(id -u)"]
                .iter()
                .any(|t| s.text.contains(t));
            !checks_user
                && shell::all_commands(&s.text)
                    .iter()
                    .any(|c| c.name() == "sudo" && !drops_to_user(c))
        });
        if uses {
            out.push(
                Finding::new(
                    RuleId::DF008,
                    "`sudo` in `RUN`; switch users with `USER` instead",
                )
                .at(ins),
            );
        }
    }
}

/// `sudo -u NAME …` / `sudo --user=NAME …` for a user other than root.
fn drops_to_user(c: &shell::Command) -> bool {
    let args = c.args();
    let user = args.iter().enumerate().find_map(|(i, a)| {
        if a == "-u" || a == "--user" {
            args.get(i + 1).map(String::as_str)
        } else {
            a.strip_prefix("--user=")
                .or_else(|| a.strip_prefix("-u").filter(|u| !u.is_empty()))
        }
    });
    user.is_some_and(|u| !matches!(u, "root" | "0" | "#0"))
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn sudo_anywhere_in_the_script() {
        insta::assert_snapshot!(render(check, "FROM a:1\nRUN apt-get update && sudo apt-get install -y x\n"), @"2: `sudo` in `RUN`; switch users with `USER` instead");
        assert_eq!(
            lines(check, "FROM a:1\nRUN if true; then sudo -u root make; fi\n"),
            [2]
        );
    }

    #[test]
    fn sudo_as_a_word_or_package_passes() {
        assert!(
            lines(
                check,
                "FROM a:1\nRUN apt-get install -y sudo && echo sudo\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn privilege_drops_and_fallbacks_pass() {
        for src in [
            "FROM archlinux\nRUN sudo -u builduser makepkg -s\n",
            "FROM a:1\nRUN if [ \"$(id -u)\" -ne 0 ]; then sudo apt-get update; else apt-get update; fi\n",
        ] {
            assert!(lines(check, src).is_empty(), "{src}");
        }
    }
}
