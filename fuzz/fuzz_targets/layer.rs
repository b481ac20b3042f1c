//! Layer blobs: sniff gzip/zstd/plain, decompress, walk the tar with the runtime's rules
//! (with the secret scanner running beside it, binaries included), and merge the facts. The
//! digest is the input's own, so every input gets past verification.
#![no_main]

use hullscan::image::facts::FsView;
use hullscan::image::layer::{Limits, sha256_digest, walk};
use hullscan::secrets::{FileOptions, Key, SecretScan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_layer_bytes: 64 << 20,
        max_entries: 100_000,
        secrets: Some(SecretScan {
            key: Key::derive(b"fuzz"),
            files: Some(FileOptions {
                binaries: true,
                max_file_bytes: 1 << 20,
            }),
        }),
        ..Limits::default()
    };
    let digest = sha256_digest(data);
    if let Ok(facts) = walk(0, Box::new(std::io::Cursor::new(data.to_vec())), &digest, &limits) {
        let view = FsView::merge(&[facts]);
        let _ = view.read("/etc/passwd");
        let _ = view.resolve("/bin/sh");
    }
});
