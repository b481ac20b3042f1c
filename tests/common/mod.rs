//! The project's own image builder for tests: writes real OCI layouts, OCI archives and
//! `docker save` archives from small recipes, with exact tar contents (modes, owners, PAX
//! xattrs, hardlinks, whiteouts, hostile names, missing end-of-archive markers) and gzip,
//! zstd or no compression. Nothing it writes is committed.

// Each test binary uses part of this module; `pub` items are shared, not exported.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

pub mod debian;
pub mod engine;
pub mod faults;
pub mod moto;
pub mod rawtar;
pub mod registry;

/// Skips a test whose tool is missing on a developer's machine; under CI (`CI` set, as
/// `.ci/run` does) a missing tool fails instead, so a skip can never pass for a test run.
pub fn skip_unless_ci(why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{why}, and CI is set: scripts/test-bed.sh installs it"
    );
    eprintln!("skipped: {why}");
}

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

pub fn hullscan(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("HULLSCAN_LOG")
        .output()
        .unwrap()
}

/// Runs hullscan in the current directory with `stdin` fed to it and extra environment.
pub fn hullscan_with(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hullscan"))
        .args(args)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Asserts exit code 2 and a single `hullscan: error:` line on stderr containing `needle`.
pub fn one_line_error(out: &Output, needle: &str) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("hullscan: error: ") && err.contains(needle),
        "{err}"
    );
}

/// One setuid file and a non-root user: exactly `FS001 /usr/bin/su` once IC002, IC004 and
/// RG004 are disabled.
pub fn su_image() -> Image {
    Image::new(vec![Layer::new("x").file("/usr/bin/su", 0o4755, b"ELF")])
        .with_config(serde_json::json!({"User": "1"}))
}

/// Arguments that scan `reference` from the test registry at `host` as JSON, with the rules
/// about references, healthchecks and signatures off, so `su_image` yields exactly one finding.
pub fn registry_scan_args<'a>(host: &'a str, reference: &'a str) -> Vec<&'a str> {
    vec![
        "image",
        "--no-config",
        "-f",
        "json",
        "--disable",
        "IC002,IC004,RG004",
        "--insecure-registry",
        host,
        reference,
    ]
}

