//! TD011 `efs-transit-unencrypted`. Docs, level and peers: `rules/TD011.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each EFS volume whose `transitEncryption` is not `ENABLED` (it defaults to off).
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for v in td.volumes.iter().filter(|v| v.efs) {
        if v.efs_transit
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("ENABLED"))
        {
            continue;
        }
        out.push(
            Finding::new(
                RuleId::TD011,
                format!(
                    "EFS volume `{}` of `{}` is mounted without encryption in transit",
                    v.name, td.name
                ),
            )
            .at_task_definition(td, &v.pointer),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    #[test]
    fn unencrypted() {
        let f = run(
            super::check,
            r#"{"family": "a", "containerDefinitions": [], "volumes": [{"name": "d", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}]}"#,
        );
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn encrypted_or_not_efs() {
        let f = run(
            super::check,
            r#"{"family": "a", "containerDefinitions": [], "volumes": [{"name": "d", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "transitEncryption": "ENABLED"}}, {"name": "h", "host": {"sourcePath": "/data"}}]}"#,
        );
        assert!(f.is_empty());
    }
}
