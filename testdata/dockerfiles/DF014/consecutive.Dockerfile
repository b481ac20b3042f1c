FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN apk add --no-cache curl
# expect: DF014
RUN mkdir -p /app
# this comment does not separate layers
# expect: DF014
RUN chown 1000 /app
HEALTHCHECK NONE
USER 1000
