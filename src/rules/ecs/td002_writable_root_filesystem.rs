//! TD002 `writable-root-filesystem`. Docs, level and peers: `rules/TD002.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each container whose root filesystem is writable (`readonlyRootFilesystem` false
/// or absent); a value that is not a literal (a template parameter) stays unjudged. Windows
/// containers cannot have a read-only root filesystem.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    if td.is_windows() {
        return;
    }
    for c in &td.containers {
        let (how, at) = match c.readonly_root {
            Some(true) => continue,
            Some(false) => ("is false", c.field("readonlyRootFilesystem")),
            None if c.has("readonlyRootFilesystem") => continue,
            None => ("is not set", c.pointer.clone()),
        };
        out.push(
            Finding::new(
                RuleId::TD002,
                format!(
                    "{} can write to its root filesystem (`readonlyRootFilesystem` {how})",
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
    fn writable() {
        assert_eq!(run(super::check, &one("")).len(), 1);
        let f = run(super::check, &one(r#""readonlyRootFilesystem": false"#));
        assert!(f[0].message.contains("is false"));
    }

    #[test]
    fn read_only_or_unknown() {
        assert!(run(super::check, &one(r#""readonlyRootFilesystem": true"#)).is_empty());
        assert!(
            run(
                super::check,
                &one(r#""readonlyRootFilesystem": {"Ref": "Ro"}"#)
            )
            .is_empty()
        );
        // Windows containers cannot have one.
        assert!(run(super::check, &windows("")).is_empty());
    }
}
