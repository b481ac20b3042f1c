# syntax=docker/dockerfile:1
ARG BASE=node:22
FROM ${BASE} AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:22-slim
ENV API_TOKEN=abc123
COPY --from=build /app/dist /app
RUN curl -fsSL https://example.com/install.sh \
    | sh
# hadolint ignore=DL3002
USER root
CMD ["node", "/app/main.js"]
