//! Thresholds and allow-lists that rules read. They live with the rules, not with the
//! configuration file that fills them, so rules never depend on how settings are loaded.

use globset::Glob;

/// Thresholds and allow-lists that rules read.
#[derive(Debug, Clone)]
pub struct Settings {
    /// DF016: registries (or `registry/namespace` prefixes) base images may come from.
    /// Empty means no allow-list is configured and DF016 stays silent.
    pub allowed_registries: Vec<String>,
    /// FS001: path globs whose setuid/setgid bits are accepted.
    pub setuid_allow: Vec<String>,
    /// LY001: largest compressed layer, bytes.
    pub max_layer_compressed: u64,
    /// LY001: largest uncompressed layer, bytes.
    pub max_layer_uncompressed: u64,
    /// LY002: wasted bytes tolerated per image.
    pub max_wasted_bytes: u64,
    /// LY003: most layers per image.
    pub max_layers: usize,
    /// LY004: smallest cache worth reporting, bytes.
    pub min_cache_bytes: u64,
    /// FS006, IC003, IC007, DF010: path globs whose secrets are accepted (`[secrets] allow-paths`).
    pub secrets_allow_paths: Vec<String>,
    /// FS006, IC003, IC007, DF010: secret kinds not reported (`[secrets] allow-kinds`).
    pub secrets_allow_kinds: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            allowed_registries: Vec::new(),
            setuid_allow: Vec::new(),
            max_layer_compressed: 256 << 20,
            max_layer_uncompressed: 1 << 30,
            max_wasted_bytes: 20 << 20,
            max_layers: 40,
            min_cache_bytes: 1 << 20,
            secrets_allow_paths: Vec::new(),
            secrets_allow_kinds: Vec::new(),
        }
    }
}

impl Settings {
    /// True when `allowed-registries` lists the image's registry, or a repository prefix of
    /// its name (DF016 for bases, TD015 for task definition images).
    #[must_use]
    pub fn registry_allowed(&self, r: &crate::reference::ImageRef) -> bool {
        let name = r.name();
        self.allowed_registries.iter().any(|a| {
            let a = a.trim_end_matches('/');
            a == r.registry || name == a || name.starts_with(&format!("{a}/"))
        })
    }

    /// True if `path` matches a `setuid-allow` glob (validated when the config was loaded).
    #[must_use]
    pub fn setuid_allowed(&self, path: &str) -> bool {
        self.setuid_allow
            .iter()
            .any(|g| Glob::new(g).is_ok_and(|g| g.compile_matcher().is_match(path)))
    }

    /// True if a secret of `kind` at `path` (a file, or `None` for config and Dockerfile
    /// places) is accepted by `[secrets]` allow-lists.
    #[must_use]
    pub fn secret_allowed(&self, kind: &str, path: Option<&str>) -> bool {
        self.secrets_allow_kinds.iter().any(|k| k == kind)
            || path.is_some_and(|p| {
                self.secrets_allow_paths
                    .iter()
                    .any(|g| Glob::new(g).is_ok_and(|g| g.compile_matcher().is_match(p)))
            })
    }
}
