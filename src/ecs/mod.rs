//! ECS task definitions and services as the TD rules see them, read from the files teams keep
//! next to their code: `register-task-definition` input, `describe-task-definition` output
//! (with or without its `taskDefinition` wrapper), bare `containerDefinitions` arrays (what
//! `--container-definitions file://` and Terraform's `file()` take), `describe-services` output
//! and `create-service` input, CloudFormation templates in JSON or YAML, Terraform plans and
//! states (`terraform show -json`), and Terraform HCL. Keys are matched exactly as each form
//! spells them ([`Dialect`]): camelCase as the API writes it, `PascalCase` in CloudFormation,
//! `snake_case` where Terraform uses it, so ecs-cli's `ecs-params.yml` (`task_definition:`) is
//! not read as a task definition. A value that is not a literal (a CloudFormation `Ref`,
//! `Fn::Sub`, a Terraform variable or reference) is unknown: no rule judges it, and
//! [`Parsed::unknown`] counts it.

pub mod hcl;
pub mod locate;
pub mod yaml;

use std::cell::Cell;
use std::sync::Arc;

use serde_json::Value;

use crate::secrets::{Hit, Key};

/// Why a file could not be read as ECS task definitions or services.
#[derive(Debug, thiserror::Error)]
pub enum EcsError {
    /// Not JSON, YAML or HCL, and it names ECS keys: a broken task definition.
    #[error("`{file}`:{line}:{column}: cannot be read: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column (0: unknown).
        column: u32,
        /// What the parser said.
        message: String,
    },
    /// Parsed, looks like a task definition or service, and cannot be read as one.
    #[error("`{file}`:{line}: cannot be read: {message}")]
    Unreadable {
        /// The file (or the file it references).
        file: String,
        /// 1-based line.
        line: u32,
        /// Why.
        message: String,
    },
    /// No task definition or service in it, and nothing that looks like one.
    #[error(
        "`{file}` is not an ECS input (expected register/describe JSON, a bare containerDefinitions array, describe-services JSON, a CloudFormation template, a Terraform plan or state, or Terraform HCL)"
    )]
    NotEcs {
        /// The file.
        file: String,
    },
}

impl EcsError {
    /// True when the file is simply not an ECS input (not an error in a directory).
    #[must_use]
    pub fn is_not_ecs(&self) -> bool {
        matches!(self, EcsError::NotEcs { .. })
    }
}

/// How a form spells the API's camelCase keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// The ECS API and CLI: `readonlyRootFilesystem`.
    #[default]
    Api,
    /// CloudFormation: `ReadonlyRootFilesystem`, `EFSVolumeConfiguration`.
    Cfn,
    /// Terraform resource attributes: `network_mode`, `volume`, blocks as lists.
    Tf,
}

impl Dialect {
    /// `camel` (the API's key) as this form spells it.
    #[must_use]
    pub fn spell(self, camel: &str) -> String {
        match self {
            Dialect::Api => camel.to_string(),
            Dialect::Cfn => match camel {
                "efsVolumeConfiguration" => "EFSVolumeConfiguration".into(),
                "fileSystemId" => "FilesystemId".into(),
                "iam" => "IAM".into(),
                _ => {
                    let mut c = camel.chars();
                    c.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                }
            },
            Dialect::Tf if camel == "volumes" => "volume".into(),
            Dialect::Tf => {
                let mut out = String::with_capacity(camel.len() + 4);
                for ch in camel.chars() {
                    if ch.is_ascii_uppercase() {
                        out.push('_');
                        out.push(ch.to_ascii_lowercase());
                    } else {
                        out.push(ch);
                    }
                }
                out
            }
        }
    }
}

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Task definitions.
    pub tasks: Vec<TaskDefinition>,
    /// Services.
    pub services: Vec<Service>,
    /// Values present but not literals (references, variables, intrinsics): the rules that
    /// need them stay silent.
    pub unknown: usize,
}

/// Where containers read from another file (Terraform's `file()`, `templatefile()`) or from
/// an embedded document (a heredoc) are located.
#[derive(Debug, Clone)]
struct External {
    /// Pointers under this prefix are in `file`, at `lines`.
    prefix: String,
    /// The file, as shown.
    file: String,
    /// Its lines, by pointer relative to `prefix`.
    lines: Arc<locate::Lines>,
}

/// One task definition: its task-level settings and containers, with where each came from.
#[derive(Debug, Clone)]
pub struct TaskDefinition {
    /// The file, as given.
    pub file: String,
    /// Family, CloudFormation logical id or Terraform address.
    pub name: String,
    /// How the task-level keys are spelled.
    pub dialect: Dialect,
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
    /// `taskRoleArn` as written (a literal or an expression: equal expressions are the
    /// same role).
    pub task_role: Option<Value>,
    /// `executionRoleArn` as written.
    pub execution_role: Option<Value>,
    /// `volumes`.
    pub volumes: Vec<Volume>,
    /// `containerDefinitions`.
    pub containers: Vec<Container>,
    /// The containers are not literals (a Terraform variable): the list is empty, not clean.
    pub containers_unknown: bool,
    /// Only container definitions were read (a bare array, one container): the task-level
    /// settings are elsewhere, not unset.
    pub containers_only: bool,
    /// JSON pointer of the task definition object in the file.
    pub pointer: String,
    /// The key names of the task definition object that are set.
    keys: Vec<String>,
    /// Lines of the file, by pointer. Pointers inside Terraform's `container_definitions`
    /// string fall back to the string's own line, the nearest located parent.
    pub lines: Arc<locate::Lines>,
    external: Vec<External>,
}

