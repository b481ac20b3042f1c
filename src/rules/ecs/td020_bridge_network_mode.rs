//! TD020 `bridge-network-mode`. Docs, level and peers: `rules/TD020.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a task definition that runs in `bridge` mode on EC2: `networkMode` is `bridge`, or
/// unset (ECS's default on Linux) when the task can run on EC2 (its compatibilities do not
/// name Fargate alone). Windows tasks (their default is `default`, a NAT network), a network
/// mode that is not a literal, and task definitions with unknown settings are left alone.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    // Container definitions alone (a bare array) say nothing of the task's network mode.
    if td.containers_only || td.is_windows() || td.has("runtimePlatform") && td.os_family.is_none()
    {
        return;
    }
    let fargate_only = !td.compatibilities.is_empty()
        && td
            .compatibilities
            .iter()
            .all(|c| c.eq_ignore_ascii_case("FARGATE"));
    if fargate_only || td.has("requiresCompatibilities") && td.compatibilities.is_empty() {
        return;
    }
    let (what, at) = match td.network_mode.as_deref() {
        Some(m) if m.eq_ignore_ascii_case("bridge") => (
            "`networkMode` is `bridge`".to_string(),
            td.field("networkMode"),
        ),
        None if !td.has("networkMode") => (
            "no `networkMode`, so `bridge` on EC2".to_string(),
            td.pointer.clone(),
        ),
        _ => return,
    };
    out.push(
        Finding::new(
            RuleId::TD020,
            format!(
                "task definition `{}` runs in bridge network mode ({what}): its containers can reach the instance metadata service and the instance role",
                td.name
            ),
        )
        .at_task_definition(td, &at),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    #[test]
    fn bridge_or_unset_on_ec2() {
        let f = run(
            super::check,
            r#"{"family": "a", "networkMode": "bridge", "containerDefinitions": []}"#,
        );
        assert_eq!(f.len(), 1);
        let f = run(
            super::check,
            r#"{"family": "a", "containerDefinitions": []}"#,
        );
        assert_eq!(f.len(), 1);
        let f = run(
            super::check,
            r#"{"family": "a", "requiresCompatibilities": ["EC2", "FARGATE"], "containerDefinitions": []}"#,
        );
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn awsvpc_fargate_windows_or_unknown() {
        for td in [
            r#"{"family": "a", "networkMode": "awsvpc", "containerDefinitions": []}"#,
            r#"{"family": "a", "networkMode": "host", "containerDefinitions": []}"#,
            r#"{"family": "a", "requiresCompatibilities": ["FARGATE"], "containerDefinitions": []}"#,
            r#"{"family": "a", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}, "containerDefinitions": []}"#,
        ] {
            assert!(run(super::check, td).is_empty(), "{td}");
        }
        let key = crate::secrets::Key::derive(b"test");
        let bare = r#"[{"name": "a", "image": "b", "essential": true}]"#;
        let tds = crate::ecs::parse("c.json", bare, &key).unwrap().tasks;
        let mut out = crate::rules::Findings::default();
        super::check(&tds[0], &crate::rules::RuleContext::default(), &mut out);
        assert!(out.0.is_empty(), "a bare array has no task-level settings");
        let cfn = "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      NetworkMode: !Ref Mode\n      ContainerDefinitions: []\n";
        let tds = crate::ecs::parse("t.yaml", cfn, &key).unwrap().tasks;
        let mut out = crate::rules::Findings::default();
        super::check(&tds[0], &crate::rules::RuleContext::default(), &mut out);
        assert!(out.0.is_empty());
    }
}
