FROM maven:3.9-eclipse-temurin-21@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
WORKDIR /app
COPY pom.xml .
COPY src ./src
# expect: DF004
RUN mvn -B -DskipTests package
HEALTHCHECK NONE
USER 1000
CMD ["java", "-jar", "target/app.jar"]
