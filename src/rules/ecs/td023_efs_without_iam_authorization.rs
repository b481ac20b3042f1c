//! TD023 `efs-without-iam-authorization`. Docs, level and peers: `rules/TD023.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each EFS volume whose `authorizationConfig.iam` is not `ENABLED` (unset is
/// `DISABLED`); a value that is not a literal is left alone.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for v in td.volumes.iter().filter(|v| v.efs && !v.efs_iam_unknown) {
        if v.efs_iam
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("ENABLED"))
        {
            continue;
        }
        out.push(
            Finding::new(
                RuleId::TD023,
                format!(
                    "EFS volume `{}` of `{}` is mounted without IAM authorization (`authorizationConfig.iam` is not `ENABLED`)",
                    v.name, td.name
                ),
            )
            .at_task_definition(td, &v.efs_pointer),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    #[test]
    fn without_iam() {
        let f = run(
            super::check,
            r#"{"family": "a", "containerDefinitions": [], "volumes": [{"name": "d", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "transitEncryption": "ENABLED"}}, {"name": "e", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "authorizationConfig": {"iam": "DISABLED"}}}]}"#,
        );
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn with_iam_or_not_efs() {
        let f = run(
            super::check,
            r#"{"family": "a", "containerDefinitions": [], "volumes": [{"name": "d", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "authorizationConfig": {"iam": "ENABLED"}}}, {"name": "h", "host": {"sourcePath": "/data"}}, {"name": "x"}]}"#,
        );
        assert!(f.is_empty());
    }
}
