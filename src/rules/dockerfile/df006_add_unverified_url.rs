//! DF006 `add-unverified-url`. Docs, level and peers: `rules/DF006.toml`.

use super::df005_add_local_files::{add_sources, is_remote};
use crate::dockerfile::{Dockerfile, Keyword};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports `ADD <url>` without `--checksum`: the build trusts whatever the server returns.
pub(crate) fn check(df: &Dockerfile, _cx: &RuleContext<'_>, out: &mut Findings) {
    for ins in df.instructions.iter().filter(|i| i.keyword == Keyword::Add) {
        if ins.flag("checksum").is_some_and(|c| !c.is_empty()) {
            continue;
        }
        if let Some(url) = add_sources(ins).into_iter().find(|s| is_remote(s)) {
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
}
