//! Secret detection by content: one detector, defined as data in `rules/secrets/kinds.toml`, used
//! for every file of every layer (while it streams), config `Env` and `Labels`, history
//! `created_by` and Dockerfiles.
//!
//! A detection keeps no value: a [`Hit`] carries the kind, a masked preview (first characters
//! and length) and a keyed hash of the value ([`Key`]), so the same secret in forty images is
//! one fingerprint and no report, log or cache entry can leak it. Pure: no I/O.

mod archive;
mod check;
#[doc(hidden)]
pub mod synthetic;

use std::fmt::Write as _;
use std::io;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::Regex;
use serde::{Deserialize, Serialize};

pub use check::{crc32_base62_ok, entropy, is_flag_value, is_placeholder, secret_name};

/// The kinds, as shipped: the general and structural ones.
pub const SECRETS_TOML: &str = include_str!("../../rules/secrets/kinds.toml");
/// Provider token formats (loaded after `kinds.toml`'s specific kinds, before its `last` ones).
pub const PROVIDERS_TOML: &str = include_str!("../../rules/secrets/providers.toml");

/// How sure a kind's match is, which sets its findings' level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecretLevel {
    /// A live-format credential.
    Error,
    /// A generic high-entropy assignment.
    Warning,
    /// Worth knowing, not a usable secret by itself (a passphrase-protected private key).
    Note,
}

fn regex(p: &str) -> Result<Regex, regex::Error> {
    // Byte semantics: `[^A-Za-z0-9]` also matches a non-UTF-8 byte (a key after 0xA4 in a `.pyc`).
    regex::bytes::RegexBuilder::new(p).unicode(false).build()
}

/// One kind of secret, compiled.
#[derive(Debug)]
#[allow(clippy::struct_excessive_bools)] // independent switches from the kinds file
pub struct Kind {
    /// Stable id (`github-token`).
    pub id: String,
    /// How findings name it ("a GitHub token").
    pub name: String,
    /// Low-confidence kinds (the generic `password = value`): judged by name, so DF010 leaves
    /// them to its own name rules.
    pub low_confidence: bool,
    /// The level of its findings.
    pub level: SecretLevel,
    /// Template of a format-valid synthetic value ([`synthetic::sample`]).
    pub sample: Option<String>,
    /// Text planted around a sample, `{secret}` where the value goes.
    pub context: Option<String>,
    /// The provider's documentation of the format.
    pub doc: Option<String>,
    /// Searched inside binaries (distinctive prefix or checksum).
    pub binary: bool,
    keywords: Vec<String>,
    /// The regex source, compiled on the first keyword hit: most kinds never see one in a
    /// given image, and compiling all of them cost more than a small image's whole scan.
    pattern: String,
    regex: OnceLock<Regex>,
    /// Only configuration-like files ([`FileClass::config`]).
    config_only: bool,
    /// Also inside installed packages' trees.
    in_packages: bool,
    /// Bytes after a keyword a match can reach.
    span: usize,
    min_entropy: f64,
    checksum: Option<Checksum>,
    validate: Option<check::Validate>,
    requires: Option<AhoCorasick>,
    allow_patterns: Vec<String>,
    allow: OnceLock<Vec<Regex>>,
}