/// One ECS service.
#[derive(Debug, Clone)]
pub struct Service {
    /// The file, as given (an ARN when read live).
    pub file: String,
    /// Service name, CloudFormation logical id or Terraform address.
    pub name: String,
    /// `launchType`.
    pub launch_type: Option<String>,
    /// `networkConfiguration.awsvpcConfiguration.assignPublicIp`, as `ENABLED`/`DISABLED`
    /// (Terraform's boolean read the same).
    pub assign_public_ip: Option<String>,
    /// Pointer of `assignPublicIp`.
    pub assign_public_ip_at: String,
    /// `taskDefinition`, when a literal.
    pub task_definition: Option<String>,
    /// JSON pointer of the service object.
    pub pointer: String,
    /// Lines of the file.
    pub lines: Arc<locate::Lines>,
}

impl Service {
    /// The 1-based line of a pointer in the file.
    #[must_use]
    pub fn line(&self, pointer: &str) -> u32 {
        self.lines.line(pointer)
    }
}

/// One container definition.
#[derive(Debug, Clone, Default)]
pub struct Container {
    /// `name`.
    pub name: String,
    /// How the keys are spelled.
    pub dialect: Dialect,
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
    /// `logConfiguration.logDriver`, when a literal.
    pub log_driver: Option<String>,
    /// `logConfiguration.options` with literal values.
    pub log_options: Vec<(String, String)>,
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
    /// `environment` variables whose value holds a CloudFormation dynamic reference to a
    /// secret (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}`): name and service.
    pub env_resolved: Vec<(String, String)>,
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
    /// The key names of the fields set (not `null`), for pointers to fields.
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
    /// `efsVolumeConfiguration.authorizationConfig.iam`, when a literal.
    pub efs_iam: Option<String>,
    /// `efsVolumeConfiguration.authorizationConfig.iam` is set to something not literal.
    pub efs_iam_unknown: bool,
    /// Pointer of `efsVolumeConfiguration`.
    pub efs_pointer: String,
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
        self.locate(pointer).1
    }

    /// The file and 1-based line of a pointer: containers read from a referenced file are
    /// located there.
    #[must_use]
    pub fn locate(&self, pointer: &str) -> (&str, u32) {
        for e in &self.external {
            if let Some(rest) = pointer.strip_prefix(e.prefix.as_str())
                && (rest.is_empty() || rest.starts_with('/'))
            {
                return (&e.file, e.lines.line(rest));
            }
        }
        (&self.file, self.lines.line(pointer))
    }

    /// The pointer of a task-level field as the file spells it (`networkMode`, `NetworkMode`).
    #[must_use]
    pub fn field(&self, name: &str) -> String {
        format!(
            "{}/{}",
            self.pointer,
            locate::escape(&self.dialect.spell(name))
        )
    }

    /// True when the task definition sets `name` at all (to a literal or not).
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        let k = self.dialect.spell(name);
        self.keys.contains(&k)
    }
}

impl Container {
    /// The pointer of a field of this container as the file spells it.
    #[must_use]
    pub fn field(&self, name: &str) -> String {
        format!(
            "{}/{}",
            self.pointer,
            locate::escape(&self.dialect.spell(name))
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
        let k = self.dialect.spell(name);
        self.keys.contains(&k)
    }
}

/// The member `name` (the API's spelling) as `d` spells it, and its real key; a `null`
/// member is absent.
fn get<'a>(v: &'a Value, d: Dialect, name: &str) -> Option<(&'a str, &'a Value)> {
    let k = d.spell(name);
    v.as_object()?
        .get_key_value(k.as_str())
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.as_str(), v))
}

/// Terraform lists nested blocks as arrays of one object.
fn block<'a>(v: &'a Value, d: Dialect, name: &str) -> Option<(&'a str, &'a Value)> {
    let (k, v) = get(v, d, name)?;
    match v {
        Value::Array(a) => a.first().map(|x| (k, x)),
        other => Some((k, other)),
    }
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

/// What to do with Terraform's `file("…")` and `templatefile("…", …)`: the path as written
/// → (the file as shown, its text).
pub type Loader<'a> = &'a dyn Fn(&str) -> Result<(String, String), String>;

/// A loader that reads nothing (text given alone, fuzzing).
fn no_files(path: &str) -> Result<(String, String), String> {
    Err(format!("`{path}` is not read here"))
}

/// The reading of one file: the secrets key, the count of unknown values, the loader.
struct Cx<'a> {
    file: &'a str,
    key: &'a Key,
    unknown: Cell<usize>,
    load: Loader<'a>,
}

