package dev.turnpike.platform;

import dev.turnpike.platform.PortGuard.NamedPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A Turnpike service the platform runs as a JVM of its own, from its module's build output, with
 * the platform's {@code TURNPIKE_*} environment.
 *
 * @param name how progress lines and errors call it
 * @param module the reactor module it is built in
 * @param mainClass its entry point
 * @param ports the ports it listens on, checked before anything starts
 * @param readiness what answers once it is ready: a URL that answers 200, or else the first port
 *     accepting connections
 */
public record Service(
    String name,
    String module,
    String mainClass,
    Function<PlatformSettings, List<NamedPort>> ports,
    Function<PlatformSettings, String> readiness) {

  /** Whether this checkout builds the service: its main class is in the module's output. */
  public boolean builtIn(Path root) {
    return Files.isRegularFile(classFile(root));
  }

  Path classFile(Path root) {
    return root.resolve(module)
        .resolve("target")
        .resolve("classes")
        .resolve(mainClass.replace('.', '/') + ".class");
  }

  /** Services become ready in this order; each may call the ones before it. */
  public static List<Service> all() {
    return List.of(
        new Service(
            "control plane",
            "console",
            "dev.turnpike.controlplane.console.ControlPlaneMain",
            s -> List.of(new NamedPort(s.ports().controlPlane(), "control plane")),
            s -> "http://localhost:" + s.ports().controlPlane() + "/v1/openapi.json"),
        new Service(
            "gateway node",
            "data-plane",
            "dev.turnpike.gateway.node.GatewayMain",
            s ->
                List.of(
                    new NamedPort(s.ports().gateway(), "gateway"),
                    new NamedPort(s.ports().gatewayAdmin(), "gateway admin"),
                    new NamedPort(s.ports().gatewayDomains(), "gateway custom domains")),
            s -> "http://localhost:" + s.ports().gatewayAdmin() + "/ready"),
        new Service(
            "metering",
            "metering",
            "dev.turnpike.metering.node.MeteringMain",
            s ->
                List.of(
                    new NamedPort(s.ports().metering(), "metering admin"),
                    new NamedPort(s.ports().billing(), "billing API")),
            s -> "http://localhost:" + s.ports().metering() + "/ready"),
        new Service(
            "developer portal",
            "portal-web",
            "dev.turnpike.portal.PortalMain",
            s -> List.of(new NamedPort(s.ports().portal(), "developer portal")),
            s -> "http://localhost:" + s.ports().portal() + "/health"));
  }
}
