//! DF006 `add-unverified-url`. Docs, level and peers: `rules/DF006.toml`.

use super::df005_add_local_files::{expanded_sources, is_remote};
use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports `ADD <url>` without `--checksum`: the build trusts whatever the server returns.
/// Sources are read after `ARG`/`ENV` substitution (`ARG URL=https://…` then `ADD ${URL} …`).
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for (idx, ins) in df.instructions.iter().enumerate() {
        if ins.keyword != Keyword::Add || ins.flag("checksum").is_some_and(|c| !c.is_empty()) {
            continue;
        }
        if let Some(url) = expanded_sources(df, idx)
            .into_iter()
            .flatten()
            .find(|s| is_remote(s) && !git_pinned_to_commit(s))
        {
            out.push(
                Finding::new(
                    RuleId::DF006,
                    format!(
                        "`ADD` fetches `{url}` without `--checksum`; its content is not verified"
                    ),
                )
                .at(ins)
                .evidence("url", url),
            );
        }
    }
}

/// A Git source pinned to a full commit id (`…git#<40 hex>`, `?commit=<40 hex>`, `BuildKit`'s
/// `?ref=<40 hex>`): Git checks every object against its hash, so the content cannot change.
fn git_pinned_to_commit(url: &str) -> bool {
    let full_sha = |s: &str| {
        let s = s.split(['&', ':', '#']).next().unwrap_or(s);
        matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
    };
    url.rsplit_once('#').is_some_and(|(_, r)| full_sha(r))
        || ["commit=", "ref="].iter().any(|k| {
            url.split(['?', '&'])
                .filter_map(|p| p.strip_prefix(k))
                .any(full_sha)
        })
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{lines, render};

    #[test]
    fn url_without_checksum() {
        insta::assert_snapshot!(render(check, "FROM a:1\nADD https://example.com/tool.tgz /opt/\n"), @"2: `ADD` fetches `https://example.com/tool.tgz` without `--checksum`; its content is not verified");
    }

    #[test]
    fn checksum_and_local_pass() {
        let src = "FROM a:1\nADD --checksum=sha256:24454f830c https://example.com/x /x\nADD local.txt /x\n";
        assert!(lines(check, src).is_empty());
    }

    #[test]
    fn url_from_a_build_argument() {
        let src = "FROM a:1\nARG TOOL_URL=https://example.com/tool.tgz\nADD ${TOOL_URL} /opt/\nARG SUM\nADD --checksum=${SUM} ${TOOL_URL} /opt/\nARG OTHER\nADD $OTHER /opt/\n";
        assert_eq!(lines(check, src), [3]);
    }

    #[test]
    fn git_sources_pinned_to_a_commit_pass() {
        let sha = "c6242cb0e5c9a1e8f1d6b1f0b0e36c9f4e3a2b1d";
        let src = format!(
            "FROM a:1\nADD https://github.com/a/b.git#{sha} /src\nADD https://github.com/a/b.git?commit={sha}&keep-git-dir=1 /src\nADD https://github.com/a/b.git#v1.4.3 /src\n"
        );
        assert_eq!(lines(check, &src), [4]);
    }
}
