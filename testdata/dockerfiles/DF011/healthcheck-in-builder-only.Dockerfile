FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS build
HEALTHCHECK CMD true
RUN echo build

# expect: DF011
FROM gcr.io/distroless/static-debian12:nonroot@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
COPY --from=build /etc/alpine-release /release
EXPOSE 8080
CMD ["/app"]
