//! RG002 `scan-on-push-off`. Docs, level and peers: `rules/RG002.toml`.

use crate::repository::{RegistryScanning, Repository, wildcard_match};
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a repository whose pushed images are not scanned. The registry scanning
/// configuration decides when it has rules (the current AWS mechanism: a `SCAN_ON_PUSH` or
/// `CONTINUOUS_SCAN` rule whose filter matches the repository); otherwise, or when it cannot
/// be read, the repository's own `scanOnPush` flag does.
pub(crate) fn check(repo: &Repository, _cx: &RuleContext<'_>, out: &mut Findings) {
    let message = match &repo.registry_scanning {
        RegistryScanning::Known { scan_type, rules } if !rules.is_empty() => {
            let covered = rules.iter().any(|r| {
                matches!(r.frequency.as_str(), "SCAN_ON_PUSH" | "CONTINUOUS_SCAN")
                    && r.filters.iter().any(|f| wildcard_match(f, &repo.name))
            });
            if covered {
                return;
            }
            format!(
                "no {scan_type} registry scanning rule with SCAN_ON_PUSH or CONTINUOUS_SCAN matches repository `{}`",
                repo.name
            )
        }
        known_or_not => {
            if repo.scan_on_push {
                return;
            }
            let mut m = format!(
                "images pushed to repository `{}` are not scanned (scan on push is off and no registry scanning rule covers it)",
                repo.name
            );
            if let RegistryScanning::Unknown { .. } = known_or_not {
                m.push_str("; the registry scanning configuration could not be read");
            }
            m
        }
    };
    let mut f = Finding::new(RuleId::RG002, message)
        .at_repository(repo)
        .evidence("scan-on-push", repo.scan_on_push.to_string());
    if let RegistryScanning::Unknown { reason } = &repo.registry_scanning {
        f = f.evidence("registry-scanning", reason.clone());
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::repository::{RegistryScanning, ScanRule};
    use crate::rules::testing::{render_repo, repo};

    fn rules(freq: &str, filters: &[&str]) -> RegistryScanning {
        RegistryScanning::Known {
            scan_type: "BASIC".into(),
            rules: vec![ScanRule {
                frequency: freq.into(),
                filters: filters.iter().map(ToString::to_string).collect(),
            }],
        }
    }

    #[test]
    fn repository_flag_off() {
        let mut r = repo();
        r.scan_on_push = false;
        insta::assert_snapshot!(render_repo(check, &r), @"RG002 arn:aws:ecr:eu-west-1:123456789012:repository/team/app: images pushed to repository `team/app` are not scanned (scan on push is off and no registry scanning rule covers it)");
    }

    #[test]
    fn registry_rule_decides_over_the_repository_flag() {
        let mut r = repo();
        r.scan_on_push = false;
        r.registry_scanning = rules("SCAN_ON_PUSH", &["team/*"]);
        assert!(
            render_repo(check, &r).is_empty(),
            "covered by a registry rule"
        );
        r.registry_scanning = rules("CONTINUOUS_SCAN", &["*"]);
        assert_eq!(
            render_repo(check, &r),
            "",
            "continuous scanning covers pushes"
        );
        r.scan_on_push = true;
        r.registry_scanning = rules("SCAN_ON_PUSH", &["prod-*"]);
        insta::assert_snapshot!(render_repo(check, &r), @"RG002 arn:aws:ecr:eu-west-1:123456789012:repository/team/app: no BASIC registry scanning rule with SCAN_ON_PUSH or CONTINUOUS_SCAN matches repository `team/app`");
        r.registry_scanning = rules("MANUAL", &["*"]);
        assert!(!render_repo(check, &r).is_empty(), "manual is not on push");
    }

    #[test]
    fn unreadable_registry_configuration_falls_back() {
        let mut r = repo();
        r.registry_scanning = RegistryScanning::Unknown {
            reason: "access denied".into(),
        };
        assert!(render_repo(check, &r).is_empty());
        r.scan_on_push = false;
        assert!(render_repo(check, &r).ends_with("could not be read"));
    }
}
