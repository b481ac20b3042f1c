//! Local engines, where images are born: Docker Engine and Podman (through its
//! Docker-compatible API), spoken to over their socket with a small blocking HTTP/1.1 client.
//! An engine gives three things: whether it holds an image (`GET /images/{name}/json`, which
//! also names its config digest and layer diff ids), and the image itself as a `docker save`
//! stream (`GET /images/{name}/get`), which the scan engine walks as it arrives.
//!
//! Where the engine is: `DOCKER_HOST` (`unix://`, `tcp://`), else the current docker context
//! (`~/.docker/config.json` `currentContext`, its `meta.json`), else `/var/run/docker.sock`;
//! for Podman `CONTAINER_HOST`, `$XDG_RUNTIME_DIR/podman/podman.sock`, then
//! `/run/podman/podman.sock`.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::SourceError;

/// Which engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// Docker Engine (`dockerd`).
    Docker,
    /// Podman's Docker-compatible service.
    Podman,
}

impl EngineKind {
    /// `docker` or `podman`, as `--image-src` and the transports spell it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Docker => "docker",
            EngineKind::Podman => "podman",
        }
    }

    /// The transport prefix of references to this engine (`docker-daemon:`, `podman:`).
    #[must_use]
    pub fn transport(self) -> &'static str {
        match self {
            EngineKind::Docker => "docker-daemon",
            EngineKind::Podman => "podman",
        }
    }
}

/// Where an engine listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A unix socket.
    Unix(PathBuf),
    /// `host:port` over plain TCP.
    Tcp(String),
    /// `host:port` over TLS with a client certificate (`DOCKER_TLS_VERIFY`): the CA, client
    /// certificate and key from `DOCKER_CERT_PATH`.
    Tls {
        /// `host:port`.
        host: String,
        /// Where `ca.pem`, `cert.pem` and `key.pem` are.
        cert_dir: PathBuf,
    },
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Address::Unix(p) => write!(f, "unix://{}", p.display()),
            Address::Tcp(h) | Address::Tls { host: h, .. } => write!(f, "tcp://{h}"),
        }
    }
}

/// An engine to talk to.
#[derive(Debug, Clone)]
pub struct Engine {
    /// Docker or Podman.
    pub kind: EngineKind,
    /// Its API address.
    pub address: Address,
}

/// What `GET /images/{name}/json` says of an image.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Inspect {
    /// The image id: its config digest (`sha256:…`).
    pub id: String,
    /// `repo@sha256:…` digests of registries it was pushed to or pulled from.
    #[serde(default)]
    pub repo_digests: Option<Vec<String>>,
    /// Layer diff ids.
    #[serde(default, rename = "RootFS")]
    pub root_fs: Option<InspectRootFs>,
    /// `os`.
    #[serde(default)]
    pub os: Option<String>,
    /// `architecture`.
    #[serde(default)]
    pub architecture: Option<String>,
}

/// `RootFS` of an inspect answer.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InspectRootFs {
    /// Diff ids, base first.
    #[serde(default)]
    pub layers: Vec<String>,
}

/// Largest response head (status line and headers) read.
const MAX_HEAD: usize = 64 << 10;
/// Largest inspect answer read.
const MAX_JSON: u64 = 8 << 20;

impl Engine {
    /// The engine of `kind` as the environment and configuration name it (see the module
    /// docs), whether or not it runs.
    #[must_use]
    pub fn locate(kind: EngineKind) -> Engine {
        let address = match kind {
            EngineKind::Docker => std::env::var("DOCKER_HOST")
                .ok()
                .filter(|h| !h.is_empty())
                .and_then(|h| parse_host(&h))
                .map(with_docker_tls)
                .or_else(docker_context_host)
                .unwrap_or_else(|| Address::Unix("/var/run/docker.sock".into())),
            EngineKind::Podman => std::env::var("CONTAINER_HOST")
                .ok()
                .filter(|h| !h.is_empty())
                .and_then(|h| parse_host(&h))
                .or_else(|| {
                    let p = PathBuf::from(std::env::var_os("XDG_RUNTIME_DIR")?)
                        .join("podman/podman.sock");
                    p.exists().then_some(Address::Unix(p))
                })
                .unwrap_or_else(|| Address::Unix("/run/podman/podman.sock".into())),
        };
        Engine { kind, address }
    }

