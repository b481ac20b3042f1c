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

/// Extensions of files that mention Dockerfiles but are not one: source code, documents,
/// data, patches, and templates that a generator turns into a Dockerfile.
const NOT_DOCKERFILE_EXT: &[&str] = &[
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
    "go",
    "py",
    "js",
    "mjs",
    "ts",
    "rs",
    "java",
    "kt",
    "rb",
    "php",
    "cs",
    "c",
    "h",
    "cpp",
    "sh",
    "bash",
    "ps1",
    "bat",
    "cmd",
    "json",
    "yml",
    "yaml",
    "toml",
    "xml",
    "ini",
    "cfg",
    "lock",
    "sum",
    "mod",
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
];

/// True for file names Docker, `BuildKit` and Podman users build from.
#[must_use]
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile" || lower == "containerfile" {
        return true;
    }
    let ext = Path::new(&lower).extension().and_then(|e| e.to_str());
    if ext.is_some_and(|e| NOT_DOCKERFILE_EXT.contains(&e)) {
        return false;
    }
    lower
        .split(['.', '-', '_'])
        .any(|part| part == "dockerfile" || part == "containerfile")
}

/// Every Dockerfile under `dir`, sorted. Hidden directories are searched (`.devcontainer`,
/// `.github`); `.git` is not, and `.gitignore` rules apply inside Git work trees only.
#[must_use]
pub fn find_dockerfiles(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| e.file_name().to_str().is_some_and(is_dockerfile_name))
        .map(ignore::DirEntry::into_path)
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::is_dockerfile_name;

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
            "dockerfile.go",
            "dockerfile_test.py",
            "dockerfiles",
            "mydockerfile",
            "Dockerfile.orig",
        ] {
            assert!(!is_dockerfile_name(n), "{n}");
        }
    }
}
