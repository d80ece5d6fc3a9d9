package dev.turnpike.gateway.config;

import static dev.turnpike.gateway.config.ConfigFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.json.JsonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format 2's index of runs, and format 1 files still loading beside it. */
class SnapshotFileFormatTest {
  private static final int RUN = 7;

  /** A file as a node before format 2 wrote it: the document alone, format 1. */
  static void saveFormat1(Path path, ConfigState state) throws IOException {
    SnapshotFile.Document d =
        SnapshotFile.Document.of(state, Instant.parse("2026-12-01T00:00:00Z"));
    SnapshotFile.Document format1 =
        new SnapshotFile.Document(
            SnapshotFile.FORMAT_1,
            d.savedAt(),
            d.version(),
            d.positions(),
            d.deployments(),
            d.keysByHash(),
            d.plans(),
            d.quotaStates(),
            d.domains());
    Files.createDirectories(path.getParent());
    JsonCodec.mapper().writeValue(path.toFile(), format1);
  }

  private static SnapshotFile parallel(Path path) {
    return new SnapshotFile(path, UnaryOperator.identity(), 4, RUN);
  }

  private static SnapshotFile sequential(Path path) {
    return new SnapshotFile(path, UnaryOperator.identity(), 1, RUN);
  }

  private static ConfigState large() {
    return SnapshotFileTest.DecodingInParallel.large();
  }

  /** Saves {@link #large()} to {@code path} in parallel and returns the file's text. */
  private static String savedLarge(Path path) throws IOException {
    parallel(path).save(large());
    return Files.readString(path);
  }

  @Nested
  class Format2 {
    @Test
    void a_save_writes_format_2_ending_with_the_index_trailer(@TempDir Path dir)
        throws IOException {
      Path path = dir.resolve("config.json");
      String json = savedLarge(path);

      assertThat(json).startsWith("{\"format\":2,");
      assertThat(json).containsPattern(",\"indexAt\":\"\\d{19}\"}$");
      SnapshotIndex index = index(json);
      assertThat(index.sections().keySet())
          .containsExactly("deployments", "keysByHash", "plans", "quotaStates", "domains");
      // 300 entries in runs of 7: 43 runs, 44 bounds.
      assertThat(index.sections().get("keysByHash").bounds()).hasSize(44);
      assertThat(index.sections().get("keysByHash").entries()).isEqualTo(300);
      assertThat(index.sections().get("domains").bounds()).hasSize(2);
      assertThat(json.charAt((int) index.sections().get("plans").start() - 1)).isEqualTo('{');
      assertThat(json.charAt((int) index.sections().get("plans").end())).isEqualTo('}');
    }

    @Test
    void loads_in_parallel_as_a_plain_json_read_of_the_whole_document(@TempDir Path dir)
        throws IOException {
      Path path = dir.resolve("config.json");
      ConfigState state = large();
      parallel(path).save(state);

      assertThat(parallel(path).load()).contains(state);
      assertThat(sequential(path).load()).contains(state);
    }

    @Test
    void an_empty_state_round_trips(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      parallel(path).save(ConfigState.empty());

      assertThat(parallel(path).load()).contains(ConfigState.empty());
    }

    @Test
    void a_key_repeated_across_runs_ends_as_its_last_value(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      ConfigState state = large();
      List<Map.Entry<String, ?>> plans = new ArrayList<>(state.plans().entrySet());
      // The first run's first plan again in the map's last run, renamed: the last value wins.
      String first = plans.getFirst().getKey();
      PlanRecord renamed = (PlanRecord) plans.getFirst().getValue();
      plans.add(Map.entry(first, plan(renamed.tenantId(), renamed.planId(), "Renamed")));
      Map<String, Iterable<? extends Map.Entry<String, ?>>> sections = new LinkedHashMap<>();
      sections.put("deployments", state.deployments().entrySet());
      sections.put("keysByHash", state.keysByHash().entrySet());
      sections.put("plans", plans);
      sections.put("quotaStates", state.quotaStates().entrySet());
      sections.put("domains", state.domains().entrySet());
      try (OutputStream out = Files.newOutputStream(path)) {
        new SnapshotEncoder(RUN)
            .write(
                out,
                Instant.parse("2026-12-01T00:00:00Z"),
                9,
                List.of(new SnapshotFile.Position("turnpike.config.keys", 0, 300)),
                sections);
      }

      ConfigState loaded = parallel(path).load().orElseThrow();

      assertThat(loaded).isEqualTo(sequential(path).load().orElseThrow());
      assertThat(loaded.plans().get(first).name()).isEqualTo("Renamed");
      assertThat(loaded.plans()).hasSize(300);
    }

