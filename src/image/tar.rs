//! A streaming tar reader that reads a layer the way the runtime will: Go's `archive/tar`,
//! which containerd, moby and umoci unpack layers with. Where a permissive reader and the
//! runtime could disagree about an entry, an attacker hides in the difference (a setuid mode
//! written in base-256, a PAX `size` record the scanner drops), so every field is parsed by
//! Go's rules, and what Go rejects is rejected here too.
//!
//! Rules reproduced (Go 1.2x `archive/tar/reader.go`, `strconv.go`, `format.go`):
//! - a header block is valid only if its checksum (unsigned or signed sum) matches; the
//!   format is USTAR/PAX (`ustar\0` `00`), GNU (`ustar ` ` \0`), STAR, or V7;
//! - numeric fields: base-256 when the first byte has the high bit (negative with `0x40`),
//!   else octal after trimming spaces and NULs on both sides and cutting at the first NUL;
//!   anything else fails the header;
//! - USTAR/PAX names are `prefix/name`; GNU `L`/`K` records and PAX `path`/`linkpath`
//!   replace them (the last one wins); special files are capped at 1 MiB;
//! - PAX records are read by their decimal length prefix, `key=value\n`; a record that does
//!   not parse fails the header; an `x` header applies to the next entry only, a `g` header
//!   to none (containerd ignores global headers); empty values keep the header's field;
//! - header-only types (links, directories, devices, FIFOs) have no content whatever their
//!   size field says; `\0` is a regular file, or a directory when the name ends in `/`;
//! - one zero block followed by EOF or a second zero block ends the archive; a zero block
//!   followed by a header fails; EOF at a header boundary or inside padding ends the archive
//!   (umoci writes layers without a trailer); EOF inside content or a header fails.
//!
//! Sparse files (GNU `S`, PAX `GNU.sparse.*`) are refused: containerd either rejects them or
//! reads their logical content, which this walker does not reconstruct. Names stay bytes.

use std::io::{self, Read};

/// PAX records in file order, later duplicates removed: (key, value).
type PaxRecords = Vec<(Vec<u8>, Vec<u8>)>;

/// Largest PAX or GNU long-name record, as Go's `maxSpecialFileSize`.
const MAX_SPECIAL: u64 = 1 << 20;
const BLOCK: usize = 512;

/// Why a layer's tar stream was refused.
#[derive(Debug, thiserror::Error)]
pub enum TarError {
    /// A header the runtime rejects too.
    #[error("invalid tar header: {0}")]
    Header(String),
    /// A construct the runtime reads differently from any simple reading, refused loudly.
    #[error("unsupported tar entry: {0}")]
    Unsupported(String),
    /// The stream ended inside a header or a file's content.
    #[error("tar stream ends inside {0}")]
    Truncated(&'static str),
    /// Reading or decompressing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// One entry as the runtime will create it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// The name, raw bytes (`usr/bin/su`).
    pub name: Vec<u8>,
    /// Symlink or hardlink target, raw bytes.
    pub linkname: Vec<u8>,
    /// Type flag after normalisation (`0`, `1`, `2`, `3`, `4`, `5`, `6`).
    pub typeflag: u8,
    /// Mode as Go parsed it (only the low 12 bits reach the filesystem).
    pub mode: i64,
    /// Owner uid as Go parsed it.
    pub uid: i64,
    /// Group gid as Go parsed it.
    pub gid: i64,
    /// Content size (0 for header-only types).
    pub size: u64,
    /// `SCHILY.xattr.*` records: name without the prefix, value.
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
    /// Where the entry's header starts in the tar stream.
    pub offset: u64,
}

/// Reads entries and their content from a tar stream.
pub struct Reader<R> {
    r: R,
    /// Content bytes of the current entry not yet read.
    remaining: u64,
    /// Padding after the current entry's content.
    pad: u64,
    /// Bytes consumed from `r`.
    pos: u64,
    done: bool,
    trailer: bool,
    scratch: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    V7,
    Ustar,
    Gnu,
    Star,
}

impl<R: Read> Reader<R> {
    /// A reader over a decompressed tar stream.
    pub fn new(r: R) -> Self {
        Reader {
            r,
            remaining: 0,
            pad: 0,
            pos: 0,
            done: false,
            trailer: false,
            scratch: vec![0; 128 << 10],
        }
    }

