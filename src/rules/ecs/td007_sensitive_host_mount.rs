//! TD007 `sensitive-host-mount`. Docs, level and peers: `rules/TD007.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Host paths whose mount gives a container the host: the engine sockets, the root, and the
/// kernel's and the host's configuration.
const SENSITIVE: &[&str] = &[
    "/etc/ecs",
    "/",
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run",
    "/run",
    "/run/containerd",
    "/var/run/containerd",
    "/var/lib/docker",
    "/proc",
    "/sys",
    "/etc",
    "/root",
    "/boot",
    "/dev",
];

/// A host path normalised (`//var/run/` → `/var/run`); sensitive when it is listed, or below
/// `/proc`, `/sys`, `/dev`, a container runtime's socket or data directory, the ECS agent's,
/// `/root` or `/boot`.
fn sensitive(path: &str) -> Option<String> {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return Some(path.to_string());
    }
    let p = format!("/{}", parts.join("/"));
    let below = |root: &str| p.starts_with(&format!("{root}/"));
    (SENSITIVE.contains(&p.as_str())
        || [
            "/proc",
            "/sys",
            "/dev",
            "/run/containerd",
            "/var/run/containerd",
            // Every container's layers and volumes; the ECS agent's state and its config
            // (which can hold registry credentials); root's home (`.ssh`, `.aws`).
            "/var/lib/docker",
            "/var/lib/containerd",
            "/var/lib/ecs",
            "/etc/ecs",
            "/root",
            "/boot",
        ]
        .iter()
        .any(|r| below(r))
        || std::path::Path::new(&p)
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("sock")))
    .then_some(p)
}

/// Reports each container mount of a host volume whose source path is sensitive.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for v in &td.volumes {
        let Some(host) = v.host_path.as_deref().and_then(sensitive) else {
            continue;
        };
        for c in &td.containers {
            for (src, path) in &c.mounts {
                if *src == v.name {
                    out.push(
                        Finding::new(
                            RuleId::TD007,
                            format!(
                                "{} mounts the host's `{host}` at `{path}`",
                                super::who(td, c)
                            ),
                        )
                        .at_task_definition(td, &v.pointer)
                        .evidence("host_path", host.clone()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    fn td(host: &str) -> String {
        format!(
            r#"{{"family": "a", "volumes": [{{"name": "v", "host": {{"sourcePath": "{host}"}}}}],
               "containerDefinitions": [{{"name": "c", "mountPoints": [{{"sourceVolume": "v", "containerPath": "/x"}}]}}]}}"#
        )
    }

    #[test]
    fn sensitive_paths() {
        for p in [
            "/var/run/docker.sock",
            "//var/run/",
            "/",
            "/proc/sys",
            "/etc",
            "/run/containerd/containerd.sock",
            "/var/lib/docker/vfs/dir/",
            "/var/lib/ecs/data",
            "/etc/ecs/ecs.config",
            "/root/.aws",
        ] {
            assert_eq!(run(super::check, &td(p)).len(), 1, "{p}");
        }
    }

    #[test]
    fn data_paths() {
        for p in [
            "/data",
            "/var/log/app",
            "/etc2",
            "/opt/cache",
            "/var/lib/dockerd-data",
            "/etc/ssl/certs",
        ] {
            assert!(run(super::check, &td(p)).is_empty(), "{p}");
        }
    }
}
