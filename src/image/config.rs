//! The image configuration blob (OCI and Docker v2): the runtime defaults and history that
//! config rules read. A small struct of our own rather than `oci_spec::image::ImageConfiguration`
//! because that type lacks Docker's `Healthcheck` and rejects configs with unknown `os`/`architecture`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The parts of an image config hullscan reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImageConfig {
    /// `linux`, `windows`, ...
    #[serde(default)]
    pub os: String,
    /// `amd64`, `arm64`, ...
    #[serde(default)]
    pub architecture: String,
    /// `v8` and the like.
    #[serde(default)]
    pub variant: Option<String>,
    /// Runtime defaults.
    #[serde(default)]
    pub config: Option<RuntimeConfig>,
    /// Layer diff ids.
    #[serde(default)]
    pub rootfs: Option<RootFs>,
    /// One entry per build step, empty ones included.
    #[serde(default)]
    pub history: Vec<History>,
}

/// `config` of an image config.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuntimeConfig {
    /// `user[:group]` the process runs as.
    #[serde(default)]
    pub user: Option<String>,
    /// `KEY=value` pairs.
    #[serde(default)]
    pub env: Option<Vec<String>>,
    /// `port/proto` keys.
    #[serde(default)]
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    /// Docker's healthcheck (absent in pure OCI configs).
    #[serde(default)]
    pub healthcheck: Option<Healthcheck>,
    /// Entrypoint.
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    /// Command.
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
    /// Labels; values are kept as JSON so a non-string value cannot fail the whole config.
    #[serde(default)]
    pub labels: Option<BTreeMap<String, serde_json::Value>>,
}

/// Docker healthcheck; `Test: ["NONE"]` disables an inherited one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Healthcheck {
    /// `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]`.
    #[serde(default)]
    pub test: Option<Vec<String>>,
}

/// `rootfs` of an image config.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RootFs {
    /// Digests of the uncompressed layers.
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

/// A history entry.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct History {
    /// The build step (`RUN /bin/sh -c …`).
    #[serde(default)]
    pub created_by: Option<String>,
    /// True for steps that made no layer (`ENV`, `CMD`).
    #[serde(default)]
    pub empty_layer: Option<bool>,
    /// Free text.
    #[serde(default)]
    pub comment: Option<String>,
}

impl ImageConfig {
    /// `os/arch[/variant]`.
    #[must_use]
    pub fn platform(&self) -> String {
        match &self.variant {
            Some(v) if !v.is_empty() => format!("{}/{}/{v}", self.os, self.architecture),
            _ => format!("{}/{}", self.os, self.architecture),
        }
    }

    /// The configured user, empty when unset.
    #[must_use]
    pub fn user(&self) -> &str {
        self.config
            .as_ref()
            .and_then(|c| c.user.as_deref())
            .unwrap_or("")
    }

    /// Environment as (key, value).
    #[must_use]
    pub fn env(&self) -> Vec<(String, String)> {
        self.config
            .as_ref()
            .and_then(|c| c.env.as_ref())
            .map(|e| {
                e.iter()
                    .map(|kv| match kv.split_once('=') {
                        Some((k, v)) => (k.to_string(), v.to_string()),
                        None => (kv.clone(), String::new()),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Labels as (key, value), string values only.
    #[must_use]
    pub fn labels(&self) -> Vec<(String, String)> {
        self.config
            .as_ref()
            .and_then(|c| c.labels.as_ref())
            .map(|l| {
                l.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// History entries that made a layer, in layer order, paired with the layer index.
    #[must_use]
    pub fn layer_history(&self) -> Vec<(usize, &History)> {
        self.history
            .iter()
            .filter(|h| !h.empty_layer.unwrap_or(false))
            .enumerate()
            .collect()
    }
}
