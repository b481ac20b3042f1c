use super::synthetic::{checksummed, pem, planted};
use super::*;

fn key() -> Key {
    Key::derive(b"test")
}

fn kinds_in(text: &str) -> Vec<String> {
    detector()
        .scan_text(&key(), text)
        .into_iter()
        .map(|h| h.kind)
        .collect()
}

#[test]
fn the_shipped_kinds_compile() {
    assert!(detector().kinds().len() >= 20);
    // Compiled lazily in a scan: every one must compile, with its allow-list.
    for k in detector().kinds() {
        assert!(
            k.regex().capture_names().any(|n| n == Some("secret")),
            "{}",
            k.id
        );
        let _ = k.allow();
    }
    let bad = |regex: &str| {
        Detector::from_toml(&format!(
            "[[kind]]\nid = \"x\"\nname = \"x\"\nkeywords = [\"k\"]\nregex = '{regex}'\n"
        ))
        .is_err()
    };
    assert!(bad("k(?P<other>[a-z]+)"));
    assert!(bad("k(?P<secret>[a-z]+"));
    assert!(!bad("k(?P<secret>[a-z]+)"));
}

#[test]
fn every_planted_kind_is_found_and_never_shown() {
    for seed in [1, 7, 1234] {
        for (kind, value, text) in planted(seed) {
            let hits = detector().scan_text(&key(), &text);
            assert!(
                hits.iter().any(|h| h.kind == kind),
                "{kind} not found in {text:?}: {hits:?}"
            );
            let shown = format!("{hits:?}");
            if value.len() > 8 {
                assert!(!shown.contains(&value), "{kind} value leaked: {shown}");
            }
        }
    }
}

#[test]
fn legacy_openai_keys_near_their_name() {
    let key = format!(
        "sk-{}",
        synthetic::random(
            5,
            48,
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        )
    );
    assert_eq!(
        kinds_in(&format!("OPENAI_API_KEY={key}\n")),
        ["openai-legacy-key"]
    );
    assert!(kinds_in(&format!("x = {key}\n")).is_empty());
}

#[test]
fn aws_pair_is_found_by_both_kinds() {
    let (_, _, text) = planted(3).swap_remove(0);
    assert_eq!(
        kinds_in(&text),
        ["aws-access-key-id", "aws-secret-access-key"]
    );
}

#[test]
fn decoys_are_quiet() {
    let decoys = [
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
        "token: <your-token>\n",
        "password: changeme\n",
        "DB_PASSWORD=${DB_PASSWORD}\n",
        "DB_PASSWORD_FILE=/run/secrets/db_password\n",
        "password_hash = $2b$12$KIXQJ9s8Wl5VNB1cOlKl4OmIJYXwCAcbTbvIhXUV7QsNv8bCwEfNS\n",
        "\"integrity\": \"sha512-Qk9o3lGi1X0Yx5Oww3XQ3kZ2nH9z7y7i3l6Zl0O1d2e3f4g5h6i7j8k9l0m1n2o3p4q5r6s7t8u9v0w1x2y3z4==\"\n",
        "session_token = 123e4567-e89b-12d3-a456-426614174000\n",
        "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n",
        "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app\n",
        "amqp://guest:guest@rabbitmq:5672/\n",
        "mysql://root:${MYSQL_ROOT_PASSWORD}@db/app\n",
        "const token = process.env.GITHUB_TOKEN;\n",
        "password = request.form['password']\n",
        "if (secret === undefined) { secret = getSecret(); }\n",
        "PASSWORD_MIN_LENGTH=12\n",
        "API_KEY_HEADER=X-Api-Key\n",
        "sha256 = 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n",
        "token_version = 1.2.3\n",
        "https://user:password@example.com/\n",
        "\"auth\": \"\"\n",
        "Stripe.api_key = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\"\n",
        "OPENAI_API_KEY=sk-...\n",
    ];
    for d in decoys {
        assert!(
            kinds_in(d).is_empty(),
            "decoy reported: {d:?} → {:?}",
            kinds_in(d)
        );
    }
}

#[test]
fn github_checksum() {
    let t = checksummed("ghp_", 42);
    assert!(crc32_base62_ok(t.as_bytes()));
    let mut bad = t.into_bytes();
    let last = bad.len() - 1;
    bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
    assert!(!crc32_base62_ok(&bad));
}

