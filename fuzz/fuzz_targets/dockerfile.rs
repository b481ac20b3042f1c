//! Dockerfile text: parse, analyse every `RUN`, and run every Dockerfile rule. The first byte
//! picks the file's path (rules read it: a `.devcontainer/` or `Dockerfile.dev` image is a
//! development image, where DF004 and DF015 return early), and a registry allow-list is set,
//! so DF016 runs too.
#![no_main]

use std::sync::OnceLock;

use hullscan::config::Config;
use hullscan::scan::lint::{FileName, lint_text};
use libfuzzer_sys::fuzz_target;

const PATHS: &[&str] = &[
    "Dockerfile",
    "services/api/Dockerfile",
    ".devcontainer/Dockerfile",
    "Dockerfile.dev",
    "ci/Dockerfile",
    "build/docker/Dockerfile",
    "windows/Dockerfile.windows",
    "toolchains/arm/Dockerfile",
];

fn config() -> &'static Config {
    static CFG: OnceLock<Config> = OnceLock::new();
    CFG.get_or_init(|| {
        Config::from_toml(
            "[dockerfile]\nallowed-registries = [\"docker.io/library/*\", \"ghcr.io/acme/*\"]\n",
            std::path::Path::new("fuzz.toml"),
        )
        .expect("the fuzz configuration is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = PATHS[usize::from(pick) % PATHS.len()];
    let name = FileName {
        display: path.into(),
        repo_relative: path.into(),
    };
    let _ = lint_text(text, &name, config());
});
