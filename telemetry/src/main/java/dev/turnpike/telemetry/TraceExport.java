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
   * The names a service reads its settings under, spelled out in full so that a search of the
   * sources finds every one (infra/README.md lists them all).
   *
   * @param endpoint e.g. {@code TURNPIKE_CP_TRACING_OTLP_ENDPOINT} [none: off]
   * @param protocol e.g. {@code TURNPIKE_CP_TRACING_OTLP_PROTOCOL} [http/protobuf; or grpc]
   * @param exportDelay e.g. {@code TURNPIKE_CP_TRACING_EXPORT_DELAY_MS} [5000]
   */
  public record Keys(String endpoint, String protocol, String exportDelay) {}

  public static TraceExport read(SettingsReader read, Keys keys) {
    String endpoint = read.url(keys.endpoint(), null, false);
    String protocolName = read.string(keys.protocol(), "http/protobuf");
    OtlpProtocol protocol = OtlpProtocol.named(protocolName);
    if (protocol == null) {
      read.problem(keys.protocol() + " must be http/protobuf or grpc, was '" + protocolName + "'");
      protocol = OtlpProtocol.HTTP_PROTOBUF;
    }
    Duration delay = read.millis(keys.exportDelay(), 5_000, 10, 60_000);
    return new TraceExport(endpoint, protocol, delay);
  }

  /** A share (0..1) of traces, {@code fallback} when unset. */
  public static double readRate(SettingsReader read, String key, double fallback) {
    double rate = read.decimal(key, fallback, 0);
    if (rate > 1) {
      read.problem(key + " must be 0 to 1, got " + rate);
    }
    return Math.min(rate, 1);
  }
}
