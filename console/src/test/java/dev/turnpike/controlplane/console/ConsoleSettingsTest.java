package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleSettingsTest {
  static Map<String, String> base() {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_DB_URL", "jdbc:postgresql://localhost/turnpike");
    env.put("TURNPIKE_DB_OWNER_USER", "owner");
    env.put("TURNPIKE_DB_OWNER_PASSWORD", "x");
    env.put("TURNPIKE_DB_USER", "app");
    env.put("TURNPIKE_DB_PASSWORD", "x");
    env.put("TURNPIKE_DB_SYSTEM_USER", "system");
    env.put("TURNPIKE_DB_SYSTEM_PASSWORD", "x");
    env.put("TURNPIKE_CP_OIDC_ISSUER", "http://localhost:8180/realms/turnpike");
    env.put("TURNPIKE_CP_OIDC_AUDIENCE", "turnpike-api");
    return env;
  }

  @Test
  void without_console_settings_the_console_is_off_and_the_control_plane_starts() {
    ConsoleSettings console = ConsoleSettings.fromEnvironment(base());

    assertThat(console.configured()).isFalse();
    assertThat(console.clientId()).isEqualTo("turnpike-console");
  }

  @Test
  void a_full_console_configuration_has_defaults_for_the_rest() {
    Map<String, String> env = base();
    env.put(ConsoleSettings.PUBLIC_URL, "https://console.example.com/");
    env.put(ConsoleSettings.CLIENT_SECRET, "s3cret");

    ConsoleSettings console = ConsoleSettings.fromEnvironment(env);

    assertThat(console.configured()).isTrue();
    assertThat(console.secure()).isTrue();
    assertThat(console.redirectUri()).isEqualTo("https://console.example.com/console/callback");
    assertThat(console.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
    assertThat(console.sessionCheck()).isEqualTo(Duration.ofSeconds(60));
    assertThat(console.oidcInternalUrl()).isNull();
    assertThat(console.toString()).doesNotContain("s3cret");
  }

  @Test
  void the_gateways_address_is_optional_read_without_its_trailing_slash_and_must_be_a_url() {
    Map<String, String> env = base();
    assertThat(ConsoleSettings.fromEnvironment(env).gatewayUrl()).isNull();

    env.put(ConsoleSettings.GATEWAY_URL, "https://api.example.com/");
    assertThat(ConsoleSettings.fromEnvironment(env).gatewayUrl())
        .isEqualTo("https://api.example.com");

    env.put(ConsoleSettings.GATEWAY_URL, "api.example.com");
    assertThatThrownBy(() -> ConsoleSettings.fromEnvironment(env))
        .hasMessageContaining(ConsoleSettings.GATEWAY_URL + " must be an absolute http(s) URL");
  }

  @Test
  void an_internal_identity_provider_address_is_read_without_its_trailing_slash() {
    Map<String, String> env = base();
    env.put(ConsoleSettings.PUBLIC_URL, "http://localhost:8081");
    env.put(ConsoleSettings.CLIENT_SECRET, "s3cret");
    env.put(ConsoleSettings.OIDC_INTERNAL_URL, "http://keycloak:8180/realms/turnpike/");

    ConsoleSettings console = ConsoleSettings.fromEnvironment(env);

    assertThat(console.oidcInternalUrl()).isEqualTo("http://keycloak:8180/realms/turnpike");
  }

  @Test
  void an_internal_identity_provider_address_that_is_not_a_url_is_refused() {
    Map<String, String> env = base();
    env.put(ConsoleSettings.OIDC_INTERNAL_URL, "keycloak:8180");

    assertThatThrownBy(() -> ConsoleSettings.fromEnvironment(env))
        .hasMessageContaining(
            ConsoleSettings.OIDC_INTERNAL_URL + " must be an absolute http(s) URL");
  }

  @Test
  void half_a_configuration_stops_the_start_naming_what_is_missing() {
    Map<String, String> env = base();
    env.put(ConsoleSettings.PUBLIC_URL, "http://localhost:8081");

    assertThatThrownBy(() -> ConsoleSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ConsoleSettings.CLIENT_SECRET + " is required");
  }

  @Test
  void a_public_url_with_a_path_or_a_bad_idle_time_is_refused() {
    Map<String, String> env = base();
    env.put(ConsoleSettings.PUBLIC_URL, "http://localhost:8081/console");
    env.put(ConsoleSettings.CLIENT_SECRET, "s3cret");
    env.put(ConsoleSettings.SESSION_IDLE_MINUTES, "0");

    assertThatThrownBy(() -> ConsoleSettings.fromEnvironment(env))
        .hasMessageContaining(ConsoleSettings.PUBLIC_URL + " must have no path")
        .hasMessageContaining(ConsoleSettings.SESSION_IDLE_MINUTES + " must be between 1 and 1440");
  }

  @Test
  void refuses_the_placeholder_secret_from_the_example_files() {
    Map<String, String> env = base();
    env.put(ConsoleSettings.PUBLIC_URL, "https://console.example.com");
    env.put(ConsoleSettings.CLIENT_SECRET, "turnpike-console-local-secret");

    assertThatThrownBy(() -> ConsoleSettings.fromEnvironment(env))
        .hasMessageContaining("TURNPIKE_CP_CONSOLE_CLIENT_SECRET holds a placeholder")
        .hasMessageNotContaining("local-secret");
  }
}
