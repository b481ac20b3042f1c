//! Image history (`created_by`) as Dockerfile instructions: how `BuildKit`, the classic
//! builder and buildah record each step, turned back into `KEYWORD args`. Used to apply
//! Dockerfile rules to images without their Dockerfile (IC006) and to map layers to the
//! lines of a Dockerfile given with `--dockerfile`.

use crate::dockerfile::Keyword;

/// A history step as an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The instruction keyword.
    pub keyword: Keyword,
    /// Its arguments (for `RUN`, the shell command).
    pub args: String,
}

/// Parses one `created_by` string.
///
/// Forms seen in the wild:
/// - `BuildKit`: `RUN /bin/sh -c apt-get update # buildkit`, `COPY . /app # buildkit`
/// - classic builder and buildah: `/bin/sh -c apt-get update`,
///   `/bin/sh -c #(nop)  CMD ["sh"]`, `/bin/sh -c #(nop) COPY file:ab… in /app `
/// - build args prefix `|2 A=1 B=2 /bin/sh -c make`
#[must_use]
pub fn parse_created_by(s: &str) -> Option<Step> {
    let s = s.trim();
    let s = s.strip_suffix("# buildkit").unwrap_or(s).trim_end();
    let s = strip_build_args(s);
    let (first, rest) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
    if let Some(kw) =
        Keyword::from_word(first).filter(|_| first.chars().all(|c| c.is_ascii_uppercase()))
    {
        let args = rest.trim();
        let args = if kw == Keyword::Run {
            strip_shell(strip_build_args(args))
        } else {
            args
        };
        return Some(Step {
            keyword: kw,
            args: args.to_string(),
        });
    }
    let body = strip_shell(s);
    if let Some(nop) = body.strip_prefix("#(nop)") {
        let nop = nop.trim();
        let (kw, args) = nop.split_once(char::is_whitespace).unwrap_or((nop, ""));
        return Some(Step {
            keyword: Keyword::from_word(kw)?,
            args: args.trim().to_string(),
        });
    }
    if body.is_empty() {
        return None;
    }
    Some(Step {
        keyword: Keyword::Run,
        args: body.to_string(),
    })
}

/// Drops a `|N k=v …` prefix: the build args in force, which precede the command.
fn strip_build_args(s: &str) -> &str {
    let Some(rest) = s.strip_prefix('|') else {
        return s;
    };
    let Some(n) = rest
        .split_whitespace()
        .next()
        .and_then(|w| w.parse::<usize>().ok())
    else {
        return s;
    };
    let mut rest = rest.trim_start();
    // The count comes from the image: stop at the end of the text, not after N rounds
    // (a fuzzed `|111111111111111111` spun here; fuzz/artifacts regression below).
    for _ in 0..=n {
        if rest.is_empty() {
            break;
        }
        rest = rest.split_once(' ').map_or("", |(_, r)| r.trim_start());
    }
    rest
}

/// Drops a leading `/bin/sh -c` (or `sh -c`, `/bin/bash -o pipefail -c`).
fn strip_shell(s: &str) -> &str {
    let t = s.trim_start();
    for shell in ["/bin/sh", "sh", "/bin/bash", "bash", "/bin/ash"] {
        if let Some(rest) = t.strip_prefix(shell) {
            if !rest.starts_with(char::is_whitespace) {
                continue;
            }
            if let Some(i) = rest.find(" -c ") {
                return rest[i + 4..].trim_start();
            }
            if let Some(r) = rest.trim_start().strip_prefix("-c") {
                return r.trim_start();
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_huge_build_arg_count_ends_with_the_text() {
        let start = std::time::Instant::now();
        assert_eq!(super::strip_build_args("|111111111111111111 A=1 make"), "");
        let _ = super::parse_created_by("|111111111111111111\n\0rr=10 A}*");
        assert!(start.elapsed().as_secs() < 1);
    }

    use super::*;

    fn step(s: &str) -> (Keyword, String) {
        let st = parse_created_by(s).unwrap();
        (st.keyword, st.args)
    }

    #[test]
    fn buildkit_classic_buildah() {
        assert_eq!(
            step("RUN /bin/sh -c apt-get update # buildkit"),
            (Keyword::Run, "apt-get update".into())
        );
        assert_eq!(
            step("COPY . /app # buildkit"),
            (Keyword::Copy, ". /app".into())
        );
        assert_eq!(
            step("/bin/sh -c #(nop)  CMD [\"sh\"]"),
            (Keyword::Cmd, "[\"sh\"]".into())
        );
        assert_eq!(
            step("/bin/sh -c #(nop) ADD file:abc in / "),
            (Keyword::Add, "file:abc in /".into())
        );
        assert_eq!(
            step("/bin/sh -c curl -s x | sh"),
            (Keyword::Run, "curl -s x | sh".into())
        );
        assert_eq!(
            step("|2 A=1 B=2 /bin/sh -c make"),
            (Keyword::Run, "make".into())
        );
        assert_eq!(
            step("RUN |1 TOKEN=x /bin/sh -c npm ci # buildkit"),
            (Keyword::Run, "npm ci".into())
        );
        assert_eq!(
            step("/bin/bash -o pipefail -c set -e; make"),
            (Keyword::Run, "set -e; make".into())
        );
    }
}
