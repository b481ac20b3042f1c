FROM gradle:8.10-jdk21@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS build
COPY --chown=gradle:gradle . /home/gradle/src
WORKDIR /home/gradle/src
RUN gradle bootJar --no-daemon

FROM gcr.io/distroless/java21-debian12:nonroot@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
COPY --from=build /home/gradle/src/build/libs/app.jar /app.jar
HEALTHCHECK NONE
ENTRYPOINT ["java", "-jar", "/app.jar"]
