//! ECS task definitions as the TD rules see them, read from the files teams keep next to their
//! code: `register-task-definition` input, `describe-task-definition` output (with or without
//! its `taskDefinition` wrapper), CloudFormation templates in JSON or YAML with
//! `AWS::ECS::TaskDefinition` resources, and Terraform plans (`terraform show -json`) with
//! `aws_ecs_task_definition`, whose `container_definitions` is a JSON string. Keys are matched
//! without regard to case or underscores, so the API's `readonlyRootFilesystem`,
//! CloudFormation's `ReadonlyRootFilesystem` and Terraform's `network_mode` all read the same.
//! A value that is not a literal (a CloudFormation `Ref`, `Fn::Sub`) is unknown: no rule judges it.

pub mod locate;
pub mod yaml;

use serde_json::Value;

use crate::secrets::{Hit, Key};

/// Why a file could not be read as task definitions.
#[derive(Debug, thiserror::Error)]
pub enum EcsError {
    /// Neither JSON nor YAML.
    #[error("`{file}` is not a JSON or YAML task definition: {message}")]
    Json {
        /// The file.
        file: String,
        /// What the parser said.
        message: String,
    },
    /// JSON or YAML, but no task definition in it.
    #[error(
        "`{file}` holds no task definition (expected register/describe JSON, a CloudFormation template or a Terraform plan)"
    )]
    Empty {
        /// The file.
        file: String,
    },
}

/// One task definition: its task-level settings and containers, with where each came from.
#[derive(Debug, Clone)]
pub struct TaskDefinition {
    /// The file, as given.
    pub file: String,
    /// Family, CloudFormation logical id or Terraform address.
    pub name: String,
    /// `networkMode`.
    pub network_mode: Option<String>,
    /// `pidMode`.
    pub pid_mode: Option<String>,
    /// `ipcMode`.
    pub ipc_mode: Option<String>,
    /// `requiresCompatibilities` (`FARGATE`, `EC2`, …).
    pub compatibilities: Vec<String>,
    /// `runtimePlatform.operatingSystemFamily` (`LINUX`, `WINDOWS_SERVER_2022_CORE`, …).
    pub os_family: Option<String>,
    /// `runtimePlatform.cpuArchitecture` (`X86_64`, `ARM64`).
    pub cpu_architecture: Option<String>,
    /// `volumes`.
    pub volumes: Vec<Volume>,
    /// `containerDefinitions`.
    pub containers: Vec<Container>,
    /// JSON pointer of the task definition object in the file.
    pub pointer: String,
    /// The real key names of the task definition object.
    keys: Vec<String>,
    /// Lines of the file, by pointer. Pointers inside Terraform's `container_definitions`
    /// string fall back to the string's own line, the nearest located parent.
    pub lines: std::sync::Arc<locate::Lines>,
}

/// One container definition.
#[derive(Debug, Clone, Default)]
pub struct Container {
    /// `name`.
    pub name: String,
    /// `image`.
    pub image: Option<String>,
    /// `user`, when a literal string.
    pub user: Option<String>,
    /// `privileged`.
    pub privileged: Option<bool>,
    /// `readonlyRootFilesystem`.
    pub readonly_root: Option<bool>,
    /// `linuxParameters.capabilities.add`.
    pub cap_add: Vec<String>,
    /// `linuxParameters.capabilities.drop`.
    pub cap_drop: Vec<String>,
    /// `linuxParameters.capabilities.drop` is set (to a literal list or not).
    pub has_drop: bool,
    /// `logConfiguration` is set.
    pub logging: bool,
    /// `linuxParameters.devices`: host paths.
    pub devices: Vec<String>,
    /// `dockerSecurityOptions`.
    pub security_options: Vec<String>,
    /// `systemControls`: namespaces (`net.ipv4.ip_forward`).
    pub sysctls: Vec<String>,
    /// `mountPoints`: source volume and container path.
    pub mounts: Vec<(String, String)>,
    /// `environment` values that hold secrets (masked), by variable name.
    pub env_secrets: Vec<(String, Hit)>,
    /// `environment` variable names in file order (to point at an entry).
    pub env_names: Vec<String>,
    /// `entryPoint`, when a list of literal strings.
    pub entry_point: Option<Vec<String>>,
    /// `command`, when a list of literal strings.
    pub command: Option<Vec<String>>,
    /// `healthCheck.command`, when a list of literal strings.
    pub health_check: Option<Vec<String>>,
    /// JSON pointer of the container object (or of the embedded string's key).
    pub pointer: String,
    /// The real key names of the fields set (not `null`), for pointers to fields.
    keys: Vec<String>,
}

