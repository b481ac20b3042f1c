FROM node:22-slim@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS build
# expect: DF017
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
# expect: DF017
RUN npm config set strict-ssl false && npm ci

FROM gcr.io/distroless/static-debian12:nonroot@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
HEALTHCHECK NONE
COPY --from=build /app /app
