//! What each `RUN` executes, worked out once per Dockerfile so every rule reads the same
//! answer: the commands of its scripts with wrappers seen through (`sudo`, `env`, `xargs`,
//! `timeout`, `sh -c`), `ENV`/`ARG` values and the script's own assignments expanded into the
//! words where they are known (`apt-get install $PHPIZE_DEPS` lists the packages), and the
//! directories created so far (`mkdir`, `install -d`, `WORKDIR`), so a rule can tell a
//! directory from a file.
//!
//! One pass over the file keeps the variables in scope per stage, so the cost is linear in
//! the file; expansion is capped per word and per `RUN` so a hostile file cannot amplify.

use std::collections::HashMap;

use super::expand::Vars;
use super::shell::{self, Command};
use super::{Dockerfile, Instruction, Keyword};

/// One `RUN` (or `WORKDIR`), analysed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunFacts {
    /// Every command executed, in script order, wrappers removed, known variables expanded.
    pub commands: Vec<Command>,
    /// Directories this instruction creates, absolute where the working directory is known.
    pub created_dirs: Vec<String>,
    /// For `USER` and `EXPOSE`: the arguments with `ARG`/`ENV` values substituted, and
    /// whether a variable had no known value.
    pub expanded_args: Option<super::expand::Expanded>,
    /// Values in scope of the few variables that change what a command does
    /// ([`RUN_ENV`]), as `ENV`/`ARG` left them before this `RUN`.
    pub env_in_scope: Vec<(String, String)>,
}

/// Variables whose value at `RUN` time rules consult (pip's cache, TLS switches).
pub const RUN_ENV: &[&str] = &[
    "PIP_NO_CACHE_DIR",
    "NODE_TLS_REJECT_UNAUTHORIZED",
    "GIT_SSL_NO_VERIFY",
    "PYTHONHTTPSVERIFY",
    "NPM_CONFIG_STRICT_SSL",
];

/// Longest word an expansion may produce; longer ones keep their unexpanded text.
const MAX_WORD: usize = 64 << 10;
/// Most words one `RUN` may hold after expansion; past it, words stay unexpanded.
const MAX_WORDS: usize = 50_000;
/// Most bytes expansion may add to one `RUN`; past it, words stay unexpanded.
const MAX_ADDED: usize = 8 << 20;

/// Analyses every `RUN` and `WORKDIR`; the result is aligned with `df.instructions`.
pub(crate) fn analyse(df: &Dockerfile) -> Vec<Option<RunFacts>> {
    let mut out: Vec<Option<RunFacts>> = vec![None; df.instructions.len()];
    let mut globals = Vars::default();
    for (k, v) in &df.global_args {
        globals.set(k, v.clone());
    }
    // Variables and working directory at the end of each stage, for stages built on it.
    let mut ends: Vec<(Vars, String)> = Vec::with_capacity(df.stages.len());
    for stage in &df.stages {
        let (mut vars, mut cwd) = stage
            .parent
            .and_then(|p| ends.get(p))
            .cloned()
            .unwrap_or_else(|| (Vars::default(), "/".to_string()));
        let end = stage.last.min(df.instructions.len().saturating_sub(1));
        for (idx, ins) in df
            .instructions
            .iter()
            .enumerate()
            .take(end + 1)
            .skip(stage.first)
        {
            super::apply_scope(&mut vars, &globals, ins);
            match ins.keyword {
                Keyword::Workdir => {
                    let e = vars.expand(ins.args.trim());
                    if !e.unresolved && !e.text.is_empty() {
                        cwd = join(&cwd, &e.text);
                        out[idx] = Some(RunFacts {
                            created_dirs: vec![cwd.clone()],
                            ..RunFacts::default()
                        });
                    }
                }
                Keyword::Run => out[idx] = Some(run_facts(ins, &vars, &cwd)),
                Keyword::User | Keyword::Expose => {
                    out[idx] = Some(RunFacts {
                        expanded_args: Some(vars.expand(ins.args.trim())),
                        ..RunFacts::default()
                    });
                }
                _ => {}
            }
        }
        ends.push((vars, cwd));
    }
    out
}

/// Analyses one `RUN` without knowing its variables (an `ONBUILD` trigger, say).
pub(crate) fn run_facts_unscoped(ins: &Instruction) -> RunFacts {
    run_facts(ins, &Vars::default(), "/")
}

