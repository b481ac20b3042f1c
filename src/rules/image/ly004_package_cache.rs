//! LY004 `package-cache`. Docs, level and peers: `rules/LY004.toml`.

use std::collections::BTreeMap;

use crate::image::ImageFacts;
use crate::image::facts::EntryKind;
use crate::rules::{Finding, Findings, RuleContext, RuleId};
use crate::units::mib;

/// Cache directories of package managers, by name.
const CACHES: &[(&str, &str)] = &[
    ("/var/lib/apt/lists/", "apt lists"),
    ("/var/cache/apt/", "apt archives"),
    ("/var/cache/apk/", "apk cache"),
    ("/var/cache/yum/", "yum cache"),
    ("/var/cache/dnf/", "dnf cache"),
    ("/root/.cache/pip/", "pip cache"),
    ("/root/.npm/_cacache/", "npm cache"),
    ("/usr/local/share/.cache/yarn/", "yarn cache"),
    ("/root/.cache/go-build/", "go build cache"),
    ("/root/.cargo/registry/", "cargo registry"),
];

/// Reports package-manager caches left in the final filesystem, per cache, above
/// `[image] min-cache-bytes`.
pub(crate) fn check(img: &ImageFacts, cx: &RuleContext<'_>, out: &mut Findings) {
    let mut found: BTreeMap<&str, (&str, u64, usize, usize)> = BTreeMap::new();
    for e in img.fs.entries() {
        if e.kind != EntryKind::File {
            continue;
        }
        if let Some((dir, name)) = CACHES.iter().find(|(d, _)| e.path.starts_with(d)) {
            let slot = found.entry(dir).or_insert((name, 0, 0, e.layer));
            slot.1 += e.size;
            slot.2 += 1;
            slot.3 = slot.3.max(e.layer);
        }
    }
    for (dir, (name, bytes, files, layer)) in found {
        if bytes < cx.settings.min_cache_bytes {
            continue;
        }
        out.push(
            Finding::new(
                RuleId::LY004,
                format!("{name} left in `{dir}`: {} in {files} files", mib(bytes)),
            )
            .at_image_path(dir.trim_end_matches('/'), layer)
            .evidence("bytes", bytes.to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn apt_lists() {
        let img = ImgBuilder::default().sized("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", 9 << 20).sized("/var/lib/apt/lists/lock", 0).build();
        insta::assert_snapshot!(render_img(check, &img), @"LY004 /var/lib/apt/lists (layer 0): apt lists left in `/var/lib/apt/lists/`: 9.0 MiB in 2 files");
    }

    #[test]
    fn cleaned_passes() {
        let img = ImgBuilder::default()
            .sized("/var/lib/apt/lists/x", 9 << 20)
            .layer()
            .whiteout("/var/lib/apt/lists/x")
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
