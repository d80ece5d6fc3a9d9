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
    return new UsageEvent(
        UsageEvent.SCHEMA_VERSION,
        UUID.randomUUID(),
        "tenant-1",
        "api-1",
        "prod",
        "GET /pets/{id}",
        keyId,
        keyId == null ? null : "app-1",
        keyId == null ? null : "plan-1",
        status,
        outcome,
        1_234,
        0,
        321,
        Instant.now().truncatedTo(ChronoUnit.MILLIS),
        nodeId);
  }
}
