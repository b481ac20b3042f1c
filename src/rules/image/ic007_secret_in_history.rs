//! IC007 `secret-in-history`. Docs, level and peers: `rules/IC007.toml`.

use crate::image::ImageFacts;
use crate::image::secrets::{ConfigPlace, NAMED};
use crate::rules::{Finding, Findings, RuleContext, RuleId};
use crate::secrets::detector;

/// Reports secrets recorded in the image history: build arguments (`|1 NPM_TOKEN=… /bin/sh
/// -c npm ci`) and credentials written into `RUN` commands. Values are masked.
pub(crate) fn check(img: &ImageFacts, cx: &RuleContext<'_>, out: &mut Findings) {
    for s in &img.config_secrets {
        let ConfigPlace::History { step, layer, arg } = &s.place else {
            continue;
        };
        if cx.settings.secret_allowed(&s.hit.kind, None) {
            continue;
        }
        let kind = detector().kind(&s.hit.kind);
        let what = match kind {
            Some(k) => k.name.clone(),
            None if s.hit.kind == NAMED => "a secret".to_string(),
            None => continue,
        };
        let place = match arg {
            Some(a) => format!("in build argument `{a}`"),
            None => "in its command".to_string(),
        };
        let msg = format!(
            "history step {step} records {what} {place} (`{}`); `docker history` shows it to anyone who pulls the image",
            s.hit.preview
        );
        let mut f = Finding::new(RuleId::IC007, msg);
        f = match layer {
            Some(l) => f.at_layer(*l),
            None => f.at_image_config("history"),
        };
        f = f.evidence("step", step.to_string());
        if let Some(a) = arg {
            f = f.evidence("name", a.clone());
        }
        f = super::with_secret(f, &s.hit);
        f.anchor = format!("history {} {}", arg.as_deref().unwrap_or(""), s.hit.kind);
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};
    use crate::secrets::synthetic::checksummed;

    #[test]
    fn build_args_and_commands() {
        let npm = checksummed("npm_", 3);
        let img = ImgBuilder::default()
            .history(
                &format!("|2 NPM_TOKEN={npm} VERSION=1.2 /bin/sh -c npm ci"),
                false,
            )
            .history("|1 DB_PASSWORD=hX9kLm2PqR /bin/sh -c ./migrate", true)
            .history(
                &format!(
                    "RUN /bin/sh -c git clone https://ci:{}@github.com/x/y # buildkit",
                    checksummed("ghp_", 4)
                ),
                false,
            )
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        IC007 layer 0: history step 0 records an npm token in build argument `NPM_TOKEN` (`npm_…(40 chars)`); `docker history` shows it to anyone who pulls the image
        IC007 config: history step 1 records a secret in build argument `DB_PASSWORD` (`…(10 chars)`); `docker history` shows it to anyone who pulls the image
        IC007 layer 1: history step 2 records a GitHub token in its command (`ghp_…(40 chars)`); `docker history` shows it to anyone who pulls the image
        ");
    }

    #[test]
    fn plain_args_env_already_reported_and_placeholders_pass() {
        let npm = checksummed("npm_", 5);
        let img = ImgBuilder::default()
            .env(&format!("NPM_TOKEN={npm}"))
            .history(&format!("ENV NPM_TOKEN={npm}"), true)
            .history("|2 VERSION=1.2 TOKEN_URL=https://x /bin/sh -c make", false)
            .history("|1 NPM_TOKEN= /bin/sh -c npm ci", false)
            .history("|1 GITHUB_TOKEN=${GITHUB_TOKEN} /bin/sh -c make", false)
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
