//! `hullscan dockerfile`: finds Dockerfiles, reads them with size and encoding checks, lints
//! each, and reports. A file that cannot be read or parsed is reported on one line and the
//! others are still linted; the run then exits 2.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use super::CommonArgs;
use hullscan::config::Config;
use hullscan::report::Report;
use hullscan::scan::bases::{BaseResolver, RegistryBases};
use hullscan::scan::cache::LayerCache;
use hullscan::scan::lint::{self, FileName};

#[derive(Debug, Args)]
pub(crate) struct DockerfileArgs {
    /// Dockerfiles, directories to search (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile), or `-` for stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// Name to show for stdin input.
    #[arg(long, value_name = "NAME", default_value = "Dockerfile")]
    stdin_filename: String,
    /// Look up each final base image's config in its registry, so an inherited `USER` or
    /// `HEALTHCHECK` counts (network; also `[dockerfile] resolve-bases = true`).
    #[arg(long)]
    resolve_bases: bool,
    #[command(flatten)]
    pub(crate) registry: super::RegistryArgs,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

enum Input {
    Stdin,
    File(PathBuf),
}

/// Expands the arguments into inputs, in a stable order; errors name what was not found.
fn collect(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            let found = hullscan::dockerfile::discover::find_dockerfiles(p);
            if found.is_empty() {
                errors.push(format!(
                    "`{}`: no Dockerfile or Containerfile found",
                    p.display()
                ));
            }
            out.extend(found.into_iter().map(Input::File));
        } else if p.exists() {
            out.push(Input::File(p.clone()));
        } else {
            errors.push(format!("`{}`: no such file or directory", p.display()));
        }
    }
    out
}

/// Reads a Dockerfile, refusing what cannot be one: too large, binary, not UTF-8, empty.
fn read_text(mut r: impl Read, cap: u64) -> Result<String, String> {
    let mut buf = Vec::new();
    r.by_ref()
        .take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 > cap {
        return Err(format!(
            "larger than {cap} bytes (`dockerfile.max-file-size`)"
        ));
    }
    if buf.contains(&0) {
        return Err("binary file, not a Dockerfile".to_string());
    }
    let text = String::from_utf8(buf).map_err(|e| {
        format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.trim().is_empty() {
        return Err("empty file".to_string());
    }
    Ok(text)
}

/// The repository root: the nearest ancestor of the working directory with `.git`.
pub(crate) fn repo_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// A path relative to the repository root (or the working directory), `/`-separated and
/// never absolute, as SARIF consumers need.
pub(crate) fn repo_relative(path: &Path, root: Option<&Path>) -> String {
    let abs = path.canonicalize().ok();
    let rel = abs
        .as_deref()
        .and_then(|a| root.and_then(|r| a.strip_prefix(r).ok()))
        .unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.trim_start_matches("./")
        .trim_start_matches('/')
        .to_string()
}

/// The repository-relative path of `path`, when it is inside the repository at `root`.
pub(crate) fn inside_repo(path: &Path, root: Option<&Path>) -> Option<String> {
    let abs = path.canonicalize().ok()?;
    let rel = abs.strip_prefix(root?).ok()?;
    let s = rel.to_string_lossy().replace('\\', "/");
    Some(
        s.trim_start_matches("./")
            .trim_start_matches('/')
            .to_string(),
    )
    .filter(|s| !s.is_empty())
}

pub(crate) fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

pub(crate) fn run(args: &DockerfileArgs) -> Result<u8> {
    let cfg: Config = args.common.config()?;
    let mut report = Report {
        rules: cfg
            .enabled
            .iter()
            .copied()
            .filter(|r| r.is_dockerfile())
            .collect(),
        category: args.common.category("hullscan/dockerfile/"),
        ..Report::default()
    };
    let inputs = collect(&args.paths, &mut report.errors);
    let bases = if args.resolve_bases || cfg.resolve_bases {
        Some(RegistryBases::new(
            args.registry.options(&cfg, None)?,
            cfg.limits.max_metadata_bytes,
            LayerCache::default_dir(),
        ))
    } else {
        None
    };
    let root = repo_root();
    let mut sources = BTreeMap::new();
    for input in inputs {
        let (name, text) = match input {
            Input::Stdin => {
                let n = FileName {
                    display: args.stdin_filename.clone(),
                    repo_relative: args.stdin_filename.clone(),
                };
                (n, read_text(std::io::stdin().lock(), cfg.max_file_size))
            }
            Input::File(p) => {
                let n = FileName {
                    display: display(&p),
                    repo_relative: repo_relative(&p, root.as_deref()),
                };
                let text = std::fs::File::open(&p)
                    .map_err(|e| e.to_string())
                    .and_then(|f| read_text(f, cfg.max_file_size));
                (n, text)
            }
        };
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                report.errors.push(format!("`{}`: {e}", name.display));
                continue;
            }
        };
        let resolver = bases.as_ref().map(|b| b as &dyn BaseResolver);
        match lint::lint_text_with(&text, &name, &cfg, resolver) {
            Ok((found, warnings)) => {
                report.warnings.extend(warnings);
                tracing::info!(file = %name.display, findings = found.len(), "linted");
                report.findings.extend(found);
                report.files.push(name.display.clone());
                report
                    .repo_paths
                    .insert(name.display.clone(), name.repo_relative.clone());
                sources.insert(name.display, text);
            }
            Err(e) => report.errors.push(format!("`{}`: {e}", name.display)),
        }
    }
    report.sources = sources;
    let unused = lint::apply_ignores(&mut report.findings, &cfg.ignores);
    report.warnings.extend(unused);
    lint::sort(&mut report.findings);
    args.common.finish(&report, &cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_limits() {
        assert!(read_text(&b"FROM a\n"[..], 10).is_ok());
        assert!(
            read_text(&b"FROM a\nRUN something long\n"[..], 10)
                .unwrap_err()
                .contains("larger")
        );
        assert!(
            read_text(&b"FR\0M"[..], 100)
                .unwrap_err()
                .contains("binary")
        );
        assert!(
            read_text(&b"FROM \xff"[..], 100)
                .unwrap_err()
                .contains("UTF-8")
        );
        assert!(read_text(&b" \n\n"[..], 100).unwrap_err().contains("empty"));
    }
}