/// Asserts a scan found exactly what `su_image` holds.
pub fn assert_su_only(out: &Output) {
    assert_eq!(
        findings(out),
        ["FS001 /usr/bin/su"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The OASIS SARIF 2.1.0 schema (vendored from the `serde-sarif` crate's source, MIT).
pub fn sarif_schema() -> jsonschema::Validator {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// Findings of a JSON report as sorted `RULE path-or-line` strings.
pub fn findings(out: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut f: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let place = f["image_path"]
                .as_str()
                .map(str::to_string)
                .or_else(|| f["start_line"].as_u64().map(|l| format!("line {l}")))
                .or_else(|| f["layer"].as_u64().map(|l| format!("layer {l}")))
                .unwrap_or_else(|| "config".into());
            format!("{} {place}", f["rule"].as_str().unwrap())
        })
        .collect();
    f.sort();
    f
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    /// zstd with this window log declared in the frame (`zstd --long=N`, streamed).
    ZstdWindow(u32),
    None,
}

#[derive(Clone)]
pub enum Item {
    File {
        path: String,
        mode: u32,
        uid: u64,
        content: Vec<u8>,
        xattrs: Vec<(String, Vec<u8>)>,
    },
    Dir {
        path: String,
        mode: u32,
    },
    Symlink {
        path: String,
        target: String,
    },
    Hardlink {
        path: String,
        target: String,
    },
    /// A file whose name is written into the header as is, bypassing path checks.
    RawName {
        name: String,
        content: Vec<u8>,
    },
    /// Tar blocks written as they are (hostile headers from `rawtar`).
    Blocks(Vec<u8>),
}

#[derive(Clone)]
pub struct Layer {
    pub items: Vec<Item>,
    pub compression: Compression,
    /// Write the two zero blocks that end a tar (umoci omits them).
    pub trailer: bool,
    pub created_by: String,
}

impl Layer {
    pub fn new(created_by: &str) -> Layer {
        Layer {
            items: Vec::new(),
            compression: Compression::Gzip,
            trailer: true,
            created_by: created_by.into(),
        }
    }
    pub fn file(mut self, path: &str, mode: u32, content: &[u8]) -> Self {
        self.items.push(Item::File {
            path: path.into(),
            mode,
            uid: 0,
            content: content.to_vec(),
            xattrs: Vec::new(),
        });
        self
    }
    pub fn file_xattr(mut self, path: &str, mode: u32, key: &str, value: &[u8]) -> Self {
        self.items.push(Item::File {
            path: path.into(),
            mode,
            uid: 0,
            content: b"bin".to_vec(),
            xattrs: vec![(key.into(), value.to_vec())],
        });
        self
    }
    pub fn dir(mut self, path: &str, mode: u32) -> Self {
        self.items.push(Item::Dir {
            path: path.into(),
            mode,
        });
        self
    }
    pub fn symlink(mut self, path: &str, target: &str) -> Self {
        self.items.push(Item::Symlink {
            path: path.into(),
            target: target.into(),
        });
        self
    }
    pub fn hardlink(mut self, path: &str, target: &str) -> Self {
        self.items.push(Item::Hardlink {
            path: path.into(),
            target: target.into(),
        });
        self
    }
    pub fn raw(mut self, name: &str, content: &[u8]) -> Self {
        self.items.push(Item::RawName {
            name: name.into(),
            content: content.to_vec(),
        });
        self
    }
    /// Appends raw tar blocks (see `rawtar`).
    pub fn blocks(mut self, bytes: Vec<u8>) -> Self {
        self.items.push(Item::Blocks(bytes));
        self
    }
    pub fn whiteout(self, path: &str) -> Self {
        let (dir, name) = path.rsplit_once('/').unwrap();
        self.file(&format!("{dir}/.wh.{name}"), 0o644, b"")
    }
    pub fn opaque(self, dir: &str) -> Self {
        self.file(&format!("{dir}/.wh..wh..opq"), 0o644, b"")
    }
    pub fn compression(mut self, c: Compression) -> Self {
        self.compression = c;
        self
    }
    pub fn no_trailer(mut self) -> Self {
        self.trailer = false;
        self
    }

    /// The uncompressed tar stream.
    pub fn tar(&self) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for item in &self.items {
            let mut h = tar::Header::new_gnu();
            h.set_mtime(1_700_000_000);
            match item {
                Item::File {
                    path,
                    mode,
                    uid,
                    content,
                    xattrs,
                } => {
                    if !xattrs.is_empty() {
                        let keys: Vec<String> = xattrs
                            .iter()
                            .map(|(k, _)| format!("SCHILY.xattr.{k}"))
                            .collect();
                        b.append_pax_extensions(
                            keys.iter()
                                .zip(xattrs)
                                .map(|(k, (_, v))| (k.as_str(), v.as_slice())),
                        )
                        .unwrap();
                    }
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_mode(*mode);
                    h.set_uid(*uid);
                    h.set_size(content.len() as u64);
                    b.append_data(&mut h, path.trim_start_matches('/'), content.as_slice())
                        .unwrap();
                }
                Item::Dir { path, mode } => {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_mode(*mode);
                    h.set_size(0);
                    b.append_data(
                        &mut h,
                        format!("{}/", path.trim_start_matches('/')),
                        std::io::empty(),
                    )
                    .unwrap();
                }
                Item::Symlink { path, target } => {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_mode(0o777);
                    h.set_size(0);
                    b.append_link(&mut h, path.trim_start_matches('/'), target)
                        .unwrap();
                }
                Item::Hardlink { path, target } => {
                    h.set_entry_type(tar::EntryType::Link);
                    h.set_mode(0o644);
                    h.set_size(0);
                    b.append_link(
                        &mut h,
                        path.trim_start_matches('/'),
                        target.trim_start_matches('/'),
                    )
                    .unwrap();
                }
                Item::Blocks(bytes) => {
                    std::io::Write::write_all(b.get_mut(), bytes).unwrap();
                }
                Item::RawName { name, content } => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_mode(0o644);
                    h.set_size(content.len() as u64);
                    let bytes = name.as_bytes();
                    h.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
                    h.set_cksum();
                    b.append(&h, content.as_slice()).unwrap();
                }
            }
        }
        let mut data = b.into_inner().unwrap();
        if !self.trailer {
            data.truncate(data.len() - 1024);
        }
        data
    }

    /// The blob as stored, and its media type.
    pub fn blob(&self) -> (Vec<u8>, &'static str) {
        let tar = self.tar();
        match self.compression {
            Compression::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(&tar).unwrap();
                (
                    e.finish().unwrap(),
                    "application/vnd.oci.image.layer.v1.tar+gzip",
                )
            }
            Compression::Zstd => (
                zstd::stream::encode_all(tar.as_slice(), 1).unwrap(),
                "application/vnd.oci.image.layer.v1.tar+zstd",
            ),
            Compression::ZstdWindow(log) => {
                let mut e = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
                e.window_log(log).unwrap();
                e.long_distance_matching(true).unwrap();
                e.include_contentsize(false).unwrap();
                e.write_all(&tar).unwrap();
                (
                    e.finish().unwrap(),
                    "application/vnd.oci.image.layer.v1.tar+zstd",
                )
            }
            Compression::None => (tar, "application/vnd.oci.image.layer.v1.tar"),
        }
    }
}

