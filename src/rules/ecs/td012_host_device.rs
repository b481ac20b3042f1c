//! TD012 `host-device`. Docs, level and peers: `rules/TD012.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each host device a container is given (`linuxParameters.devices`).
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for c in &td.containers {
        for d in &c.devices {
            out.push(
                Finding::new(
                    RuleId::TD012,
                    format!("{} is given the host device `{d}`", super::who(td, c)),
                )
                .at_task_definition(td, &c.field("linuxParameters"))
                .evidence("device", d.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{one, run};

    #[test]
    fn device() {
        let f = run(
            super::check,
            &one(r#""linuxParameters": {"devices": [{"hostPath": "/dev/mem"}]}"#),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("`/dev/mem`"));
    }

    #[test]
    fn none() {
        assert!(
            run(
                super::check,
                &one(r#""linuxParameters": {"initProcessEnabled": true}"#)
            )
            .is_empty()
        );
    }
}
