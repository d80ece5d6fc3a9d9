package dev.turnpike.gateway.http;

import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.gateway.runtime.StageRuntime;
import java.time.Instant;

/** The usage event of one finished exchange, as metering counts it (refused calls included). */
final class UsageEvents {
  private UsageEvents() {}

  static UsageEvent of(Exchange exchange, long latencyNanos, String nodeId) {
    StageRuntime stage = exchange.stage;
    return UsageEvent.builder()
        .eventId(exchange.requestId)
        .tenantId(stage == null ? null : stage.tenantId())
        .apiId(stage == null ? null : stage.apiId())
        .stage(stage == null ? null : stage.stage())
        .routeKey(exchange.route == null ? null : exchange.route.routeKey())
        .keyId(exchange.key == null ? null : exchange.key.record().keyId())
        .appId(exchange.key == null ? null : exchange.key.record().appId())
        .planId(exchange.plan == null ? null : exchange.plan.planId())
        .status(exchange.status)
        .outcome(exchange.outcome)
        .latencyMicros(latencyNanos / 1_000)
        .bytesIn(exchange.bytesIn)
        .bytesOut(exchange.bytesOut)
        .timestamp(Instant.ofEpochMilli(exchange.startEpochMillis))
        .nodeId(nodeId)
        .principalId(exchange.principalId())
        .cacheHit(CacheStep.HIT.equals(exchange.cacheStatus))
        // A WebSocket API's only HTTP exchange is its handshake.
        .webSocketEvent(stage != null && stage.webSocket() != null ? "CONNECT" : null)
        .canary(Boolean.TRUE.equals(exchange.canary))
        .traceId(exchange.w3cTraceId())
        .build();
  }
}
