//! Images from registries over the OCI distribution API (`/v2/`), read without a daemon.
//! Manifests are fetched with the OCI and Docker media types in `Accept`, and blobs stream
//! straight into the layer walker. Authentication follows the registry's `WWW-Authenticate`
//! challenge: Basic, or a Bearer token from the challenge's realm, using credentials from the
//! command line or the docker config `auths`. Failed requests are retried a bounded number of
//! times with backoff; `429` honours `Retry-After`. Redirected blob downloads (S3, CDNs)
//! never carry the registry's `Authorization` header: ureq drops it on redirects.
//!
//! A small client of our own (ureq, synchronous, rustls) rather than `oci-client`: measured
//! for CRATES.md, oci-client has no retries or 429 handling, reports wrong credentials as a
//! generic error, reports a corrupt blob only after delivering it, and needs tokio, while the
//! layer walker is synchronous and verifies digests itself. oci-spec types are still used for
//! manifests, indexes and descriptors.

use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use oci_spec::image::{Descriptor, Digest, MediaType};
use sha2::{Digest as _, Sha256};

use super::{BlobStore, PlatformSel, ResolvedImage, SourceError};
use crate::reference::{DOCKER_HUB, ImageRef};

/// `Accept` for manifests: every form we can read, most specific first.
const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.docker.distribution.manifest.v2+json";

/// How to reach registries.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    /// Hosts (`host[:port]`) spoken to over plain HTTP.
    pub insecure: Vec<String>,
    /// Explicit credentials (`--username`, `--password-stdin`).
    pub credentials: Option<(String, String)>,
    /// Per-read timeout; a registry that stalls longer fails the request.
    pub read_timeout: Option<Duration>,
    /// Attempts per request (1 = no retry).
    pub attempts: Option<u32>,
    /// PEM certificates to trust instead of the system trust store (`--ca-cert`).
    pub ca_pem: Option<Vec<u8>>,
    /// Registry host → base URL its requests go to (`--registry-endpoint`, VPC endpoints).
    /// The reference keeps its host, so ECR recognition and credentials still apply.
    pub endpoints: std::collections::BTreeMap<String, String>,
    /// Hosts to log in to as ECR though their names are not ECR's (`--ecr`, aliases).
    pub ecr_hosts: Vec<String>,
    /// `--tls-verify=false`: no certificate checks at all (throwaway registries only).
    pub skip_tls_verify: bool,
    /// Hosts (`host` or `host:port`) that may receive credentials as a token realm though they
    /// are not the registry's own host (`[registry] token-realms`).
    pub token_realms: Vec<String>,
}

/// A repository in a registry, opened for reading.
pub struct RegistryStore {
    agent: ureq::Agent,
    base: String,
    repository: String,
    credentials: Option<(String, String)>,
    /// The ECR registry to log in to natively when no other credentials are configured.
    ecr: Option<crate::source::ecr::Registry>,
    /// The `Authorization` value that last worked; reused until the registry refuses it.
    authorization: Mutex<Option<String>>,
    /// Extra hosts trusted as token realms ([`RegistryOptions::token_realms`]).
    token_realms: Vec<String>,
    attempts: u32,
    /// The per-read timeout; whole metadata requests get four times it, and blob bodies must
    /// keep up [`MIN_BLOB_RATE`] once this long has passed.
    read_timeout: Duration,
}

/// Longest one request waits out `429 Too Many Requests` in all before it fails.
const RATE_LIMIT_BUDGET: Duration = Duration::from_secs(20);

/// Grace before a small document (manifest, index, catalog page) must keep up
/// [`MIN_BLOB_RATE`] on average: a registry that trickles one a byte at a time fails in
/// seconds, not after four read time-outs.
const DOCUMENT_GRACE: Duration = Duration::from_secs(5);

/// A small document's body, read within [`DOCUMENT_GRACE`] plus the time [`MIN_BLOB_RATE`]
/// allows for its size so far, and at most `limit` bytes.
fn read_document(body: impl Read, limit: u64, url: &str) -> Result<Vec<u8>, SourceError> {
    let mut paced = Paced::new(body, url);
    let mut out = Vec::new();
    (&mut paced)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| SourceError::Registry(format!("GET {e}")))?;
    if out.len() as u64 > limit {
        return Err(SourceError::Registry(format!(
            "GET {url}: larger than {limit} bytes"
        )));
    }
    Ok(out)
}

/// A reader that fails once its average rate, after [`DOCUMENT_GRACE`], falls under
/// [`MIN_BLOB_RATE`].
struct Paced<R> {
    inner: R,
    start: std::time::Instant,
    read: u64,
    url: String,
}

impl<R> Paced<R> {
    fn new(inner: R, url: &str) -> Self {
        Paced {
            inner,
            start: std::time::Instant::now(),
            read: 0,
            url: url.to_string(),
        }
    }
}

