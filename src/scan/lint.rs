//! Rules to findings: runs the enabled rules on one artifact's facts (a parsed Dockerfile, an
//! image, an ECR repository), then applies what the user configured: levels, inline pragmas
//! (`# hullscan ignore=`, `# hadolint ignore=`), `.hullscan.toml` ignores, and stable
//! fingerprints.

use std::collections::{BTreeSet, HashMap};

use sha2::{Digest, Sha256};

use crate::config::{Config, Ignore, today};
use crate::dockerfile::{Dockerfile, ParseError, parse};
use crate::rules::finding::Location;
use crate::rules::{Check, Finding, Findings, RuleContext, RuleId};

/// How a file is named: as shown to the user, and relative to the repository root (SARIF).
#[derive(Debug, Clone)]
pub struct FileName {
    /// As the user gave it or as found under a directory.
    pub display: String,
    /// Relative to the repository root, `/`-separated, never absolute.
    pub repo_relative: String,
}

/// Lints Dockerfile text: parse, run rules, apply levels, pragmas and fingerprints.
/// Config ignores are applied separately by [`apply_ignores`], across all files.
///
/// # Errors
/// When the text does not parse.
pub fn lint_text(text: &str, name: &FileName, cfg: &Config) -> Result<Vec<Finding>, ParseError> {
    lint_text_with(text, name, cfg, None).map(|(f, _)| f)
}

/// [`lint_text`], with the final base image's config looked up through `bases` when given
/// (`--resolve-bases`). Returns the findings and warnings: a base that could not be read (the
/// file is then judged on its own text, as without the flag), pragmas naming unknown rules.
///
/// # Errors
/// When the text does not parse.
pub fn lint_text_with(
    text: &str,
    name: &FileName,
    cfg: &Config,
    bases: Option<&dyn super::bases::BaseResolver>,
) -> Result<(Vec<Finding>, Vec<String>), ParseError> {
    let mut df = parse(text)?;
    // Rules read the path for the image's purpose (`.devcontainer/Dockerfile`).
    df.path = Some(name.repo_relative.clone());
    let mut warnings = pragma_warnings(&df, &name.display);
    if let Some(bases) = bases {
        let root = df.final_lineage()[0];
        if root.parent.is_none() && root.base_resolved && !root.base.eq_ignore_ascii_case("scratch")
        {
            match bases.resolve(&root.base) {
                Ok(b) => df.base = Some(b),
                Err(e) => {
                    warnings.push(format!(
                        "{}: base `{}` not resolved ({e}); judged without it",
                        name.display, root.base
                    ));
                }
            }
        }
    }
    Ok((lint_parsed(&df, name, cfg), warnings))
}

/// Pragmas that name no rule (`# hullscan ignore=DF999`): a typo would silently keep a
/// finding, or hide nothing the author meant to hide.
#[must_use]
pub fn pragma_warnings(df: &Dockerfile, display: &str) -> Vec<String> {
    let comments = df
        .comments
        .iter()
        .chain(df.instructions.iter().flat_map(|i| i.comments.iter()));
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for c in comments {
        if !seen.insert(c.line) {
            continue;
        }
        let Some((tool, rest)) = c.text.split_once(char::is_whitespace) else {
            continue;
        };
        if !tool.eq_ignore_ascii_case("hullscan") {
            continue;
        }
        let rest = rest.trim();
        let rest = rest.strip_prefix("global").map_or(rest, str::trim_start);
        let Some(ids) = rest
            .strip_prefix("ignore")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='))
        else {
            continue;
        };
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let id = id.split_whitespace().next().unwrap_or(id);
            if RuleId::parse_many(id).is_err() && RuleId::peer_tool(id).is_none() {
                out.push(format!(
                    "{display}:{}: `# hullscan ignore=` names unknown rule `{id}` (see `hullscan rules`)",
                    c.line
                ));
            }
        }
    }
    out
}

/// Runs the enabled rules on a parsed Dockerfile.
#[must_use]
pub fn lint_parsed(df: &Dockerfile, name: &FileName, cfg: &Config) -> Vec<Finding> {
    let cx = RuleContext {
        settings: &cfg.settings,
    };
    let mut out = Findings::default();
    for id in &cfg.enabled {
        if let Check::Dockerfile(f) = id.check() {
            f(df, &cx, &mut out);
        }
    }
    let pragmas = Pragmas::collect(df);
    let mut findings: Vec<Finding> = out
        .0
        .into_iter()
        .filter(|f| !pragmas.suppresses(f))
        .map(|mut f| {
            f.level = cfg.levels.get(&f.rule).copied().unwrap_or(f.level);
            if let Location::Dockerfile { path, .. } = &mut f.location {
                path.clone_from(&name.display);
            }
            f
        })
        .collect();
    sort(&mut findings);
    fingerprint(&mut findings, &name.repo_relative);
    findings
}

