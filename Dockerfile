# syntax=docker/dockerfile:1
# hullscan's own image: a static binary on scratch, running as a numeric non-root user.
# Build: docker build -t hullscan . ; run: docker run --rm -v "$PWD:/src:ro" -w /src hullscan dockerfile .
FROM rust:1.99-bookworm@sha256:fbc3a359627c6b5d9c8b20aae5c413a87392954f020006d7a9f7d95938964b23 AS build
# musl gives a fully static binary, so the final stage needs no libc at all.
RUN rustup target add "$(uname -m)-unknown-linux-musl" \
 && apt-get update \
 && apt-get install -y --no-install-recommends musl-tools \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --target "$(uname -m)-unknown-linux-musl" \
 && cp "target/$(uname -m)-unknown-linux-musl/release/hullscan" /hullscan

FROM scratch
COPY --from=build /hullscan /hullscan
USER 65532:65532
# A CLI, not a service: nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["/hullscan"]
