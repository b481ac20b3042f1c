//! RG003 `default-encryption`. Docs, level and peers: `rules/RG003.toml`.

use crate::repository::Repository;
use crate::rules::{Finding, Findings, RuleContext, RuleId};

/// Reports a repository encrypted with the AWS-owned AES-256 key rather than a KMS key,
/// so nobody can audit or revoke access to its images through key policy.
pub(crate) fn check(repo: &Repository, _cx: &RuleContext<'_>, out: &mut Findings) {
    if repo.encryption_type.starts_with("KMS") {
        return;
    }
    out.push(
        Finding::new(
            RuleId::RG003,
            format!(
                "repository `{}` is encrypted with `{}`, not a KMS key",
                repo.name, repo.encryption_type
            ),
        )
        .at_repository(repo)
        .evidence("encryption-type", &repo.encryption_type),
    );
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{render_repo, repo};

    #[test]
    fn aes256() {
        let mut r = repo();
        r.encryption_type = "AES256".into();
        r.kms_key = None;
        insta::assert_snapshot!(render_repo(check, &r), @"RG003 arn:aws:ecr:eu-west-1:123456789012:repository/team/app: repository `team/app` is encrypted with `AES256`, not a KMS key");
    }

    #[test]
    fn kms_and_dsse_pass() {
        let mut r = repo();
        assert!(render_repo(check, &r).is_empty());
        r.encryption_type = "KMS_DSSE".into();
        assert!(render_repo(check, &r).is_empty());
    }
}
