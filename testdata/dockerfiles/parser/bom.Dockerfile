# expect: DF001
FROM gcr.io/distroless/base-debian12@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
COPY app /app
