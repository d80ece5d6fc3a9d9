package dev.turnpike.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishedSecretsTest {
  @Test
  void knows_the_placeholders_and_demo_secrets_this_repository_ships() {
    assertThat(PublishedSecrets.isPublished("change-me")).isTrue();
    assertThat(PublishedSecrets.isPublished("CHANGE-ME-at-least-16-random-characters")).isTrue();
    assertThat(PublishedSecrets.isPublished("turnpike-console-local-secret")).isTrue();
    assertThat(PublishedSecrets.isPublished(" turnpike-portal-local-secret ")).isTrue();
    assertThat(PublishedSecrets.isPublished("9f2c1e0b7a54d3c8e1f0a2b4c6d8e0f1")).isFalse();
    assertThat(PublishedSecrets.isPublished(null)).isFalse();
  }

  @Test
  void a_secret_read_through_the_settings_reader_is_refused_naming_the_key_not_the_value() {
    SettingsReader read =
        new SettingsReader(Map.of("TURNPIKE_DB_PASSWORD", "change-me-app-password"));
    read.secret("TURNPIKE_DB_PASSWORD", true);

    assertThatThrownBy(() -> read.failOnProblems("test"))
        .hasMessageContaining("TURNPIKE_DB_PASSWORD holds a placeholder or demo value")
        .hasMessageNotContaining("change-me-app-password");
  }
}
