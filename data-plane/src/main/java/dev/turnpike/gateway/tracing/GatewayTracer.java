package dev.turnpike.gateway.tracing;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.telemetry.TracerProviders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Decides per request whether the gateway traces it, and starts its span when it does. Head
 * sampling: a stage traces its owner's percentage of requests, a client's sampled {@code
 * traceparent} is followed (as X-Ray follows {@code Sampled=1}) and an unsampled one is not, and
 * the operator's ceiling caps both. The decision is made here, before any span or context exists,
 * so a request that is not traced costs two field reads and, when the stage traces, one header
 * lookup. Spans go to the collector in batches from the SDK's own thread; an event loop never waits
 * on it.
 */
public final class GatewayTracer implements AutoCloseable {
  /** No collector: {@link #begin} always answers null. */
  public static final GatewayTracer OFF = new GatewayTracer(null, null, 0, null);

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final double ceiling;
  private final String responseHeader;

  private GatewayTracer(
      SdkTracerProvider provider, Tracer tracer, double ceiling, String responseHeader) {
    this.provider = provider;
    this.tracer = tracer;
    this.ceiling = ceiling;
    this.responseHeader = responseHeader;
  }

  /** The tracer the settings ask for; {@link #OFF} without a collector. */
  public static GatewayTracer start(TracingSettings settings, String nodeId) {
    if (!settings.enabled()) {
      return OFF;
    }
    SdkTracerProvider provider =
        TracerProviders.start(
            settings.export(),
            "turnpike-gateway",
            nodeId,
            // The decision is begin()'s; every span the gateway starts is recorded.
            Sampler.alwaysOn());
    return new GatewayTracer(
        provider,
        provider.get("dev.turnpike.gateway"),
        settings.maxSampleRate(),
        settings.responseHeader());
  }

  /**
   * The trace of a request that reached {@code stage}, or null when it is not traced.
   *
   * @param startNanos when the gateway received the request, {@link System#nanoTime()}
   */
  public RequestTrace begin(HttpServerRequest request, DeploymentSnapshot stage, long startNanos) {
    if (tracer == null) {
      return null;
    }
    double rate = stage.tracingOrOff().sampleRate();
    if (rate <= 0) {
      return null;
    }
    String clientParent = request.getHeader(TraceHeaders.TRACEPARENT);
    SpanContext parent = null;
    if (TraceParent.isWellFormed(clientParent)) {
      if (!TraceParent.isSampled(clientParent) || !chance(ceiling)) {
        return null;
      }
      parent = TraceParent.remoteParent(clientParent, request.getHeader(TraceHeaders.TRACESTATE));
    } else if (!chance(Math.min(rate, ceiling))) {
      return null;
    }
    long epochStart = RequestTrace.epochNanosOf(startNanos);
    SpanBuilder builder =
        tracer
            .spanBuilder(stage.apiSlug() + "/" + stage.stage())
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(epochStart, TimeUnit.NANOSECONDS)
            .setParent(parent == null ? Context.root() : Context.root().with(Span.wrap(parent)));
    SpanAttributes.stage(builder, request, stage);
    RequestTrace trace = new RequestTrace(tracer, builder.startSpan(), startNanos, epochStart);
    if (responseHeader != null) {
      request.response().putHeader(responseHeader, trace.responseHeaderValue(responseHeader));
    }
    return trace;
  }

  private static boolean chance(double rate) {
    return rate >= 1 || ThreadLocalRandom.current().nextDouble() < rate;
  }

  /** Sends what is still queued (bounded) and stops the exporter. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
