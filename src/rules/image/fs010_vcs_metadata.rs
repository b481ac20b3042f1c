//! FS010 `vcs-metadata`. Docs, level and peers: `rules/FS010.toml`.

use crate::image::ImageFacts;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports version-control metadata (`.git`, `.svn`, `.hg`) copied into the image: it holds
/// the full history, remotes and sometimes credentials. Once per repository directory.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    for e in img.fs.entries() {
        let name = e.path.rsplit('/').next().unwrap_or("");
        if !matches!(name, ".git" | ".svn" | ".hg" | ".bzr") {
            continue;
        }
        // Nested metadata (a .git inside a .git) is part of the outer repository.
        let parent = &e.path[..e.path.len() - name.len()];
        if [".git/", ".svn/", ".hg/"]
            .iter()
            .any(|d| parent.contains(d))
        {
            continue;
        }
        out.push(
            Finding::new(
                RuleId::FS010,
                format!("`{}` is version-control metadata", e.path),
            )
            .at_image_path(&e.path, e.layer),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn git_dir() {
        let img = ImgBuilder::default()
            .dir("/app/.git", 0o755)
            .file("/app/.git/config", 0o644, 0)
            .build();
        insta::assert_snapshot!(render_img(check, &img), @"FS010 /app/.git (layer 0): `/app/.git` is version-control metadata");
    }

    #[test]
    fn gitignore_passes() {
        assert!(
            render_img(
                check,
                &ImgBuilder::default()
                    .file("/app/.gitignore", 0o644, 0)
                    .build()
            )
            .is_empty()
        );
    }
}