pub fn sha256(b: &[u8]) -> String {
    format!("sha256:{}", hullscan::image::layer::hex(&Sha256::digest(b)))
}

/// A recipe from `testdata/images/<name>.toml` (format described in `busy.toml`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Recipe {
    #[serde(default)]
    config: serde_json::Value,
    layers: Vec<RecipeLayer>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RecipeLayer {
    created_by: String,
    #[serde(default)]
    compression: Option<String>,
    #[serde(default)]
    trailer: Option<bool>,
    entries: Vec<RecipeEntry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RecipeEntry {
    #[serde(default)]
    path: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    size: Option<usize>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    xattrs: std::collections::BTreeMap<String, String>,
}

/// Expands `${synthetic:pem:SEED}`, `${synthetic:ghp:SEED}` and
/// `${synthetic:random:SEED:LEN}` in recipe text: secrets are generated, never committed.
fn synthetic(text: &str) -> String {
    use hullscan::secrets::synthetic::{checksummed, pem, random};
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("${synthetic:") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').map(|e| i + e).unwrap();
        let spec: Vec<&str> = rest[i + 12..end].split(':').collect();
        let seed: u64 = spec[1].parse().unwrap();
        out.push_str(&match spec[0] {
            "pem" => pem(seed),
            "ghp" => checksummed("ghp_", seed),
            "random" => random(
                seed,
                spec[2].parse().unwrap(),
                b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789",
            ),
            other => panic!("unknown synthetic {other}"),
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn synthetic_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => *s = synthetic(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(synthetic_json),
        serde_json::Value::Object(o) => o.values_mut().for_each(synthetic_json),
        _ => {}
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[derive(Clone)]
pub struct Image {
    pub layers: Vec<Layer>,
    pub config: serde_json::Value,
    pub arch: String,
}

impl Image {
    /// Loads `testdata/images/<name>.toml`.
    pub fn from_recipe(name: &str) -> Image {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/images")
            .join(format!("{name}.toml"));
        let recipe: Recipe = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let layers = recipe
            .layers
            .into_iter()
            .map(|l| {
                let mut layer = Layer::new(&l.created_by);
                layer.compression = match l.compression.as_deref() {
                    None | Some("gzip") => Compression::Gzip,
                    Some("zstd") => Compression::Zstd,
                    Some("none") => Compression::None,
                    Some(other) => panic!("unknown compression {other}"),
                };
                layer.trailer = l.trailer.unwrap_or(true);
                for e in l.entries {
                    let mode = e
                        .mode
                        .as_deref()
                        .map_or(0o644, |m| u32::from_str_radix(m, 8).unwrap());
                    let content = match (e.content, e.size) {
                        (Some(c), _) => synthetic(&c).into_bytes(),
                        (None, Some(n)) => vec![0; n],
                        (None, None) => Vec::new(),
                    };
                    let target = e.target.unwrap_or_default();
                    layer = match e.kind.as_deref().unwrap_or("file") {
                        "file" => {
                            let xattrs = e
                                .xattrs
                                .iter()
                                .map(|(k, v)| (k.clone(), unhex(v)))
                                .collect();
                            layer.items.push(Item::File {
                                path: e.path,
                                mode,
                                uid: 0,
                                content,
                                xattrs,
                            });
                            layer
                        }
                        "dir" => layer.dir(&e.path, mode),
                        "symlink" => layer.symlink(&e.path, &target),
                        "hardlink" => layer.hardlink(&e.path, &target),
                        "whiteout" => layer.whiteout(&e.path),
                        "opaque" => layer.opaque(&e.path),
                        "raw" => layer.raw(&e.name.unwrap_or_default(), &content),
                        other => panic!("unknown entry type {other}"),
                    };
                }
                layer
            })
            .collect();
        let mut config = recipe.config;
        synthetic_json(&mut config);
        Image::new(layers).with_config(config)
    }

    pub fn new(layers: Vec<Layer>) -> Image {
        Image {
            layers,
            config: serde_json::json!({}),
            arch: "amd64".into(),
        }
    }

    pub fn with_config(mut self, config: serde_json::Value) -> Self {
        self.config = config;
        self
    }

    pub fn arch(mut self, arch: &str) -> Self {
        self.arch = arch.into();
        self
    }

    fn config_json(&self, diff_ids: &[String]) -> Vec<u8> {
        let history: Vec<serde_json::Value> = self
            .layers
            .iter()
            .map(|l| serde_json::json!({"created_by": l.created_by}))
            .collect();
        serde_json::to_vec(&serde_json::json!({
            "architecture": self.arch,
            "os": "linux",
            "config": self.config,
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }))
        .unwrap()
    }

    /// Writes blobs into `dir/blobs` and returns the manifest descriptor.
    fn write_blobs(&self, dir: &Path) -> serde_json::Value {
        std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
        let put = |bytes: &[u8]| -> String {
            let d = sha256(bytes);
            std::fs::write(dir.join("blobs/sha256").join(&d[7..]), bytes).unwrap();
            d
        };
        let mut layer_descs = Vec::new();
        let mut diff_ids = Vec::new();
        for l in &self.layers {
            diff_ids.push(sha256(&l.tar()));
            let (blob, media) = l.blob();
            let d = put(&blob);
            layer_descs
                .push(serde_json::json!({"mediaType": media, "digest": d, "size": blob.len()}));
        }
        let cfg = self.config_json(&diff_ids);
        let cfg_d = put(&cfg);
        let manifest = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_d, "size": cfg.len()},
            "layers": layer_descs,
        }))
        .unwrap();
        let md = put(&manifest);
        serde_json::json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": manifest.len(),
            "platform": {"architecture": self.arch, "os": "linux"}})
    }

    /// Writes an OCI layout with this image tagged `tag`.
    pub fn write_oci(&self, dir: &Path, tag: &str) {
        let mut desc = self.write_blobs(dir);
        desc["annotations"] = serde_json::json!({"org.opencontainers.image.ref.name": tag});
        write_layout(dir, &[desc]);
    }

    /// Writes a `docker save` archive in the legacy form (`<id>/layer.tar`, uncompressed).
    pub fn write_docker_archive(&self, path: &Path, repo_tag: &str) {
        let mut b = tar::Builder::new(Vec::new());
        let mut layer_paths = Vec::new();
        let mut diff_ids = Vec::new();
        for (i, l) in self.layers.iter().enumerate() {
            let tar = l.tar();
            diff_ids.push(sha256(&tar));
            let p = format!("layer{i}/layer.tar");
            append(&mut b, &p, &tar);
            layer_paths.push(p);
        }
        let cfg = self.config_json(&diff_ids);
        let cfg_name = format!("{}.json", &sha256(&cfg)[7..]);
        append(&mut b, &cfg_name, &cfg);
        let manifest = serde_json::to_vec(&serde_json::json!([{"Config": cfg_name, "RepoTags": [repo_tag], "Layers": layer_paths}])).unwrap();
        append(&mut b, "manifest.json", &manifest);
        std::fs::write(path, b.into_inner().unwrap()).unwrap();
    }

    /// Writes an `oci-archive`: a tar of an OCI layout.
    pub fn write_oci_archive(&self, path: &Path, tag: &str) {
        let tmp = tempfile::tempdir().unwrap();
        self.write_oci(tmp.path(), tag);
        tar_dir(tmp.path(), path);
    }
}

