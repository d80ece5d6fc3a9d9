package dev.turnpike.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortalSettingsTest {
  static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_PORTAL_OIDC_ISSUER", "http://localhost:8180/realms/turnpike/");
    env.put("TURNPIKE_PORTAL_CLIENT_SECRET", "s3cret");
    return env;
  }

  @Test
  void uses_the_local_platforms_defaults() {
    PortalSettings settings = PortalSettings.fromEnvironment(minimal());
    assertThat(settings.port()).isEqualTo(8082);
    assertThat(settings.controlPlaneUrl()).isEqualTo("http://localhost:8081");
    assertThat(settings.oidcIssuer()).isEqualTo("http://localhost:8180/realms/turnpike");
    assertThat(settings.oidcInternalUrl()).isNull();
    assertThat(settings.clientId()).isEqualTo("turnpike-portal");
    assertThat(settings.gatewayUrl()).isEqualTo("http://localhost:8080");
    assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(settings.withPublicUrlFor(4321).publicUrl()).isEqualTo("http://localhost:4321");
  }

  @Test
  void reads_the_identity_providers_internal_address_without_its_trailing_slash() {
    Map<String, String> env = minimal();
    env.put("TURNPIKE_PORTAL_OIDC_INTERNAL_URL", "http://keycloak:8180/realms/turnpike/");

    PortalSettings settings = PortalSettings.fromEnvironment(env);

    assertThat(settings.oidcInternalUrl()).isEqualTo("http://keycloak:8180/realms/turnpike");
    assertThat(settings.withPublicUrlFor(1).oidcInternalUrl())
        .isEqualTo("http://keycloak:8180/realms/turnpike");
  }

  @Test
  void refuses_the_client_secret_the_trial_realm_used_to_publish() {
    Map<String, String> env = minimal();
    env.put("TURNPIKE_PORTAL_CLIENT_SECRET", "turnpike-portal-local-secret");
    assertThatThrownBy(() -> PortalSettings.fromEnvironment(env))
        .hasMessageContaining("TURNPIKE_PORTAL_CLIENT_SECRET holds a placeholder or demo value");
  }

  @Test
  void names_every_missing_or_invalid_variable() {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_PORTAL_PORT", "70000");
    env.put("TURNPIKE_PORTAL_HOST_DOMAIN", "Not A Domain");
    env.put("TURNPIKE_PORTAL_GATEWAY_URL", "ftp://gw");
    env.put("TURNPIKE_PORTAL_OIDC_INTERNAL_URL", "keycloak:8180");
    assertThatThrownBy(() -> PortalSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TURNPIKE_PORTAL_OIDC_ISSUER is required")
        .hasMessageContaining("TURNPIKE_PORTAL_CLIENT_SECRET is required")
        .hasMessageContaining("TURNPIKE_PORTAL_PORT must be between 0 and 65535")
        .hasMessageContaining("TURNPIKE_PORTAL_HOST_DOMAIN must be a lower-case DNS name")
        .hasMessageContaining("TURNPIKE_PORTAL_GATEWAY_URL must be an absolute http(s) URL")
        .hasMessageContaining("TURNPIKE_PORTAL_OIDC_INTERNAL_URL must be an absolute http(s) URL");
  }

  @Test
  void keeps_the_client_secret_out_of_its_text() {
    assertThat(PortalSettings.fromEnvironment(minimal()).toString()).doesNotContain("s3cret");
  }

  @Test
  void keeps_sessions_in_memory_without_a_session_database() {
    assertThat(PortalSettings.fromEnvironment(minimal()).sessionDatabase()).isNull();
  }

  @Test
  void reads_the_session_database_login_and_never_prints_its_password() {
    Map<String, String> env = minimal();
    env.put("TURNPIKE_PORTAL_SESSION_DB_URL", "jdbc:postgresql://db:5432/turnpike");
    env.put("TURNPIKE_PORTAL_SESSION_DB_USER", "turnpike_portal_sessions_login");
    env.put("TURNPIKE_PORTAL_SESSION_DB_PASSWORD", "pw-8c1f");

    PortalSettings settings = PortalSettings.fromEnvironment(env);

    assertThat(settings.sessionDatabase())
        .isEqualTo(
            new PortalSettings.SessionDatabase(
                "jdbc:postgresql://db:5432/turnpike", "turnpike_portal_sessions_login", "pw-8c1f"));
    assertThat(settings.toString())
        .contains("turnpike_portal_sessions_login")
        .doesNotContain("pw-8c1f");
  }

  @Test
  void refuses_half_a_session_database_login() {
    Map<String, String> env = minimal();
    env.put("TURNPIKE_PORTAL_SESSION_DB_URL", "mysql://db/turnpike");
    env.put("TURNPIKE_PORTAL_SESSION_DB_USER", "turnpike_portal_sessions_login");

    assertThatThrownBy(() -> PortalSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TURNPIKE_PORTAL_SESSION_DB_PASSWORD is required")
        .hasMessageContaining("TURNPIKE_PORTAL_SESSION_DB_URL must start with jdbc:postgresql:");
  }
}