/// Runs the enabled image rules on scanned image facts. `display` names the image in reports
/// and `repo_path` keys fingerprints (the repository without tag or digest, so alerts survive
/// rebuilds).
#[must_use]
pub fn lint_image(
    img: &crate::image::ImageFacts,
    display: &str,
    repo_path: &str,
    cfg: &Config,
) -> Vec<Finding> {
    let cx = RuleContext {
        settings: &cfg.settings,
    };
    let mut out = Findings::default();
    for id in &cfg.enabled {
        if let Check::Image(f) = id.check() {
            f(img, &cx, &mut out);
        }
    }
    let mut findings: Vec<Finding> = out
        .0
        .into_iter()
        .map(|mut f| {
            f.level = cfg.levels.get(&f.rule).copied().unwrap_or(f.level);
            if let Location::Image { image, .. } = &mut f.location {
                image.clear();
                image.push_str(display);
            }
            f
        })
        .collect();
    sort(&mut findings);
    fingerprint(&mut findings, repo_path);
    findings
}

/// Runs `each` for every enabled rule's check, then applies configured levels, sorts and
/// fingerprints (keyed by `key`).
fn judge(
    cfg: &Config,
    key: &str,
    each: impl Fn(Check, &RuleContext<'_>, &mut Findings),
) -> Vec<Finding> {
    let cx = RuleContext {
        settings: &cfg.settings,
    };
    let mut out = Findings::default();
    for id in &cfg.enabled {
        each(id.check(), &cx, &mut out);
    }
    let mut findings = out.0;
    for f in &mut findings {
        f.level = cfg.levels.get(&f.rule).copied().unwrap_or(f.level);
    }
    sort(&mut findings);
    fingerprint(&mut findings, key);
    findings
}

/// Runs the enabled repository rules (RG001–RG003) on an ECR repository's settings.
/// Fingerprints are keyed by the repository ARN.
#[must_use]
pub fn lint_repository(repo: &crate::repository::Repository, cfg: &Config) -> Vec<Finding> {
    judge(cfg, &repo.arn, |check, cx, out| {
        if let Check::Repository(f) = check {
            f(repo, cx, out);
        }
    })
}

/// Runs the enabled task definition rules (TD) on one task definition. Findings are located in
/// its file (`td.file`); fingerprints are keyed by `repo_path`, the file's repository path.
#[must_use]
pub fn lint_task_definition(
    td: &crate::ecs::TaskDefinition,
    cfg: &Config,
    repo_path: &str,
) -> Vec<Finding> {
    judge(cfg, repo_path, |check, cx, out| {
        if let Check::TaskDefinition(f) = check {
            f(td, cx, out);
        }
    })
}

/// Runs the enabled service rules on one ECS service, located in its file (or by its ARN).
#[must_use]
pub fn lint_service(service: &crate::ecs::Service, cfg: &Config, repo_path: &str) -> Vec<Finding> {
    judge(cfg, repo_path, |check, cx, out| {
        if let Check::Service(f) = check {
            f(service, cx, out);
        }
    })
}

/// Runs the enabled rules that judge a container against its image's scan (TD017) on one
/// container; findings are located and fingerprinted as [`lint_task_definition`]'s.
#[must_use]
pub fn lint_launch(launch: &crate::ecs::Launch<'_>, cfg: &Config, repo_path: &str) -> Vec<Finding> {
    judge(cfg, repo_path, |check, cx, out| {
        if let Check::Launch(f) = check {
            f(launch, cx, out);
        }
    })
}

/// Sorts findings by path, line, then rule: output diffs cleanly between runs.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.path(), a.start_line(), a.image_path(), a.rule, &a.message).cmp(&(
            b.path(),
            b.start_line(),
            b.image_path(),
            b.rule,
            &b.message,
        ))
    });
}

/// Sets each finding's fingerprint from its rule, file and instruction text (not its line),
/// so alerts survive lines inserted above; identical instructions are told apart by order.
pub fn fingerprint(findings: &mut [Finding], repo_path: &str) {
    let mut seen: HashMap<(RuleId, String), usize> = HashMap::new();
    for f in findings {
        let n = seen.entry((f.rule, f.anchor.clone())).or_insert(0);
        let mut h = Sha256::new();
        for part in [f.rule.as_str(), repo_path, &f.anchor, &n.to_string()] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        *n += 1;
        f.fingerprint = crate::image::layer::hex(&h.finalize()[..8]);
    }
}

/// Drops findings that a `# hullscan ignore=` (or mapped `# hadolint ignore=`) pragma of `df`
/// silences: image findings mapped to the Dockerfile's lines obey the same pragmas as the
/// Dockerfile's own.
pub fn apply_pragmas(findings: &mut Vec<Finding>, df: &Dockerfile) {
    let pragmas = Pragmas::collect(df);
    findings
        .retain(|f| !matches!(f.location, Location::Dockerfile { .. }) || !pragmas.suppresses(f));
}

