FROM alpine:latest@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN apk add --no-cache curl
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
USER 1000
