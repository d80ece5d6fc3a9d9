package dev.turnpike.gateway.tracing;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * W3C Trace Context on the way out to a backend, function or authorizer. When the gateway traces
 * the request, the backend's parent is the gateway's span; when it does not, a well-formed {@code
 * traceparent} from the client goes on unchanged (W3C: a system that does not take part in a trace
 * passes its context on, so the client's trace continues past the gateway), with its {@code
 * tracestate}. Nothing here allocates: the untraced path only looks headers up.
 */
public final class TraceHeaders {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  /** W3C's limit on what a system must pass on; a longer one is dropped, not cut. */
  static final int MAX_TRACESTATE_CHARS = 512;

  private TraceHeaders() {}

  /**
   * The {@code traceparent} to send: the gateway's own ({@code gatewayParent}, null when it does
   * not trace this request), else the client's when well-formed, else null.
   */
  public static String traceparent(String gatewayParent, HttpServerRequest in) {
    if (gatewayParent != null) {
      return gatewayParent;
    }
    String client = in.getHeader(TRACEPARENT);
    return TraceParent.isWellFormed(client) ? client : null;
  }

  /** The client's {@code tracestate}, passed on with any {@code traceparent}; null for none. */
  public static String tracestate(String traceparent, HttpServerRequest in) {
    if (traceparent == null) {
      return null;
    }
    String state = in.getHeader(TRACESTATE);
    return state == null || state.length() > MAX_TRACESTATE_CHARS ? null : state;
  }

  /** Sets both headers on a backend request (replacing any the client's copy put there). */
  public static void put(MultiMap out, String gatewayParent, HttpServerRequest in) {
    String parent = traceparent(gatewayParent, in);
    if (parent == null) {
      // A malformed client header is no context: nothing of it reaches the backend.
      out.remove(TRACEPARENT);
      out.remove(TRACESTATE);
      return;
    }
    out.set(TRACEPARENT, parent);
    String state = tracestate(parent, in);
    if (state == null) {
      out.remove(TRACESTATE);
    } else {
      out.set(TRACESTATE, state);
    }
  }
}
