FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
RUN apk add --no-cache ca-certificates curl && update-ca-certificates && curl -fsSL https://internal.example/x -o /x
HEALTHCHECK NONE
USER 1000
