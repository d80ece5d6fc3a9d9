package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.gateway.config.ConfigChanges;
import dev.turnpike.gateway.config.ConfigState;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.integration.impl.IntegrationFactory;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.LimiterRegistry;
import dev.turnpike.gateway.runtime.RuntimeCompiler;
import dev.turnpike.gateway.runtime.TenantScope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConfigApplierTest {
  private final Vertx vertx = Vertx.vertx();
  private final UpstreamClients upstreams = new UpstreamClients(vertx, 10);
  private final LocalQuotaCounter quotas = new LocalQuotaCounter();
  private final AtomicReference<GatewayRuntime> runtime =
      new AtomicReference<>(GatewayRuntime.EMPTY);
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
              new ThrottleLimit(1000, 500),
              TenantScope.all(),
              0),
          runtime,
          quotas);
  private final KeyRecord alice =
      new KeyRecord(
          1,
          ApiKeyHash.sha256Hex("tpk_alice"),
          "key-a",
          "tpk_alic",
          "t-1",
          "app-1",
          List.of("plan-1"),
          KeyStatus.ENABLED,
          null);

  @AfterEach
  void close() {
    upstreams.close().await();
    vertx.close().await();
  }

  @Nested
  class QuotaStates {
    @Test
    void a_quota_state_record_reaches_the_counter_and_leaves_the_runtime_as_it_was() {
      applier.accept(state(1, Map.of()), ConfigChanges.everything());
      GatewayRuntime before = runtime.get();
      assertThat(quotas.trackedKeys()).isZero();

      String counter = Topics.quotaKey("key-a", "plan-1");
      applier.accept(
          state(2, Map.of(counter, quota(10, true))),
          new ConfigChanges(false, Set.of(), Set.of(), Set.of(), Set.of(counter)));

      assertThat(runtime.get()).isSameAs(before);
      assertThat(quotas.trackedKeys()).isEqualTo(1);
    }

    @Test
    void a_whole_state_applies_every_quota_state_it_holds() {
      applier.accept(
          state(
              1,
              Map.of(
                  Topics.quotaKey("key-a", "plan-1"), quota(3, false),
                  Topics.quotaKey("key-b", "plan-1"), quota(4, false))),
          ConfigChanges.everything());

      assertThat(quotas.trackedKeys()).isEqualTo(2);
      assertThat(runtime.get().keysByHash()).containsKey(alice.keyHash());
    }
  }

  @Nested
  class Keys {
    @Test
    void a_key_record_swaps_in_a_runtime_with_the_change() {
      applier.accept(state(1, Map.of()), ConfigChanges.everything());
      KeyRecord disabled =
          new KeyRecord(
              1,
              alice.keyHash(),
              "key-a",
              "tpk_alic",
              "t-1",
              "app-1",
              List.of("plan-1"),
              KeyStatus.DISABLED,
              null);

      applier.accept(
          new ConfigState(
              2, Map.of(), Map.of(alice.keyHash(), disabled), Map.of(), Map.of(), Map.of()),
          new ConfigChanges(false, Set.of(), Set.of(alice.keyHash()), Set.of(), Set.of()));

      assertThat(runtime.get().keysByHash().get(alice.keyHash()).record()).isEqualTo(disabled);
      assertThat(runtime.get().configVersion()).isEqualTo(2);
    }
  }

  private ConfigState state(long version, Map<String, QuotaState> quotaStates) {
    return new ConfigState(
        version, Map.of(), Map.of(alice.keyHash(), alice), Map.of(), quotaStates, Map.of());
  }

  private static QuotaState quota(long used, boolean exceeded) {
    return new QuotaState(
        1,
        "t-1",
        "key-a",
        "plan-1",
        QuotaPeriod.MONTH,
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-02-01T00:00:00Z"),
        10,
        used,
        exceeded,
        Instant.parse("2026-01-10T10:00:00Z"));
  }
}
