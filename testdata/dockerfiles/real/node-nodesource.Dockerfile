# expect: DF001 DF003 DF011
FROM ubuntu:22.04
ENV DEBIAN_FRONTEND=noninteractive
# expect: DF007 DF013
RUN apt-get update && apt-get install -y curl gnupg \
    && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
    && apt-get install -y nodejs
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 8080
CMD [ "node", "server.js" ]
