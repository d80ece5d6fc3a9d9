package dev.turnpike.gateway.http;

import dev.turnpike.contracts.config.AccessLogFormat;
import dev.turnpike.gateway.integration.CallContext;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.response.GatewayResponses;

/**
 * One access-log line in an owner's format ({@link AccessLogFormat}): each {@code $context}
 * variable replaced by the finished call's value, {@code -} for one the call does not have, as API
 * Gateway writes them.
 *
 * <p>Where Turnpike differs, on purpose: a value is escaped so that nothing a client sends can
 * forge a line (control characters always, quotes and backslashes too in a JSON format), and {@code
 * $context.identity.apiKey} writes the key's prefix, never the key, since access logs are read by
 * more people than keys should be.
 */
final class FormattedAccessLine {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private FormattedAccessLine() {}

  static String render(AccessLogFormat format, Exchange exchange, long nowNanos) {
    StringBuilder line = new StringBuilder(256);
    IntegrationCall call = null;
    for (AccessLogFormat.Part part : format.parts()) {
      if (!part.isVariable()) {
        line.append(part.text());
        continue;
      }
      String name = part.variable();
      String value;
      if (AccessLogFormat.RESPONSE_VARIABLES.contains(name) || name.equals("identity.apiKey")) {
        value = finishedValue(name, exchange, nowNanos);
      } else {
        if (call == null) {
          call = exchange.call(null);
        }
        value = CallContext.value(call, name);
      }
      appendEscaped(line, value == null ? "-" : value, format.json());
    }
    return line.toString();
  }

  private static String finishedValue(String name, Exchange exchange, long nowNanos) {
    return switch (name) {
      case "status" -> Integer.toString(exchange.status);
      case "responseLength" -> Long.toString(exchange.bytesOut);
      case "responseLatency" -> Long.toString((nowNanos - exchange.startNanos) / 1_000_000);
      case "integrationLatency", "integration.latency" ->
          exchange.integrationStartNanos == 0
                  || exchange.route == null
                  || exchange.route.integration() == null
                  || !exchange.route.integration().callsBackend()
              ? null
              : Long.toString(exchange.integrationNanos / 1_000_000);
      case "error.message" -> exchange.failure == null ? null : exchange.failure.getMessage();
      case "error.messageString" ->
          exchange.failure == null
              ? null
              : GatewayResponses.messageString(exchange.failure.getMessage());
      case "error.responseType" -> exchange.failure == null ? null : exchange.failure.type().name();
      case "xrayTraceId" -> exchange.traceId();
      case "routeKey" -> exchange.route == null ? null : exchange.route.routeKey();
      case "accountId" -> exchange.stage == null ? null : exchange.stage.tenantId();
      case "identity.apiKey" -> exchange.keyPrefix();
      default -> null;
    };
  }

  static void appendEscaped(StringBuilder line, String value, boolean json) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        switch (c) {
          case '\n' -> line.append("\\n");
          case '\r' -> line.append("\\r");
          case '\t' -> line.append("\\t");
          default -> line.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
      } else if (json && (c == '"' || c == '\\')) {
        line.append('\\').append(c);
      } else {
        line.append(c);
      }
    }
  }
}
