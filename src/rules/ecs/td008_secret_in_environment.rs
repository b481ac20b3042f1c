//! TD008 `secret-in-environment`. Docs, level and peers: `rules/TD008.toml`.

use crate::ecs::TaskDefinition;
use crate::image::secrets::NAMED;
use crate::rules::{Finding, Findings, RuleContext, RuleId};
use crate::secrets::detector;

/// Reports each `environment` variable whose value is a secret, by the detector DF010 and
/// IC003 use (a token's format, or a secret-like name holding a real-looking value). The value
/// is never shown: the kind, a masked preview and a keyed fingerprint.
pub(crate) fn check(td: &TaskDefinition, cx: &RuleContext<'_>, out: &mut Findings) {
    for c in &td.containers {
        for (name, hit) in &c.env_secrets {
            if cx.settings.secret_allowed(&hit.kind, None) {
                continue;
            }
            let what = match detector().kind(&hit.kind) {
                Some(k) => format!("what looks like {}", k.name),
                None if hit.kind == NAMED => "a secret".to_string(),
                None => continue,
            };
            let f = Finding::new(
                RuleId::TD008,
                format!(
                    "{} sets `{name}` in `environment` to {what} (`{}`)",
                    super::who(td, c),
                    hit.preview
                ),
            )
            .at_task_definition(td, &c.env_entry(name))
            .evidence("name", name.clone());
            let mut f = crate::rules::image::with_secret(f, hit);
            f.anchor = format!("{} {} environment {name} {}", td.name, c.name, hit.kind);
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{one, run};
    use crate::secrets::synthetic;

    #[test]
    fn secret_values() {
        let token = synthetic::checksummed("ghp_", 7);
        let f = run(
            super::check,
            &one(&format!(
                r#""environment": [{{"name": "GH", "value": "{token}"}}]"#
            )),
        );
        assert_eq!(f.len(), 1);
        assert!(!f[0].message.contains(&token));
    }

    #[test]
    fn plain_values() {
        let f = run(
            super::check,
            &one(
                r#""environment": [{"name": "PORT", "value": "8080"}, {"name": "DB_PASSWORD", "value": "${DB_PASSWORD}"},
                   {"name": "SPLUNK_ACCESS_TOKEN", "value": "MY_SPLUNK_ACCESS_TOKEN"}]"#,
            ),
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
