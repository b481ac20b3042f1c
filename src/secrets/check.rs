//! The checks behind a detection: entropy, placeholders, token checksums, and the structural
//! checks kinds name in `validate`.

use base64::Engine as _;

/// Shannon entropy of `value` in bits per byte: random base62 is about 5, English about 4,
/// `changeme` under 3.
#[must_use]
pub fn entropy(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in value {
        counts[usize::from(b)] += 1;
    }
    #[allow(clippy::cast_precision_loss)]
    let n = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Documented examples and template values: `changeme`, `<your-token>`, `${VAR}`, `xxxx`.
#[must_use]
pub fn is_placeholder(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "example",
        "changeme",
        "change_me",
        "change-me",
        "changeit",
        "placeholder",
        "your_",
        "your-",
        "yourtoken",
        "yourkey",
        "yoursecret",
        "yourpassword",
        "<",
        ">",
        "${",
        "$(",
        "{{",
        "}}",
        "%(",
        "%s",
        "xxxx",
        "****",
        "....",
        "…",
        "redacted",
        "dummy",
        "sample",
        "insert",
        "replace",
        "todo",
        "fixme",
        "password",
        "passwd",
        "secret",
        "notreal",
        "not_real",
        "not-real",
        "fake",
        "foobar",
        "lorem",
    ];
    // A long random value (a key body) contains short words by chance: placeholders are short.
    if value.len() > 64 {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let mut distinct: Vec<u8> = lower.bytes().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() <= 3
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
    "FIELD",
    "PARAM",
    "PREFIX",
    "COOKIE",
    "LIFETIME",
    "AGE",
    "COUNT",
    "MIN",
    "MAX",
    "REQUIRED",
    "RESET",
    "PATTERN",
    "REGEX",
];

// Hashes and digests of a secret are not the secret.
const NOT_SECRET_ANYWHERE: &[&str] = &[
    "HASH",
    "HASHED",
    "DIGEST",
    "CHECKSUM",
    "SHA",
    "SHA1",
    "SHA256",
    "SHA512",
    "MD5",
    "SALT",
    "INTEGRITY",
    "PUBLIC",
    "PUB",
];

/// Splits `dbPassword`, `DB_PASSWORD`, `db.password` into upper-case tokens.
fn name_tokens(name: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            tokens.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens
}

/// Name tokens that mean the value is a secret (`DB_PASSWORD`, `apiKey`, `client-secret`);
/// names that point at one (`*_FILE`, `*_URL`) or hold a digest (`*_HASH`) do not.
#[must_use]
pub fn secret_name(name: &str) -> bool {
    let tokens = name_tokens(name);
    let Some(last) = tokens.last() else {
        return false;
    };
    if NOT_SECRET_SUFFIX.contains(&last.as_str())
        || tokens
            .iter()
            .any(|t| NOT_SECRET_ANYWHERE.contains(&t.as_str()))
    {
        return false;
    }
    let has = |t: &str| tokens.iter().any(|x| x == t);
    let pair = |a: &str, b: &str| tokens.windows(2).any(|w| w[0] == a && w[1] == b);
    has("PASSWORD")
        || has("PASSWD")
        || has("PWD") && tokens.len() > 1
        || has("SECRET")
        || has("TOKEN")
        || has("APIKEY")
        || has("PASSPHRASE")
        || has("CREDENTIALS")
        || has("PRIVATEKEY")
        || has("ACCESSKEY")
        || pair("API", "KEY")
        || pair("ACCESS", "KEY")
        || pair("PRIVATE", "KEY")
        || pair("SECRET", "KEY")
        || pair("AUTH", "KEY")
        || pair("MASTER", "KEY")
        || pair("ENCRYPTION", "KEY")
        || pair("SIGNING", "KEY")
        || pair("FERNET", "KEY")
        || pair("CLIENT", "KEY")
        || pair("APP", "KEY")
        || pair("LICENSE", "KEY")
        || (has("PASS") && tokens.len() > 1)
}

/// Values that switch something on or off.
#[must_use]
pub fn is_flag_value(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "0" | "1" | "on" | "off" | "none" | "null" | "nil"
    )
}

