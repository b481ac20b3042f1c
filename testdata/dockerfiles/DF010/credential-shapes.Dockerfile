FROM gcr.io/distroless/static-debian12:nonroot@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
HEALTHCHECK NONE
# AWS's documented example key and a token of the wrong length are no credentials (the
# positive cases use generated tokens: src/secrets/synthetic.rs).
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
ENV GH=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB
# expect: DF010
ENV DATABASE_URL=postgres://app:s3cr3t@db:5432/app
