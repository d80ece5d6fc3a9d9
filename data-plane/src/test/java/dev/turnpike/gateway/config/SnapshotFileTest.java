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
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
      assertThat(fileWith(dir, json.replace("\"format\":1", "\"format\":2")).load()).isEmpty();
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
