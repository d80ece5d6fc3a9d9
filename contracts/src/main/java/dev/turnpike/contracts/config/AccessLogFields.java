package dev.turnpike.contracts.config;

import java.util.List;

/**
 * The access-log fields a gateway node can write, in its default order: what an owner may list in a
 * stage's {@link DeploymentSnapshot#accessLogFields()}, and what the gateway renders.
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
          "userAgent",
          "principalId",
          "clientCertSubject",
          "clientCertSerial",
          "cacheStatus",
          "isCanaryRequest");

  private AccessLogFields() {}
}