/// A container as it will start: its task definition, and what the scan of its image knows.
#[derive(Debug, Clone, Copy)]
pub struct Launch<'a> {
    /// The task definition.
    pub td: &'a TaskDefinition,
    /// The container.
    pub container: &'a Container,
    /// Its image, as the task definition names it.
    pub image: &'a str,
    /// The shells the image has and how it starts a process.
    pub exec: &'a crate::image::exec::Exec,
}

/// One task volume.
#[derive(Debug, Clone, Default)]
pub struct Volume {
    /// `name`.
    pub name: String,
    /// `host.sourcePath` for bind mounts.
    pub host_path: Option<String>,
    /// `efsVolumeConfiguration` present.
    pub efs: bool,
    /// `efsVolumeConfiguration.transitEncryption`.
    pub efs_transit: Option<String>,
    /// JSON pointer of the volume.
    pub pointer: String,
}

impl TaskDefinition {
    /// Windows containers: no root user, read-only root filesystem or Linux parameters; they
    /// run as `ContainerAdministrator` unless told otherwise.
    #[must_use]
    pub fn is_windows(&self) -> bool {
        self.os_family
            .as_deref()
            .is_some_and(|f| f.to_ascii_uppercase().starts_with("WINDOWS"))
    }

    /// The image platform its containers run: `linux/arm64` for `ARM64` (Graviton), else
    /// `linux/amd64`, ECS's default, whatever machine runs the scan.
    #[must_use]
    pub fn platform(&self) -> &'static str {
        if self
            .cpu_architecture
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case("ARM64"))
        {
            "linux/arm64"
        } else {
            "linux/amd64"
        }
    }

    /// The 1-based line of a pointer in the file.
    #[must_use]
    pub fn line(&self, pointer: &str) -> u32 {
        self.lines.line(pointer)
    }

    /// The pointer of a task-level field as the file spells it (`networkMode`, `NetworkMode`).
    #[must_use]
    pub fn field(&self, name: &str) -> String {
        format!(
            "{}/{}",
            self.pointer,
            locate::escape(spelled(&self.keys, name))
        )
    }
}

/// `name` as `keys` spell it, else `name`.
fn spelled<'a>(keys: &'a [String], name: &'a str) -> &'a str {
    let want = norm(name);
    keys.iter()
        .find(|k| norm(k) == want)
        .map_or(name, String::as_str)
}

impl Container {
    /// The pointer of a field of this container as the file spells it.
    #[must_use]
    pub fn field(&self, name: &str) -> String {
        format!(
            "{}/{}",
            self.pointer,
            locate::escape(spelled(&self.keys, name))
        )
    }

    /// The pointer of the `environment` entry that sets `name`.
    #[must_use]
    pub fn env_entry(&self, name: &str) -> String {
        let at = self.field("environment");
        match self.env_names.iter().position(|n| n == name) {
            Some(i) => format!("{at}/{i}"),
            None => at,
        }
    }

    /// True when the container sets `name` at all (to a literal or not).
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        let want = norm(name);
        self.keys.iter().any(|k| norm(k) == want)
    }
}

/// Lower case without `_` or `-`: `network_mode`, `networkMode` and `NetworkMode` match.
fn norm(k: &str) -> String {
    k.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The member named `name` (any spelling) and its real key; a `null` member is absent.
fn get<'a>(v: &'a Value, name: &str) -> Option<(&'a str, &'a Value)> {
    let want = norm(name);
    v.as_object()?
        .iter()
        .find(|(k, v)| norm(k) == want && !v.is_null())
        .map(|(k, v)| (k.as_str(), v))
}

fn string(v: &Value, name: &str) -> Option<String> {
    get(v, name)
        .and_then(|(_, v)| v.as_str())
        .map(str::to_string)
}

