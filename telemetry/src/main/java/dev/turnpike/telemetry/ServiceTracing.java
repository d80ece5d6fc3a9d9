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
   * The collector ({@code keys}) and {@code sampleRateKey} [1.0], e.g. {@code
   * TURNPIKE_CP_TRACING_SAMPLE_RATE}.
   */
  public static ServiceTracing read(
      SettingsReader read, TraceExport.Keys keys, String sampleRateKey) {
    return new ServiceTracing(
        TraceExport.read(read, keys), TraceExport.readRate(read, sampleRateKey, 1.0));
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