impl<R: Read> Read for Paced<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let allowed = DOCUMENT_GRACE + Duration::from_secs(self.read / MIN_BLOB_RATE);
        let took = self.start.elapsed();
        if took > allowed {
            return Err(std::io::Error::other(format!(
                "{}: {} bytes in {} s, under {} KiB/s: the registry is trickling a document that should arrive at once",
                self.url,
                self.read,
                took.as_secs(),
                MIN_BLOB_RATE >> 10
            )));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Slowest average a blob body may arrive at (after the read timeout's grace): a registry
/// that trickles a byte at a time, just inside the per-read timeout, fails instead of holding
/// the scan for hours.
pub const MIN_BLOB_RATE: u64 = 32 << 10;

/// Most repository names read from a catalog, and bytes per catalog or tag-list page.
pub const MAX_CATALOG_NAMES: usize = 1_000_000;
const MAX_PAGE_BYTES: u64 = 8 << 20;

/// The request being waited on, for progress displays: a scan that waits on a silent registry
/// should say on what, and for how long, rather than look hung.
static WAITING: Mutex<Option<(String, std::time::Instant)>> = Mutex::new(None);

/// Marks a request as waited on until dropped.
struct Waiting;

impl Waiting {
    fn on(url: &str) -> Waiting {
        if let Ok(mut w) = WAITING.lock() {
            *w = Some((url.to_string(), std::time::Instant::now()));
        }
        Waiting
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if let Ok(mut w) = WAITING.lock() {
            *w = None;
        }
    }
}

/// The registry request waited on now (its URL) and for how long.
#[must_use]
pub fn waiting_on() -> Option<(String, Duration)> {
    WAITING
        .lock()
        .ok()
        .and_then(|w| w.as_ref().map(|(u, t)| (u.clone(), t.elapsed())))
}

/// One `/v2/_catalog` page.
#[derive(serde::Deserialize)]
struct CatalogPage {
    #[serde(default)]
    repositories: Option<Vec<String>>,
}

/// One `/v2/<repo>/tags/list` page.
#[derive(serde::Deserialize)]
struct TagsPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

/// A blob body that must keep up an average of [`MIN_BLOB_RATE`] after `grace`.
struct MinRate<R> {
    inner: R,
    url: String,
    start: std::time::Instant,
    grace: Duration,
    bytes: u64,
}

impl<R: Read> Read for MinRate<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        let elapsed = self.start.elapsed();
        if n > 0 && elapsed > self.grace {
            let floor = u128::from(MIN_BLOB_RATE) * elapsed.as_millis() / 1000;
            if u128::from(self.bytes) < floor {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!(
                        "GET {}: the registry sends {} bytes in {} s, under {} KiB/s: giving up (--registry-timeout sets the grace)",
                        self.url,
                        self.bytes,
                        elapsed.as_secs(),
                        MIN_BLOB_RATE >> 10
                    ),
                ));
            }
        }
        Ok(n)
    }
}

impl std::fmt::Debug for RegistryStore {
    // Credentials and tokens never appear in debug output or logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryStore")
            .field("base", &self.base)
            .field("repository", &self.repository)
            .finish_non_exhaustive()
    }
}

/// The API host of a registry name (`docker.io` is served by `registry-1.docker.io`).
/// The CA certificates of `registry` in the certs.d directories Docker, Podman and skopeo
/// read (`/etc/containers/certs.d/HOST[:PORT]/*.crt`, `/etc/docker/certs.d/…`), concatenated;
/// `HULLSCAN_CERTS_D` (colon-separated) replaces the two roots.
fn certs_d_pem(registry: &str) -> Option<Vec<u8>> {
    let roots: Vec<std::path::PathBuf> = match std::env::var_os("HULLSCAN_CERTS_D") {
        Some(v) => std::env::split_paths(&v).collect(),
        None => vec![
            "/etc/containers/certs.d".into(),
            "/etc/docker/certs.d".into(),
        ],
    };
    let mut pem = Vec::new();
    for root in roots {
        let Ok(dir) = std::fs::read_dir(root.join(registry)) else {
            continue;
        };
        let mut files: Vec<std::path::PathBuf> = dir
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "crt"))
            .collect();
        files.sort();
        for f in files {
            if let Ok(bytes) = std::fs::read(&f) {
                tracing::info!(%registry, file = %f.display(), "trusting a certs.d certificate");
                pem.extend_from_slice(&bytes);
                pem.push(b'\n');
            }
        }
    }
    (!pem.is_empty()).then_some(pem)
}

/// The host of `host[:port]` (`[::1]:5000` → `[::1]`).
fn host_of(registry: &str) -> &str {
    if registry.starts_with('[') {
        return registry
            .split_once(']')
            .map_or(registry, |(h, _)| &registry[..=h.len()]);
    }
    registry.rsplit_once(':').map_or(registry, |(h, _)| h)
}

/// `localhost`, `127.0.0.0/8` and `[::1]`: where Docker allows plain HTTP by default.
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// True when `https://registry/v2/` fails to shake hands but `http://registry/v2/` answers:
/// a local registry without TLS.
fn speaks_plain_http(agent: &ureq::Agent, registry: &str) -> bool {
    match agent.get(&format!("https://{registry}/v2/")).call() {
        Err(e) if answers_in_plain_http(&e) => agent
            .get(&format!("http://{registry}/v2/"))
            .call()
            .is_ok_and(|r| matches!(r.status().as_u16(), 200 | 401)),
        _ => false,
    }
}

/// The TLS handshake got an HTTP answer: the server does not speak TLS at all (a
/// certificate problem is not this).
fn answers_in_plain_http(e: &ureq::Error) -> bool {
    let text = e.to_string();
    text.contains("InvalidContentType") || text.contains("corrupt message")
}

fn is_tls_error(e: &ureq::Error) -> bool {
    let text = e.to_string();
    matches!(e, ureq::Error::Tls(_) | ureq::Error::Rustls(_))
        || text.contains("InvalidContentType")
        || text.contains("corrupt message")
        || text.contains("certificate")
}

