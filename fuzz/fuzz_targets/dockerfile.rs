//! Dockerfile text: parse, analyse every `RUN`, and run every Dockerfile rule.
#![no_main]

use hullscan::config::Config;
use hullscan::scan::lint::{FileName, lint_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let name = FileName {
        display: "Dockerfile".into(),
        repo_relative: ".devcontainer/Dockerfile".into(),
    };
    let _ = lint_text(text, &name, &Config::default());
});
