//! Fault injection between hullscan and a real registry: an HTTP proxy on 127.0.0.1 that
//! forwards requests to the registry unless a test's plan says otherwise (an error status, a
//! dropped connection, a stall, a truncated body, a redirect), and a blob server on another
//! host name that records whether requests carry an `Authorization` header.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the proxy does with one request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Forward it.
    Pass,
    /// Answer this status, with an optional `Retry-After`.
    Status(u16, Option<u64>),
    /// Close the connection without answering.
    Drop,
    /// Accept and never answer.
    Stall,
    /// Forward, but send only half of the response body.
    Truncate,
    /// Forward the head at once, then the body one byte per interval.
    Trickle(Duration),
    /// Answer 200 with this JSON body.
    Json(Arc<Vec<u8>>),
    /// Answer `307` to this base URL plus the request path.
    Redirect(String),
}

type Plan = Box<dyn FnMut(&str) -> Fault + Send>;

/// Requests seen: (request line, had an Authorization header).
pub type Seen = Arc<Mutex<Vec<(String, bool)>>>;

fn read_head(stream: &TcpStream) -> Option<(String, Vec<String>)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 || h == "\r\n" {
            break;
        }
        headers.push(h.trim_end().to_string());
    }
    Some((line.trim_end().to_string(), headers))
}

