//! Real local engines for tests: Debian's `dockerd` (vfs storage, no iptables, no bridge) and
//! `podman system service` (vfs), each on a socket in a temp dir, started by the test and
//! killed by PID on drop; and a TCP-to-unix bridge that counts requests and can cut a
//! response off midway, to see what hullscan asks of an engine and how it takes a broken
//! export.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A running `dockerd`.
pub struct Dockerd {
    pub sock: PathBuf,
    child: Child,
    dir: tempfile::TempDir,
}

fn wait_for(sock: &Path, what: &str, log: &Path) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_mins(1) {
        if let Ok(mut s) = UnixStream::connect(sock) {
            let _ = s.write_all(b"GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            if out.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "{what} did not start: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

impl Dockerd {
    pub fn start() -> Dockerd {
        Dockerd::start_with(&[])
    }

    /// A daemon with extra flags (`--tlsverify` and a TCP host, say).
    pub fn start_with(extra: &[String]) -> Dockerd {
        let dir = tempfile::Builder::new()
            .prefix("hs-dockerd")
            .tempdir()
            .unwrap();
        let d = dir.path();
        let sock = d.join("d.sock");
        let log = std::fs::File::create(d.join("log")).unwrap();
        let child = Command::new("dockerd")
            .arg("--host")
            .arg(format!("unix://{}", sock.display()))
            .arg("--data-root")
            .arg(d.join("root"))
            .arg("--exec-root")
            .arg(d.join("exec"))
            .arg("--pidfile")
            .arg(d.join("d.pid"))
            .args([
                "--storage-driver",
                "vfs",
                "--iptables=false",
                "--ip6tables=false",
                "--bridge=none",
            ])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("dockerd (Debian's docker.io; bash scripts/test-bed.sh installs it)");
        wait_for(&sock, "dockerd", &d.join("log"));
        Dockerd { sock, child, dir }
    }

    pub fn host(&self) -> String {
        format!("unix://{}", self.sock.display())
    }

    /// Runs the docker CLI against this daemon.
    pub fn docker(&self, args: &[&str]) -> Output {
        let out = Command::new("docker")
            .args(args)
            .env("DOCKER_HOST", self.host())
            .env("DOCKER_BUILDKIT", "0")
            .env("DOCKER_CONFIG", self.dir.path().join("cli"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "docker {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

impl Drop for Dockerd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running `podman system service`.
pub struct Podman {
    pub sock: PathBuf,
    child: Child,
    dir: tempfile::TempDir,
}

impl Podman {
    pub fn start() -> Podman {
        let dir = tempfile::Builder::new()
            .prefix("hs-podman")
            .tempdir()
            .unwrap();
        let d = dir.path();
        std::fs::write(
            d.join("storage.conf"),
            format!(
                "[storage]\ndriver = \"vfs\"\ngraphroot = \"{0}/graph\"\nrunroot = \"{0}/run\"\n",
                d.display()
            ),
        )
        .unwrap();
        let sock = d.join("p.sock");
        let log = std::fs::File::create(d.join("log")).unwrap();
        let child = Command::new("podman")
            .env("CONTAINERS_STORAGE_CONF", d.join("storage.conf"))
            .args(["--storage-driver", "vfs", "system", "service", "--time=0"])
            .arg(format!("unix://{}", sock.display()))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("podman (Debian's podman; bash scripts/test-bed.sh installs it)");
        wait_for(&sock, "podman", &d.join("log"));
        Podman { sock, child, dir }
    }

    pub fn host(&self) -> String {
        format!("unix://{}", self.sock.display())
    }

    /// Runs the podman CLI on this service's storage.
    pub fn podman(&self, args: &[&str]) -> Output {
        let out = Command::new("podman")
            .env(
                "CONTAINERS_STORAGE_CONF",
                self.dir.path().join("storage.conf"),
            )
            .args(["--storage-driver", "vfs"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "podman {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP listener on 127.0.0.1 that forwards each connection to a unix socket, counting
/// requests; with `cut_after`, a response is cut after that many bytes.
pub struct Bridge {
    pub host: String,
    pub requests: Arc<AtomicUsize>,
    pub paths: Arc<std::sync::Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Bridge {
    pub fn start(sock: &Path, cut_after: Option<usize>) -> Bridge {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        listener.set_nonblocking(true).unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let paths = Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (sock, r2, p2, s2) = (
            sock.to_path_buf(),
            requests.clone(),
            paths.clone(),
            stop.clone(),
        );
        std::thread::spawn(move || {
            while !s2.load(Ordering::Relaxed) {
                let Ok((mut client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                r2.fetch_add(1, Ordering::Relaxed);
                let sock = sock.clone();
                let p3 = p2.clone();
                std::thread::spawn(move || {
                    let Ok(mut up) = UnixStream::connect(&sock) else {
                        return;
                    };
                    // Requests are small and end with a blank line (hullscan sends GETs).
                    let mut req = Vec::new();
                    let mut b = [0u8; 1];
                    while !req.ends_with(b"\r\n\r\n") && client.read(&mut b).unwrap_or(0) == 1 {
                        req.push(b[0]);
                    }
                    let line = String::from_utf8_lossy(&req)
                        .lines()
                        .next()
                        .unwrap_or("")
                        .to_string();
                    p3.lock().unwrap().push(line);
                    up.write_all(&req).unwrap();
                    let mut sent = 0usize;
                    let mut buf = vec![0u8; 64 << 10];
                    loop {
                        let n = up.read(&mut buf).unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        let n = match cut_after {
                            Some(c) if sent + n > c => c - sent,
                            _ => n,
                        };
                        if client.write_all(&buf[..n]).is_err() {
                            break;
                        }
                        sent += n;
                        if cut_after.is_some_and(|c| sent >= c) {
                            break; // the connection drops mid-answer
                        }
                    }
                });
            }
        });
        Bridge {
            host,
            requests,
            paths,
            stop,
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
