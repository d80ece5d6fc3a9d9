package dev.turnpike.metering.testing;

import static dev.turnpike.db.Tables.APP_BILLING_STANDINGS;
import static dev.turnpike.db.Tables.BILLING_STANDINGS;

import dev.turnpike.contracts.Topics;
import dev.turnpike.controlplane.ControlPlane;
import dev.turnpike.controlplane.standing.impl.StandingConsumer;
import dev.turnpike.metering.standing.StandingRelay;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * The path billing's standing decisions take, with the real parts: metering's standing relay
 * publishes its outbox to Kafka, and the control plane's standing consumer applies each decision to
 * the app's keys (and writes their records to the control plane's outbox), as the two services run
 * them. Payment tests wait for it to settle instead of reading keys metering no longer writes.
 */
public final class StandingPath implements AutoCloseable {
  static final Duration SETTLE = Duration.ofSeconds(20);

  private final DSLContext owner;
  private final StandingRelay relay;
  private final StandingConsumer consumer;

  private StandingPath(DSLContext owner, StandingRelay relay, StandingConsumer consumer) {
    this.owner = owner;
    this.relay = relay;
    this.consumer = consumer;
  }

  public static StandingPath start(TestDatabase db, KafkaBroker kafka) {
    // Metering creates the topic at start (TopicBootstrap); the control plane only reads it.
    kafka.createTopic(Topics.BILLING_STANDING, 1, true);
    StandingRelay relay =
        new StandingRelay(
                db.meteringDsl(),
                new StandingRelay.Config(
                    kafka.bootstrapServers(),
                    KafkaSecurity.plaintext(),
                    Duration.ofMillis(20),
                    100,
                    Duration.ofSeconds(5)))
            .start();
    StandingConsumer consumer =
        new StandingConsumer(
                db.appDsl(),
                ControlPlane.stores(),
                Clock.systemUTC(),
                new StandingConsumer.Config(
                    kafka.bootstrapServers(),
                    KafkaSecurity.plaintext(),
                    "standing-test-" + UUID.randomUUID(),
                    Duration.ofMillis(50),
                    Duration.ofMillis(50),
                    Duration.ofSeconds(5)))
            .start();
    return new StandingPath(db.ownerDsl(), relay, consumer);
  }

  /** Billing's latest revision for the app; 0 when it decided nothing yet. */
  public long decided(UUID tenant, UUID app) {
    Long revision =
        owner
            .select(BILLING_STANDINGS.REVISION)
            .from(BILLING_STANDINGS)
            .where(BILLING_STANDINGS.TENANT_ID.eq(tenant), BILLING_STANDINGS.APP_ID.eq(app))
            .fetchOne(BILLING_STANDINGS.REVISION);
    return revision == null ? 0 : revision;
  }

  /** The revision the control plane applied to the app last; 0 when none. */
  public long applied(UUID tenant, UUID app) {
    Long revision =
        owner
            .select(APP_BILLING_STANDINGS.REVISION)
            .from(APP_BILLING_STANDINGS)
            .where(APP_BILLING_STANDINGS.TENANT_ID.eq(tenant), APP_BILLING_STANDINGS.APP_ID.eq(app))
            .fetchOne(APP_BILLING_STANDINGS.REVISION);
    return revision == null ? 0 : revision;
  }

  /** Waits until the control plane applied billing's latest decision about the app. */
  public void awaitSettled(UUID tenant, UUID app) {
    Await.until(
        SETTLE,
        () -> applied(tenant, app) == decided(tenant, app),
        () ->
            "the control plane to apply billing's standing revision "
                + decided(tenant, app)
                + " of app "
                + app
                + " (applied: "
                + applied(tenant, app)
                + ")");
  }

  @Override
  public void close() {
    consumer.close();
    relay.close();
  }
}
