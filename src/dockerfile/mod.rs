//! The Dockerfile artifact: instructions with line spans, stages, and the views rules need
//! (`FROM` parts, `ENV`/`ARG` pairs, the shell scripts a `RUN` executes, variables in scope).

pub mod analysis;
pub mod discover;
pub mod expand;
pub mod parser;
pub mod purpose;
pub mod shell;

use std::borrow::Cow;

use analysis::RunFacts;
use expand::Vars;
pub use parser::{ParseError, parse};

/// A parsed Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    /// Parser directives (`syntax`, `escape`, `check`) as (key, value, line).
    pub directives: Vec<(String, String, u32)>,
    /// The escape character in force (`\` or `` ` ``).
    pub escape: char,
    /// Every instruction in file order, `ARG`s before the first `FROM` included.
    pub instructions: Vec<Instruction>,
    /// Build stages in file order.
    pub stages: Vec<Stage>,
    /// Every comment line (text after `#`, trimmed), for pragmas.
    pub comments: Vec<Comment>,
    /// `ARG`s declared before the first `FROM`, with their defaults.
    pub global_args: Vec<(String, Option<String>)>,
    /// Where the file lives, relative to the repository root, when known: a
    /// `.devcontainer/Dockerfile` builds a development image (see [`purpose`]).
    pub path: Option<String>,
    /// What each `RUN` executes, worked out on first use (see [`analysis`]).
    analysis: std::sync::OnceLock<Vec<Option<RunFacts>>>,
    /// The final image's base as its registry describes it, when the user asked for base
    /// images to be resolved (`--resolve-bases`); `None` otherwise.
    pub base: Option<BaseImage>,
}

/// What a base image's config says that the file alone cannot: its user and healthcheck.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BaseImage {
    /// The reference as resolved (`python:3.12`).
    pub reference: String,
    /// Its manifest digest, when the source has one.
    pub digest: Option<String>,
    /// The config's `User` (empty: root).
    pub user: String,
    /// True when the config carries a `Healthcheck` other than `NONE`.
    pub healthcheck: bool,
}

impl BaseImage {
    /// `python:3.12 (sha256:0123456789ab…)`, for messages.
    #[must_use]
    pub fn describe(&self) -> String {
        match &self.digest {
            Some(d) => {
                let short: String = d.chars().take(19).collect();
                format!("`{}` ({short}…)", self.reference)
            }
            None => format!("`{}`", self.reference),
        }
    }
}

/// A comment line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// 1-based line.
    pub line: u32,
    /// The text after `#`, trimmed.
    pub text: String,
}

/// One instruction, its continuation lines and heredoc bodies included in its span.
#[derive(Debug, Clone)]
pub struct Instruction {
    /// The instruction keyword.
    pub keyword: Keyword,
    /// Leading `--name[=value]` flags (`FROM --platform`, `COPY --from`, `RUN --mount`, ...).
    pub flags: Vec<Flag>,
    /// Everything after the keyword and flags, continuations joined as the builder does.
    pub args: String,
    /// Heredoc bodies, in the order of their markers.
    pub heredocs: Vec<Heredoc>,
    /// 1-based first line.
    pub start_line: u32,
    /// 1-based last line (heredoc terminators included).
    pub end_line: u32,
    /// Index of the stage this instruction belongs to (0 for global `ARG`s).
    pub stage: usize,
    /// The trigger instruction of an `ONBUILD`.
    pub onbuild: Option<Box<Instruction>>,
    /// Comment lines directly above this instruction (after the previous one).
    pub comments: Vec<Comment>,
    /// The escape character in force for this file.
    pub escape: char,
}

/// A `--name[=value]` instruction flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Name without the leading `--`.
    pub name: String,
    /// Value, unquoted; `None` for a bare flag.
    pub value: Option<String>,
}

/// A heredoc body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// Delimiter word, quotes removed.
    pub delimiter: String,
    /// Body text, each line ending in `\n`, terminator excluded.
    pub body: String,
    /// 1-based line of the body's first line.
    pub start_line: u32,
    /// Unquoted delimiters expand variables in the body.
    pub expand: bool,
}

