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
    let tds = parse("td.json", REGISTER, &key()).unwrap().tasks;
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
    let d = parse("d.json", &wrapped, &key()).unwrap().tasks;
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
    let tds = parse("t.json", cfn, &key()).unwrap().tasks;
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
    let tds = parse("t.yaml", text, &key()).unwrap().tasks;
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
    let tds = parse("plan.json", &plan, &key()).unwrap().tasks;
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
    for (file, text) in [
        ("x.json", r#"{"a": 1}"#),
        ("x.yaml", "Resources:\n  A: 1\n"),
        ("x.json", "{\"a\": "),
        ("x.yaml", "a: ["),
        ("main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        ("bad.tf", "locals {\n  x = \n"),
    ] {
        assert!(
            matches!(parse(file, text, &key()), Err(EcsError::NotEcs { .. })),
            "{text}"
        );
    }
    // A broken file that names ECS keys is an error at its position.
    let broken =
        "{\n  \"family\": \"a\",\n  \"containerDefinitions\": [\n    {\"name\": \"x\",}\n  ]\n}";
    match parse("td.json", broken, &key()) {
        Err(EcsError::Syntax { line, .. }) => assert_eq!(line, 4),
        other => panic!("{other:?}"),
    }
    let yaml = "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: [\n";
    assert!(matches!(
        parse("t.yaml", yaml, &key()),
        Err(EcsError::Syntax { .. })
    ));
    let tf = "resource \"aws_ecs_task_definition\" \"a\" {\n  family = \n}\n";
    match parse("main.tf", tf, &key()) {
        Err(e @ EcsError::Syntax { .. }) => assert!(e.to_string().contains("main.tf"), "{e}"),
        other => panic!("{other:?}"),
    }
}

/// Keys are exact: ecs-cli's `ecs-params.yml` (`task_definition:`) is not a task definition,
/// and CloudFormation's spelling in register JSON is not read.
#[test]
fn exact_keys() {
    let params = "version: 1\ntask_definition:\n  task_execution_role: ecsTaskExecutionRole\n  ecs_network_mode: awsvpc\n  task_size:\n    mem_limit: 0.5GB\n";
    assert!(matches!(
        parse("ecs-params.yml", params, &key()),
        Err(EcsError::NotEcs { .. })
    ));
    let td = r#"{"family": "a", "network_mode": "host", "NetworkMode": "host", "containerDefinitions": [{"name": "c", "Privileged": true}]}"#;
    let tds = parse("td.json", td, &key()).unwrap().tasks;
    assert_eq!(tds[0].network_mode, None);
    assert_eq!(tds[0].containers[0].privileged, None);
}

/// A bare `containerDefinitions` array is a task definition named after its file.
#[test]
fn bare_arrays() {
    let text = "[\n  {\n    \"name\": \"web\",\n    \"image\": \"nginx\",\n    \"essential\": true,\n    \"privileged\": true\n  },\n  {\"name\": \"side\", \"image\": \"x\"}\n]";
    let tds = parse("containers.json", text, &key()).unwrap().tasks;
    assert_eq!(tds[0].name, "containers.json");
    assert_eq!(tds[0].containers.len(), 2);
    let c = &tds[0].containers[0];
    assert_eq!(c.privileged, Some(true));
    assert_eq!(tds[0].line(&c.field("privileged")), 6);
    assert_eq!(tds[0].line(&tds[0].containers[1].pointer), 8);
    let yaml = "- name: web\n  image: nginx\n  memory: 128\n  user: root\n";
    let tds = parse("c.yaml", yaml, &key()).unwrap().tasks;
    assert_eq!(tds[0].containers[0].user.as_deref(), Some("root"));
    // One container definition on its own.
    let one = "{\n  \"image\": \"x\",\n  \"essential\": true,\n  \"memory\": 128,\n  \"privileged\": true\n}";
    let tds = parse("definition.json", one, &key()).unwrap().tasks;
    let c = &tds[0].containers[0];
    assert_eq!(tds[0].line(&c.field("privileged")), 5);
    assert!(matches!(
        parse(
            "x.json",
            r#"{"image": "x", "name": "y", "memory": 1}"#,
            &key()
        ),
        Err(EcsError::NotEcs { .. })
    ));
    // Lists of other things are not.
    for other in [
        r#"[{"name": "a", "image": "b"}]"#,
        r"[1, 2]",
        "[]",
        r#"[{"name": "a"}]"#,
    ] {
        assert!(
            matches!(parse("x.json", other, &key()), Err(EcsError::NotEcs { .. })),
            "{other}"
        );
    }
}

#[test]
fn services_in_every_form() {
    let described = r#"{"services": [{"serviceName": "web", "launchType": "FARGATE", "taskDefinition": "arn:aws:ecs:us-east-1:1:task-definition/web:3",
      "networkConfiguration": {"awsvpcConfiguration": {"assignPublicIp": "ENABLED"}}}], "failures": []}"#;
    let p = parse("services.json", described, &key()).unwrap();
    assert!(p.tasks.is_empty());
    assert_eq!(p.services[0].assign_public_ip.as_deref(), Some("ENABLED"));
    assert_eq!(p.services[0].launch_type.as_deref(), Some("FARGATE"));
    // A service definition without its name (ecspresso): named after the file.
    let def = r#"{"desiredCount": 1, "deploymentConfiguration": {}, "networkConfiguration": {"awsvpcConfiguration": {"assignPublicIp": "ENABLED"}}}"#;
    let p = parse("ecs-service-def.json", def, &key()).unwrap();
    assert_eq!(p.services[0].name, "ecs-service-def.json");
    assert_eq!(p.services[0].assign_public_ip.as_deref(), Some("ENABLED"));
    let input = r#"{"cluster": "c", "serviceName": "web", "taskDefinition": "web:3"}"#;
    let p = parse("create.json", input, &key()).unwrap();
    assert_eq!(p.services[0].assign_public_ip, None);
    assert_eq!(p.services[0].task_definition.as_deref(), Some("web:3"));
}

