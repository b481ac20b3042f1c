//! FS006 `secret-file`. Docs, level and peers: `rules/FS006.toml`.

use crate::image::ImageFacts;
use crate::rules::secrets::secret_name;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports files that hold credentials, judged by content: private keys, cloud and registry
/// credentials, package-registry tokens, `.env` files with secret-like names. Test fixtures
/// of installed packages (`/tests/`, `/testdata/`) are skipped: they ship sample keys.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    for (path, captured, layer) in img.fs.captured_files() {
        if ["/test/", "/tests/", "/testdata/", "/fixtures/"]
            .iter()
            .any(|d| path.contains(d))
        {
            continue;
        }
        let text = String::from_utf8_lossy(&captured.content);
        let Some(kind) = classify(path, &text) else {
            continue;
        };
        out.push(
            Finding::new(RuleId::FS006, format!("`{path}` contains {kind}"))
                .at_image_path(path, layer)
                .evidence("kind", kind),
        );
    }
}

fn classify(path: &str, text: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----") {
        return Some(if path.starts_with("/etc/ssh/ssh_host_") {
            "an ssh host private key"
        } else {
            "a private key"
        });
    }
    if path.ends_with("/.aws/credentials") && text.contains("aws_secret_access_key") {
        return Some("AWS credentials");
    }
    if path.ends_with("/.docker/config.json") && text.contains("\"auth\"") {
        return Some("registry credentials");
    }
    if name == ".dockercfg" && text.contains("\"auth\"") {
        return Some("registry credentials");
    }
    if name == ".npmrc"
        && (text.contains("_authToken=") || text.contains("_auth=") || text.contains("_password="))
    {
        return Some("an npm token");
    }
    if name == ".pypirc" && text.lines().any(|l| l.trim_start().starts_with("password")) {
        return Some("a PyPI password");
    }
    if name == ".git-credentials" && text.contains('@') {
        return Some("git credentials");
    }
    if name == ".netrc" && text.contains("password") {
        return Some("netrc credentials");
    }
    if path.ends_with("/.kube/config")
        && (text.contains("token:") || text.contains("client-key-data"))
    {
        return Some("Kubernetes credentials");
    }
    if name == ".env" || name.starts_with(".env.") {
        let has_secret = text.lines().any(|l| {
            let l = l
                .trim_start()
                .strip_prefix("export ")
                .unwrap_or(l.trim_start());
            l.split_once('=').is_some_and(|(k, v)| {
                secret_name(k.trim()) && !v.trim().trim_matches('"').is_empty()
            })
        });
        if has_secret {
            return Some("secrets in a dotenv file");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn secret_files() {
        let img = ImgBuilder::default()
            .content(
                "/root/.ssh/id_ed25519",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n",
            )
            .content(
                "/root/.aws/credentials",
                "[default]\naws_access_key_id = AKIA\naws_secret_access_key = x\n",
            )
            .content("/app/.npmrc", "//registry.npmjs.org/:_authToken=npm_abc\n")
            .content("/app/.env", "DEBUG=1\nDB_PASSWORD=hunter2\n")
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        FS006 /app/.env (layer 0): `/app/.env` contains secrets in a dotenv file
        FS006 /app/.npmrc (layer 0): `/app/.npmrc` contains an npm token
        FS006 /root/.aws/credentials (layer 0): `/root/.aws/credentials` contains AWS credentials
        FS006 /root/.ssh/id_ed25519 (layer 0): `/root/.ssh/id_ed25519` contains a private key
        ");
    }

    #[test]
    fn public_certs_placeholders_fixtures_and_deleted_files_pass() {
        let img = ImgBuilder::default()
            .content(
                "/etc/ssl/certs/ca.pem",
                "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n",
            )
            .content("/app/.npmrc", "registry=https://registry.npmjs.org/\n")
            .content("/app/.env", "DEBUG=1\nDB_PASSWORD=\n")
            .content(
                "/usr/lib/python3/site-packages/x/tests/key.pem",
                "-----BEGIN RSA PRIVATE KEY-----\n",
            )
            .content("/root/.ssh/id_rsa", "-----BEGIN RSA PRIVATE KEY-----\n")
            .layer()
            .whiteout("/root/.ssh/id_rsa")
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
