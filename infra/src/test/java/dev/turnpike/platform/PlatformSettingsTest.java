package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlatformSettingsTest {
  static final Path ROOT = Path.of("/checkout");

  static PlatformSettings read(Map<String, String> env) {
    return PlatformSettings.fromEnvironment(env, ROOT);
  }

  @Nested
  class Defaults {
    final PlatformSettings settings = read(Map.of());

    @Test
    void everything_is_embedded_with_state_under_dot_turnpike() {
      assertThat(settings.database().embedded()).isTrue();
      assertThat(settings.kafka().embedded()).isTrue();
      assertThat(settings.keycloak().embedded()).isTrue();
      assertThat(settings.stateDir()).isEqualTo(ROOT.resolve(".turnpike"));
      assertThat(settings.logDir()).isEqualTo(ROOT.resolve(".turnpike/logs"));
    }

    @Test
    void the_default_ports_are_the_documented_ones() {
      assertThat(settings.ports())
          .isEqualTo(new PlatformSettings.Ports(8081, 8080, 9090, 8443, 8091, 8083, 8082, 8084));
      assertThat(settings.database().jdbcUrl())
          .isEqualTo("jdbc:postgresql://localhost:5433/turnpike");
      assertThat(settings.kafka().bootstrapServers()).isEqualTo("localhost:9092");
      assertThat(settings.keycloak().issuer()).isEqualTo("http://localhost:8180/realms/turnpike");
    }

    @Test
    void the_embedded_database_brings_its_own_logins() {
      assertThat(settings.database().logins()).isEqualTo(PlatformSettings.EMBEDDED_LOGINS);
      assertThat(settings.database().logins().toString()).doesNotContain("turnpike-local");
    }
  }

  @Nested
  class ExternalParts {
    @Test
    void a_database_url_switches_postgres_to_external_with_the_given_logins() {
      Map<String, String> env = new HashMap<>(externalDb());
      PlatformSettings settings = read(env);
      assertThat(settings.database().embedded()).isFalse();
      assertThat(settings.database().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/tp");
      assertThat(settings.database().logins().appUser()).isEqualTo("app");
      assertThat(settings.database().logins().meteringUser()).isEqualTo("metering");
    }

    @Test
    void an_external_database_gives_the_portal_a_sessions_login_only_when_both_halves_are_set() {
      assertThat(read(new HashMap<>(externalDb())).database().logins().portalSessionsUser())
          .as("none: the portal keeps its sessions in memory")
          .isNull();

      Map<String, String> env = new HashMap<>(externalDb());
      env.put("TURNPIKE_DB_PORTAL_SESSIONS_USER", "portal_sessions");
      assertThatThrownBy(() -> read(env))
          .hasMessageContaining("TURNPIKE_DB_PORTAL_SESSIONS_PASSWORD is required");

      env.put("TURNPIKE_DB_PORTAL_SESSIONS_PASSWORD", "portal-sessions-pw-0123");
      assertThat(read(env).database().logins().portalSessionsUser()).isEqualTo("portal_sessions");
    }

    @Test
    void an_external_database_without_its_logins_names_each_missing_variable() {
      assertThatThrownBy(
              () -> read(Map.of("TURNPIKE_DB_URL", "jdbc:postgresql://db.internal:5432/tp")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TURNPIKE_DB_OWNER_USER is required")
          .hasMessageContaining("TURNPIKE_DB_PASSWORD is required")
          .hasMessageContaining("TURNPIKE_DB_SYSTEM_PASSWORD is required")
          .hasMessageContaining("TURNPIKE_DB_METERING_USER is required")
          .hasMessageContaining("TURNPIKE_DB_METERING_PASSWORD is required");
    }

    @Test
    void kafka_security_is_for_a_kafka_of_your_own_not_the_embedded_plaintext_one() {
      Map<String, String> secured = new HashMap<>();
      secured.put("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
      secured.put("TURNPIKE_KAFKA_SASL_USERNAME", "turnpike");
      secured.put("TURNPIKE_KAFKA_SASL_PASSWORD", "kafka-password-0123");
      assertThatThrownBy(() -> read(secured))
          .hasMessageContaining(
              "TURNPIKE_KAFKA_SECURITY_PROTOCOL is SASL_SSL but the embedded Kafka is plaintext");

      secured.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "kafka.internal:9093");
      assertThat(read(secured).kafka().embedded()).isFalse();
    }

    @Test
    void logins_without_a_database_url_are_refused_rather_than_ignored() {
      assertThatThrownBy(() -> read(Map.of("TURNPIKE_DB_USER", "app")))
          .hasMessageContaining("TURNPIKE_DB_USER is set but TURNPIKE_DB_URL is not");
    }

    @Test
    void kafka_and_keycloak_switch_to_external_by_their_urls() {
      PlatformSettings settings =
          read(
              Map.of(
                  "TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                  "TURNPIKE_KEYCLOAK_URL", "https://id.example.com/"));
      assertThat(settings.kafka().embedded()).isFalse();
      assertThat(settings.kafka().bootstrapServers()).isEqualTo("k1:9092,k2:9092");
      assertThat(settings.keycloak().embedded()).isFalse();
      assertThat(settings.keycloak().issuer()).isEqualTo("https://id.example.com/realms/turnpike");
      assertThat(settings.database().embedded()).isTrue();
    }

    private static Map<String, String> externalDb() {
      return Map.of(
          "TURNPIKE_DB_URL", "jdbc:postgresql://db.internal:5432/tp",
          "TURNPIKE_DB_OWNER_USER", "owner",
          "TURNPIKE_DB_OWNER_PASSWORD", "o",
          "TURNPIKE_DB_USER", "app",
          "TURNPIKE_DB_PASSWORD", "a",
          "TURNPIKE_DB_SYSTEM_USER", "system",
          "TURNPIKE_DB_SYSTEM_PASSWORD", "s",
          "TURNPIKE_DB_METERING_USER", "metering",
          "TURNPIKE_DB_METERING_PASSWORD", "m");
    }
  }

  @Nested
  class BadValues {
    @Test
    void every_bad_value_is_reported_at_once_by_its_name() {
      assertThatThrownBy(
              () ->
                  read(
                      Map.of(
                          "TURNPIKE_CP_PORT", "eighty",
                          "TURNPIKE_GATEWAY_PORT", "70000",
                          "TURNPIKE_KEYCLOAK_URL", "id.example.com",
                          "TURNPIKE_DB_URL", "postgres://x",
                          "TURNPIKE_DEMO_SEED", "maybe")))
          .hasMessageContaining("TURNPIKE_CP_PORT must be a whole number, was 'eighty'")
          .hasMessageContaining("TURNPIKE_GATEWAY_PORT must be between 1 and 65535, was 70000")
          .hasMessageContaining("TURNPIKE_KEYCLOAK_URL must be an absolute http(s) URL")
          .hasMessageContaining("TURNPIKE_DB_URL must start with jdbc:postgresql:")
          .hasMessageContaining("TURNPIKE_DEMO_SEED must be true or false");
    }
  }
}
