package dev.turnpike.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
