//! TD004 `host-network-mode`. Docs, level and peers: `rules/TD004.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a task definition with `networkMode: host`: its containers share the instance's
/// network stack (and reach the instance metadata service and every host port).
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    if td.network_mode.as_deref() == Some("host") {
        out.push(
            Finding::new(
                RuleId::TD004,
                format!(
                    "task definition `{}` uses the host's network (`networkMode` is `host`)",
                    td.name
                ),
            )
            .at_task_definition(td, &td.field("networkMode")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    #[test]
    fn host() {
        let f = run(
            super::check,
            r#"{"family": "a", "networkMode": "host", "containerDefinitions": []}"#,
        );
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn awsvpc() {
        let f = run(
            super::check,
            r#"{"family": "a", "networkMode": "awsvpc", "containerDefinitions": []}"#,
        );
        assert!(f.is_empty());
    }
}
