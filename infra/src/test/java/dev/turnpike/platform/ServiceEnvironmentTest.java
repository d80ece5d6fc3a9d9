package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceEnvironmentTest {
  @TempDir Path root;
  PlatformSettings settings;

  @BeforeEach
  void settings() {
    settings = PlatformSettings.fromEnvironment(Map.of(), root);
  }

  @Test
  void services_get_the_embedded_database_kafka_and_keycloak() {
    Map<String, String> env = ServiceEnvironment.of(Map.of(), settings, "localhost:9092");
    assertThat(env)
        .containsEntry("TURNPIKE_DB_URL", "jdbc:postgresql://localhost:5433/turnpike")
        .containsEntry("TURNPIKE_DB_USER", "turnpike_app_login")
        .containsEntry("TURNPIKE_DB_SYSTEM_USER", "turnpike_system_login")
        .containsEntry("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")
        .containsEntry("TURNPIKE_CP_OIDC_ISSUER", "http://localhost:8180/realms/turnpike")
        .containsEntry("TURNPIKE_CP_OIDC_AUDIENCE", "turnpike-api")
        .containsEntry("TURNPIKE_CP_PORT", "8081")
        .containsEntry("TURNPIKE_GATEWAY_PORT", "8080")
        .containsEntry("TURNPIKE_GATEWAY_ADMIN_PORT", "9090")
        .containsEntry("TURNPIKE_GATEWAY_DATA_DIR", root.resolve(".turnpike/gateway").toString())
        .containsEntry("TURNPIKE_METERING_ADMIN_PORT", "8091")
        .containsEntry("TURNPIKE_BILLING_PORT", "8083");
  }

  @Test
  void the_internal_token_is_made_once_and_kept_private() throws Exception {
    String first =
        ServiceEnvironment.of(Map.of(), settings, "k:9092").get("TURNPIKE_INTERNAL_TOKEN");
    String second =
        ServiceEnvironment.of(Map.of(), settings, "k:9092").get("TURNPIKE_INTERNAL_TOKEN");
    assertThat(first).hasSizeGreaterThanOrEqualTo(16).isEqualTo(second);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve(".turnpike/internal-token"))))
        .isEqualTo("rw-------");
  }

  @Test
  void a_users_own_service_settings_pass_through_and_win_where_they_may() {
    Map<String, String> env =
        ServiceEnvironment.of(
            Map.of(
                "TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none",
                "TURNPIKE_CP_OIDC_ISSUER", "https://id.example.com/realms/x",
                "PATH", "/usr/bin"),
            settings,
            "localhost:9092");
    assertThat(env)
        .containsEntry("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none")
        .containsEntry("TURNPIKE_CP_OIDC_ISSUER", "https://id.example.com/realms/x")
        .containsEntry("PATH", "/usr/bin");
  }
}
