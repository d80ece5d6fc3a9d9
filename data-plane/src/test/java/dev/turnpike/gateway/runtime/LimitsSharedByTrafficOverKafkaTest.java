package dev.turnpike.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.cluster.KafkaMembership;
import dev.turnpike.gateway.cluster.NodeDirectory;
import dev.turnpike.gateway.throttle.DemandReport;
import dev.turnpike.gateway.throttle.DemandShares;
import dev.turnpike.gateway.throttle.GcraLimiter;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three nodes' limiter registries sharing a plan limit through their heartbeats on a real
 * in-process Kafka (heartbeat 200 ms): a client pinned to one node gets the whole limit there.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LimitsSharedByTrafficOverKafkaTest {
  private static final Duration HEARTBEAT = Duration.ofMillis(200);
  private static final Duration EXPIRY = Duration.ofMillis(1_000);
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final ThrottleLimit PLAN = new ThrottleLimit(100, 10);
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(3);

  private final String topic = "test.gateway.nodes." + UUID.randomUUID();
  private final List<KafkaMembership> memberships = new ArrayList<>();

  private GcraLimiter join(KafkaBroker kafka, String nodeId) {
    LimiterRegistry registry = new LimiterRegistry(1);
    GcraLimiter plan = registry.limiter("plan:p", PLAN, new HashSet<>());
    memberships.add(
        KafkaMembership.start(
            new KafkaMembership.Config(
                kafka.bootstrapServers(),
                Map.of(),
                topic,
                nodeId,
                "127.0.0.1:" + (8000 + memberships.size()),
                HEARTBEAT,
                EXPIRY,
                1),
            new NodeDirectory(nodeId, EXPIRY, Map.of()),
            registry::nodeCount,
            new KafkaMembership.Traffic() {
              @Override
              public DemandReport sample(String id) {
                return registry.sampleDemand(id, System.nanoTime());
              }

              @Override
              public void share(int nodeCount, DemandReport own, Collection<DemandReport> others) {
                registry.shareByDemand(nodeCount, own, others);
              }
            },
            new SimpleMeterRegistry(),
            Clock.systemUTC()));
    return plan;
  }

  @AfterEach
  void leave() {
    memberships.forEach(KafkaMembership::close);
  }

  @Test
  void a_client_pinned_to_one_node_of_three_gets_the_whole_limit(KafkaBroker kafka)
      throws Exception {
    GcraLimiter one = join(kafka, "gw-1");
    GcraLimiter two = join(kafka, "gw-2");
    GcraLimiter three = join(kafka, "gw-3");
    Await.until(
        BOUND,
        () -> List.of(one, two, three).stream().allMatch(l -> l.nodeCount() == 3),
        () -> "every node to count 3");

    // The client: a request about every millisecond, far above the limit, all to node one.
    CompletableFuture<Integer> admittedInWindow =
        CompletableFuture.supplyAsync(
            () -> {
              long windowStart = 0;
              int admitted = 0;
              while (true) {
                long now = System.nanoTime();
                boolean ok = one.tryAcquire("pinned", now);
                if (windowStart == 0) {
                  if (one.limitFor("pinned").equals(PLAN)) {
                    windowStart = now;
                  }
                } else if (now - windowStart >= WINDOW_NANOS) {
                  return admitted;
                } else if (ok) {
                  admitted++;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
              }
            });

    int admitted = admittedInWindow.get(BOUND.toSeconds(), TimeUnit.SECONDS);

    // 100/s for 3 s, within 10%.
    assertThat(admitted).isBetween(270, 330);
    assertThat(two.limitFor("pinned").rateLimit())
        .isEqualTo(PLAN.rateLimit() * DemandShares.FLOOR / 3);
    assertThat(three.limitFor("pinned").rateLimit())
        .isEqualTo(PLAN.rateLimit() * DemandShares.FLOOR / 3);
  }
}
