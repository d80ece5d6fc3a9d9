package dev.turnpike.metering.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.metering.standing.StandingRelaySettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeteringSettingsTest {
  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_DB_URL", "jdbc:postgresql://db/turnpike");
    env.put("TURNPIKE_DB_METERING_USER", "metering");
    env.put("TURNPIKE_DB_METERING_PASSWORD", "secret");
    return env;
  }

  @Test
  void starts_from_the_required_database_login_with_defaults_for_the_rest() {
    MeteringSettings settings = MeteringSettings.fromEnvironment(minimal());

    assertThat(settings.kafkaBootstrapServers()).isEqualTo("localhost:9092");
    assertThat(settings.consumerGroup()).isEqualTo("turnpike-metering");
    assertThat(settings.maxPollRecords()).isEqualTo(10_000);
    assertThat(settings.dedupWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(settings.resetToEarliest()).isTrue();
    assertThat(settings.dbOwnerUser()).isNull();
    assertThat(settings.adminPort()).isEqualTo(8091);
    assertThat(settings.standingRelay().pollInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(settings.standingRelay().batchSize()).isEqualTo(500);
  }

  @Test
  void the_standing_relay_takes_its_poll_interval_and_batch_size_from_the_environment() {
    Map<String, String> env = minimal();
    env.put("TURNPIKE_METERING_STANDING_POLL_MS", "50");
    env.put("TURNPIKE_METERING_STANDING_BATCH_SIZE", "20");

    StandingRelaySettings relay = MeteringSettings.fromEnvironment(env).standingRelay();

    assertThat(relay).isEqualTo(new StandingRelaySettings(Duration.ofMillis(50), 20));
  }

  @Test
  void a_bad_standing_relay_setting_stops_metering_at_start_naming_it() {
    Map<String, String> env = minimal();
    env.put("TURNPIKE_METERING_STANDING_POLL_MS", "0");
    env.put("TURNPIKE_METERING_STANDING_BATCH_SIZE", "many");

    assertThatThrownBy(() -> MeteringSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TURNPIKE_METERING_STANDING_POLL_MS must be between 10")
        .hasMessageContaining("TURNPIKE_METERING_STANDING_BATCH_SIZE must be a whole number");
  }

  @Test
  void standing_relay_settings_no_reader_could_give_are_refused() {
    assertThatThrownBy(() -> new StandingRelaySettings(Duration.ZERO, 500))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StandingRelaySettings(Duration.ofMillis(200), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void gives_the_consumer_the_kafka_credentials_and_names_a_bad_security_setting() {
    Map<String, String> env = minimal();
    env.put("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("TURNPIKE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256");
    env.put("TURNPIKE_KAFKA_SASL_USERNAME", "turnpike-metering");
    env.put("TURNPIKE_KAFKA_SASL_PASSWORD", "kafka-password-0123");

    MeteringSettings settings = MeteringSettings.fromEnvironment(env);

    assertThat(settings.consumer("turnpike.usage").security()).isEqualTo(settings.kafkaSecurity());
    assertThat(settings.kafkaSecurity().clientProperties())
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256");
    assertThat(settings.toString()).doesNotContain("kafka-password-0123");

    env.put("TURNPIKE_KAFKA_SASL_MECHANISM", "GSSAPI");
    assertThatThrownBy(() -> MeteringSettings.fromEnvironment(env))
        .hasMessageContaining("TURNPIKE_KAFKA_SASL_MECHANISM must be one of");
  }

  @Test
  void names_every_missing_or_invalid_variable_at_once() {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_DB_URL", "mysql://nope");
    env.put("TURNPIKE_METERING_MAX_POLL_RECORDS", "0");
    env.put("TURNPIKE_METERING_OFFSET_RESET", "middle");
    env.put("TURNPIKE_DB_OWNER_USER", "owner");

    assertThatThrownBy(() -> MeteringSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TURNPIKE_DB_URL must start with jdbc:postgresql:")
        .hasMessageContaining("TURNPIKE_DB_METERING_USER is required")
        .hasMessageContaining("TURNPIKE_DB_METERING_PASSWORD is required")
        .hasMessageContaining("TURNPIKE_DB_OWNER_PASSWORD is required")
        .hasMessageContaining("TURNPIKE_METERING_MAX_POLL_RECORDS must be between 1")
        .hasMessageContaining("TURNPIKE_METERING_OFFSET_RESET must be one of");
  }

  @Test
  void keeps_passwords_out_of_its_text() {
    assertThat(MeteringSettings.fromEnvironment(minimal()).toString()).doesNotContain("secret");
  }
}
