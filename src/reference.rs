//! Image references as Docker names them: `[registry/]repository[:tag][@digest]`, with
//! Docker Hub's implicit `docker.io` registry and `library/` namespace.

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host (`docker.io` when none is written).
    pub registry: String,
    /// Repository path (`library/debian` for `debian`).
    pub repository: String,
    /// Tag, if written.
    pub tag: Option<String>,
    /// `algorithm:hex` digest, if written.
    pub digest: Option<String>,
}

/// Docker Hub's canonical registry name.
pub const DOCKER_HUB: &str = "docker.io";

/// True when `s` is a reference the distribution grammar accepts (what `BuildKit` checks a
/// `FROM` against after substituting build arguments): lower-case path components joined by
/// `.`, `_`, `__` or dashes, an optional `host[:port]`, a tag of at most 128 word characters,
/// dots and dashes not starting with a dot or dash, and an optional `algorithm:hex` digest.
#[must_use]
pub fn is_valid_reference(s: &str) -> bool {
    let (name, digest) = match s.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        let Some((alg, hex)) = d.split_once(':') else {
            return false;
        };
        if alg.is_empty()
            || !alg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'_' | b'-'))
            || hex.len() < 32
            || !hex.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return false;
        }
    }
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match name[slash..].rfind(':') {
        Some(i) => (&name[..slash + i], Some(&name[slash + i + 1..])),
        None => (name, None),
    };
    if let Some(t) = tag {
        let ok_first = t
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !ok_first
            || t.len() > 128
            || !t
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        {
            return false;
        }
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1 {
        let host = parts[0];
        if host.contains('.') || host.contains(':') || host == "localhost" {
            let (h, port) = host
                .split_once(':')
                .map_or((host, None), |(h, p)| (h, Some(p)));
            let host_ok = !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
            let port_ok =
                port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if !host_ok || !port_ok {
                return false;
            }
            parts.remove(0);
        }
    }
    !parts.is_empty() && parts.iter().all(|c| path_component(c))
}

/// `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`
fn path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

impl ImageRef {
    /// Parses a reference. Returns `None` for an empty or syntactically impossible one.
    #[must_use]
    pub fn parse(s: &str) -> Option<ImageRef> {
        let s = s.trim();
        if s.is_empty() || s.contains(char::is_whitespace) {
            return None;
        }
        let (name, digest) = match s.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (s, None),
        };
        // A tag is after the last ':' that follows the last '/': `host:5000/app` has none.
        let slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[slash..].rfind(':') {
            Some(i) => (&name[..slash + i], Some(name[slash + i + 1..].to_string())),
            None => (name, None),
        };
        if name.is_empty() || tag.as_deref() == Some("") {
            return None;
        }
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), rest.to_string())
            }
            _ => (DOCKER_HUB.to_string(), name.to_string()),
        };
        let registry = match registry.as_str() {
            "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB.to_string(),
            _ => registry,
        };
        let repository = if registry == DOCKER_HUB && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        Some(ImageRef {
            registry,
            repository: repository.to_ascii_lowercase(),
            tag,
            digest,
        })
    }

    /// `registry/repository`, the name without tag or digest.
    #[must_use]
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The last path component of the repository (`debian` for `docker.io/library/debian`).
    #[must_use]
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let r = ImageRef::parse("debian").unwrap();
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag),
            ("docker.io", "library/debian", None)
        );
        let r = ImageRef::parse("localhost:5000/app:1.2@sha256:abc").unwrap();
        assert_eq!(r.registry, "localhost:5000");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("host:5000/app").unwrap();
        assert_eq!(r.tag, None);
        let r = ImageRef::parse("ghcr.io/org/tool:latest").unwrap();
        assert_eq!(r.name(), "ghcr.io/org/tool");
        assert_eq!(r.short_name(), "tool");
        assert!(ImageRef::parse("a:").is_none());
    }

    #[test]
    fn distribution_grammar() {
        for ok in [
            "debian",
            "node:20-trixie-slim",
            "gcr.io/distroless/static-debian12:nonroot",
            "localhost:5000/a/b_c__d--e:1.0",
            "scratch",
            "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_valid_reference(ok), "{ok}");
        }
        for bad in [
            "node:-trixie-slim",
            "node:",
            "\"gcr.io/x\"",
            "Ubuntu:22.04",
            "a//b",
            "-a",
            "a:.1",
            "python:3.12${V}",
            "",
        ] {
            assert!(!is_valid_reference(bad), "{bad}");
        }
    }
}