/// A transport error that a retry cannot fix, as one line saying what to try; `None` for
/// errors worth retrying (timeouts, resets).
fn final_transport_error(e: &ureq::Error, url: &str) -> Option<String> {
    let text = e.to_string();
    let host = url
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or(url);
    if answers_in_plain_http(e) {
        return Some(format!(
            "GET {url}: this registry speaks plain HTTP, not HTTPS: pass --insecure-registry {host}"
        ));
    }
    if is_tls_error(e) {
        // rustls's enums in words.
        let reasons = [
            (
                "UnknownIssuer",
                "its certificate is not signed by a CA this host trusts",
            ),
            (
                "NotValidForName",
                "its certificate is not valid for this host name",
            ),
            ("Expired", "its certificate has expired"),
            ("NotValidYet", "its certificate is not valid yet"),
            ("Revoked", "its certificate is revoked"),
            (
                "CaUsedAsEndEntity",
                "it presents a CA certificate as its own",
            ),
            (
                "BadSignature",
                "its certificate's signature does not verify",
            ),
        ];
        let why = reasons
            .iter()
            .find(|(k, _)| text.contains(k))
            .map_or(text.as_str(), |(_, w)| w);
        let bare = host.rsplit_once(':').map_or(host, |(h, _)| h);
        return Some(format!(
            "GET {url}: TLS with {host} failed: {why}; if it uses a private CA or a self-signed certificate, pass --ca-cert FILE (the CA, or the registry's own certificate) or put it in /etc/docker/certs.d/{host}/ (--tls-verify=false for a throwaway registry on {bare})"
        ));
    }
    if let ureq::Error::Io(io) = e
        && io.kind() == std::io::ErrorKind::ConnectionRefused
    {
        return Some(format!(
            "GET {url}: connection refused: nothing listens at {host}; check the host and port"
        ));
    }
    if matches!(e, ureq::Error::ConnectionFailed) || text.contains("Connection refused") {
        return Some(format!(
            "GET {url}: connection refused: nothing listens at {host}; check the host and port"
        ));
    }
    None
}

fn api_host(registry: &str) -> &str {
    if registry == DOCKER_HUB {
        "registry-1.docker.io"
    } else {
        registry
    }
}