const BASE62_UPPER_FIRST: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE62_LOWER_FIRST: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn base62_decode(s: &[u8], alphabet: &[u8]) -> Option<u64> {
    s.iter().try_fold(0u64, |acc, &c| {
        let d = alphabet.iter().position(|&a| a == c)?;
        acc.checked_mul(62)?.checked_add(d as u64)
    })
}

/// GitHub's and npm's token checksum: after the prefix, 30 random base62 characters and
/// 6 more that encode their CRC32 in base62 (either alphabet order is accepted).
#[must_use]
pub fn crc32_base62_ok(token: &[u8]) -> bool {
    let Some(pos) = token.iter().rposition(|&b| b == b'_') else {
        return false;
    };
    let body = &token[pos + 1..];
    if body.len() <= 6 {
        return false;
    }
    let (random, sum) = body.split_at(body.len() - 6);
    let crc = u64::from(crc32(random));
    [BASE62_UPPER_FIRST, BASE62_LOWER_FIRST]
        .iter()
        .any(|a| base62_decode(sum, a) == Some(crc))
}

/// What a match's surroundings say about its value.
#[derive(Debug, Default)]
pub(crate) struct Around<'a> {
    /// The URL or netrc user (`user` group).
    pub(crate) user: Option<&'a [u8]>,
    /// The key it is assigned to (`name` group).
    pub(crate) name: Option<&'a [u8]>,
    /// The value was quoted (a `q` group matched).
    pub(crate) quoted: bool,
    /// In source code rather than configuration.
    pub(crate) source: bool,
}

/// A check's judgement on one match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A secret: report it.
    Secret,
    /// Known not to be a secret, and no other kind may claim the range (a `Secret`'s data
    /// that decodes to `changeme`).
    Quiet,
    /// Not this kind: other kinds may still match there.
    No,
}

/// Structural checks a kind can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validate {
    /// A signed JWT: a header with an `alg` other than `none`, a random-looking signature,
    /// and not a public role (`"role":"anon"`, Supabase's published key).
    Jwt,
    /// A Docker `auth`: base64 of `user:password` with a real password.
    DockerAuth,
    /// Base64 of a PEM private key (kubeconfig `client-key-data`).
    PemBase64,
    /// The password of a URL or netrc entry: not a placeholder, not the user name again.
    UrlPassword,
    /// `name = value`: a secret name and a value that is not code, a path or a flag.
    Generic,
    /// An `openssh-key-v1` body whose cipher is not `none` (passphrase-protected).
    OpensshEncrypted,
    /// A Kubernetes `Secret`'s `data` value: base64, judged decoded.
    K8sSecretData,
    /// A credential in an HTTP header (`Authorization: Bearer …`, `X-Api-Key: …`).
    Header,
}

impl Validate {
    pub(crate) fn parse(s: &str) -> Option<Validate> {
        Some(match s {
            "jwt" => Validate::Jwt,
            "docker-auth" => Validate::DockerAuth,
            "pem-base64" => Validate::PemBase64,
            "url-password" => Validate::UrlPassword,
            "generic" => Validate::Generic,
            "openssh-encrypted" => Validate::OpensshEncrypted,
            "k8s-secret-data" => Validate::K8sSecretData,
            "header" => Validate::Header,
            _ => return None,
        })
    }

    /// Checks that judge the decoded value themselves (entropy and placeholders included).
    pub(crate) fn decodes(self) -> bool {
        matches!(self, Validate::K8sSecretData)
    }

    pub(crate) fn judge(self, value: &str, around: &Around<'_>) -> Verdict {
        match self {
            Validate::K8sSecretData => k8s_secret_data(value),
            Validate::Generic => {
                // In source code only a quoted literal is a value (`token = getToken()` is code),
                // and it must look more random than in configuration.
                if around.source
                    && (!around.quoted || value.len() < 10 || entropy(value.as_bytes()) < 3.2)
                {
                    return Verdict::No;
                }
                let named = around
                    .name
                    .and_then(|n| std::str::from_utf8(n).ok())
                    .is_some_and(|n| secret_name(n) || wordpress_key(n));
                if named && generic_value(value, around.quoted) {
                    Verdict::Secret
                } else {
                    Verdict::No
                }
            }
            Validate::Header => {
                let v = value.as_bytes();
                if is_placeholder(value) || entropy(v) < 3.5 || sequential(value) || is_uuid(value)
                {
                    return Verdict::No;
                }
                let digits = v.iter().any(u8::is_ascii_digit);
                let upper = v.iter().any(u8::is_ascii_uppercase);
                let lower = v.iter().any(u8::is_ascii_lowercase);
                if digits && (upper || lower) || upper && lower {
                    Verdict::Secret
                } else {
                    Verdict::No
                }
            }
            _ => {
                if self.accepts(value, around.user, around.name) {
                    Verdict::Secret
                } else {
                    Verdict::No
                }
            }
        }
    }