/// A build stage: a `FROM` and the instructions up to the next one.
#[derive(Debug, Clone)]
pub struct Stage {
    /// 0-based stage index.
    pub index: usize,
    /// Line of the `FROM`.
    pub from_line: u32,
    /// Index into [`Dockerfile::instructions`] of the `FROM`.
    pub first: usize,
    /// Index of the stage's last instruction.
    pub last: usize,
    /// Base image after global `ARG` substitution.
    pub base: String,
    /// False when the base depends on a build arg without default.
    pub base_resolved: bool,
    /// `AS name`, lower-cased.
    pub alias: Option<String>,
    /// `--platform` value after substitution.
    pub platform: Option<String>,
    /// The earlier stage this one is built `FROM`, if any.
    pub parent: Option<usize>,
}

/// The parts of a `FROM` instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromArgs {
    /// Image reference as written.
    pub image: String,
    /// `AS name`.
    pub alias: Option<String>,
    /// `--platform=` value as written.
    pub platform: Option<String>,
}

macro_rules! keywords {
    ($($variant:ident => $word:literal),* $(,)?) => {
        /// Dockerfile instruction keywords.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Keyword { $($variant),* }

        impl Keyword {
            /// Parses a keyword case-insensitively.
            #[must_use]
            pub fn from_word(w: &str) -> Option<Self> {
                $(if w.eq_ignore_ascii_case($word) { return Some(Self::$variant); })*
                None
            }

            /// The upper-case keyword.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $word),* }
            }
        }
    };
}

keywords! {
    Add => "ADD", Arg => "ARG", Cmd => "CMD", Copy => "COPY", Entrypoint => "ENTRYPOINT",
    Env => "ENV", Expose => "EXPOSE", From => "FROM", Healthcheck => "HEALTHCHECK",
    Label => "LABEL", Maintainer => "MAINTAINER", Onbuild => "ONBUILD", Run => "RUN",
    Shell => "SHELL", Stopsignal => "STOPSIGNAL", User => "USER", Volume => "VOLUME",
    Workdir => "WORKDIR",
}

impl Keyword {
    fn takes_flags(self) -> bool {
        matches!(
            self,
            Self::From | Self::Run | Self::Copy | Self::Add | Self::Healthcheck
        )
    }
}

/// A shell script a `RUN` executes, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// Shell source.
    pub text: String,
    /// 1-based line where the script starts.
    pub line: u32,
}

