//! `.hullscan.toml`: found upward from the working directory (or given by `--config`),
//! parsed strictly (unknown keys are errors, so typos do not silently disable policy),
//! then merged with command-line overrides into a [`Config`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::image::layer::Limits;
pub use crate::rules::Settings;
use crate::rules::{Level, RuleId};

/// The file name looked up from the working directory upward.
pub const FILE_NAME: &str = ".hullscan.toml";

/// Errors reading or validating a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("reading `{path}`: {source}")]
    Read {
        /// The config file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The TOML is malformed or has unknown keys.
    #[error("{}:{message}", path.display())]
    Parse {
        /// The config file.
        path: PathBuf,
        /// `LINE:COLUMN: ` and the parser's message.
        message: String,
    },
    /// A value is out of its domain (unknown rule id, bad glob, bad date).
    #[error("`{path}`: {message}")]
    Invalid {
        /// The config file (or `command line`).
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    fail_on: Option<String>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    dockerfile: RawDockerfile,
    #[serde(default)]
    image: RawImage,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    registry: RawRegistry,
    #[serde(default)]
    secrets: RawSecrets,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSecrets {
    enabled: Option<bool>,
    binaries: Option<bool>,
    max_file_size: Option<u64>,
    allow_paths: Option<Vec<String>>,
    allow_kinds: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRegistry {
    #[serde(default)]
    endpoints: BTreeMap<String, String>,
    #[serde(default)]
    ecr_hosts: Vec<String>,
    #[serde(default)]
    token_realms: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRules {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    enable: Vec<String>,
    #[serde(default)]
    levels: BTreeMap<String, Level>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDockerfile {
    allowed_registries: Option<Vec<String>>,
    max_file_size: Option<u64>,
    resolve_bases: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawImage {
    setuid_allow: Option<Vec<String>>,
    max_layer_compressed: Option<u64>,
    max_layer_uncompressed: Option<u64>,
    max_wasted_bytes: Option<u64>,
    max_layers: Option<usize>,
    min_cache_bytes: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLimits {
    max_layer_bytes: Option<u64>,
    max_ratio: Option<u64>,
    max_entries: Option<u64>,
    max_path_length: Option<usize>,
    capture_bytes: Option<usize>,
    max_metadata_bytes: Option<u64>,
    layer_jobs: Option<usize>,
    image_timeout: Option<Duration>,
}

/// A duration in the config: seconds, or a string with a unit (`"30m"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Duration {
    Secs(u64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawIgnore {
    rule: String,
    path: Option<String>,
    image: Option<String>,
    dockerfile: Option<String>,
    fingerprint: Option<String>,
    reason: String,
    expires: Option<String>,
}

/// An ignore entry: a rule silenced for matching paths, with the reason it is acceptable.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// The rule silenced.
    pub rule: RuleId,
    /// Glob on a file in the image (or, as it always did, on a Dockerfile path); `None`
    /// matches every file.
    pub path: Option<GlobMatcher>,
    /// Glob on the image reference (`registry/team/app:*`).
    pub image: Option<GlobMatcher>,
    /// Glob on the Dockerfile path of Dockerfile findings (and of image findings mapped to
    /// one with `--dockerfile`).
    pub dockerfile: Option<GlobMatcher>,
    /// The glob as written, for messages.
    pub path_text: Option<String>,
    /// A finding's `fingerprint`, or a secret's `secret_fingerprint` (FS006, IC003, IC007):
    /// only that finding, or that secret wherever it is, is silenced.
    pub fingerprint: Option<String>,
    /// Why this is accepted.
    pub reason: String,
    /// `YYYY-MM-DD` after which the entry no longer applies.
    pub expires: Option<String>,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it came from, if a file.
    pub source: Option<PathBuf>,
    /// Rules that run.
    pub enabled: Vec<RuleId>,
    /// Level overrides.
    pub levels: BTreeMap<RuleId, Level>,
    /// Rule settings.
    pub settings: Settings,
    /// Ignore entries.
    pub ignores: Vec<Ignore>,
    /// `fail-on` from the file, if set (the command line wins).
    pub fail_on: Option<String>,
    /// Largest Dockerfile read, in bytes.
    pub max_file_size: u64,
    /// `[dockerfile] resolve-bases`: look up each final base image's config in its registry.
    pub resolve_bases: bool,
    /// Bounds on what one image may make the layer walker do.
    pub limits: Limits,
    /// `[registry] endpoints`: registry host → base URL its traffic goes to (VPC endpoints,
    /// mirrors, test registries).
    pub registry_endpoints: BTreeMap<String, String>,
    /// `[registry] ecr-hosts`: alias hosts to authenticate as ECR.
    pub ecr_hosts: Vec<String>,
    /// `[registry] token-realms`: hosts trusted to receive registry credentials when a
    /// registry's token challenge names them (beyond the registry's own host).
    pub token_realms: Vec<String>,
    /// `[secrets]`: content detection in layers, config and history.
    pub secrets: SecretsConfig,
}

/// `[secrets]`: whether and how image content is searched for secrets (allow-lists live in
/// the rule settings).
#[derive(Debug, Clone)]
pub struct SecretsConfig {
    /// Search every file of every layer (config and history are searched regardless).
    pub enabled: bool,
    /// Search binaries for every kind (they are always searched for the `binary` kinds).
    pub binaries: bool,
    /// Bytes read of one file (a time bound; unlimited by default).
    pub max_file_bytes: u64,
}

impl Default for SecretsConfig {
    fn default() -> Self {
        SecretsConfig {
            enabled: true,
            binaries: false,
            max_file_bytes: crate::secrets::FileOptions::default().max_file_bytes,
        }
    }
}

/// Default cap on a Dockerfile's size: real ones are a few KiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

impl Default for Config {
    fn default() -> Self {
        Config {
            source: None,
            enabled: RuleId::ALL.to_vec(),
            levels: BTreeMap::new(),
            settings: Settings::default(),
            ignores: Vec::new(),
            fail_on: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            resolve_bases: false,
            limits: Limits::default(),
            registry_endpoints: BTreeMap::new(),
            ecr_hosts: Vec::new(),
            token_realms: Vec::new(),
            secrets: SecretsConfig::default(),
        }
    }
}

/// Checks one `HOST=URL` registry endpoint mapping: a bare host and an http(s) URL.
///
/// # Errors
/// What is wrong with it.
pub fn check_endpoint(host: &str, url: &str) -> Result<(), String> {
    if host.is_empty() || host.contains('/') {
        return Err(format!("`{host}` must be a registry host[:port]"));
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() <= "https://".len()
    {
        return Err(format!(
            "`{url}` for `{host}` must be an http:// or https:// URL"
        ));
    }
    Ok(())
}

/// Finds a hadolint configuration (`.hadolint.yaml` or `.hadolint.yml`) in `start` or the
/// nearest ancestor, for projects that have no `.hullscan.toml` yet.
#[must_use]
pub fn discover_hadolint(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|d| {
        [".hadolint.yaml", ".hadolint.yml"]
            .iter()
            .map(|n| d.join(n))
            .find(|p| p.is_file())
    })
}

/// Finds `.hullscan.toml` in `start` or the nearest ancestor.
#[must_use]
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

impl Config {
    /// Loads and validates a configuration file.
    ///
    /// # Errors
    /// When the file cannot be read, is not valid TOML, has unknown keys, or names unknown
    /// rules, bad globs or bad dates.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml(&text, path)
    }

    /// Reads what a hadolint configuration says that hullscan can honour: `ignored` rule ids
    /// (mapped to the rules that cover them; ids nothing maps are skipped) and
    /// `trustedRegistries` (DF016). Only these two keys of the YAML are read, as block or
    /// flow lists.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn from_hadolint(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut cfg = Config {
            source: Some(path.to_path_buf()),
            ..Config::default()
        };
        let list = |key: &str| -> Vec<String> {
            let mut out = Vec::new();
            let mut lines = text.lines().peekable();
            while let Some(line) = lines.next() {
                let Some(rest) = line
                    .trim_end()
                    .strip_prefix(key)
                    .and_then(|r| r.strip_prefix(':'))
                else {
                    continue;
                };
                let rest = rest.trim();
                if let Some(inner) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                    out.extend(
                        inner
                            .split(',')
                            .map(|v| v.trim().trim_matches(['"', '\'']).to_string()),
                    );
                } else {
                    while let Some(item) =
                        lines.peek().and_then(|l| l.trim_start().strip_prefix("- "))
                    {
                        let item = item.split(" #").next().unwrap_or(item);
                        out.push(item.trim().trim_matches(['"', '\'']).to_string());
                        lines.next();
                    }
                }
            }
            out.retain(|v| !v.is_empty());
            out
        };
        for id in list("ignored") {
            for rule in RuleId::for_peer(&id) {
                cfg.enabled.retain(|r| *r != rule);
            }
        }
        let trusted = list("trustedRegistries");
        if !trusted.is_empty() {
            cfg.settings.allowed_registries = trusted;
        }
        Ok(cfg)
    }

    /// Parses configuration text; `path` is used in messages only.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            // `FILE:LINE:COLUMN: message`, as compilers print it.
            let at = e.span().map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("{line}:{col}: ")
            });
            ConfigError::Parse {
                path: path.to_path_buf(),
                message: format!("{}{}", at.unwrap_or_else(|| " ".into()), e.message()),
            }
        })?;
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let mut cfg = Config {
            source: Some(path.to_path_buf()),
            ..Config::default()
        };
        cfg.apply_toggles(&raw.rules.disable, &raw.rules.enable)
            .map_err(invalid)?;
        for (id, level) in raw.rules.levels {
            let id: RuleId = id.parse().map_err(invalid)?;
            cfg.levels.insert(id, level);
        }
        if let Some(r) = raw.dockerfile.allowed_registries {
            cfg.settings.allowed_registries = r;
        }
        let img = raw.image;
        if let Some(globs) = img.setuid_allow {
            for g in &globs {
                Glob::new(g).map_err(|e| invalid(format!("image.setuid-allow: {e}")))?;
            }
            cfg.settings.setuid_allow = globs;
        }
        let s = &mut cfg.settings;
        s.max_layer_compressed = img.max_layer_compressed.unwrap_or(s.max_layer_compressed);
        s.max_layer_uncompressed = img
            .max_layer_uncompressed
            .unwrap_or(s.max_layer_uncompressed);
        s.max_wasted_bytes = img.max_wasted_bytes.unwrap_or(s.max_wasted_bytes);
        s.max_layers = img.max_layers.unwrap_or(s.max_layers);
        s.min_cache_bytes = img.min_cache_bytes.unwrap_or(s.min_cache_bytes);
        let l = raw.limits;
        let lim = &mut cfg.limits;
        lim.max_layer_bytes = l.max_layer_bytes.unwrap_or(lim.max_layer_bytes);
        lim.max_ratio = l.max_ratio.unwrap_or(lim.max_ratio);
        lim.max_entries = l.max_entries.unwrap_or(lim.max_entries);
        lim.max_path_len = l.max_path_length.unwrap_or(lim.max_path_len);
        lim.capture_bytes = l.capture_bytes.unwrap_or(lim.capture_bytes);
        lim.max_metadata_bytes = l.max_metadata_bytes.unwrap_or(lim.max_metadata_bytes);
        lim.layer_jobs = l.layer_jobs.unwrap_or(lim.layer_jobs);
        if let Some(t) = l.image_timeout {
            let text = match t {
                Duration::Secs(n) => n.to_string(),
                Duration::Text(t) => t,
            };
            lim.image_timeout = Some(
                crate::units::parse_duration(&text)
                    .map_err(|e| invalid(format!("limits.image-timeout: {e}")))?,
            );
        }
        for (host, url) in &raw.registry.endpoints {
            check_endpoint(host, url).map_err(|e| invalid(format!("registry.endpoints: {e}")))?;
        }
        cfg.registry_endpoints = raw.registry.endpoints;
        let sec = raw.secrets;
        cfg.secrets.enabled = sec.enabled.unwrap_or(true);
        cfg.secrets.binaries = sec.binaries.unwrap_or(false);
        cfg.secrets.max_file_bytes = sec.max_file_size.unwrap_or(cfg.secrets.max_file_bytes);
        if let Some(globs) = sec.allow_paths {
            for g in &globs {
                Glob::new(g).map_err(|e| invalid(format!("secrets.allow-paths: {e}")))?;
            }
            cfg.settings.secrets_allow_paths = globs;
        }
        if let Some(kinds) = sec.allow_kinds {
            for k in &kinds {
                let known = k == crate::image::secrets::NAMED
                    || crate::secrets::detector().kind(k).is_some();
                if !known {
                    let ids: Vec<&str> = crate::secrets::detector()
                        .kinds()
                        .iter()
                        .map(|k| k.id.as_str())
                        .collect();
                    return Err(invalid(format!(
                        "secrets.allow-kinds: unknown kind `{k}` (known: {}, {})",
                        ids.join(", "),
                        crate::image::secrets::NAMED
                    )));
                }
            }
            cfg.settings.secrets_allow_kinds = kinds;
        }
        cfg.ecr_hosts = raw.registry.ecr_hosts;
        cfg.token_realms = raw.registry.token_realms;
        if let Some(m) = raw.dockerfile.max_file_size {
            cfg.max_file_size = m;
        }
        cfg.resolve_bases = raw.dockerfile.resolve_bases.unwrap_or(false);
        if let Some(f) = raw.fail_on {
            if !matches!(f.as_str(), "error" | "warning" | "note" | "never") {
                return Err(invalid(format!(
                    "fail-on `{f}` must be error, warning, note or never"
                )));
            }
            cfg.fail_on = Some(f);
        }
        for (n, ig) in raw.ignore.into_iter().enumerate() {
            let rule: RuleId = ig
                .rule
                .parse()
                .map_err(|e| invalid(format!("ignore #{}: {e}", n + 1)))?;
            if ig.reason.trim().is_empty() {
                return Err(invalid(format!("ignore #{}: `reason` must say why", n + 1)));
            }
            let glob =
                |what: &str, g: &Option<String>| -> Result<Option<GlobMatcher>, ConfigError> {
                    g.as_deref()
                        .map(|p| {
                            Glob::new(p)
                                .map(|g| g.compile_matcher())
                                .map_err(|e| invalid(format!("ignore #{}: {what}: {e}", n + 1)))
                        })
                        .transpose()
                };
            let path = glob("path", &ig.path)?;
            let image = glob("image", &ig.image)?;
            let dockerfile = glob("dockerfile", &ig.dockerfile)?;
            if let Some(d) = &ig.expires
                && parse_date(d).is_none()
            {
                return Err(invalid(format!(
                    "ignore #{}: expires `{d}` is not a YYYY-MM-DD date",
                    n + 1
                )));
            }
            if let Some(fp) = &ig.fingerprint
                && (fp.len() != 16 || !fp.bytes().all(|b| b.is_ascii_hexdigit()))
            {
                return Err(invalid(format!(
                    "ignore #{}: fingerprint `{fp}` must be the 16 hex digits of a finding's `fingerprint` or `secret_fingerprint`",
                    n + 1
                )));
            }
            cfg.ignores.push(Ignore {
                rule,
                path,
                image,
                dockerfile,
                fingerprint: ig.fingerprint,
                path_text: ig.path.or(ig.image).or(ig.dockerfile),
                reason: ig.reason,
                expires: ig.expires,
            });
        }
        Ok(cfg)
    }

    /// Applies `--disable`/`--enable` lists (enable wins, as it is the later word).
    ///
    /// # Errors
    /// An unknown rule id or name.
    pub fn apply_toggles(
        &mut self,
        disable: &[String],
        enable: &[String],
    ) -> Result<Vec<String>, String> {
        let mut warnings = Vec::new();
        // A peer's id (`DL3007`) stands for the rules that map it; one no rule maps is a
        // warning that says so, as `.hadolint.yaml` and `# hadolint ignore=` treat it.
        let mut resolve = |s: &String| match RuleId::parse_many(s) {
            Ok(ids) => Ok(ids),
            Err(e) => match RuleId::peer_tool(s) {
                Some(tool) => {
                    warnings.push(format!(
                        "`{s}` is {tool}'s; no hullscan rule covers it, so it changes nothing"
                    ));
                    Ok(Vec::new())
                }
                None => Err(e),
            },
        };
        let mut off = Vec::new();
        for d in disable {
            off.extend(resolve(d)?);
        }
        let mut on = Vec::new();
        for e in enable {
            on.extend(resolve(e)?);
        }
        self.enabled.retain(|r| !off.contains(r));
        for id in on {
            if !self.enabled.contains(&id) {
                self.enabled.push(id);
            }
        }
        self.enabled.sort();
        Ok(warnings)
    }

    /// The level a rule's findings get.
    #[must_use]
    pub fn level(&self, id: RuleId) -> Level {
        self.levels
            .get(&id)
            .copied()
            .unwrap_or_else(|| id.meta().level)
    }
}

