FROM gcr.io/distroless/static-debian12:nonroot@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
HEALTHCHECK NONE
ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password \
    TOKEN_URL=https://auth.example.com/token \
    KEYCLOAK_VERSION=25.0 \
    PASSWORD_MIN_LENGTH=12 \
    DATABASE_URL=postgres://app@db:5432/app \
    SECRET_ROTATION_ENABLED=true
ARG PASSENGER_VERSION=6.0.23
