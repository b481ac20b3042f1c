//! Task definitions as ECS runs them, through the AWS SDK (the same credential chain and
//! endpoint overrides as ECR: `AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL`): the current task
//! definition of every service of every cluster in a region, or every ACTIVE revision. Each
//! comes back as `describe-task-definition` JSON, so the file reader and the rules see live and
//! file task definitions the same way.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};
use serde_json::{Value, json};

/// Errors from the ECS API, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum EcsApiError {
    /// The credential chain found nothing.
    #[error(
        "no AWS credentials found for ECS; configure one (`aws configure`, `aws sso login`, or a task or instance role)"
    )]
    NoCredentials,
    /// IAM does not allow the action.
    #[error(
        "access denied to `ecs:{action}` in {region}: allow the IAM action `ecs:{action}` for these credentials (deploy/iam-ecr-read-policy.json lists every action hullscan uses) ({message})"
    )]
    AccessDenied {
        /// The ECS action.
        action: String,
        /// The region.
        region: String,
        /// AWS message.
        message: String,
    },
    /// Anything else the API answered, or the transport.
    #[error("ECS `{action}` in {region} failed: {message}")]
    Api {
        /// The ECS action.
        action: String,
        /// The region.
        region: String,
        /// What went wrong.
        message: String,
    },
    /// No region from the target, the flags, the environment or the profile.
    #[error("no AWS region for ECS: give `aws://REGION`, `--region`, or set AWS_REGION")]
    NoRegion,
    /// The SDK's runtime could not start.
    #[error("starting the AWS SDK runtime: {0}")]
    Runtime(String),
}

static RUNTIME: LazyLock<Result<tokio::runtime::Runtime, String>> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
});

fn map_err<E>(action: &str, region: &str, err: &SdkError<E>) -> EcsApiError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let chain = super::ecr::error_chain(err);
    if let SdkError::ServiceError(se) = err {
        let code = se.err().code().unwrap_or("unknown").to_string();
        let message = se.err().message().unwrap_or_default().to_string();
        if code.contains("AccessDenied") || se.raw().status().as_u16() == 403 {
            return EcsApiError::AccessDenied {
                action: action.into(),
                region: region.into(),
                message,
            };
        }
        return EcsApiError::Api {
            action: action.into(),
            region: region.into(),
            message: format!("{code}: {message}"),
        };
    }
    // An error body the SDK could not parse (some endpoints answer in XML): its status and
    // its `<Message>` still say what happened.
    if let SdkError::ResponseError(re) = err {
        let raw = re.raw();
        let body = raw
            .body()
            .bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        let message = super::ecr::xml_field(&body, "Message").unwrap_or_else(|| chain.clone());
        if raw.status().as_u16() == 403 {
            return EcsApiError::AccessDenied {
                action: action.into(),
                region: region.into(),
                message,
            };
        }
    }
    if chain.contains("no providers in chain provided credentials")
        || chain.contains("CredentialsNotLoaded")
    {
        return EcsApiError::NoCredentials;
    }
    EcsApiError::Api {
        action: action.into(),
        region: region.into(),
        message: chain,
    }
}

/// What to read from one region.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Region (`None`: the SDK's default).
    pub region: Option<String>,
    /// Only these clusters (names or ARNs); empty: every cluster.
    pub clusters: Vec<String>,
    /// Every ACTIVE revision of every family, not only what services run.
    pub all_revisions: bool,
}

/// A task definition read live: its ARN and `describe-task-definition` JSON.
#[derive(Debug, Clone)]
pub struct LiveTaskDefinition {
    /// `arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION`.
    pub arn: String,
    /// `{"taskDefinition": {...}}`.
    pub json: String,
}

/// Reads the task definitions of `target`, sorted by ARN, each once.
///
/// # Errors
/// Credential, permission, network and API errors, with what to do.
pub fn task_definitions(target: &Target) -> Result<Vec<LiveTaskDefinition>, EcsApiError> {
    let rt = RUNTIME
        .as_ref()
        .map_err(|e| EcsApiError::Runtime(e.clone()))?;
    rt.block_on(read(target))
}

