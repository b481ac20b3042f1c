//! TD001 `privileged-container`. Docs, level and peers: `rules/TD001.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each container with `privileged: true` (all capabilities, every device).
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for c in td.containers.iter().filter(|c| c.privileged == Some(true)) {
        out.push(
            Finding::new(
                RuleId::TD001,
                format!("{} is privileged: root on the host", super::who(td, c)),
            )
            .at_task_definition(td, &c.field("privileged")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{one, run};

    #[test]
    fn privileged() {
        let f = run(super::check, &one(r#""privileged": true"#));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("`web` of `app`"));
    }

    #[test]
    fn not_privileged() {
        assert!(run(super::check, &one(r#""privileged": false"#)).is_empty());
        assert!(run(super::check, &one("")).is_empty());
    }
}
