//! Plants synthetic, format-valid secrets and decoys into a root filesystem, for
//! `benches/secrets.sh`: one file per secret in the places and shapes applications keep them,
//! one file per kind (its generated sample in its usual context), and decoys that must stay
//! quiet. Writes `ROOT/../planted.json` (path and kind of each
//! secret, and the decoy paths) and `ROOT/../values.txt` (the values, to grep outputs for).
//!
//!     cargo run --release --example plant_secrets -- ROOT

use std::path::Path;

use hullscan::secrets::FileClass;
use hullscan::secrets::synthetic::{checksummed, pem, planted, sample};

fn write(root: &Path, path: &str, text: &str) -> std::io::Result<()> {
    let full = root.join(path.trim_start_matches('/'));
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(full, text)
}

fn main() -> std::io::Result<()> {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: plant_secrets ROOT");
        std::process::exit(2);
    };
    let root = Path::new(&root);
    let mut secrets = Vec::new();
    let mut values = Vec::new();
    // Where applications keep them: configs, env files, bundles, keys, scripts.
    let places = [
        "/app/config/{k}.yml",
        "/srv/{k}/settings.conf",
        "/etc/app/{k}.env",
    ];
    for (i, place) in places.iter().enumerate() {
        for (kind, value, text) in planted(100 + i as u64) {
            let path = place.replace("{k}", kind);
            write(root, &path, &text)?;
            secrets.push(serde_json::json!({"path": path, "kind": kind}));
            if !value.is_empty() {
                values.push(value);
            }
        }
    }
    let token = checksummed("ghp_", 900);
    write(
        root,
        "/app/static/js/main.8e1f.min.js",
        &format!(
            "!function(e){{var t={{u:\"https://api.github.com\",k:\"{token}\"}};e.c=t}}(window);"
        ),
    )?;
    secrets.push(
        serde_json::json!({"path": "/app/static/js/main.8e1f.min.js", "kind": "github-token"}),
    );
    values.push(token);
    let key = pem(901);
    write(root, "/srv/keys/server.txt", &key)?;
    secrets.push(serde_json::json!({"path": "/srv/keys/server.txt", "kind": "private-key"}));
    // Every kind with a sample: its generated value in its usual context, in source code where
    // the kind searches source, else in an env file.
    for (i, kind) in hullscan::secrets::detector().kinds().iter().enumerate() {
        let Some(Ok(value)) = kind.sample.as_deref().map(|t| sample(t, 5000 + i as u64)) else {
            continue;
        };
        let text = kind
            .context
            .as_deref()
            .unwrap_or("{secret}")
            .replacen("{secret}", &value, 1);
        let ext = if kind.searches(FileClass::of("/app/kinds/x.py")) {
            "py"
        } else {
            "env"
        };
        let path = format!("/app/kinds/{}.{ext}", kind.id);
        write(root, &path, &format!("# {}\n{text}\n", kind.id))?;
        secrets.push(serde_json::json!({"path": path, "kind": kind.id}));
        values.push(value);
    }
    // Decoys: documented examples, placeholders, public material, hashes, UUIDs, test keys.
    let decoys = [
        ("/app/config/aws-example.yml", "aws_access_key_id: AKIAIOSFODNN7EXAMPLE\naws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n".to_string()),
        ("/app/.env.example", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nDB_PASSWORD=changeme\n".to_string()),
        ("/app/config/placeholders.yml", "token: <your-token>\npassword: ${DB_PASSWORD}\napi_key: REPLACE_ME\nsecret: xxxxxxxxxxxx\n".to_string()),
        ("/app/config/paths.env", "DB_PASSWORD_FILE=/run/secrets/db_password\nTOKEN_URL=https://auth.internal/token\n".to_string()),
        ("/app/config/hashes.yml", "password_hash: $2b$12$KIXQJ9s8Wl5VNB1cOlKl4OmIJYXwCAcbTbvIhXUV7QsNv8bCwEfNS\nsha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n".to_string()),
        ("/app/config/ids.yml", "session_token: 123e4567-e89b-12d3-a456-426614174000\nrequest_id: 0b9d6f4e-2c1a-4f7b-9a53-6e2d8c1f0a77\n".to_string()),
        ("/app/package-lock.json", "{\"packages\":{\"node_modules/x\":{\"integrity\":\"sha512-Qk9o3lGi1X0Yx5Oww3XQ3kZ2nH9z7y7i3l6Zl0O1d2e3f4g5h6i7j8k9l0m1n2o3p4q5r6s7t8u9v0w1x2y3z4==\"}}}\n".to_string()),
        ("/etc/ssl/certs/site.pem", "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n".to_string()),
        ("/app/keys/public.pem", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----\n".to_string()),
        ("/usr/lib/python3/dist-packages/demo/tests/test_key.pem", pem(902)),
        ("/app/node_modules/demo/test/fixtures/key.pem", pem(903)),
        ("/app/docs/jwt.md", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n".to_string()),
        ("/app/config/local.env", "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app\nAMQP_URL=amqp://guest:guest@rabbitmq:5672/\n".to_string()),
    ];
    let mut decoy_paths = Vec::new();
    for (path, text) in decoys {
        write(root, path, &text)?;
        decoy_paths.push(path);
    }
    let parent = root.parent().unwrap_or(root);
    std::fs::write(
        parent.join("planted.json"),
        serde_json::to_vec_pretty(&serde_json::json!({"secrets": secrets, "decoys": decoy_paths}))?,
    )?;
    std::fs::write(parent.join("values.txt"), values.join("\n") + "\n")?;
    eprintln!(
        "planted {} secrets and {} decoys",
        secrets.len(),
        decoy_paths.len()
    );
    Ok(())
}