/// Sends one request (its line and headers, minus hop-by-hop ones) to `upstream` with
/// `Connection: close` and returns the whole raw response.
fn forward(upstream: &str, line: &str, headers: &[String]) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect(upstream).ok()?;
    let mut head = format!("{line}\r\n");
    for h in headers {
        let lower = h.to_ascii_lowercase();
        if !lower.starts_with("connection:") && !lower.starts_with("proxy-") {
            head.push_str(h);
            head.push_str("\r\n");
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    up.write_all(head.as_bytes()).ok()?;
    let mut response = Vec::new();
    let _ = up.read_to_end(&mut response);
    Some(response)
}

fn serve(
    listener: TcpListener,
    stop: Arc<AtomicBool>,
    handle: impl Fn(TcpStream) + Send + Sync + 'static,
) {
    let handle = Arc::new(handle);
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((s, _)) => {
                    s.set_nonblocking(false).unwrap();
                    let h = handle.clone();
                    std::thread::spawn(move || h(s));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
}

pub struct FaultProxy {
    pub host: String,
    pub seen: Seen,
    stop: Arc<AtomicBool>,
}

impl FaultProxy {
    pub fn start(upstream: &str, plan: impl FnMut(&str) -> Fault + Send + 'static) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let plan: Arc<Mutex<Plan>> = Arc::new(Mutex::new(Box::new(plan)));
        let seen: Seen = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (upstream, seen2, stop2) = (upstream.to_string(), seen.clone(), stop.clone());
        serve(listener, stop.clone(), move |mut client| {
            let Some((line, headers)) = read_head(&client) else {
                return;
            };
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let auth = headers
                .iter()
                .any(|h| h.to_ascii_lowercase().starts_with("authorization:"));
            seen2.lock().unwrap().push((line.clone(), auth));
            let fault = (plan.lock().unwrap())(&path);
            match fault {
                Fault::Status(code, retry) => {
                    let retry = retry
                        .map(|s| format!("Retry-After: {s}\r\n"))
                        .unwrap_or_default();
                    let _ = write!(
                        client,
                        "HTTP/1.1 {code} Injected\r\n{retry}Content-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                }
                Fault::Drop => {}
                Fault::Stall => {
                    while !stop2.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                Fault::Redirect(base) => {
                    let _ = write!(
                        client,
                        "HTTP/1.1 307 Temporary Redirect\r\nLocation: {base}{path}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                }
                Fault::Json(body) => {
                    let _ = write!(
                        client,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = client.write_all(&body);
                }
                Fault::Trickle(every) => {
                    let Some(response) = forward(&upstream, &line, &headers) else {
                        return;
                    };
                    let body_at = response
                        .windows(4)
                        .position(|w| w == b"\r\n\r\n")
                        .map_or(0, |p| p + 4);
                    if client.write_all(&response[..body_at]).is_err() {
                        return;
                    }
                    for b in &response[body_at..] {
                        if stop2.load(Ordering::Relaxed) || client.write_all(&[*b]).is_err() {
                            return;
                        }
                        let _ = client.flush();
                        std::thread::sleep(every);
                    }
                }
                Fault::Pass | Fault::Truncate => {
                    let Some(mut response) = forward(&upstream, &line, &headers) else {
                        return;
                    };
                    if matches!(fault, Fault::Truncate) {
                        let body_at = response
                            .windows(4)
                            .position(|w| w == b"\r\n\r\n")
                            .map_or(0, |p| p + 4);
                        let keep = body_at + (response.len() - body_at) / 2;
                        response.truncate(keep);
                    }
                    let _ = client.write_all(&response);
                }
            }
        });
        FaultProxy { host, seen, stop }
    }

    /// How many requests the proxy saw whose line contains `needle`.
    pub fn count(&self, needle: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(l, _)| l.contains(needle))
            .count()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Serves `GET /v2/<repo>/blobs/sha256:<hex>` from an OCI layout's blob directory, as object
/// storage behind a registry redirect would, recording whether requests carried credentials.
pub struct BlobServer {
    pub base: String,
    pub seen: Seen,
    stop: Arc<AtomicBool>,
}

impl BlobServer {
    /// Listens on 127.0.0.1 but is addressed as `localhost`: another host to the client.
    pub fn start(blobs: PathBuf) -> BlobServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
        let seen: Seen = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let seen2 = seen.clone();
        serve(listener, stop.clone(), move |mut client| {
            let Some((line, headers)) = read_head(&client) else {
                return;
            };
            let auth = headers
                .iter()
                .any(|h| h.to_ascii_lowercase().starts_with("authorization:"));
            seen2.lock().unwrap().push((line.clone(), auth));
            let path = line.split_whitespace().nth(1).unwrap_or("");
            let hex = path.rsplit("sha256:").next().unwrap_or("");
            match std::fs::read(blobs.join(hex)) {
                Ok(body) => {
                    let _ = write!(
                        client,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = client.write_all(&body);
                }
                Err(_) => {
                    let _ = write!(
                        client,
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                }
            }
        });
        BlobServer { base, seen, stop }
    }
}

impl Drop for BlobServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A forward proxy on 127.0.0.1 (`CONNECT` tunnels, and absolute-URI requests passed on),
/// recording the targets clients asked for, so tests can prove `HTTP(S)_PROXY` is honoured.
pub struct ForwardProxy {
    pub url: String,
    pub targets: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl ForwardProxy {
    pub fn start() -> ForwardProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let targets: Arc<Mutex<Vec<String>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = targets.clone();
        serve(listener, stop.clone(), move |mut client| {
            let Some((line, headers)) = read_head(&client) else {
                return;
            };
            let mut parts = line.split_whitespace();
            let (method, target) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or("").to_string(),
            );
            seen.lock().unwrap().push(format!("{method} {target}"));
            if method == "CONNECT" {
                let Ok(up) = TcpStream::connect(&target) else {
                    return;
                };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (mut c2, mut u2) = (client.try_clone().unwrap(), up.try_clone().unwrap());
                let t = std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut u2);
                    let _ = u2.shutdown(std::net::Shutdown::Write);
                });
                let mut up = up;
                let _ = std::io::copy(&mut up, &mut client);
                let _ = t.join();
                return;
            }
            // Absolute URI: http://host:port/path
            let rest = target.strip_prefix("http://").unwrap_or(&target);
            let (host, path) = rest
                .split_once('/')
                .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
            if let Some(response) = forward(host, &format!("{method} {path} HTTP/1.1"), &headers) {
                let _ = client.write_all(&response);
            }
        });
        ForwardProxy { url, targets, stop }
    }
}

impl Drop for ForwardProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