    /// Whether the engine holds `name`: its inspect answer, or `None` when it does not.
    ///
    /// # Errors
    /// When the engine cannot be reached or answers with an error other than 404.
    pub fn inspect(&self, name: &str) -> Result<Option<Inspect>, SourceError> {
        let mut resp = self.get(&format!("/images/{}/json", encode(name)))?;
        if resp.status == 404 {
            return Ok(None);
        }
        let body = resp.body_text(MAX_JSON)?;
        if resp.status != 200 {
            return Err(self.error(&format!("inspecting `{name}`"), resp.status, &body));
        }
        serde_json::from_str(&body)
            .map(Some)
            .map_err(|e| SourceError::Malformed {
                what: format!("{} image `{name}`", self.kind.name()),
                message: e.to_string(),
            })
    }

    /// The image as a `docker save` tar stream, read as it arrives.
    ///
    /// # Errors
    /// When the engine cannot be reached or refuses the export.
    pub fn export(&self, name: &str) -> Result<Box<dyn Read + Send>, SourceError> {
        let mut resp = self.get(&format!("/images/{}/get", encode(name)))?;
        if resp.status != 200 {
            let body = resp.body_text(MAX_JSON)?;
            return Err(self.error(&format!("exporting `{name}`"), resp.status, &body));
        }
        Ok(resp.body)
    }

