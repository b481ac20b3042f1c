//! TD019 `service-public-ip`. Docs, level and peers: `rules/TD019.toml`.

use crate::ecs::Service;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a service whose `assignPublicIp` is `ENABLED` (Terraform's `true`). Unset is
/// `DISABLED`; a reference is unknown and left alone. ECS gives public addresses only to
/// Fargate tasks: with the `EC2` or `EXTERNAL` launch type the setting is refused, not applied.
pub(crate) fn check(s: &Service, _cx: &RuleContext<'_>, out: &mut Findings) {
    let not_fargate = s
        .launch_type
        .as_deref()
        .is_some_and(|l| l.eq_ignore_ascii_case("EC2") || l.eq_ignore_ascii_case("EXTERNAL"));
    if s.assign_public_ip.as_deref() == Some("ENABLED") && !not_fargate {
        out.push(
            Finding::new(
                RuleId::TD019,
                format!(
                    "service `{}` gives its tasks public IP addresses (`assignPublicIp` is enabled)",
                    s.name
                ),
            )
            .at_service(s, &s.assign_public_ip_at),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Findings, RuleContext};

    fn run(text: &str, file: &str) -> Vec<(u32, String)> {
        let key = crate::secrets::Key::derive(b"test");
        let parsed = crate::ecs::parse(file, text, &key).expect("service");
        let mut out = Findings::default();
        for s in &parsed.services {
            super::check(s, &RuleContext::default(), &mut out);
        }
        out.0
            .iter()
            .map(|f| (f.start_line(), f.message.clone()))
            .collect()
    }

    #[test]
    fn enabled_in_every_form() {
        let api = "{\"serviceName\": \"web\", \"networkConfiguration\": {\"awsvpcConfiguration\": {\n  \"subnets\": [\"s\"],\n  \"assignPublicIp\": \"ENABLED\"}}}";
        assert_eq!(run(api, "svc.json")[0].0, 3);
        let described = format!("{{\"services\": [{api}], \"failures\": []}}");
        assert_eq!(run(&described, "d.json").len(), 1);
        let cfn = "Resources:\n  Svc:\n    Type: AWS::ECS::Service\n    Properties:\n      NetworkConfiguration:\n        AwsvpcConfiguration:\n          AssignPublicIp: ENABLED\n";
        assert_eq!(run(cfn, "t.yaml")[0].0, 7);
        let tf = "resource \"aws_ecs_service\" \"web\" {\n  name = \"web\"\n  network_configuration {\n    subnets = var.subnets\n    assign_public_ip = true\n  }\n}\n";
        let f = run(tf, "main.tf");
        assert_eq!(f[0].0, 5, "{f:?}");
        assert!(f[0].1.contains("aws_ecs_service.web"));
    }

    #[test]
    fn disabled_unset_or_unknown() {
        let api = r#"{"serviceName": "web", "networkConfiguration": {"awsvpcConfiguration": {"assignPublicIp": "DISABLED"}}}"#;
        assert!(run(api, "s.json").is_empty());
        assert!(run(r#"{"serviceName": "web"}"#, "s.json").is_empty());
        let cfn = "Resources:\n  Svc:\n    Type: AWS::ECS::Service\n    Properties:\n      NetworkConfiguration:\n        AwsvpcConfiguration:\n          AssignPublicIp: !If [Public, ENABLED, DISABLED]\n";
        assert!(run(cfn, "t.yaml").is_empty());
        let tf = "resource \"aws_ecs_service\" \"web\" {\n  network_configuration {\n    assign_public_ip = var.public\n  }\n}\n";
        assert!(run(tf, "main.tf").is_empty());
        // Keys are exact: the API's spelling is not CloudFormation's.
        let wrong = "Resources:\n  Svc:\n    Type: AWS::ECS::Service\n    Properties:\n      networkConfiguration:\n        awsvpcConfiguration:\n          assignPublicIp: ENABLED\n";
        assert!(run(wrong, "t.yaml").is_empty());
    }

    #[test]
    fn ec2_services_and_run_task_inputs_are_not_judged() {
        // ECS refuses a public IP for the EC2 launch type: the setting does nothing.
        let ec2 = r#"{"serviceName": "web", "launchType": "EC2", "networkConfiguration": {"awsvpcConfiguration": {"assignPublicIp": "ENABLED"}}}"#;
        assert!(run(ec2, "svc.json").is_empty());
        // A run-task input is a one-off task, not a service.
        let key = crate::secrets::Key::derive(b"test");
        let task = r#"{"cluster": "default", "taskDefinition": "t:4", "launchType": "FARGATE", "networkConfiguration": {"awsvpcConfiguration": {"assignPublicIp": "ENABLED"}}}"#;
        assert!(crate::ecs::parse("runtask.json", task, &key).is_err());
    }
}