impl Instruction {
    /// The value of flag `--name`, if given (a bare flag yields `Some("")`).
    #[must_use]
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.value.as_deref().unwrap_or(""))
    }

    /// The JSON (exec) form arguments, if the instruction uses that form.
    #[must_use]
    pub fn exec_form(&self) -> Option<Vec<String>> {
        let t = self.args.trim();
        if !t.starts_with('[') {
            return None;
        }
        serde_json::from_str::<Vec<String>>(t).ok()
    }

    /// The parts of a `FROM`: image, `AS` alias, `--platform`.
    #[must_use]
    pub fn from_args(&self) -> FromArgs {
        // Quotes are removed as the builder's word processing removes them (`FROM "a:1"`).
        let words = split_words(&self.args, self.escape);
        let image = words.first().cloned().unwrap_or_default();
        let alias = match words.as_slice() {
            [_, kw, name, ..] if kw.eq_ignore_ascii_case("as") => Some(name.clone()),
            _ => None,
        };
        FromArgs {
            image,
            alias,
            platform: self.flag("platform").map(str::to_string),
        }
    }

    /// `KEY=VALUE` pairs of `ENV`, `ARG` and `LABEL`, quotes removed. `ARG NAME` yields
    /// `(NAME, None)`; the legacy `ENV KEY value words` form yields one pair.
    #[must_use]
    pub fn key_values(&self) -> Vec<(String, Option<String>)> {
        let args = self.args.trim();
        let first = args.split_whitespace().next().unwrap_or_default();
        if self.keyword == Keyword::Env && !first.contains('=') {
            let rest = args[first.len()..].trim();
            let value = split_words(rest, self.escape).join(" ");
            return vec![(first.to_string(), Some(value))];
        }
        split_words(args, self.escape)
            .into_iter()
            .map(|w| match w.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (w, None),
            })
            .collect()
    }

    /// The shell scripts this `RUN` executes: its command line (or the `-c` argument of a
    /// shell in exec form) and each heredoc body that the shell itself reads.
    #[must_use]
    pub fn scripts(&self) -> Vec<Script> {
        let mut out = Vec::new();
        if let Some(argv) = self.exec_form() {
            let is_shell = argv.first().is_some_and(|a| shell::is_shell_name(a));
            let text = match argv.iter().position(|a| a == "-c") {
                Some(i) if is_shell => argv.get(i + 1).cloned().unwrap_or_default(),
                _ => shell::join_argv(&argv),
            };
            out.push(Script {
                text,
                line: self.start_line,
            });
            return out;
        }
        out.push(Script {
            text: self.args.clone(),
            line: self.start_line,
        });
        // `RUN <<EOF` and `RUN sh <<EOF` feed the body to a shell; `RUN python3 <<EOF` or
        // `RUN cat <<EOF > f` do not, unless the body starts with a shell shebang.
        let consumers = shell::heredoc_consumers(&self.args);
        for (i, h) in self.heredocs.iter().enumerate() {
            let shebang = h.body.lines().next().unwrap_or("");
            let body_is_shell = if let Some(interp) = shebang.strip_prefix("#!") {
                interp
                    .split_whitespace()
                    .any(|w| shell::is_shell_name(w) && !w.ends_with("env"))
            } else {
                consumers
                    .get(i)
                    .is_some_and(|c| c.is_empty() || shell::is_shell_name(c))
            };
            if body_is_shell {
                out.push(Script {
                    text: h.body.clone(),
                    line: h.start_line,
                });
            }
        }
        out
    }

    /// Whitespace-normalised text of the instruction, for fingerprints that survive
    /// re-indentation and lines inserted elsewhere.
    #[must_use]
    pub fn normalized(&self) -> String {
        let mut s = String::from(self.keyword.as_str());
        for f in &self.flags {
            s.push_str(" --");
            s.push_str(&f.name);
            if let Some(v) = &f.value {
                s.push('=');
                s.push_str(v);
            }
        }
        for w in self.args.split_whitespace() {
            s.push(' ');
            s.push_str(w);
        }
        for h in &self.heredocs {
            for w in h.body.split_whitespace() {
                s.push(' ');
                s.push_str(w);
            }
        }
        s
    }
}

