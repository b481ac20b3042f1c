//! TD021 `task-role-is-execution-role`. Docs, level and peers: `rules/TD021.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a task definition whose `taskRoleArn` is written exactly as its
/// `executionRoleArn`: the same literal ARN or the same expression, hence the same role.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    let (Some(task), Some(exec)) = (&td.task_role, &td.execution_role) else {
        return;
    };
    // A placeholder (`<PLACEHOLDER>`, `${ROLE}`) is not a role: two of them may differ.
    if task != exec
        || task
            .as_str()
            .is_some_and(|s| s.trim().is_empty() || s.contains(['<', '$']) || quoted_reference(s))
    {
        return;
    }
    let shown = match task.as_str() {
        Some(s) => format!("`{s}`"),
        None => "the same expression".to_string(),
    };
    out.push(
        Finding::new(
            RuleId::TD021,
            format!(
                "task definition `{}` gives its containers the execution role ({shown} is both `taskRoleArn` and `executionRoleArn`): the application can read every secret the task pulls",
                td.name
            ),
        )
        .at_task_definition(td, &td.field("taskRoleArn")),
    );
}

/// A Terraform reference written inside quotes (`"aws_iam_role.app.arn"`): text, not the
/// role it names, so two of them say nothing about the roles.
fn quoted_reference(s: &str) -> bool {
    ["aws_iam_role.", "module.", "var.", "local.", "data."]
        .iter()
        .any(|p| s.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    #[test]
    fn same_role() {
        let f = run(
            super::check,
            r#"{"family": "a", "taskRoleArn": "arn:aws:iam::1:role/r", "executionRoleArn": "arn:aws:iam::1:role/r", "containerDefinitions": []}"#,
        );
        assert_eq!(f.len(), 1);
        let key = crate::secrets::Key::derive(b"test");
        let cfn = "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !GetAtt Role.Arn\n      ExecutionRoleArn: !GetAtt Role.Arn\n      ContainerDefinitions: []\n";
        let tds = crate::ecs::parse("t.yaml", cfn, &key).unwrap().tasks;
        let mut out = crate::rules::Findings::default();
        super::check(&tds[0], &crate::rules::RuleContext::default(), &mut out);
        assert_eq!(out.0.len(), 1);
        assert_eq!(out.0[0].start_line(), 5);
    }

    #[test]
    fn different_or_one() {
        for td in [
            r#"{"family": "a", "taskRoleArn": "arn:aws:iam::1:role/t", "executionRoleArn": "arn:aws:iam::1:role/e", "containerDefinitions": []}"#,
            r#"{"family": "a", "executionRoleArn": "arn:aws:iam::1:role/e", "containerDefinitions": []}"#,
            r#"{"family": "a", "taskRoleArn": "<PLACEHOLDER>", "executionRoleArn": "<PLACEHOLDER>", "containerDefinitions": []}"#,
            r#"{"family": "a", "taskRoleArn": "${ROLE}", "executionRoleArn": "${ROLE}", "containerDefinitions": []}"#,
        ] {
            assert!(run(super::check, td).is_empty(), "{td}");
        }
    }
}
