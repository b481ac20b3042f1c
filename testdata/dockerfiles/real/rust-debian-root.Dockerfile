# expect: DF002
FROM rust AS builder
WORKDIR /usr/src/myapp
COPY . .
RUN cargo install --path .

# expect: DF001 DF003
FROM debian:bookworm-slim
# expect: DF013
RUN apt-get update && apt-get install -y extra-runtime-dependencies
COPY --from=builder /usr/local/cargo/bin/myapp /usr/local/bin/myapp
CMD ["myapp"]
