//! Task definition rules (`TD`): how ECS will run a container, from the task definition a
//! team keeps next to its code, checked against AWS's ECS best-practices guide.

pub mod td001_privileged_container;
pub mod td002_writable_root_filesystem;
pub mod td003_container_root_user;
pub mod td004_host_network_mode;
pub mod td005_host_namespace;
pub mod td006_added_capabilities;
pub mod td007_sensitive_host_mount;
pub mod td008_secret_in_environment;
pub mod td009_container_logging_missing;
pub mod td010_image_without_digest;
pub mod td011_efs_transit_unencrypted;
pub mod td012_host_device;
pub mod td013_confinement_disabled;
pub mod td014_host_system_controls;
pub mod td015_task_image_untrusted_registry;
pub mod td016_fargate_unsupported_setting;
pub mod td017_container_shell_missing;
pub mod td018_capabilities_not_dropped;
pub mod td019_service_public_ip;
pub mod td020_bridge_network_mode;
pub mod td021_task_role_is_execution_role;
pub mod td022_resolved_secret_in_environment;
pub mod td023_efs_without_iam_authorization;
pub mod td024_log_driver_plaintext_network;

use crate::ecs::{Container, TaskDefinition};

/// How messages name a container: ``container `web` of `app` ``.
pub(crate) fn who(td: &TaskDefinition, c: &Container) -> String {
    format!("container `{}` of `{}`", c.name, td.name)
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::ecs::TaskDefinition;
    use crate::rules::{Finding, Findings, RuleContext};

    /// Runs `check` on every task definition in `json`.
    pub(crate) fn run(
        check: fn(&TaskDefinition, &RuleContext<'_>, &mut Findings),
        json: &str,
    ) -> Vec<Finding> {
        let key = crate::secrets::Key::derive(b"test");
        let tds = crate::ecs::parse("task.json", json, &key)
            .expect("task definition")
            .tasks;
        let mut out = Findings::default();
        for td in &tds {
            check(td, &RuleContext::default(), &mut out);
        }
        out.0
    }

    /// [`one`] for a Windows task.
    pub(crate) fn windows(fields: &str) -> String {
        one(fields).replacen(
            r#""family": "app","#,
            r#""family": "app", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"},"#,
            1,
        )
    }

    /// A register-task-definition document with one container holding `fields`.
    pub(crate) fn one(fields: &str) -> String {
        format!(
            r#"{{"family": "app", "containerDefinitions": [{{"name": "web", "image": "x@sha256:{}"{}{fields}}}]}}"#,
            "0".repeat(64),
            if fields.is_empty() { "" } else { ", " }
        )
    }
}
