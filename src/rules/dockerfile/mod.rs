//! Dockerfile rules (`DF`). Each module holds one rule's `check`; this file holds the
//! helpers several of them share: which stages reach the final image, the commands a `RUN`
//! executes, package-manager operations and the root-user matcher.

pub mod df001_root_user;
pub mod df002_mutable_base_tag;
pub mod df003_base_not_pinned;
pub mod df004_single_stage_build_tooling;
pub mod df005_add_local_files;
pub mod df006_add_unverified_url;
pub mod df007_curl_pipe_shell;
pub mod df008_sudo;
pub mod df009_ssh_port;
pub mod df010_secret_in_env;
pub mod df011_missing_healthcheck;
pub mod df012_chmod_setuid;
pub mod df013_package_cache_kept;
pub mod df014_consecutive_run;
pub mod df015_full_distro_base;
pub mod df016_untrusted_registry;
pub mod df017_tls_verification_disabled;
pub mod df018_apt_update_alone;
pub mod df019_system_upgrade;

use std::borrow::Cow;

use crate::dockerfile::shell::Command;
use crate::dockerfile::{Dockerfile, Instruction, Keyword, Stage};
use crate::reference::ImageRef;

/// True when a `USER` value (`name[:group]`) selects uid 0: `root`, `0`, `root:*`, `0:*`, and
/// every spelling the runtime reads as the number 0 (`000`, `+0`, `-0`). Shared with the
/// image-config rule so both judge users the same way.
#[must_use]
pub fn is_root_user(spec: &str) -> bool {
    let user = spec.split(':').next().unwrap_or("").trim();
    user == "root" || numeric_uid(user) == Some(0)
}

/// A user or group field as the runtime parses it: runc and containerd (moby/sys/user) take
/// a field that Go's `strconv.Atoi` accepts as a number (an optional sign, then digits) as
/// an id, and anything else as a name to look up in `/etc/passwd`.
#[must_use]
pub fn numeric_uid(field: &str) -> Option<i64> {
    let digits = field.strip_prefix(['+', '-']).unwrap_or(field);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Atoi fails on overflow, and such a field is then a name; zeros of any length are 0.
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > 18 {
        return None;
    }
    let v: i64 = if trimmed.is_empty() {
        0
    } else {
        trimmed.parse().ok()?
    };
    Some(if field.starts_with('-') { -v } else { v })
}

/// Stages whose base is an image from a registry: not `scratch`, not an earlier stage, and
/// resolvable (a `FROM $ARG` without default is left alone).
pub(crate) fn external_bases(
    df: &Dockerfile,
) -> impl Iterator<Item = (&Stage, &Instruction, ImageRef)> {
    df.stages.iter().filter_map(|s| {
        if s.parent.is_some() || !s.base_resolved || s.base.eq_ignore_ascii_case("scratch") {
            return None;
        }
        let r = ImageRef::parse(&s.base)?;
        Some((s, &df.instructions[s.first], r))
    })
}

/// `RUN` instructions of every stage.
pub(crate) fn all_runs(df: &Dockerfile) -> impl Iterator<Item = &Instruction> {
    df.instructions.iter().filter(|i| i.keyword == Keyword::Run)
}

/// `RUN` instructions that build the final image.
pub(crate) fn final_runs(df: &Dockerfile) -> impl Iterator<Item = &Instruction> {
    df.final_instructions()
        .filter(|i| i.keyword == Keyword::Run)
}

/// Every command a `RUN` executes, wrappers (`sudo`, `env`, `xargs`) seen through and known
/// `ENV`/`ARG` values expanded (the file's shared analysis, `dockerfile::analysis`).
pub(crate) fn run_commands<'d>(df: &'d Dockerfile, ins: &Instruction) -> Cow<'d, [Command]> {
    match df.run_facts(ins) {
        Cow::Borrowed(f) => Cow::Borrowed(f.commands.as_slice()),
        Cow::Owned(f) => Cow::Owned(f.commands),
    }
}

/// What a package-manager command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PkgOp {
    /// Installs packages.
    Install,
    /// Removes packages (purge, del, autoremove).
    Remove,
    /// Refreshes the package index.
    Update,
    /// Upgrades installed packages.
    Upgrade,
}

/// The OS package manager and operation of a command, if it is one.
pub(crate) fn pkg_op(cmd: &Command) -> Option<(&'static str, PkgOp)> {
    // A dry run (`apt-get install -s`, `dnf --assumeno`) changes nothing.
    if cmd.has_flag(&[
        "-s",
        "--simulate",
        "--dry-run",
        "--just-print",
        "--no-act",
        "--recon",
        "--assumeno",
    ]) {
        return None;
    }
    let sub = cmd.subcommand().unwrap_or("");
    let (mgr, op) = match cmd.name() {
        // `xx-apt-get`/`xx-apk`: tonistiigi/xx's cross-compilation wrappers.
        "apt-get" | "apt" | "aptitude" | "xx-apt-get" | "xx-apt" => (
            "apt",
            match sub {
                "install" | "reinstall" | "build-dep" | "satisfy" => PkgOp::Install,
                "remove" | "purge" | "autoremove" => PkgOp::Remove,
                "update" => PkgOp::Update,
                "upgrade" | "dist-upgrade" | "full-upgrade" => PkgOp::Upgrade,
                _ => return None,
            },
        ),
        "apk" | "xx-apk" => (
            "apk",
            match sub {
                "add" => PkgOp::Install,
                "del" => PkgOp::Remove,
                "update" => PkgOp::Update,
                "upgrade" => PkgOp::Upgrade,
                _ => return None,
            },
        ),
        "yum" | "dnf" | "microdnf" | "tdnf" => (
            "yum",
            match sub {
                "install" | "groupinstall" | "builddep" => PkgOp::Install,
                "remove" | "erase" | "autoremove" | "groupremove" => PkgOp::Remove,
                "makecache" => PkgOp::Update,
                // `yum update pkg` updates one package; without packages, everything.
                "update" | "upgrade" | "distro-sync" => PkgOp::Upgrade,
                _ => return None,
            },
        ),
        "zypper" => (
            "zypper",
            match sub {
                "install" | "in" => PkgOp::Install,
                "remove" | "rm" => PkgOp::Remove,
                "refresh" | "ref" => PkgOp::Update,
                "update" | "up" | "dist-upgrade" | "dup" => PkgOp::Upgrade,
                _ => return None,
            },
        ),
        _ => return None,
    };
    Some((mgr, op))
}

/// Package names given to a package-manager command (its non-option args after the
/// subcommand, skipping values of options known to take one).
pub(crate) fn pkg_args(cmd: &Command) -> Vec<&str> {
    let mut out = Vec::new();
    let mut seen_sub = false;
    let mut skip = false;
    for a in cmd.args() {
        if skip {
            skip = false;
            continue;
        }
        if a.starts_with('-') {
            skip = matches!(
                a.as_str(),
                "-o" | "-t" | "--repo" | "-X" | "--setopt" | "-c"
            );
            continue;
        }
        if !seen_sub {
            seen_sub = true;
            continue;
        }
        out.push(a.as_str());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_matcher() {
        for r in [
            "root",
            "0",
            "0:0",
            "root:root",
            "root:staff",
            "000",
            "+0",
            "-0",
            "+0:0",
            "-000",
        ] {
            assert!(is_root_user(r), "{r}");
        }
        for n in [
            "app",
            "1000",
            "1000:0",
            "nonroot",
            "65532:65532",
            "",
            "rooter",
            "+1000",
            "0x0",
            " 0a",
        ] {
            assert!(!is_root_user(n), "{n}");
        }
    }
}