impl Kind {
    /// The compiled regex. The shipped kinds are compiled and checked for a `secret` group
    /// by the tests, so a failure here is a build bug.
    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            regex(&self.pattern).unwrap_or_else(|e| panic!("secret kind `{}`: {e}", self.id))
        })
    }

    /// The compiled allow-list (values that look like the kind but are known placeholders).
    fn allow(&self) -> &[Regex] {
        self.allow.get_or_init(|| {
            self.allow_patterns
                .iter()
                .map(|a| regex(a).unwrap_or_else(|e| panic!("secret kind `{}`: {e}", self.id)))
                .collect()
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFile {
    #[serde(default)]
    kind: Vec<RawKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawKind {
    id: String,
    name: String,
    keywords: Vec<String>,
    regex: String,
    #[serde(default)]
    min_entropy: f64,
    checksum: Option<String>,
    validate: Option<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    confidence: Option<String>,
    files: Option<String>,
    packages: Option<bool>,
    span: Option<usize>,
    #[serde(default)]
    any_case: bool,
    sample: Option<String>,
    context: Option<String>,
    level: Option<String>,
    doc: Option<String>,
    binary: Option<bool>,
    /// After the provider kinds (general kinds that specific ones must win over).
    #[serde(default)]
    last: bool,
}

/// Token checksums a kind can verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checksum {
    /// GitHub's and npm's: base62 CRC32 of the random part in the last 6 characters.
    Crc32Base62,
}

/// Why the kinds file is unusable (a build-time mistake; the shipped file is tested).
#[derive(Debug, thiserror::Error)]
#[error("secret kinds: {0}")]
pub struct KindsError(String);

/// Finds a capture group named `secret` in a regex's syntax tree.
struct SecretGroup<'a>(&'a mut bool);

impl regex_syntax::ast::Visitor for SecretGroup<'_> {
    type Output = ();
    type Err = std::convert::Infallible;

    fn finish(self) -> Result<(), Self::Err> {
        Ok(())
    }

    fn visit_pre(&mut self, ast: &regex_syntax::ast::Ast) -> Result<(), Self::Err> {
        if let regex_syntax::ast::Ast::Group(g) = ast
            && let regex_syntax::ast::GroupKind::CaptureName { name, .. } = &g.kind
            && name.name == "secret"
        {
            *self.0 = true;
        }
        Ok(())
    }
}

/// The compiled kinds plus one keyword prefilter per [`FileClass`].
#[derive(Debug)]
pub struct Detector {
    kinds: Vec<Kind>,
    /// Indexed by [`FileClass::index`]: each holds only the keywords of the kinds that search
    /// that class, so source code and packages' trees get a small, fast automaton.
    prefilters: Vec<Prefilter>,
}

/// A case-sensitive keyword automaton (case-insensitive ones cannot use the SIMD search).
#[derive(Debug)]
struct Prefilter {
    automaton: AhoCorasick,
    /// Pattern index → the kinds it triggers: those with a keyword that is the pattern or a
    /// part of it (a leftmost-longest search reports `token:` for `token`).
    pattern_kinds: Vec<Vec<usize>>,
}

impl Prefilter {
    fn build(kinds: &[Kind], wanted: impl Fn(&Kind) -> bool) -> Result<Prefilter, KindsError> {
        let mut patterns: Vec<&str> = Vec::new();
        for k in kinds.iter().filter(|k| wanted(k)) {
            for w in &k.keywords {
                if !patterns.contains(&w.as_str()) {
                    patterns.push(w);
                }
            }
        }
        let pattern_kinds = patterns
            .iter()
            .map(|p| {
                kinds
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| wanted(k) && k.keywords.iter().any(|w| p.contains(w.as_str())))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| KindsError(e.to_string()))?;
        Ok(Prefilter {
            automaton,
            pattern_kinds,
        })
    }
}

/// Where one kind matched in a text, before masking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Index into [`Detector::kinds`].
    pub kind: usize,
    /// Byte range of the secret value.
    pub secret: std::ops::Range<usize>,
}

impl Detector {
    /// Compiles kinds from TOML text.
    ///
    /// # Errors
    /// Invalid TOML, regexes without a `secret` group, unknown checks.
    pub fn from_toml(text: &str) -> Result<Detector, KindsError> {
        Self::from_tomls(&[text])
    }

