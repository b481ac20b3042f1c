//! TD018 `capabilities-not-dropped`. Docs, level and peers: `rules/TD018.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each container that keeps the engine's default capabilities: no `ALL` in
/// `linuxParameters.capabilities.drop` (with or without `CAP_`, any case). Privileged
/// containers are TD001's; a `drop` that is not a literal list is not judged; Windows
/// containers have no Linux capabilities.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    if td.is_windows() {
        return;
    }
    for c in &td.containers {
        let all = c.cap_drop.iter().any(|d| {
            let d = d.trim().to_ascii_uppercase();
            d == "ALL" || d == "CAP_ALL"
        });
        if all || c.privileged == Some(true) || (c.cap_drop.is_empty() && c.has_drop) {
            continue;
        }
        let at = if c.has("linuxParameters") {
            c.field("linuxParameters")
        } else {
            c.pointer.clone()
        };
        out.push(
            Finding::new(
                RuleId::TD018,
                format!(
                    "{} keeps the engine's default capabilities (no `drop: [\"ALL\"]`)",
                    super::who(td, c)
                ),
            )
            .at_task_definition(td, &at),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{one, run, windows};

    #[test]
    fn defaults_kept() {
        assert_eq!(run(super::check, &one("")).len(), 1);
        let f = run(
            super::check,
            &one(r#""linuxParameters": {"capabilities": {"drop": ["NET_RAW"]}}"#),
        );
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn all_dropped_or_privileged() {
        for fields in [
            r#""linuxParameters": {"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}}"#,
            r#""linuxParameters": {"capabilities": {"drop": ["cap_all"]}}"#,
            r#""privileged": true"#,
            r#""linuxParameters": {"capabilities": {"drop": {"Ref": "Caps"}}}"#,
        ] {
            assert!(run(super::check, &one(fields)).is_empty(), "{fields}");
        }
        assert!(run(super::check, &windows("")).is_empty());
    }
}
