FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF004
RUN apt-get update && apt-get install -y --no-install-recommends gcc make && make -C /src && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
USER 1000
HEALTHCHECK NONE
CMD ["app"]