    /// Bytes consumed from the stream so far.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// True once an end-of-archive zero block was read.
    pub fn saw_trailer(&self) -> bool {
        self.trailer
    }

    /// The next entry, or `None` at the end of the archive. Unread content of the previous
    /// entry is skipped.
    ///
    /// # Errors
    /// See [`TarError`].
    pub fn next_entry(&mut self) -> Result<Option<Header>, TarError> {
        let mut pax: PaxRecords = Vec::new();
        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        loop {
            if self.done {
                return Ok(None);
            }
            self.skip_content()?;
            // EOF inside the padding ends the archive, as Go's `tryReadFull` makes it.
            let pad = self.pad;
            self.pad = 0;
            if self.skip(pad)? < pad {
                self.done = true;
                return Ok(None);
            }
            let offset = self.pos;
            let mut blk = [0u8; BLOCK];
            match self.fill(&mut blk)? {
                0 => {
                    self.done = true;
                    return Ok(None);
                }
                BLOCK => {}
                _ => return Err(TarError::Truncated("a header")),
            }
            if blk.iter().all(|&b| b == 0) {
                self.trailer = true;
                let mut second = [0u8; BLOCK];
                return match self.fill(&mut second)? {
                    0 => {
                        self.done = true;
                        Ok(None)
                    }
                    BLOCK if second.iter().all(|&b| b == 0) => {
                        self.done = true;
                        Ok(None)
                    }
                    BLOCK => Err(TarError::Header("a zero block followed by a header".into())),
                    _ => Err(TarError::Truncated("the end-of-archive marker")),
                };
            }
            let mut hdr = parse_header(&blk)?;
            hdr.offset = offset;
            self.set_content(&hdr);
            match hdr.typeflag {
                b'x' => {
                    // A later `x` replaces an earlier one, as in Go.
                    pax = parse_pax(&self.read_special()?)?;
                }
                b'g' => {
                    // Go returns global headers to the caller and containerd ignores them;
                    // pending local state is dropped with them.
                    self.read_special()?;
                    pax.clear();
                    long_name = None;
                    long_link = None;
                }
                b'L' => long_name = Some(cstr(&self.read_special()?).to_vec()),
                b'K' => long_link = Some(cstr(&self.read_special()?).to_vec()),
                _ => {
                    merge_pax(&mut hdr, &pax)?;
                    if let Some(n) = long_name.take() {
                        hdr.name = n;
                    }
                    if let Some(l) = long_link.take() {
                        hdr.linkname = l;
                    }
                    if hdr.typeflag == 0 {
                        hdr.typeflag = if hdr.name.ends_with(b"/") { b'5' } else { b'0' };
                    }
                    if hdr.typeflag == b'S'
                        || pax.iter().any(|(k, _)| k.starts_with(b"GNU.sparse."))
                    {
                        return Err(TarError::Unsupported(format!(
                            "`{}` is a sparse file",
                            String::from_utf8_lossy(&hdr.name)
                        )));
                    }
                    // The PAX `size` may have changed the content length.
                    self.set_content(&hdr);
                    hdr.size = self.remaining;
                    return Ok(Some(hdr));
                }
            }
        }
    }

    /// Reads from the current entry's content.
    ///
    /// # Errors
    /// When the stream ends before the content does.
    pub fn read_content(&mut self, buf: &mut [u8]) -> Result<usize, TarError> {
        let want = usize::try_from(self.remaining)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        if want == 0 {
            return Ok(0);
        }
        let n = read_retry(&mut self.r, &mut buf[..want])?;
        if n == 0 {
            return Err(TarError::Truncated("a file's content"));
        }
        self.pos += n as u64;
        self.remaining -= n as u64;
        Ok(n)
    }