    /// Compiles kinds from several TOML texts: the first text's kinds (those marked `last`
    /// after all others), then the others' in order.
    ///
    /// # Errors
    /// As [`Detector::from_toml`], and an id defined twice.
    pub fn from_tomls(texts: &[&str]) -> Result<Detector, KindsError> {
        let mut raws = Vec::new();
        let mut lasts = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let raw: RawFile =
                toml::from_str(text).map_err(|e| KindsError(format!("file {i}: {e}")))?;
            for mut k in raw.kind {
                // Provider kinds search installed packages' trees only when they say so: the
                // packages' automaton stays small enough for the SIMD search over gigabytes of
                // `node_modules` (and packages' docs are full of well-formed examples).
                if i > 0 && k.packages.is_none() {
                    k.packages = Some(false);
                }
                if k.last {
                    lasts.push(k);
                } else {
                    raws.push(k);
                }
            }
        }
        raws.extend(lasts);
        let mut ids = std::collections::HashSet::new();
        let mut kinds = Vec::new();
        for k in raws {
            if !ids.insert(k.id.clone()) {
                return Err(KindsError(format!("kind `{}` is defined twice", k.id)));
            }
            let err = |m: String| KindsError(format!("kind `{}`: {m}", k.id));
            // Compiled on first use (see `Kind::regex`); the syntax and the `secret` group
            // are checked here, which costs a fraction of compiling.
            let ast = regex_syntax::ast::parse::Parser::new()
                .parse(&k.regex)
                .map_err(|e| err(e.to_string()))?;
            let mut named = false;
            regex_syntax::ast::visit(&ast, SecretGroup(&mut named))
                .map_err(|e: std::convert::Infallible| err(e.to_string()))?;
            if !named {
                return Err(err("the regex has no `secret` group".into()));
            }
            if k.keywords.is_empty() || k.keywords.iter().any(|w| w.is_empty() || !w.is_ascii()) {
                return Err(err("no keywords, or an empty or non-ASCII one".into()));
            }
            let mut keywords = k.keywords.clone();
            if k.any_case {
                for w in &k.keywords {
                    let mut cap = w.clone();
                    cap[..1].make_ascii_uppercase();
                    keywords.extend([w.to_ascii_uppercase(), cap]);
                }
                keywords.sort();
                keywords.dedup();
            }
            let checksum = match k.checksum.as_deref() {
                None => None,
                Some("crc32-base62") => Some(Checksum::Crc32Base62),
                Some(other) => return Err(err(format!("unknown checksum `{other}`"))),
            };
            let validate = k
                .validate
                .as_deref()
                .map(|v| {
                    check::Validate::parse(v).ok_or_else(|| err(format!("unknown check `{v}`")))
                })
                .transpose()?;
            let requires = if k.requires.is_empty() {
                None
            } else {
                Some(
                    AhoCorasickBuilder::new()
                        .ascii_case_insensitive(true)
                        .build(&k.requires)
                        .map_err(|e| err(e.to_string()))?,
                )
            };
            let low_confidence = match k.confidence.as_deref() {
                None | Some("high") => false,
                Some("low") => true,
                Some(other) => return Err(err(format!("unknown confidence `{other}`"))),
            };
            let level = match k.level.as_deref() {
                None if low_confidence => SecretLevel::Warning,
                None | Some("error") => SecretLevel::Error,
                Some("warning") => SecretLevel::Warning,
                Some("note") => SecretLevel::Note,
                Some(other) => return Err(err(format!("unknown level `{other}`"))),
            };
            // Distinctive enough to search in a binary's bytes: a checksum, or a case-exact
            // prefix of 4+ characters with no context the kind needs.
            let binary = k.binary.unwrap_or_else(|| {
                checksum.is_some()
                    || (!k.any_case
                        && k.requires.is_empty()
                        && !matches!(validate, Some(check::Validate::Generic))
                        && k.keywords.iter().all(|w| w.len() >= 4))
            });
            let config_only = match k.files.as_deref() {
                None | Some("any") => false,
                Some("config") => true,
                Some(other) => return Err(err(format!("unknown files `{other}`"))),
            };
            kinds.push(Kind {
                id: k.id,
                name: k.name,
                low_confidence,
                level,
                sample: k.sample,
                context: k.context,
                doc: k.doc,
                binary,
                keywords,
                pattern: k.regex,
                regex: OnceLock::new(),
                config_only,
                in_packages: k.packages.unwrap_or(true),
                span: k.span.unwrap_or(1024).min(OVERLAP),
                min_entropy: k.min_entropy,
                checksum,
                validate,
                requires,
                allow_patterns: k.allow,
                allow: OnceLock::new(),
            });
        }
        let prefilters = FileClass::ALL
            .iter()
            .map(|c| Prefilter::build(&kinds, |k| k.searches(*c)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Detector { kinds, prefilters })
    }

    /// The kinds, in priority order.
    #[must_use]
    pub fn kinds(&self) -> &[Kind] {
        &self.kinds
    }

