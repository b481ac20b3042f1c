//! The command line: argument definitions (clap derive) and the glue from arguments to the
//! library. `anyhow` lives here and in `main.rs` only.

mod batch;
mod dockerfile;
mod ecr;
mod ecs;
mod image;
mod rules;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use hullscan::config::{self, Config};
use hullscan::report::{self, Format, Report};
use hullscan::rules::Level;

/// Container image hardening scanner: lints Dockerfiles and reports what makes an image
/// easy to attack, with the line to fix.
#[derive(Debug, Parser)]
#[command(name = "hullscan", version, about, max_term_width = 100)]
#[command(
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage or operational error."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint Dockerfiles and Containerfiles (files, directories searched recursively, or `-` for stdin).
    Dockerfile(dockerfile::DockerfileArgs),
    /// Scan an image from a registry, an OCI layout or an archive (HOST/REPO:TAG, oci:DIR, docker-archive:FILE).
    Image(image::ImageArgs),
    /// Check ECR repository settings: tag immutability, scan on push, KMS encryption (RG001-RG003).
    EcrPosture(ecr::EcrPostureArgs),
    /// Check ECS task definitions (register/describe JSON, CloudFormation JSON or YAML, Terraform plans, or live) against the ECS best-practices guide, joined with the images they run.
    Ecs(ecs::EcsArgs),
    /// Scan every repository and tag of a registry (or an ECR account), each unique layer once.
    Registry(batch::RegistryScanArgs),
    /// Combine JSON Lines outputs of `hullscan registry` shards into one result set.
    Merge(batch::MergeArgs),
    /// Print the rule catalog, or one rule's documentation.
    Rules(rules::RulesArgs),
}

/// `--min-level` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MinLevel {
    /// Everything.
    Note,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

/// When to exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Note => Some(Level::Note),
            FailOn::Never => None,
        }
    }
}

/// Which configuration applies and which rules run.
#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {
    /// Configuration file [default: .hullscan.toml found from the working directory upward].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any .hullscan.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Turn rules off: ids, names, or a peer's id such as DL3007 (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    disable: Vec<String>,
    /// Turn rules on again (ids or names).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    enable: Vec<String>,
}

impl ConfigArgs {
    /// Loads `.hullscan.toml` (given, found upward, or none) and applies `--disable`/`--enable`.
    fn load(&self) -> Result<Config> {
        let path = if self.no_config {
            None
        } else {
            match &self.config {
                Some(p) => Some(p.clone()),
                None => std::env::current_dir()
                    .ok()
                    .and_then(|d| config::discover(&d)),
            }
        };
        let mut cfg = match &path {
            Some(p) => Config::load(p)?,
            // Coming from hadolint: its `ignored` and `trustedRegistries` apply until a
            // `.hullscan.toml` exists.
            None if !self.no_config => match std::env::current_dir()
                .ok()
                .and_then(|d| config::discover_hadolint(&d))
            {
                Some(h) => {
                    eprintln!(
                        "note: no .hullscan.toml; using `ignored` and `trustedRegistries` from {}",
                        h.display()
                    );
                    Config::from_hadolint(&h)?
                }
                None => Config::default(),
            },
            None => Config::default(),
        };
        let warnings = cfg
            .apply_toggles(&self.disable, &self.enable)
            .map_err(|e| anyhow::anyhow!(e))
            .context("--disable/--enable")?;
        for w in warnings {
            eprintln!("hullscan: warning: --disable/--enable: {w}");
        }
        tracing::debug!(config = ?path, rules = cfg.enabled.len(), "configuration loaded");
        Ok(cfg)
    }
}

