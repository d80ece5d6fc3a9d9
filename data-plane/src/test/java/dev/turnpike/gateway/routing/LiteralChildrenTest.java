package dev.turnpike.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiteralChildrenTest {

  @Test
  void finds_a_key_by_a_region_of_a_longer_text() {
    LiteralChildren<Integer> children = LiteralChildren.of(Map.of("pets", 1, "owners", 2));

    assertThat(children.get("/v1/pets/42", 4, 8)).isEqualTo(1);
    assertThat(children.get("/owners", 1, 7)).isEqualTo(2);
  }

  @Test
  void misses_prefixes_extensions_and_unknown_keys() {
    LiteralChildren<Integer> children = LiteralChildren.of(Map.of("pets", 1));

    assertThat(children.get("pet", 0, 3)).isNull();
    assertThat(children.get("petsx", 0, 5)).isNull();
    assertThat(children.get("cats", 0, 4)).isNull();
    assertThat(children.get("", 0, 0)).isNull();
  }

  @Test
  void an_empty_table_misses_everything() {
    assertThat(LiteralChildren.<Integer>of(Map.of()).get("pets", 0, 4)).isNull();
  }

  @Test
  void keeps_keys_with_equal_hash_codes_apart() {
    // "Aa" and "BB" have the same String.hashCode, so they probe the same slot.
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    LiteralChildren<String> children = LiteralChildren.of(Map.of("Aa", "first", "BB", "second"));

    assertThat(children.get("xAa", 1, 3)).isEqualTo("first");
    assertThat(children.get("xBB", 1, 3)).isEqualTo("second");
    assertThat(children.get("AaBB", 2, 4)).isEqualTo("second");
  }

  @Test
  void finds_every_key_of_a_large_table() {
    Map<String, Integer> entries = new LinkedHashMap<>();
    for (int i = 0; i < 5_000; i++) {
      entries.put("segment-" + i, i);
    }
    LiteralChildren<Integer> children = LiteralChildren.of(entries);

    entries.forEach(
        (key, value) ->
            assertThat(children.get("/" + key + "/", 1, key.length() + 1)).isEqualTo(value));
    assertThat(children.get("segment-5000", 0, 12)).isNull();
  }
}