/// A boolean, or the strings `"true"`/`"false"` CloudFormation templates often hold.
fn boolean(v: &Value, name: &str) -> Option<bool> {
    match get(v, name)?.1 {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The keys of an object whose values are not `null`: files exported from the console spell
/// out every unset field as `"user": null`, which is the field left unset, not a value the
/// rules cannot read.
fn set_keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|o| {
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// A list of strings, or `None` when absent or when any item is not a literal string (a
/// CloudFormation `!Sub`): positions would shift.
fn literal_strings(v: Option<&Value>) -> Option<Vec<String>> {
    v?.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// Terraform lists nested blocks as arrays of one object.
fn block<'a>(v: &'a Value, name: &str) -> Option<(&'a str, &'a Value)> {
    let (k, v) = get(v, name)?;
    match v {
        Value::Array(a) => a.first().map(|x| (k, x)),
        other => Some((k, other)),
    }
}

/// Reads every task definition in `text` (the file `file`).
///
/// # Errors
/// [`EcsError`] when the text is not JSON or holds none.
pub fn parse(file: &str, text: &str, key: &Key) -> Result<Vec<TaskDefinition>, EcsError> {
    // JSON when it looks like JSON; otherwise YAML (CloudFormation templates mostly are).
    let json = text.trim_start().starts_with(['{', '[']);
    let (doc, lines) = if json {
        let doc: Value = serde_json::from_str(text).map_err(|e| EcsError::Json {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        (doc, locate::Lines::of(text))
    } else {
        yaml::load(text).map_err(|message| EcsError::Json {
            file: file.to_string(),
            message,
        })?
    };
    let lines = std::sync::Arc::new(lines);
    let mut out = Vec::new();
    let mut found = |v: &Value, pointer: String, name: String, embedded: Option<(String, &str)>| {
        out.push(read(file, v, pointer, name, &lines, embedded.as_ref(), key));
    };
    if let Some((rk, resources)) = get(&doc, "Resources").filter(|(_, r)| r.is_object()) {
        // CloudFormation.
        for (id, r) in resources.as_object().into_iter().flatten() {
            if r.get("Type").and_then(Value::as_str) == Some("AWS::ECS::TaskDefinition")
                && let Some(props) = r.get("Properties")
            {
                let p = format!("/{rk}/{}/Properties", locate::escape(id));
                found(props, p, id.clone(), None);
            }
        }
    } else if let Some((pk, planned)) = get(&doc, "planned_values") {
        // A Terraform plan: resources in the root module and every child module.
        let mut stack = vec![(format!("/{pk}/root_module"), planned.get("root_module"))];
        while let Some((p, Some(module))) = stack.pop() {
            for (i, r) in module
                .get("resources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if r.get("type").and_then(Value::as_str) != Some("aws_ecs_task_definition") {
                    continue;
                }
                let Some(values) = r.get("values") else {
                    continue;
                };
                let name = r
                    .get("address")
                    .and_then(Value::as_str)
                    .unwrap_or("aws_ecs_task_definition")
                    .to_string();
                let rp = format!("{p}/resources/{i}/values");
                let cd = format!("{rp}/container_definitions");
                found(values, rp, name, Some((cd, "container_definitions")));
            }
            for (i, c) in module
                .get("child_modules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                stack.push((format!("{p}/child_modules/{i}"), Some(c)));
            }
        }
    } else if let Some((wk, td)) = get(&doc, "taskDefinition").filter(|(_, v)| v.is_object()) {
        // `describe-task-definition` output: named `family:revision`.
        let name = match (
            string(td, "family"),
            get(td, "revision").and_then(|(_, r)| r.as_u64()),
        ) {
            (Some(f), Some(r)) => format!("{f}:{r}"),
            (Some(f), None) => f,
            _ => file.to_string(),
        };
        found(td, format!("/{wk}"), name, None);
    } else if get(&doc, "containerDefinitions").is_some() {
        let name = string(&doc, "family").unwrap_or_else(|| file.to_string());
        found(&doc, String::new(), name, None);
    }
    if out.is_empty() {
        return Err(EcsError::Empty {
            file: file.to_string(),
        });
    }
    Ok(out)
}

fn read(
    file: &str,
    td: &Value,
    pointer: String,
    name: String,
    lines: &std::sync::Arc<locate::Lines>,
    embedded: Option<&(String, &str)>,
    key: &Key,
) -> TaskDefinition {
    // Terraform's `container_definitions` is a JSON document inside a string.
    let (containers, base, inner) = match embedded {
        Some((at, field)) => {
            let parsed = get(td, field)
                .and_then(|(_, v)| v.as_str())
                .and_then(|s| serde_json::from_str::<Value>(s).ok());
            (parsed, at.clone(), true)
        }
        None => (
            get(td, "containerDefinitions").map(|(_, v)| v.clone()),
            get(td, "containerDefinitions")
                .map(|(k, _)| format!("{pointer}/{}", locate::escape(k)))
                .unwrap_or_default(),
            false,
        ),
    };
    let containers = containers
        .as_ref()
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, c)| {
                    let mut c = container(
                        c,
                        if inner {
                            base.clone()
                        } else {
                            format!("{base}/{i}")
                        },
                        key,
                    );
                    // A name from a template parameter (`!Ref AppName`): by position.
                    if c.name.is_empty() {
                        c.name = format!("#{}", i + 1);
                    }
                    c
                })
                .collect()
        })
        .unwrap_or_default();
    let volumes = match get(td, "volumes").or_else(|| get(td, "volume")) {
        Some((vk, Value::Array(vs))) => vs
            .iter()
            .enumerate()
            .map(|(i, v)| volume(v, format!("{pointer}/{vk}/{i}")))
            .collect(),
        _ => Vec::new(),
    };
    TaskDefinition {
        file: file.to_string(),
        name,
        network_mode: string(td, "networkMode"),
        pid_mode: string(td, "pidMode"),
        ipc_mode: string(td, "ipcMode"),
        compatibilities: strings(get(td, "requiresCompatibilities").map(|(_, v)| v)),
        os_family: block(td, "runtimePlatform")
            .and_then(|(_, p)| string(p, "operatingSystemFamily")),
        cpu_architecture: block(td, "runtimePlatform")
            .and_then(|(_, p)| string(p, "cpuArchitecture")),
        volumes,
        containers,
        pointer,
        keys: set_keys(td),
        lines: std::sync::Arc::clone(lines),
    }
}

