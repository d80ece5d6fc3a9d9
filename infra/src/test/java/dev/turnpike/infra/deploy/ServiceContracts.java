package dev.turnpike.infra.deploy;

import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.gateway.node.NodeSettings;
import dev.turnpike.metering.billing.BillingSettings;
import dev.turnpike.metering.node.MeteringSettings;
import dev.turnpike.portal.PortalSettings;
import dev.turnpike.settings.KafkaSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What each Turnpike service needs from a deployment, taken from the services' own code rather than
 * restated: the settings parser that validates its environment (and says which ports it listens
 * on), the variables its sources read, and its main class.
 *
 * @param sourceModules the modules whose sources make up the service (its own first): the variables
 *     read anywhere in them are the service's
 * @param wiring variables the service's code leaves optional, because the one-machine launcher
 *     needs none of them, but that a deployment with its own network must set: without them sign-in
 *     calls Keycloak at an address that does not resolve inside the network, or paid plans cannot
 *     be checked out
 */
record ServiceContracts(
    String name,
    String module,
    List<String> sourceModules,
    String mainClass,
    Function<Map<String, String>, Set<Integer>> listenPorts,
    Set<String> wiring) {

  static final Path ROOT = findRoot();

  /** The services the deployment files run, by the name both files give them. */
  static final Map<String, ServiceContracts> ALL =
      Map.of(
          "control-plane",
          new ServiceContracts(
              "control-plane",
              "console",
              List.of("console", "control-plane", "control-plane-model"),
              "dev.turnpike.controlplane.console.ControlPlaneMain",
              env -> {
                ControlPlaneSettings settings = ControlPlaneSettings.fromEnvironment(env);
                return settings.adminPort() < 0
                    ? Set.of(settings.port())
                    : Set.of(settings.port(), settings.adminPort());
              },
              Set.of(
                  "TURNPIKE_CP_OIDC_JWKS_URL",
                  "TURNPIKE_CP_CONSOLE_PUBLIC_URL",
                  "TURNPIKE_CP_CONSOLE_CLIENT_SECRET",
                  "TURNPIKE_CP_CONSOLE_OIDC_INTERNAL_URL",
                  "TURNPIKE_CP_BILLING_URL",
                  "TURNPIKE_CP_BILLING_TOKEN")),
          "gateway",
          new ServiceContracts(
              "gateway",
              "data-plane",
              List.of("data-plane"),
              "dev.turnpike.gateway.node.GatewayMain",
              env -> {
                NodeSettings settings = NodeSettings.fromEnvironment(env);
                return Set.of(settings.port(), settings.adminPort());
              },
              Set.of()),
          "metering",
          new ServiceContracts(
              "metering",
              "metering",
              List.of("metering"),
              "dev.turnpike.metering.node.MeteringMain",
              env ->
                  Set.of(
                      MeteringSettings.fromEnvironment(env).adminPort(),
                      BillingSettings.fromEnvironment(env).port()),
              Set.of("TURNPIKE_BILLING_PORT", "TURNPIKE_INTERNAL_TOKEN")),
          "portal",
          new ServiceContracts(
              "portal",
              "portal-web",
              List.of("portal-web"),
              "dev.turnpike.portal.PortalMain",
              env -> Set.of(PortalSettings.fromEnvironment(env).port()),
              Set.of("TURNPIKE_PORTAL_OIDC_INTERNAL_URL")));

  /** False for a service whose module is not merged into this checkout yet. */
  boolean inThisCheckout() {
    return Files.isRegularFile(mainSource());
  }

  Path mainSource() {
    return ROOT.resolve(module)
        .resolve("src/main/java")
        .resolve(mainClass.replace('.', '/') + ".java");
  }

  /**
   * Every {@code TURNPIKE_*} name that appears as a string literal in the modules' sources, and the
   * Kafka security settings ({@link KafkaSecurity}, in contracts) of a service that uses Kafka.
   */
  Set<String> variablesRead() {
    Set<String> names = literalsInSources();
    if (names.contains("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS")) {
      names.addAll(KafkaSecurity.VARIABLES);
    }
    return names;
  }

  private Set<String> literalsInSources() {
    Pattern literal = Pattern.compile("\"(TURNPIKE_[A-Z0-9_]+)\"");
    Set<String> names = new TreeSet<>();
    for (String sourceModule : sourceModules) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(sourceModule).resolve("src/main/java"))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher matcher = literal.matcher(Files.readString(file));
          while (matcher.find()) {
            names.add(matcher.group(1));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  private static Path findRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("infra/compose/docker-compose.yml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no infra/compose/docker-compose.yml above the working folder");
  }
}
