//! Task definition files: JSON and YAML (CloudFormation), the line locator, and every TD rule
//! on what parses, with each container against an image without a shell and one with `sh`.
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
        let bare = hullscan::image::exec::Exec::default();
        let alpine = hullscan::image::exec::Exec {
            path: vec!["/usr/bin".into(), "/bin".into()],
            shells: vec!["/bin/sh".into()],
            entrypoint: false,
        };
        for td in &tds {
            let _ = hullscan::scan::lint::lint_task_definition(td, &cfg, "fuzz.json");
            for c in &td.containers {
                for exec in [&bare, &alpine] {
                    let launch = hullscan::ecs::Launch {
                        td,
                        container: c,
                        image: "fuzz",
                        exec,
                    };
                    let _ = hullscan::scan::lint::lint_launch(&launch, &cfg, "fuzz.json");
                }
            }
        }
    }
});