#[test]
fn terraform_hcl() {
    let tf = r#"locals { name = "x" }

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["EC2"]
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.task.arn
  container_definitions = jsonencode([
    {
      name       = local.name
      image      = "nginx:1.27"
      privileged = true
      user       = var.user
    }
  ])
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.x.id
      transit_encryption = "DISABLED"
      authorization_config {
        iam = "ENABLED"
      }
    }
  }
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }
}

resource "aws_ecs_task_definition" "from_file" {
  family                = "f"
  network_mode          = "awsvpc"
  container_definitions = file("${path.module}/containers.json")
}

resource "aws_ecs_task_definition" "from_var" {
  family                = "v"
  container_definitions = var.containers
}
"#;
    let files = |p: &str| -> Result<(String, String), String> {
        assert_eq!(p, "./containers.json");
        Ok((
            "mod/containers.json".into(),
            "[\n  {\"name\": \"c\",\n   \"image\": \"i\",\n   \"privileged\": true}\n]".into(),
        ))
    };
    let p = parse_with("mod/main.tf", tf, &key(), &files).unwrap();
    assert_eq!(p.tasks.len(), 3);
    let app = p
        .tasks
        .iter()
        .find(|t| t.name == "aws_ecs_task_definition.app")
        .unwrap();
    assert_eq!(app.name, "aws_ecs_task_definition.app");
    assert_eq!(app.compatibilities, ["EC2"]);
    assert_eq!(app.cpu_architecture.as_deref(), Some("ARM64"));
    assert!(app.task_role.is_some() && app.task_role == app.execution_role);
    let c = &app.containers[0];
    assert_eq!(c.name, "#1", "a reference is not a name");
    assert_eq!(c.privileged, Some(true));
    assert_eq!(c.user, None);
    assert!(c.has("user"), "set, to an unknown value");
    assert_eq!(app.locate(&c.field("privileged")), ("mod/main.tf", 12));
    let v = &app.volumes[0];
    assert_eq!(v.efs_transit.as_deref(), Some("DISABLED"));
    assert_eq!(v.efs_iam.as_deref(), Some("ENABLED"));
    assert_eq!(app.line(&v.efs_pointer), 18);
    let ff = p
        .tasks
        .iter()
        .find(|t| t.name.ends_with("from_file"))
        .unwrap();
    let c = &ff.containers[0];
    assert_eq!(
        ff.locate(&c.field("privileged")),
        ("mod/containers.json", 4)
    );
    let fv = p
        .tasks
        .iter()
        .find(|t| t.name.ends_with("from_var"))
        .unwrap();
    assert!(fv.containers_unknown && fv.containers.is_empty());
    // name, user, the container list: three values not known.
    assert_eq!(p.unknown, 3, "{:?}", p.unknown);
}