    fn accepts(self, value: &str, user: Option<&[u8]>, name: Option<&[u8]>) -> bool {
        match self {
            Validate::OpensshEncrypted => openssh_cipher(value).is_some_and(|c| c != b"none"),
            Validate::K8sSecretData => k8s_secret_data(value) == Verdict::Secret,
            Validate::Jwt => jwt(value),
            Validate::DockerAuth => docker_auth(value),
            Validate::PemBase64 => base64::engine::general_purpose::STANDARD
                .decode(value)
                .is_ok_and(|d| {
                    d.starts_with(b"-----BEGIN")
                        && memchr::memmem::find(&d, b"PRIVATE KEY").is_some()
                }),
            Validate::UrlPassword => url_password(value, user),
            Validate::Generic => name
                .and_then(|n| std::str::from_utf8(n).ok())
                .is_some_and(|n| secret_name(n) && generic_value(value, false)),
            Validate::Header => self.judge(value, &Around::default()) == Verdict::Secret,
        }
    }
}

fn b64url(part: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()
}

fn jwt(value: &str) -> bool {
    let mut parts = value.split('.');
    let (Some(header), Some(payload), Some(sig)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Some(header) =
        b64url(header).and_then(|h| serde_json::from_slice::<serde_json::Value>(&h).ok())
    else {
        return false;
    };
    let alg = header.get("alg").and_then(|a| a.as_str()).unwrap_or("none");
    if alg.eq_ignore_ascii_case("none") {
        return false;
    }
    if let Some(p) = b64url(payload)
        && let Ok(p) = serde_json::from_slice::<serde_json::Value>(&p)
        && p.get("role").and_then(|r| r.as_str()) == Some("anon")
    {
        return false;
    }
    entropy(sig.as_bytes()) >= 3.5
}

fn docker_auth(value: &str) -> bool {
    let Ok(d) = base64::engine::general_purpose::STANDARD.decode(value) else {
        return false;
    };
    let Ok(d) = std::str::from_utf8(&d) else {
        return false;
    };
    d.split_once(':')
        .is_some_and(|(u, p)| !u.is_empty() && url_password(p, Some(u.as_bytes())))
}

/// Default and template passwords: `postgres:postgres`, `guest:guest`, `$DB_PASS`.
fn url_password(password: &str, user: Option<&[u8]>) -> bool {
    const DEFAULTS: &[&str] = &[
        "pass", "root", "admin", "guest", "postgres", "mysql", "redis", "test", "user", "default",
        "pw", "pwd", "rabbitmq", "mongo", "mongodb", "letmein", "123456", "12345678", "qwerty",
    ];
    let lower = password.to_ascii_lowercase();
    if password.len() < 4
        || is_placeholder(password)
        || DEFAULTS.contains(&lower.as_str())
        || password.starts_with(['$', '%', '{', '['])
        || user.is_some_and(|u| u.eq_ignore_ascii_case(password.as_bytes()))
    {
        return false;
    }
    true
}

/// A value assigned to a secret-named key that is a literal secret, not code, a reference,
/// a path, a number, a UUID, a crypt hash or an identifier.
fn generic_value(v: &str, quoted: bool) -> bool {
    // Unquoted, `@file`, `#comment`, `*ref` are syntax; in quotes they can start a random value.
    let syntax: &[char] = if quoted {
        &['/', '.', '~']
    } else {
        &['/', '.', '~', '@', '#', '*', '&', '!']
    };
    if is_flag_value(v) || v.starts_with(syntax) || v.contains("://") || sequential(v) || words(v) {
        return false;
    }
    let bytes = v.as_bytes();
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    let upper = bytes.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lower = bytes.iter().filter(|b| b.is_ascii_lowercase()).count();
    let letters = upper + lower;
    if digits == bytes.len() || letters == 0 {
        return false;
    }
    // `ENV_VAR_NAME`, `os.environ.get`, `self.token`, `getApiKey`: code, not a value.
    let identifier = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !s.as_bytes()[0].is_ascii_digit()
    };
    if v.split('.').all(identifier) && (v.contains('.') || digits == 0) {
        return false;
    }
    if is_uuid(v) || is_version(v) {
        return false;
    }
    // A random-looking value has digits or mixed case.
    digits > 0 || (upper > 0 && lower > 0 && v.len() >= 12)
}

