//! Archives inside a layer's files, opened as they stream on the scanner thread (no disk, bounded
//! memory): the zip family (`.jar`, `.war`, `.whl`, `.nupkg`, `.apk`…), tar, gzip and zstd
//! streams, and git objects (loose objects and packfiles of a shipped `.git`). Findings name the
//! path inside: `/app/lib/orders.jar!/BOOT-INF/classes/application.yml`.
//!
//! Bounds per outer file: nesting depth, inflated bytes (a ratio of the bytes read and an
//! absolute cap) and entry count. A bound or a corrupt archive stops that archive with a
//! one-line warning; the layer goes on. xz and bzip2 streams are searched as binaries, not
//! opened (no pure-Rust decoder among the dependencies).

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};

use super::{
    Detector, FileClass, FileOptions, Hit, Key, is_binary, line_of, scan_stream, skip_path,
};

/// Archives inside archives opened at most this deep (a jar in a war in a tar.gz).
pub(crate) const MAX_DEPTH: usize = 3;
/// Inflated bytes per byte read of the outer file.
pub(crate) const MAX_RATIO: u64 = 100;
/// Inflated bytes per outer file, whatever its size.
pub(crate) const MAX_INFLATED: u64 = 1 << 30;
/// Slack under the ratio for small files (a 10 KiB zip may hold 2 MiB of text).
const RATIO_SLACK: u64 = 16 << 20;
/// Entries per outer file.
pub(crate) const MAX_ENTRIES: u64 = 100_000;

/// What one outer file may cost.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    outer: Cell<u64>,
    inflated: Cell<u64>,
    entries: Cell<u64>,
}

impl Budget {
    fn entry(&self) -> io::Result<()> {
        self.entries.set(self.entries.get() + 1);
        if self.entries.get() > MAX_ENTRIES {
            return Err(bound(&format!("more than {MAX_ENTRIES} entries")));
        }
        Ok(())
    }
}

/// A bound was reached (told apart from corrupt input in the warning).
fn bound(what: &str) -> io::Error {
    io::Error::other(format!("bound: {what}"))
}

fn corrupt(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

/// Counts bytes: of the outer file, or inflated ones (checked against the budget).
struct Counted<'b, R> {
    inner: R,
    budget: &'b Budget,
    inflated: bool,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let b = self.budget;
        if self.inflated {
            b.inflated.set(b.inflated.get() + n as u64);
            let cap = MAX_INFLATED.min(b.outer.get().saturating_mul(MAX_RATIO) + RATIO_SLACK);
            if b.inflated.get() > cap {
                return Err(bound(&format!(
                    "more than {cap} bytes inflated from {} bytes",
                    b.outer.get()
                )));
            }
        } else {
            b.outer.set(b.outer.get() + n as u64);
        }
        Ok(n)
    }
}

/// The scanner's state while it walks one layer's files.
pub(crate) struct Walk<'a> {
    pub(crate) det: &'a Detector,
    pub(crate) key: &'a Key,
    pub(crate) opts: &'a FileOptions,
    /// The window buffer, reused by every plain file.
    pub(crate) buf: Vec<u8>,
    pub(crate) hits: Vec<(String, Hit)>,
    pub(crate) warnings: Vec<String>,
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Zip,
    Gzip,
    Zstd,
    Tar,
    GitLoose,
    GitPack,
    Plain,
}

fn shape(head: &[u8], path: &str) -> Shape {
    let git = path.contains("/.git/objects/") || path.starts_with(".git/objects/");
    if head.starts_with(b"PK\x03\x04") {
        Shape::Zip
    } else if head.starts_with(b"\x1f\x8b") {
        Shape::Gzip
    } else if head.starts_with(b"\x28\xb5\x2f\xfd") {
        Shape::Zstd
    } else if head.get(257..262) == Some(b"ustar") {
        Shape::Tar
    } else if git && path.to_ascii_lowercase().ends_with(".pack") && head.starts_with(b"PACK") {
        Shape::GitPack
    } else if git && head.first() == Some(&0x78) && loose_id(path).is_some() {
        Shape::GitLoose
    } else {
        Shape::Plain
    }
}