async fn read(target: &Target) -> Result<Vec<LiveTaskDefinition>, EcsApiError> {
    let conf = super::ecr::sdk_loader(target.region.as_deref())
        .load()
        .await;
    let region = conf
        .region()
        .map(ToString::to_string)
        .ok_or(EcsApiError::NoRegion)?;
    let api = aws_sdk_ecs::Client::new(&conf);
    let mut arns: BTreeSet<String> = BTreeSet::new();
    if target.all_revisions {
        let mut pages = api
            .list_task_definitions()
            .status(aws_sdk_ecs::types::TaskDefinitionStatus::Active)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| map_err("ListTaskDefinitions", &region, &e))?;
            arns.extend(page.task_definition_arns().iter().cloned());
        }
    }
    let clusters = if target.clusters.is_empty() {
        let mut all = Vec::new();
        let mut pages = api.list_clusters().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| map_err("ListClusters", &region, &e))?;
            all.extend(page.cluster_arns().iter().cloned());
        }
        all
    } else {
        target.clusters.clone()
    };
    for cluster in &clusters {
        let mut services = Vec::new();
        let mut pages = api.list_services().cluster(cluster).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| map_err("ListServices", &region, &e))?;
            services.extend(page.service_arns().iter().cloned());
        }
        // DescribeServices takes at most ten services a call.
        for chunk in services.chunks(10) {
            let out = api
                .describe_services()
                .cluster(cluster)
                .set_services(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| map_err("DescribeServices", &region, &e))?;
            for s in out.services() {
                arns.extend(s.task_definition().map(str::to_string));
            }
        }
    }
    let mut out = Vec::with_capacity(arns.len());
    for arn in arns {
        let td = api
            .describe_task_definition()
            .task_definition(&arn)
            .send()
            .await
            .map_err(|e| map_err("DescribeTaskDefinition", &region, &e))?;
        let Some(td) = td.task_definition() else {
            continue;
        };
        out.push(LiveTaskDefinition {
            json: serde_json::to_string_pretty(&json!({ "taskDefinition": to_json(td) }))
                .unwrap_or_default(),
            arn,
        });
    }
    Ok(out)
}

/// The fields the TD rules read, as `describe-task-definition` spells them.
fn to_json(td: &aws_sdk_ecs::types::TaskDefinition) -> Value {
    let containers: Vec<Value> = td
        .container_definitions()
        .iter()
        .map(|c| {
            let linux = c.linux_parameters().map(|l| {
                json!({
                    "capabilities": l.capabilities().map(|k| json!({"add": k.add(), "drop": k.drop()})),
                    "devices": l.devices().iter().map(|d| json!({"hostPath": d.host_path()})).collect::<Vec<_>>(),
                })
            });
            json!({
                "name": c.name(),
                "image": c.image(),
                "user": c.user(),
                "privileged": c.privileged(),
                "readonlyRootFilesystem": c.readonly_root_filesystem(),
                "linuxParameters": linux,
                "dockerSecurityOptions": c.docker_security_options(),
                "systemControls": c.system_controls().iter().map(|s| json!({
                    "namespace": s.namespace(), "value": s.value()
                })).collect::<Vec<_>>(),
                "logConfiguration": c.log_configuration().map(|l| json!({"logDriver": l.log_driver().as_str()})),
                "mountPoints": c.mount_points().iter().map(|m| json!({
                    "sourceVolume": m.source_volume(), "containerPath": m.container_path()
                })).collect::<Vec<_>>(),
                "environment": c.environment().iter().map(|e| json!({
                    "name": e.name(), "value": e.value()
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let volumes: Vec<Value> = td
        .volumes()
        .iter()
        .map(|v| {
            json!({
                "name": v.name(),
                "host": v.host().map(|h| json!({"sourcePath": h.source_path()})),
                "efsVolumeConfiguration": v.efs_volume_configuration().map(|e| json!({
                    "fileSystemId": e.file_system_id(),
                    "transitEncryption": e.transit_encryption().map(aws_sdk_ecs::types::EfsTransitEncryption::as_str),
                })),
            })
        })
        .collect();
    let strip_nulls = |mut v: Value| {
        strip(&mut v);
        v
    };
    strip_nulls(json!({
        "taskDefinitionArn": td.task_definition_arn(),
        "family": td.family(),
        "revision": td.revision(),
        "networkMode": td.network_mode().map(aws_sdk_ecs::types::NetworkMode::as_str),
        "pidMode": td.pid_mode().map(aws_sdk_ecs::types::PidMode::as_str),
        "ipcMode": td.ipc_mode().map(aws_sdk_ecs::types::IpcMode::as_str),
        "requiresCompatibilities": td.requires_compatibilities().iter().map(aws_sdk_ecs::types::Compatibility::as_str).collect::<Vec<_>>(),
        "volumes": volumes,
        "containerDefinitions": containers,
    }))
}

/// Removes `null` members: an absent field must read as absent, as in the API's own JSON.
fn strip(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|_, x| !x.is_null());
            o.values_mut().for_each(strip);
        }
        Value::Array(a) => a.iter_mut().for_each(strip),
        _ => {}
    }
}