impl Cx<'_> {
    fn unknown(&self) {
        self.unknown.set(self.unknown.get() + 1);
    }

    /// A literal scalar as a string (YAML reads `User: 1000` as a number); anything else
    /// present is unknown.
    fn lit(&self, v: Option<(&str, &Value)>) -> Option<String> {
        match v?.1 {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.unknown();
                None
            }
        }
    }

    fn string(&self, v: &Value, d: Dialect, name: &str) -> Option<String> {
        self.lit(get(v, d, name))
    }

    /// A boolean, or the strings `"true"`/`"false"` CloudFormation templates often hold.
    fn boolean(&self, v: &Value, d: Dialect, name: &str) -> Option<bool> {
        match get(v, d, name)?.1 {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => {
                self.unknown();
                None
            }
        }
    }

    fn strings(&self, v: Option<(&str, &Value)>) -> Vec<String> {
        match v.map(|(_, v)| v) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| {
                    let s = x.as_str().map(str::to_string);
                    if s.is_none() {
                        self.unknown();
                    }
                    s
                })
                .collect(),
            Some(_) => {
                self.unknown();
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    /// A list of strings, or `None` when absent or when any item is not a literal string (a
    /// CloudFormation `!Sub`): positions would shift.
    fn literal_strings(&self, v: Option<(&str, &Value)>) -> Option<Vec<String>> {
        let out: Option<Vec<String>> =
            v?.1.as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect();
        if out.is_none() {
            self.unknown();
        }
        out
    }
}

/// Keys that mark a file as meant to be a task definition or service: a file that names
/// one and cannot be read is an error, not "not ours".
const MARKERS: &[&str] = &[
    "containerDefinitions",
    "ContainerDefinitions",
    "AWS::ECS::TaskDefinition",
    "AWS::ECS::Service",
    "aws_ecs_task_definition",
    "aws_ecs_service",
];

/// The first ECS marker in `text` and its line.
fn marker(text: &str) -> Option<(&'static str, u32)> {
    MARKERS
        .iter()
        .filter_map(|m| text.find(m).map(|i| (i, *m)))
        .min()
        .map(|(i, m)| (m, line_at(text, i)))
}

/// The pointer of a `containerDefinitions` (or CloudFormation's `ContainerDefinitions`) key in
/// `v`: a document meant to hold a task definition. Mentions in strings and comments do not
/// count.
fn ecs_key(v: &Value, at: &str, depth: usize) -> Option<String> {
    if depth > 12 {
        return None;
    }
    match v {
        Value::Object(o) => o.iter().find_map(|(k, x)| {
            let p = format!("{at}/{}", locate::escape(k));
            if k == "containerDefinitions" || k == "ContainerDefinitions" {
                Some(p)
            } else {
                ecs_key(x, &p, depth + 1)
            }
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| ecs_key(x, &format!("{at}/{i}"), depth + 1)),
        _ => None,
    }
}

/// The 1-based line of byte offset `i`.
fn line_at(text: &str, i: usize) -> u32 {
    let upto = text.get(..i).unwrap_or(text);
    u32::try_from(memchr::memchr_iter(b'\n', upto.as_bytes()).count() + 1).unwrap_or(u32::MAX)
}

/// Keys of a container definition: a bare array is one of these objects.
const CONTAINER_KEYS: &[&str] = &[
    "essential",
    "memory",
    "memoryReservation",
    "cpu",
    "portMappings",
    "environment",
    "secrets",
    "logConfiguration",
    "command",
    "entryPoint",
    "mountPoints",
    "healthCheck",
    "links",
    "user",
    "workingDirectory",
    "readonlyRootFilesystem",
    "privileged",
    "linuxParameters",
    "dependsOn",
    "ulimits",
    "volumesFrom",
    "environmentFiles",
    "firelensConfiguration",
    "stopTimeout",
    "startTimeout",
    "dockerLabels",
    "hostname",
    "repositoryCredentials",
];

/// A JSON or YAML list of container definitions: objects with `name` and `image`, and some
/// other container key in one of them.
fn is_bare_array(doc: &Value) -> bool {
    let Some(items) = doc.as_array().filter(|a| !a.is_empty()) else {
        return false;
    };
    items.iter().all(|c| {
        c.as_object()
            .is_some_and(|o| o.contains_key("name") && o.contains_key("image"))
    }) && items.iter().any(|c| {
        c.as_object()
            .is_some_and(|o| CONTAINER_KEYS.iter().any(|k| o.contains_key(*k)))
    })
}

/// One container definition object: an `image` and at least three other container keys, and
/// nothing of a task definition.
fn is_container(doc: &Value) -> bool {
    doc.as_object().is_some_and(|o| {
        // An image named by a string; a Copilot manifest's `image` is a build or location
        // object, and it has a `type` (`Load Balanced Web Service`) no container has.
        o.get("image").is_some_and(Value::is_string)
            && !o.contains_key("type")
            && o.get("environment").is_none_or(Value::is_array)
            && !o.contains_key("family")
            && CONTAINER_KEYS
                .iter()
                .filter(|k| o.contains_key(**k))
                .count()
                >= 3
    })
}

/// A service definition without `serviceName`: a key only services have (`desiredCount`,
/// `deploymentConfiguration`, …). A `run-task` input has a network configuration too, and a
/// launch type, but is a one-off task, not a service.
fn is_service_definition(doc: &Value) -> bool {
    const SERVICE_ONLY: &[&str] = &[
        "desiredCount",
        "deploymentConfiguration",
        "deploymentController",
        "schedulingStrategy",
        "loadBalancers",
        "serviceRegistries",
        "healthCheckGracePeriodSeconds",
        "placementStrategy",
    ];
    let Some(o) = doc.as_object() else {
        return false;
    };
    !o.contains_key("count")
        && !o.contains_key("overrides")
        && SERVICE_ONLY.iter().any(|k| o.contains_key(*k))
}

/// Reads every task definition and service in `text` (the file `file`). Terraform HCL is
/// read when `file` ends in `.tf`; its `file()` references are not followed.
///
/// # Errors
/// [`EcsError`] when the text cannot be read or holds none.
pub fn parse(file: &str, text: &str, key: &Key) -> Result<Parsed, EcsError> {
    parse_with(file, text, key, &no_files)
}

/// [`parse`], with Terraform's `file()`/`templatefile()` read through `load`.
///
/// # Errors
/// [`EcsError`] when the text cannot be read or holds none.
pub fn parse_with(file: &str, text: &str, key: &Key, load: Loader<'_>) -> Result<Parsed, EcsError> {
    let syntax = |line: u32, column: u32, message: String| {
        if marker(text).is_some() {
            EcsError::Syntax {
                file: file.to_string(),
                line,
                column,
                message,
            }
        } else {
            EcsError::NotEcs {
                file: file.to_string(),
            }
        }
    };
    let hcl = std::path::Path::new(file)
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("tf"));
    // A Terraform `templatefile()` template of JSON (`*.json.tpl`): its `${…}` as placeholders.
    let templated;
    let text = if std::path::Path::new(file)
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("tpl"))
    {
        templated = hcl::template_json(text).map_err(|e| syntax(1, 0, e))?;
        templated.as_str()
    } else {
        text
    };
    let (doc, lines) = if hcl {
        hcl::load(text).map_err(|e| syntax(e.line, e.column, e.message))?
    } else if text.trim_start().starts_with(['{', '[']) {
        // JSON when it looks like JSON; otherwise YAML (CloudFormation templates mostly are).
        let doc: Value = serde_json::from_str(text).map_err(|e| {
            syntax(
                u32::try_from(e.line()).unwrap_or(u32::MAX),
                u32::try_from(e.column()).unwrap_or(u32::MAX),
                e.to_string(),
            )
        })?;
        (doc, locate::Lines::of(text))
    } else {
        yaml::load(text).map_err(|(message, line)| syntax(line, 0, message))?
    };
    let cx = Cx {
        file,
        key,
        unknown: Cell::new(0),
        load,
    };
    let lines = Arc::new(lines);
    let mut out = Parsed::default();
    read_doc(&cx, &doc, &lines, hcl, &mut out)?;
    if out.tasks.is_empty() && out.services.is_empty() {
        return Err(match ecs_key(&doc, "", 0) {
            Some(at) => EcsError::Unreadable {
                file: file.to_string(),
                line: lines.line(&at),
                message: "has `containerDefinitions` but holds no task definition in a form hullscan reads".into(),
            },
            None => EcsError::NotEcs {
                file: file.to_string(),
            },
        });
    }
    out.unknown = cx.unknown.get();
    Ok(out)
}

