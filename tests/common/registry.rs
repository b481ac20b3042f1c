//! A real registry for tests: CNCF distribution (`docker-registry` from Debian) started on a
//! free 127.0.0.1 port with its own config (plain HTTP, optionally htpasswd basic auth), killed
//! when dropped. Images are pushed with `skopeo copy`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Registry {
    child: Child,
    pub host: String,
    creds: Option<(String, String)>,
    dir: tempfile::TempDir,
}

/// Runs openssl with `args` in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    super::debian::run(Command::new("openssl").current_dir(dir).args(args));
}

/// Writes a self-signed P-256 certificate `<name>.pem` and key `<name>.key` into `dir`.
fn self_signed(dir: &Path, name: &str, cn: &str) {
    let (key, cert, subj) = (
        format!("{name}.key"),
        format!("{name}.pem"),
        format!("/CN={cn}"),
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            &subj,
            "-keyout",
            &key,
            "-out",
            &cert,
        ],
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Registry {
    /// Starts a registry; with `auth`, only that user may read or write.
    pub fn start(auth: Option<(&str, &str)>) -> Registry {
        Self::start_with(auth, None)
    }

    /// Starts a registry that delegates auth to `issuer` (bearer tokens); pushes use `creds`.
    pub fn start_token(issuer: &TokenIssuer, creds: (&str, &str)) -> Registry {
        Self::start_with(Some(creds), Some(issuer))
    }

    /// Starts a registry serving HTTPS with a certificate for 127.0.0.1 signed by a fresh CA;
    /// returns it and the CA's PEM path.
    pub fn start_tls() -> (Registry, std::path::PathBuf) {
        let reg = Self::start_full(None, None, Some(false));
        let ca = reg.dir.path().join("ca.pem");
        (reg, ca)
    }

    /// Starts a registry serving HTTPS with a self-signed certificate made the way Docker's
    /// documentation makes one (`req -x509 … -addext subjectAltName=…`, so `CA:TRUE`);
    /// returns it and the certificate's path.
    pub fn start_tls_self_signed() -> (Registry, std::path::PathBuf) {
        let reg = Self::start_full(None, None, Some(true));
        let cert = reg.dir.path().join("server.pem");
        (reg, cert)
    }

    fn start_with(auth: Option<(&str, &str)>, issuer: Option<&TokenIssuer>) -> Registry {
        Self::start_full(auth, issuer, None)
    }

    /// `tls`: `None` plain HTTP, `Some(false)` a CA-signed leaf, `Some(true)` self-signed.
    fn start_full(
        auth: Option<(&str, &str)>,
        issuer: Option<&TokenIssuer>,
        tls: Option<bool>,
    ) -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
            dir.path().join("data").display()
        );
        if tls == Some(true) {
            openssl(
                dir.path(),
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "1",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1",
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.pem",
                ],
            );
        }
        if tls == Some(false) {
            let d = dir.path();
            self_signed(d, "ca", "hullscan-test-ca");
            openssl(
                d,
                &[
                    "req",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.csr",
                ],
            );
            std::fs::write(d.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
            openssl(
                d,
                &[
                    "x509",
                    "-req",
                    "-in",
                    "server.csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "1",
                    "-extfile",
                    "san.ext",
                    "-out",
                    "server.pem",
                ],
            );
        }
        if tls.is_some() {
            let d = dir.path();
            let _ = writeln!(
                config,
                "  tls:\n    certificate: {}\n    key: {}",
                d.join("server.pem").display(),
                d.join("server.key").display()
            );
        }
        if let Some(t) = issuer {
            let _ = writeln!(
                config,
                "auth:\n  token:\n    realm: {}\n    service: hullscan-test-registry\n    issuer: hullscan-test-issuer\n    rootcertbundle: {}",
                t.realm,
                t.cert_pem.display()
            );
        } else if let Some((u, p)) = auth {
            let out = Command::new("htpasswd")
                .args(["-Bbn", u, p])
                .output()
                .expect("htpasswd (apache2-utils) is needed");
            assert!(out.status.success());
            std::fs::write(dir.path().join("htpasswd"), out.stdout).unwrap();
            let _ = writeln!(
                config,
                "auth:
  htpasswd:
    realm: hullscan-test
    path: {}",
                dir.path().join("htpasswd").display()
            );
        }
        std::fs::write(dir.path().join("config.yml"), config).unwrap();
        let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(dir.path().join("config.yml"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("docker-registry (Debian package) is needed");
        let host = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(&host).is_err() {
            assert!(
                Instant::now() < deadline,
                "registry did not start: {}",
                std::fs::read_to_string(dir.path().join("registry.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Registry {
            child,
            host,
            creds: auth.map(|(u, p)| (u.to_string(), p.to_string())),
            dir,
        }
    }

    /// Writes `image` as an OCI layout in a temp dir and pushes it as `repo:1`; the dir is
    /// returned so the layout outlives the call.
    pub fn push_image(&self, image: &super::Image, repo: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        image.write_oci(&dir.path().join("img"), "1");
        self.push(&dir.path().join("img"), "1", repo);
        dir
    }

    /// Where the registry stores blob `digest` (tests corrupt it in place).
    pub fn blob_path(&self, digest: &str) -> std::path::PathBuf {
        let hex = &digest[7..];
        self.dir
            .path()
            .join("data/docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }

    /// Pushes `layout:tag` to `repo:tag` (`--all` keeps multi-platform indexes).
    pub fn push(&self, layout: &Path, tag: &str, repo: &str) {
        self.push_as(layout, tag, &format!("{repo}:{tag}"));
    }

    /// Pushes `layout:tag` to `dest` (`repo:tag`).
    pub fn push_as(&self, layout: &Path, tag: &str, dest: &str) {
        let mut cmd = Command::new("skopeo");
        cmd.args(["copy", "--quiet", "--all", "--dest-tls-verify=false"]);
        if let Some((u, p)) = &self.creds {
            cmd.arg("--dest-creds").arg(format!("{u}:{p}"));
        }
        cmd.arg(format!("oci:{}:{tag}", layout.display()))
            .arg(format!("docker://{}/{dest}", self.host));
        super::debian::run(&mut cmd);
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A token issuer for the registry's `auth.token` mode: an HTTP server on 127.0.0.1 that
/// answers `GET /token?scope=…&service=…` with an ES256 JWT the registry trusts (its
/// certificate travels in the `x5c` header and is the registry's root bundle). It requires
/// Basic credentials `user:password` and grants pull and push on the scope asked for.
pub struct TokenIssuer {
    pub realm: String,
    pub cert_pem: std::path::PathBuf,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    dir: tempfile::TempDir,
}

impl TokenIssuer {
    pub fn start(user: &str, password: &str) -> TokenIssuer {
        use base64::Engine as _;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        self_signed(p, "cert", "hullscan-test-issuer");
        openssl(
            p,
            &[
                "pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-in", "cert.key", "-out",
                "key.pk8",
            ],
        );
        openssl(
            p,
            &[
                "x509", "-outform", "DER", "-in", "cert.pem", "-out", "cert.der",
            ],
        );
        let rng = ring::rand::SystemRandom::new();
        let key = ring::signature::EcdsaKeyPair::from_pkcs8(
            &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &std::fs::read(p.join("key.pk8")).unwrap(),
            &rng,
        )
        .unwrap();
        let x5c = base64::engine::general_purpose::STANDARD
            .encode(std::fs::read(p.join("cert.der")).unwrap());
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        );
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let realm = format!("http://{}/token", listener.local_addr().unwrap());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let user = user.to_string();
        std::thread::spawn(move || {
            use std::io::{BufRead, BufReader, Write};
            let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                reader.read_line(&mut request).unwrap_or(0);
                let mut authorized = false;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':')
                        && k.eq_ignore_ascii_case("authorization")
                        && v.trim() == expected
                    {
                        authorized = true;
                    }
                }
                let query = request
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("")
                    .split_once('?')
                    .map_or("", |(_, q)| q)
                    .to_string();
                let param = |k: &str| {
                    query
                        .split('&')
                        .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                        .unwrap_or("")
                        .to_string()
                };
                let mut out = stream;
                if !authorized {
                    let _ = out.write_all(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    continue;
                }
                // scope=repository:NAME:pull,push (may be URL-encoded)
                let scope = param("scope")
                    .replace("%3A", ":")
                    .replace("%2C", ",")
                    .replace("%2F", "/");
                let name = scope.split(':').nth(1).unwrap_or("").to_string();
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs();
                let header = serde_json::json!({"typ": "JWT", "alg": "ES256", "x5c": [x5c]});
                let claims = serde_json::json!({"iss": "hullscan-test-issuer", "sub": user, "aud": param("service"),
                    "exp": now + 600, "nbf": now - 60, "iat": now, "jti": format!("{now}-{name}"),
                    "access": [{"type": "repository", "name": name, "actions": ["pull", "push"]}]});
                let signing_input = format!(
                    "{}.{}",
                    url.encode(header.to_string()),
                    url.encode(claims.to_string())
                );
                let sig = key.sign(&rng, signing_input.as_bytes()).unwrap();
                let token = format!("{signing_input}.{}", url.encode(sig.as_ref()));
                let body = serde_json::json!({"token": token, "expires_in": 600}).to_string();
                let _ = write!(
                    out,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        TokenIssuer {
            realm,
            cert_pem: p.join("cert.pem"),
            stop,
            dir,
        }
    }
}

impl Drop for TokenIssuer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
