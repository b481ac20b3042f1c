//! Hostile and damaged input never panics: deterministic mutations of every corpus file
//! (byte flips, truncation, duplicated and deleted spans, inserted syntax characters) go
//! through the parser and every rule. A mutation that does not parse must fail with a line
//! number inside the file.

// Test helpers panic on setup failures; the panic is the report.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use hullscan::config::Config;
use hullscan::scan::lint::{FileName, lint_text};

/// xorshift64*: a tiny deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const SYNTAX: &[&str] = &[
    "\\\n",
    "`",
    "<<EOF",
    "<<-'X'",
    "\"",
    "'",
    "$(",
    ")",
    "${A:-",
    "}",
    "\n",
    "\r\n",
    "#",
    "# escape=`\n",
    "FROM ",
    "RUN ",
    "USER ",
    "|",
    "&&",
    ";",
    "[\"",
    "--mount=",
    "\u{feff}",
    "é",
    "\t",
    "ONBUILD ",
    "AS ",
    "@sha256:",
];

fn mutate(src: &str, rng: &mut Rng) -> String {
    let mut s: Vec<char> = src.chars().collect();
    for _ in 0..=rng.below(4) {
        let at = rng.below(s.len() + 1);
        match rng.below(5) {
            0 => s.truncate(at),
            1 => {
                let tok: Vec<char> = SYNTAX[rng.below(SYNTAX.len())].chars().collect();
                s.splice(at..at, tok);
            }
            2 => {
                let end = (at + rng.below(40)).min(s.len());
                s.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(80)).min(s.len());
                let chunk: Vec<char> = s[at..end].to_vec();
                s.splice(at..at, chunk);
            }
            _ => {
                if at < s.len() {
                    s[at] = char::from_u32(32 + (rng.next() % 95) as u32).unwrap_or('x');
                }
            }
        }
    }
    s.into_iter().collect()
}

#[test]
fn mutated_corpus_never_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/dockerfiles");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for f in std::fs::read_dir(dir).unwrap() {
                files.push(std::fs::read_to_string(f.unwrap().path()).unwrap());
            }
        }
    }
    let cfg = Config::default();
    let name = FileName {
        display: "Dockerfile".into(),
        repo_relative: "Dockerfile".into(),
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut rejected) = (0, 0);
    for src in &files {
        for _ in 0..60 {
            let m = mutate(src, &mut rng);
            match lint_text(&m, &name, &cfg) {
                Ok(_) => ok += 1,
                Err(e) => {
                    let lines = m.split('\n').count() as u32;
                    assert!(
                        e.line >= 1 && e.line <= lines.max(1),
                        "error line {} outside 1..={lines}: {e}",
                        e.line
                    );
                    rejected += 1;
                }
            }
        }
    }
    assert!(
        ok > 0 && rejected > 0,
        "mutations should both pass and fail to parse: {ok} ok, {rejected} rejected"
    );
}

#[test]
fn pathological_inputs() {
    let cfg = Config::default();
    let name = FileName {
        display: "Dockerfile".into(),
        repo_relative: "Dockerfile".into(),
    };
    let deep = format!("FROM a\nRUN {}x{}\n", "$(".repeat(5000), ")".repeat(5000));
    let long_line = format!("FROM a\nRUN {}\n", "a ".repeat(200_000));
    let many = "FROM a\n".to_string() + &"RUN x\n".repeat(20_000);
    let continued = "FROM a\nRUN x \\\n".to_string() + &"  \\\n".repeat(10_000);
    let heredocs = format!("FROM a\nRUN {}\n", "<<A ".repeat(1000));
    for src in [
        deep,
        long_line,
        many,
        continued,
        heredocs,
        "FROM a\nRUN \\".into(),
        "FROM\n".into(),
        "\u{feff}".into(),
    ] {
        let _ = lint_text(&src, &name, &cfg);
    }
}
