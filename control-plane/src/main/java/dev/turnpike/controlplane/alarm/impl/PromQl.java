package dev.turnpike.controlplane.alarm.impl;

import dev.turnpike.controlplane.alarm.AlarmMetric;

/**
 * The PromQL an alarm is evaluated with, built by the platform from the gateway's own series
 * ({@code StageMeters}: {@code turnpike_gateway_requests_total} by status class and {@code
 * turnpike_gateway_request_latency_seconds}, labelled tenant, api, stage, release). The only values
 * from outside are the three label values, and they go in as quoted string literals with equality
 * matchers (never {@code =~}), every character that could end the literal or start an escape
 * escaped; so whatever a stage is called, the query selects that tenant's stage and nothing else.
 * Both releases (base and canary) are summed, as metering counts them.
 */
final class PromQl {
  static final String REQUESTS = "turnpike_gateway_requests_total";
  static final String LATENCY = "turnpike_gateway_request_latency_seconds";

  private PromQl() {}

  /**
   * @param tenant the tenant's slug, as the gateway labels it
   * @param api the API's slug
   */
  static String query(
      AlarmMetric metric, String tenant, String api, String stage, int windowMinutes) {
    String scope = "tenant=" + quote(tenant) + ",api=" + quote(api) + ",stage=" + quote(stage);
    String window = "[" + windowMinutes + "m]";
    String all = "sum(increase(" + REQUESTS + "{" + scope + "}" + window + "))";
    return switch (metric) {
      case REQUESTS -> all;
      case ERRORS_4XX -> byStatus(scope, "4xx", window);
      case ERRORS_5XX -> byStatus(scope, "5xx", window);
      case ERROR_RATE_5XX -> "100 * " + byStatus(scope, "5xx", window) + " / " + all;
      case LATENCY_MEAN_MS ->
          "1000 * sum(increase("
              + LATENCY
              + "_sum{"
              + scope
              + "}"
              + window
              + ")) / sum(increase("
              + LATENCY
              + "_count{"
              + scope
              + "}"
              + window
              + "))";
      case LATENCY_MAX_MS ->
          "1000 * max(max_over_time(" + LATENCY + "_max{" + scope + "}" + window + "))";
    };
  }

  private static String byStatus(String scope, String statusClass, String window) {
    return "sum(increase("
        + REQUESTS
        + "{"
        + scope
        + ",status="
        + quote(statusClass)
        + "}"
        + window
        + "))";
  }

  /**
   * A PromQL double-quoted string literal holding exactly {@code value}. Printable ASCII passes but
   * for {@code "} and {@code \}, which are escaped; anything else (control characters, line ends,
   * non-ASCII) becomes a {@code \\u} or {@code \\U} escape, which PromQL reads back as the same
   * code point.
   */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    value
        .codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
              } else if (c >= 0x20 && c < 0x7f) {
                out.appendCodePoint(c);
              } else if (c <= 0xffff) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.append(String.format("\\U%08x", c));
              }
            });
    return out.append('"').toString();
  }
}
