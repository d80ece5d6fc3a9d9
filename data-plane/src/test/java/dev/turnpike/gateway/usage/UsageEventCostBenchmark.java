package dev.turnpike.gateway.usage;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventEncoder;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a usage event costs a gateway node (issue 21: bytes and CPU per event), not part of the
 * normal build (no {@code *Test} name); run it with {@code infra/bench/usage-events.sh}, or
 *
 * <pre>
 * ./mvnw -B verify -pl data-plane -am -Dtest=UsageEventCostBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.events=1000000]
 * </pre>
 *
 * <ol>
 *   <li>On the event loop: building the full chain's event and encoding it, CPU time of the one
 *       thread doing it, and the encoded size.
 *   <li>Off it: the node's {@link KafkaUsagePublisher} (its real producer settings: lz4, linger 50
 *       ms, batches of 128 KiB, acks=all, idempotent) sending the events to an in-process broker at
 *       a steady pace until Kafka acknowledged every one; CPU time of the publisher's thread and
 *       the producer's network thread (the broker's threads, in the same JVM, are not counted), and
 *       the bytes the producer sent per event after compression.
 * </ol>
 *
 * The report goes to stdout and {@code data-plane/target/usage-event-cost.txt}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UsageEventCostBenchmark {
  private static final int EVENTS = Integer.getInteger("bench.events", 1_000_000);
  private static final int PACE_PER_SECOND = Integer.getInteger("bench.pace", 20_000);
  // Producer settings to compare within one run, e.g. "default;linger.ms=50;compression.type=zstd"
  // (variants split by ';', settings of a variant by ','), each sent ROUNDS times, alternating.
  private static final String VARIANTS = System.getProperty("bench.variants", "default");
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 1);
  private static final Path REPORT = Path.of("target", "usage-event-cost.txt");
  private static final String NODE = "bench-node";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final StringBuilder report = new StringBuilder();

  @TempDir Path spool;

  @Test
  void measures_what_an_event_costs_the_node(KafkaBroker broker) throws Exception {
    broker.createTopic(Topics.USAGE, 6, false);
    Ids ids = new Ids(10_000);
    encodeOnTheLoop(ids);
    List<Map<String, String>> variants = variants();
    // Round 0, not reported, so the JIT has compiled the publishing path before the first variant.
    for (int round = 0; round <= ROUNDS; round++) {
      for (Map<String, String> overrides : variants) {
        publish(broker, ids, overrides, round);
      }
    }
    String text = report.toString();
    System.out.print(text);
    Files.writeString(REPORT, text);
  }

  private void encodeOnTheLoop(Ids ids) {
    UsageEventEncoder encoder = new UsageEventEncoder();
    long bytes = 0;
    // As many again first, so the JIT has compiled what is measured.
    for (int i = 0; i < EVENTS; i++) {
      bytes += encoder.encode(ids.event(i)).length;
    }
    bytes = 0;
    long cpu = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < EVENTS; i++) {
      bytes += encoder.encode(ids.event(i)).length;
    }
    long cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
    line(
        "build and encode on the event loop: %,d events, %.0f bytes per event (JSON), %.2f us CPU"
            + " per event",
        EVENTS, (double) bytes / EVENTS, cpuNanos / 1_000.0 / EVENTS);
  }

  private static List<Map<String, String>> variants() {
    List<Map<String, String>> variants = new ArrayList<>();
    for (String variant : VARIANTS.split(";")) {
      Map<String, String> overrides = new LinkedHashMap<>();
      if (!variant.isBlank() && !variant.strip().equals("default")) {
        for (String setting : variant.split(",")) {
          String[] keyValue = setting.strip().split("=", 2);
          overrides.put(keyValue[0], keyValue[1]);
        }
      }
      variants.add(overrides);
    }
    return variants;
  }

  private void publish(KafkaBroker broker, Ids ids, Map<String, String> overrides, int round)
      throws IOException, InterruptedException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    UsagePublisherConfig defaults =
        UsagePublisherConfig.defaults(
            broker.bootstrapServers(), Files.createTempDirectory(spool, "spool"), NODE);
    UsagePublisherConfig config =
        new UsagePublisherConfig(
            defaults.bootstrapServers(),
            defaults.spoolDir(),
            defaults.spoolMaxBytes(),
            defaults.queueCapacity(),
            defaults.unhealthyAfter(),
            defaults.nodeId(),
            overrides);
    try (KafkaUsagePublisher publisher = KafkaUsagePublisher.start(config, registry)) {
      // A first event through, so the producer's connection and metadata are not measured.
      publisher.emit(ids.event(0));
      awaitSettled(registry, 1);
      long cpuBefore = publisherThreadsCpu();
      long publisherCpuBefore = threadCpu("turnpike-usage-publisher-" + NODE);
      long bytesBefore = producerBytesSent();
      long start = System.nanoTime();
      long intervalNanos = 1_000_000_000L / PACE_PER_SECOND;
      for (int i = 1; i <= EVENTS; i++) {
        long due = start + i * intervalNanos;
        while (System.nanoTime() < due) {
          LockSupport.parkNanos(50_000);
        }
        publisher.emit(ids.event(i));
      }
      awaitSettled(registry, EVENTS + 1);
      long cpuNanos = publisherThreadsCpu() - cpuBefore;
      long publisherCpuNanos = threadCpu("turnpike-usage-publisher-" + NODE) - publisherCpuBefore;
      long producerBytes = producerBytesSent() - bytesBefore;
      double dropped = dropped(registry);
      if (round == 0) {
        return;
      }
      Map<String, Object> settings = config.producerProperties();
      line(
          "publish (publisher and producer threads) [round %d, %s; linger.ms=%s batch.size=%s"
              + " compression=%s]: %,d events at %,d/s, %.2f us CPU per event (publisher thread"
              + " %.2f, producer I/O thread %.2f), %.1f bytes per"
              + " event on the wire, %.0f dropped (queue full: the publisher thread did not keep"
              + " up), load average %.2f",
          round,
          overrides.isEmpty() ? "defaults" : overrides.toString(),
          settings.get(ProducerConfig.LINGER_MS_CONFIG),
          settings.get(ProducerConfig.BATCH_SIZE_CONFIG),
          settings.get(ProducerConfig.COMPRESSION_TYPE_CONFIG),
          EVENTS,
          PACE_PER_SECOND,
          cpuNanos / 1_000.0 / EVENTS,
          publisherCpuNanos / 1_000.0 / EVENTS,
          (cpuNanos - publisherCpuNanos) / 1_000.0 / EVENTS,
          (double) producerBytes / EVENTS,
          dropped,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      Files.writeString(REPORT, report); // so far, should a later variant fail
    }
  }

  private long threadCpu(String name) {
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().equals(name)) {
        return threads.getThreadCpuTime(info.getThreadId());
      }
    }
    throw new IllegalStateException("no thread " + name);
  }

  /** CPU time of the node's usage threads: its publisher thread and its producer's I/O thread. */
  private long publisherThreadsCpu() {
    long total = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      String name = info.getThreadName();
      if (name.equals("turnpike-usage-publisher-" + NODE)
          || name.equals("kafka-producer-network-thread | turnpike-usage-" + NODE)) {
        total += threads.getThreadCpuTime(info.getThreadId());
      }
    }
    return total;
  }

  /** The producer's own count of the bytes it sent to the broker (its JMX producer-metrics). */
  private static long producerBytesSent() {
    try {
      Object total =
          ManagementFactory.getPlatformMBeanServer()
              .getAttribute(
                  new ObjectName(
                      "kafka.producer:type=producer-metrics,client-id=turnpike-usage-" + NODE),
                  "outgoing-byte-total");
      return ((Number) total).longValue();
    } catch (JMException e) {
      throw new IllegalStateException("the producer's outgoing-byte-total is not readable", e);
    }
  }

  /** Waits until every event emitted was acknowledged by Kafka or dropped (and counted). */
  private static void awaitSettled(SimpleMeterRegistry registry, long count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (sent(registry) + dropped(registry) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Kafka acknowledged "
                + sent(registry)
                + " and the node dropped "
                + dropped(registry)
                + " of "
                + count
                + " events within 5 minutes");
      }
      Thread.sleep(20);
    }
  }

  private static double sent(SimpleMeterRegistry registry) {
    return registry.get(UsageMetrics.SENT).counter().count();
  }

  private static double dropped(SimpleMeterRegistry registry) {
    return registry.find(UsageMetrics.DROPPED).counters().stream().mapToDouble(c -> c.count()).sum()
        + registry.find(UsageMetrics.DROPPED).functionCounters().stream()
            .mapToDouble(c -> c.count())
            .sum();
  }

  private void line(String format, Object... args) {
    report.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  /** The full chain's event of a request with a key, with ids shaped as the platform's. */
  private record Ids(String[] keyIds, String tenantId, String apiId, String appId, String planId) {
    Ids(int keys) {
      this(keyIds(keys), uuid(), uuid(), uuid(), uuid());
    }

    private static String[] keyIds(int keys) {
      String[] ids = new String[keys];
      for (int i = 0; i < keys; i++) {
        ids[i] = uuid();
      }
      return ids;
    }

    private static String uuid() {
      return UUID.randomUUID().toString();
    }

    UsageEvent event(int i) {
      return UsageEvent.builder()
          .eventId(RequestIds.next())
          .tenantId(tenantId)
          .apiId(apiId)
          .stage("prod")
          .routeKey("GET /pets/{id}")
          .keyId(keyIds[i % keyIds.length])
          .appId(appId)
          .planId(planId)
          .status(200)
          .outcome(Outcome.SERVED)
          .latencyMicros(1_234)
          .bytesIn(0)
          .bytesOut(321)
          .timestamp(Instant.now())
          .nodeId(NODE)
          .build();
    }
  }
}
