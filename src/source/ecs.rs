//! Task definitions and services as ECS runs them, through the AWS SDK (the same credential
//! chain and endpoint overrides as ECR: `AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL`): the
//! current task definition of every service of every cluster in a region, or every ACTIVE
//! revision. Each comes back as the JSON the API answered, which is what
//! `aws ecs describe-task-definition` and `describe-services` print: an interceptor keeps the
//! response body, so every field reaches the file reader (runtime platform, health checks,
//! entry points, Linux parameters, volumes, …) without a converter that could forget one, and
//! the rules see live and file task definitions the same way.

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock, Mutex};

use aws_sdk_ecs::config::interceptors::AfterDeserializationInterceptorContextRef;
use aws_sdk_ecs::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};
use serde_json::{Value, json};

/// Keeps the body of the response it sees: the API's own JSON.
#[derive(Debug, Clone, Default)]
struct RawBody(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for RawBody {
    fn name(&self) -> &'static str {
        "hullscan-raw-body"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if let (Some(bytes), Ok(mut kept)) = (context.response().body().bytes(), self.0.lock()) {
            *kept = Some(bytes.to_vec());
        }
        Ok(())
    }
}

impl RawBody {
    /// The body kept, as JSON.
    fn take(&self, action: &str, region: &str) -> Result<Value, EcsApiError> {
        let bytes = self.0.lock().ok().and_then(|mut k| k.take());
        bytes
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| EcsApiError::Api {
                action: action.into(),
                region: region.into(),
                message: "the response body was not JSON".into(),
            })
    }
}

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

/// A task definition or service read live: its ARN and the API's JSON.
#[derive(Debug, Clone)]
pub struct LiveTaskDefinition {
    /// `arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION`, or the service's ARN.
    pub arn: String,
    /// `{"taskDefinition": {...}, "tags": [...]}` as `DescribeTaskDefinition` answered, or
    /// `{"services": [{...}]}` with one service of `DescribeServices`' answer.
    pub json: String,
}

/// Reads the task definitions of `target`, sorted by ARN, each once, then its services.
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
    // Every revision in the region, unless the target names clusters: then the revisions of
    // the families their services run (below).
    if target.all_revisions && target.clusters.is_empty() {
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
    let mut services_json: Vec<LiveTaskDefinition> = Vec::new();
    for cluster in &clusters {
        let mut services = Vec::new();
        let mut pages = api.list_services().cluster(cluster).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| map_err("ListServices", &region, &e))?;
            services.extend(page.service_arns().iter().cloned());
        }
        // DescribeServices takes at most ten services a call.
        for chunk in services.chunks(10) {
            let raw = RawBody::default();
            let out = api
                .describe_services()
                .cluster(cluster)
                .set_services(Some(chunk.to_vec()))
                .customize()
                .interceptor(raw.clone())
                .send()
                .await
                .map_err(|e| map_err("DescribeServices", &region, &e))?;
            for s in out.services() {
                arns.extend(s.task_definition().map(str::to_string));
            }
            let body = raw.take("DescribeServices", &region)?;
            for s in body
                .get("services")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let arn = s
                    .get("serviceArn")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                services_json.push(LiveTaskDefinition {
                    json: json!({ "services": [s] }).to_string(),
                    arn,
                });
            }
        }
    }
    if target.all_revisions && !target.clusters.is_empty() {
        // Every ACTIVE revision of the families these clusters' services run, and no other.
        let families: BTreeSet<String> = arns.iter().filter_map(|a| family(a)).collect();
        for f in families {
            let mut pages = api
                .list_task_definitions()
                .family_prefix(&f)
                .status(aws_sdk_ecs::types::TaskDefinitionStatus::Active)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| map_err("ListTaskDefinitions", &region, &e))?;
                arns.extend(
                    page.task_definition_arns()
                        .iter()
                        .filter(|a| family(a).as_deref() == Some(f.as_str()))
                        .cloned(),
                );
            }
        }
    }
    let mut out = Vec::with_capacity(arns.len() + services_json.len());
    for arn in arns {
        let raw = RawBody::default();
        let td = api
            .describe_task_definition()
            .task_definition(&arn)
            .include(aws_sdk_ecs::types::TaskDefinitionField::Tags)
            .customize()
            .interceptor(raw.clone())
            .send()
            .await
            .map_err(|e| map_err("DescribeTaskDefinition", &region, &e))?;
        // The ARN the API answered with (a family:revision from a service is resolved).
        let arn = td
            .task_definition()
            .and_then(|t| t.task_definition_arn())
            .map_or(arn, str::to_string);
        let body = raw.take("DescribeTaskDefinition", &region)?;
        if body.get("taskDefinition").is_none_or(Value::is_null) {
            continue;
        }
        out.push(LiveTaskDefinition {
            json: serde_json::to_string_pretty(&body).unwrap_or_default(),
            arn,
        });
    }
    out.extend(services_json);
    Ok(out)
}

/// The family of a task definition ARN (`…:task-definition/web:3` → `web`) or
/// `family:revision`.
fn family(arn: &str) -> Option<String> {
    let tail = arn.rsplit_once('/').map_or(arn, |(_, t)| t);
    let (f, rev) = tail.rsplit_once(':')?;
    rev.parse::<u32>().ok()?;
    Some(f.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn families() {
        assert_eq!(
            super::family("arn:aws:ecs:us-east-1:1:task-definition/web-app:12").as_deref(),
            Some("web-app")
        );
        assert_eq!(super::family("batch:1").as_deref(), Some("batch"));
        assert_eq!(
            super::family("arn:aws:ecs:us-east-1:1:task-definition/web"),
            None
        );
    }
}
