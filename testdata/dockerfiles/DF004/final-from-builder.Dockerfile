FROM rust:1.82@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS build
WORKDIR /src
COPY . .
# expect: DF004
RUN cargo build --release

FROM build
HEALTHCHECK NONE
USER 1000
CMD ["/src/target/release/app"]
