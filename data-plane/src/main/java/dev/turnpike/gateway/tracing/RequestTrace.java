package dev.turnpike.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The spans of one traced request: the gateway's server span and its children (authorizer, cache
 * lookup, integration). Exists only for a sampled request; confined to its event loop. Times are
 * the gateway's own {@link System#nanoTime()} readings, placed on the wall clock once, so a child
 * never appears to start before its parent.
 */
public final class RequestTrace {
  private final Tracer tracer;
  private final Span root;
  private final Context rootContext;
  private final long startNanos;
  private final long epochStart;
  private Span integration;
  private String integrationParent;

  RequestTrace(Tracer tracer, Span root, long startNanos, long epochStart) {
    this.tracer = tracer;
    this.root = root;
    this.rootContext = Context.root().with(root);
    this.startNanos = startNanos;
    this.epochStart = epochStart;
  }

  /** The wall-clock time, epoch nanoseconds, of a {@link System#nanoTime()} reading taken now. */
  static long epochNanosOf(long nanoTime) {
    Instant now = Instant.now();
    long nowEpoch = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return nowEpoch - (System.nanoTime() - nanoTime);
  }

  private long epoch(long nanoTime) {
    return epochStart + (nanoTime - startNanos);
  }

  /** 32 lower-case hex digits. */
  public String traceId() {
    return root.getSpanContext().getTraceId();
  }

  public Span root() {
    return root;
  }

  /** A child of the request's span, started now; the caller ends it. */
  public Span startChild(String name, SpanKind kind) {
    return tracer.spanBuilder(name).setParent(rootContext).setSpanKind(kind).startSpan();
  }

  /** A child that has already happened, between two {@link System#nanoTime()} readings. */
  public void recordChild(
      String name, long fromNanos, long toNanos, AttributeKey<String> key, String value) {
    Span span =
        tracer
            .spanBuilder(name)
            .setParent(rootContext)
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(epoch(fromNanos), TimeUnit.NANOSECONDS)
            .startSpan();
    if (value != null) {
      span.setAttribute(key, value);
    }
    span.end(epoch(toNanos), TimeUnit.NANOSECONDS);
  }

  /** Starts the integration's span, now; its id is the backend's parent. */
  public void startIntegration(String name) {
    integration = startChild(name, SpanKind.CLIENT);
    integrationParent = TraceParent.of(integration.getSpanContext());
  }

  /** The {@code traceparent} the backend gets: the integration span; null before it started. */
  public String integrationTraceparent() {
    return integrationParent;
  }

  /** The {@code traceparent} naming {@code span} as parent, for an authorizer's call. */
  public static String traceparentOf(Span span) {
    return TraceParent.of(span.getSpanContext());
  }

  /**
   * Ends the integration's span (when it started) and the request's, at {@code endNanos}; a 5xx is
   * an error as OpenTelemetry's HTTP server convention says, a 4xx is the client's.
   */
  public void end(int status, long integrationEndNanos, long endNanos) {
    if (integration != null) {
      integration.setAttribute(SpanAttributes.HTTP_STATUS, (long) status);
      if (status >= 500) {
        integration.setStatus(StatusCode.ERROR);
      }
      integration.end(epoch(Math.max(integrationEndNanos, startNanos)), TimeUnit.NANOSECONDS);
    }
    root.setAttribute(SpanAttributes.HTTP_STATUS, (long) status);
    if (status >= 500) {
      root.setStatus(StatusCode.ERROR);
    }
    root.end(epoch(endNanos), TimeUnit.NANOSECONDS);
  }

  /**
   * The response header's value: W3C's {@code traceresponse} form for that name, else X-Ray's
   * {@code Root=1-<8 hex>-<24 hex>} (which splits the same 128 bits).
   */
  String responseHeaderValue(String name) {
    String traceId = traceId();
    if (name.toLowerCase(Locale.ROOT).equals("traceresponse")) {
      return TraceParent.of(root.getSpanContext());
    }
    return "Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8);
  }
}
