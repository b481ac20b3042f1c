//! Image rules: config (`IC`), filesystem (`FS`) and layers (`LY`). Each module holds one
//! rule's `check` over [`ImageFacts`]; this file holds what several share: `/etc/passwd`
//! parsing and finding executables by name across the usual `bin` directories.

pub mod fs001_setuid_file;
pub mod fs002_shell;
pub mod fs003_package_manager;
pub mod fs004_network_tool;
pub mod fs005_build_tooling;
pub mod fs006_secret_file;
pub mod fs007_empty_password;
pub mod fs008_file_capabilities;
pub mod fs009_world_writable;
pub mod fs010_vcs_metadata;
pub mod fs011_duplicate_root;
pub mod ic001_image_root_user;
pub mod ic002_mutable_reference;
pub mod ic003_secret_in_config_env;
pub mod ic004_image_missing_healthcheck;
pub mod ic005_image_ssh_port;
pub mod ic006_history_instructions;
pub mod ic007_secret_in_history;
pub mod ly001_oversized_layer;
pub mod ly002_wasted_space;
pub mod ly003_too_many_layers;
pub mod ly004_package_cache;

use std::collections::BTreeMap;

use crate::image::ImageFacts;
use crate::image::facts::{EntryKind, FileContent, FsView};
use crate::rules::{Finding, Findings, RuleId};

/// Adds a config or history secret's evidence (kind, masked preview, keyed fingerprint) to
/// `f`, at the kind's level.
pub(crate) fn with_secret(f: Finding, hit: &crate::secrets::Hit) -> Finding {
    let f = f
        .evidence("kind", hit.kind.clone())
        .evidence("secret", hit.preview.clone())
        .evidence("secret_fingerprint", hit.fingerprint.clone());
    secret_level(f, &hit.kind)
}

/// `f` at the level of secret kind `kind` (a generic assignment is a warning, a
/// passphrase-protected key a note); unknown kinds keep the rule's level.
pub(crate) fn secret_level(f: Finding, kind: &str) -> Finding {
    use crate::secrets::SecretLevel;
    match crate::secrets::detector().kind(kind).map(|k| k.level) {
        Some(SecretLevel::Warning) => f.with_level(crate::rules::Level::Warning),
        Some(SecretLevel::Note) => f.with_level(crate::rules::Level::Note),
        Some(SecretLevel::Error) | None => f,
    }
}

/// An `/etc/passwd` account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Account {
    pub(crate) name: String,
    pub(crate) uid: u64,
}

/// The content of a file as a process in the container reads it (symlinks followed): the
/// real path, bytes and layer, or `None` when it is missing or could not be read whole (the
/// scan engine then warns; rules must not judge a partial file).
pub(crate) fn read_file<'a>(fs: &'a FsView, path: &str) -> Option<(String, &'a [u8], usize)> {
    match fs.read(path) {
        FileContent::Known {
            path,
            content,
            layer,
        } => Some((path, content, layer)),
        _ => None,
    }
}

/// Accounts from the image's `/etc/passwd` as login tools read them (comments skipped,
/// numeric uids), with the real path and layer of the file; empty if there is none.
pub(crate) fn accounts(fs: &FsView) -> (Vec<Account>, Option<(String, usize)>) {
    let Some((path, content, layer)) = read_file(fs, "/etc/passwd") else {
        return (Vec::new(), None);
    };
    let list = String::from_utf8_lossy(content)
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?.to_string();
            let _pw = f.next()?;
            let uid = crate::rules::dockerfile::numeric_uid(f.next()?.trim())?;
            Some(Account {
                name,
                uid: u64::try_from(uid).ok()?,
            })
        })
        .collect();
    (list, Some((path, layer)))
}

/// The uid runc gives the user `name`: the first `/etc/passwd` line with that name, its uid
/// field read with Go's `strconv.Atoi`, where a field that does not parse counts as 0
/// (moby/sys/user ignores the error). `None` when the file or the name is missing.
pub(crate) fn runtime_uid(content: &[u8], name: &str) -> Option<i64> {
    for line in content.split(|&b| b == b'\n') {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let mut f = line.split(|&b| b == b':');
        if f.next() != Some(name.as_bytes()) {
            continue;
        }
        let _pw = f.next();
        let uid = f
            .next()
            .and_then(|u| std::str::from_utf8(u).ok())
            .and_then(crate::rules::dockerfile::numeric_uid)
            .unwrap_or(0);
        return Some(uid);
    }
    None
}

/// True for directories executables are looked up in.
fn is_bin_dir(dir: &str) -> bool {
    dir.ends_with("/bin") || dir.ends_with("/sbin") || dir.ends_with("/libexec")
}

/// Executables in `bin` directories whose name `classify` maps to a tool, grouped by tool:
/// hardlinks and symlinks to one program count once. Returns tool → (paths, layer of the
/// first path).
pub(crate) fn find_tools(
    fs: &FsView,
    classify: impl Fn(&str) -> Option<&'static str>,
) -> BTreeMap<&'static str, (Vec<String>, usize)> {
    let mut out: BTreeMap<&'static str, (Vec<String>, usize)> = BTreeMap::new();
    for e in fs.entries() {
        if !matches!(
            e.kind,
            EntryKind::File | EntryKind::Hardlink | EntryKind::Symlink
        ) {
            continue;
        }
        let (dir, name) = e.path.rsplit_once('/').unwrap_or(("", &e.path));
        if !is_bin_dir(dir) {
            continue;
        }
        let Some(named) = classify(name) else {
            continue;
        };
        // A dangling symlink runs nothing.
        let Some(target) = fs.resolve(&e.path) else {
            continue;
        };
        // A link counts with the program it points to (`sh` -> `dash`), unless that program
        // is not itself one of the tools (`wget` -> `busybox` stays `wget`).
        let target_name = target.path.rsplit('/').next().unwrap_or("");
        let tool = classify(target_name).unwrap_or(named);
        if target.kind == EntryKind::File
            && target.mode & 0o111 == 0
            && e.kind != EntryKind::Symlink
        {
            continue; // not executable
        }
        let slot = out.entry(tool).or_insert_with(|| (Vec::new(), e.layer));
        slot.0.push(e.path.clone());
    }
    out
}

/// Pushes one finding per tool found, listing where it is.
pub(crate) fn report_tools(
    img: &ImageFacts,
    rule: RuleId,
    what: &str,
    classify: impl Fn(&str) -> Option<&'static str>,
    out: &mut Findings,
) {
    for (tool, (paths, layer)) in find_tools(&img.fs, classify) {
        let shown = if paths.len() > 3 {
            format!("{} and {} more", paths[..3].join("`, `"), paths.len() - 3)
        } else {
            paths.join("`, `")
        };
        out.push(
            Finding::new(rule, format!("{what} `{tool}` at `{shown}`"))
                .at_image_path(&paths[0], layer)
                .evidence("tool", tool)
                .evidence("paths", paths.join(" ")),
        );
    }
}

/// Strips a version suffix (`gcc-12`, `python3.11`) for name matching.
pub(crate) fn base_name(name: &str) -> &str {
    match name.split_once('-') {
        Some((b, v)) if v.starts_with(|c: char| c.is_ascii_digit()) => b,
        _ => name,
    }
}
