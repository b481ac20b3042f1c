//! ECR end to end: repository settings (RG001–RG003) read from a local AWS API (moto server),
//! the native login (`GetAuthorizationToken` through the AWS credential chain) against a real
//! `docker-registry` whose htpasswd accepts exactly moto's token, reached through
//! `--registry-endpoint` as a VPC endpoint would be, and the errors a user can act on.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::moto::{ACCOUNT, Moto, hullscan_aws};
use common::registry::Registry;
use common::{Image, Layer, one_line_error, su_image};

const KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "test"),
    ("AWS_SECRET_ACCESS_KEY", "test"),
];

fn ecr_host() -> String {
    format!("{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com")
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `(rule, repository name)` pairs of a JSON report's repository findings.
fn posture(v: &serde_json::Value) -> BTreeSet<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("RG00"))
        .map(|f| {
            let arn = f["path"].as_str().unwrap();
            let name = arn.split_once(":repository/").unwrap().1;
            (f["rule"].as_str().unwrap().to_string(), name.to_string())
        })
        .collect()
}

#[test]
fn posture_for_every_setting_combination() {
    let moto = Moto::start();
    moto.py(
        "
for m in ['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION']:
    for scan in [True, False]:
        for enc in ['AES256', 'KMS']:
            name = f\"{m.lower()}/{'scan' if scan else 'noscan'}/{enc.lower()}\"
            args = dict(repositoryName=name, imageTagMutability=m,
                        imageScanningConfiguration={'scanOnPush': scan},
                        encryptionConfiguration={'encryptionType': enc})
            if enc == 'KMS':
                args['encryptionConfiguration']['kmsKey'] = 'arn:aws:kms:us-east-1:123456789012:key/k1'
            if 'EXCLUSION' in m:
                args['imageTagMutabilityExclusionFilters'] = [
                    {'filterType': 'WILDCARD', 'filter': 'release-*'},
                    {'filterType': 'WILDCARD', 'filter': 'v*'}]
            ecr.create_repository(**args)
",
    );
    let home = tempfile::tempdir().unwrap();
    let env = [KEYS[0], KEYS[1], ("AWS_ENDPOINT_URL", moto.url.as_str())];
    let out = hullscan_aws(
        &["ecr-posture", "--no-config", "-f", "json"],
        home.path(),
        &env,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["repositories"].as_array().unwrap().len(), 16);
    let mut expected = BTreeSet::new();
    for m in [
        "mutable",
        "immutable",
        "mutable_with_exclusion",
        "immutable_with_exclusion",
    ] {
        for scan in ["scan", "noscan"] {
            for enc in ["aes256", "kms"] {
                let name = format!("{m}/{scan}/{enc}");
                if m.starts_with("mutable") {
                    expected.insert(("RG001".to_string(), name.clone()));
                }
                if scan == "noscan" {
                    expected.insert(("RG002".to_string(), name.clone()));
                }
                if enc == "aes256" {
                    expected.insert(("RG003".to_string(), name.clone()));
                }
            }
        }
    }
    assert_eq!(posture(&v), expected);
    // The exclusion filters are shown where they matter.
    let mwe = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["rule"] == "RG001"
                && f["path"]
                    .as_str()
                    .unwrap()
                    .ends_with("mutable_with_exclusion/scan/kms")
        })
        .unwrap();
    assert!(
        mwe["message"]
            .as_str()
            .unwrap()
            .ends_with("except those matching `release-*`, `v*`"),
        "{mwe}"
    );
    assert_eq!(mwe["evidence"]["exclusion-filters"], "release-*,v*");

    // --repo filters; SARIF locates findings by ARN and stays schema-valid.
    let out = hullscan_aws(
        &[
            "ecr-posture",
            "--no-config",
            "-f",
            "sarif",
            "--repo",
            "mutable/noscan/*",
        ],
        home.path(),
        &env,
    );
    let log = json(&out);
    let errors: Vec<String> = common::sarif_schema()
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "hullscan/ecr/");
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        5,
        "RG001+RG002+RG003 on aes256, RG001+RG002 on kms"
    );
    let loc = &results[0]["locations"][0];
    assert_eq!(
        loc["logicalLocations"][0]["fullyQualifiedName"],
        format!("arn:aws:ecr:us-east-1:{ACCOUNT}:repository/mutable/noscan/aes256")
    );
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"]["uri"],
        "ecr/mutable/noscan/aes256"
    );
}

