# expect: DF002
FROM --platform=$BUILDPLATFORM golang AS build
RUN go build -o /app .
FROM --platform=linux/arm64 gcr.io/distroless/static-debian12:nonroot@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
HEALTHCHECK NONE
COPY --from=build /app /app