impl RegistryStore {
    /// Prepares a client for `image`'s repository.
    ///
    /// # Errors
    /// When `--ca-cert` holds no usable certificate.
    pub fn new(image: &ImageRef, opts: &RegistryOptions) -> Result<RegistryStore, SourceError> {
        // `--insecure-registry HOST` covers every port of HOST, `HOST:PORT` that port, as
        // Docker's daemon setting does.
        let bare_host = host_of(&image.registry);
        let insecure = opts
            .insecure
            .iter()
            .any(|h| h == &image.registry || (!h.contains(':') && h == bare_host));
        let mut scheme = if insecure { "http" } else { "https" };
        // The system trust store by default, so corporate CAs installed there work; or only
        // the certificates given with --ca-cert.
        // `--ca-cert`, else the host's directory under `/etc/containers/certs.d` or
        // `/etc/docker/certs.d` (what Docker, Podman and skopeo read), else the system store.
        let from_dir = if opts.ca_pem.is_none() {
            certs_d_pem(&image.registry)
        } else {
            None
        };
        let roots = match opts.ca_pem.as_ref().or(from_dir.as_ref()) {
            Some(pem) => {
                let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(pem)
                    .filter_map(|item| match item {
                        Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                        _ => None,
                    })
                    .collect();
                if certs.is_empty() {
                    return Err(SourceError::Reference(
                        "--ca-cert: no PEM certificate in the file".into(),
                    ));
                }
                let der = certs
                    .iter()
                    .map(|c| rustls::pki_types::CertificateDer::from(c.der().to_vec()))
                    .collect();
                let pinned = super::pinned_tls::PinnedTls::new(bare_host, der)
                    .map_err(|e| SourceError::Reference(format!("--ca-cert: {e}")))?;
                (ureq::tls::RootCerts::PlatformVerifier, Some(pinned))
            }
            None => (ureq::tls::RootCerts::PlatformVerifier, None),
        };
        let (roots, pinned) = roots;
        if opts.skip_tls_verify {
            tracing::warn!(
                registry = %image.registry,
                "TLS verification is off: anyone on the network path can impersonate this registry"
            );
        }
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(roots)
            .disable_verification(opts.skip_tls_verify)
            .build();
        let config = ureq::Agent::config_builder()
            .tls_config(tls)
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(15)))
            .timeout_per_read(Some(opts.read_timeout.unwrap_or(Duration::from_secs(30))))
            .max_redirects(5)
            .user_agent(concat!("hullscan/", env!("CARGO_PKG_VERSION")))
            .build();
        let agent: ureq::Agent = match pinned {
            // The named certificates, for this registry's host only (proxies as ureq's own
            // chain handles them); `--tls-verify=false` wins.
            Some(pinned) if !opts.skip_tls_verify => {
                use ureq::unversioned::transport::{
                    ConnectProxyConnector, Connector as _, RustlsConnector, TcpConnector,
                };
                let chain =
                    ().chain(ConnectProxyConnector::default())
                        .chain(TcpConnector::default())
                        .chain(pinned)
                        .chain(RustlsConnector::default());
                ureq::Agent::with_parts(
                    config,
                    chain,
                    ureq::unversioned::resolver::DefaultResolver::default(),
                )
            }
            _ => config.into(),
        };
        // Docker treats loopback registries as insecure: HTTPS first, plain HTTP when the
        // registry does not speak TLS. Elsewhere plain HTTP is never chosen silently.
        if !insecure
            && is_loopback(bare_host)
            && !opts.endpoints.contains_key(&image.registry)
            && speaks_plain_http(&agent, &image.registry)
        {
            tracing::info!(registry = %image.registry, "loopback registry speaks plain HTTP");
            scheme = "http";
        }
        let ecr = crate::source::ecr::Registry::for_host(&image.registry, &opts.ecr_hosts);
        let base = opts.endpoints.get(&image.registry).map_or_else(
            || format!("{scheme}://{}", api_host(&image.registry)),
            |url| url.trim_end_matches('/').to_string(),
        );
        // Explicit credentials, then the docker config (where an `ecr-login` credHelper
        // still wins), then for ECR a native login through the AWS credential chain.
        let credentials = opts
            .credentials
            .clone()
            .or_else(|| docker_config_auth(&image.registry));
        Ok(RegistryStore {
            agent,
            base,
            repository: image.repository.clone(),
            ecr: if credentials.is_none() { ecr } else { None },
            credentials,
            authorization: Mutex::new(None),
            token_realms: opts.token_realms.clone(),
            attempts: opts.attempts.unwrap_or(4).max(1),
            read_timeout: opts.read_timeout.unwrap_or(Duration::from_secs(30)),
        })
    }

    fn url(&self, kind: &str, reference: &str) -> String {
        format!("{}/v2/{}/{kind}/{reference}", self.base, self.repository)
    }

    /// GET with authentication and bounded retries; returns the response of status 200. A
    /// request with an `accept` type (manifests, indexes, catalogs: small documents) must end,
    /// body included, within four read timeouts.
    fn get(
        &self,
        url: &str,
        accept: Option<&str>,
    ) -> Result<ureq::http::Response<ureq::Body>, SourceError> {
        let mut delay = Duration::from_millis(250);
        let mut challenged = false;
        let mut last = String::new();
        let mut timeouts = 0;
        // Time spent waiting out `429 Too Many Requests` for this request: bounded, so a
        // registry that throttles forever fails the scan instead of holding it.
        let mut throttled = Duration::ZERO;
        for attempt in 1..=self.attempts {
            let mut req = self.agent.get(url);
            if let Some(a) = accept {
                req = req
                    .header("Accept", a)
                    .config()
                    .timeout_global(Some(self.read_timeout * 4))
                    .build();
            }
            wait_for_host(&self.base);
            let auth = self.authorization.lock().ok().and_then(|g| g.clone());
            if let Some(a) = &auth {
                req = req.header("Authorization", a);
            }
            let called = {
                let _waiting = Waiting::on(url);
                req.call()
            };
            let resp = match called {
                Ok(r) => r,
                Err(e) => {
                    // Only what can succeed on a second try is retried: a refused connection
                    // or a TLS failure will fail the same way.
                    if let Some(msg) = final_transport_error(&e, url) {
                        return Err(SourceError::Registry(msg));
                    }
                    // A registry that did not answer in time gets one more chance, not four:
                    // silence rarely ends by itself.
                    if matches!(e, ureq::Error::Timeout(_)) {
                        timeouts += 1;
                        if timeouts >= 2 {
                            return Err(SourceError::Registry(format!(
                                "GET {url}: no answer within {} s, twice; the registry is not responding (--registry-timeout SECONDS waits longer)",
                                self.read_timeout.as_secs()
                            )));
                        }
                    }
                    last = e.to_string();
                    tracing::debug!(%url, attempt, error = %last, "request failed");
                    std::thread::sleep(delay);
                    delay *= 2;
                    continue;
                }
            };
            let status = resp.status().as_u16();
            match status {
                200 => return Ok(resp),
                401 if !challenged => {
                    challenged = true;
                    let challenge = header(&resp, "www-authenticate").unwrap_or_default();
                    let value = self.authenticate(&challenge)?;
                    if let Ok(mut g) = self.authorization.lock() {
                        *g = Some(value);
                    }
                }
                401 | 403 => {
                    let said = registry_message(resp);
                    if let Some(reg) = &self.ecr {
                        if let Ok(c) = crate::source::ecr::client() {
                            c.forget_token(reg);
                        }
                        let action = if url.contains("/blobs/") {
                            "ecr:GetDownloadUrlForLayer"
                        } else {
                            "ecr:BatchGetImage"
                        };
                        return Err(SourceError::Registry(format!(
                            "GET {url}: {status}: the ECR login was refused{said}; allow `{action}` on the repository for these AWS credentials, or check that the token is for this account and region"
                        )));
                    }
                    let what = match (self.credentials.is_some(), status) {
                        (true, 401) => format!(
                            "the credentials given were refused{said}; check the user name and password (or token)"
                        ),
                        (true, _) => format!(
                            "these credentials may not read this repository{said}; check its permissions or the repository name"
                        ),
                        (false, _) => format!(
                            "anonymous access is not allowed{said}; log in (`docker login`) or pass --username/--password-stdin"
                        ),
                    };
                    return Err(SourceError::Registry(format!(
                        "GET {url}: {status}: {what}"
                    )));
                }
                404 => {
                    let said = registry_message(resp);
                    return Err(SourceError::NotFound(format!(
                        "GET {url}: 404 not found{said}"
                    )));
                }
                429 | 500..=599 => {
                    // Retry-After in seconds, capped so a hostile registry cannot stall us long.
                    let mut wait = header(&resp, "retry-after")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map_or(delay, |s| Duration::from_secs(s.min(30)));
                    if status == 429 {
                        if throttled >= RATE_LIMIT_BUDGET || attempt == self.attempts {
                            return Err(SourceError::Registry(format!(
                                "GET {url}: rate limited by {} for {} s (429 Too Many Requests); try again later or lower --jobs",
                                authority_of(&self.base),
                                throttled.as_secs().max(1)
                            )));
                        }
                        wait = wait.min(RATE_LIMIT_BUDGET.saturating_sub(throttled));
                        throttled += wait;
                    }
                    last = format!("{status}");
                    tracing::debug!(%url, attempt, status, "retrying");
                    if status == 429 {
                        // Every request to this host waits, not only this one.
                        back_off_host(&self.base, wait);
                    }
                    std::thread::sleep(wait);
                    delay *= 2;
                }
                other => {
                    return Err(SourceError::Registry(format!(
                        "GET {url}: unexpected status {other}"
                    )));
                }
            }
        }
        Err(SourceError::Registry(format!(
            "GET {url}: failed after {} attempts: {last}",
            self.attempts
        )))
    }

    /// The `Basic` value for the configured credentials, or for an ECR token fetched now.
    fn basic(&self) -> Result<Option<String>, SourceError> {
        let encode = |(u, p): (&str, &str)| format!("Basic {}", B64.encode(format!("{u}:{p}")));
        if let Some((u, p)) = &self.credentials {
            return Ok(Some(encode((u, p))));
        }
        let Some(reg) = &self.ecr else {
            return Ok(None);
        };
        let (u, p) = crate::source::ecr::client()
            .and_then(|c| c.login(reg))
            .map_err(|e| SourceError::Registry(format!("{}: {e}", self.base)))?;
        Ok(Some(encode((&u, &p))))
    }

    /// Answers a `WWW-Authenticate` challenge with an `Authorization` header value.
    fn authenticate(&self, challenge: &str) -> Result<String, SourceError> {
        let (scheme, params) = challenge.split_once(' ').unwrap_or((challenge, ""));
        let params = parse_params(params);
        let basic = self.basic()?;
        if scheme.eq_ignore_ascii_case("basic") {
            return basic.ok_or_else(|| {
                SourceError::Registry(format!(
                    "{}: needs credentials; pass --username/--password-stdin or `docker login`",
                    self.base
                ))
            });
        }
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(SourceError::Registry(format!(
                "{}: unsupported authentication scheme `{scheme}`",
                self.base
            )));
        }
        let realm = params
            .iter()
            .find(|(k, _)| k == "realm")
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                SourceError::Registry(format!("{}: bearer challenge without a realm", self.base))
            })?;
        let scope = if self.repository.is_empty() {
            "registry:catalog:*".to_string()
        } else {
            format!("repository:{}:pull", self.repository)
        };
        let mut query = vec![format!("scope={scope}")];
        if let Some((_, s)) = params.iter().find(|(k, _)| k == "service") {
            query.push(format!("service={s}"));
        }
        let url = format!(
            "{realm}{}{}",
            if realm.contains('?') { "&" } else { "?" },
            query.join("&")
        );
        // Credentials go to a realm only where the registry itself would receive them:
        // a challenge cannot send them to a host of the registry's choosing.
        let withheld =
            basic.is_some() && !realm_may_receive(&realm, &self.base, &self.token_realms);
        let mut req = self.agent.get(&url);
        if let Some(b) = basic.as_ref().filter(|_| !withheld) {
            req = req.header("Authorization", b);
        }
        let mut resp = req
            .call()
            .map_err(|e| SourceError::Registry(format!("token from {realm}: {e}")))?;
        if resp.status().as_u16() != 200 {
            let advice = if withheld {
                format!(
                    "credentials were not sent: the token realm is not {}'s own host over HTTPS; if you trust it, add its host to `[registry] token-realms`",
                    authority_of(&self.base)
                )
            } else {
                "check the credentials".to_string()
            };
            return Err(SourceError::Registry(format!(
                "token from {realm}: status {}; {advice}",
                resp.status().as_u16()
            )));
        }
        let body = resp
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_vec()
            .map_err(|e| SourceError::Registry(format!("token from {realm}: {e}")))?;
        let v: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| SourceError::Registry(format!("token from {realm}: {e}")))?;
        let token = v["token"]
            .as_str()
            .or_else(|| v["access_token"].as_str())
            .ok_or_else(|| {
                SourceError::Registry(format!("token from {realm}: no token in the answer"))
            })?;
        Ok(format!("Bearer {token}"))
    }

    /// True if the registry holds a signature for `digest`: a cosign signature tag
    /// (`sha256-<hex>.sig`) or a referrer whose artifact type is a cosign or notation signature.
    ///
    /// # Errors
    /// Network or auth errors other than "not found".
    pub fn has_signature(&self, digest: &str) -> Result<bool, SourceError> {
        let cosign_tag = format!("{}.sig", digest.replace(':', "-"));
        match self.get(&self.url("manifests", &cosign_tag), Some(MANIFEST_ACCEPT)) {
            Ok(_) => return Ok(true),
            Err(SourceError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
        // The referrers API (OCI 1.1); registries without it answer 404 (a registry with it
        // answers an empty index), so one 404 is remembered for the host.
        if NO_REFERRERS
            .lock()
            .is_ok_and(|hosts| hosts.contains(&self.base))
        {
            return Ok(false);
        }
        match self.get(
            &self.url("referrers", digest),
            Some("application/vnd.oci.image.index.v1+json"),
        ) {
            Ok(mut resp) => {
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(1 << 20)
                    .read_to_vec()
                    .unwrap_or_default();
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let signed = v["manifests"].as_array().is_some_and(|m| {
                    m.iter().any(|d| {
                        let t = d["artifactType"].as_str().unwrap_or("");
                        t.contains("cosign") && t.contains("sig") || t.contains("notary.signature")
                    })
                });
                Ok(signed)
            }
            Err(SourceError::NotFound(_)) => {
                if let Ok(mut hosts) = NO_REFERRERS.lock() {
                    hosts.insert(self.base.clone());
                }
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Repository names of the registry (`/v2/_catalog`), following `Link` pagination.
    ///
    /// # Errors
    /// Network, auth or format errors; registries without a catalog (Docker Hub) answer 404
    /// or 401.
    pub fn catalog(&self) -> Result<Vec<String>, SourceError> {
        self.catalog_paged(1000)
    }

    /// [`RegistryStore::catalog`] asking for `n` names per page.
    ///
    /// # Errors
    /// As [`RegistryStore::catalog`].
    pub fn catalog_paged(&self, n: u32) -> Result<Vec<String>, SourceError> {
        self.paged(&format!("/v2/_catalog?n={n}"), "repositories")
    }

    /// Tags of this store's repository (`/v2/<repo>/tags/list`), following `Link` pagination.
    ///
    /// # Errors
    /// Network, auth or format errors.
    pub fn tags(&self) -> Result<Vec<String>, SourceError> {
        self.tags_paged(1000)
    }

    /// [`RegistryStore::tags`] asking for `n` tags per page.
    ///
    /// # Errors
    /// As [`RegistryStore::tags`].
    pub fn tags_paged(&self, n: u32) -> Result<Vec<String>, SourceError> {
        self.paged(&format!("/v2/{}/tags/list?n={n}", self.repository), "tags")
    }

    fn paged(&self, first: &str, field: &str) -> Result<Vec<String>, SourceError> {
        let mut out = Vec::new();
        let mut next = Some(first.to_string());
        let mut pages = 0;
        while let Some(path) = next.take() {
            pages += 1;
            if pages > 10_000 {
                return Err(SourceError::Registry(format!(
                    "{}{first}: too many pages",
                    self.base
                )));
            }
            let url = if path.starts_with("http://") || path.starts_with("https://") {
                path
            } else {
                format!("{}{path}", self.base)
            };
            let resp = self.get(&url, Some("application/json"))?;
            next = header(&resp, "link").and_then(|l| next_link(&l));
            let body = read_document(resp.into_body().into_reader(), MAX_PAGE_BYTES, &url)?;
            // Typed, so a page costs its names, not a JSON tree of them.
            let names = if field == "repositories" {
                serde_json::from_slice::<CatalogPage>(&body).map(|c| c.repositories)
            } else {
                serde_json::from_slice::<TagsPage>(&body).map(|p| p.tags)
            }
            .map_err(|e| SourceError::Malformed {
                what: format!("GET {url}"),
                message: e.to_string(),
            })?;
            out.extend(names.unwrap_or_default());
            if out.len() > MAX_CATALOG_NAMES {
                return Err(SourceError::Registry(format!(
                    "{}{first}: more than {MAX_CATALOG_NAMES} {field}; narrow the scan with --repo/--tag, or list repositories with --repos-from FILE",
                    self.base
                )));
            }
        }
        Ok(out)
    }

    /// Reads the manifest or index at `reference` (tag or digest), capped at `limit` bytes.
    ///
    /// # Errors
    /// Network, auth, size or status errors.
    pub fn manifest(&self, reference: &str, limit: u64) -> Result<(Vec<u8>, String), SourceError> {
        let url = self.url("manifests", reference);
        let resp = self.get(&url, Some(MANIFEST_ACCEPT))?;
        let content_type = header(&resp, "content-type").unwrap_or_default();
        let body = read_document(resp.into_body().into_reader(), limit, &url)?;
        Ok((body, content_type))
    }
}

/// Registry base URLs that answered 404 to the referrers API: it is not asked again.
static NO_REFERRERS: std::sync::LazyLock<Mutex<std::collections::HashSet<String>>> =
    std::sync::LazyLock::new(Mutex::default);

/// Per registry base URL: no request before this instant (set by a `429`).
static HOST_BACKOFF: std::sync::LazyLock<
    Mutex<std::collections::HashMap<String, std::time::Instant>>,
> = std::sync::LazyLock::new(Mutex::default);

fn wait_for_host(base: &str) {
    let until = HOST_BACKOFF.lock().ok().and_then(|m| m.get(base).copied());
    if let Some(u) = until {
        let now = std::time::Instant::now();
        if u > now {
            std::thread::sleep(u - now);
        }
    }
}

fn back_off_host(base: &str, wait: Duration) {
    if let Ok(mut m) = HOST_BACKOFF.lock() {
        let until = std::time::Instant::now() + wait;
        let e = m.entry(base.to_string()).or_insert(until);
        *e = (*e).max(until);
    }
}

/// The `rel="next"` target of a `Link` header (`</v2/_catalog?last=x&n=100>; rel="next"`).
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        params.contains("rel=\"next\"").then(|| {
            target
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

/// The registry's own words from an error body (`{"errors":[{"message":…}]}`), as `: …`.
fn registry_message(mut resp: ureq::http::Response<ureq::Body>) -> String {
    let body = resp
        .body_mut()
        .with_config()
        .limit(16 * 1024)
        .read_to_vec()
        .unwrap_or_default();
    serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["errors"][0]["message"].as_str().map(str::to_string))
        .filter(|m| !m.is_empty())
        .map(|m| format!(" ({})", m.chars().take(300).collect::<String>()))
        .unwrap_or_default()
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Parses `k="v",k2="v2"` challenge parameters.
fn parse_params(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while let Some((k, after)) = rest.split_once('=') {
        let key = k.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (value, remaining) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').unwrap_or(q.len());
            (&q[..end], q.get(end + 1..).unwrap_or(""))
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        out.push((key, value.to_string()));
        rest = remaining.trim_start_matches(',').trim_start();
    }
    out
}

/// Credentials for `registry` from the docker config: `credHelpers` for the host, else
/// `auths`, else `credsStore` (`$REGISTRY_AUTH_FILE`, `$DOCKER_CONFIG/config.json` or
/// `~/.docker/config.json`), in the order docker applies them.
/// Prints a warning on stderr once per process (several stores read the same files).
fn warn_once(message: &str) {
    static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    if let Ok(mut seen) = SEEN.lock()
        && !seen.iter().any(|m| m == message)
    {
        seen.push(message.to_string());
        tracing::warn!("{}", crate::report::printable(message));
    }
}

fn docker_config_auth(registry: &str) -> Option<(String, String)> {
    let mut files = Vec::new();
    if let Some(f) = std::env::var_os("REGISTRY_AUTH_FILE") {
        files.push(std::path::PathBuf::from(f));
    }
    // podman's and skopeo's default auth files.
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR") {
        files.push(std::path::PathBuf::from(d).join("containers/auth.json"));
    }
    if let Some(h) = std::env::var_os("HOME") {
        files.push(std::path::PathBuf::from(h).join(".config/containers/auth.json"));
    }
    if let Some(d) = std::env::var_os("DOCKER_CONFIG") {
        files.push(std::path::PathBuf::from(d).join("config.json"));
    } else if let Some(h) = std::env::var_os("HOME") {
        files.push(std::path::PathBuf::from(h).join(".docker/config.json"));
    }
    let keys: Vec<String> = if registry == DOCKER_HUB {
        vec![
            "https://index.docker.io/v1/".into(),
            "docker.io".into(),
            "index.docker.io".into(),
        ]
    } else {
        vec![
            registry.to_string(),
            format!("https://{registry}"),
            format!("http://{registry}"),
        ]
    };
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let v = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(v) => v,
            Err(e) => {
                // Docker ignores nothing silently here either: a broken file is worth a line.
                warn_once(&format!(
                    "`{}` is not valid JSON ({e}); its credentials are not used",
                    f.display()
                ));
                continue;
            }
        };
        if let Some(helper) = keys.iter().find_map(|k| v["credHelpers"][k].as_str()) {
            tracing::info!(%registry, file = %f.display(), helper, "credentials from a credential helper");
            return credential_helper(helper, &keys[0]);
        }
        for k in &keys {
            let Some(auth) = v["auths"][k]["auth"].as_str() else {
                continue;
            };
            let decoded = B64.decode(auth.trim()).ok()?;
            let (u, p) = String::from_utf8(decoded)
                .ok()?
                .split_once(':')
                .map(|(u, p)| (u.to_string(), p.to_string()))?;
            // Which source answered, never the secret.
            tracing::info!(%registry, file = %f.display(), key = %k, "credentials from `auths`");
            return Some((u, p));
        }
        if let Some(store) = v["credsStore"].as_str() {
            tracing::info!(%registry, file = %f.display(), store, "credentials from a credential store");
            return credential_helper(store, &keys[0]);
        }
    }
    None
}

/// Runs `docker-credential-<helper> get` with the server on stdin, as docker does, and reads
/// `{"Username", "Secret"}`. A helper that hangs is killed after 30 s; one that fails or
/// knows nothing about the server yields no credentials (the request goes anonymous).
fn credential_helper(helper: &str, server: &str) -> Option<(String, String)> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let program = format!("docker-credential-{helper}");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(
            |e| tracing::warn!(helper = %program, error = %e, "credential helper not runnable"),
        )
        .ok()?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(server.as_bytes());
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                let _ = child.kill();
                tracing::warn!(helper = %program, "credential helper timed out");
                return None;
            }
        }
    }
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let user = v["Username"].as_str()?.to_string();
    let secret = v["Secret"].as_str()?.to_string();
    // `<token>` as user name marks an identity token, used as a bearer password.
    Some((user, secret))
}

