//! The terminal report: one block per finding with the source lines and a marker, in the
//! style of rustc and ruff, then a summary line.

use std::io::{self, Write};

use super::printable;

use crate::docs;
use crate::report::Report;
use crate::rules::finding::Location;
use crate::rules::{Finding, Level, RuleId};

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
    // Dockerfile findings one by one with their snippet; image findings under their image's
    // header, grouped by rule (eleven setuid files are one FS001 with eleven paths).
    for f in r
        .findings
        .iter()
        .filter(|f| matches!(f.location, Location::Dockerfile { .. }))
    {
        write_dockerfile_finding(r, f, out, &st)?;
    }
    for i in &r.images {
        let digest = i
            .manifest_digest
            .as_deref()
            .map(|d| format!(", {}", short_digest(d)))
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
        let mine: Vec<&Finding> = r
            .findings
            .iter()
            .filter(
                |f| matches!(&f.location, Location::Image { image, .. } if *image == i.reference),
            )
            .collect();
        write_grouped(&mine, out, &st)?;
    }
    let others: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| match &f.location {
            Location::Dockerfile { .. } => false,
            Location::Image { image, .. } => !r.images.iter().any(|i| i.reference == *image),
            Location::Repository { .. } => true,
        })
        .collect();
    write_grouped(&others, out, &st)?;
    let c = r.counts();
    let n = r.findings.len();
    let plural = |n: usize, w: &str| match (n, w.strip_suffix('y')) {
        (1, _) => format!("{n} {w}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {w}s"),
    };
    // What was checked: files (or ECR repositories), live task definitions by ARN, images.
    let live = |f: &&String| f.starts_with("arn:") && f.contains(":task-definition/");
    let image = |f: &&String| r.images.iter().any(|i| i.reference == **f);
    let task_definitions = r.files.iter().filter(live).count();
    let others = r.files.iter().filter(|f| !live(f) && !image(f)).count();
    let images = r.images.len();
    let checked: Vec<String> = [
        (
            others,
            if r.repositories.is_empty() {
                "file"
            } else {
                "repository"
            },
        ),
        (task_definitions, "task definition"),
        (images, "image"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| plural(*n, w))
    .collect();
    let checked = checked.join(" and ");
    if checked.is_empty() {
        let noun = if r.repositories.is_empty() {
            "files"
        } else {
            "repositories"
        };
        writeln!(out, "no {noun} checked")?;
    } else if n == 0 {
        writeln!(out, "{} in {checked}", st.paint("1;32", "no findings"))?;
    } else {
        let parts: Vec<String> = [Level::Error, Level::Warning, Level::Note]
            .iter()
            .filter_map(|l| c.get(l).map(|k| plural(*k, l.as_str())))
            .collect();
        writeln!(
            out,
            "{} ({}) in {checked}",
            plural(n, "finding"),
            parts.join(", "),
        )?;
    }
    Ok(())
}

/// `sha256:0123456789ab` (12 hex digits), enough to tell images apart in a header.
fn short_digest(d: &str) -> String {
    match d.split_once(':') {
        Some((alg, hex)) if hex.len() > 12 => format!("{alg}:{}…", &hex[..12]),
        _ => d.to_string(),
    }
}

/// One Dockerfile finding with its source lines and docs link.
fn write_dockerfile_finding(
    r: &Report,
    f: &Finding,
    out: &mut dyn Write,
    st: &Style,
) -> io::Result<()> {
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
    if let Location::Dockerfile {
        path,
        start_line,
        end_line,
    } = &f.location
        && let Some(src) = r.sources.get(path)
    {
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
                super::snippet_line(text.trim_end())
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
    writeln!(out)
}

/// Image and repository findings grouped by rule (in the report's order): one line for a
/// single finding, else a header with the count and one indented line per place; then the
/// rule's docs link.
fn write_grouped(findings: &[&Finding], out: &mut dyn Write, st: &Style) -> io::Result<()> {
    let mut rules: Vec<RuleId> = Vec::new();
    for f in findings {
        if !rules.contains(&f.rule) {
            rules.push(f.rule);
        }
    }
    // Errors first, then warnings, then notes; by rule id within a level.
    let level_of = |r: RuleId| {
        findings
            .iter()
            .filter(|f| f.rule == r)
            .map(|f| f.level)
            .max()
    };
    rules.sort_by_key(|r| (std::cmp::Reverse(level_of(*r)), *r));
    for rule in rules {
        let group: Vec<&&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
        let level = group.iter().map(|f| f.level).max().unwrap_or(Level::Note);
        let name = &rule.meta().name;
        let where_ = |f: &Finding| match &f.location {
            Location::Image { path, layer, .. } => match (path, layer) {
                (Some(p), Some(l)) => format!("{} (layer {l})", printable(p)),
                (None, Some(l)) => format!("layer {l}"),
                _ => "config".to_string(),
            },
            _ => printable(&f.place()).into_owned(),
        };
        if let [one] = group.as_slice() {
            writeln!(
                out,
                "{}[{rule}] {name}: {}: {}",
                st.level(level),
                st.paint("1", &where_(one)),
                printable(&one.message)
            )?;
        } else {
            writeln!(
                out,
                "{}[{rule}] {name}: {} findings",
                st.level(level),
                group.len()
            )?;
            for f in &group {
                writeln!(
                    out,
                    "  {}: {}",
                    st.paint("1", &where_(f)),
                    printable(&f.message)
                )?;
            }
        }
        writeln!(
            out,
            "  {} docs: {}\n",
            st.paint("34", "="),
            docs::link(rule)
        )?;
    }
    Ok(())
}