#[test]
fn fingerprints_are_keyed_and_normalised() {
    let a = Key::derive(b"one");
    let b = Key::derive(b"two");
    assert_ne!(a.fingerprint(b"value-1234"), b.fingerprint(b"value-1234"));
    assert_eq!(a.fingerprint(b"MIIE\nabcd"), a.fingerprint(b"MIIE\\nabcd"));
    assert_eq!(a.fingerprint(b"x").len(), 16);
    assert_eq!(format!("{a:?}"), "Key(..)");
}

#[test]
fn masks_show_little() {
    assert_eq!(mask(b"ghp_0123456789abcdef0123"), "ghp_…(24 chars)");
    assert_eq!(mask(b"hunter2!"), "…(8 chars)");
}

#[test]
fn streams_across_windows_and_counts_lines() {
    let token = checksummed("ghp_", 9);
    // The token straddles the first window's end.
    let mut text = "x\n".repeat((WINDOW - 10) / 2);
    text.push_str(&token);
    text.push('\n');
    text.push_str(&"y\n".repeat(WINDOW));
    text.push_str(&pem(5));
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut buf = Vec::new();
    let hits = scan_stream(
        detector(),
        &key(),
        &FileOptions::default(),
        FileClass::ANY,
        &mut buf,
        |out| {
            let n = out.len().min(bytes.len() - pos).min(100_000);
            out[..n].copy_from_slice(&bytes[pos..pos + n]);
            pos += n;
            Ok(n)
        },
    )
    .unwrap_or_default();
    let got: Vec<(String, u32)> = hits.into_iter().map(|h| (h.kind, h.line)).collect();
    let first = u32::try_from((WINDOW - 10) / 2 + 1).unwrap_or(0);
    let second = first + 1 + u32::try_from(WINDOW).unwrap_or(0) + 1;
    assert_eq!(
        got,
        [
            ("github-token".to_string(), first),
            ("private-key".to_string(), second)
        ]
    );
}