fn append(b: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_mode(0o644);
    h.set_size(data.len() as u64);
    b.append_data(&mut h, path, data).unwrap();
}

/// Writes `oci-layout` and `index.json` for the given manifest descriptors.
pub fn write_layout(dir: &Path, manifests: &[serde_json::Value]) {
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    let index = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests});
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
}

/// Writes a multi-platform image: an index blob over one manifest per image, tagged `tag`.
pub fn write_multi_platform(dir: &Path, tag: &str, images: &[Image]) {
    let descs: Vec<serde_json::Value> = images.iter().map(|i| i.write_blobs(dir)).collect();
    let index = serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": descs})).unwrap();
    let d = sha256(&index);
    std::fs::write(dir.join("blobs/sha256").join(&d[7..]), &index).unwrap();
    write_layout(
        dir,
        &[
            serde_json::json!({"mediaType": "application/vnd.oci.image.index.v1+json", "digest": d, "size": index.len(),
        "annotations": {"org.opencontainers.image.ref.name": tag}}),
        ],
    );
}

/// Tars a directory (no compression), as `oci-archive` and `docker save` store them.
pub fn tar_dir(dir: &Path, out: &Path) {
    let mut b = tar::Builder::new(std::fs::File::create(out).unwrap());
    b.append_dir_all(".", dir).unwrap();
    b.finish().unwrap();
}

/// Path of a blob in a layout.
pub fn blob(dir: &Path, digest: &str) -> PathBuf {
    dir.join("blobs/sha256").join(&digest[7..])
}
