package dev.turnpike.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.quota.QuotaState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot file's load alone, without Kafka or the compile after it: {@link SaasPlatform}'s
 * state saved once, then loaded {@code bench.loads} times in one JVM on 2 decode threads, each load
 * timed in the process's CPU, the calling (feed) thread's CPU and wall time. The SaaS-scale
 * benchmark's whole-JVM figure also holds the compile and GC, and moves with the machine's load;
 * this one isolates what the file's format and reader cost. Not a unit test (the name keeps it out
 * of the default run):
 *
 * <pre>
 * ./mvnw -o -q verify -pl data-plane -Dtest=SnapshotLoadBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true -DargLine=-Xmx3g \
 *     -Dbench.tenants=2000 -Dbench.deployments=10000 -Dbench.keys=200000
 * </pre>
 *
 * The figures are written to {@code data-plane/target/snapshot-load-benchmark.txt}.
 */
class SnapshotLoadBenchmark {
  private static final Path REPORT = Path.of("target/snapshot-load-benchmark.txt");

  @Test
  void load(@TempDir Path dir) throws IOException {
    SaasPlatform platform =
        new SaasPlatform(
            Integer.getInteger("bench.tenants", 2_000),
            Integer.getInteger("bench.deployments", 10_000),
            Integer.getInteger("bench.keys", 200_000));
    int loads = Integer.getInteger("bench.loads", 7);
    Path path = dir.resolve("config-snapshot.json");
    SnapshotFile file = new SnapshotFile(path, UnaryOperator.identity(), 2, 2_000);
    file.save(state(platform));

    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    StringBuilder report =
        new StringBuilder(
            String.format(
                "snapshot file of %,d keys: %,d bytes; each load: the process's CPU, the calling"
                    + " thread's CPU, wall%n",
                platform.keys(), Files.size(path)));
    for (int i = 1; i <= loads; i++) {
      System.gc();
      long process = os.getProcessCpuTime();
      long caller = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      ConfigState loaded = file.load().orElseThrow();
      report.append(
          String.format(
              "load %d: %.2f s, %.2f s, %.2f s%n",
              i,
              (os.getProcessCpuTime() - process) / 1e9,
              (threads.getCurrentThreadCpuTime() - caller) / 1e9,
              (System.nanoTime() - wall) / 1e9));
      assertThat(loaded.keysByHash()).hasSize(platform.keys());
    }
    Files.writeString(REPORT, report);
  }

  private static ConfigState state(SaasPlatform platform) {
    Map<String, DeploymentSnapshot> deployments = new HashMap<>();
    for (int d = 0; d < platform.deployments(); d++) {
      deployments.put(platform.deploymentKey(d), platform.deployment(d, 0));
    }
    Map<String, PlanRecord> plans = new HashMap<>();
    for (int t = 0; t < platform.tenants(); t++) {
      for (int p = 0; p < SaasPlatform.PLANS_PER_TENANT; p++) {
        plans.put(platform.planKey(t, p), platform.plan(t, p, 100));
      }
    }
    Map<String, KeyRecord> keys = new HashMap<>();
    Map<String, QuotaState> quotas = new HashMap<>();
    for (int k = 0; k < platform.keys(); k++) {
      KeyRecord key = platform.key(k, KeyStatus.ENABLED);
      keys.put(key.keyHash(), key);
      quotas.put(platform.quotaKey(k), platform.quota(k, 5));
    }
    return new ConfigState(
        1,
        deployments,
        keys,
        plans,
        quotas,
        Map.of(new TopicPartition("turnpike.config.keys", 0), 1L));
  }
}
