FROM gcr.io/distroless/static-debian12:nonroot@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
HEALTHCHECK NONE
# expect: DF010
ENV POSTGRES_PASSWORD=supersecret POSTGRES_USER=app
# expect: DF010
ENV API_KEY "abc123def456"