fn read_doc(
    cx: &Cx<'_>,
    doc: &Value,
    lines: &Arc<locate::Lines>,
    hcl: bool,
    out: &mut Parsed,
) -> Result<(), EcsError> {
    // A recorded API response (`placebo`, botocore stubs): `{"status_code": 200, "data": …}`.
    if let (Some(_), Some(data)) = (doc.get("status_code"), doc.get("data"))
        && data.is_object()
    {
        let mut inner = Parsed::default();
        read_doc(cx, data, lines, false, &mut inner)?;
        for mut td in inner.tasks {
            td.pointer = format!("/data{}", td.pointer);
            for c in &mut td.containers {
                c.pointer = format!("/data{}", c.pointer);
            }
            for v in &mut td.volumes {
                v.pointer = format!("/data{}", v.pointer);
                v.efs_pointer = format!("/data{}", v.efs_pointer);
            }
            out.tasks.push(td);
        }
        for mut s in inner.services {
            s.pointer = format!("/data{}", s.pointer);
            s.assign_public_ip_at = format!("/data{}", s.assign_public_ip_at);
            out.services.push(s);
        }
        return Ok(());
    }
    if hcl {
        // Terraform HCL, as `hcl::load` lays it out: `/resource/TYPE/NAME`.
        let resources = doc.get("resource");
        for (ty, by_name) in resources.and_then(Value::as_object).into_iter().flatten() {
            for (name, values) in by_name.as_object().into_iter().flatten() {
                let at = format!("/resource/{}/{}", locate::escape(ty), locate::escape(name));
                let address = format!("{ty}.{name}");
                // `dynamic` blocks (volumes, network configuration) are built at plan time.
                if let Some(Value::Array(d)) = values.get("dynamic") {
                    for _ in d {
                        cx.unknown();
                    }
                }
                match ty.as_str() {
                    "aws_ecs_task_definition" => {
                        out.tasks
                            .push(task(cx, values, Dialect::Tf, at, address, lines)?);
                    }
                    "aws_ecs_service" => {
                        out.services
                            .push(service(cx, values, Dialect::Tf, at, address, lines));
                    }
                    _ => {}
                }
            }
        }
        return Ok(());
    }
    if let Some(resources) = doc.get("Resources").and_then(Value::as_object) {
        // CloudFormation.
        for (id, r) in resources {
            let ty = r.get("Type").and_then(Value::as_str);
            if !matches!(ty, Some("AWS::ECS::TaskDefinition" | "AWS::ECS::Service")) {
                continue;
            }
            let p = format!("/Resources/{}/Properties", locate::escape(id));
            let props = match r.get("Properties") {
                Some(p) if p.is_object() => p,
                // No properties: every default.
                None => &Value::Object(serde_json::Map::new()),
                Some(_) => {
                    cx.unknown();
                    continue;
                }
            };
            if ty == Some("AWS::ECS::TaskDefinition") {
                out.tasks
                    .push(task(cx, props, Dialect::Cfn, p, id.clone(), lines)?);
            } else {
                out.services
                    .push(service(cx, props, Dialect::Cfn, p, id.clone(), lines));
            }
        }
    } else if let Some(planned) = doc.get("planned_values") {
        terraform_plan(cx, doc, planned, lines, out)?;
    } else if let Some(resources) = doc.get("resources").and_then(Value::as_array)
        && doc.get("terraform_version").is_some()
    {
        // A Terraform state: each instance's attributes are a resource's values.
        for (i, r) in resources.iter().enumerate() {
            let ty = r.get("type").and_then(Value::as_str).unwrap_or_default();
            if r.get("mode").and_then(Value::as_str) != Some("managed") {
                continue;
            }
            let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
            for (j, inst) in r
                .get("instances")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let Some(values) = inst.get("attributes") else {
                    continue;
                };
                let at = format!("/resources/{i}/instances/{j}/attributes");
                let address = format!("{ty}.{name}");
                match ty {
                    "aws_ecs_task_definition" => {
                        out.tasks
                            .push(task(cx, values, Dialect::Tf, at, address, lines)?);
                    }
                    "aws_ecs_service" => {
                        out.services
                            .push(service(cx, values, Dialect::Tf, at, address, lines));
                    }
                    _ => {}
                }
            }
        }
    } else if let Some(td) = doc.get("taskDefinition").filter(|v| v.is_object()) {
        // `describe-task-definition` output: named `family:revision`.
        let name = match (
            td.get("family").and_then(Value::as_str),
            td.get("revision").and_then(Value::as_u64),
        ) {
            (Some(f), Some(r)) => format!("{f}:{r}"),
            (Some(f), None) => f.to_string(),
            _ => cx.file.to_string(),
        };
        out.tasks.push(task(
            cx,
            td,
            Dialect::Api,
            "/taskDefinition".into(),
            name,
            lines,
        )?);
    } else if doc.get("containerDefinitions").is_some() {
        let name = doc
            .get("family")
            .and_then(Value::as_str)
            .map_or_else(|| cx.file.to_string(), str::to_string);
        out.tasks
            .push(task(cx, doc, Dialect::Api, String::new(), name, lines)?);
    } else if let Some(services) = doc.get("services").and_then(Value::as_array) {
        // `describe-services` output.
        for (i, s) in services.iter().enumerate() {
            if let Some(name) = s.get("serviceName").and_then(Value::as_str) {
                out.services.push(service(
                    cx,
                    s,
                    Dialect::Api,
                    format!("/services/{i}"),
                    name.to_string(),
                    lines,
                ));
            }
        }
    } else if let Some(name) = doc.get("serviceName").and_then(Value::as_str) {
        // `create-service --cli-input-json` input (or one `describe-services` entry).
        out.services.push(service(
            cx,
            doc,
            Dialect::Api,
            String::new(),
            name.to_string(),
            lines,
        ));
    } else if is_service_definition(doc) {
        // A service definition without its name (ecspresso's `ecs-service-def.json`, a
        // `create-service` input template): named after its file.
        out.services.push(service(
            cx,
            doc,
            Dialect::Api,
            String::new(),
            cx.file.to_string(),
            lines,
        ));
    } else if is_container(doc) {
        // One container definition on its own (what Terraform's container-definition module
        // writes): a task definition of this container alone.
        let wrapped = serde_json::json!({ "containerDefinitions": [doc] });
        let mut td = task(
            cx,
            &wrapped,
            Dialect::Api,
            String::new(),
            cx.file.to_string(),
            lines,
        )?;
        for c in &mut td.containers {
            c.pointer = String::new();
        }
        td.keys.clear();
        td.containers_only = true;
        out.tasks.push(td);
    } else if is_bare_array(doc) {
        // A bare `containerDefinitions` array: a task definition of these containers alone,
        // named after its file.
        let wrapped = serde_json::json!({ "containerDefinitions": doc });
        let mut td = task(
            cx,
            &wrapped,
            Dialect::Api,
            String::new(),
            cx.file.to_string(),
            lines,
        )?;
        // Pointers were built under `/containerDefinitions`; the file's are at the root.
        for c in &mut td.containers {
            c.pointer = c
                .pointer
                .strip_prefix("/containerDefinitions")
                .unwrap_or(&c.pointer)
                .to_string();
        }
        td.keys.clear();
        td.containers_only = true;
        out.tasks.push(td);
    }
    Ok(())
}