    /// Sets up the content and padding of `hdr` (Go's `handleRegularFile`).
    fn set_content(&mut self, hdr: &Header) {
        let header_only = matches!(hdr.typeflag, b'1' | b'2' | b'3' | b'4' | b'5' | b'6');
        let size = if header_only { 0 } else { hdr.size };
        self.remaining = size;
        self.pad = (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64;
    }

    fn skip_content(&mut self) -> Result<(), TarError> {
        let n = self.remaining;
        if self.skip(n)? < n {
            return Err(TarError::Truncated("a file's content"));
        }
        self.remaining = 0;
        Ok(())
    }

    /// The content of a PAX or GNU long-name entry, capped as Go caps it.
    fn read_special(&mut self) -> Result<Vec<u8>, TarError> {
        if self.remaining > MAX_SPECIAL {
            return Err(TarError::Header(format!(
                "extended header of {} bytes (the runtime's limit is {MAX_SPECIAL})",
                self.remaining
            )));
        }
        let mut buf = vec![0u8; usize::try_from(self.remaining).unwrap_or(0)];
        let mut filled = 0;
        while filled < buf.len() {
            filled += self.read_content(&mut buf[filled..])?;
        }
        Ok(buf)
    }

    /// Skips up to `n` bytes; returns how many were there. Skipping is most of the walk
    /// (file contents nobody reads), so it goes in large reads through one reused buffer.
    fn skip(&mut self, n: u64) -> Result<u64, TarError> {
        let mut left = n;
        while left > 0 {
            let want = usize::try_from(left)
                .unwrap_or(usize::MAX)
                .min(self.scratch.len());
            let got = read_retry(&mut self.r, &mut self.scratch[..want])?;
            if got == 0 {
                break;
            }
            left -= got as u64;
        }
        self.pos += n - left;
        Ok(n - left)
    }

    /// Reads a whole block unless the stream ends; returns the bytes read.
    fn fill(&mut self, blk: &mut [u8]) -> Result<usize, TarError> {
        let mut filled = 0;
        while filled < blk.len() {
            let n = read_retry(&mut self.r, &mut blk[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        self.pos += filled as u64;
        Ok(filled)
    }
}

fn read_retry(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// The bytes before the first NUL (Go's `parseString`).
fn cstr(b: &[u8]) -> &[u8] {
    b.iter().position(|&c| c == 0).map_or(b, |i| &b[..i])
}

/// Parses numeric fields as Go does, remembering the first failure.
#[derive(Default)]
struct Parser {
    err: Option<String>,
}

impl Parser {
    fn numeric(&mut self, field: &'static str, b: &[u8]) -> i64 {
        if b.first().is_some_and(|&c| c & 0x80 != 0) {
            // Base-256: big-endian two's complement, the first byte's top bit a marker.
            let inv: u8 = if b[0] & 0x40 != 0 { 0xff } else { 0 };
            let mut x: u64 = 0;
            for (i, &c) in b.iter().enumerate() {
                let mut c = c ^ inv;
                if i == 0 {
                    c &= 0x7f;
                }
                if x >> 56 > 0 {
                    self.fail(field);
                    return 0;
                }
                x = x << 8 | u64::from(c);
            }
            if x >> 63 > 0 {
                self.fail(field);
                return 0;
            }
            #[allow(clippy::cast_possible_wrap)] // checked above: below 2^63
            let v = x as i64;
            return if inv == 0xff { !v } else { v };
        }
        self.octal(field, b)
    }

    fn octal(&mut self, field: &'static str, b: &[u8]) -> i64 {
        let trimmed = trim(b);
        if trimmed.is_empty() {
            return 0;
        }
        let s = cstr(trimmed);
        if s.is_empty() || !s.iter().all(|c| (b'0'..=b'7').contains(c)) {
            self.fail(field);
            return 0;
        }
        let mut x: u64 = 0;
        for &c in s {
            let Some(v) = x
                .checked_mul(8)
                .and_then(|v| v.checked_add(u64::from(c - b'0')))
            else {
                self.fail(field);
                return 0;
            };
            x = v;
        }
        #[allow(clippy::cast_possible_wrap)] // Go's int64(x): the same wrap
        let v = x as i64;
        v
    }

    fn fail(&mut self, field: &'static str) {
        self.err
            .get_or_insert_with(|| format!("`{field}` is not a number"));
    }
}

/// Trims spaces and NULs on both sides (Go's `bytes.Trim(b, " \x00")`).
fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|&c| c != b' ' && c != 0)
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| c != b' ' && c != 0)
        .map_or(start, |i| i + 1);
    &b[start..end.max(start)]
}

fn parse_header(blk: &[u8; BLOCK]) -> Result<Header, TarError> {
    let mut p = Parser::default();
    // The checksum field counts as spaces; either the unsigned or the signed sum may be stored.
    let stored = p.octal("chksum", &blk[148..156]);
    let (mut unsigned, mut signed) = (0i64, 0i64);
    for (i, &c) in blk.iter().enumerate() {
        let c = if (148..156).contains(&i) { b' ' } else { c };
        unsigned += i64::from(c);
        #[allow(clippy::cast_possible_wrap)] // Go sums int8(c)
        let s = c as i8;
        signed += i64::from(s);
    }
    if p.err.is_some() || (stored != unsigned && stored != signed) {
        return Err(TarError::Header("checksum mismatch".into()));
    }
    let magic = &blk[257..263];
    let version = &blk[263..265];
    let format = if magic == b"ustar\0" && &blk[508..512] == b"tar\0" {
        Format::Star
    } else if magic == b"ustar\0" {
        Format::Ustar
    } else if magic == b"ustar " && version == b" \0" {
        Format::Gnu
    } else {
        Format::V7
    };
    let mut h = Header {
        typeflag: blk[156],
        name: cstr(&blk[0..100]).to_vec(),
        linkname: cstr(&blk[157..257]).to_vec(),
        ..Header::default()
    };
    let size = p.numeric("size", &blk[124..136]);
    h.mode = p.numeric("mode", &blk[100..108]);
    h.uid = p.numeric("uid", &blk[108..116]);
    h.gid = p.numeric("gid", &blk[116..124]);
    p.numeric("mtime", &blk[136..148]);
    if format != Format::V7 {
        p.numeric("devmajor", &blk[329..337]);
        p.numeric("devminor", &blk[337..345]);
        let prefix: &[u8] = match format {
            Format::Ustar => cstr(&blk[345..500]),
            Format::Star => {
                p.numeric("atime", &blk[476..488]);
                p.numeric("ctime", &blk[488..500]);
                cstr(&blk[345..476])
            }
            _ => {
                // GNU times parse with their own error state; a failure there makes Go
                // fall back to the USTAR prefix if it is ASCII (a pre-Go-1.8 writer bug).
                let mut p2 = Parser::default();
                if blk[345] != 0 {
                    p2.numeric("atime", &blk[345..357]);
                }
                if blk[357] != 0 {
                    p2.numeric("ctime", &blk[357..369]);
                }
                let prefix = cstr(&blk[345..500]);
                if p2.err.is_some() && prefix.is_ascii() {
                    prefix
                } else {
                    &[]
                }
            }
        };
        if !prefix.is_empty() {
            let mut name = prefix.to_vec();
            name.push(b'/');
            name.extend_from_slice(&h.name);
            h.name = name;
        }
    }
    if let Some(e) = p.err {
        return Err(TarError::Header(e));
    }
    h.size = u64::try_from(size).map_err(|_| TarError::Header(format!("negative size {size}")))?;
    Ok(h)
}

/// Parses PAX records (`LEN key=value\n`) by their length prefix, as Go's `parsePAXRecord`.
fn parse_pax(data: &[u8]) -> Result<PaxRecords, TarError> {
    let bad = |why: &str| TarError::Header(format!("malformed PAX record: {why}"));
    let mut out: PaxRecords = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let sp = rest
            .iter()
            .position(|&c| c == b' ')
            .ok_or_else(|| bad("no length"))?;
        let n = parse_go_int(&rest[..sp]).ok_or_else(|| bad("length is not a number"))?;
        let len = i64::try_from(rest.len()).unwrap_or(i64::MAX);
        if n < 5 || n > len {
            return Err(bad("length out of range"));
        }
        let n = usize::try_from(n).map_err(|_| bad("length out of range"))?;
        if n <= sp + 1 {
            return Err(bad("length out of range"));
        }
        let record = &rest[sp + 1..n - 1];
        if rest[n - 1] != b'\n' {
            return Err(bad("record does not end in a newline"));
        }
        let eq = record
            .iter()
            .position(|&c| c == b'=')
            .ok_or_else(|| bad("no `=`"))?;
        let (k, v) = (&record[..eq], &record[eq + 1..]);
        let path_like = matches!(k, b"path" | b"linkpath" | b"uname" | b"gname");
        if k.is_empty() || (path_like && v.contains(&0)) || (!path_like && k.contains(&0)) {
            return Err(bad("invalid key or value"));
        }
        // A later record for the same key wins (Go keeps them in a map).
        out.retain(|(key, _)| key != k);
        out.push((k.to_vec(), v.to_vec()));
        rest = &rest[n..];
    }
    Ok(out)
}

/// Go's `strconv.ParseInt(s, 10, 64)`: an optional sign, then decimal digits.
fn parse_go_int(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
    }
    Some(if neg { -v } else { v })
}

/// Applies PAX records to a header as Go's `mergePAX` does.
fn merge_pax(h: &mut Header, pax: &PaxRecords) -> Result<(), TarError> {
    let num = |k: &[u8], v: &[u8]| {
        parse_go_int(v).ok_or_else(|| {
            TarError::Header(format!(
                "PAX `{}` is not a number",
                String::from_utf8_lossy(k)
            ))
        })
    };
    for (k, v) in pax {
        if v.is_empty() {
            continue; // keeps the header's own value
        }
        match k.as_slice() {
            b"path" => h.name.clone_from(v),
            b"linkpath" => h.linkname.clone_from(v),
            b"uid" => h.uid = num(k, v)?,
            b"gid" => h.gid = num(k, v)?,
            b"size" => {
                let s = num(k, v)?;
                h.size = u64::try_from(s)
                    .map_err(|_| TarError::Header(format!("negative PAX size {s}")))?;
            }
            b"mtime" | b"atime" | b"ctime" => {
                let (secs, frac) = match v.iter().position(|&c| c == b'.') {
                    Some(i) => (&v[..i], &v[i + 1..]),
                    None => (v.as_slice(), &[][..]),
                };
                if parse_go_int(secs).is_none() || !frac.iter().all(u8::is_ascii_digit) {
                    return Err(TarError::Header(format!(
                        "PAX `{}` is not a time",
                        String::from_utf8_lossy(k)
                    )));
                }
            }
            _ => {
                if let Some(name) = k.strip_prefix(b"SCHILY.xattr.") {
                    h.xattrs.retain(|(n, _)| n != name);
                    h.xattrs.push((name.to_vec(), v.clone()));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header block with the fields given; numeric fields as raw bytes.
    fn block(name: &[u8], typeflag: u8, size: &[u8], mode: &[u8], magic: &[u8]) -> Vec<u8> {
        let mut b = vec![0u8; BLOCK];
        b[..name.len()].copy_from_slice(name);
        b[100..100 + mode.len()].copy_from_slice(mode);
        b[108..116].copy_from_slice(b"0000000\0");
        b[116..124].copy_from_slice(b"0000000\0");
        b[124..124 + size.len()].copy_from_slice(size);
        b[136..148].copy_from_slice(b"00000000000\0");
        b[156] = typeflag;
        b[257..257 + magic.len()].copy_from_slice(magic);
        if magic == b"ustar\0" {
            b[263..265].copy_from_slice(b"00");
        }
        seal(&mut b);
        b
    }

    /// Writes the header checksum (the field itself counted as spaces).
    fn seal(b: &mut [u8]) {
        let sum: u32 = b[..BLOCK]
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if (148..156).contains(&i) {
                    32
                } else {
                    u32::from(c)
                }
            })
            .sum();
        b[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    }

    fn file(name: &[u8], content: &[u8], mode: &[u8]) -> Vec<u8> {
        let mut b = block(
            name,
            b'0',
            format!("{:011o}\0", content.len()).as_bytes(),
            mode,
            b"ustar\0",
        );
        b.extend_from_slice(content);
        b.resize(b.len().div_ceil(BLOCK) * BLOCK, 0);
        b
    }

    fn pax(records: &[(&str, &[u8])]) -> Vec<u8> {
        let mut data = Vec::new();
        for (k, v) in records {
            let body_len = k.len() + v.len() + 3; // space, '=', '\n'
            let mut n = body_len + 1;
            while n.to_string().len() + body_len != n {
                n += 1;
            }
            data.extend_from_slice(format!("{n} {k}=").as_bytes());
            data.extend_from_slice(v);
            data.push(b'\n');
        }
        let mut b = block(
            b"PaxHeader",
            b'x',
            format!("{:011o}\0", data.len()).as_bytes(),
            b"0000644\0",
            b"ustar\0",
        );
        b.extend_from_slice(&data);
        b.resize(b.len().div_ceil(BLOCK) * BLOCK, 0);
        b
    }

    fn entries(tar: &[u8]) -> Result<Vec<Header>, TarError> {
        let mut r = Reader::new(tar);
        let mut out = Vec::new();
        while let Some(h) = r.next_entry()? {
            out.push(h);
        }
        Ok(out)
    }

    #[test]
    fn modes_in_base_256_and_with_leading_nuls_are_read_as_go_reads_them() {
        let mut t = file(b"usr/bin/a", b"x", &[0x80, 0, 0, 0, 0, 0, 0x09, 0xed]);
        t.extend(file(b"usr/bin/b", b"x", b"\x004755\0\0\0"));
        t.extend([0u8; 1024]);
        let e = entries(&t).unwrap();
        assert_eq!(e[0].mode, 0o4755);
        assert_eq!(e[1].mode, 0o4755);
        // A field Go cannot parse fails the layer instead of becoming mode 0.
        let bad = file(b"usr/bin/c", b"x", b"47x5\0\0\0\0");
        assert!(matches!(entries(&bad), Err(TarError::Header(_))));
    }

    #[test]
    fn pax_records_are_read_by_length_not_by_line() {
        // A comment with a newline must not hide the `path` record after it.
        let mut t = pax(&[("comment", b"a\n12 size=0\n"), ("path", b"etc/passwd")]);
        t.extend(file(
            b"usr/share/doc/harmless",
            b"root::0:0::/:/bin/sh\n",
            b"0000644\0",
        ));
        t.extend([0u8; 1024]);
        let e = entries(&t).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].name, b"etc/passwd");
        assert_eq!(e[0].size, 21);
    }

    #[test]
    fn pax_size_governs_the_content_length() {
        let mut t = pax(&[("size", b"600")]);
        let mut f = block(b"big", b'0', b"00000000000\0", b"0000644\0", b"ustar\0");
        f.extend(vec![b'a'; 1024]);
        t.extend(f);
        t.extend(file(b"after", b"x", b"0000644\0"));
        t.extend([0u8; 1024]);
        let e = entries(&t).unwrap();
        assert_eq!(
            e.iter().map(|h| h.name.clone()).collect::<Vec<_>>(),
            [b"big".to_vec(), b"after".to_vec()]
        );
        assert_eq!(e[0].size, 600);
    }

    #[test]
    fn header_only_types_have_no_content() {
        // A directory whose size field claims content: Go reads the next header right away.
        let mut t = block(b"d/", b'5', b"00000001000\0", b"0000755\0", b"ustar\0");
        t.extend(file(b"d/su", b"x", b"0004755\0"));
        t.extend([0u8; 1024]);
        let e = entries(&t).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].mode, 0o4755);
    }

