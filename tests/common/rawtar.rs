//! Tar headers written byte by byte, for the constructs a tar library would refuse to write
//! or would write differently: base-256 and NUL-padded numeric fields, PAX records whose
//! values hold newlines, names with invalid UTF-8, odd type flags and sizes.

/// One 512-byte USTAR header with raw field bytes; the checksum is filled in.
pub struct Header {
    pub block: [u8; 512],
}

impl Header {
    /// A USTAR header for `name` (bytes), type `typeflag`, octal `mode`, and `size`.
    pub fn new(name: &[u8], typeflag: u8, mode: u32, size: u64) -> Header {
        let mut h = Header { block: [0; 512] };
        h.block[..name.len()].copy_from_slice(name);
        h.field(100, 8, format!("{mode:07o}\0").as_bytes());
        h.field(108, 8, b"0000000\0");
        h.field(116, 8, b"0000000\0");
        h.field(124, 12, format!("{size:011o}\0").as_bytes());
        h.field(136, 12, b"14631463146\0");
        h.block[156] = typeflag;
        h.field(257, 6, b"ustar\0");
        h.field(263, 2, b"00");
        h
    }

    /// Overwrites `len` bytes at `at` with `bytes` (zero-padded).
    pub fn field(&mut self, at: usize, len: usize, bytes: &[u8]) -> &mut Self {
        self.block[at..at + len].fill(0);
        self.block[at..at + bytes.len()].copy_from_slice(bytes);
        self
    }

    /// The header block with its checksum, then `content` padded to a block.
    pub fn bytes(&self, content: &[u8]) -> Vec<u8> {
        let mut b = self.block;
        b[148..156].fill(b' ');
        let sum: u32 = b.iter().map(|&c| u32::from(c)).sum();
        b[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        let mut out = b.to_vec();
        out.extend_from_slice(content);
        out.resize(out.len().div_ceil(512) * 512, 0);
        out
    }
}

/// A regular file entry.
pub fn file(name: &[u8], mode: u32, content: &[u8]) -> Vec<u8> {
    Header::new(name, b'0', mode, content.len() as u64).bytes(content)
}

/// A PAX extended header (`x`) holding `records` (values as bytes, newlines allowed).
pub fn pax(records: &[(&str, &[u8])]) -> Vec<u8> {
    let mut data = Vec::new();
    for (k, v) in records {
        let body = k.len() + v.len() + 3;
        let mut n = body + 1;
        while n.to_string().len() + body != n {
            n += 1;
        }
        data.extend_from_slice(format!("{n} {k}=").as_bytes());
        data.extend_from_slice(v);
        data.push(b'\n');
    }
    Header::new(b"PaxHeaders/x", b'x', 0o644, data.len() as u64).bytes(&data)
}