fn container(c: &Value, pointer: String, key: &Key) -> Container {
    let linux = block(c, "linuxParameters").map(|(_, lp)| lp);
    let caps = linux.and_then(|lp| block(lp, "capabilities"));
    // One pass over `environment`: every name (to point at an entry), and the literal pairs.
    let entries: &[Value] = get(c, "environment")
        .and_then(|(_, v)| v.as_array())
        .map_or(&[], Vec::as_slice);
    let env: Vec<(String, String)> = entries
        .iter()
        .filter_map(|e| Some((string(e, "name")?, string(e, "value")?)))
        .collect();
    Container {
        name: string(c, "name").unwrap_or_default(),
        image: string(c, "image"),
        user: string(c, "user"),
        privileged: boolean(c, "privileged"),
        readonly_root: boolean(c, "readonlyRootFilesystem"),
        cap_add: strings(caps.and_then(|(_, c)| get(c, "add")).map(|(_, v)| v)),
        cap_drop: strings(caps.and_then(|(_, c)| get(c, "drop")).map(|(_, v)| v)),
        has_drop: caps.and_then(|(_, c)| get(c, "drop")).is_some(),
        logging: get(c, "logConfiguration").is_some(),
        devices: linux
            .and_then(|lp| get(lp, "devices"))
            .and_then(|(_, v)| v.as_array())
            .map(|a| a.iter().filter_map(|d| string(d, "hostPath")).collect())
            .unwrap_or_default(),
        security_options: strings(get(c, "dockerSecurityOptions").map(|(_, v)| v)),
        sysctls: get(c, "systemControls")
            .and_then(|(_, v)| v.as_array())
            .map(|a| a.iter().filter_map(|d| string(d, "namespace")).collect())
            .unwrap_or_default(),
        mounts: get(c, "mountPoints")
            .and_then(|(_, v)| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|m| Some((string(m, "sourceVolume")?, string(m, "containerPath")?)))
                    .collect()
            })
            .unwrap_or_default(),
        env_names: entries
            .iter()
            .map(|e| string(e, "name").unwrap_or_default())
            .collect(),
        env_secrets: crate::image::secrets::env_secrets(env, key),
        entry_point: literal_strings(get(c, "entryPoint").map(|(_, v)| v)),
        command: literal_strings(get(c, "command").map(|(_, v)| v)),
        health_check: block(c, "healthCheck")
            .and_then(|(_, h)| literal_strings(get(h, "command").map(|(_, v)| v))),
        pointer,
        keys: set_keys(c),
    }
}

fn volume(v: &Value, pointer: String) -> Volume {
    let host = block(v, "host").and_then(|(_, h)| string(h, "sourcePath"));
    let host = host.or_else(|| string(v, "host_path"));
    let efs = block(v, "efsVolumeConfiguration");
    Volume {
        name: string(v, "name").unwrap_or_default(),
        host_path: host,
        efs: efs.is_some(),
        efs_transit: efs.and_then(|(_, e)| string(e, "transitEncryption")),
        pointer,
    }
}

#[cfg(test)]
mod tests;