    /// The kind with this id.
    #[must_use]
    pub fn kind(&self, id: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.id == id)
    }

    /// Every secret in `text`, in order; where kinds overlap, the earlier kind wins.
    #[must_use]
    pub fn find(&self, text: &[u8]) -> Vec<Found> {
        self.find_in(text, FileClass::ANY)
    }

    /// [`Detector::find`] for the content of a file of class `class`: kinds that do not
    /// search such files are skipped.
    ///
    /// Each kind's regex runs only around its keywords (from `BEFORE` bytes before one to
    /// its span after it; every match contains a keyword), so text without keywords costs
    /// one prefilter pass.
    #[must_use]
    pub fn find_in(&self, text: &[u8], class: FileClass) -> Vec<Found> {
        let pre = &self.prefilters[class.index()];
        // Per kind: regions around its keyword hits, merged as they come (hits are in order).
        let mut regions: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new(); self.kinds.len()];
        for m in pre.automaton.find_iter(text) {
            for &k in &pre.pattern_kinds[m.pattern().as_usize()] {
                let r = m.start().saturating_sub(BEFORE)
                    ..(m.end() + self.kinds[k].span).min(text.len());
                let list = &mut regions[k];
                match list.last_mut() {
                    Some(prev) if r.start <= prev.end => prev.end = prev.end.max(r.end),
                    _ => list.push(r),
                }
            }
        }
        let mut found: Vec<Found> = Vec::new();
        // Every range taken, by a secret or by an example a kind allows: disjoint, keyed by start,
        // so an overlap check looks at one neighbour (a file of many matches stays linear-ish).
        let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for (i, kind) in self.kinds.iter().enumerate() {
            if regions[i].is_empty() || kind.requires.as_ref().is_some_and(|r| !r.is_match(text)) {
                continue;
            }
            for region in &regions[i] {
                let slice = &text[region.clone()];
                for caps in kind.regex().captures_iter(slice) {
                    let Some(secret) = caps.name("secret") else {
                        continue;
                    };
                    let range = region.start + secret.start()..region.start + secret.end();
                    let overlaps = taken
                        .range(..range.end)
                        .next_back()
                        .is_some_and(|(_, &end)| end > range.start);
                    if overlaps {
                        continue;
                    }
                    // A documented example a specific kind knows is no secret for a general one.
                    if kind.allow().iter().any(|a| a.is_match(secret.as_bytes())) {
                        taken.insert(range.start, range.end);
                        continue;
                    }
                    let around = check::Around {
                        user: caps.name("user").map(|m| m.as_bytes()),
                        name: caps.name("name").map(|m| m.as_bytes()),
                        quoted: caps.name("q").is_some(),
                        source: !class.config,
                    };
                    match kind.judge(secret.as_bytes(), &around) {
                        check::Verdict::Secret => {
                            taken.insert(range.start, range.end);
                            found.push(Found {
                                kind: i,
                                secret: range,
                            });
                        }
                        check::Verdict::Quiet => {
                            taken.insert(range.start, range.end);
                        }
                        check::Verdict::No => {}
                    }
                }
            }
        }
        found.sort_by_key(|f| f.secret.start);
        found
    }

    /// Masked hits in a short text (an `Env` value, a history line, a Dockerfile instruction).
    #[must_use]
    pub fn scan_text(&self, key: &Key, text: &str) -> Vec<Hit> {
        self.scan_file_text(key, text, FileClass::ANY)
    }

    /// Masked hits in the whole text of a file of class `class`.
    #[must_use]
    pub fn scan_file_text(&self, key: &Key, text: &str, class: FileClass) -> Vec<Hit> {
        let bytes = text.as_bytes();
        self.find_in(bytes, class)
            .into_iter()
            .map(|f| self.hit(key, &f, bytes, line_of(bytes, f.secret.start)))
            .collect()
    }

    fn hit(&self, key: &Key, f: &Found, text: &[u8], line: u32) -> Hit {
        let value = &text[f.secret.clone()];
        Hit {
            kind: self.kinds[f.kind].id.clone(),
            line,
            preview: mask(value),
            fingerprint: key.fingerprint(value),
        }
    }
}

impl Kind {
    /// Whether this kind searches files of class `class`.
    #[must_use]
    pub fn searches(&self, class: FileClass) -> bool {
        if class.binary {
            // Packages' binaries embed test vectors (GnuTLS's keys): only checksummed tokens,
            // which cannot be test data that happens to look right, and a cheap search over
            // the bulk of an image's bytes.
            return self.binary
                && (!class.package || (self.in_packages && self.checksum.is_some()));
        }
        (class.config || !self.config_only) && (!class.package || self.in_packages)
    }

    /// Whether a regex match is a secret rather than an example, placeholder or lookalike.
    fn judge(&self, value: &[u8], around: &check::Around<'_>) -> check::Verdict {
        use check::Verdict;
        if self.checksum == Some(Checksum::Crc32Base62) && check::crc32_base62_ok(value) {
            return Verdict::Secret;
        }
        let Ok(text) = std::str::from_utf8(value) else {
            return Verdict::No;
        };
        // A value a structural check decodes first is judged decoded (a Kubernetes `Secret`).
        if self.validate.is_some_and(check::Validate::decodes) {
            return self.validate.map_or(Verdict::No, |v| v.judge(text, around));
        }
        if entropy(value) < self.min_entropy || is_placeholder(text) {
            return Verdict::No;
        }
        match self.validate {
            None => Verdict::Secret,
            Some(v) => v.judge(text, around),
        }
    }

    /// The prefilter literals (for docs).
    #[must_use]
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }
}

/// The shipped detector, compiled once.
///
/// # Panics
/// If `rules/secrets/kinds.toml` is invalid, which its unit test rules out.
#[must_use]
pub fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    #[allow(clippy::expect_used)]
    D.get_or_init(|| {
        Detector::from_tomls(&[SECRETS_TOML, PROVIDERS_TOML])
            .expect("rules/secrets/kinds.toml and providers.toml are valid")
    })
}

