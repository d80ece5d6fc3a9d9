package dev.turnpike.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.gateway.throttle.DemandReport;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Membership on a real in-process Kafka, with short heartbeats so expiry is quick to see. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaMembershipTest {
  private static final Duration HEARTBEAT = Duration.ofMillis(200);
  private static final Duration EXPIRY = Duration.ofMillis(1_000);
  private static final Duration BOUND = Duration.ofSeconds(20);

  private final String topic = "test.gateway.nodes." + UUID.randomUUID();
  private final List<Member> members = new ArrayList<>();

  /** One node's membership and the counts it reported, as the limiter registry would get them. */
  private record Member(
      String nodeId,
      KafkaMembership membership,
      NodeDirectory directory,
      AtomicInteger count,
      List<Integer> reported) {}

  private Member join(KafkaBroker kafka, String nodeId) {
    return join(kafka, nodeId, HEARTBEAT, EXPIRY, KafkaMembership.Traffic.NONE);
  }

  private Member join(
      KafkaBroker kafka,
      String nodeId,
      Duration heartbeat,
      Duration expiry,
      KafkaMembership.Traffic traffic) {
    NodeDirectory directory = new NodeDirectory(nodeId, expiry, Map.of());
    AtomicInteger count = new AtomicInteger(1);
    List<Integer> reported = new CopyOnWriteArrayList<>();
    KafkaMembership membership =
        KafkaMembership.start(
            new KafkaMembership.Config(
                kafka.bootstrapServers(),
                Map.of(),
                topic,
                nodeId,
                "127.0.0.1:" + (8000 + members.size()),
                heartbeat,
                expiry,
                1),
            directory,
            n -> {
              reported.add(n);
              count.set(n);
            },
            traffic,
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    Member member = new Member(nodeId, membership, directory, count, reported);
    members.add(member);
    return member;
  }

  private void awaitCount(List<Member> who, int expected) {
    Await.until(
        BOUND,
        () -> who.stream().allMatch(m -> m.count().get() == expected),
        () ->
            "every node to count "
                + expected
                + ", counts: "
                + who.stream().map(m -> m.nodeId() + "=" + m.count().get()).toList());
  }

  @AfterEach
  void leave() {
    members.forEach(m -> m.membership().close());
  }

  @Test
  void nodes_count_each_other_and_follow_leaving_dying_and_joining(KafkaBroker kafka) {
    Member one = join(kafka, "gw-1");
    Member two = join(kafka, "gw-2");
    Member three = join(kafka, "gw-3");
    awaitCount(List.of(one, two, three), 3);
    assertThat(one.directory().peers())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("gw-2", "127.0.0.1:8001", "gw-3", "127.0.0.1:8002"));

    // A clean stop leaves a tombstone: seen at once, well before the expiry.
    three.membership().close();
    awaitCount(List.of(one, two), 2);

    // A node that dies leaves nothing: its last heartbeat expires.
    two.membership().abandon();
    awaitCount(List.of(one), 1);
    assertThat(one.directory().peers()).isEmpty();

    Member four = join(kafka, "gw-4");
    Member five = join(kafka, "gw-5");
    awaitCount(List.of(one, four, five), 3);
    assertThat(one.membership().nodeCount()).isEqualTo(3);
  }

  @Test
  void a_node_that_stopped_long_ago_is_not_counted_by_a_newcomer(KafkaBroker kafka) {
    Member first = join(kafka, "gw-1");
    Member second = join(kafka, "gw-2");
    awaitCount(List.of(first, second), 2);
    second.membership().abandon();
    awaitCount(List.of(first), 1);

    // The topic still holds gw-2's last heartbeat; a node starting now reads it from the
    // beginning and knows from its age that gw-2 is gone.
    Member third = join(kafka, "gw-3");
    awaitCount(List.of(first, third), 2);
    assertThat(third.reported()).containsExactly(2);
  }

  /**
   * A node re-shares its limits as soon as another node's new demand arrives, not only at its own
   * next heartbeat: until it does, its shares come from that node's old traffic while that node
   * already enforces by its new one, and the shares add up to more than the limit.
   */
  @Test
  void a_node_re_shares_when_another_nodes_demand_arrives_between_its_own_heartbeats(
      KafkaBroker kafka) {
    AtomicInteger ownSamples = new AtomicInteger();
    Map<Integer, Set<Double>> othersRatesBySample = new ConcurrentHashMap<>();
    KafkaMembership.Traffic slow =
        new KafkaMembership.Traffic() {
          @Override
          public DemandReport sample(String nodeId) {
            ownSamples.incrementAndGet();
            return DemandReport.none(nodeId);
          }

          @Override
          public void share(int nodeCount, DemandReport own, Collection<DemandReport> others) {
            Set<Double> rates =
                othersRatesBySample.computeIfAbsent(
                    ownSamples.get(), sample -> ConcurrentHashMap.newKeySet());
            others.forEach(report -> rates.add(report.totalRate()));
          }
        };
    AtomicInteger busySamples = new AtomicInteger();
    KafkaMembership.Traffic busy =
        new KafkaMembership.Traffic() {
          @Override
          public DemandReport sample(String nodeId) {
            double rate = busySamples.incrementAndGet();
            return new DemandReport(nodeId, false, rate, Map.of("plan@100/10", Map.of("k", rate)));
          }

          @Override
          public void share(int nodeCount, DemandReport own, Collection<DemandReport> others) {}
        };
    // The first node heartbeats every 3 s, the second every 100 ms with a new demand each time.
    Duration expiry = Duration.ofSeconds(10);
    join(kafka, "gw-slow", Duration.ofSeconds(3), expiry, slow);
    join(kafka, "gw-busy", Duration.ofMillis(100), expiry, busy);

    // Re-sharing only at its own heartbeats and count changes, it would see at most two of the
    // busy node's reports between two samples of its own.
    Await.until(
        BOUND,
        () -> othersRatesBySample.values().stream().anyMatch(rates -> rates.size() >= 3),
        () ->
            "three of the other node's reports re-shared between two heartbeats: "
                + othersRatesBySample);
  }
}
