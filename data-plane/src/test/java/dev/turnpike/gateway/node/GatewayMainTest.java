package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's main, run as its own process from the test classpath. */
class GatewayMainTest {
  @Nested
  class Logging_settings {
    @Test
    void a_bad_log_format_stops_the_node_at_start_naming_the_variable(@TempDir Path dir)
        throws Exception {
      Path log = dir.resolve("node.log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      ProcessHandle.current().info().command().orElse("java"),
                      "-cp",
                      System.getProperty("java.class.path"),
                      GatewayMain.class.getName()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("TURNPIKE_LOG_FORMAT", "yaml");
      Process process = builder.start();
      boolean exited = process.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(exited).as("stopped at start: " + output).isTrue();

      assertThat(process.exitValue()).as(output).isEqualTo(2);
      assertThat(output)
          .contains("invalid gateway settings")
          .contains("TURNPIKE_LOG_FORMAT must be one of [text, json], was 'yaml'");
    }
  }
}
