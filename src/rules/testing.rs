//! Test helpers for rule modules: run one check on Dockerfile text and render the result.

use crate::dockerfile::{Dockerfile, parse};
use crate::rules::Settings;
use crate::rules::{Findings, RuleContext};

pub(crate) type DfCheck = fn(&Dockerfile, &RuleContext<'_>, &mut Findings);

/// Runs `check` on `src` with `settings` and renders `line: message` per finding.
pub(crate) fn render_with(check: DfCheck, src: &str, settings: &Settings) -> String {
    let df = parse(src).unwrap_or_else(|e| panic!("test Dockerfile does not parse: {e}"));
    let mut out = Findings::default();
    check(&df, &RuleContext { settings }, &mut out);
    out.0
        .iter()
        .map(|f| format!("{}: {}", f.start_line(), f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `check` with default settings.
pub(crate) fn render(check: DfCheck, src: &str) -> String {
    render_with(check, src, &Settings::default())
}

/// The start lines of the findings of `check` on `src`.
pub(crate) fn lines(check: DfCheck, src: &str) -> Vec<u32> {
    let df = parse(src).unwrap_or_else(|e| panic!("test Dockerfile does not parse: {e}"));
    let mut out = Findings::default();
    check(&df, &RuleContext::default(), &mut out);
    out.0
        .iter()
        .map(crate::rules::Finding::start_line)
        .collect()
}

/// Builds [`ImageFacts`](crate::image::ImageFacts) for image rule tests, layer by layer.
pub(crate) struct ImgBuilder {
    layers: Vec<crate::image::facts::LayerFacts>,
    config: crate::image::config::ImageConfig,
    reference: String,
}

impl Default for ImgBuilder {
    fn default() -> Self {
        let mut b = ImgBuilder {
            layers: Vec::new(),
            config: crate::image::config::ImageConfig::default(),
            reference: "oci:img:1".into(),
        };
        b.config.config = Some(crate::image::config::RuntimeConfig::default());
        b.layer()
    }
}

impl ImgBuilder {
    fn rc(&mut self) -> &mut crate::image::config::RuntimeConfig {
        self.config.config.get_or_insert_with(Default::default)
    }

    /// Starts a new layer.
    pub(crate) fn layer(mut self) -> Self {
        let index = self.layers.len();
        self.layers.push(crate::image::facts::LayerFacts {
            index,
            digest: format!("sha256:{index:064}"),
            compressed_size: 1000,
            uncompressed_size: 3000,
            compression: "gzip",
            ..Default::default()
        });
        self
    }

    fn push(
        mut self,
        path: &str,
        kind: crate::image::facts::EntryKind,
        mode: u32,
        uid: u64,
        size: u64,
        link: Option<&str>,
    ) -> Self {
        let layer = self.layers.len() - 1;
        self.layers[layer].entries.push(crate::image::facts::Entry {
            path: path.into(),
            kind,
            mode,
            uid,
            gid: 0,
            size,
            link: link.map(str::to_string),
            capability: None,
            layer,
        });
        self
    }

    pub(crate) fn file(self, path: &str, mode: u32, uid: u64) -> Self {
        self.push(
            path,
            crate::image::facts::EntryKind::File,
            mode,
            uid,
            100,
            None,
        )
    }

    pub(crate) fn sized(self, path: &str, size: u64) -> Self {
        self.push(
            path,
            crate::image::facts::EntryKind::File,
            0o644,
            0,
            size,
            None,
        )
    }

    pub(crate) fn dir(self, path: &str, mode: u32) -> Self {
        self.push(path, crate::image::facts::EntryKind::Dir, mode, 0, 0, None)
    }

    pub(crate) fn symlink(self, path: &str, target: &str) -> Self {
        self.push(
            path,
            crate::image::facts::EntryKind::Symlink,
            0o777,
            0,
            0,
            Some(target),
        )
    }

    pub(crate) fn hardlink(self, path: &str, target: &str) -> Self {
        self.push(
            path,
            crate::image::facts::EntryKind::Hardlink,
            0o644,
            0,
            0,
            Some(target),
        )
    }

    /// A file with content, as the walker sees it: captured if the walker keeps it, and
    /// searched for secrets with the test key.
    pub(crate) fn content(mut self, path: &str, text: &str) -> Self {
        let layer = self.layers.len() - 1;
        if crate::image::layer::should_capture(path) {
            self.layers[layer].captured.insert(
                path.into(),
                crate::image::facts::Captured {
                    content: text.as_bytes().to_vec(),
                    truncated: false,
                },
            );
        }
        if !crate::secrets::skip_path(path) {
            let class = crate::secrets::FileClass::of(path);
            for hit in crate::secrets::detector().scan_file_text(&test_key(), text, class) {
                self.layers[layer]
                    .secrets
                    .push(crate::image::facts::SecretAt {
                        path: path.into(),
                        hit,
                    });
            }
        }
        self.push(
            path,
            crate::image::facts::EntryKind::File,
            0o644,
            0,
            text.len() as u64,
            None,
        )
    }

    pub(crate) fn label(mut self, k: &str, v: &str) -> Self {
        self.rc()
            .labels
            .get_or_insert_with(Default::default)
            .insert(k.into(), serde_json::Value::String(v.into()));
        self
    }

    pub(crate) fn capability(mut self, path: &str) -> Self {
        self = self.file(path, 0o755, 0);
        let layer = self.layers.len() - 1;
        if let Some(e) = self.layers[layer].entries.last_mut() {
            e.capability = Some(vec![1, 0, 0, 2, 0, 4, 0, 0]);
        }
        self
    }

    pub(crate) fn whiteout(mut self, path: &str) -> Self {
        let layer = self.layers.len() - 1;
        self.layers[layer].whiteouts.push(path.into());
        self
    }

    pub(crate) fn sizes(mut self, compressed: u64, uncompressed: u64) -> Self {
        let layer = self.layers.len() - 1;
        self.layers[layer].compressed_size = compressed;
        self.layers[layer].uncompressed_size = uncompressed;
        self
    }

    pub(crate) fn user(mut self, u: &str) -> Self {
        self.rc().user = Some(u.into());
        self
    }

    pub(crate) fn env(mut self, kv: &str) -> Self {
        self.rc().env.get_or_insert_with(Vec::new).push(kv.into());
        self
    }

    pub(crate) fn expose(mut self, port: &str) -> Self {
        self.rc()
            .exposed_ports
            .get_or_insert_with(Default::default)
            .insert(port.into(), serde_json::json!({}));
        self
    }

    pub(crate) fn healthcheck(mut self, test: &[&str]) -> Self {
        self.rc().healthcheck = Some(crate::image::config::Healthcheck {
            test: Some(test.iter().map(|s| (*s).to_string()).collect()),
        });
        self
    }

    pub(crate) fn history(mut self, created_by: &str, empty: bool) -> Self {
        self.config.history.push(crate::image::config::History {
            created_by: Some(created_by.into()),
            empty_layer: Some(empty),
            comment: None,
        });
        self
    }

    pub(crate) fn reference(mut self, r: &str) -> Self {
        self.reference = r.into();
        self
    }

    pub(crate) fn build(self) -> crate::image::ImageFacts {
        let img = crate::image::ResolvedImage {
            reference: self.reference,
            manifest_digest: None,
            index_digest: None,
            platform: "linux/amd64".into(),
            config: self.config,
            layers: Vec::new(),
        };
        crate::image::from_layers(&img, self.layers, Some(&test_key()))
    }
}

/// The fingerprint key of rule tests.
pub(crate) fn test_key() -> crate::secrets::Key {
    crate::secrets::Key::derive(b"test")
}

pub(crate) type ImgCheck = fn(&crate::image::ImageFacts, &RuleContext<'_>, &mut Findings);

/// Runs an image check and renders `place: message` per finding.
pub(crate) fn render_img_with(
    check: ImgCheck,
    img: &crate::image::ImageFacts,
    settings: &Settings,
) -> String {
    let mut out = Findings::default();
    check(img, &RuleContext { settings }, &mut out);
    out.0
        .iter()
        .map(|f| format!("{} {}: {}", f.rule, f.place().trim(), f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs an image check with default settings.
pub(crate) fn render_img(check: ImgCheck, img: &crate::image::ImageFacts) -> String {
    render_img_with(check, img, &Settings::default())
}

/// A hardened ECR repository (immutable tags, scan on push, KMS key); tests change one field.
pub(crate) fn repo() -> crate::repository::Repository {
    crate::repository::Repository {
        name: "team/app".into(),
        arn: "arn:aws:ecr:eu-west-1:123456789012:repository/team/app".into(),
        uri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app".into(),
        tag_mutability: "IMMUTABLE".into(),
        mutability_exclusions: Vec::new(),
        scan_on_push: true,
        registry_scanning: crate::repository::RegistryScanning::Known {
            scan_type: "BASIC".into(),
            rules: Vec::new(),
        },
        encryption_type: "KMS".into(),
        kms_key: Some("arn:aws:kms:eu-west-1:123456789012:key/1234".into()),
    }
}

/// Runs one repository check and renders `ID arn: message` lines.
pub(crate) fn render_repo(
    check: fn(&crate::repository::Repository, &RuleContext<'_>, &mut Findings),
    repo: &crate::repository::Repository,
) -> String {
    let mut out = Findings::default();
    check(repo, &RuleContext::default(), &mut out);
    out.0
        .iter()
        .map(|f| format!("{} {}: {}", f.rule, f.place(), f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A resolved base image (`--resolve-bases`) for `a:1` with `user` and a healthcheck or not.
pub(crate) fn base_image(user: &str, healthcheck: bool) -> crate::dockerfile::BaseImage {
    crate::dockerfile::BaseImage {
        reference: "a:1".into(),
        digest: Some(format!("sha256:{}", "0123456789abcdef".repeat(4))),
        user: user.into(),
        healthcheck,
    }
}
