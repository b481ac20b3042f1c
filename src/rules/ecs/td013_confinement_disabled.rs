//! TD013 `confinement-disabled`. Docs, level and peers: `rules/TD013.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each `dockerSecurityOptions` entry that turns a confinement off: AppArmor or
/// seccomp `unconfined`, SELinux labels disabled. Docker accepts `:` and `=` as separators.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for c in &td.containers {
        for o in &c.security_options {
            let norm = o.trim().to_ascii_lowercase().replace('=', ":");
            let off = matches!(
                norm.as_str(),
                "apparmor:unconfined"
                    | "seccomp:unconfined"
                    | "label:disable"
                    | "systempaths:unconfined"
            );
            if off {
                out.push(
                    Finding::new(
                        RuleId::TD013,
                        format!("{} turns a confinement off (`{o}`)", super::who(td, c)),
                    )
                    .at_task_definition(td, &c.field("dockerSecurityOptions"))
                    .evidence("option", o.clone()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{one, run};

    #[test]
    fn unconfined() {
        let f = run(
            super::check,
            &one(
                r#""dockerSecurityOptions": ["apparmor:unconfined", "seccomp=unconfined", "label:disable"]"#,
            ),
        );
        assert_eq!(f.len(), 3);
    }

    #[test]
    fn confined() {
        let f = run(
            super::check,
            &one(
                r#""dockerSecurityOptions": ["no-new-privileges", "apparmor:docker-default", "label:type:container_t"]"#,
            ),
        );
        assert!(f.is_empty());
    }
}
