package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.CpuClock;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many owners at once on the management API: each owner its own tenant, token and client, all
 * running a mixed workload of reads and writes on their own tenant against the real control plane
 * (real HTTP, real token checks, a real embedded PostgreSQL, the outbox relay publishing to a real
 * in-process Kafka broker). Not part of the normal build (the name does not end in Test); run it
 * with {@code infra/bench/control-plane.sh [owners] [seconds]} or
 *
 * <pre>
 * ./mvnw -o -B verify -pl control-plane -am -Dtest=ManagementApiLoadBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.owners=100] [-Dbench.seconds=60] \
 *     [-Dbench.warmup=10] [-Dbench.pool=10] [-Dbench.jfr=target/load.jfr]
 * </pre>
 *
 * <p>Each owner's client is closed-loop (the next request when one returns): what is measured is
 * the throughput at saturation and the latency under it. The control plane runs with its production
 * pool size ({@code TURNPIKE_CP_DB_POOL_SIZE}, 10, unless {@code bench.pool} says otherwise), so
 * the pool, not the clients, bounds the database connections; the benchmark samples {@code
 * pg_stat_activity} every second to show it does. Any answer that is not 2xx fails the run after
 * the report, with the first ones printed.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class ManagementApiLoadBenchmark {
  private static final int OWNERS = Integer.getInteger("bench.owners", 100);
  private static final int SECONDS = Integer.getInteger("bench.seconds", 60);
  private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 10);
  private static final int POOL_SIZE = Integer.getInteger("bench.pool", 10);

  /** The relay's pool of the system login, fixed in {@code Database}. */
  private static final int SYSTEM_POOL_SIZE = 2;

  private static final Path REPORT = Path.of("target", "control-plane-load-benchmark.txt");

  /** Names of the load side's threads, so their CPU time can be told from the control plane's. */
  static final String CLIENT_THREADS = "bench-owner-";

  static final String HTTP_THREADS = "bench-http-";

  @Test
  void serves_many_owners_reading_and_writing_at_once(TestDatabase db) throws Exception {
    Files.deleteIfExists(REPORT);
    try (KafkaBroker kafka = KafkaBroker.start();
        TestControlPlane cp =
            TestControlPlane.start(
                db,
                kafka.bootstrapServers(),
                Map.of(
                    "TURNPIKE_CP_DB_POOL_SIZE",
                    Integer.toString(POOL_SIZE),
                    // The production defaults, where the test environment polls faster.
                    "TURNPIKE_CP_OUTBOX_POLL_MS",
                    "250",
                    "TURNPIKE_CP_KAFKA_TOPIC_PARTITIONS",
                    "3",
                    // Every owner creates keys for the whole run on one app; the default cap (10
                    // per app) is a product rule, not what is measured here.
                    "TURNPIKE_CP_DEFAULT_KEYS_PER_APP",
                    "1000"));
        ExecutorService httpThreads =
            Executors.newFixedThreadPool(
                2, Thread.ofPlatform().daemon().name(HTTP_THREADS, 0).factory());
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(httpThreads)
                .build()) {
      Duration tokenLife = Duration.ofSeconds(SECONDS + WARMUP_SECONDS + 600L);
      List<OwnerLoad> owners = new ArrayList<>();
      for (int i = 0; i < OWNERS; i++) {
        String subject = "bench-owner-" + i;
        String token =
            cp.identity()
                .sign(
                    cp.identity()
                        .claims(subject)
                        .put("exp", System.currentTimeMillis() / 1000 + tokenLife.toSeconds()));
        owners.add(new OwnerLoad(http, cp.controlPlane().port(), token, i));
      }
      Run run = run(owners, db);
      List<String> lines = run.report();
      for (String line : lines) {
        report(line);
      }
      assertThat(run.errors()).as("requests that failed (see the report)").isEmpty();
    }
  }

  /** What one run measured. */
  record Run(
      int owners,
      double seconds,
      Map<OwnerLoad.Operation, Latencies> latencies,
      List<String> errors,
      long errorCount,
      ConnectionSampler.Peaks connections,
      double jvmCpu,
      double clientCpu,
      double databaseCpu,
      double otherCpu,
      double loadAverage) {
    List<String> report() {
      long total = latencies.values().stream().mapToLong(Latencies::count).sum();
      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              "control-plane load benchmark: %d owners, each its own tenant, token and client,"
                  + " closed-loop, %.0f%% reads / %.0f%% writes, %d s after a %d s warm-up",
              owners,
              100.0 * OwnerLoad.Operation.readShare(),
              100.0 * (1 - OwnerLoad.Operation.readShare()),
              SECONDS,
              WARMUP_SECONDS));
      lines.add(
          String.format(
              "%-16s %8s %8s %8s %8s %7s",
              "operation", "count", "p50 ms", "p99 ms", "max ms", "errors"));
      Latencies reads = new Latencies();
      Latencies writes = new Latencies();
      for (var entry : latencies.entrySet()) {
        lines.add(entry.getValue().line(entry.getKey().label));
        (entry.getKey().write ? writes : reads).addAll(entry.getValue());
      }
      lines.add(reads.line("all reads"));
      lines.add(writes.line("all writes"));
      lines.add(
          String.format(
              "database: pool of %d connections (app login) + %d (outbox relay's system login);"
                  + " pg_stat_activity every 1 s, %d samples: peak %d connections open to the"
                  + " database (%d of the app login), peak %d running a statement, peak %d of"
                  + " the app login in a transaction",
              POOL_SIZE,
              SYSTEM_POOL_SIZE,
              connections.samples(),
              connections.open(),
              connections.appOpen(),
              connections.active(),
              connections.appInTransaction()));
      lines.addAll(errors);
      lines.add(
          String.format(
              "CPU over the %.1f s: this JVM %.1f s (load clients %.1f s; control plane, Kafka"
                  + " broker and token issuer %.1f s), PostgreSQL backends %.1f s, other processes"
                  + " %.1f s; load average %.1f on %d cores",
              seconds,
              jvmCpu,
              clientCpu,
              jvmCpu - clientCpu,
              databaseCpu,
              otherCpu,
              loadAverage,
              Runtime.getRuntime().availableProcessors()));
      double serverCpu = jvmCpu - clientCpu + databaseCpu;
      lines.add(
          String.format(
              "control-plane load benchmark: %,d requests in %.1f s: %,.0f requests/s, %,d"
                  + " errors; p99 reads %.1f ms, writes %.1f ms; %.2f ms of control-plane and"
                  + " database CPU per request; peak %d database connections (pool %d + %d)",
              total,
              seconds,
              total / seconds,
              errorCount,
              reads.percentile(0.99) / 1e6,
              writes.percentile(0.99) / 1e6,
              1000 * serverCpu / total,
              connections.open(),
              POOL_SIZE,
              SYSTEM_POOL_SIZE));
      return lines;
    }
  }

  private static Run run(List<OwnerLoad> owners, TestDatabase db) throws Exception {
    ExecutorService clients =
        Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name(CLIENT_THREADS, 0).factory());
    try (ConnectionSampler sampler = new ConnectionSampler(db)) {
      // Every owner sets up their tenant at once; a failure there fails the run, naming the
      // request, before anything is measured.
      List<Future<?>> done = new ArrayList<>();
      for (OwnerLoad owner : owners) {
        done.add(
            clients.submit(
                () -> {
                  owner.setUp();
                  return null;
                }));
      }
      for (Future<?> owner : done) {
        owner.get();
      }
      done.clear();
      long warmupEnd = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
      long until = warmupEnd + SECONDS * 1_000_000_000L;
      for (OwnerLoad owner : owners) {
        done.add(
            clients.submit(
                () -> {
                  owner.run(warmupEnd, until);
                  return null;
                }));
      }
      Thread.sleep(Math.max(0, (warmupEnd - System.nanoTime()) / 1_000_000));
      double jvmBefore = CpuClock.jvmSeconds();
      Map<Long, Long> clientsBefore = clientThreadCpu();
      double dbBefore = CpuClock.postgresSeconds(db.name());
      double machineBefore = CpuClock.machineBusySeconds();
      sampler.start();
      Recording recording = profiling();
      for (Future<?> owner : done) {
        owner.get();
      }
      if (recording != null) {
        recording.dump(Path.of(System.getProperty("bench.jfr")));
        recording.close();
      }
      double seconds = (System.nanoTime() - warmupEnd) / 1e9;
      double jvm = CpuClock.jvmSeconds() - jvmBefore;
      double clientCpu = clientCpuSince(clientsBefore);
      double dbCpu = CpuClock.postgresSeconds(db.name()) - dbBefore;
      double other = Math.max(0, CpuClock.machineBusySeconds() - machineBefore - jvm - dbCpu);
      ConnectionSampler.Peaks peaks = sampler.stop();
      Map<OwnerLoad.Operation, Latencies> latencies = new EnumMap<>(OwnerLoad.Operation.class);
      List<String> errors = new ArrayList<>();
      long errorCount = 0;
      for (OwnerLoad owner : owners) {
        owner
            .latencies()
            .forEach((op, l) -> latencies.computeIfAbsent(op, k -> new Latencies()).addAll(l));
        errorCount += owner.errorCount();
        for (String error : owner.errors()) {
          if (errors.size() < 20) {
            errors.add("  error: " + error);
          }
        }
      }
      return new Run(
          owners.size(),
          seconds,
          latencies,
          errors,
          errorCount,
          peaks,
          jvm,
          clientCpu,
          dbCpu,
          other,
          CpuClock.loadAverage());
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * A flight recording of the measured run when {@code -Dbench.jfr=<file>} asks for one: started
   * after the set-up and the warm-up, so neither is in it.
   */
  private static Recording profiling() throws IOException, ParseException {
    if (System.getProperty("bench.jfr") == null) {
      return null;
    }
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.start();
    return recording;
  }

  /**
   * CPU time of the load side's threads (the owners' clients, the HTTP client's executor and
   * selector) by thread id: {@link #clientCpuSince} counts what each spent since this reading.
   */
  private static Map<Long, Long> clientThreadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> nanos = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      String name = info.getThreadName();
      if (name.startsWith(CLIENT_THREADS)
          || name.startsWith(HTTP_THREADS)
          || name.startsWith("HttpClient-")) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          nanos.put(info.getThreadId(), cpu);
        }
      }
    }
    return nanos;
  }

  /** Seconds the load side's threads spent since {@code before}; a thread that ended is lost. */
  private static double clientCpuSince(Map<Long, Long> before) {
    long nanos = 0;
    for (var thread : clientThreadCpu().entrySet()) {
      nanos += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
    }
    return nanos / 1e9;
  }

  /**
   * Prints a line and appends it to {@code target/control-plane-load-benchmark.txt} at once: the
   * test's own output file is complete only when the run ends.
   */
  private static void report(String line) throws IOException {
    System.out.println(line);
    Files.writeString(
        REPORT,
        line + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
