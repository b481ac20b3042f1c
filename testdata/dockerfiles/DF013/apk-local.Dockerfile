FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN apk add --no-cache --virtual .build-deps curl && curl -fsSLo /tmp/x.apk https://example.com/x.apk && apk del .build-deps
# expect: DF014
RUN apk add --no-network --virtual .rundeps /tmp/x.apk
USER 1000
HEALTHCHECK NONE
CMD ["app"]
