# One container build for every Turnpike service; docker-compose.yml (and a CI job) build it once
# per service with its module and main class:
#
#   docker build -f infra/compose/service.Dockerfile \
#     --build-arg MODULE=data-plane --build-arg MAIN_CLASS=dev.turnpike.gateway.node.GatewayMain \
#     -t turnpike/gateway:0.1.0 .
#
# The context is the repository root. The image holds the module's classes and its runtime
# dependencies only (no Maven, no JDK compiler) and runs as an unprivileged user.

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
ARG MODULE
# package builds the module and what it depends on (-am); copy-dependencies puts its runtime jars
# beside its classes. The build's own tests ran in CI before an image is made.
RUN ./mvnw -B -ntp -pl "${MODULE}" -am -DskipTests \
      package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out \
 && cp -r "${MODULE}/target/classes" /out/classes \
 && cp -r "${MODULE}/target/dependency" /out/lib

FROM eclipse-temurin:21-jre
ARG MAIN_CLASS
ENV TURNPIKE_MAIN_CLASS=${MAIN_CLASS} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
RUN useradd --system --uid 10001 --home-dir /app turnpike \
 && mkdir -p /var/lib/turnpike \
 && chown turnpike /var/lib/turnpike
COPY --from=build /out /app
USER 10001
WORKDIR /app
# sh expands the main class from the build argument, then exec replaces it with java, so the JVM
# is PID 1 and SIGTERM reaches its shutdown hooks.
ENTRYPOINT ["sh", "-c", "exec java -cp '/app/classes:/app/lib/*' \"$TURNPIKE_MAIN_CLASS\""]
