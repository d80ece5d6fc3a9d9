package dev.turnpike.controlplane.deployment;

import java.util.List;

/**
 * The access-log fields a gateway node knows (the data plane's {@code AccessLog.ALL_FIELDS}; kept
 * in step by hand, since services share only the contracts module).
 */
public final class AccessLogFields {
  public static final List<String> ALL =
      List.of(
          "requestId",
          "time",
          "tenant",
          "api",
          "stage",
          "method",
          "path",
          "route",
          "keyPrefix",
          "status",
          "outcome",
          "latencyMs",
          "integrationLatencyMs",
          "bytesIn",
          "bytesOut",
          "sourceIp",
          "userAgent");

  private AccessLogFields() {}
}
