# expect: DF001 DF015
FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
HEALTHCHECK NONE
COPY app /usr/local/bin/app
CMD ["app"]
