//! The terminal report: one block per finding with the source lines and a marker, in the
//! style of rustc and ruff, then a summary line.

use std::io::{self, Write};

use super::printable;

use crate::docs;
use crate::report::Report;
use crate::rules::Level;
use crate::rules::finding::Location;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn level(&self, l: Level) -> String {
        let code = match l {
            Level::Error => "1;31",
            Level::Warning => "1;33",
            Level::Note => "1;36",
        };
        self.paint(code, l.as_str())
    }
}

/// Lines of a finding's span shown at most; longer spans end with `...`.
const MAX_SNIPPET_LINES: usize = 4;

/// Writes the human report.
///
/// # Errors
/// When writing fails.
pub fn write(r: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let st = Style { on: color };
    for i in &r.images {
        let digest = i
            .manifest_digest
            .as_deref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{} {} from {} ({}{digest}): {} layer{}, {} files, {}\n",
            st.paint("1", "scanned"),
            printable(&i.reference),
            i.source,
            printable(&i.platform),
            i.layers,
            if i.layers == 1 { "" } else { "s" },
            i.files,
            crate::units::mib(i.bytes)
        )?;
    }
    for repo in &r.repositories {
        writeln!(
            out,
            "{} {} ({}): tags {}, scan on push {}, encryption {}\n",
            st.paint("1", "checked"),
            repo.name,
            repo.arn,
            repo.tag_mutability,
            if repo.scan_on_push { "on" } else { "off" },
            repo.encryption_type
        )?;
    }
    for f in &r.findings {
        let m = f.rule.meta();
        writeln!(
            out,
            "{}: {}[{}] {}: {}",
            st.paint("1", &printable(&f.place())),
            st.level(f.level),
            f.rule,
            m.name,
            printable(&f.message)
        )?;
        let snippet = match &f.location {
            Location::Dockerfile {
                path,
                start_line,
                end_line,
            } => r.sources.get(path).map(|src| (src, start_line, end_line)),
            Location::Image { .. } | Location::Repository { .. } => None,
        };
        if let Some((src, start_line, end_line)) = snippet {
            let lines: Vec<&str> = src.lines().collect();
            let width = end_line.to_string().len();
            writeln!(out, "{:width$} {}", "", st.paint("34", "|"))?;
            let span = (*start_line as usize)..=(*end_line as usize);
            let count = span.clone().count();
            for n in span.take(MAX_SNIPPET_LINES) {
                let text = lines.get(n.wrapping_sub(1)).copied().unwrap_or("");
                writeln!(
                    out,
                    "{} {} {}",
                    st.paint("34", &format!("{n:>width$}")),
                    st.paint("34", "|"),
                    printable(text.trim_end())
                )?;
            }
            if count > MAX_SNIPPET_LINES {
                writeln!(out, "{:width$} {} ...", "", st.paint("34", "|"))?;
            }
            writeln!(
                out,
                "{:width$} {} {}",
                "",
                st.paint("34", "="),
                format_args!("docs: {}", docs::link(f.rule))
            )?;
        }
        writeln!(out)?;
    }
    let c = r.counts();
    let n = r.findings.len();
    let files = r.files.len();
    let plural = |n: usize, w: &str| match (n, w.strip_suffix('y')) {
        (1, _) => format!("{n} {w}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {w}s"),
    };
    let noun = if !r.images.is_empty() {
        "image"
    } else if !r.repositories.is_empty() {
        "repository"
    } else {
        "file"
    };
    if files == 0 {
        writeln!(
            out,
            "no {} checked",
            plural(0, noun).trim_start_matches("0 ")
        )?;
    } else if n == 0 {
        writeln!(
            out,
            "{} in {}",
            st.paint("1;32", "no findings"),
            plural(files, noun)
        )?;
    } else {
        let parts: Vec<String> = [Level::Error, Level::Warning, Level::Note]
            .iter()
            .filter_map(|l| c.get(l).map(|k| plural(*k, l.as_str())))
            .collect();
        writeln!(
            out,
            "{} ({}) in {}",
            plural(n, "finding"),
            parts.join(", "),
            plural(files, noun)
        )?;
    }
    Ok(())
}
