package dev.turnpike.gateway.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T05:00:00Z"));

  static AuthorizerAnswer weighing(int bytes) {
    return new AuthorizerAnswer("u", List.of(), null, Map.of(), null, bytes);
  }

  static AnswerCache.Key key(String... values) {
    return AnswerCache.Key.of(List.of(values));
  }

  @Test
  void identities_differ_by_value_and_by_how_values_are_split() {
    assertThat(key("a", "b")).isEqualTo(key("a", "b"));
    assertThat(key("ab")).isNotEqualTo(key("a", "b"));
    assertThat(key("a", "bc")).isNotEqualTo(key("ab", "c"));
  }

  @Test
  void an_answer_lives_exactly_its_ttl() {
    AnswerCache cache = new AnswerCache(clock, 300_000, 10, 1 << 20);
    cache.put(key("t"), weighing(10));

    clock.advance(Duration.ofMillis(299_999));
    assertThat(cache.get(key("t"))).isNotNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(cache.get(key("t"))).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void the_byte_bound_drops_the_oldest_answers_first() {
    long entry = 1_000 + AnswerCache.ENTRY_OVERHEAD_BYTES;
    AnswerCache cache = new AnswerCache(clock, 300_000, 100, 3 * entry);
    for (String token : new String[] {"a", "b", "c", "d"}) {
      cache.put(key(token), weighing(1_000));
    }

    assertThat(cache.get(key("a"))).isNull();
    assertThat(cache.get(key("b"))).isNotNull();
    assertThat(cache.get(key("d"))).isNotNull();
    assertThat(cache.size()).isEqualTo(3);
  }

  @Test
  void replacing_an_answer_does_not_count_it_twice() {
    long entry = 1_000 + AnswerCache.ENTRY_OVERHEAD_BYTES;
    AnswerCache cache = new AnswerCache(clock, 300_000, 100, 2 * entry);
    for (int i = 0; i < 5; i++) {
      cache.put(key("a"), weighing(1_000));
    }
    cache.put(key("b"), weighing(1_000));

    assertThat(cache.get(key("a"))).isNotNull();
    assertThat(cache.get(key("b"))).isNotNull();
  }

  @Test
  void an_answer_heavier_than_the_whole_budget_is_not_kept_and_evicts_nothing() {
    AnswerCache cache = new AnswerCache(clock, 300_000, 100, 10_000);
    cache.put(key("small"), weighing(100));
    cache.put(key("huge"), weighing(20_000));

    assertThat(cache.get(key("huge"))).isNull();
    assertThat(cache.get(key("small"))).isNotNull();
  }
}