/// Splits on unquoted whitespace, removing quotes and the escape char as the builder does.
#[must_use]
pub fn split_words(s: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == escape => {
                if let Some(n) = chars.next() {
                    if n != '"' && n != escape && n != '$' {
                        cur.push(c);
                    }
                    cur.push(n);
                }
            }
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c == escape => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

impl Dockerfile {
    /// The last stage: what `docker build` produces without `--target`.
    #[must_use]
    pub fn final_stage(&self) -> &Stage {
        // `build_stages` rejects files without a FROM, so there is always one.
        &self.stages[self.stages.len() - 1]
    }

    /// The stages whose filesystem reaches the final image: the final stage and, when it is
    /// built `FROM` an earlier stage, that stage's lineage. Ordered from the root down.
    #[must_use]
    pub fn final_lineage(&self) -> Vec<&Stage> {
        let mut chain = vec![self.final_stage()];
        let mut guard = 0;
        while let Some(p) = chain.last().and_then(|s| s.parent) {
            chain.push(&self.stages[p]);
            guard += 1;
            if guard > self.stages.len() {
                break; // parents only point backwards, but never loop on bad input
            }
        }
        chain.reverse();
        chain
    }

    /// Instructions of one stage, its `FROM` included.
    #[must_use]
    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        &self.instructions[stage.first..=stage.last]
    }

    /// Instructions that build the final image, from the root of its lineage down.
    pub fn final_instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.final_indices().map(|i| &self.instructions[i])
    }

    /// Indices into [`Dockerfile::instructions`] of [`Dockerfile::final_instructions`].
    pub fn final_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.final_lineage()
            .into_iter()
            .flat_map(|s| s.first..=s.last)
    }

    /// The position of `ins` in [`Dockerfile::instructions`], if it is one of them (an
    /// `ONBUILD` trigger is not).
    fn index_of(&self, ins: &Instruction) -> Option<usize> {
        let size = std::mem::size_of::<Instruction>();
        let offset =
            (std::ptr::from_ref(ins) as usize).checked_sub(self.instructions.as_ptr() as usize)?;
        let i = offset / size;
        (offset % size == 0
            && self
                .instructions
                .get(i)
                .is_some_and(|x| std::ptr::eq(x, ins)))
        .then_some(i)
    }

    /// What a `RUN` executes: commands with wrappers seen through and known variables
    /// expanded, and the directories it creates. Computed once for the whole file.
    #[must_use]
    pub fn run_facts(&self, ins: &Instruction) -> Cow<'_, RunFacts> {
        let all = self.analysis.get_or_init(|| analysis::analyse(self));
        match self
            .index_of(ins)
            .and_then(|i| all.get(i))
            .and_then(Option::as_ref)
        {
            Some(f) => Cow::Borrowed(f),
            None => Cow::Owned(analysis::run_facts_unscoped(ins)),
        }
    }

    /// True if `path` is a directory created by a `RUN` (`mkdir`, `install -d`) or `WORKDIR`
    /// of the lineage of instruction `idx`, up to and including it.
    #[must_use]
    pub fn dir_created_before(&self, idx: usize, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        let all = self.analysis.get_or_init(|| analysis::analyse(self));
        let Some(ins) = self.instructions.get(idx) else {
            return false;
        };
        let mut stage = Some(ins.stage);
        let mut guard = 0;
        while let Some(s) = stage.and_then(|s| self.stages.get(s)) {
            let end = if s.index == ins.stage { idx } else { s.last };
            let created = all
                .iter()
                .take(end + 1)
                .skip(s.first)
                .flatten()
                .any(|f| f.created_dirs.iter().any(|d| d == path));
            if created {
                return true;
            }
            stage = s.parent;
            guard += 1;
            if guard > self.stages.len() {
                break;
            }
        }
        false
    }

    /// The variables in scope just before instruction `idx` within its stage lineage:
    /// redeclared global `ARG`s, stage `ARG`s and `ENV`s, in order.
    #[must_use]
    pub fn vars_before(&self, idx: usize) -> Vars {
        let mut globals = Vars::default();
        for (k, v) in &self.global_args {
            globals.set(k, v.clone());
        }
        let stage_index = self.instructions[idx].stage;
        let mut lineage = vec![stage_index];
        while let Some(p) = lineage.last().and_then(|&s| self.stages[s].parent) {
            if lineage.contains(&p) {
                break;
            }
            lineage.push(p);
        }
        lineage.reverse();
        let mut vars = Vars::default();
        for s in lineage {
            let stage = &self.stages[s];
            for (i, ins) in self.instructions[stage.first..=stage.last]
                .iter()
                .enumerate()
            {
                if stage.first + i >= idx {
                    break;
                }
                apply_scope(&mut vars, &globals, ins);
            }
        }
        vars
    }
}

/// Applies an `ARG` or `ENV` instruction to the variables in scope (other instructions
/// change nothing). A bare `ARG NAME` in a stage re-imports the global default; a value built
/// from an unknown variable is unknown.
pub(crate) fn apply_scope(vars: &mut Vars, globals: &Vars, ins: &Instruction) {
    match ins.keyword {
        Keyword::Arg => {
            for (k, v) in ins.key_values() {
                let v = match v {
                    Some(v) => vars.expand(&v).known(),
                    None => globals.get(&k).flatten().map(str::to_string),
                };
                vars.set(&k, v);
            }
        }
        Keyword::Env => {
            for (k, v) in ins.key_values() {
                let v = v.and_then(|v| vars.expand(&v).known());
                vars.set(&k, v);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
