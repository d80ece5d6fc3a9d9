package dev.turnpike.gateway.usage;

import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Usage events as the request handler builds them. */
final class TestEvents {
  private TestEvents() {}

  static UsageEvent served(String nodeId, String keyId) {
    return event(nodeId, keyId, 200, Outcome.SERVED);
  }

  static UsageEvent event(String nodeId, String keyId, int status, Outcome outcome) {
    return UsageEvent.builder()
        .eventId(UUID.randomUUID())
        .tenantId("tenant-1")
        .apiId("api-1")
        .stage("prod")
        .routeKey("GET /pets/{id}")
        .keyId(keyId)
        .appId(keyId == null ? null : "app-1")
        .planId(keyId == null ? null : "plan-1")
        .status(status)
        .outcome(outcome)
        .latencyMicros(1_234)
        .bytesIn(0)
        .bytesOut(321)
        .timestamp(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .nodeId(nodeId)
        .build();
  }
}