    #[test]
    fn endings() {
        let f = file(b"a", b"x", b"0000644\0");
        // No trailer at all, or one zero block: the end.
        assert_eq!(entries(&f).unwrap().len(), 1);
        let mut one = f.clone();
        one.extend([0u8; 512]);
        assert_eq!(entries(&one).unwrap().len(), 1);
        // Content without its padding: the end (umoci insert).
        assert_eq!(entries(&f[..513]).unwrap().len(), 1);
        // Cut inside the content or a header: refused.
        let mut big = file(b"a", &[7u8; 1000], b"0000644\0");
        big.truncate(700);
        assert!(matches!(entries(&big), Err(TarError::Truncated(_))));
        assert!(matches!(entries(&f[..100]), Err(TarError::Truncated(_))));
        // A zero block, then a header: refused.
        let mut z = vec![0u8; 512];
        z.extend(f.clone());
        assert!(matches!(entries(&z), Err(TarError::Header(_))));
    }

    #[test]
    fn checksums_gnu_long_names_sparse_and_limits() {
        let mut f = file(b"a", b"x", b"0000644\0");
        f[0] = b'b';
        assert!(matches!(entries(&f), Err(TarError::Header(_))));
        let long = vec![b'x'; 300];
        let mut l = block(
            b"././@LongLink",
            b'L',
            format!("{:011o}\0", long.len() + 1).as_bytes(),
            b"0000644\0",
            b"ustar ",
        );
        l[263..265].copy_from_slice(b" \0");
        // Recompute the checksum after fixing the GNU version.
        seal(&mut l);
        l.extend(&long);
        l.push(0);
        l.resize(l.len().div_ceil(BLOCK) * BLOCK, 0);
        l.extend(file(b"short", b"x", b"0000644\0"));
        assert_eq!(entries(&l).unwrap()[0].name, long);
        let sparse = block(b"s", b'S', b"00000000000\0", b"0000644\0", b"ustar\0");
        assert!(matches!(entries(&sparse), Err(TarError::Unsupported(_))));
        let huge = block(
            b"PaxHeader",
            b'x',
            b"77777777777\0",
            b"0000644\0",
            b"ustar\0",
        );
        assert!(matches!(entries(&huge), Err(TarError::Header(_))));
    }
}
