package dev.turnpike.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.controlplane.console.ConsoleSettings;
import dev.turnpike.metering.billing.BillingSettings;
import dev.turnpike.portal.PortalSettings;
import dev.turnpike.settings.PublishedSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code infra/compose/docker-compose.yml} parsed and checked against the services' own code:
 * Docker cannot run here, so this is what stands between the file and a stack that does not start.
 */
class ComposeFileTest {
  static final Path DIR = ServiceContracts.ROOT.resolve("infra/compose");
  static final JsonNode COMPOSE = YamlFiles.read(DIR.resolve("docker-compose.yml"));
  static final JsonNode SERVICES = COMPOSE.path("services");

  @Nested
  class Images {
    @Test
    void every_service_names_an_image() {
      SoftAssertions soft = new SoftAssertions();
      SERVICES
          .properties()
          .forEach(
              service ->
                  soft.assertThat(service.getValue().path("image").asText(""))
                      .as("image of %s", service.getKey())
                      .isNotBlank()
                      .doesNotEndWith(":latest"));
      soft.assertAll();
    }

    @Test
    void postgres_kafka_keycloak_and_every_turnpike_service_are_in_the_stack() {
      Set<String> names = new HashSet<>();
      SERVICES.fieldNames().forEachRemaining(names::add);
      assertThat(names).contains("postgres", "kafka", "keycloak");
      assertThat(names).containsAll(ServiceContracts.ALL.keySet());
    }

    @Test
    void each_turnpike_service_is_built_from_its_module_and_main_class() throws IOException {
      String dockerfile = Files.readString(DIR.resolve("service.Dockerfile"));
      assertThat(dockerfile).contains("ARG MODULE", "ARG MAIN_CLASS");
      SoftAssertions soft = new SoftAssertions();
      for (ServiceContracts service : inThisCheckout()) {
        JsonNode build = SERVICES.path(service.name()).path("build");
        Path context = DIR.resolve(build.path("context").asText()).normalize();
        soft.assertThat(context)
            .as("%s build context", service.name())
            .isEqualTo(ServiceContracts.ROOT);
        soft.assertThat(context.resolve(build.path("dockerfile").asText()))
            .as("%s dockerfile", service.name())
            .isRegularFile();
        soft.assertThat(build.path("args").path("MODULE").asText())
            .as("%s module", service.name())
            .isEqualTo(service.module());
        soft.assertThat(build.path("args").path("MAIN_CLASS").asText())
            .as("%s main class", service.name())
            .isEqualTo(service.mainClass());
        soft.assertThat(service.mainSource()).isRegularFile();
      }
      soft.assertAll();
    }
  }

  @Nested
  class Settings {
    @Test
    void each_service_accepts_its_environment_and_listens_on_the_ports_it_publishes() {
      SoftAssertions soft = new SoftAssertions();
      for (ServiceContracts service : inThisCheckout()) {
        assertThat(service.listenPorts())
            .as("%s is merged: give ServiceContracts its settings parser", service.name())
            .isNotNull();
        Map<String, String> env = environment(service.name());
        Set<Integer> listening = service.listenPorts().apply(env);
        for (int published : containerPorts(service.name())) {
          soft.assertThat(listening)
              .as("%s publishes container port %d", service.name(), published)
              .contains(published);
        }
      }
      soft.assertAll();
    }

    @Test
    void every_turnpike_variable_set_is_one_the_service_reads() {
      SoftAssertions soft = new SoftAssertions();
      for (ServiceContracts service : inThisCheckout()) {
        Set<String> read = service.variablesRead();
        for (String name : environment(service.name()).keySet()) {
          if (name.startsWith("TURNPIKE_")) {
            soft.assertThat(read).as("%s reads %s", service.name(), name).contains(name);
          }
        }
      }
      soft.assertAll();
    }

    @Test
    void each_service_sets_the_wiring_a_deployment_needs() {
      SoftAssertions soft = new SoftAssertions();
      for (ServiceContracts service : inThisCheckout()) {
        soft.assertThat(environment(service.name()).keySet())
            .as("%s environment", service.name())
            .containsAll(service.wiring());
      }
      soft.assertAll();
    }

    @Test
    void the_gateway_and_control_plane_run_the_strict_egress_policy() {
      SoftAssertions soft = new SoftAssertions();
      EgressDefaults.assertStrict(ComposeFileTest::environment, soft);
      soft.assertAll();
    }

