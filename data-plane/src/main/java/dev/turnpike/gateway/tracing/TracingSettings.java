package dev.turnpike.gateway.tracing;

import dev.turnpike.settings.SettingsReader;
import dev.turnpike.telemetry.TraceExport;
import java.util.regex.Pattern;

/**
 * The operator's side of traces: where spans go, the most of any stage's traffic this node traces,
 * and the response header that tells a client its trace id.
 *
 * @param export the collector (OTLP/HTTP traces URL or OTLP/gRPC address) and how spans are batched
 *     to it; none turns tracing off on this node, whatever stages ask
 * @param maxSampleRate the node-wide ceiling, 0..1: a stage's percentage and a client's sampled
 *     {@code traceparent} are followed at most this often
 * @param responseHeader the header carrying the trace id of a traced request back to the client;
 *     null for none. {@code traceresponse} gets W3C's form, any other name X-Ray's {@code Root=}
 */
public record TracingSettings(TraceExport export, double maxSampleRate, String responseHeader) {
  /** No collector: nothing traced, nothing allocated per request. */
  public static final TracingSettings OFF = new TracingSettings(TraceExport.OFF, 1.0, null);

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");

  public boolean enabled() {
    return export.enabled();
  }

  /**
   * {@code TURNPIKE_GATEWAY_TRACING_OTLP_ENDPOINT} [none: off], {@code
   * TURNPIKE_GATEWAY_TRACING_OTLP_PROTOCOL} [http/protobuf; or grpc], {@code
   * TURNPIKE_GATEWAY_TRACING_MAX_SAMPLE_RATE} [1.0], {@code
   * TURNPIKE_GATEWAY_TRACING_RESPONSE_HEADER} [none], {@code
   * TURNPIKE_GATEWAY_TRACING_EXPORT_DELAY_MS} [5000].
   */
  public static TracingSettings read(SettingsReader read) {
    TraceExport export =
        TraceExport.read(
            read,
            new TraceExport.Keys(
                "TURNPIKE_GATEWAY_TRACING_OTLP_ENDPOINT",
                "TURNPIKE_GATEWAY_TRACING_OTLP_PROTOCOL",
                "TURNPIKE_GATEWAY_TRACING_EXPORT_DELAY_MS"));
    double ceiling = read.decimal("TURNPIKE_GATEWAY_TRACING_MAX_SAMPLE_RATE", 1.0, 0);
    if (ceiling > 1) {
      read.problem("TURNPIKE_GATEWAY_TRACING_MAX_SAMPLE_RATE must be 0 to 1, got " + ceiling);
    }
    String header = read.optional("TURNPIKE_GATEWAY_TRACING_RESPONSE_HEADER");
    if (header != null && (header.isBlank() || header.equalsIgnoreCase("none"))) {
      header = null;
    }
    if (header != null && !TOKEN.matcher(header).matches()) {
      read.problem(
          "TURNPIKE_GATEWAY_TRACING_RESPONSE_HEADER must be a header name, was '" + header + "'");
    }
    return new TracingSettings(export, Math.min(ceiling, 1), header);
  }
}
