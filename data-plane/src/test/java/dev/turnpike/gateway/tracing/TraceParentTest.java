package dev.turnpike.gateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.settings.SettingsReader;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TraceParentTest {
  static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Nested
  class Well_formed {
    @Test
    void takes_the_standards_shape_and_reads_its_sampled_flag() {
      assertThat(TraceParent.isWellFormed(VALID)).isTrue();
      assertThat(TraceParent.isSampled(VALID)).isTrue();
      assertThat(TraceParent.isSampled(VALID.substring(0, 53) + "00")).isFalse();
      // A later version may add fields after a dash; its first 55 characters are read.
      assertThat(TraceParent.isWellFormed("01" + VALID.substring(2) + "-what-next")).isTrue();
    }

    @Test
    void refuses_what_a_client_could_use_to_forge_or_smuggle() {
      assertThat(TraceParent.isWellFormed(null)).isFalse();
      assertThat(TraceParent.isWellFormed("garbage")).isFalse();
      assertThat(TraceParent.isWellFormed(VALID.toUpperCase())).isFalse();
      assertThat(TraceParent.isWellFormed(VALID + "-extra")).isFalse();
      assertThat(TraceParent.isWellFormed("ff" + VALID.substring(2))).isFalse();
      assertThat(
              TraceParent.isWellFormed("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
          .isFalse();
      assertThat(
              TraceParent.isWellFormed("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
          .isFalse();
      assertThat(TraceParent.isWellFormed(VALID.replace('-', '_'))).isFalse();
      assertThat(TraceParent.isWellFormed(VALID.substring(0, 54) + "\n")).isFalse();
    }

    @Test
    void names_a_span_as_a_sampled_parent() {
      var parent = TraceParent.remoteParent(VALID, "a=1,b=2");
      assertThat(TraceParent.of(parent)).isEqualTo(VALID);
      assertThat(parent.getTraceState().get("b")).isEqualTo("2");
    }
  }

  @Nested
  class Settings {
    @Test
    void are_off_without_a_collector() {
      TracingSettings settings = TracingSettings.read(new SettingsReader(Map.of()));
      assertThat(settings.enabled()).isFalse();
      assertThat(GatewayTracer.start(settings, "n")).isSameAs(GatewayTracer.OFF);
    }

    @Test
    void refuse_a_ceiling_above_one_and_a_header_that_is_no_header_name() {
      SettingsReader read =
          new SettingsReader(
              Map.of(
                  "TURNPIKE_GATEWAY_TRACING_OTLP_ENDPOINT", "http://collector:4318/v1/traces",
                  "TURNPIKE_GATEWAY_TRACING_MAX_SAMPLE_RATE", "1.5",
                  "TURNPIKE_GATEWAY_TRACING_RESPONSE_HEADER", "X-Trace: evil"));
      TracingSettings.read(read);
      Assertions.assertThatThrownBy(() -> read.failOnProblems("gateway"))
          .hasMessageContaining("TURNPIKE_GATEWAY_TRACING_MAX_SAMPLE_RATE")
          .hasMessageContaining("TURNPIKE_GATEWAY_TRACING_RESPONSE_HEADER");
    }
  }
}
