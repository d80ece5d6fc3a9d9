package dev.turnpike.gateway.config;

import static dev.turnpike.gateway.config.ConfigFeedTest.WAIT;
import static dev.turnpike.gateway.config.ConfigFeedTest.awaitReady;
import static dev.turnpike.gateway.config.ConfigFixtures.deployment;
import static dev.turnpike.gateway.config.ConfigFixtures.key;
import static dev.turnpike.gateway.config.ConfigFixtures.plan;
import static dev.turnpike.gateway.config.ConfigFixtures.quota;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node restarted while Kafka is down comes up on the configuration it saved last. */
class ColdStartTest {
  private static final Duration GRACE = Duration.ofSeconds(1);

  private static ConfigFeedConfig config(String bootstrapServers, Path snapshotFile) {
    return new ConfigFeedConfig(
        bootstrapServers,
        ConfigTopics.DEFAULT,
        snapshotFile,
        Duration.ofMillis(200),
        GRACE,
        Duration.ofMillis(100),
        Duration.ofMillis(200),
        Map.of());
  }

  @Test
  void a_node_restarted_while_kafka_is_down_serves_its_last_state_once_the_grace_is_over(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("node-a/config.json");
    ConfigState lastGood;
    String deadKafka;
    try (KafkaBroker kafka = KafkaBroker.start()) {
      deadKafka = kafka.bootstrapServers();
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, ConfigTopics.DEFAULT, 2)) {
        publisher
            .deployment(deployment("t-1", "api-1", "prod", "dep-1"))
            .key(key("tpk_alice_secret", "key-a", KeyStatus.ENABLED))
            .plan(plan("t-1", "plan-1", "Gold"))
            .quotaState(quota("t-1", "key-a", "plan-1", 7))
            .flush();
      }
      try (ConfigFeed feed =
          ConfigFeed.start(
              config(kafka.bootstrapServers(), file),
              new RecordingListener(),
              new SimpleMeterRegistry())) {
        awaitReady(feed);
        lastGood = feed.state();
      }
    }
    assertThat(lastGood.size()).isEqualTo(4);
    byte[] savedBytes = Files.readAllBytes(file);

    AtomicLong publishedAt = new AtomicLong();
    AtomicLong readyAt = new AtomicLong();
    RecordingListener listener = new RecordingListener();
    long startedAt = System.nanoTime();
    try (ConfigFeed feed =
        ConfigFeed.start(
            config(deadKafka, file),
            state -> {
              publishedAt.compareAndSet(0, System.nanoTime());
              listener.accept(state);
            },
            new SimpleMeterRegistry())) {
      // Wait on the very future that records the time: a second copy of firstReady() could wake
      // this thread before the recording action has run.
      feed.firstReady()
          .thenRun(() -> readyAt.set(System.nanoTime()))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(listener.states()).hasSize(1);
      ConfigState cold = listener.last();
      assertThat(cold.sameContentAs(lastGood)).isTrue();
      assertThat(cold.version()).isEqualTo(lastGood.version());
      assertThat(feed.state()).isSameAs(cold);
      assertThat(publishedAt.get()).as("published before ready").isLessThan(readyAt.get());
      assertThat(readyAt.get() - startedAt)
          .as("ready only after the grace")
          .isGreaterThanOrEqualTo(GRACE.toNanos());
    }
    assertThat(Files.readAllBytes(file))
        .as("a node that never caught up leaves the last good snapshot alone")
        .isEqualTo(savedBytes);
  }

  @Test
  void a_node_serving_its_snapshot_file_switches_to_kafka_when_kafka_comes_back(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("config.json");
    DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
    DeploymentSnapshot beta = deployment("t-1", "api-1", "beta", "dep-2");
    try (KafkaBroker kafka = KafkaBroker.startRestartable();
        ConfigPublisher publisher = ConfigPublisher.create(kafka, ConfigTopics.DEFAULT, 1)) {
      publisher.deployment(prod).flush();
      try (ConfigFeed feed =
          ConfigFeed.start(
              config(kafka.bootstrapServers(), file),
              new RecordingListener(),
              new SimpleMeterRegistry())) {
        awaitReady(feed);
      }
      kafka.stopBroker();

      RecordingListener listener = new RecordingListener();
      try (ConfigFeed feed =
          ConfigFeed.start(
              config(kafka.bootstrapServers(), file), listener, new SimpleMeterRegistry())) {
        awaitReady(feed);
        ConfigState fromDisk = feed.state();
        assertThat(listener.states()).containsExactly(fromDisk);

        kafka.restartBroker();
        publisher.deployment(beta).flush();

        Await.until(
            WAIT,
            () -> feed.state().deployments().size() == 2,
            "the feed reads Kafka again and applies what was published since");
        assertThat(listener.states().get(1).version()).isGreaterThan(fromDisk.version());
        assertThat(feed.ready()).isTrue();
        Await.until(
            WAIT,
            () -> new SnapshotFile(file).load().map(s -> s.deployments().size() == 2).orElse(false),
            "the state read from Kafka is saved");
      }
    }
  }

  @Test
  void a_corrupt_snapshot_file_is_ignored_and_the_node_stays_unready_without_kafka(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "not a snapshot");
    RecordingListener listener = new RecordingListener();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ConfigFeed feed =
        ConfigFeed.start(config(FeedThreads.deadKafkaAddress(), file), listener, registry)) {
      Await.holdsFor(
          GRACE.multipliedBy(2),
          () ->
              !feed.ready()
                  && listener.count() == 0
                  && registry.get("turnpike.config.ready").gauge().value() == 0,
          "the node to stay unready with nothing published");
    }
    assertThat(Files.readString(file)).isEqualTo("not a snapshot");
  }
}
