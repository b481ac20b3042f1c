//! The secret detector over arbitrary bytes: prefilter, regexes, validators (base64, JSON of
//! JWTs), masking and the streaming windows.
#![no_main]

use hullscan::secrets::{FileClass, FileOptions, Key, detector, scan_stream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = Key::derive(b"fuzz");
    let det = detector();
    for class in [FileClass::ANY, FileClass::of("/app/x.js"), FileClass::of("/app/node_modules/x/y.json")] {
        let _ = det.find_in(data, class);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = det.scan_text(&key, text);
    }
    let mut pos = 0;
    let mut buf = Vec::new();
    let opts = FileOptions {
        binaries: true,
        max_file_bytes: 1 << 20,
    };
    let _ = scan_stream(det, &key, &opts, FileClass::ANY, &mut buf, |out| {
        // Small reads: windows and pieces of odd sizes.
        let n = out.len().min(data.len() - pos).min(4093);
        out[..n].copy_from_slice(&data[pos..pos + n]);
        pos += n;
        Ok(n)
    });
});
