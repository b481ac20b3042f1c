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

/// Reports `ENV` and `ARG` that carry a secret: a secret-like name with a value (or, for
/// `ARG`, any secret-like name, since build args are recorded in the image history), or a
/// value shaped like a known credential whatever its name; and credentials written into any
/// other instruction (`RUN git clone https://user:token@…`). Values never appear in output.
pub(crate) fn check(df: &Dockerfile, cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in &df.instructions {
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
            let msg = if let Some(kind) = credential(&value, cx) {
                format!(
                    "`{}` sets `{name}` to what looks like {kind}",
                    ins.keyword.as_str()
                )
            } else if !secret_name(&name) {
                continue;
            } else if ins.keyword == Keyword::Arg {
                if value.is_empty() {
                    format!(
                        "`ARG` `{name}` passes a secret as a build argument, recorded in the image history"
                    )
                } else {
                    format!(
                        "`ARG` `{name}` has a secret default, kept in the Dockerfile and image history"
                    )
                }
            } else if value.is_empty() || is_flag_value(&value) {
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
}
