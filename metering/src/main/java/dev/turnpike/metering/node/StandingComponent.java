package dev.turnpike.metering.node;

import dev.turnpike.metering.standing.StandingRelay;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Billing's standing decisions to the control plane: the relay that publishes metering's standing
 * outbox to Kafka.
 */
final class StandingComponent implements MeteringComponent {
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
                    settings.standingRelay().pollInterval(),
                    settings.standingRelay().batchSize(),
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