/// A detected secret, with nothing that reveals it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Hit {
    /// Kind id.
    pub kind: String,
    /// 1-based line in the text.
    pub line: u32,
    /// First characters and length (`ghp_…(40 chars)`).
    pub preview: String,
    /// Keyed hash of the value ([`Key::fingerprint`]).
    pub fingerprint: String,
}

/// The first four characters (when the value is long enough that they say little) and the
/// length: enough to find the secret in the file, not enough to use it.
#[must_use]
pub fn mask(value: &[u8]) -> String {
    let n = value.len();
    let shown: String = if n >= 16 {
        value
            .iter()
            .take(4)
            .map(|&b| {
                if b.is_ascii_graphic() {
                    char::from(b)
                } else {
                    '?'
                }
            })
            .collect()
    } else {
        String::new()
    };
    format!("{shown}…({n} chars)")
}

/// The key of the fingerprint hash: HMAC-SHA256, so a fingerprint of a short password cannot
/// be reversed by hashing a dictionary without the key.
#[derive(Clone)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// A key from any bytes (a passphrase from `HULLSCAN_SECRETS_KEY`, a key file).
    #[must_use]
    pub fn derive(material: &[u8]) -> Key {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        h.update(b"hullscan-secrets-key\0");
        h.update(material);
        Key(h.finalize().into())
    }

    /// A short public id of the key, so cached fingerprints made with another key are not
    /// reused.
    #[must_use]
    pub fn id(&self) -> String {
        self.mac(b"key-id")[..6].to_string()
    }

    /// 16 hex digits of HMAC-SHA256 over the value, whitespace and `\n` escapes removed (the
    /// same key in a PEM file and in a JSON string is one fingerprint).
    #[must_use]
    pub fn fingerprint(&self, value: &[u8]) -> String {
        let mut norm = Vec::with_capacity(value.len());
        let mut i = 0;
        while i < value.len() {
            let b = value[i];
            if b == b'\\' && matches!(value.get(i + 1), Some(b'n' | b'r')) {
                i += 2;
                continue;
            }
            if !b.is_ascii_whitespace() {
                norm.push(b);
            }
            i += 1;
        }
        self.mac(&norm)[..16].to_string()
    }

    fn mac(&self, msg: &[u8]) -> String {
        use sha2::Digest as _;
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&self.0);
        let pad = |x: u8| block.map(|b| b ^ x);
        let mut inner = sha2::Sha256::new();
        inner.update(pad(0x36));
        inner.update(msg);
        let mut outer = sha2::Sha256::new();
        outer.update(pad(0x5c));
        outer.update(inner.finalize());
        let mut s = String::with_capacity(64);
        for b in outer.finalize() {
            let _ = write!(s, "{b:02x}");
        }
        s
    }
}

/// 1-based line of byte `offset`.
fn line_of(text: &[u8], offset: usize) -> u32 {
    let n = memchr::memchr_iter(b'\n', &text[..offset.min(text.len())]).count();
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// Extensions of configuration-like files, where `name = value` is data, not code.
const CONFIG_EXT: &[&str] = &[
    "env",
    "ini",
    "conf",
    "cfg",
    "cnf",
    "config",
    "properties",
    "props",
    "yaml",
    "yml",
    "toml",
    "json",
    "xml",
    "txt",
    "md",
    "markdown",
    "rst",
    "adoc",
    "sh",
    "bash",
    "zsh",
    "profile",
    "tfvars",
    "hcl",
    "cred",
    "creds",
    "credentials",
    "secret",
    "secrets",
    "key",
    "pem",
    "plist",
    "settings",
    "local",
    "production",
    "prod",
    "staging",
    "development",
    "dev",
];

/// Package managers' lockfiles (integrity hashes, resolved URLs).
const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "poetry.lock",
    "pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "cargo.lock",
    "go.sum",
    "composer.lock",
    "gemfile.lock",
    "packages.lock.json",
    "mix.lock",
    "pubspec.lock",
    "podfile.lock",
    "flake.lock",
];

/// What sort of file a text comes from, which decides the kinds searched in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileClass {
    /// Inside an installed package's tree (`node_modules`, `site-packages`, …).
    pub package: bool,
    /// A configuration-like file rather than source code.
    pub config: bool,
    /// A binary (executable, bytecode, NUL bytes): only kinds marked `binary` are searched.
    pub binary: bool,
}

impl FileClass {
    /// Config values, history lines, Dockerfiles: every kind applies.
    pub const ANY: FileClass = FileClass {
        package: false,
        config: true,
        binary: false,
    };

