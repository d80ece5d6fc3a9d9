package dev.turnpike.metering.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.metering.MeteringFixture;
import dev.turnpike.metering.MeteringFixture.Subscriber;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two metering instances in one consumer group share the usage partitions; one of them stops while
 * events flow (its partitions move to the other: a rebalance), comes back (another), and the
 * aggregates still hold every distinct event exactly once, event ids produced twice included.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class MeteringGroupTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int PARTITIONS = 3;

  private final TestDatabase database;
  private final MeteringFixture fixture;
  private final KafkaBroker kafka;
  private final String group;
  private final List<MeteringService> running = new ArrayList<>();

  MeteringGroupTest(TestDatabase database) {
    this.database = database;
    this.fixture = new MeteringFixture(database.ownerDataSource());
    this.kafka = KafkaBroker.start();
    kafka.createTopic(Topics.USAGE, PARTITIONS, false);
    kafka.createTopic(Topics.QUOTA_STATE, PARTITIONS, true);
    this.group = "metering-" + database.name();
  }

  @AfterEach
  void stop() {
    running.forEach(MeteringService::close);
    kafka.close();
  }

  @Test
  void two_instances_share_the_partitions_and_count_exactly_once_through_rebalances()
      throws Exception {
    List<Subscriber> subscribers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      subscribers.add(fixture.subscriber(1_000_000L, 0, "DAY", Instant.now()));
    }
    MeteringService first = start();
    MeteringService second = start();
    Await.until(WAIT, () -> membersWithPartitions() == 2, "both instances to own partitions");

    UsageEventFlow flow = new UsageEventFlow(kafka.newProducer(), subscribers);
    Thread producing = Thread.ofPlatform().name("group-test-producer").start(flow);
    awaitMoreCounted(500, "both instances count");

    // One instance stops mid-run: the other takes all partitions over and goes on counting.
    second.close();
    running.remove(second);
    Await.until(WAIT, () -> membersWithPartitions() == 1, "the survivor to own every partition");
    awaitMoreCounted(500, "the survivor counts alone");

    // It comes back: the partitions are shared again.
    start();
    Await.until(WAIT, () -> membersWithPartitions() == 2, "the partitions to be shared again");
    awaitMoreCounted(500, "both instances count again");

    flow.stop();
    producing.join();
    assertThat(flow.failure.get()).isNull();
    long produced = flow.unique.get();
    Await.until(
        WAIT,
        () -> calls("day") == produced,
        () -> "counted " + calls("day") + " of " + produced + " produced");
    Await.holdsFor(Duration.ofSeconds(1), () -> calls("day") == produced, "no extra counts");

    for (String granularity : List.of("minute", "hour", "day", "month")) {
      assertThat(calls(granularity)).as(granularity).isEqualTo(produced);
    }
    for (Subscriber subscriber : subscribers) {
      assertThat(
              fixture.queryLong(
                  "SELECT coalesce(sum(calls), 0) FROM usage_aggregates"
                      + " WHERE granularity = 'day' AND key_id = ?",
                  subscriber.keyId()))
          .isEqualTo(flow.uniqueFor(subscriber));
    }
    assertThat(flow.retries.get()).isPositive();
    assertThat(first.failure()).isNotDone();
    System.out.printf(
        "group test: %d distinct events and %d retried ids produced, %d counted%n",
        produced, flow.retries.get(), calls("day"));
  }

  private MeteringService start() {
    Map<String, String> env = MeteringEnv.of(database, kafka.bootstrapServers());
    env.put("TURNPIKE_METERING_GROUP", group);
    env.put("TURNPIKE_METERING_MAX_POLL_RECORDS", "300");
    MeteringService service =
        MeteringService.start(MeteringSettings.fromEnvironment(env), List.of(), Clock.systemUTC());
    running.add(service);
    return service;
  }

  private void awaitMoreCounted(long more, String what) {
    long before = calls("day");
    Await.until(WAIT, () -> calls("day") >= before + more, what);
  }

  private long calls(String granularity) {
    return fixture.queryLong(
        "SELECT coalesce(sum(calls), 0) FROM usage_aggregates WHERE granularity = ?", granularity);
  }

  /** How many members of the group own usage partitions, and that they own them all. */
  private int membersWithPartitions() {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      List<Set<Integer>> owned =
          description.members().stream()
              .map(MemberDescription::assignment)
              .map(
                  assignment ->
                      assignment.topicPartitions().stream()
                          .filter(partition -> partition.topic().equals(Topics.USAGE))
                          .map(partition -> partition.partition())
                          .collect(Collectors.toSet()))
              .filter(partitions -> !partitions.isEmpty())
              .toList();
      int total = owned.stream().mapToInt(Set::size).sum();
      return total == PARTITIONS ? owned.size() : -1;
    } catch (Exception e) {
      return -1;
    }
  }
}