    @Test
    void unknown_fields_are_tolerated(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      ConfigState state = large();
      parallel(path).save(state);
      String json = Files.readString(path);
      String extra = "\"addedLater\":{\"deployments\":{\"x\":[1,{}]}},";
      // Everything after the first '{' moves by the field's length, the index's offsets with it.
      String head = "{" + extra + json.substring(1, indexAt(json));
      Files.writeString(path, withIndex(head, shift(index(json), extra.length())));

      assertThat(parallel(path).load()).contains(state);
    }
  }

  @Nested
  class WhatFormat2RefusesCleanly {
    @Test
    void a_truncated_file_is_refused(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      String json = savedLarge(path);

      for (int cut : new int[] {json.length() / 2, json.length() - 1, indexAt(json) + 3}) {
        Files.writeString(path, json.substring(0, cut));
        assertThat(parallel(path).load()).as("cut at %d", cut).isEmpty();
        assertThat(sequential(path).load()).as("cut at %d", cut).isEmpty();
      }
    }

    @Test
    void an_index_offset_past_the_end_is_refused(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      String json = savedLarge(path);
      String trailer = SnapshotIndex.trailer(indexAt(json));

      Files.writeString(path, json.replace(trailer, SnapshotIndex.trailer(json.length() + 100L)));

      assertThat(parallel(path).load()).isEmpty();
    }

    @Test
    void a_run_bound_past_the_end_is_refused(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      String json = savedLarge(path);

      Files.writeString(
          path, rewriteIndex(json, "keysByHash", bounds -> bounds[3] = json.length() + 1000L));

      assertThat(parallel(path).load()).isEmpty();
    }

    @Test
    void a_run_bound_inside_a_record_is_refused_not_misdecoded(@TempDir Path dir)
        throws IOException {
      Path path = dir.resolve("config.json");
      String json = savedLarge(path);

      // Every offset into the second run's first record, its key included: never a quiet decode.
      SnapshotIndex.Section keys = index(json).sections().get("keysByHash");
      int from = (int) keys.bounds()[1];
      int to = json.indexOf("},\"", from + 2) + 1;
      for (int at = from + 1; at < to; at++) {
        long bound = at;
        Files.writeString(path, rewriteIndex(json, "keysByHash", bounds -> bounds[1] = bound));
        assertThat(parallel(path).load()).as("bound at %d", at).isEmpty();
      }
    }

    @Test
    void a_map_the_index_puts_elsewhere_is_refused(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      String json = savedLarge(path);

      Files.writeString(path, rewriteIndex(json, "plans", bounds -> bounds[0] += 1));
      assertThat(parallel(path).load()).isEmpty();

      Files.writeString(
          path, rewriteIndex(json, "plans", bounds -> bounds[bounds.length - 1] -= 1));
      assertThat(parallel(path).load()).isEmpty();
    }

    @Test
    void an_index_naming_the_maps_in_another_order_is_refused(@TempDir Path dir)
        throws IOException {
      Path path = dir.resolve("config.json");
      String json = savedLarge(path);
      Map<String, SnapshotIndex.Section> sections = new LinkedHashMap<>(index(json).sections());
      SnapshotIndex.Section plans = sections.get("plans");
      sections.put("plans", sections.get("quotaStates"));
      sections.put("quotaStates", plans);

      Files.writeString(
          path, withIndex(json.substring(0, indexAt(json)), new SnapshotIndex(sections)));

      assertThat(parallel(path).load()).isEmpty();
    }