impl BlobStore for RegistryStore {
    fn open(&self, path: &str) -> Result<Box<dyn Read + Send>, SourceError> {
        // Layouts name blobs `blobs/<alg>/<hex>`; the API names them by digest.
        let digest = path
            .strip_prefix("blobs/")
            .and_then(|p| p.split_once('/'))
            .map(|(alg, hex)| format!("{alg}:{hex}"))
            .ok_or_else(|| SourceError::Reference(format!("`{path}` is not a blob path")))?;
        let url = self.url("blobs", &digest);
        let resp = self.get(&url, None)?;
        Ok(Box::new(MinRate {
            inner: resp.into_body().into_reader(),
            url,
            start: std::time::Instant::now(),
            grace: self.read_timeout,
            bytes: 0,
        }))
    }

    fn signed(&self, digests: &[&str]) -> Result<Option<bool>, SourceError> {
        for d in digests {
            if self.has_signature(d)? {
                return Ok(Some(true));
            }
        }
        Ok(Some(false))
    }

    fn open_manifest(&self, digest: &str) -> Result<Box<dyn Read + Send>, SourceError> {
        let url = self.url("manifests", digest);
        let resp = self.get(&url, Some(MANIFEST_ACCEPT))?;
        Ok(Box::new(Paced::new(resp.into_body().into_reader(), &url)))
    }
}

