//! Task definition and service files: JSON, YAML (CloudFormation) and Terraform HCL, the line
//! locator, JSON templates, and every TD rule on what parses, with each container against an
//! image without a shell and one with `sh`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let key = hullscan::secrets::Key::derive(b"fuzz");
    let _ = hullscan::ecs::locate::Lines::of(text);
    let _ = hullscan::ecs::hcl::template_json(text);
    // `file()` of the HCL reads the same bytes back: a referenced file is fuzzed too.
    let load = |_: &str| Ok(("fuzz.json".to_string(), text.to_string()));
    for file in ["fuzz.json", "fuzz.tf"] {
        let Ok(parsed) = hullscan::ecs::parse_with(file, text, &key, &load) else {
            continue;
        };
        // A registry allow-list, so TD015 runs too (issue 34: with none it returns at once).
        let cfg = hullscan::config::Config::from_toml(
            "[dockerfile]\nallowed-registries = [\"docker.io/library/*\", \"*.dkr.ecr.*.amazonaws.com/*\"]\n",
            std::path::Path::new("fuzz.toml"),
        )
        .expect("the fuzz configuration is valid");
        let bare = hullscan::image::exec::Exec::default();
        let alpine = hullscan::image::exec::Exec {
            path: vec!["/usr/bin".into(), "/bin".into()],
            shells: vec!["/bin/sh".into()],
            entrypoint: false,
        };
        for s in &parsed.services {
            let _ = hullscan::scan::lint::lint_service(s, &cfg, file);
        }
        for td in &parsed.tasks {
            let _ = hullscan::scan::lint::lint_task_definition(td, &cfg, file);
            for c in &td.containers {
                for exec in [&bare, &alpine] {
                    let launch = hullscan::ecs::Launch {
                        td,
                        container: c,
                        image: "fuzz",
                        exec,
                    };
                    let _ = hullscan::scan::lint::lint_launch(&launch, &cfg, file);
                }
            }
        }
    }
});
