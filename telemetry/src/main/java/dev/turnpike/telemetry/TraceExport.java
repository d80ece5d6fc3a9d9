package dev.turnpike.telemetry;

import dev.turnpike.settings.SettingsReader;
import java.time.Duration;

/**
 * Where a service's spans go and how: the operator's side of tracing that every service reads the
 * same way, each under its own prefix.
 *
 * @param endpoint the collector: its OTLP/HTTP traces URL (e.g. {@code
 *     http://collector:4318/v1/traces}) or its OTLP/gRPC address (e.g. {@code
 *     http://collector:4317}); null turns the service's tracing off
 * @param protocol how the spans travel
 * @param exportDelay how long finished spans wait to be sent in one batch
 */
public record TraceExport(String endpoint, OtlpProtocol protocol, Duration exportDelay) {
  /** No collector: no SDK, no thread, nothing recorded. */
  public static final TraceExport OFF =
      new TraceExport(null, OtlpProtocol.HTTP_PROTOBUF, Duration.ofSeconds(5));

  public boolean enabled() {
    return endpoint != null;
  }

  /** The same collector, reached over {@code protocol}, with {@code endpoint}. */
  public static TraceExport to(String endpoint, OtlpProtocol protocol, Duration exportDelay) {
    return new TraceExport(endpoint, protocol, exportDelay);
  }

  /**
   * {@code <prefix>OTLP_ENDPOINT} [none: off], {@code <prefix>OTLP_PROTOCOL} [http/protobuf; or
   * grpc], {@code <prefix>EXPORT_DELAY_MS} [5000], e.g. with prefix {@code TURNPIKE_CP_TRACING_}.
   */
  public static TraceExport read(SettingsReader read, String prefix) {
    String endpoint = read.url(prefix + "OTLP_ENDPOINT", null, false);
    String protocolName = read.string(prefix + "OTLP_PROTOCOL", "http/protobuf");
    OtlpProtocol protocol = OtlpProtocol.named(protocolName);
    if (protocol == null) {
      read.problem(
          prefix + "OTLP_PROTOCOL must be http/protobuf or grpc, was '" + protocolName + "'");
      protocol = OtlpProtocol.HTTP_PROTOBUF;
    }
    Duration delay = read.millis(prefix + "EXPORT_DELAY_MS", 5_000, 10, 60_000);
    return new TraceExport(endpoint, protocol, delay);
  }

  /** {@code <prefix>SAMPLE_RATE} [1.0]: the share (0..1) of new traces a service records. */
  public static double readSampleRate(SettingsReader read, String prefix) {
    double rate = read.decimal(prefix + "SAMPLE_RATE", 1.0, 0);
    if (rate > 1) {
      read.problem(prefix + "SAMPLE_RATE must be 0 to 1, got " + rate);
    }
    return Math.min(rate, 1);
  }
}