    fn error(&self, what: &str, status: u16, body: &str) -> SourceError {
        let message = serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| body.trim().chars().take(200).collect());
        SourceError::Registry(format!(
            "{} engine at {}: {what}: HTTP {status}: {message}",
            self.kind.name(),
            self.address
        ))
    }

    /// `GET path` over TLS with the client certificate, as the docker CLI speaks to a
    /// `--tlsverify` daemon.
    fn get_tls(&self, host: &str, cert_dir: &Path, path: &str) -> Result<Response, SourceError> {
        let read = |name: &str| {
            std::fs::read(cert_dir.join(name)).map_err(|e| {
                SourceError::Registry(format!(
                    "docker engine at tcp://{host}: reading `{}` (DOCKER_CERT_PATH): {e}",
                    cert_dir.join(name).display()
                ))
            })
        };
        let certs = |pem: &[u8]| -> Vec<ureq::tls::Certificate<'static>> {
            ureq::tls::parse_pem(pem)
                .filter_map(|i| match i {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect()
        };
        let ca = certs(&read("ca.pem")?);
        let chain = certs(&read("cert.pem")?);
        let key = ureq::tls::parse_pem(&read("key.pem")?)
            .find_map(|i| match i {
                Ok(ureq::tls::PemItem::PrivateKey(k)) => Some(k),
                _ => None,
            })
            .ok_or_else(|| {
                SourceError::Registry(format!(
                    "docker engine at tcp://{host}: no private key in `{}`",
                    cert_dir.join("key.pem").display()
                ))
            })?;
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(ca)))
            .client_cert(Some(ureq::tls::ClientCert::new_with_certs(&chain, key)))
            .build();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(15)))
            .timeout_per_read(Some(Duration::from_mins(2)))
            .user_agent(concat!("hullscan/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        tracing::debug!(engine = self.kind.name(), %path, "engine request (TLS)");
        let resp = agent
            .get(&format!("https://{host}{path}"))
            .call()
            .map_err(|e| {
                SourceError::Registry(format!(
                    "docker engine at tcp://{host} (TLS): {e}; check DOCKER_CERT_PATH's ca.pem, cert.pem and key.pem"
                ))
            })?;
        let status = resp.status().as_u16();
        Ok(Response {
            status,
            body: Box::new(resp.into_body().into_reader()),
        })
    }

    /// Sends `GET path` and returns the response with its body as a stream.
    fn get(&self, path: &str) -> Result<Response, SourceError> {
        if let Address::Tls { host, cert_dir } = &self.address {
            return self.get_tls(host, cert_dir, path);
        }
        let io_err = |e: io::Error| self.connect_error(&e);
        let (reader, mut writer): (Box<dyn Read + Send>, Box<dyn Write + Send>) =
            match &self.address {
                Address::Unix(p) => {
                    let s = std::os::unix::net::UnixStream::connect(p).map_err(io_err)?;
                    s.set_read_timeout(Some(Duration::from_mins(2)))
                        .map_err(io_err)?;
                    (Box::new(s.try_clone().map_err(io_err)?), Box::new(s))
                }
                Address::Tcp(h) | Address::Tls { host: h, .. } => {
                    let s = std::net::TcpStream::connect(h).map_err(io_err)?;
                    s.set_read_timeout(Some(Duration::from_mins(2)))
                        .map_err(io_err)?;
                    (Box::new(s.try_clone().map_err(io_err)?), Box::new(s))
                }
            };
        tracing::debug!(engine = self.kind.name(), %path, "engine request");
        write!(
            writer,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: hullscan/{}\r\nConnection: close\r\n\r\n",
            crate::VERSION
        )
        .and_then(|()| writer.flush())
        .map_err(io_err)?;
        let mut r = BufReader::with_capacity(64 << 10, reader);
        let head = read_head(&mut r).map_err(|e| self.broken(&e))?;
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|c| c.parse::<u16>().ok())
            .ok_or_else(|| self.broken(&io::Error::other("no HTTP status line")))?;
        let mut length = None;
        let mut chunked = false;
        for l in lines {
            let Some((k, v)) = l.split_once(':') else {
                continue;
            };
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            if k == "content-length" {
                length = v.parse::<u64>().ok();
            } else if k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
        }
        let body: Box<dyn Read + Send> = if chunked {
            Box::new(Chunked {
                inner: r,
                left: 0,
                done: false,
            })
        } else if let Some(n) = length {
            Box::new(Exact { inner: r, left: n })
        } else {
            Box::new(r)
        };
        Ok(Response { status, body })
    }

    fn connect_error(&self, e: &io::Error) -> SourceError {
        let what = self.kind.name();
        let hint = match (e.kind(), self.kind, &self.address) {
            (io::ErrorKind::PermissionDenied, EngineKind::Docker, _) => {
                "permission denied: add your user to the `docker` group (then log in again), or point DOCKER_HOST at a rootless daemon's socket (unix://$XDG_RUNTIME_DIR/docker.sock)".to_string()
            }
            (io::ErrorKind::PermissionDenied, EngineKind::Podman, _) => {
                "permission denied: use your user's socket ($XDG_RUNTIME_DIR/podman/podman.sock, started by `systemctl --user start podman.socket`) or set CONTAINER_HOST".to_string()
            }
            (io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused, _, _) => format!(
                "no {what} engine is running there ({e}); start it, or set {}",
                if self.kind == EngineKind::Docker {
                    "DOCKER_HOST"
                } else {
                    "CONTAINER_HOST"
                }
            ),
            _ => e.to_string(),
        };
        SourceError::Registry(format!("{what} engine at {}: {hint}", self.address))
    }

    fn broken(&self, e: &io::Error) -> SourceError {
        SourceError::Registry(format!(
            "{} engine at {}: bad answer: {e}",
            self.kind.name(),
            self.address
        ))
    }
}

/// An HTTP response with its body as a stream.
struct Response {
    status: u16,
    body: Box<dyn Read + Send>,
}

impl Response {
    fn body_text(&mut self, limit: u64) -> Result<String, SourceError> {
        let mut buf = Vec::new();
        (&mut self.body)
            .take(limit)
            .read_to_end(&mut buf)
            .map_err(|e| SourceError::Registry(format!("reading an engine answer: {e}")))?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }
}

/// Reads the status line and headers, up to the blank line.
fn read_head(r: &mut impl BufRead) -> io::Result<String> {
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = r.take(MAX_HEAD as u64).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the connection closed before an answer",
            ));
        }
        head.extend_from_slice(&line);
        if head.len() > MAX_HEAD {
            return Err(io::Error::other("answer headers too large"));
        }
        if line == b"\r\n" || line == b"\n" {
            return Ok(String::from_utf8_lossy(&head).into_owned());
        }
    }
}

