//! TD017 `container-shell-missing`. Docs, level and peers: `rules/TD017.toml`.

use crate::ecs::Launch;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a container whose process or health check runs a shell its image does not have:
/// `entryPoint` (or `command` when neither sets an entrypoint) starting with one, a
/// `CMD-SHELL` health check (`/bin/sh -c`), or a `CMD` health check running one. Silent when
/// the scan cannot tell (a shell outside the search path, a `PATH` the task overrides).
pub(crate) fn check(l: &Launch<'_>, _cx: &RuleContext<'_>, out: &mut Findings) {
    if l.td.is_windows() {
        return;
    }
    let c = l.container;
    let path_overridden = c.env_names.iter().any(|n| n == "PATH");
    // The program the container starts: entryPoint's, else command's when no entrypoint
    // (the task's or the image's) takes command as its arguments.
    let process = match (&c.entry_point, &c.command) {
        (Some(ep), _) if !ep.is_empty() => Some(("entryPoint", ep)),
        (None, Some(cmd)) if !c.has("entryPoint") && !l.exec.entrypoint => Some(("command", cmd)),
        _ => None,
    };
    let mut missing = |field: &str, program: &str, what: String| {
        if path_overridden && !program.contains('/') {
            return;
        }
        if l.exec.has_shell(program) == Some(false) {
            let has = if l.exec.shells.is_empty() {
                "it has no shell".to_string()
            } else {
                format!("it has `{}`", l.exec.shells.join("`, `"))
            };
            out.push(
                Finding::new(
                    RuleId::TD017,
                    format!(
                        "{what} `{program}`, which image `{}` does not have ({has})",
                        l.image
                    ),
                )
                .at_task_definition(l.td, &c.field(field))
                .evidence("program", program.to_string()),
            );
        }
    };
    let who = super::who(l.td, c);
    if let Some((field, argv)) = process
        && let Some(program) = argv.first()
    {
        missing(field, program, format!("{who} starts (`{field}`)"));
    }
    if let Some(test) = &c.health_check {
        match test.first().map(String::as_str) {
            Some("CMD-SHELL") => missing(
                "healthCheck",
                "/bin/sh",
                format!("the `CMD-SHELL` health check of {who} runs"),
            ),
            Some("CMD") => {
                if let Some(program) = test.get(1) {
                    missing(
                        "healthCheck",
                        program,
                        format!("the health check of {who} runs"),
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ecs::Launch;
    use crate::image::exec::Exec;
    use crate::rules::{Findings, RuleContext};

    fn run(fields: &str, exec: &Exec) -> Vec<String> {
        let key = crate::secrets::Key::derive(b"test");
        let json = super::super::testing::one(fields);
        let tds = crate::ecs::parse("task.json", &json, &key)
            .expect("task definition")
            .tasks;
        let mut out = Findings::default();
        let c = &tds[0].containers[0];
        let l = Launch {
            td: &tds[0],
            container: c,
            image: "app:1",
            exec,
        };
        super::check(&l, &RuleContext::default(), &mut out);
        out.0.into_iter().map(|f| f.message).collect()
    }

    fn distroless() -> Exec {
        Exec {
            path: vec!["/usr/bin".into(), "/bin".into()],
            shells: Vec::new(),
            entrypoint: false,
        }
    }

    fn alpine() -> Exec {
        Exec {
            path: vec!["/usr/bin".into(), "/bin".into()],
            shells: vec!["/bin/ash".into(), "/bin/sh".into()],
            entrypoint: false,
        }
    }

    #[test]
    fn shell_health_check_on_distroless() {
        let f = run(
            r#""healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]}"#,
            &distroless(),
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].contains("`/bin/sh`") && f[0].contains("no shell"),
            "{f:?}"
        );
    }

    #[test]
    fn bash_on_alpine() {
        let f = run(
            r#""entryPoint": ["bash", "-c"], "command": ["./run"]"#,
            &alpine(),
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].contains("`bash`") && f[0].contains("`/bin/sh`"),
            "{f:?}"
        );
        let f = run(r#""command": ["/bin/bash", "-c", "./run"]"#, &alpine());
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn silent_when_the_shell_is_there_or_not_run() {
        let cases = [
            r#""healthCheck": {"command": ["CMD-SHELL", "true"]}"#,
            r#""entryPoint": ["sh", "-c"], "command": ["./run"]"#,
            // Not a shell: not this rule's question.
            r#""entryPoint": ["/app/server"]"#,
            // Outside the search path: unknown.
            r#""command": ["/opt/bin/bash"]"#,
            // The task sets its own PATH.
            r#""command": ["bash"], "environment": [{"name": "PATH", "value": "/opt"}]"#,
        ];
        for c in cases {
            assert!(run(c, &alpine()).is_empty(), "{c}");
        }
        // An image entrypoint takes command as its arguments.
        let exec = Exec {
            entrypoint: true,
            ..distroless()
        };
        assert!(run(r#""command": ["sh", "-c", "x"]"#, &exec).is_empty());
        // A non-literal entryPoint: unknown, so command is not judged either.
        assert!(
            run(
                r#""entryPoint": [{"Ref": "X"}], "command": ["bash"]"#,
                &distroless()
            )
            .is_empty()
        );
    }
}
