# Setgid and sticky bits on directories are the shared-directory idiom, not a privilege.
FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN install --verbose --directory --owner app --group app --mode 3777 /var/run/app
# expect: DF014
RUN set -eux; mkdir -p /opt/shared; chmod g+s /opt/shared; chmod 2775 /opt/shared
WORKDIR /srv/data
RUN chmod g+s . && find /usr/local/share -type d | xargs -n 1 chmod g+s
USER 1000
HEALTHCHECK NONE
CMD ["app"]
