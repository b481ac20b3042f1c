//! Secret detection shared by the `ENV`/`ARG` rule, the image config rule and the secret-file
//! rule: names that mean "this value is a secret" and values shaped like known credentials.

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
pub(crate) fn secret_name(name: &str) -> bool {
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

pub(crate) fn is_flag_value(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "0" | "1" | "on" | "off"
    )
}

/// Recognises values shaped like well-known credentials.
pub(crate) fn credential_shape(v: &str) -> Option<&'static str> {
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
