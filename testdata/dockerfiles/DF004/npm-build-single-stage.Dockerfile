FROM node:22@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
# expect: DF004
RUN npm run build
HEALTHCHECK NONE
USER node
CMD ["node", "dist/server.js"]
