package dev.turnpike.gateway.http;

import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.gateway.runtime.StageRuntime;
import java.time.Instant;

/** The usage event of one finished exchange, as metering counts it (refused calls included). */
final class UsageEvents {
  private UsageEvents() {}

  static UsageEvent of(Exchange exchange, long latencyNanos, String nodeId) {
    StageRuntime stage = exchange.stage;
    return new UsageEvent(
        UsageEvent.SCHEMA_VERSION,
        exchange.requestId,
        stage == null ? null : stage.tenantId(),
        stage == null ? null : stage.apiId(),
        stage == null ? null : stage.stage(),
        exchange.route == null ? null : exchange.route.routeKey(),
        exchange.key == null ? null : exchange.key.record().keyId(),
        exchange.key == null ? null : exchange.key.record().appId(),
        exchange.plan == null ? null : exchange.plan.planId(),
        exchange.status,
        exchange.outcome,
        latencyNanos / 1_000,
        exchange.bytesIn,
        exchange.bytesOut,
        Instant.ofEpochMilli(exchange.startEpochMillis),
        nodeId,
        exchange.principalId(),
        CacheStep.HIT.equals(exchange.cacheStatus),
        // A WebSocket API's only HTTP exchange is its handshake.
        stage != null && stage.webSocket() != null ? "CONNECT" : null,
        0,
        Boolean.TRUE.equals(exchange.canary),
        exchange.w3cTraceId());
  }
}
