//! DF012 `chmod-setuid`. Docs, level and peers: `rules/DF012.toml`.

use super::{all_runs, run_commands};
use crate::dockerfile::Dockerfile;
use crate::dockerfile::shell::Command;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports `chmod` or `install -m` that sets the setuid or setgid bit, in any stage:
/// `COPY --from` keeps mode bits, so a builder's setuid file can reach the final image.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in all_runs(df) {
        if let Some((cmd, mode)) = run_commands(ins).iter().find_map(setuid_mode) {
            out.push(
                Finding::new(
                    RuleId::DF012,
                    format!("`{cmd} {mode}` sets the setuid/setgid bit"),
                )
                .at(ins)
                .evidence("mode", mode),
            );
        }
    }
}

fn setuid_mode(c: &Command) -> Option<(String, String)> {
    let mode = match c.name() {
        "chmod" => c
            .args()
            .iter()
            .find(|a| !a.starts_with('-') || is_symbolic(a))?
            .clone(),
        "install" => {
            let args = c.args();
            let i = args.iter().position(|a| a == "-m" || a == "--mode")?;
            args.get(i + 1)?.clone()
        }
        _ => return None,
    };
    sets_special(&mode).then(|| (c.name().to_string(), mode))
}

/// `-s` style arguments are symbolic modes to chmod (`chmod -s f` clears bits).
fn is_symbolic(a: &str) -> bool {
    a.len() > 1 && a[1..].chars().all(|c| "rwxXst".contains(c))
}

/// True if an octal or symbolic mode adds setuid or setgid.
fn sets_special(mode: &str) -> bool {
    if mode.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(mode, 8).is_ok_and(|m| m & 0o6000 != 0);
    }
    mode.split(',').any(|clause| {
        let Some(op_at) = clause.find(['+', '=']) else {
            return false;
        };
        clause[op_at..].contains('s')
    })
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn octal_and_symbolic() {
        insta::assert_snapshot!(render(check, "FROM a:1\nRUN chmod 4755 /usr/local/bin/tool\n"), @"2: `chmod 4755` sets the setuid/setgid bit");
        for m in ["u+s", "g+s", "+s", "a=rwxs", "2755", "-R 6755", "u=rwx,g+s"] {
            assert_eq!(
                lines(check, &format!("FROM a:1\nRUN chmod {m} /x\n")),
                [2],
                "{m}"
            );
        }
        assert_eq!(
            lines(check, "FROM a:1\nRUN install -m 4755 tool /usr/bin/tool\n"),
            [2]
        );
    }

    #[test]
    fn clearing_and_plain_modes_pass() {
        let src = "FROM a:1\nRUN chmod a-s /usr/bin/* && chmod 0755 /x && chmod 1777 /tmp && chmod -R u+rwX /app\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +\n";
        assert!(lines(check, src).is_empty());
    }
}
