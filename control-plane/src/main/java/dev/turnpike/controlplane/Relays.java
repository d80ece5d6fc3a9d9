package dev.turnpike.controlplane;

import dev.turnpike.controlplane.db.Database;
import dev.turnpike.controlplane.outbox.OutboxRelay;
import dev.turnpike.controlplane.standing.impl.StandingConsumer;
import dev.turnpike.controlplane.tx.Stores;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.jooq.DSLContext;

/**
 * Starts the control plane's Kafka work when the settings ask for it: the outbox relay, and the
 * consumer that applies billing's standing decisions to apps' keys.
 */
final class Relays {
  private Relays() {}

  static AutoCloseable start(
      ControlPlaneSettings settings,
      Database database,
      Stores<DSLContext> stores,
      MeterRegistry metrics) {
    if (!settings.outboxEnabled()) {
      return () -> {};
    }
    OutboxRelay relay =
        new OutboxRelay(
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
    StandingConsumer standings;
    try {
      standings = standingConsumer(settings, database, stores).start();
    } catch (RuntimeException e) {
      relay.close();
      throw e;
    }
    return () -> {
      standings.close();
      relay.close();
    };
  }

  static StandingConsumer standingConsumer(
      ControlPlaneSettings settings, Database database, Stores<DSLContext> stores) {
    return new StandingConsumer(
        database.app(),
        stores,
        Clock.systemUTC(),
        new StandingConsumer.Config(
            settings.kafkaBootstrapServers(),
            settings.kafkaSecurity(),
            StandingConsumer.GROUP,
            Duration.ofMillis(500),
            settings.outboxPollInterval(),
            Duration.ofSeconds(5)));
  }
}
