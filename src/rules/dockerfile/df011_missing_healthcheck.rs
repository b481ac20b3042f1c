//! DF011 `missing-healthcheck`. Docs, level and peers: `rules/DF011.toml`.

use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a final image without `HEALTHCHECK` in its stages. `HEALTHCHECK NONE` is an
/// explicit choice and passes.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    if df
        .final_instructions()
        .any(|i| i.keyword == Keyword::Healthcheck)
    {
        return;
    }
    let from = &df.instructions[df.final_stage().first];
    out.push(Finding::new(RuleId::DF011, "final stage has no `HEALTHCHECK`").at(from));
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn missing() {
        insta::assert_snapshot!(render(check, "FROM a:1 AS b\nHEALTHCHECK CMD true\nFROM c:1\n"), @"3: final stage has no `HEALTHCHECK`");
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
}
