FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN apt-get update && bash /tmp/library-scripts/common-debian.sh && rm -rf /var/lib/apt/lists/*
# expect: DF013 DF014
RUN apt-get update && cat /tmp/packages.txt | xargs apt-get install -y --no-install-recommends
# expect: DF014
RUN apt-get update && apt-get purge -y imagemagick && rm -rf /var/lib/apt/lists/*
# expect: DF018 DF014
RUN apt-get update && apt-get purge -y imagemagick
USER 1000
HEALTHCHECK NONE
CMD ["app"]