/// Inline suppressions of one file.
struct Pragmas {
    global: BTreeSet<RuleId>,
    /// (first line, last line, rules) of instructions with a pragma above them.
    spans: Vec<(u32, u32, BTreeSet<RuleId>)>,
}

impl Pragmas {
    fn collect(df: &Dockerfile) -> Pragmas {
        let mut global = BTreeSet::new();
        for c in &df.comments {
            if let Some(ids) = pragma_rules(&c.text, true) {
                global.extend(ids);
            }
        }
        let spans = df
            .instructions
            .iter()
            .filter_map(|ins| {
                let ids: BTreeSet<RuleId> = ins
                    .comments
                    .iter()
                    .filter_map(|c| pragma_rules(&c.text, false))
                    .flatten()
                    .collect();
                (!ids.is_empty()).then_some((ins.start_line, ins.end_line, ids))
            })
            .collect();
        Pragmas { global, spans }
    }

    fn suppresses(&self, f: &Finding) -> bool {
        let line = f.start_line();
        self.global.contains(&f.rule)
            || self
                .spans
                .iter()
                .any(|(s, e, ids)| (*s..=*e).contains(&line) && ids.contains(&f.rule))
    }
}

/// Parses `hullscan ignore=DF001,DF011` or `hadolint ignore=DL3002` (with `global` when
/// `global` is true). Hadolint ids map to every rule that lists them as a peer.
fn pragma_rules(text: &str, global: bool) -> Option<Vec<RuleId>> {
    let (tool, rest) = text.split_once(char::is_whitespace)?;
    let tool = tool.to_ascii_lowercase();
    if tool != "hullscan" && tool != "hadolint" {
        return None;
    }
    let rest = rest.trim();
    let rest = if global {
        rest.strip_prefix("global")?.trim_start()
    } else {
        rest
    };
    let ids = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    let mut out = Vec::new();
    for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let id = id.split_whitespace().next().unwrap_or(id);
        if tool == "hullscan" {
            // Our ids and names, or a peer's id for the rules that cover it.
            out.extend(RuleId::parse_many(id).unwrap_or_default());
        } else {
            out.extend(RuleId::ALL.iter().copied().filter(|r| {
                r.meta()
                    .peers
                    .get("hadolint")
                    .is_some_and(|p| p.iter().any(|x| x.eq_ignore_ascii_case(id)))
            }));
        }
    }
    Some(out)
}

