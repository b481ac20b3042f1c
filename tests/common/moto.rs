//! A local AWS API for ECR tests: moto server (`pip install 'moto[server]'`) started on a free
//! 127.0.0.1 port and killed when dropped. State is set up with boto3 (moto's own dependency)
//! from short Python snippets, as a user would with the AWS CLI.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct Moto {
    child: Child,
    pub url: String,
}

/// The account moto serves by default; its ECR tokens are `AWS:<account>-auth-token`.
pub const ACCOUNT: &str = "123456789012";

impl Moto {
    /// Starts moto with no authentication: any keys are accepted.
    pub fn start() -> Moto {
        Self::start_with(&[])
    }

    /// Starts moto enforcing IAM after the first three requests, which create an `admin` user
    /// allowed everything; returns moto and admin's keys. Later setup uses those keys.
    pub fn start_iam() -> (Moto, (String, String)) {
        let moto = Self::start_with(&[("INITIAL_NO_AUTH_ACTION_COUNT", "3")]);
        let keys = moto.create_user("admin", &["*"]);
        (moto, keys)
    }

    fn start_with(env: &[(&str, &str)]) -> Moto {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with moto[server] is needed (pip install 'moto[server]')");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_mins(1);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not start on {url}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { child, url }
    }

    /// Runs Python with `ecr`, `iam` and `json` bound (boto3 clients for us-east-1 using
    /// `keys`, or dummy keys); panics with Python's output on failure.
    pub fn py_as(&self, keys: Option<&(String, String)>, script: &str) -> String {
        let (a, s) = keys.map_or(("test", "test"), |(a, s)| (a.as_str(), s.as_str()));
        let prelude = format!(
            "import boto3, json\nkw = dict(endpoint_url='{}', region_name='us-east-1', aws_access_key_id='{a}', aws_secret_access_key='{s}')\necr = boto3.client('ecr', **kw)\niam = boto3.client('iam', **kw)\n",
            self.url
        );
        let out = Command::new("python3")
            .arg("-c")
            .arg(format!("{prelude}{script}"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// [`Moto::py_as`] with dummy keys.
    pub fn py(&self, script: &str) -> String {
        self.py_as(None, script)
    }

    /// Creates an IAM user allowed `actions` and returns its access keys.
    pub fn create_user(&self, name: &str, actions: &[&str]) -> (String, String) {
        self.create_user_as(None, name, actions)
    }

    /// [`Moto::create_user`], made by the user with `keys`.
    pub fn create_user_as(
        &self,
        keys: Option<&(String, String)>,
        name: &str,
        actions: &[&str],
    ) -> (String, String) {
        let policy = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
        });
        self.create_user_with_policy(keys, name, &policy)
    }

    /// Creates an IAM user with `policy` as its inline policy, made by the user with `keys`.
    pub fn create_user_with_policy(
        &self,
        keys: Option<&(String, String)>,
        name: &str,
        policy: &serde_json::Value,
    ) -> (String, String) {
        let out = self.py_as(
            keys,
            &format!(
                "iam.create_user(UserName='{name}')\niam.put_user_policy(UserName='{name}', PolicyName='p', PolicyDocument='{policy}')\nk = iam.create_access_key(UserName='{name}')['AccessKey']\nprint(k['AccessKeyId'], k['SecretAccessKey'])\n"
            ),
        );
        let (a, s) = out.trim().split_once(' ').unwrap();
        (a.to_string(), s.to_string())
    }
}

impl Moto {
    /// Creates a role allowed `actions`, assumes it with `keys` and returns the session's
    /// key id, secret and token (what ECS serves a task).
    pub fn assume_role(&self, keys: &(String, String), actions: &[&str]) -> [String; 3] {
        let policy = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
        });
        let trust = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
        });
        let out = self.py_as(
            Some(keys),
            &format!(
                "iam.create_role(RoleName='task', AssumeRolePolicyDocument='{trust}')\niam.put_role_policy(RoleName='task', PolicyName='p', PolicyDocument='{policy}')\nsts = boto3.client('sts', **kw)\nc = sts.assume_role(RoleArn='arn:aws:iam::{ACCOUNT}:role/task', RoleSessionName='hullscan-test')['Credentials']\nprint(c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken'])\n"
            ),
        );
        let parts: Vec<String> = out.split_whitespace().map(str::to_string).collect();
        [parts[0].clone(), parts[1].clone(), parts[2].clone()]
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs hullscan with a clean AWS environment: no inherited `AWS_*` variables, a `HOME` with
/// no `~/.aws` or docker config, instance metadata off (no traffic leaves 127.0.0.1), the
/// region us-east-1, then `env` on top.
pub fn hullscan_aws(args: &[&str], home: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hullscan"));
    cmd.args(args).current_dir(home).env_clear();
    for keep in ["PATH", "TMPDIR", "LANG"] {
        if let Some(v) = std::env::var_os(keep) {
            cmd.env(keep, v);
        }
    }
    cmd.env("HOME", home)
        .env("NO_COLOR", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.join("no-aws-credentials"),
        )
        .env("AWS_REGION", "us-east-1")
        .envs(env.iter().copied());
    cmd.output().unwrap()
}