fn terraform_plan(
    cx: &Cx<'_>,
    doc: &Value,
    planned: &Value,
    lines: &Arc<locate::Lines>,
    out: &mut Parsed,
) -> Result<(), EcsError> {
    // Addresses whose container definitions are known only after apply.
    let after_unknown: Vec<&str> = doc
        .get("resource_changes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|r| {
            r.pointer("/change/after_unknown/container_definitions")
                .and_then(Value::as_bool)
                == Some(true)
        })
        .filter_map(|r| r.get("address").and_then(Value::as_str))
        .collect();
    // Resources in the root module and every child module.
    let mut stack = vec![(
        "/planned_values/root_module".to_string(),
        planned.get("root_module"),
    )];
    while let Some((p, Some(module))) = stack.pop() {
        for (i, r) in module
            .get("resources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let ty = r.get("type").and_then(Value::as_str).unwrap_or_default();
            let Some(values) = r.get("values") else {
                continue;
            };
            let name = r
                .get("address")
                .and_then(Value::as_str)
                .unwrap_or(ty)
                .to_string();
            let rp = format!("{p}/resources/{i}/values");
            match ty {
                "aws_ecs_task_definition" => {
                    if values
                        .get("container_definitions")
                        .is_none_or(Value::is_null)
                        && after_unknown.contains(&name.as_str())
                    {
                        return Err(EcsError::Unreadable {
                            file: cx.file.to_string(),
                            line: lines.line(&format!("{p}/resources/{i}")),
                            message: format!(
                                "the container definitions of `{name}` are unknown until apply (`after_unknown`); check the Terraform sources or a plan of known values"
                            ),
                        });
                    }
                    out.tasks
                        .push(task(cx, values, Dialect::Tf, rp, name, lines)?);
                }
                "aws_ecs_service" => {
                    out.services
                        .push(service(cx, values, Dialect::Tf, rp, name, lines));
                }
                _ => {}
            }
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
    Ok(())
}

/// The containers of a task definition and where they are: (array, pointer base, inside a
/// string so every pointer is the string's, external location).
struct Containers {
    list: Option<Value>,
    base: String,
    inner: bool,
    external: Option<External>,
    unknown: bool,
}

#[allow(clippy::many_single_char_names)]
fn containers_of(
    cx: &Cx<'_>,
    td: &Value,
    d: Dialect,
    pointer: &str,
    lines: &locate::Lines,
) -> Result<Containers, EcsError> {
    let Some((k, v)) = get(td, d, "containerDefinitions") else {
        return Ok(Containers {
            list: None,
            base: String::new(),
            inner: false,
            external: None,
            unknown: false,
        });
    };
    let base = format!("{pointer}/{}", locate::escape(k));
    let unreadable = |message: String| EcsError::Unreadable {
        file: cx.file.to_string(),
        line: lines.line(&base),
        message,
    };
    let direct = |list: Value| Containers {
        list: Some(list),
        base: base.clone(),
        inner: false,
        external: None,
        unknown: false,
    };
    if d != Dialect::Tf {
        return Ok(direct(v.clone()));
    }
    // Terraform: a JSON string (plans, HCL string literals), a list (`jsonencode` of
    // literals, a heredoc), a file reference, or an expression.
    match v {
        Value::String(s) => {
            let parsed: Value = serde_json::from_str(s)
                .map_err(|e| unreadable(format!("`{k}` is not JSON: {e}")))?;
            Ok(Containers {
                list: Some(parsed),
                base: base.clone(),
                inner: true,
                external: None,
                unknown: false,
            })
        }
        Value::Array(_) => Ok(direct(v.clone())),
        Value::Object(o) => {
            let (path, templated) = match (o.get("$file"), o.get("$templatefile")) {
                (Some(Value::String(p)), _) => (Some(p.as_str()), false),
                (_, Some(Value::String(p))) => (Some(p.as_str()), true),
                _ => (None, false),
            };
            if let Some(path) = path {
                let (shown, text) = (cx.load)(path).map_err(&unreadable)?;
                let text = if templated {
                    hcl::template_json(&text).map_err(|e| unreadable(format!("`{shown}`: {e}")))?
                } else {
                    text
                };
                let parsed: Value = serde_json::from_str(&text).map_err(|e| EcsError::Syntax {
                    file: shown.clone(),
                    line: u32::try_from(e.line()).unwrap_or(u32::MAX),
                    column: u32::try_from(e.column()).unwrap_or(u32::MAX),
                    message: e.to_string(),
                })?;
                return Ok(Containers {
                    list: Some(parsed),
                    base: base.clone(),
                    inner: false,
                    external: Some(External {
                        prefix: base.clone(),
                        file: shown,
                        lines: Arc::new(locate::Lines::of(&text)),
                    }),
                    unknown: false,
                });
            }
            if let (Some(Value::String(t)), Some(line)) =
                (o.get("$template"), o.get("$line").and_then(Value::as_u64))
            {
                // A heredoc with interpolations: JSON once they are placeholders.
                let text = hcl::template_json(t).map_err(|e| unreadable(format!("`{k}`: {e}")))?;
                let parsed: Value = serde_json::from_str(&text)
                    .map_err(|e| unreadable(format!("`{k}` is not JSON: {e}")))?;
                let shift = u32::try_from(line).unwrap_or(1).saturating_sub(1);
                return Ok(Containers {
                    list: Some(parsed),
                    base: base.clone(),
                    inner: false,
                    external: Some(External {
                        prefix: base.clone(),
                        file: cx.file.to_string(),
                        lines: Arc::new(locate::Lines::of(&text).shifted(shift)),
                    }),
                    unknown: false,
                });
            }
            cx.unknown();
            Ok(Containers {
                list: None,
                base,
                inner: false,
                external: None,
                unknown: true,
            })
        }
        _ => {
            cx.unknown();
            Ok(Containers {
                list: None,
                base,
                inner: false,
                external: None,
                unknown: true,
            })
        }
    }
}

fn task(
    cx: &Cx<'_>,
    td: &Value,
    d: Dialect,
    pointer: String,
    name: String,
    lines: &Arc<locate::Lines>,
) -> Result<TaskDefinition, EcsError> {
    let cs = containers_of(cx, td, d, &pointer, lines)?;
    // Container definitions are the API's JSON in every form but CloudFormation.
    let cd = if d == Dialect::Cfn {
        Dialect::Cfn
    } else {
        Dialect::Api
    };
    let list = match &cs.list {
        None => None,
        Some(Value::Array(a)) => Some(a.as_slice()),
        Some(_) => {
            let (file, line) = match &cs.external {
                Some(e) => (e.file.clone(), 1),
                None => (cx.file.to_string(), lines.line(&cs.base)),
            };
            return Err(EcsError::Unreadable {
                file,
                line,
                message: "container definitions are not a list".into(),
            });
        }
    };
    let containers = list
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            // An element that is not an object (a Terraform module's output, a variable):
            // a container nothing is known of, counted as unknown rather than judged empty.
            let known = c.as_object().is_some_and(|o| !o.contains_key("${}"));
            if !known {
                cx.unknown();
            }
            known
        })
        .map(|(i, c)| {
            let at = if cs.inner {
                cs.base.clone()
            } else {
                format!("{}/{i}", cs.base)
            };
            let mut c = container(cx, c, cd, at);
            // A name from a template parameter (`!Ref AppName`): by position.
            if c.name.is_empty() {
                c.name = format!("#{}", i + 1);
            }
            c
        })
        .collect();
    let volumes = match get(td, d, "volumes") {
        Some((vk, Value::Array(vs))) => vs
            .iter()
            .enumerate()
            .map(|(i, v)| volume(cx, v, d, format!("{pointer}/{}/{i}", locate::escape(vk))))
            .collect(),
        Some(_) => {
            cx.unknown();
            Vec::new()
        }
        None => Vec::new(),
    };
    let platform = block(td, d, "runtimePlatform");
    let role = |n: &str| get(td, d, n).map(|(_, v)| v.clone());
    Ok(TaskDefinition {
        file: cx.file.to_string(),
        name,
        dialect: d,
        network_mode: cx.string(td, d, "networkMode"),
        pid_mode: cx.string(td, d, "pidMode"),
        ipc_mode: cx.string(td, d, "ipcMode"),
        compatibilities: cx.strings(get(td, d, "requiresCompatibilities")),
        os_family: platform.and_then(|(_, p)| cx.string(p, d, "operatingSystemFamily")),
        cpu_architecture: platform.and_then(|(_, p)| cx.string(p, d, "cpuArchitecture")),
        task_role: role("taskRoleArn"),
        execution_role: role("executionRoleArn"),
        volumes,
        containers,
        containers_unknown: cs.unknown,
        containers_only: false,
        pointer,
        keys: set_keys(td),
        lines: Arc::clone(lines),
        external: cs.external.into_iter().collect(),
    })
}