/// Parses `YYYY-MM-DD` into a comparable (year, month, day).
#[must_use]
pub fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let mut it = s.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    (it.next().is_none() && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Today's UTC date, from the system clock (`HULLSCAN_TODAY` overrides it for tests).
#[must_use]
pub fn today() -> (i64, u32, u32) {
    if let Some(d) = std::env::var("HULLSCAN_TODAY")
        .ok()
        .and_then(|s| parse_date(&s))
    {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400).cast_signed())
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
/// Days since 1970-01-01 of a civil date (the inverse of `civil_from_days`).
#[must_use]
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_414), (2025, 11, 22));
        assert_eq!(days_from_civil(2025, 11, 22), 20_414);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_date("2027-01-31"), Some((2027, 1, 31)));
        assert_eq!(parse_date("2027-13-01"), None);
    }

    #[test]
    fn parses_full_file() {
        let cfg = Config::from_toml(
            r#"
fail-on = "warning"
[rules]
disable = ["DF011", "consecutive-run"]
levels = { DF003 = "warning" }
[dockerfile]
allowed-registries = ["ghcr.io/acme"]
[[ignore]]
rule = "DF001"
path = "legacy/**"
reason = "legacy image runs as root until JIRA-12"
expires = "2030-01-01"
"#,
            Path::new(".hullscan.toml"),
        )
        .unwrap();
        assert!(!cfg.enabled.contains(&RuleId::DF011));
        assert!(!cfg.enabled.contains(&RuleId::DF014));
        assert_eq!(cfg.level(RuleId::DF003), Level::Warning);
        assert_eq!(cfg.ignores.len(), 1);
    }

    #[test]
    fn image_timeout() {
        let p = Path::new("x.toml");
        let t = |text: &str| Config::from_toml(text, p).map(|c| c.limits.image_timeout);
        let secs = |n| Some(std::time::Duration::from_secs(n));
        assert_eq!(t("").unwrap(), secs(1800));
        assert_eq!(t("[limits]\nimage-timeout = \"5m\"").unwrap(), secs(300));
        assert_eq!(t("[limits]\nimage-timeout = 90").unwrap(), secs(90));
        let err = t("[limits]\nimage-timeout = \"soon\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("limits.image-timeout"), "{err}");
    }

    #[test]
    fn rejects_unknown_keys_and_rules() {
        let p = Path::new("x.toml");
        assert!(Config::from_toml("[rules]\ndisabled = []", p).is_err());
        assert!(Config::from_toml("[rules]\ndisable = [\"XX999\"]", p).is_err());
        assert!(Config::from_toml("[[ignore]]\nrule = \"DF001\"\nreason = \"\"", p).is_err());
    }

    #[test]
    fn peer_ids_without_a_rule_warn_instead_of_failing() {
        let mut cfg = Config::default();
        let w = cfg
            .apply_toggles(&["DL3008".into(), "DL3002".into()], &[])
            .unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("`DL3008` is hadolint's"), "{w:?}");
        assert!(!cfg.enabled.contains(&RuleId::DF001), "DL3002 maps DF001");
        assert!(cfg.apply_toggles(&["DF999".into()], &[]).is_err());
        assert!(cfg.apply_toggles(&["nonsense".into()], &[]).is_err());
    }
}
