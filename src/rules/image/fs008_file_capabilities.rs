//! FS008 `file-capabilities`. Docs, level and peers: `rules/FS008.toml`.

use crate::image::ImageFacts;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports executables with file capabilities (`security.capability` xattr): like setuid,
/// they raise the privileges of whoever runs them.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    for e in img.fs.entries() {
        let Some(cap) = &e.capability else { continue };
        let caps = decode(cap);
        out.push(
            Finding::new(
                RuleId::FS008,
                format!("`{}` has file capabilities ({caps})", e.path),
            )
            .at_image_path(&e.path, e.layer)
            .evidence("capabilities", caps),
        );
    }
}

const NAMES: &[&str] = &[
    "chown",
    "dac_override",
    "dac_read_search",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "linux_immutable",
    "net_bind_service",
    "net_broadcast",
    "net_admin",
    "net_raw",
    "ipc_lock",
    "ipc_owner",
    "sys_module",
    "sys_rawio",
    "sys_chroot",
    "sys_ptrace",
    "sys_pacct",
    "sys_admin",
    "sys_boot",
    "sys_nice",
    "sys_resource",
    "sys_time",
    "sys_tty_config",
    "mknod",
    "lease",
    "audit_write",
    "audit_control",
    "setfcap",
    "mac_override",
    "mac_admin",
    "syslog",
    "wake_alarm",
    "block_suspend",
    "audit_read",
    "perfmon",
    "bpf",
    "checkpoint_restore",
];

/// Decodes a `vfs_cap_data` xattr (little-endian magic/version, then permitted words) into
/// `cap_net_raw,cap_setuid`; unknown layouts are shown as hex.
fn decode(raw: &[u8]) -> String {
    let word = |i: usize| {
        raw.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(_magic), Some(lo)) = (word(0), word(4)) else {
        return crate::image::layer::hex(raw);
    };
    let hi = word(12).unwrap_or(0);
    let bits = u64::from(lo) | (u64::from(hi) << 32);
    let names: Vec<String> = (0..64)
        .filter(|i| bits & (1 << i) != 0)
        .map(|i| {
            NAMES
                .get(i)
                .map_or_else(|| format!("cap_{i}"), |n| format!("cap_{n}"))
        })
        .collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn capability_xattr() {
        // The builder sets permitted bit 10 (net_bind_service) in a v2 xattr.
        let img = ImgBuilder::default().capability("/usr/bin/ping").build();
        insta::assert_snapshot!(render_img(check, &img), @"FS008 /usr/bin/ping (layer 0): `/usr/bin/ping` has file capabilities (cap_net_bind_service)");
    }

    #[test]
    fn no_xattr_passes() {
        assert!(
            render_img(
                check,
                &ImgBuilder::default()
                    .file("/usr/bin/ping", 0o755, 0)
                    .build()
            )
            .is_empty()
        );
    }
}