#[test]
fn registry_scanning_rules_decide_over_the_repository_flag() {
    let moto = Moto::start();
    moto.py(
        "
for name in ['team/api', 'team/web', 'other/tool']:
    ecr.create_repository(repositoryName=name, imageTagMutability='IMMUTABLE',
                          encryptionConfiguration={'encryptionType': 'KMS'})
ecr.put_registry_scanning_configuration(scanType='BASIC', rules=[
    {'scanFrequency': 'SCAN_ON_PUSH', 'repositoryFilters': [{'filter': 'team/*', 'filterType': 'WILDCARD'}]}])
",
    );
    let home = tempfile::tempdir().unwrap();
    let env = [
        KEYS[0],
        KEYS[1],
        ("AWS_ENDPOINT_URL_ECR", moto.url.as_str()),
    ];
    let out = hullscan_aws(
        &["ecr-posture", "--no-config", "-f", "json", &ecr_host()],
        home.path(),
        &env,
    );
    let v = json(&out);
    assert_eq!(
        posture(&v),
        BTreeSet::from([("RG002".to_string(), "other/tool".to_string())]),
        "{v}"
    );
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("no BASIC registry scanning rule"), "{msg}");
}

/// A registry standing in for the ECR `dkr` endpoint: basic auth that accepts only moto's
/// token for `account`, with `image` pushed as `repo:1`.
fn ecr_registry(account: &str, repo: &str, image: &Image) -> (Registry, tempfile::TempDir) {
    let password = format!("{account}-auth-token");
    let reg = Registry::start(Some(("AWS", &password)));
    let dir = reg.push_image(image, repo);
    (reg, dir)
}

fn endpoint_arg(host: &str, reg: &Registry) -> String {
    format!("{host}=http://{}", reg.host)
}

/// `hullscan image` arguments that scan `reference` as JSON through `endpoint` (HOST=URL), with
/// the rules about references, healthchecks and signatures off; `extra` goes before the
/// reference (`--no-posture`).
fn image_args<'a>(endpoint: &'a str, reference: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "image",
        "--no-config",
        "-f",
        "json",
        "--disable",
        "IC002,IC004,RG004",
        "--registry-endpoint",
        endpoint,
    ];
    args.extend_from_slice(extra);
    args.push(reference);
    args
}

#[test]
fn ecr_image_end_to_end_through_a_registry_endpoint() {
    let moto = Moto::start();
    moto.py("ecr.create_repository(repositoryName='team/app', imageTagMutability='MUTABLE')");
    let (reg, _img) = ecr_registry(ACCOUNT, "team/app", &su_image());
    let home = tempfile::tempdir().unwrap();
    let reference = format!("{}/team/app:1", ecr_host());
    let endpoint = endpoint_arg(&ecr_host(), &reg);
    let env = [KEYS[0], KEYS[1], ("AWS_ENDPOINT_URL", moto.url.as_str())];
    let args = image_args(&endpoint, &reference, &[]);
    let out = hullscan_aws(&args, home.path(), &env);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let mut got: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["path"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    let arn = format!("arn:aws:ecr:us-east-1:{ACCOUNT}:repository/team/app");
    assert_eq!(
        got,
        [
            format!("FS001 {reference}"),
            format!("RG001 {arn}"),
            format!("RG002 {arn}"),
            format!("RG003 {arn}"),
        ]
    );
    assert_eq!(v["repositories"][0]["tag_mutability"], "MUTABLE");

    // The same through `[registry] endpoints` in the config, with the checks skipped.
    std::fs::write(
        home.path().join(".hullscan.toml"),
        format!(
            "[registry.endpoints]\n\"{}\" = \"http://{}\"\n",
            ecr_host(),
            reg.host
        ),
    )
    .unwrap();
    let out = hullscan_aws(
        &[
            "image",
            "-f",
            "json",
            "--disable",
            "IC002,IC004,RG004",
            "--no-posture",
            &reference,
        ],
        home.path(),
        &env,
    );
    assert_eq!(common::findings(&out), ["FS001 /usr/bin/su"]);

    // Without AWS credentials the login fails, saying what was tried.
    let out = hullscan_aws(
        &[
            "image",
            "--no-config",
            "--registry-endpoint",
            &endpoint,
            &reference,
        ],
        home.path(),
        &[("AWS_ENDPOINT_URL", moto.url.as_str())],
    );
    one_line_error(
        &out,
        "no AWS credentials found for ECR; tried environment variables",
    );
}

#[test]
fn ecr_login_helper_in_the_docker_config_still_wins() {
    // A `credHelpers` entry (here a fake `docker-credential-ecr-login`) is used, and the AWS
    // API is never called: the endpoint given for it does not exist.
    let (reg, _img) = ecr_registry(ACCOUNT, "team/app", &su_image());
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let helper = bin.join("docker-credential-ecr-login");
    std::fs::write(
        &helper,
        format!("#!/bin/sh\ncat >/dev/null\necho '{{\"Username\":\"AWS\",\"Secret\":\"{ACCOUNT}-auth-token\"}}'\n"),
    )
    .unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut std::fs::metadata(&helper).unwrap().permissions(),
        0o755,
    );
    std::fs::set_permissions(&helper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::create_dir(home.path().join(".docker")).unwrap();
    std::fs::write(
        home.path().join(".docker/config.json"),
        format!("{{\"credHelpers\":{{\"{}\":\"ecr-login\"}}}}", ecr_host()),
    )
    .unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let endpoint = endpoint_arg(&ecr_host(), &reg);
    let reference = format!("{}/team/app:1", ecr_host());
    let out = hullscan_aws(
        &image_args(&endpoint, &reference, &["--no-posture"]),
        home.path(),
        &[
            ("PATH", path.as_str()),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
        ],
    );
    common::assert_su_only(&out);
}

/// Serves ECS container credentials (`AWS_CONTAINER_CREDENTIALS_FULL_URI`) on 127.0.0.1 and
/// counts the requests.
fn container_credentials(keys: [String; 3]) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/creds", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            counter.fetch_add(1, Ordering::SeqCst);
            let body = serde_json::json!({
                "AccessKeyId": keys[0], "SecretAccessKey": keys[1], "Token": keys[2],
                "Expiration": "2099-01-01T00:00:00Z",
            })
            .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, hits)
}