/// Resolves a registry reference to images: the manifest by tag or digest, then the
/// platforms of an index, through the same code as OCI layouts.
///
/// # Errors
/// Network, auth, digest, format or platform errors.
pub fn resolve(
    store: &RegistryStore,
    image: &ImageRef,
    reference: &str,
    platforms: &PlatformSel,
    limit: u64,
) -> Result<Vec<ResolvedImage>, SourceError> {
    let selector = image
        .digest
        .clone()
        .or_else(|| image.tag.clone())
        .unwrap_or_else(|| "latest".into());
    let (bytes, content_type) = store.manifest(&selector, limit)?;
    let digest = format!(
        "sha256:{}",
        crate::image::layer::hex(&Sha256::digest(&bytes))
    );
    if let Some(want) = &image.digest
        && want != &digest
    {
        return Err(SourceError::Digest {
            what: format!("manifest of `{reference}`"),
            expected: want.clone(),
            actual: digest,
        });
    }
    let media = MediaType::from(content_type.split(';').next().unwrap_or("").trim());
    let parsed: Digest = digest.parse().map_err(|e| SourceError::Malformed {
        what: "manifest digest".into(),
        message: format!("{e}"),
    })?;
    let desc = Descriptor::new(media, bytes.len() as u64, parsed);
    let mut images =
        super::layout::resolve_descriptor(store, &desc, reference, platforms, limit, 0)?;
    for img in &mut images {
        if img.manifest_digest.as_deref() != Some(digest.as_str()) {
            img.index_digest = Some(digest.clone());
        }
    }
    Ok(images)
}

