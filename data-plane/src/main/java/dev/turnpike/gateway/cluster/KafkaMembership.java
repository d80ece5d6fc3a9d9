package dev.turnpike.gateway.cluster;

import dev.turnpike.gateway.throttle.DemandReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's membership of the gateway cluster through Kafka: on a thread of its own ({@link
 * MembershipLoop}), it sends a {@link Heartbeat} to {@link #TOPIC} every heartbeat interval ({@link
 * HeartbeatSender}), reads every node's heartbeats into its {@link NodeDirectory}, and reports the
 * count of live nodes whenever it changes ({@link SettledNodeCount}, which holds the count while
 * Kafka is out of reach). A clean {@link #close} sends a tombstone, so the others see the node
 * leave at once instead of after the expiry.
 *
 * <p>Each heartbeat also carries the node's recent demand ({@link Traffic#sample}), and at each of
 * its own heartbeats, whenever the count changes, and after a poll that brought another node's new
 * demand, the node re-shares its limits by the demand every live node last reported ({@link
 * Traffic#share}).
 */
public final class KafkaMembership implements AutoCloseable {
  /** Compacted, one partition: the last heartbeat or tombstone of each node. */
  public static final String TOPIC = "turnpike.gateway.nodes";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaMembership.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration WAKEUP_GRACE = Duration.ofSeconds(3);

  /**
   * @param topic {@link #TOPIC} but in tests
   * @param address this node's traffic listener for the other nodes, {@code host:port}
   * @param initialCount the count reported until the live one is known
   */
  public record Config(
      String bootstrapServers,
      Map<String, ?> clientProperties,
      String topic,
      String nodeId,
      String address,
      Duration heartbeat,
      Duration expiry,
      int initialCount) {}

  /** The node's traffic, exchanged with the heartbeats; called on the membership thread only. */
  public interface Traffic {
    /** No exchange: the heartbeats carry no demand and shares stay even. */
    Traffic NONE =
        new Traffic() {
          @Override
          public DemandReport sample(String nodeId) {
            return DemandReport.none(nodeId);
          }

          @Override
          public void share(int nodeCount, DemandReport own, Collection<DemandReport> others) {}
        };

    /** This node's demand since the last sample, for the heartbeat about to go out. */
    DemandReport sample(String nodeId);

    /**
     * Shares the limits among {@code nodeCount} live nodes by this node's last sample and the other
     * live nodes' last reports.
     */
    void share(int nodeCount, DemandReport own, Collection<DemandReport> others);
  }

  private final MembershipLoop loop;
  private final SettledNodeCount count;
  private final Thread thread;

  private KafkaMembership(
      Config config, NodeDirectory directory, IntConsumer onCount, Traffic traffic, Clock clock) {
    this.count = new SettledNodeCount(config.initialCount(), config.heartbeat(), onCount);
    this.loop = new MembershipLoop(config, directory, count, traffic, clock);
    this.thread = new Thread(loop, "turnpike-gateway-membership");
    this.thread.setDaemon(true);
  }

  /**
   * Starts the membership thread and returns at once.
   *
   * @param onCount called on the membership thread with the live node count (at least 1) each time
   *     it changes
   * @param clock the wall clock heartbeats are stamped and expired by
   */
  public static KafkaMembership start(
      Config config,
      NodeDirectory directory,
      IntConsumer onCount,
      MeterRegistry metrics,
      Clock clock) {
    return start(config, directory, onCount, Traffic.NONE, metrics, clock);
  }

  /**
   * Starts the membership thread, with the node's traffic exchanged on the heartbeats, and returns
   * at once.
   *
   * @param onCount called on the membership thread with the live node count (at least 1) each time
   *     it changes, before {@code traffic} re-shares by demand
   */
  public static KafkaMembership start(
      Config config,
      NodeDirectory directory,
      IntConsumer onCount,
      Traffic traffic,
      MeterRegistry metrics,
      Clock clock) {
    KafkaMembership membership = new KafkaMembership(config, directory, onCount, traffic, clock);
    Gauge.builder("turnpike.gateway.cluster.nodes", membership, KafkaMembership::nodeCount)
        .description("Gateway nodes this node shares its limits with, itself included")
        .register(metrics);
    membership.thread.start();
    return membership;
  }

  /** The live node count last reported (the initial one until the first is known). */
  public int nodeCount() {
    return count.current();
  }

  /** Stops heartbeating, says goodbye with a tombstone, and waits for the thread. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Stops without the tombstone, as a node that dies does: the others notice it only when its last
   * heartbeat expires.
   */
  void abandon() {
    loop.skipGoodbye();
    stop();
  }

  private void stop() {
    if (!loop.stop()) {
      return;
    }
    try {
      if (!thread.join(WAKEUP_GRACE)) {
        // Creating the topic or sending a heartbeat to a Kafka out of reach waits on its own
        // timeout, which the consumer's wakeup does not cut short.
        thread.interrupt();
      }
      if (!thread.join(STOP_TIMEOUT)) {
        LOG.warn("membership thread did not stop within {}", STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
