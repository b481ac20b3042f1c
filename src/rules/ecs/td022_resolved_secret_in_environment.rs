//! TD022 `resolved-secret-in-environment`. Docs, level and peers: `rules/TD022.toml`.

use crate::ecs::TaskDefinition;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports each `environment` variable whose value holds a `{{resolve:secretsmanager:…}}` or
/// `{{resolve:ssm-secure:…}}` dynamic reference: resolved at deploy, stored in clear.
pub(crate) fn check(td: &TaskDefinition, _cx: &RuleContext<'_>, out: &mut Findings) {
    for c in &td.containers {
        for (name, kind) in &c.env_resolved {
            let what = if kind == "ssm-secure" {
                "a `{{resolve:ssm-secure:…}}` reference (not supported here; the value belongs in `Secrets`)"
            } else {
                "a `{{resolve:secretsmanager:…}}` reference: CloudFormation writes the secret's value in clear into the task definition"
            };
            out.push(
                Finding::new(
                    RuleId::TD022,
                    format!(
                        "{} sets `{name}` in `environment` to {what}",
                        super::who(td, c)
                    ),
                )
                .at_task_definition(td, &c.env_entry(name))
                .evidence("name", name.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Findings, RuleContext};

    fn run(text: &str) -> Vec<u32> {
        let key = crate::secrets::Key::derive(b"test");
        let tds = crate::ecs::parse("t.yaml", text, &key).unwrap().tasks;
        let mut out = Findings::default();
        super::check(&tds[0], &RuleContext::default(), &mut out);
        out.0
            .iter()
            .map(crate::rules::Finding::start_line)
            .collect()
    }

    #[test]
    fn resolved_in_environment() {
        let t = "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Environment:\n            - Name: PORT\n              Value: '80'\n            - Name: DB_PASSWORD\n              Value: '{{resolve:secretsmanager:prod/db:SecretString:password}}'\n            - Name: URL\n              Value: !Sub 'postgres://u:{{resolve:secretsmanager:${Db}:SecretString:password}}@db'\n";
        assert_eq!(run(t), [10, 12]);
    }

    #[test]
    fn secrets_and_plain_values() {
        let t = "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Environment:\n            - Name: REGION\n              Value: '{{resolve:ssm:/app/region}}'\n          Secrets:\n            - Name: DB_PASSWORD\n              ValueFrom: !Ref Secret\n";
        assert!(run(t).is_empty());
    }
}
