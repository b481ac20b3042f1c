//! TD016 `fargate-unsupported-setting`. Docs, level and peers: `rules/TD016.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports, for a task definition that requires Fargate, each setting Fargate refuses: the
/// registration or the task launch fails, or the setting is silently not what was reviewed.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    if !td
        .compatibilities
        .iter()
        .any(|c| c.eq_ignore_ascii_case("FARGATE"))
    {
        return;
    }
    let mut push = |what: String, at: String| {
        out.push(
            Finding::new(
                RuleId::TD016,
                format!(
                    "task definition `{}` requires Fargate, which refuses {what}",
                    td.name
                ),
            )
            .at_task_definition(td, &at),
        );
    };
    if let Some(m) = td.network_mode.as_deref().filter(|m| *m != "awsvpc") {
        push(
            format!("network mode `{m}` (only `awsvpc`)"),
            td.field("networkMode"),
        );
    }
    if td.pid_mode.as_deref() == Some("host") {
        push("`pidMode: host`".into(), td.field("pidMode"));
    }
    if td.ipc_mode.is_some() {
        push("`ipcMode`".into(), td.field("ipcMode"));
    }
    for v in td.volumes.iter().filter(|v| v.host_path.is_some()) {
        push(format!("host path volume `{}`", v.name), v.pointer.clone());
    }
    for c in &td.containers {
        let who = super::who(td, c);
        if c.privileged == Some(true) {
            push(format!("privileged {who}"), c.field("privileged"));
        }
        if !c.devices.is_empty() {
            push(format!("devices for {who}"), c.field("linuxParameters"));
        }
        for cap in &c.cap_add {
            let bare = cap.trim().to_ascii_uppercase();
            if bare.strip_prefix("CAP_").unwrap_or(&bare) != "SYS_PTRACE" {
                push(
                    format!("capability `{cap}` for {who} (only `SYS_PTRACE` may be added)"),
                    c.field("linuxParameters"),
                );
            }
        }
        if !c.security_options.is_empty() {
            push(
                format!("`dockerSecurityOptions` for {who}"),
                c.field("dockerSecurityOptions"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    #[test]
    fn refused_on_fargate() {
        let f = run(
            super::check,
            r#"{"family": "a", "requiresCompatibilities": ["FARGATE"], "networkMode": "bridge",
               "containerDefinitions": [{"name": "c", "privileged": true,
                 "linuxParameters": {"capabilities": {"add": ["SYS_PTRACE", "NET_ADMIN"]}}}]}"#,
        );
        assert_eq!(f.len(), 3, "{f:?}");
    }

    #[test]
    fn fine_on_fargate_or_not_fargate() {
        let ok = r#"{"family": "a", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "c", "linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"]}}}]}"#;
        assert!(run(super::check, ok).is_empty());
        let ec2 = r#"{"family": "a", "requiresCompatibilities": ["EC2"], "networkMode": "host",
            "containerDefinitions": [{"name": "c", "privileged": true}]}"#;
        assert!(run(super::check, ec2).is_empty());
    }
}
