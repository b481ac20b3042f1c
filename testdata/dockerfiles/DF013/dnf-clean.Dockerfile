FROM fedora:41@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN dnf install -y --setopt=install_weak_deps=False nginx && dnf clean all
HEALTHCHECK NONE
USER 1000
