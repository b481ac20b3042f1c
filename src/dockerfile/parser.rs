//! The Dockerfile lexer and parser: bytes in, [`Dockerfile`] out.
//!
//! It follows `BuildKit`'s frontend (`moby/buildkit/frontend/dockerfile/parser`) where that
//! matters for linting: parser directives only at the very top, a configurable escape char,
//! comment and blank lines dropped inside continuations, heredocs for `RUN`/`COPY`/`ADD`,
//! and case-insensitive keywords. It is deliberately lenient where `BuildKit` is lenient
//! (a trailing continuation at end of file) and strict where a build would fail.

use super::{Comment, Dockerfile, Flag, Heredoc, Instruction, Keyword, Stage};
use crate::dockerfile::expand::Vars;

/// Why a Dockerfile could not be parsed, with the 1-based line it was found on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {reason}")]
pub struct ParseError {
    /// 1-based line of the offending instruction or directive.
    pub line: u32,
    /// What is wrong, lower-case.
    pub reason: String,
}

fn err(line: u32, reason: impl Into<String>) -> ParseError {
    ParseError {
        line,
        reason: reason.into(),
    }
}

/// Parses Dockerfile text. CRLF endings and a UTF-8 BOM are accepted.
///
/// # Errors
/// Unknown instructions, instructions before the first `FROM` (other than `ARG`), an empty
/// `FROM`, a bad `escape` directive, an unterminated heredoc, or a file with no instruction.
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Lines keep their number; a trailing '\r' (CRLF files) is dropped per line.
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut p = Parser {
        lines: &lines,
        pos: 0,
        escape: '\\',
    };
    let mut df = Dockerfile {
        directives: Vec::new(),
        escape: '\\',
        instructions: Vec::new(),
        stages: Vec::new(),
        comments: Vec::new(),
        global_args: Vec::new(),
        path: None,
        analysis: std::sync::OnceLock::new(),
        base: None,
    };
    p.directives(&mut df)?;
    df.escape = p.escape;
    let mut pending_comments: Vec<Comment> = Vec::new();
    while p.pos < lines.len() {
        let line_no = p.pos as u32 + 1;
        let line = lines[p.pos];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            // A blank line separates a comment block from the next instruction only for
            // display; pragmas still apply (hadolint does the same), so keep pending ones.
            p.pos += 1;
            continue;
        }
        if let Some(c) = trimmed.strip_prefix('#') {
            let c = Comment {
                line: line_no,
                text: c.trim().to_string(),
            };
            df.comments.push(c.clone());
            pending_comments.push(c);
            p.pos += 1;
            continue;
        }
        let mut ins = p.instruction()?;
        ins.comments = std::mem::take(&mut pending_comments);
        df.instructions.push(ins);
    }
    build_stages(&mut df)?;
    Ok(df)
}

struct Parser<'a> {
    lines: &'a [&'a str],
    pos: usize,
    escape: char,
}

