//! IC001 `image-root-user`. Docs, level and peers: `rules/IC001.toml`.

use super::runtime_uid;
use crate::image::ImageFacts;
use crate::rules::dockerfile::{is_root_user, numeric_uid};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports an image whose configured user is root: unset, `root`, `0`, or a name that
/// `/etc/passwd` maps to uid 0. A numeric non-zero uid passes even without a passwd entry.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    let user = img.config.user().trim();
    let msg = if user.is_empty() {
        "image config sets no user; containers run as root".to_string()
    } else if is_root_user(user) {
        format!("image config user is `{user}`; containers run as root")
    } else {
        let name = user.split(':').next().unwrap_or(user);
        if numeric_uid(name).is_some() {
            return;
        }
        // runc looks the name up in the container's `/etc/passwd`, symlinks followed.
        let Some((_, content, _)) = super::read_file(&img.fs, "/etc/passwd") else {
            return;
        };
        match runtime_uid(content, name) {
            Some(0) => format!(
                "image config user `{user}` has uid 0 in `/etc/passwd`; containers run as root"
            ),
            _ => return,
        }
    };
    out.push(
        Finding::new(RuleId::IC001, msg)
            .at_image_config("User")
            .evidence("user", user),
    );
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn root_forms() {
        insta::assert_snapshot!(render_img(check, &ImgBuilder::default().build()), @"IC001 config: image config sets no user; containers run as root");
        let img = ImgBuilder::default()
            .user("app")
            .content(
                "/etc/passwd",
                "root:x:0:0::/root:/bin/sh\napp:x:0:0::/app:/bin/sh\n",
            )
            .build();
        insta::assert_snapshot!(render_img(check, &img), @"IC001 config: image config user `app` has uid 0 in `/etc/passwd`; containers run as root");
        assert!(!render_img(check, &ImgBuilder::default().user("0:0").build()).is_empty());
    }

    #[test]
    fn non_root_passes() {
        assert!(render_img(check, &ImgBuilder::default().user("65532").build()).is_empty());
        let img = ImgBuilder::default()
            .user("app:app")
            .content("/etc/passwd", "app:x:1000:1000::/app:/bin/sh\n")
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
