//! Image references in every transport (`docker://`, `oci:`, archives, bare names).
#![no_main]

use hullscan::reference::ImageRef;
use hullscan::source::ImageSpec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = ImageSpec::parse(s);
    if let Some(r) = ImageRef::parse(s) {
        let _ = r.name();
        let _ = r.short_name();
    }
});