/// A CloudFormation dynamic reference to a secret anywhere in `v` (a literal, or inside
/// `Fn::Sub`/`Fn::Join`): the service it names.
fn resolved_secret(v: &Value, depth: usize) -> Option<&'static str> {
    match v {
        Value::String(s) => {
            if s.contains("{{resolve:secretsmanager:") {
                Some("secretsmanager")
            } else if s.contains("{{resolve:ssm-secure:") {
                Some("ssm-secure")
            } else {
                None
            }
        }
        Value::Array(a) if depth < 16 => a.iter().find_map(|x| resolved_secret(x, depth + 1)),
        Value::Object(o) if depth < 16 => o.values().find_map(|x| resolved_secret(x, depth + 1)),
        _ => None,
    }
}

fn container(cx: &Cx<'_>, c: &Value, d: Dialect, pointer: String) -> Container {
    let linux = block(c, d, "linuxParameters").map(|(_, lp)| lp);
    let caps = linux.and_then(|lp| block(lp, d, "capabilities"));
    // One pass over `environment`: every name (to point at an entry), and the literal pairs.
    let entries: &[Value] = get(c, d, "environment")
        .and_then(|(_, v)| v.as_array())
        .map_or(&[], Vec::as_slice);
    // A value that spells its own variable's name (`SPLUNK_ACCESS_TOKEN` set to
    // `MY_SPLUNK_ACCESS_TOKEN`) is a placeholder, not a secret.
    let env: Vec<(String, String)> = entries
        .iter()
        .filter_map(|e| {
            let name = get(e, d, "name")?.1.as_str()?;
            let value = get(e, d, "value")?.1.as_str()?;
            Some((name.to_string(), value.to_string()))
        })
        .filter(|(n, v)| n.len() < 4 || !v.to_ascii_uppercase().contains(&n.to_ascii_uppercase()))
        .collect();
    let env_resolved = entries
        .iter()
        .filter_map(|e| {
            let name = get(e, d, "name")?.1.as_str()?;
            let kind = resolved_secret(get(e, d, "value")?.1, 0)?;
            Some((name.to_string(), kind.to_string()))
        })
        .collect();
    let log = get(c, d, "logConfiguration").map(|(_, l)| l);
    let log_options = log
        .and_then(|l| get(l, d, "options"))
        .and_then(|(_, o)| o.as_object())
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let list_of = |name: &str, field: &str| -> Vec<String> {
        get(c, d, name)
            .and_then(|(_, v)| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| get(x, d, field)?.1.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    Container {
        name: cx.string(c, d, "name").unwrap_or_default(),
        dialect: d,
        image: cx.string(c, d, "image"),
        user: cx.string(c, d, "user"),
        privileged: cx.boolean(c, d, "privileged"),
        readonly_root: cx.boolean(c, d, "readonlyRootFilesystem"),
        cap_add: cx.strings(caps.and_then(|(_, c)| get(c, d, "add"))),
        cap_drop: cx.strings(caps.and_then(|(_, c)| get(c, d, "drop"))),
        has_drop: caps.and_then(|(_, c)| get(c, d, "drop")).is_some(),
        logging: log.is_some(),
        log_driver: log.and_then(|l| cx.string(l, d, "logDriver")),
        log_options,
        devices: linux
            .and_then(|lp| get(lp, d, "devices"))
            .and_then(|(_, v)| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| get(x, d, "hostPath")?.1.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        security_options: cx.strings(get(c, d, "dockerSecurityOptions")),
        sysctls: list_of("systemControls", "namespace"),
        mounts: get(c, d, "mountPoints")
            .and_then(|(_, v)| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|m| {
                        Some((
                            get(m, d, "sourceVolume")?.1.as_str()?.to_string(),
                            get(m, d, "containerPath")?.1.as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        env_names: entries
            .iter()
            .map(|e| {
                get(e, d, "name")
                    .and_then(|(_, n)| n.as_str())
                    .unwrap_or_default()
                    .to_string()
            })
            .collect(),
        env_secrets: crate::image::secrets::env_secrets(env, cx.key),
        env_resolved,
        entry_point: cx.literal_strings(get(c, d, "entryPoint")),
        command: cx.literal_strings(get(c, d, "command")),
        health_check: block(c, d, "healthCheck")
            .and_then(|(_, h)| cx.literal_strings(get(h, d, "command"))),
        pointer,
        keys: set_keys(c),
    }
}

fn volume(cx: &Cx<'_>, v: &Value, d: Dialect, pointer: String) -> Volume {
    let host = if d == Dialect::Tf {
        cx.string(v, d, "hostPath")
    } else {
        block(v, d, "host").and_then(|(_, h)| cx.string(h, d, "sourcePath"))
    };
    let efs = block(v, d, "efsVolumeConfiguration");
    let auth = efs.and_then(|(_, e)| block(e, d, "authorizationConfig"));
    let iam = auth.and_then(|(_, a)| get(a, d, "iam"));
    let efs_iam = iam.and_then(|(_, i)| i.as_str().map(str::to_string));
    Volume {
        name: cx.string(v, d, "name").unwrap_or_default(),
        host_path: host,
        efs: efs.is_some(),
        efs_transit: efs.and_then(|(_, e)| cx.string(e, d, "transitEncryption")),
        efs_iam_unknown: iam.is_some() && efs_iam.is_none(),
        efs_iam,
        efs_pointer: efs.map_or_else(
            || pointer.clone(),
            |(k, _)| format!("{pointer}/{}", locate::escape(k)),
        ),
        pointer,
    }
}

fn service(
    cx: &Cx<'_>,
    s: &Value,
    d: Dialect,
    pointer: String,
    name: String,
    lines: &Arc<locate::Lines>,
) -> Service {
    // The API and CloudFormation nest `awsvpcConfiguration`; Terraform's
    // `network_configuration` block holds `assign_public_ip` itself.
    let mut at = pointer.clone();
    let net = if d == Dialect::Tf {
        block(s, d, "networkConfiguration").map(|(k, n)| {
            at = format!("{at}/{}/0", locate::escape(k));
            n
        })
    } else {
        get(s, d, "networkConfiguration").and_then(|(k, n)| {
            at = format!("{at}/{}", locate::escape(k));
            let (k2, a) = get(n, d, "awsvpcConfiguration")?;
            at = format!("{at}/{}", locate::escape(k2));
            Some(a)
        })
    };
    let public = net.and_then(|n| get(n, d, "assignPublicIp"));
    if let Some((k, _)) = public {
        at = format!("{at}/{}", locate::escape(k));
    }
    let assign_public_ip = match public.map(|(_, v)| v) {
        None => None,
        Some(Value::Bool(true)) => Some("ENABLED".to_string()),
        Some(Value::Bool(false)) => Some("DISABLED".to_string()),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some("ENABLED".into()),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some("DISABLED".into()),
        Some(Value::String(s)) => Some(s.to_ascii_uppercase()),
        Some(_) => {
            cx.unknown();
            None
        }
    };
    Service {
        file: cx.file.to_string(),
        name,
        launch_type: cx.string(s, d, "launchType"),
        assign_public_ip,
        assign_public_ip_at: at,
        task_definition: get(s, d, "taskDefinition")
            .and_then(|(_, v)| v.as_str().map(str::to_string)),
        pointer,
        lines: Arc::clone(lines),
    }
}

#[cfg(test)]
mod tests;
