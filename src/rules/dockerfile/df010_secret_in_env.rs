//! DF010 `secret-in-env`. Docs, level and peers: `rules/DF010.toml`.

use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};
use crate::secrets::{detector, is_flag_value, secret_name};

/// The first credential the detector finds in `text` that the settings do not allow (the
/// generic `password = value` kind aside: names are judged here).
fn credential(text: &str, cx: &RuleContext<'_>) -> Option<&'static str> {
    let det = detector();
    det.find(text.as_bytes()).into_iter().find_map(|f| {
        let k = &det.kinds()[f.kind];
        (k.level == crate::secrets::SecretLevel::Error
            && !k.low_confidence
            && !cx.settings.secret_allowed(&k.id, None))
        .then_some(k.name.as_str())
    })
}

/// A value that marks a slot to fill rather than a secret: too short to be one (`_`), one
/// or two repeated characters (`xxxx`), or a template marker (`<your-token>`, `changeme`,
/// `{{ token }}`, `FAKE_…`). Weak real values (`supersecret`) are still secrets.
fn slot(value: &str) -> bool {
    const MARKERS: &[&str] = &[
        "example",
        "changeme",
        "change_me",
        "change-me",
        "changeit",
        "placeholder",
        "your_",
        "your-",
        "<",
        ">",
        "{{",
        "xxxx",
        "****",
        "redacted",
        "dummy",
        "fake",
        "notreal",
        "not_real",
        "not-real",
        "todo",
        "fixme",
        "replace_me",
        "replaceme",
        "insert",
    ];
    let lower = value.to_ascii_lowercase();
    let mut distinct: Vec<char> = lower.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    value.chars().count() < 4 || distinct.len() <= 2 || MARKERS.iter().any(|m| lower.contains(m))
}

/// A signing key's public id or fingerprint (`SWIFT_SIGNING_KEY=E813C892…`, `GPG_KEY=…`):
/// 16 or 40 hex digits under a name about signing or GPG keys, which official images pin
/// to verify downloads. It identifies a public key; it is no secret.
fn key_fingerprint(name: &str, value: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let hex: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    (upper.contains("SIGNING") || upper.contains("GPG") || upper.contains("PGP"))
        && matches!(hex.len(), 16 | 40)
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reports `ENV` and `ARG` that carry a secret: a secret-like name with a value (or, for
/// `ARG`, any secret-like name, since build args are recorded in the image history), or a
/// value shaped like a known credential whatever its name; and credentials written into any
/// other instruction (`RUN git clone https://user:token@…`). Values never appear in output.
pub(crate) fn check(df: &Dockerfile, cx: &RuleContext<'_>, out: &mut Findings) {
    for (idx, ins) in df.instructions.iter().enumerate() {
        if !matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
            if let Some(kind) = credential(&ins.args, cx) {
                out.push(
                    Finding::new(
                        RuleId::DF010,
                        format!(
                            "`{}` writes what looks like {kind} into the Dockerfile and the image history",
                            ins.keyword.as_str()
                        ),
                    )
                    .at(ins),
                );
            }
            continue;
        }
        for (name, value) in ins.key_values() {
            let value = value.unwrap_or_default();
            // `ENV KEY=$KEY` takes the build argument's value when its default is known.
            let known = if value.contains('$') {
                df.vars_before(idx).expand(&value).known()
            } else {
                Some(value.clone())
            };
            if known.as_deref().is_some_and(|v| key_fingerprint(&name, v)) {
                continue;
            }
            // `sa_password="_"`, `TOKEN=changeme`, `xxxx`: a slot to fill at run time, not a
            // secret. A value built from variables (`${GITHUB_TOKEN}`) bakes in whatever the
            // build passes, so it is judged by name.
            let placeholder = !value.contains('$') && slot(&value);
            let msg = if let Some(kind) = credential(&value, cx) {
                format!(
                    "`{}` sets `{name}` to what looks like {kind}",
                    ins.keyword.as_str()
                )
            } else if !secret_name(&name) {
                continue;
            } else if ins.keyword == Keyword::Arg {
                // A global `ARG` (before the first `FROM`) reaches only `FROM` lines unless a
                // stage declares it again: without a value, nothing is recorded.
                let global = df.stages.first().is_none_or(|s| idx < s.first);
                if global && (value.is_empty() || placeholder) {
                    continue;
                }
                if value.is_empty() || placeholder {
                    format!(
                        "`ARG` `{name}` passes a secret as a build argument, recorded in the image history"
                    )
                } else {
                    format!(
                        "`ARG` `{name}` has a secret default, kept in the Dockerfile and image history"
                    )
                }
            } else if value.is_empty() || is_flag_value(&value) || placeholder {
                continue;
            } else {
                format!("`ENV` `{name}` stores a secret in the image config")
            };
            out.push(
                Finding::new(RuleId::DF010, msg)
                    .at(ins)
                    .evidence("name", name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn names_and_shapes() {
        let aws = crate::secrets::synthetic::planted(6)[1].1.clone();
        let src = format!(
            "FROM a:1\nENV DB_PASSWORD=hunter2 LOG_LEVEL=debug\nARG NPM_TOKEN\nENV AWS_KEY={aws}\nENV DATABASE_URL=postgres://app:s3cret@db/app\n"
        );
        insta::assert_snapshot!(render(check, &src), @r"
        2: `ENV` `DB_PASSWORD` stores a secret in the image config
        3: `ARG` `NPM_TOKEN` passes a secret as a build argument, recorded in the image history
        4: `ENV` sets `AWS_KEY` to what looks like an AWS access key id
        5: `ENV` sets `DATABASE_URL` to what looks like a connection URL with a password
        ");
    }

    #[test]
    fn env_from_arg_bakes_it_in() {
        assert_eq!(
            lines(check, "FROM a:1\nENV GITHUB_TOKEN=${GITHUB_TOKEN}\n"),
            [2]
        );
    }

    #[test]
    fn pointers_flags_and_plain_names_pass() {
        let src = "FROM a:1\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db TOKEN_URL=https://x/token\nENV PWD=/app KEYCLOAK_VERSION=24 SECRET_ENABLED=true\nENV PASSWORD=\nARG PASSENGER_VERSION=6\n";
        assert!(lines(check, src).is_empty());
    }

    #[test]
    fn placeholders_are_slots_not_secrets() {
        let src = "FROM a:1\nENV sa_password=\"_\" DB_PASSWORD=changeme API_TOKEN=xxxxxxxx\nENV SECRET_KEY=\"<your-secret>\"\nENV GITHUB_TOKEN=${GITHUB_TOKEN}\n";
        assert_eq!(lines(check, src), [4]);
        // An ARG whose default is a placeholder still passes a secret at build time.
        insta::assert_snapshot!(render(check, "FROM a:1\nARG NPM_TOKEN=changeme\n"), @"2: `ARG` `NPM_TOKEN` passes a secret as a build argument, recorded in the image history");
    }

    #[test]
    fn signing_key_fingerprints_are_public() {
        let src = "FROM a:1\nARG SWIFT_SIGNING_KEY=E813C892820A6FA13755B268F167DF1ACF9CE069\nENV SWIFT_SIGNING_KEY=$SWIFT_SIGNING_KEY\nENV JWT_SIGNING_KEY=q8Zr2LmP4xVt9NwB\n";
        assert_eq!(lines(check, src), [4]);
    }

    #[test]
    fn global_args_without_value_reach_no_step() {
        let src =
            "ARG HF_TOKEN\nFROM a:1\nRUN --mount=type=secret,id=hf true\nFROM b:1\nARG NPM_TOKEN\n";
        assert_eq!(lines(check, src), [5]);
    }
}