    @Test
    void every_required_secret_is_in_env_example_and_nothing_else_is_needed() throws IOException {
      Properties example = new Properties();
      try (var in = Files.newBufferedReader(DIR.resolve(".env.example"))) {
        example.load(in);
      }
      Set<String> required = new TreeSet<>();
      collectRequired(COMPOSE, required);
      assertThat(required).isNotEmpty();
      assertThat(example.stringPropertyNames()).containsAll(required);
    }
  }

  @Nested
  class Wiring {
    @Test
    void depends_on_and_volumes_name_things_the_file_defines() {
      SoftAssertions soft = new SoftAssertions();
      Set<String> volumes = new HashSet<>();
      COMPOSE.path("volumes").fieldNames().forEachRemaining(volumes::add);
      SERVICES
          .properties()
          .forEach(
              service -> {
                service
                    .getValue()
                    .path("depends_on")
                    .fieldNames()
                    .forEachRemaining(
                        other ->
                            soft.assertThat(SERVICES.has(other))
                                .as("%s depends on %s", service.getKey(), other)
                                .isTrue());
                for (JsonNode mount : service.getValue().path("volumes")) {
                  String source = mount.asText().split(":")[0];
                  if (source.startsWith(".")) {
                    soft.assertThat(DIR.resolve(source).normalize())
                        .as("%s mounts %s", service.getKey(), source)
                        .exists();
                  } else {
                    soft.assertThat(volumes).as("volume %s", source).contains(source);
                  }
                }
              });
      soft.assertAll();
    }

