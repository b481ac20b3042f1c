FROM node:22@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

# expect: DF015
FROM node:22-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
COPY --from=build /app/dist /app
HEALTHCHECK NONE
USER node
CMD ["node", "/app/server.js"]