#[test]
fn binaries_are_searched_for_distinctive_kinds() {
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.extend_from_slice(checksummed("ghp_", 41).as_bytes());
    elf.extend_from_slice(pem(1).as_bytes());
    elf.extend_from_slice(b"\0db_password=Kx9mQ2vLp7Zt4w\0");
    let run = |binaries| {
        let mut pos = 0;
        let mut buf = Vec::new();
        let opts = FileOptions {
            binaries,
            ..FileOptions::default()
        };
        scan_stream(detector(), &key(), &opts, FileClass::ANY, &mut buf, |out| {
            let n = out.len().min(elf.len() - pos);
            out[..n].copy_from_slice(&elf[pos..pos + n]);
            pos += n;
            Ok(n)
        })
        .map(|h| h.into_iter().map(|h| h.kind).collect::<Vec<_>>())
        .unwrap_or_default()
    };
    // A token with a prefix is distinctive enough for a binary's bytes; a `name=value` is not,
    // nor a private key (libraries embed test keys).
    assert_eq!(run(false), ["github-token"]);
    assert_eq!(
        run(true),
        ["github-token", "private-key", "generic-password"]
    );
    // Inside the distribution's libraries, only checksummed tokens.
    let lib = FileClass::of("/usr/lib/x86_64-linux-gnu/libx.so").as_binary();
    let aws = format!(
        "\0AKIA{}\0",
        synthetic::random(3, 16, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    );
    assert!(detector().find_in(aws.as_bytes(), lib).is_empty());
    assert_eq!(detector().find_in(&elf, lib).len(), 1);
}

#[test]
fn markdown_is_searched_outside_packages_and_lockfiles_are_package_data() {
    assert!(!skip_path("/app/RUNBOOK.md"));
    assert!(!skip_path("/srv/docs/setup.rst"));
    assert!(skip_path("/app/node_modules/stripe/README.md"));
    assert!(skip_path(
        "/app/node_modules/aws-sdk/apis/sts-2011-06-15.examples.json"
    ));
    assert!(!skip_path("/app/config/examples.json"));
    assert!(skip_path(
        "/usr/lib/python3/dist-packages/boto3/CHANGELOG.rst"
    ));
    assert!(FileClass::of("/app/package-lock.json").package);
    assert!(FileClass::of("/app/go.sum").package);
    assert!(!FileClass::of("/app/package.json").package);
}

#[test]
fn package_tests_docs_and_templates_are_skipped() {
    assert!(skip_path("/usr/lib/python3/dist-packages/x/tests/key.pem"));
    assert!(skip_path("/app/node_modules/jsonwebtoken/test/priv.pem"));
    assert!(skip_path("/usr/share/doc/openssl/example.pem"));
    assert!(skip_path("/usr/lib/node_modules/x/docs/README.txt"));
    assert!(skip_path("/app/.env.example"));
    assert!(!skip_path("/app/docs/config.yml"));
    assert!(!skip_path("/srv/keys/server.txt"));
    assert!(!skip_path("/app/static/js/main.3f2a.js"));
}

#[test]
fn secret_names() {
    for n in [
        "DB_PASSWORD",
        "dbPassword",
        "api-key",
        "CLIENT_SECRET",
        "GITHUB_TOKEN",
        "db.pass",
    ] {
        assert!(secret_name(n), "{n}");
    }
    for n in [
        "PASSWORD_FILE",
        "TOKEN_URL",
        "password_hash",
        "PUBLIC_KEY",
        "TOKENIZER",
        "PATH",
    ] {
        assert!(!secret_name(n), "{n}");
    }
}

#[test]
fn docstring_examples_and_code_stay_quiet() {
    let docs = [
        "For example, `-----BEGIN RSA PRIVATE KEY----- MIIEpQIBAAKCAQEAuyf/lNrH9ck8DmNyo3fGgvCI1l9s+cmBY3WIz+cUDqmxiieR. -----END RSA PRIVATE KEY-----`",
        "engine = create_engine(\"postgresql+psycopg://scott:tiger@localhost/test\")",
    ];
    for d in docs {
        assert!(kinds_in(d).is_empty(), "{d}");
    }
    // `token = value` in source code is usually code, not a secret.
    let js = "n.idToken=e.idTokenXy12;var t={recaptchaToken:\"abcD12efGh34\"};";
    let class = FileClass::of("/app/static/js/main.js");
    assert!(detector().scan_file_text(&key(), js, class).is_empty());
    // Installed packages: only kinds with a distinctive, checked shape.
    let pkg = FileClass::of("/app/node_modules/x/lib/db.json");
    assert!(pkg.package);
    let url = planted(8)
        .into_iter()
        .find(|p| p.0 == "connection-url")
        .map(|p| p.2);
    assert!(
        detector()
            .scan_file_text(&key(), &url.unwrap_or_default(), pkg)
            .is_empty()
    );
    let npm = format!("token={}", checksummed("npm_", 8));
    assert_eq!(detector().scan_file_text(&key(), &npm, pkg).len(), 1);
}

#[test]
fn file_classes() {
    for (path, package, config) in [
        ("/app/.env", false, true),
        ("/app/.env.production", false, true),
        ("/etc/app/app.conf", false, true),
        ("/app/config/settings.yml", false, true),
        ("/root/.npmrc", false, true),
        ("/app/server.py", false, false),
        ("/app/static/js/main.4f1c.min.js", false, false),
        (
            "/usr/local/lib/python3.12/site-packages/x/conf.json",
            true,
            true,
        ),
        ("/app/node_modules/x/index.js", true, false),
    ] {
        assert_eq!(
            FileClass::of(path),
            FileClass {
                package,
                config,
                binary: false
            },
            "{path}"
        );
    }
}

/// The files a kind's sample is planted in: source of two languages, config, `.env`, Markdown.
fn bodies(text: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "/app/settings.py",
            format!("import os\n\n{text}\nDEBUG = False\n"),
        ),
        (
            "/app/src/index.js",
            format!("const x = 1;\n{text}\nmodule.exports = x;\n"),
        ),
        ("/app/config.yaml", format!("app:\n  name: api\n{text}\n")),
        ("/app/.env", format!("PORT=8080\n{text}\n")),
        ("/app/RUNBOOK.md", format!("# Runbook\n\n{text}\n\nDone.\n")),
    ]
}