/// A plan whose container definitions are known only after apply cannot be judged.
#[test]
fn terraform_plan_after_unknown() {
    let plan = r#"{"format_version": "1.2",
"planned_values": {"root_module": {"resources": [
  {"address": "aws_ecs_task_definition.a", "type": "aws_ecs_task_definition", "values": {"family": "a"}}]}},
"resource_changes": [{"address": "aws_ecs_task_definition.a", "change": {"after_unknown": {"container_definitions": true}}}]}"#;
    match parse("plan.json", plan, &key()) {
        Err(e @ EcsError::Unreadable { .. }) => {
            assert!(e.to_string().contains("after_unknown"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn terraform_state() {
    let state = r#"{"version": 4, "terraform_version": "1.9.0", "resources": [
  {"mode": "managed", "type": "aws_ecs_task_definition", "name": "a", "instances": [
    {"attributes": {"family": "a", "network_mode": "bridge", "container_definitions": "[{\"name\":\"c\",\"image\":\"i\",\"privileged\":true}]"}}]},
  {"mode": "managed", "type": "aws_ecs_service", "name": "s", "instances": [
    {"attributes": {"name": "s", "network_configuration": [{"assign_public_ip": true}]}}]}]}"#;
    let p = parse("terraform.tfstate.json", state, &key()).unwrap();
    assert_eq!(p.tasks[0].network_mode.as_deref(), Some("bridge"));
    assert_eq!(p.tasks[0].containers[0].privileged, Some(true));
    assert_eq!(p.services[0].assign_public_ip.as_deref(), Some("ENABLED"));
}

/// Console exports spell every unset field as `null`: unset, not unreadable.
#[test]
fn null_fields_are_unset() {
    let key = crate::secrets::Key::derive(b"test");
    let text = r#"{"family": "f", "volumes": [{"name": "v", "efsVolumeConfiguration": null, "host": null}],
      "containerDefinitions": [{"name": "c", "image": "x", "user": null, "readonlyRootFilesystem": null,
      "logConfiguration": null, "linuxParameters": null, "healthCheck": null}]}"#;
    let tds = super::parse("td.json", text, &key).expect("parses").tasks;
    let c = &tds[0].containers[0];
    assert!(c.user.is_none() && !c.has("user") && !c.has("readonlyRootFilesystem"));
    assert!(!c.logging && c.health_check.is_none());
    assert!(!tds[0].volumes[0].efs && tds[0].volumes[0].host_path.is_none());
}

/// `templatefile()` of a JSON template: its `${…}` outside strings are unknown, inside strings
/// kept; findings are located in the template.
#[test]
fn terraform_templatefile() {
    let tf = "resource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  container_definitions = templatefile(\"${path.module}/defs.json.tpl\", { image = var.image })\n}\n";
    let files = |p: &str| -> Result<(String, String), String> {
        assert_eq!(p, "./defs.json.tpl");
        Ok((
            "defs.json.tpl".into(),
            "[\n  {\"name\": \"${name}\", \"image\": \"${image}\", \"cpu\": ${cpu},\n   \"privileged\": true}\n]".into(),
        ))
    };
    let p = parse_with("main.tf", tf, &key(), &files).unwrap();
    let td = &p.tasks[0];
    let c = &td.containers[0];
    assert_eq!(c.image.as_deref(), Some("${image}"));
    assert_eq!(c.privileged, Some(true));
    assert_eq!(td.locate(&c.field("privileged")), ("defs.json.tpl", 3));
}
