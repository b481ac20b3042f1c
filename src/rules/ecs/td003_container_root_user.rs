//! TD003 `container-root-user`. Docs, level and peers: `rules/TD003.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::dockerfile::is_root_user;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each container whose `user` is uid 0 (`root`, `0`, `0:0`, `root:x`, `+0`, the
/// matcher DF001 and IC001 share) as an error, and one with no `user` as a note: it runs as
/// the image's user, which only a scan of the image can tell. In host network mode a
/// container with no `user` is a warning (root there is root in the instance's network
/// stack; Security Hub's former ECS.1 and Prowler fail it), unless it is privileged, which TD001
/// reports. Windows task definitions are judged by their administrator account.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    let windows = td.is_windows();
    let host = !windows && td.network_mode.as_deref() == Some("host");
    let in_host = if host { " in the host's network" } else { "" };
    // Windows has no uid 0: its administrator inside the container is `ContainerAdministrator`
    // (Security Hub's ECS.21), the default of Server Core images (Nano Server's is
    // `ContainerUser`).
    let (admin, default): (fn(&str) -> bool, &str) = if windows {
        (
            |u| u.trim().eq_ignore_ascii_case("ContainerAdministrator"),
            "`ContainerAdministrator` in Windows Server Core images",
        )
    } else {
        (
            is_root_user,
            "unknown until the image is scanned (`hullscan ecs` without `--no-images`, or `hullscan scan IMAGE`)",
        )
    };
    for c in &td.containers {
        let f = match c.user.as_deref() {
            Some(u) if admin(u) => Finding::new(
                RuleId::TD003,
                if windows {
                    format!(
                        "{} runs as the container's administrator (`user` is `{u}`)",
                        super::who(td, c)
                    )
                } else {
                    format!(
                        "{} runs as root{in_host} (`user` is `{u}`)",
                        super::who(td, c)
                    )
                },
            )
            .at_task_definition(td, &c.field("user"))
            .with_level(RuleId::TD003.meta().grade("root")),
            Some(_) => continue,
            None if c.has("user") => continue,
            None => Finding::new(
                RuleId::TD003,
                format!(
                    "{} sets no `user`{in_host}: it runs as the image's user, {default}",
                    super::who(td, c)
                ),
            )
            .at_task_definition(td, &c.pointer)
            .with_level(RuleId::TD003.meta().grade(
                if host && c.privileged != Some(true) {
                    "unset-host"
                } else {
                    "unset"
                },
            )),
        };
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{one, run};
    use crate::rules::Level;

    #[test]
    fn root() {
        for u in ["root", "0", "0:0", "root:app", "+0"] {
            let f = run(super::check, &one(&format!(r#""user": "{u}""#)));
            assert_eq!(f.len(), 1, "{u}");
            assert_eq!(f[0].level, Level::Error, "{u}");
        }
        let f = run(super::check, &one(""));
        assert_eq!(f[0].level, Level::Note);
        // Without the image, the user is unknown, not root.
        assert!(
            f[0].message.contains("unknown until the image is scanned"),
            "{f:?}"
        );
        assert!(!f[0].message.contains("root"), "{f:?}");
    }

    #[test]
    fn windows_administrator() {
        let td = super::super::testing::windows;
        let f = run(super::check, &td(r#""user": "containeradministrator""#));
        assert_eq!(f[0].level, Level::Error, "{f:?}");
        assert_eq!(run(super::check, &td(""))[0].level, Level::Note);
        // `root` means nothing to Windows; `ContainerUser` is the unprivileged account.
        assert!(run(super::check, &td(r#""user": "root""#)).is_empty());
        assert!(run(super::check, &td(r#""user": "ContainerUser""#)).is_empty());
    }

    #[test]
    fn no_user_in_host_network_mode() {
        let td = |fields: &str| {
            one(fields).replacen(
                r#""family": "app","#,
                r#""family": "app", "networkMode": "host","#,
                1,
            )
        };
        let f = run(super::check, &td(""));
        assert_eq!(f[0].level, Level::Warning, "{f:?}");
        assert!(f[0].message.contains("host's network"), "{f:?}");
        // Privileged is TD001's error; a user set is fine.
        let f = run(super::check, &td(r#""privileged": true"#));
        assert_eq!(f[0].level, Level::Note);
        assert!(run(super::check, &td(r#""user": "app""#)).is_empty());
    }

    #[test]
    fn not_root() {
        assert!(run(super::check, &one(r#""user": "1000:1000""#)).is_empty());
        assert!(run(super::check, &one(r#""user": "app""#)).is_empty());
    }
}
