//! The four file formats read the same, and pointers find their lines.

use super::*;

fn key() -> Key {
    Key::derive(b"test")
}

const REGISTER: &str = r#"{
  "family": "web",
  "networkMode": "host",
  "containerDefinitions": [
    {
      "name": "app",
      "image": "app:1",
      "privileged": true
    }
  ]
}"#;

#[test]
fn register_and_describe() {
    let tds = parse("td.json", REGISTER, &key()).unwrap();
    assert_eq!(tds.len(), 1);
    let td = &tds[0];
    assert_eq!(td.name, "web");
    assert_eq!(td.network_mode.as_deref(), Some("host"));
    assert_eq!(td.line(&td.field("networkMode")), 3);
    let c = &td.containers[0];
    assert_eq!(c.privileged, Some(true));
    assert_eq!(td.line(&c.field("privileged")), 8);
    assert_eq!(td.line(&c.pointer), 5);
    // describe-task-definition output: the same, one level down.
    let wrapped = format!("{{\"taskDefinition\": {REGISTER}, \"tags\": []}}");
    let d = parse("d.json", &wrapped, &key()).unwrap();
    assert_eq!(d[0].containers[0].privileged, Some(true));
    assert_eq!(d[0].line(&d[0].containers[0].field("privileged")), 8);
}

#[test]
fn cloudformation() {
    let cfn = r#"{
  "Resources": {
    "Task": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "PidMode": "host",
        "ContainerDefinitions": [
          {"Name": "app", "Image": {"Ref": "Image"}, "ReadonlyRootFilesystem": "true",
           "User": "0"}
        ]
      }
    },
    "Other": {"Type": "AWS::S3::Bucket"}
  }
}"#;
    let tds = parse("t.json", cfn, &key()).unwrap();
    assert_eq!(tds.len(), 1);
    let td = &tds[0];
    assert_eq!(td.name, "Task");
    assert_eq!(td.pid_mode.as_deref(), Some("host"));
    assert_eq!(td.line(&td.field("pidMode")), 6);
    let c = &td.containers[0];
    assert_eq!(c.image, None, "a Ref is not a literal");
    assert_eq!(c.readonly_root, Some(true));
    assert_eq!(c.user.as_deref(), Some("0"));
    assert_eq!(td.line(&c.field("user")), 9);
}

#[test]
fn cloudformation_yaml() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: !If [UseHost, host, awsvpc]
      PidMode: host
      ContainerDefinitions:
        - Name: app
          Image: !Sub '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:${Tag}'
          Privileged: true
          ReadonlyRootFilesystem: 'true'
";
    let tds = parse("t.yaml", text, &key()).unwrap();
    let td = &tds[0];
    assert_eq!(td.name, "Task");
    assert_eq!(td.network_mode, None, "an !If is not a literal");
    assert_eq!(td.pid_mode.as_deref(), Some("host"));
    assert_eq!(td.line(&td.field("pidMode")), 7);
    let c = &td.containers[0];
    assert_eq!(c.image, None);
    assert_eq!(c.privileged, Some(true));
    assert_eq!(c.readonly_root, Some(true));
    assert_eq!(td.line(&c.field("privileged")), 11);
}

#[test]
fn terraform_plan() {
    let defs = serde_json::to_string(
        r#"[{"name": "app", "image": "nginx", "privileged": true, "environment": [{"name": "A", "value": "b"}]}]"#,
    )
    .unwrap();
    let plan = format!(
        r#"{{"format_version": "1.2",
"planned_values": {{"root_module": {{"child_modules": [{{"resources": [
  {{"address": "module.svc.aws_ecs_task_definition.this", "type": "aws_ecs_task_definition",
    "values": {{"family": "svc", "network_mode": "awsvpc",
      "container_definitions": {defs},
      "volume": [{{"name": "d", "efs_volume_configuration": [{{"file_system_id": "fs-1", "transit_encryption": "DISABLED"}}]}}]}}}}
]}}]}}}}}}"#
    );
    let tds = parse("plan.json", &plan, &key()).unwrap();
    assert_eq!(tds.len(), 1);
    let td = &tds[0];
    assert_eq!(td.name, "module.svc.aws_ecs_task_definition.this");
    assert_eq!(td.network_mode.as_deref(), Some("awsvpc"));
    let c = &td.containers[0];
    assert_eq!(c.privileged, Some(true));
    // Inside the string: the string's own line.
    assert_eq!(td.line(&c.field("privileged")), 5);
    assert!(td.volumes[0].efs);
    assert_eq!(td.volumes[0].efs_transit.as_deref(), Some("DISABLED"));
}

#[test]
fn other_json_and_garbage() {
    assert!(matches!(
        parse("x.json", r#"{"a": 1}"#, &key()),
        Err(EcsError::Empty { .. })
    ));
    assert!(matches!(
        parse("x.yaml", "Resources:\n  A: 1\n", &key()),
        Err(EcsError::Empty { .. })
    ));
    for bad in ["{\"a\": ", "a: [", "key: value\n  - broken: [\n"] {
        assert!(
            matches!(parse("x", bad, &key()), Err(EcsError::Json { .. })),
            "{bad}"
        );
    }
}

/// Console exports spell every unset field as `null`: unset, not unreadable.
#[test]
fn null_fields_are_unset() {
    let key = crate::secrets::Key::derive(b"test");
    let text = r#"{"family": "f", "volumes": [{"name": "v", "efsVolumeConfiguration": null, "host": null}],
      "containerDefinitions": [{"name": "c", "image": "x", "user": null, "readonlyRootFilesystem": null,
      "logConfiguration": null, "linuxParameters": null, "healthCheck": null}]}"#;
    let tds = super::parse("td.json", text, &key).expect("parses");
    let c = &tds[0].containers[0];
    assert!(c.user.is_none() && !c.has("user") && !c.has("readonlyRootFilesystem"));
    assert!(!c.logging && c.health_check.is_none());
    assert!(!tds[0].volumes[0].efs && tds[0].volumes[0].host_path.is_none());
}
