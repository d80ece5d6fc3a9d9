package dev.turnpike.metering.node;

import dev.turnpike.metering.standing.StandingRelay;
import java.time.Duration;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Billing's standing decisions to the control plane: the relay that publishes metering's standing
 * outbox to Kafka.
 */
final class StandingComponent implements MeteringComponent {
  /** Decisions follow payments, a few a minute at most: a short poll keeps suspension prompt. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  static final int BATCH_SIZE = 500;

  private StandingRelay relay;

  @Override
  public String name() {
    return "billing-standing";
  }

  @Override
  public void start(MeteringContext context) {
    MeteringSettings settings = context.settings();
    relay =
        new StandingRelay(
                DSL.using(context.database(), SQLDialect.POSTGRES),
                new StandingRelay.Config(
                    settings.kafkaBootstrapServers(),
                    settings.kafkaSecurity(),
                    POLL_INTERVAL,
                    BATCH_SIZE,
                    settings.kafkaTimeout()))
            .start();
  }

  @Override
  public boolean ready() {
    return relay != null && relay.alive();
  }

  @Override
  public void close() {
    if (relay != null) {
      relay.close();
    }
  }
}