/// While a registry request has been waited on for over a second, a spinner on stderr (a
/// terminal, not `--quiet`) says which and for how long, so a silent registry does not look
/// like a hung scan. Stops when dropped.
pub(crate) struct WaitSpinner {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl WaitSpinner {
    pub(crate) fn start(quiet: bool) -> WaitSpinner {
        use std::io::IsTerminal as _;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        if quiet || !std::io::stderr().is_terminal() {
            return WaitSpinner { stop, thread: None };
        }
        let flag = std::sync::Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut shown: Option<indicatif::ProgressBar> = None;
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                match hullscan::source::registry::waiting_on() {
                    Some((url, waited)) if waited.as_secs() >= 1 => {
                        let bar = shown.get_or_insert_with(indicatif::ProgressBar::new_spinner);
                        bar.set_message(format!("waiting for {url} ({} s)", waited.as_secs()));
                        bar.tick();
                    }
                    _ => {
                        if let Some(bar) = shown.take() {
                            bar.finish_and_clear();
                        }
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            if let Some(bar) = shown.take() {
                bar.finish_and_clear();
            }
        });
        WaitSpinner {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for WaitSpinner {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `--secrets`: how image content is searched for secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SecretsMode {
    /// Every file of every layer (binaries for the distinctive token formats), plus config
    /// and history.
    On,
    /// Config and history only: layer files are not read (fastest).
    Off,
    /// Binaries for every kind too, not only the distinctive token formats (slower).
    Binaries,
}

/// Secret detection options of image-scanning commands.
#[derive(Debug, Args)]
pub(crate) struct SecretArgs {
    /// Secret detection in layer files [default: on, or `[secrets] enabled`/`binaries`].
    /// Findings show a masked preview and a keyed fingerprint, never the value.
    #[arg(long, value_enum, value_name = "MODE")]
    secrets: Option<SecretsMode>,
}

impl SecretArgs {
    /// Sets the walker's secret settings in `cfg.limits`, with the fingerprint key.
    pub(crate) fn apply(&self, cfg: &mut Config, quiet: bool) {
        match self.secrets {
            Some(SecretsMode::On) => {
                cfg.secrets.enabled = true;
                cfg.secrets.binaries = false;
            }
            Some(SecretsMode::Off) => cfg.secrets.enabled = false,
            Some(SecretsMode::Binaries) => {
                cfg.secrets.enabled = true;
                cfg.secrets.binaries = true;
            }
            None => {}
        }
        let (scan, warning) = hullscan::scan::secret_scan(&cfg.secrets);
        if let Some(w) = warning
            && !quiet
        {
            eprintln!("warning: {w}");
        }
        cfg.limits.secrets = Some(scan);
    }
}

/// Compiles `--repo`/`--tag` globs; `*` crosses `/`, as repository names nest.
fn globs(patterns: &[String], flag: &str) -> Result<Vec<globset::GlobMatcher>> {
    patterns
        .iter()
        .map(|g| {
            globset::GlobBuilder::new(g)
                .literal_separator(false)
                .build()
                .map(|g| g.compile_matcher())
                .with_context(|| format!("{flag} `{g}`"))
        })
        .collect()
}

/// `--platform` / `--all-platforms` as a platform selection; a malformed platform is an
/// error (`os/arch[/variant]`, lower-case letters and digits).
fn platforms(platform: Option<&String>, all: bool) -> Result<hullscan::source::PlatformSel> {
    use hullscan::source::PlatformSel;
    Ok(match (platform, all) {
        (_, true) => PlatformSel::All,
        (Some(p), false) => {
            let parts: Vec<&str> = p.split('/').collect();
            let ok = (2..=3).contains(&parts.len())
                && parts.iter().all(|x| {
                    !x.is_empty()
                        && x.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                });
            if !ok {
                bail!(
                    "--platform `{p}`: expected os/arch[/variant], such as linux/amd64 or linux/arm64/v8"
                );
            }
            PlatformSel::One(p.clone())
        }
        (None, false) => PlatformSel::Default,
    })
}

/// `--fail-on`, else `fail-on` from the config, else `error`.
fn fail_on(flag: Option<FailOn>, cfg: &Config) -> FailOn {
    flag.unwrap_or(match cfg.fail_on.as_deref() {
        Some("warning") => FailOn::Warning,
        Some("note") => FailOn::Note,
        Some("never") => FailOn::Never,
        _ => FailOn::Error,
    })
}

/// Options shared by every scanning command.
#[derive(Debug, Args)]
pub(crate) struct CommonArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this level [default: error, or `fail-on` in the config].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    #[command(flatten)]
    config: ConfigArgs,
    /// Show only findings at or above this level (the exit status still follows --fail-on).
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = MinLevel::Note)]
    min_level: MinLevel,
    /// SARIF `automationDetails.id`, to keep several scans of one commit apart [default:
    /// `hullscan/dockerfile/`, `hullscan/image/` or `hullscan/ecr/`, by command].
    #[arg(long, value_name = "ID")]
    category: Option<String>,
    /// Print no warnings on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// No colours in the human report (also `NO_COLOR`; colours are on only on a terminal).
    #[arg(long)]
    no_color: bool,
    /// More logging on stderr (-v, -vv); `HULLSCAN_LOG` takes a tracing filter too.
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    verbose: u8,
}

impl CommonArgs {
    /// `--category`, else the command's own.
    fn category(&self, default: &str) -> String {
        self.category.clone().unwrap_or_else(|| default.to_string())
    }

    /// Loads the configuration and applies command-line overrides.
    fn config(&self) -> Result<Config> {
        self.config.load()
    }

    fn fail_on(&self, cfg: &Config) -> FailOn {
        fail_on(self.fail_on, cfg)
    }

