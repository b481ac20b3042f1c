ARG REGISTRY=docker.io
ARG VARIANT=bookworm
# expect: DF003
FROM ${REGISTRY}/library/debian:${VARIANT:-bookworm}-slim
ARG UID=10001
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
HEALTHCHECK NONE
USER ${UID}:${UID}
