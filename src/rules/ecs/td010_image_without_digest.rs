//! TD010 `image-without-digest`. Docs, level and peers: `rules/TD010.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each container whose `image` names no digest: what runs is whatever the tag points
/// at when the task starts. A value with a template variable (`${TAG}`, `{{...}}`) stays
/// unjudged: the pipeline fills it in.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for c in &td.containers {
        let Some(image) = c.image.as_deref() else {
            continue;
        };
        if image.contains("@sha256:")
            || image.contains('$')
            || image.contains("{{")
            || image.is_empty()
        {
            continue;
        }
        let Some(reference) = crate::reference::ImageRef::parse(image) else {
            continue;
        };
        let how = match reference.tag.as_deref() {
            None | Some("latest") => "the mutable `latest` tag".to_string(),
            Some(t) => format!("tag `{t}`, which can be moved"),
        };
        out.push(
            Finding::new(
                RuleId::TD010,
                format!(
                    "{} runs `{image}` by {how}, not by digest",
                    super::who(td, c)
                ),
            )
            .at_task_definition(td, &c.field("image")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    fn td(image: &str) -> String {
        format!(
            r#"{{"family": "a", "containerDefinitions": [{{"name": "c", "image": "{image}"}}]}}"#
        )
    }

    #[test]
    fn tags() {
        assert!(
            run(super::check, &td("nginx"))[0]
                .message
                .contains("`latest`")
        );
        assert!(
            run(
                super::check,
                &td("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1")
            )[0]
            .message
            .contains("tag `v1`")
        );
    }

    #[test]
    fn digests_and_templates() {
        let digest = format!("app@sha256:{}", "a".repeat(64));
        assert!(run(super::check, &td(&digest)).is_empty());
        assert!(run(super::check, &td("app:${TAG}")).is_empty());
    }
}
