package dev.turnpike.gateway.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ShardedMapTest {
  private static Map<String, Integer> numbers(int count) {
    Map<String, Integer> numbers = new HashMap<>();
    for (int i = 0; i < count; i++) {
      numbers.put("n" + i, i);
    }
    return numbers;
  }

  @Nested
  class Reading {
    @Test
    void holds_what_it_was_made_of() {
      ShardedMap<String, Integer> map = ShardedMap.copyOf(numbers(5_000));

      assertThat(map).isEqualTo(numbers(5_000)).hasSize(5_000);
      assertThat(map.get("n4321")).isEqualTo(4321);
      assertThat(map.get("missing")).isNull();
      assertThat(map.get(null)).isNull();
      assertThat(map.entrySet()).hasSize(5_000);
    }

    @Test
    void a_copy_is_what_the_same_changes_to_the_empty_map_make() {
      Map<String, Integer> source = numbers(5_000);
      source.put("gone", null);

      ShardedMap<String, Integer> copy = ShardedMap.copyOf(source);

      assertThat(copy).isEqualTo(ShardedMap.<String, Integer>empty().with(source)).hasSize(5_000);
      assertThat(copy).doesNotContainKey("gone");
      assertThat(ShardedMap.copyOf(Map.of())).isSameAs(ShardedMap.empty());
    }

    @Test
    void a_sharded_map_is_its_own_copy() {
      ShardedMap<String, Integer> map = ShardedMap.copyOf(numbers(3));

      assertThat(ShardedMap.copyOf(map)).isSameAs(map);
    }

    @Test
    void cannot_be_changed_in_place() {
      ShardedMap<String, Integer> map = ShardedMap.copyOf(numbers(3));

      assertThatThrownBy(() -> map.put("n9", 9)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> map.remove("n1")).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class NewVersions {
    @Test
    void adds_replaces_and_removes_and_leaves_the_previous_version_as_it_was() {
      ShardedMap<String, Integer> before = ShardedMap.copyOf(numbers(1_000));
      Map<String, Integer> changes = new HashMap<>();
      changes.put("n1", 100);
      changes.put("n2", null);
      changes.put("new", 7);
      changes.put("never-there", null);

      ShardedMap<String, Integer> after = before.with(changes);

      Map<String, Integer> expected = numbers(1_000);
      expected.put("n1", 100);
      expected.remove("n2");
      expected.put("new", 7);
      assertThat(after).isEqualTo(expected).hasSize(1_000);
      assertThat(before).isEqualTo(numbers(1_000));
    }

    @Test
    void no_changes_give_the_same_map() {
      ShardedMap<String, Integer> map = ShardedMap.copyOf(numbers(10));

      assertThat(map.with(Map.of())).isSameAs(map);
    }

    @Test
    void one_entry_at_a_time() {
      ShardedMap<String, Integer> map = ShardedMap.<String, Integer>empty().with("a", 1);

      assertThat(map).containsExactly(Map.entry("a", 1));
      assertThat(map.with("a", null)).isEmpty();
    }
  }
}
