//! DF012 `chmod-setuid`. Docs, level and peers: `rules/DF012.toml`.

use crate::dockerfile::analysis::install_operands;
use crate::dockerfile::shell::Command;
use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports `chmod`, `install -m` and `COPY`/`ADD --chmod` that make a *file* setuid or
/// setgid, in any stage: `COPY --from` keeps mode bits, so a builder's setuid file can reach
/// the final image. On a directory the bits grant nothing (setgid only makes new files
/// inherit the group, which is why shared data directories use it), so targets the file
/// itself creates as directories (`mkdir`, `install -d`, `WORKDIR`, a trailing `/`) pass.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in &df.instructions {
        if matches!(ins.keyword, Keyword::Copy | Keyword::Add)
            && let Some(mode) = ins.flag("chmod")
            && let Some(bits) = special_bits(mode)
        {
            let kw = ins.keyword.as_str();
            out.push(
                Finding::new(
                    RuleId::DF012,
                    format!("`{kw} --chmod={mode}` sets the {bits}"),
                )
                .at(ins)
                .evidence("mode", mode),
            );
        }
    }
    for (idx, ins) in df.instructions.iter().enumerate() {
        if ins.keyword != Keyword::Run {
            continue;
        }
        let facts = df.run_facts(ins);
        let is_dir = |p: &str| {
            p.ends_with('/')
                || p == "."
                || p == ".."
                || facts
                    .created_dirs
                    .iter()
                    .any(|d| d == p.trim_end_matches('/'))
                || df.dir_created_before(idx, p)
        };
        if let Some((cmd, mode, bits)) = facts.commands.iter().find_map(|c| setuid_mode(c, &is_dir))
        {
            out.push(
                Finding::new(RuleId::DF012, format!("`{cmd} {mode}` sets the {bits}"))
                    .at(ins)
                    .evidence("mode", mode),
            );
        }
    }
}

/// `chmod`/`install` that set an effective special bit on something that may be a file.
fn setuid_mode(
    c: &Command,
    is_dir: &dyn Fn(&str) -> bool,
) -> Option<(String, String, &'static str)> {
    let (mode, targets, recursive) = match c.name() {
        "chmod" => {
            let mut mode = None;
            let mut targets = Vec::new();
            let mut recursive = false;
            for a in c.args() {
                if mode.is_none() && (!a.starts_with('-') || is_symbolic(a)) {
                    mode = Some(a.clone());
                } else if a.starts_with('-') {
                    recursive |= a == "--recursive" || (!a.starts_with("--") && a.contains('R'));
                } else {
                    targets.push(a.as_str());
                }
            }
            (mode?, targets, recursive)
        }
        "install" => {
            // `install -d` makes directories: the bits grant nothing there.
            if c.has_flag(&["-d", "--directory"]) || c.has_short('d') {
                return None;
            }
            (install_mode(c)?, install_operands(c), false)
        }
        _ => return None,
    };
    let bits = special_bits(&mode)?;
    // No operand: the paths come from elsewhere (`find … -type d | xargs chmod g+s`), so
    // only setuid, pointless on directories, says a file is meant.
    if targets.is_empty() && !bits.contains("setuid") {
        return None;
    }
    // Recursive setgid on a tree is the shared-directory idiom; setuid is never that.
    let all_dirs = !targets.is_empty() && targets.iter().all(|t| is_dir(t));
    if all_dirs && !(recursive && bits.contains("setuid")) {
        return None;
    }
    if bits == "setgid bit" && !targets.is_empty() && targets.iter().all(|t| is_data_dir(t)) {
        return None;
    }
    Some((c.name().to_string(), mode, bits))
}

/// The mode of `install -m MODE`, `-mMODE`, `--mode=MODE` or `--mode MODE`.
fn install_mode(c: &Command) -> Option<String> {
    let args = c.args();
    for (i, a) in args.iter().enumerate() {
        if let Some(m) = a.strip_prefix("--mode=") {
            return Some(m.to_string());
        }
        if a == "--mode" {
            return args.get(i + 1).cloned();
        }
        if let Some(opts) = a.strip_prefix('-')
            && !a.starts_with("--")
            && let Some(pos) = opts.find('m')
        {
            let rest = &opts[pos + 1..];
            return if rest.is_empty() {
                args.get(i + 1).cloned()
            } else {
                Some(rest.to_string())
            };
        }
    }
    None
}

/// Paths that are directories in every distribution layout: setgid there is the
/// shared-group idiom, not a privilege.
fn is_data_dir(p: &str) -> bool {
    [
        "/var/run/",
        "/run/",
        "/var/lib/",
        "/var/log/",
        "/var/cache/",
        "/var/spool/",
        "/var/mail",
        "/var/www",
        "/home/",
        "/srv/",
        "/data",
        "/tmp",
        "/var/tmp",
    ]
    .iter()
    .any(|d| p.starts_with(d))
}

