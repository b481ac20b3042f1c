# Build dependencies listed in an ENV and installed through the variable still ship.
FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
ENV BUILD_DEPS="autoconf dpkg-dev file g++ gcc libc-dev make pkg-config re2c"
# expect: DF004
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends $BUILD_DEPS ca-certificates; rm -rf /var/lib/apt/lists/*
USER 1000
HEALTHCHECK NONE
CMD ["app"]
