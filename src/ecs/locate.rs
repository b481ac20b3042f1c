//! Lines of a JSON document by JSON pointer, so a finding points at the key to fix (a SARIF
//! region) although `serde_json` keeps no positions. One pass over the bytes, depth-capped;
//! the document has already parsed, so the scanner only needs to be right on valid JSON.

use std::collections::HashMap;

/// Deeper than any task definition; a hostile file cannot recurse further.
const MAX_DEPTH: usize = 64;

/// Pointer (`/containerDefinitions/0/privileged`, RFC 6901 escaping) → 1-based line where
/// the member's key (or the array element) starts.
#[derive(Debug, Default, Clone)]
pub struct Lines(HashMap<String, u32>);

impl Lines {
    /// Locates every member and element of `text`.
    #[must_use]
    pub fn of(text: &str) -> Lines {
        let mut s = Scanner {
            b: text.as_bytes(),
            i: 0,
            line: 1,
            out: HashMap::new(),
        };
        s.skip_ws();
        s.value("", 0);
        Lines(s.out)
    }

    /// Lines already known (from a YAML parser's marks).
    #[must_use]
    pub fn from_map(map: HashMap<String, u32>) -> Lines {
        Lines(map)
    }

    /// The same lines `by` lines further down (a document embedded in another).
    #[must_use]
    pub fn shifted(&self, by: u32) -> Lines {
        Lines(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), v.saturating_add(by)))
                .collect(),
        )
    }

    /// Records the line of `pointer`.
    pub fn set(&mut self, pointer: String, line: u32) {
        self.0.insert(pointer, line);
    }

    /// Adds `other`'s lines under `prefix`, `by` lines further down.
    pub fn graft(&mut self, other: &Lines, prefix: &str, by: u32) {
        for (k, v) in &other.0 {
            self.0.insert(format!("{prefix}{k}"), v.saturating_add(by));
        }
    }

    /// The line of `pointer`, else of its nearest located parent, else 1.
    #[must_use]
    pub fn line(&self, pointer: &str) -> u32 {
        let mut p = pointer;
        loop {
            if let Some(&l) = self.0.get(p) {
                return l;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 1,
            }
        }
    }
}

/// `segment` escaped for a JSON pointer.
#[must_use]
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    line: u32,
    out: HashMap<String, u32>,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.i += 1;
        }
    }

    /// A string starting at `"`; returns its (unescaped enough for keys) text.
    fn string(&mut self) -> String {
        let mut out = Vec::new();
        self.i += 1;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = self.b.get(self.i).copied().unwrap_or(b'"');
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self.b.get(self.i..self.i + 4).unwrap_or(b"0000");
                            self.i += 4;
                            let code = std::str::from_utf8(hex)
                                .ok()
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32)
                                .unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(code.encode_utf8(&mut buf).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                b'\n' => {
                    self.line += 1;
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn value(&mut self, at: &str, depth: usize) {
        match self.b.get(self.i) {
            Some(b'{') if depth < MAX_DEPTH => {
                self.i += 1;
                loop {
                    self.skip_ws();
                    match self.b.get(self.i) {
                        Some(b'"') => {
                            let line = self.line;
                            let key = self.string();
                            let p = format!("{at}/{}", escape(&key));
                            self.out.insert(p.clone(), line);
                            self.skip_ws();
                            if self.b.get(self.i) == Some(&b':') {
                                self.i += 1;
                            }
                            self.skip_ws();
                            self.value(&p, depth + 1);
                            self.skip_ws();
                            if self.b.get(self.i) == Some(&b',') {
                                self.i += 1;
                            }
                        }
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') if depth < MAX_DEPTH => {
                self.i += 1;
                let mut n = 0usize;
                loop {
                    self.skip_ws();
                    match self.b.get(self.i) {
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        None => return,
                        Some(_) => {
                            let p = format!("{at}/{n}");
                            self.out.insert(p.clone(), self.line);
                            let before = self.i;
                            self.value(&p, depth + 1);
                            if self.i == before {
                                return;
                            }
                            n += 1;
                            self.skip_ws();
                            if self.b.get(self.i) == Some(&b',') {
                                self.i += 1;
                            }
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                // A number, literal, or a container past the depth cap: skip to a delimiter,
                // counting lines and balancing brackets.
                let mut level = 0usize;
                while let Some(&c) = self.b.get(self.i) {
                    match c {
                        b'"' => {
                            self.string();
                            continue;
                        }
                        b'{' | b'[' => level += 1,
                        b'}' | b']' | b',' if level == 0 => return,
                        b'}' | b']' => level -= 1,
                        b'\n' => self.line += 1,
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_elements() {
        let text = "{\n  \"a\": 1,\n  \"b/c\": [\n    {\"x\": \"y\\n\"},\n    {\n      \"z\": true\n    }\n  ]\n}";
        let l = Lines::of(text);
        assert_eq!(l.line("/a"), 2);
        assert_eq!(l.line("/b~1c"), 3);
        assert_eq!(l.line("/b~1c/0/x"), 4);
        assert_eq!(l.line("/b~1c/1"), 5);
        assert_eq!(l.line("/b~1c/1/z"), 6);
        // Not present: the nearest parent.
        assert_eq!(l.line("/b~1c/1/missing"), 5);
        assert_eq!(l.line("/nothing"), 1);
    }

    #[test]
    fn deep_or_broken_input_ends() {
        let deep = "[".repeat(10_000);
        let l = Lines::of(&deep);
        assert_eq!(l.line("/0/0"), 1);
        assert!(Lines::of("{\"a\": ").0.contains_key("/a"));
        assert!(Lines::of("").0.is_empty());
    }
}
