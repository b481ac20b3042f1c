//! Secrets in an image's config: `Env`, `Labels` and the history's `created_by` (build
//! arguments included), found with the content detector plus secret-like variable names.
//! Anyone who can pull the image reads all three with `docker inspect` and `docker history`.

use super::config::ImageConfig;
use crate::secrets::{Hit, Key, detector, is_flag_value, is_placeholder, mask, secret_name};

/// Kind id of a value judged by its variable's name (`DB_PASSWORD=…`) rather than its shape.
pub const NAMED: &str = "named-secret";

/// Where in the config a secret sits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConfigPlace {
    /// An `Env` variable.
    Env(String),
    /// A label.
    Label(String),
    /// A history step: its index among all steps, the layer it made (if any), and the build
    /// argument that holds the secret (if it is one).
    History {
        /// Index in `history`.
        step: usize,
        /// Layer index, for steps that made a layer.
        layer: Option<usize>,
        /// The build argument's name.
        arg: Option<String>,
    },
}

/// A secret in the config.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConfigSecret {
    /// Where.
    pub place: ConfigPlace,
    /// What (masked); `kind` is [`NAMED`] for name-only judgements.
    pub hit: Hit,
}

/// A value assigned to a secret-named variable that is a value, not a switch, a path or a
/// template.
fn named_value(name: &str, value: &str) -> bool {
    secret_name(name)
        && !value.is_empty()
        && !is_flag_value(value)
        && !is_placeholder(value)
        && !value.starts_with('/')
}

fn named(key: &Key, value: &str) -> Hit {
    Hit {
        kind: NAMED.to_string(),
        line: 0,
        preview: mask(value.as_bytes()),
        fingerprint: key.fingerprint(value.as_bytes()),
    }
}

/// The `|N K=V …` build arguments a classic or `BuildKit` history step records.
#[must_use]
pub fn build_args(created_by: &str) -> Vec<(String, String)> {
    let s = created_by.trim_start();
    let s = s.strip_prefix("RUN ").unwrap_or(s).trim_start();
    let Some(rest) = s.strip_prefix('|') else {
        return Vec::new();
    };
    let mut words = rest.split(' ').filter(|w| !w.is_empty());
    let Some(n) = words.next().and_then(|w| w.parse::<usize>().ok()) else {
        return Vec::new();
    };
    words
        .take(n.min(1024))
        .filter_map(|w| w.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Secrets in environment variables (an image's `Env`, an ECS container's `environment`): by
/// value with the detector, else by a secret-like name holding a real-looking value.
#[must_use]
pub fn env_secrets(
    env: impl IntoIterator<Item = (String, String)>,
    key: &Key,
) -> Vec<(String, crate::secrets::Hit)> {
    let det = detector();
    let mut out = Vec::new();
    for (k, v) in env {
        let hits = det.scan_text(key, &v);
        if hits.is_empty() && named_value(&k, &v) {
            out.push((k, named(key, &v)));
            continue;
        }
        out.extend(hits.into_iter().map(|hit| (k.clone(), hit)));
    }
    out
}

/// Every secret in `config`, in place order.
#[must_use]
pub fn config_secrets(config: &ImageConfig, key: &Key) -> Vec<ConfigSecret> {
    let det = detector();
    let mut out: Vec<ConfigSecret> = env_secrets(config.env(), key)
        .into_iter()
        .map(|(k, hit)| ConfigSecret {
            place: ConfigPlace::Env(k),
            hit,
        })
        .collect();
    for (k, v) in config.labels() {
        for hit in det.scan_text(key, &v) {
            out.push(ConfigSecret {
                place: ConfigPlace::Label(k.clone()),
                hit,
            });
        }
    }
    // A value still in `Env` is reported there, not again for the `ENV` step that set it.
    let in_config: std::collections::HashSet<String> =
        out.iter().map(|s| s.hit.fingerprint.clone()).collect();
    let mut layer = 0;
    for (step, h) in config.history.iter().enumerate() {
        let made_layer = !h.empty_layer.unwrap_or(false);
        let place_layer = made_layer.then_some(layer);
        if made_layer {
            layer += 1;
        }
        let Some(created_by) = h.created_by.as_deref() else {
            continue;
        };
        let mut found = Vec::new();
        for (k, v) in build_args(created_by) {
            let hits = det.scan_text(key, &v);
            if hits.is_empty() && named_value(&k, &v) {
                found.push((Some(k), named(key, &v)));
            } else {
                found.extend(hits.into_iter().map(|hit| (Some(k.clone()), hit)));
            }
        }
        for hit in det.scan_text(key, created_by) {
            found.push((None, hit));
        }
        let mut seen = std::collections::HashSet::new();
        for (arg, hit) in found {
            if in_config.contains(&hit.fingerprint) || !seen.insert(hit.fingerprint.clone()) {
                continue;
            }
            out.push(ConfigSecret {
                place: ConfigPlace::History {
                    step,
                    layer: place_layer,
                    arg,
                },
                hit,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_args_of_both_builders() {
        assert_eq!(
            build_args("|2 NPM_TOKEN=abc VERSION=1 /bin/sh -c npm ci"),
            [
                ("NPM_TOKEN".into(), "abc".into()),
                ("VERSION".into(), "1".into())
            ]
        );
        assert_eq!(
            build_args("RUN |1 A=b /bin/sh -c make # buildkit"),
            [("A".into(), "b".into())]
        );
        assert!(build_args("/bin/sh -c make").is_empty());
        assert!(build_args("|99999999999999999999 A=b").is_empty());
    }
}
