//! FS007 `empty-password`. Docs, level and peers: `rules/FS007.toml`.

use crate::image::ImageFacts;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports accounts whose `/etc/shadow` password field is empty: anyone can log in as them
/// (`su`, `login`) without a password. `*`, `!` and `x` lock the account and pass.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    let Some((path, content, layer)) = super::read_file(&img.fs, "/etc/shadow") else {
        return;
    };
    for line in String::from_utf8_lossy(content).lines() {
        let mut f = line.split(':');
        let (Some(name), Some(pw)) = (f.next(), f.next()) else {
            continue;
        };
        if !name.is_empty() && pw.is_empty() {
            out.push(
                Finding::new(
                    RuleId::FS007,
                    format!("account `{name}` has an empty password in `/etc/shadow`"),
                )
                .at_image_path(&path, layer)
                .evidence("account", name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn empty_field() {
        let img = ImgBuilder::default()
            .content(
                "/etc/shadow",
                "root::19000:0:99999:7:::\nbin:*:19000::::::\n",
            )
            .build();
        insta::assert_snapshot!(render_img(check, &img), @"FS007 /etc/shadow (layer 0): account `root` has an empty password in `/etc/shadow`");
    }

    #[test]
    fn locked_accounts_pass() {
        let img = ImgBuilder::default()
            .content(
                "/etc/shadow",
                "root:*:19000:0:99999:7:::\napp:!:19000::::::\nx:$6$abc$def:1::::::\n",
            )
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
