//! Task definition files: JSON and YAML (CloudFormation), the line locator, and every TD rule
//! on what parses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let key = hullscan::secrets::Key::derive(b"fuzz");
    let _ = hullscan::ecs::locate::Lines::of(text);
    if let Ok(tds) = hullscan::ecs::parse("fuzz.json", text, &key) {
        let cfg = hullscan::config::Config::default();
        for td in &tds {
            let _ = hullscan::scan::lint::lint_task_definition(td, &cfg, "fuzz.json");
        }
    }
});
