# A development image: compilers and shells are the point; DF004 and DF015 stay silent.
FROM mcr.microsoft.com/devcontainers/base:bookworm@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF013
RUN apt-get update && apt-get install -y build-essential gdb && rm -rf /var/lib/apt/lists/*
HEALTHCHECK NONE
