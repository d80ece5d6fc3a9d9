package dev.turnpike.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.Versioned;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.integration.impl.IntegrationFactory;
import dev.turnpike.gateway.node.ConfigApplier;
import dev.turnpike.gateway.node.NodeSettings;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.LimiterRegistry;
import dev.turnpike.gateway.runtime.RuntimeCompiler;
import dev.turnpike.gateway.runtime.TenantScope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long a gateway node takes to apply one config record on top of a large config (100,000 keys,
 * 1,000 deployments of 10 routes, 100 plans, a quota state per key), through what the feed thread
 * does per poll batch: the working config takes the record, the feed freezes a state and hands it
 * to the node's {@link ConfigApplier}. Not part of the normal build (the name does not end in
 * Test); run it with
 *
 * <pre>
 * ./mvnw -B verify -pl data-plane -am -Dtest=ConfigApplyBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.keys=100000 -Dbench.deployments=1000]
 * </pre>
 *
 * <p>Each figure is the median and the worst of {@value #ROUNDS} rounds (after as many to warm up),
 * wall time on the feed's thread; the report (stdout and {@code
 * data-plane/target/config-apply-benchmark.txt}) gives the machine's load average, as the wall time
 * grows with the neighbours' load.
 */
class ConfigApplyBenchmark {
  private static final int KEYS = Integer.getInteger("bench.keys", 100_000);
  private static final int DEPLOYMENTS = Integer.getInteger("bench.deployments", 1_000);
  private static final int TENANTS = 100;
  private static final int ROUTES = 10;
  private static final int ROUNDS = 20;
  private static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
  private static final Path REPORT = Path.of("target", "config-apply-benchmark.txt");

  private final ConfigTopics topics = ConfigTopics.DEFAULT;
  private final Vertx vertx = Vertx.vertx();
  private final UpstreamClients upstreams = new UpstreamClients(vertx, 50);
  private final LocalQuotaCounter quotas = new LocalQuotaCounter();
  private final AtomicReference<GatewayRuntime> runtime =
      new AtomicReference<>(GatewayRuntime.EMPTY);
  private final FeedPath feed = new FeedPath();
  private final StringBuilder report = new StringBuilder();

  @AfterEach
  void close() {
    upstreams.close().await();
    vertx.close().await();
  }

