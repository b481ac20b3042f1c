# syntax=docker/dockerfile:1
# expect:
FROM python:3.12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
RUN python3 <<EOF
import subprocess
# not shell: curl https://x | sh
print("hello")
EOF
HEALTHCHECK NONE
USER 1000