/// `-s` style arguments are symbolic modes to chmod (`chmod -s f` clears bits).
fn is_symbolic(a: &str) -> bool {
    a.len() > 1 && a[1..].chars().all(|c| "rwxXst".contains(c))
}

/// Which special bits an octal or symbolic mode makes effective on a file: setuid needs an
/// execute bit, setgid needs group execute (without it Linux ignores the bit: the old
/// mandatory-locking marker). Symbolic modes are taken as effective.
fn special_bits(mode: &str) -> Option<&'static str> {
    let (user_bit, group_bit) = if !mode.is_empty() && mode.chars().all(|c| c.is_digit(8)) {
        let m = u32::from_str_radix(mode, 8).ok()?;
        (m & 0o4000 != 0 && m & 0o111 != 0, m & 0o2010 == 0o2010)
    } else {
        let mut user_bit = false;
        let mut group_bit = false;
        for clause in mode.split(',') {
            let Some(op_at) = clause.find(['+', '=']) else {
                continue;
            };
            if !clause[op_at..].contains('s') {
                continue;
            }
            let who = &clause[..op_at];
            user_bit |= who.is_empty() || who.contains('u') || who.contains('a');
            group_bit |= who.is_empty() || who.contains('g') || who.contains('a');
        }
        (user_bit, group_bit)
    };
    match (user_bit, group_bit) {
        (true, true) => Some("setuid and setgid bits"),
        (true, false) => Some("setuid bit"),
        (false, true) => Some("setgid bit"),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn octal_and_symbolic() {
        insta::assert_snapshot!(render(check, "FROM a:1\nRUN chmod 4755 /usr/local/bin/tool\n"), @"2: `chmod 4755` sets the setuid bit");
        for m in ["u+s", "g+s", "+s", "a=rwxs", "2755", "-R 6755", "u=rwx,g+s"] {
            assert_eq!(
                lines(check, &format!("FROM a:1\nRUN chmod {m} /usr/bin/x\n")),
                [2],
                "{m}"
            );
        }
        for m in ["-m 4755", "-m4755", "-Dm4755", "--mode=4755", "--mode 2755"] {
            assert_eq!(
                lines(
                    check,
                    &format!("FROM a:1\nRUN install {m} tool /usr/bin/tool\n")
                ),
                [2],
                "{m}"
            );
        }
    }

    #[test]
    fn clearing_plain_and_ineffective_modes_pass() {
        let src = "FROM a:1\nRUN chmod a-s /usr/bin/* && chmod 0755 /x && chmod 1777 /tmp && chmod -R u+rwX /app\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +\n";
        assert!(lines(check, src).is_empty());
        // setgid without group execute and setuid without any execute bit grant nothing.
        assert!(lines(check, "FROM a:1\nRUN chmod 2644 /x && chmod 4644 /y\n").is_empty());
        // `o+s` has no effect.
        assert!(lines(check, "FROM a:1\nRUN chmod o+s /x\n").is_empty());
    }

    #[test]
    fn directories_pass() {
        for run in [
            "install -d -m 3777 /var/run/postgresql",
            "install --verbose --directory --owner p --group p --mode 3777 /run/pg",
            "mkdir -p /opt/npm && chmod g+s /opt/npm",
            "mkdir -p \"$NPM\" && chmod g+s \"$NPM\"",
            "chmod 2777 /shared/",
            "chmod g+s .",
            "chmod 2775 /var/lib/app",
            "chmod -R g+s /home/dev",
            "find /usr/local/rvm -type d | xargs -n 1 chmod g+s",
        ] {
            assert!(
                lines(
                    check,
                    &format!("FROM a:1\nENV NPM=/usr/local/share/npm-global\nRUN {run}\n")
                )
                .is_empty(),
                "{run}"
            );
        }
        // Created by an earlier RUN or WORKDIR of the same lineage.
        let src = "FROM a:1 AS base\nWORKDIR /app\nRUN mkdir /opt/x\nFROM base\nRUN chmod 2775 /app /opt/x\n";
        assert!(lines(check, src).is_empty());
        // A directory in another, unrelated stage does not count.
        let src = "FROM a:1 AS other\nRUN mkdir /opt/x\nFROM a:1\nRUN chmod 4755 /opt/x\n";
        assert_eq!(lines(check, src), [4]);
        // Recursive setuid over a tree still makes its files setuid.
        assert_eq!(
            lines(check, "FROM a:1\nRUN mkdir /d && chmod -R u+s /d\n"),
            [2]
        );
    }

    #[test]
    fn copy_and_add_chmod() {
        insta::assert_snapshot!(render(check, "FROM a:1\nCOPY --chmod=4755 tool /usr/bin/tool\n"), @"2: `COPY --chmod=4755` sets the setuid bit");
        assert_eq!(
            lines(check, "FROM a:1\nADD --chmod=u+s tool /usr/bin/tool\n"),
            [2]
        );
        assert!(lines(check, "FROM a:1\nCOPY --chmod=755 tool /usr/bin/tool\n").is_empty());
    }
}
