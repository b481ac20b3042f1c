FROM rust:1.82@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM build AS test
RUN cargo test

FROM scratch
COPY --from=build /src/target/release/app /app
HEALTHCHECK NONE
USER 65532
