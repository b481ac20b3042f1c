//! Just enough POSIX shell to lint `RUN`: splits a script into pipelines of simple commands,
//! honouring quotes, escapes, comments, redirections and `$(...)`/`` `...` ``/`<(...)`
//! substitutions, whose contents (and `sh -c` arguments) are analysed as scripts too.
//! It does not evaluate anything; control-flow keywords are stepped over.

use std::fmt::Write as _;

/// A simple command: its words after leading `VAR=value` assignments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// Leading environment assignments (`FOO=bar cmd`).
    pub env: Vec<(String, String)>,
    /// The command name and its arguments, quotes removed.
    pub words: Vec<String>,
    /// Raw texts of command and process substitutions inside the words.
    pub subs: Vec<String>,
}

/// Commands joined by `|`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pipeline {
    /// The commands, left to right.
    pub commands: Vec<Command>,
}

const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time",
];

impl Command {
    /// The command name with any directory removed (`/usr/bin/curl` is `curl`).
    #[must_use]
    pub fn name(&self) -> &str {
        self.words.first().map_or("", |w| basename(w))
    }

    /// The command run underneath wrappers such as `sudo`, `env`, `exec`, `nohup`.
    #[must_use]
    pub fn effective(&self) -> Command {
        let mut words: &[String] = &self.words;
        let mut env = self.env.clone();
        while let Some(first) = words.first() {
            match basename(first) {
                "sudo" | "doas" | "su-exec" | "gosu" => {
                    // Skip the wrapper's own options (and a user argument for gosu/su-exec).
                    let takes_user = matches!(basename(first), "gosu" | "su-exec");
                    words = &words[1..];
                    while words.first().is_some_and(|w| w.starts_with('-')) {
                        let opt = &words[0];
                        words = &words[1..];
                        if matches!(opt.as_str(), "-u" | "-g" | "-C" | "-D" | "-h" | "-p") {
                            words = words.get(1..).unwrap_or_default();
                        }
                    }
                    if takes_user {
                        words = words.get(1..).unwrap_or_default();
                    }
                }
                "env" => {
                    words = &words[1..];
                    while let Some(w) = words.first() {
                        if w.starts_with('-') {
                            words = &words[1..];
                        } else if let Some((k, v)) = assignment(w) {
                            env.push((k, v));
                            words = &words[1..];
                        } else {
                            break;
                        }
                    }
                }
                "exec" | "nohup" | "command" | "builtin" | "eatmydata" | "fakeroot" | "chronic" => {
                    words = &words[1..];
                }
                // Wrappers whose own options come first; some take a value.
                "nice" | "stdbuf" | "ionice" | "setsid" | "time" => {
                    words = &words[1..];
                    while let Some(w) = words.first().filter(|w| w.starts_with('-')) {
                        let takes = matches!(w.as_str(), "-n" | "-c" | "-i" | "-o" | "-e");
                        words = &words[1..];
                        if takes {
                            words = words.get(1..).unwrap_or_default();
                        }
                    }
                }
                // `timeout [-s SIG] [-k DUR] DURATION CMD`.
                "timeout" => {
                    words = &words[1..];
                    while let Some(w) = words.first().filter(|w| w.starts_with('-')) {
                        let takes = matches!(w.as_str(), "-s" | "-k" | "--signal" | "--kill-after");
                        words = &words[1..];
                        if takes {
                            words = words.get(1..).unwrap_or_default();
                        }
                    }
                    words = words.get(1..).unwrap_or_default();
                }
                // `... | xargs [opts] CMD ARGS`: CMD runs with the piped words appended.
                "xargs" => {
                    words = &words[1..];
                    while let Some(w) = words.first().filter(|w| w.starts_with('-')) {
                        let takes = matches!(
                            w.as_str(),
                            "-a" | "-d"
                                | "-E"
                                | "-I"
                                | "-L"
                                | "-n"
                                | "-P"
                                | "-s"
                                | "--arg-file"
                                | "--delimiter"
                                | "--max-lines"
                                | "--max-args"
                                | "--max-procs"
                                | "--max-chars"
                                | "--process-slot-var"
                        );
                        words = &words[1..];
                        if takes {
                            words = words.get(1..).unwrap_or_default();
                        }
                    }
                    if words.is_empty() {
                        break; // bare `xargs` runs `echo`
                    }
                }
                _ => break,
            }
        }
        Command {
            env,
            words: words.to_vec(),
            subs: self.subs.clone(),
        }
    }

