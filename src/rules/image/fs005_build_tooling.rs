//! FS005 `build-tooling`. Docs, level and peers: `rules/FS005.toml`.

use super::{base_name, report_tools};
use crate::image::ImageFacts;
use crate::rules::{Findings, RuleContext, RuleId};

/// Reports compilers and build systems in the final image.
pub(crate) fn check(img: &ImageFacts, _cx: &RuleContext<'_>, out: &mut Findings) {
    report_tools(img, RuleId::FS005, "build tool", classify, out);
}

fn classify(name: &str) -> Option<&'static str> {
    // `x86_64-linux-gnu-gcc-12` and `gcc-12` are gcc too.
    let n = name.rsplit_once("-linux-gnu-").map_or(name, |(_, t)| t);
    Some(match base_name(n) {
        "gcc" | "cc" | "c89" | "c99" => "gcc",
        "g++" | "c++" => "g++",
        "clang" | "clang++" => "clang",
        "make" | "gmake" => "make",
        "cmake" => "cmake",
        "go" => "go",
        "cargo" => "cargo",
        "rustc" => "rustc",
        "javac" => "javac",
        "mvn" => "maven",
        "gradle" => "gradle",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{ImgBuilder, render_img};

    #[test]
    fn compilers() {
        let img = ImgBuilder::default()
            .file("/usr/bin/x86_64-linux-gnu-gcc-12", 0o755, 0)
            .symlink("/usr/bin/gcc", "x86_64-linux-gnu-gcc-12")
            .file("/usr/local/go/bin/go", 0o755, 0)
            .build();
        insta::assert_snapshot!(render_img(check, &img), @r"
        FS005 /usr/bin/gcc (layer 0): build tool `gcc` at `/usr/bin/gcc`, `/usr/bin/x86_64-linux-gnu-gcc-12`
        FS005 /usr/local/go/bin/go (layer 0): build tool `go` at `/usr/local/go/bin/go`
        ");
    }

    #[test]
    fn runtime_only_passes() {
        let img = ImgBuilder::default()
            .file("/usr/bin/python3", 0o755, 0)
            .file("/usr/lib/gcc/x86_64-linux-gnu/12/libgcc_s.so", 0o644, 0)
            .build();
        assert!(render_img(check, &img).is_empty());
    }
}
