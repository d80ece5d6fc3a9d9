package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccessLogFormatSnapshotCodecTest {
  @Test
  void a_snapshot_without_a_format_is_written_as_before_and_reads_without_one() {
    DeploymentSnapshot plain = WebSocketSnapshotCodecTest.httpSnapshot();
    String json = DeploymentSnapshot.CODEC.encodeToString(plain);
    assertThat(json).doesNotContain("accessLogFormat");
    assertThat(DeploymentSnapshot.CODEC.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(plain)
        .extracting(DeploymentSnapshot::accessLogFormat)
        .isNull();
  }

  @Test
  void a_format_survives_encode_and_decode_as_written() {
    String format = "{\"requestId\":\"$context.requestId\",\"status\":\"$context.status\"}";
    DeploymentSnapshot snapshot =
        WebSocketSnapshotCodecTest.httpSnapshot().toBuilder().accessLogFormat(format).build();
    DeploymentSnapshot read =
        DeploymentSnapshot.CODEC.decode(DeploymentSnapshot.CODEC.encode(snapshot));
    assertThat(read).isEqualTo(snapshot);
    assertThat(read.accessLogFormat()).isEqualTo(format);
    assertThat(read.toBuilder().build().accessLogFormat()).isEqualTo(format);
  }
}
