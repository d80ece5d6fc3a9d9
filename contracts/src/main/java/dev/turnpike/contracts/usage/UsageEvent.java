package dev.turnpike.contracts.usage;

import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.Versioned;
import java.time.Instant;
import java.util.UUID;

/**
 * One gateway request, as metering counts it. Keyed by {@code keyId} on the usage topic so one
 * key's events stay in order on one partition.
 *
 * @param eventId unique per request; metering deduplicates on it
 * @param keyId null when the route needs no key
 * @param planId null when the route needs no key
 * @param routeKey {@code "METHOD /resource/path"} of the matched route, null when none matched
 */
public record UsageEvent(
    int schemaVersion,
    UUID eventId,
    String tenantId,
    String apiId,
    String stage,
    String routeKey,
    String keyId,
    String appId,
    String planId,
    int status,
    Outcome outcome,
    long latencyMicros,
    long bytesIn,
    long bytesOut,
    Instant timestamp,
    String nodeId)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  public static final JsonCodec<UsageEvent> CODEC = JsonCodec.of(UsageEvent.class, SCHEMA_VERSION);

  public UsageEvent {
    outcome = outcome == null ? Outcome.UNKNOWN : outcome;
  }
}
