//! DF010 `secret-in-env`. Docs, level and peers: `rules/DF010.toml`.

use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports `ENV` and `ARG` that carry a secret: a secret-like name with a value (or, for
/// `ARG`, any secret-like name, since build args are recorded in the image history), or a
/// value shaped like a known credential whatever its name. Values never appear in output.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in &df.instructions {
        if !matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
            continue;
        }
        for (name, value) in ins.key_values() {
            let value = value.unwrap_or_default();
            let msg = if let Some(kind) = credential_shape(&value) {
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

// `DB_PASSWORD_FILE`, `TOKEN_URL`: the value points at a secret, or is no secret.
const NOT_SECRET_SUFFIX: &[&str] = &[
    "FILE",
    "PATH",
    "DIR",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "LENGTH",
    "LEN",
    "ENABLED",
    "ENABLE",
    "DISABLED",
    "EXPIRY",
    "EXPIRES",
    "TTL",
    "TIMEOUT",
    "TYPE",
    "MODE",
    "NAME",
    "HEADER",
    "FORMAT",
    "ID",
    "REGION",
    "VERSION",
    "POLICY",
    "ALGORITHM",
    "SIZE",
];

/// Name tokens that mean the value is a secret.
fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let tokens: Vec<&str> = upper
        .split(['_', '-', '.'])
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.last().is_some_and(|t| NOT_SECRET_SUFFIX.contains(t)) {
        return false;
    }
    let has = |t: &str| tokens.contains(&t);
    let pair = |a: &str, b: &str| tokens.windows(2).any(|w| w[0] == a && w[1] == b);
    has("PASSWORD")
        || has("PASSWD")
        || has("SECRET")
        || has("TOKEN")
        || has("APIKEY")
        || has("PASSPHRASE")
        || has("CREDENTIALS")
        || has("PRIVATEKEY")
        || pair("API", "KEY")
        || pair("ACCESS", "KEY")
        || pair("PRIVATE", "KEY")
        || pair("SECRET", "KEY")
        || pair("AUTH", "KEY")
        || (has("PASS") && tokens.len() > 1)
}

fn is_flag_value(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "0" | "1" | "on" | "off"
    )
}

/// Recognises values shaped like well-known credentials.
fn credential_shape(v: &str) -> Option<&'static str> {
    let upper_alnum = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    for p in ["AKIA", "ASIA"] {
        if let Some(rest) = v.strip_prefix(p)
            && rest.len() == 16
            && upper_alnum(rest)
        {
            return Some("an AWS access key id");
        }
    }
    let prefixed = [
        ("ghp_", "a GitHub token"),
        ("gho_", "a GitHub token"),
        ("ghs_", "a GitHub token"),
        ("ghu_", "a GitHub token"),
        ("github_pat_", "a GitHub token"),
        ("glpat-", "a GitLab token"),
        ("xoxb-", "a Slack token"),
        ("xoxp-", "a Slack token"),
        ("sk_live_", "a Stripe key"),
        ("npm_", "an npm token"),
    ];
    for (p, kind) in prefixed {
        if v.starts_with(p) && v.len() >= p.len() + 20 {
            return Some(kind);
        }
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    // scheme://user:password@host
    if let Some((_, rest)) = v.split_once("://") {
        let authority = rest.split('/').next().unwrap_or(rest);
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && userinfo
                .split_once(':')
                .is_some_and(|(_, p)| !p.is_empty() && !p.starts_with('$'))
        {
            return Some("a URL with a password");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn names_and_shapes() {
        insta::assert_snapshot!(render(check, "FROM a:1\nENV DB_PASSWORD=hunter2 LOG_LEVEL=debug\nARG NPM_TOKEN\nENV AWS_KEY=AKIAIOSFODNN7EXAMPLE\nENV DATABASE_URL=postgres://app:s3cret@db/app\n"), @r"
        2: `ENV` `DB_PASSWORD` stores a secret in the image config
        3: `ARG` `NPM_TOKEN` passes a secret as a build argument, recorded in the image history
        4: `ENV` sets `AWS_KEY` to what looks like an AWS access key id
        5: `ENV` sets `DATABASE_URL` to what looks like a URL with a password
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
