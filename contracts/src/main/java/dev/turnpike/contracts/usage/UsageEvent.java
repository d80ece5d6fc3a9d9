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

  /**
   * An event built by name: an HTTP call's, with no principal or trace id, not from the cache or a
   * canary, until set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this event, for a copy with some components changed. */
  public Builder toBuilder() {
    return new Builder()
        .schemaVersion(schemaVersion)
        .eventId(eventId)
        .tenantId(tenantId)
        .apiId(apiId)
        .stage(stage)
        .routeKey(routeKey)
        .keyId(keyId)
        .appId(appId)
        .planId(planId)
        .status(status)
        .outcome(outcome)
        .latencyMicros(latencyMicros)
        .bytesIn(bytesIn)
        .bytesOut(bytesOut)
        .timestamp(timestamp)
        .nodeId(nodeId)
        .principalId(principalId)
        .cacheHit(cacheHit)
        .webSocketEvent(webSocketEvent)
        .connectionMillis(connectionMillis)
        .canary(canary)
        .traceId(traceId);
  }

  /**
   * Builds an event component by component; one left unset keeps its {@link #builder()} default.
   */
  public static final class Builder {
    private int schemaVersion = SCHEMA_VERSION;
    private UUID eventId;
    private String tenantId;
    private String apiId;
    private String stage;
    private String routeKey;
    private String keyId;
    private String appId;
    private String planId;
    private int status;
    private Outcome outcome;
    private long latencyMicros;
    private long bytesIn;
    private long bytesOut;
    private Instant timestamp;
    private String nodeId;
    private String principalId;
    private boolean cacheHit;
    private String webSocketEvent;
    private long connectionMillis;
    private boolean canary;
    private String traceId;

    private Builder() {}

    public Builder schemaVersion(int schemaVersion) {
      this.schemaVersion = schemaVersion;
      return this;
    }

    public Builder eventId(UUID eventId) {
      this.eventId = eventId;
      return this;
    }

    public Builder tenantId(String tenantId) {
      this.tenantId = tenantId;
      return this;
    }

    public Builder apiId(String apiId) {
      this.apiId = apiId;
      return this;
    }

    public Builder stage(String stage) {
      this.stage = stage;
      return this;
    }

    public Builder routeKey(String routeKey) {
      this.routeKey = routeKey;
      return this;
    }

    public Builder keyId(String keyId) {
      this.keyId = keyId;
      return this;
    }

    public Builder appId(String appId) {
      this.appId = appId;
      return this;
    }

    public Builder planId(String planId) {
      this.planId = planId;
      return this;
    }

    public Builder status(int status) {
      this.status = status;
      return this;
    }

    public Builder outcome(Outcome outcome) {
      this.outcome = outcome;
      return this;
    }

    public Builder latencyMicros(long latencyMicros) {
      this.latencyMicros = latencyMicros;
      return this;
    }

    public Builder bytesIn(long bytesIn) {
      this.bytesIn = bytesIn;
      return this;
    }

    public Builder bytesOut(long bytesOut) {
      this.bytesOut = bytesOut;
      return this;
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public Builder nodeId(String nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    public Builder principalId(String principalId) {
      this.principalId = principalId;
      return this;
    }

    public Builder cacheHit(boolean cacheHit) {
      this.cacheHit = cacheHit;
      return this;
    }

    public Builder webSocketEvent(String webSocketEvent) {
      this.webSocketEvent = webSocketEvent;
      return this;
    }

    public Builder connectionMillis(long connectionMillis) {
      this.connectionMillis = connectionMillis;
      return this;
    }

    public Builder canary(boolean canary) {
      this.canary = canary;
      return this;
    }

    public Builder traceId(String traceId) {
      this.traceId = traceId;
      return this;
    }

    public UsageEvent build() {
      return new UsageEvent(
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
          traceId);
    }
  }
}
