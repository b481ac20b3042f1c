FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN apk add --no-cache curl \
 && curl -fsSLo /tmp/install.sh https://example.com/install.sh \
 && echo "5e8f0a4d0a6f  /tmp/install.sh" | sha256sum -c - \
 && sh /tmp/install.sh && rm /tmp/install.sh \
 && curl -fsSL https://example.com/x.tgz | tar -xz -C /opt
HEALTHCHECK NONE
USER 1000