    @Test
    void services_reach_kafka_and_postgres_by_their_service_names() {
      for (ServiceContracts service : inThisCheckout()) {
        Map<String, String> env = environment(service.name());
        // The portal talks to neither: only to the control plane, Keycloak and the gateway.
        if (service.variablesRead().contains("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS")) {
          assertThat(env.get("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
        }
        if (env.containsKey("TURNPIKE_DB_URL")) {
          assertThat(env.get("TURNPIKE_DB_URL")).startsWith("jdbc:postgresql://postgres:5432/");
        }
      }
      assertThat(
              SERVICES
                  .path("kafka")
                  .path("environment")
                  .path("KAFKA_ADVERTISED_LISTENERS")
                  .asText())
          .isEqualTo("PLAINTEXT://kafka:9092");
    }
  }

  /**
   * Browsers reach Keycloak at its public URL, the issuer of every token; containers cannot (in a
   * container, {@code localhost} is the container), so the services' own calls go to it by its
   * service name, and Keycloak names its back-channel endpoints on the address each call came to.
   */
  @Nested
  class IdentityProvider {
    static final String REALM = "/realms/turnpike";

    @Test
    void keycloak_issues_for_its_public_url_and_answers_back_channel_calls_on_their_own_address() {
      assertThat(keycloakOption("--hostname-backchannel-dynamic")).isEqualTo("true");
      String issuer = YamlFiles.interpolate(keycloakOption("--hostname"), Map.of()) + REALM;
      assertThat(issuer).isEqualTo("http://localhost:8180" + REALM);

      assertThat(ControlPlaneSettings.fromEnvironment(environment("control-plane")).oidcIssuer())
          .isEqualTo(issuer);
      assertThat(PortalSettings.fromEnvironment(environment("portal")).oidcIssuer())
          .isEqualTo(issuer);
      // The default public URL is localhost: Keycloak's port is published there as is.
      assertThat(SERVICES.path("keycloak").path("ports").toString())
          .contains("\"" + keycloakOption("--http-port") + ":" + keycloakOption("--http-port"));
    }

    @Test
    void console_portal_and_token_checks_call_keycloak_by_its_service_name() {
      String inside = "http://keycloak:" + keycloakOption("--http-port") + REALM;

      ControlPlaneSettings cp = ControlPlaneSettings.fromEnvironment(environment("control-plane"));
      ConsoleSettings console = ConsoleSettings.fromEnvironment(environment("control-plane"));
      PortalSettings portal = PortalSettings.fromEnvironment(environment("portal"));

      assertThat(console.configured()).isTrue();
      assertThat(console.oidcInternalUrl()).isEqualTo(inside);
      assertThat(cp.oidcJwksUrl()).isEqualTo(inside + "/protocol/openid-connect/certs");
      assertThat(portal.oidcInternalUrl()).isEqualTo(inside);
    }

    private static String keycloakOption(String name) {
      for (JsonNode argument : SERVICES.path("keycloak").path("command")) {
        if (argument.asText().startsWith(name + "=")) {
          return argument.asText().substring(name.length() + 1);
        }
      }
      throw new AssertionError("keycloak is started without " + name);
    }
  }

  /**
   * Paid plans: the portal's checkout goes through the control plane, which asks metering's billing
   * API for a Stripe checkout session with a shared token; Stripe then calls billing's webhook from
   * the internet.
   */
  @Nested
  class PaidPlans {
    @Test
    void the_control_plane_asks_billing_for_checkouts_with_the_token_billing_expects() {
      ControlPlaneSettings cp = ControlPlaneSettings.fromEnvironment(environment("control-plane"));
      BillingSettings billing = BillingSettings.fromEnvironment(environment("metering"));

      assertThat(cp.billingUrl()).isEqualTo("http://metering:" + billing.port());
      assertThat(billing.internalToken()).isNotBlank();
      assertThat(cp.billingToken()).isEqualTo(billing.internalToken());
    }

    @Test
    void both_tokens_come_from_one_required_variable_so_they_cannot_differ() {
      Map<String, String> cp = rawReferences("control-plane", "TURNPIKE_CP_BILLING_TOKEN");
      Map<String, String> metering = rawReferences("metering", "TURNPIKE_INTERNAL_TOKEN");

      assertThat(cp).hasSize(1).isEqualTo(metering);
      assertThat(cp.values()).as("no default: compose refuses to start without it").containsNull();
    }

    @Test
    void the_billing_api_is_not_published_outside_the_network() {
      int billing = BillingSettings.fromEnvironment(environment("metering")).port();

      assertThat(containerPorts("metering"))
          .as("metering's published ports: the billing API takes the internal token")
          .doesNotContain(billing);
    }

    @Test
    void with_stripe_keys_in_env_billing_bills_through_stripe() {
      Map<String, String> env = new HashMap<>(environment("metering"));
      env.put("TURNPIKE_STRIPE_API_KEY", "sk_test_stand_in");
      env.put("TURNPIKE_STRIPE_WEBHOOK_SECRET", "whsec_stand_in");
      // The keys pass through from .env under their own names.
      for (String key : List.of("TURNPIKE_STRIPE_API_KEY", "TURNPIKE_STRIPE_WEBHOOK_SECRET")) {
        assertThat(YamlFiles.references(rawValue("metering", key))).containsOnlyKeys(key);
      }

      assertThat(BillingSettings.fromEnvironment(env).stripeConfigured()).isTrue();
    }

    private static Map<String, String> rawReferences(String service, String variable) {
      return YamlFiles.references(rawValue(service, variable));
    }
  }

  /**
   * The stack imports the production realm: no demo user, no password grant, and secrets that come
   * from {@code .env}, shared by Keycloak and the service that uses each, never from a file.
   */
  @Nested
  class NoDemoSecrets {
    @Test
    void keycloak_imports_the_production_realm_without_demo_users_or_written_secrets() {
      Path realmFile = keycloakRealmFile();

      assertThat(realmFile).isEqualTo(ProductionRealmFile.FILE);
      assertThat(ProductionRealmFile.problems(ProductionRealmFile.read(realmFile))).isEmpty();
    }

    @Test
    void keycloak_gets_every_variable_the_realm_needs_and_each_secret_is_required() {
      Set<String> needed =
          ProductionRealmFile.variables(ProductionRealmFile.read(keycloakRealmFile()));
      JsonNode keycloak = SERVICES.path("keycloak").path("environment");

      assertThat(needed).isNotEmpty();
      for (String variable : needed) {
        assertThat(keycloak.has(variable)).as("keycloak is given %s", variable).isTrue();
        if (variable.contains("SECRET")) {
          assertThat(YamlFiles.references(keycloak.path(variable).asText()).values())
              .as("%s has no default: compose refuses to start without it", variable)
              .containsOnlyNulls()
              .isNotEmpty();
        }
      }
    }

    @Test
    void the_console_and_the_portal_use_the_very_secrets_and_urls_keycloak_imports() {
      assertThat(rawValue("keycloak", "TURNPIKE_CP_CONSOLE_CLIENT_SECRET"))
          .isEqualTo(rawValue("control-plane", "TURNPIKE_CP_CONSOLE_CLIENT_SECRET"));
      assertThat(rawValue("keycloak", "TURNPIKE_PORTAL_CLIENT_SECRET"))
          .isEqualTo(rawValue("portal", "TURNPIKE_PORTAL_CLIENT_SECRET"));
      assertThat(rawValue("keycloak", "TURNPIKE_CP_CONSOLE_PUBLIC_URL"))
          .isEqualTo(rawValue("control-plane", "TURNPIKE_CP_CONSOLE_PUBLIC_URL"));
      assertThat(rawValue("keycloak", "TURNPIKE_PORTAL_PUBLIC_URL"))
          .isEqualTo(rawValue("portal", "TURNPIKE_PORTAL_PUBLIC_URL"));
    }

    @Test
    void env_example_gives_no_secret_a_value() throws IOException {
      Properties example = new Properties();
      try (var in = Files.newBufferedReader(DIR.resolve(".env.example"))) {
        example.load(in);
      }
      Set<String> required = new TreeSet<>();
      collectRequired(COMPOSE, required);
      SoftAssertions soft = new SoftAssertions();
      for (String name : required) {
        soft.assertThat(example.getProperty(name, "")).as("%s in .env.example", name).isEmpty();
      }
      soft.assertAll();
    }

    @Test
    void no_published_secret_or_demo_user_is_in_the_file() throws IOException {
      String text = Files.readString(DIR.resolve("docker-compose.yml"));
      List<String> published = new java.util.ArrayList<>();
      collectPublished(COMPOSE, published);

      assertThat(published).isEmpty();
      assertThat(text).doesNotContain("demo-owner", "demo-developer", "local-secret");
    }

    private static Path keycloakRealmFile() {
      for (JsonNode mount : SERVICES.path("keycloak").path("volumes")) {
        String[] parts = mount.asText().split(":");
        if (parts[1].startsWith("/opt/keycloak/data/import/")) {
          return DIR.resolve(parts[0]).normalize();
        }
      }
      throw new AssertionError("keycloak imports no realm");
    }

    /** Every value, and every default a variable falls back to, that is a published secret. */
    private static void collectPublished(JsonNode node, List<String> found) {
      if (node.isTextual()) {
        String value = node.asText();
        if (PublishedSecrets.isPublished(value)) {
          found.add(value);
        }
        YamlFiles.references(value)
            .forEach(
                (name, fallback) -> {
                  if (PublishedSecrets.isPublished(fallback)) {
                    found.add(name + " defaults to a published secret");
                  }
                });
      }
      node.forEach(child -> collectPublished(child, found));
    }
  }

  static String rawValue(String service, String variable) {
    JsonNode value = SERVICES.path(service).path("environment").path(variable);
    assertThat(value.isMissingNode()).as("%s sets %s", service, variable).isFalse();
    return value.asText();
  }

  static List<ServiceContracts> inThisCheckout() {
    return ServiceContracts.ALL.values().stream().filter(ServiceContracts::inThisCheckout).toList();
  }

  /** A service's environment as compose would pass it, with stand-ins for the secrets. */
  static Map<String, String> environment(String service) {
    Map<String, String> env = new HashMap<>();
    SERVICES
        .path(service)
        .path("environment")
        .properties()
        .forEach(
            entry -> {
              Map<String, String> stand = new HashMap<>();
              YamlFiles.references(entry.getValue().asText())
                  .forEach(
                      (name, fallback) ->
                          stand.put(name, fallback == null ? "secret-" + name : fallback));
              env.put(entry.getKey(), YamlFiles.interpolate(entry.getValue().asText(), stand));
            });
    return env;
  }

  static List<Integer> containerPorts(String service) {
    List<Integer> ports = new java.util.ArrayList<>();
    for (JsonNode mapping : SERVICES.path(service).path("ports")) {
      String[] parts = mapping.asText().split(":");
      ports.add(Integer.parseInt(parts[parts.length - 1]));
    }
    return ports;
  }

  private static void collectRequired(JsonNode node, Set<String> required) {
    if (node.isTextual()) {
      YamlFiles.references(node.asText())
          .forEach(
              (name, fallback) -> {
                if (fallback == null) {
                  required.add(name);
                }
              });
    }
    node.forEach(child -> collectRequired(child, required));
  }
}
