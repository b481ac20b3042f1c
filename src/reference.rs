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
}
