//! Parser tests: each case names the Dockerfile feature it pins down.

use super::*;

fn p(s: &str) -> Dockerfile {
    parse(s).unwrap_or_else(|e| panic!("parse failed: {e}\n{s}"))
}

#[test]
fn continuation_with_comment_and_blank_line_inside() {
    let df = p(
        "FROM debian:12\nRUN apt-get update && \\\n# a comment\n\n    apt-get install -y curl\nUSER app\n",
    );
    let run = &df.instructions[1];
    assert_eq!((run.start_line, run.end_line), (2, 5));
    assert!(run.args.contains("apt-get install -y curl"));
    assert_eq!(df.instructions[2].start_line, 6);
}

#[test]
fn escape_directive_backtick() {
    let df =
        p("# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  c:\\\nUSER ContainerUser\n");
    assert_eq!(df.escape, '`');
    assert_eq!(df.instructions[1].args, "dir   c:\\");
    assert_eq!(df.instructions[2].start_line, 5);
}

#[test]
fn directive_only_at_top() {
    let df = p("# syntax=docker/dockerfile:1\n\n# escape=`\nFROM x:1\n");
    assert_eq!(df.escape, '\\');
    assert_eq!(df.directives.len(), 1);
}

#[test]
fn bad_escape_is_an_error() {
    assert_eq!(parse("# escape=x\nFROM a\n").unwrap_err().line, 1);
}

#[test]
fn crlf_and_bom() {
    let df = p("\u{feff}FROM alpine:3.20\r\nRUN echo hi \\\r\n  there\r\nUSER 1000\r\n");
    assert_eq!(df.instructions.len(), 3);
    assert_eq!(df.instructions[1].args, "echo hi   there");
    assert_eq!(df.instructions[2].args, "1000");
}

#[test]
fn heredocs_two_on_one_line_and_dash_and_quotes() {
    let src = "FROM alpine:3\nRUN <<EOF1 cat > /a && <<-\"EOF2\" cat > /b\nline a\nEOF1\n\tline b $X\n\tEOF2\nCOPY <<EOF /etc/x.conf\nk=v\nEOF\nUSER 1\n";
    let df = p(src);
    let run = &df.instructions[1];
    assert_eq!(run.heredocs.len(), 2);
    assert_eq!(run.heredocs[0].body, "line a\n");
    assert_eq!(run.heredocs[1].body, "line b $X\n");
    assert!(!run.heredocs[1].expand);
    assert_eq!((run.start_line, run.end_line), (2, 6));
    let copy = &df.instructions[2];
    assert_eq!(copy.keyword, Keyword::Copy);
    assert_eq!(copy.heredocs[0].body, "k=v\n");
    assert_eq!(df.instructions[3].start_line, 10);
}

#[test]
fn heredoc_body_is_a_shell_script_only_when_the_shell_reads_it() {
    let df = p(
        "FROM a:1\nRUN <<EOF\ncurl x | sh\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\nRUN cat <<EOF > /x.sh\n#!/bin/sh\nmake\nEOF\n",
    );
    assert_eq!(df.instructions[1].scripts().len(), 2);
    assert_eq!(df.instructions[2].scripts().len(), 1);
    assert_eq!(
        df.instructions[3].scripts().len(),
        2,
        "shebang marks a shell body"
    );
}

#[test]
fn heredoc_inside_quotes_is_not_a_marker() {
    let df = p("FROM a:1\nRUN echo \"a <<b\"\nUSER 1\n");
    assert!(df.instructions[1].heredocs.is_empty());
}

#[test]
fn unterminated_heredoc_names_its_line() {
    let e = parse("FROM a:1\nRUN <<EOF\necho\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.reason.contains("EOF"));
}

#[test]
fn from_flags_alias_and_stages() {
    let df = p(
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\nRUN go build\nFROM build AS final\nUSER 1\n",
    );
    assert_eq!(df.stages.len(), 2);
    assert_eq!(df.stages[0].alias.as_deref(), Some("build"));
    assert_eq!(df.stages[0].base, "golang:1.22");
    assert_eq!(df.stages[1].parent, Some(0));
    assert_eq!(df.final_lineage().len(), 2);
}

#[test]
fn global_arg_in_from() {
    let df = p("ARG BASE=debian:12\nARG TAG\nFROM $BASE\nFROM alpine:${TAG}\n");
    assert_eq!(df.stages[0].base, "debian:12");
    assert!(df.stages[0].base_resolved);
    assert!(!df.stages[1].base_resolved);
}

#[test]
fn keywords_are_case_insensitive_and_unknown_is_an_error() {
    let df = p("from alpine:3\nrun echo\n");
    assert_eq!(df.instructions[1].keyword, Keyword::Run);
    let e = parse("FROM a\nFOO bar\n").unwrap_err();
    assert_eq!(
        (e.line, e.reason.as_str()),
        (2, "unknown instruction `FOO`")
    );
}

#[test]
fn instruction_before_from() {
    assert!(parse("RUN echo\nFROM a\n").is_err());
    assert!(parse("# only a comment\n").is_err());
    assert!(parse("").is_err());
}

#[test]
fn env_forms() {
    let df = p("FROM a\nENV A=1 B=\"two words\" C=three\\ words\nENV LEGACY some value\n");
    let kv = df.instructions[1].key_values();
    assert_eq!(kv[1], ("B".into(), Some("two words".into())));
    assert_eq!(kv[2], ("C".into(), Some("three words".into())));
    assert_eq!(
        df.instructions[2].key_values(),
        [("LEGACY".into(), Some("some value".into()))]
    );
}

#[test]
fn run_mount_flags_are_not_part_of_the_command() {
    let df = p("FROM a\nRUN --mount=type=cache,target=/root/.cache --network=none pip install x\n");
    let run = &df.instructions[1];
    assert_eq!(run.flag("mount"), Some("type=cache,target=/root/.cache"));
    assert_eq!(run.args, "pip install x");
}

#[test]
fn exec_form_shell() {
    let df = p("FROM a\nRUN [\"/bin/bash\", \"-c\", \"curl x | bash\"]\n");
    assert_eq!(df.instructions[1].scripts()[0].text, "curl x | bash");
}

#[test]
fn onbuild_trigger() {
    let df = p("FROM a\nONBUILD RUN make\n");
    let inner = df.instructions[1].onbuild.as_ref().unwrap();
    assert_eq!(inner.keyword, Keyword::Run);
}

#[test]
fn vars_in_scope() {
    let df = p("ARG UID=1000\nFROM a\nARG UID\nENV HOME=/home/app\nUSER ${UID}\n");
    let v = df.vars_before(4);
    assert_eq!(v.expand("${UID}").text, "1000");
    assert_eq!(v.expand("$HOME").text, "/home/app");
}
