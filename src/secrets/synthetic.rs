//! Synthetic, format-valid secrets for tests and benchmarks, generated rather than written
//! down: nothing in the repository looks like a live credential. Deterministic by seed.

use std::io::Write as _;

use base64::Engine as _;

/// Deterministic pseudo-random characters from `alphabet`.
#[must_use]
pub fn random(seed: u64, n: usize, alphabet: &[u8]) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(alphabet[usize::try_from(x % alphabet.len() as u64).unwrap_or(0)])
        })
        .collect()
}

const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const UPPER32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A token with GitHub's checksum: prefix, 30 random base62 characters, 6 of CRC32.
#[must_use]
pub fn checksummed(prefix: &str, seed: u64) -> String {
    let body = random(seed, 30, B62);
    let mut crc = u64::from(check_crc(body.as_bytes()));
    let mut sum = Vec::new();
    for _ in 0..6 {
        sum.push(B62[usize::try_from(crc % 62).unwrap_or(0)]);
        crc /= 62;
    }
    sum.reverse();
    format!("{prefix}{body}{}", String::from_utf8_lossy(&sum))
}

fn check_crc(d: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in d {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// A PEM private key with a random body.
#[must_use]
pub fn pem(seed: u64) -> String {
    let body: Vec<String> = (0..12).map(|i| random(seed + i, 64, B64)).collect();
    format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        body.join("\n")
    )
}

/// One synthetic secret of each kind as (kind id, value, text that holds it in its usual
/// context).
#[must_use]
pub fn planted(seed: u64) -> Vec<(&'static str, String, String)> {
    let aws_id = format!("AKIA{}", random(seed, 16, UPPER32));
    let aws_secret = random(seed + 1, 40, B64);
    let ghp = checksummed("ghp_", seed + 2);
    let npm = checksummed("npm_", seed + 3);
    let fine = format!(
        "github_pat_{}_{}",
        random(seed + 4, 22, B62),
        random(seed + 5, 59, B62)
    );
    let glpat = format!("glpat-{}", random(seed + 6, 20, B62));
    let slack = format!(
        "xoxb-{}-{}-{}",
        random(seed + 7, 12, b"0123456789"),
        random(seed + 8, 13, b"0123456789"),
        random(seed + 9, 24, B62)
    );
    let hook = format!(
        "T{}/B{}/{}",
        random(seed + 10, 8, UPPER32),
        random(seed + 11, 10, UPPER32),
        random(seed + 12, 24, B62)
    );
    let stripe = format!("sk_live_{}", random(seed + 13, 24, B62));
    let gapi = format!("AIza{}", random(seed + 14, 35, B62));
    let openai = format!(
        "sk-proj-{}T3BlbkFJ{}",
        random(seed + 15, 60, B62),
        random(seed + 16, 40, B62)
    );
    let anthropic = format!("sk-ant-api03-{}AA", random(seed + 17, 93, B62));
    let pypi = format!("pypi-AgEIcHlwaS5vcmc{}", random(seed + 18, 70, B62));
    let sendgrid = format!(
        "SG.{}.{}",
        random(seed + 19, 22, B62),
        random(seed + 20, 43, B62)
    );
    let twilio = format!("SK{}", random(seed + 21, 32, b"0123456789abcdef"));
    let b64url = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let jwt = format!(
        "{}.{}.{}",
        b64url(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64url(r#"{"sub":"svc","role":"service_role"}"#),
        random(seed + 22, 43, B62)
    );
    let key = pem(seed + 23);
    let pg = random(seed + 24, 14, B62);
    let auth = base64::engine::general_purpose::STANDARD
        .encode(format!("deploy:{}", random(seed + 25, 20, B62)));
    let kube = base64::engine::general_purpose::STANDARD.encode(pem(seed + 26));
    let netrc = random(seed + 27, 16, B62);
    let generic = format!(
        "{}!{}",
        random(seed + 28, 10, B62),
        random(seed + 29, 6, B62)
    );
    vec![
        (
            "aws-secret-access-key",
            aws_secret.clone(),
            format!("aws:\n  access_key_id: {aws_id}\n  secret_access_key: {aws_secret}\n"),
        ),
        (
            "aws-access-key-id",
            aws_id.clone(),
            format!("AWS_ACCESS_KEY_ID={aws_id}\n"),
        ),
        (
            "github-token",
            ghp.clone(),
            format!("!function(){{var t=\"{ghp}\";fetch(u,{{h:t}})}}();"),
        ),
        (
            "github-fine-grained-token",
            fine.clone(),
            format!("GH={fine}\n"),
        ),
        ("gitlab-token", glpat.clone(), format!("token: {glpat}\n")),
        (
            "slack-token",
            slack.clone(),
            format!("slack_bot: {slack}\n"),
        ),
        (
            "slack-webhook",
            hook.clone(),
            format!("url = \"https://hooks.slack.com/services/{hook}\"\n"),
        ),
        (
            "stripe-secret-key",
            stripe.clone(),
            format!("STRIPE={stripe}\n"),
        ),
        (
            "google-api-key",
            gapi.clone(),
            format!("{{\"maps\": \"{gapi}\"}}\n"),
        ),
        (
            "openai-api-key",
            openai.clone(),
            format!("OPENAI={openai}\n"),
        ),
        (
            "anthropic-api-key",
            anthropic.clone(),
            format!("k = '{anthropic}'\n"),
        ),
        (
            "npm-token",
            npm.clone(),
            format!("//registry.npmjs.org/:_authToken={npm}\n"),
        ),
        (
            "pypi-token",
            pypi.clone(),
            format!("[pypi]\nusername = __token__\npassword = {pypi}\n"),
        ),
        (
            "sendgrid-api-key",
            sendgrid.clone(),
            format!("SENDGRID={sendgrid}\n"),
        ),
        (
            "twilio-api-key",
            twilio.clone(),
            format!("twilio:\n  key: {twilio}\n"),
        ),
        ("jwt", jwt.clone(), format!("Authorization: Bearer {jwt}\n")),
        (
            "private-key",
            key.lines().nth(1).unwrap_or_default().to_string(),
            key.clone(),
        ),
        (
            "gcp-service-account",
            String::new(),
            format!(
                "{{\"type\": \"service_account\", \"private_key_id\": \"{}\", \"private_key\": \"{}\"}}",
                random(seed + 30, 40, b"0123456789abcdef"),
                pem(seed + 31).replace('\n', "\\n")
            ),
        ),
        (
            "connection-url",
            pg.clone(),
            format!("DATABASE = postgresql://app:{pg}@db.internal:5432/app\n"),
        ),
        (
            "docker-auth",
            auth.clone(),
            format!("{{\"auths\": {{\"registry.example.com\": {{\"auth\": \"{auth}\"}}}}}}"),
        ),
        (
            "kubeconfig-client-key",
            kube.clone(),
            format!(
                "apiVersion: v1\nkind: Config\nusers:\n- name: a\n  user:\n    client-key-data: {kube}\n"
            ),
        ),
        (
            "netrc",
            netrc.clone(),
            format!("machine git.internal login ci password {netrc}\n"),
        ),
        (
            "generic-password",
            generic.clone(),
            format!("[db]\nhost = db\ndb_password = {generic}\n"),
        ),
    ]
}

/// Why a `sample` template cannot be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sample template: {0}")]
pub struct SampleError(String);

/// Expands a kind's `sample` template (`ghp_{b62:30}{crc32b62}`) into a format-valid synthetic
/// value, deterministic by `seed`. Placeholders: `{b62:N}`, `{b64:N}`, `{b64url:N}`, `{hex:N}`,
/// `{HEX:N}`, `{digits:N}`, `{lower:N}`, `{upper:N}`, `{alnum:N}`, `{ALNUM:N}`, `{b32:N}`,
/// `{crc32b62}` (6 base62 characters of the CRC32 of the text since the last `_`), `{uuid}`;
/// `{{` and `}}` are literal braces.
///
/// # Errors
/// An unknown placeholder, a missing count or an unclosed brace.
pub fn sample(template: &str, seed: u64) -> Result<String, SampleError> {
    let mut out = String::new();
    let mut rest = template;
    // Each placeholder draws from its own stream, so two `{b62:N}` differ.
    let mut stream = seed.wrapping_mul(1_000_003);
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let r = &rest[i..];
        if let Some(t) = r.strip_prefix("{{") {
            out.push('{');
            rest = t;
            continue;
        }
        if let Some(t) = r.strip_prefix("}}") {
            out.push('}');
            rest = t;
            continue;
        }
        if r.starts_with('}') {
            return Err(SampleError(format!("a lone `}}` in `{template}`")));
        }
        let Some(end) = r.find('}') else {
            return Err(SampleError(format!("an unclosed `{{` in `{template}`")));
        };
        let spec = &r[1..end];
        rest = &r[end + 1..];
        stream = stream.wrapping_add(0x9E37_79B9);
        let (name, count) = match spec.split_once(':') {
            Some((n, c)) => (
                n,
                Some(
                    c.parse::<usize>()
                        .ok()
                        .filter(|&c| c > 0 && c <= 8192)
                        .ok_or_else(|| SampleError(format!("bad count in `{{{spec}}}`")))?,
                ),
            ),
            None => (spec, None),
        };
        let alphabet: &[u8] = match name {
            "b62" => B62,
            "b64" => B64,
            "b64url" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            "hex" => b"0123456789abcdef",
            "HEX" => b"0123456789ABCDEF",
            "digits" => b"0123456789",
            "lower" => b"abcdefghijklmnopqrstuvwxyz",
            "upper" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "alnum" => b"abcdefghijklmnopqrstuvwxyz0123456789",
            "ALNUM" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            "b32" => UPPER32,
            "crc32b62" if count.is_none() => {
                let since = out.rsplit('_').next().unwrap_or(&out);
                out.push_str(&crc_base62(since.as_bytes()));
                continue;
            }
            "uuid" if count.is_none() => {
                let h = |n, s| random(stream + s, n, b"0123456789abcdef");
                let _ = std::fmt::Write::write_fmt(
                    &mut out,
                    format_args!(
                        "{}-{}-4{}-{}{}-{}",
                        h(8, 1),
                        h(4, 2),
                        h(3, 3),
                        random(stream + 4, 1, b"89ab"),
                        h(3, 5),
                        h(12, 6)
                    ),
                );
                continue;
            }
            _ => return Err(SampleError(format!("unknown placeholder `{{{spec}}}`"))),
        };
        let Some(n) = count else {
            return Err(SampleError(format!("`{{{spec}}}` needs a count")));
        };
        out.push_str(&random(stream, n, alphabet));
    }
    out.push_str(rest);
    Ok(out)
}

/// GitHub's checksum encoding: 6 base62 digits (upper case first) of the CRC32.
fn crc_base62(data: &[u8]) -> String {
    let mut crc = u64::from(check_crc(data));
    let mut sum = Vec::new();
    for _ in 0..6 {
        sum.push(B62[usize::try_from(crc % 62).unwrap_or(0)]);
        crc /= 62;
    }
    sum.reverse();
    String::from_utf8_lossy(&sum).into_owned()
}

// Archives built byte by byte for the tests and the benchmark (the reader under test is the only
// zip code in the crate; CRCs are zero: the reader does not check them).

/// A zip local entry: stored (`deflate = false`) or deflated, sizes in the header or in a
/// data descriptor after the data.
#[must_use]
pub fn zip_entry(name: &str, data: &[u8], deflate: bool, descriptor: bool) -> Vec<u8> {
    let body = if deflate {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = e.write_all(data);
        e.finish().unwrap_or_default()
    } else {
        data.to_vec()
    };
    let size = |n: usize| u32::try_from(n).unwrap_or(0).to_le_bytes();
    let mut out = b"PK\x03\x04\x14\0".to_vec();
    out.extend_from_slice(&(if descriptor { 8u16 } else { 0 }).to_le_bytes());
    out.extend_from_slice(&(if deflate { 8u16 } else { 0 }).to_le_bytes());
    out.extend_from_slice(&[0; 8]); // time, date, crc
    if descriptor {
        out.extend_from_slice(&[0; 8]);
    } else {
        out.extend_from_slice(&size(body.len()));
        out.extend_from_slice(&size(data.len()));
    }
    out.extend_from_slice(&u16::try_from(name.len()).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&body);
    if descriptor {
        out.extend_from_slice(b"PK\x07\x08\0\0\0\0");
        out.extend_from_slice(&size(body.len()));
        out.extend_from_slice(&size(data.len()));
    }
    out
}

/// Entries plus a central-directory signature (the reader stops there).
#[must_use]
pub fn zip(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut out = entries.concat();
    out.extend_from_slice(b"PK\x01\x02 central directory");
    out
}

#[must_use]
pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

#[must_use]
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// A one-file ustar archive.
#[must_use]
pub fn tar(name: &str, data: &[u8]) -> Vec<u8> {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut out = h.to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512 + 1024, 0);
    out
}

/// A packfile of whole objects (`kind` 3 = blob) and one OFS delta holding `delta`.
#[must_use]
pub fn pack(blobs: &[&[u8]], delta: &[u8]) -> Vec<u8> {
    let mut out = b"PACK\0\0\0\x02".to_vec();
    out.extend_from_slice(&u32::try_from(blobs.len() + 1).unwrap_or(0).to_be_bytes());
    let header = |kind: u8, mut size: usize, out: &mut Vec<u8>| {
        let mut c = (kind << 4) | u8::try_from(size & 15).unwrap_or(0);
        size >>= 4;
        while size > 0 {
            out.push(c | 0x80);
            c = u8::try_from(size & 0x7f).unwrap_or(0);
            size >>= 7;
        }
        out.push(c);
    };
    for b in blobs {
        header(3, b.len(), &mut out);
        out.extend_from_slice(&zlib(b));
    }
    header(6, delta.len(), &mut out);
    out.extend_from_slice(&[0x81, 0x05]); // base offset
    out.extend_from_slice(&zlib(delta));
    out.extend_from_slice(&[0; 20]); // trailer checksum
    out
}
