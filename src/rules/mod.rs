//! The rule registry: one `rules!` list ties each stable id to its metadata file in `rules/`
//! and its check function under `src/rules/<family>/`. Everything that lists rules (SARIF,
//! `hullscan rules`, the docs and the README table) reads this list and the catalog.

pub mod catalog;
pub mod dockerfile;
pub mod ecs;
pub mod finding;
pub mod image;
pub mod registry;
pub mod settings;
#[cfg(test)]
pub(crate) mod testing;

pub use catalog::{Level, RuleMeta};
pub use finding::{Finding, Findings};

pub use settings::Settings;

/// What a check function receives besides the artifact: resolved settings.
#[derive(Debug)]
pub struct RuleContext<'a> {
    /// Thresholds and allow-lists from the configuration.
    pub settings: &'a Settings,
}

static DEFAULT_SETTINGS: std::sync::LazyLock<Settings> =
    std::sync::LazyLock::new(Settings::default);

impl Default for RuleContext<'static> {
    fn default() -> Self {
        RuleContext {
            settings: &DEFAULT_SETTINGS,
        }
    }
}

/// A rule's check function, by the artifact it inspects.
#[derive(Clone, Copy)]
pub enum Check {
    /// Inspects a parsed Dockerfile.
    Dockerfile(fn(&crate::dockerfile::Dockerfile, &RuleContext<'_>, &mut Findings)),
    /// Inspects a scanned image: config, merged filesystem, layers.
    Image(fn(&crate::image::ImageFacts, &RuleContext<'_>, &mut Findings)),
    /// Inspects a registry repository's settings (ECR).
    Repository(fn(&crate::repository::Repository, &RuleContext<'_>, &mut Findings)),
    /// Inspects an ECS task definition.
    TaskDefinition(fn(&crate::ecs::TaskDefinition, &RuleContext<'_>, &mut Findings)),
    /// Inspects an ECS service.
    Service(fn(&crate::ecs::Service, &RuleContext<'_>, &mut Findings)),
    /// Inspects one container of a task definition against the scan of its image
    /// (`hullscan ecs` when it scans images).
    Launch(fn(&crate::ecs::Launch<'_>, &RuleContext<'_>, &mut Findings)),
}

/// Expands the rule list into `RuleId`, its metadata source and its dispatch table.
/// A missing `rules/<ID>.toml` is a compile error.
macro_rules! rules {
    ($($id:ident => $family:ident :: $module:ident, $kind:ident;)*) => {
        /// A stable rule id. Ids never change meaning; a retired rule keeps its id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $(
            #[doc = concat!("See `rules/", stringify!($id), ".toml`.")]
            $id
        ),* }

        impl RuleId {
            /// Every rule, in id order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$id),*];

            /// The id as written (`DF001`).
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(RuleId::$id => stringify!($id)),* }
            }

            /// The rule's TOML metadata source, embedded at build time.
            #[must_use]
            pub fn toml_source(self) -> &'static str {
                match self { $(RuleId::$id => include_str!(
                    concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", stringify!($id), ".toml")
                )),* }
            }

            /// The rule's check function.
            #[must_use]
            pub fn check(self) -> Check {
                match self { $(RuleId::$id => Check::$kind($family::$module::check)),* }
            }
        }
    };
}

rules! {
    DF001 => dockerfile::df001_root_user, Dockerfile;
    DF002 => dockerfile::df002_mutable_base_tag, Dockerfile;
    DF003 => dockerfile::df003_base_not_pinned, Dockerfile;
    DF004 => dockerfile::df004_single_stage_build_tooling, Dockerfile;
    DF005 => dockerfile::df005_add_local_files, Dockerfile;
    DF006 => dockerfile::df006_add_unverified_url, Dockerfile;
    DF007 => dockerfile::df007_curl_pipe_shell, Dockerfile;
    DF008 => dockerfile::df008_sudo, Dockerfile;
    DF009 => dockerfile::df009_ssh_port, Dockerfile;
    DF010 => dockerfile::df010_secret_in_env, Dockerfile;
    DF011 => dockerfile::df011_missing_healthcheck, Dockerfile;
    DF012 => dockerfile::df012_chmod_setuid, Dockerfile;
    DF013 => dockerfile::df013_package_cache_kept, Dockerfile;
    DF014 => dockerfile::df014_consecutive_run, Dockerfile;
    DF015 => dockerfile::df015_full_distro_base, Dockerfile;
    DF016 => dockerfile::df016_untrusted_registry, Dockerfile;
    DF017 => dockerfile::df017_tls_verification_disabled, Dockerfile;
    DF018 => dockerfile::df018_apt_update_alone, Dockerfile;
    DF019 => dockerfile::df019_system_upgrade, Dockerfile;
    FS001 => image::fs001_setuid_file, Image;
    FS002 => image::fs002_shell, Image;
    FS003 => image::fs003_package_manager, Image;
    FS004 => image::fs004_network_tool, Image;
    FS005 => image::fs005_build_tooling, Image;
    FS006 => image::fs006_secret_file, Image;
    FS007 => image::fs007_empty_password, Image;
    FS008 => image::fs008_file_capabilities, Image;
    FS009 => image::fs009_world_writable, Image;
    FS010 => image::fs010_vcs_metadata, Image;
    FS011 => image::fs011_duplicate_root, Image;
    IC001 => image::ic001_image_root_user, Image;
    IC002 => image::ic002_mutable_reference, Image;
    IC003 => image::ic003_secret_in_config_env, Image;
    IC004 => image::ic004_image_missing_healthcheck, Image;
    IC005 => image::ic005_image_ssh_port, Image;
    IC006 => image::ic006_history_instructions, Image;
    IC007 => image::ic007_secret_in_history, Image;
    LY001 => image::ly001_oversized_layer, Image;
    LY002 => image::ly002_wasted_space, Image;
    LY003 => image::ly003_too_many_layers, Image;
    LY004 => image::ly004_package_cache, Image;
    RG001 => registry::rg001_mutable_tags, Repository;
    RG002 => registry::rg002_scan_on_push_off, Repository;
    RG003 => registry::rg003_default_encryption, Repository;
    RG004 => registry::rg004_unsigned_image, Image;
    TD001 => ecs::td001_privileged_container, TaskDefinition;
    TD002 => ecs::td002_writable_root_filesystem, TaskDefinition;
    TD003 => ecs::td003_container_root_user, TaskDefinition;
    TD004 => ecs::td004_host_network_mode, TaskDefinition;
    TD005 => ecs::td005_host_namespace, TaskDefinition;
    TD006 => ecs::td006_added_capabilities, TaskDefinition;
    TD007 => ecs::td007_sensitive_host_mount, TaskDefinition;
    TD008 => ecs::td008_secret_in_environment, TaskDefinition;
    TD009 => ecs::td009_container_logging_missing, TaskDefinition;
    TD010 => ecs::td010_image_without_digest, TaskDefinition;
    TD011 => ecs::td011_efs_transit_unencrypted, TaskDefinition;
    TD012 => ecs::td012_host_device, TaskDefinition;
    TD013 => ecs::td013_confinement_disabled, TaskDefinition;
    TD014 => ecs::td014_host_system_controls, TaskDefinition;
    TD015 => ecs::td015_task_image_untrusted_registry, TaskDefinition;
    TD016 => ecs::td016_fargate_unsupported_setting, TaskDefinition;
    TD017 => ecs::td017_container_shell_missing, Launch;
    TD018 => ecs::td018_capabilities_not_dropped, TaskDefinition;
    TD019 => ecs::td019_service_public_ip, Service;
    TD020 => ecs::td020_bridge_network_mode, TaskDefinition;
    TD021 => ecs::td021_task_role_is_execution_role, TaskDefinition;
    TD022 => ecs::td022_resolved_secret_in_environment, TaskDefinition;
    TD023 => ecs::td023_efs_without_iam_authorization, TaskDefinition;
    TD024 => ecs::td024_log_driver_plaintext_network, TaskDefinition;
}

impl RuleId {
    /// True for rules that inspect Dockerfiles.
    #[must_use]
    pub fn is_dockerfile(self) -> bool {
        matches!(self.check(), Check::Dockerfile(_))
    }

    /// True for rules that inspect registry repository settings.
    #[must_use]
    pub fn is_repository(self) -> bool {
        matches!(self.check(), Check::Repository(_))
    }

    /// True for rules that inspect ECS task definitions (alone, or with their images).
    #[must_use]
    pub fn is_task_definition(self) -> bool {
        matches!(
            self.check(),
            Check::TaskDefinition(_) | Check::Launch(_) | Check::Service(_)
        )
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RuleId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|id| id.as_str().eq_ignore_ascii_case(s) || id.meta().name == s)
            .ok_or_else(|| format!("unknown rule `{s}` (see `hullscan rules`)"))
    }
}

impl RuleId {
    /// The rules that map a peer's id (`DL3007`, `CKV_DOCKER_2`, `CIS-DI-0001`), for users
    /// coming from hadolint, checkov, dockle or trivy; empty when none does.
    #[must_use]
    pub fn for_peer(peer: &str) -> Vec<RuleId> {
        RuleId::ALL
            .iter()
            .copied()
            .filter(|id| {
                id.meta()
                    .peers
                    .values()
                    .flatten()
                    .any(|p| p.eq_ignore_ascii_case(peer))
            })
            .collect()
    }

    /// The peer tool whose id format `s` has (`DL3008` hadolint, `CKV_DOCKER_2` checkov,
    /// `DS026` trivy, `CIS-DI-0001` dockle, `ECS.2` Security Hub), whether or not a hullscan
    /// rule maps it: an id from another tool with no equivalent is not a typo.
    #[must_use]
    pub fn peer_tool(s: &str) -> Option<&'static str> {
        let u = s.to_ascii_uppercase();
        let digits = |t: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
        };
        if let Some(t) = u.strip_prefix("DL").or_else(|| u.strip_prefix("SC"))
            && digits(t, 4..=4)
        {
            return Some("hadolint");
        }
        if [
            "CKV_DOCKER_",
            "CKV2_DOCKER_",
            "CKV_AWS_",
            "CKV2_AWS_",
            "CKV_K8S_",
        ]
        .iter()
        .any(|p| u.strip_prefix(p).is_some_and(|t| digits(t, 1..=4)))
        {
            return Some("checkov");
        }
        if ["DS", "DS-", "AVD-DS-", "AVD-AWS-", "KSV"]
            .iter()
            .any(|p| u.strip_prefix(p).is_some_and(|t| digits(t, 3..=4)))
        {
            return Some("trivy");
        }
        if ["CIS-DI-", "DKL-DI-", "DKL-LI-"]
            .iter()
            .any(|p| u.strip_prefix(p).is_some_and(|t| digits(t, 4..=4)))
        {
            return Some("dockle");
        }
        if u.strip_prefix("ECS.").is_some_and(|t| digits(t, 1..=3)) {
            return Some("security-hub");
        }
        None
    }

    /// A rule id or name, or a peer's id mapped to the rules that cover it.
    ///
    /// # Errors
    /// When `s` is none of these.
    pub fn parse_many(s: &str) -> Result<Vec<RuleId>, String> {
        match s.parse::<RuleId>() {
            Ok(id) => Ok(vec![id]),
            Err(e) => {
                let mapped = Self::for_peer(s);
                if mapped.is_empty() {
                    Err(e)
                } else {
                    Ok(mapped)
                }
            }
        }
    }

    /// The rule's parsed metadata.
    #[must_use]
    pub fn meta(self) -> &'static RuleMeta {
        catalog::meta(self)
    }
}
