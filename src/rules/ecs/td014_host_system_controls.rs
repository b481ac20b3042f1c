//! TD014 `host-system-controls`. Docs, level and peers: `rules/TD014.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Sysctls namespaced with IPC: set from a task in `ipcMode: host`, they change the host.
fn ipc_sysctl(name: &str) -> bool {
    name.starts_with("kernel.shm")
        || name.starts_with("kernel.msg")
        || name == "kernel.sem"
        || name.starts_with("fs.mqueue.")
}

/// Reports each `systemControls` entry that changes the host rather than the task: `net.*`
/// in `host` network mode, IPC sysctls in `host` IPC mode.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    let host_net = td.network_mode.as_deref() == Some("host");
    let host_ipc = td.ipc_mode.as_deref() == Some("host");
    for c in &td.containers {
        for s in &c.sysctls {
            let how = if host_net && s.starts_with("net.") {
                "network mode"
            } else if host_ipc && ipc_sysctl(s) {
                "IPC mode"
            } else {
                continue;
            };
            out.push(
                Finding::new(
                    RuleId::TD014,
                    format!(
                        "{} sets `{s}`, which changes the host in `host` {how}",
                        super::who(td, c)
                    ),
                )
                .at_task_definition(td, &c.field("systemControls"))
                .evidence("sysctl", s.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    fn td(mode: &str, sysctl: &str) -> String {
        format!(
            r#"{{"family": "a", {mode} "containerDefinitions": [{{"name": "c", "systemControls": [{{"namespace": "{sysctl}", "value": "1"}}]}}]}}"#
        )
    }

    #[test]
    fn host_modes() {
        assert_eq!(
            run(
                super::check,
                &td(r#""networkMode": "host","#, "net.ipv4.ip_forward")
            )
            .len(),
            1
        );
        assert_eq!(
            run(super::check, &td(r#""ipcMode": "host","#, "kernel.shmmax")).len(),
            1
        );
    }

    #[test]
    fn task_modes() {
        assert!(
            run(
                super::check,
                &td(r#""networkMode": "awsvpc","#, "net.ipv4.ip_forward")
            )
            .is_empty()
        );
        assert!(
            run(
                super::check,
                &td(r#""ipcMode": "host","#, "net.core.somaxconn")
            )
            .is_empty()
        );
    }
}
