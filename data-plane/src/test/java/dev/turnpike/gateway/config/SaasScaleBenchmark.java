package dev.turnpike.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.KeyRuntime;
import dev.turnpike.gateway.runtime.StageRuntime;
import dev.turnpike.testkit.kafka.KafkaBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway node's config at SaaS scale: 10,000 tenants, 50,000 stage deployments, 20,000 plans and
 * 1,000,000 keys each with a quota state, published to a real in-process KRaft broker as the
 * control plane's relay and metering publish them. Measures what issue 21 asks for, against its
 * targets:
 *
 * <ul>
 *   <li>cold start from Kafka: a node's {@link ConfigFeed} (with the node's {@link
 *       dev.turnpike.gateway.node.ConfigApplier ConfigApplier} as its listener, compiled as {@link
 *       dev.turnpike.gateway.node.GatewayNode GatewayNode} compiles) from start to ready;
 *   <li>heap after that cold start: used heap after full collections, minus the same taken before
 *       the feed started (the broker, the JVM and the test classes), per key and in total;
 *   <li>one key change and one deployment change: produced to Kafka, timed until the node's runtime
 *       serves it, median and worst of {@value #ROUNDS} after {@value #WARM_UP} to warm up; the
 *       listener's own part (compile and swap) beside it;
 *   <li>cold start from the snapshot file the first node wrote: a second node, Kafka unreachable,
 *       from start to its runtime compiled from the file.
 * </ul>
 *
 * Not part of the normal build (the name does not end in Test); {@code infra/bench/saas-scale.sh}
 * runs it. The report is on stdout and in {@code data-plane/target/saas-scale-benchmark.txt}.
 */
class SaasScaleBenchmark {
  private static final SaasPlatform PLATFORM =
      new SaasPlatform(
          Integer.getInteger("bench.tenants", 10_000),
          Integer.getInteger("bench.deployments", 50_000),
          Integer.getInteger("bench.keys", 1_000_000));
  private static final int PARTITIONS = 3;
  private static final int ROUNDS = 20;
  private static final int WARM_UP = 5;
  private static final int HISTOGRAM_ROWS = Integer.getInteger("bench.histogram.rows", 25);
  private static final double HEAP_TARGET_BYTES_PER_KEY = 1_500;
  private static final double CHANGE_TARGET_MS = 50;
  private static final double COLD_START_TARGET_S = 30;
  private static final Duration WAIT = Duration.ofMinutes(10);
  private static final Path REPORT = Path.of("target", "saas-scale-benchmark.txt");

  private final StringBuilder summary = new StringBuilder();

  @Test
  void measures_a_saas_platform_config_against_the_targets(@TempDir Path dir) throws Exception {
    Files.createDirectories(REPORT.getParent());
    Files.deleteIfExists(REPORT);
    line("load average at the start: %s", loadAverage());
    Path snapshot = dir.resolve("node/config.json");
    line(
        "platform: %,d tenants, %,d deployments of %d routes, %,d plans, %,d keys with a quota"
            + " state each; JVM max heap %,d MB, %d cores",
        PLATFORM.tenants(),
        PLATFORM.deployments(),
        SaasPlatform.ROUTES,
        PLATFORM.plans(),
        PLATFORM.keys(),
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    // Each node lives in a method of its own: a local of this frame would keep the first node's
    // heap reachable while the second one is measured.
    fromKafka(snapshot);
    coldStartFromSnapshot(snapshot);
    line("%nsummary (load average %s):%n%s", loadAverage(), summary.toString().stripTrailing());
  }

  /** The first node: cold start from Kafka, its heap, one change at a time. */
  private void fromKafka(Path snapshot) throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start()) {
      ConfigPublisher.createTopics(kafka, ConfigTopics.DEFAULT, PARTITIONS);
      publishPlatform(kafka);
      long baseline = usedHeapAfterGc();
      line("baseline heap (broker, JVM, no node): %,d MB", baseline >> 20);

      try (ScaleNode node = new ScaleNode()) {
        long started = System.nanoTime();
        long processCpuBefore = processCpuNanos();
        ConfigFeed feed = node.start(feedConfig(kafka.bootstrapServers(), snapshot));
        feed.firstReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        double coldKafka = seconds(System.nanoTime() - started);
        long feedCpu = node.feedCpuNanos();
        long processCpu = processCpuNanos() - processCpuBefore;
        assertComplete(node.runtime());
        line(
            "cold start from Kafka: %.1f s to ready (%,d records read; the full compile %.1f s"
                + " of it; the feed thread's CPU %.1f s, the whole JVM's %.1f s, the broker"
                + " serving the fetches included)",
            coldKafka,
            feed.state().size(),
            node.lastAcceptNanos() / 1e9,
            feedCpu / 1e9,
            processCpu / 1e9);
        verdict("cold start from Kafka", "%.1f s", coldKafka, COLD_START_TARGET_S, "s");

        double saveSeconds = awaitSnapshot(snapshot, started);
        line(
            "snapshot file written by the node (on its writer thread): %,d MB, done %.1f s after"
                + " ready",
            Files.size(snapshot) >> 20, saveSeconds - coldKafka);

        long heap = usedHeapAfterGc() - baseline;
        heapLines("after cold start from Kafka", heap);
        histogram();

        try (KafkaProducer<String, byte[]> producer = producer(kafka, 0)) {
          measureChange(
              "one key change",
              node,
              producer,
              round -> {
                // A different key every round (7,919 is prime), so every record is a change.
                int k = (int) ((round * 7_919L) % PLATFORM.keys());
                KeyRecord key = PLATFORM.key(k, KeyStatus.DISABLED);
                return new Change(
                    new ProducerRecord<>(
                        ConfigTopics.DEFAULT.keys(), key.keyHash(), KeyRecord.CODEC.encode(key)),
                    runtime -> {
                      KeyRuntime live = runtime.keysByHash().get(key.keyHash());
                      return live != null && live.record().equals(key);
                    });
              });
          measureChange(
              "one deployment change",
              node,
              producer,
              round -> {
                int d = (int) ((round * 31L) % PLATFORM.deployments());
                DeploymentSnapshot deployment = PLATFORM.deployment(d, round + 1);
                return new Change(
                    new ProducerRecord<>(
                        ConfigTopics.DEFAULT.deployments(),
                        PLATFORM.deploymentKey(d),
                        DeploymentSnapshot.CODEC.encode(deployment)),
                    runtime -> {
                      StageRuntime live =
                          runtime.stage(
                              SaasPlatform.tenantSlug(d % PLATFORM.tenants()),
                              SaasPlatform.apiSlug(d),
                              SaasPlatform.STAGE);
                      return live != null && live.deployment().equals(deployment);
                    });
              });
        }
      }
      // The first node is closed: its feed saved the state once more on close.
    }
  }

  /** The second node: Kafka is gone, so all it has is the file. */
  private void coldStartFromSnapshot(Path snapshot) throws Exception {
    // Wait for the first node's save on close, which may outlast close(); the rename is atomic.
    Path temporary = snapshot.resolveSibling(snapshot.getFileName() + ".tmp");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (Files.exists(temporary) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    long unused = usedHeapAfterGc();
    line("heap with no node and no broker before the snapshot start: %,d MB", unused >> 20);
    try (ScaleNode node = new ScaleNode()) {
      long started = System.nanoTime();
      long processCpuBefore = processCpuNanos();
      node.start(feedConfig("127.0.0.1:" + closedPort(), snapshot));
      node.awaitFirstState();
      double cold = seconds(node.firstStateAtNanos() - started);
      long processCpu = processCpuNanos() - processCpuBefore;
      assertComplete(node.runtime());
      line(
          "cold start from the snapshot file (Kafka down): %.1f s to the runtime compiled (the"
              + " compile %.1f s of it; the feed thread's CPU %.1f s, the whole JVM's %.1f s);"
              + " ready follows after the cold-start grace",
          cold, node.lastAcceptNanos() / 1e9, node.feedCpuNanos() / 1e9, processCpu / 1e9);
      verdict("cold start from snapshot file", "%.1f s", cold, COLD_START_TARGET_S, "s");
      heapLines("after cold start from the snapshot file", usedHeapAfterGc() - unused);
    }
  }

  private void publishPlatform(KafkaBroker kafka) throws IOException {
    long started = System.nanoTime();
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong acknowledged = new AtomicLong();
    long sent = 0;
    ConfigTopics topics = ConfigTopics.DEFAULT;
    try (KafkaProducer<String, byte[]> producer = producer(kafka, 20)) {
      for (int t = 0; t < PLATFORM.tenants(); t++) {
        for (int p = 0; p < SaasPlatform.PLANS_PER_TENANT; p++) {
          PlanRecord plan = PLATFORM.plan(t, p, 50);
          sent +=
              send(
                  producer,
                  topics.plans(),
                  PLATFORM.planKey(t, p),
                  PlanRecord.CODEC.encode(plan),
                  failure,
                  acknowledged);
        }
      }
      for (int d = 0; d < PLATFORM.deployments(); d++) {
        DeploymentSnapshot deployment = PLATFORM.deployment(d, 0);
        sent +=
            send(
                producer,
                topics.deployments(),
                PLATFORM.deploymentKey(d),
                DeploymentSnapshot.CODEC.encode(deployment),
                failure,
                acknowledged);
      }
      for (int k = 0; k < PLATFORM.keys(); k++) {
        KeyRecord key = PLATFORM.key(k, KeyStatus.ENABLED);
        sent +=
            send(
                producer,
                topics.keys(),
                key.keyHash(),
                KeyRecord.CODEC.encode(key),
                failure,
                acknowledged);
        sent +=
            send(
                producer,
                topics.quotaState(),
                PLATFORM.quotaKey(k),
                QuotaState.CODEC.encode(PLATFORM.quota(k, k % 5_000)),
                failure,
                acknowledged);
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("publishing the platform failed", failure.get());
    }
    assertThat(acknowledged.get()).isEqualTo(sent);
    line(
        "published %,d records to %d partitions per topic in %.1f s",
        sent, PARTITIONS, seconds(System.nanoTime() - started));
  }

  private static int send(
      KafkaProducer<String, byte[]> producer,
      String topic,
      String key,
      byte[] value,
      AtomicReference<Exception> failure,
      AtomicLong acknowledged) {
    producer.send(
        new ProducerRecord<>(topic, key, value),
        (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          } else {
            acknowledged.incrementAndGet();
          }
        });
    return 1;
  }

  /** As the control plane's relay produces config: acks=all, idempotent, zstd. */
  private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka, int lingerMs) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // ConfigRecordLimit.COMPRESSION in the control plane, which this module does not depend on.
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** The production feed settings ({@code GatewayNode}'s), the snapshot file in a temp dir. */
  private static ConfigFeedConfig feedConfig(String bootstrapServers, Path snapshot) {
    return ConfigFeedConfig.defaults(bootstrapServers, snapshot);
  }

  private record Change(ProducerRecord<String, byte[]> record, Predicate<GatewayRuntime> live) {}

  private void measureChange(
      String what, ScaleNode node, KafkaProducer<String, byte[]> producer, IntFunction<Change> make)
      throws Exception {
    long[] endToEnd = new long[ROUNDS];
    long[] accept = new long[ROUNDS];
    for (int round = 0; round < WARM_UP + ROUNDS; round++) {
      Change change = make.apply(round);
      var applied = node.await(change.live());
      long started = System.nanoTime();
      producer.send(change.record());
      long[] done = applied.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (round >= WARM_UP) {
        endToEnd[round - WARM_UP] = done[0] - started;
        accept[round - WARM_UP] = done[1];
      }
    }
    Arrays.sort(endToEnd);
    Arrays.sort(accept);
    double median = endToEnd[ROUNDS / 2] / 1e6;
    double worst = endToEnd[ROUNDS - 1] / 1e6;
    line(
        "%s, produced to live: median %.1f ms, worst %.1f ms; the listener's compile and swap:"
            + " median %.2f ms, worst %.2f ms",
        what, median, worst, accept[ROUNDS / 2] / 1e6, accept[ROUNDS - 1] / 1e6);
    verdict(what + " (median of " + ROUNDS + ")", "%.1f ms", median, CHANGE_TARGET_MS, "ms");
    verdict(what + " (worst of " + ROUNDS + ")", "%.1f ms", worst, CHANGE_TARGET_MS, "ms");
  }

  private static void assertComplete(GatewayRuntime runtime) {
    assertThat(runtime.keysByHash()).hasSize(PLATFORM.keys());
    assertThat(runtime.stages()).hasSize(PLATFORM.deployments());
  }

  /**
   * The CPU time the whole JVM has used: the feed thread's alone misses the pools a cold start
   * decodes and compiles on.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Seconds since start when the node's first snapshot file is complete. */
  private static double awaitSnapshot(Path snapshot, long started) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(snapshot)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the node wrote no snapshot file within " + WAIT);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
    return seconds(System.nanoTime() - started);
  }

  private void heapLines(String when, long bytes) throws IOException {
    double perKey = (double) bytes / PLATFORM.keys();
    line(
        "heap %s: %,d MB over the baseline, %,.0f B per key (all config counted against the keys)",
        when, bytes >> 20, perKey);
    verdict("heap per key " + when, "%,.0f B", perKey, HEAP_TARGET_BYTES_PER_KEY, "B");
  }

  /** What holds the heap, largest first: the class histogram after a full collection. */
  private void histogram() throws Exception {
    if (HISTOGRAM_ROWS <= 0) {
      return;
    }
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    line("class histogram, top %d:", HISTOGRAM_ROWS);
    for (String row : histogram.lines().limit(HISTOGRAM_ROWS + 2L).toList()) {
      line("  %s", row);
    }
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private void verdict(String figure, String format, double value, double target, String unit) {
    String text =
        String.format(
            "%-52s %14s   target < %s %s   %s",
            figure,
            String.format(format, value),
            target == Math.rint(target) ? String.format("%,.0f", target) : target,
            unit,
            value < target ? "PASS" : "OVER");
    summary.append(text).append('\n');
  }

  /** Prints a line and appends it to the report file at once, so a long run can be followed. */
  private void line(String format, Object... args) throws IOException {
    String text = String.format(format, args);
    System.out.println("[saas-scale] " + text);
    Files.writeString(REPORT, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
