//! `ARG`/`ENV` variable substitution, as the builder applies it to `FROM`, `USER`, `EXPOSE`
//! and friends: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`,
//! `${VAR+alt}`. A variable with no value (an `ARG` without default) stays *unresolved*, so
//! rules can stay silent instead of judging a value they cannot know.

use std::collections::HashMap;

/// The variables in scope at one point of a Dockerfile. `None` is declared without a value.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    map: HashMap<String, Option<String>>,
}

/// The result of substitution, and whether any variable had no known value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The text with every known variable replaced (unknown ones become empty).
    pub text: String,
    /// True when a variable without a value was referenced and no default applied.
    pub unresolved: bool,
}

impl Expanded {
    /// The text when every variable in it was known; `None` makes an `ARG`/`ENV` built from
    /// an unknown value unknown itself, so rules stay silent rather than judge a guess.
    #[must_use]
    pub fn known(self) -> Option<String> {
        (!self.unresolved).then_some(self.text)
    }
}

impl Vars {
    /// Declares or assigns a variable.
    pub fn set(&mut self, name: &str, value: Option<String>) {
        self.map.insert(name.to_string(), value);
    }

    /// Looks a variable up: outer `None` is undeclared, inner `None` is declared without value.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<Option<&str>> {
        self.map.get(name).map(Option::as_deref)
    }

    /// Substitutes variables in `s`. A backslash before `$` keeps it literal.
    #[must_use]
    pub fn expand(&self, s: &str) -> Expanded {
        let mut out = String::with_capacity(s.len());
        let mut unresolved = false;
        let chars: Vec<char> = s.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' && chars.get(i + 1) == Some(&'$') {
                out.push('$');
                i += 2;
                continue;
            }
            if c != '$' {
                out.push(c);
                i += 1;
                continue;
            }
            if chars.get(i + 1) == Some(&'{') {
                let Some(close) = chars[i + 2..].iter().position(|&c| c == '}') else {
                    out.extend(&chars[i..]);
                    break;
                };
                let inner: String = chars[i + 2..i + 2 + close].iter().collect();
                i += close + 3;
                let Some((name, op, word)) = split_modifier(&inner) else {
                    // BuildKit rejects `${name:word}` and friends ("unsupported modifier"), and
                    // pattern forms (`#`, `%`, `/`) need the value we may not know: unknown.
                    unresolved = true;
                    out.push_str("${");
                    out.push_str(&inner);
                    out.push('}');
                    continue;
                };
                let value = self.get(name).flatten();
                let set_nonempty = value.is_some_and(|v| !v.is_empty());
                match op {
                    ":-" | "-" => {
                        let use_value = if op == ":-" {
                            set_nonempty
                        } else {
                            value.is_some()
                        };
                        if use_value {
                            out.push_str(value.unwrap_or_default());
                        } else {
                            let e = self.expand(word);
                            unresolved |= e.unresolved;
                            out.push_str(&e.text);
                        }
                    }
                    ":+" | "+" => {
                        let has = if op == ":+" {
                            set_nonempty
                        } else {
                            value.is_some()
                        };
                        if has {
                            out.push_str(&self.expand(word).text);
                        } else if value.is_none() && self.get(name).is_none_or(|v| v.is_none()) {
                            // Whether the alternative applies depends on a build arg.
                            unresolved |= self.get(name) == Some(None);
                        }
                    }
                    // `${name:?message}`: the value, or the build fails.
                    ":?" | "?" => match value {
                        Some(v) if op == "?" || !v.is_empty() => out.push_str(v),
                        _ => unresolved = true,
                    },
                    _ => match value {
                        Some(v) => out.push_str(v),
                        None => unresolved = true,
                    },
                }
                continue;
            }
            // Names start with a letter or `_`; `$5` and `$$` stay literal.
            let starts_name = chars
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == '_');
            let len = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            if len == 0 || !starts_name {
                out.push('$');
                i += 1;
                continue;
            }
            let name: String = chars[i + 1..=i + len].iter().collect();
            match self.get(&name).flatten() {
                Some(v) => out.push_str(v),
                None => unresolved = true,
            }
            i += len + 1;
        }
        Expanded {
            text: out,
            unresolved,
        }
    }
}

/// Splits `${…}` contents into name, operator and word; `None` for forms `BuildKit` rejects or
/// that hullscan does not evaluate (a bad name, `${a:b}`, `${a#p}`, `${a%p}`, `${a/p/r}`).
fn split_modifier(inner: &str) -> Option<(&str, &str, &str)> {
    let len = inner
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let (name, rest) = inner.split_at(len);
    if name.is_empty() || name.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if rest.is_empty() {
        return Some((name, "", ""));
    }
    for op in [":-", ":+", ":?", "-", "+", "?"] {
        if let Some(word) = rest.strip_prefix(op) {
            return Some((name, op, word));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let mut v = Vars::default();
        v.set("BASE", Some("debian:12".into()));
        v.set("EMPTY", Some(String::new()));
        v.set("NOVAL", None);
        v
    }

    #[test]
    fn forms() {
        let v = vars();
        assert_eq!(v.expand("$BASE").text, "debian:12");
        assert_eq!(v.expand("${BASE}-slim").text, "debian:12-slim");
        assert_eq!(v.expand("${EMPTY:-alpine}").text, "alpine");
        assert_eq!(v.expand("${EMPTY-alpine}").text, "");
        assert_eq!(v.expand("${MISSING:-alpine:3}").text, "alpine:3");
        assert_eq!(v.expand("${BASE:+yes}").text, "yes");
        assert_eq!(v.expand("\\$BASE").text, "$BASE");
        assert_eq!(v.expand("cost $5").text, "cost $5");
    }

    #[test]
    fn forms_buildkit_rejects_or_we_do_not_evaluate_are_unknown() {
        let v = vars();
        for s in [
            "${BASE:x}",
            "${BASE#debian}",
            "${BASE%:12}",
            "${BASE/a/b}",
            "${1X}",
        ] {
            let e = v.expand(s);
            assert!(e.unresolved, "{s}");
            assert_eq!(e.text, s, "kept as written");
        }
        assert_eq!(v.expand("${BASE:?set it}").text, "debian:12");
        assert!(v.expand("${EMPTY:?set it}").unresolved);
        assert!(!v.expand("${EMPTY?set it}").unresolved);
    }

    #[test]
    fn unresolved_is_reported() {
        let v = vars();
        assert!(v.expand("$NOVAL").unresolved);
        assert!(v.expand("${MISSING}").unresolved);
        assert!(!v.expand("${NOVAL:-x}").unresolved);
        assert!(!v.expand("$BASE").unresolved);
    }
}
