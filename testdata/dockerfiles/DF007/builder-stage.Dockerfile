FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS build
# expect: DF007
RUN curl -sSf https://sh.rustup.rs | sh -s -- -y

FROM gcr.io/distroless/static-debian12:nonroot@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
HEALTHCHECK NONE
COPY --from=build /root/.cargo/bin/app /app
