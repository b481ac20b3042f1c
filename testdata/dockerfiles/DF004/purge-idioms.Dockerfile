# The official-image idioms that take build dependencies out in the same layer.
FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN set -eux; savedAptMark="$(apt-mark showmanual)"; apt-get update; \
    apt-get install -y --no-install-recommends gcc make libssl-dev; \
    make -C /src install; \
    apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark; \
    apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \
    rm -rf /var/lib/apt/lists/*
# expect: DF014
RUN buildDeps='gcc libc6-dev make' \
    && apt-get update && apt-get install -y --no-install-recommends $buildDeps \
    && make -C /src && apt-get purge -y --auto-remove $buildDeps && rm -rf /var/lib/apt/lists/*
USER 1000
HEALTHCHECK NONE
CMD ["app"]
