//! Which files are Dockerfiles, by name, and the directory walk that finds them. One place,
//! so the CLI and the corpus tests find the same files.
//!
//! Names `BuildKit`, Podman and their users build from: `Dockerfile`, `Containerfile`, and any
//! name where one of those is a whole part between `.`, `-` and `_` separators
//! (`Dockerfile.alpine`, `api.Dockerfile`, `Dockerfile-windows`, `Containerfile.fedora`,
//! `build_dockerfile`), case-insensitively. Scripts, documents, patches and templates that
//! carry the word are not Dockerfiles (`dockerfile.go`, `Dockerfile.md`, `Dockerfile.template`,
//! a `Dockerfile.j2` a generator fills in): their text is not what a builder reads.

use std::path::{Path, PathBuf};

/// Extensions of documents, templates, patches and backups: never what a builder reads.
const NEVER_EXT: &[&str] = &[
    "dockerignore",
    "md",
    "markdown",
    "rst",
    "txt",
    "adoc",
    "html",
    "orig",
    "rej",
    "patch",
    "diff",
    "bak",
    "swp",
    "log",
    "template",
    "tmpl",
    "tpl",
    "j2",
    "jinja",
    "jinja2",
    "erb",
    "mustache",
    "hbs",
    "gotmpl",
    "njk",
    "liquid",
    "m4",
    "snap",
    "golden",
    "in",
];

/// Extensions that name a variant as often as a source or data file (`Dockerfile.cpp` builds
/// the C++ backend, `dockerfile.go` is Go source): the content decides.
const AMBIGUOUS_EXT: &[&str] = &[
    "go", "py", "js", "mjs", "ts", "rs", "java", "kt", "rb", "php", "cs", "c", "h", "cpp", "sh",
    "bash", "ps1", "bat", "cmd", "json", "yml", "yaml", "toml", "xml", "ini", "cfg", "lock", "sum",
    "mod",
];

/// What a file name says about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch {
    /// A Dockerfile by its name.
    Yes,
    /// Named like one, with an extension that sources and data use too: read its start.
    Maybe,
    /// Not a Dockerfile.
    No,
}

/// How a file name reads (see the module docs).
#[must_use]
pub fn dockerfile_name(name: &str) -> NameMatch {
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile" || lower == "containerfile" {
        return NameMatch::Yes;
    }
    if !lower
        .split(['.', '-', '_'])
        .any(|part| part == "dockerfile" || part == "containerfile")
    {
        return NameMatch::No;
    }
    match Path::new(&lower).extension().and_then(|e| e.to_str()) {
        Some(e) if NEVER_EXT.contains(&e) => NameMatch::No,
        Some(e) if AMBIGUOUS_EXT.contains(&e) => NameMatch::Maybe,
        _ => NameMatch::Yes,
    }
}

/// True for file names Docker, `BuildKit` and Podman users build from ([`NameMatch::Yes`]).
#[must_use]
pub fn is_dockerfile_name(name: &str) -> bool {
    dockerfile_name(name) == NameMatch::Yes
}

/// True when `head` (a file's first bytes) reads as a Dockerfile: after blank lines,
/// comments and parser directives, the first instruction is `FROM` or `ARG`.
#[must_use]
pub fn looks_like_dockerfile(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}');
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| l.split_whitespace().next())
        .is_some_and(|w| w.eq_ignore_ascii_case("from") || w.eq_ignore_ascii_case("arg"))
}

/// Every Dockerfile under `dir`, sorted. Hidden directories are searched (`.devcontainer`,
/// `.github`); `.git` is not, and `.gitignore` rules apply inside Git work trees only. A
/// name with an ambiguous extension is kept when its first 8 KiB read as a Dockerfile.
#[must_use]
pub fn find_dockerfiles(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| match e.file_name().to_str().map(dockerfile_name) {
            Some(NameMatch::Yes) => true,
            Some(NameMatch::Maybe) => {
                let mut head = Vec::with_capacity(8192);
                std::fs::File::open(e.path())
                    .and_then(|f| {
                        std::io::Read::read_to_end(&mut std::io::Read::take(f, 8192), &mut head)
                    })
                    .is_ok()
                    && looks_like_dockerfile(&head)
            }
            _ => false,
        })
        .map(ignore::DirEntry::into_path)
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::{NameMatch, dockerfile_name, is_dockerfile_name, looks_like_dockerfile};

    #[test]
    fn names_builders_read() {
        for n in [
            "Dockerfile",
            "dockerfile",
            "api.Dockerfile",
            "web.dockerfile",
            "Dockerfile.prod",
            "Dockerfile.alpine",
            "Dockerfile-windows",
            "Dockerfile_debian",
            "ci-dockerfile",
            "Containerfile",
            "Containerfile.fedora",
            "Containerfile-rhel9",
            "app.containerfile",
            "Dockerfile.windows.ltsc2022",
            "Dockerfile.arm64",
        ] {
            assert!(is_dockerfile_name(n), "{n}");
        }
    }

    #[test]
    fn names_that_only_mention_it() {
        for n in [
            "Dockerfile.dockerignore",
            "docker-compose.yml",
            "README.md",
            "Dockerfile.md",
            "Dockerfile.template",
            "Dockerfile-linux.template",
            "Dockerfile.j2",
            "dockerfiles",
            "mydockerfile",
            "Dockerfile.orig",
        ] {
            assert!(!is_dockerfile_name(n), "{n}");
        }
    }

    #[test]
    fn ambiguous_names_are_read() {
        for n in [
            "Dockerfile.cpp",
            "dockerfile.go",
            "dockerfile_test.py",
            "Dockerfile.json",
        ] {
            assert_eq!(dockerfile_name(n), NameMatch::Maybe, "{n}");
        }
        assert!(looks_like_dockerfile(
            b"# syntax=docker/dockerfile:1\n\nARG BASE=ubuntu\nFROM $BASE\n"
        ));
        assert!(looks_like_dockerfile(b"\xef\xbb\xbffrom alpine\n"));
        assert!(!looks_like_dockerfile(
            b"package dockerfile\n\nimport \"fmt\"\n"
        ));
        assert!(!looks_like_dockerfile(b"{\"from\": 1}"));
    }
}