    /// Writes the report and returns the exit code it implies.
    fn finish(&self, report: &Report, cfg: &Config) -> Result<u8> {
        if !self.quiet {
            for w in &report.warnings {
                eprintln!("hullscan: warning: {}", hullscan::report::printable(w));
            }
        }
        for e in &report.errors {
            eprintln!("hullscan: error: {e}");
        }
        // What is shown may be less than what is judged: the exit code reads `report`.
        let min = match self.min_level {
            MinLevel::Note => Level::Note,
            MinLevel::Warning => Level::Warning,
            MinLevel::Error => Level::Error,
        };
        let shown_report;
        let report_shown = if min == Level::Note {
            report
        } else {
            let mut r = report.clone();
            r.findings.retain(|f| f.level >= min);
            shown_report = r;
            &shown_report
        };
        if let Some(path) = &self.output {
            let mut f = std::fs::File::create(path)
                .with_context(|| format!("creating `{}`", path.display()))?;
            report::write(self.format, report_shown, &mut f, false)
                .with_context(|| format!("writing `{}`", path.display()))?;
        } else {
            let stdout = std::io::stdout();
            let color =
                !self.no_color && stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut lock = stdout.lock();
            report::write(self.format, report_shown, &mut lock, color)?;
            lock.flush()?;
        }
        if !report.errors.is_empty() {
            return Ok(2);
        }
        let failing = self
            .fail_on(cfg)
            .threshold()
            .is_some_and(|t| report.findings.iter().any(|f| f.level >= t));
        Ok(u8::from(failing))
    }
}

/// How to reach registries; shared by every command that pulls.
#[derive(Debug, Args)]
pub(crate) struct RegistryArgs {
    /// Speak plain HTTP to this registry (host[:port]); repeatable.
    #[arg(long, value_name = "HOST")]
    insecure_registry: Vec<String>,
    /// Seconds a registry may stay silent before a request fails (retried once).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    registry_timeout: u64,
    /// Trust only the CA certificates in this PEM file for registry TLS (default: the host's
    /// `/etc/containers/certs.d` or `/etc/docker/certs.d` directory, else the system store).
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// `--tls-verify=false` turns off certificate checks (throwaway registries only; loud).
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    tls_verify: bool,
    /// Registry user name (the password comes from --password-stdin).
    #[arg(long, value_name = "USER", requires = "password_stdin")]
    username: Option<String>,
    /// Read the registry password (or token) from standard input.
    #[arg(long, requires = "username")]
    password_stdin: bool,
    /// Send a registry host's requests to another URL, e.g. an ECR `dkr` VPC endpoint
    /// (HOST=URL, repeatable; also `[registry] endpoints` in the config).
    #[arg(long, value_name = "HOST=URL")]
    registry_endpoint: Vec<String>,
    /// Log in to the registry as ECR though its host name is an alias or custom endpoint
    /// (account and region then come from the AWS configuration).
    #[arg(long)]
    ecr: bool,
}

impl RegistryArgs {
    /// Registry options from the flags and the config; `host` is the registry `--ecr` applies to.
    pub(crate) fn options(
        &self,
        cfg: &Config,
        host: Option<&str>,
    ) -> Result<hullscan::source::registry::RegistryOptions> {
        let mut opts = hullscan::source::registry::RegistryOptions {
            insecure: self.insecure_registry.clone(),
            read_timeout: Some(std::time::Duration::from_secs(self.registry_timeout.max(1))),
            endpoints: cfg.registry_endpoints.clone(),
            ecr_hosts: cfg.ecr_hosts.clone(),
            token_realms: cfg.token_realms.clone(),
            ..Default::default()
        };
        for pair in &self.registry_endpoint {
            let (h, url) = pair
                .split_once('=')
                .with_context(|| format!("--registry-endpoint `{pair}`: expected HOST=URL"))?;
            config::check_endpoint(h, url)
                .map_err(|e| anyhow::anyhow!(e))
                .context("--registry-endpoint")?;
            opts.endpoints.insert(h.to_string(), url.to_string());
        }
        if self.ecr
            && let Some(h) = host
        {
            opts.ecr_hosts.push(h.to_string());
        }
        opts.skip_tls_verify = !self.tls_verify;
        if let Some(ca) = &self.ca_cert {
            opts.ca_pem =
                Some(std::fs::read(ca).with_context(|| format!("reading `{}`", ca.display()))?);
        }
        if let Some(user) = &self.username {
            let mut password = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut password)
                .context("reading the password from stdin")?;
            opts.credentials = Some((
                user.clone(),
                password.trim_end_matches(['\n', '\r']).to_string(),
            ));
        }
        Ok(opts)
    }
}

/// Sets up logging on stderr: warnings by default, more with `-v`, or `HULLSCAN_LOG`.
fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "hullscan=warn",
        1 => "hullscan=info",
        _ => "hullscan=debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("HULLSCAN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .try_init();
}

/// Runs the parsed command line and returns the process exit code.
///
/// # Errors
/// Operational errors (bad configuration, unwritable output), printed by `main`.
pub(crate) fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Dockerfile(args) => {
            init_logging(args.common.verbose);
            dockerfile::run(&args)
        }
        Command::Image(args) => {
            init_logging(args.common.verbose);
            image::run(&args)
        }
        Command::Ecs(args) => {
            init_logging(args.common.verbose);
            ecs::run(&args)
        }
        Command::EcrPosture(args) => {
            init_logging(args.common.verbose);
            ecr::run(&args)
        }
        Command::Registry(args) => {
            init_logging(args.verbose);
            batch::run(&args)
        }
        Command::Merge(args) => {
            init_logging(0);
            batch::merge(&args)
        }
        Command::Rules(args) => rules::run(&args),
    }
}
