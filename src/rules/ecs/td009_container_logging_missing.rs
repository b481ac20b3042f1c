//! TD009 `container-logging-missing`. Docs, level and peers: `rules/TD009.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each container without `logConfiguration`: its output goes nowhere anyone can
/// read after the task stops.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for c in td.containers.iter().filter(|c| !c.logging) {
        out.push(
            Finding::new(
                RuleId::TD009,
                format!("{} has no `logConfiguration`", super::who(td, c)),
            )
            .at_task_definition(td, &c.pointer),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{one, run};

    #[test]
    fn missing() {
        assert_eq!(run(super::check, &one("")).len(), 1);
    }

    #[test]
    fn configured() {
        let f = run(
            super::check,
            &one(r#""logConfiguration": {"logDriver": "awslogs", "options": {}}"#),
        );
        assert!(f.is_empty());
    }
}
