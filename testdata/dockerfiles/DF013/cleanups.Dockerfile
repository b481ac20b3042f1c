FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl; apt-get dist-clean
# expect: DF014
RUN apt-get install -y --no-install-recommends tini
# expect: DF014
RUN if apt-get install -s "app-jit" > /dev/null 2>&1; then echo yes; fi
USER 1000
HEALTHCHECK NONE
CMD ["tini", "app"]