    /// The script file this command runs, if it runs one: `bash install.sh`, `sh -e x`,
    /// `./configure`, `/tmp/setup.sh`, `. ./env.sh`. A shell reading its standard input
    /// (`curl … | sh`, `bash -s`) gives `-`.
    #[must_use]
    pub fn script(&self) -> Option<&str> {
        let name = self.name();
        let first = self.words.first()?;
        if is_shell_name(first) {
            let mut args = self.args().iter();
            for a in args.by_ref() {
                if is_dash_c(a) {
                    return None; // `sh -c '…'` is analysed as a script of its own
                }
                if a == "-s" || a == "-" {
                    return Some("-");
                }
                if !a.starts_with('-') && !a.starts_with('+') {
                    return Some(a);
                }
            }
            return Some("-");
        }
        if matches!(name, "." | "source") {
            return self.args().first().map(String::as_str);
        }
        let looks_local = first.starts_with("./") || first.starts_with("../");
        let script_ext = [".sh", ".bash", ".bsh"].iter().any(|e| name.ends_with(e));
        (looks_local || script_ext).then_some(first.as_str())
    }

    /// The arguments after the name.
    #[must_use]
    pub fn args(&self) -> &[String] {
        self.words.get(1..).unwrap_or_default()
    }

    /// True if any argument equals one of `flags` (long flags may carry `=value`).
    #[must_use]
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.args().iter().any(|a| {
            flags.iter().any(|f| {
                a == f
                    || (f.starts_with("--")
                        && a.strip_prefix(f).is_some_and(|r| r.starts_with('=')))
            })
        })
    }

    /// True if a short option cluster contains `c` (`-fsSLk` contains `k`).
    #[must_use]
    pub fn has_short(&self, c: char) -> bool {
        self.args()
            .iter()
            .any(|a| a.starts_with('-') && !a.starts_with("--") && a[1..].contains(c))
    }

    /// The first argument that is not an option: the subcommand of `apt-get install`, etc.
    #[must_use]
    pub fn subcommand(&self) -> Option<&str> {
        self.args()
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(String::as_str)
    }
}

/// The last path component of a command word.
#[must_use]
pub fn basename(w: &str) -> &str {
    w.rsplit('/').next().unwrap_or(w)
}

/// True for names of POSIX-like shells (`/bin/sh`, `bash`, `dash`, ...).
#[must_use]
pub fn is_shell_name(w: &str) -> bool {
    matches!(
        basename(w),
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh"
    )
}

