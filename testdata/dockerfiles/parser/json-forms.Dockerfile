FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF007
RUN ["/bin/sh", "-c", "wget -qO- https://get.example.com | sh"]
# expect: DF014
RUN ["apk", "add", "--no-cache", "tini"]
HEALTHCHECK NONE
USER 1000
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["app"]
