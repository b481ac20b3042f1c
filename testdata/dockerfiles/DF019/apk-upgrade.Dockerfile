FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF019
RUN apk upgrade --no-cache && apk add --no-cache curl
HEALTHCHECK NONE
USER 1000