    /// Every class, in [`FileClass::index`] order.
    const ALL: [FileClass; 6] = [
        FileClass::class(false, false, false),
        FileClass::class(false, true, false),
        FileClass::class(true, false, false),
        FileClass::class(true, true, false),
        FileClass::class(false, false, true),
        FileClass::class(true, false, true),
    ];

    const fn class(package: bool, config: bool, binary: bool) -> FileClass {
        FileClass {
            package,
            config,
            binary,
        }
    }

    fn index(self) -> usize {
        if self.binary {
            4 + usize::from(self.package)
        } else {
            usize::from(self.package) * 2 + usize::from(self.config)
        }
    }

    /// This class for a binary's content.
    #[must_use]
    pub fn as_binary(self) -> FileClass {
        FileClass {
            config: false,
            binary: true,
            ..self
        }
    }

    /// The class of the file at `path`.
    #[must_use]
    pub fn of(path: &str) -> FileClass {
        const PACKAGE_DIRS: &[&str] = &[
            "node_modules",
            "site-packages",
            "dist-packages",
            "gems",
            "vendor",
            "bower_components",
            "jspm_packages",
            ".cargo",
            ".m2",
            ".gradle",
            ".npm",
            ".yarn",
            ".pnpm-store",
        ];
        let dirs = path.rsplit_once('/').map_or("", |(d, _)| d);
        let package = dirs.split('/').any(|c| PACKAGE_DIRS.contains(&c))
            || [
                // The distribution's packages: libraries, interpreters' trees, JVMs.
                "/usr/lib/",
                "/usr/lib64/",
                "/usr/libexec/",
                "/lib/",
                "/lib64/",
                "/usr/share/",
                "/go/pkg/mod/",
                "/usr/local/go/",
            ]
            .iter()
            .any(|p| path.starts_with(p));
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        // Lockfiles list packages' hashes and URLs: searched like packages' trees (no generic
        // assignment kind).
        let package = package || LOCKFILES.contains(&name.as_str());
        let config = name.starts_with('.')
            || name.contains(".env")
            || match name.rsplit_once('.') {
                None => true,
                Some((_, ext)) => CONFIG_EXT.contains(&ext),
            };
        FileClass {
            package,
            config,
            binary: false,
        }
    }
}

/// How files are read for secrets.
#[derive(Debug, Clone)]
pub struct FileOptions {
    /// Search binaries (ELF, Mach-O, PE, `.pyc`, `.class`, content with NUL bytes) for every
    /// kind, not only the distinctive `binary` ones they are always searched for.
    pub binaries: bool,
    /// Bytes read of one file (a time bound, not a memory one: files stream through
    /// overlapping windows); unlimited by default.
    pub max_file_bytes: u64,
}

impl Default for FileOptions {
    fn default() -> Self {
        FileOptions {
            binaries: false,
            max_file_bytes: u64::MAX,
        }
    }
}

/// A run's secret settings: the key for fingerprints (config and history are always
/// searched with it) and, unless file scanning is off, how layer files are read.
#[derive(Debug, Clone)]
pub struct SecretScan {
    /// Fingerprint key.
    pub key: Key,
    /// `None`: layer files are not searched (`--secrets off`).
    pub files: Option<FileOptions>,
}

impl SecretScan {
    /// What cached layer facts must have been made with to be reused: the detector's kinds,
    /// the key and the file options.
    #[must_use]
    pub fn profile(&self) -> String {
        use sha2::Digest as _;
        let Some(files) = &self.files else {
            return "off".to_string();
        };
        let mut h = sha2::Sha256::new();
        h.update(SECRETS_TOML.as_bytes());
        h.update(b"\0");
        h.update(PROVIDERS_TOML.as_bytes());
        let kinds = h.finalize();
        format!(
            "{}-{}-{}-{}",
            crate::image::layer::hex(&kinds[..6]),
            self.key.id(),
            u8::from(files.binaries),
            files.max_file_bytes
        )
    }
}

/// Context searched before a keyword: the longest lead-in of a match (a variable name,
/// a URL scheme) plus room for the regex to see the boundary before it.
const BEFORE: usize = 256;

/// Bytes scanned at once; a file is read in windows this size that overlap by [`OVERLAP`],
/// so memory stays bounded however large the file.
const WINDOW: usize = 1 << 20;
/// Longest secret found whole across a window boundary.
const OVERLAP: usize = 16 << 10;
/// Bytes looked at to tell text from binary.
pub const SNIFF: usize = 8 << 10;

