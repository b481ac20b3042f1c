//! TD006 `added-capabilities`. Docs, level and peers: `rules/TD006.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Capabilities that hand a container the host, or the means to break out to it.
const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "NET_ADMIN",
    "DAC_READ_SEARCH",
    "BPF",
    "PERFMON",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "SYSLOG",
];

/// Reports each dangerous capability a container adds (`linuxParameters.capabilities.add`),
/// spelled with or without the `CAP_` prefix, in any case.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for c in &td.containers {
        for cap in &c.cap_add {
            let bare = cap.trim().to_ascii_uppercase();
            let bare = bare.strip_prefix("CAP_").unwrap_or(&bare);
            if DANGEROUS.contains(&bare) {
                out.push(
                    Finding::new(
                        RuleId::TD006,
                        format!("{} adds capability `{bare}`", super::who(td, c)),
                    )
                    .at_task_definition(td, &c.field("linuxParameters"))
                    .evidence("capability", bare.to_string()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{one, run};

    #[test]
    fn dangerous() {
        let f = run(
            super::check,
            &one(
                r#""linuxParameters": {"capabilities": {"add": ["SYS_ADMIN", "cap_net_admin", "CHOWN"]}}"#,
            ),
        );
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn harmless_or_dropped() {
        let f = run(
            super::check,
            &one(
                r#""linuxParameters": {"capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]}}"#,
            ),
        );
        assert!(f.is_empty());
    }
}
