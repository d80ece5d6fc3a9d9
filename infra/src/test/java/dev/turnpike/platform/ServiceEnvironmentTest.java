package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {
  final PlatformSettings settings = PlatformSettings.fromEnvironment(Map.of(), Path.of("/co"));

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
        .containsEntry("TURNPIKE_GATEWAY_DATA_DIR", "/co/.turnpike/gateway")
        .containsEntry("TURNPIKE_METERING_ADMIN_PORT", "8091")
        .containsEntry("TURNPIKE_BILLING_PORT", "8083");
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
