# expect: DF003
FROM registry.internal:5000/base/alpine:3.20
RUN apk add --no-cache ca-certificates
HEALTHCHECK NONE
USER 1000
