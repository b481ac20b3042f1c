//! DF014 `consecutive-run`. Docs, level and peers: `rules/DF014.toml`.

use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a `RUN` that directly follows another `RUN` with the same flags in the final
/// image's stages: each adds a layer, and files deleted by the second still ship in the
/// first. Builder stages do not ship their layers and are left alone.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for stage in df.final_lineage() {
        let ins = df.stage_instructions(stage);
        for pair in ins.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.keyword == Keyword::Run && b.keyword == Keyword::Run && a.flags == b.flags {
                out.push(
                    Finding::new(
                        RuleId::DF014,
                        format!(
                            "`RUN` follows the `RUN` on line {}; combine them into one layer",
                            a.start_line
                        ),
                    )
                    .at(b),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn consecutive() {
        insta::assert_snapshot!(render(check, "FROM a:1\nRUN a\n# comment\nRUN b\nRUN c\n"), @r"
        4: `RUN` follows the `RUN` on line 2; combine them into one layer
        5: `RUN` follows the `RUN` on line 4; combine them into one layer
        ");
    }

    #[test]
    fn separated_flagged_or_builder_runs_pass() {
        assert!(
            lines(
                check,
                "FROM a:1\nRUN a\nCOPY x y\nRUN b\nRUN --mount=type=cache,target=/c b\n"
            )
            .is_empty()
        );
        assert!(lines(check, "FROM a:1 AS b\nRUN a\nRUN b\nFROM scratch\n").is_empty());
    }
}
