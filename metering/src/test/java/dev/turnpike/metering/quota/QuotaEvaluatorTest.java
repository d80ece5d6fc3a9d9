package dev.turnpike.metering.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.QuotaWindow;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.metering.aggregation.KeyPlan;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QuotaEvaluatorTest {
  private static final UUID TENANT = UUID.randomUUID();
  private static final Instant NOW = Instant.parse("2026-11-21T23:30:00Z");

  /** Plans and counted use held in memory, answering for any window asked. */
  private static final class InMemoryQuotaStore implements QuotaStore {
    final Map<String, QuotaRule> rules = new HashMap<>();
    final Map<KeyPlan, Long> used = new HashMap<>();
    final Map<KeyPlan, QuotaWindow> askedWindows = new HashMap<>();

    @Override
    public Map<String, QuotaRule> rules(Collection<String> planIds) {
      Map<String, QuotaRule> found = new HashMap<>();
      planIds.forEach(id -> found.computeIfAbsent(id, rules::get));
      found.values().removeIf(java.util.Objects::isNull);
      return found;
    }

    @Override
    public Map<KeyPlan, Long> used(Map<KeyPlan, QuotaWindow> windows) {
      askedWindows.putAll(windows);
      Map<KeyPlan, Long> result = new HashMap<>();
      windows.keySet().forEach(k -> result.put(k, used.getOrDefault(k, 0L)));
      return result;
    }

    @Override
    public Set<KeyPlan> usedSince(Instant since) {
      return used.keySet();
    }
  }

  private final InMemoryQuotaStore store = new InMemoryQuotaStore();
  private final QuotaEvaluator evaluator = new QuotaEvaluator(store);

  @Test
  void marks_a_key_exceeded_once_its_count_reaches_the_limit() {
    store.rules.put(
        "daily", new QuotaRule(TENANT, "daily", 100, 0, QuotaPeriod.DAY, Instant.EPOCH));
    KeyPlan below = new KeyPlan(TENANT, "k1", "daily");
    KeyPlan at = new KeyPlan(TENANT, "k2", "daily");
    store.used.put(below, 99L);
    store.used.put(at, 100L);

    Map<String, QuotaState> states = byKey(evaluator.evaluate(List.of(below, at), NOW));

    assertThat(states.get("k1").exceeded()).isFalse();
    assertThat(states.get("k1").remaining()).isEqualTo(1);
    assertThat(states.get("k2").exceeded()).isTrue();
    assertThat(states.get("k2").periodStart()).isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
    assertThat(states.get("k2").periodEnd()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
    assertThat(states.get("k2").period()).isEqualTo(QuotaPeriod.DAY);
  }

  @Test
  void counts_within_the_current_window_of_the_plans_period() {
    store.rules.put(
        "weekly", new QuotaRule(TENANT, "weekly", 5, 0, QuotaPeriod.WEEK, Instant.EPOCH));
    KeyPlan key = new KeyPlan(TENANT, "k", "weekly");

    evaluator.evaluate(List.of(key), NOW);

    assertThat(store.askedWindows.get(key))
        .isEqualTo(
            new QuotaWindow(
                Instant.parse("2026-11-16T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z")));
  }

  @Test
  void applies_the_offset_in_the_plans_first_period() {
    store.rules.put(
        "new", new QuotaRule(TENANT, "new", 100, 40, QuotaPeriod.DAY, NOW.minusSeconds(60)));
    KeyPlan key = new KeyPlan(TENANT, "k", "new");
    store.used.put(key, 60L);

    QuotaState state = evaluator.evaluate(List.of(key), NOW).get(0);

    assertThat(state.limit()).isEqualTo(60);
    assertThat(state.exceeded()).isTrue();
  }

  @Test
  void publishes_nothing_for_plans_without_a_quota_or_of_another_tenant() {
    store.rules.put(
        "foreign",
        new QuotaRule(UUID.randomUUID(), "foreign", 1, 0, QuotaPeriod.DAY, Instant.EPOCH));

    assertThat(
            evaluator.evaluate(
                List.of(new KeyPlan(TENANT, "k", "none"), new KeyPlan(TENANT, "k", "foreign")),
                NOW))
        .isEmpty();
  }

  private static Map<String, QuotaState> byKey(List<QuotaState> states) {
    Map<String, QuotaState> byKey = new HashMap<>();
    states.forEach(s -> byKey.put(s.keyId(), s));
    return byKey;
  }
}