fn is_uuid(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_version(v: &str) -> bool {
    let v = v.strip_prefix('v').unwrap_or(v);
    v.split(['.', '-', '+'])
        .next()
        .is_some_and(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))
        && v.contains('.')
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
}

/// Base64 with whitespace and JSON `\n` escapes removed.
fn unwrap_base64(value: &str) -> String {
    value
        .replace("\\n", "")
        .replace("\\r", "")
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect()
}

/// The cipher name in an `openssh-key-v1` body (`none` for an unprotected key).
pub(crate) fn openssh_cipher(body: &str) -> Option<Vec<u8>> {
    let flat = unwrap_base64(body);
    // The header fits in the first 64 base64 characters: magic (15 bytes), a length, the name.
    let head = flat.get(..flat.len().min(64) / 4 * 4)?;
    let d = base64::engine::general_purpose::STANDARD
        .decode(head)
        .ok()?;
    let rest = d.strip_prefix(b"openssh-key-v1\0")?;
    let n = usize::try_from(u32::from_be_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
    rest.get(4..4 + n).map(<[u8]>::to_vec)
}

/// A `Secret`'s `data` value: a secret when it decodes to something that is not a placeholder
/// or a default; quiet (and claimed, so the generic kind stays quiet) when it decodes to one.
fn k8s_secret_data(value: &str) -> Verdict {
    if !value.len().is_multiple_of(4) {
        return Verdict::No;
    }
    let Ok(d) = base64::engine::general_purpose::STANDARD.decode(value) else {
        return Verdict::No;
    };
    let Ok(text) = std::str::from_utf8(&d) else {
        // Binary data (a keystore, a key): random bytes are a secret.
        return if entropy(&d) >= 4.0 {
            Verdict::Secret
        } else {
            Verdict::Quiet
        };
    };
    let text = text.trim();
    if text.len() < 8 || is_placeholder(text) || !url_password(text, None) {
        return Verdict::Quiet;
    }
    if entropy(text.as_bytes()) < 3.0 {
        return Verdict::Quiet;
    }
    Verdict::Secret
}

/// `WordPress`'s `wp-config.php` keys and salts (`define('AUTH_KEY', '…')`).
fn wordpress_key(name: &str) -> bool {
    matches!(
        name,
        "AUTH_KEY"
            | "SECURE_AUTH_KEY"
            | "LOGGED_IN_KEY"
            | "NONCE_KEY"
            | "AUTH_SALT"
            | "SECURE_AUTH_SALT"
            | "LOGGED_IN_SALT"
            | "NONCE_SALT"
    )
}

/// A test string typed in order (`abcD12efGh34`, `1234567890ab`): half its neighbours ascend.
fn sequential(v: &str) -> bool {
    let b: Vec<u8> = v.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let steps = b
        .windows(2)
        .filter(|w| w[1] == w[0].wrapping_add(1))
        .count();
    b.len() > 2 && steps * 2 >= b.len() - 1
}

/// Words joined by separators (`auth_token_v2`, `session-cookie-name`, `Api.Key.Header`): a
/// name, not a value.
fn words(v: &str) -> bool {
    let parts: Vec<&str> = v.split(['_', '-', '.', ':', '/']).collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            let letters = p.trim_end_matches(|c: char| c.is_ascii_digit());
            p.len() - letters.len() <= 2
                && (letters.bytes().all(|c| c.is_ascii_lowercase())
                    || letters.bytes().all(|c| c.is_ascii_uppercase())
                    || letters.len() > 1
                        && letters.as_bytes()[0].is_ascii_uppercase()
                        && letters.bytes().skip(1).all(|c| c.is_ascii_lowercase()))
        })
}