/// Joins exec-form arguments back into one command line for analysis.
#[must_use]
pub fn join_argv(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if a.is_empty() || a.contains(char::is_whitespace) {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// For each heredoc marker of a command line, in order, the name of the command that reads
/// it (`""` when the marker stands alone, as in `RUN <<EOF`, where the shell reads it).
#[must_use]
pub fn heredoc_consumers(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Segments between operators; a marker belongs to the command of its segment.
    for segment in args.split(['&', '|', ';']) {
        let words: Vec<&str> = segment.split_whitespace().collect();
        let command = words
            .iter()
            .find(|w| !w.starts_with("<<") && !w.starts_with('>') && !w.contains('='))
            .map_or("", |w| basename(w));
        for w in &words {
            if w.starts_with("<<") && !w.starts_with("<<<") {
                out.push(command.to_string());
            }
        }
    }
    out
}

fn assignment(w: &str) -> Option<(String, String)> {
    let (k, v) = w.split_once('=')?;
    let valid = !k.is_empty()
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !k.starts_with(|c: char| c.is_ascii_digit());
    valid.then(|| (k.to_string(), v.to_string()))
}

/// Parses a script into pipelines. Never fails: unbalanced quotes end at end of input.
#[must_use]
pub fn parse(script: &str) -> Vec<Pipeline> {
    let mut lx = Lexer {
        chars: script.chars().collect(),
        i: 0,
    };
    let mut pipelines = Vec::new();
    let mut pipe = Pipeline::default();
    let mut cmd = RawCmd::default();
    loop {
        let tok = lx.next();
        match tok {
            Tok::Word(w, subs) => {
                if cmd.skip_next {
                    cmd.skip_next = false;
                } else {
                    cmd.words.push(w);
                }
                cmd.subs.extend(subs);
            }
            Tok::Redirect => cmd.skip_next = true,
            Tok::Pipe => {
                pipe.commands.extend(cmd.take().finish());
            }
            Tok::Sep | Tok::Eof => {
                pipe.commands.extend(cmd.take().finish());
                if !pipe.commands.is_empty() {
                    pipelines.push(std::mem::take(&mut pipe));
                }
                if matches!(tok, Tok::Eof) {
                    break;
                }
            }
        }
    }
    pipelines
}

/// Every pipeline in a script, recursing into `sh -c` arguments and substitutions.
#[must_use]
pub fn all_pipelines(script: &str) -> Vec<Pipeline> {
    let mut out = Vec::new();
    collect(script, &mut out, 0);
    out
}

/// Every simple command in a script, recursing into `sh -c` arguments and substitutions.
/// Wrappers (`sudo`, `env`) are kept; call [`Command::effective`] to see through them.
#[must_use]
pub fn all_commands(script: &str) -> Vec<Command> {
    all_pipelines(script)
        .into_iter()
        .flat_map(|p| p.commands)
        .collect()
}

fn collect(script: &str, out: &mut Vec<Pipeline>, depth: usize) {
    if depth > 8 {
        return; // hostile nesting; nothing real is this deep
    }
    for p in parse(script) {
        for c in &p.commands {
            let eff = c.effective();
            if is_shell_name(eff.name())
                && let Some(i) = eff.args().iter().position(|a| is_dash_c(a))
                && let Some(inner) = eff.args().get(i + 1)
            {
                collect(inner, out, depth + 1);
            }
            for s in &c.subs {
                collect(s, out, depth + 1);
            }
        }
        out.push(p);
    }
}

/// `-c`, or a short option cluster that contains it (`-ec`, `-xc`).
fn is_dash_c(a: &str) -> bool {
    a.starts_with('-') && !a.starts_with("--") && a.ends_with('c')
}

#[derive(Default)]
struct RawCmd {
    words: Vec<String>,
    subs: Vec<String>,
    skip_next: bool,
}

impl RawCmd {
    fn take(&mut self) -> RawCmd {
        std::mem::take(self)
    }

    fn finish(self) -> Option<Command> {
        let mut words = self.words.into_iter().peekable();
        let mut env = Vec::new();
        // Step over control-flow keywords and leading assignments.
        while let Some(w) = words.peek() {
            if RESERVED.contains(&w.as_str()) {
                words.next();
            } else if let Some(kv) = assignment(w) {
                env.push(kv);
                words.next();
            } else {
                break;
            }
        }
        let words: Vec<String> = words.collect();
        // `for x in a b` and `case` headers are not commands.
        if words
            .first()
            .is_some_and(|w| matches!(w.as_str(), "for" | "case" | "esac" | "in"))
        {
            return None;
        }
        if words.is_empty() && env.is_empty() && self.subs.is_empty() {
            return None;
        }
        Some(Command {
            env,
            words,
            subs: self.subs,
        })
    }
}

enum Tok {
    Word(String, Vec<String>),
    Redirect,
    Pipe,
    Sep,
    Eof,
}

struct Lexer {
    chars: Vec<char>,
    i: usize,
}

impl Lexer {
    fn peek(&self, off: usize) -> Option<char> {
        self.chars.get(self.i + off).copied()
    }

    fn next(&mut self) -> Tok {
        // Skip blanks and line continuations.
        loop {
            match self.peek(0) {
                Some(' ' | '\t' | '\r') => self.i += 1,
                Some('\\') if self.peek(1) == Some('\n') => self.i += 2,
                Some('#') => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(c) = self.peek(0) else {
            return Tok::Eof;
        };
        match c {
            '\n' | ';' | '(' | ')' => {
                self.i += 1;
                // `;;` in case arms is a separator too.
                return Tok::Sep;
            }
            '&' => {
                if self.peek(1) == Some('>') {
                    self.i += 2;
                    if self.peek(0) == Some('>') {
                        self.i += 1;
                    }
                    return Tok::Redirect;
                }
                self.i += if self.peek(1) == Some('&') { 2 } else { 1 };
                return Tok::Sep;
            }
            '|' => {
                if self.peek(1) == Some('|') {
                    self.i += 2;
                    return Tok::Sep;
                }
                self.i += if self.peek(1) == Some('&') { 2 } else { 1 };
                return Tok::Pipe;
            }
            '<' | '>' if self.peek(1) == Some('(') => {
                // Process substitution: a word whose content is a script.
                self.i += 1;
                let inner = self.balanced();
                return Tok::Word(format!("<({inner})"), vec![inner]);
            }
            '<' | '>' => {
                self.redirect_op();
                return Tok::Redirect;
            }
            _ => {}
        }
        let mut word = String::new();
        let mut subs = Vec::new();
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' => break,
                '<' | '>' => {
                    // `2>/dev/null`: a word of digits before a redirect is an fd number.
                    if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
                        self.redirect_op();
                        return Tok::Redirect;
                    }
                    break;
                }
                '\\' => {
                    self.i += 1;
                    match self.peek(0) {
                        Some('\n') => self.i += 1,
                        Some(n) => {
                            word.push(n);
                            self.i += 1;
                        }
                        None => {}
                    }
                }
                '\'' => {
                    self.i += 1;
                    while let Some(n) = self.peek(0) {
                        self.i += 1;
                        if n == '\'' {
                            break;
                        }
                        word.push(n);
                    }
                }
                '"' => {
                    self.i += 1;
                    while let Some(n) = self.peek(0) {
                        if n == '"' {
                            self.i += 1;
                            break;
                        }
                        if n == '\\'
                            && let Some(e) = self.peek(1)
                        {
                            if !matches!(e, '"' | '\\' | '$' | '`' | '\n') {
                                word.push('\\');
                            }
                            if e != '\n' {
                                word.push(e);
                            }
                            self.i += 2;
                            continue;
                        }
                        if n == '$' && self.peek(1) == Some('(') {
                            self.i += 1;
                            let inner = self.balanced();
                            let _ = write!(word, "$({inner})");
                            subs.push(inner);
                            continue;
                        }
                        if n == '`' {
                            let inner = self.backtick();
                            let _ = write!(word, "`{inner}`");
                            subs.push(inner);
                            continue;
                        }
                        word.push(n);
                        self.i += 1;
                    }
                }
                '$' if self.peek(1) == Some('(') => {
                    self.i += 1;
                    let inner = self.balanced();
                    let _ = write!(word, "$({inner})");
                    subs.push(inner);
                }
                '`' => {
                    let inner = self.backtick();
                    let _ = write!(word, "`{inner}`");
                    subs.push(inner);
                }
                _ => {
                    word.push(c);
                    self.i += 1;
                }
            }
        }
        Tok::Word(word, subs)
    }

    /// Consumes `>`, `>>`, `<`, `<<`, `<<<`, `<<-`, `>&`, `<&`, `>|`.
    fn redirect_op(&mut self) {
        let first = self.peek(0);
        self.i += 1;
        while let Some(n) = self.peek(0) {
            if Some(n) == first || n == '&' || n == '|' || (n == '-' && first == Some('<')) {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    /// At `(`: returns the text up to the matching `)`, consuming both.
    fn balanced(&mut self) -> String {
        self.i += 1;
        let start = self.i;
        let mut depth = 1;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek(0) {
            self.i += 1;
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            return self.chars[start..self.i - 1].iter().collect();
                        }
                    }
                    _ => {}
                },
            }
        }
        self.chars[start..].iter().collect()
    }

    /// At a backtick: returns the text up to the closing one, consuming both.
    fn backtick(&mut self) -> String {
        self.i += 1;
        let start = self.i;
        while let Some(c) = self.peek(0) {
            self.i += 1;
            if c == '`' {
                return self.chars[start..self.i - 1].iter().collect();
            }
        }
        self.chars[start..].iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Pipeline) -> Vec<&str> {
        p.commands.iter().map(Command::name).collect()
    }

    #[test]
    fn pipelines_and_separators() {
        let ps = parse("curl -fsSL https://x | sudo -E bash - && echo ok; make || true");
        assert_eq!(ps.len(), 4);
        assert_eq!(names(&ps[0]), ["curl", "sudo"]);
        assert_eq!(ps[0].commands[1].effective().name(), "bash");
        assert_eq!(names(&ps[1]), ["echo"]);
    }

    #[test]
    fn quotes_comments_and_redirects() {
        let ps = parse("echo 'a | b' \"c && d\" 2>/dev/null > out # trailing | sh\nls <<EOF");
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].commands[0].words, ["echo", "a | b", "c && d"]);
        assert_eq!(ps[1].commands[0].words, ["ls"]);
    }

    #[test]
    fn substitutions_and_sh_c_are_analysed() {
        let cmds = all_commands(r#"sh -c "$(curl -fsSL https://get.x)"; bash <(wget -qO- u)"#);
        let names: Vec<&str> = cmds.iter().map(Command::name).collect();
        assert!(names.contains(&"curl"));
        assert!(names.contains(&"wget"));
    }

    #[test]
    fn control_flow_and_assignments() {
        let ps =
            parse("if [ -f x ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y gcc; fi");
        let cmd = &ps[1].commands[0];
        assert_eq!(cmd.name(), "apt-get");
        assert_eq!(cmd.env[0].0, "DEBIAN_FRONTEND");
        assert_eq!(cmd.subcommand(), Some("install"));
    }

    #[test]
    fn env_wrapper_is_seen_through() {
        let c = &parse("env -i FOO=1 /usr/bin/make install")[0].commands[0];
        assert_eq!(c.effective().name(), "make");
        assert_eq!(c.effective().env, [("FOO".to_string(), "1".to_string())]);
    }
}
