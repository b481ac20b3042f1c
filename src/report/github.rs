//! GitHub Actions workflow commands: each finding becomes an annotation on its Dockerfile
//! line in the pull request. Values are escaped as the runner expects.

use std::io::{self, Write};

use crate::report::Report;
use crate::rules::Level;
use crate::rules::finding::Location;

fn escape_data(s: &str) -> String {
    super::printable(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_prop(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes one `::error|warning|notice` line per finding.
///
/// # Errors
/// When writing fails.
pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    // Name exactly what was scanned, so a run's annotations can be traced to a digest.
    for i in &r.images {
        let digest = i.manifest_digest.as_deref().unwrap_or("no manifest digest");
        writeln!(
            out,
            "::notice title=hullscan::{}",
            escape_data(&format!(
                "scanned {} from {} ({}, {digest})",
                i.reference, i.source, i.platform
            ))
        )?;
    }
    for f in &r.findings {
        let cmd = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let title = escape_prop(&format!("{} {}", f.rule, f.rule.meta().name));
        match &f.location {
            Location::Dockerfile {
                path,
                start_line,
                end_line,
            } => {
                let path = r.repo_paths.get(path).map_or(path.as_str(), String::as_str);
                writeln!(
                    out,
                    "::{cmd} file={},line={start_line},endLine={end_line},title={title}::{}",
                    escape_prop(path),
                    escape_data(&f.message)
                )?;
            }
            Location::Image { .. } | Location::Repository { .. } => {
                // Annotate the image's source file when it is in the repository.
                let file = r
                    .repo_paths
                    .get(f.path())
                    .map(|p| format!("file={},line=1,", escape_prop(p)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "::{cmd} {file}title={title}::{}: {}",
                    escape_data(&f.place()),
                    escape_data(&f.message)
                )?;
            }
        }
    }
    Ok(())
}
