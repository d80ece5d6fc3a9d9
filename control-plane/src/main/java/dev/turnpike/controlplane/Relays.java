package dev.turnpike.controlplane;

import dev.turnpike.controlplane.db.Database;
import dev.turnpike.controlplane.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;

/** Starts the outbox relay when the settings ask for it. */
final class Relays {
  private Relays() {}

  static AutoCloseable start(
      ControlPlaneSettings settings, Database database, MeterRegistry metrics) {
    if (!settings.outboxEnabled()) {
      return () -> {};
    }
    return new OutboxRelay(
            database.system(),
            new OutboxRelay.Config(
                settings.kafkaBootstrapServers(),
                settings.kafkaSecurity(),
                settings.outboxPollInterval(),
                settings.outboxBatchSize(),
                settings.outboxDeliveryTimeout(),
                OutboxRelay.Config.configTopics(),
                settings.kafkaTopicPartitions(),
                settings.kafkaReplicationFactor(),
                OutboxRelay.Config.TRANSACTIONAL_ID,
                settings.configRecordLimit()),
            metrics)
        .start();
  }
}
