//! RG001 `mutable-tags`. Docs, level and peers: `rules/RG001.toml`.

use crate::repository::Repository;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a repository whose tags can be overwritten: `MUTABLE`, or `MUTABLE_WITH_EXCLUSION`
/// (only the excluded tags are immutable). `IMMUTABLE_WITH_EXCLUSION` passes: its exceptions
/// are deliberate (a `latest` or `dev-*` channel) while release tags stay fixed.
pub(crate) fn check(repo: &Repository, _cx: &RuleContext<'_>, out: &mut Findings) {
    let message = match repo.tag_mutability.as_str() {
        "IMMUTABLE" | "IMMUTABLE_WITH_EXCLUSION" => return,
        "MUTABLE_WITH_EXCLUSION" if !repo.mutability_exclusions.is_empty() => format!(
            "repository `{}` allows tags to be overwritten except those matching {}",
            repo.name,
            quoted(&repo.mutability_exclusions)
        ),
        _ => format!(
            "repository `{}` allows tags to be overwritten (`{}`)",
            repo.name, repo.tag_mutability
        ),
    };
    let mut f = Finding::new(RuleId::RG001, message)
        .at_repository(repo)
        .evidence("image-tag-mutability", &repo.tag_mutability);
    if !repo.mutability_exclusions.is_empty() {
        f = f.evidence("exclusion-filters", repo.mutability_exclusions.join(","));
    }
    out.push(f);
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{render_repo, repo};

    #[test]
    fn mutable() {
        let mut r = repo();
        r.tag_mutability = "MUTABLE".into();
        insta::assert_snapshot!(render_repo(check, &r), @"RG001 arn:aws:ecr:eu-west-1:123456789012:repository/team/app: repository `team/app` allows tags to be overwritten (`MUTABLE`)");
    }

    #[test]
    fn mutable_with_exclusions_shows_filters() {
        let mut r = repo();
        r.tag_mutability = "MUTABLE_WITH_EXCLUSION".into();
        r.mutability_exclusions = vec!["release-*".into(), "v*".into()];
        insta::assert_snapshot!(render_repo(check, &r), @"RG001 arn:aws:ecr:eu-west-1:123456789012:repository/team/app: repository `team/app` allows tags to be overwritten except those matching `release-*`, `v*`");
    }

    #[test]
    fn immutable_passes_with_or_without_exclusions() {
        let mut r = repo();
        assert!(render_repo(check, &r).is_empty());
        r.tag_mutability = "IMMUTABLE_WITH_EXCLUSION".into();
        r.mutability_exclusions = vec!["latest".into()];
        assert!(render_repo(check, &r).is_empty());
    }
}