/// Scans one file of class `class` as it streams. `read` fills a buffer like
/// [`io::Read::read`] (0 at the end); `buf` is reused between files.
///
/// # Errors
/// The errors of `read`.
pub fn scan_stream(
    det: &Detector,
    key: &Key,
    opts: &FileOptions,
    mut class: FileClass,
    buf: &mut Vec<u8>,
    mut read: impl FnMut(&mut [u8]) -> io::Result<usize>,
) -> io::Result<Vec<Hit>> {
    // Reused between files: sized once, never cleared (every byte read is written first).
    if buf.len() < WINDOW {
        buf.resize(WINDOW, 0);
    }
    let mut len = 0usize;
    let mut total = 0u64;
    let mut sniffed = false;
    let mut lines_before = 0u32;
    let mut hits = Vec::new();
    loop {
        let room = WINDOW - len;
        let budget = usize::try_from(opts.max_file_bytes.saturating_sub(total)).unwrap_or(room);
        let want = room.min(budget);
        let n = if want == 0 {
            0
        } else {
            read(&mut buf[len..len + want])?
        };
        len += n;
        total += n as u64;
        if !sniffed && (len >= SNIFF || n == 0) {
            sniffed = true;
            if !opts.binaries && is_binary(&buf[..len]) {
                class = class.as_binary();
            }
        }
        let last = n == 0;
        if len < WINDOW && !last {
            continue;
        }
        let window = &buf[..len];
        let limit = if last { len } else { len - OVERLAP };
        for f in det.find_in(window, class) {
            if f.secret.start >= limit {
                continue;
            }
            let line = lines_before + line_of(window, f.secret.start);
            hits.push(det.hit(key, &f, window, line));
        }
        if last {
            return Ok(hits);
        }
        let kept = len - limit;
        let dropped = memchr::memchr_iter(b'\n', &buf[..limit]).count();
        lines_before = lines_before.saturating_add(u32::try_from(dropped).unwrap_or(u32::MAX));
        buf.copy_within(limit..len, 0);
        len = kept;
    }
}

/// A file's content as the layer walker streams it to [`scan_pieces`]: `Start`, its bytes
/// in `Data` pieces, `End`.
#[derive(Debug)]
pub enum Piece {
    /// Whole small files.
    Batch(Batch),
    /// A file begins (its path).
    Start(String),
    /// Its next bytes.
    Data(Vec<u8>),
    /// It ended.
    End,
}

/// Whole small files sent at once: their paths and ranges in `bytes`.
#[derive(Debug, Default)]
pub struct Batch {
    /// Path and byte range of each file.
    pub files: Vec<(String, std::ops::Range<usize>)>,
    /// Their contents, one after the other.
    pub bytes: Vec<u8>,
}

/// What the scanner thread found in one layer.
#[derive(Debug, Default)]
pub struct Scanned {
    /// Each hit with its file's path (inside archives: `a.jar!/x.properties`), in arrival order.
    pub hits: Vec<(String, Hit)>,
    /// Archives not searched whole (a bound reached, corrupt content).
    pub warnings: Vec<String>,
}

/// The pieces of one streamed file as a reader.
struct PieceReader<'a> {
    rx: &'a std::sync::mpsc::Receiver<Piece>,
    back: &'a std::sync::mpsc::SyncSender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
    ended: bool,
}

impl io::Read for PieceReader<'_> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.pos < self.cur.len() {
                let n = dst.len().min(self.cur.len() - self.pos);
                dst[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.ended {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Piece::Data(d)) => {
                    // The walker refills consumed pieces; when it has enough, drop them.
                    let _ = self.back.try_send(std::mem::replace(&mut self.cur, d));
                    self.pos = 0;
                }
                Ok(Piece::End | Piece::Start(_) | Piece::Batch(..)) | Err(_) => self.ended = true,
            }
        }
    }
}

/// Scans the files that arrive on `rx` until the sender hangs up, opening archives inside
/// them. Runs on its own thread beside the layer walk.
#[must_use]
pub fn scan_pieces(
    key: &Key,
    files: &FileOptions,
    rx: &std::sync::mpsc::Receiver<Piece>,
    back: &std::sync::mpsc::SyncSender<Vec<u8>>,
) -> Scanned {
    let mut walk = archive::Walk {
        det: detector(),
        key,
        opts: files,
        buf: Vec::new(),
        hits: Vec::new(),
        warnings: Vec::new(),
    };
    while let Ok(piece) = rx.recv() {
        let path = match piece {
            Piece::Start(path) => path,
            Piece::Batch(Batch { files: list, bytes }) => {
                for (path, range) in list {
                    if let Some(text) = bytes.get(range) {
                        archive::batch_file(&mut walk, &path, text);
                    }
                }
                let _ = back.try_send(bytes);
                continue;
            }
            Piece::Data(_) | Piece::End => continue,
        };
        let mut reader = PieceReader {
            rx,
            back,
            cur: Vec::new(),
            pos: 0,
            ended: false,
        };
        walk.file(&path, &mut reader);
        // A file whose archive stopped early: skip the rest of its pieces.
        while !reader.ended {
            match rx.recv() {
                Ok(Piece::Data(d)) => {
                    let _ = back.try_send(d);
                }
                Ok(Piece::End | Piece::Start(_) | Piece::Batch(..)) | Err(_) => reader.ended = true,
            }
        }
    }
    Scanned {
        hits: walk.hits,
        warnings: walk.warnings,
    }
}

