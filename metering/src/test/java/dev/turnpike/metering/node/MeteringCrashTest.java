package dev.turnpike.metering.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.metering.MeteringFixture;
import dev.turnpike.metering.MeteringFixture.Subscriber;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the metering process (a JVM of its own, {@code destroyForcibly}: SIGKILL, no shutdown hook)
 * several times while events flow and its consumer is in the middle of its batches, restarts it
 * each time, and checks that the aggregates hold every event produced exactly once, including the
 * event ids produced twice as a producer retry would.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeteringCrashTest {
  private static final int KILLS = 5;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path logs;

  private KafkaBroker kafka;
  private TestDatabase database;
  private MeteringFixture fixture;
  private Process metering;
  private int starts;

  @BeforeAll
  void start(TestDatabase database) {
    this.database = database;
    this.fixture = new MeteringFixture(database.ownerDataSource());
    this.kafka = KafkaBroker.start();
    kafka.createTopic(Topics.USAGE, 3, false);
    kafka.createTopic(Topics.QUOTA_STATE, 3, true);
  }

  @AfterAll
  void stop() {
    if (metering != null) {
      metering.destroyForcibly();
    }
    kafka.close();
  }

  @Test
  void aggregates_equal_the_events_produced_after_repeated_kills_mid_batch() throws Exception {
    List<Subscriber> subscribers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      subscribers.add(fixture.subscriber(1_000_000L, 0, "DAY", Instant.now()));
    }
    UsageEventFlow flow = new UsageEventFlow(kafka.newProducer(), subscribers);
    Thread producing = Thread.ofPlatform().name("crash-test-producer").start(flow);
    metering = launch();
    for (int kill = 0; kill < KILLS; kill++) {
      long before = countedCalls();
      // Kill as soon as this run has counted a few more batches: events keep flowing, so the
      // consumer is between a poll and its commit, or inside the transaction, most of the time.
      Await.until(WAIT, () -> countedCalls() >= before + 500, "metering run " + starts + " counts");
      assertThat(metering.isAlive()).as(log()).isTrue();
      metering.destroyForcibly().waitFor();
      metering = launch();
    }
    flow.stop();
    producing.join();
    assertThat(flow.failure.get()).isNull();
    long produced = flow.unique.get();

    Await.until(
        WAIT,
        () -> countedCalls() == produced,
        () -> "counted " + countedCalls() + " of " + produced + " produced\n" + log());
    Await.holdsFor(Duration.ofSeconds(1), () -> countedCalls() == produced, "no extra counts");

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
    assertThat(starts).isEqualTo(KILLS + 1);
    System.out.printf(
        "crash test: %d kills, %d distinct events and %d retried ids produced, %d counted%n",
        KILLS, produced, flow.retries.get(), countedCalls());
  }

  private long countedCalls() {
    return calls("day");
  }

  private long calls(String granularity) {
    return fixture.queryLong(
        "SELECT coalesce(sum(calls), 0) FROM usage_aggregates WHERE granularity = ?", granularity);
  }

  private Process launch() throws IOException {
    starts++;
    Map<String, String> env = MeteringEnv.of(database, kafka.bootstrapServers());
    // Static membership: the restarted process takes its partitions back at once.
    env.put("TURNPIKE_METERING_INSTANCE_ID", "crash-test");
    env.put("TURNPIKE_METERING_MAX_POLL_RECORDS", "300");
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            MeteringMain.class.getName());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(logs.resolve("metering-" + starts + ".log").toFile());
    return builder.start();
  }

  private String log() {
    try {
      return "metering log of run "
          + starts
          + ":\n"
          + Files.readString(logs.resolve("metering-" + starts + ".log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
