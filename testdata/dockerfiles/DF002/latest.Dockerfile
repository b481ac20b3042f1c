# expect: DF002 DF011
FROM node:latest
RUN npm install -g serve --no-fund
USER node
