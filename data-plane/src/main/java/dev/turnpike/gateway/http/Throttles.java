package dev.turnpike.gateway.http;

import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.runtime.PlanBinding;
import dev.turnpike.gateway.runtime.RouteRuntime;
import dev.turnpike.gateway.runtime.StageRuntime;
import dev.turnpike.gateway.throttle.GcraLimiter;

/**
 * Step 5's rate limits, in API Gateway's order: plan per-key per-method, plan per-key, stage
 * per-method, stage, account. The first that is exhausted answers 429 {@code Too Many Requests}.
 */
final class Throttles {
  private static final String NO_KEY = "";

  private Throttles() {}

  static void admit(Exchange exchange, StageRuntime stage, RouteRuntime route) {
    long now = System.nanoTime();
    PlanBinding plan = exchange.plan;
    if (plan != null) {
      // The key itself, or under a per-subscription plan every key of its app together.
      String subject = exchange.key.throttleSubject(plan);
      admitOrThrottle(plan.methodLimiters().get(route.methodKey()), subject, now);
      admitOrThrottle(plan.keyLimiter(), subject, now);
    }
    admitOrThrottle(route.stageMethodLimiter(), NO_KEY, now);
    admitOrThrottle(stage.stageLimiter(), NO_KEY, now);
    admitOrThrottle(stage.accountLimiter(), NO_KEY, now);
  }

  /**
   * A WebSocket connection's per-message admission against its key's plan limits (per key, as API
   * Gateway's usage plan throttles count a connection's messages).
   */
  static dev.turnpike.gateway.websocket.ConnectRequest.MessageAdmission perMessage(
      dev.turnpike.gateway.runtime.KeyRuntime key, PlanBinding plan) {
    String subject = key.throttleSubject(plan);
    GcraLimiter limiter = plan.keyLimiter();
    if (limiter == null) {
      return dev.turnpike.gateway.websocket.ConnectRequest.MessageAdmission.ALWAYS;
    }
    return () -> limiter.tryAcquire(subject, System.nanoTime());
  }

  private static void admitOrThrottle(GcraLimiter limiter, String key, long nowNanos) {
    if (limiter != null && !limiter.tryAcquire(key, nowNanos)) {
      throw new GatewayFailure(GatewayResponseType.THROTTLED);
    }
  }
}
