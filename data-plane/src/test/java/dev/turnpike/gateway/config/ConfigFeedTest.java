package dev.turnpike.gateway.config;

import static dev.turnpike.gateway.config.ConfigFixtures.deployment;
import static dev.turnpike.gateway.config.ConfigFixtures.key;
import static dev.turnpike.gateway.config.ConfigFixtures.plan;
import static dev.turnpike.gateway.config.ConfigFixtures.quota;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class ConfigFeedTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  private final ConfigTopics topics = ConfigFixtures.uniqueTopics();
  private final RecordingListener listener = new RecordingListener();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  static ConfigFeedConfig config(
      String bootstrapServers, ConfigTopics topics, Path snapshotFile, Map<String, String> more) {
    return new ConfigFeedConfig(
        bootstrapServers,
        topics,
        snapshotFile,
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        Duration.ofMillis(100),
        Duration.ofMillis(200),
        more);
  }

  private ConfigFeed start(KafkaBroker kafka, Path dir) {
    return start(kafka, dir, Map.of());
  }

  private ConfigFeed start(KafkaBroker kafka, Path dir, Map<String, String> overrides) {
    return ConfigFeed.start(
        config(kafka.bootstrapServers(), topics, dir.resolve("config.json"), overrides),
        listener,
        registry);
  }

  static void awaitReady(ConfigFeed feed) throws Exception {
    feed.firstReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static String deploymentKey(DeploymentSnapshot d) {
    return Topics.deploymentKey(d.tenantId(), d.apiId(), d.stage());
  }

  @Nested
  class CatchingUp {
    @Test
    void reaches_ready_after_reading_everything_already_in_the_topics(
        KafkaBroker kafka, @TempDir Path dir) throws Exception {
      DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
      DeploymentSnapshot beta = deployment("t-1", "api-1", "beta", "dep-2");
      KeyRecord alice = key("tpk_alice_secret", "key-a", KeyStatus.ENABLED);
      KeyRecord bob = key("tpk_bob_secret", "key-b", KeyStatus.DISABLED);
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 2)) {
        publisher
            .deployment(prod)
            .deployment(beta)
            .key(alice)
            .key(bob)
            .plan(plan("t-1", "plan-1", "Gold"))
            .quotaState(quota("t-1", "key-a", "plan-1", 42))
            .flush();
      }

      try (ConfigFeed feed = start(kafka, dir)) {
        assertThat(feed.ready()).isFalse();
        awaitReady(feed);

        ConfigState state = feed.state();
        assertThat(feed.ready()).isTrue();
        assertThat(state.deployments())
            .containsOnlyKeys(deploymentKey(prod), deploymentKey(beta))
            .containsEntry(deploymentKey(prod), prod);
        assertThat(state.keysByHash())
            .containsOnlyKeys(alice.keyHash(), bob.keyHash())
            .containsEntry(alice.keyHash(), alice);
        assertThat(state.plans()).containsOnlyKeys("t-1/plan-1");
        assertThat(state.quotaStates()).containsOnlyKeys("key-a/plan-1");
        assertThat(state.quotaStates().get("key-a/plan-1").used()).isEqualTo(42);
        assertThat(listener.states()).containsExactly(state);
      }
    }

    private record WhenReady(ConfigState state, int listenerCalls, boolean fileExisted) {}

    @Test
    void is_not_ready_until_every_record_already_published_is_applied(
        KafkaBroker kafka, @TempDir Path dir) throws Exception {
      int keys = 3000;
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 3)) {
        for (int i = 0; i < keys; i++) {
          publisher.key(key("tpk_key_" + i, "key-" + i, KeyStatus.ENABLED));
        }
        publisher.flush();
      }

      // Small batches make catching up take many polls, each a chance to turn ready too early.
      try (ConfigFeed feed = start(kafka, dir, Map.of("max.poll.records", "50"))) {
        // One record set once: the test waits for it, then reads all three fields it holds.
        AtomicReference<WhenReady> whenReady = new AtomicReference<>();
        Path file = dir.resolve("config.json");
        feed.firstReady()
            .thenRun(
                () ->
                    whenReady.set(
                        new WhenReady(feed.state(), listener.count(), Files.exists(file))));
        awaitReady(feed);
        Await.until(WAIT, () -> whenReady.get() != null, "the readiness callback ran");

        assertThat(whenReady.get().state().keysByHash()).hasSize(keys);
        assertThat(whenReady.get().listenerCalls())
            .as("the listener is never handed a half-read state")
            .isEqualTo(1);
        assertThat(whenReady.get().fileExisted())
            .as("a half-read state is never saved to the snapshot file")
            .isFalse();
        Await.until(
            WAIT,
            () ->
                new SnapshotFile(file).load().map(s -> s.keysByHash().size() == keys).orElse(false),
            "the caught-up state is saved");
      }
    }

    @Test
    void treats_topics_that_do_not_exist_yet_as_empty_and_reads_them_once_created(
        KafkaBroker kafka, @TempDir Path dir) throws Exception {
      try (ConfigFeed feed = start(kafka, dir)) {
        awaitReady(feed);
        assertThat(feed.state().size()).isZero();
        assertThat(listener.count()).isEqualTo(1);

        DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
        try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 1)) {
          publisher.deployment(prod).flush();
        }

        Await.until(
            WAIT,
            () -> feed.state().deployments().containsKey(deploymentKey(prod)),
            "the deployment on the topic created later is applied");
        assertThat(feed.ready()).isTrue();
      }
    }
  }

  @Nested
  class Updates {
    @Test
    void an_update_replaces_and_a_tombstone_deletes_each_with_a_new_version(
        KafkaBroker kafka, @TempDir Path dir) throws Exception {
      DeploymentSnapshot first = deployment("t-1", "api-1", "prod", "dep-1");
      DeploymentSnapshot redeployed = deployment("t-1", "api-1", "prod", "dep-2");
      KeyRecord alice = key("tpk_alice_secret", "key-a", KeyStatus.ENABLED);
      String deploymentKey = deploymentKey(first);
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 1);
          ConfigFeed feed = start(kafka, dir)) {
        publisher.deployment(first).key(alice).flush();
        Await.until(
            WAIT,
            () -> feed.ready() && feed.state().keysByHash().containsKey(alice.keyHash()),
            "the first deployment and key are applied");
        long firstVersion = feed.state().version();

        publisher.deployment(redeployed).flush();
        Await.until(
            WAIT,
            () -> feed.state().deployments().get(deploymentKey).equals(redeployed),
            "the redeployment replaces the first snapshot");
        long redeployedVersion = feed.state().version();
        assertThat(redeployedVersion).isGreaterThan(firstVersion);

        publisher.tombstone(topics.keys(), alice.keyHash()).flush();
        Await.until(
            WAIT,
            () -> !feed.state().keysByHash().containsKey(alice.keyHash()),
            "the tombstone deletes the key");
        assertThat(feed.state().version()).isGreaterThan(redeployedVersion);
        assertThat(feed.state().deployments()).containsEntry(deploymentKey, redeployed);
        assertThat(feed.ready()).isTrue();

        List<Long> versions = listener.states().stream().map(ConfigState::version).toList();
        assertThat(versions).isSorted().doesNotHaveDuplicates();
        assertThat(listener.last()).isSameAs(feed.state());
      }
    }
  }

  @Nested
  class UndecodableRecords {
    @Test
    void a_record_that_does_not_decode_is_skipped_and_counted_and_the_previous_value_stays(
        KafkaBroker kafka, @TempDir Path dir) throws Exception {
      KeyRecord alice = key("tpk_alice_secret", "key-a", KeyStatus.ENABLED);
      KeyRecord bob = key("tpk_bob_secret", "key-b", KeyStatus.ENABLED);
      KeyRecord fromTheFuture =
          new KeyRecord(
              KeyRecord.SCHEMA_VERSION + 1,
              alice.keyHash(),
              "key-a",
              "tpk_alic",
              "t-1",
              "app-1",
              List.of(),
              KeyStatus.DISABLED,
              null);
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 1);
          ConfigFeed feed = start(kafka, dir)) {
        publisher.key(alice).flush();
        Await.until(
            WAIT,
            () -> feed.state().keysByHash().containsKey(alice.keyHash()),
            "the good key is applied");

        publisher
            .raw(topics.keys(), alice.keyHash(), "{not json".getBytes(StandardCharsets.UTF_8))
            .raw(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(fromTheFuture))
            .key(bob)
            .flush();
        // One partition: once bob is in, the two bad records before him were read.
        Await.until(
            WAIT,
            () -> feed.state().keysByHash().containsKey(bob.keyHash()),
            "the good record after the bad ones is applied");

        assertThat(feed.state().keysByHash()).containsEntry(alice.keyHash(), alice);
        assertThat(
                registry
                    .get("turnpike.config.decode.errors")
                    .tag("topic", topics.keys())
                    .counter()
                    .count())
            .isEqualTo(2.0);
        assertThat(feed.ready()).isTrue();
      }
    }
  }

  @Nested
  class SnapshotFileWriting {
    @Test
    void writes_the_state_once_caught_up_and_again_after_changes(
        KafkaBroker kafka, @TempDir Path dir) throws Exception {
      DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
      KeyRecord alice = key("tpk_alice_secret", "key-a", KeyStatus.ENABLED);
      SnapshotFile file = new SnapshotFile(dir.resolve("config.json"));
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 2);
          ConfigFeed feed = start(kafka, dir)) {
        publisher.deployment(prod).flush();
        awaitReady(feed);
        Await.until(
            WAIT,
            () ->
                file.load()
                    .map(saved -> saved.deployments().containsKey(deploymentKey(prod)))
                    .orElse(false),
            "the caught-up state is saved");
        ConfigState saved = file.load().orElseThrow();
        assertThat(saved.sameContentAs(feed.state())).isTrue();
        assertThat(saved.version()).isEqualTo(feed.state().version());
        assertThat(saved.positions()).containsValue(1L);

        publisher.key(alice).flush();
        Await.until(
            WAIT,
            () -> file.load().map(s -> s.keysByHash().containsKey(alice.keyHash())).orElse(false),
            "the change is saved within the snapshot interval");
      }
    }

    @Test
    void a_change_is_applied_while_a_snapshot_write_is_stuck(KafkaBroker kafka, @TempDir Path dir)
        throws Exception {
      DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
      KeyRecord alice = key("tpk_alice_secret", "key-a", KeyStatus.ENABLED);
      CountDownLatch writing = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      UnaryOperator<OutputStream> stuck =
          out ->
              new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                  writing.countDown();
                  try {
                    // Longer than the wait below: a feed that waited for the write would fail it.
                    release.await(3 * WAIT.toSeconds(), TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    throw new IOException(e);
                  }
                  out.write(b, off, len);
                }
              };
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 2);
          ConfigFeed feed =
              ConfigFeed.start(
                  config(kafka.bootstrapServers(), topics, dir.resolve("config.json"), Map.of()),
                  (state, changes) -> listener.accept(state),
                  registry,
                  stuck)) {
        publisher.deployment(prod).flush();
        awaitReady(feed);
        assertThat(writing.await(WAIT.toSeconds(), TimeUnit.SECONDS))
            .as("the caught-up state's write has started")
            .isTrue();

        publisher.key(alice).flush();
        Await.until(
            WAIT,
            () -> feed.state().keysByHash().containsKey(alice.keyHash()),
            "the change reaches the listener while the write is stuck");
        assertThat(release.getCount()).as("the write was still stuck").isEqualTo(1);
        release.countDown();
      }
    }

    @Test
    void writes_changes_still_pending_when_closed(KafkaBroker kafka, @TempDir Path dir)
        throws Exception {
      DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
      KeyRecord alice = key("tpk_alice_secret", "key-a", KeyStatus.ENABLED);
      SnapshotFile file = new SnapshotFile(dir.resolve("config.json"));
      ConfigFeedConfig rarely =
          new ConfigFeedConfig(
              kafka.bootstrapServers(),
              topics,
              file.path(),
              Duration.ofHours(1),
              Duration.ofSeconds(1),
              Duration.ofMillis(100),
              Duration.ofMillis(200),
              Map.of());
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 1)) {
        publisher.deployment(prod).flush();
        try (ConfigFeed feed = ConfigFeed.start(rarely, listener, registry)) {
          awaitReady(feed);
          Await.until(WAIT, () -> file.load().isPresent(), "the caught-up state is saved");

          publisher.key(alice).flush();
          Await.until(
              WAIT,
              () -> feed.state().keysByHash().containsKey(alice.keyHash()),
              "the new key is applied");
          assertThat(file.load().orElseThrow().keysByHash())
              .as("not saved again within the interval")
              .isEmpty();
        }
      }

      assertThat(file.load().orElseThrow().keysByHash()).containsOnlyKeys(alice.keyHash());
    }

    @Test
    void a_node_started_from_its_snapshot_file_switches_to_the_kafka_state_once_caught_up(
        KafkaBroker kafka, @TempDir Path dir) throws Exception {
      DeploymentSnapshot deletedMeanwhile = deployment("t-1", "api-1", "beta", "dep-old");
      DeploymentSnapshot current = deployment("t-1", "api-1", "prod", "dep-new");
      SnapshotFile file = new SnapshotFile(dir.resolve("config.json"));
      file.save(
          new ConfigState(
              5,
              Map.of(deploymentKey(deletedMeanwhile), deletedMeanwhile),
              Map.of(),
              Map.of(),
              Map.of(),
              Map.of()));
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 1)) {
        publisher.deployment(current).flush();
      }

      try (ConfigFeed feed = start(kafka, dir)) {
        awaitReady(feed);

        List<ConfigState> states = listener.states();
        assertThat(states).hasSize(2);
        assertThat(states.get(0).version()).isEqualTo(5);
        assertThat(states.get(0).deployments()).containsOnlyKeys(deploymentKey(deletedMeanwhile));
        assertThat(states.get(1).version()).isGreaterThan(5);
        assertThat(states.get(1).deployments()).containsOnlyKeys(deploymentKey(current));
        Await.until(
            WAIT,
            () ->
                file.load()
                    .map(s -> s.deployments().containsKey(deploymentKey(current)))
                    .orElse(false),
            "the Kafka state replaces the old one on disk");
      }
    }

    @Test
    void ignores_a_corrupt_snapshot_file_and_waits_for_kafka(KafkaBroker kafka, @TempDir Path dir)
        throws Exception {
      Path path = dir.resolve("config.json");
      Files.writeString(path, "{\"format\":1,\"version\":7,\"deploy");
      DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
      try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 1)) {
        publisher.deployment(prod).flush();
      }

      try (ConfigFeed feed = start(kafka, dir)) {
        awaitReady(feed);
        assertThat(listener.states()).hasSize(1);
        assertThat(listener.states().get(0).deployments()).containsOnlyKeys(deploymentKey(prod));
        Await.until(
            WAIT,
            () -> new SnapshotFile(path).load().isPresent(),
            "the corrupt file is replaced by a good one");
      }
    }
  }

  @Nested
  class Closing {
    @Test
    void close_stops_the_feed_thread_promptly_while_it_polls(KafkaBroker kafka, @TempDir Path dir)
        throws Exception {
      ConfigPublisher.createTopics(kafka, topics, 1);
      Set<Thread> before = FeedThreads.current();
      ConfigFeed feed = start(kafka, dir);
      Thread thread = FeedThreads.startedSince(before);
      awaitReady(feed);

      assertStopsPromptly(feed, thread);
    }

    @Test
    void close_stops_the_feed_thread_promptly_while_kafka_is_unreachable(@TempDir Path dir) {
      Set<Thread> before = FeedThreads.current();
      ConfigFeed feed =
          ConfigFeed.start(
              config(FeedThreads.deadKafkaAddress(), topics, dir.resolve("config.json"), Map.of()),
              listener,
              registry);
      Thread thread = FeedThreads.startedSince(before);
      Await.until(
          WAIT,
          () ->
              Arrays.stream(thread.getStackTrace())
                  .anyMatch(frame -> frame.getClassName().endsWith("KafkaConsumer")),
          "the feed is blocked in a call to Kafka");

      assertStopsPromptly(feed, thread);
      assertThat(feed.firstReady()).isCompletedExceptionally();
      assertThat(listener.count()).isZero();
    }

    private static void assertStopsPromptly(ConfigFeed feed, Thread thread) {
      long started = System.nanoTime();
      feed.close();

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      assertThat(thread.isAlive()).isFalse();
      assertThat(feed.ready()).isFalse();
    }
  }
}
