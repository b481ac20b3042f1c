//! Image metadata: configs (user, env, history, healthcheck), manifests and indexes, and the
//! history parser that maps `created_by` back to Dockerfile instructions.
#![no_main]

use hullscan::image::config::ImageConfig;
use hullscan::image::history::parse_created_by;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cfg) = serde_json::from_slice::<ImageConfig>(data) {
        let _ = cfg.platform();
        let _ = cfg.user();
        let _ = cfg.env();
        for (_, h) in cfg.layer_history() {
            if let Some(c) = h.created_by.as_deref() {
                let _ = parse_created_by(c);
            }
        }
    }
    let _ = serde_json::from_slice::<serde_json::Value>(data);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_created_by(s);
    }
});
