package dev.turnpike.gateway.tracing;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/**
 * W3C {@code traceparent}: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}. The
 * client writes it, so only the exact shape is read (lower-case hex, ids not all zero, version
 * {@code ff} refused); a later version's longer header is read by its first 55 characters, as the
 * standard asks.
 */
public final class TraceParent {
  private static final int LENGTH = 55;

  private TraceParent() {}

  /** Whether {@code header} is a traceparent this gateway can read; no allocation. */
  public static boolean isWellFormed(String header) {
    if (header == null || header.length() < LENGTH) {
      return false;
    }
    if (header.length() > LENGTH && (header.startsWith("00") || header.charAt(LENGTH) != '-')) {
      return false;
    }
    return isHex(header, 0, 2)
        && !header.startsWith("ff")
        && header.charAt(2) == '-'
        && isHex(header, 3, 35)
        && !isZero(header, 3, 35)
        && header.charAt(35) == '-'
        && isHex(header, 36, 52)
        && !isZero(header, 36, 52)
        && header.charAt(52) == '-'
        && isHex(header, 53, 55);
  }

  /** Whether a well-formed header's {@code sampled} flag is set. */
  public static boolean isSampled(String header) {
    return (Character.digit(header.charAt(54), 16) & 1) == 1;
  }

  /** The remote parent a well-formed header names, with the client's {@code tracestate}. */
  static SpanContext remoteParent(String header, String tracestate) {
    TraceState state = TraceState.getDefault();
    if (tracestate != null && tracestate.length() <= TraceHeaders.MAX_TRACESTATE_CHARS) {
      state = TraceStates.parse(tracestate);
    }
    return SpanContext.createFromRemoteParent(
        header.substring(3, 35), header.substring(36, 52), TraceFlags.fromHex(header, 53), state);
  }

  /** The header naming {@code span} as the parent, sampled. */
  static String of(SpanContext span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01";
  }

  private static boolean isHex(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