/// `host[:port]` of a URL.
fn authority_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    authority.rsplit_once('@').map_or(authority, |(_, h)| h)
}

/// Whether a bearer challenge's `realm` may receive the registry's credentials: the realm is on
/// the registry's own host (any port) over HTTPS, or over HTTP when the registry itself is
/// spoken to over HTTP (its credentials already travel in the clear there); or its host is
/// one the user trusts (`[registry] token-realms`); or it is Docker Hub's `auth.docker.io`.
fn realm_may_receive(realm: &str, base: &str, trusted: &[String]) -> bool {
    let (realm_host, base_host) = (authority_of(realm), authority_of(base));
    let name = |h: &str| {
        if h.starts_with('[') {
            h.split_once(']')
                .map_or(h, |(a, _)| a)
                .trim_start_matches('[')
                .to_string()
        } else {
            h.rsplit_once(':')
                .map_or(h, |(a, _)| a)
                .to_ascii_lowercase()
        }
    };
    if trusted.iter().any(|t| {
        t.eq_ignore_ascii_case(realm_host) || name(t) == name(realm_host) && !t.contains(':')
    }) {
        return true;
    }
    let https = realm.to_ascii_lowercase().starts_with("https://");
    let plain_registry = base.to_ascii_lowercase().starts_with("http://");
    if name(realm_host) == name(base_host) {
        return https || plain_registry;
    }
    https
        && name(realm_host) == "auth.docker.io"
        && matches!(
            name(base_host).as_str(),
            "registry-1.docker.io" | "index.docker.io" | "docker.io"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_params() {
        let p = parse_params(
            r#"realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/debian:pull""#,
        );
        assert_eq!(
            p[0],
            ("realm".into(), "https://auth.docker.io/token".into())
        );
        assert_eq!(p[1].1, "registry.docker.io");
        assert_eq!(p[2].1, "repository:library/debian:pull");
        assert_eq!(
            parse_params("realm=x, error=invalid_token"),
            [
                ("realm".into(), "x".into()),
                ("error".into(), "invalid_token".into())
            ]
        );
    }

    #[test]
    fn link_header() {
        assert_eq!(
            next_link(r#"</v2/_catalog?last=b&n=2>; rel="next""#).as_deref(),
            Some("/v2/_catalog?last=b&n=2")
        );
        assert_eq!(next_link(r#"<https://x/a>; rel="prev""#), None);
    }

    #[test]
    fn a_429_makes_every_request_to_the_host_wait() {
        let base = "http://backoff.test";
        back_off_host(base, Duration::from_millis(200));
        // A shorter wait set later does not shorten the first.
        back_off_host(base, Duration::from_millis(10));
        let start = std::time::Instant::now();
        let waiters: Vec<_> = (0..2)
            .map(|_| std::thread::spawn(|| wait_for_host("http://backoff.test")))
            .collect();
        for w in waiters {
            w.join().expect("waiter");
        }
        assert!(start.elapsed() >= Duration::from_millis(150));
        let other = std::time::Instant::now();
        wait_for_host("http://other.test");
        assert!(other.elapsed() < Duration::from_millis(100));
    }

    #[test]
    fn hub_host() {
        assert_eq!(api_host("docker.io"), "registry-1.docker.io");
        assert_eq!(api_host("127.0.0.1:5000"), "127.0.0.1:5000");
    }

    #[test]
    fn credentials_go_only_to_the_registrys_own_realm() {
        use super::realm_may_receive as ok;
        let none: Vec<String> = Vec::new();
        assert!(ok("https://ghcr.io/token", "https://ghcr.io", &none));
        assert!(ok(
            "https://auth.docker.io/token",
            "https://registry-1.docker.io",
            &none
        ));
        assert!(ok(
            "http://127.0.0.1:5001/token",
            "http://127.0.0.1:5000",
            &none
        ));
        // Another host, or the same host in the clear while the registry speaks TLS.
        assert!(!ok(
            "https://evil.example/token",
            "https://registry.example",
            &none
        ));
        assert!(!ok(
            "http://localhost:5001/token",
            "http://127.0.0.1:5000",
            &none
        ));
        assert!(!ok(
            "http://registry.example/token",
            "https://registry.example",
            &none
        ));
        assert!(!ok(
            "https://auth.docker.io.evil/token",
            "https://registry-1.docker.io",
            &none
        ));
        let trusted = vec!["auth.example".to_string()];
        assert!(ok(
            "https://auth.example/token",
            "https://registry.example",
            &trusted
        ));
    }
}
