package dev.turnpike.gateway.config;

import static dev.turnpike.gateway.config.ConfigFixtures.deployment;
import static dev.turnpike.gateway.config.ConfigFixtures.key;
import static dev.turnpike.gateway.config.ConfigFixtures.plan;
import static dev.turnpike.gateway.config.ConfigFixtures.quota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.quota.QuotaState;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

  static ConfigState state(long version) {
    DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-" + version);
    KeyRecord alice = key("tpk_alice_secret", "key-a", KeyStatus.ENABLED);
    return new ConfigState(
        version,
        Map.of("t-1/api-1/prod", prod),
        Map.of(alice.keyHash(), alice),
        Map.of("t-1/plan-1", plan("t-1", "plan-1", "Gold")),
        Map.of("key-a/plan-1", quota("t-1", "key-a", "plan-1", 5)),
        Map.of(new TopicPartition("turnpike.config.keys", 0), 12L));
  }

  @Nested
  class Saving {
    @Test
    void a_saved_state_loads_back_equal(@TempDir Path dir) throws IOException {
      SnapshotFile file = new SnapshotFile(dir.resolve("nested/config.json"));
      ConfigState state = state(3);

      file.save(state);

      assertThat(file.load()).contains(state);
    }

    @Test
    void a_save_replaces_the_previous_file_and_leaves_no_temporary_file(@TempDir Path dir)
        throws IOException {
      SnapshotFile file = new SnapshotFile(dir.resolve("config.json"));

      file.save(state(1));
      file.save(state(2));

      assertThat(file.load()).contains(state(2));
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config.json");
      }
    }
  }

  @Nested
  class AWriteThatDoesNotFinish {
    @Test
    void a_write_failing_midway_leaves_the_previous_file_intact(@TempDir Path dir)
        throws IOException {
      Path path = dir.resolve("config.json");
      new SnapshotFile(path).save(state(1));
      SnapshotFile failing = new SnapshotFile(path, out -> failingAfter(out, 100));

      assertThatThrownBy(() -> failing.save(state(2))).isInstanceOf(IOException.class);

      assertThat(new SnapshotFile(path).load()).contains(state(1));
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config.json");
      }
    }

    @Test
    void a_process_that_died_midway_left_a_temporary_file_that_changes_nothing(@TempDir Path dir)
        throws IOException {
      SnapshotFile file = new SnapshotFile(dir.resolve("config.json"));
      file.save(state(1));
      String json = Files.readString(file.path());
      Path temporary = dir.resolve("config.json.tmp");
      Files.writeString(temporary, json.substring(0, json.length() / 3));

      assertThat(file.load()).contains(state(1));
      file.save(state(2));
      assertThat(file.load()).contains(state(2));
      assertThat(temporary).doesNotExist();
    }

    private static OutputStream failingAfter(OutputStream out, int bytes) {
      return new FilterOutputStream(out) {
        private int left = bytes;

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (len > left) {
            out.write(b, off, left);
            throw new IOException("disk gone");
          }
          left -= len;
          out.write(b, off, len);
        }
      };
    }
  }

  @Nested
  class LoadingWhatCannotBeTrusted {
    @Test
    void a_missing_file_loads_nothing(@TempDir Path dir) {
      assertThat(new SnapshotFile(dir.resolve("config.json")).load()).isEmpty();
    }

    @Test
    void a_file_that_is_not_json_loads_nothing(@TempDir Path dir) throws IOException {
      assertThat(fileWith(dir, "not a snapshot").load()).isEmpty();
    }

    @Test
    void a_truncated_file_loads_nothing(@TempDir Path dir) throws IOException {
      String json = saved(dir);
      assertThat(fileWith(dir, json.substring(0, json.length() / 2)).load()).isEmpty();
    }

    @Test
    void a_file_with_trailing_garbage_loads_nothing(@TempDir Path dir) throws IOException {
      assertThat(fileWith(dir, saved(dir) + "{}").load()).isEmpty();
    }

    @Test
    void a_record_newer_than_this_node_understands_makes_the_file_unusable(@TempDir Path dir)
        throws IOException {
      String json = saved(dir);
      assertThat(json).contains("\"schemaVersion\":1");
      assertThat(
              fileWith(dir, json.replaceFirst("\"schemaVersion\":1", "\"schemaVersion\":2")).load())
          .isEmpty();
    }

    @Test
    void a_file_of_another_format_loads_nothing(@TempDir Path dir) throws IOException {
      String json = saved(dir);
      assertThat(json).contains("\"format\":2");
      assertThat(fileWith(dir, json.replace("\"format\":2", "\"format\":3")).load()).isEmpty();
    }

    @Test
    void a_file_missing_a_map_loads_nothing(@TempDir Path dir) throws IOException {
      String json = saved(dir);
      assertThat(fileWith(dir, json.replace("\"plans\":", "\"planz\":")).load()).isEmpty();
    }

    private String saved(Path dir) throws IOException {
      Path path = dir.resolve("good.json");
      new SnapshotFile(path).save(state(1));
      return Files.readString(path);
    }

    private SnapshotFile fileWith(Path dir, String content) throws IOException {
      Path path = dir.resolve("config.json");
      Files.writeString(path, content);
      return new SnapshotFile(path);
    }
  }

  @Nested
  class DecodingInParallel {
    /** Hundreds of records in each map, so runs of 7 split every map many times. */
    static ConfigState large() {
      Map<String, DeploymentSnapshot> deployments = new HashMap<>();
      Map<String, KeyRecord> keys = new HashMap<>();
      Map<String, PlanRecord> plans = new HashMap<>();
      Map<String, QuotaState> quotas = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        String tenant = "t-" + (i % 17);
        deployments.put(
            tenant + "/api-" + i + "/prod", deployment(tenant, "api-" + i, "prod", "dep-" + i));
        KeyRecord key = key("tpk_secret_" + i, "key-" + i, KeyStatus.ENABLED);
        keys.put(key.keyHash(), key);
        plans.put(tenant + "/plan-" + i, plan(tenant, "plan-" + i, "Plan " + i));
        quotas.put("key-" + i + "/plan-" + i, quota(tenant, "key-" + i, "plan-" + i, i));
      }
      return new ConfigState(
          9,
          deployments,
          keys,
          plans,
          quotas,
          Map.of(new TopicPartition("turnpike.config.keys", 0), 300L));
    }

    @Test
    void yields_exactly_the_state_a_sequential_decode_yields(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      ConfigState state = large();
      new SnapshotFile(path).save(state);

      ConfigState sequential =
          new SnapshotFile(path, UnaryOperator.identity(), 1, 7).load().orElseThrow();
      ConfigState parallel =
          new SnapshotFile(path, UnaryOperator.identity(), 4, 7).load().orElseThrow();

      assertThat(parallel).isEqualTo(sequential).isEqualTo(state);
      assertThat(parallel.version()).isEqualTo(9);
      assertThat(parallel.keysByHash()).hasSize(300);
    }

    @Test
    void a_key_a_format_1_map_repeats_ends_as_its_last_value_as_in_a_sequential_decode(
        @TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      // Format 1, skimmed: an edit would not match a format 2 file's index (SnapshotFileFormatTest
      // repeats a key in format 2).
      SnapshotFileFormatTest.saveFormat1(path, large());
      String json = Files.readString(path);
      // A plan of the map's first run again at the map's end, renamed: the last value wins.
      String renamed = JsonCodec.mapper().writeValueAsString(plan("t-0", "plan-0", "Renamed"));
      int plansEnd = json.indexOf("},\"quotaStates\"");
      Files.writeString(
          path,
          json.substring(0, plansEnd) + ",\"t-0/plan-0\":" + renamed + json.substring(plansEnd));

      ConfigState sequential =
          new SnapshotFile(path, UnaryOperator.identity(), 1, 7).load().orElseThrow();
      ConfigState parallel =
          new SnapshotFile(path, UnaryOperator.identity(), 4, 7).load().orElseThrow();

      assertThat(parallel).isEqualTo(sequential);
      assertThat(parallel.plans().get("t-0/plan-0").name()).isEqualTo("Renamed");
      assertThat(parallel.plans()).hasSize(300);
    }

    @Test
    void a_format_1_file_truncated_inside_a_map_is_refused(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      SnapshotFileFormatTest.saveFormat1(path, large());
      String json = Files.readString(path);
      Files.writeString(path, json.substring(0, json.indexOf("\"plans\":") + 500));

      assertThat(new SnapshotFile(path, UnaryOperator.identity(), 4, 7).load()).isEmpty();
    }

    @Test
    void a_corrupt_record_deep_in_a_format_1_map_is_refused(@TempDir Path dir) throws IOException {
      Path path = dir.resolve("config.json");
      SnapshotFileFormatTest.saveFormat1(path, large());
      String json = Files.readString(path);
      int late = json.lastIndexOf("\"schemaVersion\":1");
      Files.writeString(
          path, json.substring(0, late) + "\"schemaVersion\":\"x\"" + json.substring(late + 17));

      assertThat(new SnapshotFile(path, UnaryOperator.identity(), 4, 7).load()).isEmpty();
    }
  }

  @Test
  void positions_are_saved_with_the_state(@TempDir Path dir) throws IOException {
    SnapshotFile file = new SnapshotFile(dir.resolve("config.json"));
    file.save(state(1));

    assertThat(Files.readString(file.path()))
        .contains("{\"topic\":\"turnpike.config.keys\",\"partition\":0,\"offset\":12}");
    assertThat(file.load().orElseThrow().positions())
        .isEqualTo(Map.of(new TopicPartition("turnpike.config.keys", 0), 12L));
  }
}
