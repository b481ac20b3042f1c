FROM golang:1.23@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
WORKDIR /src
COPY . .
# expect: DF004
RUN go build -o /usr/local/bin/app ./cmd/app
HEALTHCHECK NONE
USER 1000
CMD ["app"]
