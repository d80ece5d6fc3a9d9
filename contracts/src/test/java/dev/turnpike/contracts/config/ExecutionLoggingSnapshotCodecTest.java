package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExecutionLoggingSnapshotCodecTest {
  @Test
  void a_snapshot_with_logging_off_is_written_as_before_and_reads_as_off() {
    DeploymentSnapshot plain = WebSocketSnapshotCodecTest.httpSnapshot();
    DeploymentSnapshot off = plain.toBuilder().executionLogging(StageExecutionLogging.OFF).build();
    String json = DeploymentSnapshot.CODEC.encodeToString(off);
    assertThat(json)
        .isEqualTo(DeploymentSnapshot.CODEC.encodeToString(plain))
        .doesNotContain("executionLogging");
    DeploymentSnapshot read =
        DeploymentSnapshot.CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(read).isEqualTo(plain);
    assertThat(read.executionLoggingOrOff()).isEqualTo(StageExecutionLogging.OFF);
  }

  @Test
  void a_level_and_data_trace_survive_encode_and_decode() {
    StageExecutionLogging logging =
        new StageExecutionLogging(StageExecutionLogging.Level.INFO, true);
    DeploymentSnapshot snapshot =
        WebSocketSnapshotCodecTest.httpSnapshot().toBuilder().executionLogging(logging).build();
    String json = DeploymentSnapshot.CODEC.encodeToString(snapshot);
    assertThat(json)
        .contains("\"executionLogging\":{\"loggingLevel\":\"INFO\",\"dataTraceEnabled\":true}");
    DeploymentSnapshot read =
        DeploymentSnapshot.CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(read).isEqualTo(snapshot);
    assertThat(read.toBuilder().build().executionLogging()).isEqualTo(logging);
  }
}