/// For every kind with a `sample`: the value generated with 3 seeds, planted in its context in
/// each file class the kind searches (and between non-UTF-8 bytes in a binary when it is a
/// `binary` kind), is found as exactly that kind over exactly its bytes. One line per failure.
fn sample_failures(det: &Detector) -> Vec<String> {
    let mut out = Vec::new();
    for (i, kind) in det.kinds().iter().enumerate() {
        let Some(template) = &kind.sample else {
            continue;
        };
        let context = kind.context.as_deref().unwrap_or("{secret}");
        let Some(at) = context.find("{secret}") else {
            out.push(format!("{}: context has no {{secret}}", kind.id));
            continue;
        };
        for seed in [1u64, 2, 3] {
            let value = match synthetic::sample(template, seed) {
                Ok(v) => v,
                Err(e) => {
                    out.push(format!("{}: {e}", kind.id));
                    break;
                }
            };
            if is_placeholder(&value) {
                out.push(format!(
                    "{}: seed {seed}: the sample reads as a placeholder",
                    kind.id
                ));
            }
            if entropy(value.as_bytes()) < kind.min_entropy {
                out.push(format!(
                    "{}: seed {seed}: the sample's entropy {:.2} is under min-entropy {}",
                    kind.id,
                    entropy(value.as_bytes()),
                    kind.min_entropy
                ));
            }
            let text = context.replacen("{secret}", &value, 1);
            let mut places: Vec<(String, Vec<u8>, usize, FileClass)> = Vec::new();
            for (path, body) in bodies(&text) {
                let class = FileClass::of(path);
                if !kind.searches(class) {
                    continue;
                }
                let start = body.find(&text).unwrap_or(0) + at;
                places.push((path.to_string(), body.into_bytes(), start, class));
            }
            if kind.binary {
                let mut bin = b"\x7fELF\x02\x01\x01\0\x00\xa4".to_vec();
                let start = bin.len() + at;
                bin.extend_from_slice(text.as_bytes());
                bin.extend_from_slice(b"\xa4\x00\x01");
                places.push((
                    "binary".into(),
                    bin,
                    start,
                    FileClass::of("/app/bin/x").as_binary(),
                ));
            }
            for (path, body, start, class) in places {
                let want = start..start + value.len();
                let got = det.find_in(&body, class);
                let ok = got.iter().any(|f| f.kind == i && f.secret == want);
                if !ok {
                    let seen: Vec<String> = got
                        .iter()
                        .filter(|f| f.secret.start < want.end && want.start < f.secret.end)
                        .map(|f| {
                            format!(
                                "{} over {}..{}",
                                det.kinds()[f.kind].id,
                                f.secret.start,
                                f.secret.end
                            )
                        })
                        .collect();
                    out.push(format!(
                        "{}: seed {seed}: not found over {}..{} in {path}{}",
                        kind.id,
                        want.start,
                        want.end,
                        if seen.is_empty() {
                            String::new()
                        } else {
                            format!(" (found instead: {})", seen.join(", "))
                        }
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn every_kind_finds_its_own_sample_everywhere_it_looks() {
    let failures = sample_failures(detector());
    if let Ok(path) = std::env::var("HULLSCAN_KINDS_FAILURES") {
        let _ = std::fs::write(path, failures.join("\n") + "\n");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The check can fail: a sample its regex does not match.
    let bad = Detector::from_toml(
        "[[kind]]\nid = \"x\"\nname = \"x\"\nkeywords = [\"xk_\"]\nregex = '(?P<secret>xk_[a-f]{8})'\nsample = 'xk_{digits:8}'\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        sample_failures(&bad).len(),
        3 * 5,
        "{:?}",
        sample_failures(&bad)
    );
}

#[test]
fn sample_templates() {
    let v = synthetic::sample("ghp_{b62:30}{crc32b62}", 4).unwrap_or_default();
    assert!(crc32_base62_ok(v.as_bytes()), "{v}");
    assert_eq!(
        synthetic::sample("{{x}}-{hex:4}", 1).map(|s| s.len()),
        Ok(8)
    );
    assert!(synthetic::sample("{nope:3}", 1).is_err());
    assert!(synthetic::sample("{b62}", 1).is_err());
    assert!(synthetic::sample("{b62:3", 1).is_err());
    let u = synthetic::sample("{uuid}", 9).unwrap_or_default();
    assert_eq!(u.len(), 36);
    assert_ne!(
        synthetic::sample("{b62:20}", 1),
        synthetic::sample("{b62:20}", 2)
    );
}

#[test]
fn a_key_after_a_non_utf8_byte_is_found() {
    // As in a `.pyc`: a string's length byte (0xA4) right before the key.
    let token = checksummed("ghp_", 11);
    let mut pyc = b"\x6f\x0d\x0d\x0a\0\0\0\0\xe3\xa4".to_vec();
    pyc.extend_from_slice(token.as_bytes());
    pyc.extend_from_slice(b"\xa4\xda\x03");
    let class = FileClass::of("/app/__pycache__/settings.cpython-312.pyc").as_binary();
    let got = detector().find_in(&pyc, class);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].secret, 10..10 + token.len());
}

#[test]
fn encrypted_keys_are_notes_and_k8s_secrets_are_judged_decoded() {
    use base64::Engine as _;
    let b64 = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(s);
    let level = |text: &str| -> Vec<(String, SecretLevel)> {
        detector()
            .find(text.as_bytes())
            .into_iter()
            .map(|f| {
                let k = &detector().kinds()[f.kind];
                (k.id.clone(), k.level)
            })
            .collect()
    };
    let body = |head: &[u8]| {
        let mut d = head.to_vec();
        d.extend(synthetic::random(3, 300, b"abcdefghijklmnopqrstuvwxyz0123456789").bytes());
        let flat = b64(&d);
        let lines: Vec<&str> = flat
            .as_bytes()
            .chunks(70)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect();
        format!(
            "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
            lines.join("\n")
        )
    };
    let enc = body(b"openssh-key-v1\0\0\0\0\x0aaes256-ctr\0\0\0\x06bcrypt");
    let plain = body(b"openssh-key-v1\0\0\0\0\x04none\0\0\0\x04none");
    assert_eq!(
        level(&enc),
        [(
            "openssh-private-key-encrypted".to_string(),
            SecretLevel::Note
        )]
    );
    assert_eq!(
        level(&plain),
        [("private-key".to_string(), SecretLevel::Error)]
    );
    let pem = pem(4).replace(
        "KEY-----\n",
        "KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\n",
    );
    assert_eq!(level(&pem)[0].1, SecretLevel::Note, "{pem}");
    let secret = |v: &str| {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: {}\n",
            b64(v.as_bytes())
        )
    };
    assert!(level(&secret("changeme")).is_empty());
    assert!(level(&secret("postgres")).is_empty());
    assert_eq!(
        level(&secret(&synthetic::random(
            8,
            20,
            b"abcdefghijklmnopqrstuvwxyzABCDEF0123456789"
        ))),
        [("kubernetes-secret".to_string(), SecretLevel::Error)]
    );
}

#[test]
fn generic_secrets_in_source_of_any_language_and_their_decoys() {
    let r = |n, seed| {
        synthetic::random(
            seed,
            n,
            b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
        )
    };
    let found = |path: &str, text: &str| -> Vec<String> {
        detector()
            .scan_file_text(&key(), text, FileClass::of(path))
            .into_iter()
            .map(|h| h.kind)
            .collect()
    };
    let django = format!(
        "DEBUG = False\nSECRET_KEY = 'django-insecure-{}!(x@'\n",
        r(40, 1)
    );
    assert_eq!(found("/app/proj/settings.py", &django), ["generic-secret"]);
    let wp = format!(
        "define( 'DB_PASSWORD', '{}' );\ndefine('AUTH_SALT', '{} {}');\n",
        r(16, 2),
        r(30, 3),
        r(30, 4)
    );
    // `WordPress`'s own names have their kinds in providers.toml; other defines the generic one.
    assert_eq!(found("/var/www/wp-config.php", &wp).len(), 2, "{wp}");
    let define = format!("define('APP_SIGNING_SECRET', '{}');\n", r(24, 12));
    assert_eq!(found("/var/www/config.php", &define), ["php-define-secret"]);
    for (path, text) in [
        (
            "/app/src/client.go",
            format!("cfg := Config{{APIKey: \"{}\"}}\n", r(32, 5)),
        ),
        (
            "/app/newrelic.js",
            format!("exports.config = {{ license_key: '{}' }}\n", r(40, 6)),
        ),
        (
            "/app/lib/pay.rb",
            format!("Square.access_token = \"{}\"\n", r(30, 7)),
        ),
        (
            "/app/App.java",
            format!(
                "private static final String DB_PASSWORD = \"{}\";\n",
                r(14, 8)
            ),
        ),
    ] {
        assert_eq!(found(path, &text), ["generic-secret"], "{text}");
    }
    let curl = format!(
        "RUN curl -H \"Authorization: Bearer {}\" https://grafana.corp.net/api\n",
        r(40, 9)
    );
    assert_eq!(kinds_in(&curl), ["auth-header"]);
    let ado = format!(
        "Server=tcp:db,1433;Database=x;User Id=app;Password={};",
        r(16, 10)
    );
    assert_eq!(kinds_in(&ado), ["connection-string"]);
    let netrc = format!(
        "RUN echo \"machine git.corp.net login ci password {}\" > ~/.netrc",
        r(16, 11)
    );
    assert_eq!(kinds_in(&netrc), ["netrc"]);
    // Code, references, hashes, identifiers, test strings and lockfiles stay quiet.
    for (path, text) in [
        (
            "/app/a.js",
            "const token = process.env.API_TOKEN;\nconst apiKey = getKey('x');\n",
        ),
        (
            "/app/a.py",
            "password = os.environ['DB_PASSWORD']\nsecret = os.getenv(\"SECRET\")\n",
        ),
        (
            "/app/a.py",
            "TOKEN_KEY = 'auth_token_v2'\napi_key = 'abcdef1234567890'\n",
        ),
        (
            "/app/a.ts",
            "const tokenHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';\n",
        ),
        (
            "/app/a.ts",
            "const apiKey = '123e4567-e89b-42d3-a456-426614174000';\n",
        ),
        (
            "/app/a.js",
            "headers['Authorization'] = 'Bearer ' + token;\n",
        ),
        (
            "/app/main.min.js",
            "var a={passwordLabel:\"Password\",tokenType:\"Bearer\"};",
        ),
        (
            "/app/package-lock.json",
            "\"integrity\": \"sha512-Kx9mQ2vLp7Zt4w\", \"token\": \"Kx9mQ2vLp7Zt4wR8\"",
        ),
        (
            "/app/README.md",
            "Set `API_TOKEN=<your token>` and `password: ${DB_PASSWORD}`.\n",
        ),
    ] {
        assert!(
            found(path, text).is_empty(),
            "{path}: {text}: {:?}",
            found(path, text)
        );
    }
}

/// Walks one file with the archive reader.
mod archives {
    use super::super::archive::Walk;
    pub(super) use super::super::synthetic::{gzip, pack, tar, zip, zip_entry, zlib};
    use super::*;

    pub(super) fn walk(path: &str, bytes: &[u8]) -> (Vec<(String, String)>, Vec<String>) {
        let opts = FileOptions::default();
        let k = key();
        let mut w = Walk {
            det: detector(),
            key: &k,
            opts: &opts,
            buf: Vec::new(),
            hits: Vec::new(),
            warnings: Vec::new(),
        };
        w.file(path, &mut &bytes[..]);
        (
            w.hits.into_iter().map(|(p, h)| (p, h.kind)).collect(),
            w.warnings,
        )
    }
}

#[test]
fn secrets_inside_archives_and_git_objects_name_their_path() {
    use archives::*;
    let ghp = checksummed("ghp_", 21);
    let npm = checksummed("npm_", 22);
    let props = format!("spring.datasource.url=jdbc:x\ngithub.token={ghp}\n");
    let inner = zip(&[zip_entry("x.properties", props.as_bytes(), true, true)]);
    let jar = zip(&[
        zip_entry(
            "META-INF/MANIFEST.MF",
            b"Manifest-Version: 1.0\n",
            false,
            false,
        ),
        zip_entry(
            "BOOT-INF/classes/application.yml",
            format!("npm: {npm}\n").as_bytes(),
            true,
            false,
        ),
        zip_entry("lib/b.jar", &inner, false, false),
    ]);
    let (hits, warnings) = walk("/app/lib/orders.jar", &jar);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        hits,
        [
            (
                "/app/lib/orders.jar!/BOOT-INF/classes/application.yml".to_string(),
                "npm-token".to_string()
            ),
            (
                "/app/lib/orders.jar!/lib/b.jar!/x.properties".to_string(),
                "github-token".to_string()
            ),
        ]
    );
    let tgz = gzip(&tar("etc/app.conf", props.as_bytes()));
    assert_eq!(
        walk("/srv/backup.tar.gz", &tgz).0,
        [(
            "/srv/backup.tar.gz!/etc/app.conf".to_string(),
            "github-token".to_string()
        )]
    );
    let loose = zlib(format!("blob {}\0{props}", props.len()).as_bytes());
    let id = "3f786850e387550fdab836ed7e6dc881de23001b";
    assert_eq!(
        walk(
            &format!("/app/.git/objects/{}/{}", &id[..2], &id[2..]),
            &loose
        )
        .0,
        [(
            format!("/app/.git!/objects/{id}"),
            "github-token".to_string()
        )]
    );
    let pk = pack(
        &[b"README\n", format!("NPM={npm}\n").as_bytes()],
        format!(" {ghp}\n").as_bytes(),
    );
    assert_eq!(
        walk("/app/.git/objects/pack/pack-1.pack", &pk).0,
        [
            (
                "/app/.git!/objects/pack/pack-1.pack!/1".to_string(),
                "npm-token".to_string()
            ),
            (
                "/app/.git!/objects/pack/pack-1.pack!/2".to_string(),
                "github-token".to_string()
            ),
        ]
    );
}

#[test]
fn truncated_archives_and_bombs_cost_a_warning() {
    use archives::*;
    let ghp = checksummed("ghp_", 23);
    let jar = zip(&[
        zip_entry(
            "a.properties",
            format!("t={ghp}\n").as_bytes(),
            false,
            false,
        ),
        zip_entry(
            "b.properties",
            synthetic::random(1, 5000, b"abcdefghij \n").as_bytes(),
            true,
            false,
        ),
    ]);
    let (hits, warnings) = walk("/app/a.jar", &jar[..jar.len() - 200]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(warnings.len(), 1, "{warnings:?} {}", jar.len());
    // 64 MiB of zeros deflate to ~64 KiB: past 100x plus the slack.
    let bomb = zip(&[zip_entry("z.txt", &vec![0u8; 64 << 20], true, false)]);
    let (_, warnings) = walk("/app/bomb.zip", &bomb);
    assert!(
        warnings.iter().any(|w| w.contains("inflated")),
        "{warnings:?} {}",
        bomb.len()
    );
    // Nesting past the depth bound is searched as bytes, not opened.
    let mut z = zip(&[zip_entry(
        "t.txt",
        format!("t={ghp}\n").as_bytes(),
        false,
        false,
    )]);
    for i in 0..4 {
        z = zip(&[zip_entry(&format!("n{i}.zip"), &z, false, false)]);
    }
    let (_, warnings) = walk("/app/deep.zip", &z);
    assert!(
        warnings.iter().any(|w| w.contains("nested")),
        "{warnings:?}"
    );
}

#[test]
fn archive_readers_survive_garbage() {
    // What the fuzz target does, on a few thousand deterministic inputs: truncations of valid
    // archives and random bytes behind each reader's magic.
    use archives::*;
    let ghp = checksummed("ghp_", 31);
    let valid = [
        (
            "/app/a.jar",
            zip(&[zip_entry(
                "x.yml",
                format!("t: {ghp}\n").as_bytes(),
                true,
                true,
            )]),
        ),
        ("/app/b.tar.gz", gzip(&tar("x.conf", ghp.as_bytes()))),
        (
            "/app/.git/objects/pack/p.pack",
            pack(&[ghp.as_bytes()], b"d"),
        ),
    ];
    for (path, bytes) in &valid {
        for cut in 0..bytes.len() {
            let _ = scan_file_bytes(&key(), &FileOptions::default(), path, &bytes[..cut]);
        }
    }
    for seed in 0..100u64 {
        let noise = synthetic::random(
            seed,
            64 + (seed as usize % 700),
            &(0..=255).collect::<Vec<u8>>(),
        );
        for magic in [
            &b"PK\x03\x04"[..],
            b"PACK\0\0\0\x02",
            b"\x1f\x8b",
            b"\x28\xb5\x2f\xfd",
            b"\x78",
        ] {
            let mut b = magic.to_vec();
            b.extend_from_slice(noise.as_bytes());
            for path in [
                "/app/x.zip",
                "/app/.git/objects/pack/p.pack",
                "/app/.git/objects/ab/cdef0123456789abcdef0123456789abcdef01",
            ] {
                let _ = scan_file_bytes(&key(), &FileOptions::default(), path, &b);
            }
        }
    }
}

#[test]
fn rails_master_key_files() {
    let k = synthetic::random(4, 32, b"0123456789abcdef");
    let got = scan_file_bytes(
        &key(),
        &FileOptions::default(),
        "/app/config/master.key",
        format!("{k}\n").as_bytes(),
    );
    assert_eq!(got.hits.len(), 1, "{:?}", got.hits);
    assert_eq!(got.hits[0].1.kind, "rails-master-key");
    let other = scan_file_bytes(
        &key(),
        &FileOptions::default(),
        "/app/config/other.key",
        k.as_bytes(),
    );
    assert!(other.hits.is_empty());
}
