# expect: DF002
FROM node:latest
RUN npm install -g serve --no-fund
USER node
