package dev.turnpike.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ControlPlaneSettingsTest {
  static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_DB_URL", "jdbc:postgresql://db:5432/turnpike");
    env.put("TURNPIKE_DB_OWNER_USER", "owner");
    env.put("TURNPIKE_DB_OWNER_PASSWORD", "owner-secret");
    env.put("TURNPIKE_DB_USER", "app");
    env.put("TURNPIKE_DB_PASSWORD", "app-secret");
    env.put("TURNPIKE_DB_SYSTEM_USER", "system");
    env.put("TURNPIKE_DB_SYSTEM_PASSWORD", "system-secret");
    env.put("TURNPIKE_CP_OIDC_ISSUER", "https://id.example.com/realms/turnpike");
    env.put("TURNPIKE_CP_OIDC_AUDIENCE", "turnpike-api");
    return env;
  }

  @Nested
  class Defaults {
    @Test
    void minimal_environment_gives_documented_defaults() {
      ControlPlaneSettings settings = ControlPlaneSettings.fromEnvironment(minimal());
      assertThat(settings.port()).isEqualTo(8081);
      assertThat(settings.kafkaBootstrapServers()).isEqualTo("localhost:9092");
      assertThat(settings.oidcJwksUrl())
          .isEqualTo("https://id.example.com/realms/turnpike/protocol/openid-connect/certs");
      assertThat(settings.keyRotationGrace()).isEqualTo(Duration.ofDays(1));
      assertThat(settings.outboxEnabled()).isTrue();
      assertThat(settings.configRecordLimit())
          .isEqualTo(new ConfigRecordLimit(1_000_000, 8 * 1024 * 1024));
      assertThat(settings.adminPort()).isEqualTo(-1);
    }

    @Test
    void the_default_record_limit_fits_a_topic_of_kafkas_default_size() {
      ConfigRecordLimit limit = ControlPlaneSettings.fromEnvironment(minimal()).configRecordLimit();
      // Kafka's default message.max.bytes: topics made before the limit existed still hold it.
      assertThat(limit.maxCompressedBytes()).isLessThan(1_048_588);
    }

    @Test
    void owner_limits_default_to_api_gateway_like_values_with_ten_thousand_routes_per_api() {
      OwnerLimits limits = ControlPlaneSettings.fromEnvironment(minimal()).ownerLimits();
      assertThat(limits.max(Limit.ROUTES_PER_API)).isEqualTo(10_000);
      assertThat(limits.max(Limit.APIS_PER_TENANT)).isEqualTo(600);
      assertThat(limits.max(Limit.STAGES_PER_API)).isEqualTo(10);
      assertThat(limits.max(Limit.STAGE_VARIABLES)).isEqualTo(100);
      assertThat(limits.max(Limit.USAGE_PLANS_PER_TENANT)).isEqualTo(300);
      assertThat(limits.max(Limit.IMPORT_DOCUMENT_BYTES)).isEqualTo(6 * 1024 * 1024);
    }

    @Test
    void an_owner_limit_is_read_from_its_variable() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_CP_LIMIT_ROUTES_PER_API", "20000");
      assertThat(ControlPlaneSettings.fromEnvironment(env).ownerLimits().max(Limit.ROUTES_PER_API))
          .isEqualTo(20_000);
    }

    @Test
    void passwords_stay_out_of_to_string() {
      assertThat(ControlPlaneSettings.fromEnvironment(minimal()).toString())
          .doesNotContain("secret");
    }
  }

  @Nested
  class FailingFast {
    @Test
    void names_every_missing_required_variable() {
      assertThatThrownBy(() -> ControlPlaneSettings.fromEnvironment(Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TURNPIKE_DB_URL")
          .hasMessageContaining("TURNPIKE_DB_USER")
          .hasMessageContaining("TURNPIKE_DB_SYSTEM_PASSWORD")
          .hasMessageContaining("TURNPIKE_CP_OIDC_ISSUER")
          .hasMessageContaining("TURNPIKE_CP_OIDC_AUDIENCE");
    }

    @Test
    void refuses_a_tenants_webhook_share_of_every_thread_and_a_prometheus_url_that_is_none() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_CP_ALARM_WEBHOOK_THREADS", "4");
      env.put("TURNPIKE_CP_ALARM_WEBHOOK_TENANT_IN_FLIGHT", "4");
      env.put("TURNPIKE_CP_ALARM_PROMETHEUS_URL", "prometheus:9090");
      assertThatThrownBy(() -> ControlPlaneSettings.fromEnvironment(env))
          .hasMessageContaining("TURNPIKE_CP_ALARM_WEBHOOK_TENANT_IN_FLIGHT (4) must be below")
          .hasMessageContaining("TURNPIKE_CP_ALARM_PROMETHEUS_URL must be an absolute http(s) URL");

      var alarms = ControlPlaneSettings.fromEnvironment(minimal()).alarms();
      assertThat(alarms.prometheusUrl()).isNull();
      assertThat(alarms.historyRetention()).isEqualTo(java.time.Duration.ofDays(30));
      assertThat(alarms.webhookPerTenant()).isLessThan(alarms.webhookThreads());
    }

    @Test
    void names_a_secret_key_that_is_not_32_bytes_of_base64() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_SECRET_KEY", "not base64!");
      assertThatThrownBy(() -> ControlPlaneSettings.fromEnvironment(env))
          .hasMessageContaining("TURNPIKE_SECRET_KEY: The secret key is not base64");
      assertThat(ControlPlaneSettings.fromEnvironment(minimal()).secrets()).isNull();
    }

    @Test
    void names_the_variable_with_a_bad_value() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_CP_PORT", "eighty");
      env.put("TURNPIKE_CP_OIDC_JWKS_URL", "not a url");
      env.put("TURNPIKE_DB_URL", "postgres://db");
      assertThatThrownBy(() -> ControlPlaneSettings.fromEnvironment(env))
          .hasMessageContaining("TURNPIKE_CP_PORT must be a whole number, was 'eighty'")
          .hasMessageContaining("TURNPIKE_CP_OIDC_JWKS_URL must be an absolute http(s) URL")
          .hasMessageContaining("TURNPIKE_DB_URL must start with jdbc:postgresql:");
    }

    @Test
    void refuses_a_raw_record_limit_below_the_compressed_one() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES", "2000000");
      env.put("TURNPIKE_CP_MAX_CONFIG_RECORD_RAW_BYTES", "1000000");
      assertThatThrownBy(() -> ControlPlaneSettings.fromEnvironment(env))
          .hasMessageContaining(
              "TURNPIKE_CP_MAX_CONFIG_RECORD_RAW_BYTES (1000000) must be at least"
                  + " TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES (2000000)");
    }

    @Test
    void names_a_record_limit_out_of_range() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES", "100");
      assertThatThrownBy(() -> ControlPlaneSettings.fromEnvironment(env))
          .hasMessageContaining("TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES must be between 65536 and");
    }

    @Test
    void refuses_placeholder_secrets_from_the_example_files_naming_each_key() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_DB_PASSWORD", "change-me");
      env.put("TURNPIKE_CP_BILLING_URL", "http://metering:8083");
      env.put("TURNPIKE_CP_BILLING_TOKEN", "change-me-at-least-16-random-characters");
      assertThatThrownBy(() -> ControlPlaneSettings.fromEnvironment(env))
          .hasMessageContaining("TURNPIKE_DB_PASSWORD holds a placeholder")
          .hasMessageContaining("TURNPIKE_CP_BILLING_TOKEN holds a placeholder")
          .hasMessageNotContaining("local-secret");
    }

    @Test
    void reads_the_relays_kafka_credentials_and_keeps_the_password_out_of_to_string() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
      env.put("TURNPIKE_KAFKA_SASL_USERNAME", "turnpike-control-plane");
      env.put("TURNPIKE_KAFKA_SASL_PASSWORD", "kafka-password-0123");

      ControlPlaneSettings settings = ControlPlaneSettings.fromEnvironment(env);

      assertThat(settings.kafkaSecurity().clientProperties())
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
      assertThat(settings.toString())
          .contains("turnpike-control-plane")
          .doesNotContain("kafka-password-0123");
    }

    @Test
    void names_an_owner_limit_out_of_range() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_CP_LIMIT_STAGES_PER_API", "0");
      env.put("TURNPIKE_CP_LIMIT_REF_DEPTH", "deep");
      assertThatThrownBy(() -> ControlPlaneSettings.fromEnvironment(env))
          .hasMessageContaining("TURNPIKE_CP_LIMIT_STAGES_PER_API must be between 1 and")
          .hasMessageContaining("TURNPIKE_CP_LIMIT_REF_DEPTH must be a whole number, was 'deep'");
    }

    @Test
    void refuses_a_default_grace_longer_than_the_maximum() {
      Map<String, String> env = minimal();
      env.put("TURNPIKE_CP_KEY_ROTATION_GRACE_SECONDS", "7200");
      env.put("TURNPIKE_CP_KEY_ROTATION_MAX_GRACE_SECONDS", "3600");
      assertThatThrownBy(() -> ControlPlaneSettings.fromEnvironment(env))
          .hasMessageContaining("TURNPIKE_CP_KEY_ROTATION_GRACE_SECONDS must not exceed");
    }
  }
}
