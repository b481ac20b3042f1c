//! FS011 `duplicate-root`. Docs, level and peers: `rules/FS011.toml`.

use super::accounts;
use crate::image::ImageFacts;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports more than one account with uid 0: every one of them is root under another name.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    let (list, file) = accounts(&img.fs);
    let roots: Vec<String> = list
        .into_iter()
        .filter(|a| a.uid == 0)
        .map(|a| a.name)
        .collect();
    if roots.len() > 1
        && let Some((path, layer)) = file
    {
        out.push(
            Finding::new(
                RuleId::FS011,
                format!(
                    "{} accounts have uid 0: `{}`",
                    roots.len(),
                    roots.join("`, `")
                ),
            )
            .at_image_path(&path, layer)
            .evidence("accounts", roots.join(",")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn two_roots() {
        let img = ImgBuilder::default().content("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/false\n").build();
        insta::assert_snapshot!(render_img(check, &img), @"FS011 /etc/passwd (layer 0): 2 accounts have uid 0: `root`, `toor`");
    }

    #[test]
    fn one_root_passes() {
        let img = ImgBuilder::default()
            .content(
                "/etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/app:/bin/false\n",
            )
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
