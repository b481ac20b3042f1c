//! TD005 `host-namespace`. Docs, level and peers: `rules/TD005.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a task definition that shares the host's process (`pidMode: host`) or IPC
/// (`ipcMode: host`) namespace; both are task-level settings.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for (field, value, what) in [
        ("pidMode", &td.pid_mode, "processes"),
        ("ipcMode", &td.ipc_mode, "shared memory and semaphores"),
    ] {
        if value.as_deref() == Some("host") {
            out.push(
                Finding::new(
                    RuleId::TD005,
                    format!(
                        "task definition `{}` shares the host's {what} (`{field}` is `host`)",
                        td.name
                    ),
                )
                .at_task_definition(td, &td.field(field)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    #[test]
    fn host_pid_and_ipc() {
        let f = run(
            super::check,
            r#"{"family": "a", "pidMode": "host", "ipcMode": "host", "containerDefinitions": []}"#,
        );
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn task_namespaces() {
        let f = run(
            super::check,
            r#"{"family": "a", "pidMode": "task", "ipcMode": "none", "containerDefinitions": []}"#,
        );
        assert!(f.is_empty());
    }
}