  @Test
  void applies_one_record_on_top_of_a_large_config() throws IOException {
    long started = System.nanoTime();
    for (int d = 0; d < DEPLOYMENTS; d++) {
      feed.record(
          topics.deployments(), deploymentKey(d), DeploymentSnapshot.CODEC, deployment(d, 0));
    }
    for (int t = 0; t < TENANTS; t++) {
      feed.record(
          topics.plans(), Topics.planKey(tenant(t), plan(t)), PlanRecord.CODEC, plan(t, 50));
    }
    for (int k = 0; k < KEYS; k++) {
      KeyRecord key = key(k, KeyStatus.ENABLED);
      feed.record(topics.keys(), key.keyHash(), KeyRecord.CODEC, key);
      feed.record(topics.quotaState(), quotaKey(k), QuotaState.CODEC, quota(k, 1));
    }
    feed.publishWhole();
    line(
        "config of %,d keys, %,d deployments of %d routes, %d plans, %,d quota states: first apply"
            + " %.0f ms",
        KEYS, DEPLOYMENTS, ROUTES, TENANTS, KEYS, (System.nanoTime() - started) / 1e6);
    assertThat(runtime.get().keysByHash()).hasSize(KEYS);
    assertThat(runtime.get().stages()).hasSize(DEPLOYMENTS);

    measure(
        "one key changed (enabled <-> disabled)",
        round -> {
          KeyRecord key =
              key(round % KEYS, round % 2 == 0 ? KeyStatus.DISABLED : KeyStatus.ENABLED);
          feed.record(topics.keys(), key.keyHash(), KeyRecord.CODEC, key);
          return () -> runtime.get().keysByHash().get(key.keyHash()).record().equals(key);
        });
    measure(
        "one quota state changed",
        round -> {
          feed.record(topics.quotaState(), quotaKey(7), QuotaState.CODEC, quota(7, round + 2));
          return () -> true;
        });
    measure(
        "one deployment changed",
        round -> {
          DeploymentSnapshot changed = deployment(round % DEPLOYMENTS, round + 1);
          feed.record(
              topics.deployments(),
              deploymentKey(round % DEPLOYMENTS),
              DeploymentSnapshot.CODEC,
              changed);
          return () ->
              runtime.get().stages().values().stream()
                  .anyMatch(stage -> stage.deployment().equals(changed));
        });
    measure(
        "one plan changed (its throttle)",
        round -> {
          int t = round % TENANTS;
          feed.record(
              topics.plans(),
              Topics.planKey(tenant(t), plan(t)),
              PlanRecord.CODEC,
              plan(t, 60 + round));
          return () -> true;
        });
    line("load average: %s", Files.readString(Path.of("/proc/loadavg")).trim());
    Files.createDirectories(REPORT.getParent());
    Files.writeString(
        REPORT, report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private interface Check {
    boolean holds();
  }

  /** Runs warm-up rounds, then measured ones; each round publishes one record and applies it. */
  private void measure(String what, IntFunction<Check> change) {
    for (int round = 0; round < ROUNDS; round++) {
      change.apply(round);
      feed.publish();
    }
    long[] nanos = new long[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      Check check = change.apply(ROUNDS + round);
      long started = System.nanoTime();
      feed.publish();
      nanos[round] = System.nanoTime() - started;
      assertThat(check.holds()).as(what).isTrue();
    }
    Arrays.sort(nanos);
    line(
        "%-40s median %8.3f ms, worst %8.3f ms",
        what, nanos[ROUNDS / 2] / 1e6, nanos[ROUNDS - 1] / 1e6);
  }

  private void line(String format, Object... args) {
    String text = String.format(format, args);
    System.out.println("[config-apply] " + text);
    report.append(text).append('\n');
  }

  /** What the feed thread does with a poll batch, minus Kafka: apply the records, then publish. */
  private final class FeedPath {
    private final WorkingConfig working = new WorkingConfig(topics, 0);
    private final ConfigApplier applier =
        new ConfigApplier(
            new RuntimeCompiler(
                new LimiterRegistry(1),
                new IntegrationFactory(
                    upstreams,
                    new EgressGuard(
                        vertx,
                        NodeSettings.fromEnvironment(Map.of())
                            .egress()
                            .policy(MachineNetwork.SYSTEM, List.of()))),
                dev.turnpike.gateway.authorizer.impl.Authorizers.on(
                    vertx,
                    upstreams,
                    new EgressGuard(vertx, dev.turnpike.egress.EgressPolicy.strict()),
                    java.time.Clock.systemUTC(),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                new SimpleMeterRegistry(),
                new ThrottleLimit(10_000, 5_000),
                TenantScope.all(),
                0),
            runtime,
            quotas);
    private final List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
    private long offset;

    <T extends Versioned> void record(String topic, String key, JsonCodec<T> codec, T value) {
      batch.add(new ConsumerRecord<>(topic, 0, offset++, key, codec.encode(value)));
    }

    void publish() {
      boolean changed = false;
      for (ConsumerRecord<String, byte[]> record : batch) {
        changed |= working.apply(record);
      }
      batch.clear();
      if (changed) {
        ConfigState state = working.freeze();
        applier.accept(state, working.lastChanges());
      }
    }

    /** As the feed publishes the state it caught up with: the listener compares all of it. */
    void publishWhole() {
      batch.forEach(working::apply);
      batch.clear();
      applier.accept(working.freeze(), ConfigChanges.everything());
    }
  }

  private static String tenant(int t) {
    return "tenant-" + t;
  }

  private static String plan(int t) {
    return "plan-" + t;
  }

  private static String deploymentKey(int d) {
    return Topics.deploymentKey(tenant(d % TENANTS), "api-" + d, "prod");
  }

  private static String quotaKey(int k) {
    return Topics.quotaKey("key-" + k, plan(k % TENANTS));
  }

  private static DeploymentSnapshot deployment(int d, int revision) {
    String tenant = tenant(d % TENANTS);
    List<RouteConfig> routes = new ArrayList<>();
    for (int r = 0; r < ROUTES; r++) {
      routes.add(
          new RouteConfig(
              "route-" + d + "-" + r,
              "GET",
              "/things" + r + "/{id}",
              true,
              new IntegrationConfig(
                  IntegrationType.HTTP_PROXY,
                  "GET",
                  "https://backend-" + d + ".example.com/things" + r + "/{id}",
                  1000,
                  29000,
                  Map.of("integration.request.path.id", "method.request.path.id"),
                  null)));
    }
    return DeploymentSnapshot.builder()
        .tenantId(tenant)
        .tenantSlug(tenant + "-slug")
        .apiId("api-" + d)
        .apiSlug("api-" + d + "-slug")
        .stage("prod")
        .deploymentId("dep-" + d + "-" + revision)
        .hash("hash-" + d + "-" + revision)
        .deployedAt(NOW)
        .stageThrottle(new ThrottleLimit(100, 200))
        .routes(routes)
        .build();
  }

  /** The tenant's plan, bound to all of the tenant's stages. */
  private static PlanRecord plan(int t, int rate) {
    List<PlanStage> stages = new ArrayList<>();
    for (int d = t; d < DEPLOYMENTS; d += TENANTS) {
      stages.add(new PlanStage("api-" + d, "prod", null, Map.of()));
    }
    return new PlanRecord(
        1,
        tenant(t),
        plan(t),
        "Plan " + t,
        new ThrottleLimit(rate, 100),
        new QuotaLimit(10_000, 0, QuotaPeriod.MONTH),
        stages);
  }

  private static KeyRecord key(int k, KeyStatus status) {
    int t = k % TENANTS;
    return new KeyRecord(
        1,
        ApiKeyHash.sha256Hex("tpk_bench_" + k),
        "key-" + k,
        "tpk_benc",
        tenant(t),
        "app-" + k,
        List.of(plan(t)),
        status,
        null);
  }

  private static QuotaState quota(int k, long used) {
    return new QuotaState(
        1,
        tenant(k % TENANTS),
        "key-" + k,
        plan(k % TENANTS),
        QuotaPeriod.MONTH,
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-02-01T00:00:00Z"),
        10_000,
        used,
        false,
        NOW);
  }
}
