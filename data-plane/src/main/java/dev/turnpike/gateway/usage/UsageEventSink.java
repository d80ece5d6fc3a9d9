package dev.turnpike.gateway.usage;

import dev.turnpike.contracts.usage.UsageEvent;

/**
 * Where the gateway hands each request's usage event. Called on event loops for every request:
 * implementations never block and never throw.
 */
public interface UsageEventSink {
  void emit(UsageEvent event);
}
