# An official-style language image: a base for others, run as an interpreter's prompt.
FROM buildpack-deps:bookworm@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
COPY node /usr/local/bin/node
USER 1000
HEALTHCHECK NONE
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
