# expect: DF016
FROM quay.io/prometheus/busybox:glibc@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS tools
# expect: DF016
FROM registry.example.com/team/base:1.0@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
COPY --from=tools /bin/busybox /bin/busybox
HEALTHCHECK NONE
USER 1000