fn run_facts(ins: &Instruction, vars: &Vars, cwd: &str) -> RunFacts {
    let mut facts = RunFacts {
        env_in_scope: RUN_ENV
            .iter()
            .filter_map(|k| Some(((*k).to_string(), vars.get(k)??.to_string())))
            .collect(),
        ..RunFacts::default()
    };
    // The script's own assignments (`deps='gcc make'; apt-get install $deps`), over `vars`.
    let mut local: HashMap<String, String> = HashMap::new();
    let mut cwd = cwd.to_string();
    let mut budget = Budget {
        words: MAX_WORDS,
        bytes: MAX_ADDED,
    };
    for script in ins.scripts() {
        for c in shell::all_commands(&script.text) {
            let mut c = expand_command(c, vars, &local, &mut budget);
            for (k, v) in &c.env {
                if c.words.is_empty() {
                    local.insert(k.clone(), v.clone());
                }
            }
            if matches!(
                c.name(),
                "export" | "declare" | "local" | "readonly" | "typeset"
            ) {
                for a in c.args() {
                    if let Some((k, v)) = a.split_once('=')
                        && is_name(k)
                    {
                        local.insert(k.to_string(), v.to_string());
                    }
                }
            }
            c = c.effective();
            match c.name() {
                "cd" => {
                    if let Some(d) = c.args().iter().find(|a| !a.starts_with('-')) {
                        cwd = join(&cwd, d);
                    }
                }
                "mkdir" => facts.created_dirs.extend(
                    c.args()
                        .iter()
                        .filter(|a| !a.starts_with('-'))
                        .map(|a| join(&cwd, a)),
                ),
                "install" if c.has_flag(&["-d", "--directory"]) || c.has_short('d') => {
                    facts
                        .created_dirs
                        .extend(install_operands(&c).into_iter().map(|a| join(&cwd, a)));
                }
                _ => {}
            }
            facts.commands.push(c);
        }
    }
    facts
}

/// The operands of `install` (its options and their values skipped).
pub(crate) fn install_operands(c: &Command) -> Vec<&str> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in c.args() {
        if skip {
            skip = false;
            continue;
        }
        if a.starts_with("--") {
            // `--mode 755`, `--owner root`: long options with a separate value.
            skip = !a.contains('=')
                && matches!(
                    a.as_str(),
                    "--mode"
                        | "--owner"
                        | "--group"
                        | "--suffix"
                        | "--target-directory"
                        | "--context"
                        | "--strip-program"
                );
            continue;
        }
        if let Some(opts) = a.strip_prefix('-')
            && !opts.is_empty()
        {
            // `-m 755` takes the next word unless attached (`-m755`), as in `-Dm755`.
            if let Some(pos) = opts.find(['m', 'o', 'g', 'S', 't']) {
                skip = pos == opts.len() - 1;
            }
            continue;
        }
        out.push(a.as_str());
    }
    out
}

/// `path` made absolute against `cwd` (`.` and `..` kept simple), or as written when it
/// holds a variable.
fn join(cwd: &str, path: &str) -> String {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return "/".to_string();
    }
    if path.starts_with('/') || path.contains('$') {
        return path.to_string();
    }
    let mut parts: Vec<&str> = cwd.split('/').filter(|p| !p.is_empty()).collect();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn is_name(k: &str) -> bool {
    !k.is_empty()
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !k.starts_with(|c: char| c.is_ascii_digit())
}

/// Expands known variables in a command's words. A word that is exactly one variable
/// (`$DEPS`, `${DEPS}`) splits on whitespace, as an unquoted expansion does; a variable inside
/// a word is substituted in place; unknown variables keep their text.
/// What expansion may still add to one `RUN`.
struct Budget {
    words: usize,
    bytes: usize,
}

