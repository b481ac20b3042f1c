FROM ubuntu:24.04@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
USER ubuntu
# expect: DF008 DF013
RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends jq
HEALTHCHECK NONE
