//! DF008 `sudo`. Docs, level and peers: `rules/DF008.toml`.

use super::all_runs;
use crate::dockerfile::Dockerfile;
use crate::dockerfile::shell;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports `sudo` in `RUN`: build steps already run as root or as the `USER` chosen, and
/// `sudo` in an image means the runtime user can escalate.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in all_runs(df) {
        let uses = ins.scripts().iter().any(|s| {
            shell::all_commands(&s.text)
                .iter()
                .any(|c| c.name() == "sudo")
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

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn sudo_anywhere_in_the_script() {
        insta::assert_snapshot!(render(check, "FROM a:1\nRUN apt-get update && sudo apt-get install -y x\n"), @"2: `sudo` in `RUN`; switch users with `USER` instead");
        assert_eq!(
            lines(check, "FROM a:1\nRUN if true; then sudo -u app make; fi\n"),
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
}
