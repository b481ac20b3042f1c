FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS base
RUN apk add --no-cache ca-certificates && adduser -D -u 10001 app
USER 10001

FROM base
HEALTHCHECK NONE
COPY app /app
