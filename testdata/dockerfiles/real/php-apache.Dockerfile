# expect: DF001
FROM php:8.3-apache@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF004 DF013
RUN apt-get update && apt-get install -y libzip-dev zip \
    && docker-php-ext-install zip
COPY src/ /var/www/html/
EXPOSE 80
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