/// A body of known length: fewer bytes is an error, more are not read.
struct Exact<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let want = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the engine's answer ended early",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// A `Transfer-Encoding: chunked` body. A stream that ends without the last chunk is an
/// error (an export killed midway), never a short image.
struct Chunked<R> {
    inner: R,
    left: u64,
    done: bool,
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let cut = || {
            io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the engine's answer was cut off",
            )
        };
        while self.left == 0 {
            if self.done {
                return Ok(0);
            }
            let mut line = String::new();
            if (&mut self.inner).take(4096).read_line(&mut line)? == 0 {
                return Err(cut());
            }
            let size = line.trim().split(';').next().unwrap_or("");
            let size = u64::from_str_radix(size, 16)
                .map_err(|_| io::Error::other(format!("bad chunk size `{}`", size.trim())))?;
            if size == 0 {
                self.done = true;
                return Ok(0);
            }
            self.left = size;
        }
        let want = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(cut());
        }
        self.left -= n as u64;
        if self.left == 0 {
            let mut crlf = [0u8; 2];
            self.inner.read_exact(&mut crlf).map_err(|_| cut())?;
        }
        Ok(n)
    }
}

/// `unix:///path` or `tcp://host:port` (TLS endpoints are not spoken: say so at use).
fn parse_host(h: &str) -> Option<Address> {
    if let Some(p) = h.strip_prefix("unix://") {
        return Some(Address::Unix(PathBuf::from(p)));
    }
    if let Some(t) = h
        .strip_prefix("tcp://")
        .or_else(|| h.strip_prefix("http://"))
    {
        return Some(Address::Tcp(t.trim_end_matches('/').to_string()));
    }
    None
}

/// A `tcp://` Docker host with `DOCKER_TLS_VERIFY` set speaks TLS with the client certificate
/// in `DOCKER_CERT_PATH` (default `~/.docker`), as the docker CLI does.
fn with_docker_tls(a: Address) -> Address {
    let verify = std::env::var("DOCKER_TLS_VERIFY").is_ok_and(|v| !v.is_empty() && v != "0");
    match a {
        Address::Tcp(host) if verify => {
            let cert_dir = std::env::var_os("DOCKER_CERT_PATH")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".docker")))
                .unwrap_or_default();
            Address::Tls { host, cert_dir }
        }
        other => other,
    }
}

/// The host of the current docker context (`docker context use NAME`), if any.
fn docker_context_host() -> Option<Address> {
    let dir = std::env::var_os("DOCKER_CONFIG")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".docker")))?;
    let cfg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("config.json")).ok()?).ok()?;
    let name = cfg["currentContext"].as_str().filter(|n| *n != "default")?;
    let hex = crate::image::layer::sha256_digest(name.as_bytes());
    let meta: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            dir.join("contexts/meta")
                .join(hex.trim_start_matches("sha256:"))
                .join("meta.json"),
        )
        .ok()?,
    )
    .ok()?;
    parse_host(meta["Endpoints"]["docker"]["Host"].as_str()?)
}

/// Percent-encodes what cannot stand in a path segment; `/`, `:` and `@` stay (the engines
/// route `/images/{name}/json` on the whole name).
fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_and_cut_offs() {
        let body = b"5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n";
        let mut r = Chunked {
            inner: &body[..],
            left: 0,
            done: false,
        };
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "hello world");
        let cut = b"5\r\nhel";
        let mut r = Chunked {
            inner: &cut[..],
            left: 0,
            done: false,
        };
        assert!(r.read_to_string(&mut String::new()).is_err());
        let mut r = Chunked {
            inner: &b"5\r\nhello\r\n"[..],
            left: 0,
            done: false,
        };
        assert!(
            r.read_to_string(&mut String::new()).is_err(),
            "no last chunk"
        );
    }

    #[test]
    fn hosts_and_names() {
        assert_eq!(
            parse_host("unix:///run/d.sock"),
            Some(Address::Unix("/run/d.sock".into()))
        );
        assert_eq!(
            parse_host("tcp://127.0.0.1:2375"),
            Some(Address::Tcp("127.0.0.1:2375".into()))
        );
        assert_eq!(parse_host("ssh://me@host"), None);
        assert_eq!(encode("localhost/app:dev"), "localhost/app:dev");
        assert_eq!(encode("a b?c#d"), "a%20b%3Fc%23d");
    }
}
