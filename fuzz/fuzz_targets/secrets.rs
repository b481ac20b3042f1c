//! The secret detector over arbitrary bytes: prefilter, regexes, validators (base64, JSON of
//! JWTs), masking and the streaming windows; and the archive readers (zip, tar, gzip, zstd, git
//! loose objects and packfiles) over the same bytes behind each one's magic.
#![no_main]

use hullscan::secrets::{FileClass, FileOptions, Key, detector, scan_file_bytes, scan_stream};
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
    // The archive readers: the input as it is (its own magic), and behind each reader's magic.
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend_from_slice(data);
    let mut pack = b"PACK\0\0\0\x02".to_vec();
    pack.extend_from_slice(data);
    let mut loose = vec![0x78];
    loose.extend_from_slice(data);
    for (path, bytes) in [
        ("/app/x.jar", data),
        ("/app/x.jar", &zip[..]),
        ("/app/.git/objects/pack/pack-1.pack", &pack[..]),
        ("/app/.git/objects/ab/cdef0123456789abcdef0123456789abcdef01", &loose[..]),
    ] {
        let _ = scan_file_bytes(&key, &opts, path, bytes);
    }
});
