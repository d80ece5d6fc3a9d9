package dev.turnpike.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.settings.SettingsReader;
import dev.turnpike.testkit.otlp.OtlpTestCollector;
import dev.turnpike.testkit.otlp.OtlpTestCollector.ReceivedSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Spans reach a collector on port 0 over either protocol, with the service's resource. */
class TracerProvidersTest {
  Vertx vertx;
  OtlpTestCollector collector;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    collector = OtlpTestCollector.start(vertx);
  }

  @AfterEach
  void stop() {
    collector.close();
    vertx.close().await();
  }

  ReceivedSpan exportOneSpan(TraceExport export) {
    SdkTracerProvider provider =
        TracerProviders.start(export, "turnpike-test", "instance-1", Sampler.alwaysOn());
    String traceId;
    try {
      Span span =
          provider.get("test").spanBuilder("work").setSpanKind(SpanKind.INTERNAL).startSpan();
      traceId = span.getSpanContext().getTraceId();
      span.end();
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(collector.spans()).hasSize(1);
    ReceivedSpan received = collector.spans().get(0);
    assertThat(received.traceId()).isEqualTo(traceId);
    return received;
  }

  @Nested
  class Grpc {
    @Test
    void sends_spans_as_a_grpc_export_over_cleartext_http2() {
      ReceivedSpan span =
          exportOneSpan(
              TraceExport.to(collector.grpcEndpoint(), OtlpProtocol.GRPC, Duration.ofMillis(20)));

      assertThat(span.name()).isEqualTo("work");
      assertThat(span.serviceName()).isEqualTo("turnpike-test");
      assertThat(collector.exports())
          .singleElement()
          .satisfies(
              export -> {
                assertThat(export.path()).isEqualTo(OtlpTestCollector.GRPC_PATH);
                assertThat(export.contentType()).isEqualTo("application/grpc");
                assertThat(export.httpVersion()).isEqualTo("HTTP_2");
              });
    }

    @Test
    void reports_a_failed_export_when_the_collector_answers_with_a_grpc_error() {
      // The collector answers UNIMPLEMENTED for any other method: the address names a wrong path.
      SdkTracerProvider provider =
          TracerProviders.start(
              TraceExport.to(
                  collector.grpcEndpoint() + "/elsewhere",
                  OtlpProtocol.GRPC,
                  Duration.ofMillis(20)),
              "turnpike-test",
              "instance-1",
              Sampler.alwaysOn());
      try {
        var exporter =
            TracerProviders.exporter(
                TraceExport.to(
                    collector.grpcEndpoint() + "/elsewhere",
                    OtlpProtocol.GRPC,
                    Duration.ofMillis(20)));
        Span span = provider.get("test").spanBuilder("lost").startSpan();
        span.end();
        var data = ((io.opentelemetry.sdk.trace.ReadableSpan) span).toSpanData();
        assertThat(exporter.export(java.util.List.of(data)).join(10, TimeUnit.SECONDS).isSuccess())
            .isFalse();
        exporter.shutdown().join(10, TimeUnit.SECONDS);
      } finally {
        provider.shutdown().join(10, TimeUnit.SECONDS);
      }
      assertThat(collector.spans()).extracting(ReceivedSpan::name).doesNotContain("lost");
    }
  }

  @Nested
  class Http {
    @Test
    void sends_spans_as_protobuf_to_the_traces_url() {
      ReceivedSpan span =
          exportOneSpan(
              TraceExport.to(
                  collector.endpoint(), OtlpProtocol.HTTP_PROTOBUF, Duration.ofMillis(20)));

      assertThat(span.serviceName()).isEqualTo("turnpike-test");
      assertThat(collector.exports())
          .singleElement()
          .satisfies(
              export -> assertThat(export.contentType()).isEqualTo("application/x-protobuf"));
    }
  }

  @Nested
  class Settings {
    static final TraceExport.Keys KEYS =
        new TraceExport.Keys(
            "TURNPIKE_X_TRACING_OTLP_ENDPOINT",
            "TURNPIKE_X_TRACING_OTLP_PROTOCOL",
            "TURNPIKE_X_TRACING_EXPORT_DELAY_MS");

    @Test
    void are_off_without_an_endpoint_and_read_the_protocol_by_its_otlp_name() {
      assertThat(TraceExport.read(new SettingsReader(Map.of()), KEYS).enabled()).isFalse();
      TraceExport grpc =
          TraceExport.read(
              new SettingsReader(
                  Map.of(
                      "TURNPIKE_X_TRACING_OTLP_ENDPOINT", "http://collector:4317",
                      "TURNPIKE_X_TRACING_OTLP_PROTOCOL", "grpc")),
              KEYS);
      assertThat(grpc.protocol()).isEqualTo(OtlpProtocol.GRPC);
      assertThat(grpc.endpoint()).isEqualTo("http://collector:4317");
    }

    @Test
    void refuse_an_unknown_protocol_and_a_rate_above_one() {
      SettingsReader read =
          new SettingsReader(
              Map.of(
                  "TURNPIKE_X_TRACING_OTLP_PROTOCOL", "http/json",
                  "TURNPIKE_X_TRACING_SAMPLE_RATE", "2"));
      ServiceTracing.read(read, KEYS, "TURNPIKE_X_TRACING_SAMPLE_RATE");
      assertThatThrownBy(() -> read.failOnProblems("test"))
          .hasMessageContaining("TURNPIKE_X_TRACING_OTLP_PROTOCOL")
          .hasMessageContaining("TURNPIKE_X_TRACING_SAMPLE_RATE");
    }

    @Test
    void a_provider_needs_a_collector() {
      assertThatThrownBy(() -> TracerProviders.start(TraceExport.OFF, "s", "i", Sampler.alwaysOn()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
