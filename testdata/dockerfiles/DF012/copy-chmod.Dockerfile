# expect: DF015
FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF012
COPY --chmod=4755 tool /usr/local/bin/tool
# expect: DF012 DF005
ADD --chmod=g+s helper /usr/local/bin/helper
COPY --chmod=0755 other /usr/local/bin/other
USER 1000
HEALTHCHECK NONE
CMD ["tool"]
