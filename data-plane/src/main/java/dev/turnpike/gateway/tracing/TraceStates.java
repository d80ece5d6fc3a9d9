package dev.turnpike.gateway.tracing;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;

/**
 * A client's {@code tracestate} as the SDK keeps it on the gateway's spans: {@code key=value}
 * members separated by commas, at most 32; a member the SDK refuses is left out rather than failing
 * the request (the header goes to backends as the client sent it in any case).
 */
final class TraceStates {
  private static final int MAX_MEMBERS = 32;

  private TraceStates() {}

  static TraceState parse(String header) {
    TraceStateBuilder builder = TraceState.builder();
    String[] members = header.split(",", MAX_MEMBERS + 1);
    // The first member is the most recent; the builder puts each new one first, so go backwards.
    for (int i = Math.min(members.length, MAX_MEMBERS) - 1; i >= 0; i--) {
      String member = members[i].strip();
      int eq = member.indexOf('=');
      if (eq > 0) {
        builder.put(member.substring(0, eq), member.substring(eq + 1));
      }
    }
    return builder.build();
  }
}
