//! IC003 `secret-in-config-env`. Docs, level and peers: `rules/IC003.toml`.

use crate::image::ImageFacts;
use crate::rules::secrets::{credential_shape, is_flag_value, secret_name};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports config `Env` entries that hold a secret (by name or by value shape). Values are
/// never printed.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    for (k, v) in img.config.env() {
        let msg = if let Some(kind) = credential_shape(&v) {
            format!("config `Env` sets `{k}` to what looks like {kind}")
        } else if secret_name(&k) && !v.is_empty() && !is_flag_value(&v) {
            format!("config `Env` stores a secret in `{k}`")
        } else {
            continue;
        };
        out.push(
            Finding::new(RuleId::IC003, msg)
                .at_image_config("Env")
                .evidence("name", k),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn secrets() {
        let img = ImgBuilder::default()
            .env("PATH=/usr/bin")
            .env("DB_PASSWORD=x")
            .env("KEY=AKIAIOSFODNN7EXAMPLE")
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        IC003 config: config `Env` stores a secret in `DB_PASSWORD`
        IC003 config: config `Env` sets `KEY` to what looks like an AWS access key id
        ");
    }

    #[test]
    fn ordinary_env_passes() {
        let img = ImgBuilder::default()
            .env("PATH=/usr/bin")
            .env("GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D")
            .env("PASSWORD_FILE=/run/secrets/pw")
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