/// Drops findings matched by config ignores, and returns warnings for entries that matched
/// nothing or have expired (an expired entry no longer suppresses).
pub fn apply_ignores(findings: &mut Vec<Finding>, ignores: &[Ignore]) -> Vec<String> {
    let now = today();
    let mut used = vec![false; ignores.len()];
    let mut warnings = Vec::new();
    let live: Vec<bool> = ignores
        .iter()
        .map(|ig| {
            ig.expires
                .as_deref()
                .and_then(crate::config::parse_date)
                .is_none_or(|d| d >= now)
        })
        .collect();
    findings.retain(|f| {
        let hit = ignores.iter().enumerate().position(|(i, ig)| {
            live[i]
                && ig.rule == f.rule
                && ig.path.as_ref().is_none_or(|g| {
                    g.is_match(f.path())
                        || f.image_path()
                            .or_else(|| f.evidence.get("image_path").map(String::as_str))
                            .is_some_and(|p| g.is_match(p))
                })
                && ig.image.as_ref().is_none_or(|g| {
                    let reference = match &f.location {
                        Location::Image { image, .. } => Some(image.as_str()),
                        _ => f.evidence.get("image").map(String::as_str),
                    };
                    reference.is_some_and(|r| g.is_match(r))
                })
                && ig.dockerfile.as_ref().is_none_or(|g| {
                    matches!(f.location, Location::Dockerfile { .. }) && g.is_match(f.path())
                })
                && ig.fingerprint.as_ref().is_none_or(|fp| {
                    f.fingerprint.eq_ignore_ascii_case(fp)
                        || f.evidence
                            .get("secret_fingerprint")
                            .is_some_and(|all| all.split(',').all(|x| x.eq_ignore_ascii_case(fp)))
                })
        });
        if let Some(i) = hit {
            used[i] = true;
        }
        hit.is_none()
    });
    for (i, ig) in ignores.iter().enumerate() {
        let what = format!(
            "ignore #{} ({}{})",
            i + 1,
            ig.rule,
            ig.path_text
                .as_deref()
                .map(|p| format!(", `{p}`"))
                .unwrap_or_default()
        );
        if !live[i] {
            warnings.push(format!(
                "{what} expired on {}; its findings are reported again",
                ig.expires.as_deref().unwrap_or_default()
            ));
        } else if !used[i] {
            warnings.push(format!("{what} matched no finding; remove it"));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name() -> FileName {
        FileName {
            display: "Dockerfile".into(),
            repo_relative: "Dockerfile".into(),
        }
    }

    fn ids(src: &str) -> Vec<(u32, RuleId)> {
        lint_text(src, &name(), &Config::default())
            .unwrap()
            .iter()
            .map(|f| (f.start_line(), f.rule))
            .collect()
    }

    #[test]
    fn hullscan_and_hadolint_pragmas() {
        let src = "# hullscan global ignore=DF011,DF015\n# hullscan ignore=DF003\nFROM debian:12\n# hadolint ignore=DL3002\nUSER root\n";
        assert!(ids(src).is_empty(), "{:?}", ids(src));
        let src = "FROM debian:12\nUSER root\n";
        assert!(ids(src).contains(&(2, RuleId::DF001)));
    }

    #[test]
    fn pragmas_with_unknown_ids_warn_once() {
        let df = crate::dockerfile::parse(
            "# hullscan global ignore=DF011,nope\nFROM debian:12\n# hullscan ignore=DF999,DL3002\nUSER root\n",
        )
        .unwrap();
        assert_eq!(
            super::pragma_warnings(&df, "Dockerfile"),
            [
                "Dockerfile:1: `# hullscan ignore=` names unknown rule `nope` (see `hullscan rules`)",
                "Dockerfile:3: `# hullscan ignore=` names unknown rule `DF999` (see `hullscan rules`)",
            ]
        );
    }

    #[test]
    fn fingerprints_survive_inserted_lines() {
        let a = lint_text("FROM debian:12\nUSER root\n", &name(), &Config::default()).unwrap();
        let b = lint_text(
            "# comment\nFROM debian:12\n\nLABEL a=b\nUSER root\n",
            &name(),
            &Config::default(),
        )
        .unwrap();
        let fa: Vec<_> = a.iter().map(|f| (f.rule, f.fingerprint.clone())).collect();
        let fb: Vec<_> = b.iter().map(|f| (f.rule, f.fingerprint.clone())).collect();
        assert_eq!(fa, fb);
    }

    #[test]
    fn unmatched_and_expired_ignores_warn() {
        let cfg = Config::from_toml(
            "[[ignore]]\nrule = \"DF009\"\nreason = \"r\"\n[[ignore]]\nrule = \"DF001\"\nreason = \"r\"\nexpires = \"2000-01-01\"\n[[ignore]]\nrule = \"DF011\"\nreason = \"r\"\npath = \"Docker*\"\n",
            std::path::Path::new("c.toml"),
        )
        .unwrap();
        let mut f = lint_text(
            "FROM debian:12\nCOPY app /app\nEXPOSE 80\nCMD [\"app\"]\n",
            &name(),
            &cfg,
        )
        .unwrap();
        let w = apply_ignores(&mut f, &cfg.ignores);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(f.iter().any(|x| x.rule == RuleId::DF001));
        assert!(!f.iter().any(|x| x.rule == RuleId::DF011));
    }

    #[test]
    fn ignore_keys_say_what_they_match() {
        let cfg = Config::from_toml(
            "[[ignore]]\nrule = \"FS001\"\nreason = \"r\"\npath = \"/usr/bin/*\"\nimage = \"reg/team/*\"\n[[ignore]]\nrule = \"IC001\"\nreason = \"r\"\ndockerfile = \"svc/**\"\n",
            std::path::Path::new("c.toml"),
        )
        .unwrap();
        let at = |image: &str| {
            let mut f = Finding::new(RuleId::FS001, "setuid").at_image_path("/usr/bin/su", 0);
            if let Location::Image { image: i, .. } = &mut f.location {
                *i = image.to_string();
            }
            f
        };
        let mut mapped = Finding::new(RuleId::IC001, "root").at_image_config("User");
        mapped.location = Location::Dockerfile {
            path: "svc/api/Dockerfile".into(),
            start_line: 1,
            end_line: 1,
        };
        let mut other = mapped.clone();
        other.location = Location::Dockerfile {
            path: "web/Dockerfile".into(),
            start_line: 1,
            end_line: 1,
        };
        let mut f = vec![at("reg/team/app:1"), at("reg/other/app:1"), mapped, other];
        let w = apply_ignores(&mut f, &cfg.ignores);
        assert!(w.is_empty(), "{w:?}");
        let left: Vec<String> = f
            .iter()
            .map(|x| format!("{} {}", x.rule, x.path()))
            .collect();
        assert_eq!(left, ["FS001 reg/other/app:1", "IC001 web/Dockerfile"]);
    }
}
