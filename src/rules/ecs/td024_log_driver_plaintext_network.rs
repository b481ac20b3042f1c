//! TD024 `log-driver-plaintext-network`. Docs, level and peers: `rules/TD024.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each container whose log driver ships over the network without TLS: `gelf` (UDP
/// or TCP, no TLS in Docker's driver), `syslog` with a `udp://` or `tcp://` address. Syslog to
/// the local socket, `tcp+tls://`, and `fluentd` (its transport is the forwarder's) are left
/// alone.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for c in &td.containers {
        let Some(driver) = c.log_driver.as_deref() else {
            continue;
        };
        let option = |k: &str| {
            c.log_options
                .iter()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.as_str())
        };
        let what = match driver {
            "gelf" => format!(
                "the `gelf` log driver{}, which has no encryption",
                option("gelf-address").map_or(String::new(), |a| format!(" (`{a}`)"))
            ),
            "syslog" => match option("syslog-address") {
                Some(a)
                    if a.to_ascii_lowercase().starts_with("udp://")
                        || a.to_ascii_lowercase().starts_with("tcp://") =>
                {
                    format!("`syslog` to `{a}`, in clear")
                }
                _ => continue,
            },
            _ => continue,
        };
        out.push(
            Finding::new(
                RuleId::TD024,
                format!(
                    "{} ships its logs over the network with {what}",
                    super::who(td, c)
                ),
            )
            .at_task_definition(td, &c.field("logConfiguration")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{one, run};

    #[test]
    fn plaintext() {
        for log in [
            r#"{"logDriver": "gelf", "options": {"gelf-address": "udp://logs:12201"}}"#,
            r#"{"logDriver": "syslog", "options": {"syslog-address": "udp://10.0.0.1:514"}}"#,
            r#"{"logDriver": "syslog", "options": {"syslog-address": "tcp://10.0.0.1:514"}}"#,
        ] {
            let f = run(super::check, &one(&format!(r#""logConfiguration": {log}"#)));
            assert_eq!(f.len(), 1, "{log}");
        }
    }

    #[test]
    fn tls_local_or_unsure() {
        for log in [
            r#"{"logDriver": "awslogs", "options": {"awslogs-group": "g"}}"#,
            r#"{"logDriver": "syslog"}"#,
            r#"{"logDriver": "syslog", "options": {"syslog-address": "tcp+tls://logs:6514"}}"#,
            r#"{"logDriver": "syslog", "options": {"syslog-address": "unix:///dev/log"}}"#,
            r#"{"logDriver": "fluentd", "options": {"fluentd-address": "logs:24224"}}"#,
        ] {
            let f = run(super::check, &one(&format!(r#""logConfiguration": {log}"#)));
            assert!(f.is_empty(), "{log}");
        }
    }
}