impl Parser<'_> {
    /// Reads `# key=value` directives; they are only recognised before anything else,
    /// including blank lines and ordinary comments, as in `BuildKit`.
    fn directives(&mut self, df: &mut Dockerfile) -> Result<(), ParseError> {
        while self.pos < self.lines.len() {
            let Some(body) = self.lines[self.pos].trim_start().strip_prefix('#') else {
                break;
            };
            let Some((key, value)) = body.split_once('=') else {
                break;
            };
            let key = key.trim().to_ascii_lowercase();
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
                break;
            }
            let value = value.trim().to_string();
            let line = self.pos as u32 + 1;
            if key == "escape" {
                self.escape = match value.as_str() {
                    "\\" => '\\',
                    "`" => '`',
                    other => {
                        return Err(err(
                            line,
                            format!("invalid escape directive `{other}`: must be ` or \\"),
                        ));
                    }
                };
            }
            df.directives.push((key, value, line));
            self.pos += 1;
        }
        Ok(())
    }

    /// Reads one instruction starting at the current line: its continuation lines and any
    /// heredoc bodies that follow it.
    fn instruction(&mut self) -> Result<Instruction, ParseError> {
        let start = self.pos;
        let mut logical = String::new();
        let mut cur = self.lines[self.pos];
        loop {
            self.pos += 1;
            let trimmed_end = cur.trim_end();
            if let Some(body) = trimmed_end.strip_suffix(self.escape) {
                // An escaped escape (`\\` at end of line) is not a continuation.
                if !ends_with_escaped_escape(trimmed_end, self.escape) {
                    logical.push_str(body);
                    // Skip comment and blank lines inside the continuation, as BuildKit does.
                    while self.pos < self.lines.len() {
                        let t = self.lines[self.pos].trim_start();
                        if t.is_empty() || t.starts_with('#') {
                            self.pos += 1;
                        } else {
                            break;
                        }
                    }
                    if self.pos >= self.lines.len() {
                        break;
                    }
                    cur = self.lines[self.pos];
                    continue;
                }
            }
            logical.push_str(cur);
            break;
        }
        let start_line = start as u32 + 1;
        let mut ins = parse_logical(&logical, start_line, self.escape)?;
        // Heredoc bodies follow the instruction line, one after another.
        if matches!(ins.keyword, Keyword::Run | Keyword::Copy | Keyword::Add) {
            let markers = heredoc_markers(&ins.args);
            for (delim, strip_tabs, expand) in markers {
                let body_start = self.pos as u32 + 1;
                let mut body = String::new();
                let mut closed = false;
                while self.pos < self.lines.len() {
                    let raw = self.lines[self.pos];
                    self.pos += 1;
                    let l = if strip_tabs {
                        raw.trim_start_matches('\t')
                    } else {
                        raw
                    };
                    if l == delim {
                        closed = true;
                        break;
                    }
                    body.push_str(l);
                    body.push('\n');
                }
                if !closed {
                    return Err(err(
                        start_line,
                        format!("heredoc `{delim}` is not terminated"),
                    ));
                }
                ins.heredocs.push(Heredoc {
                    delimiter: delim,
                    body,
                    start_line: body_start,
                    expand,
                });
            }
        }
        ins.end_line = self.pos as u32;
        Ok(ins)
    }
}

fn ends_with_escaped_escape(s: &str, escape: char) -> bool {
    let n = s.chars().rev().take_while(|&c| c == escape).count();
    n % 2 == 0
}

