package dev.turnpike.metering.node;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventEncoder;
import dev.turnpike.metering.MeteringFixture;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events aggregated per second by one metering instance against a real Kafka and PostgreSQL on this
 * machine. Not part of the normal build (the name does not end in Test); run it with {@code
 * infra/bench/metering.sh} or
 *
 * <pre>
 * ./mvnw -o -B verify -pl metering -am -Dtest=AggregationThroughputBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.events=1000000] [-Dbench.keys=1000]
 * </pre>
 *
 * <p>The events are produced first (with 2% of ids repeated as producer retries), then metering
 * starts and the clock runs until the aggregates hold every distinct event: the figure includes
 * joining the group, the dedup claims, the upserts at four granularities, the key-use updates and
 * the quota worker publishing states for every key touched.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class AggregationThroughputBenchmark {
  private static final int EVENTS = Integer.getInteger("bench.events", 500_000);
  private static final int KEYS = Integer.getInteger("bench.keys", 1_000);
  private static final int TENANTS = 10;
  private static final int PARTITIONS = 6;

  @Test
  void aggregates_events_from_kafka_into_postgres(TestDatabase database) throws Exception {
    MeteringFixture fixture = new MeteringFixture(database.ownerDataSource());
    List<String[]> keys = seedKeys(fixture);
    try (KafkaBroker kafka = KafkaBroker.start()) {
      kafka.createTopic(Topics.USAGE, PARTITIONS, false);
      kafka.createTopic(Topics.QUOTA_STATE, PARTITIONS, true);
      long distinct = produce(kafka, keys);
      Map<String, String> env = MeteringEnv.of(database, kafka.bootstrapServers());
      env.put("TURNPIKE_METERING_POLL_MS", "200");
      long start = System.nanoTime();
      long jvmCpuStart = jvmCpuNanos();
      try (MeteringService service =
          MeteringService.start(
              MeteringSettings.fromEnvironment(env), List.of(), Clock.systemUTC())) {
        // Watching metering's own counter keeps the database free for the work measured.
        Await.until(
            patience(),
            () -> counted(service) >= distinct,
            () -> "counted " + counted(service) + " of " + distinct);
        double seconds = (System.nanoTime() - start) / 1e9;
        Await.until(
            Duration.ofSeconds(30),
            () -> calls(fixture) == distinct,
            () -> "aggregated " + calls(fixture) + " of " + distinct);
        double meteringCpu = meteringThreadsCpuNanos() / 1e9;
        double jvmCpu = (jvmCpuNanos() - jvmCpuStart) / 1e9;
        double postgresCpu = postgresBackendCpuSeconds(database.name());
        double cpuSeconds = jvmCpu + postgresCpu;
        System.out.printf(
            "metering benchmark: %,d events (%,d distinct, %,.0f duplicates dropped, %,d keys, %d"
                + " partitions) aggregated in %.1f s: %,.0f events/s; %.1f CPU s (%.1f this JVM with"
                + " Kafka, %.1f the database's backends): %,.0f events per CPU second; metering's"
                + " own threads %.1f CPU s, with the backends %,.0f events per CPU second; load average"
                + " %.1f on %d cores%n",
            EVENTS,
            distinct,
            service.registry().counter("turnpike_metering_events_duplicate").count(),
            KEYS,
            PARTITIONS,
            seconds,
            EVENTS / seconds,
            cpuSeconds,
            jvmCpu,
            postgresCpu,
            EVENTS / cpuSeconds,
            meteringCpu,
            EVENTS / (meteringCpu + postgresCpu),
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            Runtime.getRuntime().availableProcessors());
      }
    }
  }

  /**
   * How long the aggregation may take: ten minutes, or longer for a large run. With many keys
   * nearly every event adds rows rather than updating them (1,000,000 events over 100,000 keys make
   * over a million aggregate rows), and on a shared 2-core machine at a load average of 20-36 that
   * ran at about 1,000 events/s: 1M events did not fit in ten minutes. The bound allows 500/s.
   */
  private static Duration patience() {
    return Duration.ofSeconds(Math.max(600, EVENTS / 500));
  }

  private static double counted(MeteringService service) {
    return service.registry().counter("turnpike_metering_events_counted").count();
  }

  /** CPU time of the threads metering runs (the in-process broker's are not among them). */
  private static long meteringThreadsCpuNanos() {
    var threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("metering-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time of the PostgreSQL backends serving this database (their process title names it), from
   * /proc: the machine is shared, so wall-clock rates depend on the neighbours' load.
   */
  private static double postgresBackendCpuSeconds(String databaseName) throws IOException {
    double ticks = 0;
    try (var processes = Files.list(Path.of("/proc"))) {
      for (Path process :
          processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String command = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
          if (command.startsWith("postgres: ") && command.contains(" " + databaseName + " ")) {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          }
        } catch (IOException | RuntimeException e) {
          // The process ended while being read.
        }
      }
    }
    return ticks / 100.0;
  }

  private static long calls(MeteringFixture fixture) {
    return fixture.queryLong(
        "SELECT coalesce(sum(calls), 0) FROM usage_aggregates WHERE granularity = 'month'");
  }

  /**
   * {tenant, plan, app, key} ids: KEYS keys spread over TENANTS tenants, each a plan with a quota.
   */
  private static List<String[]> seedKeys(MeteringFixture fixture) {
    List<String[]> keys = new ArrayList<>();
    for (int t = 0; t < TENANTS; t++) {
      MeteringFixture.Subscriber first =
          fixture.subscriber(1_000_000_000L, 0, "MONTH", Instant.now());
      fixture.execute(
          "INSERT INTO api_keys (id, tenant_id, app_id, key_hash, prefix)"
              + " SELECT gen_random_uuid(), ?::uuid, ?::uuid,"
              + " encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'tpk_bench'"
              + " FROM generate_series(2, ?)",
          first.tenantId(),
          first.appId(),
          KEYS / TENANTS);
      List<String> ids =
          fixture.queryStrings(
              "SELECT id::text FROM api_keys WHERE tenant_id = ?::uuid", first.tenantId());
      for (String keyId : ids) {
        keys.add(new String[] {first.tenantId(), first.planId(), first.appId(), keyId});
      }
    }
    return keys;
  }

  private static long produce(KafkaBroker kafka, List<String[]> keys) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Instant now = Instant.now();
    List<UsageEvent> recent = new ArrayList<>();
    long distinct = 0;
    try (KafkaProducer<String, byte[]> producer = kafka.newProducer()) {
      for (int i = 0; i < EVENTS; i++) {
        UsageEvent event;
        if (!recent.isEmpty() && random.nextInt(50) == 0) {
          event = recent.get(random.nextInt(recent.size()));
        } else {
          String[] key = keys.get(random.nextInt(keys.size()));
          event =
              UsageEvent.builder()
                  .eventId(UUID.randomUUID())
                  .tenantId(key[0])
                  .apiId("api-" + random.nextInt(3))
                  .stage("prod")
                  .routeKey("GET /items")
                  .keyId(key[3])
                  .appId(key[2])
                  .planId(key[1])
                  .status(random.nextInt(20) == 0 ? 500 : 200)
                  .outcome(Outcome.SERVED)
                  .latencyMicros(random.nextLong(100, 50_000))
                  .bytesIn(random.nextLong(0, 2_000))
                  .bytesOut(random.nextLong(100, 20_000))
                  // A minute of traffic in time order, as gateways send it.
                  .timestamp(now.minusMillis(60_000L - 60_000L * i / EVENTS))
                  .nodeId("node-" + random.nextInt(4))
                  .build();
          distinct++;
          if (recent.size() < 10_000) {
            recent.add(event);
          }
        }
        producer.send(
            new ProducerRecord<>(
                Topics.USAGE, event.keyId(), new UsageEventEncoder().encode(event)));
      }
      producer.flush();
    }
    return distinct;
  }
}