#[test]
fn credential_chain_environment_profile_and_container() {
    // moto checks signatures and IAM here, so only the right keys get a token.
    let (moto, admin) = Moto::start_iam();
    let keys = moto.create_user_as(
        Some(&admin),
        "puller",
        &[
            "ecr:GetAuthorizationToken",
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
        ],
    );
    let (reg, _img) = ecr_registry(ACCOUNT, "team/app", &su_image());
    let home = tempfile::tempdir().unwrap();
    let endpoint = endpoint_arg(&ecr_host(), &reg);
    let reference = format!("{}/team/app:1", ecr_host());
    let args = image_args(&endpoint, &reference, &[]);
    let api = ("AWS_ENDPOINT_URL", moto.url.as_str());

    // Environment keys. `puller` may not read repository settings: a warning, not a failure.
    let out = hullscan_aws(
        &args,
        home.path(),
        &[
            api,
            ("AWS_ACCESS_KEY_ID", &keys.0),
            ("AWS_SECRET_ACCESS_KEY", &keys.1),
        ],
    );
    common::assert_su_only(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("RG001-RG003) skipped")
            && err.contains("allow the IAM action `ecr:DescribeRepositories`"),
        "{err}"
    );

    // A named profile in AWS_CONFIG_FILE.
    let config = home.path().join("aws-config");
    std::fs::write(
        &config,
        format!(
            "[profile ci]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            keys.0, keys.1
        ),
    )
    .unwrap();
    let config_s = config.to_str().unwrap();
    let out = hullscan_aws(
        &args,
        home.path(),
        &[
            api,
            ("AWS_CONFIG_FILE", config_s),
            ("AWS_PROFILE", "ci"),
            ("HULLSCAN_LOG", "off"),
        ],
    );
    common::assert_su_only(&out);
    // The same file with a profile that does not exist: no credentials, and it says so.
    let out = hullscan_aws(
        &args,
        home.path(),
        &[api, ("AWS_CONFIG_FILE", config_s), ("AWS_PROFILE", "nope")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nope"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // ECS container credentials from the task's credentials endpoint.
    let session = moto.assume_role(
        &admin,
        &[
            "ecr:GetAuthorizationToken",
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
        ],
    );
    let (url, hits) = container_credentials(session);
    let out = hullscan_aws(
        &args,
        home.path(),
        &[api, ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.as_str())],
    );
    common::assert_su_only(&out);
    assert!(hits.load(Ordering::SeqCst) >= 1);

    // Wrong secret: refused, with what to do.
    let out = hullscan_aws(
        &args,
        home.path(),
        &[
            api,
            ("AWS_ACCESS_KEY_ID", &keys.0),
            ("AWS_SECRET_ACCESS_KEY", "wrong"),
        ],
    );
    one_line_error(
        &out,
        "AWS refused the credentials for `GetAuthorizationToken`",
    );

    // A user without ecr:GetAuthorizationToken: the missing action is named.
    let none = moto.create_user_as(Some(&admin), "nobody", &["ecr:DescribeRepositories"]);
    let out = hullscan_aws(
        &args,
        home.path(),
        &[
            api,
            ("AWS_ACCESS_KEY_ID", &none.0),
            ("AWS_SECRET_ACCESS_KEY", &none.1),
        ],
    );
    one_line_error(&out, "allow the IAM action `ecr:GetAuthorizationToken`");
}

#[test]
fn several_accounts_and_regions() {
    // Each account's registry accepts only its own token: a token per registry is fetched.
    let moto = Moto::start();
    let image = Image::new(vec![Layer::new("x").file("/app", 0o755, b"ELF")])
        .with_config(serde_json::json!({"User": "1"}));
    let home = tempfile::tempdir().unwrap();
    let env = [KEYS[0], KEYS[1], ("AWS_ENDPOINT_URL", moto.url.as_str())];
    for (account, region) in [
        ("111111111111", "eu-west-1"),
        ("222222222222", "ap-south-1"),
    ] {
        let (reg, _img) = ecr_registry(account, "app", &image);
        let host = format!("{account}.dkr.ecr.{region}.amazonaws.com");
        let endpoint = endpoint_arg(&host, &reg);
        let reference = format!("{host}/app:1");
        let out = hullscan_aws(
            &image_args(&endpoint, &reference, &["--no-posture"]),
            home.path(),
            &env,
        );
        assert_eq!(
            common::findings(&out),
            Vec::<String>::new(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn api_errors_are_one_actionable_line() {
    let home = tempfile::tempdir().unwrap();
    // Unreachable API endpoint (a closed port).
    let out = hullscan_aws(
        &["ecr-posture", "--no-config", &ecr_host()],
        home.path(),
        &[
            KEYS[0],
            KEYS[1],
            ("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:1"),
        ],
    );
    one_line_error(&out, "cannot reach the ECR API at http://127.0.0.1:1");
    // Not an ECR host.
    let out = hullscan_aws(&["ecr-posture", "--no-config", "ghcr.io"], home.path(), &[]);
    one_line_error(&out, "`ghcr.io` is not an ECR registry host");
    // A missing repository in the wrong region.
    let moto = Moto::start();
    moto.py("ecr.create_repository(repositoryName='app')");
    let (reg, _img) = ecr_registry(ACCOUNT, "app", &su_image());
    let host = format!("{ACCOUNT}.dkr.ecr.eu-north-1.amazonaws.com");
    let endpoint = endpoint_arg(&host, &reg);
    let reference = format!("{host}/app:1");
    let out = hullscan_aws(
        &[
            "image",
            "--no-config",
            "-f",
            "json",
            "--registry-endpoint",
            &endpoint,
            &reference,
        ],
        home.path(),
        &[KEYS[0], KEYS[1], ("AWS_ENDPOINT_URL", moto.url.as_str())],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("repository `app` not found in ECR registry 123456789012 in eu-north-1"),
        "{err}"
    );
}

/// The manifest text and digest of the single image in an OCI layout.
fn layout_manifest(dir: &std::path::Path) -> (String, String) {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(common::blob(dir, &digest)).unwrap();
    (text, digest)
}

#[test]
fn registry_scan_of_two_ecr_accounts_in_two_regions() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let mut endpoints = Vec::new();
    let mut hosts = Vec::new();
    let mut registries = Vec::new();
    for (account, region, hardened) in [
        ("111111111111", "eu-west-1", false),
        ("222222222222", "ap-south-1", true),
    ] {
        let image = Image::new(vec![Layer::new(account).file(
            "/app",
            0o755,
            account.as_bytes(),
        )])
        .with_config(serde_json::json!({"User": "1", "Healthcheck": {"Test": ["NONE"]}}));
        let (reg, dir) = ecr_registry(account, "app", &image);
        reg.push_as(&dir.path().join("img"), "1", "app:stable");
        let (manifest, digest) = layout_manifest(&dir.path().join("img"));
        let settings = if hardened {
            "imageTagMutability='IMMUTABLE', imageScanningConfiguration={'scanOnPush': True}, encryptionConfiguration={'encryptionType': 'KMS'}"
        } else {
            "imageTagMutability='MUTABLE'"
        };
        moto.py(&format!(
            "ecr = boto3.client('ecr', **(kw | dict(region_name='{region}')))
ecr.create_repository(registryId='{account}', repositoryName='app', {settings})
ecr.create_repository(registryId='{account}', repositoryName='other', {settings})
for tag in ['1', 'stable']:
    ecr.put_image(registryId='{account}', repositoryName='app', imageManifest={manifest:?}, imageDigest='{digest}', imageTag=tag)
"
        ));
        let host = format!("{account}.dkr.ecr.{region}.amazonaws.com");
        endpoints.push(format!("--registry-endpoint={}", endpoint_arg(&host, &reg)));
        hosts.push(host);
        registries.push((reg, dir));
    }
    let env = [KEYS[0], KEYS[1], ("AWS_ENDPOINT_URL", moto.url.as_str())];
    // `hullscan registry` over both accounts with `flags` in front.
    let batch = |flags: &[&str]| {
        let mut args = vec!["registry", "--no-config", "--no-cache"];
        args.extend_from_slice(flags);
        args.extend(endpoints.iter().map(String::as_str));
        args.extend(hosts.iter().map(String::as_str));
        hullscan_aws(&args, home.path(), &env)
    };
    let out = batch(&["-o", "out.jsonl", "--disable", "RG004"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "RG001 on the mutable repository: {err}"
    );
    let records: Vec<serde_json::Value> = std::fs::read_to_string(home.path().join("out.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut summary: Vec<String> = records
        .iter()
        .map(|r| {
            let rules: Vec<&str> = r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap())
                .collect();
            format!(
                "{} {} {}",
                r["repository"].as_str().unwrap(),
                r["tags"],
                rules.join(",")
            )
        })
        .collect();
    summary.sort();
    let mut expected = vec![
        format!("{}/app [] RG001,RG002,RG003", hosts[0]),
        format!("{}/app [\"1\",\"stable\"] ", hosts[0]),
        format!("{}/other [] RG001,RG002,RG003", hosts[0]),
        format!("{}/app [\"1\",\"stable\"] ", hosts[1]),
    ];
    expected.sort();
    assert_eq!(summary, expected, "{err}");
    // Push-date filter: nothing was pushed after 2999, so nothing was scanned: an error
    // naming the filter (issue 17), not a green run.
    let out = batch(&["--since", "2999-01-01", "--disable", "RG001,RG002,RG003"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("but no image (--since)"));
}

#[test]
fn the_deploy_iam_policy_is_enough_for_a_batch_scan() {
    let (moto, admin) = Moto::start_iam();
    let policy: serde_json::Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/deploy/iam-ecr-read-policy.json"
        ))
        .unwrap(),
    )
    .unwrap();
    // moto authorizes ECR calls against resource `*` only, so repository ARNs become `*` here;
    // the actions are the file's.
    let policy: serde_json::Value = serde_json::from_str(
        &policy
            .to_string()
            .replace("arn:aws:ecr:eu-west-1:123456789012:repository/*", "*"),
    )
    .unwrap();
    let keys = moto.create_user_with_policy(Some(&admin), "scanner", &policy);
    let image = su_image();
    let (reg, dir) = ecr_registry(ACCOUNT, "team/app", &image);
    let (manifest, digest) = layout_manifest(&dir.path().join("img"));
    moto.py_as(
        Some(&admin),
        &format!(
            "ecr = boto3.client('ecr', **(kw | dict(region_name='eu-west-1')))
ecr.create_repository(repositoryName='team/app', imageTagMutability='IMMUTABLE')
ecr.put_image(repositoryName='team/app', imageManifest={manifest:?}, imageDigest='{digest}', imageTag='1')
"
        ),
    );
    let host = format!("{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com");
    let endpoint = format!("--registry-endpoint={}", endpoint_arg(&host, &reg));
    let home = tempfile::tempdir().unwrap();
    let out = hullscan_aws(
        &[
            "registry",
            "--no-config",
            "--no-cache",
            "--disable",
            "IC002,IC004,RG004",
            &endpoint,
            &host,
        ],
        home.path(),
        &[
            ("AWS_ENDPOINT_URL", moto.url.as_str()),
            ("AWS_ACCESS_KEY_ID", &keys.0),
            ("AWS_SECRET_ACCESS_KEY", &keys.1),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains("denied") && !err.contains("could not be read"),
        "{err}"
    );
    let rules: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .flat_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        rules,
        BTreeSet::from(["FS001".into(), "RG002".into(), "RG003".into()])
    );
}