    @Test
    void a_corrupt_record_deep_in_a_map_is_refused(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      String json = savedLarge(path);
      int late = json.lastIndexOf("\"schemaVersion\":1");

      // Same length, so the index still matches: the record itself is refused.
      Files.writeString(
          path, json.substring(0, late) + "\"schemaVersion\":9" + json.substring(late + 17));
      assertThat(parallel(path).load()).isEmpty();
      Files.writeString(
          path, json.substring(0, late) + "\"schemaVersion\"!1" + json.substring(late + 17));
      assertThat(parallel(path).load()).isEmpty();
    }

    @Test
    void a_format_1_document_with_an_index_is_refused(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      String json = savedLarge(path);

      Files.writeString(path, json.replace("{\"format\":2,", "{\"format\":1,"));

      assertThat(parallel(path).load()).isEmpty();
    }
  }

  @Nested
  class Format1Files {
    @Test
    void a_format_1_file_still_loads_in_parallel_and_sequentially(@TempDir Path dir)
        throws IOException {
      Path path = dir.resolve("config.json");
      ConfigState state = large();
      saveFormat1(path, state);
      assertThat(Files.readString(path)).startsWith("{\"format\":1,").doesNotContain("indexAt");

      assertThat(parallel(path).load()).contains(state);
      assertThat(sequential(path).load()).contains(state);
      assertThat(new SnapshotFile(path).load()).contains(state);
    }

    @Test
    void the_next_save_replaces_a_format_1_file_with_format_2(@TempDir Path dir)
        throws IOException {
      Path path = dir.resolve("config.json");
      ConfigState state = large();
      saveFormat1(path, state);

      SnapshotFile file = new SnapshotFile(path);
      file.save(file.load().orElseThrow());

      assertThat(Files.readString(path)).startsWith("{\"format\":2,");
      assertThat(file.load()).contains(state);
    }
  }

  private static int indexAt(String json) {
    // The fixtures are ASCII, so the string's offsets are the file's byte offsets.
    assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(json.length());
    String digits = json.substring(json.length() - 2 - SnapshotIndex.DIGITS, json.length() - 2);
    return Integer.parseInt(digits);
  }

  private static SnapshotIndex index(String json) throws IOException {
    int end = json.length() - SnapshotIndex.TRAILER_BYTES;
    return JsonCodec.mapper().readValue(json.substring(indexAt(json), end), SnapshotIndex.class);
  }

  /** The file with one map's bounds changed by {@code edit}, the trailer still right. */
  private static String rewriteIndex(String json, String section, Consumer<long[]> edit)
      throws IOException {
    Map<String, SnapshotIndex.Section> sections = new LinkedHashMap<>(index(json).sections());
    SnapshotIndex.Section old = sections.get(section);
    long[] bounds = Arrays.copyOf(old.bounds(), old.bounds().length);
    edit.accept(bounds);
    sections.put(section, new SnapshotIndex.Section(old.entries(), bounds));
    return withIndex(json.substring(0, indexAt(json)), new SnapshotIndex(sections));
  }

  /** {@code head} (the document up to its index), then {@code index} and the trailer to it. */
  private static String withIndex(String head, SnapshotIndex index) throws IOException {
    return head
        + JsonCodec.mapper().writeValueAsString(index)
        + ",\"indexAt\":\""
        + SnapshotIndex.trailer(head.length())
        + "\"}";
  }

  private static SnapshotIndex shift(SnapshotIndex index, long by) {
    Map<String, SnapshotIndex.Section> sections = new LinkedHashMap<>();
    index
        .sections()
        .forEach(
            (name, section) ->
                sections.put(
                    name,
                    new SnapshotIndex.Section(
                        section.entries(),
                        Arrays.stream(section.bounds()).map(b -> b + by).toArray())));
    return new SnapshotIndex(sections);
  }
}
