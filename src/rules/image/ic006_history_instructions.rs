//! IC006 `history-instructions`. Docs, level and peers: `rules/IC006.toml`.

use crate::dockerfile::{Keyword, parse};
use crate::image::ImageFacts;
use crate::image::history::parse_created_by;
use crate::rules::{Check, Finding, Findings, RuleContext, RuleId};

/// The Dockerfile rules whose concern survives in history: what ran and what was fetched.
const HISTORY_RULES: &[RuleId] = &[
    RuleId::DF006,
    RuleId::DF007,
    RuleId::DF008,
    RuleId::DF012,
    RuleId::DF017,
];

/// Longest `created_by` judged: as large as a Dockerfile may be. A longer step is no build
/// step a person wrote, and analysing it would cost memory in proportion (skipped, silently:
/// nothing certain can be said about it).
const MAX_STEP: usize = 1 << 20;

/// Applies Dockerfile rules to each history step (`created_by`), so an image scanned without
/// its Dockerfile still shows `curl | sh`, `sudo`, setuid `chmod` and disabled TLS checks.
pub(crate) fn check(img: &ImageFacts, cx: &RuleContext<'_>, out: &mut Findings) {
    let mut layer = 0usize;
    for (step_no, h) in img.config.history.iter().enumerate() {
        let makes_layer = !h.empty_layer.unwrap_or(false);
        let this_layer = layer;
        if makes_layer {
            layer += 1;
        }
        let Some(step) = h
            .created_by
            .as_deref()
            .filter(|c| c.len() <= MAX_STEP)
            .and_then(parse_created_by)
        else {
            continue;
        };
        if !matches!(step.keyword, Keyword::Run | Keyword::Add | Keyword::Env) {
            continue;
        }
        // One step per synthetic Dockerfile; newlines in a history command separate commands.
        let text = format!(
            "FROM scratch\n{} {}\n",
            step.keyword.as_str(),
            step.args.replace('\n', " ; ")
        );
        let Ok(df) = parse(&text) else { continue };
        let mut inner = Findings::default();
        for id in HISTORY_RULES {
            if let Check::Dockerfile(f) = id.check() {
                f(&df, cx, &mut inner);
            }
        }
        let shown: String = step.args.chars().take(60).collect();
        let ellipsis = if step.args.chars().count() > 60 {
            "…"
        } else {
            ""
        };
        for f in inner.0 {
            let msg = format!(
                "history step {step_no} (`{} {shown}{ellipsis}`): {}",
                step.keyword.as_str(),
                f.message
            );
            let base = Finding::new(RuleId::IC006, msg)
                .with_level(f.level)
                .evidence("rule", f.rule.as_str());
            out.push(if makes_layer {
                base.at_layer(this_layer)
            } else {
                base.at_image_config("history")
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn buildkit_and_classic_history() {
        let img = ImgBuilder::default()
            .history("/bin/sh -c #(nop) ADD file:abc in / ", false)
            .history("/bin/sh -c #(nop)  CMD [\"bash\"]", true)
            .history(
                "RUN /bin/sh -c curl -fsSL https://get.example | sh # buildkit",
                false,
            )
            .history(
                "RUN |1 TOKEN=x /bin/sh -c sudo make install # buildkit",
                false,
            )
            .history("ENV NODE_TLS_REJECT_UNAUTHORIZED=0", true)
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        IC006 layer 1: history step 2 (`RUN curl -fsSL https://get.example | sh`): output of `curl` runs in `sh` without verification
        IC006 layer 2: history step 3 (`RUN sudo make install`): `sudo` in `RUN`; switch users with `USER` instead
        IC006 config: history step 4 (`ENV NODE_TLS_REJECT_UNAUTHORIZED=0`): `NODE_TLS_REJECT_UNAUTHORIZED=0` disables verification
        ");
    }

    #[test]
    fn clean_history_passes() {
        let img = ImgBuilder::default()
            .history("RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates # buildkit", false)
            .history("COPY . /app # buildkit", false)
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