/// Searches one file's bytes as the layer scanner does, archives and git objects opened: the
/// hits (with their paths inside archives) and the warnings. For fuzzing and tools.
#[doc(hidden)]
#[must_use]
pub fn scan_file_bytes(key: &Key, opts: &FileOptions, path: &str, bytes: &[u8]) -> Scanned {
    let mut walk = archive::Walk {
        det: detector(),
        key,
        opts,
        buf: Vec::new(),
        hits: Vec::new(),
        warnings: Vec::new(),
    };
    walk.file(path, &mut &bytes[..]);
    Scanned {
        hits: walk.hits,
        warnings: walk.warnings,
    }
}

/// Content that is not text: NUL bytes, or the magic of executables, archives and images.
#[must_use]
pub fn is_binary(head: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\x7fELF",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
        b"MZ",
        b"\x1f\x8b",
        b"PK\x03\x04",
        b"\xfd7zXZ",
        b"\x28\xb5\x2f\xfd",
        b"BZh",
        b"\x89PNG",
        b"\xff\xd8\xff",
        b"\0asm",
    ];
    let head = &head[..head.len().min(SNIFF)];
    MAGIC.iter().any(|m| head.starts_with(m)) || memchr::memchr(0, head).is_some()
}

/// Paths whose content is not an application's: packages' own tests, fixtures, docs and
/// examples (they ship sample keys), templates (`.env.example`), and documentation trees.
#[must_use]
pub fn skip_path(path: &str) -> bool {
    const TREES: &[&str] = &[
        "/usr/share/doc/",
        "/usr/share/man/",
        "/usr/share/info/",
        "/usr/share/locale/",
        "/usr/share/i18n/",
        "/usr/share/zoneinfo/",
        "/usr/share/common-licenses/",
        "/usr/share/gtk-doc/",
        "/usr/share/help/",
        // Package managers' databases and indexes (debconf's `passwords.dat` is searched).
        "/var/lib/apt/lists/",
        "/var/lib/dpkg/",
        "/var/cache/apt/",
        "/var/lib/apk/",
        "/lib/apk/db/",
        "/var/lib/rpm/",
        "/var/cache/dnf/",
        "/var/cache/yum/",
        "/var/cache/debconf/templates.dat",
    ];
    if TREES.iter().any(|t| path.starts_with(t)) {
        return true;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let template = [".example", ".sample", ".template", ".tmpl", ".dist"]
        .iter()
        .any(|s| name.ends_with(s));
    if template {
        return true;
    }
    let components: Vec<&str> = path.split('/').collect();
    let dirs = &components[..components.len().saturating_sub(1)];
    let test_dir = |c: &&str| {
        matches!(
            c.to_ascii_lowercase().as_str(),
            "test"
                | "tests"
                | "testdata"
                | "testing"
                | "__tests__"
                | "fixtures"
                | "__fixtures__"
                | "spec"
                | "specs"
                | "test-fixtures"
                | "test_data"
                | "testfixtures"
        )
    };
    if dirs.iter().any(test_dir) {
        return true;
    }
    // Docs and examples inside installed packages (not an application's own `docs/`).
    let packaged = [
        "node_modules",
        "site-packages",
        "dist-packages",
        "gems",
        "vendor",
        "mod",
        "registry",
        "share",
        "jvm",
    ];
    let in_package = dirs.iter().any(|c| packaged.contains(c));
    // A package's README, changelog and example data (`sts.examples.json`) document example
    // keys; an application's runbook is searched.
    let prose = [".md", ".markdown", ".rst"]
        .iter()
        .any(|s| name.ends_with(s))
        || name.to_ascii_lowercase().contains("example");
    in_package
        && (prose
            || dirs.iter().any(|c| {
                matches!(
                    c.to_ascii_lowercase().as_str(),
                    "doc"
                        | "docs"
                        | "example"
                        | "examples"
                        | "sample"
                        | "samples"
                        | "demo"
                        | "demos"
                )
            }))
}

#[cfg(test)]
mod tests;
