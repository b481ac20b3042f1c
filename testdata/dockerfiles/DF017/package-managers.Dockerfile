FROM debian:12-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF017
RUN apt-get update && apt-get install -y --no-install-recommends --allow-unauthenticated legacy-tool && rm -rf /var/lib/apt/lists/*
# expect: DF014 DF017
RUN pip install --no-cache-dir --trusted-host pypi.internal -i http://pypi.internal/simple app
# expect: DF014 DF017
RUN GIT_SSL_NO_VERIFY=true git clone https://git.internal/app.git /app
HEALTHCHECK NONE
USER 1000
