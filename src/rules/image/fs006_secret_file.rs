//! FS006 `secret-file`. Docs, level and peers: `rules/FS006.toml`.

use std::collections::BTreeMap;

use crate::image::{Fate, ImageFacts};
use crate::rules::{Finding, Findings, RuleContext, RuleId};
use crate::secrets::{Hit, detector};

type ByKind<'a> = BTreeMap<&'a str, Vec<&'a Hit>>;

/// Reports files that hold a secret, found by content in every layer as it streamed: files
/// a later layer deleted or replaced included, since their bytes stay in the layer that
/// wrote them. One finding per file version and kind; values are masked.
pub(crate) fn check(img: &ImageFacts, cx: &RuleContext<'_>, out: &mut Findings) {
    // (path, layer) → kind → hits, in a stable order.
    let mut files: BTreeMap<(&str, usize), (Fate, ByKind<'_>)> = BTreeMap::new();
    for s in &img.secrets {
        if cx.settings.secret_allowed(&s.hit.kind, Some(&s.path)) {
            continue;
        }
        files
            .entry((s.path.as_str(), s.layer))
            .or_insert_with(|| (s.fate, BTreeMap::new()))
            .1
            .entry(s.hit.kind.as_str())
            .or_default()
            .push(&s.hit);
    }
    for ((path, layer), (fate, mut kinds)) in files {
        // An access key id next to its secret is one credential.
        if kinds.contains_key("aws-secret-access-key") {
            kinds.remove("aws-access-key-id");
        }
        for (kind, hits) in kinds {
            out.push(finding(path, layer, fate, kind, &hits));
        }
    }
}

fn finding(path: &str, layer: usize, fate: Fate, kind: &str, hits: &[&Hit]) -> Finding {
    let meta = detector().kind(kind);
    let name = meta.map_or("a secret", |k| k.name.as_str());
    let what = if kind == "private-key" && path.starts_with("/etc/ssh/ssh_host_") {
        "an SSH host private key, shared by every container of this image".to_string()
    } else if hits.len() > 1 {
        format!("{} × {name}", hits.len())
    } else {
        name.to_string()
    };
    let previews: Vec<&str> = hits.iter().map(|h| h.preview.as_str()).collect();
    let lines: Vec<String> = hits.iter().map(|h| h.line.to_string()).collect();
    let mut fingerprints: Vec<&str> = hits.iter().map(|h| h.fingerprint.as_str()).collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    let message = match fate {
        Fate::Present => format!("`{path}` holds {what} (`{}`)", previews.join("`, `")),
        Fate::Deleted(by) => format!(
            "`{path}` (layer {layer}, deleted in layer {by}) holds {what} (`{}`); it is still in the image",
            previews.join("`, `")
        ),
        Fate::Overwritten(by) => format!(
            "`{path}` (layer {layer}, overwritten in layer {by}) holds {what} (`{}`); the old version is still in the image",
            previews.join("`, `")
        ),
    };
    let mut f = Finding::new(RuleId::FS006, message)
        .at_image_path(path, layer)
        .evidence("kind", kind)
        .evidence("line", lines.join(","))
        .evidence("secret", previews.join(","))
        .evidence("secret_fingerprint", fingerprints.join(","));
    // Several kinds in one file are told apart by kind, not by order.
    f.anchor = format!("{path} {kind}");
    super::secret_level(f, kind)
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::Settings;
    use crate::rules::testing::{ImgBuilder, render_img, render_img_with};
    use crate::secrets::synthetic::{checksummed, pem, planted};

    #[test]
    fn secrets_by_content_anywhere() {
        let aws = planted(5).swap_remove(0).2;
        let img = ImgBuilder::default()
            .content("/srv/keys/server.txt", &pem(1))
            .content("/app/settings.yml", &aws)
            .content(
                "/app/static/main.js",
                &format!("!function(){{var a=\"{}\"}}();", checksummed("ghp_", 2)),
            )
            .content("/app/.env", "DEBUG=1\nDB_PASSWORD=Kx9mQ2vLp7Zt\n")
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        FS006 /app/.env (layer 0): `/app/.env` holds a password or secret assigned in plain text (`…(12 chars)`)
        FS006 /app/settings.yml (layer 0): `/app/settings.yml` holds an AWS secret access key (`v7Rr…(40 chars)`)
        FS006 /app/static/main.js (layer 0): `/app/static/main.js` holds a GitHub token (`ghp_…(40 chars)`)
        FS006 /srv/keys/server.txt (layer 0): `/srv/keys/server.txt` holds a private key (`t220…(779 chars)`)
        ");
    }

    #[test]
    fn deleted_and_overwritten_files_still_count() {
        let img = ImgBuilder::default()
            .content("/app/gcp.json", &planted(1)[17].2)
            .content("/root/.npmrc", &planted(2)[11].2)
            .layer()
            .whiteout("/app/gcp.json")
            .content("/root/.npmrc", "registry=https://registry.npmjs.org/\n")
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        FS006 /app/gcp.json (layer 0): `/app/gcp.json` (layer 0, deleted in layer 1) holds a Google service-account key (`kPQG…(790 chars)`); it is still in the image
        FS006 /root/.npmrc (layer 0): `/root/.npmrc` (layer 0, overwritten in layer 1) holds an npm token (`npm_…(40 chars)`); the old version is still in the image
        ");
    }

    #[test]
    fn certificates_placeholders_fixtures_and_allow_lists_pass() {
        let img = ImgBuilder::default()
            .content(
                "/etc/ssl/certs/ca.pem",
                "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n",
            )
            .content(
                "/app/.npmrc",
                "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
            )
            .content("/app/.env", "DEBUG=1\nDB_PASSWORD=\n")
            .content("/usr/lib/python3/dist-packages/x/tests/key.pem", &pem(3))
            .content("/opt/allowed/key.pem", &pem(4))
            .build();
        let settings = Settings {
            secrets_allow_paths: vec!["/opt/allowed/**".into()],
            ..Settings::default()
        };
        assert!(render_img_with(check, &img, &settings).is_empty());
    }
}
