FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF018
RUN apt-get update
# expect: DF013 DF014
RUN apt-get install -y curl
HEALTHCHECK NONE
USER 1000
