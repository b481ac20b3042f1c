# syntax=docker/dockerfile:1.7
FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF012
RUN <<EOF1 cat > /etc/app.conf && <<-"EOF2" sh
listen = 0.0.0.0
EOF1
	chmod u+s /usr/bin/helper
	EOF2
HEALTHCHECK NONE
RUN apk add --no-cache tini
USER 1000
