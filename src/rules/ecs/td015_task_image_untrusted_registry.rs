//! TD015 `task-image-untrusted-registry`. Docs, level and peers: `rules/TD015.toml`.

use crate::ecs::TaskDefinition;
use crate::reference::ImageRef;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports container images from outside `dockerfile.allowed-registries` (the list DF016
/// reads). Silent when no list is configured, and for images with template variables.
pub(crate) fn check(td: &TaskDefinition, cx: &RuleContext<'_>, out: &mut Findings) {
    let allowed = &cx.settings.allowed_registries;
    if allowed.is_empty() {
        return;
    }
    for c in &td.containers {
        let Some(image) = c
            .image
            .as_deref()
            .filter(|i| !i.contains('$') && !i.contains("{{"))
        else {
            continue;
        };
        let Some(r) = ImageRef::parse(image) else {
            continue;
        };
        if !cx.settings.registry_allowed(&r) {
            out.push(
                Finding::new(
                    RuleId::TD015,
                    format!(
                        "{} runs `{image}` from `{}`, which `allowed-registries` does not list",
                        super::who(td, c),
                        r.registry
                    ),
                )
                .at_task_definition(td, &c.field("image"))
                .evidence("registry", r.registry.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ecs::TaskDefinition;
    use crate::rules::{Findings, RuleContext, Settings};

    fn run(image: &str) -> Vec<crate::rules::Finding> {
        let settings = Settings {
            allowed_registries: vec!["123456789012.dkr.ecr.eu-west-1.amazonaws.com".into()],
            ..Settings::default()
        };
        let json = format!(
            r#"{{"family": "a", "containerDefinitions": [{{"name": "c", "image": "{image}"}}]}}"#
        );
        let key = crate::secrets::Key::derive(b"t");
        let tds: Vec<TaskDefinition> = crate::ecs::parse("t.json", &json, &key).unwrap().tasks;
        let mut out = Findings::default();
        super::check(
            &tds[0],
            &RuleContext {
                settings: &settings,
            },
            &mut out,
        );
        out.0
    }

    #[test]
    fn outside() {
        assert_eq!(run("nginx:1").len(), 1);
        assert_eq!(run("ghcr.io/a/b:1").len(), 1);
    }

    #[test]
    fn inside_or_templated() {
        assert!(run("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1").is_empty());
        assert!(run("${REGISTRY}/app:1").is_empty());
    }
}
