package dev.turnpike.telemetry;

import dev.turnpike.settings.SettingsReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.UUID;

/**
 * A service's own spans (the control plane's, metering's): where they go, and the share of new
 * traces recorded. A caller's sampled {@code traceparent} is followed and an unsampled one is not,
 * whatever the rate, so one trace is recorded everywhere or nowhere.
 *
 * @param export the collector; none turns the service's tracing off
 * @param sampleRate 0..1, the share of traces the service starts that it records
 */
public record ServiceTracing(TraceExport export, double sampleRate) {
  public static final ServiceTracing OFF = new ServiceTracing(TraceExport.OFF, 1.0);

  public boolean enabled() {
    return export.enabled();
  }

  /**
   * {@code <prefix>OTLP_ENDPOINT} [none: off], {@code <prefix>OTLP_PROTOCOL} [http/protobuf; or
   * grpc], {@code <prefix>EXPORT_DELAY_MS} [5000], {@code <prefix>SAMPLE_RATE} [1.0].
   */
  public static ServiceTracing read(SettingsReader read, String prefix) {
    return new ServiceTracing(
        TraceExport.read(read, prefix), TraceExport.readSampleRate(read, prefix));
  }

  /**
   * The provider for {@code serviceName}, its instance a fresh UUID (as OpenTelemetry suggests for
   * a process with no id of its own); null when tracing is off.
   */
  public SdkTracerProvider start(String serviceName) {
    if (!enabled()) {
      return null;
    }
    return TracerProviders.start(
        export,
        serviceName,
        UUID.randomUUID().toString(),
        Sampler.parentBased(Sampler.traceIdRatioBased(sampleRate)));
  }
}
