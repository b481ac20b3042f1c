//! DF005 `add-local-files`. Docs, level and peers: `rules/DF005.toml`.

use crate::dockerfile::{Dockerfile, Instruction, Keyword, split_words};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports `ADD` of local files or directories that `COPY` would copy the same way. Local
/// tar archives are exempt: `ADD` unpacks them, which `COPY` cannot. Sources are judged after
/// `ARG`/`ENV` substitution, as the builder sees them: `ADD ${URL} /x` with a URL-valued
/// `ARG` is a download (DF006's concern), and a source whose value is unknown is not judged.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for (idx, ins) in df.instructions.iter().enumerate() {
        if ins.keyword != Keyword::Add {
            continue;
        }
        let sources = expanded_sources(df, idx);
        let local = sources.iter().find_map(|s| {
            let v = s.as_deref()?;
            (!is_remote(v) && !is_archive(v)).then_some(v)
        });
        if let Some(src) = local {
            let heredoc = ins.heredocs.iter().any(|h| h.delimiter == src);
            let msg = if heredoc {
                format!(
                    "`ADD` of the inline file `<<{src}`; `COPY <<{src}` writes it the same way without `ADD`'s fetching and unpacking"
                )
            } else {
                format!("`ADD` of local `{src}`; `COPY` copies it without fetching or unpacking")
            };
            out.push(
                Finding::new(RuleId::DF005, msg)
                    .at(ins)
                    .evidence("source", src),
            );
        }
    }
}

/// The sources of the `ADD`/`COPY` at `idx` after variable substitution; `None` for a source
/// built from a variable whose value is not known here (a build argument without default).
pub(crate) fn expanded_sources(df: &Dockerfile, idx: usize) -> Vec<Option<String>> {
    let ins = &df.instructions[idx];
    let raw = add_sources(ins);
    if !raw.iter().any(|s| s.contains('$')) {
        return raw.into_iter().map(Some).collect();
    }
    let vars = df.vars_before(idx);
    raw.iter()
        .map(|s| {
            let e = vars.expand(s);
            (!e.unresolved && !e.text.is_empty()).then_some(e.text)
        })
        .collect()
}

/// The source arguments of `ADD`/`COPY` (all but the destination); heredoc names included.
pub(crate) fn add_sources(ins: &Instruction) -> Vec<String> {
    let mut words = ins
        .exec_form()
        .unwrap_or_else(|| split_words(&ins.args, ins.escape));
    words.pop();
    words
        .into_iter()
        .map(|w| {
            w.trim_start_matches("<<-")
                .trim_start_matches("<<")
                .to_string()
        })
        .collect()
}

/// URL or git sources, which `ADD` fetches.
pub(crate) fn is_remote(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    ["http://", "https://", "git://", "git@", "ssh://"]
        .iter()
        .any(|p| l.starts_with(p))
}

fn is_archive(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst",
        ".tzst",
    ]
    .iter()
    .any(|ext| l.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn local_file() {
        insta::assert_snapshot!(render(check, "FROM a:1\nADD --chown=1:1 app.py /app/\n"), @"2: `ADD` of local `app.py`; `COPY` copies it without fetching or unpacking");
    }

    #[test]
    fn archives_urls_and_copy_pass() {
        let src = "FROM a:1\nADD rootfs.tar.xz /\nADD https://example.com/x.tgz /x\nCOPY app /app\nADD [\"vendor.tgz\", \"/v\"]\n";
        assert!(lines(check, src).is_empty());
    }

    #[test]
    fn heredoc_add() {
        assert_eq!(
            lines(check, "FROM a:1\nADD <<EOF /etc/motd\nhi\nEOF\n"),
            [2]
        );
    }

    #[test]
    fn sources_are_judged_after_substitution() {
        // A URL-valued ARG: a download, not a local copy.
        let src = "FROM a:1\nARG URL=https://example.com/tool\nADD ${URL} /opt/tool\nENV SRC=app.py\nADD $SRC /app/\nARG UNKNOWN\nADD ${UNKNOWN} /x\n";
        assert_eq!(lines(check, src), [5]);
    }
}
