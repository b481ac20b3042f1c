FROM golang:1.23@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS build
USER 1000
WORKDIR /src
COPY . .
RUN go build -o /out/app .

# expect: DF001
FROM gcr.io/distroless/static-debian12@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
HEALTHCHECK NONE
COPY --from=build /out/app /app