fn expand_command(
    mut c: Command,
    vars: &Vars,
    local: &HashMap<String, String>,
    budget: &mut Budget,
) -> Command {
    let lookup = |name: &str| -> Option<String> {
        local
            .get(name)
            .cloned()
            .or_else(|| vars.get(name).flatten().map(str::to_string))
    };
    let mut words = Vec::with_capacity(c.words.len());
    for w in std::mem::take(&mut c.words) {
        if !w.contains('$') || budget.words == 0 || budget.bytes == 0 {
            words.push(w);
            continue;
        }
        if let Some(name) = whole_var(&w)
            && let Some(v) = lookup(name)
        {
            if v.len() <= MAX_WORD && v.len() <= budget.bytes {
                let split: Vec<String> = v.split_whitespace().map(str::to_string).collect();
                if split.len() <= budget.words {
                    budget.words -= split.len();
                    budget.bytes -= v.len();
                    words.extend(split);
                    continue;
                }
            }
            words.push(w);
            continue;
        }
        let e = substitute(&w, &lookup);
        budget.words = budget.words.saturating_sub(1);
        if e.len() <= MAX_WORD && e.len() <= budget.bytes {
            budget.bytes -= e.len();
            words.push(e);
        } else {
            words.push(w);
        }
    }
    c.words = words;
    for (_, v) in &mut c.env {
        if v.contains('$') {
            let e = substitute(v, &lookup);
            if e.len() <= MAX_WORD {
                *v = e;
            }
        }
    }
    c
}

/// The name in `$NAME` or `${NAME}` when that is the whole word.
fn whole_var(w: &str) -> Option<&str> {
    let name = w
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| w.strip_prefix('$'))?;
    is_name(name).then_some(name)
}

/// Replaces `$NAME` and `${NAME}` whose value is known; everything else stays as written.
fn substitute(w: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(w.len());
    let mut rest = w;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, len) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let n = after
                .char_indices()
                .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
                .count();
            (&after[..n], n)
        };
        match (is_name(name), len > 0) {
            (true, true) => match lookup(name) {
                Some(v) if out.len() + v.len() <= MAX_WORD => out.push_str(&v),
                _ => out.push_str(&rest[pos..=pos + len]),
            },
            _ => out.push('$'),
        }
        rest = &rest[pos + 1 + if is_name(name) { len } else { 0 }..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::parse;

    fn words(src: &str) -> Vec<String> {
        let df = parse(src).unwrap();
        let last = df.instructions.len() - 1;
        df.run_facts(&df.instructions[last])
            .commands
            .iter()
            .map(|c| c.words.join(" "))
            .collect()
    }

    #[test]
    fn env_lists_expand_into_words() {
        let w = words("FROM debian:12\nENV DEPS=\"gcc make\"\nRUN apt-get install -y $DEPS curl\n");
        assert_eq!(w, ["apt-get install -y gcc make curl"]);
        let w = words("FROM debian:12\nARG V=1.2\nRUN curl -o /tmp/x-${V}.tgz u\n");
        assert_eq!(w, ["curl -o /tmp/x-1.2.tgz u"]);
    }

    #[test]
    fn script_assignments_expand_later_words() {
        let w = words(
            "FROM debian:12\nRUN deps='gcc make'; apt-get install $deps && export X=a && echo $X\n",
        );
        assert_eq!(w, ["", "apt-get install gcc make", "export X=a", "echo a"]);
    }

    #[test]
    fn unknown_variables_keep_their_text() {
        let w = words("FROM debian:12\nARG NOVAL\nRUN echo $NOVAL ${OTHER} $5 $$\n");
        assert_eq!(w, ["echo $NOVAL ${OTHER} $5 $$"]);
    }

    #[test]
    fn wrappers_are_seen_through() {
        let w = words(
            "FROM debian:12\nRUN cat pkgs | xargs -r -n 1 apt-get install -y && timeout -s KILL 10 make\n",
        );
        assert_eq!(w, ["cat pkgs", "apt-get install -y", "make"]);
    }

    #[test]
    fn directories_are_tracked() {
        let df = parse("FROM debian:12\nWORKDIR /app\nRUN mkdir -p data /srv/x && install -d -m 2775 -o a logs && install -m 755 tool /usr/bin/tool\n").unwrap();
        let f = df.run_facts(&df.instructions[2]);
        assert_eq!(f.created_dirs, ["/app/data", "/srv/x", "/app/logs"]);
        assert!(df.dir_created_before(2, "/app"));
        assert!(df.dir_created_before(2, "/app/logs/"));
        assert!(!df.dir_created_before(2, "/usr/bin/tool"));
    }

    #[test]
    fn expansion_is_capped() {
        let big = "x ".repeat(40_000);
        let src = format!("FROM debian:12\nENV A=\"{big}\"\nRUN echo $A $A $A $A\n");
        let w = words(&src);
        let n: usize = w.iter().map(|s| s.split(' ').count()).sum();
        assert!(n < 60_000, "{n}");
    }
}
