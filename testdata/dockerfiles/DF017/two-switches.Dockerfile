FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF017
RUN apk add --no-cache --allow-untrusted /tmp/x.apk && curl -k https://example.com/x.tgz | tar -xz
USER 1000
HEALTHCHECK NONE
CMD ["app"]
