package dev.turnpike.contracts.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param principalId who an authorizer found the caller to be (a JWT's {@code sub}, a Lambda
 *     authorizer's {@code principalId}); null when the route has no authorizer or it refused the
 *     call. Added without a schema version bump, as the codec's rule is for a field that only adds
 *     (readers ignore it); left out of the JSON when null, so an event without one is the same
 *     bytes as before it existed
 * @param cacheHit the stage cache answered without calling the integration; metered all the same.
 *     Added as {@code principalId} was: left out of the JSON when false, read as false when absent
 * @param webSocketEvent for a WebSocket API, which event of a connection this is: {@code CONNECT}
 *     (the handshake), {@code MESSAGE} (one message; {@code bytesIn} its size) or {@code
 *     DISCONNECT}; null, and left out of the JSON, for an HTTP call, so such events keep their
 *     bytes
 * @param connectionMillis on {@code DISCONNECT}, how long the connection was open (what connection
 *     minutes are priced by); 0, and left out of the JSON, otherwise
 * @param canary the stage's canary deployment served the call, not its base deployment. Added as
 *     {@code cacheHit} was: left out when false, read as false when absent; it comes after the
 *     WebSocket fields, in the record and so in the JSON
 * @param traceId the W3C trace id (32 lower-case hex digits) of the request's trace: the gateway's
 *     when it sampled the request, else a well-formed one the client sent; null for none. Added as
 *     {@code principalId} was: left out of the JSON when null, ignored by older readers; it comes
 *     last, after {@code canary}
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
    String nodeId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String principalId,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean cacheHit,
    @JsonInclude(JsonInclude.Include.NON_NULL) String webSocketEvent,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long connectionMillis,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean canary,
    @JsonInclude(JsonInclude.Include.NON_NULL) String traceId)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  public static final JsonCodec<UsageEvent> CODEC = JsonCodec.of(UsageEvent.class, SCHEMA_VERSION);

  public UsageEvent {
    outcome = outcome == null ? Outcome.UNKNOWN : outcome;
  }

  /** An event without a trace id, as every event was before traces. */
  public UsageEvent(
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
      String nodeId,
      String principalId,
      boolean cacheHit,
      String webSocketEvent,
      long connectionMillis,
      boolean canary) {
    this(
        schemaVersion,
        eventId,
        tenantId,
        apiId,
        stage,
        routeKey,
        keyId,
        appId,
        planId,
        status,
        outcome,
        latencyMicros,
        bytesIn,
        bytesOut,
        timestamp,
        nodeId,
        principalId,
        cacheHit,
        webSocketEvent,
        connectionMillis,
        canary,
        null);
  }

  /** A WebSocket connection's event that the stage's base deployment served. */
  public UsageEvent(
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
      String nodeId,
      String principalId,
      boolean cacheHit,
      String webSocketEvent,
      long connectionMillis) {
    this(
        schemaVersion,
        eventId,
        tenantId,
        apiId,
        stage,
        routeKey,
        keyId,
        appId,
        planId,
        status,
        outcome,
        latencyMicros,
        bytesIn,
        bytesOut,
        timestamp,
        nodeId,
        principalId,
        cacheHit,
        webSocketEvent,
        connectionMillis,
        false,
        null);
  }

  /**
   * An HTTP call's event, served by the stage's canary deployment or its base one, with {@code
   * traceId}, null for none.
   */
  public UsageEvent(
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
      String nodeId,
      String principalId,
      boolean cacheHit,
      boolean canary,
      String traceId) {
    this(
        schemaVersion,
        eventId,
        tenantId,
        apiId,
        stage,
        routeKey,
        keyId,
        appId,
        planId,
        status,
        outcome,
        latencyMicros,
        bytesIn,
        bytesOut,
        timestamp,
        nodeId,
        principalId,
        cacheHit,
        null,
        0,
        canary,
        traceId);
  }

  /**
   * An HTTP call's event, served by the stage's canary deployment or its base one, without a trace
   * id.
   */
  public UsageEvent(
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
      String nodeId,
      String principalId,
      boolean cacheHit,
      boolean canary) {
    this(
        schemaVersion,
        eventId,
        tenantId,
        apiId,
        stage,
        routeKey,
        keyId,
        appId,
        planId,
        status,
        outcome,
        latencyMicros,
        bytesIn,
        bytesOut,
        timestamp,
        nodeId,
        principalId,
        cacheHit,
        null,
        0,
        canary,
        null);
  }

  /**
   * An HTTP call's event that the stage's base deployment served (or that reached no canary), with
   * {@code traceId}, null for none.
   */
  public UsageEvent(
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
      String nodeId,
      String principalId,
      boolean cacheHit,
      String traceId) {
    this(
        schemaVersion,
        eventId,
        tenantId,
        apiId,
        stage,
        routeKey,
        keyId,
        appId,
        planId,
        status,
        outcome,
        latencyMicros,
        bytesIn,
        bytesOut,
        timestamp,
        nodeId,
        principalId,
        cacheHit,
        null,
        0,
        false,
        traceId);
  }

  /** An HTTP call's event that the stage's base deployment served (or that reached no canary). */
  public UsageEvent(
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
      String nodeId,
      String principalId,
      boolean cacheHit) {
    this(
        schemaVersion,
        eventId,
        tenantId,
        apiId,
        stage,
        routeKey,
        keyId,
        appId,
        planId,
        status,
        outcome,
        latencyMicros,
        bytesIn,
        bytesOut,
        timestamp,
        nodeId,
        principalId,
        cacheHit,
        null,
        0,
        false,
        null);
  }

  /** An event that did not come from the stage cache. */
  public UsageEvent(
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
      String nodeId,
      String principalId) {
    this(
        schemaVersion,
        eventId,
        tenantId,
        apiId,
        stage,
        routeKey,
        keyId,
        appId,
        planId,
        status,
        outcome,
        latencyMicros,
        bytesIn,
        bytesOut,
        timestamp,
        nodeId,
        principalId,
        false,
        false);
  }

  /** An event without a principal, as every event was before authorizers. */
  public UsageEvent(
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
      String nodeId) {
    this(
        schemaVersion,
        eventId,
        tenantId,
        apiId,
        stage,
        routeKey,
        keyId,
        appId,
        planId,
        status,
        outcome,
        latencyMicros,
        bytesIn,
        bytesOut,
        timestamp,
        nodeId,
        null,
        false,
        false);
  }
}
