//! IC003 `secret-in-config-env`. Docs, level and peers: `rules/IC003.toml`.

use crate::image::ImageFacts;
use crate::image::secrets::{ConfigPlace, NAMED};
use crate::rules::{Finding, Findings, RuleContext, RuleId};
use crate::secrets::detector;

/// Reports config `Env` entries and labels that hold a secret: a value shaped like a known
/// credential, or (for `Env`) a value of a secret-named variable. Values are masked.
pub(crate) fn check(img: &ImageFacts, cx: &RuleContext<'_>, out: &mut Findings) {
    for s in &img.config_secrets {
        let (field, name) = match &s.place {
            ConfigPlace::Env(k) => ("Env", k),
            ConfigPlace::Label(k) => ("Labels", k),
            ConfigPlace::History { .. } => continue,
        };
        if cx.settings.secret_allowed(&s.hit.kind, None) {
            continue;
        }
        let kind = detector().kind(&s.hit.kind);
        let msg = match kind {
            Some(k) => format!(
                "config `{field}` sets `{name}` to what looks like {} (`{}`)",
                k.name, s.hit.preview
            ),
            None if s.hit.kind == NAMED => {
                format!(
                    "config `Env` stores a secret in `{name}` (`{}`)",
                    s.hit.preview
                )
            }
            None => continue,
        };
        let f = Finding::new(RuleId::IC003, msg)
            .at_image_config(field)
            .evidence("name", name.clone());
        let mut f = super::with_secret(f, &s.hit);
        f.anchor = format!("config {field} {name} {}", s.hit.kind);
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};
    use crate::secrets::synthetic::{checksummed, planted};

    #[test]
    fn secrets() {
        let img = ImgBuilder::default()
            .env("PATH=/usr/bin")
            .env("DB_PASSWORD=hX9kLm2PqR")
            .env(&format!("KEY={}", planted(4)[1].1))
            .label("ci.token", &checksummed("ghp_", 8))
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        IC003 config: config `Env` stores a secret in `DB_PASSWORD` (`…(10 chars)`)
        IC003 config: config `Env` sets `KEY` to what looks like an AWS access key id (`AKIA…(20 chars)`)
        IC003 config: config `Labels` sets `ci.token` to what looks like a GitHub token (`ghp_…(40 chars)`)
        ");
    }

    #[test]
    fn ordinary_env_examples_and_placeholders_pass() {
        let img = ImgBuilder::default()
            .env("PATH=/usr/bin")
            .env("GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D")
            .env("PASSWORD_FILE=/run/secrets/pw")
            .env("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE")
            .env("DB_PASSWORD=changeme")
            .env("SECRET_ENABLED=true")
            .label("org.opencontainers.image.source", "https://github.com/x/y")
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