/// `…/.git/objects/ab/cdef…` → (`…/.git`, `abcdef…`).
fn loose_id(path: &str) -> Option<(&str, String)> {
    let (git, rest) = path.rsplit_once("/objects/")?;
    let (dir, file) = rest.split_once('/')?;
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    (dir.len() == 2
        && file.len() == 38
        && hex(dir)
        && hex(file)
        && git.to_ascii_lowercase().ends_with(".git"))
    .then(|| (git, format!("{dir}{file}")))
}

/// Whether a file's first bytes (or its path) make it something the archive walk ([`Walk`]) opens.
#[must_use]
pub(crate) fn is_container(head: &[u8], path: &str) -> bool {
    shape(head, path) != Shape::Plain
}

impl Walk<'_> {
    /// Searches one layer file: opened if it is an archive or a git object, else searched as
    /// it streams. A bound, corrupt content or a read error becomes a warning.
    pub(crate) fn file(&mut self, path: &str, r: &mut dyn Read) {
        let budget = Budget::default();
        let mut counted = BufReader::with_capacity(
            64 << 10,
            Counted {
                inner: r,
                budget: &budget,
                inflated: false,
            },
        );
        match self.any(path, &mut counted, 0, &budget) {
            Ok(()) => {}
            Err(e) => {
                let what = e.to_string();
                let what = what.strip_prefix("bound: ").map_or_else(
                    || format!("`{path}` could not be read whole for secrets ({what}); the rest of it was not searched"),
                    |b| format!("`{path}` was searched for secrets only in part: {b}"),
                );
                self.warnings.push(what);
                // Whatever is left of the outer file is skipped by the caller.
            }
        }
    }

    fn any(
        &mut self,
        path: &str,
        r: &mut dyn BufRead,
        depth: usize,
        budget: &Budget,
    ) -> io::Result<()> {
        let mut head = Vec::with_capacity(512);
        (&mut *r).take(512).read_to_end(&mut head)?;
        let mut r = io::Cursor::new(&head[..]).chain(r);
        let shape = shape(&head, path);
        if shape != Shape::Plain && depth >= MAX_DEPTH {
            self.warnings.push(format!(
                "`{path}` is nested more than {MAX_DEPTH} archives deep: not opened for secrets"
            ));
            return self.plain(path, &mut r);
        }
        match shape {
            Shape::Plain => self.plain(path, &mut r),
            Shape::Zip => self.zip(path, &mut r, depth, budget),
            Shape::Tar => self.tar(path, &mut r, depth, budget),
            Shape::Gzip => {
                let d = flate2::bufread::MultiGzDecoder::new(&mut r);
                self.inflated(path, d, depth, budget)
            }
            Shape::Zstd => {
                let d = zstd::stream::read::Decoder::with_buffer(&mut r)?;
                self.inflated(path, d, depth, budget)
            }
            Shape::GitLoose => {
                let Some((git, id)) = loose_id(path) else {
                    return self.plain(path, &mut r);
                };
                let mut d = BufReader::new(Counted {
                    inner: flate2::bufread::ZlibDecoder::new(&mut r),
                    budget,
                    inflated: true,
                });
                // `blob 123\0` before the content.
                let mut header = Vec::new();
                (&mut d).take(64).read_until(0, &mut header)?;
                if header.last() != Some(&0) {
                    return Err(corrupt("a git object without a header"));
                }
                self.any(&format!("{git}!/objects/{id}"), &mut d, depth + 1, budget)
            }
            Shape::GitPack => self.pack(path, &mut r, depth, budget),
        }
    }

    /// A decompressed stream, searched under the same path (`x.tar.gz!/etc/app.conf`).
    fn inflated(
        &mut self,
        path: &str,
        d: impl Read,
        depth: usize,
        budget: &Budget,
    ) -> io::Result<()> {
        let mut d = BufReader::new(Counted {
            inner: d,
            budget,
            inflated: true,
        });
        self.any(path, &mut d, depth + 1, budget)?;
        io::copy(&mut d, &mut io::sink())?;
        Ok(())
    }

    /// A Rails key file: only the key, searched with its variable's name.
    fn rails_key(&mut self, path: &str, text: &[u8]) {
        let named = [b"RAILS_MASTER_KEY=".as_slice(), text].concat();
        for f in self.det.find_in(&named, FileClass::ANY) {
            let hit = self
                .det
                .hit(self.key, &f, &named, line_of(&named, f.secret.start));
            self.hits.push((path.to_string(), hit));
        }
    }

    fn plain(&mut self, path: &str, r: &mut dyn Read) -> io::Result<()> {
        if rails_key_file(path) {
            let mut text = Vec::new();
            r.take(4096).read_to_end(&mut text)?;
            self.rails_key(path, &text);
            io::copy(r, &mut io::sink())?;
            return Ok(());
        }
        if skip_path(path) {
            io::copy(r, &mut io::sink())?;
            return Ok(());
        }
        let class = FileClass::of(path);
        let hits = scan_stream(self.det, self.key, self.opts, class, &mut self.buf, |d| {
            r.read(d)
        })?;
        self.hits
            .extend(hits.into_iter().map(|h| (path.to_string(), h)));
        // `scan_stream` reads to the end; a caller that stops early drains.
        Ok(())
    }

    /// An entry's content: searched (opened if it is an archive), then drained.
    fn entry(
        &mut self,
        path: &str,
        r: impl Read,
        depth: usize,
        budget: &Budget,
        inflated: bool,
    ) -> io::Result<()> {
        budget.entry()?;
        let mut r = BufReader::new(Counted {
            inner: r,
            budget,
            inflated,
        });
        self.any(path, &mut r, depth + 1, budget)?;
        io::copy(&mut r, &mut io::sink())?;
        Ok(())
    }

    fn zip(
        &mut self,
        path: &str,
        r: &mut dyn BufRead,
        depth: usize,
        budget: &Budget,
    ) -> io::Result<()> {
        loop {
            let mut sig = [0u8; 4];
            r.read_exact(&mut sig)?;
            if &sig != b"PK\x03\x04" {
                // The central directory: every entry has been seen.
                io::copy(r, &mut io::sink())?;
                return Ok(());
            }
            let mut h = [0u8; 26];
            r.read_exact(&mut h)?;
            let u16_at = |i: usize| u16::from_le_bytes([h[i], h[i + 1]]);
            let u32_at = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
            let (flags, method, csize) = (u16_at(2), u16_at(4), u64::from(u32_at(14)));
            let mut name = vec![0u8; usize::from(u16_at(22))];
            r.read_exact(&mut name)?;
            let mut extra = vec![0u8; usize::from(u16_at(24))];
            r.read_exact(&mut extra)?;
            let name = String::from_utf8_lossy(&name).into_owned();
            let inner = format!("{path}!/{name}");
            let descriptor = flags & 8 != 0;
            if csize == u64::from(u32::MAX) {
                return Err(corrupt("a zip64 entry (not opened)"));
            }
            if flags & 1 != 0 || (method != 0 && method != 8) || name.ends_with('/') {
                // Encrypted, or a method not read here: skipped (its size must be known).
                if descriptor && csize == 0 {
                    return Err(corrupt(
                        "an encrypted or unknown-method entry of unknown size",
                    ));
                }
                io::copy(&mut (&mut *r).take(csize), &mut io::sink())?;
            } else if method == 0 {
                if descriptor && csize == 0 {
                    return Err(corrupt("a stored entry of unknown size"));
                }
                let mut e = (&mut *r).take(csize);
                self.entry(&inner, &mut e, depth, budget, false)?;
                if e.limit() > 0 {
                    return Err(corrupt("a truncated entry"));
                }
            } else {
                let d = flate2::bufread::DeflateDecoder::new(&mut *r);
                self.entry(&inner, d, depth, budget, true)?;
            }
            if descriptor {
                let mut d = [0u8; 4];
                r.read_exact(&mut d)?;
                let rest = if &d == b"PK\x07\x08" { 12 } else { 8 };
                let mut skip = [0u8; 12];
                r.read_exact(&mut skip[..rest])?;
            }
        }
    }

    fn tar(
        &mut self,
        path: &str,
        r: &mut dyn BufRead,
        depth: usize,
        budget: &Budget,
    ) -> io::Result<()> {
        let mut t = crate::image::tar::Reader::new(r);
        let to_io = |e: crate::image::tar::TarError| corrupt(&e.to_string());
        while let Some(h) = t.next_entry().map_err(to_io)? {
            if !matches!(h.typeflag, b'0' | b'\0' | b'7') || h.size == 0 {
                continue;
            }
            let name = String::from_utf8_lossy(&h.name);
            let inner = format!("{path}!/{}", name.trim_start_matches("./"));
            let content = TarContent(&mut t);
            self.entry(&inner, content, depth, budget, false)?;
        }
        Ok(())
    }

    #[allow(clippy::many_single_char_names)]
    fn pack(
        &mut self,
        path: &str,
        r: &mut dyn BufRead,
        depth: usize,
        budget: &Budget,
    ) -> io::Result<()> {
        let mut h = [0u8; 12];
        r.read_exact(&mut h)?;
        let count = u32::from_be_bytes([h[8], h[9], h[10], h[11]]);
        let git = path.rsplit_once("/objects/").map_or(path, |(g, _)| g);
        let pack = path.rsplit('/').next().unwrap_or(path);
        for i in 0..count {
            let mut b = [0u8; 1];
            r.read_exact(&mut b)?;
            let kind = (b[0] >> 4) & 7;
            let mut c = b[0];
            let mut n = 0;
            while c & 0x80 != 0 {
                r.read_exact(&mut b)?;
                c = b[0];
                n += 1;
                if n > 10 {
                    return Err(corrupt("a pack entry header too long"));
                }
            }
            match kind {
                // OFS_DELTA: a base offset; REF_DELTA: a base id. The delta's bytes (literal
                // insertions included) are searched as they are.
                6 => loop {
                    r.read_exact(&mut b)?;
                    if b[0] & 0x80 == 0 {
                        break;
                    }
                },
                7 => {
                    let mut id = [0u8; 20];
                    r.read_exact(&mut id)?;
                }
                1..=4 => {}
                _ => return Err(corrupt("an unknown pack entry type")),
            }
            let d = flate2::bufread::ZlibDecoder::new(&mut *r);
            self.entry(
                &format!("{git}!/objects/pack/{pack}!/{i}"),
                d,
                depth,
                budget,
                true,
            )?;
        }
        Ok(())
    }
}

/// `config/master.key`, `config/credentials/production.key`: Rails keeps only the key there.
fn rails_key_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "master.key"
        || (path.contains("/config/credentials/")
            && std::path::Path::new(name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("key")))
}

/// The current tar entry's content as a reader.
struct TarContent<'t, 'r>(&'t mut crate::image::tar::Reader<&'r mut dyn BufRead>);

impl Read for TarContent<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0
            .read_content(buf)
            .map_err(|e| corrupt(&e.to_string()))
    }
}

/// Searches small whole files of a batch: plain text directly, archives through [`Walk`].
pub(crate) fn batch_file(w: &mut Walk<'_>, path: &str, text: &[u8]) {
    if is_container(text, path) {
        w.file(path, &mut &text[..]);
        return;
    }
    if rails_key_file(path) {
        w.rails_key(path, text);
        return;
    }
    let mut class = FileClass::of(path);
    if !w.opts.binaries && is_binary(text) {
        class = class.as_binary();
    }
    for f in w.det.find_in(text, class) {
        let hit = w.det.hit(w.key, &f, text, line_of(text, f.secret.start));
        w.hits.push((path.to_string(), hit));
    }
}