/// Splits a logical line into keyword, flags and arguments.
fn parse_logical(logical: &str, line: u32, escape: char) -> Result<Instruction, ParseError> {
    let trimmed = logical.trim();
    let (kw, rest) = match trimmed.find(char::is_whitespace) {
        Some(i) => (&trimmed[..i], trimmed[i..].trim_start()),
        None => (trimmed, ""),
    };
    let keyword = Keyword::from_word(kw).ok_or_else(|| {
        err(
            line,
            format!("unknown instruction `{}`", kw.to_ascii_uppercase()),
        )
    })?;
    let mut ins = Instruction {
        keyword,
        flags: Vec::new(),
        args: String::new(),
        heredocs: Vec::new(),
        start_line: line,
        end_line: line,
        stage: 0,
        onbuild: None,
        comments: Vec::new(),
        escape,
    };
    if keyword == Keyword::Onbuild {
        // The builder refuses these triggers; refusing them here also bounds the recursion.
        let inner_kw = rest
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        if matches!(inner_kw.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") {
            return Err(err(line, format!("`ONBUILD {inner_kw}` is not allowed")));
        }
        let inner = parse_logical(rest, line, escape)?;
        ins.args = rest.to_string();
        ins.onbuild = Some(Box::new(inner));
        return Ok(ins);
    }
    let mut rest = rest;
    if keyword.takes_flags() {
        while let Some(after) = rest.strip_prefix("--") {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            let word = &after[..end];
            let (name, value) = match word.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(unquote(v).to_string())),
                None => (word.to_string(), None),
            };
            ins.flags.push(Flag { name, value });
            rest = after[end..].trim_start();
        }
    }
    ins.args = rest.to_string();
    Ok(ins)
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// Finds heredoc markers (`<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`) outside quotes, in order.
/// Returns (delimiter, strip leading tabs, expand variables).
pub(crate) fn heredoc_markers(args: &str) -> Vec<(String, bool, bool)> {
    let bytes = args.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let ch = bytes[i];
        match quote {
            Some(q) => {
                if ch == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            None if ch == b'\'' || ch == b'"' => {
                quote = Some(ch);
                i += 1;
                continue;
            }
            None => {}
        }
        if ch == b'<' && bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') {
            let mut j = i + 2;
            let strip = bytes.get(j) == Some(&b'-');
            if strip {
                j += 1;
            }
            let (delim, expand, end) = if let Some(&q @ (b'"' | b'\'')) = bytes.get(j) {
                let s = j + 1;
                let e = bytes[s..]
                    .iter()
                    .position(|&x| x == q)
                    .map_or(bytes.len(), |p| s + p);
                (&args[s..e], false, (e + 1).min(bytes.len()))
            } else {
                let to = bytes[j..]
                    .iter()
                    .position(|&x| {
                        x.is_ascii_whitespace() || matches!(x, b';' | b'&' | b'|' | b'>' | b'<')
                    })
                    .map_or(bytes.len(), |p| j + p);
                (&args[j..to], true, to)
            };
            if !delim.is_empty() {
                out.push((delim.to_string(), strip, expand));
            }
            i = end.max(i + 2);
            continue;
        }
        i += 1;
    }
    out
}

/// Groups instructions into stages and resolves each stage's base image reference.
fn build_stages(df: &mut Dockerfile) -> Result<(), ParseError> {
    if df.instructions.is_empty() {
        return Err(err(1, "no instructions found"));
    }
    let mut globals = Vars::default();
    let mut stage_idx: Option<usize> = None;
    for i in 0..df.instructions.len() {
        let ins = &df.instructions[i];
        match (ins.keyword, stage_idx) {
            (Keyword::Arg, None) => {
                for (name, value) in ins.key_values() {
                    let value = value.and_then(|v| globals.expand(&v).known());
                    globals.set(&name, value.clone());
                    df.global_args.push((name, value));
                }
            }
            (Keyword::From, _) => {
                let from = ins.from_args();
                if from.image.is_empty() {
                    return Err(err(ins.start_line, "`FROM` needs an image"));
                }
                let expanded = globals.expand(&from.image);
                let platform = from.platform.map(|p| globals.expand(&p).text);
                let idx = df.stages.len();
                let alias = from.alias.map(|a| a.to_ascii_lowercase());
                // A base naming an earlier stage (case-insensitive) inherits from it.
                let parent = df.stages.iter().position(|s| {
                    s.alias
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(&expanded.text))
                });
                // BuildKit substitutes an unset or empty build argument with nothing and
                // then refuses a name the grammar rejects (`node:-slim`): such a base is
                // whatever `--build-arg` names at build time, unknown here.
                let buildable = parent.is_some()
                    || expanded.text.eq_ignore_ascii_case("scratch")
                    || crate::reference::is_valid_reference(&expanded.text);
                df.stages.push(Stage {
                    index: idx,
                    from_line: ins.start_line,
                    first: i,
                    last: i,
                    base: expanded.text,
                    base_resolved: !expanded.unresolved && buildable,
                    alias,
                    platform,
                    parent,
                });
                stage_idx = Some(idx);
                df.instructions[i].stage = idx;
            }
            (kw, None) => {
                return Err(err(
                    ins.start_line,
                    format!("`{}` before the first `FROM`", kw.as_str()),
                ));
            }
            (_, Some(s)) => {
                df.instructions[i].stage = s;
                df.stages[s].last = i;
            }
        }
    }
    if df.stages.is_empty() {
        return Err(err(1, "no `FROM` instruction"));
    }
    Ok(())
}
