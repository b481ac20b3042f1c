# expect:
FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
COPY tool /usr/local/bin/tool
# expect: DF012
RUN chown root:root /usr/local/bin/tool && chmod u+s,g+s /usr/local/bin/tool
HEALTHCHECK NONE
USER 1000
